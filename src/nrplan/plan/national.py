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
import importlib.metadata as md
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nrplan import __version__
from nrplan.demand.build import DemandParams, build_demand
from nrplan.errors import NrplanInputError
from nrplan.geo.projection import WGS84, transformer, true_bearing_deg
from nrplan.geo.region import Region
from nrplan.io.raster import write_cog
from nrplan.io.rundir import RunDir, city_key
from nrplan.morphology import MORPHOLOGIES
from nrplan.parallel import run_tasks
from nrplan.plan.city import HIST_EDGES, CityPlan, assemble_raster, plan_clusters, prediction_config
from nrplan.plan.config import PlanConfig
from nrplan.plan.economics import combine_economics, plan_economics
from nrplan.plan.evaluate import percentile_from_hist
from nrplan.plan.networks import OPERATOR_SHARES, Network, network_config, networks_for
from nrplan.plan.records import SCHEMA_VERSION, CityResult
from nrplan.radio.bands import get_band
from nrplan.terrain import prepare_terrain
from nrplan.terrain.rasters import describe_files

__all__ = [
    "HIST_EDGES",
    "OPERATOR_SHARES",
    "CityTask",
    "plan_city",
    "plan_regions",
]


#: National percentiles: (histogram of :data:`HIST_EDGES`, summary key prefix).
#: SS-SINR over all users and outdoors, PDSCH SINR and rates over covered users.
NATIONAL_PERCENTILES = (
    ("ss_sinr_db", "sinr"),
    ("ss_sinr_outdoor_db", "ss_sinr_outdoor"),
    ("pdsch_sinr_db", "pdsch_sinr"),
    ("dl_mbps", "dl"),
    ("ul_mbps", "ul"),
)


@dataclass(frozen=True)
class CityTask:
    """Everything a worker needs to plan one region (picklable)."""

    key: str
    region: Region
    config: PlanConfig
    population: str | None = None
    extent: str | None = None
    existing_lonlat: np.ndarray | None = None
    network: Network | None = None
    terrain_files: Any = None  # nrplan.terrain.TerrainFiles (docs/terrain.md)

    @property
    def net(self) -> Network:
        """The network planned (the one of ``config.operators`` by default)."""
        return self.network if self.network is not None else networks_for(self.config)[0]


@dataclass
class CityOutput:
    """What a worker sends back: the typed record, the sectors, the rasters."""

    key: str
    result: CityResult
    sectors: pd.DataFrame
    rasters: dict[str, np.ndarray]
    grid: Any

    @property
    def record(self) -> dict[str, Any]:
        """The record as its checkpoint stores it (the keys it has; see
        :meth:`CityResult.to_dict`)."""
        return self.result.to_dict(present_only=True)


def plan_city(task: CityTask) -> CityOutput:
    """Build the demand of one region and plan it (runs in a worker)."""
    t0 = time.perf_counter()
    net = task.net
    config = network_config(task.config, net)
    params = DemandParams(operator_share=net.user_share, **config.demand_overrides)
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
        attrs = {k: v for k, v in task.region.attrs.items() if k != "area_km2"}
        empty = CityResult(
            key=task.key,
            city_id=str(task.region.id),
            name=task.region.name,
            network=net.name,
            sites=0,
            sectors=0,
            target_area_km2=0.0,
            target_population=0.0,
            targets_met=True,
            shortfall="",
            note=str(exc),
            limiting={},
            timings_s={"city_total_s": time.perf_counter() - t0},
            attrs=attrs,
            json_keys=frozenset(_EMPTY_CITY_KEYS) | frozenset(attrs),
        )
        return CityOutput(task.key, empty, pd.DataFrame(), {}, None)
    t_demand = time.perf_counter() - t0
    # a user's own area is planned whole; China units cover the year's scope
    scope = demand.mask if task.extent == "region" else demand.built_up
    terrain, morphology, terrain_note = _city_terrain(task, config, demand)
    plan = plan_clusters(
        demand.grid,
        morphology,
        scope,
        demand.population,
        demand.dl_mbps,
        demand.ul_mbps,
        config,
        name=task.region.name,
        existing_xy=_existing_xy(task.existing_lonlat, demand.grid),
        keep_rasters=config.rasters,
        terrain=terrain,
    )
    plan.timings["demand_s"] = t_demand
    plan.timings["city_total_s"] = time.perf_counter() - t0
    sectors = _with_lonlat(plan.sectors, demand.grid.crs)
    sectors.insert(0, "network", net.name)
    sectors.insert(1, "city", task.region.name)
    sectors.insert(2, "city_id", str(task.region.id))
    site_index = sectors["site_index"] if "site_index" in sectors else []
    prefix = f"{net.name}-" if len(networks_for(task.config)) > 1 else ""
    sectors.insert(3, "site_id", [f"{prefix}{task.region.id}-{i:05d}" for i in site_index])
    record = _city_record(task, plan, demand, scope, terrain_note)
    rasters = {"windows": plan.windows, "rasters": plan.rasters} if config.rasters else {}
    return CityOutput(task.key, record, sectors, rasters, demand.grid)


