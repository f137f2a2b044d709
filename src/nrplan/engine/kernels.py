"""Compiled (Numba) kernels of the prediction engine.

One call evaluates one tile of pixels against its culled candidate site groups.
A *site group* is the sectors of one mast on one band: they share the pixel
geometry (horizontal distance, unit direction) and the path loss, which are
computed once per (pixel, group); the per-sector work is then a few products
(local angles from the dot and cross products with the sector's unit azimuth
vector, rotated by the mechanical downtilt), two polynomial arctangents, the
antenna pattern of the average beam, of the SSB beam (for groups that may serve
and, when SS-SINR is requested, for every group) and of the traffic beam (for
groups that may serve; kept where the sector becomes the best server), and one
or two powers of ten (the PDSCH interference power and, with SS-SINR, the
full-load SSB interference power; by polynomial and exponent bits: no libm
call). The beams share the angles and the element attenuation.

Two per-band interference sums are kept per pixel in float64, so that the
serving sector's own term is removed exactly:

- PDSCH: ``sum_k load_k P_k G_avg,k / PL_k`` (average beam, planning load);
- SS (only when requested): ``sum_k P_k G_ssb,k / PL_k`` (SSB beam, load 1:
  a synchronised TDD network sends every SSB in the same symbols).

The per-sector pixel loops write float32 streams only (powers, RSRP, signal)
and the float64 sums are added in loops of their own (:func:`_accumulate`), so
that the pattern arithmetic vectorises at the full float32 SIMD width (a
float64 stream in the same loop halves it); the best-server update is
branch-free (selects) for the same reason. Nothing is allocated per pixel: the
scratch buffers are allocated once per tile.

References
----------
3GPP TR 38.901 V17.0.0, clause 7.1 (local and global coordinate systems,
equations 7.1-7 and 7.1-8), Table 7.3-1 (antenna pattern), Table 7.4.1-1
(path loss), Table 7.4.2-1 (LOS probability).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic

from nrplan.engine.culling import group_bounds
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
    "run_tiles",
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
# Fast-math limited to FMA contraction and approximate functions: without
# "nnan"/"ninf" (the kernels use NaN (nodata) and -inf on purpose), and without
# "reassoc"/"arcp"/"nsz", with which LLVM compiles the same kernel into code that
# differs in the last float32 bit between a fresh compilation and Numba's
# on-disk cache, so that two processes (a Dask worker and the client) would
# plan slightly different networks.
FASTMATH = {"contract", "afn"}
_FM = FASTMATH

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


# ---------------------------------------------------------------------------
# float32 SIMD kernel: one tile at a time, site groups in the outer loop and the
# tile's pixels in the inner (vectorised) loops.
# ---------------------------------------------------------------------------

_f4 = np.float32
_A0, _A1, _A2, _A3, _A4, _A5, _A6 = (_f4(c) for c in ATAN_COEFFS)
_X0, _X1, _X2, _X3, _X4, _X5, _X6 = (_f4(c) for c in EXP2_COEFFS)
_PI_2 = _f4(0.5 * math.pi)
_PI = _f4(math.pi)
_R2D = _f4(_RAD2DEG)
_TINY = _f4(1e-30)
_ZERO = _f4(0.0)
_TWELVE = _f4(12.0)
_L2_10_10 = _f4(_LOG2_10_10)
_EL_INV_TH3 = _f4(1.0 / _EL_THETA3)
_EL_INV_PH3 = _f4(1.0 / _EL_PHI3)
_EL_SLAV32 = _f4(_EL_SLAV)
_EL_AMAX32 = _f4(_EL_AMAX)
_NINF = _f4(-np.inf)


@intrinsic
def _i32_as_f32(typingctx, v):
    """Reinterpret the bits of an int32 as a float32 (vectorises, unlike a table)."""
    sig = types.float32(types.int32)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], context.get_value_type(types.float32))

    return sig, codegen


@njit(inline="always", fastmath=_FM, cache=True)
def _atan_t32(ay, ax):
    """atan(min/max) in radians of two non-negative float32 and the swap flag."""
    mx = max(max(ax, ay), _TINY)
    t = min(ax, ay) / mx
    t2 = t * t
    p = t * (_A0 + t2 * (_A1 + t2 * (_A2 + t2 * (_A3 + t2 * (_A4 + t2 * (_A5 + t2 * _A6))))))
    return _PI_2 - p if ay > ax else p


@njit(inline="always", fastmath=_FM, cache=True)
def atan2_deg32(y, x):
    """float32 twin of :func:`atan2_deg` (same polynomial, branch-free)."""
    p = _atan_t32(abs(y), abs(x))
    p = _PI - p if x < _ZERO else p
    p = -p if y < _ZERO else p
    return p * _R2D


@njit(inline="always", fastmath=_FM, cache=True)
def elev_deg32(z, rho):
    """atan2(z, rho) [deg] for rho >= 0 (elevation above the local xy plane)."""
    p = _atan_t32(abs(z), rho)
    p = -p if z < _ZERO else p
    return p * _R2D


@njit(inline="always", fastmath=_FM, cache=True)
def db_to_lin32(x):
    """float32 10^(x/10) via ``EXP2_COEFFS`` and the exponent bits (0 below ~ -380 dB)."""
    y = x * _L2_10_10
    n = np.floor(y)
    f = y - n
    p = _X0 + f * (_X1 + f * (_X2 + f * (_X3 + f * (_X4 + f * (_X5 + f * _X6)))))
    e = np.int32(max(min(n, _f4(127.0)), _f4(-127.0))) + np.int32(127)
    return p * _i32_as_f32(e << np.int32(23))


@njit(fastmath=_FM, cache=True)
def _pl_expected(p0, p1, X, Y, gx, gy, row, dmin, s0, inv, imax, dz, PL, DZ):
    """Interpolated path loss of pixels p0..p1 from one group (one class)."""
    for p in range(p0, p1):
        dx = X[p] - gx
        dy = Y[p] - gy
        d = np.sqrt(dx * dx + dy * dy)
        u = (np.sqrt(max(d, dmin)) - s0) * inv
        i = min(np.int32(max(u, _ZERO)), imax)
        f = u - np.float32(i)
        a = row[i]
        PL[p] = a + f * (row[i + 1] - a)
        DZ[p] = dz


@njit(fastmath=_FM, cache=True)
def _pl_general(
    p0, p1, X, Y, PR, PC, gx, gy, tab, dmin, s0, inv, imax, dz, los_sampled, los_key, uid,
    use_fld, fo, fr0, fc0, fnr, fnc, fld, PL, DZ, use_pxl, pxl, use_tdz, tdz, zm,
):  # fmt: skip
    """Path loss with a sampled LOS state and/or a per-mast dB window (sampled
    shadowing, terrain adjustment) and/or a per-pixel loss ``pxl[row, col]``
    (terminal clutter loss) (scalar loop); with ``use_tdz`` the height
    difference gets the pixel's ground ``tdz`` minus the mast's ``zm``."""
    for p in range(p0, p1):
        dx = X[p] - gx
        dy = Y[p] - gy
        d = np.sqrt(dx * dx + dy * dy)
        u = (np.sqrt(max(d, dmin)) - s0) * inv
        u = max(u, _ZERO)
        i = min(np.int32(u), imax)
        f = u - np.float32(i)
        r = 0
        if los_sampled:
            plos = tab[3, i] + f * (tab[3, i + 1] - tab[3, i])
            r = 1 if hash_uniform(los_key, uid, PR[p], PC[p]) < plos else 2
        pl = tab[r, i] + f * (tab[r, i + 1] - tab[r, i])
        if use_fld and fnr > 0:
            lr = PR[p] - fr0
            lc = PC[p] - fc0
            if lr >= 0 and lr < fnr and lc >= 0 and lc < fnc:
                pl += fld[fo + lr * fnc + lc]
        if use_pxl:
            pl += pxl[PR[p], PC[p]]
        PL[p] = pl
        if use_tdz:  # terrain: the pixel's ground relative to the mast's
            DZ[p] = dz + (tdz[PR[p], PC[p]] - zm)
        else:
            DZ[p] = dz


@njit(inline="always", fastmath=_FM, cache=True)
def _angles(dx, dy, dz, sa, ca, cm, sm):
    """Local elevation and azimuth [deg] (TR 38.901 eq. 7.1-7/-8) from the
    offsets; sa, ca: sin/cos of the compass azimuth; cm, sm: of the downtilt."""
    dcb = dx * sa + dy * ca  # d cos(bearing offset)
    dsb = dy * sa - dx * ca  # d sin(bearing offset)
    xp = dcb * cm - dz * sm
    zp = dcb * sm + dz * cm
    el = elev_deg32(zp, np.sqrt(xp * xp + dsb * dsb))
    phi = atan2_deg32(dsb, xp)
    return el, phi


@njit(inline="always", fastmath=_FM, cache=True)
def _beam32(v, phi, lel, g0, iph, ith, amax, sla, sh, sv):
    """Gain [dBi] of one beam (float32 params as in :func:`pattern_db`, passed as
    scalars so that the pixel loops vectorise); v = theta' - 90 - etilt."""
    q = (v - min(max(v, -sv), sv)) * ith
    laf = min(_TWELVE * q * q, sla)
    q = (phi - min(max(phi, -sh), sh)) * iph
    laf += min(_TWELVE * q * q, amax)
    return g0 - min(lel + laf, amax)


