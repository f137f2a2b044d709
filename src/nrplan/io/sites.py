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

__all__ = ["SITES_COLUMNS", "read_sites", "sites_to_sectors"]

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
    from nrplan.radio.antenna import ANTENNA_PROFILES
    from nrplan.radio.bands import BANDS

    try:
        df = pd.read_csv(path, dtype={"site_id": str}, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise NrplanInputError("sites", str(path), "a CSV with a header and rows") from None
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
    return df


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
    from nrplan.geo.projection import WGS84, grid_azimuth_deg, transformer

    tr = transformer(WGS84, crs)
    x, y = tr.transform(df["lon"].to_numpy(float), df["lat"].to_numpy(float))
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    az = np.atleast_1d(grid_azimuth_deg(df["azimuth_deg"].to_numpy(float), x, y, crs))
    frame = df.assign(x=x, y=y, azimuth_deg=az)
    return Sectors.from_frame(frame, load=load)
