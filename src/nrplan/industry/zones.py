"""Where the machines are: zones and lines of a private site, and its frame.

Device classes that need the five-nines targets of TS 22.104 run on known
places: crane rows, AGV lanes, haul roads, the pit floor, a hall. A
:class:`ZoneSpec` draws such a place as a polygon or a line (buffered by
``width_m``: a lane, a crane row, a road) and binds classes to it; the
planner then requires each bound class's reliability on its zone only, and
the unbound classes (sensors, cameras: plain coverage) over the whole site.

Coordinates are either WGS84 lon/lat (``coords = "lonlat"``) or fractions
``(u, v)`` of the site frame (``coords = "site"``): the minimum rotated
rectangle of the site polygon (shapely ``minimum_rotated_rectangle``), ``u``
along its long side, ``v`` across it, ``v = 0`` on the long side whose middle
lies farthest south (the quay side of the built-in port example, a choice
the user overrides by drawing zones in lon/lat). The built-in profiles draw
their default zones in site coordinates, so they follow any site polygon;
site-frame zones are clipped to the site (the rectangle is larger than an
irregular site), lon/lat zones must lie inside it.

A device row is bound to a zone when its inventory ``zone`` label names the
zone, or else when the zone lists its class in ``classes``.

Line widths (``width_m``, defaults of the built-in zones; nrplan planning
values): an AGV lane 10 m (a 3-4 m lane plus the vehicle's position
tolerance either side), a crane row 30 m (the 23.5 m span of a six-wide
rubber-tyred gantry plus its legs), a haul road 30 m (two lanes of
ultra-class trucks, about 3.5 truck widths of 7-8 m).

A zone line narrower than the raster is widened to 0.75 pixel either side
so it keeps pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field

from nrplan.errors import NrplanInputError, check_choice
from nrplan.geo.region import read_vector
from nrplan.industry.devices import BUILTIN_CLASSES

__all__ = [
    "SiteFrame",
    "ZoneSpec",
    "bind_classes",
    "class_masks",
    "read_poles",
    "read_zones",
    "site_frame",
    "zone_geometries",
]


class ZoneSpec(BaseModel):
    """One zone of a site (a ``[[zones]]`` table of a profile TOML).

    .. code-block:: toml

        [[zones]]
        name = "haul-roads"
        classes = ["agv"]
        coords = "site"            # or "lonlat"
        line = [[0.05, 0.5], [0.95, 0.5]]
        width_m = 30
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1)
    classes: list[str] = Field(default_factory=list)
    coords: Literal["lonlat", "site"] = "lonlat"
    line: list[list[float]] | None = None
    polygon: list[list[float]] | None = None
    width_m: float = Field(20.0, gt=0.0, le=500.0, description="line buffer width [m]")


@dataclass(frozen=True)
class SiteFrame:
    """Minimum rotated rectangle of a site in its metric CRS.

    Attributes
    ----------
    origin : ndarray, shape (2,)
        Corner at ``(u, v) = (0, 0)`` [m].
    ux, vx : ndarray, shape (2,)
        Unit vectors along the long side and across it.
    length, width : float
        Side lengths [m] (length >= width).
    """

    origin: np.ndarray
    ux: np.ndarray
    vx: np.ndarray
    length: float
    width: float

    @property
    def angle_deg(self) -> float:
        """Bearing of the long side, counter-clockwise from east [deg]."""
        return float(np.degrees(np.arctan2(self.ux[1], self.ux[0])))

    def to_xy(self, u_m, v_m) -> np.ndarray:
        """Metric frame coordinates (along, across) [m] -> x, y [m], shape (n, 2)."""
        u = np.asarray(u_m, float).reshape(-1, 1)
        v = np.asarray(v_m, float).reshape(-1, 1)
        return self.origin[None, :] + u * self.ux[None, :] + v * self.vx[None, :]

    def from_fraction(self, uv) -> np.ndarray:
        """Fractions (u, v) of the rectangle -> x, y [m], shape (n, 2)."""
        a = np.asarray(uv, float).reshape(-1, 2)
        return self.to_xy(a[:, 0] * self.length, a[:, 1] * self.width)


def site_frame(geom) -> SiteFrame:
    """The :class:`SiteFrame` of a polygon in a metric CRS (see the module docstring).

    Examples
    --------
    A 300 x 100 m box: long side along x, origin at its south-west corner.

    >>> f = site_frame(shapely.box(0, 0, 300, 100))
    >>> f.length, f.width, (f.ux.round(6) + 0.0).tolist(), (f.vx.round(6) + 0.0).tolist()
    (300.0, 100.0, [1.0, 0.0], [0.0, 1.0])
    """
    rect = shapely.minimum_rotated_rectangle(geom)
    c = np.asarray(rect.exterior.coords)[:4]
    edges = [(c[i], c[(i + 1) % 4]) for i in range(4)]
    lens = [float(np.hypot(*(b - a))) for a, b in edges]
    if max(lens) <= 0.0:
        raise NrplanInputError("area", "a point", "a polygon with an extent")
    long_edges = [e for e, n in zip(edges, lens, strict=True) if n >= max(lens) * (1 - 1e-9)]
    if len(long_edges) < 2:  # a square: both pairs are long; take the first two opposite
        long_edges = [edges[0], edges[2]]
    a, b = min(long_edges[:2], key=lambda e: (e[0][1] + e[1][1]) / 2.0)  # southernmost
    d = b - a
    length = float(np.hypot(*d))
    ux = d / length
    if ux[0] < -1e-12 or (abs(ux[0]) <= 1e-12 and ux[1] < 0):
        ux, a = -ux, b
    vx = np.array([-ux[1], ux[0]])
    centre = c.mean(axis=0)
    if float(np.dot(centre - a, vx)) < 0:
        vx = -vx
    width = float(2.0 * abs(np.dot(centre - a, vx)))
    if width > length:  # degenerate ordering guard
        length, width = width, length
    return SiteFrame(origin=np.asarray(a, float), ux=ux, vx=vx, length=length, width=width)


