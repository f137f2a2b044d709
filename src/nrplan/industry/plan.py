"""Plan a private industrial network end to end and write its run directory.

Steps: read the site polygon (WGS84) and project it to its local UTM zone;
rasterise it on a grid; draw the zones where classes need their targets
(:mod:`nrplan.industry.zones`: crane rows, AGV lanes, haul roads, the pit
floor; unbound classes over the whole site); for every candidate unit type
of the site's zone kind (:mod:`nrplan.industry.equipment`,
:mod:`nrplan.industry.sizing`), place units on the layout (site-aligned
ceiling / pole grid, rim masts, existing poles; :mod:`nrplan.industry.layout`),
evaluate reliability per class, SINR and UL rate through the TR 38.901
models and antenna patterns (:mod:`nrplan.industry.evaluate`), compute the
cell loads from the inventory, and shrink the spacing until every class
whose latency budget can be met reaches its reliability (time-availability)
target over ``area_fraction`` of its zone and every cell stays within the
load limit, or the minimum spacing of the unit kind is reached, or
densification stops helping (interference-limited), or the layout already
costs more than a cheaper type's plan. The cheapest type meeting the targets
is kept (else the one closest to them, with the shortfall reported:
``stop_reason``, ``shortfall``); every candidate is reported in
``unit_choice``. On large sites the search runs on a coarser grid
(:data:`SEARCH_PIXELS`) and the kept layout is confirmed, and densified
further if needed, at the requested resolution.

The availability of a class counts the HARQ transmissions that fit in its
latency bound (:attr:`ClassLatency.max_transmissions_in_bound`), at most
``profile.harq_max_tx``.

The plan carries its cost and energy (capex, yearly opex, kWh, TCO;
:mod:`nrplan.industry.economics`) in ``summary.json["economics"]``.

The run directory (written atomically: built under a temporary name and
renamed into place) holds ``summary.json``, ``classes.csv``, ``sites.gpkg``
and GeoTIFF rasters (``sinr_db``, ``ul_mbps``, ``best_server``,
``reliability_<class>`` (time availability) and ``location_<class>``
(location reliability under correlated lognormal shadowing with the N
serving links as macro-diversity; reported, the targets use the time
availability)).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from nrplan.errors import NrplanInputError, check_range
from nrplan.geo.projection import local_crs, to_local, transformer
from nrplan.geo.region import read_area_polygon
from nrplan.grid import Grid
from nrplan.industry.capacity import cell_loads
from nrplan.industry.devices import Inventory
from nrplan.industry.economics import PrivateCost, unit_power_w
from nrplan.industry.evaluate import Evaluation, class_threshold_db, evaluate
from nrplan.industry.latency import ClassLatency, LatencyConfig, class_latency, symbol_map
from nrplan.industry.layout import candidate_positions, sector_azimuths
from nrplan.industry.profiles import IndustryBand, Profile, industry_band
from nrplan.industry.sizing import (
    candidate_units,
    cost_settings,
    initial_spacing,
    mount_on_poles,
    plan_cost,
    unit_tco_floor,
)
from nrplan.industry.zones import ZoneSpec, bind_classes, class_masks, zone_geometries
from nrplan.io.jsonutil import to_jsonable
from nrplan.io.raster import write_cog

__all__ = [
    "MAX_AREA_KM2",
    "PrivatePlan",
    "latency_config",
    "plan_private",
    "read_area",
    "write_plan",
]

#: Largest area planned without ``force`` [km^2]: bigger is not a private site.
MAX_AREA_KM2 = 100.0
#: Pixels of the grid the unit-type search runs on (coarser than the requested
#: resolution on large sites, never coarser than SEARCH_RES_MAX_M); the kept layout is
#: confirmed at the requested resolution.
SEARCH_PIXELS = 10_000
SEARCH_RES_MAX_M = 20.0
#: Densification stops after this many iterations without a better layout, once the
#: spacing is at most half the initial one (a sparse start may need several steps
#: before an inner unit appears).
PATIENCE = 3


def read_area(path: str | Path):
    """Union of the polygons of a GeoJSON/GeoPackage file, in WGS84.

    Read and checked by :func:`nrplan.geo.region.read_area_polygon` (unknown
    or mismatched CRS refused) and repaired per feature like a planning region;
    a feature that cannot be a site (a hole bigger than its shell, a
    zero-area ring, a point or line) is refused, naming the feature.
    """
    path = Path(path)
    if not path.exists():
        raise NrplanInputError("area", str(path), "an existing GeoJSON file")
    return read_area_polygon(path, "area")


def latency_config(profile: Profile, band: IndustryBand) -> LatencyConfig:
    """Latency settings of a profile on a band."""
    return LatencyConfig(
        scs_khz=band.scs_khz,
        tdd_pattern=profile.tdd_pattern,
        special_slot=profile.special_slot,
        mini_slot=profile.mini_slot,
        ue_capability=profile.ue_capability,
        ul_access=profile.ul_access,
        bler=profile.bler,
        bler_urllc=profile.bler_urllc,
        core=profile.core,
    )


@dataclass
class PrivatePlan:
    """Result of :func:`plan_private` (see the module docstring)."""

    profile: Profile
    band: IndustryBand
    inventory: Inventory
    grid: Grid
    mask: np.ndarray
    area_geom: Any
    units_xy: np.ndarray
    units_lonlat: np.ndarray
    evaluation: Evaluation
    ul_load: np.ndarray
    dl_load: np.ndarray
    latency: dict[str, ClassLatency]
    classes: list[dict[str, Any]]
    met: bool
    spacing_m: float
    iterations: int
    area_km2: float
    stop_reason: str
    seed: int
    timings: dict[str, float] = field(default_factory=dict)
    #: DL activity factor of each unit as an interferer in ``evaluation`` [0-1].
    activity: np.ndarray | None = None
    #: Class label -> HARQ transmissions counted in the reliability.
    transmissions: dict[str, int] = field(default_factory=dict)
    #: Compass azimuth of each cell [deg] (NaN for omni units).
    azimuth_deg: np.ndarray | None = None
    #: Unit-type choice: zone kind, chosen type, why, and every candidate tried.
    unit_choice: dict[str, Any] = field(default_factory=dict)
    #: Zones of the site: name, area [m^2], class labels bound to it.
    zones: list[dict[str, Any]] = field(default_factory=list)
    #: Class label -> zone its target applies on (None = the whole site).
    class_zone: dict[str, str | None] = field(default_factory=dict)
    #: Class label -> pixels (grid shape, bool) its target applies on.
    class_pixels: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_units(self) -> int:
        """Cells (sectors; one per omni unit)."""
        return int(self.units_xy.shape[0])

    @property
    def n_sites(self) -> int:
        """Sites (masts, poles, ceiling units): cells / sectors per site."""
        return self.n_units // int(self.profile.unit.sectors)

    def economics(self) -> PrivateCost:
        """Capex, opex, energy and TCO of the plan (:mod:`nrplan.industry.economics`,
        catalogue costs of :mod:`nrplan.industry.equipment`), one unit per site."""
        return plan_cost(self.profile, self.dl_load, self.area_km2, self.inventory)

    def summary(self) -> dict[str, Any]:
        """The content of ``summary.json``."""
        p = self.profile
        fails = [c["class"] for c in self.classes if not c["pass"]]
        return {
            "profile": p.name,
            "scenario": p.scenario,
            "band": self.band.name,
            "f_c_ghz": self.band.f_c_ghz,
            "bandwidth_mhz": self.band.bandwidth_mhz,
            "tdd_pattern": p.tdd_pattern,
            "special_slot": p.special_slot,
            "mini_slot": p.mini_slot,
            "area_km2": self.area_km2,
            "resolution_m": self.grid.pixel_m,
            "crs": self.grid.crs,
            "devices": self.inventory.total_devices,
            "offered_ul_mbps": self.inventory.ul_mbps(),
            "offered_dl_mbps": self.inventory.dl_mbps(),
            "sites": self.n_sites,
            "cells": self.n_units,
            "unit": p.unit.model_dump(),
            "unit_type": p.unit.type or "custom",
            "unit_choice": self.unit_choice,
            "zones": self.zones,
            "class_zones": self.class_zone,
            "spacing_m": self.spacing_m,
            "iterations": self.iterations,
            "min_spacing_m": p.min_spacing,
            "stop_reason": self.stop_reason,
            "targets": {
                "area_fraction": p.area_fraction,
                "redundancy": p.redundancy,
                "location_probability": p.location_probability,
                "load_limit": p.load_limit,
            },
            "targets_met": self.met,
            "classes_failing": fails,
            "shortfall": [
                {
                    "class": c["class"],
                    "reliability_target": c["reliability_target"],
                    "reliability_area_share": c["reliability_area_share"],
                    "area_fraction_needed": p.area_fraction,
                    "reliability_ok": c["reliability_ok"],
                    "latency_ok": c["latency_ok"],
                    "load_ok": c["load_ok"],
                }
                for c in self.classes
                if not c["pass"]
            ],
            "max_ul_load": float(self.ul_load.max()),
            "max_dl_load": float(self.dl_load.max()),
            "median_sinr_db": float(np.nanmedian(self.evaluation.sinr_db)),
            "economics": self.economics().as_dict(),
            "classes": self.classes,
            "method": (
                "time availability under Nakagami/Gamma fading with MRC diversity, "
                f"LOS Rice K of TR 38.901 Table 7.5-6, HARQ within the latency bound and "
                f"{p.redundancy}-fold redundancy (independent fading), LOS state static; "
                f"shadowing as a {p.location_probability:.0%} location margin "
                "(TR 38.901 Tables 7.4.1-1, 7.4.2-1); location reliability reported under "
                f"lognormal shadowing correlated {p.shadowing_correlation:g} between links; "
                "own evaluation through nrplan.radio "
                "(cross-checked with nrplan.engine: nrplan.industry.engine_check)"
            ),
            "seed": self.seed,
            "timings_s": self.timings,
            "profile_settings": p.model_dump(),
        }


def _grid_and_mask(geom_local, resolution: float, crs: str) -> tuple[Grid, np.ndarray]:
    grid = Grid.from_bounds(*geom_local.bounds, resolution, crs)
    xs, ys = grid.centers()
    mask = shapely.contains_xy(geom_local, xs, ys)
    if not mask.any():
        raise NrplanInputError("resolution", resolution, "small enough for pixels in the area")
    return grid, mask


def _class_rows(
    inventory: Inventory,
    ev: Evaluation,
    mask: np.ndarray,
    lat: dict[str, ClassLatency],
    profile: Profile,
    band: IndustryBand,
    smap,
    load_ok: bool,
    n_tx: dict[str, int],
    cmask: dict[str, np.ndarray] | None = None,
    bound: dict[str, str | None] | None = None,
) -> list[dict[str, Any]]:
    rows = []
    counts = inventory.counts()
    for lab, c in inventory.classes().items():
        m = mask if cmask is None else cmask[lab]
        r = ev.reliability[lab][m]
        loc = ev.location[lab][m]
        share = float(np.mean(r >= c.reliability))
        lt = lat[lab]
        rel_ok = share >= profile.area_fraction
        rows.append(
            {
                "class": lab,
                "count": counts[lab],
                "zone": (bound or {}).get(lab) or "whole site",
                "zone_pixels": int(m.sum()),
                "direction": c.direction,
                "ul_mbps_per_device": c.ul_rate_mbps,
                "dl_mbps_per_device": c.dl_rate_mbps,
                "reliability_target": c.reliability,
                "reliability_area_share": share,
                "reliability_p5": float(np.quantile(r, 0.05)),
                "reliability_ok": bool(rel_ok),
                "location_reliability_p5": float(np.quantile(loc, 0.05)),
                "location_area_share": float(np.mean(loc >= profile.location_probability)),
                "sinr_threshold_ul_db": (
                    class_threshold_db(c, "ul", band, profile, smap) if c.uses_ul else None
                ),
                "sinr_threshold_dl_db": (
                    class_threshold_db(c, "dl", band, profile, smap) if c.uses_dl else None
                ),
                "latency_bound_ms": c.latency_ms,
                "latency_worst_ms": lt.worst_ms,
                "latency_mean_ms": lt.mean_ms,
                "harq_transmissions": lt.transmissions,
                "harq_fit_in_bound": lt.max_transmissions_in_bound,
                "transmissions_in_reliability": n_tx[lab],
                "latency_ok": lt.ok,
                "load_ok": load_ok,
                "pass": bool(rel_ok and lt.ok and load_ok),
                "source": c.source,
            }
        )
    return rows


@dataclass
class _Ctx:
    """What every evaluation of one plan shares."""

    grid: Grid
    mask: np.ndarray
    geom: Any
    band: IndustryBand
    classes: dict
    smap: Any
    n_tx: dict[str, int]
    inventory: Inventory
    active: list[str]
    cmask: dict[str, np.ndarray]


def _cells(pts: np.ndarray, profile: Profile, geom) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cell positions and azimuths of sites at ``pts`` (sectors consecutive)."""
    n = int(profile.unit.sectors)
    if n == 1:
        return pts[:, 0].copy(), pts[:, 1].copy(), np.full(len(pts), np.nan)
    az = sector_azimuths(pts, geom, n).ravel()
    return np.repeat(pts[:, 0], n), np.repeat(pts[:, 1], n), az


