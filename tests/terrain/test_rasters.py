"""Reading DEM / clutter rasters onto the grid, and the one-line refusals."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.terrain.rasters import file_sha256, read_classes, read_heights

GRID = Grid(0.0, 2000.0, 20.0, 100, 100, "EPSG:32650")


def test_heights_bilinear_on_the_grid(tmp_path, tif):
    """A plane z = 100 + 0.01 x is reproduced exactly by bilinear resampling
    (linear in x) at the 20 m pixel centres: z(10 + 20 c) = 100.1 + 0.2 c."""
    x = 5.0 + 10.0 * np.arange(200)
    z = np.tile(100.0 + 0.01 * x, (200, 1)).astype(np.float32)
    path = tif(tmp_path / "dem.tif", z)
    h, rec = read_heights(path, GRID)
    want = 100.0 + 0.01 * (10.0 + 20.0 * np.arange(100))
    # (GDAL's bilinear kernel at the raster's edge differs: interior pixels)
    np.testing.assert_allclose(h[50, 1:-1], want[1:-1], atol=1e-3)
    assert rec["crs"] == "EPSG:32650" and rec["resolution"] == [10.0, 10.0]
    assert rec["sha256"] == file_sha256(path) and len(rec["sha256"]) == 64
    assert rec["coverage"] == 1.0


def test_heights_other_crs_and_partial_cover(tmp_path, tif):
    """A WGS84 DEM covering the west half: the east half is filled from the
    nearest covered pixel and the coverage is reported."""
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:32650", "EPSG:4326", always_xy=True)
    lon0, lat1 = tr.transform(-500.0, 2500.0)
    lon1, lat0 = tr.transform(1000.0, -500.0)
    res = 0.0001
    ny, nx = int((lat1 - lat0) / res) + 1, int((lon1 - lon0) / res) + 1
    path = tif(tmp_path / "dem4326.tif", np.full((ny, nx), 300, np.int16),
                     crs="EPSG:4326", x0=lon0, y0=lat1, res=res)  # fmt: skip
    h, rec = read_heights(path, GRID)
    assert np.all(h == 300.0)  # exactly (heights are kept to 1 mm)
    assert 0.4 < rec["coverage"] < 0.6


def _err(fn, *args, **kw) -> str:
    with pytest.raises(NrplanInputError) as ei:
        fn(*args, **kw)
    msg = str(ei.value)
    assert "\n" not in msg
    return msg


def test_refusals(tmp_path, tif):
    ok = np.full((50, 50), 10.0, np.float32)
    assert "no CRS" in _err(read_heights, tif(tmp_path / "a.tif", ok, crs=None), GRID)
    far = tif(tmp_path / "b.tif", ok, x0=500_000.0, y0=500_000.0)
    assert "does not overlap" in _err(read_heights, far, GRID)
    byte = tif(tmp_path / "c.tif", np.ones((50, 50), np.uint8))
    assert "uint8" in _err(read_heights, byte, GRID)
    nod = tif(tmp_path / "d.tif", np.full((200, 200), -9999.0, np.float32), nodata=-9999.0)
    assert "nodata" in _err(read_heights, nod, GRID)
    # a DEM of a 3,000 m plateau in feet: 9,843 ft is above Everest in metres
    feet = tif(tmp_path / "e.tif", np.full((200, 200), 9843.0, np.float32))
    assert "outside [-450, 8900] m" in _err(read_heights, feet, GRID)
    tagged = tif(tmp_path / "f.tif", ok, units="ft")
    assert "feet" in _err(read_heights, tagged, GRID)
    assert "float32" in _err(read_classes, tif(tmp_path / "g.tif", ok), GRID)
    not_raster = tmp_path / "h.tif"
    not_raster.write_text("not a raster")
    assert "raster" in _err(read_heights, not_raster, GRID)
    assert "existing" in _err(read_heights, tmp_path / "missing.tif", GRID)


def test_classes_mode_and_nodata(tmp_path, tif):
    """Classes at 10 m onto 20 m pixels: the mode of each 2 x 2 block; nodata
    stays -1."""
    c = np.full((200, 200), 50, np.uint8)
    c[:, :100] = 10
    c[0:2, 0:2] = [[10, 30], [30, 30]]  # the mode of the first block is 30
    c[100:, 150:] = 255
    path = tif(tmp_path / "lc.tif", c, nodata=255)
    cls, rec = read_classes(path, GRID)
    assert cls[0, 0] == 30 and cls[10, 10] == 10 and cls[10, 90] == 50
    assert cls[80, 90] == -1
    assert rec["coverage"] == pytest.approx(0.875)
