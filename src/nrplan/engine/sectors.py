"""Sectors: the radiating cells a prediction is made for, as equal-length arrays.

A sector is one antenna (AAU or RRU + panel) of a site: its position and height,
its compass azimuth, its mechanical and electrical downtilt, its band (sectors of
the same band are co-channel and interfere), its transmit power, its antenna
profile and its cell load (the share of resources in use, which weights the
interference it causes).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from nrplan.errors import NrplanInputError, check_range

__all__ = ["Sectors"]

_FLOAT_FIELDS = (
    "x",
    "y",
    "height_m",
    "azimuth_deg",
    "mech_tilt_deg",
    "elec_tilt_deg",
    "power_dbm",
    "load",
)
_STR_FIELDS = ("site_id", "band", "antenna")


@dataclass(frozen=True, eq=False)
class Sectors:
    """Sectors of a network, one element per sector in each array.

    Parameters
    ----------
    site_id : array of str
        Site identifier (sectors of one site share a mast).
    x, y : array of float
        Antenna position in the grid's projected CRS [m] (x east, y north).
    height_m : array of float
        Antenna height above ground [m], in (0, 1000].
    azimuth_deg : array of float
        Boresight compass bearing [deg], 0 = north, 90 = east, in [0, 360).
    mech_tilt_deg, elec_tilt_deg : array of float
        Mechanical and electrical downtilt [deg], positive below the horizon,
        in [-90, 90].
    band : array of str
        Band name (``nrplan.radio.bands``); same band = co-channel.
    power_dbm : array of float
        Total transmit power of the sector over the channel bandwidth [dBm].
    antenna : array of str
        Antenna profile name (``nrplan.radio.antenna``).
    load : array of float
        Cell load (share of PRBs in use) [0-1]; weights the interference the
        sector causes.

    Notes
    -----
    Arrays are converted to NumPy (float64 / str) and validated on creation; a
    value out of range raises :class:`~nrplan.errors.NrplanInputError`.
    Band and antenna names are checked against their registries by
    :func:`nrplan.engine.predict`.
    """

    site_id: np.ndarray
    x: np.ndarray
    y: np.ndarray
    height_m: np.ndarray
    azimuth_deg: np.ndarray
    mech_tilt_deg: np.ndarray
    elec_tilt_deg: np.ndarray
    band: np.ndarray
    power_dbm: np.ndarray
    antenna: np.ndarray
    load: np.ndarray

    def __post_init__(self) -> None:
        n = None
        for f in fields(self):
            raw = getattr(self, f.name)
            if f.name in _STR_FIELDS:
                arr = np.atleast_1d(np.asarray(raw)).astype(str)
                if f.name != "site_id":
                    arr = np.char.lower(np.char.strip(arr))
            else:
                try:
                    arr = np.atleast_1d(np.asarray(raw, dtype=np.float64))
                except (TypeError, ValueError) as exc:
                    raise NrplanInputError(f.name, raw, "numbers") from exc
                if np.isnan(arr).any():
                    raise NrplanInputError(f.name, "NaN", "finite numbers")
            if arr.ndim != 1:
                raise NrplanInputError(f.name, arr.shape, "a 1-D array")
            if n is None:
                n = arr.size
            elif arr.size != n and not (arr.size == 1 and f.name == "load"):
                raise NrplanInputError(f.name, arr.size, f"{n} values (one per sector)")
            object.__setattr__(self, f.name, arr)
        if self.load.size == 1 and n != 1:
            object.__setattr__(self, "load", np.full(n, self.load[0]))
        if n == 0:
            raise NrplanInputError("sectors", 0, "at least one sector")
        check_range("height_m", self.height_m, 0.0, 1000.0, lo_open=True, unit="m")
        check_range("azimuth_deg", self.azimuth_deg, 0.0, 360.0, hi_open=True, unit="deg")
        check_range("mech_tilt_deg", self.mech_tilt_deg, -90.0, 90.0, unit="deg")
        check_range("elec_tilt_deg", self.elec_tilt_deg, -90.0, 90.0, unit="deg")
        check_range("power_dbm", self.power_dbm, -30.0, 90.0, unit="dBm")
        check_range("load", self.load, 0.0, 1.0)
        if not (np.isfinite(self.x).all() and np.isfinite(self.y).all()):
            raise NrplanInputError("x/y", "inf", "finite coordinates [m]")

    def __len__(self) -> int:
        return int(self.x.size)

    @classmethod
    def from_frame(cls, df, load: float = 0.5) -> Sectors:
        """Build from a DataFrame with one row per sector.

        Parameters
        ----------
        df : pandas.DataFrame
            Columns ``site_id, x, y, height_m, azimuth_deg, mech_tilt_deg,
            elec_tilt_deg, band, power_dbm, antenna`` and optionally ``load``
            (x, y in the grid's projected CRS [m]).
        load : float
            Cell load [0-1] used when the frame has no ``load`` column.
        """
        names = [f.name for f in fields(cls)]
        missing = [c for c in names if c != "load" and c not in df.columns]
        if missing:
            raise NrplanInputError("columns", missing, f"all of {', '.join(names[:-1])}")
        data = {c: df[c].to_numpy() for c in names if c in df.columns}
        if "load" not in data:
            data["load"] = np.full(len(df), float(load))
        return cls(**data)

    def with_load(self, load) -> Sectors:
        """A copy with another load (scalar or one value per sector) [0-1]."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["load"] = np.broadcast_to(np.asarray(load, dtype=float), (len(self),)).copy()
        return Sectors(**data)

    def subset(self, index) -> Sectors:
        """The sectors selected by an index or boolean mask (taken from these
        validated arrays as they are: no second conversion or check)."""
        out = object.__new__(Sectors)
        for f in fields(self):
            object.__setattr__(out, f.name, np.atleast_1d(getattr(self, f.name)[index]))
        if len(out) == 0:
            raise NrplanInputError("sectors", 0, "at least one sector")
        return out