def _city_terrain(task: CityTask, config: PlanConfig, demand):
    """The user's terrain / clutter on the city's grid: ``(Terrain or None,
    morphology, note)``. A China city the rasters do not reach is planned on
    flat ground (the note says so); a user's own area must be covered."""
    files = task.terrain_files
    if files is None or not files.any:
        return None, demand.morphology, None

    f_lo = min(get_band(layer.band).f_c_ghz for layer in config.layers.values())
    try:
        terrain, morph, records = prepare_terrain(demand.grid, demand.morphology, files, f_ghz=f_lo)
    except NrplanInputError as exc:
        if task.extent == "region" or "does not overlap" not in str(exc):
            raise
        return None, demand.morphology, {"model": "flat", "reason": str(exc)}
    note = {"model": "terrain", "sources": records}
    return terrain, morph, note


def _existing_xy(lonlat: np.ndarray | None, grid) -> np.ndarray | None:
    """Existing sites (lon, lat) projected to the grid CRS, those on the grid only."""
    if lonlat is None or len(lonlat) == 0:
        return None
    tr = transformer(WGS84, grid.crs)
    x, y = tr.transform(lonlat[:, 0], lonlat[:, 1])
    xmin, ymin, xmax, ymax = grid.bounds
    on = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
    return np.column_stack([x[on], y[on]]) if on.any() else None


def _with_lonlat(frame: pd.DataFrame, crs: str) -> pd.DataFrame:
    """Add WGS84 ``lon``, ``lat`` to a sector frame in ``crs`` and turn its
    ``azimuth_deg`` (grid azimuths of the planner) into bearings from true north,
    as ``sites.gpkg`` and ``sites.csv`` state them."""
    out = frame.copy()
    if out.empty:
        out["lon"] = []
        out["lat"] = []
        return out
    x = out["x"].to_numpy(float)
    y = out["y"].to_numpy(float)
    lon, lat = transformer(crs, WGS84).transform(x, y)
    out["lon"] = np.round(lon, 7)
    out["lat"] = np.round(lat, 7)
    if "azimuth_deg" in out.columns:
        az = true_bearing_deg(out["azimuth_deg"].to_numpy(float), x, y, crs)
        # 1e-6 deg; 359.9999999 after rounding is 360 -> 0
        out["azimuth_deg"] = np.mod(np.round(np.atleast_1d(az), 6), 360.0)
    return out


#: The keys of the record of a city with nothing in the year's coverage scope.
_EMPTY_CITY_KEYS = (
    "key id name network sites sectors target_area_km2 target_population targets_met "
    "shortfall note limiting timings"
).split()


