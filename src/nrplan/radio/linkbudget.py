"""Link budget: noise, power per resource element, RSRP, SINR, maximum path loss and range.

The cell-edge link budget of an RF planner, per resource element (RE):

- DL: ``MAPL = P_RE + G_gNB + G_UE - N_RE - SINR_req - IM_DL - L - M_SF``
- UL: ``MAPL = P_UE - 10log10(12 n_PRB) + G_gNB + G_UE - N_RE - SINR_req - IM_UL - L - M_SF``

with ``P_RE = P_tx - 10 log10(12 N_PRB)`` (power spread evenly over every RE of
every carrier), ``N_RE = -174 + 10 log10(SCS) + NF`` the thermal noise of one
RE, ``SINR_req`` the SINR at which :func:`nrplan.radio.nr.user_rate_mbps`
reaches the edge rate, ``IM`` interference margins, ``L`` body, cable and
penetration losses and ``M_SF`` the shadowing margin for the target cell-edge
coverage probability. The maximum cell range solves ``PL(d) = MAPL`` against
:func:`nrplan.radio.pathloss.pathloss`.

References
----------
3GPP TS 38.215 V17.0.0, 5.1.1 (SS-RSRP: linear average power per RE of the SSS).
3GPP TS 38.101-1 V17.0.0, Table 5.3.2-1; TS 38.306 V17.0.0, 4.1.2.
3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 (path loss, sigma_SF), 7.4.2-1, 7.4.3-2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq
from scipy.stats import norm

from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.radio.antenna import get_antenna
from nrplan.radio.bands import Band, get_band
from nrplan.radio.nr import n_prb, numerology, re_rate_per_s, required_sinr_db
from nrplan.radio.o2i import INDOOR_DISTANCE_MAX_M, mean_indoor_distance, o2i_loss, o2i_sigma
from nrplan.radio.pathloss import (
    BS_HEIGHT_RANGE_M,
    DISTANCE_RANGE_M,
    SCENARIOS,
    UT_HEIGHT_RANGE_M,
    pathloss,
    shadow_sigma,
)

__all__ = [
    "DEFAULT_H_BS_M",
    "LINK_DEFAULTS",
    "THERMAL_NOISE_DBM_HZ",
    "LinkBudget",
    "db_sum",
    "db_to_lin",
    "lin_to_db",
    "link_budget",
    "max_cell_range",
    "max_path_loss",
    "range_for_path_loss",
    "re_power_dbm",
    "rsrp_dbm",
    "shadow_margin_db",
    "sinr_db",
    "thermal_noise_dbm",
]

THERMAL_NOISE_DBM_HZ = -174.0
"""Thermal noise density kT at 290 K [dBm/Hz] (10 log10(1.380649e-23 * 290 * 1e3) = -173.98)."""

DEFAULT_H_BS_M: dict[str, float] = {
    "uma": 25.0,  # TR 38.901 Table 7.4.1-1 / Table 7.2-1: h_BS = 25 m
    "umi": 10.0,  # h_BS = 10 m
    "rma": 35.0,  # h_BS default 35 m
    "inh-office": 3.0,  # Table 7.2-2: 3 m (ceiling)
    "inf-sl": 1.5,  # Table 7.2-4: BS low 1.5 m (SL, DL), high 8 m (SH, DH)
    "inf-dl": 1.5,
    "inf-sh": 8.0,
    "inf-dh": 8.0,
}
"""Default BS height per scenario [m] (TR 38.901 V17.0.0, Tables 7.2-1, 7.2-2, 7.2-4)."""

LINK_DEFAULTS: dict[str, float] = {
    "h_ut_m": 1.5,  # TR 38.901 Table 7.4.1-1 outdoor UT height
    "edge_coverage": 0.9,  # cell-edge coverage probability (~95-97 % area coverage)
    "dl_interference_margin_db": 3.0,  # I/N = 0 dB at the edge: 10 log10(1 + 1)
    "ul_interference_margin_db": 2.0,  # UL interference rise at moderate load
    "body_loss_db": 0.0,  # data device held away from the head
    "cable_loss_db": 0.0,  # AAU / RRU at the antenna: no feeder
    "ue_gain_dbi": 0.0,  # TR 38.901 Table 7.8-1: isotropic UT antenna
}
"""nrplan planning defaults of the link budget (each is a keyword of :func:`link_budget`)."""


# --------------------------------------------------------------------------- helpers


def db_to_lin(x_db: ArrayLike) -> np.ndarray:
    """dB (or dBm) to linear (or mW): ``10**(x/10)``."""
    return np.power(10.0, np.asarray(x_db, dtype=float) / 10.0)


def lin_to_db(x: ArrayLike) -> np.ndarray:
    """Linear (or mW) to dB (or dBm): ``10 log10(x)``; 0 gives -inf."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.asarray(x, dtype=float))


