"""Cloud-Optimized GeoTIFF writing and reading (rasterio / GDAL "COG" driver).

Rasters are written atomically (temporary name beside the target, then rename),
with CRS, geotransform, nodata and a band description set, DEFLATE-compressed
and tiled with overviews, so GDAL, QGIS and rasterio read them directly.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.io.atomic import atomic_path

__all__ = ["read_raster", "write_cog"]


def write_cog(
    path: str | os.PathLike[str],
    array: np.ndarray,
    grid: Grid,
    nodata: float | int | None,
    description: str,
    *,
    units: str | None = None,
) -> Path:
    """Write one band as a Cloud-Optimized GeoTIFF.

    Parameters
    ----------
    path : path-like
        Target file (``.tif``).
    array : ndarray, shape ``grid.shape``
        Values; NaN is replaced by ``nodata`` for float arrays.
    grid : Grid
        Georeferencing (CRS, origin, pixel size).
    nodata : float or int or None
        Nodata value written in the file's metadata.
    description : str
        Band description (e.g. ``"SSB RSRP [dBm]"``).
    units : str, optional
        Band unit (GDAL band metadata).

    Returns
    -------
    Path
        The written file.
    """
    import rasterio
    from rasterio.io import MemoryFile
    from rasterio.shutil import copy as rio_copy

    arr = np.asarray(array)
    if arr.shape != grid.shape:
        raise NrplanInputError("array", arr.shape, f"shape {grid.shape} of the grid")
    if np.issubdtype(arr.dtype, np.floating) and nodata is not None and not np.isnan(nodata):
        arr = np.where(np.isnan(arr), nodata, arr).astype(arr.dtype)
    profile = {
        "driver": "GTiff",
        "height": grid.nrows,
        "width": grid.ncols,
        "count": 1,
        "dtype": arr.dtype.name,
        "crs": rasterio.crs.CRS.from_user_input(grid.crs),
        "transform": grid.transform,
        "nodata": nodata,
    }
    final = Path(path)
    with MemoryFile() as mem:
        with mem.open(**profile) as ds:
            ds.write(arr, 1)
            ds.set_band_description(1, description)
            if units:
                ds.update_tags(1, units=units)
        with mem.open() as src, atomic_path(final) as tmp:
            rio_copy(
                src,
                str(tmp),
                driver="COG",
                compress="DEFLATE",
                # DEFLATE level 1 instead of GDAL's 6: ~20 % less CPU for files
                # ~2 % larger (the same pixels); the parent writes these while
                # the workers plan, so every CPU second it saves is theirs
                level=1,
                predictor="YES" if np.issubdtype(arr.dtype, np.floating) else "NO",
                blocksize=256,
                overview_resampling="NEAREST",
            )
    return final


def read_raster(path: str | os.PathLike[str]) -> tuple[np.ndarray, Grid, float | None, str]:
    """Read band 1 of a raster written by :func:`write_cog`.

    Returns
    -------
    array : ndarray
        Values (nodata kept as stored).
    grid : Grid
        Its grid (north-up transforms only).
    nodata : float or None
        Nodata value.
    description : str
        Band description ("" if none).
    """
    import rasterio

    with rasterio.open(path) as ds:
        t = ds.transform
        if t.b != 0 or t.d != 0 or abs(t.a) != abs(t.e) or t.e >= 0:
            raise NrplanInputError("raster", str(path), "a north-up raster with square pixels")
        grid = Grid(t.c, t.f, t.a, ds.height, ds.width, ds.crs.to_string())
        return ds.read(1), grid, ds.nodata, ds.descriptions[0] or ""
