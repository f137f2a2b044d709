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

The gain bounds use the direction of the tile. Horizontally: with
``delta_min`` the smallest bearing offset between a sector's boresight and the
tile's angular extent seen from the mast, the local azimuth of TR 38.901 7.1
(mechanical downtilt beta, height difference dz, distance d >= d_min)
satisfies ``|phi'| >= atan2(sin delta_min, cos delta_min + |dz| |sin beta| /
d_min)``. Vertically: the local elevation of TR 38.901 eq. 7.1-7 is exactly
``sin(el) = cos(D) sin(beta) cos(psi) + cos(beta) sin(psi)``, with ``D`` the
bearing offset from the boresight (its range over the tile gives the range of
``cos D``) and ``psi = atan2(dz, d)`` the elevation of the pixel from the
antenna (``d`` in [d_min, d_max] over the tile, ``dz`` over the pixel classes
present); being linear in ``cos D`` and a sinusoid in ``psi``, its range
follows from the ends and the crest / trough, so ``theta' - 90 = -el`` and the
array-factor angle ``v = -el - etilt`` have stated ranges. Every beam of
``parametric_pattern`` then loses at least ``min(L_el + L_af, a_max)`` with
``L_el`` the element's attenuation at the smallest ``|phi'|`` and ``|theta' -
90|`` (Table 7.3-1) and ``L_af`` the array factor's roll-off beyond its scan
range at the smallest ``|phi'| - scan_h`` and ``|v| - scan_v`` (0 inside). A
sector facing away from a far tile is thus bounded by its back lobe, and the
fixed-tilt SSB beam of a far site by its vertical pattern near the horizon,
not by their peaks.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from nrplan.engine.model import Model
from nrplan.radio.antenna import ELEMENT_TABLE_7_3_1

_EL_PHI3 = float(ELEMENT_TABLE_7_3_1["phi_3db_deg"])
_EL_THETA3 = float(ELEMENT_TABLE_7_3_1["theta_3db_deg"])
_EL_SLAV = float(ELEMENT_TABLE_7_3_1["sla_v_db"])
_EL_AMAX = float(ELEMENT_TABLE_7_3_1["a_max_db"])

__all__ = ["CullingArrays", "culling_arrays", "group_bounds"]


class CullingArrays:
    """Per-call arrays of the culling bounds (see :func:`culling_arrays`)."""

    __slots__ = ("plmin", "s_az_deg", "s_c", "s_tilt", "shadow_gain")

    def __init__(self, plmin, s_az_deg, s_c, s_tilt, shadow_gain):
        self.plmin = plmin
        self.s_az_deg = s_az_deg
        self.s_c = s_c
        self.s_tilt = s_tilt
        self.shadow_gain = shadow_gain


def culling_arrays(model: Model, shadow_gain: np.ndarray | None = None) -> CullingArrays:
    """Path-loss lower-bound tables, sector azimuths [deg], ``|dz|max |sin beta|``
    [m] per sector, ``(sin beta, cos beta, etilt [deg])`` per sector and the
    largest shadowing gain per group [dB]."""
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
    s_tilt = np.ascontiguousarray(np.stack([m.s_sinmt, m.s_cosmt, m.s_etilt], axis=1))
    npts = max((t.pl_min_beyond.size for t in m.tables), default=1)
    plmin = np.zeros((max(len(m.tables), 1), npts))
    for i, t in enumerate(m.tables):
        row = t.pl_min_beyond_any if m.config.los_mode == "sampled" else t.pl_min_beyond
        plmin[i, : row.size] = row
        plmin[i, row.size :] = row[-1]
    gain = np.zeros(ng) if shadow_gain is None else np.asarray(shadow_gain, dtype=np.float64)
    return CullingArrays(plmin, s_az, s_c, s_tilt, gain)


