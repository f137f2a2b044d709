"""Neighbour culling per tile, with a stated bound on the interference neglected.

For a rectangular tile of pixels, every site group (sectors of one mast on one
band) gets two upper bounds from the distance between the mast and the tile's
rectangle and the largest gain of its beams (:func:`group_bounds`):

- ``serve_ub`` [dBm]: the highest SSB RSRP it could give any pixel of the tile
  (largest ``EPRE + G_ssb``, smallest path loss at that distance or farther,
  less the largest sampled shadowing gain).
- ``intf_ub`` [mW]: the most PDSCH interference it could add to any pixel
  (``sum load * P * G_avg_max / PL_min``);
- ``ss_ub`` [mW]: the most full-load SSB interference it could add to any
  pixel (``sum P * G_ssb_max / PL_min``, load 1: every SSB is sent in the same
  symbols), used when the SS-SINR is requested.

The kernel (:func:`nrplan.engine.kernels.run_tiles`) evaluates the groups of a
tile in decreasing ``serve_ub`` and stops at the first point where both
conditions hold on the pixels computed so far (which are then final):

- serving: every group not evaluated for serving has ``serve_ub`` below
  ``max(rsrp_floor_dbm, best_min - cap)``, ``best_min`` the smallest best RSRP
  over the tile (``-inf`` while a pixel has no server) and ``cap`` the margin
  cap and/or pilot-pollution window when those outputs are requested (0
  otherwise): such a group can be neither best, nor within the pollution
  window, nor resolve the capped margin. RSRP, best server, capped margin and
  pilot-pollution count are therefore exact;
- interference, per band b and per interference sum (PDSCH; and SS when the
  SS-SINR is requested): the sum ``R_b`` of the sum's bound (``intf_ub``,
  ``ss_ub``) over the groups not evaluated is at most ``eps * (N_b +
  I_min_b)``, ``eps = 10^(err/10) - 1``, ``I_min_b`` the smallest interference
  of that sum (kept groups, serving sector excluded) over the tile's pixels
  served on band b. For every such pixel the SINR computed without those
  groups then exceeds the exhaustive one by ``10 log10(1 + R_b / (N_b + I))
  <= err`` dB; this holds for the PDSCH SINR and the SS-SINR alike, and the
  largest realised ``R_b / (N_b + I_min_b)`` over tiles, bands and sums is
  reported as the prediction's ``sinr_truncation_bound_db``.

The minima only grow as groups are added (a new best server adds the old one's
interference), so the stopping point is found without second passes.

The gain bounds use the direction of the tile: with ``delta_min`` the smallest
horizontal bearing offset between a sector's boresight and the tile's angular
extent seen from the mast, the local azimuth of TR 38.901 7.1 (mechanical
downtilt beta, height difference dz, distance d >= d_min) satisfies
``|phi'| >= atan2(sin delta_min, cos delta_min + |dz| |sin beta| / d_min)``, and
every beam of ``parametric_pattern`` loses at least the element's horizontal
attenuation ``min(12 (phi'/65)^2, 30, a_max)`` (Table 7.3-1) there. A sector
facing away from a far tile is thus bounded by its back lobe, not its peak.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from nrplan.engine.model import Model
from nrplan.radio.antenna import ELEMENT_TABLE_7_3_1

_EL_PHI3 = float(ELEMENT_TABLE_7_3_1["phi_3db_deg"])
_EL_AMAX = float(ELEMENT_TABLE_7_3_1["a_max_db"])

__all__ = ["CullingArrays", "culling_arrays", "group_bounds"]


class CullingArrays:
    """Per-call arrays of the culling bounds (see :func:`culling_arrays`)."""

    __slots__ = ("plmin", "s_az_deg", "s_c", "shadow_gain")

    def __init__(self, plmin, s_az_deg, s_c, shadow_gain):
        self.plmin = plmin
        self.s_az_deg = s_az_deg
        self.s_c = s_c
        self.shadow_gain = shadow_gain


def culling_arrays(model: Model, shadow_gain: np.ndarray | None = None) -> CullingArrays:
    """Path-loss lower-bound tables, sector azimuths [deg], ``|dz|max |sin beta|``
    [m] per sector and the largest shadowing gain per group [dB]."""
    m = model
    ng = m.n_groups
    sizes = m.g_sec1 - m.g_sec0
    s_group = np.repeat(np.arange(ng), sizes)
    if len(m.cls_hut) and ng:
        dz = np.abs(m.cls_hut[:, None] - m.g_h[None, :]).max(axis=0)
    else:
        dz = np.zeros(ng)
    s_c = dz[s_group] * np.abs(m.s_sinmt)
    s_az = np.degrees(np.arctan2(m.s_sinaz, m.s_cosaz))
    npts = max((t.pl_min_beyond.size for t in m.tables), default=1)
    plmin = np.zeros((max(len(m.tables), 1), npts))
    for i, t in enumerate(m.tables):
        row = t.pl_min_beyond_any if m.config.los_mode == "sampled" else t.pl_min_beyond
        plmin[i, : row.size] = row
        plmin[i, row.size :] = row[-1]
    gain = np.zeros(ng) if shadow_gain is None else np.asarray(shadow_gain, dtype=np.float64)
    return CullingArrays(plmin, s_az, s_c, gain)


@njit(inline="always", cache=True)
def _wrap180(a):
    return (a + 180.0) % 360.0 - 180.0


@njit(cache=True)
def group_bounds(
    xa, xb, ya, yb, classes, g_x, g_y, g_tab, g_sec0, g_sec1, tab_dmin, tab_s0, tab_inv,
    plmin, shadow_gain, s_az, s_c, s_pat, s_epre, s_ptot, s_load, serve_ub, intf_ub, ss_ub,
):  # fmt: skip
    """Fill ``serve_ub`` [dBm], ``intf_ub`` and ``ss_ub`` [mW] of every group
    for the tile whose pixel centres span ``[xa, xb] x [yb, ya]`` and hold
    ``classes`` (see the module docstring)."""
    rad = math.pi / 180.0
    cx = 0.5 * (xa + xb)
    cy = 0.5 * (ya + yb)
    npl = plmin.shape[1]
    for g in range(g_x.size):
        gx = g_x[g]
        gy = g_y[g]
        ddx = max(max(xa - gx, gx - xb), 0.0)
        ddy = max(max(yb - gy, gy - ya), 0.0)
        dmin = math.sqrt(ddx * ddx + ddy * ddy)
        lb = np.inf
        for c in classes:
            t = g_tab[g, c]
            d = max(dmin, tab_dmin[t])
            u = (math.sqrt(d) - tab_s0[t]) * tab_inv[t]
            i = min(max(math.floor(u), 0), npl - 1)
            lb = min(lb, plmin[t, i])
        lb -= shadow_gain[g]
        bc = math.atan2(cx - gx, cy - gy) / rad
        lo = np.inf
        hi = -np.inf
        for k in range(4):
            x = xa if k < 2 else xb
            y = ya if k % 2 == 0 else yb
            off = _wrap180(math.atan2(x - gx, y - gy) / rad - bc)
            lo = min(lo, off)
            hi = max(hi, off)
        ssb = -np.inf
        ig = 0.0
        isg = 0.0
        for s in range(g_sec0[g], g_sec1[g]):
            delta = _wrap180(s_az[s] - bc)
            phi = 0.0
            if dmin > 0.0 and not (lo <= delta <= hi):
                below = abs(_wrap180(delta - lo))
                above = abs(_wrap180(delta - hi))
                dl = min(below, above) * rad
                phi = math.atan2(math.sin(dl), math.cos(dl) + s_c[s] / dmin) / rad
            q = phi / _EL_PHI3
            lh = min(12.0 * q * q, _EL_AMAX)
            g_ssb = s_pat[s, 0, 0] - min(lh, s_pat[s, 0, 3])
            g_avg = s_pat[s, 2, 0] - min(lh, s_pat[s, 2, 3])
            ssb = max(ssb, s_epre[s] + g_ssb)
            ig += s_load[s] * 10.0 ** ((s_ptot[s] + g_avg) / 10.0)
            isg += 10.0 ** ((s_ptot[s] + g_ssb) / 10.0)
        serve_ub[g] = ssb - lb
        pl_lin = 10.0 ** (-lb / 10.0)
        intf_ub[g] = ig * pl_lin
        ss_ub[g] = isg * pl_lin
