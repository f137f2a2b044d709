"""Measure a plan against its targets, over its users.

Everything a planner is judged on is computed here from per-pixel sums that
:mod:`nrplan.plan.users` derives from the engine's prediction: the covered
share of the outdoor area, of the outdoor users and of the indoor users; the
share of the covered users (indoor included) below the edge rates; and the
busy-hour load of every sector. Sums are additive over pixels, so a window
can be re-measured and swapped in (the pruning does).

Load model
----------
A sector's busy-hour load is the share of its time-frequency resources its
users need: ``rho_s = sum_i T_i / C_i`` over the pixels ``i`` it serves, with
``T_i`` the offered busy-hour traffic [Mbit/s] and ``C_i`` the rate the cell
would give one user at that pixel with all resources (full-buffer, no other
user) [Mbit/s], averaged over the pixel's user types as resource shares. This
is the standard resource-share load of elastic traffic in a processor-sharing
cell (e.g. Siomina & Yuan, "Analysis of cell load coupling for LTE network
planning", IEEE TWC 2012), taken in each link direction; the cell load is the
larger of DL and UL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nrplan.plan.config import Targets

__all__ = [
    "TERMS",
    "PlanMetrics",
    "evaluate",
    "percentile_from_hist",
    "sector_loads",
    "targets_met",
]

#: Per-pixel sums behind every target (see :func:`evaluate`).
TERMS = ("area", "out_users", "in_users", "cov_users", "dl_fail", "ul_fail")


@dataclass
class PlanMetrics:
    """KPIs of one prediction against the targets (fractions in [0, 1]).

    Coverage: ``area_coverage`` is the covered share of the in-scope area
    for an outdoor user; ``population_coverage`` of the outdoor users,
    ``indoor_population_coverage`` of the indoor users (low- and high-loss
    buildings), ``user_coverage`` of all users. Edge rates and rate
    percentiles are over the covered users (indoor included); the SINR
    percentiles name their SINR: SS-SINR (SSB against the neighbours' SSBs at
    full SSB load, the coverage criterion and what drive tests measure) over
    all users, outdoors and indoors; PDSCH SINR at the planning load over the
    covered users. Percentiles are NaN until :func:`evaluate` is given the
    user samples (the final measurement).
    """

    area_km2: float
    population: float
    area_coverage: float
    population_coverage: float
    indoor_population_coverage: float
    user_coverage: float
    edge_dl_fail_share: float
    edge_ul_fail_share: float
    load_max: float
    load_mean: float
    load_p95: float
    overloaded_sectors: int
    edge_dl_mbps: float = float("nan")
    edge_ul_mbps: float = float("nan")
    sinr_p5: float = float("nan")
    sinr_p50: float = float("nan")
    sinr_p95: float = float("nan")
    ss_sinr_outdoor_p5: float = float("nan")
    ss_sinr_outdoor_p50: float = float("nan")
    ss_sinr_outdoor_p95: float = float("nan")
    ss_sinr_indoor_p50: float = float("nan")
    pdsch_sinr_p5: float = float("nan")
    pdsch_sinr_p50: float = float("nan")
    pdsch_sinr_p95: float = float("nan")
    dl_p5: float = float("nan")
    dl_p50: float = float("nan")
    dl_p95: float = float("nan")
    ul_p5: float = float("nan")
    ul_p50: float = float("nan")
    ul_p95: float = float("nan")
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def sector_loads(
    best_server: np.ndarray,
    demand_mbps: np.ndarray,
    capacity_mbps: np.ndarray,
    n_sectors: int,
) -> np.ndarray:
    """Busy-hour resource load of each sector, ``sum_i T_i / C_i``.

    Parameters
    ----------
    best_server : ndarray of int
        Serving sector per pixel, -1 where none.
    demand_mbps : ndarray
        Offered busy-hour traffic per pixel [Mbit/s].
    capacity_mbps : ndarray
        Full-resource single-user rate per pixel [Mbit/s].
    n_sectors : int
        Number of sectors.

    Returns
    -------
    ndarray, shape (n_sectors,)
        Load per sector (may exceed 1 when overloaded).
    """
    served = (best_server >= 0) & (demand_mbps > 0)
    cap = np.where(capacity_mbps[served] > 1e-3, capacity_mbps[served], 1e-3)
    share = demand_mbps[served] / cap
    return np.bincount(best_server[served], weights=share, minlength=n_sectors)[:n_sectors]


def _pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if values.size else float("nan")


def _ratios(sums: dict[str, float], totals: dict[str, float]) -> dict[str, float]:
    def div(a, b, empty=1.0):
        return a / b if b > 0 else empty

    return {
        "area": div(sums["area"], totals["n_scope"]),
        "out": div(sums["out_users"], totals["out_users"]),
        "in": div(sums["in_users"], totals["in_users"]),
        "all": div(sums["cov_users"], totals["users"]),
        "dl_fail": div(sums["dl_fail"], sums["cov_users"], 0.0),
        "ul_fail": div(sums["ul_fail"], sums["cov_users"], 0.0),
    }


def targets_met(
    targets: Targets,
    sums: dict[str, float],
    totals: dict[str, float],
    loads: np.ndarray,
    slack: float = 0.0,
) -> bool:
    """True when every target holds with ``slack`` to spare."""
    r = _ratios(sums, totals)
    q = targets.edge_percentile / 100.0
    return bool(
        r["area"] >= targets.area_coverage + slack
        and r["out"] >= targets.population_coverage + slack
        and r["in"] >= targets.indoor_population_coverage + slack
        and r["dl_fail"] <= q - slack
        and r["ul_fail"] <= q - slack
        and (loads.size == 0 or loads.max() <= targets.load_limit - slack)
    )


def percentile_from_hist(counts: np.ndarray, edges: np.ndarray, q: float) -> float:
    """Percentile ``q`` [%] of a weighted histogram, linear within the bin."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total <= 0:
        return float("nan")
    cum = np.cumsum(counts) / total
    k = min(int(np.searchsorted(cum, q / 100.0)), len(counts) - 1)
    prev = cum[k - 1] if k else 0.0
    frac = (q / 100.0 - prev) / max(cum[k] - prev, 1e-12)
    return float(edges[k] + min(max(frac, 0.0), 1.0) * (edges[k + 1] - edges[k]))


