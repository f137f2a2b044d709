"""Civil works and tower fees by site type (co-located, new rooftop, new tower), by hand.

Defaults (nrplan.econ.defaults): 64T64R AAU 40,000 CNY, BBU 40,000, power 20,000,
transmission 30,000, installation 10,000 per site; civil works 0 co-located, 89,500
new rooftop, 179,000 new tower (China Tower 2018: 114.8e9 CNY / 640e3 towers); tower
fee 3,140 CNY/year co-located (China Tower 2020 revenue growth / 5G sites), 23,100 for a
new tenancy; maintenance 10,000; electricity 0.75 CNY/kWh.
"""

from __future__ import annotations

import pytest

from nrplan.econ.cost import CostParams, SiteCounts, city_cost, site_type_counts
from nrplan.econ.defaults import DEFAULTS, value

# a 3-sector 64T64R site drawing 20,000 kWh a year
EQUIP = 3 * 40_000 + 40_000 + 20_000 + 30_000 + 10_000  # 220,000 CNY on every site
KWH = 20_000.0


def _one(**kw) -> SiteCounts:
    return SiteCounts(sectors={"64t64r": 3}, energy_kwh_per_year=KWH, **kw)


def test_defaults_by_hand():
    assert value("civil_new_tower") == 179_000 and round(114.8e9 / 640e3) == 179_375
    assert value("civil_new_rooftop") == 89_500 and value("civil_reused") == 0
    # 733.71e8 x 0.028 / 1.028 = 19.98e8 CNY over ~63.6e4 5G sites built in 2020
    assert 733.71e8 * 0.028 / 1.028 / 63.6e4 == pytest.approx(3_142, abs=1)
    assert value("tower_fee_colocated") == 3_140
    lo, hi = value("electricity_price_low"), value("electricity_price_high")
    assert lo < value("electricity_price") < hi and value("electricity_price") == (lo + hi) / 2
    assert DEFAULTS["reused_share"].value == 0.97


def test_colocated_site():
    r = city_cost(_one(reused_sites=1))
    # no civil works; only the incremental tenancy fee
    assert r.capex["civil_new"] == 0 and r.capex["civil_reused"] == 0
    assert r.capex_total == pytest.approx(EQUIP)  # 220,000
    # 3,140 fee + 10,000 maintenance + 20,000 kWh x 0.75 = 28,140 CNY/year
    assert r.opex["tower_fee"] == pytest.approx(3_140)
    assert r.opex_total == pytest.approx(28_140)


def test_new_tower_site():
    r = city_cost(_one(new_sites=1, rooftop_share=0.0))
    assert r.capex["civil_new"] == pytest.approx(179_000)
    assert r.capex_total == pytest.approx(EQUIP + 179_000)  # 399,000
    # a new tenancy: 23,100 + 10,000 + 15,000 = 48,100 CNY/year
    assert r.opex["tower_fee"] == pytest.approx(23_100)
    assert r.opex_total == pytest.approx(48_100)


def test_new_rooftop_site():
    r = city_cost(_one(new_sites=1, rooftop_share=1.0))
    assert r.capex_total == pytest.approx(EQUIP + 89_500)  # 309,500
    assert r.opex["tower_fee"] == pytest.approx(23_100)


def test_2020_mix_per_average_site():
    # 100 sites with the 2020 shares: 97 co-located, 3 new (half rooftop, half tower)
    c = SiteCounts.from_total(100, energy_kwh_per_year=100 * KWH)
    assert site_type_counts(c) == pytest.approx(
        {"colocated": 97.0, "new_rooftop": 1.5, "new_tower": 1.5}
    )
    r = city_cost(c)
    # civil 1.5 x 89,500 + 1.5 x 179,000 = 402,750; fee 97 x 3,140 + 3 x 23,100 = 373,880
    assert r.capex_total == pytest.approx(100 * EQUIP + 402_750)
    assert r.opex["tower_fee"] == pytest.approx(373_880)


def test_scaled_and_override_cover_the_colocated_fee():
    p = CostParams().scaled(2.0)
    assert p.tower_fee_colocated == pytest.approx(6_280)
    assert CostParams.from_overrides(tower_fee_colocated=0.0).tower_fee_colocated == 0.0
