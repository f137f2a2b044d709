"""Plan many regions — every prefecture-level city of China, or the polygons
of a user's file — with checkpoints, resume, progress and any executor.

The driver builds one task per region, skips the ones whose checkpoint is in
the run directory, fans the rest out through :func:`nrplan.parallel.run_tasks`
(serial, local processes, or a Dask cluster) and writes each city's files as
soon as it comes back. When all are done it writes the national
``summary.json``, ``cities.csv`` and ``sites.gpkg``. Interrupting at any point
loses at most the cities in flight; the same command resumes.
"""

from __future__ import annotations

import datetime as _dt
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nrplan.demand.build import DemandParams, build_demand
from nrplan.errors import NrplanInputError
from nrplan.geo.region import Region
from nrplan.io.rundir import RunDir, city_key
from nrplan.parallel import run_tasks
from nrplan.plan.city import CityPlan, plan_area
from nrplan.plan.config import PlanConfig

__all__ = [
    "HIST_EDGES",
    "OPERATOR_SHARES",
    "CityTask",
    "plan_city",
    "plan_regions",
]

#: Share of China's mobile users carried by the planned network [-].
#: China Mobile had 942M of 1,594M mobile users at end-2020 (china-facts.md
#: section 7, [derived]), so China Telecom + China Unicom carry the other
#: 652M = 40.9 %; split evenly, one of them carries ~20.5 %.
OPERATOR_SHARES = {"single": 0.205, "shared": 0.409, "separate": 0.205}

#: Bin edges of the per-city histograms that national percentiles are computed from.
HIST_EDGES = {
    "sinr_db": np.arange(-20.0, 70.01, 0.25),
    "dl_mbps": np.concatenate([np.arange(0.0, 200.0, 1.0), np.arange(200.0, 5001.0, 10.0)]),
    "ul_mbps": np.concatenate([np.arange(0.0, 50.0, 0.1), np.arange(50.0, 1001.0, 2.0)]),
}


@dataclass(frozen=True)
class CityTask:
    """Everything a worker needs to plan one region (picklable)."""

    key: str
    region: Region
    config: PlanConfig
    population: str | None = None
    extent: str | None = None
    existing_lonlat: np.ndarray | None = None


@dataclass
class CityOutput:
    """What a worker sends back: the record, the sectors, the rasters."""

    key: str
    record: dict[str, Any]
    sectors: pd.DataFrame
    rasters: dict[str, np.ndarray]
    grid: Any


def _band_for(config: PlanConfig) -> PlanConfig:
    """Shared RAN plans use the pooled 200 MHz n78 carrier on every 3.5 GHz layer."""
    if config.operators != "shared":
        return config
    layers = {
        k: v.model_copy(update={"band": "n78-shared"}) if v.band == "n78" else v
        for k, v in config.layers.items()
    }
    return config.model_copy(update={"layers": layers})


def plan_city(task: CityTask) -> CityOutput:
    """Build the demand of one region and plan it (runs in a worker)."""
    t0 = time.perf_counter()
    config = _band_for(task.config)
    params = DemandParams(
        operator_share=OPERATOR_SHARES[config.operators], **config.demand_overrides
    )
    try:
        demand = build_demand(
            task.region,
            config.resolution_m,
            params,
            year=config.year,
            population=task.population,
            extent=task.extent,
        )
    except NrplanInputError as exc:
        if exc.field != "region":
            raise
        # nothing in the year's coverage scope (e.g. Sansha: islands, no towns)
        record = {
            "key": task.key,
            "id": str(task.region.id),
            "name": task.region.name,
            **{k: v for k, v in task.region.attrs.items() if k != "area_km2"},
            "sites": 0,
            "sectors": 0,
            "target_area_km2": 0.0,
            "target_population": 0.0,
            "targets_met": True,
            "shortfall": "",
            "note": str(exc),
            "limiting": {},
            "timings": {"city_total_s": time.perf_counter() - t0},
        }
        return CityOutput(task.key, record, pd.DataFrame(), {}, None)
    t_demand = time.perf_counter() - t0
    # a user's own area is planned whole; China units cover the year's scope
    scope = demand.mask if task.extent == "region" else demand.built_up
    plan = plan_area(
        demand.grid,
        demand.morphology,
        scope,
        demand.population,
        demand.dl_mbps,
        demand.ul_mbps,
        config,
        name=task.region.name,
        existing_xy=_existing_xy(task.existing_lonlat, demand.grid),
    )
    plan.timings["demand_s"] = t_demand
    plan.timings["city_total_s"] = time.perf_counter() - t0
    sectors = _with_lonlat(plan.sectors, demand.grid.crs)
    sectors.insert(0, "city", task.region.name)
    sectors.insert(1, "city_id", str(task.region.id))
    site_index = sectors["site_index"] if "site_index" in sectors else []
    sectors.insert(2, "site_id", [f"{task.region.id}-{i:05d}" for i in site_index])
    record = _city_record(task, plan, demand, scope)
    rasters = plan.rasters if config.rasters else {}
    return CityOutput(task.key, record, sectors, rasters, demand.grid)


