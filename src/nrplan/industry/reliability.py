"""Time availability of a private-network link under small-scale fading.

What is planned
    TS 22.104 defines *communication service availability* and *reliability*
    over time: the share of time (of messages) the service meets its QoS
    (latency bound, transfer interval) at a given place. The planning
    quantity is therefore, per location, the probability that a message gets
    through within its latency bound. Shadow fading is location variability
    (static in time), so it does not describe this probability; small-scale
    fading does. nrplan follows the usual URLLC planning approach:

Mean SINR (deterministic)
    The local-average SINR of every serving link comes from the median path
    loss of TR 38.901 Table 7.4.1-1 in LOS and in NLOS state, with the
    interference at its load-weighted mean (:mod:`nrplan.industry.evaluate`).

Small-scale fading with diversity (per transmission attempt)
    The post-combining instantaneous SINR of a link with local mean
    ``gamma_bar`` is Gamma distributed (Nakagami-m envelope) with shape
    ``m_eff`` (MRC of D independent branches of Nakagami m each:
    ``m_eff = D * m``). The outage probability of one attempt is

        P_out = P(m_eff, m_eff * gamma_th / gamma_bar),

    ``P`` the regularized lower incomplete gamma function
    (``scipy.special.gammainc``). Rayleigh, one branch (m_eff = 1):
    ``P_out = 1 - exp(-gamma_th / gamma_bar)``.

    - NLOS: Rayleigh, m = 1.
    - LOS: Rician with the K-factor mean ``mu_K`` of TR 38.901 Table 7.5-6 for
      the scenario (:data:`K_FACTOR_DB`), moment-matched to Nakagami
      ``m = (K + 1)^2 / (2K + 1)``.
    - Diversity order ``D = min(n_UE * n_gNB, D_MAX)``: UE receive antennas x
      gNB transmit antennas in DL (closed-loop precoding + MRC), UE transmit
      antennas x gNB receive antennas in UL; ``n_gNB`` counts the
      independently fading branches of the radio-unit type (4T4R small cell:
      4; see ``nrplan.industry.profiles.RadioUnit.antennas``). ``D_MAX``
      (:data:`DIVERSITY_MAX`) caps the order because closely spaced elements
      are correlated and channel estimates imperfect.
    - The LOS state of a link is static over the latency bound: the outage of
      a link is conditioned on it and averaged last,
      ``p_LOS * P_out,LOS^n + (1 - p_LOS) * P_out,NLOS^n`` for ``n`` attempts.

HARQ retransmissions
    A message may be sent ``n`` times within its latency bound (``n`` from the
    symbol-accurate budget of :mod:`nrplan.industry.latency`, capped by the
    profile). Attempts are taken as independent fading draws: this holds when
    they are separated by more than the channel coherence time, or, for slow
    and static devices, when the retransmission is scheduled on PRBs farther
    apart than the coherence bandwidth (frequency hopping, TS 38.214 6.3;
    coherence bandwidths of industrial channels are a few MHz against a
    50-100 MHz carrier). No soft-combining gain is counted (conservative).

Redundancy
    N-fold redundancy (dual connectivity / PDCP duplication / multi-TRP over
    the N best units) loses a message only if every link fails; links fade
    independently, so the outage probabilities multiply.

Location variability
    Shadow fading enters as a location-probability margin: availability is
    evaluated at the mean SINR reduced by ``z(p_loc) * sigma_SF`` (sigma_SF of
    TR 38.901 Table 7.4.1-1 per LOS state, O2I sigma added in quadrature
    indoors), so the target holds at a share ``p_loc`` of the locations the
    pixel stands for (default 95 %: margin 1.645 sigma). Applying the margin
    to every link at once is conservative (fully correlated shadowing).

Location reliability under correlated lognormal shadowing (reported)
    The classic planning view of the same links (macro-diversity coverage
    reliability): the probability, over the locations a pixel stands for,
    that the local-mean SINR of at least one of the N serving links reaches
    the class threshold. The shadow fading of link i is lognormal,
    ``S_i = sigma_i (a X + b Y_i)`` with ``a^2 = rho``, ``b^2 = 1 - rho``
    and X, Y_i standard normal (one common factor: correlation ``rho``
    between links to different sites, 0.5 in LTE/NR co-existence studies;
    SEAMCAT OFDMA module 9.11), the LOS state of each link independent::

        P(all fail) = E_X[ prod_i ( p_i Phi(z_i,LOS(X)) + (1 - p_i) Phi(z_i,NLOS(X)) ) ],
        z(X) = (thr - mean - sigma a X) / (sigma b),

    the expectation by Gauss-Hermite quadrature
    (:func:`shadowing_outage`). For ``rho = 0`` it is the product of the
    links' lognormal outages ``Phi((thr - mean) / sigma)``.

Notes
    The Nakagami approximation of the Rice distribution is accurate near the
    mean but optimistic in the deep tail for large K; lower the profile's
    ``k_factor_db`` (0 -> m = 4/3, ``None`` = Table 7.5-6) to be cautious.
    Fading of the interferers is not modelled (interference at its mean).

References
----------
3GPP TS 22.104 V17.4.0, clause 3.1 (definitions: communication service
availability, communication service reliability, survival time) and clause 5
(service performance requirements).
3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF), Table 7.4.2-1 (LOS
probability), Table 7.5-6 Part-1/-2 (Ricean K-factor mu_K).
M. K. Simon and M.-S. Alouini, *Digital Communication over Fading Channels*,
2nd ed., Wiley, 2005, ch. 2.2.1.4 (Nakagami-m, m from K) and ch. 9.2
(MRC over i.i.d. Nakagami-m branches: Gamma-distributed SNR with shape L m,
outage = regularized incomplete gamma function).
3GPP TS 38.214 V17.0.0, clause 6.3 (PUSCH frequency hopping).
CEPT ECC SEAMCAT handbook, OFDMA module, 9.11 "Pathloss correlation"
(z_i = a x + b y_i, a = b = 1/sqrt(2): inter-site shadowing correlation 0.5)
[https://wiki.cept.org/books/9-ofdma-module/page/911-pathloss-correlation].
"""

