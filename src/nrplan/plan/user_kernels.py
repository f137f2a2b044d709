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

__all__ = ["PHI_TABLE", "covered_interval", "user_probabilities"]

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
