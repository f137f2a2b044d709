"""Path-loss look-up tables: the engine's single call into the path-loss model.

For a fixed (scenario, h_BS, h_UT, f_c) the TR 38.901 path loss depends on the
horizontal distance d_2d only, so the engine evaluates
``nrplan.radio.pathloss.pathloss`` (the single source of truth) once on a fine
grid and interpolates linearly in the kernel. The grid is uniform in
``sqrt(d_2d)`` (dense near the mast where the loss curves most, a square root
per pair instead of a logarithm) and starts at the scenario's minimum distance,
so that closer pixels take the loss at that minimum (clamped, documented).

Each table has four rows: the LOS-probability weighted expected path loss
``p PL_LOS + (1 - p) PL_NLOS`` [dB], PL_LOS [dB], PL_NLOS [dB] and the LOS
probability p [-]. ``tests/engine/test_lookup.py`` proves the interpolation
error of every row below 0.01 dB against direct evaluation.

References
----------
3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (path loss, distance ranges),
Table 7.4.2-1 (LOS probability).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from nrplan.errors import NrplanInputError
from nrplan.radio.los import los_probability
from nrplan.radio.pathloss import DISTANCE_RANGE_M, pathloss

__all__ = [
    "ROW_EXPECTED",
    "ROW_LOS",
    "ROW_NLOS",
    "ROW_PLOS",
    "PathlossTable",
    "d2d_min",
    "pl_table",
]

ROW_EXPECTED, ROW_LOS, ROW_NLOS, ROW_PLOS = 0, 1, 2, 3


def d2d_min(scenario: str) -> float:
    """Lower end of the distance range of ``scenario`` [m] (TR 38.901 V17.0.0
    Table 7.4.1-1: RMa, UMa, UMi d_2D >= 10 m; InH, InF d_3D >= 1 m, used here as
    d_2D >= 1 m). Closer pixels take the path loss at this distance."""
    return float(DISTANCE_RANGE_M[(scenario, "los")][1])


class PathlossTable:
    """One look-up table (immutable arrays).

    Attributes
    ----------
    values : ndarray, float32, shape (4, npts)
        Rows ROW_EXPECTED, ROW_LOS, ROW_NLOS [dB] and ROW_PLOS [-].
    s0 : float
        sqrt of the first distance [sqrt(m)].
    ds : float
        Step in sqrt(d_2d) [sqrt(m)].
    pl_min_beyond : ndarray, float64
        ``min over d' >= d`` of the expected path loss, per node, less 1e-3
        dB: a lower bound used for culling [dB].
    pl_min_beyond_any : ndarray, float64
        The same for the smallest loss of any LOS state (sampled LOS mode).
    """

    __slots__ = ("d_max", "d_min", "ds", "pl_min_beyond", "pl_min_beyond_any", "s0", "values")

    def __init__(self, values: np.ndarray, s0: float, ds: float, d_min: float, d_max: float):
        self.values = values
        self.s0 = s0
        self.ds = ds
        self.d_min = d_min
        self.d_max = d_max
        exp_row = values[ROW_EXPECTED].astype(np.float64)
        low = np.minimum(exp_row, values[ROW_LOS]).astype(np.float64)
        self.pl_min_beyond = np.minimum.accumulate(exp_row[::-1])[::-1] - 1e-3
        self.pl_min_beyond_any = np.minimum.accumulate(low[::-1])[::-1] - 1e-3
        for a in (self.values, self.pl_min_beyond, self.pl_min_beyond_any):
            a.flags.writeable = False

    def lookup(self, d_2d, row: int = ROW_EXPECTED) -> np.ndarray:
        """Interpolated value at ``d_2d`` [m] (NumPy; same rule as the kernel)."""
        d = np.maximum(np.asarray(d_2d, dtype=np.float64), self.d_min)
        u = (np.sqrt(d) - self.s0) / self.ds
        i = np.clip(u.astype(np.int64), 0, self.values.shape[1] - 2)
        f = u - i
        v = self.values[row].astype(np.float64)
        return v[i] + f * (v[i + 1] - v[i])

    def lower_bound(self, d_2d, any_state: bool = False) -> np.ndarray:
        """A lower bound of the expected path loss (``any_state``: of the loss in
        any LOS state) at distances >= ``d_2d`` [dB]."""
        d = np.maximum(np.asarray(d_2d, dtype=np.float64), self.d_min)
        u = (np.sqrt(d) - self.s0) / self.ds
        i = np.clip(np.floor(u).astype(np.int64), 0, self.values.shape[1] - 1)
        return (self.pl_min_beyond_any if any_state else self.pl_min_beyond)[i]


@functools.lru_cache(maxsize=4096)
def pl_table(
    scenario: str,
    h_bs: float,
    h_ut: float,
    f_c_ghz: float,
    d_max: float,
    npts: int = 16384,
    params: tuple[tuple[str, float], ...] = (),
) -> PathlossTable:
    """Build (or fetch from the cache) the look-up table of one link class.

    Parameters
    ----------
    scenario : str
        TR 38.901 scenario (``nrplan.radio.pathloss.SCENARIOS``).
    h_bs, h_ut : float
        BS and UT antenna heights [m].
    f_c_ghz : float
        Carrier frequency [GHz].
    d_max : float
        Largest horizontal distance the table must cover [m].
    npts : int
        Number of nodes.
    params : tuple of (str, float) pairs
        Extra keyword parameters of ``pathloss`` (e.g. InF ``r_clutter``,
        ``h_clutter``, ``d_clutter``, ``ceiling_m``; a tuple so the cache key
        includes them); the clutter ones also go to the LOS probability.

    Returns
    -------
    PathlossTable

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 and 7.4.2-1.
    """
    d_min = d2d_min(scenario)
    d_max = max(float(d_max), 2.0 * d_min)
    s0 = math.sqrt(d_min)
    # the curvature of a log-distance law in sqrt(d) scales as 1/s^2: keep the
    # step below 0.5 % of s0 (0.016 sqrt(m) at 10 m), which holds 0.01 dB.
    npts = max(int(npts), math.ceil((math.sqrt(d_max) - s0) / (0.005 * s0)) + 1)
    ds = (math.sqrt(d_max) - s0) / (npts - 1)
    s = s0 + ds * np.arange(npts)
    d = s * s
    d[0] = d_min
    kw = {"extrapolate": True, **dict(params)}  # far interferers lie beyond the 5/10 km range
    pl_los = np.asarray(pathloss(scenario, d, h_bs, h_ut, f_c_ghz, los="los", **kw))
    pl_nlos = np.asarray(pathloss(scenario, d, h_bs, h_ut, f_c_ghz, los="nlos", **kw))
    pl_exp = np.asarray(pathloss(scenario, d, h_bs, h_ut, f_c_ghz, los="prob", **kw))
    los_kw = {"h_bs": h_bs} if scenario.startswith("inf") else {}
    if scenario.startswith("inf"):  # the same clutter as pathloss(los="prob") uses
        los_kw.update({k: v for k, v in params if k in ("r_clutter", "h_clutter", "d_clutter")})
    p_los = np.broadcast_to(np.asarray(los_probability(scenario, d, h_ut=h_ut, **los_kw)), d.shape)
    values = np.stack([pl_exp, pl_los, pl_nlos, p_los]).astype(np.float32)
    if not np.isfinite(values).all():
        raise NrplanInputError(
            "path loss", f"{scenario} h_bs={h_bs} h_ut={h_ut}", "finite over the table range"
        )
    return PathlossTable(values, s0, ds, d_min, d_max)
