"""Cost model: capex/opex breakdown, TCO (NPV) by hand, sharing, validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nrplan.econ.cost import (
    CostParams,
    SiteCounts,
    annuity_factor,
    city_cost,
    compare_sharing,
    cost_table,
    npv,
    spectrum_fee_per_year,
    sum_costs,
)
from nrplan.errors import NrplanInputError

SIMPLE = dict(
    radio_unit={"64t64r": 40_000.0},
    bbu_per_site=40_000.0,
    civil_new_tower=80_000.0,
    civil_new_rooftop=40_000.0,
    civil_reused=10_000.0,
    power_upgrade_per_site=20_000.0,
    transmission_per_site=30_000.0,
    installation_per_site=10_000.0,
    tower_fee_per_tenancy=23_100.0,
    tower_fee_colocated=3_140.0,
    maintenance_per_site=10_000.0,
    spectrum_fee_per_site=0.0,
    electricity_price=0.65,
    discount_rate=0.08,
    years=10,
)


def two_sites(**kw) -> SiteCounts:
    # one new tower site + one reused site, 3 x 64T64R each, 60,000 kWh/year in total
    return SiteCounts(
        new_sites=1,
        reused_sites=1,
        sectors={"64t64r": 6},
        rooftop_share=0.0,
        energy_kwh_per_year=60_000.0,
        covered_km2=2.0,
        covered_people=10_000.0,
        gb_per_year=1_000_000.0,
        **kw,
    )


def test_two_site_tco_by_hand():
    p = CostParams.from_overrides(**SIMPLE)
    r = city_cost(two_sites(name="two"), p)
    # capex: 6 x 40,000 radios + 2 x 40,000 BBU + 80,000 new tower + 10,000 reused
    #        + 2 x 20,000 power + 2 x 30,000 transmission + 2 x 10,000 installation
    capex = 6 * 40_000 + 2 * 40_000 + 80_000 + 10_000 + 2 * 20_000 + 2 * 30_000 + 2 * 10_000
    assert capex == 530_000
    assert r.capex_total == pytest.approx(capex)
    assert r.capex["radio"] == 240_000
    # opex: tower fee of a new tenancy 23,100 (new tower) + incremental fee 3,140
    # (co-located) + 60,000 kWh x 0.65 + 2 x 10,000 maintenance
    opex = 23_100 + 3_140 + 60_000 * 0.65 + 2 * 10_000
    assert opex == pytest.approx(85_240)
    assert r.opex_total == pytest.approx(opex)
    # NPV: capex at year 0, opex at the end of years 1..10 discounted at 8%
    pv_opex = sum(opex / 1.08**t for t in range(1, 11))
    assert r.annuity == pytest.approx((1 - 1.08**-10) / 0.08)
    assert r.tco == pytest.approx(530_000 + pv_opex)
    assert r.tco == pytest.approx(530_000 + 85_240 * 6.710081399, abs=1.0)
    assert r.cost_per_km2 == pytest.approx(r.tco / 2.0)
    assert r.cost_per_person == pytest.approx(r.tco / 10_000)
    # levelised cost per GB: TCO / (GB/year x annuity factor)
    assert r.cost_per_gb == pytest.approx(r.tco / (1e6 * r.annuity))


def test_usd_output_divides_by_rate():
    cny = city_cost(two_sites(), CostParams.from_overrides(**SIMPLE))
    usd = city_cost(two_sites(), CostParams.from_overrides(**SIMPLE, currency="USD"))
    assert usd.tco == pytest.approx(cny.tco / 6.8974)
    assert usd.currency == "USD"


def test_zero_discount_annuity_is_years():
    assert annuity_factor(0.0, 7) == 7.0
    assert npv(100.0, 10.0, 0.0, 5) == 150.0


def test_rooftop_share_mixes_civil_cost():
    p = CostParams.from_overrides(**SIMPLE)
    c = SiteCounts(new_sites=2, sectors={}, rooftop_share=0.5, energy_kwh_per_year=0.0)
    # 2 new sites x (0.5 x 40,000 + 0.5 x 80,000) = 120,000
    assert city_cost(c, p).capex["civil_new"] == pytest.approx(120_000)


def test_national_sum_and_table():
    p = CostParams.from_overrides(**SIMPLE)
    a = city_cost(two_sites(name="a"), p)
    b = city_cost(two_sites(name="b"), p)
    n = sum_costs([a, b])
    assert n.tco == pytest.approx(2 * a.tco)
    assert n.sites == 4
    assert n.covered_km2 == 4.0
    df = cost_table([a, b])
    assert list(df["name"]) == ["a", "b", "national"]
    assert df["tco"].iloc[-1] == pytest.approx(2 * a.tco)


def test_missing_denominator_gives_nan():
    r = city_cost(SiteCounts(reused_sites=1, energy_kwh_per_year=0.0))
    assert math.isnan(r.cost_per_km2) and math.isnan(r.cost_per_gb)


def test_shared_ran_vs_separate():
    p = CostParams.from_overrides(**SIMPLE)
    shared = two_sites(n_operators=2)
    separate = two_sites()
    cmp = compare_sharing(shared, separate, p)
    single = city_cost(separate, p).tco
    assert cmp.tco_separate == pytest.approx(2 * single)
    assert cmp.tco_shared == pytest.approx(single)  # same sites, one tenancy per site
    assert cmp.tco_per_operator_shared == pytest.approx(single / 2)
    assert cmp.saving_share == pytest.approx(0.5)
    with pytest.raises(NrplanInputError):
        compare_sharing(two_sites(), separate, p)


@pytest.mark.parametrize(
    "override",
    [
        {"bbu_per_site": -1.0},
        {"tower_fee_per_tenancy": -0.01},
        {"radio_64t64r": -5.0},
        {"discount_rate": 1.0},
        {"discount_rate": -0.1},
        {"years": 0},
        {"currency": "EUR"},
        {"radio_unit": {"16t16r": 1.0}},
    ],
)
def test_bad_params_raise_input_error(override):
    with pytest.raises(NrplanInputError):
        CostParams.from_overrides(**override)


def test_bad_counts_raise_input_error():
    with pytest.raises(NrplanInputError):
        SiteCounts(new_sites=-1)
    with pytest.raises(NrplanInputError):
        SiteCounts(sectors={"64t64r": -3})
    with pytest.raises(NrplanInputError):
        SiteCounts(sectors={"128t128r": 3})


def test_default_energy_comes_from_energy_model():
    from nrplan.econ.energy import site_energy

    c = SiteCounts.from_total(10, reused_share=1.0)
    r = city_cost(c)
    assert r.energy_kwh_per_year == pytest.approx(10 * site_energy("64t64r").kwh_year)
    assert r.opex["energy"] == pytest.approx(r.energy_kwh_per_year * 0.75)  # default price


def test_spectrum_fee_601():
    # 3400-3500 MHz, 100 MHz, national: 5e6 CNY/MHz/yr; years 1-3 free, year 4 at 25%
    assert spectrum_fee_per_year(3400, 100, 1) == 0.0
    assert spectrum_fee_per_year(3400, 100, 4) == pytest.approx(0.25 * 5e6 * 100)
    assert spectrum_fee_per_year(4800, 100, 7) == pytest.approx(3e6 * 100)
    with pytest.raises(NrplanInputError):
        spectrum_fee_per_year(2515, 160, 7)


def test_scaled_scales_unit_costs_not_energy():
    p = CostParams.from_overrides(**SIMPLE)
    r1 = city_cost(two_sites(), p)
    r2 = city_cost(two_sites(), p.scaled(2.0))
    assert r2.capex_total == pytest.approx(2 * r1.capex_total)
    assert r2.opex["energy"] == pytest.approx(r1.opex["energy"])


@given(
    r1=st.floats(0.0, 0.5),
    dr=st.floats(0.001, 0.4),
    years=st.integers(1, 30),
)
def test_tco_decreases_with_discount_rate(r1, dr, years):
    p1 = CostParams.from_overrides(**{**SIMPLE, "discount_rate": r1, "years": years})
    p2 = CostParams.from_overrides(**{**SIMPLE, "discount_rate": r1 + dr, "years": years})
    assert city_cost(two_sites(), p2).tco < city_cost(two_sites(), p1).tco


@given(n=st.integers(0, 10_000), share=st.floats(0.0, 1.0))
def test_capex_is_linear_in_sites(n, share):
    p = CostParams.from_overrides(**SIMPLE)
    one = city_cost(SiteCounts.from_total(1, reused_share=share, energy_kwh_per_year=0.0), p)
    many = city_cost(SiteCounts.from_total(n, reused_share=share, energy_kwh_per_year=0.0), p)
    assert many.capex_total == pytest.approx(n * one.capex_total, rel=1e-9, abs=1e-6)


# ------------------------------------------------- finite values and plausible ranges


@pytest.mark.parametrize(
    ("key", "bad", "hint"),
    [
        ("electricity_price", 650.0, "CNY/MWh"),
        ("cny_per_usd", 0.145, "USD per CNY"),
        ("cny_per_usd", 6897.0, "CNY/USD"),
        ("tower_fee_per_tenancy", 2e6, "CNY/tenancy/year"),
        ("price_year", 2025, "2020 only"),
        ("price_year", 1990, "2015, 2040"),
        ("discount_rate", float("nan"), "finite"),
        ("bbu_per_site", float("inf"), "finite"),
        ("radio_64t64r", float("nan"), "finite"),
    ],
)
def test_cost_params_refuse_implausible(key, bad, hint):
    with pytest.raises(NrplanInputError, match=key.split("_64")[0]) as exc:
        CostParams.from_overrides(**{key: bad})
    assert hint in str(exc.value) and "\n" not in str(exc.value)


def test_cost_params_currency_case_and_price_year():
    p = CostParams.from_overrides(currency="usd", price_year=2020.0, years=12.0)
    assert (p.currency, p.price_year, p.years) == ("USD", 2020, 12)


def test_site_counts_nan_denominator_means_unknown():
    assert math.isnan(city_cost(SiteCounts.from_total(10)).cost_per_km2)
    with pytest.raises(NrplanInputError, match="covered_km2"):
        SiteCounts(new_sites=1, covered_km2=math.inf)
