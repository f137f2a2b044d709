"""``nrplan predict``: coverage, SINR and rate rasters for a list of sectors.

Parses the options and calls :mod:`nrplan.plan.predict_area`, which reads
``sites.csv`` (see :mod:`nrplan.io.sites`) and an area polygon (GeoJSON,
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

import sys
from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._options import (
    ClutterLossOption,
    ClutterMapOption,
    ClutterOption,
    DemOption,
    ModelOption,
    SurfaceOption,
)

__all__ = ["register", "run_predict"]


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
    max_memory_gb: float | None = None,
    terrain_files=None,
    model: Path | None = None,
) -> dict:
    """Run a prediction and write its files; returns the stats written to stats.json.

    :func:`nrplan.plan.predict_area.predict_area` then
    :func:`~nrplan.plan.predict_area.write_area_prediction`; ``--out`` is
    checked before any work."""
    from nrplan.io.outpath import check_out_dir
    from nrplan.io.sites import MAX_SITE_DISTANCE_KM
    from nrplan.plan.predict_area import (
        DEFAULT_MAX_MEMORY_GB,
        PREDICT_FILES,
        predict_area,
        write_area_prediction,
    )

    # refuse at once an --out that cannot be written or that holds another run
    out = check_out_dir(out, own_files=PREDICT_FILES, command="predict")
    result = predict_area(
        sites, area, resolution, band=band, load=load, seed=seed, scenario=scenario,
        los_mode=los_mode, terrain_files=terrain_files, model=model,
        max_memory_gb=DEFAULT_MAX_MEMORY_GB if max_memory_gb is None else max_memory_gb,
    )  # fmt: skip
    if result.n_far:
        print(
            f"nrplan: warning: dropped {result.n_far} site(s) more than "
            f"{MAX_SITE_DISTANCE_KM:g} km from the area's bounding box (they can neither "
            "serve nor interfere)",
            file=sys.stderr,
        )
    return write_area_prediction(result, out)


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
            float | None,
            typer.Option("--max-memory-gb", help="Memory cap of the rasters [GiB]; default 4."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the stats as JSON.")] = False,
        dem: DemOption = None,
        surface: SurfaceOption = None,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        clutter_loss: ClutterLossOption = False,
        model: ModelOption = None,
    ) -> None:
        """Predict RSRP, best server, SINR and user rates over an area; write COGs."""
        from nrplan.cli._output import print_json, print_table
        from nrplan.terrain import TerrainFiles

        tfiles = TerrainFiles.from_options(dem, surface, clutter, clutter_map, clutter_loss)
        stats = run_predict(
            sites, area, resolution, out, band, load, seed, scenario, los_mode, max_memory_gb,
            terrain_files=tfiles, model=model,
        )  # fmt: skip
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
