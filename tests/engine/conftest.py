"""Small scenes shared by the engine tests."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.engine import Sectors
from nrplan.grid import Grid


def three_sector_sites(xy, *, height=25.0, band="n78", antenna="64t64r", power=53.0, load=0.5,
                       mech=3.0, elec=6.0, az0=0.0) -> Sectors:  # fmt: skip
    """Three sectors (az0, az0+120, az0+240) per site at the given (x, y) [m]."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    return Sectors(
        site_id=np.repeat([f"S{i}" for i in range(n)], 3),
        x=np.repeat(xy[:, 0], 3),
        y=np.repeat(xy[:, 1], 3),
        height_m=np.full(3 * n, height),
        azimuth_deg=np.tile([az0, az0 + 120.0, az0 + 240.0], n) % 360.0,
        mech_tilt_deg=np.full(3 * n, mech),
        elec_tilt_deg=np.full(3 * n, elec),
        band=np.full(3 * n, band),
        power_dbm=np.full(3 * n, power),
        antenna=np.full(3 * n, antenna),
        load=np.full(3 * n, load),
    )


def random_scene(seed: int, n_sites: int = 6, size_m: float = 2000.0, pixel_m: float = 40.0):
    """Random sites in a square, a grid a bit larger, mixed morphology."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.0, size_m, (n_sites, 2))
    sectors = three_sector_sites(xy, az0=float(rng.uniform(0, 120)))
    n = int(size_m / pixel_m) + 6
    grid = Grid(-3 * pixel_m, size_m + 3 * pixel_m, pixel_m, n, n, "EPSG:32650")
    morph = rng.choice(np.array([0, 1, 2, 3, 4], dtype=np.uint8), size=grid.shape,
                       p=[0.1, 0.3, 0.3, 0.2, 0.1])  # fmt: skip
    return grid, morph, sectors


@pytest.fixture
def make_sites():
    """Factory of three-sector sites (see :func:`three_sector_sites`)."""
    return three_sector_sites


@pytest.fixture
def make_scene():
    """Factory of random scenes (see :func:`random_scene`)."""
    return random_scene
