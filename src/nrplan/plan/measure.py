"""Measuring a site set over the users: the planner's engine settings, its
sectors, the per-pixel target terms and the user histograms.

Shared by the city planner (:mod:`nrplan.plan.city`) and the dimensioning on
a reference cluster (:mod:`nrplan.plan.dimension`).
"""

from __future__ import annotations

import copy
import time

import numpy as np

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.geo.projection import grid_azimuth_deg
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.config import PlanConfig
from nrplan.plan.evaluate import TERMS, PlanMetrics, evaluate, sector_loads
from nrplan.plan.histograms import HIST_EDGES
from nrplan.plan.layout import SECTOR_AZIMUTHS_DEG, SiteSet, downtilt_deg, site_spacing_m
from nrplan.plan.users import LinkArrays, UserModel, user_mix
from nrplan.radio.antenna import get_antenna
from nrplan.radio.bands import get_band

__all__ = [
    "ELEC_TILT_RANGE_DEG",
    "HIST_EDGES",
    "OUTPUTS",
    "PLANNING_INTERFERENCE_ERROR_DB",
    "Measure",
    "build_sectors",
    "full_measure",
    "prediction_config",
]

_MAX_LOAD = 0.95  # cap, so user rates (which scale with 1 - load) stay meaningful
OUTPUTS = (
    "best_server", "rsrp_dbm", "margin_db", "ss_sinr_db", "sinr_db", "signal_dbm",
    "interference_dbm", "noise_dbm",
)  # fmt: skip


def build_sectors(
    sites: SiteSet,
    config: PlanConfig,
    crs: str | None = None,
    isd: dict[int, float] | None = None,
) -> Sectors:
    """Three sectors per site with the layer engineering of the site's class.

    Sector boresights are the true bearings :data:`SECTOR_AZIMUTHS_DEG`,
    turned into the grid's azimuths by the meridian convergence at each site
    when ``crs`` (the sites' projected CRS) is given
    (:func:`nrplan.geo.projection.grid_azimuth_deg`). Every sector's ``load`` is
    the planning load of ``config.link``: the share of time its traffic beams
    interfere with the neighbours' PDSCH (SSBs interfere at full load whatever
    the load, see the engine). A layer without an electrical tilt gets the one
    that, with its mechanical tilt, points the upper half-power direction of the
    SSB beam at the cell edge of the site's local spacing
    (:func:`nrplan.plan.layout.downtilt_deg`; the class's dimensioned ``isd``
    where a site has no neighbours).
    """
    n = len(sites)
    k = len(SECTOR_AZIMUTHS_DEG)
    names = {m.code: m.name for m in MORPHOLOGIES.values()}
    layers = [config.layers[names.get(int(c), "urban")] for c in sites.morphology]
    bands = [get_band(layer.band) for layer in layers]
    rep = np.repeat
    band_names = np.array([b.name for b in bands], dtype=object)
    sector_load = np.full(n * k, config.link.planning_load)
    height = np.array([la.height_m for la in layers], float)
    mech = np.array([la.mech_tilt_deg for la in layers], float)
    etilt = np.array([np.nan if la.elec_tilt_deg is None else la.elec_tilt_deg for la in layers])
    auto = np.isnan(etilt)
    if auto.any():
        default = np.array([(isd or {}).get(int(c), 500.0) for c in sites.morphology], float)
        spacing = site_spacing_m(sites, default)
        hpbw = np.array([get_antenna(b.antenna).ssb.theta_3db_deg for b in bands], float)
        total = downtilt_deg(height, spacing, 0.0) + hpbw / 2.0
        etilt[auto] = np.clip(total - mech, ELEC_TILT_RANGE_DEG[0], ELEC_TILT_RANGE_DEG[1])[auto]
    azimuth = np.tile(np.array(SECTOR_AZIMUTHS_DEG), n)
    if crs is not None and n:
        azimuth = np.asarray(grid_azimuth_deg(azimuth, rep(sites.x, k), rep(sites.y, k), crs))
    return Sectors(
        site_id=rep(np.arange(n), k),
        x=rep(sites.x, k),
        y=rep(sites.y, k),
        height_m=rep(height, k),
        azimuth_deg=azimuth,
        mech_tilt_deg=rep(mech, k),
        elec_tilt_deg=rep(etilt, k),
        band=rep(band_names, k),
        power_dbm=rep(np.array([b.power_dbm for b in bands], float), k),
        antenna=rep(np.array([b.antenna for b in bands], dtype=object), k),
        load=sector_load,
    )


#: Range of the automatic electrical tilt [deg] (remote electrical tilt of
#: 3.5 GHz AAUs: about 0-15 deg; vendor-neutral planning range).
ELEC_TILT_RANGE_DEG = (0.0, 15.0)

