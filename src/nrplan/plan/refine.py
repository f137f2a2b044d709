"""Where to add sites: coverage holes, weak-rate clusters and overloaded cells.

Pure functions over the planning grid and the current prediction; the
planner loop (:mod:`nrplan.plan.city`) calls them between engine runs.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import cKDTree

from nrplan.grid import Grid
from nrplan.plan.layout import SiteSet, hex_lattice

__all__ = ["densify_sites", "hole_sites", "overload_sites"]

_EIGHT = np.ones((3, 3), bool)


def _too_close(x: float, y: float, xs: list[float], ys: list[float], dist: float) -> bool:
    """True if (x, y) lies closer than ``dist`` to any of the points (xs, ys)."""
    if not xs:
        return False
    return bool(np.min((np.asarray(xs) - x) ** 2 + (np.asarray(ys) - y) ** 2) < dist * dist)


def _new_sites(x: list[float], y: list[float], m: list[int], origin: str) -> SiteSet:
    """New (not reused) sites from coordinate lists."""
    n = len(x)
    return SiteSet(
        np.array(x, float),
        np.array(y, float),
        np.array(m, np.uint8),
        np.zeros(n, bool),
        np.full(n, origin, "U8"),
    )


def hole_sites(
    grid: Grid,
    failing: np.ndarray,
    morphology: np.ndarray,
    isd_by_class: dict[int, float],
    deficit_pixels: float,
    existing: SiteSet,
    min_pixels: int = 3,
    max_new: int = 50,
) -> SiteSet:
    """New sites for the largest clusters of failing pixels.

    Clusters (8-connected) are taken largest first until their total size
    reaches 1.5 x ``deficit_pixels`` (the shortfall to the target, with a
    margin because a new site rarely fixes a whole cluster). A cluster gets
    the hexagonal lattice points of its local ISD that fall inside it, or one
    site at its most central pixel when none does.

    Parameters
    ----------
    grid : Grid
        Planning grid.
    failing : ndarray of bool
        Pixels that fail a target (uncovered or below the edge rate).
    morphology : ndarray of uint8
        Morphology code per pixel.
    isd_by_class : dict
        ISD per morphology code [m].
    deficit_pixels : float
        How many failing pixels must be fixed to meet the target.
    existing : SiteSet
        Sites already in the plan (new sites keep 0.3 ISD away from them).
    min_pixels : int
        Clusters smaller than this are left alone.
    max_new : int
        Cap on the sites added.
    """
    if deficit_pixels <= 0 or not failing.any():
        return SiteSet.empty()
    labels, n = ndimage.label(failing, structure=_EIGHT)
    if n == 0:
        return SiteSet.empty()
    sizes = np.bincount(labels.ravel())[1:]
    order = np.argsort(-sizes, kind="stable")
    tree = cKDTree(np.column_stack([existing.x, existing.y])) if len(existing) else None
    xc, yc = grid.x_centers(), grid.y_centers()
    objects = ndimage.find_objects(labels)
    new_x: list[float] = []
    new_y: list[float] = []
    new_m: list[int] = []
    fixed = 0.0
    default_isd = float(np.median(list(isd_by_class.values())))
    for k in order:
        if fixed >= 1.5 * deficit_pixels or len(new_x) >= max_new:
            break
        if sizes[k] < min_pixels:
            break
        sl = objects[k]
        sub = labels[sl] == k + 1
        rr, cc = np.nonzero(sub)
        rr = rr + sl[0].start
        cc = cc + sl[1].start
        codes = morphology[rr, cc]
        code = int(np.bincount(codes).argmax())
        isd = isd_by_class.get(code, default_isd)
        px, py = xc[cc], yc[rr]
        cand_x, cand_y = hex_lattice(px.min(), py.min(), px.max(), py.max(), isd, (px[0], py[0]))
        if cand_x.size:
            row, col = grid.rowcol(cand_x, cand_y)
            ok = (row >= 0) & (row < grid.nrows) & (col >= 0) & (col < grid.ncols)
            cand_x, cand_y, row, col = cand_x[ok], cand_y[ok], row[ok], col[ok]
            inside = labels[row, col] == k + 1
            cand_x, cand_y = cand_x[inside], cand_y[inside]
        if cand_x.size == 0:
            j = int(np.argmin((px - px.mean()) ** 2 + (py - py.mean()) ** 2))
            cand_x, cand_y = np.array([px[j]]), np.array([py[j]])
        for x, y in zip(cand_x, cand_y, strict=True):
            if tree is not None and tree.query([x, y])[0] < 0.3 * isd:
                continue
            if any(
                (x - a) ** 2 + (y - b) ** 2 < (0.3 * isd) ** 2
                for a, b in zip(new_x, new_y, strict=False)
            ):
                continue
            new_x.append(float(x))
            new_y.append(float(y))
            new_m.append(code)
            if len(new_x) >= max_new:
                break
        fixed += sizes[k]
    return _new_sites(new_x, new_y, new_m, "coverage")


def densify_sites(
    grid: Grid,
    need: np.ndarray,
    morphology: np.ndarray,
    existing: SiteSet,
    deficit_pixels: float,
    isd_m: float,
    growth: float = 0.5,
    max_new: int = 50,
) -> SiteSet:
    """New sites where coverage falls short, placed as cell splitting does.

    The ``2 x deficit_pixels`` pixels with the largest ``need`` (a failing
    pixel's shortfall to its target) are the zone to densify. Its density is
    raised by ``growth`` (the existing sites within half an ISD of the zone,
    times ``growth``, new sites), each new site at the zone pixel farthest from
    every site (greedy farthest-point placement: the cell edges, where a
    lattice of spacing ``ISD / sqrt(3)`` would put them), never closer than a
    third of ``isd_m`` to another site.

    Parameters
    ----------
    grid : Grid
        Planning grid.
    need : ndarray of float
        Shortfall of each pixel (> 0 where it fails a target).
    morphology : ndarray of uint8
        Morphology code per pixel (the new site's class).
    existing : SiteSet
        Sites already in the plan.
    deficit_pixels : float
        How many failing pixels must be fixed to meet the targets.
    isd_m : float
        Dimensioned ISD of the zone's classes [m] (for the minimum spacing).
    growth : float
        Relative density increase per call (``inf``: ``max_new`` sites).
    max_new : int
        Cap on the sites added.
    """
    idx = np.flatnonzero(need.ravel() > 0)
    if idx.size == 0 or deficit_pixels <= 0 or max_new <= 0:
        return SiteSet.empty()
    keep = int(min(idx.size, max(2.0 * deficit_pixels, 1.0)))
    if keep < idx.size:
        idx = idx[np.argpartition(-need.ravel()[idx], keep - 1)[:keep]]
    rr, cc = np.divmod(idx, grid.ncols)
    px, py = grid.x_centers()[cc], grid.y_centers()[rr]
    zone = cKDTree(np.column_stack([px, py]))
    if len(existing):
        sites_xy = np.column_stack([existing.x, existing.y])
        d_site, _ = zone.query(sites_xy, distance_upper_bound=0.5 * isd_m)
        n_in = int(np.isfinite(d_site).sum())
        d = cKDTree(sites_xy).query(np.column_stack([px, py]))[0]
    else:
        n_in = 0
        d = np.full(px.size, np.inf)
    n_new = (
        max_new if not np.isfinite(growth) else min(max_new, max(1, int(np.ceil(growth * n_in))))
    )
    min_sep = isd_m / 3.0
    new_x: list[float] = []
    new_y: list[float] = []
    new_m: list[int] = []
    for _ in range(n_new):
        j = int(np.argmax(d))
        if not d[j] >= min_sep:
            break
        x, y = float(px[j]), float(py[j])
        new_x.append(x)
        new_y.append(y)
        new_m.append(int(morphology[rr[j], cc[j]]))
        np.minimum(d, np.hypot(px - x, py - y), out=d)
    return _new_sites(new_x, new_y, new_m, "coverage")


def overload_sites(
    grid: Grid,
    best_server: np.ndarray,
    demand_share: np.ndarray,
    loads: np.ndarray,
    load_limit: float,
    sector_site: np.ndarray,
    sites: SiteSet,
    morphology: np.ndarray,
    isd_by_class: dict[int, float],
    max_new: int = 50,
) -> SiteSet:
    """New sites that split the traffic of overloaded sectors.

    For each sector above the load limit (most loaded first), a site goes to
    the load-weighted centroid of the pixels it serves that lie farther than
    a quarter ISD from its own site (a new site on top of the old one would
    split nothing), snapped to the nearest such pixel.

    Parameters
    ----------
    demand_share : ndarray
        Per-pixel contribution to the serving sector's load (T_i / C_i).
    loads : ndarray
        Load per sector.
    sector_site : ndarray of int
        Site index of each sector.
    """
    over = np.nonzero(loads > load_limit)[0]
    if over.size == 0:
        return SiteSet.empty()
    over = over[np.argsort(-loads[over], kind="stable")]
    xc, yc = grid.x_centers(), grid.y_centers()
    flat_bs = best_server.ravel()
    order = np.argsort(flat_bs, kind="stable")
    starts = np.searchsorted(flat_bs[order], over)
    ends = np.searchsorted(flat_bs[order], over, side="right")
    new_x: list[float] = []
    new_y: list[float] = []
    new_m: list[int] = []
    default_isd = float(np.median(list(isd_by_class.values())))
    for s, a, b in zip(over, starts, ends, strict=True):
        if len(new_x) >= max_new:
            break
        pix = order[a:b]
        if pix.size == 0:
            continue
        rr, cc = np.divmod(pix, grid.ncols)
        site = int(sector_site[s])
        code = int(sites.morphology[site])
        isd = isd_by_class.get(code, default_isd)
        px, py = xc[cc], yc[rr]
        far = (px - sites.x[site]) ** 2 + (py - sites.y[site]) ** 2 > (0.25 * isd) ** 2
        if not far.any():
            far = np.ones_like(far)
        w = demand_share.ravel()[pix] * far
        if w.sum() <= 0:
            w = far.astype(float)
        cx, cy = np.average(px, weights=w), np.average(py, weights=w)
        j = int(np.argmin(np.where(far, (px - cx) ** 2 + (py - cy) ** 2, np.inf)))
        x, y = float(px[j]), float(py[j])
        if any(
            (x - u) ** 2 + (y - v) ** 2 < (0.25 * isd) ** 2
            for u, v in zip(new_x, new_y, strict=False)
        ):
            continue
        new_x.append(x)
        new_y.append(y)
        new_m.append(code if code else int(morphology[rr[j], cc[j]]))
    return _new_sites(new_x, new_y, new_m, "capacity")
