"""Settlement footprints: ring classes, densities, conservation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.demand.footprints import FootprintModel, rasterize_footprints
from nrplan.grid import Grid
from nrplan.morphology import DENSE_URBAN, NONE, SUBURBAN, URBAN

RHO = 44253.74e4 / 60721.32  # MOHURD 2020: 7,288 people/km^2


def _grid(half_km=20.0, px=100.0):
    h = half_km * 1000
    return Grid.from_bounds(-h, -h, h, h, px, "EPSG:32650")


def test_large_city_rings_and_densities():
    g = _grid()
    mask = np.ones(g.shape, bool)
    p = 2_000_000.0
    fp = rasterize_footprints(g, mask, [0.0], [0.0], [p], [True], FootprintModel())
    assert fp.population.sum(dtype=np.float64) == pytest.approx(p, rel=1e-6)
    # footprint area = P / rho = 274.4 km^2 (pixel discretisation < 1 %)
    area = (fp.morphology != NONE).sum() * g.pixel_area_km2
    assert area == pytest.approx(p / RHO, rel=0.01)
    # ring area shares 0.4^2 = 0.16, 0.75^2 - 0.16 = 0.4025, 1 - 0.5625 = 0.4375;
    # mean weight 0.16*2 + 0.4025*1 + 0.4375*0.5 = 0.94125 -> dense = 2/0.94125 rho
    dense_density = 2 / 0.94125 * RHO  # 15,486 people/km^2
    c = g.rowcol(50.0, 50.0)
    assert fp.morphology[c] == DENSE_URBAN
    assert fp.population[c] / g.pixel_area_km2 == pytest.approx(dense_density, rel=0.01)
    r = np.sqrt(p / (np.pi * RHO)) * 1000  # 9,346 m
    assert fp.morphology[g.rowcol(0.6 * r, 0.0)] == URBAN
    assert fp.morphology[g.rowcol(0.9 * r, 0.0)] == SUBURBAN
    assert fp.morphology[g.rowcol(1.1 * r, 0.0)] == NONE
    assert fp.built_up.sum() == (fp.morphology != NONE).sum()


def test_medium_and_small_classes():
    g = _grid(5.0, 50.0)
    mask = np.ones(g.shape, bool)
    m = FootprintModel()
    fp = rasterize_footprints(g, mask, [0.0], [0.0], [200_000.0], [False], m)
    assert fp.morphology[g.rowcol(10.0, 10.0)] == URBAN
    assert not fp.built_up.any()  # out of scope
    fp = rasterize_footprints(g, mask, [0.0], [0.0], [20_000.0], [True], m)
    assert set(np.unique(fp.morphology)) == {NONE, SUBURBAN}


def test_clipped_footprint_keeps_people_inside_mask():
    g = _grid(10.0, 100.0)
    mask = np.zeros(g.shape, bool)
    mask[:, : g.ncols // 2] = True  # west half only
    fp = rasterize_footprints(g, mask, [0.0], [0.0], [500_000.0], [True], FootprintModel())
    assert fp.population.sum(dtype=np.float64) == pytest.approx(500_000, rel=1e-6)
    assert fp.population[~mask].sum() == 0


def test_tiny_settlement_goes_to_its_pixel():
    g = _grid(5.0, 1000.0)  # 1 km pixels: a 5,000-people disc has r = 467 m
    mask = np.ones(g.shape, bool)
    fp = rasterize_footprints(g, mask, [300.0], [300.0], [5_000.0], [True], FootprintModel())
    assert fp.population.sum() == pytest.approx(5_000)


@settings(max_examples=25, deadline=None)
@given(
    xs=st.lists(st.floats(-15_000, 15_000), min_size=1, max_size=8),
    pops=st.lists(st.floats(1_000, 3_000_000), min_size=8, max_size=8),
)
def test_population_conserved(xs, pops):
    g = _grid(20.0, 200.0)
    mask = np.ones(g.shape, bool)
    p = np.array(pops[: len(xs)])
    y = np.array(xs)[::-1]
    fp = rasterize_footprints(g, mask, xs, y, p, np.ones(len(xs), bool), FootprintModel())
    total = fp.population.sum(dtype=np.float64) + fp.outside_grid
    assert total == pytest.approx(p.sum(), rel=1e-5)
    assert fp.built_up.sum() == (fp.morphology != NONE).sum()
