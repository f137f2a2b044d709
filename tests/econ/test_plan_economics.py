"""plan_economics: capex/opex/TCO/energy/unit costs from planner records, by hand."""

from __future__ import annotations

import json
import math

import pytest

from nrplan.econ.cost import CostParams
from nrplan.errors import NrplanInputError
from nrplan.plan.config import PlanConfig
from nrplan.plan.economics import (
    gb_per_year,
    plan_economics,
    sensitivity_case,
)

P = CostParams()
# annuity factor A(8 %, 10 years) = (1 - 1.08^-10) / 0.08
A = (1 - 1.08**-10) / 0.08
# sum of the default 24-hour load profile (econ.defaults traffic_profile):
# 0.79 (00-07 h) + 3.65 (08-15 h) + 4.69 (16-23 h)
PROFILE_SUM = 9.13
REL = 1e-9


def _records() -> list[dict]:
    city_a = {
        "key": "1_a",
        "id": "1",
        "name": "A",
        "sites": 10,
        "sectors": 30,
        "reused_sites": 0,
        "new_sites": 10,
        "sectors_by_antenna": {"64t64r": 30},
        # rooftop share of new builds: urban / all = 6 / (6 + 2) = 0.75
        "dimensioning": [
            {"name": "urban", "sites_estimate": 6.0},
            {"name": "suburban", "sites_estimate": 2.0},
        ],
        "load_mean": 0.35,  # the profile's 0.70 peak scaled by 0.5
        "target_area_km2": 20.0,
        "area_coverage": 0.9,
        "target_population": 100_000.0,
        "population_coverage": 0.95,
        "busy_hour_dl_mbps": 800.0,
        "busy_hour_ul_mbps": 80.0,
        "demand": {"busy_hour_share": 0.1, "busy_days_per_month": 20.0},
    }
    city_b = {
        "key": "2_b",
        "id": "2",
        "name": "B",
        "sites": 4,
        "sectors": 24,
        "reused_sites": 2,
        "new_sites": 2,
        "sectors_by_antenna": {"64t64r": 12, "4t4r": 12},
        # no dimensioning -> CostParams.rooftop_share_new = 0.5; no load -> default profile;
        # no demand dict -> busy-hour share 0.08 and 22 busy days (demand defaults)
        "target_area_km2": 2.0,
        "area_coverage": 1.0,
        "target_population": 5_000.0,
        "population_coverage": 1.0,
        "busy_hour_dl_mbps": 100.0,
    }
    return [city_a, city_b]


def _hand() -> dict[str, dict[str, float]]:
    """Capex, opex and energy of the two cities with reused_share = 0.5, no features."""
    # A: planner-new 10 -> 5 built new, 5 on existing towers
    capex_a = (
        30 * 40_000  # radios
        + 10 * 40_000  # BBU
        + 5 * (0.75 * 89_500 + 0.25 * 179_000)  # new builds, rooftop/tower civil works
        + 5 * 0  # co-located: no civil works
        + 10 * (20_000 + 30_000 + 10_000)  # power, transmission, installation
    )
    # per site 3 x 64T64R: P = 1.32 (520 + 3 (580 + 520 lambda)), sum(lambda) = 0.5 x 9.13
    kwh_a = 10 * 365 * 1.32 * (24 * (520 + 3 * 580) + 3 * 520 * 0.5 * PROFILE_SUM) / 1000
    # B: planner reused 2 + planner-new 2 -> 1 built new, 3 on existing
    capex_b = (
        12 * 40_000
        + 12 * 12_000
        + 4 * 40_000
        + 1 * (0.5 * 89_500 + 0.5 * 179_000)
        + 3 * 0
        + 4 * (20_000 + 30_000 + 10_000)
    )
    # per site 3 x 64T64R + 3 x 4T4R (P0 200 W, slope 300 W), default profile
    kwh_b = (
        4 * 365 * 1.32 * (24 * (520 + 3 * 580 + 3 * 200) + (3 * 520 + 3 * 300) * PROFILE_SUM)
    ) / 1000
    out = {}
    # tower fee: a new tenancy (23,100) per site built new, the increment (3,140) per
    # co-located site; electricity at the default 0.75 CNY/kWh
    for name, capex, kwh, sites, new in (
        ("1", capex_a, kwh_a, 10, 5),
        ("2", capex_b, kwh_b, 4, 1),
    ):
        opex = new * 23_100 + (sites - new) * 3_140 + sites * 10_000 + kwh * 0.75
        out[name] = {"capex": capex, "kwh": kwh, "opex": opex, "tco": capex + opex * A}
    return out