def _existing_xy(lonlat: np.ndarray | None, grid) -> np.ndarray | None:
    """Existing sites (lon, lat) projected to the grid CRS, those on the grid only."""
    if lonlat is None or len(lonlat) == 0:
        return None
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
    x, y = tr.transform(lonlat[:, 0], lonlat[:, 1])
    xmin, ymin, xmax, ymax = grid.bounds
    on = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
    return np.column_stack([x[on], y[on]]) if on.any() else None


def _with_lonlat(frame: pd.DataFrame, crs: str) -> pd.DataFrame:
    from pyproj import Transformer

    out = frame.copy()
    if out.empty:
        out["lon"] = []
        out["lat"] = []
        return out
    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(out["x"].to_numpy(), out["y"].to_numpy())
    out["lon"] = np.round(lon, 7)
    out["lat"] = np.round(lat, 7)
    return out


def _hist(plan: CityPlan, scope, targets) -> dict[str, list[int]]:
    """Histograms of SINR and rates over covered in-scope pixels (fixed bins)."""
    if not plan.rasters:
        return {}
    r = plan.rasters
    rsrp = np.nan_to_num(r["rsrp"], nan=-np.inf)
    sinr = np.nan_to_num(r["sinr"], nan=-np.inf)
    sel = scope & (rsrp >= targets.rsrp_dbm) & (sinr >= targets.sinr_db)
    out = {}
    for name, key in (("sinr_db", "sinr"), ("dl_mbps", "dl_mbps"), ("ul_mbps", "ul_mbps")):
        edges = HIST_EDGES[name]
        vals = np.clip(r[key][sel], edges[0], edges[-1])
        out[name] = np.histogram(vals, bins=edges)[0].tolist()
    return out


def _city_record(task: CityTask, plan: CityPlan, demand, scope) -> dict[str, Any]:
    m = plan.metrics
    sec = plan.sectors
    n_sites = len(plan.sites)
    limiting = {d.name: d.limiting for d in plan.dimensions}
    rec: dict[str, Any] = {
        "key": task.key,
        "id": str(task.region.id),
        "name": task.region.name,
        **{k: v for k, v in task.region.attrs.items() if k != "area_km2"},
        "region_area_km2": float(task.region.attrs.get("area_km2", np.nan)),
        "crs": demand.grid.crs,
        "grid_shape": list(demand.grid.shape),
        "resolution_m": demand.grid.pixel_m,
        "sites": n_sites,
        "sectors": len(sec),
        "reused_sites": int(plan.sites.reused.sum()) if n_sites else 0,
        "new_sites": int((~plan.sites.reused).sum()) if n_sites else 0,
        "sites_added": {o: int((plan.sites.origin == o).sum()) for o in ("coverage", "capacity")}
        if n_sites
        else {},
        "pruned_sites": plan.pruned,
        "iterations": plan.iterations,
        "target_area_km2": m.area_km2,
        "target_population": m.population,
        "population": demand.total_population,
        "users": demand.total_users,
        "busy_hour_dl_mbps": float(demand.dl_mbps.sum(dtype=np.float64)),
        "busy_hour_ul_mbps": float(demand.ul_mbps.sum(dtype=np.float64)),
        "area_coverage": m.area_coverage,
        "population_coverage": m.population_coverage,
        "indoor_population_coverage": m.indoor_population_coverage,
        "edge_dl_mbps": m.edge_dl_mbps,
        "edge_ul_mbps": m.edge_ul_mbps,
        "sinr_p5": m.sinr_p5,
        "sinr_p50": m.sinr_p50,
        "sinr_p95": m.sinr_p95,
        "dl_p5": m.dl_p5,
        "dl_p50": m.dl_p50,
        "dl_p95": m.dl_p95,
        "ul_p5": m.ul_p5,
        "ul_p50": m.ul_p50,
        "ul_p95": m.ul_p95,
        "load_mean": m.load_mean,
        "load_p95": m.load_p95,
        "load_max": m.load_max,
        "overloaded_sectors": m.overloaded_sectors,
        "sites_per_km2": n_sites / m.area_km2 if m.area_km2 > 0 else float("nan"),
        "targets_met": m.ok,
        "shortfall": "; ".join(m.failures),
        "limiting": limiting,
        "dimensioning": [d.as_dict() for d in plan.dimensions],
        "sectors_by_antenna": (sec["antenna"].value_counts().to_dict() if len(sec) else {}),
        "sectors_by_band": sec["band"].value_counts().to_dict() if len(sec) else {},
        "timings": plan.timings,
        "demand": {k: v for k, v in demand.params.items()},
    }
    rec["hist"] = _hist(plan, scope, task.config.targets)
    return rec


