"""The metric planning grid: a small immutable value object shared by
demand (which fills it) and the engine (which predicts on it).

A grid is north-up: ``x0``, ``y0`` is the upper-left corner of the upper-left
pixel in a projected CRS with metres as unit; rows go south, columns east.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nrplan.errors import NrplanInputError

__all__ = ["Grid"]


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid in a metric CRS.

    Parameters
    ----------
    x0, y0 : float
        Upper-left corner of the grid [m, in ``crs``].
    pixel_m : float
        Pixel size (square) [m].
    nrows, ncols : int
        Grid shape.
    crs : str
        CRS of the grid, any string pyproj accepts (e.g. ``"EPSG:32650"``).
    """

    x0: float
    y0: float
    pixel_m: float
    nrows: int
    ncols: int
    crs: str = "EPSG:3857"

    def __post_init__(self) -> None:
        if not (self.pixel_m > 0):
            raise NrplanInputError("pixel_m", self.pixel_m, "> 0 m")
        if self.nrows < 1 or self.ncols < 1:
            raise NrplanInputError("shape", (self.nrows, self.ncols), "at least 1 x 1 pixel")

    @classmethod
    def from_bounds(
        cls, xmin: float, ymin: float, xmax: float, ymax: float, pixel_m: float, crs: str
    ) -> Grid:
        """Smallest grid of ``pixel_m`` pixels that covers the bounds."""
        if not (pixel_m > 0):
            raise NrplanInputError("resolution", pixel_m, "> 0 m")
        ncols = max(1, int(np.ceil((xmax - xmin) / pixel_m)))
        nrows = max(1, int(np.ceil((ymax - ymin) / pixel_m)))
        return cls(float(xmin), float(ymax), float(pixel_m), nrows, ncols, crs)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.nrows, self.ncols)

    @property
    def size(self) -> int:
        return self.nrows * self.ncols

    @property
    def pixel_area_km2(self) -> float:
        return self.pixel_m * self.pixel_m / 1e6

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) [m]."""
        return (
            self.x0,
            self.y0 - self.nrows * self.pixel_m,
            self.x0 + self.ncols * self.pixel_m,
            self.y0,
        )

    @property
    def transform(self):
        """Affine transform (rasterio convention)."""
        from affine import Affine

        return Affine(self.pixel_m, 0.0, self.x0, 0.0, -self.pixel_m, self.y0)

    def x_centers(self) -> np.ndarray:
        """Pixel-centre x coordinates, shape (ncols,) [m]."""
        return self.x0 + (np.arange(self.ncols) + 0.5) * self.pixel_m

    def y_centers(self) -> np.ndarray:
        """Pixel-centre y coordinates, shape (nrows,) [m] (decreasing)."""
        return self.y0 - (np.arange(self.nrows) + 0.5) * self.pixel_m

    def centers(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel-centre coordinates as two (nrows, ncols) arrays [m]."""
        return np.meshgrid(self.x_centers(), self.y_centers())

    def window(self, row0: int, col0: int, nrows: int, ncols: int) -> Grid:
        """Sub-grid starting at pixel (row0, col0)."""
        return Grid(
            self.x0 + col0 * self.pixel_m,
            self.y0 - row0 * self.pixel_m,
            self.pixel_m,
            nrows,
            ncols,
            self.crs,
        )

    def rowcol(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Row and column indices of points (may fall outside the grid)."""
        col = np.floor((np.asarray(x) - self.x0) / self.pixel_m).astype(np.int64)
        row = np.floor((self.y0 - np.asarray(y)) / self.pixel_m).astype(np.int64)
        return row, col
