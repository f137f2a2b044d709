"""One cached pyproj transformer helper (nrplan.geo.projection.transformer)."""

from __future__ import annotations

import threading

import pytest
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from nrplan.geo.projection import WGS84, local_crs, to_local, transformer


def test_transformer_is_built_once_per_pair_and_thread():
    a = transformer(WGS84, "EPSG:32651")
    assert transformer(WGS84, "EPSG:32651") is a
    assert transformer("EPSG:32651", WGS84) is not a
    # Shanghai People's Square, 121.475 E 31.232 N: UTM 51N, x ~ 354 km, y ~ 3,456.6 km
    x, y = a.transform(121.475, 31.232)
    assert x == pytest.approx(354_500, abs=1_000) and y == pytest.approx(3_456_600, abs=1_000)
    other = []
    t = threading.Thread(target=lambda: other.append(transformer(WGS84, "EPSG:32651")))
    t.start()
    t.join()
    assert other[0] is not a  # never shared between threads


def test_transformer_accepts_crs_objects_and_to_local_uses_it():
    crs = CRS.from_epsg(32651)
    x, y = transformer(WGS84, crs).transform(121.475, 31.232)
    x2, y2 = transformer(WGS84, "EPSG:32651").transform(121.475, 31.232)
    assert (x, y) == (x2, y2)
    p = to_local(shapely.Point(121.475, 31.232), local_crs((121.475, 31.232)))
    assert (p.x, p.y) == pytest.approx((x, y))


def test_unknown_crs_is_refused_every_time():
    for _ in range(2):  # a failure is not cached
        with pytest.raises(CRSError):
            transformer(WGS84, "EPSG:999999")
