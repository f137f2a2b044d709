"""``nrplan predict --dem/--surface/--clutter``: records, no-op rasters, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nrplan.cli import main

EX = Path(__file__).resolve().parents[2] / "examples"
# examples/area.geojson spans lon 121.462-121.4925, lat 31.2215-31.2455: rasters in
# WGS84 over lon 121.44-121.52, lat 31.20-31.27 at 0.0005 deg (about 50 m)
LON0, LAT1, RES = 121.44, 31.27, 0.0005
SHAPE = (140, 160)


def _args(out, *extra):
    return ["predict", "--sites", str(EX / "sites.csv"), "--area", str(EX / "area.geojson"),
            "--resolution", "40", "--out", str(out), "--json", *extra]  # fmt: skip


def _raster(tif, path, data, **kw):
    kw.setdefault("crs", "EPSG:4326")
    return str(tif(path, data, x0=LON0, y0=LAT1, res=RES, **kw))


def _run(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_flat_dem_and_matching_clutter_give_the_flat_run(tmp_path, capsys, tif):
    """A 4 m flat DEM and a clutter map of WorldCover built-up (50 -> urban, the
    default --scenario) give the flat run's figures; the run records the files."""
    flat = _run(capsys, _args(tmp_path / "flat"))
    dem = _raster(tif, tmp_path / "dem.tif", np.full(SHAPE, 4.0, np.float32))
    lc = _raster(tif, tmp_path / "lc.tif", np.full(SHAPE, 50, np.uint8))
    ter = _run(capsys, _args(tmp_path / "ter", "--dem", dem, "--clutter", lc))
    for k in ("rsrp_dbm", "sinr_db", "dl_mbps", "coverage_pct"):
        assert ter[k] == flat[k], k
    src = {s["kind"]: s for s in ter["terrain"]["sources"]}
    assert set(src) == {"dem", "clutter"}
    assert src["dem"]["crs"] == "EPSG:4326" and src["dem"]["resolution"] == [RES, RES]
    assert len(src["dem"]["sha256"]) == 64 and src["clutter"]["scheme"].startswith("ESA")


def test_hills_change_the_prediction(tmp_path, capsys, tif):
    yy, xx = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    hills = (40.0 + 35.0 * np.sin(xx / 6.0) * np.cos(yy / 5.0)).astype(np.float32)
    flat = _run(capsys, _args(tmp_path / "flat"))
    dem = _raster(tif, tmp_path / "dem.tif", hills)
    ter = _run(capsys, _args(tmp_path / "ter", "--dem", dem))
    assert ter["rsrp_dbm"]["p50"] != flat["rsrp_dbm"]["p50"]


@pytest.mark.parametrize(
    ("name", "make", "needle"),
    [
        ("nocrs", lambda: (np.full(SHAPE, 4.0, np.float32), {"crs": None}), "no CRS"),
        ("far", lambda: (np.full(SHAPE, 4.0, np.float32), {"crs": "EPSG:32633"}),
         "does not overlap"),
        ("byte", lambda: (np.full(SHAPE, 4, np.uint8), {}), "data type uint8"),
        ("nodata", lambda: (np.full(SHAPE, -1.0, np.float32), {"nodata": -1.0}), "nodata"),
        ("feet", lambda: (np.full(SHAPE, 29_000.0, np.float32), {}), "feet"),
    ],
)  # fmt: skip
def test_bad_dem_is_one_line_exit_2(tmp_path, capsys, tif, name, make, needle):
    data, kw = make()
    dem = _raster(tif, tmp_path / f"{name}.tif", data, **kw)
    out = tmp_path / "never"
    code = main(_args(out, "--dem", dem))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("nrplan: error:") and needle in err
    assert not out.exists()


def test_bad_clutter_options_are_one_line(tmp_path, capsys, tif):
    lc = _raster(tif, tmp_path / "lc.tif", np.full(SHAPE, 7, np.uint8))  # 7: not WorldCover
    for extra, needle in (
        (["--clutter", lc], "clutter=7"),
        (["--surface", lc], "--dem"),
        (["--clutter-loss"], "--clutter"),
    ):
        code = main(_args(tmp_path / "never", *extra))
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1 and needle in err, err


@pytest.mark.slow
def test_private_mine_over_a_pit(tmp_path, capsys, tif):
    """``nrplan private`` with a DEM: the plan measured by the engine over the
    terrain (an open pit 60 m deep) is reported beside the flat cross-check."""
    ex = Path(__file__).resolve().parents[2] / "examples" / "private"
    lon0, lat1, res = 111.23, 39.79, 0.0002  # covers the mine's 111.238-111.266, 39.765-39.783
    yy, xx = np.mgrid[0:150, 0:220]
    pit = -60.0 * np.exp(-(((xx - 110) / 40.0) ** 2 + ((yy - 70) / 30.0) ** 2))
    dem = tif(tmp_path / "pit.tif", (1200.0 + pit).astype(np.float32), crs="EPSG:4326",
              x0=lon0, y0=lat1, res=res)  # fmt: skip
    rc = main(["private", "--area", str(ex / "mine.geojson"), "--profile", "mine",
               "--out", str(tmp_path / "run"), "--json", "--resolution", "10",
               "--dem", str(dem)])  # fmt: skip
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    s = json.loads(cap.out)
    t = s["engine_check_terrain"]
    # the mine profile's units are omni: measured, not skipped
    assert t["sources"][0]["kind"] == "dem" and t["sources"][0]["coverage"] == 1.0
    assert t["classes"] and t["agreement"]