from __future__ import annotations

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from scipy.special import gammainc, ndtr, ndtri

from nrplan.errors import check_choice, check_range
from nrplan.radio.shadowing import SHADOWING_CORRELATION as _RHO

__all__ = [
    "DIVERSITY_MAX",
    "K_FACTOR_DB",
    "SHADOWING_CORRELATION",
    "availability",
    "diversity_order",
    "k_factor_db",
    "link_outage",
    "location_margin_db",
    "nakagami_m_from_k",
    "outage_probability",
    "redundant_outage",
    "shadowing_outage",
]

#: Shadowing correlation between links to different sites (SEAMCAT OFDMA
#: module 9.11), see :data:`nrplan.radio.shadowing.SHADOWING_CORRELATION`.
SHADOWING_CORRELATION = _RHO

#: Gauss-Hermite (probabilists') nodes and weights over the common factor X.
_GH_X, _GH_W = hermegauss(48)
_GH_W = _GH_W / np.sqrt(2.0 * np.pi)

#: TR 38.901 V17.0.0 Table 7.5-6 Part-1/-2: Ricean K-factor mean mu_K [dB] of
#: the LOS state (sigma_K: UMa 3.5, UMi 5, RMa 4, InH 4, InF 8 dB; not used).
K_FACTOR_DB: dict[str, float] = {
    "uma": 9.0,
    "umi": 9.0,
    "rma": 7.0,
    "inh-office": 7.0,
    "inf-sl": 7.0,
    "inf-dl": 7.0,
    "inf-sh": 7.0,
    "inf-dh": 7.0,
}

#: Largest diversity order counted (nrplan assumption): e.g. an 8T8R unit and
#: a 2-Rx UE. Beyond it element correlation and channel-estimation error make
#: the i.i.d.-branch MRC result optimistic.
DIVERSITY_MAX = 16


