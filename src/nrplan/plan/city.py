"""Plan one region: dimensioning, nominal layout, refinement with the engine,
pruning, and the final measurement.

The loop (deterministic for a seed):

1. Dimension each morphology class (:mod:`nrplan.plan.dimension`): the
   smaller of the coverage ISD (link budget) and capacity ISD (demand).
2. Lay out hexagonal three-sector sites per class (:mod:`nrplan.plan.layout`).
3. Predict (:func:`nrplan.engine.predict`): SS-RSRP and SS-SINR at full
   SSB load, PDSCH SINR with every neighbour at the planning load; compute
   sector loads from the demand, and measure the users (outdoor, indoor in
   low- and high-loss buildings, :mod:`nrplan.plan.users`) against the
   targets (:mod:`nrplan.plan.evaluate`).
4. While a target fails: add sites in the largest failing clusters and at
   overloaded sectors (:mod:`nrplan.plan.refine`); stop at the iteration cap,
   the site budget, or when added sites no longer reduce the shortfall
   (interference-limited: more sites do not raise SS-SINR), and report it.
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
from scipy.spatial import cKDTree

from nrplan.grid import Grid
from nrplan.morphology import MORPHOLOGIES
from nrplan.plan import measure as pm
from nrplan.plan.config import PlanConfig
from nrplan.plan.dimension import ClassDimension, dimension_classes
from nrplan.plan.evaluate import TERMS, PlanMetrics, evaluate, sector_loads, targets_met
from nrplan.plan.layout import SECTOR_AZIMUTHS_DEG, SiteSet, nominal_layout
from nrplan.plan.measure import (
    HIST_EDGES,
    Measure,
    build_sectors,
    full_measure,
    prediction_config,
)
from nrplan.plan.refine import densify_sites, overload_sites

__all__ = [
    "CLUSTER_GAP_M",
    "HIST_EDGES",
    "CityPlan",
    "assemble_raster",
    "build_sectors",
    "plan_area",
    "plan_clusters",
    "prediction_config",
    "scope_clusters",
]


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
    hist: dict[str, list[float]] = field(default_factory=dict)
    sums: dict[str, float] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    windows: list[tuple[int, int, dict[str, np.ndarray]]] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.metrics.ok

    def raster(self, name: str) -> np.ndarray | None:
        """The full-grid raster ``name`` (:func:`assemble_raster`)."""
        return assemble_raster(self.grid, self.rasters, self.windows, name)


def assemble_raster(grid: Grid | None, rasters: dict, windows: list, name: str):
    """The full-grid raster ``name``: ``rasters[name]``, or assembled from the
    ``(row0, col0, rasters)`` windows of a plan made of separately planned
    clusters (nodata where no window covers a pixel); None if absent."""
    if name in rasters:
        return rasters[name]
    if not windows or grid is None or name not in windows[0][2]:
        return None
    first = windows[0][2][name]
    fill = -1 if np.issubdtype(first.dtype, np.integer) else np.nan
    out = np.full(grid.shape, fill, dtype=first.dtype)
    for r0, c0, arrays in windows:
        a = arrays[name]
        view = out[r0 : r0 + a.shape[0], c0 : c0 + a.shape[1]]
        keep = a >= 0 if np.issubdtype(a.dtype, np.integer) else np.isfinite(a)
        view[keep] = a[keep]
    return out


#: After the first refinement step, the sites added are the shortfall over the
#: last step's gain per site, times this margin (a secant step; the pruning
#: removes what proves surplus).
REFINE_OVERSHOOT = 1.3

#: Margin a pruned plan keeps above every coverage target and below the load
#: limit, against the second-order effects a windowed re-prediction ignores [-].
PRUNE_SLACK = 0.002

#: At most this share of a plan's sites is tried for pruning [-], but at
#: least :data:`PRUNE_MIN_TRIALS` sites.
PRUNE_SHARE = 0.1
PRUNE_MIN_TRIALS = 8

#: Pruning stops after this many removals in a row were refused: the
#: candidates come lightest first, so the rest would be refused too.
PRUNE_PATIENCE = 10

#: A pruning trial re-predicts its window with the sectors within this
#: distance of it [m]. Dropping the farther ones moved the SS-SINR of 30
#: windows of Beijing's 2020 plan (6,475 sites) by 0.005 dB at the median
#: window and 0.16 dB at most (PDSCH SINR: 0.003 / 0.008 dB), within what two
#: predictions may differ by under the engine's 0.1 dB truncation bound (at
#: 10 km: 0.09 dB at most); the pruned plan is re-measured whole.
PRUNE_RADIUS_M = 6_000.0

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


def _shortfall(m: PlanMetrics, t, overload: bool = True) -> float:
    """How far a plan is from its targets (0 = met): the sum of the missing
    shares, the edge-rate excesses and (with ``overload``) 0.01 per
    overloaded sector."""
    q = t.edge_percentile / 100.0
    return (
        max(0.0, t.area_coverage - m.area_coverage)
        + max(0.0, t.population_coverage - m.population_coverage)
        + max(0.0, t.indoor_population_coverage - m.indoor_population_coverage)
        + max(0.0, m.edge_dl_fail_share - q)
        + max(0.0, m.edge_ul_fail_share - q)
        + (0.01 * m.overloaded_sectors if overload else 0.0)
    )


def _stalled(before: PlanMetrics, after: PlanMetrics, t) -> bool:
    """Whether a refinement step failed: the targets still fail and the step
    removed less than a tenth of the shortfall, of the coverage and rate
    shortfall, and no overloaded sector. A step that meets the coverage
    targets but overloads a sector is not a failure: the next step adds sites
    at the overloaded sectors."""
    if after.ok:
        return False
    total = _shortfall(after, t) > 0.9 * _shortfall(before, t)
    cov_b, cov_a = _shortfall(before, t, overload=False), _shortfall(after, t, overload=False)
    coverage = cov_b > 0 and cov_a <= 0.9 * cov_b
    load = after.overloaded_sectors < before.overloaded_sectors
    return total and not (coverage or load)


class _TerrainMeasure(Measure):
    """:class:`Measure` whose predictions include the user's terrain and clutter
    (``nrplan.terrain``, ``docs/terrain.md``): the same calls, each with the
    terrain of its window."""

    def __init__(self, *args, terrain):
        super().__init__(*args)
        self.terrain = terrain

    def predict(self, sectors, window=None, morphology=None):
        """Engine prediction on the grid or a window ``(rows, cols)``, with terrain."""
        t = time.perf_counter()
        if window is None:
            g, morph = self.grid, self.morphology if morphology is None else morphology
        else:
            rs, cs = window
            g = self.grid.window(rs.start, cs.start, rs.stop - rs.start, cs.stop - cs.start)
            morph = self.morphology[window]
        pred = pm.predict(
            g, morph, sectors, self.pconfig, outputs=pm.OUTPUTS, terrain=self.terrain.crop(window)
        )
        self.calls += 1
        self.seconds += time.perf_counter() - t
        return pred


def _failing_mask(m: Measure, terms, metrics: PlanMetrics) -> tuple[np.ndarray, float]:
    """Each pixel's shortfall to the targets it fails (0 where it meets them)
    and how many pixels must be fixed."""
    t = m.config.targets
    n_scope = m.totals["n_scope"]
    need = np.zeros(m.grid.shape, np.float32)
    deficit = 0.0
    if metrics.area_coverage < t.area_coverage:
        need = np.maximum(need, np.where(m.scope, t.area_coverage - terms["area"], 0.0))
        deficit = (t.area_coverage - metrics.area_coverage) * n_scope
    w = m.weights
    code = m.morphology.astype(np.intp)
    w_out = w * m.users.share[0][code]
    w_in = w - w_out
    with np.errstate(invalid="ignore", divide="ignore"):
        p_out = np.where(w_out > 0, terms["out_users"] / w_out, 1.0)
        p_in = np.where(w_in > 0, terms["in_users"] / w_in, 1.0)
    for target, achieved, p in (
        (t.population_coverage, metrics.population_coverage, p_out),
        (t.indoor_population_coverage, metrics.indoor_population_coverage, p_in),
    ):
        if achieved < target:
            need = np.maximum(need, np.where(m.scope & (w > 0), target - p, 0.0))
            deficit = max(deficit, (target - achieved) * n_scope)
    q = t.edge_percentile / 100.0
    excess = max(metrics.edge_dl_fail_share, metrics.edge_ul_fail_share) - q
    if excess > 0:
        cov = np.maximum(terms["cov_users"], 1e-12)
        fail = np.maximum(terms["dl_fail"], terms["ul_fail"]) / cov
        need = np.maximum(need, np.where(m.scope, fail - q, 0.0))
        deficit += excess * n_scope
    return np.maximum(need, 0.0), deficit


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
    terrain=None,
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
        People per pixel (the users are spread as the people).
    dl_demand_mbps, ul_demand_mbps : ndarray
        Busy-hour offered traffic per pixel [Mbit/s].
    config : PlanConfig
        Targets, link values, layers, caps, seed.
    name : str
        Area name (for outputs).
    existing_xy : ndarray, shape (n, 2), optional
        Existing sites to reuse, in the grid CRS [m].
    keep_rasters : bool
        Keep the final per-pixel arrays in the result.
    terrain : nrplan.terrain.Terrain, optional
        The user's terrain / clutter on ``grid`` (every prediction includes it).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    scope = scope & (morphology > 0)
    morphology = _near_scope(morphology, scope, grid.pixel_m)
    # the targets and the loads depend on the scope and the demand pixels only:
    # they are the pixels predicted while planning; the margin around them
    # (PREDICT_MARGIN_M) is predicted once, for the final plan's maps
    plan_px = (morphology > 0) & (scope | (dl_demand_mbps > 0) | (ul_demand_mbps > 0))
    plan_morph = np.where(plan_px, morphology, 0).astype(morphology.dtype)
    dims = dimension_classes(
        morphology, scope, dl_demand_mbps, ul_demand_mbps, grid.pixel_area_km2, config
    )
    isd = {d.code: d.isd_m for d in dims}
    timings["dimension_s"] = time.perf_counter() - t0

    t = time.perf_counter()
    sites = nominal_layout(grid, morphology, scope, isd, rng, existing_xy)
    timings["layout_s"] = time.perf_counter() - t
    if terrain is None:
        m = Measure(grid, plan_morph, scope, population, dl_demand_mbps, ul_demand_mbps, config)
    else:
        m = _TerrainMeasure(
            grid, plan_morph, scope, population, dl_demand_mbps, ul_demand_mbps, config,
            terrain=terrain,
        )  # fmt: skip
    m.isd = isd
    if not isd or len(sites) == 0:
        return _empty_plan(name, grid, dims, timings, m)

    t = time.perf_counter()
    iterations = 0
    stalled = False
    per_site = 0.0  # shortfall removed per added site in the last iteration
    sectors, pred, dl_share, ul_share, loads, terms = full_measure(m, sites)
    metrics = m.metrics(terms, loads)
    while not (metrics.ok or iterations >= config.max_iterations or len(sites) >= config.max_sites):
        budget = config.max_sites - len(sites)
        cap = max(5, int(0.2 * len(sites)))
        need, deficit = _failing_mask(m, terms, metrics)
        short = _shortfall(metrics, config.targets)
        if per_site > 0:  # secant step on the last iteration's gain, with a margin
            cap = min(cap, max(1, int(np.ceil(REFINE_OVERSHOOT * short / per_site))))
        add = densify_sites(
            grid, need, morphology, sites, 2.0 * deficit,
            float(np.median(list(isd.values()))), growth=np.inf if per_site > 0 else 0.5,
            max_new=min(cap, budget),
        )  # fmt: skip
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
        trial = sites.concat(add)
        state = full_measure(m, trial)
        tmetrics = m.metrics(state[5], state[4])
        iterations += 1
        before = _shortfall(metrics, config.targets)
        after = _shortfall(tmetrics, config.targets)
        if _stalled(metrics, tmetrics, config.targets):
            # the added sites barely helped: interference-limited (SS-SINR does
            # not rise with density) or unreachable; keep the smaller plan
            stalled = True
            break
        per_site = max(before - after, 0.0) / max(len(add), 1)
        sites = trial
        sectors, pred, dl_share, ul_share, loads, terms = state
        metrics = tmetrics
    timings["refine_s"] = time.perf_counter() - t

    pruned = 0
    if config.prune and metrics.ok:
        t = time.perf_counter()
        kept, pruned = _prune(m, sites, pred, sectors, dl_share, ul_share, terms)
        if pruned:
            state = full_measure(m, kept)
            tmetrics = m.metrics(state[5], state[4])
            if tmetrics.ok:  # the full re-measurement confirms the pruned plan
                sites = kept
                sectors, pred, dl_share, ul_share, loads, terms = state
                metrics = tmetrics
            else:  # second-order effects broke a target: keep the unpruned plan
                pruned = 0
        timings["prune_s"] = time.perf_counter() - t

    t = time.perf_counter()
    hist = m.final(pred, sectors, loads)
    metrics = m.metrics(terms, loads, hist)
    if stalled:
        metrics.failures.append("added sites no longer reduce the shortfall")
    timings["measure_users_s"] = time.perf_counter() - t
    ring = (morphology > 0) & ~plan_px
    if keep_rasters and ring.any():  # the maps' margin, predicted once
        _extend(pred, m.predict(sectors, morphology=np.where(ring, morphology, 0)), ring)
    timings["predict_s"] = m.seconds
    timings["predict_calls"] = m.calls
    timings["total_s"] = time.perf_counter() - t0
    frame = _sector_frame(sectors, sites, loads, pred, dl_share, ul_share, grid)
    rasters = (
        _rasters(m.with_morphology(morphology), pred, sectors, loads, terms) if keep_rasters else {}
    )
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
        meta={"prediction": m.pconfig.settings()},
        hist={k: np.round(v, 3).tolist() for k, v in hist.items()},
        sums=m.sums(terms),
        totals=dict(m.totals),
    )


def _extend(pred, ring_pred, ring: np.ndarray) -> None:
    """Copy a prediction of the ring of pixels ``ring`` into ``pred`` (which
    did not predict them): every per-pixel output there, and ``inside``."""
    for name in pm.OUTPUTS:
        a = getattr(pred, name)
        a[ring] = getattr(ring_pred, name)[ring]
    if pred.inside is not None:
        pred.inside |= ring


def _rasters(m: Measure, pred, sectors, loads, terms) -> dict[str, np.ndarray]:
    """Per-pixel maps: the median outdoor user's SS-RSRP, SS-SINR, PDSCH SINR and
    rates at the busy-hour load, the covered share of the pixel's users, the
    best server."""
    served = pred.best_server >= 0
    inside = m.morphology > 0
    la = m.link_arrays(pred, sectors, loads, served)
    dl, ul = m.users.outdoor_median(la)

    def put(v):
        a = np.where(inside, 0.0, np.nan).astype(np.float32)
        a[served] = v
        return a

    with np.errstate(invalid="ignore", divide="ignore"):
        p_cov = np.where(m.weights > 0, terms["cov_users"] / m.weights, np.nan)
    return {
        "rsrp": pred.rsrp_dbm.astype(np.float32, copy=False),
        "sinr": pred.ss_sinr_db.astype(np.float32, copy=False),
        "pdsch_sinr": pred.sinr_db.astype(np.float32, copy=False),
        "dl_mbps": put(dl),
        "ul_mbps": put(ul),
        "coverage": np.where(m.scope, p_cov, np.nan).astype(np.float32),
        "best_server": pred.best_server.astype(np.int32, copy=False),
    }


class _Tally:
    """Running sums behind every target, updatable window by window."""

    def __init__(self, m: Measure, best, terms, dsh, ush, loads):
        self.m = m
        self.best = best
        self.terms = terms
        self.dsh, self.ush = dsh, ush
        n = loads.size
        self.loads_dl = sector_loads(best, dsh, np.ones_like(dsh), n)
        self.loads_ul = sector_loads(best, ush, np.ones_like(ush), n)
        self.sums = m.sums(terms)

    def win_sums(self, win) -> dict[str, float]:
        sc = self.m.scope[win]
        return {k: float(self.terms[k][win][sc].sum(dtype=np.float64)) for k in TERMS}

    def ok(self, sums, loads, slack: float = PRUNE_SLACK) -> bool:
        return targets_met(self.m.config.targets, sums, self.m.totals, loads, slack)


def _prune(m: Measure, sites: SiteSet, pred, sectors, dl_share, ul_share, terms):
    """Remove new sites whose removal keeps every target.

    Candidates are the new (not reused) sites, those serving the least
    in-scope area first (edge sites of a nominal lattice, over-dimensioned
    pockets), at most :data:`PRUNE_SHARE` of the sites (at least
    :data:`PRUNE_MIN_TRIALS`), until
    :data:`PRUNE_PATIENCE` removals in a row are refused. A
    removal is tested by dropping the site's sectors and re-predicting with
    the engine the bounding box of the pixels they served; outside it only
    interference drops, so the targets there can only improve. The targets
    are re-tallied incrementally from the window with a small slack, and the
    caller re-measures the pruned plan on the whole grid (and keeps the
    unpruned one if a second-order effect broke a target).

    Returns
    -------
    (SiteSet, int)
        The kept sites and the number removed.
    """
    n_sites = len(sites)
    k = len(SECTOR_AZIMUTHS_DEG)
    best = pred.best_server.copy()
    served_scope = np.bincount(best[m.scope & (best >= 0)] // k, minlength=n_sites)[:n_sites]
    cand = np.nonzero(~sites.reused)[0]
    cand = cand[np.argsort(served_scope[cand], kind="stable")]
    cand = cand[: max(PRUNE_MIN_TRIALS, int(PRUNE_SHARE * n_sites))]
    tally = _Tally(
        m, best, {key: v.copy() for key, v in terms.items()}, dl_share.copy(), ul_share.copy(),
        np.zeros(n_sites * k),
    )  # fmt: skip
    removed = np.zeros(n_sites, bool)
    np.maximum(tally.loads_dl, tally.loads_ul)
    all_sectors = sectors
    n_sec = n_sites * k
    sec_tree = cKDTree(np.column_stack([sectors.x, sectors.y]))
    failed = 0
    for s in cand:
        if failed >= PRUNE_PATIENCE:
            break
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
        # the sectors within PRUNE_RADIUS_M of the window (the others' SSBs are
        # below the engine's truncation bound there; the caller re-measures)
        xa, ya = m.grid.x0 + c0 * m.grid.pixel_m, m.grid.y0 - r0 * m.grid.pixel_m
        half = 0.5 * max(r1 - r0, c1 - c0) * m.grid.pixel_m
        centre = (xa + 0.5 * (c1 - c0) * m.grid.pixel_m, ya - 0.5 * (r1 - r0) * m.grid.pixel_m)
        near = np.asarray(sec_tree.query_ball_point(centre, PRUNE_RADIUS_M + half), dtype=np.int64)
        keep = np.zeros(n_sec, bool)
        keep[near] = True
        keep &= ~np.repeat(trial, k)
        keep_idx = np.flatnonzero(keep)
        if keep_idx.size == 0:  # the window's only site: never removed
            failed += 1
            continue
        sub = all_sectors.subset(keep_idx)
        wpred = m.predict(sub, win)
        (wdl, wul), _ = m.measure(wpred, sub, win)
        wbs = wpred.best_server
        wbest = np.where(wbs >= 0, keep_idx[np.maximum(wbs, 0)], -1)
        # loads: remove the window's old contributions, add the new ones
        old_b = best[win]
        ld = tally.loads_dl - sector_loads(old_b, tally.dsh[win], np.ones(old_b.shape), n_sec)
        lu = tally.loads_ul - sector_loads(old_b, tally.ush[win], np.ones(old_b.shape), n_sec)
        ld = ld + sector_loads(wbest, wdl, np.ones(wbest.shape), n_sec)
        lu = lu + sector_loads(wbest, wul, np.ones(wbest.shape), n_sec)
        trial_loads = np.maximum(ld, lu)
        trial_loads[np.repeat(trial, k)] = 0.0
        _, wterms = m.measure(wpred, sub, win, loads=trial_loads[keep_idx])
        old = tally.win_sums(win)
        saved = {key: tally.terms[key][win].copy() for key in TERMS}
        saved_rest = tuple(a[win].copy() for a in (best, tally.dsh, tally.ush))
        for key in TERMS:
            tally.terms[key][win] = wterms[key]
        best[win], tally.dsh[win], tally.ush[win] = wbest, wdl, wul
        new = tally.win_sums(win)
        new_sums = {key: tally.sums[key] - old[key] + new[key] for key in TERMS}
        if tally.ok(new_sums, trial_loads):
            removed[s] = True
            failed = 0
            tally.sums = new_sums
            tally.loads_dl, tally.loads_ul = ld, lu
        else:
            failed += 1
            for key in TERMS:
                tally.terms[key][win] = saved[key]
            for a, o in zip((best, tally.dsh, tally.ush), saved_rest, strict=True):
                a[win] = o
    keep = ~removed
    return sites.take(np.nonzero(keep)[0]), int(removed.sum())


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
    zeros = {key: np.zeros(grid.shape) for key in TERMS}
    metrics = m.metrics(zeros, np.zeros(0))
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
        meta={"prediction": m.pconfig.settings()},
        sums=m.sums(zeros),
        totals=dict(m.totals),
    )


#: Parts of an area farther apart than this are planned as separate windows [m]:
#: beyond ~5 km the full-load SSB interference of one part on the other is
#: below the engine's truncation bound at the planned densities, and each
#: window needs memory for its own extent only.
CLUSTER_GAP_M = 5000.0


def scope_clusters(
    scope: np.ndarray, pixel_m: float, gap_m: float = CLUSTER_GAP_M
) -> list[tuple[slice, slice]]:
    """Windows (row, column slices) of the groups of scope pixels closer than
    ``gap_m`` to each other, each grown by :data:`PREDICT_MARGIN_M` plus
    ``gap_m / 2`` and clipped to the grid; sorted by size, largest first."""
    b = max(1, round(500.0 / pixel_m))
    nr, nc = scope.shape
    pr, pc = (-nr) % b, (-nc) % b
    blocks = np.pad(scope, ((0, pr), (0, pc))).reshape((nr + pr) // b, b, (nc + pc) // b, b)
    occ = blocks.any(axis=(1, 3))
    grow = max(1, int(np.ceil(gap_m / 2.0 / (b * pixel_m))))
    labels, _ = ndimage.label(ndimage.binary_dilation(occ, iterations=grow), _EIGHT)
    out = []
    margin = int(np.ceil((PREDICT_MARGIN_M + gap_m / 2.0) / pixel_m))
    for sl in ndimage.find_objects(labels):
        if sl is None:
            continue
        r0, r1 = sl[0].start * b, min(sl[0].stop * b, nr)
        c0, c1 = sl[1].start * b, min(sl[1].stop * b, nc)
        sub = scope[r0:r1, c0:c1]
        if not sub.any():
            continue
        rows = np.flatnonzero(sub.any(axis=1))
        cols = np.flatnonzero(sub.any(axis=0))
        out.append(
            (
                slice(max(r0 + rows[0] - margin, 0), min(r0 + rows[-1] + 1 + margin, nr)),
                slice(max(c0 + cols[0] - margin, 0), min(c0 + cols[-1] + 1 + margin, nc)),
            )
        )
    out.sort(key=lambda w: -(w[0].stop - w[0].start) * (w[1].stop - w[1].start))
    return out


_EIGHT = np.ones((3, 3), bool)


def plan_clusters(
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
    terrain=None,
) -> CityPlan:
    """:func:`plan_area` on each far-apart part of the area (:func:`scope_clusters`)
    in its own window, merged into one plan of the whole grid.

    Sites, sectors, loads and histograms are concatenated or summed; the KPIs
    are recomputed from the parts' target sums (:mod:`nrplan.plan.evaluate`),
    so they are those of the whole area; rasters stay per window
    (:meth:`CityPlan.raster` assembles them). An area that is one cluster is
    planned as :func:`plan_area` does.
    """
    scope = scope & (morphology > 0)
    wins = scope_clusters(scope, grid.pixel_m)
    if len(wins) <= 1:
        return plan_area(
            grid, morphology, scope, population, dl_demand_mbps, ul_demand_mbps, config, name,
            existing_xy, keep_rasters, terrain,
        )  # fmt: skip
    t0 = time.perf_counter()
    inside = np.zeros(grid.shape, bool)
    parts = []
    for rs, cs in wins:
        sub_grid = grid.window(rs.start, cs.start, rs.stop - rs.start, cs.stop - cs.start)
        sub_scope = scope[rs, cs] & ~inside[rs, cs]  # each scope pixel in one window
        inside[rs, cs] |= scope[rs, cs]
        ex = None
        if existing_xy is not None and len(existing_xy):
            xmin, ymin, xmax, ymax = sub_grid.bounds
            e = np.asarray(existing_xy)
            ex = e[(e[:, 0] >= xmin) & (e[:, 0] <= xmax) & (e[:, 1] >= ymin) & (e[:, 1] <= ymax)]
        part = plan_area(
            sub_grid, morphology[rs, cs], sub_scope, population[rs, cs],
            dl_demand_mbps[rs, cs], ul_demand_mbps[rs, cs], config, name, ex, keep_rasters,
            None if terrain is None else terrain.crop((rs, cs)),
        )  # fmt: skip
        parts.append((rs.start, cs.start, part))
    return _merge(parts, grid, morphology, scope, dl_demand_mbps, ul_demand_mbps, config, name, t0)


def _merge(parts, grid, morphology, scope, dl, ul, config, name, t0) -> CityPlan:
    plans = [p for _, _, p in parts]
    sites = SiteSet.empty()
    frames = []
    for p in plans:
        if len(p.sites):
            f = p.sectors.copy()
            f["site_index"] += len(sites)
            frames.append(f)
            sites = sites.concat(p.sites)
    sectors = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    sums = {k: sum(p.sums.get(k, 0.0) for p in plans) for k in TERMS}
    totals = {k: sum(p.totals.get(k, 0.0) for p in plans) for k in plans[0].totals}
    loads = sectors["load"].to_numpy() if len(sectors) else np.zeros(0)
    hist = {
        k: np.sum([np.asarray(p.hist[k]) for p in plans if p.hist.get(k)], axis=0)
        for k in HIST_EDGES
        if any(p.hist.get(k) for p in plans)
    }
    metrics = evaluate(
        config.targets, sums, totals, loads, grid.pixel_area_km2, hist or None, HIST_EDGES
    )
    for p in plans:
        for f in p.metrics.failures:
            if "no longer reduce" in f and f not in metrics.failures and not metrics.ok:
                metrics.failures.append(f)
    dims = dimension_classes(morphology, scope, dl, ul, grid.pixel_area_km2, config)
    timings: dict[str, float] = {}
    for p in plans:
        for k, v in p.timings.items():
            timings[k] = timings.get(k, 0.0) + v
    timings["total_s"] = time.perf_counter() - t0
    timings["clusters"] = len(plans)
    return CityPlan(
        name=name,
        crs=grid.crs,
        sites=sites,
        sectors=sectors,
        metrics=metrics,
        dimensions=dims,
        iterations=max(p.iterations for p in plans),
        pruned=sum(p.pruned for p in plans),
        timings=timings,
        grid=grid,
        meta=plans[0].meta,
        hist={k: np.round(v, 3).tolist() for k, v in hist.items()},
        sums=sums,
        totals=totals,
        windows=[(r0, c0, p.rasters) for r0, c0, p in parts if p.rasters],
    )
