"""Options shared by several commands (terrain and clutter rasters, tuned model)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "ClutterLossOption",
    "ClutterMapOption",
    "ClutterOption",
    "DemOption",
    "ModelOption",
    "SurfaceOption",
]

DemOption = Annotated[
    Path | None, typer.Option("--dem", help="Ground heights (any GDAL raster, metres).")
]
SurfaceOption = Annotated[
    Path | None, typer.Option("--surface", help="Surface heights (DSM), with --dem.")
]
ClutterOption = Annotated[
    Path | None,
    typer.Option("--clutter", help="Land-use class raster (clutter classes -> morphology)."),
]
ClutterMapOption = Annotated[
    Path | None,
    typer.Option("--clutter-map", help="Class mapping TOML (default: ESA WorldCover)."),
]
ClutterLossOption = Annotated[
    bool,
    typer.Option("--clutter-loss", help="ITU-R P.2108 terminal clutter loss (--clutter)."),
]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="Tuned model TOML of nrplan tune.")
]
