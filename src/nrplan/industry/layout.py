"""Candidate radio-unit positions of a private site.

- ``"ceiling"`` (halls) and ``"pole"`` (yards, lanes, campuses): a regular
  square grid of spacing ``s`` aligned to the area's bounding box and centred
  on it, kept where it falls inside the area.
- ``"mast"`` (open-pit mines): masts every ``s`` along the rim (the area's
  exterior ring), plus an inner grid of spacing ``s`` for points farther than
  ``s`` from the rim (large pits).

An area too small for one grid point gets one unit at its representative
point. Densification = calling again with a smaller ``s``, down to the floor
:data:`MIN_SPACING_M` of the unit kind.
"""

from __future__ import annotations

import numpy as np
import shapely

from nrplan.errors import check_choice, check_range

__all__ = ["LAYOUT_KINDS", "MIN_SPACING_M", "candidate_positions"]

LAYOUT_KINDS = ("ceiling", "pole", "mast")

#: Smallest unit spacing a plan may densify to [m] (nrplan assumption from
#: practice): ceiling small cells not closer than ~30 m (TR 38.901 Table 7.2-4
#: evaluates InF at 20 m and 50 m; below ~30 m cost and handovers grow faster
#: than coverage), pole units 60 m (lighting / lane poles of a yard), masts
#: 150 m (rim masts of a pit). A plan that needs less reports a shortfall.
MIN_SPACING_M: dict[str, float] = {"ceiling": 30.0, "pole": 60.0, "mast": 150.0}


def _grid_points(geom, s: float) -> np.ndarray:
    xmin, ymin, xmax, ymax = geom.bounds
    nx = max(1, int(np.floor((xmax - xmin) / s)) + 1)
    ny = max(1, int(np.floor((ymax - ymin) / s)) + 1)
    x0 = (xmin + xmax) / 2 - (nx - 1) * s / 2
    y0 = (ymin + ymax) / 2 - (ny - 1) * s / 2
    xx, yy = np.meshgrid(x0 + np.arange(nx) * s, y0 + np.arange(ny) * s)
    pts = np.column_stack([xx.ravel(), yy.ravel()])
    inside = shapely.contains_xy(geom, pts[:, 0], pts[:, 1])
    return pts[inside]


def candidate_positions(geom, kind: str, spacing_m: float) -> np.ndarray:
    """Unit positions (n, 2) [m] for an area in a metric CRS.

    Parameters
    ----------
    geom : shapely Polygon or MultiPolygon
        Service area [m].
    kind : {"ceiling", "pole", "mast"}
        Placement rule (see the module docstring).
    spacing_m : float
        Spacing between units [m] (> 0).

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
    return pts