def _city_record(
    task: CityTask, plan: CityPlan, demand, scope, terrain: dict[str, Any] | None = None
) -> CityResult:
    """The typed record of a planned city (``terrain``: the terrain note, if any)."""
    m = plan.metrics
    sec = plan.sectors
    n_sites = len(plan.sites)
    return CityResult(
        key=task.key,
        city_id=str(task.region.id),
        name=task.region.name,
        network=task.net.name,
        attrs={k: v for k, v in task.region.attrs.items() if k != "area_km2"},
        region_area_km2=float(task.region.attrs.get("area_km2", np.nan)),
        crs=demand.grid.crs,
        grid_shape=list(demand.grid.shape),
        resolution_m=demand.grid.pixel_m,
        sites=n_sites,
        sectors=len(sec),
        reused_sites=int(plan.sites.reused.sum()) if n_sites else 0,
        new_sites=int((~plan.sites.reused).sum()) if n_sites else 0,
        sites_added={o: int((plan.sites.origin == o).sum()) for o in ("coverage", "capacity")}
        if n_sites
        else {},
        pruned_sites=plan.pruned,
        iterations=plan.iterations,
        target_area_km2=m.area_km2,
        target_population=m.population,
        population=demand.total_population,
        users=demand.total_users,
        busy_hour_dl_mbps=float(demand.dl_mbps.sum(dtype=np.float64)),
        busy_hour_ul_mbps=float(demand.ul_mbps.sum(dtype=np.float64)),
        area_coverage_share=m.area_coverage,
        population_coverage_share=m.population_coverage,
        indoor_population_coverage_share=m.indoor_population_coverage,
        user_coverage_share=m.user_coverage,
        edge_dl_mbps=m.edge_dl_mbps,
        edge_ul_mbps=m.edge_ul_mbps,
        edge_dl_fail_share=m.edge_dl_fail_share,
        edge_ul_fail_share=m.edge_ul_fail_share,
        ss_sinr_p5_db=m.sinr_p5,
        ss_sinr_p50_db=m.sinr_p50,
        ss_sinr_p95_db=m.sinr_p95,
        ss_sinr_outdoor_p5_db=m.ss_sinr_outdoor_p5,
        ss_sinr_outdoor_p50_db=m.ss_sinr_outdoor_p50,
        ss_sinr_outdoor_p95_db=m.ss_sinr_outdoor_p95,
        ss_sinr_indoor_p50_db=m.ss_sinr_indoor_p50,
        pdsch_sinr_p5_db=m.pdsch_sinr_p5,
        pdsch_sinr_p50_db=m.pdsch_sinr_p50,
        pdsch_sinr_p95_db=m.pdsch_sinr_p95,
        dl_p5_mbps=m.dl_p5,
        dl_p50_mbps=m.dl_p50,
        dl_p95_mbps=m.dl_p95,
        ul_p5_mbps=m.ul_p5,
        ul_p50_mbps=m.ul_p50,
        ul_p95_mbps=m.ul_p95,
        load_mean_share=m.load_mean,
        load_p95_share=m.load_p95,
        load_max_share=m.load_max,
        overloaded_sectors=m.overloaded_sectors,
        sites_per_km2=n_sites / m.area_km2 if m.area_km2 > 0 else float("nan"),
        isd_by_class=_isd_by_class(plan, demand.morphology, scope),
        targets_met=m.ok,
        shortfall="; ".join(m.failures),
        limiting={d.name: d.limiting for d in plan.dimensions},
        dimensioning=[d.as_dict() for d in plan.dimensions],
        sectors_by_antenna=sec["antenna"].value_counts().to_dict() if len(sec) else {},
        sectors_by_band=sec["band"].value_counts().to_dict() if len(sec) else {},
        timings_s=plan.timings,
        demand=dict(demand.params.items()),
        prediction=plan.meta.get("prediction", {}),
        hist=plan.hist,
        terrain=terrain,
    )


def _task_size(region: Region) -> float:
    """Planning work expected of a region: its settlements' people (the built-up
    area scales with them), or its area for a user's region without them."""
    try:
        pop = float(region.settlement_population)
    except (AttributeError, TypeError, ValueError):
        pop = 0.0
    return pop if pop > 0 else float(region.attrs.get("area_km2", 0.0) or 0.0)


def _isd_by_class(plan: CityPlan, morphology: np.ndarray, scope: np.ndarray) -> dict:
    """ISD per morphology class [m]: the dimensioned one, and the one the
    plan's site density in the class's in-scope area implies on a hexagonal
    lattice (``ISD = sqrt(2 A / (sqrt(3) n))``)."""
    px = plan.grid.pixel_area_km2 if plan.grid is not None else 0.0
    out = {}
    for d in plan.dimensions:
        area = float((scope & (morphology == d.code)).sum()) * px
        n = int((plan.sites.morphology == d.code).sum()) if len(plan.sites) else 0
        planned = float(np.sqrt(2.0 * area * 1e6 / (np.sqrt(3.0) * n))) if n else float("nan")
        out[MORPHOLOGIES[d.code].name] = {
            "dimensioned_m": d.isd_m,
            "planned_m": planned,
            "sites": n,
            "area_km2": area,
        }
    return out


