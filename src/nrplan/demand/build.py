"""Build demand on a planning grid: people, 5G users and busy-hour traffic per pixel.

Pipeline: region (WGS84) -> local UTM CRS -> planning :class:`~nrplan.grid.Grid`
at the chosen resolution -> region mask -> settlement footprints (or a
population raster / points file) -> morphology classes -> users =
population x penetration x operator share -> busy-hour DL/UL traffic.

Extent: ``"built_up"`` (default, for national runs) sizes the grid to the
footprints of the settlements in the year's coverage scope plus a margin,
so that a 470,000 km^2 prefecture does not become a 10^10-pixel grid;
``"region"`` covers the whole region's bounding box.

References
----------
Defaults and sources: :mod:`nrplan.demand.defaults` (``docs/sources.md``);
footprint model: :mod:`nrplan.demand.footprints`; traffic:
:func:`nrplan.demand.traffic.busy_hour_mbps_per_user`.
Raster density classes: EC-OECD-FAO-ILO-UN Habitat-World Bank (2020),
*A recommendation on the method to delineate cities, urban and rural areas
for international statistical comparisons* (Degree of Urbanisation): urban
centre cells >= 1,500 inhabitants/km^2.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from nrplan.demand.defaults import coverage_scope, defaults_for_year
from nrplan.demand.footprints import FootprintModel, rasterize_footprints
from nrplan.demand.traffic import busy_hour_mbps_per_user
from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.geo.projection import WGS84, local_crs, to_local, transformer
from nrplan.geo.region import Region, read_population_points
from nrplan.grid import Grid
from nrplan.io.atomic import atomic_path, write_json_atomic
from nrplan.morphology import DENSE_URBAN, NONE, RURAL, SUBURBAN, URBAN, URBAN_CORE

__all__ = [
    "EXTENTS",
    "Demand",
    "DemandParams",
    "build_demand",
    "check_population",
    "demand_totals",
    "population_from_raster",
    "write_demand_rasters",
]

EXTENTS = ("built_up", "region")

#: Raster-input density thresholds [people/km^2] for dense urban, urban,
#: suburban: geometric means of the footprint model's ring densities
#: (15,500 / 7,750 / 3,880 at rho = 7,288) and the Degree-of-Urbanisation
#: urban-centre density 1,500/km^2 as the floor of suburban.
RASTER_CLASS_THRESHOLDS = (10_960.0, 5_480.0, 1_500.0)

#: Raster-input density threshold of the urban core [people/km^2]: the
#: geometric mean of the footprint model's core and dense-urban densities of
#: a >= 5 M settlement (3 rho = 21,860 and 2 rho = 14,580 at rho = 7,288).
RASTER_CORE_THRESHOLD = 17_850.0


@dataclass(frozen=True)
class DemandParams:
    """Demand parameters; ``None`` takes the year's default (``defaults_for_year``).

    Attributes
    ----------
    penetration : float, optional
        5G users / population [0-1].
    operator_share : float
        Share of the 5G users carried by the planned network [0-1]; 1.0 =
        the whole market (or a fully shared RAN).
    dou_gb : float, optional
        Mobile data per user per month [GB].
    fiveg_dou_factor : float, optional
        A 5G user's traffic relative to the average user's [-].
    busy_hour_share : float, optional
        Share of a busy day's traffic in the busy hour [0-1].
    busy_days_per_month : float, optional
        [days].
    ul_dl_ratio : float, optional
        Uplink / downlink traffic volume [-].
    footprint : FootprintModel
        Settlement footprint model.
    rural_density_per_km2 : float
        People per km^2 added on rural pixels [people/km^2]; 0 by default
        (GeoNames settlements hold the urban and town population; use a
        population raster for dispersed rural population).
    extent : str
        ``"built_up"`` or ``"region"`` (see module docstring).
    margin_m : float
        Margin around the in-scope footprints for ``extent="built_up"`` [m].
    max_pixels : int
        Refuse grids larger than this (memory guard).
    """

    penetration: float | None = None
    operator_share: float = 1.0
    dou_gb: float | None = None
    fiveg_dou_factor: float | None = None
    busy_hour_share: float | None = None
    busy_days_per_month: float | None = None
    ul_dl_ratio: float | None = None
    footprint: FootprintModel = field(default_factory=FootprintModel)
    rural_density_per_km2: float = 0.0
    extent: str = "built_up"
    margin_m: float = 1000.0
    max_pixels: int = 60_000_000

    def resolved(self, year: int) -> dict[str, float]:
        """The traffic parameters with the year's defaults filled in."""
        d = defaults_for_year(year)
        out = {k: (getattr(self, k) if getattr(self, k) is not None else v) for k, v in d.items()}
        out["operator_share"] = self.operator_share
        check_range("penetration", out["penetration"], 0.0, 1.0)
        check_range("operator_share", out["operator_share"], 0.0, 1.0)
        check_range("ul_dl_ratio", out["ul_dl_ratio"], 0.0)
        return out