def k_factor_db(scenario: str) -> float:
    """Mean Ricean K-factor of the LOS state [dB], TR 38.901 Table 7.5-6."""
    return K_FACTOR_DB[check_choice("scenario", scenario, K_FACTOR_DB)]


def nakagami_m_from_k(k_db) -> np.ndarray:
    """Nakagami m matching a Rice K-factor, m = (K + 1)^2 / (2K + 1).

    Parameters
    ----------
    k_db : array_like
        Rice K-factor [dB] (-inf = Rayleigh, m = 1).

    Returns
    -------
    ndarray
        Nakagami m (>= 1).

    References
    ----------
    Simon & Alouini (2005), eq. (2.26).
    """
    k = 10.0 ** (np.asarray(k_db, dtype=float) / 10.0)
    return (k + 1.0) ** 2 / (2.0 * k + 1.0)


def diversity_order(n_ue: int, n_gnb: int, cap: int = DIVERSITY_MAX) -> int:
    """Diversity order min(n_UE * n_gNB, cap) of one link direction.

    Parameters
    ----------
    n_ue : int
        UE antennas of the direction (receive in DL, transmit in UL) (>= 1).
    n_gnb : int
        Independently fading gNB antenna branches (>= 1).
    cap : int
        Largest order counted (:data:`DIVERSITY_MAX`).
    """
    check_range("n_ue", n_ue, 1, None)
    check_range("n_gnb", n_gnb, 1, None)
    return int(min(int(n_ue) * int(n_gnb), int(cap)))


def outage_probability(mean_sinr_db, threshold_db, m_eff) -> np.ndarray:
    """Probability that the instantaneous SINR is below a threshold.

    The post-combining SINR is Gamma(m_eff, mean / m_eff):
    ``P_out = P(m_eff, m_eff * thr / mean)``.

    Parameters
    ----------
    mean_sinr_db : array_like
        Local-average (post-combining) SINR [dB].
    threshold_db : array_like
        SINR needed [dB].
    m_eff : array_like
        Effective Nakagami m (diversity order x m of a branch) (> 0).

    Returns
    -------
    ndarray
        P_out in [0, 1], broadcast shape. NaN in, NaN out.

    References
    ----------
    Simon & Alouini (2005), ch. 9.2 (MRC over Nakagami-m branches).
    """
    m = np.asarray(m_eff, dtype=float)
    check_range("m_eff", m, 0.0, None, lo_open=True)
    x = 10.0 ** ((np.asarray(threshold_db, float) - np.asarray(mean_sinr_db, float)) / 10.0)
    return gammainc(m, m * x)


def location_margin_db(p_loc: float, sigma_db) -> np.ndarray:
    """Location-probability margin z(p_loc) * sigma_SF [dB].

    Parameters
    ----------
    p_loc : float
        Location probability in [0.5, 1) (0.95 -> z = 1.645).
    sigma_db : array_like
        Shadow-fading standard deviation [dB] (>= 0).

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF).
    """
    check_range("location_probability", p_loc, 0.5, 1.0, hi_open=True)
    s = np.asarray(sigma_db, dtype=float)
    check_range("sigma_db", s, 0.0, None, unit="dB")
    return ndtri(p_loc) * s


def link_outage(p_out_los, p_out_nlos, p_los, transmissions: int = 1) -> np.ndarray:
    """Outage of one link over ``n`` independent attempts, LOS state static.

    ``p_LOS * P_LOS^n + (1 - p_LOS) * P_NLOS^n``.

    Parameters
    ----------
    p_out_los, p_out_nlos : array_like
        Per-attempt outage in LOS and NLOS state.
    p_los : array_like
        LOS probability [0-1].
    transmissions : int
        HARQ transmissions within the latency bound (>= 1).
    """
    p = np.asarray(p_los, dtype=float)
    check_range("p_los", p, 0.0, 1.0)
    check_range("transmissions", transmissions, 1, None)
    n = int(transmissions)
    return p * np.asarray(p_out_los, float) ** n + (1.0 - p) * np.asarray(p_out_nlos, float) ** n