def evaluate(
    targets: Targets,
    sums: dict[str, float],
    totals: dict[str, float],
    loads: np.ndarray,
    pixel_area_km2: float,
    hist: dict[str, np.ndarray] | None = None,
    edges: dict[str, np.ndarray] | None = None,
) -> PlanMetrics:
    """Compute a plan's KPIs and list the targets it fails.

    Parameters
    ----------
    targets : Targets
        The plan targets.
    sums : dict
        Sums over the in-scope pixels of the :data:`TERMS`: ``area`` (outdoor
        coverage probability), ``out_users`` / ``in_users`` / ``cov_users``
        (covered outdoor / indoor / all users), ``dl_fail`` / ``ul_fail``
        (covered users below the edge rate).
    totals : dict
        ``n_scope`` (in-scope pixels), ``users``, ``out_users``, ``in_users``
        (user weights in scope) and ``population``.
    loads : ndarray
        Busy-hour load per sector.
    pixel_area_km2 : float
        Area of one pixel [km^2].
    hist, edges : dict, optional
        Weighted user histograms of :meth:`nrplan.plan.users.UserModel.histograms`
        and their bin edges; give the percentiles (else NaN).
    """
    r = _ratios(sums, totals)
    q = targets.edge_percentile
    m = PlanMetrics(
        area_km2=totals["n_scope"] * pixel_area_km2,
        population=totals["population"],
        area_coverage=r["area"],
        population_coverage=r["out"],
        indoor_population_coverage=r["in"],
        user_coverage=r["all"],
        edge_dl_fail_share=r["dl_fail"],
        edge_ul_fail_share=r["ul_fail"],
        load_max=float(loads.max()) if loads.size else 0.0,
        load_mean=float(loads.mean()) if loads.size else 0.0,
        load_p95=_pct(loads, 95),
        overloaded_sectors=int((loads > targets.load_limit).sum()),
    )
    if hist is not None and edges is not None:

        def pct(key, qs):
            if key not in hist:
                return [float("nan")] * len(qs)
            return [percentile_from_hist(hist[key], edges[key], x) for x in qs]

        m.sinr_p5, m.sinr_p50, m.sinr_p95 = pct("ss_sinr_db", (5, 50, 95))
        m.ss_sinr_outdoor_p5, m.ss_sinr_outdoor_p50, m.ss_sinr_outdoor_p95 = pct(
            "ss_sinr_outdoor_db", (5, 50, 95)
        )
        m.pdsch_sinr_p5, m.pdsch_sinr_p50, m.pdsch_sinr_p95 = pct("pdsch_sinr_db", (5, 50, 95))
        m.dl_p5, m.dl_p50, m.dl_p95, m.edge_dl_mbps = pct("dl_mbps", (5, 50, 95, q))
        m.ul_p5, m.ul_p50, m.ul_p95, m.edge_ul_mbps = pct("ul_mbps", (5, 50, 95, q))
        ss_all = hist.get("ss_sinr_db")
        ss_out = hist.get("ss_sinr_outdoor_db")
        if ss_all is not None and ss_out is not None:
            (m.ss_sinr_indoor_p50,) = [
                percentile_from_hist(np.maximum(ss_all - ss_out, 0.0), edges["ss_sinr_db"], 50)
            ]
    if totals["n_scope"] == 0:
        return m
    if r["area"] < targets.area_coverage:
        m.failures.append(f"outdoor area coverage {r['area']:.1%} < {targets.area_coverage:.1%}")
    if r["out"] < targets.population_coverage:
        m.failures.append(
            f"outdoor user coverage {r['out']:.1%} < {targets.population_coverage:.1%}"
        )
    if r["in"] < targets.indoor_population_coverage:
        m.failures.append(
            f"indoor user coverage {r['in']:.1%} < {targets.indoor_population_coverage:.1%}"
        )
    if r["dl_fail"] > q / 100.0:
        m.failures.append(
            f"{r['dl_fail']:.1%} of covered users below {targets.edge_dl_mbps:g} Mbps DL "
            f"(edge: {q:g} %)"
        )
    if r["ul_fail"] > q / 100.0:
        m.failures.append(
            f"{r['ul_fail']:.1%} of covered users below {targets.edge_ul_mbps:g} Mbps UL "
            f"(edge: {q:g} %)"
        )
    if m.overloaded_sectors:
        m.failures.append(
            f"{m.overloaded_sectors} sectors above the {targets.load_limit:.0%} load limit"
        )
    return m