def _write_city_rasters(run: RunDir, out: CityOutput) -> None:
    """Write the city's rasters one at a time (a plan of separate clusters is
    assembled from its windows raster by raster, so at most one full-grid
    array is held)."""
    if not out.rasters:
        return
    full = out.rasters.get("rasters") or {}
    windows = out.rasters.get("windows") or []
    if not full and not windows:
        return
    d = run.raster_dir(out.key)
    specs = {
        "rsrp": ("SS-RSRP, outdoor median [dBm]", np.float32(np.nan)),
        "sinr": ("SS-SINR at full SSB load, outdoor median [dB]", np.float32(np.nan)),
        "pdsch_sinr": ("PDSCH SINR at the planning load, outdoor median [dB]", np.float32(np.nan)),
        "dl_mbps": ("DL rate of the median outdoor user at busy-hour load [Mbit/s]", np.nan),
        "ul_mbps": ("UL rate of the median outdoor user at busy-hour load [Mbit/s]", np.nan),
        "coverage": ("covered share of the pixel's users (indoor included)", np.nan),
        "best_server": ("best-server sector index (-1 none)", -1),
    }
    for name, (desc, nodata) in specs.items():
        arr = assemble_raster(out.grid, full, windows, name)
        if arr is not None:
            write_cog(d / f"{name}.tif", arr, out.grid, nodata=nodata, description=desc)
        del arr


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
    terrain_files=None,
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
    terrain_files : nrplan.terrain.TerrainFiles, optional
        The user's DEM / DSM / clutter rasters (``docs/terrain.md``); cities they
        do not reach are planned on flat ground and listed in the summary.

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
    if terrain_files is not None and terrain_files.any:
        cfg_dict["_inputs"]["terrain"] = describe_files(terrain_files)
    run = RunDir(out, cfg_dict)
    nets = networks_for(config)
    tasks = []
    for net in nets:
        for r in regions:
            key = city_key(r.id, r.name) + (f"_{net.name}" if len(nets) > 1 else "")
            if not run.is_done(key):
                tasks.append(
                    CityTask(
                        key, r, config, population, extent, existing_lonlat, net, terrain_files
                    )
                )
    # the largest first: a big city started last would run alone at the end
    tasks.sort(key=lambda t: -_task_size(t.region))
    total = len(regions) * len(nets)
    done = total - len(tasks)
    if progress:
        progress("", done, total)
    for _, result in run_tasks(plan_city, tasks, scheduler):
        if config.rasters:
            _write_city_rasters(run, result)
        run.write_city(result.key, result.record, result.sectors)
        done += 1
        if progress:
            progress(result.result.name, done, total)
    records, sectors = run.load_cities()
    summary = build_summary(records, config, time.perf_counter() - t0, command)
    if terrain_files is not None and terrain_files.any:
        summary["terrain"] = {
            "inputs": cfg_dict["_inputs"]["terrain"],
            "flat_cities": sorted(
                r["name"] for r in records if (r.get("terrain") or {}).get("model") == "flat"
            ),
        }
    run.write_summary(summary)
    run.write_cities_csv(cities_table(records))
    run.write_sites_gpkg(sectors)
    return summary