def _write_city_rasters(run: RunDir, out: CityOutput) -> None:
    from nrplan.io.raster import write_cog

    if not out.rasters:
        return
    d = run.raster_dir(out.key)
    specs = {
        "rsrp": ("SS-RSRP [dBm]", np.float32(np.nan)),
        "sinr": ("SINR [dB]", np.float32(np.nan)),
        "dl_mbps": ("DL user rate at busy-hour load [Mbit/s]", np.float32(np.nan)),
        "ul_mbps": ("UL user rate at busy-hour load [Mbit/s]", np.float32(np.nan)),
        "best_server": ("best-server sector index (-1 none)", -1),
    }
    for name, (desc, nodata) in specs.items():
        write_cog(d / f"{name}.tif", out.rasters[name], out.grid, nodata=nodata, description=desc)


def plan_regions(
    regions: list[Region],
    config: PlanConfig,
    out: str | Path,
    scheduler: str = "serial",
    population: str | None = None,
    extent: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    command: str = "",
    existing_lonlat: np.ndarray | None = None,
    report: bool = True,
) -> dict[str, Any]:
    """Plan every region into the run directory ``out``; resume finished ones.

    Parameters
    ----------
    regions : list of Region
        The regions (cities) to plan.
    config : PlanConfig
        Plan settings (the same for all regions).
    out : path
        Run directory.
    scheduler : str
        ``"serial"``, ``"processes"`` or a Dask scheduler address.
    population : str, optional
        Population raster or points file for user regions.
    extent : {"built_up", "region"}, optional
        Planning-grid extent (see :func:`nrplan.demand.build_demand`).
    progress : callable, optional
        Called as ``progress(city_name, done, total)`` after each city.
    command : str
        The command line, recorded in the summary.
    existing_lonlat : ndarray, shape (n, 2), optional
        Existing sites (lon, lat) [deg] to reuse in preference to new ones.
    report : bool
        Write ``report.html`` (:func:`nrplan.report.write_report`) at the end.

    Returns
    -------
    dict
        The summary written to ``summary.json``.
    """
    t0 = time.perf_counter()
    cfg_dict = config.model_dump(mode="json")
    cfg_dict["_inputs"] = {
        "regions": [str(r.id) for r in regions],
        "population": population,
        "extent": extent,
        "existing_sites": 0 if existing_lonlat is None else len(existing_lonlat),
    }
    run = RunDir(out, cfg_dict)
    tasks = []
    for r in regions:
        key = city_key(r.id, r.name)
        if not run.is_done(key):
            tasks.append(CityTask(key, r, config, population, extent, existing_lonlat))
    total = len(regions)
    done = total - len(tasks)
    if progress:
        progress("", done, total)
    for _, result in run_tasks(plan_city, tasks, scheduler):
        if config.rasters:
            _write_city_rasters(run, result)
        run.write_city(result.key, result.record, result.sectors)
        done += 1
        if progress:
            progress(result.record["name"], done, total)
    records, sectors = run.load_cities()
    summary = build_summary(records, config, time.perf_counter() - t0, command)
    run.write_summary(summary)
    run.write_cities_csv(cities_table(records))
    run.write_sites_gpkg(sectors)
    if report:
        from nrplan.report import write_report

        write_report(run.path)
    return summary


