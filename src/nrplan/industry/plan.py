"""Plan a private industrial network end to end and write its run directory.

Steps: read the site polygon (WGS84) and project it to its local UTM zone;
rasterise it on a grid; place radio units on the profile's layout (ceiling
grid, pole lanes, rim masts); evaluate reliability per class, SINR and UL
rate through the TR 38.901 models (:mod:`nrplan.industry.evaluate`); compute
the cell loads from the inventory; shrink the spacing until every class whose
latency budget can be met reaches its reliability (time-availability) target
over ``area_fraction`` of the service area and every cell stays within the
load limit, or the minimum spacing of the unit kind is reached, or
densification stops helping (interference-limited); then the best layout
found is kept and the shortfall is reported (``stop_reason``, ``shortfall``).

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
from nrplan.grid import Grid
from nrplan.industry.capacity import cell_loads
from nrplan.industry.devices import Inventory
from nrplan.industry.economics import PrivateCost, private_cost, unit_power_w
from nrplan.industry.evaluate import Evaluation, class_threshold_db, evaluate
from nrplan.industry.latency import ClassLatency, LatencyConfig, class_latency, symbol_map
from nrplan.industry.layout import candidate_positions
from nrplan.industry.profiles import IndustryBand, Profile, industry_band
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
#: Densification stops after this many iterations without a better layout.
PATIENCE = 3


def read_area(path: str | Path):
    """Union of the polygons of a GeoJSON/GeoPackage file, in WGS84.

    Read and checked by :func:`nrplan.geo.region.read_vector` (unknown or
    mismatched CRS refused) and repaired per feature like a planning region;
    a feature that cannot be a site (a hole bigger than its shell, a
    zero-area ring, a point or line) is refused, naming the feature.
    """
    from nrplan.geo.region import _polygonal, _repaired_polygons, read_vector

    path = Path(path)
    if not path.exists():
        raise NrplanInputError("area", str(path), "an existing GeoJSON file")
    gdf = read_vector(path, "area")
    geom = _polygonal(shapely.make_valid(shapely.union_all(_repaired_polygons(gdf, path, None))))
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise NrplanInputError("area", str(path), "polygon geometries")
    return geom


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

    @property
    def n_units(self) -> int:
        return int(self.units_xy.shape[0])

    def economics(self) -> PrivateCost:
        """Capex, opex, energy and TCO of the plan (:mod:`nrplan.industry.economics`)."""
        inv = self.inventory
        return private_cost(
            self.profile.unit.kind,
            self.dl_load,
            area_km2=self.area_km2,
            devices=inv.total_devices,
            offered_mbps=inv.ul_mbps() + inv.dl_mbps(),
            settings=self.profile.costs,
            name=self.profile.name,
        )

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
            "sites": self.n_units,
            "unit": p.unit.model_dump(),
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
) -> list[dict[str, Any]]:
    rows = []
    counts = inventory.counts()
    for lab, c in inventory.classes().items():
        r = ev.reliability[lab][mask]
        loc = ev.location[lab][mask]
        share = float(np.mean(r >= c.reliability))
        lt = lat[lab]
        rel_ok = share >= profile.area_fraction
        rows.append(
            {
                "class": lab,
                "count": counts[lab],
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


def plan_private(
    area,
    profile: Profile,
    inventory: Inventory,
    *,
    resolution_m: float = 5.0,
    seed: int = 1,
    force: bool = False,
) -> PrivatePlan:
    """Plan a private network over ``area`` (a WGS84 polygon).

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

    Returns
    -------
    PrivatePlan

    Raises
    ------
    NrplanInputError
        Area above 100 km^2 without ``force``; bad resolution.
    """
    from nrplan.geo.projection import local_crs, to_local

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
    counts = inventory.counts()
    # Densification targets: classes present whose latency budget can be met.
    active = [lab for lab in classes if counts[lab] > 0 and lat[lab].ok]
    t_setup = time.perf_counter() - t0
    min_s = profile.min_spacing
    s = max(profile.spacing_m, min_s)
    reason = ""
    it = 0
    t_eval = 0.0
    best: tuple | None = None
    stale = 0

    def run(pts: np.ndarray, activity, location: bool = False) -> Evaluation:
        return evaluate(
            grid, mask, pts[:, 0], pts[:, 1], profile, band, classes, smap,
            activity=activity, transmissions=n_tx, location=location,
        )  # fmt: skip

    while True:
        it += 1
        pts = candidate_positions(geom, profile.unit.kind, s)
        t1 = time.perf_counter()
        # Interference activity: first at the load limit (the worst a cell may
        # carry), then at each cell's own DL load (at least profile.dl_load).
        ev = run(pts, profile.load_limit)
        ul, dl = cell_loads(
            inventory, ev.unit_share, ev.unit_ul_se, ev.unit_dl_se, band, profile, smap
        )
        act = np.clip(np.maximum(dl, profile.dl_load), 0.0, 1.0)
        ev = run(pts, act)
        ul, dl = cell_loads(
            inventory, ev.unit_share, ev.unit_ul_se, ev.unit_dl_se, band, profile, smap
        )
        t_eval += time.perf_counter() - t1
        load_ok = bool(max(ul.max(), dl.max()) <= profile.load_limit)
        shares = [
            float(np.mean(ev.reliability[lab][mask] >= classes[lab].reliability)) for lab in active
        ]
        rel_ok = all(sh >= profile.area_fraction for sh in shares)
        score = (rel_ok and load_ok, min(shares, default=1.0), load_ok, -len(pts))
        if best is None or score > best[0]:
            best = (score, pts, ev, ul, dl, s, rel_ok, load_ok, act)
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
        if stale >= PATIENCE:
            reason = f"no better layout in {PATIENCE} densification steps (interference-limited)"
            break
        if s <= min_s * (1.0 + 1e-9):
            reason = f"minimum spacing {min_s:g} m of {profile.unit.kind} units reached"
            break
        s = max(s * profile.shrink, min_s)  # last step lands on the floor exactly
    _, pts, ev, ul, dl, s, rel_ok, load_ok, act = best
    met = bool(rel_ok and load_ok)
    # the kept layout once more, with the location reliability (reported only)
    t1 = time.perf_counter()
    ev = run(pts, act, location=True)
    t_loc = time.perf_counter() - t1
    rows = _class_rows(inventory, ev, mask, lat, profile, band, smap, load_ok, n_tx)
    from nrplan.geo.projection import transformer

    lon, lat_deg = transformer(crs, "EPSG:4326").transform(pts[:, 0], pts[:, 1])
    return PrivatePlan(
        profile=profile,
        band=band,
        inventory=inventory,
        grid=grid,
        mask=mask,
        area_geom=geom,
        units_xy=pts,
        units_lonlat=np.column_stack([lon, lat_deg]),
        evaluation=ev,
        ul_load=ul,
        dl_load=dl,
        latency=lat,
        classes=rows,
        met=met,
        spacing_m=float(s),
        iterations=it,
        area_km2=area_km2,
        stop_reason=reason,
        seed=int(seed),
        timings={
            "setup": t_setup,
            "evaluate": t_eval,
            "location": t_loc,
            "total": time.perf_counter() - t0,
        },
        activity=np.asarray(act, float),
        transmissions=dict(n_tx),
    )


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
                "site_id": np.arange(plan.n_units),
                "kind": u.kind,
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
                "power_w": unit_power_w(u.kind, plan.dl_load, plan.profile.costs),
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
