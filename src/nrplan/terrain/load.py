"""From raster files to a :class:`Terrain` and a morphology on a prediction grid.

:func:`prepare_terrain` is the one entry the commands (``predict``, ``plan``,
``private``) call: it reads the DEM (``--dem``), the optional DSM
(``--surface``) and clutter raster (``--clutter`` with ``--clutter-map``),
resamples them to the grid (:mod:`nrplan.terrain.rasters`), turns the classes
into per-pixel morphology, clutter heights and (``--clutter-loss``) terminal
clutter loss (:mod:`nrplan.terrain.clutter`), and returns the terrain the
engine takes plus the provenance of every file for the run record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.terrain.clutter import apply_clutter, obstacle_heights, read_clutter_mapping
from nrplan.terrain.inputs import Terrain
from nrplan.terrain.rasters import read_classes, read_heights

__all__ = ["TerrainFiles", "prepare_terrain"]


@dataclass(frozen=True)
class TerrainFiles:
    """The user's terrain and clutter files of a run (all optional)."""

    dem: Path | None = None
    surface: Path | None = None
    clutter: Path | None = None
    clutter_map: Path | None = None
    clutter_loss: bool = False
    radius_m: float | None = None

    def __post_init__(self) -> None:
        if self.surface is not None and self.dem is None:
            raise NrplanInputError("surface", str(self.surface), "a DSM together with --dem")
        if self.clutter_map is not None and self.clutter is None:
            raise NrplanInputError("clutter-map", str(self.clutter_map), "a mapping with --clutter")
        if self.clutter_loss and self.clutter is None:
            raise NrplanInputError("clutter-loss", True, "the terminal clutter loss with --clutter")

    @property
    def any(self) -> bool:
        """Whether any raster is given."""
        return self.dem is not None or self.clutter is not None

    @classmethod
    def from_options(
        cls,
        dem: str | os.PathLike[str] | None = None,
        surface: str | os.PathLike[str] | None = None,
        clutter: str | os.PathLike[str] | None = None,
        clutter_map: str | os.PathLike[str] | None = None,
        clutter_loss: bool = False,
    ) -> TerrainFiles:
        """Build from CLI option values (None = not given)."""
        p = lambda v: None if v is None else Path(v)  # noqa: E731
        return cls(p(dem), p(surface), p(clutter), p(clutter_map), bool(clutter_loss))


def prepare_terrain(
    grid: Grid,
    morphology: np.ndarray,
    files: TerrainFiles,
    *,
    f_ghz: float | None = None,
    h_ut_m: float | None = None,
) -> tuple[Terrain | None, np.ndarray, list[dict[str, Any]]]:
    """Read the rasters of ``files`` onto ``grid``.

    Parameters
    ----------
    grid : Grid
        Prediction grid.
    morphology : ndarray of uint8
        Morphology before the clutter map (0 = outside the area).
    files : TerrainFiles
        The files.
    f_ghz : float, optional
        Frequency of the terminal clutter loss [GHz] (lowest band of the run).
    h_ut_m : float, optional
        Terminal height for the clutter loss; None = the morphology's.

    Returns
    -------
    (Terrain or None, morphology, list of dict)
        The engine's terrain (None when no raster is given), the morphology
        (from the clutter map where it has a class) and the raster records.
    """
    morph = np.asarray(morphology)
    if not files.any:
        return None, morph, []
    records: list[dict[str, Any]] = []
    ground = obst = loss = None
    clutter_h = np.zeros(grid.shape)
    if files.clutter is not None:
        mapping = read_clutter_mapping(files.clutter_map)
        classes, rec = read_classes(files.clutter, grid, field="clutter")
        rec["mapping"] = mapping.path
        rec["scheme"] = mapping.scheme
        records.append(rec)
        morph, clutter_h, loss = apply_clutter(
            classes, mapping, morph, terminal_loss=files.clutter_loss, f_ghz=f_ghz, h_ut_m=h_ut_m
        )
    if files.dem is not None:
        ground, rec = read_heights(files.dem, grid, field="dem", kind="dem")
        records.append(rec)
    if files.surface is not None:
        surface, rec = read_heights(files.surface, grid, field="surface", kind="surface")
        records.append(rec)
        obst = obstacle_heights(ground, surface, clutter_h)
    terrain = Terrain(
        ground_m=ground,
        obstacle_m=obst,
        terminal_loss_db=loss,
        radius_m=files.radius_m,
        sources=records,
    )
    return terrain, morph, records
