"""Plan one region: dimensioning, nominal layout, refinement with the engine,
pruning, and the final measurement.

The loop (deterministic for a seed):

1. Dimension each morphology class (:mod:`nrplan.plan.dimension`): the
   smaller of the coverage ISD (link budget) and capacity ISD (demand).
2. Lay out hexagonal three-sector sites per class (:mod:`nrplan.plan.layout`).
3. Predict (:func:`nrplan.engine.predict`), compute sector loads from the
   demand, and measure against the targets (:mod:`nrplan.plan.evaluate`).
   Loads feed back into the next prediction's interference (load coupling).
4. While a target fails: add sites in the largest failing clusters and at
   overloaded sectors (:mod:`nrplan.plan.refine`); stop at the iteration cap
   or the site budget and report the shortfall.
5. Prune: try removing the least useful new sites one at a time; a removal is
   kept only if every target still holds (checked by re-predicting the
   removed site's service area with the engine).
6. Final prediction and KPIs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import ndimage

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.grid import Grid
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan.config import PlanConfig
from nrplan.plan.dimension import ClassDimension, dimension_classes, shadowing_maps
from nrplan.plan.evaluate import PlanMetrics, coverage_probability, evaluate, sector_loads
from nrplan.plan.layout import SECTOR_AZIMUTHS_DEG, SiteSet, nominal_layout
from nrplan.plan.refine import hole_sites, overload_sites
from nrplan.radio.bands import get_band

__all__ = ["CityPlan", "build_sectors", "plan_area"]

_MIN_LOAD = 0.05  # floor of a sector's interference load (control channels, SSB)
_MAX_LOAD = 0.95  # cap, so user rates (which scale with 1 - load) stay invertible
_OUTPUTS = ("best_server", "rsrp_dbm", "sinr_db", "dl_mbps", "ul_mbps")


@dataclass
class CityPlan:
    """Result of planning one region."""

    name: str
    crs: str
    sites: SiteSet
    sectors: pd.DataFrame
    metrics: PlanMetrics
    dimensions: list[ClassDimension]
    iterations: int
    pruned: int
    timings: dict[str, float]
    rasters: dict[str, np.ndarray] = field(default_factory=dict)
    grid: Grid | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.metrics.ok


def build_sectors(sites: SiteSet, config: PlanConfig, loads: np.ndarray | None = None) -> Sectors:
    """Three sectors per site with the layer engineering of the site's class."""
    n = len(sites)
    k = len(SECTOR_AZIMUTHS_DEG)
    names = {m.code: m.name for m in MORPHOLOGIES.values()}
    layers = [config.layers[names.get(int(c), "urban")] for c in sites.morphology]
    bands = [get_band(layer.band) for layer in layers]
    rep = np.repeat
    band_names = np.array([b.name for b in bands], dtype=object)
    sector_load = np.full(n * k, 0.5) if loads is None else np.clip(loads, _MIN_LOAD, _MAX_LOAD)
    return Sectors(
        site_id=rep(np.arange(n), k),
        x=rep(sites.x, k),
        y=rep(sites.y, k),
        height_m=rep(np.array([la.height_m for la in layers], float), k),
        azimuth_deg=np.tile(np.array(SECTOR_AZIMUTHS_DEG), n),
        mech_tilt_deg=rep(np.array([la.mech_tilt_deg for la in layers], float), k),
        elec_tilt_deg=rep(np.array([la.elec_tilt_deg for la in layers], float), k),
        band=rep(band_names, k),
        power_dbm=rep(np.array([b.power_dbm for b in bands], float), k),
        antenna=rep(np.array([b.antenna for b in bands], dtype=object), k),
        load=sector_load,
    )


#: Margin a pruned plan keeps above every coverage target and below the load
#: limit, against the second-order effects a windowed re-prediction ignores [-].
PRUNE_SLACK = 0.002

#: Largest difference between the loads a prediction assumed for the
#: interference and the loads it produced before it is redone with the latter.
LOAD_TOLERANCE = 0.1

#: At most this share of a plan's sites is tried for pruning [-].
PRUNE_SHARE = 0.2

#: Pixels farther than this from the area to cover are not predicted [m].
PREDICT_MARGIN_M = 1500.0