def db_sum(x_db: ArrayLike, axis: int | None = None) -> np.ndarray:
    """Power sum of dB values, ``10 log10(sum 10**(x/10))`` (NaN ignored, empty = -inf)."""
    lin = np.nan_to_num(db_to_lin(x_db), nan=0.0)
    return lin_to_db(lin.sum(axis=axis))


def thermal_noise_dbm(bandwidth_hz: ArrayLike, nf_db: ArrayLike = 0.0) -> np.ndarray:
    """Thermal noise power in a bandwidth, with a noise figure [dBm].

    ``N = -174 + 10 log10(B) + NF``.

    Parameters
    ----------
    bandwidth_hz : array_like
        Noise bandwidth [Hz], > 0 (e.g. ``12 * N_PRB * SCS`` or one SCS for an RE).
    nf_db : array_like
        Receiver noise figure [dB].

    Returns
    -------
    ndarray
        Noise power [dBm].

    References
    ----------
    kT0 = -174 dBm/Hz at T0 = 290 K; noise figure as in 3GPP TS 38.104 /
    TS 38.101-1 reference-sensitivity derivations.
    """
    check_range("bandwidth_hz", bandwidth_hz, 0.0, lo_open=True, unit="Hz")
    b = np.asarray(bandwidth_hz, dtype=float)
    return THERMAL_NOISE_DBM_HZ + 10.0 * np.log10(b) + np.asarray(nf_db, dtype=float)


def re_power_dbm(
    power_dbm: ArrayLike, n_prb: ArrayLike, scs_khz: float | None = None
) -> np.ndarray:
    """Transmit power per resource element, equal power over all REs [dBm].

    ``P_RE = P - 10 log10(12 N_PRB)``; add the antenna gain for the EIRP per RE
    (the SS/PBCH and PDSCH EPRE when power is spread evenly).

    Parameters
    ----------
    power_dbm : array_like
        Total transmit power over the ``n_prb`` resource blocks [dBm].
    n_prb : array_like
        Resource blocks over which the power is spread (>= 1).
    scs_khz : float, optional
        Subcarrier spacing [kHz]; only validated (the power per RE does not
        depend on it).

    Returns
    -------
    ndarray
        Power per RE [dBm].

    References
    ----------
    3GPP TS 38.215 V17.0.0, 5.1.1 (RSRP defined per RE); 12 subcarriers per
    RB (TS 38.211 4.4.4.1).
    """
    if scs_khz is not None:
        numerology(scs_khz)
    check_range("n_prb", n_prb, 1.0)
    return np.asarray(power_dbm, dtype=float) - 10.0 * np.log10(12.0 * np.asarray(n_prb, float))