def _err(i: int, z: ZoneSpec, what: str, allowed: str) -> NrplanInputError:
    return NrplanInputError(f"zones[{i}] {z.name!r}", what, allowed)


def zone_geometries(specs: list[ZoneSpec], geom, to_local, pixel_m: float = 0.0) -> dict[str, Any]:
    """Zone polygons in the site's metric CRS, checked, lines buffered, clipped.

    Parameters
    ----------
    specs : list of ZoneSpec
    geom : shapely Polygon or MultiPolygon
        Site in its metric CRS [m].
    to_local : callable
        ``(lon, lat) arrays -> (x, y) arrays`` of the site's CRS.
    pixel_m : float
        Raster resolution [m]; lines are buffered by at least 0.75 pixel.

    Returns
    -------
    dict
        Zone name -> polygon [m] (zones of the same name are united).

    Raises
    ------
    NrplanInputError
        A zone without geometry or with both a line and a polygon, fewer
        points than its type needs, zero length / area, a self-intersecting
        line or polygon, or lying outside the site.
    """
    frame = site_frame(geom) if any(z.coords == "site" for z in specs) else None
    tol = max(1.0, 0.005 * float(np.sqrt(geom.area)))
    grown = geom.buffer(tol)
    out: dict[str, Any] = {}
    for i, z in enumerate(specs):
        if (z.line is None) == (z.polygon is None):
            raise _err(i, z, "no geometry" if z.line is None else "line and polygon",
                       "exactly one of 'line' or 'polygon'")  # fmt: skip
        pts = z.line if z.line is not None else z.polygon
        arr = np.asarray(pts, float) if pts else np.zeros((0, 2))
        need = 2 if z.line is not None else 3
        if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < need or not np.isfinite(arr).all():
            raise _err(i, z, f"{arr.shape[0] if arr.ndim == 2 else 0} points",
                       f"at least {need} [x, y] points (empty zone)")  # fmt: skip
        if z.coords == "site":
            if (arr < -1e-9).any() or (arr > 1 + 1e-9).any():
                raise _err(i, z, "site coordinates outside [0, 1]", "fractions u, v in [0, 1]")
            xy = frame.from_fraction(arr)
        else:
            x, y = to_local(arr[:, 0], arr[:, 1])
            xy = np.column_stack([x, y])
        if z.line is not None:
            g = shapely.LineString(xy)
            if g.length <= 0.0:
                raise _err(i, z, "zero length", "a line of positive length (empty zone)")
            if not g.is_simple:
                raise _err(i, z, "self-intersecting line", "a simple (non-crossing) line")
        else:
            g = shapely.Polygon(xy)
            if not g.is_valid:
                raise _err(i, z, "self-intersecting polygon", "a valid, non-crossing ring")
            if g.area <= 0.0:
                raise _err(i, z, "zero area", "a polygon of positive area (empty zone)")
        if z.coords == "lonlat" and not grown.contains(g):
            raise _err(i, z, "outside the site", "a zone inside the site polygon")
        if z.line is not None:
            g = g.buffer(max(z.width_m / 2.0, 0.75 * pixel_m), cap_style="flat")
        g = g.intersection(geom)
        if g.is_empty or g.area <= 0.0:  # a site-frame zone off an irregular site
            raise _err(i, z, "outside the site", "a zone overlapping the site polygon")
        out[z.name] = g if z.name not in out else out[z.name].union(g)
    return out


def bind_classes(inventory, specs: list[ZoneSpec]) -> dict[str, str | None]:
    """Inventory class label -> the zone it is required on (None = whole site).

    A row's ``zone`` label naming a zone binds it there; else the first zone
    listing its class name.

    Raises
    ------
    NrplanInputError
        A zone lists a class name that is not a built-in device class.
    """
    names = {z.name for z in specs}
    for i, z in enumerate(specs):
        for c in z.classes:
            check_choice(f"zones[{i}] {z.name!r} class", c, BUILTIN_CLASSES)
    out: dict[str, str | None] = {}
    for g in inventory.groups:
        lab = f"{g.cls.name}@{g.zone}" if g.zone else g.cls.name
        if g.zone and g.zone in names:
            out[lab] = g.zone
            continue
        out[lab] = next((z.name for z in specs if g.cls.name in z.classes), None)
    return out


