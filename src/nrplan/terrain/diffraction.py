"""Diffraction loss over a terrain profile: ITU-R P.526-15 knife edge and Bullington.

Two pieces of Recommendation ITU-R P.526-15 (10/2019), "Propagation by
diffraction":

- :func:`knife_edge_db`: the single knife-edge loss ``J(nu)`` of 4.1, eq. (31),
  ``J(nu) = 6.9 + 20 log10(sqrt((nu - 0.1)^2 + 1) + nu - 0.1)`` for
  ``nu > -0.78`` and 0 otherwise, with the diffraction parameter
  ``nu = h sqrt(2 d / (lambda d1 d2))`` (4.1, eq. 26 form, all lengths in m).
- :func:`bullington_db`: the Bullington part of the delta-Bullington method of
  4.5 (the same equations as ITU-R P.1812-6 4.3.1 and P.452-17 4.2.1): the
  slope ``Stim`` of the highest point seen from the transmitter, the slope
  ``Str`` of the direct ray, and either (line of sight, ``Stim < Str``) the
  largest ``nu`` of the profile points, or (transhorizon) the ``nu_b`` of the
  Bullington point where the transmitter and receiver horizon rays meet
  (``Srim`` the receiver's horizon slope); ``L_uc = J(nu)`` and
  ``L_b = L_uc + (1 - exp(-L_uc / 6)) (10 + 0.02 d[km])``. Every profile
  height gets the earth bulge ``d_i (d - d_i) / (2 a_e)`` with the median
  effective earth radius ``a_e = 6371 km x 4/3`` (k50 = 4/3, ITU-R P.452-17
  4.3 / P.1812-6 3.5).

The functions are Numba-compiled scalar code (called per profile from the
per-site windows of :mod:`nrplan.engine.terrain_profiles`); :func:`knife_edge_db_array`
and :func:`bullington_profile_db` are NumPy front ends for checks.

References
----------
ITU-R P.526-15 (2019) 4.1 eq. (31), 4.5 (delta-Bullington, Bullington part);
ITU-R P.1812-6 (2021) 4.3.1; ITU-R P.452-17 (2021) 4.2.1.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = [
    "EFFECTIVE_EARTH_RADIUS_M",
    "bullington_db",
    "bullington_profile_db",
    "knife_edge_db",
    "knife_edge_db_array",
]

EFFECTIVE_EARTH_RADIUS_M = 6371.0e3 * 4.0 / 3.0
"""Median effective earth radius a_e = k50 x 6371 km, k50 = 4/3 [m]
(ITU-R P.452-17 4.3; P.1812-6 3.5)."""

SPEED_OF_LIGHT = 299_792_458.0


@njit(cache=True)
def knife_edge_db(nu: float) -> float:
    """Single knife-edge diffraction loss J(nu) [dB] (ITU-R P.526-15 4.1 eq. 31).

    Parameters
    ----------
    nu : float
        Diffraction parameter (dimensionless).

    Returns
    -------
    float
        ``6.9 + 20 log10(sqrt((nu - 0.1)^2 + 1) + nu - 0.1)`` for ``nu > -0.78``,
        else 0.
    """
    if nu <= -0.78:
        return 0.0
    a = nu - 0.1
    return 6.9 + 20.0 * math.log10(math.sqrt(a * a + 1.0) + a)


def knife_edge_db_array(nu) -> np.ndarray:
    """:func:`knife_edge_db` on an array."""
    nu = np.asarray(nu, dtype=np.float64)
    a = nu - 0.1
    with np.errstate(invalid="ignore"):
        j = 6.9 + 20.0 * np.log10(np.sqrt(a * a + 1.0) + a)
    return np.where(nu > -0.78, j, 0.0)


@njit(cache=True)
def bullington_db(dist, z, n, d, h_ts, h_rs, lam, a_e):
    """Bullington diffraction loss of one profile (ITU-R P.526-15 4.5).

    Parameters
    ----------
    dist : ndarray of float64
        Distances of the intermediate profile points from the transmitter [m]
        (strictly between 0 and ``d``); only the first ``n`` are read.
    z : ndarray of float64
        Their heights [m] (same datum as ``h_ts`` / ``h_rs``).
    n : int
        Number of intermediate points.
    d : float
        Path length [m].
    h_ts, h_rs : float
        Transmitter and receiver antenna heights above the datum [m].
    lam : float
        Wavelength [m].
    a_e : float
        Effective earth radius [m].

    Returns
    -------
    (float, bool)
        ``L_b`` [dB] and whether the path is transhorizon (``Stim >= Str``:
        a profile point at or above the direct ray).
    """
    if n <= 0 or d <= 0.0:
        return 0.0, False
    inv2a = 0.5 / a_e
    s_tim = -np.inf
    for i in range(n):
        di = dist[i]
        hi = z[i] + di * (d - di) * inv2a
        s_tim = max(s_tim, (hi - h_ts) / di)
    s_tr = (h_rs - h_ts) / d
    if s_tim < s_tr:
        nu_max = -np.inf
        for i in range(n):
            di = dist[i]
            d2 = d - di
            hi = z[i] + di * d2 * inv2a
            clear = hi - (h_ts * d2 + h_rs * di) / d
            nu_max = max(nu_max, clear * math.sqrt(2.0 * d / (lam * di * d2)))
        l_uc = knife_edge_db(nu_max)
        blocked = False
    else:
        s_rim = -np.inf
        for i in range(n):
            di = dist[i]
            d2 = d - di
            hi = z[i] + di * d2 * inv2a
            s_rim = max(s_rim, (hi - h_rs) / d2)
        d_b = (h_rs - h_ts + s_rim * d) / (s_tim + s_rim)
        d_b = min(max(d_b, 1e-3 * d), d - 1e-3 * d)
        clear = h_ts + s_tim * d_b - (h_ts * (d - d_b) + h_rs * d_b) / d
        nu_b = clear * math.sqrt(2.0 * d / (lam * d_b * (d - d_b)))
        l_uc = knife_edge_db(nu_b)
        blocked = True
    return l_uc + (1.0 - math.exp(-l_uc / 6.0)) * (10.0 + 0.02 * d * 1e-3), blocked


def bullington_profile_db(
    dist_m, z_m, d_m: float, h_ts_m: float, h_rs_m: float, f_ghz: float,
    a_e_m: float = EFFECTIVE_EARTH_RADIUS_M,
) -> tuple[float, bool]:  # fmt: skip
    """NumPy front end of :func:`bullington_db` with the frequency in GHz."""
    dist = np.ascontiguousarray(dist_m, dtype=np.float64)
    z = np.ascontiguousarray(z_m, dtype=np.float64)
    lam = SPEED_OF_LIGHT / (f_ghz * 1e9)
    loss, blocked = bullington_db(dist, z, dist.size, float(d_m), h_ts_m, h_rs_m, lam, a_e_m)
    return float(loss), bool(blocked)
