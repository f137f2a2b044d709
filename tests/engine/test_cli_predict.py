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


def test_existing_out_dir_of_a_predict_run_is_replaced_another_run_refused(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(_args(out)) == 0  # a first predict run
    first = json.loads((out / "stats.json").read_text())
    assert main(_args(out)) == 0  # the same directory again: its own files replaced
    again = json.loads((out / "stats.json").read_text())
    assert again["coverage_pct"] == first["coverage_pct"]
    capsys.readouterr()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    assert main(_args(other)) == 2  # another run's files are never mixed in
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "keep.txt" in err
    assert {p.name for p in other.iterdir()} == {"keep.txt"}
    assert (other / "keep.txt").read_text() == "x"


@pytest.mark.parametrize("azimuth", [0.0, 90.0])
def test_sector_azimuth_is_a_true_bearing(tmp_path, capsys, azimuth):
    """A sector at 113.5 E, 40 N (2.5 deg east of UTM zone 49's central meridian,
    where grid north is 1.6 deg east of true north) with ``azimuth_deg`` 0 in
    sites.csv radiates to true north.

    The "element" antenna with no tilt has the horizontal pattern
    -12 (phi / 65)^2 dB, exactly quadratic in the bearing offset, on top of a
    path loss that depends on the distance only: a least-squares fit of
    ``RSRP ~ a + b d + c t + e t^2`` (t the geodesic true bearing of each pixel
    from the site, by pyproj.Geod.inv) over the pixels 2.5-3.5 km away within
    30 deg of the boresight gives the boresight's true bearing -c / (2 e). (The
    single strongest pixel of a thin ring is no good: its path loss changes far
    more across a pixel than the pattern does over tenths of a degree.) Before
    true bearings were turned into grid azimuths the peak was at +1.608 deg.
    """
    from pyproj import Geod, Transformer

    lon0, lat0, half = 113.5, 40.0, 0.05
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "site_id,lon,lat,height_m,azimuth_deg,mech_tilt_deg,elec_tilt_deg,band,power_dbm,antenna\n"
        f"S1,{lon0},{lat0},30,{azimuth},0,0,n78,53,element\n"
    )
    ring = [[lon0 - half, lat0 - half], [lon0 + half, lat0 - half], [lon0 + half, lat0 + half],
            [lon0 - half, lat0 + half], [lon0 - half, lat0 - half]]  # fmt: skip
    area = tmp_path / "area.geojson"
    feature = {"type": "Feature", "properties": {},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    area.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out = tmp_path / "run"
    argv = ["predict", "--sites", str(sites), "--area", str(area), "--resolution", "20",
            "--out", str(out), "--json"]  # fmt: skip
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["crs"] == "EPSG:32649"
    with rasterio.open(out / "rsrp.tif") as ds:
        rsrp = ds.read(1).astype(float)
        t, crs, nodata = ds.transform, ds.crs.to_string(), ds.nodata
    rows, cols = np.mgrid[0 : rsrp.shape[0], 0 : rsrp.shape[1]]
    x = t.c + (cols.ravel() + 0.5) * t.a
    y = t.f + (rows.ravel() + 0.5) * t.e
    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    n = lon.size
    bearing, _, dist = Geod(ellps="WGS84").inv(np.full(n, lon0), np.full(n, lat0), lon, lat)
    off = (bearing - azimuth + 180.0) % 360.0 - 180.0
    v = rsrp.ravel()
    sel = (dist > 2500.0) & (dist < 3500.0) & (np.abs(off) < 30.0) & (v != nodata)
    assert sel.sum() > 5000
    a = np.column_stack([np.ones(sel.sum()), dist[sel], off[sel], off[sel] ** 2])
    coef, *_ = np.linalg.lstsq(a, v[sel], rcond=None)
    assert coef[3] == pytest.approx(-12.0 / 65.0**2, rel=0.01)  # the pattern's curvature
    peak = -coef[2] / (2.0 * coef[3])  # true bearing of the boresight - azimuth [deg]
    assert abs(peak) < 0.2