def cities_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per city, the columns a planner reads first."""
    cols = [
        "network",
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
        "users",
        "census_population",
        "census_corrected",
        "area_coverage",
        "population_coverage",
        "indoor_population_coverage",
        "user_coverage",
        "sinr_p5",
        "sinr_p50",
        "ss_sinr_outdoor_p50",
        "pdsch_sinr_p50",
        "edge_dl_mbps",
        "edge_ul_mbps",
        "dl_p50",
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
    for cls in ("urban_core", "dense_urban", "urban", "suburban", "rural"):
        df[f"isd_{cls}_m"] = [
            (r.get("isd_by_class") or {}).get(cls, {}).get("planned_m", np.nan) for r in records
        ]
    return df.sort_values("sites", ascending=False, kind="stable").reset_index(drop=True)


def build_summary(
    records: list[dict[str, Any]], config: PlanConfig, seconds: float, command: str = ""
) -> dict[str, Any]:
    """The run summary: national KPIs and economics, per network and in total.

    With one network (``single``, ``shared``, ``separate``) ``national`` and
    ``economics`` are that network's; with several (``china-2020``) they are
    the total of the networks (:func:`combine_national`,
    :func:`nrplan.plan.economics.combine_economics`) and ``networks`` holds
    each one's own.
    """
    nets = networks_for(config)
    parts: dict[str, dict[str, Any]] = {}
    econ: dict[str, dict[str, Any]] = {}
    for net in nets:
        ncfg = network_config(config, net)
        recs = [r for r in records if r.get("network", nets[0].name) == net.name]
        econ[net.name] = plan_economics([CityResult.from_dict(r) for r in recs], ncfg)
        parts[net.name] = {
            "label": net.label,
            "operators": list(net.operators),
            "user_share": net.user_share,
            "bands": sorted({layer.band for layer in ncfg.layers.values()}),
            "national": national_kpis(recs, ncfg),
            "economics": econ[net.name]["national"],
        }
    if len(nets) == 1:
        national = parts[nets[0].name]["national"]
        economics = econ[nets[0].name]
    else:
        national = combine_national(records, parts, config)
        economics = combine_economics(econ)
    cities = [{k: v for k, v in r.items() if k not in ("hist",)} for r in records]
    return {
        "schema_version": SCHEMA_VERSION,
        "nrplan_version": __version__,
        "created_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "seed": config.seed,
        "year": config.year,
        "operators": config.operators,
        "operator_share": float(sum(n.user_share for n in nets)),
        "networks": parts,
        "config": config.model_dump(mode="json"),
        "models": _model_settings(config),
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


def national_kpis(
    records: list[dict[str, Any]],
    config: PlanConfig,
    weight: Callable[[dict[str, Any]], float] | None = None,
) -> dict[str, Any]:
    """National KPIs from city records: sums, weighted means, merged histograms.

    ``weight(record)`` scales each record's share in the means and the merged
    user histograms (default 1: records of one network).
    """

    def w(r: dict[str, Any]) -> float:
        return 1.0 if weight is None else float(weight(r))

    def tot(key: str) -> float:
        return float(sum(r.get(key, 0) or 0 for r in records))

    area = tot("target_area_km2")
    pop = tot("target_population")

    def wmean(key: str, by: str) -> float:
        ws = np.array([(r.get(by, 0) or 0) * w(r) for r in records], float)
        v = np.array([r.get(key, np.nan) for r in records], float)
        ok = np.isfinite(v) & (ws > 0)
        return float(np.sum(v[ok] * ws[ok]) / np.sum(ws[ok])) if ok.any() else float("nan")

    def hist(name: str) -> np.ndarray:
        counts = np.zeros(len(HIST_EDGES[name]) - 1)
        for r in records:
            h = r.get("hist", {}).get(name)
            if h and len(h) == counts.size:
                counts += w(r) * np.asarray(h)
        return counts

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
        "user_coverage": wmean("user_coverage", "target_population"),
        "load_mean": wmean("load_mean", "sectors"),
        "load_max": max((r.get("load_max", 0) or 0 for r in records), default=0.0),
        "sites_per_km2": tot("sites") / area if area > 0 else float("nan"),
    }
    for name, short in NATIONAL_PERCENTILES:
        counts = hist(name)
        for q in (5, 50, 95):
            national[f"{short}_p{q}"] = percentile_from_hist(counts, HIST_EDGES[name], q)
    q = config.targets.edge_percentile
    for name, key in (("dl_mbps", "edge_dl_mbps"), ("ul_mbps", "edge_ul_mbps")):
        national[key] = percentile_from_hist(hist(name), HIST_EDGES[name], q)
    national["isd_by_class"] = _national_isd(records)
    national["kpi_definitions"] = KPI_DEFINITIONS
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
    return national


def combine_national(
    records: list[dict[str, Any]], parts: dict[str, dict[str, Any]], config: PlanConfig
) -> dict[str, Any]:
    """National KPIs of several networks over the same cities.

    Counts (sites, sectors, users, traffic) are the networks' sums; the
    scope (area, population) is the networks' common one; coverage, SINR and
    rate KPIs are over the users of all networks (each network's records
    weighted by its user share); a city meets the targets when every network
    does there; ISDs are per network only (``networks``).
    """
    share = {name: p["user_share"] for name, p in parts.items()}
    nat = national_kpis(records, config, weight=lambda r: share[r["network"]])
    for key in ("target_area_km2", "target_population", "population"):
        nat[key] = max(p["national"][key] for p in parts.values())
    area = nat["target_area_km2"]
    nat["sites_per_km2"] = nat["sites"] / area if area > 0 else float("nan")
    met: dict[str, bool] = {}
    for r in records:
        met[r["id"]] = met.get(r["id"], True) and bool(r.get("targets_met"))
    nat["cities"] = len(met)
    nat["cities_meeting_targets"] = int(sum(met.values()))
    nat["networks"] = list(parts)
    nat["sites_by_network"] = {name: p["national"]["sites"] for name, p in parts.items()}
    del nat["isd_by_class"]
    return nat


#: What each national KPI is measured over (written into summary.json).
KPI_DEFINITIONS = {
    "area_coverage": "share of the in-scope area where an outdoor user is covered",
    "population_coverage": "share of the outdoor users covered",
    "indoor_population_coverage": "share of the indoor users (low- and high-loss buildings) "
    "covered from the macro sites",
    "user_coverage": "share of all users covered",
    "covered": "SS-RSRP >= target and SS-SINR >= target, body loss, O2I loss and shadowing "
    "included",
    "sinr_p*": "SS-SINR (SSB against the neighbours' SSBs at full SSB load) over all users",
    "ss_sinr_outdoor_p*": "SS-SINR over the outdoor users (what drive tests measure)",
    "pdsch_sinr_p*": "PDSCH SINR with the neighbours at the planning load, over covered users",
    "dl_p*, ul_p*, edge_*_mbps": "user rates at the busy-hour load of the serving cell over "
    "covered users, indoor included; edge = the targets' edge percentile (5th by default)",
    "users": "population-weighted: every resident of the scope counts as a potential user "
    "(the network's 5G users, the 'users' total, are a share of them)",
    "load_*": "busy-hour PRB load of the sectors",
}


def _national_isd(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Per class: the site-weighted planned ISD and the range over cities [m]."""
    out: dict[str, Any] = {}
    by: dict[str, list[tuple[float, float, int]]] = {}
    for r in records:
        for name, v in (r.get("isd_by_class") or {}).items():
            if v.get("sites"):
                by.setdefault(name, []).append((v["area_km2"], v["planned_m"], v["sites"]))
    for name, rows in by.items():
        area = sum(a for a, _, _ in rows)
        n = sum(k for _, _, k in rows)
        isds = [i for _, i, _ in rows if np.isfinite(i)]
        out[name] = {
            "planned_m": float(np.sqrt(2.0 * area * 1e6 / (np.sqrt(3.0) * n))) if n else None,
            "sites": n,
            "area_km2": area,
            "city_min_m": float(min(isds)) if isds else None,
            "city_max_m": float(max(isds)) if isds else None,
        }
    return out


