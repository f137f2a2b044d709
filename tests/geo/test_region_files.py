"""Regions from user files: any CRS, multipolygons, repair, bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from nrplan.cli import main
from nrplan.errors import NrplanInputError
from nrplan.geo import read_population_points, region_from_file, regions_from_file


def _write(tmp_path, fname, geoms, crs="EPSG:4326", **cols):
    path = tmp_path / fname
    gdf = gpd.GeoDataFrame(cols or None, geometry=list(geoms), crs=crs)
    gdf.to_file(path)
    return path


def test_region_from_geojson_in_web_mercator(tmp_path):
    box = shapely.box(116.2, 39.8, 116.5, 40.0)
    merc = gpd.GeoSeries([box], crs="EPSG:4326").to_crs("EPSG:3857")
    path = _write(tmp_path, "bj.geojson", merc, crs="EPSG:3857")
    r = region_from_file(path)
    assert r.geometry.bounds == pytest.approx(box.bounds, abs=1e-7)
    assert r.crs == "EPSG:32650"
    # 0.3 deg x 0.2 deg at 39.9 N: 0.3*111.32*cos(39.9 deg) * 0.2*111.0 ~ 569 km^2
    assert r.area_km2 == pytest.approx(0.3 * 111.32 * 0.7672 * 0.2 * 111.0, rel=0.01)
    # the embedded settlements inside (Beijing's centre) come with it
    assert r.settlement_population > 1e6


def test_multipolygon_and_several_features(tmp_path):
    a = shapely.box(0, 0, 0.1, 0.1)
    b = shapely.box(1, 1, 1.1, 1.1)
    path = _write(tmp_path, "two.gpkg", [a, b], name=["a", "b"])
    r = region_from_file(path)
    assert r.geometry.geom_type == "MultiPolygon"
    regs = regions_from_file(path, name_field="name")
    assert [x.name for x in regs] == ["a", "b"]
    assert len(r.settlements) == 0  # outside China: no embedded settlements


def test_invalid_geometry_repaired(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not bowtie.is_valid
    path = _write(tmp_path, "bowtie.geojson", [bowtie])
    r = region_from_file(path)
    assert r.geometry.is_valid
    assert r.geometry.area == pytest.approx(0.5)


def test_unrepairable_feature_is_named(tmp_path):
    path = tmp_path / "flat.geojson"
    flat = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]}
    good = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "ok"}, "geometry": good},
            {"type": "Feature", "properties": {"name": "flat"}, "geometry": flat},
        ],
    }
    path.write_text(json.dumps(fc))
    with pytest.raises(NrplanInputError, match=r"feature 1 \(flat\)"):
        region_from_file(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(NrplanInputError, match="at least one feature"):
        region_from_file(path)


def test_no_polygon(tmp_path):
    path = _write(tmp_path, "pts.geojson", [shapely.Point(116, 40)])
    with pytest.raises(NrplanInputError, match="Polygon or MultiPolygon"):
        region_from_file(path)


def test_wrong_crs(tmp_path):
    # metres written under a geographic CRS
    path = _write(tmp_path, "wrong.geojson", [shapely.box(4e5, 4.4e6, 4.1e5, 4.41e6)])
    with pytest.raises(NrplanInputError, match="CRS"):
        region_from_file(path)


def test_missing_crs_with_metric_coordinates(tmp_path):
    path = _write(tmp_path, "nocrs.shp", [shapely.box(4e5, 4.4e6, 4.1e5, 4.41e6)], crs=None)
    with pytest.raises(NrplanInputError, match="no CRS"):
        region_from_file(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(NrplanInputError, match="existing file"):
        region_from_file(tmp_path / "nope.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json")
    with pytest.raises(NrplanInputError, match="readable"):
        region_from_file(bad)


def test_population_points(tmp_path):
    path = _write(
        tmp_path, "p.geojson", [shapely.Point(116, 40), shapely.Point(116.1, 40)], pop=[10, 20]
    )
    pts = read_population_points(path)
    assert pts["population"].tolist() == [10.0, 20.0]
    neg = _write(tmp_path, "n.geojson", [shapely.Point(116, 40)], population=[-5])
    with pytest.raises(NrplanInputError, match=">= 0"):
        read_population_points(neg)
    nocol = _write(tmp_path, "c.geojson", [shapely.Point(116, 40)], people=[5])
    with pytest.raises(NrplanInputError, match="people"):
        read_population_points(nocol)


def test_cli_bad_area_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    assert main(["regions", "demand", "--area", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least one feature" in err
