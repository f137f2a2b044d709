"""One-at-a-time sensitivity: swings by hand on a linear model, tornado PNG."""

from __future__ import annotations

import pytest

from nrplan.econ.sensitivity import (
    SensitivityInput,
    inputs_from_base,
    one_at_a_time,
    plot_tornado,
)
from nrplan.errors import NrplanInputError

BASE = {"unit_cost_scale": 1.0, "penetration": 0.5, "edge_dl_mbps": 100.0}


def evaluate(over: dict[str, float]) -> dict[str, float]:
    x = {**BASE, **over}
    sites = 1000 * x["penetration"] / 0.5 + 2 * x["edge_dl_mbps"]
    return {"tco": 1e6 * x["unit_cost_scale"] * sites, "sites": sites}


def test_swings_by_hand():
    df = one_at_a_time(evaluate, inputs_from_base(BASE))
    assert df.attrs["sites_base"] == pytest.approx(1200)
    assert df.attrs["tco_base"] == pytest.approx(1.2e9)
    rows = df.set_index("input")
    # edge rate 50..200 Mbit/s: sites 1100..1400, TCO swing 300 x 1e6
    assert rows.loc["edge_dl_mbps", "sites_swing"] == pytest.approx(300)
    assert rows.loc["edge_dl_mbps", "tco_swing"] == pytest.approx(3e8)
    # unit cost 0.8..1.2: TCO 0.96e9..1.44e9, sites unchanged
    assert rows.loc["unit_cost_scale", "tco_swing"] == pytest.approx(0.48e9)
    assert rows.loc["unit_cost_scale", "sites_swing"] == 0
    # penetration 0.4..0.6: sites 1000..1400
    assert rows.loc["penetration", "sites_swing"] == pytest.approx(400)
    # sorted by TCO swing, largest first
    assert df["input"].tolist() == ["unit_cost_scale", "penetration", "edge_dl_mbps"]


def test_bad_inputs():
    with pytest.raises(NrplanInputError):
        SensitivityInput("x", base=1.0, low=2.0, high=3.0)
    with pytest.raises(NrplanInputError):
        inputs_from_base({"unknown_input": 1.0})
    with pytest.raises(NrplanInputError):
        one_at_a_time(lambda o: {"tco": 1.0}, inputs_from_base(BASE))


@pytest.mark.parametrize("metric", ["tco", "sites"])
def test_tornado_png(tmp_path, metric):
    df = one_at_a_time(evaluate, inputs_from_base(BASE))
    out = tmp_path / f"tornado_{metric}.png"
    plot_tornado(df, out, metric)
    assert out.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(NrplanInputError):
        plot_tornado(df, out, "npv")