def class_masks(
    bound: dict[str, str | None], zones: dict[str, Any], grid, mask: np.ndarray
) -> dict[str, np.ndarray]:
    """Per class label the pixels its target applies on (its zone, or the site).

    A zone with no pixel centre inside falls back to the pixels its polygon
    touches (a narrow lane on a coarse raster).
    """
    xs, ys = grid.centers()
    zm: dict[str, np.ndarray] = {}
    for name, g in zones.items():
        m = shapely.contains_xy(g, xs, ys) & mask
        if not m.any():
            m = (shapely.distance(shapely.points(xs, ys), g) <= grid.pixel_m * 0.71) & mask
        zm[name] = m
    return {lab: (zm[z] if z is not None and zm[z].any() else mask) for lab, z in bound.items()}


def read_zones(path) -> list[ZoneSpec]:
    """Zones from a GeoJSON / GeoPackage file of lines and polygons (WGS84).

    Properties: ``name`` (required), ``classes`` (comma-separated class
    names), ``width_m`` (lines). Multi-geometries give one zone per part.

    Raises
    ------
    NrplanInputError
        Missing file, no ``name`` property, a point or empty geometry.
    """
    path = Path(path)
    if not path.exists():
        raise NrplanInputError("zones", str(path), "an existing GeoJSON file")
    gdf = read_vector(path, "zones")
    if "name" not in gdf.columns:
        raise NrplanInputError("zones", str(path), "features with a 'name' property")
    specs: list[ZoneSpec] = []
    for k, row in enumerate(gdf.itertuples(index=False)):
        g = row.geometry
        name = str(getattr(row, "name", "") or "")
        if g is None or g.is_empty:
            raise NrplanInputError(f"zones feature {k} {name!r}", "empty geometry",
                                   "a line or polygon")  # fmt: skip
        raw = getattr(row, "classes", "") if "classes" in gdf.columns else ""
        classes = [c.strip() for c in str(raw or "").split(",") if c.strip()]
        width = getattr(row, "width_m", None) if "width_m" in gdf.columns else None
        extra: dict[str, Any] = {}
        if width is not None and width == width:
            extra["width_m"] = float(width)
        for part in getattr(g, "geoms", [g]):
            if part.geom_type == "LineString":
                extra_g = {"line": [list(p) for p in np.asarray(part.coords)[:, :2]]}
            elif part.geom_type == "Polygon":
                extra_g = {"polygon": [list(p) for p in np.asarray(part.exterior.coords)[:-1, :2]]}
            else:
                raise NrplanInputError(f"zones feature {k} {name!r}", part.geom_type,
                                       "LineString or Polygon geometries")  # fmt: skip
            specs.append(ZoneSpec(name=name or f"zone{k}", classes=classes, **extra, **extra_g))
    return specs


def read_poles(path) -> np.ndarray:
    """Existing poles / light towers: CSV ``lon,lat[,height_m]`` or GeoJSON points.

    Returns
    -------
    ndarray, shape (m, 3)
        lon, lat [deg], height [m] (NaN when not given).

    Raises
    ------
    NrplanInputError
        Missing or unreadable file, no rows, a coordinate outside lon/lat
        ranges, a non-positive height, non-point geometries.
    """
    path = Path(path)
    if not path.exists():
        raise NrplanInputError("poles", str(path), "an existing CSV or GeoJSON file")
    if path.suffix.lower() == ".csv":
        try:
            df = pd.read_csv(path, comment="#")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
            raise NrplanInputError("poles", str(path), "a CSV with lon,lat[,height_m]") from None
        df.columns = [str(c).strip().lower() for c in df.columns]
        if not {"lon", "lat"} <= set(df.columns):
            raise NrplanInputError("poles", str(path), "a CSV with lon and lat columns")
        lon = pd.to_numeric(df["lon"], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(df["lat"], errors="coerce").to_numpy(float)
        h = (
            pd.to_numeric(df["height_m"], errors="coerce").to_numpy(float)
            if "height_m" in df.columns
            else np.full(len(df), np.nan)
        )
    else:
        gdf = read_vector(path, "poles")
        if not (gdf.geom_type == "Point").all():
            raise NrplanInputError("poles", str(path), "Point geometries")
        lon, lat = gdf.geometry.x.to_numpy(float), gdf.geometry.y.to_numpy(float)
        h = (
            pd.to_numeric(gdf["height_m"], errors="coerce").to_numpy(float)
            if "height_m" in gdf.columns
            else np.full(len(gdf), np.nan)
        )
    if lon.size == 0:
        raise NrplanInputError("poles", str(path), "at least one pole")
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise NrplanInputError("poles", str(path), "numeric lon and lat on every row")
    if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
        raise NrplanInputError("poles", str(path), "lon in [-180, 180] and lat in [-90, 90]")
    if (h[~np.isnan(h)] <= 0).any():
        raise NrplanInputError("poles height_m", str(path), "heights > 0 m")
    return np.column_stack([lon, lat, h])