def rsrp_dbm(
    power_dbm: ArrayLike,
    n_prb: ArrayLike,
    gain_dbi: ArrayLike,
    pathloss_db: ArrayLike,
    losses_db: ArrayLike = 0.0,
    ue_gain_dbi: ArrayLike = 0.0,
) -> np.ndarray:
    """Reference signal received power [dBm per RE].

    ``RSRP = P - 10 log10(12 N_PRB) + G_tx + G_UE - PL - L``.

    Parameters
    ----------
    power_dbm : array_like
        Sector transmit power [dBm].
    n_prb : array_like
        Resource blocks the power is spread over.
    gain_dbi : array_like
        Transmit antenna gain towards the UE (SSB beam for SS-RSRP) [dBi].
    pathloss_db : array_like
        Path loss [dB].
    losses_db : array_like
        Other losses (penetration, body, cable) [dB].
    ue_gain_dbi : array_like
        UE antenna gain [dBi].

    Returns
    -------
    ndarray
        RSRP [dBm].

    References
    ----------
    3GPP TS 38.215 V17.0.0, 5.1.1.
    """
    return (
        re_power_dbm(power_dbm, n_prb)
        + np.asarray(gain_dbi, float)
        + np.asarray(ue_gain_dbi, float)
        - np.asarray(pathloss_db, float)
        - np.asarray(losses_db, float)
    )


def sinr_db(signal_dbm: ArrayLike, interference_dbm: ArrayLike, noise_dbm: ArrayLike) -> np.ndarray:
    """SINR from signal, interference and noise powers [dB].

    ``SINR = S / (I + N)`` in linear units. ``interference_dbm = -inf`` is no
    interference.

    Parameters
    ----------
    signal_dbm, interference_dbm, noise_dbm : array_like
        Powers in the same bandwidth (e.g. per RE) [dBm].

    Returns
    -------
    ndarray
        SINR [dB].
    """
    i_n = db_to_lin(interference_dbm) + db_to_lin(noise_dbm)
    return np.asarray(signal_dbm, dtype=float) - lin_to_db(i_n)


def shadow_margin_db(sigma_db: ArrayLike, coverage_prob: ArrayLike) -> np.ndarray:
    """Log-normal shadowing margin for a cell-edge coverage probability [dB].

    ``M = sigma * Phi^-1(p)`` (e.g. 1.2816 sigma for 90 %).

    Parameters
    ----------
    sigma_db : array_like
        Standard deviation of the shadowing (and O2I) loss [dB].
    coverage_prob : array_like
        Probability that the received level exceeds the threshold at the
        cell edge, in (0, 1).
    """
    check_range("edge_coverage", coverage_prob, 0.0, 1.0, lo_open=True, hi_open=True)
    return np.asarray(sigma_db, float) * norm.ppf(np.asarray(coverage_prob, float))


def max_path_loss(
    eirp_re_dbm: ArrayLike,
    rx_gain_dbi: ArrayLike,
    noise_re_dbm: ArrayLike,
    required_sinr_db: ArrayLike,
    interference_margin_db: ArrayLike = 0.0,
    losses_db: ArrayLike = 0.0,
    margin_db: ArrayLike = 0.0,
) -> np.ndarray:
    """Maximum allowable path loss of a link [dB].

    ``MAPL = EIRP_RE + G_rx - N_RE - SINR_req - IM - L - M``.

    Parameters
    ----------
    eirp_re_dbm : array_like
        Transmit EIRP per resource element (power per RE + tx gain) [dBm].
    rx_gain_dbi : array_like
        Receive antenna gain [dBi].
    noise_re_dbm : array_like
        Receiver thermal noise per RE including its noise figure [dBm].
    required_sinr_db : array_like
        SINR needed for the target rate [dB].
    interference_margin_db : array_like
        Interference margin (noise rise) [dB].
    losses_db : array_like
        Body, cable and penetration losses [dB].
    margin_db : array_like
        Shadowing margin [dB].

    Returns
    -------
    ndarray
        MAPL [dB].
    """
    return (
        np.asarray(eirp_re_dbm, float)
        + np.asarray(rx_gain_dbi, float)
        - np.asarray(noise_re_dbm, float)
        - np.asarray(required_sinr_db, float)
        - np.asarray(interference_margin_db, float)
        - np.asarray(losses_db, float)
        - np.asarray(margin_db, float)
    )


