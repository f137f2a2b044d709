"""Local averages of a drive test: per serving cell, per square bin of side L.

Fast fading makes single samples scatter by several dB about the local mean.
Lee (1985) shows that averaging the received power over a 40-wavelength
stretch of route estimates the local mean to within about 1 dB; nrplan averages
the samples of one serving cell (and one morphology class) that fall in the
same ``L x L`` square, with ``L = 40 lambda = 40 c / f_c`` of the cell's band by
default (3.43 m at 3.5 GHz) or a user bin size. The mean is taken over linear
power (mW) and returned in dBm (``mean="linear"``, default: Lee's local mean
power), or over dB values (``mean="db"``). Each bin keeps its sample count and
the mean position of its samples.

References
----------
W. C. Y. Lee, "Estimate of local average power of a mobile radio signal",
IEEE Trans. Veh. Technol., vol. VT-34, no. 1, pp. 22-27, Feb. 1985.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrplan.errors import check_choice, check_range

__all__ = ["BIN_MEANS", "LIGHT_SPEED_M_S", "bin_measurements", "lee_bin_m"]

LIGHT_SPEED_M_S = 299_792_458.0
BIN_MEANS = ("linear", "db")


def lee_bin_m(f_c_ghz) -> np.ndarray:
    """The 40-wavelength averaging length ``40 c / f_c`` [m] (Lee 1985)."""
    return 40.0 * LIGHT_SPEED_M_S / (np.asarray(f_c_ghz, dtype=float) * 1e9)


def bin_measurements(
    points: pd.DataFrame,
    bin_m,
    mean: str = "linear",
) -> pd.DataFrame:
    """Average the samples per (cell, class, ``L x L`` square).

    Parameters
    ----------
    points : pandas.DataFrame
        ``x``, ``y`` [m], ``rsrp_dbm``, ``sector``, ``code`` (and optionally
        ``route``: the route of a bin is that of its first sample).
    bin_m : float or array_like
        Bin side [m]: one value, or one per sector (indexed by ``sector``);
        0 = no binning (one bin per sample).
    mean : {"linear", "db"}
        Average linear power (default) or dB values.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``x``, ``y`` (mean position), ``rsrp_dbm``,
        ``sector``, ``code``, ``n`` (samples), ``route``.
    """
    mean = check_choice("bin mean", mean, BIN_MEANS)
    sector = points["sector"].to_numpy(np.int64)
    code = points["code"].to_numpy(np.int64)
    x = points["x"].to_numpy(float)
    y = points["y"].to_numpy(float)
    rsrp = points["rsrp_dbm"].to_numpy(float)
    side = np.asarray(bin_m, dtype=float)
    check_range("bin size", side, 0.0, 10_000.0, unit="m")
    side = side[sector] if side.ndim else np.full(x.size, float(side))
    if x.size == 0 or not (side > 0).any():
        out = pd.DataFrame(
            {
                "x": x,
                "y": y,
                "rsrp_dbm": rsrp,
                "sector": sector,
                "code": code,
                "n": np.ones(x.size, np.int64),
            }
        )
        if "route" in points:
            out["route"] = points["route"].to_numpy()
        return out
    s = np.where(side > 0, side, 1.0)
    ix = np.floor((x - x.min()) / s).astype(np.int64)
    iy = np.floor((y - y.min()) / s).astype(np.int64)
    solo = side <= 0  # unbinned samples get their own key
    ix = np.where(solo, -1 - np.arange(x.size), ix)
    key = pd.MultiIndex.from_arrays([sector, code, ix, iy])
    codes_, uniq = pd.factorize(key)
    inv = np.asarray(codes_, dtype=np.int64)
    nb = len(uniq)
    n = np.bincount(inv, minlength=nb)
    val = 10.0 ** (rsrp / 10.0) if mean == "linear" else rsrp
    m = np.bincount(inv, weights=val, minlength=nb) / n
    first = np.full(nb, x.size, dtype=np.int64)
    np.minimum.at(first, inv, np.arange(x.size))
    out = pd.DataFrame(
        {
            "x": np.bincount(inv, weights=x, minlength=nb) / n,
            "y": np.bincount(inv, weights=y, minlength=nb) / n,
            "rsrp_dbm": 10.0 * np.log10(m) if mean == "linear" else m,
            "sector": sector[first],
            "code": code[first],
            "n": n,
        }
    )
    if "route" in points:
        out["route"] = points["route"].to_numpy()[first]
    return out
