"""Per-pixel radio evaluation of a private network through the TR 38.901 models.

The public-network engine (``nrplan.engine``) gives per-pixel expected
powers of the best server; the fading-availability model needs the LOS and
NLOS states of every serving link. This module therefore evaluates small
private sites directly through ``nrplan.radio`` (exhaustive pixel x unit,
NumPy, chunked over pixels), which is exact and fast enough for sites of a few
km^2; :mod:`nrplan.industry.engine_check` measures a plan again with the engine
(scenario override with the InF clutter parameters).

Per pixel and unit: path loss in LOS and NLOS (Table 7.4.1-1, formulas
extrapolated below the tables' minimum distance), LOS probability (Table
7.4.2-1 with the InF clutter r, h_c, d_clutter), expected (LOS-probability
weighted, in dB) received power. Serving set: the ``redundancy`` units of
highest expected received power; they coordinate their resources (multi-TRP
/ dual connectivity) and do not interfere with each other. DL interference:
all other units, each weighted by its activity factor (its DL load, at least
``dl_load``). UL: the UE's power spread
over the transmission's PRBs against thermal noise plus an interference-over-
thermal margin ``ul_iot_db``. Indoor devices (outdoor profiles; the share of
a class is its ``indoor_share`` or else the profile's) see every
signal reduced by the mean O2I loss of the low-loss building model, whose
lognormal sigma adds in quadrature to the shadow fading of the location
margin. Per class and direction, the time availability of the serving set
follows :mod:`nrplan.industry.reliability` (Nakagami/Gamma fading with
diversity, HARQ transmissions, redundancy, location margin z(p_loc) sigma_SF);
a class using both directions needs both, so its availability is the smaller.
Also per class: the location reliability, P(the median SINR of at least one
serving link, under lognormal shadowing correlated between links, reaches
the class threshold) (:func:`serving_location_reliability`).

References
----------
3GPP TR 38.901 V17.0.0, Tables 7.4.1-1, 7.4.2-1, 7.4.3-2, 7.2-4.
3GPP TS 38.306 V17.0.0, 4.1.2 (rate); TR 36.942 V17.0.0 Annex A.2 (truncated
Shannon, used for the required SINR of a message).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nrplan.grid import Grid
from nrplan.industry.devices import DeviceClass
from nrplan.industry.latency import SymbolMap
from nrplan.industry.profiles import IndustryBand, Profile
from nrplan.industry.reliability import (
    diversity_order,
    k_factor_db,
    link_outage,
    location_margin_db,
    nakagami_m_from_k,
    outage_probability,
    redundant_outage,
    shadowing_outage,
)
from nrplan.radio import nr
from nrplan.radio.antenna import get_antenna, local_angles, sector_gain
from nrplan.radio.linkbudget import thermal_noise_dbm
from nrplan.radio.los import los_probability
from nrplan.radio.o2i import o2i_loss, o2i_sigma
from nrplan.radio.pathloss import pathloss_los, pathloss_nlos, shadow_sigma

__all__ = [
    "Evaluation",
    "LinkSetup",
    "class_threshold_db",
    "evaluate",
    "link_setup",
    "sector_gains",
    "serving_availability",
    "serving_location_reliability",
    "thermal_noise_dbm",
]

_CHUNK = 16_384  # pixels per block: memory ~ chunk x units x 8 B x ~8 arrays
_DMRS_SYMBOLS = 1  # DMRS symbols per transmission, nrplan assumption
_O2I_MODEL = "low"  # industrial sheds / halls: TR 38.901 Table 7.4.3-2 low-loss


def class_threshold_db(
    cls: DeviceClass, direction: str, band: IndustryBand, profile: Profile, smap: SymbolMap
) -> float:
    """SINR a class needs in one direction [dB].

    The bits of one transmission occasion (the message for periodic classes,
    ``rate / occasions per second`` for streaming classes with a given rate,
    whichever is larger) must fit in one occasion of ``L`` symbols (one DMRS
    symbol) on ``alloc_share`` of the carrier's PRBs; the SINR is the inverse
    of the truncated Shannon bound alpha log2(1 + SINR) at that efficiency,
    and at least SINR_min (-10 dB).

    References
    ----------
    3GPP TR 36.942 V17.0.0, Annex A.2 (alpha = 0.6, SINR_min = -10 dB) as
    implemented in ``nrplan.radio.nr.TRUNCATED_SHANNON``.
    """
    L = profile.mini_slot or 14
    d = "D" if direction == "dl" else "U"
    both = smap.symbols == "F"
    n_sym = int(((smap.symbols == d) | both).sum())
    period_s = smap.n / (14.0 * 2 ** nr.numerology(band.scs_khz) * 1000.0)
    occ_per_s = max(n_sym // L, 1) / period_s
    rate = cls.ul_rate_mbps if direction == "ul" else cls.dl_rate_mbps
    bits_msg = cls.message_bytes * 8.0 if (cls.ul_mbps is None and cls.dl_mbps is None) else 0.0
    bits = max(bits_msg, rate * 1e6 / occ_per_s)
    n_alloc = max(1, round(band.n_prb * profile.alloc_share))
    se = bits / (n_alloc * 12 * (L - _DMRS_SYMBOLS))
    ts = nr.TRUNCATED_SHANNON
    sinr = 10.0 * np.log10(np.expm1(se / ts["alpha"] * np.log(2.0)))
    return float(max(sinr, ts["sinr_min_db"]))


@dataclass
class Evaluation:
    """Per-pixel results (arrays of the grid shape; NaN outside the area).

    Attributes
    ----------
    best_server : ndarray of int32
        Unit of highest expected received power (-1 outside).
    sinr_db : ndarray
        DL SINR of the best server, interference from all other units [dB].
    ul_sinr_db : ndarray
        UL SINR of the best server with the class allocation [dB].
    ul_mbps : ndarray
        Single-user UL rate on the full carrier [Mbit/s].
    reliability : dict[str, ndarray]
        Per class label: time availability, P(a message gets through on at
        least one serving link within its HARQ transmissions), at the
        location-probability margin (:mod:`nrplan.industry.reliability`).
    location : dict[str, ndarray]
        Per class label: location reliability, P(the median SINR of at least
        one serving link, under correlated lognormal shadowing, reaches the
        class threshold) (:func:`serving_location_reliability`); empty unless
        requested.
    unit_ul_se, unit_dl_se : ndarray, shape (n_units,)
        Mean spectral efficiency over each unit's best-server pixels [bit/RE].
    unit_share : ndarray, shape (n_units,)
        Share of the service area each unit serves.
    """

    best_server: np.ndarray
    sinr_db: np.ndarray
    ul_sinr_db: np.ndarray
    ul_mbps: np.ndarray
    reliability: dict[str, np.ndarray]
    location: dict[str, np.ndarray]
    unit_ul_se: np.ndarray
    unit_dl_se: np.ndarray
    unit_share: np.ndarray


@dataclass
class LinkSetup:
    """Link-budget and reliability settings shared by every pixel of one evaluation
    (:func:`link_setup`): DL/UL EIRP [dBm], noise [dBm, mW], serving-set size,
    per-unit activity, fading orders, HARQ transmissions, class thresholds [dB]
    and the indoor/outdoor states ``(O2I loss [dB], class shares, LOS and NLOS
    location margins [dB])`` with their LOS and NLOS shadowing sigmas [dB]
    (``sigmas``, O2I sigma included indoors) and the inter-link shadowing
    correlation ``rho``."""

    eirp_dl: float
    eirp_ul: float
    noise_dl_dbm: float
    noise_dl_lin: float
    noise_ul: float
    n_red: int
    activity: np.ndarray
    m_eff: dict[str, tuple[float, float]]
    n_tx: dict[str, int]
    thr: dict[str, dict[str, float]]
    states: list[tuple[float, dict[str, float], float, float]]
    sigmas: list[tuple[float, float]]
    rho: float


def link_setup(
    profile: Profile,
    band: IndustryBand,
    classes: dict[str, DeviceClass],
    smap: SymbolMap,
    n_units: int,
    activity=None,
    transmissions: dict[str, int] | None = None,
) -> LinkSetup:
    """The per-evaluation settings of :func:`evaluate` (see its parameters)."""
    u = profile.unit
    f_c = band.f_c_ghz
    bw_dl_hz = band.n_prb * 12 * band.scs_khz * 1e3
    n_alloc = max(1, round(band.n_prb * profile.alloc_share))
    bw_ul_hz = n_alloc * 12 * band.scs_khz * 1e3
    noise_dl = float(thermal_noise_dbm(bw_dl_hz, profile.ue_noise_figure_db))
    noise_ul = float(thermal_noise_dbm(bw_ul_hz, u.noise_figure_db)) + profile.ul_iot_db
    sig_l = float(shadow_sigma(profile.scenario, "los"))
    sig_n = float(shadow_sigma(profile.scenario, "nlos"))
    k_db = profile.k_factor_db if profile.k_factor_db is not None else k_factor_db(profile.scenario)
    m_los = float(nakagami_m_from_k(k_db))
    div = {
        "dl": diversity_order(profile.ue_rx_antennas, u.antennas),
        "ul": diversity_order(profile.ue_tx_antennas, u.antennas),
    }
    p_loc = profile.location_probability
    # indoor share per class (the class's own or the profile's)
    f_in = {
        lab: profile.indoor_share if c.indoor_share is None else c.indoor_share
        for lab, c in classes.items()
    }
    states = [
        (
            0.0,
            {lab: 1.0 - f for lab, f in f_in.items()},
            float(location_margin_db(p_loc, sig_l)),
            float(location_margin_db(p_loc, sig_n)),
        )
    ]
    sigmas = [(sig_l, sig_n)]
    if any(f > 0 for f in f_in.values()):
        l_in = float(o2i_loss(_O2I_MODEL, f_c))
        s_in = o2i_sigma(_O2I_MODEL)
        sig_in = (float(np.hypot(sig_l, s_in)), float(np.hypot(sig_n, s_in)))
        states.append(
            (
                l_in,
                f_in,
                float(location_margin_db(p_loc, sig_in[0])),
                float(location_margin_db(p_loc, sig_in[1])),
            )
        )
        sigmas.append(sig_in)
    return LinkSetup(
        eirp_dl=u.power_dbm + u.gain_dbi + profile.ue_gain_dbi,
        eirp_ul=profile.ue_power_dbm + profile.ue_gain_dbi + u.gain_dbi,
        noise_dl_dbm=noise_dl,
        noise_dl_lin=10.0 ** (noise_dl / 10.0),
        noise_ul=noise_ul,
        n_red=min(profile.redundancy, n_units),
        activity=np.broadcast_to(
            np.asarray(profile.dl_load if activity is None else activity, float), (n_units,)
        ),
        m_eff={d: (n * m_los, float(n)) for d, n in div.items()},  # (LOS, NLOS Rayleigh)
        n_tx={lab: 1 for lab in classes} if transmissions is None else dict(transmissions),
        thr={
            lab: {
                d: class_threshold_db(c, d, band, profile, smap)
                for d, used in (("ul", c.uses_ul), ("dl", c.uses_dl))
                if used
            }
            for lab, c in classes.items()
        },
        states=states,
        sigmas=sigmas,
        rho=profile.shadowing_correlation,
    )


def _state_means(st: LinkSetup, loss: float, i_ex, pl_sl, pl_sn) -> dict[str, tuple]:
    """Median DL/UL SINR (LOS, NLOS) of the serving links in one indoor state [dB]."""
    f = 10.0 ** (-loss / 10.0)
    den_dl = _db((i_ex * f)[:, None] + st.noise_dl_lin)
    return {
        "dl": (st.eirp_dl - pl_sl - loss - den_dl, st.eirp_dl - pl_sn - loss - den_dl),
        "ul": (st.eirp_ul - pl_sl - loss - st.noise_ul, st.eirp_ul - pl_sn - loss - st.noise_ul),
    }


def _per_class(
    st: LinkSetup,
    classes: dict[str, DeviceClass],
    pl_sl: np.ndarray,
    pl_sn: np.ndarray,
    i_ex: np.ndarray,
    metric,
) -> dict[str, np.ndarray]:
    """Share-weighted mean over the indoor states of a per-class link metric.

    ``metric(state, direction, threshold, means, transmissions)`` gives the
    metric of the serving set, shape (n,), for one state index, direction
    and class threshold; ``means`` are the (LOS, NLOS) median SINRs (n, k).
    A class using both directions takes the smaller of the two.
    """
    n = pl_sl.shape[0]
    out = {lab: np.zeros(n) for lab in classes}
    for k, (loss, share, _, _) in enumerate(st.states):
        mean = _state_means(st, loss, i_ex, pl_sl, pl_sn)
        for lab in classes:
            if share[lab] == 0.0:
                continue
            v = np.ones(n)
            for d, t in st.thr[lab].items():
                v = np.minimum(v, metric(k, d, t, mean[d], st.n_tx[lab]))
            out[lab] += share[lab] * v
    return out


def serving_availability(
    st: LinkSetup,
    classes: dict[str, DeviceClass],
    pl_sl: np.ndarray,
    pl_sn: np.ndarray,
    p_s: np.ndarray,
    i_ex: np.ndarray,
) -> dict[str, np.ndarray]:
    """Time availability per class of pixels served by a set of links.

    Parameters
    ----------
    st : LinkSetup
    classes : dict
    pl_sl, pl_sn, p_s : ndarray, shape (n, k)
        LOS and NLOS path loss [dB] and LOS probability of the k serving links.
    i_ex : ndarray, shape (n,)
        DL interference from outside the serving set [mW].

    Returns
    -------
    dict
        Class label -> availability, shape (n,), averaged over the indoor states.
    """
    p_att: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def metric(k, d, t, mean, n_tx):
        if (k, d, t) not in p_att:  # per-attempt outage, LOS and NLOS (n, k)
            _, _, marg_l, marg_n = st.states[k]
            m_l, m_n = st.m_eff[d]
            p_att[k, d, t] = (
                outage_probability(mean[0] - marg_l, t, m_l),
                outage_probability(mean[1] - marg_n, t, m_n),
            )
        po_l, po_n = p_att[k, d, t]
        return 1.0 - redundant_outage(link_outage(po_l, po_n, p_s, n_tx).T)

    return _per_class(st, classes, pl_sl, pl_sn, i_ex, metric)


def serving_location_reliability(
    st: LinkSetup,
    classes: dict[str, DeviceClass],
    pl_sl: np.ndarray,
    pl_sn: np.ndarray,
    p_s: np.ndarray,
    i_ex: np.ndarray,
) -> dict[str, np.ndarray]:
    """Location reliability per class under correlated lognormal shadowing.

    The probability over the locations a pixel stands for that the median
    SINR of at least one serving link, shadowed (TR 38.901 sigma_SF, O2I
    sigma indoors, correlation ``st.rho`` between links), reaches the class
    threshold; a class using both directions takes the smaller. Arguments
    as :func:`serving_availability`.

    References
    ----------
    :func:`nrplan.industry.reliability.shadowing_outage`.
    """
    done: dict[tuple, np.ndarray] = {}

    def metric(k, d, t, mean, n_tx):
        if (k, d, t) not in done:
            sig_l, sig_n = st.sigmas[k]
            done[k, d, t] = 1.0 - shadowing_outage(
                mean[0].T, mean[1].T, p_s.T, t, sig_l, sig_n, st.rho
            )
        return done[k, d, t]

    return _per_class(st, classes, pl_sl, pl_sn, i_ex, metric)


def _pl(profile: Profile, d2d: np.ndarray, h_bs: float, f_c: float):
    """LOS, NLOS path loss [dB] and LOS probability of (pixel, unit) pairs."""
    sc = profile.scenario
    params: dict = {}
    los_kw: dict = {}
    if profile.is_inf:
        c = profile.clutter
        params = {
            "r_clutter": c.r,
            "h_clutter": c.h_c,
            "d_clutter": c.d_clutter,
            "ceiling_m": c.ceiling_m,
        }
        los_kw = {"r_clutter": c.r, "h_clutter": c.h_c, "d_clutter": c.d_clutter, "h_bs": h_bs}
    h_ut = profile.h_ut_m
    pl_l = pathloss_los(sc, d2d, h_bs, h_ut, f_c, extrapolate=True, **params)
    pl_n = pathloss_nlos(sc, d2d, h_bs, h_ut, f_c, extrapolate=True, **params)
    p = los_probability(sc, d2d, h_ut, **los_kw)
    if profile.pathloss_correction is not None:  # a tuned model (nrplan tune)
        a_db, b_db = profile.pathloss_correction
        corr = a_db + b_db * np.log10(np.maximum(d2d, 1.0))
        pl_l, pl_n = pl_l + corr, pl_n + corr
    return pl_l, pl_n, p


def sector_gains(unit, dx, dy, dz, azimuth) -> tuple[np.ndarray, np.ndarray]:
    """Serving (traffic) and interfering (average) beam gain of sectors toward
    points, relative to the unit's peak gain ``unit.gain_dbi`` [dB].

    Parameters
    ----------
    unit : RadioUnit
        ``antenna`` profile, ``gain_dbi`` (its traffic-beam peak as
        radiated), ``downtilt_deg``; the profile's electrical tilt applies.
    dx, dy, dz : array_like
        Vector from the antenna to the point: east, north, up [m].
    azimuth : array_like
        Sector compass azimuth [deg].

    References
    ----------
    3GPP TR 38.901 V17.0.0, 7.1 (local angles), 7.3 (pattern) via
    :mod:`nrplan.radio.antenna`.
    """
    ant = get_antenna(unit.antenna)
    if unit.downtilt_deg == 0.0:  # local_angles with beta = 0, without the rotation
        dx, dy = np.asarray(dx, float), np.asarray(dy, float)
        theta = np.degrees(np.arctan2(np.hypot(dx, dy), dz))
        alpha = 90.0 - np.asarray(azimuth, float)
        phi = np.mod(np.degrees(np.arctan2(dy, dx)) - alpha + 180.0, 360.0) - 180.0
        phi = np.where(phi == -180.0, 180.0, phi)
    else:
        theta, phi = local_angles(dx, dy, dz, azimuth, unit.downtilt_deg)
    g_t = sector_gain(ant, theta, phi, "traffic", ant.etilt_deg) - unit.gain_dbi
    tr, av = ant.pattern_params("traffic"), ant.pattern_params("average")
    if tr[1:] == av[1:]:  # same beam shape: the average beam is a constant offset
        return g_t, g_t + (av.g_max_dbi - tr.g_max_dbi)
    g_a = sector_gain(ant, theta, phi, "average", ant.etilt_deg) - unit.gain_dbi
    return g_t, g_a


def _db(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(x)


def evaluate(
    grid: Grid,
    mask: np.ndarray,
    ux: np.ndarray,
    uy: np.ndarray,
    profile: Profile,
    band: IndustryBand,
    classes: dict[str, DeviceClass],
    smap: SymbolMap,
    activity=None,
    transmissions: dict[str, int] | None = None,
    location: bool = False,
    azimuth=None,
) -> Evaluation:
    """Evaluate units at (``ux``, ``uy``) [m, grid CRS] over the masked pixels.

    Sectored units (``profile.unit.sectors > 1``): ``ux``, ``uy`` and
    ``azimuth`` have one entry per sector, the sectors of a site
    consecutive. Each sector is a cell with the antenna profile
    ``profile.unit.antenna`` (TR 38.901 7.3 via :func:`nrplan.radio.antenna.sector_gain`):
    the wanted signal of a serving link with the traffic beam steered at the
    pixel, the interference of other sectors with their ``"average"`` beam
    (traffic beam averaged over its steering range). The serving set takes
    the best sector of each of the ``redundancy`` best *sites* (sectors of
    one mast share its fate and are not redundant).

    Parameters
    ----------
    grid : Grid
    mask : ndarray of bool, grid shape
        Service area.
    ux, uy : ndarray
        Unit positions [m].
    profile : Profile
    band : IndustryBand
    classes : dict
        Class label -> DeviceClass (thresholds and targets).
    smap : SymbolMap
        TDD symbol map (occasions per second of each direction).
    activity : float or ndarray, shape (n_units,), optional
        DL activity factor of each unit as an interferer (the probability it
        transmits on a given PRB: its load) [0-1]; default ``profile.dl_load``.
    transmissions : dict, optional
        Class label -> HARQ transmissions counted in the availability
        (default 1 each).
    location : bool
        Also compute the location reliability per class (``Evaluation.location``;
        empty otherwise).
    azimuth : ndarray, shape (n_units,), optional
        Compass azimuth of each sector [deg] (sectored units only).

    Returns
    -------
    Evaluation

    References
    ----------
    See the module docstring.
    """
    ux = np.asarray(ux, float)
    uy = np.asarray(uy, float)
    n_u = ux.size
    xs, ys = grid.centers()
    px, py = xs[mask], ys[mask]
    n_p = px.size
    u = profile.unit
    f_c = band.f_c_ghz
    n_sec = int(u.sectors)
    if n_sec > 1 and (azimuth is None or n_u % n_sec):
        raise ValueError("sectored units need one azimuth per sector, sites x sectors")
    n_site = n_u // n_sec
    st = link_setup(profile, band, classes, smap, n_u, activity, transmissions)
    eirp_dl, eirp_ul, noise_ul = st.eirp_dl, st.eirp_ul, st.noise_ul
    n_red, act = min(st.n_red, n_site), st.activity

    best = np.empty(n_p, np.int32)
    sinr = np.empty(n_p)
    ul_sinr = np.empty(n_p)
    rel = {lab: np.zeros(n_p) for lab in classes}
    loc = {lab: np.zeros(n_p) for lab in classes}
    noise_dl_lin = st.noise_dl_lin
    for a in range(0, n_p, _CHUNK):
        b = min(a + _CHUNK, n_p)
        if n_sec > 1:  # sectors of a site share its path loss
            d2d = np.hypot(px[a:b, None] - ux[None, ::n_sec], py[a:b, None] - uy[None, ::n_sec])
            pl3 = _pl(profile, d2d, u.height_m, f_c)
            pl_l, pl_n, p = (np.repeat(v, n_sec, axis=1) for v in pl3)
        else:
            d2d = np.hypot(px[a:b, None] - ux[None, :], py[a:b, None] - uy[None, :])
            pl_l, pl_n, p = _pl(profile, d2d, u.height_m, f_c)
        g_int = 0.0
        if n_sec > 1:  # antenna pattern relative to the peak gain in eirp [dB]
            g_srv, g_avg = sector_gains(
                u, px[a:b, None] - ux[None, :], py[a:b, None] - uy[None, :],
                profile.h_ut_m - u.height_m, np.asarray(azimuth, float)[None, :],
            )  # fmt: skip
            pl_l, pl_n = pl_l - g_srv, pl_n - g_srv
            g_int = g_avg - g_srv
        pl_e = p * pl_l + (1.0 - p) * pl_n
        rx_e = eirp_dl - pl_e  # expected DL received power per unit [dBm]
        rows = np.arange(b - a)[:, None]
        if n_sec > 1:  # best sector of each of the n_red best sites
            rs = rx_e.reshape(b - a, n_site, n_sec)
            bsec = rs.argmax(axis=2)
            osite = np.argsort(-rs.max(axis=2), axis=1)[:, :n_red]
            order = osite * n_sec + bsec[rows, osite]
        else:
            order = np.argsort(-rx_e, axis=1)[:, :n_red]
        best[a:b] = order[:, 0]
        lin = 10.0 ** (rx_e / 10.0)
        ilin = 10.0 ** ((rx_e + g_int) / 10.0) * act[None, :]
        i_all = ilin.sum(axis=1)
        i_ex = np.maximum(i_all - ilin[rows, order].sum(axis=1), 0.0)  # (n,)
        s_best = lin[rows[:, 0], order[:, 0]]
        i_best = np.maximum(i_all - ilin[rows[:, 0], order[:, 0]], 0.0)
        sinr[a:b] = _db(s_best) - _db(i_best + noise_dl_lin)
        pl_best = pl_e[rows[:, 0], order[:, 0]]
        ul_sinr[a:b] = eirp_ul - pl_best - noise_ul
        # serving links (n, k): LOS / NLOS path loss and LOS probability
        serving = (pl_l[rows, order], pl_n[rows, order], p[rows, order], i_ex)
        for lab, v in serving_availability(st, classes, *serving).items():
            rel[lab][a:b] = v
        if location:
            for lab, v in serving_location_reliability(st, classes, *serving).items():
                loc[lab][a:b] = v

    tdd = None if smap.symbols[0] == "F" else smap.pattern
    ul_rate = nr.user_rate_mbps(
        ul_sinr,
        band.bandwidth_mhz,
        band.scs_khz,
        tdd=tdd,
        direction="ul",
        method="shannon",
        prb_share=profile.alloc_share,
    )
    se_ul = nr.spectral_efficiency(ul_sinr, "shannon")
    se_dl = nr.spectral_efficiency(sinr, "shannon")
    cnt = np.bincount(best, minlength=n_u).astype(float)
    with np.errstate(invalid="ignore"):
        unit_ul = np.bincount(best, se_ul, minlength=n_u) / cnt
        unit_dl = np.bincount(best, se_dl, minlength=n_u) / cnt

    def full(v: np.ndarray, fill: float = np.nan, dtype=float) -> np.ndarray:
        out = np.full(grid.shape, fill, dtype=dtype)
        out[mask] = v
        return out

    return Evaluation(
        best_server=full(best, -1, np.int32),
        sinr_db=full(sinr),
        ul_sinr_db=full(ul_sinr),
        ul_mbps=full(ul_rate),
        reliability={lab: full(v) for lab, v in rel.items()},
        location={lab: full(v) for lab, v in loc.items()} if location else {},
        unit_ul_se=np.nan_to_num(unit_ul),
        unit_dl_se=np.nan_to_num(unit_dl),
        unit_share=cnt / max(n_p, 1),
    )
