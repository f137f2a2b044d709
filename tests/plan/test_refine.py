"""Where the refinement adds sites: cell splitting of failing zones, and the
per-site downtilt (by hand)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.grid import Grid
from nrplan.plan.layout import SiteSet, downtilt_deg, site_spacing_m
from nrplan.plan.refine import densify_sites

GRID = Grid(0.0, 2000.0, 10.0, 200, 200, "EPSG:32650")  # 2 km x 2 km, 10 m


def _sites(xy):
    xy = np.asarray(xy, float)
    n = len(xy)
    return SiteSet(xy[:, 0], xy[:, 1], np.full(n, 2, np.uint8), np.zeros(n, bool),
                   np.full(n, "nominal", "U8"))  # fmt: skip


def test_new_site_goes_to_the_centre_of_a_failing_square():
    # four sites on the corners of a 1 km square, the whole square failing: the
    # point farthest from every site is the centre (707 m from each corner)
    sq = _sites([(500, 500), (1500, 500), (500, 1500), (1500, 1500)])
    need = np.zeros(GRID.shape, np.float32)
    need[50:150, 50:150] = 0.1
    morph = np.full(GRID.shape, 2, np.uint8)
    add = densify_sites(GRID, need, morph, sq, deficit_pixels=1e4, isd_m=1000.0, growth=0.25)
    assert len(add) == 1  # 4 sites in the zone x 0.25
    assert add.x[0] == pytest.approx(1000.0, abs=10.0)
    assert add.y[0] == pytest.approx(1000.0, abs=10.0)
    assert add.origin[0] == "coverage" and add.morphology[0] == 2


def test_densify_respects_the_minimum_spacing_and_the_cap():
    sq = _sites([(500, 500), (1500, 500), (500, 1500), (1500, 1500)])
    need = np.zeros(GRID.shape, np.float32)
    need[50:150, 50:150] = 0.1
    morph = np.full(GRID.shape, 2, np.uint8)
    add = densify_sites(GRID, need, morph, sq, 1e4, isd_m=1000.0, growth=10.0, max_new=30)
    assert 1 < len(add) <= 30
    xy = np.column_stack([np.r_[sq.x, add.x], np.r_[sq.y, add.y]])
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert d[np.triu_indices(len(xy), 1)].min() >= 1000.0 / 3 - 1e-9
    assert not densify_sites(GRID, np.zeros(GRID.shape), morph, sq, 10.0, 1000.0)


def test_downtilt_points_the_upper_half_power_at_the_cell_edge():
    # h = 30 m, ISD 450 m: R = 300 m, atan(30/300) = 5.711 deg, + 12/2 = 11.711 deg
    assert downtilt_deg(30.0, 450.0, 12.0) == pytest.approx(
        math.degrees(math.atan(0.1)) + 6.0, abs=1e-9
    )


def test_site_spacing_is_the_isd_of_a_hexagonal_lattice():
    from nrplan.plan.layout import hex_lattice

    x, y = hex_lattice(0.0, 0.0, 5000.0, 5000.0, 500.0, (0.0, 0.0))
    lattice = _sites(np.column_stack([x, y]))
    s = site_spacing_m(lattice, np.full(len(lattice), 800.0))
    inner = (x > 1000) & (x < 4000) & (y > 1000) & (y < 4000)
    assert np.allclose(s[inner], 500.0)
    # an isolated site takes the default
    far = _sites([(0, 0), (10_000, 0), (0, 10_000), (10_000, 10_000)])
    assert np.allclose(site_spacing_m(far, np.full(4, 800.0)), 800.0)
