"""Industrial-internet series: the embedded table, fits with uncertainty, the 2020 check, CLI."""

from __future__ import annotations

import json
import math
import runpy
from pathlib import Path

import numpy as np
import pytest

from nrplan.cli import main
from nrplan.econ.adoption import fit_adoption
from nrplan.econ.industrial_internet import forecast_check, load_table, series_names
from nrplan.econ.uncertainty import _jacobian, fit_uncertainty
from nrplan.errors import NrplanInputError

ROOT = Path(__file__).resolve().parents[2]


def test_table_one_method_per_series_and_sources():
    df = load_table()
    assert set(series_names()) == {
        "caict_value_added",
        "caii_value_added",
        "projects_5g_industrial_internet",
    }
    for _, g in df.groupby("series"):
        assert g["institute"].nunique() == 1 and g["method"].nunique() == 1
        assert (g["source"].str.len() > 10).all()
        assert np.all(np.diff(g["t"].to_numpy()) > 0)
    # CAICT and CAII measure differently: 2.13 vs 3.41 T yuan for 2019, kept apart
    v19 = df[df["t"] == 2019.0].set_index("series")["value"]
    assert v19["caict_value_added"] == 2.13 and v19["caii_value_added"] == 3.41
    # derived rows by hand: 1.42 / 1.557 = 0.912; 3.41 / 1.2214 = 2.792; 4.10 / 1.741 = 2.355
    d = df[df["kind"] == "derived"].set_index(["series", "period"])["value"]
    assert d[("caict_value_added", "2017")] == pytest.approx(0.912)
    assert d[("caii_value_added", "2018")] == pytest.approx(2.792)
    assert d[("caii_value_added", "2017")] == pytest.approx(2.355)


def test_csv_is_what_the_tool_builds(tmp_path):
    tool = runpy.run_path(str(ROOT / "tools" / "build_industrial_internet.py"))
    assert tool["check"](tool["ROWS"]) == []
    out = tmp_path / "ii.csv"
    tool["write"](tool["ROWS"], out)
    shipped = ROOT / "src" / "nrplan" / "data" / "industrial_internet.csv"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
    bad = [dict(r) for r in tool["ROWS"]]
    bad[0]["institute"] = "CAII"  # two institutes in one series
    assert tool["check"](bad)


def test_logistic_jacobian_by_hand():
    # N = m / (1 + exp(-k (t - t_mid))); at t = t_mid: dN/dk = 0, dN/dt_mid = -m k / 4,
    # dN/dm = 1/2. k = 0.5, t_mid = 2020, m = 10 -> (0, -1.25, 0.5)
    jac = _jacobian("logistic", np.array([0.5, 2020.0, 10.0]), 0.0, np.array([2020.0]))
    assert jac[0] == pytest.approx([0.0, -1.25, 0.5], abs=1e-6)


def test_exact_data_give_zero_error_and_a_collapsed_interval():
    t = np.arange(2015.0, 2023.0)
    v = 10.0 / (1.0 + np.exp(-0.5 * (t - 2020.0)))
    fit = fit_adoption(t, v, "logistic")
    assert fit.model.params["k"] == pytest.approx(0.5, rel=1e-5)
    assert fit.model.params["m"] == pytest.approx(10.0, rel=1e-5)
    u = fit_uncertainty(fit, [2025.0], rng=np.random.default_rng(1), n_boot=20)
    # 2025: 10 / (1 + e^-2.5) = 9.2414
    assert u.value[0] == pytest.approx(10.0 / (1.0 + math.exp(-2.5)), rel=1e-5)
    assert u.dof == 5 and u.se[0] < 1e-4
    assert u.hi[0] - u.lo[0] < 1e-3


def test_bootstrap_is_seeded():
    t = np.arange(2015.0, 2023.0)
    noise = np.array([0.05, -0.04, 0.02, 0.0, -0.03, 0.04, -0.02, 0.01])
    fit = fit_adoption(t, 10.0 / (1.0 + np.exp(-0.5 * (t - 2020.0))) + noise, "logistic")
    a = fit_uncertainty(fit, [2025.0], rng=np.random.default_rng(7), n_boot=30)
    b = fit_uncertainty(fit, [2025.0], rng=np.random.default_rng(7), n_boot=30)
    c = fit_uncertainty(fit, [2025.0], rng=np.random.default_rng(8), n_boot=30)
    assert a.lo[0] == b.lo[0] and a.hi[0] == b.hi[0]
    assert (a.lo[0], a.hi[0]) != (c.lo[0], c.hi[0])
    assert a.lo[0] < a.value[0] < a.hi[0] and a.se[0] > 0


def test_2020_check_caict():
    c = forecast_check("caict_value_added", n_boot=30)
    # published by 2020-09: 2017 (derived), 2018, 2019 and the 2020 estimate of March 2020
    assert c.as_of == "2020-09" and [r["period"] for r in c.known] == [
        "2017",
        "2018",
        "2019",
        "2020",
    ]
    assert c.uncertainty.dof == 1
    exp = c.checks[0]
    assert exp["published"] == 5.0 and exp["t"] == 2025.0
    assert exp["ratio"] == pytest.approx(exp["forecast"] / 5.0)
    assert exp["lo"] <= exp["forecast"] <= exp["hi"]


def test_2020_check_caii_against_its_2024_outcome():
    c = forecast_check("caii_value_added", n_boot=10)
    assert [r["period"] for r in c.known] == ["2018", "2019", "2020"]
    assert c.uncertainty.dof == 0  # 3 points, 3 parameters: no error estimate
    assert math.isnan(c.uncertainty.lo[0])
    out = {ch["t"]: ch for ch in c.checks}
    assert out[2024.0]["published"] == 5.01
    assert out[2024.0]["ratio"] == pytest.approx(out[2024.0]["forecast"] / 5.01)
    # the 2017 figure published in 2022 is a revision of a fitted span, not an outcome
    assert 2017.0 not in out


def test_projects_fall_back_to_latest_and_bad_inputs():
    c = forecast_check("projects_5g_industrial_internet", as_of="auto", n_boot=10)
    assert c.as_of == "latest" and len(c.known) == 5
    with pytest.raises(NrplanInputError, match="caii_value_added"):
        forecast_check("caci_value_added")
    with pytest.raises(NrplanInputError, match="as-of"):
        forecast_check("projects_5g_industrial_internet", as_of="2020-09")
    with pytest.raises(NrplanInputError, match="as-of"):
        forecast_check("caict_value_added", as_of="Sept 2020")


def test_cli_series(capsys):
    argv = ["adoption", "--series", "caii_value_added", "--as-of", "latest", "--bootstrap", "20"]
    assert main([*argv, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["institute"] == "CAII" and d["model"] == "logistic" and d["as_of"] == "latest"
    assert d["interval"]["seed"] == 0 and d["dof"] == 5
    assert main(["adoption", "--series", "caict_value_added", "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    assert "expectation" in out and "Forecast" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["adoption", "--series", "nope"],
        ["adoption", "--series", "caict_value_added", "--bootstrap", "-1"],
        ["adoption", "--series", "caict_value_added", "--history", "x.csv"],
    ],
)
def test_cli_series_bad_input_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
