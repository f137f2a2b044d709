"""Compiled (Numba) kernel of the user model: coverage and edge-rate
probabilities of every user type at every pixel.

The model is that of :mod:`nrplan.plan.users`; this is its hot loop, one pass
over the pixels with scalars only (no temporaries), parallel over pixels.

Per user type ``t`` and pixel, with ``E = body + L_t + xi_c`` the loss common
to every link of the user (``xi_c`` the common shadowing, Gauss-Hermite nodes)
and the two strongest servers' own shadowing ``x1 = D/2``, ``x2 = -D/2``, the
user camps on server 1 when ``D <= Delta`` (the engine's best-server margin)
and on server 2 otherwise. ``D ~ N(0, 4 sigma_i^2)``, so that a dominant
server's own shadowing ``D/2`` has its full variance ``sigma_i^2``; at a
border this one-dimensional model spreads the two servers apart by
``2 sigma_i`` instead of the ``sqrt(2) sigma_i`` of two independent draws (their
common mean, which moves both against the other interferers, is folded into
the difference: one quadrature dimension instead of two). Server ``k``'s SS-SINR is
``S_k / (S_j + R)`` with ``R`` the other SSBs plus the noise scaled by ``E``;
it is monotone in ``D`` on each side, so the covered set is ``D <= A`` or
``D >= B`` with closed-form ``A`` and ``B`` (roots of a quadratic in
``10^(D/20)``), and ``P = Phi(A / sigma_D) + 1 - Phi(B / sigma_D)``. The DL and
UL edge rates are met on server 1 while ``x1 = D/2`` stays below the link's
margin, and on server 2 with the same margin less ``Delta`` (mirrored).
``Phi`` is read from a table (:data:`PHI_TABLE`, step 1/256, error < 2e-6).

References
----------
3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF), 7.4.3 (O2I); CEPT ECC
SEAMCAT handbook, OFDMA module 9.11 (inter-site shadowing correlation).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from nrplan.engine.kernels import FASTMATH

__all__ = ["PHI_TABLE", "covered_interval", "norm_ppf", "user_histograms", "user_probabilities"]

_SQRT2 = math.sqrt(2.0)
_LN10_10 = math.log(10.0) / 10.0
_DB20 = 20.0 / math.log(10.0)
_DB10 = 10.0 / math.log(10.0)

#: Standard normal CDF on [-9, 9] every 1/256 (linear interpolation in between).
PHI_STEP = 1.0 / 256.0
PHI_TABLE = 0.5 * np.array(
    [math.erfc(-x / math.sqrt(2.0)) for x in np.arange(-9.0, 9.0 + PHI_STEP / 2, PHI_STEP)]
)
_PHI_N = PHI_TABLE.size


@njit(inline="always", fastmath=FASTMATH, cache=True)
def _phi(x: float, tab) -> float:
    u = (x + 9.0) * 256.0
    if u <= 0.0:
        return 0.0
    if u >= _PHI_N - 1:
        return 1.0
    i = int(u)
    f = u - i
    return tab[i] + f * (tab[i + 1] - tab[i])


@njit(inline="always", cache=True)
def _lin(x: float) -> float:
    return math.exp(x * _LN10_10)


@njit(inline="always", fastmath=FASTMATH, cache=True)
def covered_interval(s1, s2, r, g, delta, e, rsrp_thr):
    """Bounds ``A <= B`` on ``D`` of the covered set ``D <= A`` or ``D >= B``.

    Parameters
    ----------
    s1, s2 : float
        SS-RSRP of servers 1 and 2 (after the mean own shadowing) [dBm per RE].
    r : float
        Other SSB interference plus noise scaled by the common loss [mW per RE].
    g : float
        SS-SINR threshold, undistorted, linear.
    delta : float
        Median margin of server 1 over server 2 [dB] (camp on 1 when D <= delta).
    e : float
        Common loss [dB] (for the SS-RSRP threshold).
    rsrp_thr : float
        SS-RSRP threshold [dBm].
    """
    s1l = _lin(s1)
    s2l = _lin(s2) if delta < 200.0 else 0.0
    disc = math.sqrt(g * g * r * r + 4.0 * g * s2l * s1l)
    # server 1: SINR(D) = S1 u^-1 / (S2 u + R), u = 10^(D/20), decreasing in D
    den = g * r + disc
    db1 = _DB20 * math.log(2.0 * s1l / den) if den > 0.0 else math.inf
    a = min(delta, 2.0 * (s1 - e - rsrp_thr), db1)
    # server 2: SINR(D) = S2 u / (S1 u^-1 + R), increasing in D
    if s2l > 0.0:
        db2 = _DB20 * math.log((g * r + disc) / (2.0 * s2l))
        b = max(delta, 2.0 * (rsrp_thr + e - s2), db2)
    else:
        b = math.inf
    return a, b


@njit(parallel=True, fastmath=FASTMATH, cache=True)
def user_probabilities(
    code, s1_db, s2_db, i_rest, n_re, sig_p_db, i_p, n_p, ul0, req_dl, req_ul,
    loss, sigma_c, sigma_i, body, rsrp_thr, s_eff, gx, gw, phi_tab,
    p_cov, p_dl, p_ul,
):  # fmt: skip
    """Fill ``p_cov``, ``p_dl``, ``p_ul`` (shape (types, n)): the probability of a
    user of each type at each pixel to be covered, and to be covered yet below
    the DL / UL edge rate (module docstring).

    Per pixel: SS-RSRP ``s1_db`` and ``s2_db`` of the two strongest servers
    [dBm/RE], the other SSB interference ``i_rest`` and noise ``n_re`` [mW/RE],
    the PDSCH signal ``sig_p_db`` [dBm], interference ``i_p`` and noise ``n_p``
    [mW], the UL SINR without extra loss ``ul0`` [dB], and the undistorted SINRs
    the edge rates need ``req_dl``, ``req_ul`` [dB]. Per class ``code``:
    ``loss[t, c]`` (mean extra loss less body loss), ``sigma_c[t, c]`` (common
    shadowing), ``sigma_i[c]`` (own shadowing of a link) [dB].
    """
    n = code.size
    nt = loss.shape[0]
    g = _lin(s_eff)
    for p in prange(n):
        c = code[p]
        inv_d = 1.0 / (2.0 * sigma_i[c])
        s1 = s1_db[p]
        s2 = s2_db[p]
        delta = s1 - s2
        for t in range(nt):
            e0 = body + loss[t, c]
            sc = sigma_c[t, c]
            a_cov = 0.0
            a_dl = 0.0
            a_ul = 0.0
            for j in range(gx.size):
                e = e0 + gx[j] * sc
                scale = _lin(e)
                r = i_rest[p] + n_re[p] * scale
                dl = sig_p_db[p] - _DB10 * math.log(i_p[p] + n_p[p] * scale) - req_dl[p]
                ul = ul0[p] - e - req_ul[p]
                a, b = covered_interval(s1, s2, r, g, delta, e, rsrp_thr)
                pb = 1.0 - _phi(b * inv_d, phi_tab)
                pc = _phi(a * inv_d, phi_tab) + pb
                ok_dl = (
                    _phi(min(a, 2.0 * dl) * inv_d, phi_tab)
                    + 1.0
                    - _phi(max(b, 2.0 * (delta - dl)) * inv_d, phi_tab)
                )
                ok_ul = (
                    _phi(min(a, 2.0 * ul) * inv_d, phi_tab)
                    + 1.0
                    - _phi(max(b, 2.0 * (delta - ul)) * inv_d, phi_tab)
                )
                w = gw[j]
                a_cov += w * pc
                a_dl += w * max(pc - ok_dl, 0.0)
                a_ul += w * max(pc - ok_ul, 0.0)
            p_cov[t, p] = a_cov
            p_dl[t, p] = a_dl
            p_ul[t, p] = a_ul


# Acklam's rational approximation of the standard normal quantile (relative
# error < 1.2e-9 on (0, 1): far below the 0.25 dB histogram bins it feeds).
_ICDF_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687,
           138.3577518672690, -30.66479806614716, 2.506628277459239)  # fmt: skip
_ICDF_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866,
           66.80131188771972, -13.28068155288572)  # fmt: skip
_ICDF_C = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838,
           -2.549732539343734, 4.374664141464968, 2.938163982698783)  # fmt: skip
_ICDF_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)
_A0, _A1, _A2, _A3, _A4, _A5 = _ICDF_A
_B0, _B1, _B2, _B3, _B4 = _ICDF_B
_C0, _C1, _C2, _C3, _C4, _C5 = _ICDF_C
_D0, _D1, _D2, _D3 = _ICDF_D


@njit(inline="always", cache=True)
def norm_ppf(q: float) -> float:
    """Standard normal quantile of ``q`` in (0, 1) (Acklam's approximation;
    -inf / +inf at 0 / 1)."""
    if q <= 0.0:
        return -math.inf
    if q >= 1.0:
        return math.inf
    if q < 0.02425:
        s = math.sqrt(-2.0 * math.log(q))
        num = ((((_C0 * s + _C1) * s + _C2) * s + _C3) * s + _C4) * s + _C5
        return num / ((((_D0 * s + _D1) * s + _D2) * s + _D3) * s + 1.0)
    if q > 1.0 - 0.02425:
        s = math.sqrt(-2.0 * math.log(1.0 - q))
        num = ((((_C0 * s + _C1) * s + _C2) * s + _C3) * s + _C4) * s + _C5
        return -num / ((((_D0 * s + _D1) * s + _D2) * s + _D3) * s + 1.0)
    u = q - 0.5
    r = u * u
    num = (((((_A0 * r + _A1) * r + _A2) * r + _A3) * r + _A4) * r + _A5) * u
    return num / (((((_B0 * r + _B1) * r + _B2) * r + _B3) * r + _B4) * r + 1.0)


@njit(inline="always", cache=True)
def _norm_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / _SQRT2)


@njit(inline="always", cache=True)
def _rate(x: float, tab, b: int, s0: float, inv_step: float) -> float:
    """Rate of a uniform table row ``tab[b]`` at SINR ``x`` (0 below it and for
    NaN, its last value above it), linear in between (``np.interp``)."""
    m = tab.shape[1]
    if not x >= s0:
        return 0.0
    u = (x - s0) * inv_step
    if u >= m - 1:
        return tab[b, m - 1]
    i = int(u)
    f = u - i
    return tab[b, i] + f * (tab[b, i + 1] - tab[b, i])


@njit(cache=True)
def _bin_table(edges):
    """Look-up table of :func:`_bin`: the bin of the left end of every cell of
    a uniform grid of step ``h`` (the narrowest bin) over the edges, and 1/h."""
    n = edges.size
    h = edges[1] - edges[0]
    for i in range(1, n - 1):
        h = min(h, edges[i + 1] - edges[i])
    m = math.ceil((edges[n - 1] - edges[0]) / h) + 1
    lut = np.empty(m, np.int64)
    i = 0
    for c in range(m):
        x = edges[0] + c * h
        while i < n - 2 and x >= edges[i + 1]:
            i += 1
        lut[c] = i
    return lut, 1.0 / h


@njit(inline="always", cache=True)
def _bin(x: float, edges, lut, inv_h) -> int:
    """Bin of ``x`` on ``edges`` as ``np.histogram`` counts it, with NaN and
    values below the first edge in the first bin and values above the last
    edge in the last bin (a cell of ``lut`` holds at most one edge, so one
    comparison corrects its guess)."""
    n = edges.size
    if not x > edges[0]:
        return 0
    if x >= edges[n - 1]:
        return n - 2
    i = lut[min(int((x - edges[0]) * inv_h), lut.size - 1)]
    if i < n - 2 and x >= edges[i + 1]:
        i += 1
    return i


@njit(fastmath=FASTMATH, cache=True)
def user_histograms(
    code, band, s1_db, s2_db, i_rest, n_re, sig_p_db, i_p, n_p, ul0, keep, weight,
    share, loss, sigma_c, sigma_i, body, rsrp_thr, s_eff, evm2, gx, gw, n_samples,
    rate_s0, rate_inv_step, rate_dl, rate_ul,
    e_ss, e_ss_out, e_pdsch, e_dl, e_ul, h_ss, h_ss_out, h_pdsch, h_dl, h_ul,
):  # fmt: skip
    """Add the users of every pixel to the five weighted histograms
    (:meth:`nrplan.plan.users.UserModel.histograms`): per user type ``t`` and
    common-shadowing node ``j``, ``n_samples`` values of the two servers'
    own-shadowing difference ``D`` at the stratified quantiles
    ``(k + 1/2) / n_samples`` of its distribution (SS-SINR of every user,
    ``h_ss``; of the outdoor users, ``h_ss_out``) and of its covered part
    (PDSCH SINR ``h_pdsch``, DL and UL rates at the busy-hour load ``h_dl``,
    ``h_ul``). The per-pixel inputs are those of :func:`user_probabilities`
    plus ``band`` (row of the rate tables), ``keep`` (1 - the server's load)
    and ``weight`` (users of the pixel); ``share[t, c]`` is the type's share of
    the users of class ``c``. Rate tables ``rate_dl``/``rate_ul`` (band, SINR)
    start at ``rate_s0`` dB with step ``1 / rate_inv_step``; ``e_*`` are the
    bin edges of the histograms ``h_*``.
    """
    n = code.size
    nt = loss.shape[0]
    g = _lin(s_eff)
    inv_k = 1.0 / n_samples
    # the stratified quantiles of D / s_d for every user, and per pixel the
    # servers' gains 10^(-D/20), 10^(D/20) at them (they do not depend on t, j)
    lut_ss, ih_ss = _bin_table(e_ss)
    lut_so, ih_so = _bin_table(e_ss_out)
    lut_pd, ih_pd = _bin_table(e_pdsch)
    lut_dl, ih_dl = _bin_table(e_dl)
    lut_ul, ih_ul = _bin_table(e_ul)
    z = np.empty(n_samples)
    for k in range(n_samples):
        z[k] = norm_ppf((k + 0.5) * inv_k)
    d_k = np.empty(n_samples)
    f1 = np.empty(n_samples)
    f2 = np.empty(n_samples)
    for p in range(n):
        c = code[p]
        b_id = band[p]
        s_d = 2.0 * sigma_i[c]
        s1 = s1_db[p]
        s2 = s2_db[p]
        delta = s1 - s2
        s1l = _lin(s1)
        s2l = _lin(s2) if delta < 200.0 else 0.0
        for k in range(n_samples):
            d_k[k] = s_d * z[k]
            f1[k] = s1l * _lin(-0.5 * d_k[k])
            f2[k] = s2l * _lin(0.5 * d_k[k])
        inv_sig = 1.0 / _lin(sig_p_db[p])
        for t in range(nt):
            e0 = body + loss[t, c]
            sc = sigma_c[t, c]
            w0 = weight[p] * share[t, c] * inv_k
            for j in range(gx.size):
                e = e0 + gx[j] * sc
                scale = _lin(e)
                r = i_rest[p] + n_re[p] * scale
                a, bb = covered_interval(s1, s2, r, g, delta, e, rsrp_thr)
                pa = _norm_cdf(a / s_d)
                phi_b = _norm_cdf(bb / s_d)
                pc = pa + (1.0 - phi_b)
                w_t = w0 * gw[j]
                w_cov = w_t * pc
                # 10^(-SINR/10) of the PDSCH and UL medians of this node
                x_dl = (i_p[p] + n_p[p] * scale) * inv_sig
                x_ul = _lin(e - ul0[p])
                for k in range(n_samples):
                    # SS-SINR of every user at D = d_k (camped on the stronger)
                    if d_k[k] <= delta:
                        sig, other = f1[k], f2[k]
                    else:
                        sig, other = f2[k], f1[k]
                    if sig > 0.0:
                        ss = -_DB10 * math.log((other + r) / sig + evm2)
                    else:
                        ss = -math.inf
                    h_ss[_bin(ss, e_ss, lut_ss, ih_ss)] += w_t
                    if t == 0:
                        h_ss_out[_bin(ss, e_ss_out, lut_so, ih_so)] += w_t
                    if w_cov <= 0.0:
                        continue
                    # covered users: D stratified over {D <= A} U {D >= B}
                    q = (k + 0.5) * inv_k * pc
                    if q < pa:
                        d = s_d * norm_ppf(min(max(q, 1e-300), 1.0))
                    else:
                        d = s_d * norm_ppf(min(max(phi_b + (q - pa), 0.0), 1.0 - 1e-16))
                    # the camped server's own shadowing moves the PDSCH and UL SINRs
                    if d <= delta:
                        fac = _lin(0.5 * d)
                    else:
                        fac = _lin(delta - 0.5 * d)
                    dl = -_DB10 * math.log(x_dl * fac + evm2)
                    ul = -_DB10 * math.log(x_ul * fac + evm2)
                    h_pdsch[_bin(dl, e_pdsch, lut_pd, ih_pd)] += w_cov
                    r_dl = _rate(dl, rate_dl, b_id, rate_s0, rate_inv_step) * keep[p]
                    r_ul = _rate(ul, rate_ul, b_id, rate_s0, rate_inv_step) * keep[p]
                    h_dl[_bin(r_dl, e_dl, lut_dl, ih_dl)] += w_cov
                    h_ul[_bin(r_ul, e_ul, lut_ul, ih_ul)] += w_cov