def test_two_cities_by_hand():
    eco = plan_economics(_records(), PlanConfig(), reused_share=0.5, features=())
    hand = _hand()
    assert hand["1"]["capex"] == 2_759_375 and hand["2"]["capex"] == 1_158_250
    for cid, h in hand.items():
        c = eco["cities"][cid]
        assert c["capex_total"] == pytest.approx(h["capex"], rel=REL)
        assert c["energy"]["kwh_per_year"] == pytest.approx(h["kwh"], rel=REL)
        assert c["energy"]["kwh_per_year_without_features"] == pytest.approx(h["kwh"], rel=REL)
        assert c["opex_total_per_year"] == pytest.approx(h["opex"], rel=REL)
        assert c["opex_per_year"]["energy"] == pytest.approx(h["kwh"] * 0.75, rel=REL)
        assert c["tco"] == pytest.approx(h["tco"], rel=REL)
    a = eco["cities"]["1"]
    assert a["sites_built_new"] == 5 and a["sites_on_existing"] == 5
    assert a["rooftop_share_new"] == pytest.approx(0.75)
    assert a["capex"]["civil_new"] == pytest.approx(559_375)
    assert a["site_types"] == pytest.approx(
        {"colocated": 5.0, "new_rooftop": 3.75, "new_tower": 1.25}
    )
    # A: covered 20 x 0.9 = 18 km2, 100,000 x 0.95 = 95,000 people;
    # GB = 880 Mbit/s x 3600 s / 8000 / 0.1 x 20 days x 12 months x 0.95 = 902,880
    assert a["covered_km2"] == pytest.approx(18.0)
    assert a["covered_people"] == pytest.approx(95_000)
    assert a["gb_per_year"] == pytest.approx(902_880)
    assert a["cost_per_km2"] == pytest.approx(hand["1"]["tco"] / 18.0)
    assert a["cost_per_person"] == pytest.approx(hand["1"]["tco"] / 95_000)
    assert a["cost_per_gb"] == pytest.approx(hand["1"]["tco"] / (902_880 * A))
    # B: 100 Mbit/s x 3600 / 8000 / 0.08 x 22 x 12 = 148,500 GB
    assert eco["cities"]["2"]["gb_per_year"] == pytest.approx(148_500)

    n = eco["national"]
    assert n["sites"] == 14 and n["cities"] == 2
    assert n["capex_total"] == pytest.approx(2_759_375 + 1_158_250)
    assert n["site_types"]["colocated"] == pytest.approx(8.0)
    # validation rows next to the published 2020 figures: capex per site = 3,917,625 / 14
    rows = {r["key"]: r for r in n["validation_2020"]}
    assert rows["capex_per_site"]["nrplan"] == pytest.approx(3_917_625 / 14)
    assert rows["capex_per_site"]["published_low"] == pytest.approx(102.5e9 / 340e3)
    assert rows["energy_per_site_kwh"]["nrplan"] == pytest.approx(
        (hand["1"]["kwh"] + hand["2"]["kwh"]) / 14, rel=REL
    )
    assert rows["energy_per_site_kwh"]["published_low"] == pytest.approx(13_000 / 0.65)
    assert n["tco"] == pytest.approx(hand["1"]["tco"] + hand["2"]["tco"], rel=REL)
    assert n["gb_per_year"] == pytest.approx(902_880 + 148_500)
    kwh = hand["1"]["kwh"] + hand["2"]["kwh"]
    assert n["energy"]["co2_t_per_year"] == pytest.approx(kwh * 0.5568 / 1000, rel=REL)
    assert n["usd"]["tco"] == pytest.approx(n["tco"] / 6.8974)
    assert eco["currency"] == "CNY" and eco["usd_rate"] == pytest.approx(6.8974)
    json.dumps(eco, allow_nan=False)  # strict JSON


def test_years_and_discount_change_only_the_annuity():
    recs = _records()
    base = plan_economics(recs, PlanConfig(), features=())["national"]
    r = plan_economics(recs, PlanConfig(), features=(), years=5, discount=0.0)["national"]
    assert r["capex_total"] == pytest.approx(base["capex_total"])
    assert r["tco"] == pytest.approx(r["capex_total"] + 5 * r["opex_total_per_year"])


def test_features_save_energy_and_default_reused_share():
    eco = plan_economics(_records(), PlanConfig())
    e = eco["national"]["energy"]
    hand = _hand()
    kwh0 = hand["1"]["kwh"] + hand["2"]["kwh"]
    assert e["kwh_per_year_without_features"] == pytest.approx(kwh0, rel=REL)
    assert e["kwh_per_year"] < kwh0
    assert sum(e["savings_kwh_per_year"].values()) == pytest.approx(kwh0 - e["kwh_per_year"])
    # China Tower 2020: 97 % of the 10 planner-new sites of A go onto existing towers
    assert eco["cities"]["1"]["sites_built_new"] == pytest.approx(0.3)


