"""Per-site terrain windows: profile extraction and diffraction in compiled code.

For every site group (the sectors of one mast on one band) and every pixel of a
square window around the mast, :func:`terrain_windows` extracts the terrain
profile between the mast and the pixel from the height rasters already
resampled to the prediction grid, evaluates the Bullington diffraction loss of
ITU-R P.526-15 4.5 (:func:`nrplan.terrain.diffraction.bullington_db`) on it and
on the flat profile the flat model stands on, and stores the difference, plus
the change of path-loss state where the terrain alone blocks the direct ray, as
a dB adjustment of that pixel's path loss from that group:

``A = L_b(terrain profile) - L_b(flat profile)
     + [blocked by terrain, not on flat ground] x (PL_NLOS(d) - PL_used(d))
     + PL_row(d, h_BS') - PL_row(d, h_BS)``

- heights are relative to the ground under the mast (a constant plateau gives
  exactly the flat profile: every adjustment is exactly 0);
- antennas stand on the terrain: transmitter ``h_BS`` above the mast's ground,
  receiver ``h_UT`` above the pixel's ground, so the geometry of the profile
  uses the effective heights of the antennas over the terrain between them;
- the profile samples the obstacle raster (ground, plus the DSM's excess over
  the class's clutter height when a surface model is given; already resampled
  to the grid) at the nearest pixel of ``n - 1`` equally spaced interior
  points, ``n = min(ceil(d / pixel), max_samples)`` (one sample per pixel up
  to ``max_samples``);
- the BS height in the TR 38.901 path loss is the effective height above the
  receiver's ground, ``h_BS' = h_BS + z_BS - z_UT`` (clamped), through small
  height-ladder tables: the term ``PL(d, h_BS') - PL(d, h_BS)`` is added;
- the window is the disc of radius ``radius`` around the mast (0 outside);
- ``PL_used`` is what the kernel would otherwise use (the LOS-probability
  weighted expected path loss, or the path loss of the sampled LOS state drawn
  with the kernel's own counter-based hash), ``PL_NLOS`` the NLOS path loss of
  the same TR 38.901 table: a pixel the terrain hides is NLOS whatever the LOS
  probability of its distance says.

The work of a group is one pass over its window (parallel over groups); the
kernel then adds the window to the path loss like a sampled shadowing field.

References
----------
ITU-R P.526-15 (2019) 4.1 eq. (31), 4.5; 3GPP TR 38.901 V17.0.0 Table
7.4.1-1, Table 7.4.2-1.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from nrplan.engine.kernels import hash_uniform
from nrplan.terrain.diffraction import knife_edge_db

__all__ = ["bilinear", "profile_losses", "terrain_windows"]


@njit(inline="always", cache=True)
def bilinear(a, fr, fc):
    """Bilinear value of raster ``a`` at fractional (row, col) of pixel centres,
    clamped to the raster; exact on a constant raster (``a + t (b - a)`` form)."""
    nr, nc = a.shape
    fr = min(max(fr, 0.0), nr - 1.0)
    fc = min(max(fc, 0.0), nc - 1.0)
    r0 = min(int(fr), nr - 1)
    c0 = min(int(fc), nc - 1)
    r1 = min(r0 + 1, nr - 1)
    c1 = min(c0 + 1, nc - 1)
    tr = fr - r0
    tc = fc - c0
    top = a[r0, c0] + tc * (a[r0, c1] - a[r0, c0])
    bot = a[r1, c0] + tc * (a[r1, c1] - a[r1, c0])
    return top + tr * (bot - top)


@njit(inline="always", cache=True)
def _table(row, d, dmin, s0, inv, imax):
    u = max((math.sqrt(max(d, dmin)) - s0) * inv, 0.0)
    i = min(int(u), imax)
    f = u - i
    return row[i] + f * (row[i + 1] - row[i]), i, f


@njit(inline="always", cache=True)
def _eff_table(e, h, d, s0, inv_ds, lnh0, inv_lnstep):
    """Bilinear value of one height-ladder table ``e[k, j]`` (heights on a log
    ladder, distances uniform in sqrt(d)) at height ``h`` and distance ``d``."""
    nk, nj = e.shape
    u = min(max((math.log(h) - lnh0) * inv_lnstep, 0.0), nk - 1.0)
    k = min(int(u), nk - 2)
    fk = u - k
    v = min(max((math.sqrt(d) - s0) * inv_ds, 0.0), nj - 1.0)
    j = min(int(v), nj - 2)
    fj = v - j
    a = e[k, j] + fj * (e[k, j + 1] - e[k, j])
    b = e[k + 1, j] + fj * (e[k + 1, j + 1] - e[k + 1, j])
    return a + fk * (b - a)


@njit(inline="always", cache=True)
def _bullington_from_maxima(s_tim, s_rim, s_nu, d, h_ts, h_rs, lam):
    """L_b [dB] and the transhorizon flag from the profile maxima of
    :func:`profile_losses` (P.526-15 4.5; lengths as fractions of ``d``)."""
    if s_tim < h_rs - h_ts:  # Stim < Str: line of sight, largest nu
        nu = math.copysign(math.sqrt(abs(s_nu) * 2.0 / (lam * d)), s_nu)
        blocked = False
    else:  # Bullington point of the two horizon rays, at tb = d_b / d
        tb = (h_rs - h_ts + s_rim) / (s_tim + s_rim)
        tb = min(max(tb, 1e-3), 1.0 - 1e-3)
        clear = h_ts + s_tim * tb - (h_ts * (1.0 - tb) + h_rs * tb)
        nu = clear * math.sqrt(2.0 / (lam * d * tb * (1.0 - tb)))
        blocked = True
    if nu <= -0.78:
        return 0.0, blocked
    l_uc = knife_edge_db(nu)
    return l_uc + (1.0 - math.exp(-l_uc / 6.0)) * (10.0 + 0.02 * d * 1e-3), blocked


@njit(cache=True)
def profile_losses(obst, fr_m, fc_m, rr, cc, z_m, n, d, h_ts, h_rs, h_ut, lam, a_e, inv_i):
    """Bullington loss of the terrain profile and of the flat profile in one pass.

    The ``n - 1`` interior points ``t_i = i / n`` of the path from the mast
    (fractional grid position ``fr_m, fc_m``, ground ``z_m``) to pixel
    ``(rr, cc)`` are read from ``obst`` (nearest pixel: the heights are
    already resampled to the grid) relative to ``z_m``; the flat
    profile is 0 everywhere with the receiver at ``h_ut``. The maxima of
    P.526-15 4.5 are kept in units of the path length (``Stim d``, ``Srim d``)
    and, for the line-of-sight case, ``nu^2 lambda d / 2`` with its sign (the
    largest ``nu`` without a square root per point); ``inv_i[i] = 1 / i``.
    Equal to :func:`nrplan.terrain.diffraction.bullington_db` on the same
    points (tested).

    Returns
    -------
    (L_terrain, blocked_terrain, L_flat, blocked_flat)
    """
    kb = d * d / (2.0 * a_e)
    fn = float(n)
    nrows, ncols = obst.shape
    ta = -np.inf
    ra = -np.inf
    na = -np.inf
    tf = -np.inf
    rf = -np.inf
    nf = -np.inf
    for i in range(1, n):
        t = i / fn
        inv_t = fn * inv_i[i]
        inv_u = fn * inv_i[n - i]
        inv_q = inv_t * inv_u
        b = t * (1.0 - t) * kb
        # nearest pixel of the grid-resampled heights (the grid is the profile's resolution)
        pr = min(max(int(fr_m + t * (rr - fr_m) + 0.5), 0), nrows - 1)
        pc = min(max(int(fc_m + t * (cc - fc_m) + 0.5), 0), ncols - 1)
        z = obst[pr, pc] - z_m
        h = z + b
        ta = max(ta, (h - h_ts) * inv_t)
        ra = max(ra, (h - h_rs) * inv_u)
        c = h - (h_ts * (1.0 - t) + h_rs * t)
        na = max(na, c * abs(c) * inv_q)
        tf = max(tf, (b - h_ts) * inv_t)
        rf = max(rf, (b - h_ut) * inv_u)
        c = b - (h_ts * (1.0 - t) + h_ut * t)
        nf = max(nf, c * abs(c) * inv_q)
    if n < 2:
        return 0.0, False, 0.0, False
    l_a, blk_a = _bullington_from_maxima(ta, ra, na, d, h_ts, h_rs, lam)
    l_f, blk_f = _bullington_from_maxima(tf, rf, nf, d, h_ts, h_ut, lam)
    return l_a, blk_a, l_f, blk_f


@njit(parallel=True, cache=True)
def terrain_windows(
    ground, obst, cls, cls_hut, x_first, y_first, pix, g_x, g_y, g_h, g_lam, g_tab, g_uid,
    g_win, tables, tab_dmin, tab_s0, tab_inv, los_sampled, los_key, max_samples, a_e, values,
    g_min, eff, eff_ok, eff_s0, eff_inv, h_lo, h_hi, lnh0, inv_lnstep, radius,
):  # fmt: skip
    """Fill ``values`` (float32, flat) with the terrain adjustment [dB] of every
    group's window ``g_win[g] = (offset, row0, col0, nrows, ncols)`` and
    ``g_min[g]`` with its smallest value (see the module docstring).

    ``ground`` and ``obst`` are float64 grid-shaped heights [m] (ground for the
    antennas' feet, obstacles for the profile's interior points); ``cls`` the
    pixel classes (-1 outside: adjustment 0), ``g_lam`` the group's wavelength
    [m]; ``tables`` the path-loss tables of the model (rows expected, LOS, NLOS,
    P_LOS), ``g_tab[g, class]`` the table of a group and class. Pixels farther
    than ``radius`` [m] from the mast get 0 (a circular window).

    ``eff[t, row]`` (rows expected, LOS, NLOS) is the path loss of table
    ``t``'s link class on a ladder of BS heights (log-spaced from ``exp(lnh0)``)
    and distances (uniform in sqrt(d) from ``eff_s0[t]``): the effective-height
    term ``eff(h_eff, d) - eff(h_BS, d)`` with ``h_eff = h_BS + z_BS - z_UT``
    clamped to ``[h_lo, h_hi]`` (only where ``eff_ok[t]``).
    """
    npts = tables.shape[2]
    imax = npts - 2
    ng = g_x.size
    for g in prange(ng):
        off = g_win[g, 0]
        r0 = g_win[g, 1]
        c0 = g_win[g, 2]
        nr = g_win[g, 3]
        nc = g_win[g, 4]
        gmin = 0.0
        if nr == 0:
            g_min[g] = 0.0
            continue
        gx = g_x[g]
        gy = g_y[g]
        fr_m = (y_first - gy) / pix
        fc_m = (gx - x_first) / pix
        z_m = bilinear(ground, fr_m, fc_m)
        h_ts = g_h[g]
        lam = g_lam[g]
        inv_i = np.zeros(max_samples + 1)
        for i in range(1, max_samples + 1):
            inv_i[i] = 1.0 / i
        for r in range(nr):
            for c in range(nc):
                rr = r0 + r
                cc = c0 + c
                k = off + r * nc + c
                cl = cls[rr, cc]
                if cl < 0:
                    values[k] = 0.0
                    continue
                dx = x_first + cc * pix - gx
                dy = y_first - rr * pix - gy
                d = math.sqrt(dx * dx + dy * dy)
                if d <= pix or d > radius:
                    values[k] = 0.0
                    continue
                n = min(math.ceil(d / pix), max_samples)
                h_ut = cls_hut[cl]
                h_rs = (ground[rr, cc] - z_m) + h_ut
                l_a, blk_a, l_f, blk_f = profile_losses(
                    obst, fr_m, fc_m, rr, cc, z_m, n, d, h_ts, h_rs, h_ut, lam, a_e, inv_i
                )
                adj = l_a - l_f
                t_id = g_tab[g, cl]
                switch = blk_a and not blk_f
                dz_ground = z_m - ground[rr, cc]
                if switch or (eff_ok[t_id] and dz_ground != 0.0):
                    tab = tables[t_id]
                    pl_n, i0, f0 = _table(
                        tab[2], d, tab_dmin[t_id], tab_s0[t_id], tab_inv[t_id], imax
                    )
                    if los_sampled:
                        plos = tab[3, i0] + f0 * (tab[3, i0 + 1] - tab[3, i0])
                        row = 1 if hash_uniform(los_key, g_uid[g], rr, cc) < plos else 2
                    else:
                        row = 0
                    if switch:
                        pl_u = tab[row, i0] + f0 * (tab[row, i0 + 1] - tab[row, i0])
                        adj += max(pl_n - pl_u, 0.0)
                        row = 2
                    if eff_ok[t_id] and dz_ground != 0.0:
                        h_b = min(max(h_ts, h_lo), h_hi)
                        h_e = min(max(h_ts + dz_ground, h_lo), h_hi)
                        e = eff[t_id, row]
                        s0e = eff_s0[t_id]
                        ie = eff_inv[t_id]
                        adj += _eff_table(e, h_e, d, s0e, ie, lnh0, inv_lnstep) - _eff_table(
                            e, h_b, d, s0e, ie, lnh0, inv_lnstep
                        )
                values[k] = adj
                gmin = min(gmin, adj)
        g_min[g] = gmin