#: Highest BS height [m] where TR 38.901 gives no range (the RMa table's top).
_H_BS_MAX_M = 150.0


def _check_heights(scenario: str, h_bs: float, h_ut: float) -> None:
    """BS/UT heights finite and within TR 38.901 Table 7.4.1-1 (else (0, 150] m)."""
    for field, value, ranges in (
        ("h_bs", h_bs, BS_HEIGHT_RANGE_M),
        ("h_ut", h_ut, UT_HEIGHT_RANGE_M),
    ):
        lo, hi = ranges.get(scenario, (0.0, _H_BS_MAX_M))
        where = f" for {scenario} (TR 38.901 Table 7.4.1-1)"
        if scenario not in ranges:
            where = f" for {scenario} (up to the RMa table's {_H_BS_MAX_M:g} m)"
        try:
            check_range(field, value, lo, hi, lo_open=lo == 0.0, unit="m")
        except NrplanInputError as exc:
            raise NrplanInputError(field, exc.value, f"{exc.allowed}{where}") from None


def _distance_bracket(scenario: str, los: str, h_bs: float, h_ut: float) -> tuple[float, float]:
    """Applicable d_2D range [m] of the path-loss model (Table 7.4.1-1)."""
    state = "los" if los == "los" else "nlos"
    which, lo, hi = DISTANCE_RANGE_M[(scenario, state)]
    if los == "prob":
        hi = min(hi, DISTANCE_RANGE_M[(scenario, "los")][2])
    if which == "d_3d":
        dh2 = (h_bs - h_ut) ** 2
        lo = math.sqrt(max(lo * lo - dh2, 0.0))
        hi = math.sqrt(max(hi * hi - dh2, 0.0))
    return max(lo, 1e-3) * (1 + 1e-9), hi * (1 - 1e-9)


def range_for_path_loss(
    mapl_db: float,
    scenario: str,
    h_bs: float,
    h_ut: float,
    f_c_ghz: float,
    los: str = "prob",
    **pl_params: object,
) -> tuple[float, bool]:
    """Largest 2D distance at which the path loss equals ``mapl_db`` [m].

    Solves ``pathloss(scenario, d, h_bs, h_ut, f_c, los) = MAPL`` with
    :func:`scipy.optimize.brentq` (xtol 1 cm) on the model's applicable
    d_2D range. The path loss is increasing in distance for ``"los"`` and
    ``"nlos"``; for ``"prob"`` the expected loss ``p PL_LOS + (1 - p) PL_NLOS``
    is increasing too, since p decreases and PL_NLOS >= PL_LOS. A sign
    change on the bracket therefore has exactly one root.

    Parameters
    ----------
    mapl_db : float
        Maximum allowable path loss [dB].
    scenario : str
        TR 38.901 scenario (:data:`nrplan.radio.pathloss.SCENARIOS`).
    h_bs, h_ut : float
        BS and UT heights [m].
    f_c_ghz : float
        Carrier frequency [GHz].
    los : {"los", "nlos", "prob"}
        LOS state for :func:`nrplan.radio.pathloss.pathloss`.
    **pl_params
        Extra path-loss parameters (``h_e``, ``h``, ``w``, ...).

    Returns
    -------
    range_m : float
        Range [m]; 0 when even the shortest applicable distance loses more
        than the MAPL.
    capped : bool
        True when the MAPL exceeds the loss at the longest applicable
        distance; the range is then that distance (the model's limit).

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 (applicability ranges), 7.4.2-1.
    """
    lo, hi = _distance_bracket(scenario, los, h_bs, h_ut)

    def f(d: float) -> float:
        return float(pathloss(scenario, d, h_bs, h_ut, f_c_ghz, los, **pl_params)) - mapl_db

    if f(lo) > 0.0:
        return 0.0, False
    if f(hi) <= 0.0:
        return float(hi), True
    return float(brentq(f, lo, hi, xtol=0.01)), False


