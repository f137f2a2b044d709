"""``sites.csv``: the sector list of ``nrplan predict``, read and validated.

One row per sector, columns (all required):

========================  =========================================================
column                    meaning
========================  =========================================================
``site_id``               site identifier (sectors of one mast share it)
``lon``, ``lat``          WGS84 position [deg], lon in [-180, 180], lat in [-90, 90]
``height_m``              antenna height above ground [m], in (0, 1000]
``azimuth_deg``           boresight compass bearing from true north [deg], in [0, 360)
``mech_tilt_deg``         mechanical downtilt [deg], in [-90, 90]
``elec_tilt_deg``         electrical downtilt [deg], in [-90, 90]
``band``                  band name of ``nrplan.radio.bands.BANDS`` (e.g. n78)
``power_dbm``             sector transmit power over the channel [dBm]
``antenna``               antenna profile of ``nrplan.radio.antenna.ANTENNA_PROFILES``
========================  =========================================================

An optional ``load`` column [0-1] overrides the load given on the command line.
Optional ``cell_id`` (default ``<site_id>-<k>``, the k-th row of the site),
``pci`` and ``arfcn`` columns name the cells for drive tests
(:mod:`nrplan.measure.cells`).
Azimuths are bearings from true (geographic) north, as surveyed; they are
turned into azimuths from the grid north of the projected CRS, which the
engine uses, by :func:`sites_to_sectors` (the meridian convergence, ~1.5 deg
at 2.4 deg of longitude from a UTM zone's central meridian at 40 N).
Any error names the column, the row (1-based data row) and what is allowed.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from nrplan.engine.sectors import Sectors
from nrplan.errors import NrplanInputError, check_choice
from nrplan.geo.projection import WGS84, grid_azimuth_deg, transformer
from nrplan.radio.antenna import ANTENNA_PROFILES
from nrplan.radio.bands import BANDS

__all__ = [
    "MAX_SITE_DISTANCE_KM",
    "SITES_COLUMNS",
    "near_sites",
    "read_site_positions",
    "read_sites",
    "sites_to_sectors",
]

#: Sites farther than this from the area's bounding box cannot serve or interfere
#: with it (far beyond the radio horizon of any mast height in ``sites.csv``) [km].
MAX_SITE_DISTANCE_KM = 100.0

SITES_COLUMNS = (
    "site_id",
    "lon",
    "lat",
    "height_m",
    "azimuth_deg",
    "mech_tilt_deg",
    "elec_tilt_deg",
    "band",
    "power_dbm",
    "antenna",
)

_RANGES = {
    "lon": (-180.0, 180.0, False),
    "lat": (-90.0, 90.0, False),
    "height_m": (0.0, 1000.0, True),
    "azimuth_deg": (0.0, 360.0, None),
    "mech_tilt_deg": (-90.0, 90.0, False),
    "elec_tilt_deg": (-90.0, 90.0, False),
    "power_dbm": (-30.0, 90.0, False),
    "load": (0.0, 1.0, False),
}


def read_sites(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a ``sites.csv`` (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per sector, numeric columns as float, names lower-cased.

    Raises
    ------
    NrplanInputError
        Missing column, non-numeric or out-of-range value, unknown band or
        antenna, or an empty file.
    """
    try:
        df = pd.read_csv(path, dtype={"site_id": str, "cell_id": str}, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise NrplanInputError("sites", str(path), "a CSV with a header and rows") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        msg = " ".join(str(exc).split())[:80]
        raise NrplanInputError("sites", str(path), f"a readable UTF-8 CSV ({msg})") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in SITES_COLUMNS if c not in df.columns]
    if missing:
        raise NrplanInputError(
            "sites.csv columns", ", ".join(missing), f"all of {', '.join(SITES_COLUMNS)}",
            message=f"sites.csv is missing column(s) {', '.join(missing)}; "
            f"required: {', '.join(SITES_COLUMNS)}",
        )  # fmt: skip
    if len(df) == 0:
        raise NrplanInputError("sites", str(path), "at least one sector row")
    for col, (lo, hi, lo_open) in _RANGES.items():
        if col not in df.columns:
            continue
        vals = pd.to_numeric(df[col], errors="coerce")
        bad = vals.isna()
        if not bad.any():
            ok = vals >= lo if lo_open is not True else vals > lo
            ok &= vals < hi if lo_open is None else vals <= hi
            bad = ~ok
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            right = ")" if lo_open is None else "]"
            left = "(" if lo_open is True else "["
            raise NrplanInputError(
                f"{col} (row {row + 1})",
                df[col].iloc[row],
                f"a number in {left}{lo:g}, {hi:g}{right}",
            )
        df[col] = vals.astype(float)
    for col, registry in (("band", BANDS), ("antenna", ANTENNA_PROFILES)):
        df[col] = df[col].astype(str).str.strip().str.lower()
        for i, v in enumerate(df[col]):
            try:
                check_choice(col, v, registry)
            except NrplanInputError as exc:
                raise NrplanInputError(f"{col} (row {i + 1})", v, exc.allowed) from None
    if df["site_id"].isna().any():
        row = int(np.flatnonzero(df["site_id"].isna().to_numpy())[0])
        raise NrplanInputError(f"site_id (row {row + 1})", None, "a non-empty identifier")
    df["site_id"] = df["site_id"].astype(str).str.strip()
    # the sectors of one site share its mast: one site_id, one place (0.1 m tolerance)
    pos = df.groupby("site_id", sort=False)[["lon", "lat"]]
    spread = (pos.max() - pos.min()).max(axis=1)
    moved = spread[spread > 1e-6]
    if len(moved):
        sid = moved.index[0]
        rows = np.flatnonzero((df["site_id"] == sid).to_numpy()) + 1
        raise NrplanInputError(
            "site_id",
            sid,
            "one position per site_id (its sectors share the mast); rows "
            f"{', '.join(str(r) for r in rows[:6])} of site {sid!r} are at different lon/lat",
        )
    return df


