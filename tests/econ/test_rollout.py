"""Roll-out: monotone sites, capex of additions by hand, years validation, plot."""

from __future__ import annotations

import pytest

from nrplan.econ.cost import CostParams
from nrplan.econ.rollout import YearPlan, YearTarget, make_targets, plot_rollout, rollout
from nrplan.errors import NrplanInputError

PARAMS = CostParams.from_overrides(
    radio_unit={"64t64r": 40_000.0, "4t4r": 12_000.0},
    bbu_per_site=40_000.0,
    civil_new_tower=80_000.0,
    civil_reused=10_000.0,
    rooftop_share_new=0.0,
    power_upgrade_per_site=20_000.0,
    transmission_per_site=30_000.0,
    installation_per_site=10_000.0,
    tower_fee_per_tenancy=23_100.0,
    tower_fee_colocated=3_140.0,
    maintenance_per_site=10_000.0,
    electricity_price=0.65,
)
NEEDED = {2020: 100, 2021: 150, 2022: 120, 2023: 200}  # 2022 needs fewer: nothing removed


def plan_fn(t: YearTarget) -> YearPlan:
    n = NEEDED[t.year]
    return YearPlan(
        sites=n,
        sectors_by_profile={"64t64r": 3 * n},
        energy_kwh_per_year=30_000.0 * n,
        reused_share=0.0 if t.year == 2023 else 1.0,
    )


def test_rollout_is_monotone_and_capex_by_hand():
    df = rollout(make_targets(list(NEEDED)), plan_fn, PARAMS)
    assert df["sites"].tolist() == [100, 150, 150, 200]
    assert df["new_sites"].tolist() == [100, 50, 0, 50]
    assert df["sites_needed"].tolist() == [100, 150, 120, 200]
    # 2021: 50 reused sites: radios 150 x 40,000 + 50 x (40,000 BBU + 10,000 civil
    #       + 20,000 power + 30,000 transmission + 10,000 installation)
    assert df["capex"].iloc[1] == pytest.approx(150 * 40_000 + 50 * 110_000)
    assert df["capex"].iloc[2] == 0.0
    # 2023: 50 new tower sites: civil 80,000 instead of 10,000
    assert df["capex"].iloc[3] == pytest.approx(150 * 40_000 + 50 * 180_000)
    # energy scales with installed sites at the plan's 30,000 kWh per site
    assert df["energy_kwh"].iloc[2] == pytest.approx(150 * 30_000)
    # opex 2022: 150 co-located sites x (3,140 incremental fee + 10,000) + 4.5e6 kWh x 0.65
    assert df["opex"].iloc[2] == pytest.approx(150 * 13_140 + 4.5e6 * 0.65)
    # 2023: 50 sites built new pay the fee of a new tenancy, 23,100
    opex_2023 = 150 * 13_140 + 50 * 33_100 + 6e6 * 0.65
    assert df["opex"].iloc[3] == pytest.approx(opex_2023)
    assert df["co2_t"].iloc[0] == pytest.approx(3e6 * 0.5568 / 1000)
    assert df.attrs["currency"] == "CNY"


def test_new_layer_on_existing_sites_costs_radios_only():
    def fn(t):
        layers = {"64t64r": 30} if t.year == 2020 else {"64t64r": 30, "4t4r": 30}
        return YearPlan(sites=10, sectors_by_profile=layers, energy_kwh_per_year=0.0)

    df = rollout(make_targets([2020, 2021]), fn, PARAMS)
    assert df["new_sites"].tolist() == [10, 0]
    assert df["capex"].iloc[1] == pytest.approx(30 * 12_000)


def test_years_reversed_or_repeated_raise():
    with pytest.raises(NrplanInputError, match="years"):
        rollout([YearTarget(2021), YearTarget(2020)], plan_fn, PARAMS)
    with pytest.raises(NrplanInputError, match="years"):
        make_targets([2020, 2020])
    with pytest.raises(NrplanInputError, match="penetration"):
        make_targets([2020, 2021], penetration=[0.1])


def test_bad_plan_raises():
    with pytest.raises(NrplanInputError):
        YearPlan(sites=-1, sectors_by_profile={})
    with pytest.raises(NrplanInputError):
        rollout([YearTarget(2020)], lambda t: {"sites": 3}, PARAMS)


def test_plot_writes_png(tmp_path):
    df = rollout(make_targets(list(NEEDED)), plan_fn, PARAMS)
    out = tmp_path / "plots" / "rollout.png"
    plot_rollout(df, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in out.parent.iterdir()] == ["rollout.png"]
