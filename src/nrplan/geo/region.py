"""Planning regions: a WGS84 polygon with its settlements.

A :class:`Region` is what demand and the planner take: a name, an id, a
valid (Multi)Polygon in WGS84 and the settlements (points with population)
inside it. Regions come from the embedded China dataset
(:func:`china_region`, :func:`china_regions`), from a user's polygon file
(:func:`region_from_file`, any CRS, repaired if invalid) or from GeoNames
(:mod:`nrplan.geo.world`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from nrplan.errors import NrplanInputError
from nrplan.geo import china
from nrplan.geo.projection import WGS84, area_km2, local_crs

__all__ = [
    "Region",
    "china_region",
    "china_regions",
    "read_area_polygon",
    "read_population_points",
    "read_vector",
    "region_from_file",
    "regions_from_file",
]

_SETTLEMENT_COLUMNS = ["name", "population", "geometry"]


def _empty_settlements() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": pd.Series([], dtype=str), "population": pd.Series([], dtype=float)},
        geometry=gpd.GeoSeries([], crs=WGS84),
        crs=WGS84,
    )


@dataclass(frozen=True, eq=False)
class Region:
    """A planning region.

    Attributes
    ----------
    name : str
        Display name.
    id : str
        Stable identifier (adcode for China units, file stem + feature index
        for user files); used for file names and checkpoints.
    geometry : shapely Polygon or MultiPolygon
        Boundary in WGS84 [deg], valid.
    settlements : geopandas.GeoDataFrame
        Points (WGS84) with columns ``name`` and ``population`` [people],
        inside the region.
    attrs : dict
        Extra attributes (province, level, ...).
    """

    name: str
    id: str
    geometry: shapely.Geometry
    settlements: gpd.GeoDataFrame = field(default_factory=_empty_settlements)
    attrs: dict = field(default_factory=dict)

    @property
    def crs(self) -> str:
        """Local metric CRS (UTM zone of the centroid)."""
        return local_crs(self.geometry)

    @property
    def area_km2(self) -> float:
        """Area in the local UTM projection [km^2]."""
        return area_km2(self.geometry, self.crs)

    @property
    def settlement_population(self) -> float:
        """Sum of the settlements' population [people]."""
        return float(self.settlements["population"].sum())

    def with_settlements(self, settlements: gpd.GeoDataFrame) -> Region:
        """Copy with other settlements (kept: points inside the region)."""
        return Region(
            self.name, self.id, self.geometry, _clip_points(settlements, self.geometry), self.attrs
        )