def read_site_positions(path: str | os.PathLike[str], field: str = "sites") -> np.ndarray:
    """Read the positions of existing sites from a CSV with ``lon`` and ``lat`` columns.

    Other columns are ignored (a full ``sites.csv`` is accepted too).

    Parameters
    ----------
    path : path-like
        The CSV file.
    field : str
        Name of the input in error messages (e.g. ``"--sites"``).

    Returns
    -------
    ndarray, shape (n, 2)
        WGS84 lon, lat of each site [deg].

    Raises
    ------
    NrplanInputError
        One line naming the file and, for a bad value, its row (the header is
        row 1): a missing or unreadable file, a missing column, or a lon/lat
        missing or outside [-180, 180] / [-90, 90].
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise NrplanInputError(field, path, "an existing CSV file")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise NrplanInputError(
            field,
            path,
            "a readable CSV file",
            message=f"{field} {path}: not a readable CSV ({exc})",
        ) from None
    missing = [c for c in ("lon", "lat") if c not in df.columns]
    if missing:
        raise NrplanInputError(
            field,
            path,
            "columns lon and lat",
            message=f"{field} {path}: missing column(s) {', '.join(missing)}",
        )
    lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(float)
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90))
    if bad.any():
        row = int(np.nonzero(bad)[0][0]) + 2
        raise NrplanInputError(
            field,
            path,
            "lon in [-180, 180], lat in [-90, 90]",
            message=f"{field} {path}: row {row}: lon/lat missing or out of "
            "range (lon [-180, 180], lat [-90, 90])",
        )
    return np.column_stack([lon, lat])


def _distance_to_box_km(lon, lat, bounds) -> np.ndarray:
    """Great-circle distance [km] from points to the nearest point of a lon/lat box."""
    xmin, ymin, xmax, ymax = bounds
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    # nearest box point: clamp latitude; longitude by the shorter way round
    clat = np.clip(lat, ymin, ymax)
    dl_min = (lon - xmin + 180.0) % 360.0 - 180.0
    dl_max = (lon - xmax + 180.0) % 360.0 - 180.0
    inside = (dl_min >= 0) & (dl_max <= 0)
    clon = np.where(inside, lon, np.where(np.abs(dl_min) < np.abs(dl_max), xmin, xmax))
    p1, p2 = np.radians(lat), np.radians(clat)
    dphi, dlam = p2 - p1, np.radians(clon - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    return 2.0 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def near_sites(
    df: pd.DataFrame, area, max_km: float = MAX_SITE_DISTANCE_KM, area_label: str = "area"
) -> tuple[pd.DataFrame, int]:
    """Keep the sectors within ``max_km`` of the area's bounding box (WGS84).

    Sites farther away can neither serve nor interfere with the area. Returns
    the kept rows (with their index in ``df``) and the number of *sites* dropped; raises
    :class:`NrplanInputError` when no site is near the area (the area and
    ``sites.csv`` describe different places: wrong file, swapped lon/lat).
    """
    dist = _distance_to_box_km(df["lon"], df["lat"], area.bounds)
    near = dist <= max_km
    if not near.any():
        raise NrplanInputError(
            "sites",
            f"{df['site_id'].nunique()} site(s), nearest {dist.min():,.0f} km "
            f"from the {area_label}",
            f"sites within {max_km:g} km of the {area_label}'s bounding box "
            "(farther ones can neither serve nor interfere; wrong file or swapped lon/lat?)",
        )
    far_ids = set(df.loc[~near, "site_id"]) - set(df.loc[near, "site_id"])
    return df[near], len(far_ids)


def sites_to_sectors(df: pd.DataFrame, crs: str, load: float = 0.5) -> Sectors:
    """Project validated sites to ``crs`` (metres) and build :class:`Sectors`.

    Positions are projected to ``crs`` and the ``azimuth_deg`` column, bearings
    from true north, is turned into azimuths from the grid north of ``crs``
    at each sector's position
    (:func:`nrplan.geo.projection.grid_azimuth_deg`).

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`read_sites`.
    crs : str
        Target projected CRS (e.g. the local UTM zone ``"EPSG:32650"``).
    load : float
        Cell load [0-1] where the frame has no ``load`` column.
    """
    tr = transformer(WGS84, crs)
    x, y = tr.transform(df["lon"].to_numpy(float), df["lat"].to_numpy(float))
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    az = np.atleast_1d(grid_azimuth_deg(df["azimuth_deg"].to_numpy(float), x, y, crs))
    frame = df.assign(x=x, y=y, azimuth_deg=az)
    return Sectors.from_frame(frame, load=load)