def _run(ctx: _Ctx, profile: Profile, ux, uy, az, activity, location: bool = False):
    return evaluate(
        ctx.grid, ctx.mask, ux, uy, profile, ctx.band, ctx.classes, ctx.smap,
        activity=activity, transmissions=ctx.n_tx, location=location,
        azimuth=az if profile.unit.sectors > 1 else None,
    )  # fmt: skip


def _densify(ctx: _Ctx, profile: Profile, s0: float, poles, cost_cap: float) -> dict[str, Any]:
    """Shrink the spacing of one unit type until the targets hold (see the
    module docstring); stop early past ``cost_cap`` sites (dearer than a plan
    already found) or when no pole is usable."""
    min_s = profile.min_spacing
    s = max(s0, min_s)
    it = 0
    best: dict[str, Any] | None = None
    stale = 0
    reason = ""
    while True:
        it += 1
        pts = candidate_positions(ctx.geom, profile.unit.kind, s, poles)
        if poles is not None and len(poles) == 0:
            pts = np.zeros((0, 2))
        if pts.shape[0] == 0:
            reason = "no existing pole within the unit's mounting height range"
            best = best or {"score": (False, 0.0, 0.0, False, 0), "pts": pts, "met": False}
            break
        if pts.shape[0] > cost_cap:
            reason = f"stopped at {pts.shape[0]} sites: dearer than a cheaper unit type's plan"
            if best is None:
                best = {"score": (False, 0.0, 0.0, False, -len(pts)), "pts": pts, "met": False}
            break
        if pts.shape[0] < profile.redundancy and s > min_s * (1.0 + 1e-9):
            s = max(s * profile.shrink, min_s)  # too few sites for the redundancy
            continue
        ux, uy, az = _cells(pts, profile, ctx.geom)
        inv = ctx.inventory
        # Interference activity: first at the load limit (the worst a cell may
        # carry), then at each cell's own DL load (at least profile.dl_load).
        ev = _run(ctx, profile, ux, uy, az, profile.load_limit)
        ul, dl = cell_loads(inv, ev.unit_share, ev.unit_ul_se, ev.unit_dl_se,
                            ctx.band, profile, ctx.smap)  # fmt: skip
        act = np.clip(np.maximum(dl, profile.dl_load), 0.0, 1.0)
        ev = _run(ctx, profile, ux, uy, az, act)
        ul, dl = cell_loads(inv, ev.unit_share, ev.unit_ul_se, ev.unit_dl_se,
                            ctx.band, profile, ctx.smap)  # fmt: skip
        load_ok = bool(max(ul.max(), dl.max()) <= profile.load_limit)
        shares = [
            float(np.mean(ev.reliability[lab][ctx.cmask[lab]] >= ctx.classes[lab].reliability))
            for lab in ctx.active
        ]
        rel_ok = all(sh >= profile.area_fraction for sh in shares)
        rel_ok = rel_ok and pts.shape[0] >= profile.redundancy
        score = (
            rel_ok and load_ok,
            min(shares, default=1.0),
            float(np.mean(shares)) if shares else 1.0,
            load_ok,
            -len(pts),
        )
        if best is None or "ul" not in best or score > best["score"]:
            best = {"score": score, "pts": pts, "ul": ul, "dl": dl, "s": s, "act": act,
                    "load_ok": load_ok, "met": bool(rel_ok and load_ok)}  # fmt: skip
            stale = 0
        else:
            stale += 1
        # stop when met, out of iterations, at the minimum spacing, or when
        # densification stopped helping (PATIENCE iterations without a better layout)
        if rel_ok and load_ok:
            reason = "targets met"
            break
        if it >= profile.max_iterations:
            reason = f"iteration limit ({profile.max_iterations}) reached"
            break
        if stale >= PATIENCE and s <= s0 / 2.0:
            reason = f"no better layout in {PATIENCE} densification steps (interference-limited)"
            break
        if s <= min_s * (1.0 + 1e-9):
            reason = f"minimum spacing {min_s:g} m of {profile.unit.kind} units reached"
            break
        s = max(s * profile.shrink, min_s)  # last step lands on the floor exactly
    done = "ul" in best
    if not done:  # nothing evaluated: an empty placeholder layout
        n = max(best["pts"].shape[0], 0)
        z = np.zeros(n * int(profile.unit.sectors))
        best.update(ul=z, dl=z, s=s, act=z, load_ok=False)
    best.update(it=it, reason=reason, ev_done=done)
    return best