@njit(inline="always", cache=True)
def _wrap180(a):
    """``(a + 180) % 360 - 180`` (Python's modulo), without its ``fmod`` and
    division for ``a + 180`` in ``[-360, 720)``, where the branches below are
    the same exact operations (``fmod`` of such a value is the value or the
    value less 360, both exact; a negative one gets 360 added)."""
    y = a + 180.0
    if y >= 0.0:
        if y >= 360.0:
            if y >= 720.0:
                return y % 360.0 - 180.0
            y -= 360.0
    elif y >= -360.0:
        y += 360.0
    else:
        return y % 360.0 - 180.0
    return y - 180.0


@njit(inline="always", cache=True)
def _outside(lo, hi, half):
    """Smallest ``|x - clip(x, -half, half)|`` over ``x`` in ``[lo, hi]``."""
    if lo > half:
        return lo - half
    if hi < -half:
        return -half - hi
    return 0.0


@njit(inline="always", cache=True)
def _sin_elev_range(a_hi, a_lo, b, s1, c1, s2, c2):
    """Range of ``sin(el) = a cos(psi) + b sin(psi)`` over ``psi`` in ``[psi1, psi2]``
    (given by sin / cos, cos >= 0), with ``a = a_hi`` for the maximum and
    ``a = a_lo`` for the minimum, ``b > 0`` (a sinusoid in psi: extremes at the
    ends or at its crest / trough when inside)."""
    hi = max(a_hi * c1 + b * s1, a_hi * c2 + b * s2)
    # crest at tan(psi) = b / a_hi (a_hi > 0): inside iff tan(psi1) <= b/a <= tan(psi2)
    if a_hi > 0.0 and s1 * a_hi <= b * c1 and b * c2 <= s2 * a_hi:
        hi = math.sqrt(a_hi * a_hi + b * b)
    lo = min(a_lo * c1 + b * s1, a_lo * c2 + b * s2)
    # trough at tan(psi) = b / a_lo with cos(psi) > 0 iff a_lo < 0
    if a_lo < 0.0 and s1 * a_lo >= b * c1 and b * c2 >= s2 * a_lo:
        lo = -math.sqrt(a_lo * a_lo + b * b)
    return max(min(lo, 1.0), -1.0), max(min(hi, 1.0), -1.0)


