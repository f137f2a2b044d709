"""Local metric projections: the UTM zone of a region, and transforms to it.

Every region is planned in the UTM zone (WGS84 datum) that holds its
centroid: distances and areas are then metric with a scale error below
0.1 % within ~180 km of the central meridian, which covers a city.

References
----------
Snyder, J. P. (1987), *Map Projections: A Working Manual*, USGS Professional
Paper 1395, ch. 8 (Universal Transverse Mercator). EPSG codes 326zz (north)
and 327zz (south), zz = zone 1..60.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from nrplan.errors import NrplanInputError, check_range

__all__ = [
    "WGS84",
    "area_km2",
    "local_crs",
    "to_local",
    "to_wgs84",
    "transformer",
    "utm_epsg",
]

WGS84 = "EPSG:4326"


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone holding a point.

    Parameters
    ----------
    lon, lat : float
        Longitude and latitude [deg].

    Returns
    -------
    int
        32600 + zone (north) or 32700 + zone (south).

    Notes
    -----
    Zones are 6 deg wide from 180 W; the Norway/Svalbard exceptions are not
    applied (they matter for map series, not for a local metric frame).
    """
    check_range("lon", lon, -180.0, 180.0, unit="deg")
    check_range("lat", lat, -84.0, 84.0, unit="deg (UTM covers 84 S..84 N)")
    zone = int(np.floor((lon + 180.0) / 6.0)) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def local_crs(geom: Any) -> str:
    """Local metric CRS (``"EPSG:326zz"``) for a WGS84 geometry or (lon, lat) pair.

    Parameters
    ----------
    geom : shapely geometry or tuple of float
        Region geometry in WGS84 [deg], or a (lon, lat) point.
    """
    if isinstance(geom, tuple):
        lon, lat = geom
    else:
        if geom is None or shapely.is_empty(geom):
            raise NrplanInputError("geometry", "empty", "a non-empty geometry")
        c = shapely.centroid(geom)
        lon, lat = c.x, c.y
    return f"EPSG:{utm_epsg(float(lon), float(lat))}"


def transformer(src: str, dst: str) -> Transformer:
    """Always-xy pyproj transformer between two CRS."""
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def to_local(geom: Any, crs: str) -> Any:
    """Transform a WGS84 shapely geometry (or array of them) to ``crs`` [m]."""
    t = transformer(WGS84, crs)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def to_wgs84(geom: Any, crs: str) -> Any:
    """Transform a shapely geometry in ``crs`` back to WGS84 [deg]."""
    t = transformer(crs, WGS84)
    return shapely.transform(geom, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))


def area_km2(geom: Any, crs: str | None = None) -> float:
    """Area of a WGS84 geometry in its local UTM projection [km^2]."""
    crs = crs or local_crs(geom)
    return float(shapely.area(to_local(geom, crs))) / 1e6
