"""``nrplan plan --dem``: a flat DEM changes nothing, the run records the rasters,
a raster that misses the user's area is one line; ``plan china``: a city the
rasters do not reach is planned flat and listed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nrplan.cli import main

EX = Path(__file__).resolve().parents[2] / "examples"
SHAPE = (140, 160)


def _plan(capsys, out, *extra):
    argv = ["plan", "--area", str(EX / "area.geojson"), "--resolution", "50", "--out",
            str(out), "--json", "--no-report", *extra]  # fmt: skip
    rc = main(argv)
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    return json.loads(cap.out)


@pytest.mark.slow
def test_plan_area_flat_dem_is_the_flat_plan(capsys, tmp_path, tif):
    dem = tif(tmp_path / "dem.tif", np.full(SHAPE, 7.0, np.float32), crs="EPSG:4326",
              x0=121.44, y0=31.27, res=0.0005)  # fmt: skip
    flat = _plan(capsys, tmp_path / "flat")
    ter = _plan(capsys, tmp_path / "ter", "--dem", str(dem))
    assert ter["national"] == flat["national"]
    summary = json.loads((tmp_path / "ter" / "summary.json").read_text())
    rec = summary["terrain"]["inputs"]["dem"]
    assert rec["crs"] == "EPSG:4326" and len(rec["sha256"]) == 64
    assert summary["terrain"]["flat_cities"] == []
    cfg = json.loads((tmp_path / "ter" / "config.json").read_text())
    assert cfg["config"]["_inputs"]["terrain"]["dem"]["sha256"] == rec["sha256"]


def test_plan_area_dem_elsewhere_is_one_line(capsys, tmp_path, tif):
    dem = tif(tmp_path / "dem.tif", np.full(SHAPE, 7.0, np.float32), crs="EPSG:4326",
              x0=100.0, y0=40.0, res=0.0005)  # fmt: skip
    out = tmp_path / "never"
    rc = main(["plan", "--area", str(EX / "area.geojson"), "--out", str(out), "--dem", str(dem)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "does not overlap" in err
    assert not (out / "summary.json").exists()


@pytest.mark.slow
def test_plan_china_city_outside_the_dem_is_flat_and_listed(capsys, tmp_path, tif):
    """A DEM over Shanghai does not reach Jiayuguan: planned on flat ground,
    listed in the summary, its record says why."""
    dem = tif(tmp_path / "dem.tif", np.full(SHAPE, 7.0, np.float32), crs="EPSG:4326",
              x0=121.44, y0=31.27, res=0.0005)  # fmt: skip
    out = tmp_path / "run"
    rc = main(["plan", "china", "--cities", "嘉峪关", "--resolution", "100", "--out", str(out),
               "--json", "--no-report", "--scheduler", "serial", "--dem", str(dem)])  # fmt: skip
    assert rc == 0, capsys.readouterr().err
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["terrain"]["flat_cities"]) == 1
    rec = json.loads(next((out / "checkpoints").glob("*.json")).read_text())
    assert rec["terrain"]["model"] == "flat" and "does not overlap" in rec["terrain"]["reason"]
