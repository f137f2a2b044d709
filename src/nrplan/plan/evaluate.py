"""Measure a plan against its targets from an engine prediction.

Everything a planner is judged on is computed here from the per-pixel
prediction and the demand: area and population coverage (outdoor, and indoor
with the O2I penetration loss of the pixel's morphology), cell-edge rates at
a percentile of covered pixels, and the busy-hour load of every sector.

Load model
----------
A sector's busy-hour load is the share of its time-frequency resources its
users need: ``rho_s = sum_i T_i / C_i`` over the pixels ``i`` it serves, with
``T_i`` the offered busy-hour traffic [Mbit/s] and ``C_i`` the rate the cell
would give one user at that pixel with all resources (full-buffer, no other
user) [Mbit/s]. This is the standard resource-share load of elastic traffic in
a processor-sharing cell (e.g. Siomina & Yuan, "Analysis of cell load coupling
for LTE network planning", IEEE TWC 2012), taken in each link direction; the
cell load is the larger of DL and UL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nrplan.plan.config import Targets

__all__ = ["PlanMetrics", "coverage_probability", "evaluate", "sector_loads"]


@dataclass
class PlanMetrics:
    """KPIs of one prediction against the targets (fractions in [0, 1])."""

    area_km2: float
    population: float
    area_coverage: float
    population_coverage: float
    indoor_population_coverage: float
    edge_dl_mbps: float
    edge_ul_mbps: float
    sinr_p5: float
    sinr_p50: float
    sinr_p95: float
    dl_p5: float
    dl_p50: float
    dl_p95: float
    ul_p5: float
    ul_p50: float
    ul_p95: float
    load_max: float
    load_mean: float
    load_p95: float
    overloaded_sectors: int
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


def coverage_probability(
    rsrp_dbm: np.ndarray,
    sinr_db: np.ndarray,
    rsrp_threshold_dbm: float,
    sinr_threshold_db: float,
    sigma_db: np.ndarray,
    extra_loss_db: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Probability that SS-RSRP clears its threshold under lognormal shadowing.

    ``P = Phi((RSRP - L - thr) / sigma)`` where the median SINR also clears
    its threshold, else 0 (NaN RSRP = no server = 0).

    Parameters
    ----------
    rsrp_dbm : ndarray
        Median SS-RSRP [dBm].
    sinr_db : ndarray
        Median SINR [dB].
    rsrp_threshold_dbm, sinr_threshold_db : float
        Thresholds [dBm], [dB].
    sigma_db : ndarray
        Shadowing standard deviation per pixel [dB] (> 0).
    extra_loss_db : ndarray or float
        Mean extra loss, e.g. O2I penetration for indoor users [dB].

    References
    ----------
    Lognormal shadowing: 3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF) and
    7.4.3 (sigma_P of O2I); combined as independent Gaussians in dB.
    """
    from scipy.special import ndtr

    margin = np.nan_to_num(rsrp_dbm - extra_loss_db - rsrp_threshold_dbm, nan=-np.inf)
    p = ndtr(margin / sigma_db)
    ok = np.nan_to_num(sinr_db, nan=-np.inf) >= sinr_threshold_db
    return np.where(ok, p, 0.0)


def evaluate(
    targets: Targets,
    scope: np.ndarray,
    population: np.ndarray,
    p_out: np.ndarray,
    p_in: np.ndarray,
    sinr_db: np.ndarray,
    dl_mbps: np.ndarray,
    ul_mbps: np.ndarray,
    loads: np.ndarray,
    pixel_area_km2: float,
) -> PlanMetrics:
    """Compute a plan's KPIs and list the targets it fails.

    Parameters
    ----------
    targets : Targets
        The plan targets.
    scope : ndarray of bool
        Pixels the targets apply to.
    population : ndarray
        People per pixel.
    p_out, p_in : ndarray
        Outdoor and indoor coverage probability per pixel
        (:func:`coverage_probability`).
    sinr_db : ndarray
        Median SINR per pixel [dB] (NaN = no server).
    dl_mbps, ul_mbps : ndarray
        User rates per pixel at the current load [Mbit/s].
    loads : ndarray
        Load per sector.
    pixel_area_km2 : float
        Area of one pixel [km^2].

    Notes
    -----
    Area and population coverage are expected shares (mean coverage
    probability over the in-scope area, population-weighted for population);
    edge rates are percentiles over in-scope pixels whose median is covered
    (``p_out >= 0.5``).
    """
    n_scope = int(scope.sum())
    pop = np.where(scope, population, 0.0)
    pop_total = float(pop.sum())
    area_cov = float(p_out[scope].mean()) if n_scope else 1.0
    pop_cov = float((pop * p_out).sum()) / pop_total if pop_total > 0 else area_cov
    in_cov = (
        float((pop * p_in).sum()) / pop_total
        if pop_total > 0
        else (float(p_in[scope].mean()) if n_scope else 1.0)
    )
    sel = (p_out >= 0.5) & scope
    s = sinr_db[sel]
    dl = dl_mbps[sel]
    ul = ul_mbps[sel]
    q = targets.edge_percentile
    m = PlanMetrics(
        area_km2=n_scope * pixel_area_km2,
        population=pop_total,
        area_coverage=area_cov,
        population_coverage=pop_cov,
        indoor_population_coverage=in_cov,
        edge_dl_mbps=_pct(dl, q),
        edge_ul_mbps=_pct(ul, q),
        sinr_p5=_pct(s, 5),
        sinr_p50=_pct(s, 50),
        sinr_p95=_pct(s, 95),
        dl_p5=_pct(dl, 5),
        dl_p50=_pct(dl, 50),
        dl_p95=_pct(dl, 95),
        ul_p5=_pct(ul, 5),
        ul_p50=_pct(ul, 50),
        ul_p95=_pct(ul, 95),
        load_max=float(loads.max()) if loads.size else 0.0,
        load_mean=float(loads.mean()) if loads.size else 0.0,
        load_p95=_pct(loads, 95),
        overloaded_sectors=int((loads > targets.load_limit).sum()),
    )
    if n_scope == 0:
        return m
    if area_cov < targets.area_coverage:
        m.failures.append(f"area coverage {area_cov:.1%} < {targets.area_coverage:.1%}")
    if pop_cov < targets.population_coverage:
        m.failures.append(f"population coverage {pop_cov:.1%} < {targets.population_coverage:.1%}")
    if in_cov < targets.indoor_population_coverage:
        m.failures.append(
            f"indoor population coverage {in_cov:.1%} < {targets.indoor_population_coverage:.1%}"
        )
    if sel.any() and m.edge_dl_mbps < targets.edge_dl_mbps:
        m.failures.append(f"edge DL {m.edge_dl_mbps:.1f} Mbps < {targets.edge_dl_mbps:g} Mbps")
    if sel.any() and m.edge_ul_mbps < targets.edge_ul_mbps:
        m.failures.append(f"edge UL {m.edge_ul_mbps:.2f} Mbps < {targets.edge_ul_mbps:g} Mbps")
    if m.overloaded_sectors:
        m.failures.append(
            f"{m.overloaded_sectors} sectors above the {targets.load_limit:.0%} load limit"
        )
    return m