def tot_timing(records: list[dict[str, Any]], key: str) -> float:
    return float(sum(r.get("timings", {}).get(key, 0.0) for r in records))


def _model_settings(config: PlanConfig) -> dict[str, Any]:
    return {
        "pathloss": "3GPP TR 38.901 Table 7.4.1-1, LOS probability Table 7.4.2-1",
        "o2i": "3GPP TR 38.901 7.4.3: each indoor user in a low- OR a high-loss building",
        "users": "outdoor / indoor low-loss / indoor high-loss mixture per morphology class "
        "(ITU-R M.2412 Table 8-2), shadowing and O2I spread as distributions",
        "antenna": "3GPP TR 38.901 Table 7.3-1 element; massive-MIMO beam profiles; "
        "interferers' traffic beams averaged over their steering range",
        "sinr": "SS-SINR at full SSB load (coverage); PDSCH SINR at the planning load "
        f"{config.link.planning_load:g} (rates)",
        "rates": "TS 38.214 CQI tables, TS 38.306 4.1.2",
        "prediction": prediction_config(config).settings(),
        "morphology": {
            m.name: {
                "scenario": m.scenario,
                "indoor_share": m.indoor_share,
                "high_loss_share": m.high_loss_share,
                "h_ut_indoor_m": m.h_ut_indoor_m,
                "source": m.source,
            }
            for m in (config.morphology_class(code) for code in MORPHOLOGIES)
        },
    }


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("numpy", "scipy", "numba", "geopandas", "shapely", "pyproj", "rasterio"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out