# --------------------------------------------------------------------------- budget


@dataclass(frozen=True)
class LinkBudget:
    """Result of :func:`link_budget` (all per resource element unless stated).

    Attributes
    ----------
    band, scenario, los : str
        Inputs.
    h_bs_m, h_ut_m, f_c_ghz, f_ul_ghz : float
        Heights [m], DL and UL carrier frequencies [GHz].
    edge_dl_mbps, edge_ul_mbps : float
        Target cell-edge rates [Mbit/s].
    dl_noise_dbm, ul_noise_dbm : float
        Thermal noise + NF over the DL band / the UL allocation [dBm].
    dl_noise_re_dbm, ul_noise_re_dbm : float
        Noise per RE at the UE / gNB [dBm].
    eirp_dbm, eirp_re_dbm : float
        DL EIRP of the traffic beam, total and per RE [dBm].
    ue_eirp_dbm : float
        UE EIRP [dBm].
    dl_gain_dbi, ssb_gain_dbi, ul_gain_dbi : float
        gNB traffic-beam, SSB-beam and receive gains [dBi].
    dl_required_sinr_db, ul_required_sinr_db : float
        SINR for the edge rates [dB].
    ul_prb : int
        UL resource blocks allocated to the edge user.
    shadow_sigma_db, shadow_margin_db, penetration_loss_db : float
        Shadowing (incl. O2I) sigma, margin and mean penetration loss [dB].
    dl_interference_margin_db, ul_interference_margin_db : float
        Interference margins [dB].
    mapl_dl_db, mapl_ul_db : float
        Maximum allowable path loss [dB].
    range_dl_m, range_ul_m, max_range_m : float
        Cell ranges [m]; ``max_range_m`` is the smaller (the limiting link).
    limiting_link : {"dl", "ul"}
        Which link limits the range.
    range_capped : bool
        True when the range stopped at the path-loss model's distance limit.
    rsrp_edge_dbm : float
        Mean SS-RSRP at ``max_range_m`` (SSB beam, no margins) [dBm].
    """

    band: str
    scenario: str
    los: str
    h_bs_m: float
    h_ut_m: float
    f_c_ghz: float
    f_ul_ghz: float
    edge_dl_mbps: float
    edge_ul_mbps: float
    dl_noise_dbm: float
    ul_noise_dbm: float
    dl_noise_re_dbm: float
    ul_noise_re_dbm: float
    eirp_dbm: float
    eirp_re_dbm: float
    ue_eirp_dbm: float
    dl_gain_dbi: float
    ssb_gain_dbi: float
    ul_gain_dbi: float
    dl_required_sinr_db: float
    ul_required_sinr_db: float
    ul_prb: int
    shadow_sigma_db: float
    shadow_margin_db: float
    penetration_loss_db: float
    dl_interference_margin_db: float
    ul_interference_margin_db: float
    mapl_dl_db: float
    mapl_ul_db: float
    range_dl_m: float
    range_ul_m: float
    max_range_m: float
    limiting_link: str
    range_capped: bool
    rsrp_edge_dbm: float


def _ul_allocation(
    edge_ul_mbps: float,
    ue_power_dbm: float,
    bw_mhz: float,
    scs_khz: float,
    layers: int,
    tdd: object,
    method: str,
    ul_prb: int | None,
) -> tuple[int, float]:
    """UL PRBs maximising the MAPL for the edge rate, and their required SINR.

    Fewer PRBs concentrate the UE power (+10 log10 per halving) but need a
    higher spectral efficiency; every allocation 1..N_PRB is evaluated and
    the one with the largest ``P_RE - SINR_req`` kept (exhaustive, exact).
    """
    n_total = n_prb(bw_mhz, scs_khz)
    candidates = range(1, n_total + 1) if ul_prb is None else (int(ul_prb),)
    if ul_prb is not None:
        check_range("ul_prb", ul_prb, 1, n_total)
    best: tuple[float, int, float] | None = None
    last_error: NrplanInputError | None = None
    for n in candidates:
        try:
            req = required_sinr_db(
                edge_ul_mbps, bw_mhz, scs_khz, layers, tdd, "ul",
                method=method, prb_share=n / n_total, field="edge_ul_mbps",
            )  # fmt: skip
        except NrplanInputError as exc:
            last_error = exc
            continue
        score = ue_power_dbm - 10.0 * math.log10(12 * n) - req
        if best is None or score > best[0]:
            best = (score, n, req)
    if best is None:
        assert last_error is not None
        raise last_error
    return best[1], best[2]


