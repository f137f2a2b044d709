"""RunDir: the sectors of the checkpoints and sites.gpkg (Arrow paths, same content)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nrplan.io import rundir as rundir_mod
from nrplan.io.rundir import RunDir


def _sectors(n: int, city: str, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "network": "single",
            "city": city,
            "city_id": "620200",
            "site_id": [f"{city}-{i // 3}" for i in range(n)],
            "sector": np.arange(n) % 3,
            "azimuth_deg": rng.uniform(0, 360, n),
            "band": "n78",
            "reused": rng.random(n) < 0.3,
            "load": rng.random(n),
            "lon": rng.uniform(98.0, 99.0, n),
            "lat": rng.uniform(39.5, 40.0, n),
        }
    )


def _run(tmp_path) -> RunDir:
    return RunDir(tmp_path / "run", {"test": True})


def test_load_cities_is_the_concat_of_the_checkpoints(tmp_path):
    run = _run(tmp_path)
    frames = {
        "a_one": _sectors(7, "One", 1),
        "b_empty": pd.DataFrame(),
        "c_two": _sectors(5, "Two"),
    }
    for key, df in frames.items():
        run.write_city(key, {"key": key, "sectors": len(df)}, df)
    records, sectors = run.load_cities()
    assert [r["key"] for r in records] == list(frames)
    expected = pd.concat(
        [pd.read_parquet(run.checkpoints / f"{k}.parquet") for k in frames], ignore_index=True
    )
    pd.testing.assert_frame_equal(sectors, expected, check_exact=True)


def test_load_cities_with_different_schemas_falls_back(tmp_path):
    run = _run(tmp_path)
    one = _sectors(4, "One")
    two = _sectors(3, "Two").assign(extra=1.5)  # a column the other city lacks
    for key, df in (("a", one), ("b", two)):
        run.write_city(key, {"key": key, "sectors": len(df)}, df)
    _, sectors = run.load_cities()
    pd.testing.assert_frame_equal(sectors, pd.concat([one, two], ignore_index=True))


@pytest.mark.parametrize("nan", [False, True])
def test_sites_gpkg_arrow_path_matches_geodataframe(tmp_path, monkeypatch, nan):
    import geopandas as gpd
    import pyogrio

    sectors = _sectors(50, "One")
    if nan:
        sectors.loc[3, "lon"] = np.nan
    arrow = _run(tmp_path)
    arrow.write_sites_gpkg(sectors)
    monkeypatch.setattr(rundir_mod, "_sites_arrow_table", lambda df: None)
    plain = RunDir(tmp_path / "plain", {"test": True})
    plain.write_sites_gpkg(sectors)
    a, b = arrow.path / "sites.gpkg", plain.path / "sites.gpkg"
    info_a, info_b = pyogrio.read_info(a), pyogrio.read_info(b)
    for k in ("layer_name", "crs", "fields", "dtypes", "geometry_name", "geometry_type"):
        assert np.array_equal(info_a[k], info_b[k]), k
    assert not list(arrow.path.glob(".sites.gpkg*"))  # no temporary file left
    for read in (gpd.read_file, pyogrio.read_dataframe):
        da, db = read(a), read(b)
        assert da.crs == db.crs == "EPSG:4326"
        pd.testing.assert_frame_equal(da.drop(columns="geometry"), db.drop(columns="geometry"))
        assert list(da.geometry.to_wkb()) == list(db.geometry.to_wkb())


def test_point_wkb_is_shapelys():
    import shapely

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(-180, 180, 100), rng.uniform(-90, 90, 100)
    wkb = rundir_mod._point_wkb(lon, lat).to_pylist()
    assert wkb == list(shapely.to_wkb(shapely.points(lon, lat)))


def test_sites_gpkg_falls_back_when_the_arrow_write_fails(tmp_path, monkeypatch):
    import pyogrio

    def fail(table, path):
        path.write_bytes(b"partial")
        raise RuntimeError("no Arrow write")

    monkeypatch.setattr(rundir_mod, "_write_gpkg_arrow", fail)
    run = _run(tmp_path)
    sectors = _sectors(20, "One")
    run.write_sites_gpkg(sectors)
    back = pyogrio.read_dataframe(run.path / "sites.gpkg")
    pd.testing.assert_frame_equal(back.drop(columns="geometry"), sectors)
    assert not list(run.path.glob(".sites.gpkg*"))


def test_empty_sectors_write_no_gpkg(tmp_path):
    run = _run(tmp_path)
    run.write_sites_gpkg(pd.DataFrame())
    assert not (run.path / "sites.gpkg").exists()
