"""Compiled (Numba) kernels of the prediction engine.

One call evaluates one tile of pixels against its culled candidate site groups.
A *site group* is the sectors of one mast on one band: they share the pixel
geometry (horizontal distance, unit direction) and the path loss, which are
computed once per (pixel, group); the per-sector work is then a few products
(local angles from the dot and cross products with the sector's unit azimuth
vector, rotated by the mechanical downtilt), two polynomial arctangents, the
antenna pattern of two beams (the SSB beam only for groups that may serve, the
traffic beam only on a new best server) and one power of ten (the interference
power, by table and polynomial: no libm call).

Nothing is allocated per pixel: the two scratch buffers are allocated once per
row of the tile.

References
----------
3GPP TR 38.901 V17.0.0, clause 7.1 (local and global coordinate systems,
equations 7.1-7 and 7.1-8), Table 7.3-1 (antenna pattern), Table 7.4.1-1
(path loss), Table 7.4.2-1 (LOS probability).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from nrplan.radio.antenna import ELEMENT_TABLE_7_3_1

__all__ = [
    "ATAN_COEFFS",
    "ATAN_MAX_ERROR_RAD",
    "atan2_deg",
    "db_to_lin",
    "element_loss_db",
    "hash_uniform",
    "kernel_patterns",
    "pattern_db",
    "tile_kernel",
]

# Odd polynomial atan(t) ~ t * sum_k c_k t^(2k) on t in [0, 1], fitted by
# iteratively reweighted least squares (Lawson) on Chebyshev nodes; the maximum
# error over [0, 1] is below ATAN_MAX_ERROR_RAD (checked in tests), i.e.
# < 1.5e-5 deg, which moves a Table 7.3-1 pattern by < 1e-5 dB.
ATAN_COEFFS = (
    0.999996111549268,
    -0.33317368053408714,
    0.19807815551793595,
    -0.13233342043320026,
    0.07962367138969818,
    -0.03360421970764265,
    0.00681179300575109,
)
ATAN_MAX_ERROR_RAD = 2.5e-7

_C0, _C1, _C2, _C3, _C4, _C5, _C6 = ATAN_COEFFS
_RAD2DEG = 180.0 / math.pi
# fast-math without "nnan"/"ninf": the kernels use NaN (nodata) and -inf on purpose.
_FM = {"nsz", "arcp", "contract", "afn", "reassoc"}

# TR 38.901 V17.0.0 Table 7.3-1 element constants, as the radio module holds them.
_EL_THETA3 = float(ELEMENT_TABLE_7_3_1["theta_3db_deg"])
_EL_PHI3 = float(ELEMENT_TABLE_7_3_1["phi_3db_deg"])
_EL_SLAV = float(ELEMENT_TABLE_7_3_1["sla_v_db"])
_EL_AMAX = float(ELEMENT_TABLE_7_3_1["a_max_db"])


@njit(inline="always", fastmath=_FM, cache=True)
def atan2_deg(y: float, x: float) -> float:
    """atan2(y, x) in degrees via range reduction and a degree-13 odd polynomial."""
    ax = abs(x)
    ay = abs(y)
    mx = max(ax, ay)
    if mx == 0.0:
        return 0.0
    t = min(ax, ay) / mx
    t2 = t * t
    p = t * (_C0 + t2 * (_C1 + t2 * (_C2 + t2 * (_C3 + t2 * (_C4 + t2 * (_C5 + t2 * _C6))))))
    if ay > ax:
        p = 0.5 * math.pi - p
    if x < 0.0:
        p = math.pi - p
    if y < 0.0:
        p = -p
    return p * _RAD2DEG


@njit(inline="always", fastmath=_FM, cache=True)
def element_loss_db(theta_deg: float, phi_deg: float) -> float:
    """TR 38.901 Table 7.3-1 element attenuation [dB] (mechanical frame)."""
    q = (theta_deg - 90.0) / _EL_THETA3
    lv = min(12.0 * q * q, _EL_SLAV)
    q = phi_deg / _EL_PHI3
    lh = min(12.0 * q * q, _EL_AMAX)
    return min(lv + lh, _EL_AMAX)


@njit(inline="always", fastmath=_FM, cache=True)
def pattern_db(
    theta_deg: float, phi_deg: float, l_el: float, pat: np.ndarray, k: int, b: int, etilt: float
) -> float:
    """Gain [dBi] of beam ``b`` of sector ``k`` at local angles [deg].

    ``l_el`` is :func:`element_loss_db` at the same angles (shared by the
    beams); ``pat[k, b]`` holds the seven PatternParams with the beamwidths
    inverted (g_max_dbi, 1/phi_3db_deg, 1/theta_3db_deg, a_max_db, sla_v_db,
    scan_h_deg, scan_v_deg), see :func:`kernel_patterns`.
    The formula is that of ``nrplan.radio.antenna.parametric_pattern`` (tested
    equal): element loss plus the array factor's loss off its peak, which is
    steered at the target within the scan range; total capped at a_max.
    """
    v = theta_deg - 90.0 - etilt
    scan_v = pat[k, b, 6]
    scan_h = pat[k, b, 5]
    vs = min(max(v, -scan_v), scan_v)
    ps = min(max(phi_deg, -scan_h), scan_h)
    q = (v - vs) * pat[k, b, 2]
    l_af = min(12.0 * q * q, pat[k, b, 4])
    q = (phi_deg - ps) * pat[k, b, 1]
    l_af += min(12.0 * q * q, pat[k, b, 3])
    return pat[k, b, 0] - min(l_el + l_af, pat[k, b, 3])


def kernel_patterns(s_pat: np.ndarray) -> np.ndarray:
    """PatternParams array (nsec, 3, 7) with the two beamwidths replaced by
    their inverses (multiplications instead of divisions in the kernel)."""
    out = np.array(s_pat, dtype=np.float64, copy=True)
    out[..., 1] = 1.0 / out[..., 1]
    out[..., 2] = 1.0 / out[..., 2]
    return out


# 10^(x/10) = 2^n * 2^f: 2^n from a table (n in [-200, 199]) and 2^f, f in [0, 1),
# from a degree-6 least-squares polynomial (relative error < 1e-8, checked in tests):
# no libm call in the hot loop.
POW2_TABLE = np.ldexp(1.0, np.arange(-200, 200))
_POW2_OFF = 200
EXP2_COEFFS = (
    1.0000000061633398,
    0.6931468375991597,
    0.24023109736077605,
    0.05547891100749001,
    0.009686187797247132,
    0.0012382410639234078,
    0.00021871255334381177,
)
_E0, _E1, _E2, _E3, _E4, _E5, _E6 = EXP2_COEFFS
_LOG2_10_10 = math.log2(10.0) / 10.0


@njit(inline="always", fastmath=_FM, cache=True)
def db_to_lin(x: float, pow2: np.ndarray) -> float:
    """10^(x/10) [linear] of a level x [dB], via ``POW2_TABLE`` and ``EXP2_COEFFS``
    (0 below -600 dB)."""
    y = x * _LOG2_10_10
    n = math.floor(y)
    f = y - n
    p = _E0 + f * (_E1 + f * (_E2 + f * (_E3 + f * (_E4 + f * (_E5 + f * _E6)))))
    i = int(n) + _POW2_OFF
    if i < 0:
        return 0.0
    if i >= pow2.size:
        i = pow2.size - 1
    return p * pow2[i]


@njit(inline="always", cache=True)
def hash_uniform(key: np.uint64, a: np.int64, b: np.int64, c: np.int64) -> float:
    """Uniform [0, 1) from a SplitMix64 hash of (key, a, b, c): a counter-based
    generator, so a draw does not depend on tiling or evaluation order."""
    z = (
        key
        + np.uint64(a) * np.uint64(0x9E3779B97F4A7C15)
        + np.uint64(b) * np.uint64(0xC2B2AE3D27D4EB4F)
        + np.uint64(c) * np.uint64(0x165667B19E3779F9)
    )
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(parallel=True, fastmath=_FM, cache=True)
def tile_kernel(
    gr0,
    gc0,
    x_first,
    y_first,
    pix,
    cls,
    cls_hut,
    cand,
    n_serve,
    g_x,
    g_y,
    g_h,
    g_tab,
    g_sec0,
    g_sec1,
    g_uid,
    g_fld,
    fld,
    s_sinaz,
    s_cosaz,
    s_cosmt,
    s_sinmt,
    s_etilt,
    s_pat,
    s_epre,
    s_ptot,
    s_load,
    s_band,
    tables,
    tab_dmin,
    tab_s0,
    tab_inv,
    noise_lin,
    floor_dbm,
    window_db,
    margin_cap,
    los_sampled,
    los_key,
    use_fld,
    max_sec,
    o_best,
    o_rsrp,
    o_margin,
    o_sig,
    o_intf,
    o_sinr,
    o_nwin,
):
    """Evaluate one tile (see module docstring); writes the ``o_*`` tile buffers.

    ``cls`` (int16, nr x nc) is the class index per pixel (-1 = outside);
    the first ``n_serve`` candidate groups may serve (full evaluation), the
    others only interfere (no SSB beam, no RSRP);
    ``tables[t]`` rows are (expected PL, PL_LOS, PL_NLOS, p_LOS) on a grid
    uniform in sqrt(d_2d) starting at ``tab_s0[t]`` with step ``1 / tab_inv[t]``
    (distances below ``tab_dmin[t]`` take the value at it).
    ``g_fld`` rows are (offset, row0, col0, nrows, ncols) of each group's
    shadowing window in ``fld``.
    """
    nr, nc = cls.shape
    nb = noise_lin.size
    npts = tables.shape[2]
    ncand = cand.size
    pow2 = POW2_TABLE
    for r in prange(nr):
        ibuf = np.empty(nb, dtype=np.float64)
        rbuf = np.empty(max_sec, dtype=np.float64)
        y = y_first - (gr0 + r) * pix
        for c in range(nc):
            sc = cls[r, c]
            if sc < 0:
                o_best[r, c] = -1
                o_rsrp[r, c] = np.nan
                o_margin[r, c] = np.nan
                o_sig[r, c] = np.nan
                o_intf[r, c] = np.nan
                o_sinr[r, c] = np.nan
                o_nwin[r, c] = 0
                continue
            x = x_first + (gc0 + c) * pix
            hut = cls_hut[sc]
            for b in range(nb):
                ibuf[b] = 0.0
            best = -np.inf
            second = -np.inf
            bi = -1
            best_sig = 0.0
            best_own = 0.0
            m = 0
            for j in range(ncand):
                g = cand[j]
                dx = x - g_x[g]
                dy = y - g_y[g]
                d = math.sqrt(dx * dx + dy * dy)
                dz = hut - g_h[g]
                t = g_tab[g, sc]
                dd = d
                if dd < tab_dmin[t]:
                    dd = tab_dmin[t]
                u = (math.sqrt(dd) - tab_s0[t]) * tab_inv[t]
                if u < 0.0:
                    u = 0.0
                i = int(u)
                if i > npts - 2:
                    i = npts - 2
                f = u - i
                if los_sampled:
                    plos = tables[t, 3, i] + f * (tables[t, 3, i + 1] - tables[t, 3, i])
                    if hash_uniform(los_key, g_uid[g], gr0 + r, gc0 + c) < plos:
                        row = 1
                    else:
                        row = 2
                else:
                    row = 0
                pl = tables[t, row, i] + f * (tables[t, row, i + 1] - tables[t, row, i])
                if use_fld and g_fld[g, 3] > 0:
                    lr = gr0 + r - g_fld[g, 1]
                    lc = gc0 + c - g_fld[g, 2]
                    if lr >= 0 and lr < g_fld[g, 3] and lc >= 0 and lc < g_fld[g, 4]:
                        pl += fld[g_fld[g, 0] + lr * g_fld[g, 4] + lc]
                if d > 0.0:
                    hx = dx / d
                    hy = dy / d
                else:
                    hx = 0.0
                    hy = 0.0
                r2 = d * d + dz * dz
                serve = j < n_serve
                for k in range(g_sec0[g], g_sec1[g]):
                    # cos / sin of the bearing offset from boresight (dot and cross
                    # products with the unit azimuth vector), then the downtilt
                    # rotation about the local y axis (TR 38.901 eq. 7.1-7/-8).
                    cb = hx * s_sinaz[k] + hy * s_cosaz[k]
                    sb = hy * s_sinaz[k] - hx * s_cosaz[k]
                    xp = d * cb * s_cosmt[k] - dz * s_sinmt[k]
                    yp = d * sb
                    zp = d * cb * s_sinmt[k] + dz * s_cosmt[k]
                    rho2 = r2 - zp * zp
                    if rho2 < 0.0:
                        rho2 = 0.0
                    theta = 90.0 - atan2_deg(zp, math.sqrt(rho2))
                    phi = atan2_deg(yp, xp)
                    et = s_etilt[k]
                    lel = element_loss_db(theta, phi)
                    gavg = pattern_db(theta, phi, lel, s_pat, k, 2, et)
                    lin = s_load[k] * db_to_lin(s_ptot[k] + gavg - pl, pow2)
                    ibuf[s_band[k]] += lin
                    if not serve:
                        continue
                    rsrp = s_epre[k] + pattern_db(theta, phi, lel, s_pat, k, 0, et) - pl
                    if rsrp >= floor_dbm:
                        rbuf[m] = rsrp
                        m += 1
                        if rsrp > best:
                            second = best
                            best = rsrp
                            bi = k
                            best_sig = s_ptot[k] + pattern_db(theta, phi, lel, s_pat, k, 1, et) - pl
                            best_own = lin
                        elif rsrp > second:
                            second = rsrp
            if bi < 0:
                o_best[r, c] = -1
                o_rsrp[r, c] = np.nan
                o_margin[r, c] = np.nan
                o_sig[r, c] = np.nan
                o_intf[r, c] = np.nan
                o_sinr[r, c] = np.nan
                o_nwin[r, c] = 0
                continue
            band = s_band[bi]
            itot = ibuf[band] - best_own
            if itot < 0.0:
                itot = 0.0
            lo = best - window_db
            cnt = 0
            for q in range(m):
                if rbuf[q] >= lo:
                    cnt += 1
            if second < floor_dbm:
                second = floor_dbm
            if second < best - margin_cap:
                second = best - margin_cap
            o_best[r, c] = bi
            o_rsrp[r, c] = best
            o_margin[r, c] = best - second
            o_sig[r, c] = best_sig
            o_intf[r, c] = 10.0 * math.log10(itot) if itot > 0.0 else -np.inf
            o_sinr[r, c] = best_sig - 10.0 * math.log10(itot + noise_lin[band])
            o_nwin[r, c] = cnt
