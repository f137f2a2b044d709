"""Reading user rasters (DEM, DSM, clutter classes) onto the prediction grid.

Any GDAL raster in any CRS and resolution is reprojected to the prediction
grid with ``rasterio.warp.reproject``: bilinear for heights, and for classes
the mode of the source pixels when the source is finer than the grid (nearest
otherwise). Every refusal is one :class:`nrplan.errors.NrplanInputError`:

- the file is not a readable raster, or has no CRS;
- the raster does not overlap the grid;
- wrong data type: heights must be int16/uint16/int32/uint32/float32/float64
  (a byte raster cannot hold heights in metres), classes an integer type;
- every pixel over the grid is nodata;
- heights in feet (the raster's unit says so) or outside the range of the
  Earth's surface, [-450 m, 8,900 m] (Dead Sea shore -430 m, Everest 8,849 m):
  a DEM in feet over high ground, or in decimetres, lands outside it.

Grid pixels the raster does not cover (or nodata holes) take the value of the
nearest covered pixel; the covered share is reported (``coverage``).

The provenance of each raster (file, CRS, resolution, data type, sha256,
coverage) is returned for run records.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.terrain.clutter import read_clutter_mapping

__all__ = [
    "HEIGHT_RANGE_M",
    "check_overlap_lonlat",
    "describe_files",
    "describe_raster",
    "file_sha256",
    "read_classes",
    "read_heights",
]

HEIGHT_RANGE_M = (-450.0, 8900.0)
"""Plausible heights of the Earth's surface [m]: Dead Sea shore about -430 m,
Everest 8,849 m (2020 survey)."""

_HEIGHT_DTYPES = ("int16", "uint16", "int32", "uint32", "float32", "float64")
_CLASS_DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32")
_FEET = ("ft", "foot", "feet", "us survey foot", "us_survey_foot", "ftus")


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 hex digest of a file (streamed)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open(path, field: str):
    import rasterio
    from rasterio.errors import RasterioIOError

    p = Path(path)
    if not p.is_file():
        raise NrplanInputError(
            field, str(p), "an existing raster file (GeoTIFF or any GDAL raster)"
        )
    try:
        src = rasterio.open(p)
    except RasterioIOError:
        raise NrplanInputError(field, str(p), "a raster file GDAL can read") from None
    if src.crs is None:
        src.close()
        raise NrplanInputError(
            field, str(p), "a raster with a CRS", message=f"{field} {p}: the raster has no CRS"
        )
    return src


def _check_overlap(src, crs, bounds, field: str, path) -> None:
    """Refuse (one line) a raster ``src`` that does not overlap ``bounds``
    (xmin, ymin, xmax, ymax) given in ``crs``."""
    from rasterio.warp import transform_bounds

    try:
        b = transform_bounds(crs, src.crs, *bounds, densify_pts=21)
    except Exception:  # a CRS pair PROJ cannot relate: no overlap
        b = None
    sb = src.bounds
    if (
        b is None
        or not np.all(np.isfinite(b))
        or b[0] >= sb.right
        or b[2] <= sb.left
        or b[1] >= sb.top
        or b[3] <= sb.bottom
    ):
        raise NrplanInputError(
            field,
            str(path),
            "a raster that overlaps the area",
            message=f"{field} {path}: the raster does not overlap the area",
        )


def _resolution_m(src) -> float:
    """Source pixel size in metres (degrees converted at the raster's centre)."""
    xres, yres = src.res
    if src.crs.is_geographic:
        lat = 0.5 * (src.bounds.top + src.bounds.bottom)
        return float(min(xres * 111_320.0 * max(np.cos(np.radians(lat)), 1e-6), yres * 110_574.0))
    return float(min(xres, yres))


def _record(src, path, kind: str, coverage: float) -> dict[str, Any]:
    return {
        "kind": kind,
        "file": str(Path(path).resolve()),
        "crs": src.crs.to_string(),
        "resolution": [float(src.res[0]), float(src.res[1])],
        "resolution_m": _resolution_m(src),
        "dtype": str(src.dtypes[0]),
        "sha256": file_sha256(path),
        "coverage": float(coverage),
    }


def _fill_nearest(a: np.ndarray, valid: np.ndarray) -> np.ndarray:
    from scipy.ndimage import distance_transform_edt

    if valid.all():
        return a
    idx = distance_transform_edt(~valid, return_distances=False, return_indices=True)
    return a[tuple(idx)]


def read_heights(
    path: str | os.PathLike[str], grid: Grid, *, field: str = "dem", kind: str = "dem"
) -> tuple[np.ndarray, dict[str, Any]]:
    """Heights [m] of a DEM / DSM on ``grid`` (bilinear) and its provenance.

    Parameters
    ----------
    path : path
        Raster file (band 1 is read).
    grid : Grid
        Prediction grid.
    field : str
        Option name for error messages (``dem``, ``surface``).
    kind : str
        Recorded kind.

    Returns
    -------
    (ndarray of float64, dict)
        Heights on the grid (gaps filled from the nearest covered pixel) and
        the provenance record (see the module docstring).
    """
    from rasterio.enums import Resampling
    from rasterio.warp import reproject

    with _open(path, field) as src:
        dt = str(src.dtypes[0])
        if dt not in _HEIGHT_DTYPES:
            allowed = f"a height raster of type {', '.join(_HEIGHT_DTYPES)}"
            raise NrplanInputError(
                field, str(path), allowed, message=f"{field} {path}: data type {dt}; {allowed}"
            )
        unit = (src.units[0] or "").strip().lower() if src.units else ""
        if unit in _FEET:
            raise NrplanInputError(
                field, str(path), "heights in metres",
                message=f"{field} {path}: heights in feet (unit {unit}); convert them to metres",
            )  # fmt: skip
        _check_overlap(src, grid.crs, grid.bounds, field, path)
        out = np.full(grid.shape, np.nan, dtype=np.float64)
        reproject(
            source=np.ma.filled(src.read(1, masked=True).astype(np.float64), np.nan),
            destination=out,
            src_transform=src.transform,
            src_crs=src.crs,
            src_nodata=np.nan,
            dst_transform=grid.transform,
            dst_crs=grid.crs,
            dst_nodata=np.nan,
            resampling=Resampling.bilinear,
        )
        valid = np.isfinite(out)
        if not valid.any():
            raise NrplanInputError(
                field, str(path), "a raster with data over the area",
                message=f"{field} {path}: every pixel over the area is nodata",
            )  # fmt: skip
        lo, hi = float(out[valid].min()), float(out[valid].max())
        if lo < HEIGHT_RANGE_M[0] or hi > HEIGHT_RANGE_M[1]:
            raise NrplanInputError(
                field,
                str(path),
                f"heights within [{HEIGHT_RANGE_M[0]:g}, {HEIGHT_RANGE_M[1]:g}] m",
                message=(
                    f"{field} {path}: heights {lo:.0f} to {hi:.0f} are outside "
                    f"[{HEIGHT_RANGE_M[0]:g}, {HEIGHT_RANGE_M[1]:g}] m (a DEM in feet or "
                    "another unit? heights must be metres)"
                ),
            )
        rec = _record(src, path, kind, float(valid.mean()))
    # 1 mm steps: the resampling weights of a constant raster do not sum to
    # exactly 1, and a plateau must stay exactly flat
    return np.round(_fill_nearest(out, valid), 3), rec


def read_classes(
    path: str | os.PathLike[str], grid: Grid, *, field: str = "clutter"
) -> tuple[np.ndarray, dict[str, Any]]:
    """Class codes of a land-use raster on ``grid`` (mode / nearest; -1 = nodata).

    Returns
    -------
    (ndarray of int32, dict)
        Codes on the grid (-1 where the raster has nodata or does not reach)
        and the provenance record.
    """
    from rasterio.enums import Resampling
    from rasterio.warp import reproject

    with _open(path, field) as src:
        dt = str(src.dtypes[0])
        if dt not in _CLASS_DTYPES:
            allowed = f"a class raster of type {', '.join(_CLASS_DTYPES)}"
            raise NrplanInputError(
                field, str(path), allowed, message=f"{field} {path}: data type {dt}; {allowed}"
            )
        _check_overlap(src, grid.crs, grid.bounds, field, path)
        data = src.read(1).astype(np.int32)
        if src.nodata is not None:
            data[data == int(src.nodata)] = -1
        out = np.full(grid.shape, -1, dtype=np.int32)
        finer = _resolution_m(src) < grid.pixel_m / 1.5
        reproject(
            source=data,
            destination=out,
            src_transform=src.transform,
            src_crs=src.crs,
            src_nodata=-1,
            dst_transform=grid.transform,
            dst_crs=grid.crs,
            dst_nodata=-1,
            resampling=Resampling.mode if finer else Resampling.nearest,
        )
        valid = out >= 0
        if not valid.any():
            raise NrplanInputError(
                field, str(path), "a raster with data over the area",
                message=f"{field} {path}: every pixel over the area is nodata",
            )  # fmt: skip
        rec = _record(src, path, "clutter", float(valid.mean()))
    return out, rec


def describe_raster(path: str | os.PathLike[str], field: str, kind: str) -> dict[str, Any]:
    """Provenance of a raster from its header (file, CRS, resolution, data type,
    sha256); refuses an unreadable file or one without a CRS."""
    with _open(path, field) as src:
        return {k: v for k, v in _record(src, path, kind, float("nan")).items() if k != "coverage"}


def describe_files(files) -> dict[str, Any]:
    """Provenance of every file of a :class:`nrplan.terrain.TerrainFiles`."""
    out: dict[str, Any] = {}
    for kind in ("dem", "surface", "clutter"):
        path = getattr(files, kind)
        if path is not None:
            out[kind] = describe_raster(path, kind, kind)
    if files.clutter is not None:
        m = read_clutter_mapping(files.clutter_map)
        out["clutter_map"] = {
            "file": m.path,
            "scheme": m.scheme,
            "sha256": file_sha256(m.path) if files.clutter_map is not None else None,
        }
    out["clutter_loss"] = bool(files.clutter_loss)
    return out


def check_overlap_lonlat(files, bounds: tuple[float, float, float, float]) -> None:
    """Refuse (one line) a raster of ``files`` that does not overlap the WGS84
    bounds ``(lon_min, lat_min, lon_max, lat_max)`` of a planning area."""
    for kind in ("dem", "surface", "clutter"):
        path = getattr(files, kind)
        if path is None:
            continue
        with _open(path, kind) as src:
            _check_overlap(src, "EPSG:4326", bounds, kind, path)