def link_budget(
    band: str | Band,
    scenario: str = "uma",
    edge_dl_mbps: float = 50.0,
    edge_ul_mbps: float = 2.0,
    *,
    los: str = "prob",
    h_bs: float | None = None,
    h_ut: float = LINK_DEFAULTS["h_ut_m"],
    edge_coverage: float = LINK_DEFAULTS["edge_coverage"],
    penetration: str = "none",
    dl_layers: int = 1,
    ul_layers: int = 1,
    ul_prb: int | None = None,
    method: str = "cqi-table2",
    dl_interference_margin_db: float = LINK_DEFAULTS["dl_interference_margin_db"],
    ul_interference_margin_db: float = LINK_DEFAULTS["ul_interference_margin_db"],
    body_loss_db: float = LINK_DEFAULTS["body_loss_db"],
    cable_loss_db: float = LINK_DEFAULTS["cable_loss_db"],
    ue_gain_dbi: float = LINK_DEFAULTS["ue_gain_dbi"],
    power_dbm: float | None = None,
    **pl_params: object,
) -> LinkBudget:
    """Cell-edge DL and UL link budgets of a band and the resulting cell range.

    Parameters
    ----------
    band : str or Band
        Band name (:data:`nrplan.radio.bands.BANDS`) or a :class:`Band`.
    scenario : str
        TR 38.901 path-loss scenario.
    edge_dl_mbps, edge_ul_mbps : float
        Cell-edge user rates to sustain [Mbit/s], > 0.
    los : {"los", "nlos", "prob"}
        Path-loss LOS state; ``"prob"`` = LOS-probability weighted expected
        loss in dB.
    h_bs : float, optional
        BS height [m]; default per scenario (:data:`DEFAULT_H_BS_M`).
    h_ut : float
        UT height [m].
    edge_coverage : float
        Target probability of coverage at the cell edge (0-1); the
        shadowing margin is ``sigma * Phi^-1(p)`` with sigma_SF of
        Table 7.4.1-1 (NLOS sigma for ``"nlos"``/``"prob"``, the cell edge
        being mostly NLOS; LOS sigma for ``"los"``), combined with the O2I
        sigma for indoor users: ``sqrt(sigma_SF^2 + sigma_P^2)``.
    penetration : {"none", "low", "high"}
        Outdoor user, or indoor in a TR 38.901 7.4.3 low-/high-loss building
        (mean loss at the scenario's mean indoor distance where defined).
    dl_layers, ul_layers : int
        MIMO layers of the edge user. With more than one layer the power is
        split, so the required SINR per RE is the per-layer SINR + 10 log10(layers).
    ul_prb : int, optional
        UL resource blocks for the edge user; default: the allocation that
        maximises the UL MAPL.
    method : str
        Spectral-efficiency method (:func:`nrplan.radio.nr.spectral_efficiency`).
    dl_interference_margin_db, ul_interference_margin_db : float
        Interference margins [dB] (:data:`LINK_DEFAULTS`).
    body_loss_db, cable_loss_db : float
        Body and cable/feeder loss [dB].
    ue_gain_dbi : float
        UE antenna gain [dBi].
    power_dbm : float, optional
        Override of the band's sector power [dBm].
    **pl_params
        Extra path-loss parameters (``h_e``, ``h``, ``w``, InF clutter).

    Returns
    -------
    LinkBudget

    Notes
    -----
    DL data use all carriers of the band (carrier aggregation) with the
    power spread evenly over all their REs; UL uses the first (primary)
    carrier. Gains are the peak gains of the band's antenna profile
    (traffic beam for data in both directions, by reciprocity; SSB beam for
    the RSRP). TDD duty and TS 38.306 overheads enter through the rate model.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1, 7.4.2-1, 7.4.3-2; TS 38.101-1
    V17.0.0, Tables 5.3.2-1 and 6.2.1-1; TS 38.214 V17.0.0, Tables
    5.2.2.1-2/-3; TS 38.306 V17.0.0, 4.1.2; TS 38.215 V17.0.0, 5.1.1.
    """
    b = get_band(band)
    scenario = check_choice("scenario", scenario, SCENARIOS)
    los = check_choice("los", los, ("los", "nlos", "prob"))
    penetration = check_choice("penetration", penetration, ("none", "low", "high"))
    check_range("edge_dl_mbps", edge_dl_mbps, 0.0, lo_open=True, unit="Mbit/s")
    check_range("edge_ul_mbps", edge_ul_mbps, 0.0, lo_open=True, unit="Mbit/s")
    check_range("dl_layers", dl_layers, 1, b.max_dl_layers)
    check_range("ul_layers", ul_layers, 1, b.max_ul_layers)
    h_bs = DEFAULT_H_BS_M[scenario] if h_bs is None else float(h_bs)
    _check_heights(scenario, h_bs, h_ut)
    ant = get_antenna(b.antenna)
    tdd = b.tdd
    p_tx = b.power_dbm if power_dbm is None else float(power_dbm)
    scs_hz = b.scs_khz * 1e3

    # ---- losses and margins
    sigma = float(shadow_sigma(scenario, "los" if los == "los" else "nlos"))
    pen_dl = pen_ul = 0.0
    if penetration != "none":
        d_in = mean_indoor_distance(scenario) if scenario in INDOOR_DISTANCE_MAX_M else None
        pen_dl = float(o2i_loss(penetration, b.f_c_ghz, d_in))
        pen_ul = float(o2i_loss(penetration, b.f_ul_ghz, d_in))
        sigma = math.hypot(sigma, o2i_sigma(penetration))
    margin = float(shadow_margin_db(sigma, edge_coverage))

    # ---- downlink (all carriers)
    total_prb = b.n_prb
    p_re = float(re_power_dbm(p_tx, total_prb))
    g_dl = ant.max_gain_dbi["traffic"]
    g_ssb = ant.max_gain_dbi["ssb"]
    n_re_ue = float(thermal_noise_dbm(scs_hz, b.ue_nf_db))
    total_re_rate = sum(re_rate_per_s(bw, b.scs_khz) for bw in b.carriers_mhz)
    share0 = re_rate_per_s(b.carriers_mhz[0], b.scs_khz) / total_re_rate
    try:
        dl_req = required_sinr_db(
            edge_dl_mbps * share0, b.carriers_mhz[0], b.scs_khz, dl_layers, tdd, "dl",
            method=method, field="edge_dl_mbps",
        )  # fmt: skip
    except NrplanInputError as exc:
        raise NrplanInputError(
            "edge_dl_mbps",
            edge_dl_mbps,
            f"a rate band {b.name} can carry ({exc.allowed} "
            "on its first carrier; scale by the carriers)",
        ) from None
    dl_req += 10.0 * math.log10(dl_layers)
    losses_dl = body_loss_db + cable_loss_db + pen_dl
    mapl_dl = float(
        max_path_loss(
            p_re + g_dl, ue_gain_dbi, n_re_ue, dl_req, dl_interference_margin_db, losses_dl, margin
        )
    )

    # ---- uplink (primary carrier, best PRB allocation)
    bw_ul = b.carriers_mhz[0]
    n_ul, ul_req = _ul_allocation(
        edge_ul_mbps, b.ue_power_dbm, bw_ul, b.scs_khz, ul_layers, tdd, method, ul_prb
    )
    ul_req += 10.0 * math.log10(ul_layers)
    p_re_ue = float(re_power_dbm(b.ue_power_dbm, n_ul))
    g_ul = ant.max_gain_dbi["traffic"]
    n_re_gnb = float(thermal_noise_dbm(scs_hz, b.gnb_nf_db))
    losses_ul = body_loss_db + cable_loss_db + pen_ul
    mapl_ul = float(
        max_path_loss(
            p_re_ue + ue_gain_dbi, g_ul, n_re_gnb, ul_req, ul_interference_margin_db, losses_ul,
            margin,
        )
    )  # fmt: skip

    # ---- ranges
    r_dl, cap_dl = range_for_path_loss(mapl_dl, scenario, h_bs, h_ut, b.f_c_ghz, los, **pl_params)
    r_ul, cap_ul = range_for_path_loss(mapl_ul, scenario, h_bs, h_ut, b.f_ul_ghz, los, **pl_params)
    limiting = "dl" if r_dl <= r_ul else "ul"
    r_max = min(r_dl, r_ul)
    if r_max > 0:
        pl_edge = float(pathloss(scenario, r_max, h_bs, h_ut, b.f_c_ghz, los, **pl_params))
        rsrp_edge = float(rsrp_dbm(p_tx, total_prb, g_ssb, pl_edge, losses_dl, ue_gain_dbi))
    else:
        rsrp_edge = float("nan")

    return LinkBudget(
        band=b.name,
        scenario=scenario,
        los=los,
        h_bs_m=h_bs,
        h_ut_m=float(h_ut),
        f_c_ghz=b.f_c_ghz,
        f_ul_ghz=b.f_ul_ghz,
        edge_dl_mbps=float(edge_dl_mbps),
        edge_ul_mbps=float(edge_ul_mbps),
        dl_noise_dbm=float(thermal_noise_dbm(12 * total_prb * scs_hz, b.ue_nf_db)),
        ul_noise_dbm=float(thermal_noise_dbm(12 * n_ul * scs_hz, b.gnb_nf_db)),
        dl_noise_re_dbm=n_re_ue,
        ul_noise_re_dbm=n_re_gnb,
        eirp_dbm=p_tx + g_dl,
        eirp_re_dbm=p_re + g_dl,
        ue_eirp_dbm=b.ue_power_dbm + ue_gain_dbi,
        dl_gain_dbi=g_dl,
        ssb_gain_dbi=g_ssb,
        ul_gain_dbi=g_ul,
        dl_required_sinr_db=dl_req,
        ul_required_sinr_db=ul_req,
        ul_prb=int(n_ul),
        shadow_sigma_db=sigma,
        shadow_margin_db=margin,
        penetration_loss_db=pen_dl,
        dl_interference_margin_db=float(dl_interference_margin_db),
        ul_interference_margin_db=float(ul_interference_margin_db),
        mapl_dl_db=mapl_dl,
        mapl_ul_db=mapl_ul,
        range_dl_m=r_dl,
        range_ul_m=r_ul,
        max_range_m=r_max,
        limiting_link=limiting,
        range_capped=(cap_dl if limiting == "dl" else cap_ul),
        rsrp_edge_dbm=rsrp_edge,
    )


def max_cell_range(
    band: str | Band,
    scenario: str = "uma",
    edge_dl_mbps: float = 50.0,
    edge_ul_mbps: float = 2.0,
    *,
    los: str = "prob",
    **kwargs: object,
) -> LinkBudget:
    """Maximum cell range for edge rates: :func:`link_budget` (same arguments).

    The range solves ``pathloss(d) = MAPL`` for DL and UL
    (:func:`range_for_path_loss`, brentq on the monotone path loss);
    ``max_range_m`` is the smaller and ``limiting_link`` says which.
    """
    return link_budget(band, scenario, edge_dl_mbps, edge_ul_mbps, los=los, **kwargs)
