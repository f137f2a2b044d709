"""``nrplan predict``: coverage, SINR and rate rasters for a list of sectors.

Reads ``sites.csv`` (see :mod:`nrplan.io.sites`) and an area polygon (GeoJSON,
GeoPackage, any CRS), projects both to the local UTM zone of the area's
centroid (sector azimuths, bearings from true north in ``sites.csv``, become
azimuths from that zone's grid north: :func:`nrplan.io.sites.sites_to_sectors`),
builds a grid at ``--resolution``, predicts with
:func:`nrplan.engine.predict` and writes Cloud-Optimized GeoTIFFs (``rsrp.tif``,
``sinr.tif``, ``dl_mbps.tif``, ``ul_mbps.tif``, ``best_server.tif``) and
``stats.json`` into ``--out``. Without a morphology raster every pixel inside
the area gets the morphology class ``--scenario`` (default ``urban``: TR 38.901
UMa, see ``nrplan.morphology``). Output is written into a temporary directory
beside ``--out`` and moved into place at the end: on any error nothing partial
is left.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from nrplan.errors import NrplanInputError, check_range

__all__ = ["RASTERS", "register", "run_predict"]

RASTERS = {
    # file stem: (Prediction attribute, nodata, description)
    "rsrp": ("rsrp_dbm", -9999.0, "SSB RSRP of the best server [dBm]"),
    "sinr": ("sinr_db", -9999.0, "DL SINR on the traffic beam [dB]"),
    "dl_mbps": ("dl_mbps", -9999.0, "DL user rate at the cell load [Mbit/s]"),
    "ul_mbps": ("ul_mbps", -9999.0, "UL user rate at the cell load [Mbit/s]"),
    "best_server": ("best_server", -1, "Best server: row index in sites.csv (0-based)"),
}

DEFAULT_MAX_MEMORY_GB = 4.0

#: The files a prediction writes into ``--out``.
PREDICT_FILES = (*(f"{k}.tif" for k in RASTERS), "stats.json")


def _read_area(path: Path):
    """The area polygon in WGS84: :func:`nrplan.industry.plan.read_area` rules."""
    from nrplan.industry.plan import read_area

    return read_area(path)


def run_predict(
    sites: Path,
    area: Path,
    resolution: float,
    out: Path,
    band: str | None = None,
    load: float = 0.5,
    seed: int = 1,
    scenario: str = "urban",
    los_mode: str = "expected",
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
) -> dict:
    """Run a prediction and write its files; returns the stats written to stats.json."""
    import rasterio.features

    from nrplan.engine import PredictionConfig, estimate_memory_bytes, predict
    from nrplan.geo.projection import local_crs, to_local
    from nrplan.grid import Grid
    from nrplan.io.atomic import write_json_atomic
    from nrplan.io.outpath import check_out_dir
    from nrplan.io.raster import write_cog
    from nrplan.io.sites import MAX_SITE_DISTANCE_KM, near_sites, read_sites, sites_to_sectors
    from nrplan.morphology import morphology_by_name
    from nrplan.radio.bands import BANDS

    t0 = time.perf_counter()
    # refuse at once an --out that cannot be written or that holds another run
    out = check_out_dir(out, own_files=PREDICT_FILES, command="predict")
    check_range("resolution", resolution, 1.0, 1000.0, unit="m")
    check_range("load", load, 0.0, 1.0)
    check_range("max_memory_gb", max_memory_gb, 0.01, None, unit="GiB")
    morph = morphology_by_name(scenario)
    cfg = PredictionConfig(seed=seed, los_mode=los_mode)
    df = read_sites(sites)
    if band is not None:
        from nrplan.errors import check_choice

        band = check_choice("band", band, BANDS)
        df = df[df["band"] == band].reset_index(drop=True)
        if df.empty:
            raise NrplanInputError("band", band, "a band that sites.csv has sectors on")
    geom = _read_area(area)
    df, n_far = near_sites(df, geom)
    if n_far:
        print(
            f"nrplan: warning: dropped {n_far} site(s) more than {MAX_SITE_DISTANCE_KM:g} km "
            "from the area's bounding box (they can neither serve nor interfere)",
            file=sys.stderr,
        )
    kept_rows = df.index.to_numpy()
    df = df.reset_index(drop=True)
    crs = local_crs(geom)
    geom_m = to_local(geom, crs)
    grid = Grid.from_bounds(*geom_m.bounds, resolution, crs)
    outputs = ("best_server", "rsrp_dbm", "sinr_db", "dl_mbps", "ul_mbps", "coverage_prob")
    need = estimate_memory_bytes(grid, outputs)
    cap = max_memory_gb * 1024**3
    if need > cap:
        raise NrplanInputError(
            "resolution",
            resolution,
            f"a resolution whose {grid.nrows} x {grid.ncols} grid fits the "
            f"{max_memory_gb:g} GiB memory cap (needs {need / 1024**3:.1f} GiB)",
        )
    inside = rasterio.features.geometry_mask(
        [geom_m], out_shape=grid.shape, transform=grid.transform, invert=True
    )
    if not inside.any():
        raise NrplanInputError(
            "area", str(area), f"a polygon that contains at least one {resolution:g} m pixel centre"
        )
    morphology = np.where(inside, morph.code, 0).astype(np.uint8)
    sectors = sites_to_sectors(df, crs, load=load)
    t_read = time.perf_counter()
    pred = predict(grid, morphology, sectors, cfg, outputs=outputs)
    t_pred = time.perf_counter()
    if n_far and pred.best_server is not None:
        # best_server names rows of sites.csv, not of the kept subset
        bs = pred.best_server
        pred.best_server = np.where(bs >= 0, kept_rows[np.maximum(bs, 0)], bs).astype(bs.dtype)

    summary = pred.summary()
    stats = {
        "area_km2": float(geom_m.area / 1e6),
        "crs": crs,
        "resolution_m": float(resolution),
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
        "engine": {
            k: pred.meta[k]
            for k in ("pairs_evaluated", "mean_candidate_sectors", "sinr_truncation_bound_db")
        },
        "files": [f"{k}.tif" for k in RASTERS] + ["stats.json"],
    }

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        for stem, (attr, nodata, desc) in RASTERS.items():
            write_cog(tmp / f"{stem}.tif", getattr(pred, attr), grid, nodata, desc)
        t_write = time.perf_counter()
        stats["timings_s"] = {
            "read": t_read - t0,
            "predict": t_pred - t_read,
            "write": t_write - t_pred,
            "total": t_write - t0,
        }
        write_json_atomic(tmp / "stats.json", stats)
        if out.exists():
            if not out.is_dir():
                raise NrplanInputError("out", str(out), "a directory path")
            for f in tmp.iterdir():
                os.replace(f, out / f.name)
            tmp.rmdir()
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return stats


def register(app: typer.Typer) -> None:
    """Add the ``predict`` command to ``app``."""

    @app.command("predict")
    def predict_cmd(
        sites: Annotated[Path, typer.Option("--sites", help="sites.csv, one row per sector.")],
        area: Annotated[Path, typer.Option("--area", help="Area polygon (GeoJSON/GPKG, any CRS).")],
        out: Annotated[Path, typer.Option("--out", help="Output directory.")],
        resolution: Annotated[float, typer.Option("--resolution", help="Pixel size [m].")] = 20.0,
        band: Annotated[
            str | None, typer.Option("--band", help="Only the sectors of this band.")
        ] = None,
        load: Annotated[float, typer.Option("--load", help="Cell load of every sector.")] = 0.5,
        seed: Annotated[int, typer.Option("--seed", help="Seed of every random draw.")] = 1,
        scenario: Annotated[
            str,
            typer.Option(
                "--scenario",
                help="Morphology class of the whole area: dense_urban, urban, suburban, rural.",
            ),
        ] = "urban",
        los_mode: Annotated[
            str,
            typer.Option("--los-mode", help="expected (LOS-probability weighted) or sampled."),
        ] = "expected",
        max_memory_gb: Annotated[
            float, typer.Option("--max-memory-gb", help="Memory cap of the rasters [GiB].")
        ] = DEFAULT_MAX_MEMORY_GB,
        as_json: Annotated[bool, typer.Option("--json", help="Print the stats as JSON.")] = False,
    ) -> None:
        """Predict RSRP, best server, SINR and user rates over an area; write COGs."""
        from nrplan.cli._output import print_json, print_table

        stats = run_predict(
            sites, area, resolution, out, band, load, seed, scenario, los_mode, max_memory_gb
        )
        if as_json:
            print_json(stats)
            return
        rows = [
            ["area (km2)", stats["area_km2"], "", ""],
            ["sectors", stats["sectors"], "", ""],
            ["coverage (%)", stats["coverage_pct"], "", ""],
        ]
        for key, label in (
            ("rsrp_dbm", "RSRP (dBm)"),
            ("sinr_db", "SINR (dB)"),
            ("dl_mbps", "DL (Mbit/s)"),
            ("ul_mbps", "UL (Mbit/s)"),
        ):
            p = stats[key] or {}
            rows.append([label, p.get("p5"), p.get("p50"), p.get("p95")])
        print_table(
            [[r[0], *(float("nan") if v is None or v == "" else v for v in r[1:])] for r in rows],
            ["quantity", "value / p5", "p50", "p95"],
            title=f"nrplan predict -> {out}",
        )
