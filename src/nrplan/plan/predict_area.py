"""Prediction over an area polygon for a list of sectors (the library of ``nrplan predict``).

:func:`predict_area` reads ``sites.csv`` (:mod:`nrplan.io.sites`) and an area
polygon (:func:`nrplan.geo.region.read_area_polygon`, any CRS), projects both
to the local UTM zone of the area's centroid (sector azimuths, bearings from
true north, become azimuths from that zone's grid north:
:func:`nrplan.io.sites.sites_to_sectors`), builds a grid at ``resolution_m``
and predicts with :func:`nrplan.engine.predict` in memory. Without a
morphology raster every pixel inside the area gets the morphology class
``scenario`` (default ``urban``: TR 38.901 UMa, see :mod:`nrplan.morphology`).
:func:`write_area_prediction` writes Cloud-Optimized GeoTIFFs (:data:`RASTERS`)
and ``stats.json`` into a temporary directory beside ``out`` and moves them
into place at the end: on any error nothing partial is left.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import rasterio.features
import shapely

from nrplan.engine import PredictionConfig, estimate_memory_bytes, predict
from nrplan.engine.predict import Prediction
from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.geo.projection import local_crs, to_local
from nrplan.geo.region import read_area_polygon
from nrplan.grid import Grid
from nrplan.io.atomic import staged_dir, write_json_atomic
from nrplan.io.raster import write_cog
from nrplan.io.sites import near_sites, read_sites, sites_to_sectors
from nrplan.measure.cells import cell_ids
from nrplan.measure.dataset import apply_cell_offsets
from nrplan.measure.modelfile import TunedModel, load_tuned_model
from nrplan.morphology import morphology_by_name
from nrplan.radio.bands import BANDS, get_band
from nrplan.terrain import prepare_terrain

__all__ = [
    "DEFAULT_MAX_MEMORY_GB",
    "OUTPUTS",
    "PREDICT_FILES",
    "RASTERS",
    "AreaPrediction",
    "predict_area",
    "write_area_prediction",
]

RASTERS = {
    # file stem: (Prediction attribute, nodata, description)
    "rsrp": ("rsrp_dbm", -9999.0, "SSB RSRP of the best server [dBm]"),
    "sinr": ("sinr_db", -9999.0, "DL SINR on the traffic beam [dB]"),
    "dl_mbps": ("dl_mbps", -9999.0, "DL user rate at the cell load [Mbit/s]"),
    "ul_mbps": ("ul_mbps", -9999.0, "UL user rate at the cell load [Mbit/s]"),
    "best_server": ("best_server", -1, "Best server: row index in sites.csv (0-based)"),
}

#: Memory cap of the rasters by default [GiB].
DEFAULT_MAX_MEMORY_GB = 4.0

#: The files a prediction writes into its output directory.
PREDICT_FILES = (*(f"{k}.tif" for k in RASTERS), "stats.json")

#: Engine outputs an area prediction computes.
OUTPUTS = ("best_server", "rsrp_dbm", "sinr_db", "dl_mbps", "ul_mbps", "coverage_prob")


@dataclass
class AreaPrediction:
    """Result of :func:`predict_area`.

    Attributes
    ----------
    prediction : nrplan.engine.predict.Prediction
        The rasters; ``best_server`` names rows of the sites file as read.
    grid : nrplan.grid.Grid
        Their grid (local UTM CRS).
    stats : dict
        Area, sectors, coverage and percentiles, settings and timings
        (``timings_s``: ``read`` and ``predict`` [s]); the ``stats.json`` content.
    n_far : int
        Sites dropped as more than
        :data:`nrplan.io.sites.MAX_SITE_DISTANCE_KM` from the area's bounding box.
    """

    prediction: Prediction
    grid: Grid
    stats: dict[str, Any]
    n_far: int = 0


def predict_area(
    sites: str | os.PathLike[str] | pd.DataFrame,
    area: str | os.PathLike[str] | shapely.Geometry,
    resolution_m: float,
    *,
    band: str | None = None,
    load: float = 0.5,
    seed: int = 1,
    scenario: str = "urban",
    los_mode: str = "expected",
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
    terrain_files: Any = None,
    model: str | os.PathLike[str] | TunedModel | None = None,
) -> AreaPrediction:
    """Predict RSRP, best server, SINR and user rates of sectors over an area.

    Parameters
    ----------
    sites : path-like or DataFrame
        ``sites.csv`` or its table as read by :func:`nrplan.io.sites.read_sites`.
    area : path-like or shapely geometry
        Area polygon file (any CRS), or the polygon in WGS84.
    resolution_m : float
        Pixel size [m], in [1, 1000].
    band : str, optional
        Only the sectors of this band.
    load : float
        Cell load of every sector without a ``load`` column [0-1].
    seed : int
        Seed of every random draw.
    scenario : str
        Morphology class of the whole area (``dense_urban``, ``urban``, ...).
    los_mode : {"expected", "sampled"}
    max_memory_gb : float
        Memory cap of the rasters [GiB]; a grid that needs more is refused.
    terrain_files : nrplan.terrain.TerrainFiles, optional
        The user's DEM, DSM and clutter rasters (``docs/terrain.md``).
    model : path-like or TunedModel, optional
        Tuned model of ``nrplan tune`` (class corrections, per-cell offsets;
        ``docs/tuning.md``).

    Raises
    ------
    NrplanInputError
        Bad inputs, a band without sectors, a grid over the memory cap, or an
        area without a pixel centre.
    """
    t0 = time.perf_counter()
    check_range("resolution", resolution_m, 1.0, 1000.0, unit="m")
    check_range("load", load, 0.0, 1.0)
    check_range("max_memory_gb", max_memory_gb, 0.01, None, unit="GiB")
    morph = morphology_by_name(scenario)
    cfg = PredictionConfig(seed=seed, los_mode=los_mode)
    tuned = load_tuned_model(model) if isinstance(model, str | os.PathLike) else model
    if tuned is not None:
        cfg = tuned.apply(cfg)
    df = sites if isinstance(sites, pd.DataFrame) else read_sites(sites)
    if tuned is not None and tuned.cell_offsets_db:
        df = apply_cell_offsets(df, cell_ids(df), tuned.cell_offsets_db)
    if band is not None:
        band = check_choice("band", band, BANDS)
        df = df[df["band"] == band].reset_index(drop=True)
        if df.empty:
            raise NrplanInputError("band", band, "a band that sites.csv has sectors on")
    geom = area if isinstance(area, shapely.Geometry) else read_area_polygon(area)
    df, n_far = near_sites(df, geom)
    kept_rows = df.index.to_numpy()
    df = df.reset_index(drop=True)
    crs = local_crs(geom)
    geom_m = to_local(geom, crs)
    grid = Grid.from_bounds(*geom_m.bounds, resolution_m, crs)
    need = estimate_memory_bytes(grid, OUTPUTS)
    cap = max_memory_gb * 1024**3
    if need > cap:
        raise NrplanInputError(
            "resolution",
            resolution_m,
            f"a resolution whose {grid.nrows} x {grid.ncols} grid fits the "
            f"{max_memory_gb:g} GiB memory cap (needs {need / 1024**3:.1f} GiB)",
        )
    inside = rasterio.features.geometry_mask(
        [geom_m], out_shape=grid.shape, transform=grid.transform, invert=True
    )
    if not inside.any():
        raise NrplanInputError(
            "area",
            str(area) if not isinstance(area, shapely.Geometry) else "polygon",
            f"a polygon that contains at least one {resolution_m:g} m pixel centre",
        )
    morphology = np.where(inside, morph.code, 0).astype(np.uint8)
    sectors = sites_to_sectors(df, crs, load=load)
    terrain, terrain_records = None, []
    if terrain_files is not None and terrain_files.any:
        f_lo = min(get_band(b).f_c_ghz for b in set(sectors.band.tolist()))
        terrain, morphology, terrain_records = prepare_terrain(
            grid, morphology, terrain_files, f_ghz=f_lo
        )
    t_read = time.perf_counter()
    pred = predict(grid, morphology, sectors, cfg, outputs=OUTPUTS, terrain=terrain)
    t_pred = time.perf_counter()
    if n_far and pred.best_server is not None:
        # best_server names rows of sites.csv, not of the kept subset
        bs = pred.best_server
        pred.best_server = np.where(bs >= 0, kept_rows[np.maximum(bs, 0)], bs).astype(bs.dtype)

    summary = pred.summary()
    stats = {
        "area_km2": float(geom_m.area / 1e6),
        "crs": crs,
        "resolution_m": float(resolution_m),
        "shape": list(grid.shape),
        "pixels_in_area": int(inside.sum()),
        "sectors": len(sectors),
        "sites": int(df["site_id"].nunique()),
        **({"sites_dropped_far": n_far} if n_far else {}),
        "bands": sorted(df["band"].unique().tolist()),
        "morphology": morph.name,
        "scenario": morph.scenario,
        "coverage_pct": summary.get("coverage_pct"),
        "served_pct": summary.get("served_pct"),
        "coverage_definition": (
            f"mean over the area of P(RSRP >= {cfg.rsrp_threshold_dbm:g} dBm and "
            f"SINR >= {cfg.sinr_threshold_db:g} dB) with the lognormal shadowing margin"
        ),
        "rsrp_dbm": summary.get("rsrp_dbm"),
        "sinr_db": summary.get("sinr_db"),
        "dl_mbps": summary.get("dl_mbps"),
        "ul_mbps": summary.get("ul_mbps"),
        "load": float(load),
        "seed": int(seed),
        "los_mode": cfg.los_mode,
        "model": pred.meta["settings"],
        "tuned_model": tuned.describe() if tuned is not None else None,
        "engine": {
            k: pred.meta[k]
            for k in ("pairs_evaluated", "mean_candidate_sectors", "sinr_truncation_bound_db")
        },
        "files": list(PREDICT_FILES),
    }
    if terrain is not None:
        stats["terrain"] = {**pred.meta["terrain"], "sources": terrain_records}
    stats["timings_s"] = {"read": t_read - t0, "predict": t_pred - t_read}
    return AreaPrediction(pred, grid, stats, n_far)


def write_area_prediction(result: AreaPrediction, out: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the rasters (:data:`RASTERS`, COGs) and ``stats.json`` of ``result`` into ``out``.

    Files go to a temporary directory beside ``out`` first and are moved into
    place at the end (nothing partial is left on error); files of ``out``
    that a prediction does not write are kept. ``stats["timings_s"]`` gains
    ``write`` and ``total`` [s].

    Returns
    -------
    dict
        The statistics written to ``stats.json``.
    """
    t0 = time.perf_counter()
    stats = result.stats
    out = Path(out)
    with staged_dir(out) as tmp:
        for stem, (attr, nodata, desc) in RASTERS.items():
            write_cog(
                tmp / f"{stem}.tif", getattr(result.prediction, attr), result.grid, nodata, desc
            )
        t_write = time.perf_counter() - t0
        timings = stats.setdefault("timings_s", {})
        timings["write"] = t_write
        timings["total"] = timings.get("read", 0.0) + timings.get("predict", 0.0) + t_write
        write_json_atomic(tmp / "stats.json", stats)
    return stats