def test_empty_records_are_zero_and_strict_json():
    sansha = {
        "key": "460300_sansha",
        "id": "460300",
        "name": "Sansha",
        "sites": 0,
        "sectors": 0,
        "target_area_km2": 0.0,
        "target_population": 0.0,
        "targets_met": True,
    }
    eco = plan_economics([sansha, {"name": "bare"}], PlanConfig())
    for c in eco["cities"].values():
        assert c["capex_total"] == 0 and c["tco"] == 0 and c["energy"]["kwh_per_year"] == 0
        assert c["cost_per_km2"] is None and c["cost_per_gb"] is None
    assert eco["national"]["sites"] == 0 and eco["national"]["tco"] == 0
    json.dumps(eco, allow_nan=False)
    none = plan_economics([], PlanConfig())
    assert none["national"]["tco"] == 0 and none["cities"] == {}
    # a city with sites and empty one together: the empty one adds nothing
    both = plan_economics([*_records(), sansha], PlanConfig(), features=())
    two = plan_economics(_records(), PlanConfig(), features=())
    assert both["national"]["tco"] == pytest.approx(two["national"]["tco"])


def test_shared_ran_without_dimensioning_costs_two_equal_networks():
    rec = _records()[1]  # no dimensioning -> site ratio 1
    eco = plan_economics([rec], PlanConfig(operators="shared"), features=())
    c = eco["cities"]["2"]
    s = c["sharing"]
    assert s["site_ratio_separate_to_shared"] == 1.0
    # one tower fee per site either way and no spectrum fee: each separate network
    # costs what the shared one does
    assert s["tco_separate"] == pytest.approx(2 * s["tco_shared"])
    assert s["saving_share"] == pytest.approx(0.5)
    assert c["tco_per_operator"] == pytest.approx(c["tco"] / 2)
    assert eco["national"]["sharing"]["saving"] == pytest.approx(s["saving"])


def test_separate_networks_doubled():
    eco = plan_economics(_records(), PlanConfig(operators="separate"))
    n = eco["national"]
    assert n["separate_networks"]["tco"] == pytest.approx(2 * n["tco"])
    assert n["separate_networks"]["sites"] == 28


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"discount": 1.0}, "discount_rate"),
        ({"years": 0}, "years"),
        ({"reused_share": 1.5}, "reused_share"),
    ],
)
def test_bad_parameters(kwargs, field):
    with pytest.raises(NrplanInputError, match=field):
        plan_economics(_records(), PlanConfig(), **kwargs)


def test_gb_per_year_inverts_the_demand_model():
    from nrplan.demand.traffic import busy_hour_mbps_per_user

    # 1 user at 10 GB/month: busy-hour rate by the demand model, back to 120 GB/year
    r = float(busy_hour_mbps_per_user(10.0, 0.08, 22.0))
    assert gb_per_year(r, 0.08, 22.0) == pytest.approx(120.0)
    assert math.isnan(gb_per_year(math.nan, 0.08, 22.0))


def test_sensitivity_case_replans_with_demand_overrides():
    base = {"traffic_per_user": 10.0, "penetration": 0.2}
    cfg, tf, label = sensitivity_case(PlanConfig(), {"traffic_per_user": 12.5}, base)
    assert "dou12.5" in label
    assert cfg.demand_overrides == {"dou_gb": 12.5, "penetration": 0.2}
    assert cfg.targets.load_limit == pytest.approx(0.7)
    rec = [{"busy_hour_dl_mbps": 100.0, "users": 50.0}]
    assert tf(rec) == rec and tf(rec) is not rec
    cfg, _, _ = sensitivity_case(PlanConfig(), {"edge_dl_mbps": 100.0, "load_limit": 0.56}, base)
    assert (cfg.targets.edge_dl_mbps, cfg.targets.load_limit) == (100.0, 0.56)
    with pytest.raises(NrplanInputError, match="penetration"):
        sensitivity_case(PlanConfig(), {"penetration": 1.5}, base)


def test_report_shows_validation_next_to_published():
    from nrplan.report.html import _validation_2020_html

    eco = plan_economics(_records(), PlanConfig(), reused_share=0.5, features=())
    html = _validation_2020_html(eco["national"])
    assert 'id="economics-validation-2020"' in html
    # capex per site 3,917,625 / 14 = 279,830 next to 102.5e9 / 340e3 = 301,471
    assert "279,830" in html and "301,471" in html
    assert _validation_2020_html({}) == ""