@njit(inline="always", cache=True)
def _beam_params(pk, b):
    return pk[b, 0], pk[b, 1], pk[b, 2], pk[b, 3], pk[b, 4], pk[b, 5], pk[b, 6]


@njit(inline="always", fastmath=_FM, cache=True)
def _elem32(el, phi):
    q = el * _EL_INV_TH3
    lv = min(_TWELVE * q * q, _EL_SLAV32)
    q = phi * _EL_INV_PH3
    lh = min(_TWELVE * q * q, _EL_AMAX32)
    return min(lv + lh, _EL_AMAX32)


@njit(fastmath=_FM, cache=True)
def _accumulate(npx, LN, IA):
    """``IA += LN`` in float64 (a loop of its own: the float32 pattern loops,
    without a float64 stream, vectorise at the full float32 width)."""
    for p in range(npx):
        IA[p] += np.float64(LN[p])


@njit(fastmath=_FM, cache=True)
def _sector_intf(npx, X, Y, DZ, PL, gx, gy, sa, ca, cm, sm, et, pk, load, ptot, LN, IA):
    """Add one interfering-only sector's load-weighted power to ``IA`` (``LN``:
    scratch for the float32 powers)."""
    a0, a1, a2, a3, a4, a5, a6 = _beam_params(pk, 2)
    for p in range(npx):
        el, phi = _angles(X[p] - gx, Y[p] - gy, DZ[p], sa, ca, cm, sm)
        lel = _elem32(el, phi)
        gavg = _beam32(-el - et, phi, lel, a0, a1, a2, a3, a4, a5, a6)
        LN[p] = load * db_to_lin32(ptot + gavg - PL[p])
    _accumulate(npx, LN, IA)


