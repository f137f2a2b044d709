"""Hexagonal layouts (TR 38.901 Table 7.8-1 geometry)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from nrplan.grid import Grid
from nrplan.plan.layout import SECTOR_AZIMUTHS_DEG, hex_lattice, nominal_layout


def test_hex_lattice_nearest_neighbours_are_isd_apart():
    x, y = hex_lattice(0, 0, 5000, 5000, 500.0)
    d, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=7)
    # interior points have exactly six neighbours at the ISD
    interior = (x > 1000) & (x < 4000) & (y > 1000) & (y < 4000)
    assert np.allclose(d[interior, 1:], 500.0)


def test_hex_lattice_density():
    # area per site of a hexagonal lattice: sqrt(3)/2 * ISD^2 = 0.2165 km^2 at 500 m,
    # so a 50 km x 50 km box holds 2500 / 0.2165 = 11,547 sites (+ a boundary row/column)
    x, _ = hex_lattice(0, 0, 50_000, 50_000, 500.0)
    assert abs(x.size - 2500.0 / (np.sqrt(3) / 2 * 0.25)) / x.size < 0.02


def test_sector_azimuths_are_the_calibration_ones():
    assert SECTOR_AZIMUTHS_DEG == (30.0, 150.0, 270.0)


def test_nominal_layout_reuses_existing_sites_and_is_seeded():
    grid = Grid(0.0, 4000.0, 50.0, 80, 80, "EPSG:32650")
    morph = np.full(grid.shape, 2, np.uint8)
    scope = np.ones(grid.shape, bool)
    existing = np.array([[2010.0, 1990.0]])
    # every point lies within ISD / sqrt(3) = 346 m of a lattice point: radius 0.6 ISD
    # = 360 m guarantees the existing site is taken
    a = nominal_layout(grid, morph, scope, {2: 600.0}, np.random.default_rng(3), existing, 0.6)
    b = nominal_layout(grid, morph, scope, {2: 600.0}, np.random.default_rng(3), existing, 0.6)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert a.reused.sum() == 1
    k = int(np.nonzero(a.reused)[0][0])
    assert (a.x[k], a.y[k]) == (2010.0, 1990.0)
    c = nominal_layout(grid, morph, scope, {2: 600.0}, np.random.default_rng(4))
    assert not np.array_equal(a.x, c.x)


def test_denser_class_is_not_doubled_by_a_sparser_one():
    grid = Grid(0.0, 4000.0, 50.0, 80, 80, "EPSG:32650")
    morph = np.full(grid.shape, 2, np.uint8)
    morph[:, 40:] = 3
    scope = np.ones(grid.shape, bool)
    s = nominal_layout(grid, morph, scope, {2: 500.0, 3: 520.0}, np.random.default_rng(1))
    d, _ = cKDTree(np.column_stack([s.x, s.y])).query(np.column_stack([s.x, s.y]), k=2)
    assert d[:, 1].min() >= 0.6 * 500.0 - 1e-9
