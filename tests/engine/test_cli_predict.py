"""``nrplan predict`` end to end, and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio

from nrplan.cli import main

EX = Path(__file__).resolve().parents[2] / "examples"


def _args(out, *extra):
    return ["predict", "--sites", str(EX / "sites.csv"), "--area", str(EX / "area.geojson"),
            "--resolution", "40", "--out", str(out), *extra]  # fmt: skip


def test_predict_writes_cogs_and_stats(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*_args(out, "--seed", "3"), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in out.iterdir()) == sorted(stats["files"])
    assert stats["seed"] == 3 and stats["los_mode"] == "expected"
    assert 0.0 <= stats["coverage_pct"] <= 100.0
    assert stats["rsrp_dbm"]["p5"] <= stats["rsrp_dbm"]["p50"] <= stats["rsrp_dbm"]["p95"]
    assert 5.0 < stats["area_km2"] < 8.0 and stats["crs"] == "EPSG:32651"
    with rasterio.open(out / "best_server.tif") as ds:
        bs = ds.read(1)
        assert ds.nodata == -1 and ds.crs.to_epsg() == 32651
        assert bs.max() < stats["sectors"] and (bs >= 0).any()
    with rasterio.open(out / "sinr.tif") as ds:
        assert ds.descriptions[0].startswith("DL SINR")
        assert ds.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_predict_table_output(tmp_path, capsys):
    assert main(_args(tmp_path / "r")) == 0
    assert "coverage" in capsys.readouterr().out


def _bad(tmp_path, capsys, argv):
    out = tmp_path / "never"
    code = main(argv(out))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("nrplan: error:")
    assert not out.exists()
    assert list(tmp_path.glob(".never*")) == []
    return err


def test_missing_column_is_one_line(tmp_path, capsys):
    p = tmp_path / "s.csv"
    p.write_text("site_id,lon,lat\nA,121.4,31.2\n")
    err = _bad(tmp_path, capsys, lambda o: ["predict", "--sites", str(p), "--area",
               str(EX / "area.geojson"), "--out", str(o)])  # fmt: skip
    assert "height_m" in err


def test_lon_out_of_range(tmp_path, capsys):
    text = (EX / "sites.csv").read_text().splitlines()
    text[1] = text[1].replace("121.46000", "200.0")
    p = tmp_path / "s.csv"
    p.write_text("\n".join(text) + "\n")
    err = _bad(tmp_path, capsys, lambda o: ["predict", "--sites", str(p), "--area",
               str(EX / "area.geojson"), "--out", str(o)])  # fmt: skip
    assert "lon (row 1)" in err


def test_area_not_a_polygon(tmp_path, capsys):
    p = tmp_path / "pt.geojson"
    p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                 '"properties": {}, "geometry": {"type": "Point", '
                 '"coordinates": [121.47, 31.23]}}]}')  # fmt: skip
    err = _bad(tmp_path, capsys, lambda o: ["predict", "--sites", str(EX / "sites.csv"),
               "--area", str(p), "--out", str(o)])  # fmt: skip
    assert "Polygon" in err


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        (["--resolution", "1", "--max-memory-gb", "0.05"], "memory"),
        (["--band", "n41"], "band"),
        (["--resolution", "0"], "resolution"),
        (["--load", "2"], "load"),
    ],
)
def test_bad_options(tmp_path, capsys, extra, word):
    def argv(o):
        a = _args(o)
        i = a.index("--resolution")
        del a[i : i + 2]
        return a + (extra if "--resolution" in extra else ["--resolution", "40", *extra])

    assert word in _bad(tmp_path, capsys, argv)


def test_area_smaller_than_a_pixel(tmp_path, capsys):
    p = tmp_path / "tiny.geojson"
    p.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", '
                 '"properties": {}, "geometry": {"type": "Polygon", "coordinates": '
                 '[[[121.47, 31.23], [121.47001, 31.23], [121.47001, 31.23001], '
                 '[121.47, 31.23]]]}}]}')  # fmt: skip
    _bad(tmp_path, capsys, lambda o: ["predict", "--sites", str(EX / "sites.csv"), "--area",
         str(p), "--resolution", "100", "--out", str(o)])  # fmt: skip


def test_existing_out_dir_gets_files_replaced(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert main(_args(out)) == 0
    names = {p.name for p in out.iterdir()}
    assert {"keep.txt", "rsrp.tif", "stats.json"} <= names
    assert np.isfinite(json.loads((out / "stats.json").read_text())["coverage_pct"])
