"""The terrain and clutter inputs of one prediction, on its grid (`Terrain`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError, check_range

__all__ = ["DEFAULT_MAX_SAMPLES", "Terrain"]

DEFAULT_MAX_SAMPLES = 32
"""Largest number of profile intervals per (site, pixel) path: one sample per
pixel up to 32 (a 1.5 km path is sampled every 47 m, about the 1-arc-second
SRTM / Copernicus DEM spacing of 30 m; a 3 km path every 94 m)."""


@dataclass(eq=False)
class Terrain:
    """Heights and terminal clutter loss on the prediction grid.

    Parameters
    ----------
    ground_m : ndarray of float, grid shape, or None
        Ground height (DEM) at each pixel centre [m]; only differences matter.
        None = flat ground (only the terminal clutter loss applies).
    obstacle_m : ndarray of float, grid shape, optional
        Heights the profiles' interior points are taken from (ground plus
        obstacles that rise above the clutter the TR 38.901 scenario already
        models, see :func:`nrplan.terrain.clutter.obstacle_heights`); None =
        ``ground_m``.
    terminal_loss_db : ndarray of float, grid shape, optional
        Clutter loss at the terminal added to every link of a pixel [dB]
        (ITU-R P.2108-1 3.1 / per-class loss of the clutter mapping).
    radius_m : float, optional
        Half-width of the square window around each site where the terrain
        adjustment is computed [m]; links beyond it use the flat model. None =
        three times the median distance between neighbouring masts, within
        [1.5 km, 10 km] (capped so that the windows fit in 2 GiB).
    max_samples : int
        Largest number of profile intervals per path (:data:`DEFAULT_MAX_SAMPLES`).
    sources : list of dict
        Provenance of the rasters (file, CRS, resolution, sha256) for run records.
    """

    ground_m: np.ndarray | None
    obstacle_m: np.ndarray | None = None
    terminal_loss_db: np.ndarray | None = None
    radius_m: float | None = None
    max_samples: int = DEFAULT_MAX_SAMPLES
    sources: list[dict[str, Any]] = field(default_factory=list)

    def check(self, shape: tuple[int, int]) -> None:
        """Raise NrplanInputError unless every array has ``shape`` and finite values."""
        for name in ("ground_m", "obstacle_m", "terminal_loss_db"):
            a = getattr(self, name)
            if a is None:
                continue
            if np.shape(a) != tuple(shape):
                raise NrplanInputError(f"terrain.{name}", np.shape(a), f"shape {shape} of the grid")
            if not np.isfinite(a).all():
                raise NrplanInputError(f"terrain.{name}", "non-finite values", "finite numbers")
        if self.radius_m is not None:
            check_range("terrain.radius_m", self.radius_m, 0.0, 50_000.0, lo_open=True, unit="m")
        check_range("terrain.max_samples", self.max_samples, 2, 4096)

    def crop(self, window: tuple[slice, slice] | None) -> Terrain:
        """The terrain of a window ``(rows, cols)`` of the grid (None = self)."""
        if window is None:
            return self
        rs, cs = window

        def cut(a):
            return None if a is None else a[rs, cs]

        return Terrain(
            cut(self.ground_m), cut(self.obstacle_m), cut(self.terminal_loss_db),
            self.radius_m, self.max_samples, self.sources,
        )  # fmt: skip

    def record(self) -> dict[str, Any]:
        """JSON-ready description for run metadata."""
        return {
            "sources": list(self.sources),
            "radius_m": self.radius_m,
            "max_samples": int(self.max_samples),
            "dem": self.ground_m is not None,
            "surface": self.obstacle_m is not None,
            "terminal_clutter_loss": self.terminal_loss_db is not None,
        }
