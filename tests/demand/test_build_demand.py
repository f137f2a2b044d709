"""build_demand end to end: conservation, users/traffic, rasters, bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from nrplan.cli import main
from nrplan.demand import DemandParams, build_demand, write_demand_rasters
from nrplan.errors import NrplanInputError
from nrplan.geo import Region, china_region
from nrplan.morphology import NONE, RURAL

#: Issue 5: demand grids conserve population to < 0.5 %.
CONSERVATION = 0.005


@pytest.fixture(scope="module")
def beijing():
    return china_region("北京")


def test_unit_conserves_population(beijing):
    d = build_demand(beijing, 200.0, extent="region")
    assert d.population_outside_grid == 0
    assert d.total_population == pytest.approx(beijing.settlement_population, rel=CONSERVATION)
    d2 = build_demand(beijing, 100.0)  # built-up extent
    got = d2.total_population + d2.population_outside_grid
    assert got == pytest.approx(beijing.settlement_population, rel=CONSERVATION)
    assert d2.grid.size < d.grid.size * 4  # built-up grid smaller than the region's


def test_users_and_traffic_by_hand(beijing):
    d = build_demand(beijing, 200.0, year=2020)
    # 2020: users = people x 12.5 % x 1.0; DL per user = 10.35*1.237*8000/22*0.08/3600
    assert d.total_users == pytest.approx(d.total_population * 0.125, rel=1e-5)
    per_user = 10.35 * 1.237 * 8000 / 22 * 0.08 / 3600
    assert float(d.dl_mbps.sum(dtype=np.float64)) == pytest.approx(
        d.total_users * per_user, rel=1e-5
    )
    assert float(d.ul_mbps.sum(dtype=np.float64)) == pytest.approx(
        0.1 * d.total_users * per_user, rel=1e-5
    )
    d23 = build_demand(beijing, 200.0, DemandParams(operator_share=0.5), year=2023)
    assert d23.params["penetration"] == 0.466
    assert d23.total_users == pytest.approx(d23.total_population * 0.466 * 0.5, rel=1e-5)


def test_morphology_mask_and_built_up(beijing):
    d = build_demand(beijing, 200.0)
    assert d.population.dtype == np.float32 and d.morphology.dtype == np.uint8
    assert (d.morphology[~d.mask] == NONE).all()
    assert (d.morphology[d.mask] != NONE).all()
    assert not (d.built_up & ~d.mask).any()
    assert (d.morphology[d.built_up] != RURAL).all()
    t = d.totals()
    assert t["built_up_km2"] == pytest.approx(d.built_up.sum() * 0.04)
    assert sum(t["class_area_km2"].values()) == pytest.approx(t["area_km2"])


def _square_region(settlements=None):
    geom = shapely.box(116.0, 39.8, 116.4, 40.1)
    s = settlements
    if s is None:
        s = gpd.GeoDataFrame(
            {"name": ["a", "b"], "population": [300_000.0, 8_000.0]},
            geometry=[shapely.Point(116.2, 39.95), shapely.Point(116.05, 39.85)],
            crs="EPSG:4326",
        )
    return Region("square", "sq", geom, s)


def _raster(path, crs, transform, data):
    with rasterio.open(
        path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1,
        dtype="float32", crs=crs, transform=transform, nodata=-1,
    ) as dst:  # fmt: skip
        dst.write(data.astype(np.float32), 1)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_population_raster_conserved(tmp_path, crs):
    rng = np.random.default_rng(5)
    data = rng.uniform(0, 500, (40, 50))
    data[3, 4] = -1  # nodata
    if crs == "EPSG:4326":  # 0.004 deg pixels inside the square
        tr = from_origin(116.1, 40.0, 0.004, 0.004)
    else:  # 400 m web-mercator pixels around 116.2E 39.95N
        x0, y0 = 12_935_000.0, 4_860_000.0
        tr = from_origin(x0, y0, 400.0, 400.0)
    path = tmp_path / "pop.tif"
    _raster(path, crs, tr, data)
    expected = data[data >= 0].sum()
    d = build_demand(_square_region(), 100.0, population=path, extent="region")
    assert d.total_population == pytest.approx(expected, rel=CONSERVATION)
    assert set(np.unique(d.morphology[d.mask])) <= {1, 2, 3, 4}


def test_population_points_file(tmp_path):
    pts = gpd.GeoDataFrame(
        {"population": [50_000.0, 20_000.0, 1e6]},
        geometry=[shapely.Point(116.1, 39.9), shapely.Point(116.3, 40.0), shapely.Point(0, 0)],
        crs="EPSG:4326",
    )
    path = tmp_path / "pts.gpkg"
    pts.to_file(path)
    d = build_demand(_square_region(), 100.0, population=path, extent="region")
    assert d.total_population == pytest.approx(70_000, rel=CONSERVATION)  # (0, 0) is outside


def test_raster_with_no_overlap(tmp_path):
    path = tmp_path / "far.tif"
    _raster(path, "EPSG:4326", from_origin(10.0, 50.0, 0.01, 0.01), np.ones((10, 10)))
    with pytest.raises(NrplanInputError, match="overlapping"):
        build_demand(_square_region(), 100.0, population=path)


def test_raster_with_negative_population(tmp_path):
    path = tmp_path / "neg.tif"
    data = np.ones((10, 10))
    data[5, 9] = -3  # 116.19 E 39.95 N, inside the planning grid
    _raster(path, "EPSG:4326", from_origin(116.1, 40.0, 0.01, 0.01), data)
    with pytest.raises(NrplanInputError, match="negative"):
        build_demand(_square_region(), 100.0, population=path)


def test_negative_settlement_population():
    s = gpd.GeoDataFrame(
        {"name": ["x"], "population": [-10.0]},
        geometry=[shapely.Point(116.2, 39.95)],
        crs="EPSG:4326",
    )
    with pytest.raises(NrplanInputError, match="population"):
        build_demand(_square_region(s), 100.0)


def test_bad_parameters():
    r = _square_region()
    with pytest.raises(NrplanInputError, match="resolution_m"):
        build_demand(r, 0.5)
    with pytest.raises(NrplanInputError, match="year"):
        build_demand(r, 100.0, year=2030)
    with pytest.raises(NrplanInputError, match="extent"):
        build_demand(r, 100.0, extent="world")
    with pytest.raises(NrplanInputError, match="penetration"):
        build_demand(r, 100.0, DemandParams(penetration=1.5))
    with pytest.raises(NrplanInputError, match="pixels"):
        build_demand(r, 100.0, DemandParams(max_pixels=1000), extent="region")


def test_no_settlement_in_scope():
    with pytest.raises(NrplanInputError, match="coverage scope"):
        build_demand(china_region("Sansha"), 100.0)


def test_rural_density_adds_people():
    r = _square_region()
    base = build_demand(r, 200.0, extent="region")
    d = build_demand(r, 200.0, DemandParams(rural_density_per_km2=10.0), extent="region")
    rural_km2 = (base.morphology == RURAL).sum() * 0.04
    assert d.total_population - base.total_population == pytest.approx(10 * rural_km2, rel=1e-4)


def test_write_rasters(tmp_path, beijing):
    d = build_demand(beijing, 500.0)
    paths = write_demand_rasters(d, tmp_path / "bj")
    assert set(paths) == {
        "population", "users", "dl_mbps_per_km2", "ul_mbps_per_km2", "morphology", "built_up",
        "totals",
    }  # fmt: skip
    with rasterio.open(paths["population"]) as src:
        assert src.crs.to_string() == d.grid.crs
        assert np.isnan(src.nodata)
        pop = src.read(1)
        assert np.nansum(pop, dtype=np.float64) == pytest.approx(d.total_population, rel=1e-6)
    with rasterio.open(paths["dl_mbps_per_km2"]) as src:
        dl = np.nansum(src.read(1), dtype=np.float64) * d.grid.pixel_area_km2
        assert dl == pytest.approx(float(d.dl_mbps.sum(dtype=np.float64)), rel=1e-5)
    with rasterio.open(paths["morphology"]) as src:
        assert src.nodata == 0 and src.dtypes[0] == "uint8"
    totals = json.loads(paths["totals"].read_text())
    assert totals["id"] == "110000"
    assert not list((tmp_path / "bj").glob("*.part"))


def test_cli_demand(capsys, tmp_path):
    assert main(["regions", "demand", "--city", "拉萨", "--resolution", "200", "--json"]) == 0
    t = json.loads(capsys.readouterr().out)
    assert t["id"] == "540100" and t["population"] > 0
    assert main(["regions", "demand", "--city", "Lhasa", "--year", "2030"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "year" in err