def redundant_outage(p_out_links) -> np.ndarray:
    """Outage of N redundant, independently fading links (links on axis 0)."""
    return np.prod(np.asarray(p_out_links, dtype=float), axis=0)


def availability(
    mean_los_db,
    mean_nlos_db,
    p_los,
    threshold_db,
    m_los,
    m_nlos,
    *,
    transmissions: int = 1,
    margin_los_db=0.0,
    margin_nlos_db=0.0,
) -> np.ndarray:
    """Time availability 1 - P_out of N redundant links with HARQ.

    Parameters
    ----------
    mean_los_db, mean_nlos_db : array_like, shape (N, ...)
        Mean SINR of each link in LOS and NLOS state [dB].
    p_los : array_like, shape (N, ...)
        LOS probability of each link.
    threshold_db : array_like
        SINR needed [dB].
    m_los, m_nlos : float
        Effective Nakagami m in LOS and NLOS (diversity order included).
    transmissions : int
        HARQ transmissions within the latency bound.
    margin_los_db, margin_nlos_db : array_like
        Location-probability margins subtracted from the mean SINR [dB].

    Returns
    -------
    ndarray, shape (...)
        Probability that a message gets through on at least one link.

    References
    ----------
    See the module docstring.
    """
    p_l = outage_probability(np.asarray(mean_los_db, float) - margin_los_db, threshold_db, m_los)
    p_n = outage_probability(np.asarray(mean_nlos_db, float) - margin_nlos_db, threshold_db, m_nlos)
    return 1.0 - redundant_outage(link_outage(p_l, p_n, p_los, transmissions))


def shadowing_outage(
    mean_los_db,
    mean_nlos_db,
    p_los,
    threshold_db,
    sigma_los_db,
    sigma_nlos_db,
    rho: float = SHADOWING_CORRELATION,
) -> np.ndarray:
    """Probability that no link's local-mean SINR reaches the threshold.

    Lognormal shadowing with one common factor (correlation ``rho`` between
    links), LOS state of each link independent; see the module docstring.

    Parameters
    ----------
    mean_los_db, mean_nlos_db : array_like, shape (N, ...)
        Median SINR of each link in LOS and NLOS state [dB].
    p_los : array_like, shape (N, ...)
        LOS probability of each link.
    threshold_db : array_like
        SINR needed [dB].
    sigma_los_db, sigma_nlos_db : float
        Shadow-fading standard deviation in LOS and NLOS [dB] (> 0).
    rho : float
        Shadowing correlation between links, in [0, 0.95].

    Returns
    -------
    ndarray, shape (...)
        P(all N links below the threshold); 1 minus it is the location
        reliability with N-fold macro-diversity.

    References
    ----------
    TR 38.901 V17.0.0 Table 7.4.1-1 (sigma_SF); SEAMCAT OFDMA module 9.11
    (correlation model).
    """
    check_range("shadowing_correlation", rho, 0.0, 0.95)
    check_range("sigma_los_db", sigma_los_db, 0.0, None, lo_open=True, unit="dB")
    check_range("sigma_nlos_db", sigma_nlos_db, 0.0, None, lo_open=True, unit="dB")
    p = np.asarray(p_los, dtype=float)
    check_range("p_los", p, 0.0, 1.0)
    thr = np.asarray(threshold_db, dtype=float)
    d_l = thr - np.asarray(mean_los_db, dtype=float)  # (N, ...)
    d_n = thr - np.asarray(mean_nlos_db, dtype=float)
    a, b = np.sqrt(rho), np.sqrt(1.0 - rho)
    out = np.zeros(np.broadcast_shapes(d_l.shape, d_n.shape, p.shape)[1:])
    for x, w in zip(_GH_X, _GH_W, strict=True):
        f_l = ndtr((d_l - sigma_los_db * a * x) / (sigma_los_db * b))
        f_n = ndtr((d_n - sigma_nlos_db * a * x) / (sigma_nlos_db * b))
        out = out + w * np.prod(p * f_l + (1.0 - p) * f_n, axis=0)
    return np.clip(out, 0.0, 1.0)