#: Bound on the SINR error of the interferers the engine culls, in planning
#: runs [dB]. A worst-case bound (largest gain, shortest distance of every
#: culled group): on a 40 km x 40 km, 7,360-site test city the medians of
#: SS-SINR and PDSCH SINR moved by less than 0.02 dB between a 0.1 dB and a
#: 1 dB bound, while the work halved.
PLANNING_INTERFERENCE_ERROR_DB = 0.5

#: Best-server margin resolved in planning runs [dB]: the second server only
#: matters for re-selection within a few own-shadowing spreads (sigma_D =
#: 2 x 4.2 dB in UMa: P(D > 20 dB) < 1 %); a weaker second server is taken at
#: the cap, which keeps the total SSB interference unchanged.
PLANNING_MARGIN_CAP_DB = 20.0


def prediction_config(config: PlanConfig) -> PredictionConfig:
    """The engine settings the planner predicts with (recorded in outputs)."""
    return PredictionConfig(
        interference_error_db=PLANNING_INTERFERENCE_ERROR_DB,
        margin_cap_db=PLANNING_MARGIN_CAP_DB,
        rsrp_threshold_dbm=config.targets.rsrp_dbm,
        sinr_threshold_db=config.targets.sinr_db,
        ul_interference_margin_db=config.link.ul_iot_db,
        ul_prb_share=config.link.ul_prb_share,
        seed=config.seed,
        pathloss_corrections=config.pathloss_corrections,
    )


