"""True bearings vs grid azimuths: meridian convergence of the local UTM frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from nrplan.errors import NrplanInputError
from nrplan.geo.projection import (
    WGS84,
    grid_azimuth_deg,
    local_crs,
    meridian_convergence_deg,
    transformer,
    true_bearing_deg,
)
from nrplan.plan.national import _with_lonlat

GEOD = Geod(ellps="WGS84")


def _xy(lon, lat, crs):
    x, y = transformer(WGS84, crs).transform(lon, lat)
    return np.asarray(x, float), np.asarray(y, float)


def _grid_bearing_of_true_north(lon, lat, crs, dist_m=500.0):
    """Grid bearing [deg] of the point ``dist_m`` true-north of (lon, lat)."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, 0.0, dist_m)
    x0, y0 = _xy(lon, lat, crs)
    x1, y1 = _xy(lon2, lat2, crs)
    return float(np.degrees(np.arctan2(x1 - x0, y1 - y0)))


@pytest.mark.parametrize(
    ("lon", "lat", "crs", "lon0"),
    [
        (108.6, 40.0, "EPSG:32649", 111.0),  # west of zone 49's meridian: gamma < 0
        (113.5, 40.0, "EPSG:32649", 111.0),  # east: gamma > 0
        (111.0, 40.0, "EPSG:32649", 111.0),  # on the central meridian: 0
        (152.5, -33.9, "EPSG:32756", 153.0),  # southern hemisphere: sin(lat) < 0
    ],
)
def test_convergence_matches_snyder_series_and_a_direct_check(lon, lat, crs, lon0):
    x, y = _xy(lon, lat, crs)
    gamma = meridian_convergence_deg(x, y, crs)
    # Snyder (1987) ch. 8, transverse Mercator, first order: (lon - lon0) sin(lat);
    # the next term is ~ x^3 (cos lat)^2 / 3, < 0.002 deg here
    snyder = (lon - lon0) * np.sin(np.radians(lat))
    assert gamma == pytest.approx(snyder, abs=0.05)
    # sign: true north lies at grid bearing -gamma
    assert _grid_bearing_of_true_north(lon, lat, crs) == pytest.approx(-gamma, abs=1e-3)


def test_convergence_at_108_6_e_40_n_is_about_minus_1_5_deg():
    x, y = _xy(108.6, 40.0, "EPSG:32649")
    gamma = meridian_convergence_deg(x, y, "EPSG:32649")
    assert gamma == pytest.approx(-2.4 * np.sin(np.radians(40.0)), abs=0.05)  # -1.543
    assert -1.6 < gamma < -1.5
    # a true bearing of 0 is a grid azimuth of +1.54: grid north is west of true north here
    assert grid_azimuth_deg(0.0, x, y, "EPSG:32649") == pytest.approx(-gamma, abs=1e-12)
    assert true_bearing_deg(0.0, x, y, "EPSG:32649") == pytest.approx(360.0 + gamma, abs=1e-12)


def test_grid_azimuth_points_along_the_true_bearing():
    """A direction laid out at ``grid_azimuth_deg(b)`` in the grid ends at true bearing b."""
    crs = "EPSG:32649"
    lon, lat = 113.5, 40.0
    x, y = _xy(lon, lat, crs)
    b = np.array([0.0, 45.0, 120.0, 240.0, 359.5])
    g = np.radians(grid_azimuth_deg(b, x, y, crs))
    d = 300.0
    lon2, lat2 = transformer(crs, WGS84).transform(x + d * np.sin(g), y + d * np.cos(g))
    fwd, _, _ = GEOD.inv(np.full(b.size, lon), np.full(b.size, lat), lon2, lat2)
    err = (fwd - b + 180.0) % 360.0 - 180.0
    assert np.abs(err).max() < 1e-3


@settings(max_examples=60, deadline=None)
@given(
    lon=st.floats(-179.0, 179.0, allow_nan=False),
    lat=st.floats(-80.0, 80.0, allow_nan=False),
    bearing=st.floats(0.0, 360.0, exclude_max=True, allow_nan=False),
)
def test_roundtrip_true_grid_true(lon, lat, bearing):
    crs = local_crs((lon, lat))
    x, y = _xy(lon, lat, crs)
    g = grid_azimuth_deg(bearing, x, y, crs)
    back = true_bearing_deg(g, x, y, crs)
    assert 0.0 <= g < 360.0 and 0.0 <= back < 360.0
    assert abs((back - bearing + 180.0) % 360.0 - 180.0) < 1e-9
    again = grid_azimuth_deg(back, x, y, crs)
    assert abs((again - g + 180.0) % 360.0 - 180.0) < 1e-9


def test_vectorised_broadcast_and_range():
    crs = "EPSG:32649"
    x, y = _xy(np.array([108.6, 111.0, 113.5]), np.array([40.0, 40.0, 40.0]), crs)
    gamma = meridian_convergence_deg(x, y, crs)
    assert gamma.shape == (3,) and gamma[0] < 0 < gamma[2] and abs(gamma[1]) < 1e-9
    # bearings (2, 1) against points (3,): (2, 3)
    g = grid_azimuth_deg(np.array([[0.0], [359.999999999999]]), x, y, crs)
    assert g.shape == (2, 3)
    assert ((g >= 0.0) & (g < 360.0)).all()
    # a bearing that lands a hair below 0 or 360 wraps into [0, 360)
    t = true_bearing_deg(-gamma[2] - 1e-14, x[2], y[2], crs)
    assert isinstance(t, float) and 0.0 <= t < 360.0


def test_geographic_crs_is_rejected():
    with pytest.raises(NrplanInputError, match="projected"):
        grid_azimuth_deg(0.0, 113.5, 40.0, WGS84)


def test_with_lonlat_writes_true_bearings():
    """Planned sectors (grid azimuths in the city's CRS) leave with true bearings."""
    crs = "EPSG:32649"
    lon, lat = 113.5, 40.0
    x, y = _xy(lon, lat, crs)
    true = np.array([0.0, 120.0, 240.0])
    grid = grid_azimuth_deg(true, x, y, crs)
    assert np.abs(grid - np.array([358.3924, 118.3924, 238.3924])).max() < 1e-3
    frame = pd.DataFrame({"x": [x] * 3, "y": [y] * 3, "azimuth_deg": grid, "band": "n78"})
    out = _with_lonlat(frame, crs)
    assert out["lon"].to_numpy() == pytest.approx(lon, abs=1e-7)
    assert out["lat"].to_numpy() == pytest.approx(lat, abs=1e-7)
    np.testing.assert_allclose(out["azimuth_deg"].to_numpy(), true, atol=1e-6)
    assert ((out["azimuth_deg"] >= 0.0) & (out["azimuth_deg"] < 360.0)).all()
    assert list(frame["azimuth_deg"]) == list(grid)  # the input frame is not modified
    # a grid azimuth of 0 is a true bearing of +gamma (1.6076 deg) there
    one = _with_lonlat(frame.iloc[:1].assign(azimuth_deg=0.0), crs)
    assert one["azimuth_deg"].iloc[0] == pytest.approx(1.6076, abs=1e-3)
    empty = _with_lonlat(frame.iloc[:0], crs)
    assert empty.empty and {"lon", "lat"} <= set(empty.columns)
