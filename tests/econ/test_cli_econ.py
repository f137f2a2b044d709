"""CLI: nrplan energy / cost / adoption, tables, JSON and one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest

from nrplan.cli import main


def run_json(argv, capsys):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_energy_table_and_json(capsys):
    assert main(["energy"]) == 0
    out = capsys.readouterr().out
    assert "Savings per feature" in out and "kWh/day" in out
    d = run_json(["energy", "--profile", "64t64r", "--sectors", "3"], capsys)
    # equipment only: 3 x 580 + 520 = 2,260 W idle; 3 x 1,100 + 520 = 3,820 W full
    assert d["power_w"]["idle_equipment"] == pytest.approx(2260)
    assert d["power_w"]["full_equipment"] == pytest.approx(3820)
    assert d["kwh_per_year"]["with_features"] < d["kwh_per_year"]["without_features"]
    assert set(d["savings_kwh_per_day"]) == {"symbol", "channel", "carrier", "deep-sleep"}


def test_energy_custom_profile_no_features(capsys):
    profile = ",".join(["0.5"] * 24)
    d = run_json(["energy", "--traffic-profile", profile, "--features", "none"], capsys)
    # 1.32 x (3 x (580 + 520 x 0.5) + 520) W x 24 h = 1.32 x 3,040 x 24 Wh
    assert d["kwh_per_day"]["with_features"] == pytest.approx(1.32 * 3040 * 24 / 1000)
    assert d["savings_kwh_per_day"] == {}


def test_cost_json(capsys):
    d = run_json(["cost", "--sites", "100", "--years", "10", "--discount", "0.08"], capsys)
    # 100 sites x (3 x 40,000 AAU + 40,000 BBU + 20,000 power + 30,000 transmission
    # + 10,000 installation) = 22,000,000; civil: 97 co-located x 0 + 1.5 rooftop x 89,500
    # + 1.5 tower x 179,000 = 402,750
    assert d["capex_total"] == pytest.approx(22_402_750)
    assert d["tco"] == pytest.approx(d["capex_total"] + d["opex_total"] * (1 - 1.08**-10) / 0.08)
    assert main(["cost", "--sites", "100"]) == 0
    assert "TCO" in capsys.readouterr().out


def test_adoption_default_and_csv(tmp_path, capsys):
    d = run_json(["adoption", "--until", "2027"], capsys)
    assert d["model"] == "bass" and d["forecast"][-1]["year"] == 2027
    assert d["r2"] > 0.99
    f = tmp_path / "h.csv"
    f.write_text("year,users\n2020,10\n2021,30\n2022,60\n2023,80\n2024,90\n")
    d = run_json(["adoption", "--model", "logistic", "--history", str(f)], capsys)
    assert d["model"] == "logistic" and d["users_unit"] == "users"
    assert main(["adoption", "--until", "2026"]) == 0
    assert "Forecast" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv,field",
    [
        (["energy", "--traffic-profile", "0.1,0.2,0.3"], "traffic_profile"),
        (["energy", "--traffic-profile", ",".join(["1.5"] * 24)], "traffic_profile"),
        (["energy", "--features", "symbol,nap"], "features"),
        (["energy", "--profile", "16t16r"], "profile"),
        (["cost", "--sites", "10", "--discount", "1.0"], "discount_rate"),
        (["cost", "--sites", "10", "--discount", "-0.1"], "discount_rate"),
        (["cost", "--sites", "10", "--set", "bbu_per_site=-5"], "bbu_per_site"),
        (["cost", "--sites", "-3"], "sites"),
        (["cost", "--sites", "10", "--reused-share", "1.5"], "reused_share"),
        (["adoption", "--model", "gompertz"], "model"),
        (["adoption", "--until", "2021"], "until"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, field, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert field in err


def test_history_years_reversed(tmp_path, capsys):
    f = tmp_path / "rev.csv"
    f.write_text("year,users\n2022,60\n2021,30\n2020,10\n")
    assert main(["adoption", "--history", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "years" in err