def _clip_points(points: gpd.GeoDataFrame, geom: shapely.Geometry) -> gpd.GeoDataFrame:
    if len(points) == 0:
        return _empty_settlements()
    pts = points.to_crs(WGS84) if points.crs is not None else points.set_crs(WGS84)
    inside = shapely.contains_xy(geom, pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    out = pts.loc[inside, ["name", "population", "geometry"]]
    return gpd.GeoDataFrame(out.reset_index(drop=True), geometry="geometry", crs=WGS84)


def _unit_region(row, settlements: gpd.GeoDataFrame) -> Region:
    s = settlements[settlements["adcode"] == row.adcode]
    s = gpd.GeoDataFrame(
        s[_SETTLEMENT_COLUMNS].reset_index(drop=True), geometry="geometry", crs=WGS84
    )
    attrs = {
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "province_zh": row.province_zh,
        "province_en": row.province_en,
        "level": row.level,
        "area_km2": float(row.area_km2),
        "census_population": float(row.census_population),
        "census_bound": float(row.census_bound),
        "census_basis": row.census_basis,
        "settlement_population_geonames": float(row.settlement_population_geonames),
        "census_corrected": bool(row.census_corrected),
    }
    return Region(row.name_en, row.adcode, row.geometry, s, attrs)


def china_region(name: str, province: str | None = None) -> Region:
    """One embedded China unit as a Region (Chinese/English name or adcode).

    Raises
    ------
    NrplanInputError
        Unknown name (close matches listed) or an ambiguous one (e.g.
        ``Suzhou``: give ``province`` or the Chinese name).
    """
    units = china.select_units(name, province=province)
    if len(units) > 1:
        options = ", ".join(
            f"{r.name_zh} ({r.province_en}, {r.adcode})" for r in units.itertuples()
        )
        raise NrplanInputError("city", name, f"one unit; the name is ambiguous: {options}")
    return _unit_region(next(units.itertuples()), china.load_settlements())


def china_regions(
    cities: str | list[str] | None = None,
    province: str | None = None,
    strict_cities: bool = False,
) -> list[Region]:
    """The embedded China units as Regions (all 337 by default); see ``select_units``."""
    units = china.select_units(cities, province=province, strict_cities=strict_cities)
    s = china.load_settlements()
    return [_unit_region(r, s) for r in units.itertuples()]


# --------------------------------------------------------------------- files


def read_vector(path: str | os.PathLike[str], what: str = "area") -> gpd.GeoDataFrame:
    """Read a vector file (GeoJSON, GeoPackage, Shapefile, ...) with pyogrio, in WGS84.

    A file without a CRS is taken as WGS84 if its coordinates are within
    lon/lat range, else rejected. A file whose coordinates do not fit its
    declared geographic CRS is rejected.
    """
    p = Path(path)
    if not p.exists():
        raise NrplanInputError(what, str(path), "an existing file")
    _check_declared_crs(p, what)
    try:
        df = gpd.read_file(p, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError & co.
        msg = " ".join(str(exc).split())[:120]
        raise NrplanInputError(what, str(path), f"a readable vector file ({msg})") from None
    if not isinstance(df, gpd.GeoDataFrame) or df._geometry_column_name is None:
        df = _points_from_columns(df, path, what)
    if len(df) == 0 or df.geometry.isna().all():
        raise NrplanInputError(what, str(path), "a file with at least one feature")
    df = df[df.geometry.notna() & ~df.geometry.is_empty]
    if len(df) == 0:
        raise NrplanInputError(what, str(path), "a file with at least one non-empty geometry")
    xmin, ymin, xmax, ymax = df.total_bounds
    in_lonlat = xmin >= -180.0 and xmax <= 180.0 and ymin >= -90.0 and ymax <= 90.0
    if df.crs is None:
        if not in_lonlat:
            raise NrplanInputError(
                what, str(path), "a file with a CRS (coordinates are not lon/lat and no CRS is set)"
            )
        df = df.set_crs(WGS84)
    elif df.crs.is_geographic and not in_lonlat:
        raise NrplanInputError(
            f"{what} CRS",
            df.crs.to_string(),
            f"a CRS matching the coordinates (bounds {xmin:.0f},{ymin:.0f},{xmax:.0f},{ymax:.0f} "
            "are not degrees)",
        )
    return df.to_crs(WGS84)


def _check_declared_crs(path: Path, what: str) -> None:
    """Refuse a GeoJSON whose ``crs`` member names a CRS that PROJ does not know.

    GDAL silently drops an unknown CRS and would read the coordinates as
    WGS84 degrees; a file that declares a CRS must get that CRS or an error.
    """
    if path.suffix.lower() not in (".geojson", ".json") or not path.is_file():
        return
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError):
        return  # unreadable: the reader below reports it
    crs = doc.get("crs") if isinstance(doc, dict) else None
    if not isinstance(crs, dict):
        return
    props = crs.get("properties")
    name = props.get("name") if isinstance(props, dict) else None
    if name is None:
        return
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(str(name))
    except CRSError:
        raise NrplanInputError(
            f"{what} CRS",
            str(name),
            "a CRS known to PROJ (e.g. EPSG:4326, urn:ogc:def:crs:OGC:1.3:CRS84, EPSG:32651)",
        ) from None


#: Coordinate column pairs of a table without geometry (CSV), first match wins.
LONLAT_COLUMNS = (("lon", "lat"), ("longitude", "latitude"), ("lng", "lat"), ("x", "y"))


def _points_from_columns(df, path, what: str) -> gpd.GeoDataFrame:
    """Points from the lon/lat columns of a table read without geometry (CSV)."""
    lower = {str(c).lower(): c for c in df.columns}
    for xc, yc in LONLAT_COLUMNS:
        if xc in lower and yc in lower:
            x = pd.to_numeric(df[lower[xc]], errors="coerce")
            y = pd.to_numeric(df[lower[yc]], errors="coerce")
            rest = df.drop(columns=[lower[xc], lower[yc]])
            return gpd.GeoDataFrame(rest, geometry=gpd.points_from_xy(x, y), crs=None)
    pairs = ", ".join(f"{a}/{b}" for a, b in LONLAT_COLUMNS)
    raise NrplanInputError(
        what,
        str(path),
        f"a file with geometry or coordinate columns ({pairs})",
        message=f"{what} {Path(path).name}: no geometry and no coordinate columns "
        f"(accepted: {pairs})",
    )


def _feature_label(df: gpd.GeoDataFrame, i: int, name_field: str | None) -> str:
    if name_field and name_field in df.columns:
        return f"feature {i} ({df[name_field].iloc[i]})"
    for col in ("name", "NAME", "Name", "id", "ID"):
        if col in df.columns:
            return f"feature {i} ({df[col].iloc[i]})"
    return f"feature {i}"


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry | None:
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    out = shapely.union_all(parts)
    return None if out.is_empty or out.area == 0 else out


def _check_holes(geom: shapely.Geometry, label: str) -> None:
    """Refuse a polygon with a hole that is not inside its shell.

    ``make_valid`` would turn such a hole into a polygon of its own (the
    area covered by the hole but not by the shell): a different site than
    the one drawn, so it is an error rather than a repair.
    """
    for part in shapely.get_parts(geom):
        if part.geom_type != "Polygon" or not part.interiors:
            continue
        shell = shapely.Polygon(part.exterior)
        for k, ring in enumerate(part.interiors, 1):
            hole = shapely.Polygon(ring)
            if hole.area >= shell.area or not shell.buffer(1e-9).covers(hole):
                raise NrplanInputError(
                    "area",
                    label,
                    f"holes inside their polygon's outer ring (hole {k} "
                    + (
                        "is bigger than the outer ring)"
                        if hole.area >= shell.area
                        else "lies outside it)"
                    ),
                )


def _repaired_polygons(df: gpd.GeoDataFrame, path, name_field: str | None) -> list:
    geoms = []
    for i, g in enumerate(df.geometry.to_numpy()):
        if g.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            raise NrplanInputError(
                "area",
                f"{Path(path).name}: {_feature_label(df, i, name_field)}",
                f"Polygon or MultiPolygon features (got {g.geom_type})",
            )
        label = f"{Path(path).name}: {_feature_label(df, i, name_field)}"
        _check_holes(g, label)
        fixed = g if g.is_valid else shapely.make_valid(g)
        poly = _polygonal(fixed)
        if poly is None:
            raise NrplanInputError(
                "area",
                label,
                "a polygon with positive area (the geometry is invalid and cannot be "
                "repaired: zero-area or collinear ring?)",
            )
        geoms.append(poly)
    return geoms


def _default_settlements(geom: shapely.Geometry) -> gpd.GeoDataFrame:
    """Embedded China settlements inside ``geom`` (none outside China)."""
    return _clip_points(china.load_settlements(), geom)


def regions_from_file(
    path: str | os.PathLike[str],
    name_field: str | None = None,
    settlements: gpd.GeoDataFrame | None = None,
) -> list[Region]:
    """One Region per polygon feature of a vector file.

    Parameters
    ----------
    path : path-like
        GeoJSON, GeoPackage, Shapefile or any OGR vector format; any CRS
        (reprojected to WGS84); Polygon/MultiPolygon features. Invalid
        geometries are repaired with ``shapely.make_valid``; features that
        cannot be repaired into a polygon are rejected, naming the feature.
    name_field : str, optional
        Attribute holding each feature's name.
    settlements : GeoDataFrame, optional
        Points with ``name``/``population``; default: the embedded China
        settlements inside each polygon (none outside China).
    """
    df = read_vector(path, "area")
    geoms = _repaired_polygons(df, path, name_field)
    stem = Path(path).stem
    out = []
    for i, g in enumerate(geoms):
        label = str(df[name_field].iloc[i]) if name_field and name_field in df.columns else stem
        label = label if len(geoms) == 1 or name_field else f"{stem}-{i}"
        s = _clip_points(settlements, g) if settlements is not None else _default_settlements(g)
        out.append(Region(label, f"{stem}-{i}", g, s, {"source": str(path)}))
    return out


def read_area_polygon(path: str | os.PathLike[str], what: str = "area") -> shapely.Geometry:
    """The union of all polygon features of a vector file, in WGS84.

    The one polygon reader of nrplan (``plan --area``, ``predict --area``,
    ``private --area``, ``regions demand --area``): read and CRS-checked by
    :func:`read_vector` (an unknown CRS, or coordinates that do not fit the
    declared geographic CRS, are refused), each feature repaired like a
    planning region (:func:`regions_from_file`); a feature that cannot be an
    area (a hole bigger than its shell, a zero-area ring, a point or a line)
    is refused, naming the feature.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In WGS84 lon/lat [deg].

    Raises
    ------
    NrplanInputError
        A missing or unreadable file, a bad CRS or a feature that is not an area.
    """
    df = read_vector(path, what)
    geom = _polygonal(shapely.make_valid(shapely.union_all(_repaired_polygons(df, path, None))))
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise NrplanInputError(what, str(path), "polygon geometries")
    return geom


def region_from_file(
    path: str | os.PathLike[str],
    name: str | None = None,
    settlements: gpd.GeoDataFrame | None = None,
) -> Region:
    """A single Region: the union of all polygon features of a vector file.

    See :func:`read_area_polygon` (the reader) and :func:`regions_from_file`
    for formats, CRS handling and repair.
    """
    geom = read_area_polygon(path, "area")
    stem = Path(path).stem
    s = _clip_points(settlements, geom) if settlements is not None else _default_settlements(geom)
    return Region(name or stem, stem, geom, s, {"source": str(path)})


#: Accepted names of the population column of a points file.
POPULATION_COLUMNS = ("population", "pop", "POP", "Population", "POPULATION")


def read_population_points(
    path: str | os.PathLike[str], column: str | None = None
) -> gpd.GeoDataFrame:
    """Read a points file with a population column as settlements (WGS84).

    Parameters
    ----------
    path : path-like
        Vector file of Point (or MultiPoint) features, any CRS.
    column : str, optional
        Population column; default the first of ``population``, ``pop``,
        ``POP``, ``Population``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``population`` [people], point ``geometry``.

    Raises
    ------
    NrplanInputError
        Not points, no population column, or negative / non-finite values.
    """
    df = read_vector(path, "population")
    types = set(df.geom_type)
    if not types <= {"Point", "MultiPoint"}:
        raise NrplanInputError(
            "population", str(path), f"a points file or a raster (got {', '.join(sorted(types))})"
        )
    df = df.explode(index_parts=False)
    candidates = [column] if column else list(POPULATION_COLUMNS)
    col = next((c for c in candidates if c in df.columns), None)
    if col is None:
        cols = ", ".join(str(c) for c in df.columns if c != "geometry") or "none"
        raise NrplanInputError(
            "population column",
            column or "population",
            f"one of {', '.join(candidates)}",
            message=f"population {Path(path).name}: no population column (accepted: "
            f"{', '.join(candidates)}; the file has: {cols})",
        )
    pop = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(pop) | (pop < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise NrplanInputError(
            "population", f"{Path(path).name}: feature {i} {col}={pop[i]}", ">= 0 people"
        )
    names = (
        df["name"].astype(str).to_numpy()
        if "name" in df.columns
        else np.arange(len(df)).astype(str)
    )
    return gpd.GeoDataFrame(
        {"name": names, "population": pop}, geometry=df.geometry.to_numpy(), crs=WGS84
    )