@njit(fastmath=_FM, cache=True)
def _sector_intf_ss(
    npx, X, Y, DZ, PL, gx, gy, sa, ca, cm, sm, et, pk, load, ptot, LN, LS, IA, IS
):  # fmt: skip
    """:func:`_sector_intf` plus the sector's full-load SSB power into ``IS``
    (SSB and average beams share the angles and the element attenuation;
    ``LN``, ``LS``: scratch for the float32 powers)."""
    a0, a1, a2, a3, a4, a5, a6 = _beam_params(pk, 2)
    b0, b1, b2, b3, b4, b5, b6 = _beam_params(pk, 0)
    for p in range(npx):
        pl = PL[p]
        el, phi = _angles(X[p] - gx, Y[p] - gy, DZ[p], sa, ca, cm, sm)
        lel = _elem32(el, phi)
        v = -el - et
        gavg = _beam32(v, phi, lel, a0, a1, a2, a3, a4, a5, a6)
        gssb = _beam32(v, phi, lel, b0, b1, b2, b3, b4, b5, b6)
        LN[p] = load * db_to_lin32(ptot + gavg - pl)
        LS[p] = db_to_lin32(ptot + gssb - pl)
    _accumulate(npx, LN, IA)
    _accumulate(npx, LS, IS)


@njit(fastmath=_FM, cache=True)
def _sector_serve(
    npx, X, Y, DZ, PL, gx, gy, sa, ca, cm, sm, et, pk, load, ptot, epre, RS, LN, SG
):  # fmt: skip
    """One sector that may serve: its RSRP (RS), interference power (LN) and
    traffic-beam signal ``P + G_traffic - PL`` (SG) per pixel (float32 streams
    only, so that the loop vectorises at full width)."""
    a0, a1, a2, a3, a4, a5, a6 = _beam_params(pk, 2)
    b0, b1, b2, b3, b4, b5, b6 = _beam_params(pk, 0)
    c0, c1, c2, c3, c4, c5, c6 = _beam_params(pk, 1)
    for p in range(npx):
        pl = PL[p]
        el, phi = _angles(X[p] - gx, Y[p] - gy, DZ[p], sa, ca, cm, sm)
        lel = _elem32(el, phi)
        v = -el - et
        LN[p] = load * db_to_lin32(ptot + _beam32(v, phi, lel, a0, a1, a2, a3, a4, a5, a6) - pl)
        RS[p] = epre + _beam32(v, phi, lel, b0, b1, b2, b3, b4, b5, b6) - pl
        SG[p] = ptot + _beam32(v, phi, lel, c0, c1, c2, c3, c4, c5, c6) - pl