def plan_private(
    area,
    profile: Profile,
    inventory: Inventory,
    *,
    resolution_m: float = 5.0,
    seed: int = 1,
    force: bool = False,
    zones: list[ZoneSpec] | None = None,
    poles: np.ndarray | None = None,
) -> PrivatePlan:
    """Plan a private network over ``area`` (a WGS84 polygon).

    Every candidate unit type (:func:`nrplan.industry.sizing.candidate_units`)
    is densified from :func:`nrplan.industry.sizing.initial_spacing` until the
    targets hold; a candidate stops early once its sites cost more than the
    cheapest plan found (idle TCO per unit x units). The cheapest (TCO)
    candidate meeting the targets is kept, and every candidate's count,
    cost and outcome is reported (``unit_choice``).

    Parameters
    ----------
    area : shapely Polygon or MultiPolygon
        Site in WGS84 lon/lat [deg].
    profile : Profile
        Site profile (:func:`nrplan.industry.profiles.load_profile`).
    inventory : Inventory
        Devices.
    resolution_m : float
        Pixel size [m] (0.5-100).
    seed : int
        Recorded for reproducibility (the analytic method draws no numbers).
    force : bool
        Allow areas above :data:`MAX_AREA_KM2`.
    zones : list of ZoneSpec, optional
        Zones replacing the profile's (:mod:`nrplan.industry.zones`).
    poles : ndarray, shape (m, 2) or (m, 3), optional
        Existing poles / light towers: lon, lat [deg] and height [m] (NaN =
        unknown); pole and mast units go only there.

    Returns
    -------
    PrivatePlan

    Raises
    ------
    NrplanInputError
        Area above 100 km^2 without ``force``; bad resolution; bad zones
        (outside the site, empty, self-intersecting); unknown unit type.
    """
    t0 = time.perf_counter()
    check_range("resolution", resolution_m, 0.5, 100.0, unit="m")
    crs = local_crs(area)
    geom = to_local(area, crs)
    area_km2 = float(geom.area / 1e6)
    if area_km2 > MAX_AREA_KM2 and not force:
        raise NrplanInputError(
            "area",
            f"{area_km2:.1f} km^2",
            f"<= {MAX_AREA_KM2:g} km^2 for a private site (use --force to plan a larger one)",
        )
    band = industry_band(profile.band)
    lcfg = latency_config(profile, band)
    smap = symbol_map(profile.tdd_pattern, profile.special_slot)
    classes = inventory.classes()
    lat = {lab: class_latency(c, lcfg) for lab, c in classes.items()}
    n_tx = {
        lab: int(min(max(lt.max_transmissions_in_bound, 1), profile.harq_max_tx))
        for lab, lt in lat.items()
    }
    grid, mask = _grid_and_mask(geom, resolution_m, crs)
    # where each class's target applies: its zone, or the whole site
    fwd = transformer("EPSG:4326", crs)
    specs = list(profile.zones if zones is None else zones)
    zone_geoms = zone_geometries(specs, geom, fwd.transform, resolution_m)
    bound = bind_classes(inventory, specs)
    cmask = class_masks(bound, zone_geoms, grid, mask)
    # the search runs on a coarser grid (about SEARCH_PIXELS pixels); the kept layout
    # is confirmed (and densified further if needed) at the requested resolution
    search_res = min(max(resolution_m, float(np.sqrt(geom.area / SEARCH_PIXELS))),
                     SEARCH_RES_MAX_M)  # fmt: skip
    if search_res > resolution_m * 1.25:
        grid_s, mask_s = _grid_and_mask(geom, search_res, crs)
        cmask_s = class_masks(bound, zone_geoms, grid_s, mask_s)
    else:
        search_res, grid_s, mask_s, cmask_s = resolution_m, grid, mask, cmask
    pole_xyh = None
    if poles is not None and len(poles):
        pa = np.asarray(poles, float)
        px_, py_ = fwd.transform(pa[:, 0], pa[:, 1])
        h = pa[:, 2] if pa.shape[1] > 2 else np.full(len(pa), np.nan)
        inside = shapely.contains_xy(geom.buffer(max(resolution_m, 1.0)), px_, py_)
        if not inside.any():
            raise NrplanInputError("poles", f"{len(pa)} poles", "poles inside or on the site")
        pole_xyh = np.column_stack([px_, py_, h])[inside]
    counts = inventory.counts()
    # Densification targets: classes present whose latency budget can be met.
    active = [lab for lab in classes if counts[lab] > 0 and lat[lab].ok]
    ctx_f = _Ctx(
        grid=grid, mask=mask, geom=geom, band=band, classes=classes, smap=smap,
        n_tx=n_tx, inventory=inventory, active=active, cmask=cmask,
    )  # fmt: skip
    ctx = ctx_f if grid_s is grid else _Ctx(
        grid=grid_s, mask=mask_s, geom=geom, band=band, classes=classes, smap=smap,
        n_tx=n_tx, inventory=inventory, active=active, cmask=cmask_s,
    )  # fmt: skip
    t_setup = time.perf_counter() - t0
    cands = candidate_units(profile)
    tried: list[dict[str, Any]] = []
    results: list[tuple] = []
    best_cost = np.inf
    t_eval = 0.0
    for name, prof_u in cands:
        prof_u, pole_u = mount_on_poles(prof_u, pole_xyh)
        s0 = initial_spacing(prof_u, inventory, band, smap, geom)
        tco_min = unit_tco_floor(prof_u)
        t1 = time.perf_counter()
        res = _densify(ctx, prof_u, s0, pole_u, cost_cap=best_cost / max(tco_min, 1e-9))
        t_eval += time.perf_counter() - t1
        n_sites = res["pts"].shape[0]
        entry: dict[str, Any] = {
            "unit": name,
            "sites": int(n_sites),
            "cells": int(n_sites * prof_u.unit.sectors),
            "initial_spacing_m": float(s0),
            "spacing_m": float(res["s"]),
            "iterations": int(res["it"]),
            "targets_met": bool(res["met"]),
            "stop_reason": res["reason"],
            "min_area_share": float(res["score"][1]),
        }
        if res["met"]:
            cost = plan_cost(prof_u, res["dl"], area_km2, inventory)
            entry["tco"] = float(cost.cost.tco)
            entry["capex"] = float(cost.cost.capex_total)
            best_cost = min(best_cost, cost.cost.tco)
        tried.append(entry)
        results.append((name, prof_u, res, entry))
    if all("ev_done" in r[2] and not r[2]["ev_done"] for r in results):
        raise NrplanInputError(
            "poles", f"{len(pole_xyh)} poles", "a pole within a candidate unit's mounting heights"
        )
    met_r = [r for r in results if r[2]["met"]]
    if met_r:
        name, prof_c, res, entry = min(met_r, key=lambda r: r[3]["tco"])
        why = (
            f"{name}: lowest TCO ({entry['tco']:,.0f} CNY, {entry['sites']} sites) of the "
            f"{len(met_r)} unit type(s) meeting the targets among {len(results)} tried"
        )
    else:
        name, prof_c, res, entry = max(results, key=lambda r: r[2]["score"])
        why = (
            f"{name}: no unit type met the targets; kept the one closest to them "
            f"(smallest area share {entry['min_area_share']:.3f})"
        )
    for e in tried:
        e["chosen"] = e["unit"] == name
    if ctx is not ctx_f and res["ev_done"]:  # confirm at the requested resolution
        t1 = time.perf_counter()
        pole_c = mount_on_poles(prof_c, pole_xyh)[1]
        res = _densify(ctx_f, prof_c, res["s"], pole_c, cost_cap=np.inf)
        t_eval += time.perf_counter() - t1
        entry["confirmed_at_resolution_m"] = float(resolution_m)
        entry["confirm_iterations"] = int(res["it"])
        entry["confirmed_sites"] = int(res["pts"].shape[0])
    pts, ul, dl, s, act = res["pts"], res["ul"], res["dl"], res["s"], res["act"]
    met = bool(res["met"])
    # the kept layout once more, with the location reliability (reported only)
    t1 = time.perf_counter()
    ux, uy, az = _cells(pts, prof_c, geom)
    ev = _run(ctx_f, prof_c, ux, uy, az, act, location=True)
    t_loc = time.perf_counter() - t1
    rows = _class_rows(
        inventory, ev, mask, lat, prof_c, band, smap, res["load_ok"], n_tx, cmask, bound
    )
    inv_t = transformer(crs, "EPSG:4326")
    lon, lat_deg = inv_t.transform(ux, uy)
    zone_rows = [
        {
            "name": zn,
            "area_m2": float(g.area),
            "classes": sorted(lab for lab, z in bound.items() if z == zn),
        }
        for zn, g in zone_geoms.items()
    ]
    return PrivatePlan(
        profile=prof_c,
        band=band,
        inventory=inventory,
        grid=grid,
        mask=mask,
        area_geom=geom,
        units_xy=np.column_stack([ux, uy]),
        units_lonlat=np.column_stack([lon, lat_deg]),
        evaluation=ev,
        ul_load=ul,
        dl_load=dl,
        latency=lat,
        classes=rows,
        met=met,
        spacing_m=float(s),
        iterations=int(sum(e["iterations"] for e in tried)),
        area_km2=area_km2,
        stop_reason=res["reason"],
        seed=int(seed),
        timings={
            "setup": t_setup,
            "evaluate": t_eval,
            "location": t_loc,
            "total": time.perf_counter() - t0,
        },
        activity=np.asarray(act, float),
        transmissions=dict(n_tx),
        azimuth_deg=az,
        unit_choice={"zone_kind": profile.zone_kind, "chosen": name, "why": why,
                     "search_resolution_m": float(search_res), "candidates": tried},
        zones=zone_rows,
        class_zone=dict(bound),
        class_pixels=cmask,
    )  # fmt: skip


