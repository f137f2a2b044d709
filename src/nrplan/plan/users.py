"""The users of a plan: outdoor, and indoor in low- or high-loss buildings.

A plan is measured over its users, not over outdoor pixels. At a pixel of
morphology class ``c`` the users are a mixture of three types ``t``:

=============  ======================================  ==========================
type           share of the pixel's users              extra loss on every link
=============  ======================================  ==========================
outdoor        ``1 - indoor_share``                    body loss ``B``
indoor, low    ``indoor_share (1 - high_loss_share)``  ``B`` + O2I low-loss
indoor, high   ``indoor_share high_loss_share``        ``B`` + O2I high-loss
=============  ======================================  ==========================

Each indoor user is in ONE building type (TR 38.901 7.4.3: a UT is in a
low-loss OR a high-loss building), never a linear-power blend of the two.
The O2I loss of type ``t`` is ``PL_tw + 0.5 d_2D-in + N(0, sigma_P^2)``
(Table 7.4.3-2) with ``d_2D-in = min(U(0, D), U(0, D))`` (D = 25 m UMa/UMi,
10 m RMa), taken as a Gaussian in dB with the same mean and variance:
mean ``PL_tw + 0.5 D / 3``, variance ``sigma_P^2 + 0.25 D^2 / 18``. Indoor
users sit on upper floors (``Morphology.h_ut_indoor_m``): the path loss the
engine predicts at the outdoor UT height is lowered by the height gain of the
TR 38.901 Table 7.4.1-1 NLOS formula, ``PL(1.5 m) - PL(h_in)`` (UMa: 0.6 dB
per metre).

Every link of a user is then the engine's median prediction moved by
``E_t = B + mu_t`` (the same for the server and the interferers: they reach
the user through the same wall and body) and by the random parts:

- a common part ``xi_c ~ N(0, rho sigma_SF^2 + sigma_O2I,t^2)`` on every link
  of the user (the UT's own shadowing, correlation ``rho`` = 0.5 between its
  links to different sites, :data:`nrplan.radio.shadowing.SHADOWING_CORRELATION`,
  and its O2I spread, which is the same wall for every site): it moves the
  signal and the interference together, so it matters against noise only;
- each link's own part ``N(0, (1 - rho) sigma_SF^2)``: for the two strongest
  servers ``x1 = D/2`` and ``x2 = -D/2``, and the user camps on whichever is
  then stronger (re-selection at cell borders); the other interferers'
  own parts are held at their median, as in an RF planner's best-server
  analysis (:mod:`nrplan.plan.user_kernels` has the details).

sigma_SF is the NLOS shadowing of the class's scenario (Table 7.4.1-1). With
``S_k`` the two servers' median SS-RSRP and ``R`` the other SSBs plus the noise
scaled by the common loss, the SS-SINR of the camped server is
``S_1 - D/2 - 10 log10(S_2 10^(D/20) + R)`` (server 1) and symmetrically for
server 2, so for a given ``xi_c`` the covered set is ``D <= A`` or ``D >= B``
in closed form and its probability a sum of normal CDFs; ``xi_c`` is
integrated by Gauss-Hermite quadrature (:data:`COMMON_NODES` nodes):

- covered: SS-RSRP ``>= rsrp_thr`` and SS-SINR (SSB against the neighbours'
  SSBs at full SSB load) ``>= sinr_thr`` on the camped server;
- DL rate below a target ``r``: the full-buffer rate at the PDSCH SINR
  (planning load) times ``1 - rho_s`` (busy-hour load of the server) is below
  ``r``; the PDSCH margin moves with the camped server's own shadowing;
- UL rate below ``r``: the UE at its power-class power spread over the PUSCH
  PRB share, less body loss and ``mu_t``, received with the gNB's traffic-beam
  gain, against gNB noise plus the interference over thermal (IoT) of the
  planning load (it moves dB for dB with ``xi_c`` and the own part).

Coverage shares are taken over all users of a type, edge rates as the share
of the covered users (indoor included) below the target. Percentiles of rates
and SINRs come from weighted histograms of stratified samples: at each
quadrature node ``K`` values of ``D`` at the quantiles ``(k + 1/2) / K`` of its
distribution (SS-SINR, all users) or of its covered part (rates, PDSCH SINR).

References
----------
3GPP TR 38.901 V17.0.0, 7.4.1 (Table 7.4.1-1: path loss, sigma_SF), 7.4.3
(Tables 7.4.3-1, 7.4.3-2: O2I); ITU-R M.2412-0 Table 8-2 (indoor users,
building mix); TS 38.104 V17.0.0 Table 6.5.2.2-1 (EVM); TS 38.101-1 V17.0.0
Table 6.2.1-1 (UE power class); CEPT ECC SEAMCAT handbook, OFDMA module 9.11
(inter-site shadowing correlation).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from nrplan.engine.coverage import _best_rank_rate as best_rank_rate
from nrplan.morphology import MORPHOLOGIES, Morphology
from nrplan.plan.user_kernels import PHI_TABLE, user_histograms, user_probabilities
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import thermal_noise_dbm
from nrplan.radio.o2i import INDOOR_DISTANCE_MAX_M, TABLE_7_4_3_2, o2i_loss
from nrplan.radio.pathloss import pathloss_nlos, shadow_sigma
from nrplan.radio.shadowing import SHADOWING_CORRELATION

__all__ = [
    "COMMON_NODES",
    "HISTOGRAM_PIXELS",
    "N_TYPES",
    "SAMPLES_PER_USER_TYPE",
    "USER_TYPES",
    "LinkArrays",
    "RateTable",
    "UserMix",
    "UserModel",
    "edge_fail_probability",
    "indoor_height_gain_db",
    "o2i_moments",
    "user_mix",
]

USER_TYPES = ("outdoor", "indoor_low", "indoor_high")
N_TYPES = len(USER_TYPES)

#: Stratified samples of the difference of the two servers' shadowing per
#: quadrature node (histograms).
SAMPLES_PER_USER_TYPE = 4

#: Gauss-Hermite nodes over the common (per-user) shadowing part.
COMMON_NODES = 5
_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(COMMON_NODES)
_GH_W = _GH_W / np.sqrt(2.0 * np.pi)

#: Pixels whose users are sampled for the percentiles at most (a regular
#: stride above it).
HISTOGRAM_PIXELS = 10_000
#: The histograms :meth:`UserModel.histograms` fills, in the kernel's order.
_HIST_KEYS = ("ss_sinr_db", "ss_sinr_outdoor_db", "pdsch_sinr_db", "dl_mbps", "ul_mbps")
_NO_EDGES = np.array([0.0, 1.0])

#: Distance at which the indoor users' height gain is read off the NLOS
#: path-loss formula [m] (UMa's gain does not depend on it; RMa's is 0 at 1.5 m).
HEIGHT_GAIN_DISTANCE_M = 300.0


def o2i_moments(model: str, f_c_ghz: float, scenario: str) -> tuple[float, float]:
    """Mean and standard deviation of the O2I loss of one building type [dB].

    ``PL_tw + 0.5 d_2D-in + N(0, sigma_P^2)`` with ``d_2D-in`` the minimum of
    two U(0, D) draws: mean ``PL_tw + 0.5 D/3``, variance ``sigma_P^2 +
    0.25 D^2/18`` (min of two uniforms: mean D/3, variance D^2/18).

    Parameters
    ----------
    model : {"low", "high"}
        TR 38.901 Table 7.4.3-2 building model.
    f_c_ghz : float
        Carrier frequency [GHz].
    scenario : str
        Scenario setting D (25 m UMa/UMi, 10 m RMa).

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.3-1, 7.4.3-2.
    """
    d_max = INDOOR_DISTANCE_MAX_M.get(scenario, INDOOR_DISTANCE_MAX_M["uma"])
    t = TABLE_7_4_3_2[model]
    mean = float(o2i_loss(model, f_c_ghz, d_max / 3.0))
    var = t["sigma"] ** 2 + t["k_in"] ** 2 * d_max**2 / 18.0
    return mean, float(np.sqrt(var))


def indoor_height_gain_db(scenario: str, h_bs: float, h_in: float, f_c_ghz: float) -> float:
    """Path-loss reduction of an indoor user at ``h_in`` against 1.5 m [dB].

    ``PL_NLOS(1.5 m) - PL_NLOS(h_in)`` of TR 38.901 Table 7.4.1-1 at
    :data:`HEIGHT_GAIN_DISTANCE_M` (UMa: ``0.6 (h_in - 1.5)``).
    """
    if h_in <= 1.5:
        return 0.0
    d = HEIGHT_GAIN_DISTANCE_M
    a = pathloss_nlos(scenario, d, h_bs, 1.5, f_c_ghz)
    b = pathloss_nlos(scenario, d, h_bs, h_in, f_c_ghz)
    return float(a - b)


@dataclass(frozen=True)
class UserMix:
    """The three user types of one morphology class on one band.

    Attributes
    ----------
    code : int
        Morphology code.
    share : tuple of float
        Share of the class's users of each type (:data:`USER_TYPES`), sums to 1.
    loss_db : tuple of float
        Mean extra loss of each type on every link against the engine's
        outdoor prediction, body loss excluded [dB] (O2I mean less the
        indoor height gain; 0 outdoors).
    sigma_common_db : tuple of float
        Standard deviation of the user's common random part [dB]:
        sqrt(rho sigma_SF^2 + sigma_O2I^2).
    sigma_ind_db : float
        Standard deviation of the serving link's own shadowing [dB]:
        sqrt(1 - rho) sigma_SF.
    """

    code: int
    share: tuple[float, float, float]
    loss_db: tuple[float, float, float]
    sigma_common_db: tuple[float, float, float]
    sigma_ind_db: float


@functools.lru_cache(maxsize=256)
def user_mix(code, f_c_ghz: float, h_bs: float, scenario: str | None = None) -> UserMix:
    """Build the :class:`UserMix` of a morphology class (see module docstring);
    cached (every planned area asks for the same few).

    Parameters
    ----------
    code : int or nrplan.morphology.Morphology
        Morphology code (:data:`nrplan.morphology.MORPHOLOGIES`) or a class
        (e.g. with a plan config's overrides).
    f_c_ghz : float
        Carrier frequency [GHz].
    h_bs : float
        Site antenna height [m] (for the height gain).
    scenario : str, optional
        Path-loss scenario; default the class's.
    """
    m = code if isinstance(code, Morphology) else MORPHOLOGIES[code]
    scen = scenario or m.scenario
    sig_sf = float(shadow_sigma(scen, "nlos"))
    gain = indoor_height_gain_db(scen, h_bs, m.h_ut_indoor_m, f_c_ghz)
    lo_mu, lo_sd = o2i_moments("low", f_c_ghz, scen)
    hi_mu, hi_sd = o2i_moments("high", f_c_ghz, scen)
    ind, hl = m.indoor_share, m.high_loss_share
    rho = SHADOWING_CORRELATION
    s_c = np.sqrt(rho) * sig_sf
    return UserMix(
        code=m.code,
        share=(1.0 - ind, ind * (1.0 - hl), ind * hl),
        loss_db=(0.0, lo_mu - gain, hi_mu - gain),
        sigma_common_db=(float(s_c), float(np.hypot(s_c, lo_sd)), float(np.hypot(s_c, hi_sd))),
        sigma_ind_db=float(np.sqrt(1.0 - rho) * sig_sf),
    )


@dataclass(frozen=True)
class RateTable:
    """Full-buffer DL and UL rates of a band against SINR, and their inverses.

    Built once per band from ``nrplan.engine.coverage`` (rank adaptation,
    all carriers, the UL PRB share), tabulated every ``step_db``.
    """

    sinr_db: np.ndarray
    dl_mbps: np.ndarray
    ul_mbps: np.ndarray

    @classmethod
    def build(cls, band, rate_method: str, ul_prb_share: float, step_db: float = 0.05):
        s = np.arange(-20.0, 45.0 + step_db / 2, step_db)
        dl = best_rank_rate(s, band, "dl", rate_method, 1.0)
        ul = best_rank_rate(s, band, "ul", rate_method, ul_prb_share)
        # rates are non-decreasing in SINR; enforce it against rounding
        return cls(s, np.maximum.accumulate(dl), np.maximum.accumulate(ul))

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def cached(band_name: str, rate_method: str, ul_prb_share: float) -> RateTable:
        """:meth:`build` for a registered band, cached."""
        return RateTable.build(get_band(band_name), rate_method, ul_prb_share)

    def rate(self, sinr_db: np.ndarray, direction: str) -> np.ndarray:
        """Full-buffer rate [Mbit/s] at ``sinr_db`` (0 below the table)."""
        r = self.dl_mbps if direction == "dl" else self.ul_mbps
        x = np.nan_to_num(np.asarray(sinr_db, dtype=np.float64), nan=-np.inf)
        return np.interp(x, self.sinr_db, r, left=0.0, right=r[-1])

    def required_sinr(self, rate_mbps: np.ndarray, direction: str) -> np.ndarray:
        """Smallest tabulated SINR whose rate reaches ``rate_mbps`` [dB]
        (-inf for rates <= 0, +inf above the table's peak)."""
        r = self.dl_mbps if direction == "dl" else self.ul_mbps
        q = np.asarray(rate_mbps, dtype=np.float64)
        i = np.searchsorted(r, q, side="left")
        out = self.sinr_db[np.minimum(i, r.size - 1)].astype(np.float64)
        out = np.where(i >= r.size, np.inf, out)
        return np.where(q <= 0.0, -np.inf, out)


@dataclass
class LinkArrays:
    """Median link quantities of served pixels (1-D, one entry per pixel).

    Attributes
    ----------
    code : ndarray of int
        Morphology code.
    band : ndarray of int
        Index of the serving band in ``UserModel.bands``.
    rsrp_dbm : ndarray
        SS-RSRP of the best server (SSB beam, per RE) [dBm].
    ss_in_dbm : ndarray
        SSB interference plus noise per RE at full SSB load [dBm]
        (``RSRP - SS-SINR`` before the EVM ceiling).
    margin_db : ndarray
        SS-RSRP of the best server less that of the second best [dB] (capped
        by the engine at ``margin_cap_db``).
    signal_dbm, interference_dbm, noise_dbm : ndarray
        PDSCH traffic-beam signal, interference at the planning load, UE noise
        over the channel [dBm].
    coupling_db : ndarray
        Serving traffic-beam gain less path loss [dB] (``signal - P_tx``), the
        uplink's coupling by reciprocity.
    load : ndarray
        Busy-hour load of the serving sector [0-1).
    """

    code: np.ndarray
    band: np.ndarray
    rsrp_dbm: np.ndarray
    ss_in_dbm: np.ndarray
    margin_db: np.ndarray
    signal_dbm: np.ndarray
    interference_dbm: np.ndarray
    noise_dbm: np.ndarray
    coupling_db: np.ndarray
    load: np.ndarray

    def take(self, idx) -> LinkArrays:
        return LinkArrays(**{k: getattr(self, k)[idx] for k in self.__dataclass_fields__})

    def __len__(self) -> int:
        return int(self.code.size)


def _db(x):
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(x)


def _lin(x):
    return 10.0 ** (np.asarray(x, dtype=np.float64) / 10.0)


def edge_fail_probability(c: np.ndarray, d: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """P(d < xi <= c) for xi ~ N(0, sigma^2): covered (xi <= c) yet below a
    rate target (xi > d)."""
    return np.maximum(ndtr(c / sigma) - ndtr(d / sigma), 0.0)


class UserModel:
    """Coverage and rate probabilities of the users of a plan (module docstring).

    Parameters
    ----------
    mixes : dict of int to UserMix
        User mix per morphology code.
    bands : list of nrplan.radio.bands.Band
        Bands, indexed by ``LinkArrays.band``.
    rsrp_threshold_dbm, sinr_threshold_db : float
        Coverage criterion (SS-RSRP, SS-SINR).
    body_loss_db : float
        Body loss of every user [dB].
    ul_iot_db : float
        Uplink interference over thermal at the planning load [dB].
    ul_prb_share : float
        PUSCH PRB share of one user (0-1].
    evm_percent : float or None
        Transmitter EVM (SINR ceiling, TS 38.104 Table 6.5.2.2-1); None = none.
    rate_method : str
        Spectral-efficiency model.
    """

    def __init__(
        self,
        mixes: dict[int, UserMix],
        bands: list,
        rsrp_threshold_dbm: float,
        sinr_threshold_db: float,
        body_loss_db: float,
        ul_iot_db: float,
        ul_prb_share: float,
        evm_percent: float | None,
        rate_method: str = "cqi-table2",
    ):
        self.bands = list(bands)
        self.rsrp_thr = float(rsrp_threshold_dbm)
        self.sinr_thr = float(sinr_threshold_db)
        self.body = float(body_loss_db)
        self.iot = float(ul_iot_db)
        self.ul_share = float(ul_prb_share)
        self.evm2 = 0.0 if evm_percent is None else (evm_percent / 100.0) ** 2
        self.tables = [RateTable.cached(b.name, rate_method, ul_prb_share) for b in self.bands]
        # the rate tables as arrays (band, SINR) for the compiled histograms
        s_tab = self.tables[0].sinr_db if self.tables else np.array([0.0, 1.0])
        self._rate_s0 = float(s_tab[0])
        self._rate_inv_step = 1.0 / float(s_tab[1] - s_tab[0])
        self._rate_dl = np.array([tb.dl_mbps for tb in self.tables], np.float64).reshape(
            -1, s_tab.size
        )
        self._rate_ul = np.array([tb.ul_mbps for tb in self.tables], np.float64).reshape(
            -1, s_tab.size
        )
        n = max(MORPHOLOGIES) + 1
        self.share = np.zeros((N_TYPES, n))
        self.loss = np.zeros((N_TYPES, n))
        self.sigma_c = np.ones((N_TYPES, n))
        self.sigma_i = np.ones(n)
        for code, mx in mixes.items():
            self.share[:, code] = mx.share
            self.loss[:, code] = mx.loss_db
            self.sigma_c[:, code] = mx.sigma_common_db
            self.sigma_i[code] = mx.sigma_ind_db
        self.n_re_db = np.array([10.0 * np.log10(12 * b.n_prb) for b in self.bands])
        self.p_ue = np.array([b.ue_power_dbm for b in self.bands])
        self.ul_noise_re = np.array(
            [float(thermal_noise_dbm(b.scs_khz * 1e3, b.gnb_nf_db)) for b in self.bands]
        )
        self.s_eff = self._sinr_needed(self.sinr_thr)

    # ------------------------------------------------------------ helpers
    def _sinr_needed(self, thr_db):
        """SINR without distortion needed for ``thr_db`` after the EVM ceiling
        (+inf where the ceiling is below the threshold)."""
        lin = 10.0 ** (-np.asarray(thr_db, dtype=np.float64) / 10.0) - self.evm2
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(lin > 0, -10.0 * np.log10(np.maximum(lin, 1e-300)), np.inf)

    def _evm(self, sinr_db: np.ndarray) -> np.ndarray:
        if self.evm2 == 0.0:
            return sinr_db
        with np.errstate(over="ignore"):
            return -10.0 * np.log10(10.0 ** (-sinr_db / 10.0) + self.evm2)

    def _per_band(self, la: LinkArrays, fn) -> np.ndarray:
        out = np.empty(len(la))
        for b in np.unique(la.band):
            sel = la.band == b
            out[sel] = fn(self.tables[int(b)], sel)
        return out

    def _rates(self, la: LinkArrays, sinr_db: np.ndarray, direction: str) -> np.ndarray:
        """Full-buffer rate at an undistorted SINR (EVM ceiling applied) [Mbit/s]."""
        v = self._evm(sinr_db)
        return self._per_band(la, lambda tb, sel: tb.rate(v[sel], direction))

    def _required(self, la: LinkArrays, target_mbps: float, direction: str) -> np.ndarray:
        """Undistorted SINR a user needs for ``target`` at its server's load [dB]."""
        full = target_mbps / np.maximum(1.0 - la.load, 1e-6)
        req = self._per_band(la, lambda tb, sel: tb.required_sinr(full[sel], direction))
        return self._sinr_needed(req)

    def _pixel_arrays(self, la: LinkArrays):
        """Per pixel, independent of the user type (dB unless named lin): SS
        signals of the best and second-best server per RE, the rest of the SS
        interference and the noise per RE (linear), the PDSCH and UL medians
        without extra loss and their shadowing-free parts."""
        n_re = la.noise_dbm.astype(np.float64) - self.n_re_db[la.band]
        s2 = la.rsrp_dbm - np.nan_to_num(la.margin_db, nan=60.0)
        i_ss = np.maximum(_lin(la.ss_in_dbm) - _lin(n_re), 0.0)
        i_rest = np.maximum(i_ss - _lin(s2), 0.0)
        ul0 = (
            self.p_ue[la.band]
            - 10.0 * np.log10(self.ul_share)
            - self.n_re_db[la.band]
            + la.coupling_db
            - (self.ul_noise_re[la.band] + self.iot)
        )
        return s2, i_rest, _lin(n_re), _lin(la.interference_dbm), _lin(la.noise_dbm), ul0

    # ------------------------------------------------------------ API
    def probabilities(
        self, la: LinkArrays, edge_dl_mbps: float, edge_ul_mbps: float
    ) -> dict[str, np.ndarray]:
        """Per pixel and user type (arrays of shape (N_TYPES, n)): the share of
        the pixel's users of the type ``share``, the probability to be covered
        ``p_cov``, and to be covered yet below the DL / UL edge-rate targets
        ``p_dl_fail`` / ``p_ul_fail`` (compiled kernel
        :func:`nrplan.plan.user_kernels.user_probabilities`)."""
        n = len(la)
        out = {k: np.zeros((N_TYPES, n)) for k in ("p_cov", "p_dl_fail", "p_ul_fail")}
        if n:
            s2, i_rest, n_re, i_p, n_p, ul0 = self._pixel_arrays(la)
            req_dl = self._required(la, edge_dl_mbps, "dl")
            req_ul = self._required(la, edge_ul_mbps, "ul")
            user_probabilities(
                la.code, la.rsrp_dbm.astype(np.float64), s2, i_rest, n_re,
                la.signal_dbm.astype(np.float64), i_p, n_p, ul0, req_dl, req_ul,
                self.loss, self.sigma_c, self.sigma_i, self.body, self.rsrp_thr,
                float(self.s_eff), _GH_X, _GH_W, PHI_TABLE,
                out["p_cov"], out["p_dl_fail"], out["p_ul_fail"],
            )  # fmt: skip
        out["share"] = self.share[:, la.code]
        return out

    def inverse_capacity(self, la: LinkArrays) -> tuple[np.ndarray, np.ndarray]:
        """Resource share per Mbit/s of the pixel's users, DL and UL [s/Mbit]:
        ``sum_t share_t / C_t`` with ``C_t`` the full-buffer rate of the median
        user of type ``t``; a type whose median user gets no rate (below the
        lowest CQI) is a coverage failure, counted there, and adds no load."""
        inv_dl = np.zeros(len(la))
        inv_ul = np.zeros(len(la))
        _, _, _, i_p, n_p, ul0 = self._pixel_arrays(la)
        for t in range(N_TYPES):
            e = self.body + self.loss[t, la.code]
            sh = self.share[t, la.code]
            c_dl = self._rates(la, la.signal_dbm - _db(i_p + n_p * _lin(e)), "dl")
            c_ul = self._rates(la, ul0 - e, "ul")
            with np.errstate(divide="ignore"):
                inv_dl += np.where(c_dl > 0, sh / c_dl, 0.0)
                inv_ul += np.where(c_ul > 0, sh / c_ul, 0.0)
        return inv_dl, inv_ul

    def outdoor_median(self, la: LinkArrays) -> tuple[np.ndarray, np.ndarray]:
        """DL and UL rate of the median outdoor user at the busy-hour load [Mbit/s]."""
        _, _, _, i_p, n_p, ul0 = self._pixel_arrays(la)
        e = self.body + self.loss[0, la.code]
        keep = 1.0 - la.load
        r_dl = self._rates(la, la.signal_dbm - _db(i_p + n_p * _lin(e)), "dl")
        r_ul = self._rates(la, ul0 - e, "ul")
        return r_dl * keep, r_ul * keep

    def histograms(
        self,
        la: LinkArrays,
        weights: np.ndarray,
        edges: dict[str, np.ndarray],
        max_pixels: int = HISTOGRAM_PIXELS,
    ) -> dict[str, np.ndarray]:
        """Weighted histograms of the users (see module docstring).

        Keys (those of ``edges`` among): ``"ss_sinr_db"`` over all users
        (values clipped into the bins), ``"ss_sinr_outdoor_db"`` over the
        outdoor users, and over the covered users ``"pdsch_sinr_db"``,
        ``"dl_mbps"``, ``"ul_mbps"``. Weights are users (``weights`` is the
        users of each pixel). Above ``max_pixels`` pixels a regular stride of
        them is sampled (deterministic) and their weights scaled to the total.
        """
        out = {key: np.zeros(len(e) - 1) for key, e in edges.items()}
        n = len(la)
        if n == 0:
            return out
        stride = max(1, -(-n // max_pixels))
        if stride > 1:
            idx = np.arange(0, n, stride)
            total = float(weights.sum())
            la = la.take(idx)
            weights = weights[idx]
            sub = float(weights.sum())
            weights = weights * (total / sub) if sub > 0 else weights
        s2, i_rest, n_re, i_p, n_p, ul0 = self._pixel_arrays(la)
        f8 = np.float64
        user_histograms(
            la.code, la.band, la.rsrp_dbm.astype(f8), s2, i_rest, n_re,
            la.signal_dbm.astype(f8), i_p, n_p, ul0, (1.0 - la.load).astype(f8),
            weights.astype(f8), self.share, self.loss, self.sigma_c, self.sigma_i, self.body,
            self.rsrp_thr, float(self.s_eff), self.evm2, _GH_X, _GH_W, SAMPLES_PER_USER_TYPE,
            self._rate_s0, self._rate_inv_step, self._rate_dl, self._rate_ul,
            *(np.asarray(edges.get(key, _NO_EDGES), f8) for key in _HIST_KEYS),
            *(out.get(key, np.zeros(1)) for key in _HIST_KEYS),
        )  # fmt: skip
        return out
