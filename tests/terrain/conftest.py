"""Synthetic GeoTIFFs for the terrain tests (written into tmp_path)."""

from __future__ import annotations

import numpy as np
import pytest


def write_tif(path, data, *, crs="EPSG:32650", x0=0.0, y0=2000.0, res=10.0, nodata=None,
              units=None):  # fmt: skip
    """Write ``data`` (2-D) as a one-band GeoTIFF with upper-left corner (x0, y0)."""
    import rasterio
    from rasterio.transform import from_origin

    data = np.asarray(data)
    profile = {
        "driver": "GTiff", "height": data.shape[0], "width": data.shape[1], "count": 1,
        "dtype": data.dtype, "transform": from_origin(x0, y0, res, res),
    }  # fmt: skip
    if crs is not None:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        if units is not None:
            dst.units = (units,)
    return path


@pytest.fixture
def tif():
    """The :func:`write_tif` helper."""
    return write_tif
