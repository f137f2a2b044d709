"""The worked examples in ``examples/`` run end to end (small city, coarse grid)."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RESOLUTION = "400"  # [m]: a few hundred pixels, the plan takes seconds


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plan_city_sinr_writes_map_and_kpis(tmp_path: Path, capsys: pytest.CaptureFixture):
    out = tmp_path / "city"
    _load("plan_city_sinr").main([str(out), "--city", "Lhasa", "--resolution", RESOLUTION])
    assert (out / "sinr_map.png").read_bytes()[:8] == PNG_MAGIC
    payload = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    city = payload["city"]
    assert city["name"] == "Lhasa"
    assert city["resolution_m"] == float(RESOLUTION)
    assert city["sites"] > 0 and city["sectors"] == 3 * city["sites"]
    assert -10.0 < city["ss_sinr_p50_db"] < 40.0
    assert payload["currency"] == "CNY" and payload["economics"]["tco"] > 0
    printed = capsys.readouterr().out
    assert f"{city['sites']} sites" in printed and "sinr_map.png" in printed


def test_compare_scenarios_writes_table(tmp_path: Path):
    module = _load("compare_scenarios")
    out = tmp_path / "cmp"
    module.main([str(out), "--city", "Lhasa", "--bands", "n78", "n41", "--resolution", RESOLUTION])
    assert (out / "comparison.png").read_bytes()[:8] == PNG_MAGIC
    with open(out / "comparison.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["kpi"].split(" [")[0] for r in rows] == [k.split(" [")[0] for k, _ in module.KPIS]
    for row in rows:
        a, b, diff = float(row["n78"]), float(row["n41"]), float(row["n41 - n78"])
        assert math.isfinite(a) and math.isfinite(b)
        assert diff == pytest.approx(b - a)
    by_kpi = {r["kpi"].split(" [")[0]: r for r in rows}
    assert float(by_kpi["sites"]["n78"]) > 0 and float(by_kpi["sites"]["n41"]) > 0


def test_compare_scenarios_moves_every_layer_to_the_band():
    module = _load("compare_scenarios")
    cfg = module.scenario_config("n41", 400.0)
    assert cfg.layers and {layer.band for layer in cfg.layers.values()} == {"n41"}
    assert cfg.resolution_m == 400.0