def cities_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per city, the columns a planner reads first."""
    cols = [
        "id",
        "name",
        "name_zh",
        "province_en",
        "level",
        "sites",
        "sectors",
        "new_sites",
        "reused_sites",
        "target_area_km2",
        "target_population",
        "area_coverage",
        "population_coverage",
        "indoor_population_coverage",
        "sinr_p5",
        "sinr_p50",
        "dl_p5",
        "dl_p50",
        "ul_p5",
        "ul_p50",
        "load_mean",
        "load_max",
        "sites_per_km2",
        "targets_met",
        "shortfall",
    ]
    df = pd.DataFrame(records)
    for c in cols:
        if c not in df:
            df[c] = np.nan
    df = df[cols].copy()
    df["limiting"] = [",".join(sorted(set(r.get("limiting", {}).values()))) for r in records]
    return df.sort_values("sites", ascending=False, kind="stable").reset_index(drop=True)


def _pct_from_hist(counts: np.ndarray, edges: np.ndarray, q: float) -> float:
    total = counts.sum()
    if total == 0:
        return float("nan")
    cum = np.cumsum(counts) / total
    k = int(np.searchsorted(cum, q / 100.0))
    k = min(k, len(counts) - 1)
    prev = cum[k - 1] if k else 0.0
    frac = (q / 100.0 - prev) / max(cum[k] - prev, 1e-12)
    return float(edges[k] + frac * (edges[k + 1] - edges[k]))


def build_summary(
    records: list[dict[str, Any]], config: PlanConfig, seconds: float, command: str = ""
) -> dict[str, Any]:
    """National KPIs from the city records (sums, weighted means, merged histograms)."""
    import nrplan

    def tot(key: str) -> float:
        return float(sum(r.get(key, 0) or 0 for r in records))

    area = tot("target_area_km2")
    pop = tot("target_population")

    def wmean(key: str, weight: str) -> float:
        w = np.array([r.get(weight, 0) or 0 for r in records], float)
        v = np.array([r.get(key, np.nan) for r in records], float)
        ok = np.isfinite(v) & (w > 0)
        return float(np.sum(v[ok] * w[ok]) / np.sum(w[ok])) if ok.any() else float("nan")

    national: dict[str, Any] = {
        "cities": len(records),
        "cities_meeting_targets": int(sum(bool(r.get("targets_met")) for r in records)),
        "sites": int(tot("sites")),
        "sectors": int(tot("sectors")),
        "new_sites": int(tot("new_sites")),
        "reused_sites": int(tot("reused_sites")),
        "target_area_km2": area,
        "target_population": pop,
        "population": tot("population"),
        "users": tot("users"),
        "busy_hour_dl_gbps": tot("busy_hour_dl_mbps") / 1000.0,
        "area_coverage": wmean("area_coverage", "target_area_km2"),
        "population_coverage": wmean("population_coverage", "target_population"),
        "indoor_population_coverage": wmean("indoor_population_coverage", "target_population"),
        "load_mean": wmean("load_mean", "sectors"),
        "load_max": max((r.get("load_max", 0) or 0 for r in records), default=0.0),
        "sites_per_km2": tot("sites") / area if area > 0 else float("nan"),
    }
    for name, edges in HIST_EDGES.items():
        counts = np.zeros(len(edges) - 1)
        for r in records:
            h = r.get("hist", {}).get(name)
            if h:
                counts += np.asarray(h)
        short = name.split("_")[0]
        for q in (5, 50, 95):
            national[f"{short}_p{q}"] = _pct_from_hist(counts, edges, q)
    limiting: dict[str, int] = {}
    for r in records:
        for v in r.get("limiting", {}).values():
            limiting[v] = limiting.get(v, 0) + 1
    national["limiting_factor_counts"] = limiting
    if config.operators == "separate":
        national["note"] = (
            "two separate networks: each operator builds the plan below; totals for both are "
            "twice the site and sector counts"
        )
        national["sites_both_operators"] = 2 * national["sites"]
    cities = [{k: v for k, v in r.items() if k not in ("hist",)} for r in records]
    from nrplan.plan.economics import plan_economics

    economics = plan_economics(records, config)
    return {
        "nrplan_version": nrplan.__version__,
        "created_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "seed": config.seed,
        "year": config.year,
        "operators": config.operators,
        "operator_share": OPERATOR_SHARES[config.operators],
        "config": config.model_dump(mode="json"),
        "models": _model_settings(),
        "versions": _versions(),
        "national": national,
        "economics": economics,
        "cities": cities,
        "timings": {
            "wall_s": seconds,
            "city_cpu_s": tot_timing(records, "city_total_s"),
            "predict_s": tot_timing(records, "predict_s"),
            "demand_s": tot_timing(records, "demand_s"),
        },
        "platform": platform.platform(),
    }


def tot_timing(records: list[dict[str, Any]], key: str) -> float:
    return float(sum(r.get("timings", {}).get(key, 0.0) for r in records))


def _model_settings() -> dict[str, Any]:
    from nrplan.engine import PredictionConfig

    pc = PredictionConfig()
    settings = pc.settings() if hasattr(pc, "settings") else {}
    return {
        "pathloss": "3GPP TR 38.901 Table 7.4.1-1, LOS probability Table 7.4.2-1",
        "o2i": "3GPP TR 38.901 7.4.3 low/high-loss mix per morphology",
        "antenna": "3GPP TR 38.901 Table 7.3-1 element; massive-MIMO beam profiles",
        "rates": "TS 38.214 CQI tables, TS 38.306 4.1.2",
        "prediction": settings,
    }


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("numpy", "scipy", "numba", "geopandas", "shapely", "pyproj", "rasterio"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