@njit(fastmath=_FM, cache=True)
def _sector_serve_ss(
    npx, X, Y, DZ, PL, gx, gy, sa, ca, cm, sm, et, pk, load, ptot, epre, RS, LN, SG, LS, IS
):  # fmt: skip
    """:func:`_sector_serve` plus the full-load SSB power ``P + G_ssb - PL``:
    into ``LS`` (linear, kept for the exact removal of the server's own term)
    and added to the SS interference sum ``IS``."""
    a0, a1, a2, a3, a4, a5, a6 = _beam_params(pk, 2)
    b0, b1, b2, b3, b4, b5, b6 = _beam_params(pk, 0)
    c0, c1, c2, c3, c4, c5, c6 = _beam_params(pk, 1)
    for p in range(npx):
        pl = PL[p]
        el, phi = _angles(X[p] - gx, Y[p] - gy, DZ[p], sa, ca, cm, sm)
        lel = _elem32(el, phi)
        v = -el - et
        LN[p] = load * db_to_lin32(ptot + _beam32(v, phi, lel, a0, a1, a2, a3, a4, a5, a6) - pl)
        gs = _beam32(v, phi, lel, b0, b1, b2, b3, b4, b5, b6) - pl
        RS[p] = epre + gs
        LS[p] = db_to_lin32(ptot + gs)
        SG[p] = ptot + _beam32(v, phi, lel, c0, c1, c2, c3, c4, c5, c6) - pl
    _accumulate(npx, LS, IS)


@njit(fastmath=_FM, cache=True)
def _update_best(npx, k, floor, RS, LN, SG, LS, IA, BEST, SECOND, BI, BSIG, BOWN, SOWN):
    """Add sector k's interference and update best / second best (ties to the
    lower sorted index, as the exhaustive argmax); where k becomes the best its
    traffic-beam signal (``SG``) and its own PDSCH (``LN``) and SSB (``LS``)
    interference terms are kept, the latter two for their exact removal. The
    updates are selects (no branch), so that the loop vectorises."""
    _accumulate(npx, LN, IA)
    for p in range(npx):
        rsrp = RS[p]
        b0 = BEST[p]
        s0 = SECOND[p]
        bi = BI[p]
        ok = rsrp >= floor
        better = ok & ((rsrp > b0) | ((rsrp == b0) & (k < bi)))
        second = ok & (rsrp > s0)
        SECOND[p] = b0 if better else (rsrp if second else s0)
        BEST[p] = rsrp if better else b0
        BI[p] = k if better else bi
        BSIG[p] = SG[p] if better else BSIG[p]
        BOWN[p] = LN[p] if better else BOWN[p]
        SOWN[p] = LS[p] if better else SOWN[p]


@njit(fastmath=_FM, cache=True)
def _sector_count(
    npx, X, Y, DZ, PL, gx, gy, sa, ca, cm, sm, et, pk, epre, floor, window, BEST, CNT
):
    """Count a sector where its RSRP is within ``window`` of the best."""
    b0, b1, b2, b3, b4, b5, b6 = _beam_params(pk, 0)
    for p in range(npx):
        el, phi = _angles(X[p] - gx, Y[p] - gy, DZ[p], sa, ca, cm, sm)
        lel = _elem32(el, phi)
        rsrp = epre + _beam32(-el - et, phi, lel, b0, b1, b2, b3, b4, b5, b6) - PL[p]
        CNT[p] += np.int32((rsrp >= floor) & (rsrp >= BEST[p] - window))


