"""Settlement footprints: spread each settlement's people over a built-up disc.

Model
-----
A settlement of ``P`` people occupies a built-up disc of area
``A = P / rho`` (``rho`` = mean built-up density, default 7,288 people/km^2
from MOHURD 2020), radius ``R = sqrt(A / pi)``, centred on its point. The
disc is split into rings by relative radius ``r/R`` according to the
settlement's size class:

==================  ===========  ==============  ===========  ============
size [people]        urban core   dense urban     urban        suburban
==================  ===========  ==============  ===========  ============
>= 5,000,000         r/R < 0.20   0.20 - 0.40     0.40 - 0.75  0.75 - 1
1,000,000 - 5 M      -            r/R < 0.40      0.40 - 0.75  0.75 - 1
100,000 - 999,999    -            -               r/R < 0.60   0.60 - 1
< 100,000            -            -               -            r/R < 1
==================  ===========  ==============  ===========  ============

Within the disc, people are spread with relative densities 3 : 2 : 1 : 0.5
(urban core : dense urban : urban : suburban), normalised so the
settlement's pixels hold exactly ``P`` (population is conserved). For a city
of 1-5 M the ring densities are then 2.13 rho, 1.06 rho, 0.53 rho (15,500 /
7,750 / 3,880 people/km^2 at the default rho). Overlapping footprints add
their people; the pixel takes the densest class
(:data:`nrplan.morphology.DENSITY_ORDER`). Pixels inside the region and
outside every footprint are rural.

The size thresholds are the State Council's city-size classes (国发〔2014〕51号,
"关于调整城市规模划分标准的通知": extra-large cities 5-10 M and megacities
>= 10 M urban residents, large cities 1-5 M, medium cities 0.5-1 M); only the
extra-large and megacities get an urban core (their CBDs).

References
----------
MOHURD 2021 城乡建设统计年鉴: city 城区 population 44,253.74万 and city
built-up area 60,721.32 km^2 in 2020 (http://m.studyofnet.com/373424469.html)
for ``rho``.
Ring radii and relative densities are nrplan defaults (monocentric city
density gradient), overridable in :class:`FootprintModel`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nrplan.demand.defaults import BUILT_UP_DENSITY
from nrplan.errors import check_range
from nrplan.grid import Grid
from nrplan.morphology import DENSE_URBAN, DENSITY_ORDER, NONE, SUBURBAN, URBAN, URBAN_CORE

__all__ = ["FootprintModel", "Footprints", "rasterize_footprints"]


@dataclass(frozen=True)
class FootprintModel:
    """Parameters of the settlement footprint model (see module docstring).

    Attributes
    ----------
    density_per_km2 : float
        Mean built-up density ``rho`` [people/km^2].
    core_min_population, large_min_population, medium_min_population : float
        Size-class thresholds [people].
    core_ring : float
        Outer ``r/R`` of the urban core of the largest settlements.
    large_rings : tuple of float
        Outer ``r/R`` of the dense-urban and urban rings of large settlements.
    medium_ring : float
        Outer ``r/R`` of the urban ring of medium settlements.
    weights : tuple of float
        Relative densities of urban core, dense urban, urban, suburban pixels.
    """

    density_per_km2: float = BUILT_UP_DENSITY.value
    core_min_population: float = 5_000_000
    large_min_population: float = 1_000_000
    medium_min_population: float = 100_000
    large_rings: tuple[float, float] = (0.40, 0.75)
    medium_ring: float = 0.60
    core_ring: float = 0.20
    weights: tuple[float, float, float, float] = (3.0, 2.0, 1.0, 0.5)

    def __post_init__(self) -> None:
        check_range("density_per_km2", self.density_per_km2, 0.0, lo_open=True, unit="people/km^2")
        check_range("large_rings", self.large_rings, 0.0, 1.0)
        check_range("medium_ring", self.medium_ring, 0.0, 1.0)
        check_range("core_ring", self.core_ring, 0.0, 1.0)
        check_range("weights", self.weights, 0.0, lo_open=True)

    def radius_m(self, population) -> np.ndarray:
        """Footprint-disc radius ``sqrt(P / (pi rho))`` [m]."""
        pop = np.asarray(population, dtype=float)
        return np.sqrt(pop / (np.pi * self.density_per_km2)) * 1e3

    def classes(self, population: float, rel_r: np.ndarray) -> np.ndarray:
        """Morphology code of each relative radius ``r/R`` (NONE beyond 1)."""
        out = np.full(rel_r.shape, NONE, dtype=np.uint8)
        inside = rel_r <= 1.0
        out[inside] = SUBURBAN
        if population >= self.large_min_population:
            out[inside & (rel_r < self.large_rings[1])] = URBAN
            out[inside & (rel_r < self.large_rings[0])] = DENSE_URBAN
            if population >= self.core_min_population:
                out[inside & (rel_r < self.core_ring)] = URBAN_CORE
        elif population >= self.medium_min_population:
            out[inside & (rel_r < self.medium_ring)] = URBAN
        return out


@dataclass(frozen=True)
class Footprints:
    """Rasterised footprints on a grid."""

    population: np.ndarray  # float32 people per pixel
    morphology: np.ndarray  # uint8 (NONE outside every footprint)
    built_up: np.ndarray  # bool: footprint pixels of in-scope settlements
    forced: np.ndarray  # bool: pixels added to the mask to hold a settlement
    outside_grid: float  # people of settlements whose point is off the grid


def rasterize_footprints(
    grid: Grid,
    mask: np.ndarray,
    x,
    y,
    population,
    in_scope,
    model: FootprintModel,
) -> Footprints:
    """Rasterise settlement footprints on ``grid``, clipped to ``mask``.

    Parameters
    ----------
    grid : Grid
    mask : ndarray of bool, shape ``grid.shape``
        Pixels inside the region.
    x, y : array_like
        Settlement coordinates in the grid CRS [m].
    population : array_like
        Settlement populations [people], >= 0.
    in_scope : array_like of bool
        Settlements the year's coverage target applies to.
    model : FootprintModel

    Returns
    -------
    Footprints
        Each settlement's people go to its footprint pixels inside ``mask``;
        if none of them is inside (footprint smaller than a pixel, or cut by
        the boundary), to the pixel holding its point, which is then flagged
        in ``forced`` (the caller adds it to the mask). Settlements whose
        point lies off the grid contribute only their on-grid pixels, and
        their remaining people are counted in ``outside_grid``.

    Notes
    -----
    One vectorised distance computation per settlement over its bounding
    window (no per-pixel Python).
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    y = np.atleast_1d(np.asarray(y, dtype=float))
    pop = np.atleast_1d(np.asarray(population, dtype=float))
    scope = np.atleast_1d(np.asarray(in_scope, dtype=bool))
    check_range("population", pop, 0.0, unit="people")
    nrows, ncols = grid.shape
    out_pop = np.zeros(grid.shape, dtype=np.float32)
    morph = np.full(grid.shape, 255, dtype=np.uint8)
    built = np.zeros(grid.shape, dtype=bool)
    forced = np.zeros(grid.shape, dtype=bool)
    outside = 0.0
    xc, yc = grid.x_centers(), grid.y_centers()
    radii = model.radius_m(pop)
    w_by_code = np.zeros(256, dtype=np.float32)
    w_by_code[[URBAN_CORE, DENSE_URBAN, URBAN, SUBURBAN]] = model.weights
    # the raster holds density ranks while footprints are merged (densest wins)
    rank = np.full(256, 255, dtype=np.uint8)
    rank[list(DENSITY_ORDER)] = np.arange(len(DENSITY_ORDER), dtype=np.uint8)
    code_of_rank = np.full(256, NONE, dtype=np.uint8)
    code_of_rank[: len(DENSITY_ORDER)] = DENSITY_ORDER
    for k in np.flatnonzero(pop > 0):
        r = radii[k]
        row, col = grid.rowcol(x[k], y[k])
        on_grid = 0 <= row < nrows and 0 <= col < ncols
        r0 = max(int(np.floor((grid.y0 - (y[k] + r)) / grid.pixel_m)), 0)
        r1 = min(int(np.floor((grid.y0 - (y[k] - r)) / grid.pixel_m)) + 1, nrows)
        c0 = max(int(np.floor((x[k] - r - grid.x0) / grid.pixel_m)), 0)
        c1 = min(int(np.floor((x[k] + r - grid.x0) / grid.pixel_m)) + 1, ncols)
        placed = False
        if r0 < r1 and c0 < c1:
            dx = xc[c0:c1][None, :] - x[k]
            dy = yc[r0:r1][:, None] - y[k]
            rel = np.sqrt(dx * dx + dy * dy) / r
            cls = model.classes(pop[k], rel)
            cls[~mask[r0:r1, c0:c1]] = NONE
            w = w_by_code[cls]
            wsum = w.sum()
            if wsum > 0:
                share = 1.0
                if not on_grid:
                    # only the part of the disc on the grid: its area share
                    share = min(1.0, float((rel <= 1.0).sum()) * grid.pixel_m**2 / (np.pi * r * r))
                    outside += pop[k] * (1.0 - share)
                out_pop[r0:r1, c0:c1] += w * (pop[k] * share / wsum)
                win = morph[r0:r1, c0:c1]
                sel = cls != NONE
                win[sel] = np.minimum(win[sel], rank[cls[sel]])
                if scope[k]:
                    built[r0:r1, c0:c1] |= sel
                placed = True
        if not placed:
            if on_grid:
                out_pop[row, col] += pop[k]
                c = model.classes(pop[k], np.zeros(1))[0]
                morph[row, col] = min(morph[row, col], rank[c])
                forced[row, col] = not mask[row, col]
                built[row, col] |= bool(scope[k])
            else:
                outside += pop[k]
    morph = code_of_rank[morph]
    return Footprints(out_pop, morph, built, forced, float(outside))
