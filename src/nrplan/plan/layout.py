"""Nominal site layouts: hexagonal three-sector grids per morphology zone.

A nominal plan places sites on a hexagonal lattice whose inter-site distance
(ISD) comes from dimensioning, one lattice per morphology class, clipped to
the pixels of that class that must be covered (plus a quarter ISD around them
so the edge of the area is served). Existing sites (e.g. 4G sites a new layer
can reuse) are preferred: a lattice point within ``reuse_radius`` x ISD of an
existing site moves onto it.

References
----------
Hexagonal three-sector ("clover-leaf") layout: 3GPP TR 38.901 V17.0.0,
Table 7.8-1 (19 sites x 3 sectors, sector boresights 30, 150, 270 deg) and
ITU-R M.2412 section 8.3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from nrplan.grid import Grid

__all__ = [
    "SECTOR_AZIMUTHS_DEG",
    "SiteSet",
    "downtilt_deg",
    "hex_lattice",
    "nominal_layout",
    "site_spacing_m",
]

#: Boresights of the three sectors of a site, compass degrees (TR 38.901 Table 7.8-1).
SECTOR_AZIMUTHS_DEG = (30.0, 150.0, 270.0)


@dataclass(frozen=True)
class SiteSet:
    """Site positions of a plan (one row per site, not per sector).

    Attributes
    ----------
    x, y : ndarray
        Site coordinates in the grid CRS [m].
    morphology : ndarray of uint8
        Morphology class the site was planned for.
    reused : ndarray of bool
        True where the site is an existing site that is reused.
    origin : ndarray of str
        How the site came about: "nominal", "existing", "coverage", "capacity".
    """

    x: np.ndarray
    y: np.ndarray
    morphology: np.ndarray
    reused: np.ndarray
    origin: np.ndarray

    def __len__(self) -> int:
        return int(self.x.size)

    @classmethod
    def empty(cls) -> SiteSet:
        return cls(
            np.zeros(0), np.zeros(0), np.zeros(0, np.uint8), np.zeros(0, bool), np.zeros(0, "U8")
        )

    def concat(self, other: SiteSet) -> SiteSet:
        return SiteSet(
            np.concatenate([self.x, other.x]),
            np.concatenate([self.y, other.y]),
            np.concatenate([self.morphology, other.morphology]),
            np.concatenate([self.reused, other.reused]),
            np.concatenate([self.origin, other.origin]).astype("U8"),
        )

    def take(self, index: np.ndarray) -> SiteSet:
        return SiteSet(
            self.x[index],
            self.y[index],
            self.morphology[index],
            self.reused[index],
            self.origin[index],
        )


def hex_lattice(
    xmin: float, ymin: float, xmax: float, ymax: float, isd: float, offset=(0.0, 0.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Points of a hexagonal lattice with spacing ``isd`` covering a box.

    Rows are ``isd * sqrt(3) / 2`` apart, every other row shifted by
    ``isd / 2``; each point's nearest neighbours are exactly ``isd`` away.

    Parameters
    ----------
    xmin, ymin, xmax, ymax : float
        Box to cover [m].
    isd : float
        Inter-site distance [m].
    offset : (float, float)
        Shift of the lattice origin [m] (e.g. a seeded random phase).
    """
    dy = isd * np.sqrt(3.0) / 2.0
    ox, oy = offset
    j0 = int(np.floor((ymin - oy) / dy)) - 1
    j1 = int(np.ceil((ymax - oy) / dy)) + 1
    i0 = int(np.floor((xmin - ox) / isd)) - 1
    i1 = int(np.ceil((xmax - ox) / isd)) + 1
    jj, ii = np.meshgrid(np.arange(j0, j1 + 1), np.arange(i0, i1 + 1), indexing="ij")
    x = ox + ii * isd + (jj % 2) * isd / 2.0
    y = oy + jj * dy
    keep = (x >= xmin) & (x <= xmax) & (y >= ymin) & (y <= ymax)
    return x[keep].astype(float), y[keep].astype(float)