@njit(parallel=True, cache=True)
def run_tiles(
    t_r0, t_c0, tp, sr0, x_first, y_first, pix, cls, cls_hut, classes_n,
    g_x, g_y, g_h, g_band, g_tab, g_sec0, g_sec1, g_uid, g_fld, fld,
    s_sinaz, s_cosaz, s_cosmt, s_sinmt, s_etilt, s_pat32, s_epre, s_ptot, s_load, s_band,
    c_pat, c_az, c_c, c_tilt, c_plmin, c_shadow, s_epre64, s_ptot64, s_load64,
    tables, tab_dmin, tab_s0, tab_inv, noise_lin, eps, floor, cap, window, margin_cap,
    los_sampled, los_key, use_fld, want_count, want_ss,
    o_best, o_rsrp, o_margin, o_sig, o_intf, o_sinr, o_ss, o_nwin, t_nsec, t_npx, t_ratio,
    use_pxl, pxl, use_ring, ring_gain, ring_inv_w, use_tdz, tdz, g_zm,
):  # fmt: skip
    """Evaluate the tiles with origins ``(t_r0[i], t_c0[i])`` (grid rows/cols)
    and write the ``o_*`` strip buffers (row 0 = grid row ``sr0``).

    Per tile: the culling bounds of every group (:func:`nrplan.engine.culling.
    group_bounds`), then the groups in decreasing RSRP bound, four at a time,
    until the serving and interference conditions of :mod:`nrplan.engine.culling`
    hold (for the PDSCH sum and, with ``want_ss``, the full-load SSB sum);
    ``t_nsec``, ``t_npx``, ``t_ratio`` receive the sectors evaluated, the
    pixels and the realised ``max(R_b / (N_b + I_min_b))`` over bands and sums
    of each tile. ``o_sinr`` is the PDSCH SINR, ``o_ss`` the SS-SINR (written
    only with ``want_ss``).

    With ``use_pxl``, ``pxl`` (float32, grid shape) is a per-pixel loss [dB]
    added to every pair's path loss (terminal clutter loss); the culling bounds
    of a tile take ``c_shadow`` minus the tile's smallest ``pxl`` (every pixel
    of the tile has at least that loss on every link) and the interference
    condition holds per pixel (``R / w_p <= eps (N + I_p)``, ``w_p`` the
    pixel's loss above that minimum, linear). With ``use_ring``, a
    group's window gain bound depends on the distance ``d`` from its mast to
    the tile: ``ring_gain[g, min(floor(d * ring_inv_w), K)]`` (the largest gain
    of the window at that distance or farther, ``K`` = beyond every window)
    replaces ``c_shadow[g]``. With ``use_tdz``, ``tdz`` (float32, grid shape)
    is the ground height [m] and ``g_zm`` the ground under each group's mast:
    the antenna angles use the height difference over the terrain and the
    culling bounds the tile's range of it.
    """
    nrows, ncols = cls.shape
    ng = g_x.size
    nb = noise_lin.size
    ncls = classes_n
    npts = tables.shape[2]
    imax = np.int32(npts - 2)
    floor32 = np.float32(floor)
    for ti in prange(t_r0.size):
        r0 = t_r0[ti]
        c0 = t_c0[ti]
        nr = min(tp, nrows - r0)
        nc = min(tp, ncols - c0)
        # pixels of the tile, sorted by class (one path-loss table per run)
        cnt = np.zeros(ncls + 1, np.int64)
        for r in range(nr):
            for c in range(nc):
                k = cls[r0 + r, c0 + c]
                if k >= 0:
                    cnt[k + 1] += 1
        for k in range(ncls):
            cnt[k + 1] += cnt[k]
        npx = cnt[ncls]
        if npx == 0:
            continue
        pos = cnt[:ncls].copy()
        X = np.empty(npx, np.float32)
        Y = np.empty(npx, np.float32)
        PR = np.empty(npx, np.int64)
        PC = np.empty(npx, np.int64)
        xt = x_first + (c0 + 0.5 * (nc - 1)) * pix
        yt = y_first - (r0 + 0.5 * (nr - 1)) * pix
        for r in range(nr):
            for c in range(nc):
                k = cls[r0 + r, c0 + c]
                if k >= 0:
                    q = pos[k]
                    pos[k] += 1
                    X[q] = np.float32((c - 0.5 * (nc - 1)) * pix)
                    Y[q] = np.float32((0.5 * (nr - 1) - r) * pix)
                    PR[q] = r0 + r
                    PC[q] = c0 + c
        present = np.flatnonzero(cnt[1:] > cnt[:-1])
        # culling bounds, evaluation order and suffix sums / maxima
        xa = x_first + c0 * pix
        xb = xa + (nc - 1) * pix
        ya = y_first - r0 * pix
        yb = ya - (nr - 1) * pix
        serve_ub = np.empty(ng)
        intf_ub = np.empty(ng)
        ss_ub = np.empty(ng)
        c_gain = c_shadow
        if use_ring:
            c_gain = np.empty(ng)
            kmax = ring_gain.shape[1] - 1
            for g in range(ng):
                ddx = max(max(xa - g_x[g], g_x[g] - xb), 0.0)
                ddy = max(max(yb - g_y[g], g_y[g] - ya), 0.0)
                kr = min(int(math.sqrt(ddx * ddx + ddy * ddy) * ring_inv_w), kmax)
                c_gain[g] = ring_gain[g, kr]
        WP = np.ones(npx if use_pxl else 1)
        if use_pxl:
            # every pixel of the tile has at least the tile's smallest terminal loss;
            # a pixel with more loses the neglected interference by the excess WP
            tmin = np.inf
            for q in range(npx):
                tmin = min(tmin, np.float64(pxl[PR[q], PC[q]]))
            c_gain = c_gain - tmin
            for q in range(npx):
                WP[q] = 10.0 ** ((np.float64(pxl[PR[q], PC[q]]) - tmin) / 10.0)
        if use_tdz:
            zlo = np.inf
            zhi = -np.inf
            for q in range(npx):
                zq = np.float64(tdz[PR[q], PC[q]])
                zlo = min(zlo, zq)
                zhi = max(zhi, zq)
            dzl = np.empty(ng)
            dzh = np.empty(ng)
            for g in range(ng):
                dzl[g] = zlo - np.float64(np.float32(g_zm[g]))
                dzh[g] = zhi - np.float64(np.float32(g_zm[g]))
            group_bounds(
                xa, xb, ya, yb, present, cls_hut, g_x, g_y, g_h, g_tab, g_sec0, g_sec1, tab_dmin,
                tab_s0, tab_inv, c_plmin, c_gain, c_az, c_c, c_tilt, c_pat, s_epre64, s_ptot64,
                s_load64, serve_ub, intf_ub, ss_ub, dzl, dzh,
            )  # fmt: skip
        else:
            group_bounds(
                xa, xb, ya, yb, present, cls_hut, g_x, g_y, g_h, g_tab, g_sec0, g_sec1, tab_dmin,
                tab_s0, tab_inv, c_plmin, c_gain, c_az, c_c, c_tilt, c_pat, s_epre64, s_ptot64,
                s_load64, serve_ub, intf_ub, ss_ub,
            )  # fmt: skip
        order = np.argsort(-serve_ub)
        suf = np.zeros((nb, ng + 1))
        sufs = np.zeros((nb, ng + 1))
        smax = np.full(ng + 1, -np.inf)
        for j in range(ng - 1, -1, -1):
            g = order[j]
            for b in range(nb):
                suf[b, j] = suf[b, j + 1]
                sufs[b, j] = sufs[b, j + 1]
            suf[g_band[g], j] += intf_ub[g]
            if want_ss:
                sufs[g_band[g], j] += ss_ub[g]
            smax[j] = max(smax[j + 1], serve_ub[g])
        # per-pixel state
        PL = np.empty(npx, np.float32)
        DZ = np.empty(npx, np.float32)
        IA = np.zeros((nb, npx))  # float64: exact removal of the server's own term
        IS = np.zeros((nb, npx))  # the same for the full-load SSB sum (want_ss)
        BEST = np.full(npx, -np.inf, np.float32)
        SECOND = np.full(npx, -np.inf, np.float32)
        BI = np.full(npx, -1, np.int32)
        BSIG = np.zeros(npx, np.float32)
        BOWN = np.zeros(npx, np.float32)
        SOWN = np.zeros(npx, np.float32)
        RS = np.empty(npx, np.float32)
        LN = np.empty(npx, np.float32)
        SG = np.empty(npx, np.float32)
        LS = np.zeros(npx, np.float32)  # stays 0 without want_ss
        served_g = np.zeros(ng, np.bool_)
        imin = np.zeros(nb)
        imins = np.zeros(nb)
        has = np.zeros(nb, np.bool_)
        j = 0
        nsec = 0
        ratio = 0.0
        while True:
            # state of the tile after the first j groups
            best_min = np.inf
            for b in range(nb):
                imin[b] = np.inf
                imins[b] = np.inf
                has[b] = False
            for p in range(npx):
                k = BI[p]
                if k < 0:
                    best_min = -np.inf
                    continue
                best_min = min(best_min, BEST[p])
                b = s_band[k]
                has[b] = True
                if use_pxl:  # the condition per pixel: R / WP <= eps (N + I)
                    nz = noise_lin[b]
                    ia_p = max(IA[b, p] - np.float64(BOWN[p]), 0.0)
                    imin[b] = min(imin[b], (nz + ia_p) * WP[p] - nz)
                    if want_ss:
                        is_p = max(IS[b, p] - np.float64(SOWN[p]), 0.0)
                        imins[b] = min(imins[b], (nz + is_p) * WP[p] - nz)
                    continue
                imin[b] = min(imin[b], max(IA[b, p] - np.float64(BOWN[p]), 0.0))
                if want_ss:
                    imins[b] = min(imins[b], max(IS[b, p] - np.float64(SOWN[p]), 0.0))
            lim = max(floor, best_min - cap)
            # the first stopping point under this state (a lower bound of later ones)
            jn = j
            while jn < ng:
                ok = smax[jn] < lim
                if ok:
                    for b in range(nb):
                        if has[b] and suf[b, jn] > eps * (noise_lin[b] + imin[b]):
                            ok = False
                        if want_ss and has[b] and sufs[b, jn] > eps * (noise_lin[b] + imins[b]):
                            ok = False
                if ok:
                    break
                jn += 1
            if jn == j:
                for b in range(nb):
                    if has[b]:
                        ratio = max(ratio, suf[b, j] / (noise_lin[b] + imin[b]))
                        if want_ss:
                            ratio = max(ratio, sufs[b, j] / (noise_lin[b] + imins[b]))
                break
            jn = min(jn, j + 4)
            for q in range(j, jn):
                g = order[q]
                serve = serve_ub[g] >= lim
                served_g[g] = serve
                gx = np.float32(g_x[g] - xt)
                gy = np.float32(g_y[g] - yt)
                for ci in range(present.size):
                    c = present[ci]
                    t = g_tab[g, c]
                    dz = np.float32(cls_hut[c] - g_h[g])
                    dmin = np.float32(tab_dmin[t])
                    s0 = np.float32(tab_s0[t])
                    inv = np.float32(tab_inv[t])
                    if los_sampled or use_fld or use_pxl:
                        _pl_general(
                            cnt[c], cnt[c + 1], X, Y, PR, PC, gx, gy, tables[t], dmin, s0, inv,
                            imax, dz, los_sampled, los_key, g_uid[g], use_fld, g_fld[g, 0],
                            g_fld[g, 1], g_fld[g, 2], g_fld[g, 3], g_fld[g, 4], fld, PL, DZ,
                            use_pxl, pxl, use_tdz, tdz, np.float32(g_zm[g]),
                        )  # fmt: skip
                    else:
                        _pl_expected(
                            cnt[c], cnt[c + 1], X, Y, gx, gy, tables[t, 0], dmin, s0, inv,
                            imax, dz, PL, DZ,
                        )  # fmt: skip
                ia = IA[g_band[g]]
                iss = IS[g_band[g]]
                for k in range(g_sec0[g], g_sec1[g]):
                    if serve:
                        if want_ss:
                            _sector_serve_ss(
                                npx, X, Y, DZ, PL, gx, gy, s_sinaz[k], s_cosaz[k], s_cosmt[k],
                                s_sinmt[k], s_etilt[k], s_pat32[k], s_load[k], s_ptot[k],
                                s_epre[k], RS, LN, SG, LS, iss,
                            )  # fmt: skip
                        else:
                            _sector_serve(
                                npx, X, Y, DZ, PL, gx, gy, s_sinaz[k], s_cosaz[k], s_cosmt[k],
                                s_sinmt[k], s_etilt[k], s_pat32[k], s_load[k], s_ptot[k],
                                s_epre[k], RS, LN, SG,
                            )  # fmt: skip
                        _update_best(
                            npx, np.int32(k), floor32, RS, LN, SG, LS, ia, BEST, SECOND, BI,
                            BSIG, BOWN, SOWN,
                        )  # fmt: skip
                    elif want_ss:  # LN, LS: free scratch outside the serving path
                        _sector_intf_ss(
                            npx, X, Y, DZ, PL, gx, gy, s_sinaz[k], s_cosaz[k], s_cosmt[k],
                            s_sinmt[k], s_etilt[k], s_pat32[k], s_load[k], s_ptot[k], LN, LS,
                            ia, iss,
                        )  # fmt: skip
                    else:
                        _sector_intf(
                            npx, X, Y, DZ, PL, gx, gy, s_sinaz[k], s_cosaz[k], s_cosmt[k],
                            s_sinmt[k], s_etilt[k], s_pat32[k], s_load[k], s_ptot[k], LN, ia,
                        )  # fmt: skip
                nsec += g_sec1[g] - g_sec0[g]
            j = jn
        CNT = np.zeros(npx, np.int32)
        if want_count:
            wnd = np.float32(window)
            for q in range(j):
                g = order[q]
                if not served_g[g]:
                    continue
                gx = np.float32(g_x[g] - xt)
                gy = np.float32(g_y[g] - yt)
                for ci in range(present.size):
                    c = present[ci]
                    t = g_tab[g, c]
                    dz = np.float32(cls_hut[c] - g_h[g])
                    _pl_general(
                        cnt[c], cnt[c + 1], X, Y, PR, PC, gx, gy, tables[t],
                        np.float32(tab_dmin[t]), np.float32(tab_s0[t]), np.float32(tab_inv[t]),
                        imax, dz, los_sampled, los_key, g_uid[g], use_fld, g_fld[g, 0],
                        g_fld[g, 1], g_fld[g, 2], g_fld[g, 3], g_fld[g, 4], fld, PL, DZ,
                        use_pxl, pxl, use_tdz, tdz, np.float32(g_zm[g]),
                    )  # fmt: skip
                for k in range(g_sec0[g], g_sec1[g]):
                    _sector_count(
                        npx, X, Y, DZ, PL, gx, gy, s_sinaz[k], s_cosaz[k], s_cosmt[k],
                        s_sinmt[k], s_etilt[k], s_pat32[k], s_epre[k], floor32, wnd, BEST, CNT,
                    )  # fmt: skip
        # final values of the tile's pixels
        for p in range(npx):
            r = PR[p] - sr0
            c = PC[p]
            k = BI[p]
            if k < 0:
                continue
            b = s_band[k]
            best = np.float64(BEST[p])
            second = max(np.float64(SECOND[p]), floor, best - margin_cap)
            itot = max(IA[b, p] - np.float64(BOWN[p]), 0.0)
            sig = np.float64(BSIG[p])
            o_best[r, c] = k
            o_rsrp[r, c] = best
            o_margin[r, c] = best - second
            o_sig[r, c] = sig
            o_intf[r, c] = 10.0 * math.log10(itot) if itot > 0.0 else -np.inf
            o_sinr[r, c] = sig - 10.0 * math.log10(itot + noise_lin[b])
            if want_ss:
                # serving SSB power over the channel: RSRP + 10 log10(12 N_PRB) = P + G_ssb - PL
                ssig = best + (s_ptot64[k] - s_epre64[k])
                iss_p = max(IS[b, p] - np.float64(SOWN[p]), 0.0)
                o_ss[r, c] = ssig - 10.0 * math.log10(iss_p + noise_lin[b])
            o_nwin[r, c] = max(CNT[p], 1)
        t_nsec[ti] = nsec
        t_npx[ti] = npx
        t_ratio[ti] = ratio
