"""Reading a drive-test file (CSV, GeoPackage, GeoJSON) into canonical columns.

The result has one row per file row and the canonical columns of
:mod:`nrplan.measure.columns` that the file has, plus ``lon``/``lat`` [deg,
WGS84] for every row (NaN where the position is missing or cannot be
projected). Values are not checked here (see :mod:`nrplan.measure.clean`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from nrplan.errors import NrplanInputError
from nrplan.geo.projection import WGS84, transformer
from nrplan.io.toml import read_toml
from nrplan.measure.columns import resolve_columns

__all__ = ["MEASUREMENT_SUFFIXES", "read_column_mapping", "read_measurements"]

MEASUREMENT_SUFFIXES = (".csv", ".gpkg", ".geojson", ".json")


def read_column_mapping(path: str | os.PathLike[str]) -> tuple[dict[str, str], str | None]:
    """Read a column-mapping TOML: ``crs = "EPSG:..."`` and a ``[columns]`` table.

    Example::

        crs = "EPSG:32650"          # of x/y columns (lon/lat need none)
        [columns]
        rsrp_dbm = "My RSRP (dBm)"
        cell_id = "Serving cell"
    """

    doc = read_toml(path, "--columns")
    unknown = sorted(set(doc) - {"crs", "columns"})
    if unknown:
        raise NrplanInputError("--columns key", unknown[0], "crs, columns")
    cols = doc.get("columns", {})
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise NrplanInputError("--columns [columns]", cols, 'a table canonical = "Header"')
    crs = doc.get("crs")
    if crs is not None and not isinstance(crs, str):
        raise NrplanInputError("--columns crs", crs, 'a CRS string such as "EPSG:32650"')
    return dict(cols), crs


def _read_table(path: Path) -> tuple[pd.DataFrame, object]:
    """The file's attribute table and (for vector files) its point geometry."""
    suffix = path.suffix.lower()
    if suffix not in MEASUREMENT_SUFFIXES:
        raise NrplanInputError(
            "--measurements", str(path), f"a file ending in {', '.join(MEASUREMENT_SUFFIXES)}"
        )
    if not path.is_file():
        raise NrplanInputError("--measurements", str(path), "an existing file")
    if suffix == ".csv":
        try:
            return pd.read_csv(path, skipinitialspace=True, low_memory=False), None
        except pd.errors.EmptyDataError:
            raise NrplanInputError(
                "--measurements",
                str(path),
                "a CSV with a header and rows",
                message=(
                    f"--measurements {path}: the file is empty; give a CSV with a header and rows"
                ),
            ) from None
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            msg = " ".join(str(exc).split())[:80]
            raise NrplanInputError(
                "--measurements", str(path), f"a readable UTF-8 CSV ({msg})"
            ) from None
    import pyogrio

    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        msg = " ".join(str(exc).split())[:80]
        raise NrplanInputError(
            "--measurements", str(path), f"a readable vector file ({msg})"
        ) from None
    geom = gdf.geometry if "geometry" in gdf else None
    frame = pd.DataFrame(gdf.drop(columns="geometry")) if geom is not None else pd.DataFrame(gdf)
    return frame, geom


def read_measurements(
    path: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    crs: str | None = None,
) -> pd.DataFrame:
    """Read a drive-test file into canonical columns with ``lon``/``lat``.

    Parameters
    ----------
    path : path-like
        CSV (columns ``lon``/``lat`` or ``x``/``y`` + ``crs``), GeoPackage or
        GeoJSON of points (any CRS; the geometry gives the position).
    mapping : mapping of str to str, optional
        Explicit ``canonical -> header`` pairs.
    crs : str, optional
        CRS of ``x``/``y`` columns of a CSV.

    Returns
    -------
    pandas.DataFrame
        Canonical columns (``rsrp_dbm`` etc. as numbers, NaN where not
        numeric; ``cell_id`` and ``route`` as str), ``lon``/``lat`` [deg].

    Raises
    ------
    NrplanInputError
        Unreadable or empty file; no position or no RSRP column.
    """

    path = Path(path)
    raw, geom = _read_table(path)
    if len(raw) == 0:
        raise NrplanInputError(
            "--measurements",
            str(path),
            "at least one measurement row",
            message=f"--measurements {path}: no measurement rows",
        )
    cols = resolve_columns(raw.columns, mapping)
    if "rsrp_dbm" not in cols:
        raise NrplanInputError(
            "--measurements",
            str(path),
            "an SS-RSRP column",
            message=f"--measurements {path}: no SS-RSRP column found (headers: "
            f"{', '.join(map(str, raw.columns[:10]))}); name it with --map rsrp_dbm=HEADER",
        )
    out = pd.DataFrame(index=raw.index)
    for canon, header in cols.items():
        col = raw[header]
        if canon in ("cell_id", "route", "morphology"):
            out[canon] = col.map(lambda v: None if pd.isna(v) else str(v).strip())
        elif canon == "time":
            out[canon] = col
        else:
            out[canon] = pd.to_numeric(col, errors="coerce").astype(float)
    if geom is not None and "lon" not in cols:
        src_crs = geom.crs.to_string() if getattr(geom, "crs", None) is not None else WGS84
        try:
            gx = geom.x.to_numpy(float)
            gy = geom.y.to_numpy(float)
        except ValueError:
            raise NrplanInputError("--measurements", str(path), "point geometries") from None
        lon, lat = transformer(src_crs, WGS84).transform(gx, gy)
        out["lon"], out["lat"] = np.asarray(lon, float), np.asarray(lat, float)
    elif "lon" in cols and "lat" in cols:
        pass
    elif "x" in cols and "y" in cols:
        if crs is None:
            raise NrplanInputError(
                "--crs",
                None,
                "the CRS of the x/y columns (e.g. EPSG:32650)",
                message="measurements have x/y columns: give their CRS with --crs or in --columns",
            )
        try:
            tr = transformer(crs, WGS84)
        except Exception:
            raise NrplanInputError("--crs", crs, "a CRS pyproj knows (e.g. EPSG:32650)") from None
        lon, lat = tr.transform(out["x"].to_numpy(float), out["y"].to_numpy(float))
        out["lon"], out["lat"] = np.asarray(lon, float), np.asarray(lat, float)
    else:
        raise NrplanInputError(
            "--measurements",
            str(path),
            "a position",
            message=f"--measurements {path}: no position columns (lon/lat, Latitude/Longitude, "
            "or x/y with --crs) and no point geometry",
        )
    return out.drop(columns=[c for c in ("x", "y") if c in out]).reset_index(drop=True)
