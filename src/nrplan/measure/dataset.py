"""A drive test ready for comparison and tuning: read, matched, cleaned, counted.

:func:`load_drive_test` reads ``sites.csv`` and the measurement file, projects
both to the local UTM zone of the measurements, names the serving cell of each
row and drops the unusable rows, counting them by reason (every row read is
either kept or counted in exactly one reason, checked in this order):

================== ==========================================================
reason             rule
================== ==========================================================
no_position        lon/lat missing, not numeric or outside [-180, 180] x [-90, 90]
no_rsrp            SS-RSRP missing or not numeric
rsrp_out_of_range  SS-RSRP outside [-156, -31] dBm, the SS-RSRP report range
                   of 3GPP TS 38.133 V17.0.0 Table 10.1.6.1-1 (RSRP_0 is
                   "< -156 dBm", RSRP_126 is ">= -31 dBm": values outside
                   cannot be reported, so they are logging errors)
unknown_cell       no serving cell, or one not in sites.csv
bad_morphology     a morphology value that is not a class name or code, or a
                   clutter class without a morphology (:mod:`nrplan.measure.clutter`)
duplicate_time     same (route, time, cell) as an earlier row (logger repeat)
far_from_site      farther than ``max_distance_m`` from the serving site
                   (default 10 km: the upper end of the TR 38.901 V17.0.0
                   Table 7.4.1-1 RMa LOS distance range)
================== ==========================================================

SS-SINR values outside the TS 38.133 Table 10.1.16.1-1 report range
[-23, 40] dB are set to NaN (the row is kept for RSRP) and counted as
``sinr_cleared``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nrplan.engine.sectors import Sectors
from nrplan.errors import NrplanInputError, check_range
from nrplan.geo.projection import WGS84, local_crs, transformer
from nrplan.io.sites import read_sites, sites_to_sectors
from nrplan.measure.cells import cell_ids, match_cells
from nrplan.measure.clutter import clutter_codes
from nrplan.measure.read import read_measurements
from nrplan.morphology import MORPHOLOGIES, morphology_by_name

__all__ = [
    "DEFAULT_MAX_DISTANCE_M",
    "DROP_REASONS",
    "RSRP_RANGE_DBM",
    "SINR_RANGE_DB",
    "DriveTest",
    "clean_measurements",
    "load_drive_test",
]

RSRP_RANGE_DBM = (-156.0, -31.0)
"""SS-RSRP report range, 3GPP TS 38.133 V17.0.0 Table 10.1.6.1-1 [dBm]."""
SINR_RANGE_DB = (-23.0, 40.0)
"""SS-SINR report range, 3GPP TS 38.133 V17.0.0 Table 10.1.16.1-1 [dB]."""
DEFAULT_MAX_DISTANCE_M = 10_000.0
"""Largest distance to the serving site [m]: TR 38.901 V17.0.0 Table 7.4.1-1,
RMa LOS d_2D <= 10 km."""

DROP_REASONS = (
    "no_position",
    "no_rsrp",
    "rsrp_out_of_range",
    "unknown_cell",
    "bad_morphology",
    "duplicate_time",
    "far_from_site",
)


@dataclass(eq=False)
class DriveTest:
    """Cleaned measurements of one drive test and the network they were made in.

    Attributes
    ----------
    sites : pandas.DataFrame
        Validated ``sites.csv`` (all rows; row i = sector i).
    cell_ids : ndarray of str
        Cell identifier per row of ``sites``.
    sectors : Sectors
        ``sites`` projected to ``crs``.
    crs : str
        Local metric CRS of every x/y.
    points : pandas.DataFrame
        Kept rows: ``x``, ``y`` [m], ``lon``, ``lat``, ``rsrp_dbm``, ``sector``
        (row of ``sites``), ``code`` (morphology code), ``d_2d`` [m] to the
        serving mast, ``route`` and, when present, ``sinr_db``,
        ``throughput_mbps``, ``time``.
    n_read : int
        Rows in the file.
    dropped : dict
        Rows dropped per reason (:data:`DROP_REASONS`), plus ``sinr_cleared``.
    clutter : dict or None
        Provenance of the clutter raster the classes came from.
    """

    sites: pd.DataFrame
    cell_ids: np.ndarray
    sectors: Sectors
    crs: str
    points: pd.DataFrame
    n_read: int
    dropped: dict[str, int] = field(default_factory=dict)
    clutter: dict | None = None

    def summary(self) -> dict:
        """Counts for reports (JSON-ready)."""
        return {
            **({"clutter": self.clutter} if self.clutter else {}),
            "rows_read": self.n_read,
            "rows_used": len(self.points),
            "rows_dropped": int(sum(self.dropped.get(r, 0) for r in DROP_REASONS)),
            "dropped_by_reason": dict(self.dropped),
        }


def _morph_codes(values, fallback: np.ndarray) -> np.ndarray:
    """Morphology code per row: a class name or code; ``fallback`` where empty; -1 = not one."""

    by_name = {m.name: c for c, m in MORPHOLOGIES.items()}
    idx, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    lut = np.empty(len(uniq), dtype=np.int64)
    for i, v in enumerate(uniq):
        s = str(v).strip().lower()
        if s == "":
            lut[i] = -3  # empty: fallback
            continue
        try:
            code = int(float(s))
            lut[i] = code if code in MORPHOLOGIES else -1
        except ValueError:
            lut[i] = by_name.get(s, -1)
    out = np.where(idx >= 0, lut[np.maximum(idx, 0)] if len(uniq) else -3, -3)
    return np.where(out == -3, fallback, out)


def clean_measurements(
    meas: pd.DataFrame,
    sites: pd.DataFrame,
    sectors: Sectors,
    crs: str,
    default_code: int,
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    clutter_codes: np.ndarray | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Keep the usable rows, count the others by reason (see the module docstring).

    ``clutter_codes`` (:func:`nrplan.measure.clutter.clutter_codes`) give the
    class of rows without a ``morphology`` value where the raster has one."""

    n = len(meas)
    reason = np.full(n, -1, dtype=np.int64)

    def drop(mask, name):
        mask = np.asarray(mask, dtype=bool) & (reason < 0)
        reason[mask] = DROP_REASONS.index(name)

    lon = meas["lon"].to_numpy(float)
    lat = meas["lat"].to_numpy(float)
    bad_pos = ~(np.isfinite(lon) & np.isfinite(lat))
    with np.errstate(invalid="ignore"):
        bad_pos |= (np.abs(lon) > 180.0) | (np.abs(lat) > 90.0)
    drop(bad_pos, "no_position")
    rsrp = meas["rsrp_dbm"].to_numpy(float)
    drop(~np.isfinite(rsrp), "no_rsrp")
    lo, hi = RSRP_RANGE_DBM
    with np.errstate(invalid="ignore"):
        drop((rsrp < lo) | (rsrp > hi), "rsrp_out_of_range")
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    ok = reason < 0
    if ok.any():
        px, py = transformer(WGS84, crs).transform(lon[ok], lat[ok])
        x[ok], y[ok] = px, py
    sector = match_cells(meas, sites, x, y, sectors.x, sectors.y)
    drop(sector < 0, "unknown_cell")
    fallback = np.full(n, default_code, dtype=np.int64)
    if clutter_codes is not None:  # the raster's class where it has one (-2: unknown)
        fallback = np.where(clutter_codes >= 1, clutter_codes, fallback)
        fallback[clutter_codes == -2] = -1
    code = _morph_codes(meas["morphology"].tolist(), fallback) if "morphology" in meas else fallback
    drop(code < 0, "bad_morphology")
    route = meas["route"] if "route" in meas else pd.Series([""] * n)
    route = route.fillna("").astype(str).to_numpy()
    if "time" in meas:
        t = meas["time"]
        has_t = t.notna().to_numpy()
        # only rows still usable take part (a dropped row does not shadow a good one)
        live = reason < 0
        dup = pd.DataFrame({"r": route, "t": t.astype(str), "c": sector})[live].duplicated(
            keep="first"
        )
        full = np.zeros(n, dtype=bool)
        full[np.flatnonzero(live)] = dup.to_numpy() & has_t[live]
        drop(full, "duplicate_time")
    s = np.maximum(sector, 0)
    d = np.hypot(x - sectors.x[s], y - sectors.y[s])
    with np.errstate(invalid="ignore"):
        drop(d > max_distance_m, "far_from_site")
    keep = reason < 0
    counts = {r: int((reason == i).sum()) for i, r in enumerate(DROP_REASONS)}
    pts = pd.DataFrame(
        {
            "x": x[keep],
            "y": y[keep],
            "lon": lon[keep],
            "lat": lat[keep],
            "rsrp_dbm": rsrp[keep],
            "sector": sector[keep].astype(np.int64),
            "code": code[keep].astype(np.int64),
            "d_2d": d[keep],
            "route": route[keep],
        }
    )
    for opt in ("sinr_db", "throughput_mbps", "time"):
        if opt in meas:
            pts[opt] = meas[opt].to_numpy()[keep]
    if "sinr_db" in pts:
        v = pts["sinr_db"].to_numpy(float)
        with np.errstate(invalid="ignore"):
            bad = np.isfinite(v) & ((v < SINR_RANGE_DB[0]) | (v > SINR_RANGE_DB[1]))
        pts.loc[bad, "sinr_db"] = np.nan
        counts["sinr_cleared"] = int(bad.sum())
    return pts, counts


