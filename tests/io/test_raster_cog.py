"""The COG layout of write_cog: tiles, DEFLATE (+ predictor for floats), overviews."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from nrplan.grid import Grid
from nrplan.io.raster import read_raster, write_cog

GRID = Grid(418_800.0, 4_447_300.0, 100.0, 593, 594, "EPSG:32650")


@pytest.mark.parametrize(
    ("dtype", "nodata", "predictor"), [(np.float32, np.nan, "3"), (np.int32, -1, None)]
)
def test_city_sized_cog(tmp_path, dtype, nodata, predictor):
    rng = np.random.default_rng(0)
    a = (
        rng.normal(-90, 10, GRID.shape)
        if dtype is np.float32
        else rng.integers(-1, 900, GRID.shape)
    )
    a = a.astype(dtype)
    if dtype is np.float32:
        a[:10] = np.nan
    path = write_cog(tmp_path / "x.tif", a, GRID, nodata, "a band")
    back, grid, nd, desc = read_raster(path)
    assert grid == GRID and desc == "a band"
    assert nd == nodata or (np.isnan(nd) and np.isnan(nodata))
    np.testing.assert_array_equal(back, a)
    with rasterio.open(path) as ds:
        ims = ds.tags(ns="IMAGE_STRUCTURE")
        assert ims.get("LAYOUT") == "COG" and ims.get("COMPRESSION") == "DEFLATE"
        assert ims.get("PREDICTOR") == predictor
        assert ds.block_shapes == [(256, 256)]
        assert ds.overviews(1) == [2, 4]  # down to less than a 256-pixel block