def _cell_power_w(plan: PrivatePlan) -> np.ndarray:
    """Input power per cell [W]: its site's power at the site's mean DL load,
    shared equally by the site's sectors."""
    kind, settings = cost_settings(plan.profile)
    n = int(plan.profile.unit.sectors)
    load = np.asarray(plan.dl_load, float)
    if n == 1:
        return unit_power_w(kind, load, settings)
    site = unit_power_w(kind, load.reshape(-1, n).mean(axis=1), settings)
    return np.repeat(site / n, n)


def write_plan(plan: PrivatePlan, out: str | Path, extra: dict | None = None) -> Path:
    """Write the run directory atomically; an existing ``out`` is replaced.

    ``extra`` entries (e.g. the engine check) are added to ``summary.json``.

    Everything is written into a temporary sibling directory which is renamed
    to ``out`` at the end, so ``out`` is either the old or the new complete run.
    """
    import geopandas as gpd

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        t0 = time.perf_counter()
        ev = plan.evaluation
        pd.DataFrame(plan.classes).to_csv(tmp / "classes.csv", index=False)
        u = plan.profile.unit
        gdf = gpd.GeoDataFrame(
            {
                "site_id": np.arange(plan.n_units) // int(u.sectors),
                "cell_id": np.arange(plan.n_units),
                "kind": u.kind,
                "unit_type": u.type or "custom",
                "azimuth_deg": (
                    plan.azimuth_deg
                    if plan.azimuth_deg is not None
                    else np.full(plan.n_units, np.nan)
                ),
                "x": plan.units_xy[:, 0],
                "y": plan.units_xy[:, 1],
                "lon": plan.units_lonlat[:, 0],
                "lat": plan.units_lonlat[:, 1],
                "height_m": u.height_m,
                "power_dbm": u.power_dbm,
                "gain_dbi": u.gain_dbi,
                "band": plan.band.name,
                "area_share": ev.unit_share,
                "ul_load": plan.ul_load,
                "dl_load": plan.dl_load,
                "power_w": _cell_power_w(plan),
            },
            geometry=gpd.points_from_xy(plan.units_lonlat[:, 0], plan.units_lonlat[:, 1]),
            crs="EPSG:4326",
        )
        gdf.to_file(tmp / "sites.gpkg", driver="GPKG", layer="sites")
        rd = tmp / "rasters"
        rd.mkdir()
        g = plan.grid
        write_cog(rd / "sinr_db.tif", ev.sinr_db.astype(np.float32), g, np.nan, "DL SINR [dB]")
        write_cog(rd / "ul_mbps.tif", ev.ul_mbps.astype(np.float32), g, np.nan, "UL [Mbit/s]")
        write_cog(rd / "best_server.tif", ev.best_server, g, -1, "best server site_id")
        for lab, r in ev.reliability.items():
            name = "reliability_" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in lab)
            write_cog(rd / f"{name}.tif", r.astype(np.float32), g, np.nan, f"P(link) {lab}")
            loc = ev.location[lab].astype(np.float32)
            name = name.replace("reliability_", "location_", 1)
            write_cog(rd / f"{name}.tif", loc, g, np.nan, f"P(location) {lab}")
        summary = plan.summary()
        summary.update(extra or {})
        summary["timings_s"] = dict(summary["timings_s"], write=time.perf_counter() - t0)
        (tmp / "summary.json").write_text(
            json.dumps(to_jsonable(summary), indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old / "run")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out
