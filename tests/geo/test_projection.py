"""Local UTM projections: zone numbers, round trips, areas."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from nrplan.errors import NrplanInputError
from nrplan.geo.projection import area_km2, local_crs, to_local, to_wgs84, utm_epsg

#: Round-trip tolerance [deg] (~1 mm): pyproj's transverse Mercator is exact to far less.
ROUNDTRIP_DEG = 1e-8


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (116.4, 39.9, 32600 + int((116.4 + 180) // 6) + 1),  # Beijing: 296.4/6=49.4 -> 50
        (121.47, 31.23, 32651),  # Shanghai: 301.47/6 = 50.2 -> 51
        (151.2, -33.9, 32756),  # Sydney: 331.2/6 = 55.2 -> 56, south
        (-180.0, 0.0, 32601),
        (179.99, 10.0, 32660),
    ],
)
def test_utm_zone(lon, lat, epsg):
    assert utm_epsg(lon, lat) == epsg


def test_local_crs_of_geometry_and_point():
    box = shapely.box(116.0, 39.5, 117.0, 40.5)
    assert local_crs(box) == "EPSG:32650"
    assert local_crs((116.5, 40.0)) == "EPSG:32650"


def test_bad_latitude_raises():
    with pytest.raises(NrplanInputError):
        utm_epsg(10.0, 89.0)
    with pytest.raises(NrplanInputError):
        local_crs(shapely.Polygon())


@settings(max_examples=50, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0, allow_nan=False),
    lat=st.floats(-80.0, 80.0, allow_nan=False),
    dx=st.floats(-2.0, 2.0),
    dy=st.floats(-1.0, 1.0),
)
def test_roundtrip(lon, lat, dx, dy):
    crs = local_crs((lon, lat))
    pt = shapely.Point(np.clip(lon + dx, -180, 180), np.clip(lat + dy, -84, 84))
    back = to_wgs84(to_local(pt, crs), crs)
    assert abs(back.x - pt.x) < ROUNDTRIP_DEG
    assert abs(back.y - pt.y) < ROUNDTRIP_DEG


def test_area_matches_geodesic():
    box = shapely.box(113.0, 22.0, 113.5, 22.5)
    geodesic = abs(Geod(ellps="WGS84").geometry_area_perimeter(box)[0]) / 1e6
    # UTM scale factor within 3 deg of the central meridian: k <= 1.0006 -> area < 0.2 %
    assert area_km2(box) == pytest.approx(geodesic, rel=2e-3)
