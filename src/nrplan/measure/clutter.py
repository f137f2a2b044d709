"""Morphology class of each measurement from a land-use (clutter) raster.

The same class raster and mapping as ``nrplan predict --clutter``
(:func:`nrplan.terrain.clutter.read_clutter_mapping`: by default the ESA
WorldCover 10 m v200 legend mapped to nrplan morphology classes, see
``src/nrplan/data/clutter_worldcover.toml``), sampled at each point (nearest
pixel). A point where the raster has no data, or which it does not reach,
keeps the class of its ``morphology`` column or ``--scenario``; a class code
missing from the mapping, or mapped to no morphology (0), makes the row
unusable (``bad_morphology``).
"""

from __future__ import annotations

import os

import numpy as np

from nrplan.errors import NrplanInputError
from nrplan.geo.projection import WGS84, transformer
from nrplan.measure.modelfile import file_sha256
from nrplan.terrain.clutter import read_clutter_mapping

__all__ = ["NO_CLASS", "UNKNOWN_CLASS", "clutter_codes"]

NO_CLASS = -1
"""The raster has no class at the point (nodata or outside)."""
UNKNOWN_CLASS = -2
"""A class the mapping does not know, or one mapped to no morphology."""


def clutter_codes(
    path: str | os.PathLike[str],
    lon,
    lat,
    mapping_path: str | os.PathLike[str] | None = None,
) -> tuple[np.ndarray, dict]:
    """Morphology code per point (:data:`NO_CLASS`, :data:`UNKNOWN_CLASS` as above).

    Returns
    -------
    (ndarray of int64, dict)
        Codes and a provenance record (file, SHA-256, mapping, points with a class).

    Raises
    ------
    NrplanInputError
        Missing or unreadable raster, no CRS, not a class (integer) raster.
    """
    import rasterio
    from rasterio.errors import RasterioIOError

    mapping = read_clutter_mapping(mapping_path)
    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    out = np.full(lon.size, NO_CLASS, dtype=np.int64)
    try:
        src = rasterio.open(path)
    except RasterioIOError:
        raise NrplanInputError("--clutter", str(path), "a raster file GDAL can read") from None
    with src:
        if src.crs is None:
            raise NrplanInputError("--clutter", str(path), "a raster with a CRS")
        if not np.issubdtype(np.dtype(src.dtypes[0]), np.integer):
            raise NrplanInputError("--clutter", str(path), "a class raster of an integer type")
        ok = np.isfinite(lon) & np.isfinite(lat)
        x, y = transformer(WGS84, src.crs.to_string()).transform(lon[ok], lat[ok])
        inv = ~src.transform
        col, row = inv @ (np.asarray(x, float), np.asarray(y, float))
        row = np.floor(row).astype(np.int64)
        col = np.floor(col).astype(np.int64)
        inside = (row >= 0) & (row < src.height) & (col >= 0) & (col < src.width)
        vals = np.full(row.size, NO_CLASS, dtype=np.int64)
        if inside.any():
            r0, r1 = int(row[inside].min()), int(row[inside].max()) + 1
            c0, c1 = int(col[inside].min()), int(col[inside].max()) + 1
            win = rasterio.windows.Window(c0, r0, c1 - c0, r1 - r0)
            data = src.read(1, window=win).astype(np.int64)
            vals[inside] = data[row[inside] - r0, col[inside] - c0]
            if src.nodata is not None:
                vals[inside & (vals == int(src.nodata))] = NO_CLASS
        morph = np.full(vals.size, NO_CLASS, dtype=np.int64)
        for c in np.unique(vals[vals != NO_CLASS]):
            cc = mapping.classes.get(int(c))
            morph[vals == c] = cc.morphology if cc is not None and cc.morphology else UNKNOWN_CLASS
        out[np.flatnonzero(ok)] = morph
    rec = {
        "file": str(path), "sha256": file_sha256(path), "mapping": mapping.path,
        "scheme": mapping.scheme, "points_with_class": int((out >= 1).sum()),
    }  # fmt: skip
    return out, rec
