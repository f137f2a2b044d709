"""Link reliability under lognormal shadowing, with N-fold redundancy.

A link to radio unit i works when its SINR stays at or above the class
threshold. With the median SINR known, the shadow fading X_i ~ N(0, sigma_i^2)
[dB] on the wanted signal decides: the link fails when X_i > M_i, where
M_i = SINR_median_i - SINR_threshold is the fade margin [dB]. Interference is
taken at its load-weighted mean (the standard fade-margin approach of a
coverage-probability calculation; shadowing of the interferers is not drawn).

LOS and NLOS are mixed per link: P_fail_i = p_LOS Phi(-M_LOS/sigma_LOS) +
(1 - p_LOS) Phi(-M_NLOS/sigma_NLOS), LOS states independent across links.

Redundancy (dual connectivity / PDCP duplication / multi-TRP over the N best
units): the packet is lost only if every link fails. With independent
shadowing P_fail = prod_i P_fail_i. With a common component (inter-link
correlation rho in [0, 1), X_i = sigma_i (sqrt(rho) Z + sqrt(1-rho) W_i)):

    P_fail = E_Z[ prod_i P(fail_i | Z) ],
    P(fail_i | Z) = Phi((sqrt(rho) Z - M_i/sigma_i) / sqrt(1 - rho)),

integrated with Gauss-Hermite quadrature. rho = 0 gives the product exactly.
TR 38.901 does not specify the cross-correlation of shadowing between
different sites; 0.5 is the value of TR 36.942 / ITU-R M.2412 style system
simulations for macro sites (the nrplan default is 0, user-selectable).

Per pixel, the reliability is 1 - P_fail. Its per-pixel value does not depend
on the spatial correlation of the field; spatially correlated fields
(``nrplan.radio.shadowing.correlated_field``) matter only for area statistics
of a single realisation, which nrplan does not sample yet.

References
----------
3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (shadow fading sigma_SF per scenario
and LOS state), Table 7.4.2-1 (LOS probability), Table 7.5-6 (decorrelation
distances of the shadow fading).
3GPP TR 36.942 V17.0.0, clause 4.5.3 (shadowing correlation 0.5 between sites).
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from nrplan.errors import check_range

__all__ = [
    "link_failure",
    "mixed_link_failure",
    "redundant_failure",
    "reliability_from_margins",
]

#: Gauss-Hermite nodes for the common-component integral (exact to ~1e-12
#: for the smooth integrands here with 48 nodes).
_GH_NODES = 48


def link_failure(margin_db, sigma_db) -> np.ndarray:
    """Probability that one lognormal link fails, Phi(-M / sigma).

    Parameters
    ----------
    margin_db : array_like
        Fade margin, median SINR minus threshold [dB].
    sigma_db : array_like
        Shadow-fading standard deviation [dB] (> 0).

    Returns
    -------
    ndarray
        P(X > M) for X ~ N(0, sigma^2), broadcast shape. NaN in, NaN out.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF).
    """
    sigma = np.asarray(sigma_db, dtype=float)
    check_range("sigma_db", sigma, 0.0, None, lo_open=True, unit="dB")
    return ndtr(-np.asarray(margin_db, dtype=float) / sigma)


def mixed_link_failure(margin_los_db, margin_nlos_db, p_los, sigma_los, sigma_nlos) -> np.ndarray:
    """Failure probability of a link whose LOS state is random.

    ``p_los * Phi(-M_LOS/sigma_LOS) + (1 - p_los) * Phi(-M_NLOS/sigma_NLOS)``.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 and 7.4.2-1.
    """
    p = np.asarray(p_los, dtype=float)
    check_range("p_los", p, 0.0, 1.0)
    return p * link_failure(margin_los_db, sigma_los) + (1.0 - p) * link_failure(
        margin_nlos_db, sigma_nlos
    )


def redundant_failure(p_fail_given, rho: float = 0.0) -> np.ndarray:
    """Failure probability of N redundant links (all must fail).

    Parameters
    ----------
    p_fail_given : callable or array_like
        Either an array of per-link failure probabilities with the links on
        axis 0 (independent links, ``rho`` must be 0), or a callable
        ``f(shift) -> array (N, ...)`` giving per-link failure probabilities
        when every normalised margin M_i/sigma_i is replaced by
        ``(M_i/sigma_i - sqrt(rho) z) / sqrt(1 - rho)``; see
        :func:`reliability_from_margins` for the usual form.
    rho : float
        Correlation of the links' shadowing in [0, 1).

    Returns
    -------
    ndarray
        P(all links fail), links axis removed.
    """
    check_range("rho", rho, 0.0, 1.0, hi_open=True)
    if not callable(p_fail_given):
        if rho != 0.0:
            raise ValueError("correlated links need the callable form")
        return np.prod(np.asarray(p_fail_given, dtype=float), axis=0)
    if rho == 0.0:
        return np.prod(p_fail_given(0.0, 1.0), axis=0)
    z, w = np.polynomial.hermite_e.hermegauss(_GH_NODES)
    w = w / np.sqrt(2.0 * np.pi)
    total = None
    for zi, wi in zip(z, w, strict=True):
        term = wi * np.prod(p_fail_given(np.sqrt(rho) * zi, np.sqrt(1.0 - rho)), axis=0)
        total = term if total is None else total + term
    return total


def reliability_from_margins(
    margin_los_db, margin_nlos_db, p_los, sigma_los: float, sigma_nlos: float, rho: float = 0.0
) -> np.ndarray:
    """Reliability 1 - P_fail of N redundant LOS/NLOS-mixed links.

    Parameters
    ----------
    margin_los_db, margin_nlos_db : array_like, shape (N, ...)
        Fade margins of each link in LOS and NLOS state [dB].
    p_los : array_like, shape (N, ...)
        LOS probability of each link.
    sigma_los, sigma_nlos : float
        Shadow-fading standard deviations [dB].
    rho : float
        Shadowing correlation between links, [0, 1).

    Returns
    -------
    ndarray, shape (...)
        Probability that at least one link works.

    Notes
    -----
    Conditional on the common component ``sqrt(rho) z`` (normalised), link i
    fails in LOS with ``Phi((sqrt(rho) z - M_LOS/sigma_LOS) / sqrt(1-rho))``
    and likewise in NLOS; LOS states are independent of the shadowing.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 and 7.4.2-1.
    """
    m_l = np.asarray(margin_los_db, dtype=float) / sigma_los
    m_n = np.asarray(margin_nlos_db, dtype=float) / sigma_nlos
    p = np.asarray(p_los, dtype=float)

    def given(shift: float, scale: float) -> np.ndarray:
        return p * ndtr((shift - m_l) / scale) + (1.0 - p) * ndtr((shift - m_n) / scale)

    return 1.0 - redundant_failure(given, rho)