class Measure:
    """Runs the engine and measures one sector set over the users."""

    def __init__(self, grid, morphology, scope, population, dl_demand, ul_demand, config):
        self.grid = grid
        self.morphology = morphology
        self.scope = scope
        self.population = population
        self.dl_demand = dl_demand
        self.ul_demand = ul_demand
        self.config = config
        self.pconfig = prediction_config(config)
        names = {m.code: m.name for m in MORPHOLOGIES.values()}
        band_names = sorted({layer.band for layer in config.layers.values()})
        self.bands = [get_band(b) for b in band_names]
        self.band_index = {b: i for i, b in enumerate(band_names)}
        mixes = {}
        for code in MORPHOLOGIES:
            layer = config.layers[names[code]]
            mixes[code] = user_mix(
                config.morphology_class(code), get_band(layer.band).f_c_ghz, layer.height_m
            )
        t, lk = config.targets, config.link
        self.users = UserModel(
            mixes, self.bands, t.rsrp_dbm, t.sinr_db, lk.body_loss_db, lk.ul_iot_db,
            lk.ul_prb_share, self.pconfig.evm_percent, self.pconfig.rate_method,
        )  # fmt: skip
        # user weights: people, or the area where no population is given
        has_pop = float(np.where(scope, population, 0.0).sum()) > 0
        self.weights = np.where(scope, population if has_pop else 1.0, 0.0).astype(np.float64)
        code = morphology.astype(np.intp)
        w_out = self.weights * self.users.share[0][code]
        self.totals = {
            "n_scope": float(scope.sum()),
            "users": float(self.weights.sum()),
            "out_users": float(w_out.sum()),
            "in_users": float(self.weights.sum() - w_out.sum()),
            "population": float(np.where(scope, population, 0.0).sum()),
        }
        self.isd: dict[int, float] = {}
        self.calls = 0
        self.seconds = 0.0

    def with_morphology(self, morphology: np.ndarray) -> Measure:
        """This measure with another morphology (the pixels predicted), e.g.
        the maps' margin around the planned pixels; the users are the same."""
        other = copy.copy(self)
        other.morphology = morphology
        return other

    def predict(self, sectors: Sectors, window=None, morphology=None):
        """Engine prediction on the whole grid or on a window ``(rows, cols)``;
        ``morphology`` replaces the measure's on the whole grid."""
        t = time.perf_counter()
        if window is None:
            g, morph = self.grid, self.morphology if morphology is None else morphology
        else:
            rs, cs = window
            g = self.grid.window(rs.start, cs.start, rs.stop - rs.start, cs.stop - cs.start)
            morph = self.morphology[window]
        pred = predict(g, morph, sectors, self.pconfig, outputs=OUTPUTS)
        self.calls += 1
        self.seconds += time.perf_counter() - t
        return pred

    def link_arrays(self, pred, sectors: Sectors, loads, sel, window=None) -> LinkArrays:
        """The median links of the pixels ``sel`` (bool, prediction shape, all
        with a server) of a prediction on the grid or on ``window``."""
        sl = (slice(None), slice(None)) if window is None else window
        bs = pred.best_server[sel]
        if len(self.band_index) == 1:
            band = np.zeros(bs.size, np.intp)
        else:  # the band of each serving sector, looked up once per sector
            u, inv = np.unique(bs, return_inverse=True)
            names = np.asarray(sectors.band)[u]
            band = np.array([self.band_index[str(b)] for b in names], np.intp)[inv.ravel()]
        evm2 = self.users.evm2
        ss = pred.ss_sinr_db[sel].astype(np.float64)
        inv = np.maximum(10.0 ** (-ss / 10.0) - evm2, 1e-12)
        rsrp = pred.rsrp_dbm[sel].astype(np.float64)
        lo = np.clip(np.asarray(loads, np.float64), 0.0, _MAX_LOAD) if len(loads) else loads
        return LinkArrays(
            code=self.morphology[sl][sel].astype(np.intp),
            band=band,
            rsrp_dbm=rsrp,
            ss_in_dbm=rsrp + 10.0 * np.log10(inv),
            margin_db=pred.margin_db[sel].astype(np.float64),
            signal_dbm=pred.signal_dbm[sel].astype(np.float64),
            interference_dbm=pred.interference_dbm[sel].astype(np.float64),
            noise_dbm=pred.noise_dbm[sel].astype(np.float64),
            coupling_db=pred.signal_dbm[sel] - np.asarray(sectors.power_dbm, np.float64)[bs],
            load=lo[bs] if len(loads) else np.zeros(bs.size),
        )

    def measure(self, pred, sectors: Sectors, window=None, loads=None):
        """Loads and per-pixel target terms of a prediction (whole grid or window).

        Returns
        -------
        (loads or shares, terms)
            With ``loads=None``: the per-pixel DL and UL load shares (to sum
            into sector loads) and no terms. With ``loads``: the terms
            (:data:`nrplan.plan.evaluate.TERMS`, prediction-shaped float arrays).
        """
        sl = (slice(None), slice(None)) if window is None else window
        served = pred.best_server >= 0
        if loads is None:
            dem_dl, dem_ul = self.dl_demand[sl], self.ul_demand[sl]
            sel = served & ((dem_dl > 0) | (dem_ul > 0))
            la = self.link_arrays(pred, sectors, np.zeros(0), sel, window)
            inv_dl, inv_ul = self.users.inverse_capacity(la)
            dsh = np.zeros(served.shape, np.float32)
            ush = np.zeros(served.shape, np.float32)
            dsh[sel] = dem_dl[sel] * inv_dl
            ush[sel] = dem_ul[sel] * inv_ul
            return (dsh, ush), None
        scope = self.scope[sl]
        w = self.weights[sl]
        terms = {k: np.zeros(served.shape, np.float32) for k in TERMS}
        sel = scope & served
        la = self.link_arrays(pred, sectors, loads, sel, window)
        t = self.config.targets
        pr = self.users.probabilities(la, t.edge_dl_mbps, t.edge_ul_mbps)
        wu = w[sel] * pr["share"]  # (types, n) user weights
        terms["area"][sel] = pr["p_cov"][0]
        terms["out_users"][sel] = wu[0] * pr["p_cov"][0]
        terms["in_users"][sel] = (wu[1:] * pr["p_cov"][1:]).sum(axis=0)
        terms["cov_users"][sel] = (wu * pr["p_cov"]).sum(axis=0)
        terms["dl_fail"][sel] = (wu * pr["p_dl_fail"]).sum(axis=0)
        terms["ul_fail"][sel] = (wu * pr["p_ul_fail"]).sum(axis=0)
        return loads, terms

    def loads(self, best_server, dl_share, ul_share, n_sectors):
        ones = np.ones_like(dl_share)
        dl = sector_loads(best_server, dl_share, ones, n_sectors)
        ul = sector_loads(best_server, ul_share, ones, n_sectors)
        return np.maximum(dl, ul)

    def sums(self, terms, mask=None) -> dict[str, float]:
        sc = self.scope if mask is None else mask
        return {k: float(terms[k][sc].sum(dtype=np.float64)) for k in TERMS}

    def metrics(self, terms, loads, hist=None) -> PlanMetrics:
        return evaluate(
            self.config.targets, self.sums(terms), self.totals, loads,
            self.grid.pixel_area_km2, hist, HIST_EDGES,
        )  # fmt: skip

    def final(self, pred, sectors, loads) -> dict[str, np.ndarray]:
        """Weighted user histograms of the final plan (:data:`HIST_EDGES`); the
        in-scope users with no server count in the lowest SS-SINR bin."""
        sel = self.scope & (pred.best_server >= 0)
        la = self.link_arrays(pred, sectors, loads, sel)
        hist = self.users.histograms(la, self.weights[sel], HIST_EDGES)
        unserved = self.scope & (pred.best_server < 0)
        if unserved.any():
            code = self.morphology[unserved].astype(np.intp)
            w = self.weights[unserved]
            hist["ss_sinr_db"][0] += float(w.sum())
            hist["ss_sinr_outdoor_db"][0] += float((w * self.users.share[0][code]).sum())
        return hist


def full_measure(m: Measure, sites: SiteSet):
    """Predict a site set on the whole grid and measure it."""
    sectors = build_sectors(sites, m.config, m.grid.crs, m.isd)
    pred = m.predict(sectors)
    (dsh, ush), _ = m.measure(pred, sectors)
    loads = m.loads(pred.best_server, dsh, ush, len(sectors.x))
    _, terms = m.measure(pred, sectors, loads=loads)
    return sectors, pred, dsh, ush, loads, terms
