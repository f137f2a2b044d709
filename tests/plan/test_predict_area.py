"""Area prediction as a library call (``nrplan predict`` calls it), the one polygon
reader and the existing-site reader."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from nrplan.errors import NrplanInputError
from nrplan.geo.region import read_area_polygon, region_from_file
from nrplan.io.sites import read_site_positions, read_sites
from nrplan.plan.predict_area import PREDICT_FILES, predict_area, write_area_prediction

EX = Path(__file__).resolve().parents[2] / "examples"


def test_predict_area_in_memory_then_written(tmp_path):
    geom = read_area_polygon(EX / "area.geojson")
    res = predict_area(read_sites(EX / "sites.csv"), geom, 60.0, seed=3)
    stats = res.stats
    assert res.prediction.sinr_db.shape == res.grid.shape == tuple(stats["shape"])
    assert stats["seed"] == 3 and stats["resolution_m"] == 60.0
    assert stats["pixels_in_area"] <= res.grid.nrows * res.grid.ncols
    assert set(stats["timings_s"]) == {"read", "predict"}
    # the same call from the files gives the same rasters (same seed)
    again = predict_area(EX / "sites.csv", EX / "area.geojson", 60.0, seed=3)
    np.testing.assert_array_equal(again.prediction.best_server, res.prediction.best_server)
    out = tmp_path / "run"
    written = write_area_prediction(res, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(PREDICT_FILES)
    assert json.loads((out / "stats.json").read_text())["sectors"] == written["sectors"]
    assert set(written["timings_s"]) == {"read", "predict", "write", "total"}


def test_predict_area_refuses_an_area_without_a_pixel(tmp_path):
    tiny = shapely.Point(121.47, 31.23).buffer(1e-5)  # ~1 m radius, no 60 m pixel centre
    with pytest.raises(NrplanInputError, match="pixel centre"):
        predict_area(EX / "sites.csv", tiny, 60.0)
    with pytest.raises(NrplanInputError, match="band"):
        predict_area(EX / "sites.csv", EX / "area.geojson", 60.0, band="n41")


def test_one_polygon_reader(tmp_path):
    geom = read_area_polygon(EX / "area.geojson")
    assert geom.geom_type in ("Polygon", "MultiPolygon")
    assert region_from_file(EX / "area.geojson").geometry.equals(geom)
    line = tmp_path / "line.geojson"
    line.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "LineString", "coordinates": [[121, 31], [122, 32]]},
                    }
                ],
            }
        )
    )
    with pytest.raises(NrplanInputError, match="Polygon or MultiPolygon"):
        read_area_polygon(line)
    with pytest.raises(NrplanInputError, match="existing"):
        read_area_polygon(tmp_path / "none.geojson")


def test_read_site_positions(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("name,lon,lat\nA,121.4,31.2\nB,121.5,31.3\n")
    np.testing.assert_array_equal(read_site_positions(p), [[121.4, 31.2], [121.5, 31.3]])
    p.write_text("lon,lat\n121.4,31.2\n200,31.3\n")
    with pytest.raises(NrplanInputError, match="row 3") as exc:  # header is row 1
        read_site_positions(p, field="--sites")
    assert str(exc.value).startswith("--sites ")
    p.write_text("x,lat\n1,2\n")
    with pytest.raises(NrplanInputError, match="missing column"):
        read_site_positions(p)
    with pytest.raises(NrplanInputError, match="existing CSV"):
        read_site_positions(tmp_path / "none.csv")
