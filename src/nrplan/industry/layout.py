"""Candidate radio-unit positions of a private site.

- ``"ceiling"`` (halls) and ``"pole"`` (yards, lanes, campuses): a regular
  grid aligned to the site's minimum rotated rectangle
  (:func:`nrplan.industry.zones.site_frame`): ``ceil(L / s)`` by
  ``ceil(W / s)`` cells of its sides ``L``, ``W`` (so at most ``s`` apart),
  a unit at each cell centre inside the area: a tilted site needs no more units
  than the same site drawn upright.
- ``"mast"`` (mines, macro sites on yard light towers): masts every ``s``
  along the rim (the area's exterior ring), plus an inner grid of spacing
  ``s`` (site-aligned) for points farther than ``s`` from the rim.
- With existing poles / light towers (``poles``): every layout point moves
  to the nearest pole, duplicates dropped, so units go only where a mast
  stands.

Sectored (macro) units point their first sector at the site's centroid from
a rim mast, or along the site's long side from an inner one
(:func:`sector_azimuths`); the others follow at 360 / n degrees.

An area too small for one grid point gets one unit at its representative
point. Densification = calling again with a smaller ``s``, down to the floor
:data:`MIN_SPACING_M` of the unit kind.
"""

from __future__ import annotations

import numpy as np
import shapely

from nrplan.errors import check_choice, check_range
from nrplan.industry.zones import site_frame

__all__ = [
    "LAYOUT_KINDS",
    "MIN_SPACING_M",
    "candidate_positions",
    "sector_azimuths",
    "snap_to_poles",
]

LAYOUT_KINDS = ("ceiling", "pole", "mast")

#: Smallest unit spacing a plan may densify to [m] (nrplan assumption from
#: practice): ceiling small cells not closer than ~30 m (TR 38.901 Table 7.2-4
#: evaluates InF at 20 m and 50 m; below ~30 m cost and handovers grow faster
#: than coverage), pole units 60 m (lighting / lane poles of a yard), masts
#: 150 m (rim masts of a pit). A plan that needs less reports a shortfall.
MIN_SPACING_M: dict[str, float] = {"ceiling": 30.0, "pole": 60.0, "mast": 150.0}


def _grid_points(geom, s: float) -> np.ndarray:
    f = site_frame(geom)
    # cell-centred: ceil(L / s) cells of L / n <= s along each side, a unit in each
    nu = max(1, int(np.ceil(f.length / s - 1e-9)))
    nv = max(1, int(np.ceil(f.width / s - 1e-9)))
    uu, vv = np.meshgrid(
        (np.arange(nu) + 0.5) * f.length / nu, (np.arange(nv) + 0.5) * f.width / nv
    )
    pts = f.to_xy(uu.ravel(), vv.ravel())
    inside = shapely.contains_xy(geom, pts[:, 0], pts[:, 1])
    return pts[inside]


def snap_to_poles(pts: np.ndarray, poles: np.ndarray) -> np.ndarray:
    """Move each point to its nearest pole [m]; each pole used once.

    Parameters
    ----------
    pts : ndarray, shape (n, 2)
        Layout points [m].
    poles : ndarray, shape (m, 2)
        Existing poles / light towers [m] (m >= 1).

    Returns
    -------
    ndarray, shape (k, 2), k <= min(n, m)
        Distinct poles, in the order of the points that chose them.
    """
    d = np.hypot(pts[:, None, 0] - poles[None, :, 0], pts[:, None, 1] - poles[None, :, 1])
    idx = np.argmin(d, axis=1)
    _, first = np.unique(idx, return_index=True)
    return poles[idx[np.sort(first)]]


def sector_azimuths(pts: np.ndarray, geom, sectors: int) -> np.ndarray:
    """Compass azimuths [deg] of the sectors of sites at ``pts``, shape (n, sectors).

    Sector 0 of a site farther than a tenth of the site's extent from its
    centroid points at the centroid (a rim mast serves inwards); sector 0 of
    a central site points along the long side of the site frame; sector k
    at ``az0 + 360 k / sectors``.
    """
    f = site_frame(geom)
    c = geom.centroid
    dx, dy = c.x - pts[:, 0], c.y - pts[:, 1]
    az_c = np.degrees(np.arctan2(dx, dy))  # compass: 0 north, clockwise
    az_f = float(np.degrees(np.arctan2(f.ux[0], f.ux[1])))
    far = np.hypot(dx, dy) > 0.1 * max(f.length, 1.0)
    az0 = np.where(far, az_c, az_f)
    return np.mod(az0[:, None] + 360.0 / sectors * np.arange(sectors)[None, :], 360.0)


def candidate_positions(
    geom, kind: str, spacing_m: float, poles: np.ndarray | None = None
) -> np.ndarray:
    """Unit positions (n, 2) [m] for an area in a metric CRS.

    Parameters
    ----------
    geom : shapely Polygon or MultiPolygon
        Service area [m].
    kind : {"ceiling", "pole", "mast"}
        Placement rule (see the module docstring).
    spacing_m : float
        Spacing between units [m] (> 0).
    poles : ndarray, shape (m, 2), optional
        Existing poles / light towers [m]: units are moved onto them
        (:func:`snap_to_poles`).

    Returns
    -------
    ndarray, shape (n, 2)
        x, y of the units [m], n >= 1.
    """
    kind = check_choice("unit.kind", kind, LAYOUT_KINDS)
    check_range("spacing_m", spacing_m, 0.0, None, lo_open=True, unit="m")
    s = float(spacing_m)
    if kind in ("ceiling", "pole"):
        pts = _grid_points(geom, s)
    else:
        rings = [p.exterior for p in getattr(geom, "geoms", [geom])]
        rim = []
        for ring in rings:
            n = max(3, int(np.ceil(ring.length / s)))
            d = np.arange(n) * ring.length / n
            rim.append(shapely.get_coordinates(shapely.line_interpolate_point(ring, d)))
        inner = _grid_points(geom, s)
        if inner.size:
            dist = shapely.distance(shapely.points(inner), geom.boundary)
            inner = inner[dist > s]
        pts = np.vstack([*rim, inner]) if inner.size else np.vstack(rim)
    if pts.shape[0] == 0:
        rp = geom.representative_point()
        pts = np.array([[rp.x, rp.y]])
    if poles is not None and len(poles):
        pts = snap_to_poles(pts, np.asarray(poles, float)[:, :2])
    return pts