def _near_scope(morphology: np.ndarray, scope: np.ndarray, pixel_m: float) -> np.ndarray:
    """Morphology with pixels far from the scope set to 0 (not predicted).

    The targets apply to the scope only; sites sit in or next to it. Pixels
    more than about :data:`PREDICT_MARGIN_M` away are dropped from the
    prediction (block-wise: blocks of ~500 m that touch the scope, dilated
    by the margin), which keeps sparse regions with far-apart towns cheap.
    """
    b = max(1, round(500.0 / pixel_m))
    nr, nc = scope.shape
    pr, pc = (-nr) % b, (-nc) % b
    blocks = np.pad(scope, ((0, pr), (0, pc))).reshape((nr + pr) // b, b, (nc + pc) // b, b)
    near = blocks.any(axis=(1, 3))
    it = max(1, int(np.ceil(PREDICT_MARGIN_M / (b * pixel_m))))
    near = ndimage.binary_dilation(near, iterations=it)
    mask = np.repeat(np.repeat(near, b, axis=0), b, axis=1)[:nr, :nc]
    return np.where(mask, morphology, 0).astype(morphology.dtype)


def _expected_loads(sites: SiteSet, dims: list[ClassDimension], config: PlanConfig) -> np.ndarray:
    """Load per sector expected from dimensioning: a third of the traffic of a
    hexagonal site area of the class's ISD over the cell capacity."""
    by_code = {d.code: d for d in dims}
    out = np.full(3 * len(sites), 0.5)
    for i, code in enumerate(sites.morphology):
        d = by_code.get(int(code))
        if d is None:
            continue
        area = np.sqrt(3.0) / 2.0 * (d.isd_m / 1000.0) ** 2
        dl = d.traffic_dl_mbps_km2 * area / 3.0 / max(d.cell_capacity_dl_mbps, 1e-9)
        ul = d.traffic_ul_mbps_km2 * area / 3.0 / max(d.cell_capacity_ul_mbps, 1e-9)
        out[3 * i : 3 * i + 3] = max(dl, ul)
    return out


class _Measure:
    """Runs the engine and measures one sector set against the targets."""

    def __init__(self, grid, morphology, scope, population, dl_demand, ul_demand, config):
        self.grid = grid
        self.morphology = morphology
        self.scope = scope
        self.population = population
        self.dl_demand = dl_demand
        self.ul_demand = ul_demand
        self.config = config
        self.sig_out, self.sig_in, self.o2i = shadowing_maps(morphology, config)
        self.pconfig = PredictionConfig(
            rsrp_threshold_dbm=config.targets.rsrp_dbm,
            sinr_threshold_db=config.targets.sinr_db,
            seed=config.seed,
        )
        self.calls = 0
        self.seconds = 0.0

    def predict(self, sectors: Sectors, window=None):
        """Engine prediction on the whole grid or on a window ``(rows, cols)``."""
        t = time.perf_counter()
        if window is None:
            g, morph = self.grid, self.morphology
        else:
            rs, cs = window
            g = self.grid.window(rs.start, cs.start, rs.stop - rs.start, cs.stop - cs.start)
            morph = self.morphology[window]
        pred = predict(g, morph, sectors, self.pconfig, outputs=_OUTPUTS)
        self.calls += 1
        self.seconds += time.perf_counter() - t
        return pred

    def shares(self, pred, sectors: Sectors, window=None):
        """Per-pixel load contributions ``T_i / C_i`` (DL, UL) to the serving sector.

        ``C_i`` is the full-resource rate, recovered from the engine's user
        rate at the serving sector's load, ``r = C (1 - rho)``. Pixels whose
        full rate is 0 (below the lowest CQI) add no load: they are coverage
        failures, counted there.
        """
        sl = (slice(None), slice(None)) if window is None else window
        bs = pred.best_server
        served = bs >= 0
        rho = np.zeros(bs.shape, np.float32)
        rho[served] = np.asarray(sectors.load, float)[bs[served]]
        out = []
        for rate, dem in ((pred.dl_mbps, self.dl_demand[sl]), (pred.ul_mbps, self.ul_demand[sl])):
            cap = np.nan_to_num(rate, nan=0.0) / (1.0 - rho)
            ok = served & (cap > 0)
            share = np.zeros(bs.shape, np.float32)
            share[ok] = dem[ok] / cap[ok]
            out.append(share)
        return out[0], out[1]

    def loads(self, best_server, dl_share, ul_share, n_sectors):
        ones = np.ones_like(dl_share)
        dl = sector_loads(best_server, dl_share, ones, n_sectors)
        ul = sector_loads(best_server, ul_share, ones, n_sectors)
        return np.maximum(dl, ul)

    def metrics(self, rsrp, sinr, dl, ul, loads) -> PlanMetrics:
        t = self.config.targets
        p_out = coverage_probability(rsrp, sinr, t.rsrp_dbm, t.sinr_db, self.sig_out)
        p_in = coverage_probability(rsrp, sinr, t.rsrp_dbm, t.sinr_db, self.sig_in, self.o2i)
        self.p_out, self.p_in = p_out, p_in
        return evaluate(
            t,
            self.scope,
            self.population,
            p_out,
            p_in,
            sinr,
            dl,
            ul,
            loads,
            self.grid.pixel_area_km2,
        )


def _failing_mask(m: _Measure, pred, metrics: PlanMetrics) -> tuple[np.ndarray, float]:
    """Pixels to fix (coverage holes, weak rates) and how many must be fixed."""
    t = m.config.targets
    n_scope = int(m.scope.sum())
    deficit = max(0.0, t.area_coverage - metrics.area_coverage) * n_scope
    failing = m.scope & (m.p_out < t.area_coverage)
    pop_share = m.population / max(metrics.population, 1e-9)
    for target, achieved, p, goal in (
        (t.population_coverage, metrics.population_coverage, m.p_out, t.population_coverage),
        (
            t.indoor_population_coverage,
            metrics.indoor_population_coverage,
            m.p_in,
            t.indoor_population_coverage,
        ),
    ):
        if achieved < target and metrics.population > 0:
            weak = m.scope & (p < goal) & (pop_share > 0)
            failing |= weak
            deficit = max(deficit, (target - achieved) * n_scope)
    covered = m.scope & (m.p_out >= 0.5)
    weak_rate = covered & (
        (np.nan_to_num(pred.dl_mbps) < t.edge_dl_mbps)
        | (np.nan_to_num(pred.ul_mbps) < t.edge_ul_mbps)
    )
    weak_def = max(0.0, float(weak_rate.sum()) - t.edge_percentile / 100.0 * covered.sum())
    if weak_def > 0:
        failing |= weak_rate
        deficit += weak_def
    # a new site fixes only part of a hole: aim at twice the deficit
    return failing, 2.0 * deficit


def plan_area(
    grid: Grid,
    morphology: np.ndarray,
    scope: np.ndarray,
    population: np.ndarray,
    dl_demand_mbps: np.ndarray,
    ul_demand_mbps: np.ndarray,
    config: PlanConfig,
    name: str = "area",
    existing_xy: np.ndarray | None = None,
    keep_rasters: bool = True,
) -> CityPlan:
    """Plan the sites of one area to meet the targets of ``config``.

    Parameters
    ----------
    grid : Grid
        Planning grid (metric CRS).
    morphology : ndarray of uint8, shape grid.shape
        Morphology code per pixel (0 = outside, not predicted).
    scope : ndarray of bool
        Pixels the coverage targets apply to.
    population : ndarray
        People per pixel (for population coverage).
    dl_demand_mbps, ul_demand_mbps : ndarray
        Busy-hour offered traffic per pixel [Mbit/s].
    config : PlanConfig
        Targets, layers, caps, seed.
    name : str
        Area name (for outputs).
    existing_xy : ndarray, shape (n, 2), optional
        Existing sites to reuse, in the grid CRS [m].
    keep_rasters : bool
        Keep the final per-pixel arrays in the result.
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    scope = scope & (morphology > 0)
    morphology = _near_scope(morphology, scope, grid.pixel_m)
    dims = dimension_classes(
        morphology, scope, dl_demand_mbps, ul_demand_mbps, grid.pixel_area_km2, config
    )
    isd = {d.code: d.isd_m for d in dims}
    timings["dimension_s"] = time.perf_counter() - t0

    t = time.perf_counter()
    sites = nominal_layout(grid, morphology, scope, isd, rng, existing_xy)
    timings["layout_s"] = time.perf_counter() - t
    m = _Measure(grid, morphology, scope, population, dl_demand_mbps, ul_demand_mbps, config)
    if not isd or len(sites) == 0:
        return _empty_plan(name, grid, dims, timings, m)

    t = time.perf_counter()
    loads = _expected_loads(sites, dims, config)
    iterations = 0
    while True:
        sectors = build_sectors(sites, config, loads)
        pred = m.predict(sectors)
        dl_share, ul_share = m.shares(pred, sectors)
        new_loads = m.loads(pred.best_server, dl_share, ul_share, len(sectors.x))
        assumed = np.clip(loads, _MIN_LOAD, _MAX_LOAD)
        if np.abs(np.clip(new_loads, _MIN_LOAD, _MAX_LOAD) - assumed).max() > LOAD_TOLERANCE:
            # interference was predicted with loads that were off: once more with
            # the measured ones (load coupling), then measure
            loads = new_loads
            sectors = build_sectors(sites, config, loads)
            pred = m.predict(sectors)
            dl_share, ul_share = m.shares(pred, sectors)
            new_loads = m.loads(pred.best_server, dl_share, ul_share, len(sectors.x))
        loads = new_loads
        metrics = m.metrics(pred.rsrp_dbm, pred.sinr_db, pred.dl_mbps, pred.ul_mbps, loads)
        if metrics.ok or iterations >= config.max_iterations or len(sites) >= config.max_sites:
            break
        budget = config.max_sites - len(sites)
        cap = max(5, int(0.2 * len(sites)))
        failing, deficit = _failing_mask(m, pred, metrics)
        add = hole_sites(grid, failing, morphology, isd, deficit, sites, max_new=min(cap, budget))
        budget -= len(add)
        if budget > 0 and metrics.overloaded_sectors:
            add = add.concat(
                overload_sites(
                    grid,
                    pred.best_server,
                    dl_share + ul_share,
                    loads,
                    config.targets.load_limit,
                    np.asarray(sectors.site_id),
                    sites,
                    morphology,
                    isd,
                    max_new=min(cap, budget),
                )
            )
        if len(add) == 0:
            break
        sites = sites.concat(add)
        loads = np.concatenate([loads, _expected_loads(add, dims, config)])
        iterations += 1
    timings["refine_s"] = time.perf_counter() - t

    pruned = 0
    if config.prune and metrics.ok:
        t = time.perf_counter()
        kept, trial_loads, pruned = _prune(m, sites, loads, pred, dl_share, ul_share)
        if pruned:
            trial_sectors = build_sectors(kept, config, trial_loads)
            tpred = m.predict(trial_sectors)
            tdl, tul = m.shares(tpred, trial_sectors)
            tloads = m.loads(tpred.best_server, tdl, tul, len(trial_sectors.x))
            tmetrics = m.metrics(
                tpred.rsrp_dbm, tpred.sinr_db, tpred.dl_mbps, tpred.ul_mbps, tloads
            )
            if tmetrics.ok:  # the full re-measurement confirms the pruned plan
                sites, loads, pred, dl_share, ul_share = kept, tloads, tpred, tdl, tul
                metrics = tmetrics
            else:  # second-order effects broke a target: keep the unpruned plan
                pruned = 0
                metrics = m.metrics(pred.rsrp_dbm, pred.sinr_db, pred.dl_mbps, pred.ul_mbps, loads)
        timings["prune_s"] = time.perf_counter() - t

    timings["predict_s"] = m.seconds
    timings["predict_calls"] = m.calls
    timings["total_s"] = time.perf_counter() - t0
    sectors = build_sectors(sites, config, loads)
    frame = _sector_frame(sectors, sites, loads, pred, dl_share, ul_share, grid)
    rasters = {}
    if keep_rasters:
        rasters = {
            "rsrp": pred.rsrp_dbm.astype(np.float32, copy=False),
            "sinr": pred.sinr_db.astype(np.float32, copy=False),
            "dl_mbps": pred.dl_mbps.astype(np.float32, copy=False),
            "ul_mbps": pred.ul_mbps.astype(np.float32, copy=False),
            "best_server": pred.best_server.astype(np.int32, copy=False),
        }
    return CityPlan(
        name=name,
        crs=grid.crs,
        sites=sites,
        sectors=frame,
        metrics=metrics,
        dimensions=dims,
        iterations=iterations,
        pruned=pruned,
        timings=timings,
        rasters=rasters,
        grid=grid,
    )


class _Tally:
    """Running sums behind every target, updatable window by window."""

    def __init__(self, m: _Measure, best, p_out, p_in, dl, ul, dsh, ush, loads):
        t = m.config.targets
        self.m = m
        self.scope = m.scope
        self.pop = np.where(m.scope, m.population, 0.0)
        self.best, self.p_out, self.p_in = best, p_out, p_in
        self.dl, self.ul, self.dsh, self.ush = dl, ul, dsh, ush
        self.loads_dl = sector_loads(best, dsh, np.ones_like(dsh), loads.size)
        self.loads_ul = sector_loads(best, ush, np.ones_like(ush), loads.size)
        self.n_scope = max(int(self.scope.sum()), 1)
        self.pop_total = max(float(self.pop.sum()), 1e-9)
        self.sums = self._sums((slice(None), slice(None)))
        self.t = t

    def _sums(self, win) -> np.ndarray:
        t = self.m.config.targets
        sc = self.scope[win]
        po = self.p_out[win]
        cov = sc & (po >= 0.5)
        weak = cov & (
            (np.nan_to_num(self.dl[win]) < t.edge_dl_mbps)
            | (np.nan_to_num(self.ul[win]) < t.edge_ul_mbps)
        )
        return np.array(
            [
                float(po[sc].sum()),
                float((self.pop[win] * po).sum()),
                float((self.pop[win] * self.p_in[win]).sum()),
                float(cov.sum()),
                float(weak.sum()),
            ]
        )

    def ok(self, sums: np.ndarray, loads: np.ndarray, slack: float = PRUNE_SLACK) -> bool:
        t = self.t
        has_pop = float(self.pop.sum()) > 0
        return bool(
            sums[0] / self.n_scope >= t.area_coverage + slack
            and (not has_pop or sums[1] / self.pop_total >= t.population_coverage + slack)
            and (not has_pop or sums[2] / self.pop_total >= t.indoor_population_coverage + slack)
            and sums[4] <= t.edge_percentile / 100.0 * sums[3]
            and (loads.size == 0 or loads.max() <= t.load_limit - slack)
        )


def _prune(m: _Measure, sites: SiteSet, loads, pred, dl_share, ul_share):
    """Remove new sites whose removal keeps every target.

    Candidates are the new (not reused) sites serving less than half the
    median in-scope area, fewest first (edge sites of a nominal lattice,
    over-dimensioned pockets), at most :data:`PRUNE_SHARE` of the sites. A
    removal is tested by dropping the site's sectors and re-predicting with
    the engine the bounding box of the pixels they served; outside it only
    interference drops, so the targets there can only improve. The targets
    are re-tallied incrementally from the window with a small slack, and the
    caller re-measures the pruned plan on the whole grid (and keeps the
    unpruned one if a second-order effect broke a target).

    Returns
    -------
    (SiteSet, ndarray, int)
        The kept sites, their sector loads, and the number removed.
    """
    n_sites = len(sites)
    k = len(SECTOR_AZIMUTHS_DEG)
    best = pred.best_server.copy()
    served_scope = np.bincount(best[m.scope & (best >= 0)] // k, minlength=n_sites)[:n_sites]
    cand = np.nonzero(~sites.reused)[0]
    cand = cand[np.argsort(served_scope[cand], kind="stable")]
    # a site serving at least half the median in-scope area is doing its share
    # of a regular layout: only lighter ones are tried (at most PRUNE_SHARE)
    light = served_scope[cand] < 0.5 * np.median(served_scope)
    cand = cand[light][: max(1, int(PRUNE_SHARE * n_sites))]
    tally = _Tally(
        m,
        best,
        m.p_out.copy(),
        m.p_in.copy(),
        pred.dl_mbps.copy(),
        pred.ul_mbps.copy(),
        dl_share.copy(),
        ul_share.copy(),
        loads,
    )
    removed = np.zeros(n_sites, bool)
    cur_loads = np.maximum(tally.loads_dl, tally.loads_ul)
    t = m.config.targets
    for s in cand:
        served = (best >= s * k) & (best < s * k + k)
        if not served.any():
            removed[s] = True
            continue
        rows = np.nonzero(served.any(axis=1))[0]
        cols = np.nonzero(served.any(axis=0))[0]
        r0, r1 = max(rows[0] - 2, 0), min(rows[-1] + 3, m.grid.nrows)
        c0, c1 = max(cols[0] - 2, 0), min(cols[-1] + 3, m.grid.ncols)
        win = (slice(r0, r1), slice(c0, c1))
        trial = removed.copy()
        trial[s] = True
        keep_idx = np.nonzero(~np.repeat(trial, k))[0]
        sub = build_sectors(sites, m.config, cur_loads).subset(keep_idx)
        wpred = m.predict(sub, win)
        wdl, wul = m.shares(wpred, sub, win)
        wbs = wpred.best_server
        wbest = np.where(wbs >= 0, keep_idx[np.maximum(wbs, 0)], -1)
        # loads: remove the window's old contributions, add the new ones
        n_sec = n_sites * k
        old_b = best[win]
        ld = tally.loads_dl - sector_loads(old_b, tally.dsh[win], np.ones(old_b.shape), n_sec)
        lu = tally.loads_ul - sector_loads(old_b, tally.ush[win], np.ones(old_b.shape), n_sec)
        ld = ld + sector_loads(wbest, wdl, np.ones(wbest.shape), n_sec)
        lu = lu + sector_loads(wbest, wul, np.ones(wbest.shape), n_sec)
        sig_o, sig_i, o2i = m.sig_out[win], m.sig_in[win], m.o2i[win]
        w_out = coverage_probability(wpred.rsrp_dbm, wpred.sinr_db, t.rsrp_dbm, t.sinr_db, sig_o)
        w_in = coverage_probability(
            wpred.rsrp_dbm, wpred.sinr_db, t.rsrp_dbm, t.sinr_db, sig_i, o2i
        )
        old_sums = tally._sums(win)
        saved = tuple(
            a[win].copy()
            for a in (best, tally.p_out, tally.p_in, tally.dl, tally.ul, tally.dsh, tally.ush)
        )
        best[win], tally.p_out[win], tally.p_in[win] = wbest, w_out, w_in
        tally.dl[win], tally.ul[win], tally.dsh[win], tally.ush[win] = (
            wpred.dl_mbps,
            wpred.ul_mbps,
            wdl,
            wul,
        )
        new_sums = tally.sums - old_sums + tally._sums(win)
        trial_loads = np.maximum(ld, lu)
        trial_loads[np.repeat(trial, k)] = 0.0
        if tally.ok(new_sums, trial_loads):
            removed[s] = True
            tally.sums = new_sums
            tally.loads_dl, tally.loads_ul = ld, lu
            cur_loads = trial_loads
        else:
            for a, old in zip(
                (best, tally.p_out, tally.p_in, tally.dl, tally.ul, tally.dsh, tally.ush),
                saved,
                strict=True,
            ):
                a[win] = old
    keep = ~removed
    return sites.take(np.nonzero(keep)[0]), cur_loads[np.repeat(keep, k)], int(removed.sum())


def _sector_frame(sectors, sites, loads, pred, dl_share, ul_share, grid) -> pd.DataFrame:
    n = len(sectors.x)
    served_px = np.bincount(pred.best_server[pred.best_server >= 0], minlength=n)[:n]
    k = len(SECTOR_AZIMUTHS_DEG)
    return pd.DataFrame(
        {
            "site_index": np.repeat(np.arange(len(sites)), k),
            "sector": np.tile(np.arange(k), len(sites)),
            "x": sectors.x,
            "y": sectors.y,
            "height_m": sectors.height_m,
            "azimuth_deg": sectors.azimuth_deg,
            "mech_tilt_deg": sectors.mech_tilt_deg,
            "elec_tilt_deg": sectors.elec_tilt_deg,
            "band": np.asarray(sectors.band, dtype=str),
            "power_dbm": sectors.power_dbm,
            "antenna": np.asarray(sectors.antenna, dtype=str),
            "morphology": np.repeat(
                [
                    MORPHOLOGIES[int(c)].name if int(c) in MORPHOLOGIES else ""
                    for c in sites.morphology
                ],
                k,
            ),
            "reused": np.repeat(sites.reused, k),
            "origin": np.repeat(sites.origin, k),
            "load": loads,
            "served_km2": served_px * grid.pixel_area_km2,
        }
    )


def _empty_plan(name, grid, dims, timings, m) -> CityPlan:
    empty = np.zeros(0)
    metrics = m.metrics(
        np.full(grid.shape, np.nan),
        np.full(grid.shape, np.nan),
        np.zeros(grid.shape),
        np.zeros(grid.shape),
        empty,
    )
    return CityPlan(
        name=name,
        crs=grid.crs,
        sites=SiteSet.empty(),
        sectors=pd.DataFrame(),
        metrics=metrics,
        dimensions=dims,
        iterations=0,
        pruned=0,
        timings=timings,
        grid=grid,
    )