def load_drive_test(
    sites_path: str | os.PathLike[str],
    meas_path: str | os.PathLike[str],
    *,
    mapping: Mapping[str, str] | None = None,
    crs: str | None = None,
    scenario: str = "urban",
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M,
    cell_offsets_db: Mapping[str, float] | None = None,
    clutter: str | os.PathLike[str] | None = None,
    clutter_map: str | os.PathLike[str] | None = None,
) -> DriveTest:
    """Read, match and clean a drive test (see the module docstring).

    Parameters
    ----------
    sites_path, meas_path : path-like
        ``sites.csv`` and the measurement file.
    mapping, crs
        Column mapping and x/y CRS, see :func:`nrplan.measure.read.read_measurements`.
    scenario : str
        Morphology class (``nrplan.morphology`` name) of rows without a
        ``morphology`` column value.
    max_distance_m : float
        Rows farther from their serving site are dropped [m].
    cell_offsets_db : mapping of str to float, optional
        Per-cell EIRP offsets of a tuned model [dB], added to ``power_dbm``.
    clutter, clutter_map : path-like, optional
        Land-use class raster and its mapping (default ESA WorldCover): the
        class of rows without a ``morphology`` value
        (:mod:`nrplan.measure.clutter`); the record is in ``DriveTest.clutter``.

    Raises
    ------
    NrplanInputError
        Unreadable files, or no usable row (the message gives the counts).
    """
    import shapely

    check_range("max_distance_m", max_distance_m, 0.0, 100_000.0, lo_open=True, unit="m")
    code = morphology_by_name(scenario).code
    sites = read_sites(sites_path)
    ids = cell_ids(sites)
    if cell_offsets_db:
        sites = apply_cell_offsets(sites, ids, cell_offsets_db)
    meas = read_measurements(meas_path, mapping, crs)
    lon = meas["lon"].to_numpy(float)
    lat = meas["lat"].to_numpy(float)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    if ok.any():
        centre = shapely.Point(float(np.median(lon[ok])), float(np.median(lat[ok])))
    else:
        centre = shapely.Point(float(sites["lon"].median()), float(sites["lat"].median()))
    local = local_crs(centre)
    sectors = sites_to_sectors(sites, local)
    ccodes, crec = None, None
    if clutter is not None:
        ccodes, crec = clutter_codes(clutter, lon, lat, clutter_map)
    pts, counts = clean_measurements(meas, sites, sectors, local, code, max_distance_m, ccodes)
    if len(pts) == 0:
        detail = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
        raise NrplanInputError(
            "--measurements",
            str(meas_path),
            "at least one usable row",
            message=f"--measurements {meas_path}: no usable measurement among {len(meas)} "
            f"row(s) ({detail})",
        )
    return DriveTest(sites, ids, sectors, local, pts, len(meas), counts, crec)


def apply_cell_offsets(
    sites: pd.DataFrame, ids: np.ndarray, offsets_db: Mapping[str, float]
) -> pd.DataFrame:
    """``sites`` with each named cell's ``power_dbm`` raised by its offset [dB].

    Cells of the offsets that ``sites`` does not have are ignored (a model
    tuned on one cluster applied to a bigger network)."""
    lut = {str(k): float(v) for k, v in offsets_db.items()}
    add = np.array([lut.get(c, 0.0) for c in ids])
    if not add.any():
        return sites
    out = sites.copy()
    out["power_dbm"] = out["power_dbm"].to_numpy(float) + add
    return out
