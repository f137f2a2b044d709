"""COG writing and reading."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.io.raster import read_raster, write_cog

GRID = Grid(350_000.0, 3_460_000.0, 20.0, 40, 30, "EPSG:32651")


def test_roundtrip_float_with_nodata(tmp_path):
    a = np.linspace(-120, -60, GRID.size, dtype=np.float32).reshape(GRID.shape)
    a[0, 0] = np.nan
    path = write_cog(tmp_path / "rsrp.tif", a, GRID, -9999.0, "SSB RSRP [dBm]", units="dBm")
    back, grid, nodata, desc = read_raster(path)
    assert grid == GRID
    assert nodata == -9999.0 and desc == "SSB RSRP [dBm]"
    assert back[0, 0] == -9999.0
    np.testing.assert_array_equal(back[1:], a[1:])
    with rasterio.open(path) as ds:
        assert ds.crs.to_epsg() == 32651
        assert ds.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
        assert ds.tags(1)["units"] == "dBm"
    assert [p.name for p in tmp_path.iterdir()] == ["rsrp.tif"]  # nothing temporary left


def test_roundtrip_int(tmp_path):
    a = np.arange(GRID.size, dtype=np.int32).reshape(GRID.shape) - 5
    back, _, nodata, _ = read_raster(write_cog(tmp_path / "b.tif", a, GRID, -1, "best server"))
    np.testing.assert_array_equal(back, a)
    assert nodata == -1


def test_wrong_shape_raises_and_writes_nothing(tmp_path):
    with pytest.raises(NrplanInputError, match="shape"):
        write_cog(tmp_path / "x.tif", np.zeros((3, 3)), GRID, 0, "x")
    assert list(tmp_path.iterdir()) == []
