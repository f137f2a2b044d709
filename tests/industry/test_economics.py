"""Private-network cost and energy against hand computations from the defaults."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from nrplan.cli import main
from nrplan.econ.cost import annuity_factor
from nrplan.errors import NrplanInputError
from nrplan.industry.economics import (
    EXCLUDED,
    PrivateCostSettings,
    macro_reference,
    private_cost,
    unit_power_w,
)
from nrplan.industry.profiles import load_profile

EX = Path(__file__).resolve().parents[2] / "examples" / "private"

# Hand values from nrplan.econ.defaults (CNY, 2020):
# new 3-sector 64T64R macro site = BBU 40,000 + 3 x AAU 40,000
#   + civil 0.5 x 89,500 (rooftop) + 0.5 x 179,000 (tower) + power 20,000
#   + transmission 30,000 + installation 10,000 = 354,250
MACRO_CAPEX = 40_000 + 3 * 40_000 + 0.5 * 89_500 + 0.5 * 179_000 + 20_000 + 30_000 + 10_000
# its tower fee 23,100 + maintenance 10,000 per year
MACRO_OPEX = 23_100 + 10_000
A_8_10 = (1 - 1.08**-10) / 0.08  # annuity, 8 % over 10 years = 6.710081


def test_macro_reference_by_hand():
    capex, opex = macro_reference()
    assert capex == pytest.approx(MACRO_CAPEX) and MACRO_CAPEX == 354_250
    assert opex == pytest.approx(MACRO_OPEX)


def test_ceiling_units_by_hand():
    # P = 70 W x (0.29 + 0.71 load); load 2 counts as 1
    loads = np.array([0.0, 0.5, 1.0, 2.0])
    p = unit_power_w("ceiling", loads)
    np.testing.assert_allclose(p, [20.3, 45.15, 70.0, 70.0])
    r = private_cost("ceiling", loads, area_km2=0.02, devices=100, offered_mbps=10.0)
    kwh = (20.3 + 45.15 + 70 + 70) * 24 * 365 / 1000  # 1,799.74 kWh/year
    capex = 4 * 0.10 * MACRO_CAPEX  # 141,700
    opex = 4 * 0.10 * MACRO_OPEX + kwh * 0.75  # electricity_price 0.75 CNY/kWh
    tco = capex + opex * A_8_10
    c = r.cost
    assert c.energy_kwh_per_year == pytest.approx(kwh)
    assert c.capex_total == pytest.approx(capex)
    assert c.opex_total == pytest.approx(opex)
    assert c.tco == pytest.approx(tco)
    assert r.unit_capex == pytest.approx(35_425)  # 0.10 x 354,250
    assert r.cost_per_device == pytest.approx(tco / 100)
    assert c.cost_per_km2 == pytest.approx(tco / 0.02)
    # 10 Mbit/s for 24 h a day: 10 x 3,600 x 24 x 365 / 8 / 1,000 = 39,420 GB/year
    assert c.cost_per_gb == pytest.approx(tco / (39_420 * A_8_10))
    assert r.excluded == EXCLUDED
    assert "small_cell_tco_share_indoor" in r.sources


def test_pole_units_share_and_power():
    r = private_cost("pole", [0.0, 0.0])
    assert r.unit_capex == pytest.approx(0.25 * MACRO_CAPEX)  # 88,562.5 CNY
    assert r.unit_opex == pytest.approx(0.25 * MACRO_OPEX)
    assert r.mean_power_w == pytest.approx(200 * 0.29)  # 58 W idle


def test_mast_is_a_macro_site_by_hand():
    r = private_cost("mast", [0.0, 1.0])
    # new ground tower: BBU 40,000 + 3 x 8T8R RRU 15,000 + civil 179,000 + power 20,000
    #   + transmission 30,000 + installation 10,000 = 324,000 per mast
    assert r.unit_capex == pytest.approx(324_000)
    assert r.cost.capex["civil_new"] == pytest.approx(2 * 179_000)
    # (BBU 520 W + 3 x RRU) x overhead 1.32; RRU 200 W idle, 450 W at full load
    p = [(520 + 3 * 200) * 1.32, (520 + 3 * 450) * 1.32]
    assert r.mean_power_w == pytest.approx(np.mean(p))
    kwh = sum(p) * 8.76
    assert r.cost.opex["energy"] == pytest.approx(kwh * 0.75)
    assert r.cost.opex["tower_fee"] == pytest.approx(2 * 23_100)


def test_overrides_and_usd():
    s = PrivateCostSettings(
        unit_capex=12_000, unit_opex=2_000, pmax_w=60, idle_share=0.5, hours_per_day=16,
        electricity_price=1.0, discount_rate=0.0, years=5, currency="USD",
    )  # fmt: skip
    r = private_cost("ceiling", [1.0, 0.0, 0.0], devices=3, settings=s)
    fx = 1 / 6.8974
    kwh = (60 + 30 + 30) * 16 * 365 / 1000  # 700.8 kWh/year
    capex = 3 * 12_000 * fx
    opex = (3 * 2_000 + kwh * 1.0) * fx
    assert r.cost.currency == "USD"
    assert r.cost.capex_total == pytest.approx(capex)
    assert r.cost.opex_total == pytest.approx(opex)
    assert r.cost.tco == pytest.approx(capex + 5 * opex)  # r = 0: annuity = N
    assert r.cost_per_device == pytest.approx(r.cost.tco / 3)
    assert "given" in r.basis
    assert annuity_factor(0.0, 5) == 5


def test_no_devices_gives_nan_per_device():
    r = private_cost("ceiling", [0.2])
    assert math.isnan(r.cost_per_device) and math.isnan(r.cost.cost_per_gb)


@pytest.mark.parametrize(
    ("costs", "needle"),
    [
        ({"unit_capx": 1.0}, "unit_capx"),
        ({"unit_capex": -5.0}, "unit_capex"),
        ({"tco_share": 1.5}, "tco_share"),
        ({"hours_per_day": 30}, "hours_per_day"),
    ],
)
def test_bad_cost_table_names_the_field(costs, needle):
    with pytest.raises(NrplanInputError) as exc:
        load_profile("factory", {"costs": costs})
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_bad_kind_and_load():
    with pytest.raises(NrplanInputError, match="unit kind"):
        private_cost("tower", [0.1])
    with pytest.raises(NrplanInputError, match="dl_load"):
        private_cost("ceiling", [-0.1])


def test_cli_summary_carries_costs(tmp_path, capsys):
    out = tmp_path / "f"
    cfg = tmp_path / "f.toml"
    cfg.write_text(
        (EX / "factory.toml").read_text(encoding="utf-8") + "\n[costs]\nunit_capex = 20000\n",
        encoding="utf-8",
    )
    rc = main([
        "private", "--area", str(EX / "factory.geojson"), "--profile", "factory",
        "--devices", str(EX / "factory_devices.csv"), "--config", str(cfg),
        "--resolution", "5", "--out", str(out),
    ])  # fmt: skip
    assert rc == 0
    assert "capex" in capsys.readouterr().out
    s = json.loads((out / "summary.json").read_text())
    e = s["economics"]
    assert e["units"] == s["sites"] and e["kind"] == "ceiling"
    assert e["capex_total"] == pytest.approx(20_000 * s["sites"])
    assert e["tco"] > e["capex_total"] > 0
    assert e["energy_kwh_per_year"] > 0 and e["excluded"]


def test_cli_bad_costs_exit_2(tmp_path, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[costs]\nyears = 0\n", encoding="utf-8")
    rc = main([
        "private", "--area", str(EX / "factory.geojson"), "--profile", "factory",
        "--config", str(cfg), "--out", str(tmp_path / "x"),
    ])  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err
    assert "costs.years" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