@dataclass(frozen=True, eq=False)
class Demand:
    """Demand of one region on its planning grid.

    Attributes
    ----------
    grid : Grid
    mask : ndarray of bool
        Pixels inside the region.
    population : ndarray of float32
        People per pixel [people].
    users : ndarray of float32
        5G users per pixel (population x penetration x operator share).
    dl_mbps, ul_mbps : ndarray of float32
        Busy-hour offered traffic per pixel [Mbps].
    morphology : ndarray of uint8
        :mod:`nrplan.morphology` code; 0 outside the region.
    built_up : ndarray of bool
        Footprints of settlements in the year's coverage scope: where the
        year's coverage target applies.
    year : int
    region_name, region_id : str
    params : dict
        The resolved parameters used.
    population_outside_grid : float
        Region population left off the grid (``extent="built_up"``) [people].
    """

    grid: Grid
    mask: np.ndarray
    population: np.ndarray
    users: np.ndarray
    dl_mbps: np.ndarray
    ul_mbps: np.ndarray
    morphology: np.ndarray
    built_up: np.ndarray
    year: int
    region_name: str
    region_id: str
    params: dict[str, Any]
    population_outside_grid: float = 0.0

    @property
    def total_population(self) -> float:
        return float(self.population.sum(dtype=np.float64))

    @property
    def total_users(self) -> float:
        return float(self.users.sum(dtype=np.float64))

    @property
    def area_km2(self) -> float:
        """Area of the region's pixels on the grid [km^2]."""
        return float(self.mask.sum()) * self.grid.pixel_area_km2

    @property
    def built_up_km2(self) -> float:
        return float(self.built_up.sum()) * self.grid.pixel_area_km2

    def totals(self) -> dict[str, Any]:
        """Per-region totals (population, users, traffic, areas, class areas)."""
        return demand_totals(self)


def demand_totals(demand: Demand) -> dict[str, Any]:
    """Totals of a :class:`Demand` as a plain dict (JSON-ready)."""
    px = demand.grid.pixel_area_km2
    by_class = {
        name: float((demand.morphology == code).sum()) * px
        for code, name in (
            (URBAN_CORE, "urban_core"),
            (DENSE_URBAN, "dense_urban"),
            (URBAN, "urban"),
            (SUBURBAN, "suburban"),
            (RURAL, "rural"),
        )
    }
    return {
        "region": demand.region_name,
        "id": demand.region_id,
        "year": demand.year,
        "crs": demand.grid.crs,
        "resolution_m": demand.grid.pixel_m,
        "shape": list(demand.grid.shape),
        "population": demand.total_population,
        "population_outside_grid": demand.population_outside_grid,
        "users": demand.total_users,
        "dl_mbps": float(demand.dl_mbps.sum(dtype=np.float64)),
        "ul_mbps": float(demand.ul_mbps.sum(dtype=np.float64)),
        "area_km2": demand.area_km2,
        "built_up_km2": demand.built_up_km2,
        "built_up_population": float(demand.population[demand.built_up].sum(dtype=np.float64)),
        "class_area_km2": by_class,
    }


# ------------------------------------------------------------------ helpers


def _snap_grid(bounds, resolution_m: float, crs: str) -> Grid:
    xmin, ymin, xmax, ymax = bounds
    xmin = math.floor(xmin / resolution_m) * resolution_m
    ymin = math.floor(ymin / resolution_m) * resolution_m
    xmax = math.ceil(xmax / resolution_m) * resolution_m
    ymax = math.ceil(ymax / resolution_m) * resolution_m
    return Grid.from_bounds(xmin, ymin, xmax, ymax, resolution_m, crs)