def nominal_layout(
    grid: Grid,
    morphology: np.ndarray,
    scope: np.ndarray,
    isd_by_class: dict[int, float],
    rng: np.random.Generator,
    existing_xy: np.ndarray | None = None,
    reuse_radius: float = 0.35,
) -> SiteSet:
    """Hexagonal layout per morphology class, clipped to the area to cover.

    Parameters
    ----------
    grid : Grid
        Planning grid.
    morphology : ndarray of uint8, shape grid.shape
        Morphology code per pixel (0 = outside).
    scope : ndarray of bool, shape grid.shape
        Pixels that must be covered.
    isd_by_class : dict
        Inter-site distance per morphology code [m].
    rng : numpy.random.Generator
        Draws the lattice phase (deterministic for a seed).
    existing_xy : ndarray, shape (n, 2), optional
        Existing sites in the grid CRS [m], preferred over new positions.
    reuse_radius : float
        A lattice point moves onto an existing site closer than
        ``reuse_radius * isd``.

    Returns
    -------
    SiteSet
    """
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    ms: list[np.ndarray] = []
    xmin, ymin, xmax, ymax = grid.bounds
    # densest class first; a sparser class does not place a site where the
    # denser lattice already has one within 0.6 of its own ISD
    for code, isd in sorted(isd_by_class.items(), key=lambda kv: (kv[1], kv[0])):
        zone = scope & (morphology == code)
        if not zone.any():
            continue
        # serve the zone's edge: accept lattice points within isd/4 of the zone
        radius_px = max(1, round(0.25 * isd / grid.pixel_m))
        near = ndimage.binary_dilation(zone, iterations=radius_px) if radius_px < 200 else zone
        offset = tuple(rng.uniform(0.0, isd, size=2))
        x, y = hex_lattice(xmin, ymin, xmax, ymax, isd, offset)
        row, col = grid.rowcol(x, y)
        inside = (row >= 0) & (row < grid.nrows) & (col >= 0) & (col < grid.ncols)
        x, y, row, col = x[inside], y[inside], row[inside], col[inside]
        keep = near[row, col]
        if xs and keep.any():
            placed = np.column_stack([np.concatenate(xs), np.concatenate(ys)])
            dist, _ = cKDTree(placed).query(np.column_stack([x, y]))
            keep &= dist >= 0.6 * isd
        if not keep.any() and not xs:
            # zone smaller than one cell: one site at its most central pixel
            rr, cc = np.nonzero(zone)
            k = int(np.argmin((rr - rr.mean()) ** 2 + (cc - cc.mean()) ** 2))
            cx, cy = grid.x_centers()[cc[k]], grid.y_centers()[rr[k]]
            x, y, keep = np.array([cx]), np.array([cy]), np.array([True])
        xs.append(x[keep])
        ys.append(y[keep])
        ms.append(np.full(int(keep.sum()), code, np.uint8))
    if not xs:
        return SiteSet.empty()
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    m = np.concatenate(ms)
    reused = np.zeros(x.size, bool)
    origin = np.full(x.size, "nominal", "U8")
    if existing_xy is not None and len(existing_xy):
        isd_per_site = np.array([isd_by_class[int(c)] for c in m])
        tree = cKDTree(existing_xy)
        dist, idx = tree.query(np.column_stack([x, y]))
        taken: set[int] = set()
        order = np.argsort(dist)
        for k in order:
            if dist[k] <= reuse_radius * isd_per_site[k] and int(idx[k]) not in taken:
                taken.add(int(idx[k]))
                x[k], y[k] = existing_xy[idx[k]]
                reused[k] = True
                origin[k] = "existing"
    return SiteSet(x, y, m, reused, origin)


def site_spacing_m(sites: SiteSet, default_m: np.ndarray) -> np.ndarray:
    """Local inter-site distance of every site [m]: the median distance to its
    three nearest neighbours (the ISD on a hexagonal lattice), or ``default_m``
    (per site) where there are fewer than four sites or the neighbours are
    farther than twice the default (an isolated site at an area's edge)."""
    n = len(sites)
    default_m = np.broadcast_to(np.asarray(default_m, dtype=float), (n,))
    if n < 4:
        return default_m.copy()
    d, _ = cKDTree(np.column_stack([sites.x, sites.y])).query(
        np.column_stack([sites.x, sites.y]), k=4
    )
    spacing = np.median(d[:, 1:], axis=1)
    return np.where(spacing <= 2.0 * default_m, spacing, default_m)


def downtilt_deg(height_m, spacing_m, vertical_hpbw_deg: float) -> np.ndarray:
    """Total downtilt that puts the upper half-power direction of the vertical
    beam at the cell edge [deg]: ``atan(h / R) + HPBW_v / 2`` with the cell
    range ``R = 2/3 ISD`` of a three-sector hexagonal site.

    References
    ----------
    J. Niemela, T. Isotalo, J. Lempiainen, "Optimum antenna downtilt angles for
    macrocellular WCDMA network", EURASIP J. Wireless Communications and
    Networking 2005:5 (the geometric downtilt ``atan(h/d) + HPBW_v/2`` and its
    optimum near it); cell range of a three-sector site: ``ISD = 1.5 R``.
    """
    r = 2.0 / 3.0 * np.asarray(spacing_m, dtype=float)
    return np.degrees(np.arctan2(np.asarray(height_m, dtype=float), r)) + vertical_hpbw_deg / 2