@njit(cache=True)
def group_bounds(
    xa, xb, ya, yb, classes, cls_hut, g_x, g_y, g_h, g_tab, g_sec0, g_sec1, tab_dmin, tab_s0,
    tab_inv, plmin, shadow_gain, s_az, s_c, s_tilt, s_pat, s_epre, s_ptot, s_load,
    serve_ub, intf_ub, ss_ub, g_dzlo=None, g_dzhi=None,
):  # fmt: skip
    """Fill ``serve_ub`` [dBm], ``intf_ub`` and ``ss_ub`` [mW] of every group
    for the tile whose pixel centres span ``[xa, xb] x [yb, ya]`` and hold
    ``classes`` (see the module docstring). ``g_dzlo`` / ``g_dzhi`` (terrain:
    the tile's lowest / highest ground minus the group's mast ground [m])
    widen the height-difference range of the pixels."""
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
        fx = max(abs(xa - gx), abs(xb - gx))
        fy = max(abs(ya - gy), abs(yb - gy))
        dmax = math.sqrt(fx * fx + fy * fy)
        lb = np.inf
        dzlo = np.inf
        dzhi = -np.inf
        for c in classes:
            t = g_tab[g, c]
            d = max(dmin, tab_dmin[t])
            u = (math.sqrt(d) - tab_s0[t]) * tab_inv[t]
            i = min(max(math.floor(u), 0), npl - 1)
            lb = min(lb, plmin[t, i])
            dz = cls_hut[c] - g_h[g]
            dzlo = min(dzlo, dz)
            dzhi = max(dzhi, dz)
        if g_dzlo is not None:
            dzlo += g_dzlo[g]
            dzhi += g_dzhi[g]
        lb -= shadow_gain[g]
        far = dmin > 0.0
        # elevation angles psi = atan2(dz, d) of the tile's pixels from the antenna lie in
        # [psi1, psi2] (as sin / cos): lowest with the lowest dz, highest with the highest
        s1 = c1 = s2 = c2 = 0.0
        if far:
            d1 = dmax if dzlo >= 0.0 else dmin
            r1 = math.sqrt(d1 * d1 + dzlo * dzlo)
            s1, c1 = dzlo / r1, d1 / r1
            d2 = dmin if dzhi >= 0.0 else dmax
            r2 = math.sqrt(d2 * d2 + dzhi * dzhi)
            s2, c2 = dzhi / r2, d2 / r2
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
            lv_el = 0.0
            v_lo = -np.inf
            v_hi = np.inf
            if far:
                # bearing offsets of the pixels from the boresight: [a, b] (or across 180)
                a = _wrap180(lo - delta)
                b = _wrap180(hi - delta)
                if a <= b:
                    dlo = 0.0 if a <= 0.0 <= b else min(abs(a), abs(b))
                    dhi = max(abs(a), abs(b))
                else:
                    dlo = min(abs(a), abs(b))
                    dhi = 180.0
                cmax = math.cos(dlo * rad)
                if dlo > 0.0:
                    phi = math.atan2(math.sin(dlo * rad), cmax + s_c[s] / dmin) / rad
                # local elevation (TR 38.901 7.1, mechanical tilt beta):
                # sin(el) = cos(D) sin(beta) cos(psi) + cos(beta) sin(psi)
                sb = s_tilt[s, 0]
                cb = s_tilt[s, 1]
                cmin = math.cos(dhi * rad)
                a_hi = (cmax if sb >= 0.0 else cmin) * sb
                a_lo = (cmin if sb >= 0.0 else cmax) * sb
                f_lo, f_hi = _sin_elev_range(a_hi, a_lo, cb, s1, c1, s2, c2)
                el_lo = math.asin(f_lo) / rad
                el_hi = math.asin(f_hi) / rad
                # theta' - 90 = -el (element frame); v = -el - etilt (array-factor frame)
                q = _outside(-el_hi, -el_lo, 0.0) / _EL_THETA3
                lv_el = min(12.0 * q * q, _EL_SLAV)
                v_lo = -el_hi - s_tilt[s, 2]
                v_hi = -el_lo - s_tilt[s, 2]
            q = phi / _EL_PHI3
            l_el = min(min(12.0 * q * q, _EL_AMAX) + lv_el, _EL_AMAX)
            # every beam: g_max - min(L_el + L_af, a_max) with L_af >= its roll-off
            # beyond the scan range in each plane (parametric_pattern)
            g_ssb = s_pat[s, 0, 0] - _beam_loss_lb(s_pat, s, 0, l_el, phi, v_lo, v_hi)
            g_avg = s_pat[s, 2, 0] - _beam_loss_lb(s_pat, s, 2, l_el, phi, v_lo, v_hi)
            ssb = max(ssb, s_epre[s] + g_ssb)
            ig += s_load[s] * 10.0 ** ((s_ptot[s] + g_avg) / 10.0)
            isg += 10.0 ** ((s_ptot[s] + g_ssb) / 10.0)
        serve_ub[g] = ssb - lb
        pl_lin = 10.0 ** (-lb / 10.0)
        intf_ub[g] = ig * pl_lin
        ss_ub[g] = isg * pl_lin


@njit(inline="always", cache=True)
def _beam_loss_lb(s_pat, s, b, l_el, phi, v_lo, v_hi):
    """Lower bound of beam ``b``'s attenuation below its peak [dB] for a local
    azimuth ``|phi'| >= phi`` and an array-factor elevation ``v`` in
    ``[v_lo, v_hi]``, given the element's lower bound ``l_el``."""
    ov = _outside(v_lo, v_hi, s_pat[s, b, 6]) / s_pat[s, b, 2]
    oh = max(phi - s_pat[s, b, 5], 0.0) / s_pat[s, b, 1]
    l_af = min(12.0 * ov * ov, s_pat[s, b, 4]) + min(12.0 * oh * oh, s_pat[s, b, 3])
    return min(l_el + l_af, s_pat[s, b, 3])