def _region_mask(grid: Grid, geom_local) -> np.ndarray:
    from rasterio import features

    return features.geometry_mask(
        [shapely.geometry.mapping(geom_local)],
        out_shape=grid.shape,
        transform=grid.transform,
        invert=True,
    )


def check_population(
    population: str | os.PathLike[str], regions: list[Region], option: str = "--population"
) -> None:
    """Check a population file against the regions before any work is done.

    A raster must be readable, have a CRS and overlap the regions (with one
    region, its pixels over the region are also checked for negative
    values, on a coarse grid); a points file must be readable, have a
    population column, non-negative values and at least one point inside a
    region.

    Raises
    ------
    NrplanInputError
        Missing, empty, unreadable, no CRS, no overlap, negative values,
        no population column.
    """
    p = Path(population)
    if not p.is_file():
        raise NrplanInputError(option, str(p), "an existing raster/points file")
    if p.stat().st_size == 0:
        raise NrplanInputError(
            option, str(p), "a non-empty file", message=f"{option} {p}: the file is empty"
        )
    geoms = [r.geometry for r in regions]
    if not geoms:
        return
    if _is_raster(p):
        if len(regions) == 1:
            crs = local_crs(geoms[0])
            b = to_local(geoms[0], crs).bounds
            pixel = max(b[2] - b[0], b[3] - b[1], 1.0) / 64.0
            population_from_raster(p, Grid.from_bounds(*b, pixel, crs))
            return
        import rasterio
        from rasterio.warp import transform_bounds

        try:
            src = rasterio.open(p)
        except Exception as exc:
            msg = " ".join(str(exc).split())[:120]
            raise NrplanInputError("population", str(p), f"a readable raster ({msg})") from None
        with src:
            if src.crs is None:
                raise NrplanInputError("population", p.name, "a raster with a CRS")
            left, bottom, right, top = transform_bounds(src.crs, WGS84, *src.bounds)
        box = shapely.box(left, bottom, right, top)
        if not any(box.intersects(g) for g in geoms):
            raise NrplanInputError(
                "population",
                p.name,
                "a raster overlapping the planning area",
                message=f"{option} {p.name}: the raster does not overlap the area planned",
            )
        return
    pts = read_population_points(p)
    union = shapely.union_all(geoms)
    if not shapely.intersects(union, pts.geometry.to_numpy()).any():
        raise NrplanInputError(
            "population",
            p.name,
            "points inside the planning area",
            message=f"{option} {p.name}: no point of the file lies inside the area planned",
        )


def _is_raster(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in (".tif", ".tiff", ".vrt", ".img", ".asc", ".nc")


def _apply(tr, col, row) -> tuple[np.ndarray, np.ndarray]:
    """Affine transform of (col, row) arrays to (x, y)."""
    return tr.c + tr.a * col + tr.b * row, tr.f + tr.d * col + tr.e * row


def population_from_raster(
    path: str | os.PathLike[str], grid: Grid, max_points: int = 40_000_000
) -> np.ndarray:
    """Resample a population-count raster onto ``grid``, conserving totals.

    Each source pixel's count is split equally over ``k x k`` sub-points
    (``k`` so that sub-points are at most half a grid pixel apart), the
    sub-points are transformed to the grid CRS and summed into the pixel
    holding them: every person of a source pixel that falls on the grid is
    kept, whatever the two CRS and resolutions.

    Parameters
    ----------
    path : path-like
        GeoTIFF (or any GDAL raster) of people per pixel, any CRS; nodata
        and NaN are skipped.
    grid : Grid
    max_points : int
        Cap on sub-points (memory guard); ``k`` is reduced to fit.

    Returns
    -------
    ndarray of float64, shape ``grid.shape``
        People per grid pixel.

    Raises
    ------
    NrplanInputError
        Unreadable file, no CRS, no overlap with the grid, negative values.
    """
    import rasterio
    from rasterio.windows import Window, from_bounds

    p = Path(path)
    if not p.exists():
        raise NrplanInputError("population", str(path), "an existing file")
    try:
        src = rasterio.open(p)
    except Exception as exc:
        raise NrplanInputError("population", str(path), f"a readable raster ({exc})") from None
    with src:
        if src.crs is None:
            raise NrplanInputError("population", p.name, "a raster with a CRS")
        to_src = transformer(grid.crs, src.crs.to_string())
        gx0, gy0, gx1, gy1 = grid.bounds
        ex = np.linspace(gx0, gx1, 21)
        ey = np.linspace(gy0, gy1, 21)
        bx = np.concatenate([ex, ex, np.full(21, gx0), np.full(21, gx1)])
        by = np.concatenate([np.full(21, gy0), np.full(21, gy1), ey, ey])
        sx, sy = to_src.transform(bx, by)
        sb = src.bounds
        if not (
            np.all(np.isfinite(sx))
            and min(sx) < sb.right
            and max(sx) > sb.left
            and min(sy) < sb.top
            and max(sy) > sb.bottom
        ):
            raise NrplanInputError(
                "population",
                p.name,
                "a raster overlapping the planning area (the raster's bounds "
                f"{sb.left:.4g},{sb.bottom:.4g},{sb.right:.4g},{sb.top:.4g} in {src.crs} miss it)",
            )
        win = from_bounds(min(sx), min(sy), max(sx), max(sy), transform=src.transform)
        c0, r0 = math.floor(win.col_off), math.floor(win.row_off)
        c1 = math.ceil(win.col_off + win.width)
        r1 = math.ceil(win.row_off + win.height)
        win = Window(c0, r0, c1 - c0, r1 - r0).intersection(Window(0, 0, src.width, src.height))
        data = src.read(1, window=win, masked=True).astype(np.float64)
        vals = data.filled(np.nan)
        tr = src.window_transform(win)
        src_crs = src.crs.to_string()
        if np.nanmin(vals, initial=0.0) < 0:
            raise NrplanInputError("population", p.name, "people per pixel >= 0 (negative values)")
    rows, cols = np.nonzero(np.isfinite(vals) & (vals > 0))
    out = np.zeros(grid.shape, dtype=np.float64)
    if rows.size == 0:
        return out
    # source pixel size in grid metres, from its centre's neighbourhood
    to_grid = transformer(src_crs, grid.crs)
    cx, cy = _apply(tr, cols + 0.5, rows + 0.5)
    mx, my = to_grid.transform(np.array([cx[0], cx[0] + tr.a]), np.array([cy[0], cy[0] + tr.e]))
    src_m = max(abs(mx[1] - mx[0]), abs(my[1] - my[0]))
    k = max(1, math.ceil(2.0 * src_m / grid.pixel_m))
    k = max(1, min(k, int(math.sqrt(max_points / rows.size))))
    offs = (np.arange(k) + 0.5) / k
    ox, oy = np.meshgrid(offs, offs)
    sub_c = (cols[:, None] + ox.ravel()[None, :]).ravel()
    sub_r = (rows[:, None] + oy.ravel()[None, :]).ravel()
    sxs, sys_ = _apply(tr, sub_c, sub_r)
    gx, gy = to_grid.transform(sxs, sys_)
    w = np.repeat(vals[rows, cols] / (k * k), k * k)
    gr, gc = grid.rowcol(gx, gy)
    ok = (gr >= 0) & (gr < grid.nrows) & (gc >= 0) & (gc < grid.ncols)
    if not ok.any():
        raise NrplanInputError("population", p.name, "a raster overlapping the planning area")
    np.add.at(out, (gr[ok], gc[ok]), w[ok])
    return out


def _settlement_arrays(settlements: gpd.GeoDataFrame, crs: str):
    if len(settlements) == 0:
        z = np.zeros(0)
        return z, z, z
    pts = settlements.geometry
    pts = pts.set_crs(WGS84) if pts.crs is None else pts.to_crs(WGS84)
    local = to_local(pts.to_numpy(), crs)
    pop = settlements["population"].to_numpy(dtype=float)
    if np.any(~np.isfinite(pop)) or np.any(pop < 0):
        raise NrplanInputError("population", "settlements", ">= 0 people (negative or NaN found)")
    return shapely.get_x(local), shapely.get_y(local), pop


# -------------------------------------------------------------------- build


def build_demand(
    region: Region,
    resolution_m: float,
    params: DemandParams | None = None,
    year: int = 2020,
    population: str | os.PathLike[str] | gpd.GeoDataFrame | None = None,
    *,
    extent: str | None = None,
) -> Demand:
    """Demand of a region on a planning grid.

    Parameters
    ----------
    region : Region
        Polygon (WGS84) and settlements.
    resolution_m : float
        Pixel size of the planning grid [m], 5..5000.
    params : DemandParams, optional
        Overrides of the year's defaults.
    year : int
        Scenario year 2020..2025 (defaults and coverage scope).
    population : path or GeoDataFrame, optional
        A population raster (GeoTIFF, any CRS, resampled conserving totals),
        a points file with a population column, or a GeoDataFrame of points
        with ``population``; replaces the region's settlements as the source
        of people. With a raster, morphology follows its density
        (:data:`RASTER_CLASS_THRESHOLDS`) and the built-up area is the
        in-scope settlement footprints if the region has settlements, else
        the pixels of >= 1,500 people/km^2.
    extent : {"built_up", "region"}, optional
        Overrides ``params.extent``.

    Returns
    -------
    Demand

    Raises
    ------
    NrplanInputError
        Bad resolution/year/parameters, no settlements in scope with
        ``extent="built_up"``, a grid above ``params.max_pixels``, bad
        population input.
    """
    params = params or DemandParams()
    check_range("resolution_m", resolution_m, 5.0, 5000.0, unit="m")
    ext = check_choice("extent", extent or params.extent, EXTENTS)
    traffic = params.resolved(year)
    scope = coverage_scope(year)
    crs = local_crs(region.geometry)
    geom_local = to_local(region.geometry, crs)

    settlements = region.settlements
    raster_path = None
    if population is not None:
        if isinstance(population, gpd.GeoDataFrame):
            settlements = population
        elif _is_raster(population):
            raster_path = population
        else:
            settlements = read_population_points(population)
        if raster_path is None:
            settlements = region.with_settlements(settlements).settlements
    sx, sy, spop = _settlement_arrays(settlements, crs)
    largest = np.zeros(spop.shape, dtype=bool)
    if spop.size:
        largest[int(np.argmax(spop))] = True
    in_scope = scope.in_scope(spop, largest)
    model = params.footprint

    if ext == "built_up":
        if raster_path is not None and not in_scope.any():
            ext = "region"
        elif not in_scope.any():
            raise NrplanInputError(
                "region",
                region.name,
                "a region with settlements in the year's coverage scope for extent='built_up' "
                "(use extent='region' with a population raster)",
            )
    if ext == "built_up":
        r = model.radius_m(spop[in_scope]) + params.margin_m
        bx = (np.min(sx[in_scope] - r), np.min(sy[in_scope] - r))
        tx = (np.max(sx[in_scope] + r), np.max(sy[in_scope] + r))
        rb = geom_local.bounds
        bounds = (max(bx[0], rb[0]), max(bx[1], rb[1]), min(tx[0], rb[2]), min(tx[1], rb[3]))
        if bounds[0] >= bounds[2] or bounds[1] >= bounds[3]:
            bounds = rb
    else:
        bounds = geom_local.bounds
    n_px = math.ceil((bounds[2] - bounds[0]) / resolution_m + 1) * math.ceil(
        (bounds[3] - bounds[1]) / resolution_m + 1
    )
    if n_px > params.max_pixels:
        raise NrplanInputError(
            "resolution_m",
            resolution_m,
            f"a resolution giving <= {params.max_pixels:,} pixels "
            f"(this extent needs ~{n_px:,}; coarsen it or use extent='built_up')",
        )
    grid = _snap_grid(bounds, resolution_m, crs)
    mask = _region_mask(grid, geom_local)

    fp = rasterize_footprints(grid, mask, sx, sy, spop, in_scope, model)
    mask = mask | fp.forced
    outside = fp.outside_grid
    if raster_path is not None:
        pop = population_from_raster(raster_path, grid)
        pop[~mask] = 0.0
        density = pop / grid.pixel_area_km2
        t_dense, t_urban, t_sub = RASTER_CLASS_THRESHOLDS
        morph = np.full(grid.shape, RURAL, dtype=np.uint8)
        morph[density >= t_sub] = SUBURBAN
        morph[density >= t_urban] = URBAN
        morph[density >= t_dense] = DENSE_URBAN
        morph[density >= RASTER_CORE_THRESHOLD] = URBAN_CORE
        built = fp.built_up if in_scope.any() else density >= t_sub
        outside = 0.0
    else:
        pop = fp.population
        morph = np.where(fp.morphology == NONE, RURAL, fp.morphology).astype(np.uint8)
        built = fp.built_up
        if params.rural_density_per_km2 > 0:
            check_range("rural_density_per_km2", params.rural_density_per_km2, 0.0)
            pop = pop + np.where(
                mask & (fp.morphology == NONE),
                params.rural_density_per_km2 * grid.pixel_area_km2,
                0,
            )
    morph[~mask] = NONE
    built &= mask

    per_user = float(
        busy_hour_mbps_per_user(
            traffic["dou_gb"],
            traffic["busy_hour_share"],
            traffic["busy_days_per_month"],
            traffic["fiveg_dou_factor"],
        )
    )
    pop = pop.astype(np.float32, copy=False)
    users = pop * np.float32(traffic["penetration"] * traffic["operator_share"])
    dl = users * np.float32(per_user)
    ul = dl * np.float32(traffic["ul_dl_ratio"])
    resolved = dict(traffic, dl_mbps_per_user=per_user, extent=ext, scope=scope.level)
    return Demand(
        grid=grid,
        mask=mask,
        population=pop,
        users=users,
        dl_mbps=dl,
        ul_mbps=ul,
        morphology=morph,
        built_up=built,
        year=int(year),
        region_name=region.name,
        region_id=region.id,
        params=resolved,
        population_outside_grid=float(outside),
    )


# ------------------------------------------------------------------ outputs


def _write_tif(path: Path, array: np.ndarray, grid: Grid, nodata, description: str) -> None:
    import rasterio

    profile = {
        "driver": "GTiff",
        "height": grid.nrows,
        "width": grid.ncols,
        "count": 1,
        "dtype": array.dtype.name,
        "crs": grid.crs,
        "transform": grid.transform,
        "nodata": nodata,
        "compress": "deflate",
        "tiled": grid.nrows >= 256 and grid.ncols >= 256,
    }
    if profile["tiled"]:
        profile.update(blockxsize=256, blockysize=256)
    with atomic_path(path) as tmp:
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(array, 1)
            dst.set_band_description(1, description)


def write_demand_rasters(demand: Demand, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write the demand rasters (GeoTIFF, CRS and nodata set) and ``totals.json``.

    Files: ``population.tif`` [people/pixel], ``users.tif`` [5G users/pixel],
    ``dl_mbps_per_km2.tif`` and ``ul_mbps_per_km2.tif`` [busy-hour Mbps/km^2]
    (float32, NaN outside the region), ``morphology.tif`` and
    ``built_up.tif`` (uint8, 0 = outside / not built-up), ``totals.json``.
    Each file is written atomically.

    Returns
    -------
    dict
        Name -> path of each file written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = demand.grid
    outside = ~demand.mask

    def f32(a: np.ndarray) -> np.ndarray:
        b = a.astype(np.float32, copy=True)
        b[outside] = np.nan
        return b

    px = g.pixel_area_km2
    layers = {
        "population": (f32(demand.population), np.nan, "people per pixel"),
        "users": (f32(demand.users), np.nan, "5G users per pixel"),
        "dl_mbps_per_km2": (f32(demand.dl_mbps / px), np.nan, "busy-hour DL Mbps per km2"),
        "ul_mbps_per_km2": (f32(demand.ul_mbps / px), np.nan, "busy-hour UL Mbps per km2"),
        "morphology": (
            demand.morphology.astype(np.uint8),
            0,
            "morphology code (nrplan.morphology)",
        ),
        "built_up": (demand.built_up.astype(np.uint8), 0, "in the year's coverage scope"),
    }
    paths: dict[str, Path] = {}
    for name, (arr, nodata, desc) in layers.items():
        path = out / f"{name}.tif"
        _write_tif(path, arr, g, nodata, desc)
        paths[name] = path
    paths["totals"] = out / "totals.json"
    write_json_atomic(paths["totals"], demand_totals(demand))
    return paths
