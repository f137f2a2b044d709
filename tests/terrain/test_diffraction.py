"""ITU-R P.526-15 knife edge (4.1 eq. 31) and Bullington (4.5) against hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.terrain.diffraction import (
    SPEED_OF_LIGHT,
    bullington_profile_db,
    knife_edge_db,
    knife_edge_db_array,
)

# J(nu) = 6.9 + 20 log10(sqrt((nu - 0.1)^2 + 1) + nu - 0.1) for nu > -0.78, else 0:
# nu = -1  : -1 <= -0.78                                   -> 0
# nu = 0   : sqrt(0.01 + 1) = 1.0049876; - 0.1 = 0.9049876; 20 log10 = -0.867148 -> 6.032852
# nu = 1   : sqrt(0.81 + 1) = 1.3453624; + 0.9 = 2.2453624; 20 log10 = 7.025729  -> 13.925729
# nu = 2.4 : sqrt(5.29 + 1) = 2.5079872; + 2.3 = 4.8079872; 20 log10 = 13.639266 -> 20.539266
HAND_J = {-1.0: 0.0, 0.0: 6.032852, 1.0: 13.925729, 2.4: 20.539266}


@pytest.mark.parametrize(("nu", "j"), sorted(HAND_J.items()))
def test_knife_edge_hand_values(nu, j):
    assert knife_edge_db(nu) == pytest.approx(j, abs=1e-5)
    assert knife_edge_db_array([nu])[0] == pytest.approx(j, abs=1e-5)


def test_knife_edge_threshold_and_monotone():
    # -0.78 is the threshold of eq. (31): 0 at and below it, positive and rising above it
    assert knife_edge_db(-0.78) == 0.0
    nus = np.linspace(-0.77, 5.0, 200)
    j = knife_edge_db_array(nus)
    assert (j > 0).all() and (np.diff(j) > 0).all()


def _lb(j: float, d_m: float) -> float:
    # P.526-15 4.5 Bullington: L_b = L_uc + (1 - exp(-L_uc / 6)) (10 + 0.02 d[km])
    return j + (1.0 - math.exp(-j / 6.0)) * (10.0 + 0.02 * d_m / 1e3)


@pytest.mark.parametrize("h_edge", [-6.0, -2.0, 0.5, 5.0, 20.0])
def test_bullington_single_edge_is_knife_edge(h_edge):
    """One obstacle: the Bullington point is the edge itself, so L_uc = J(nu) with
    nu = h sqrt(2 d / (lambda d1 d2)) (no earth bulge: a_e = 1e15 m)."""
    f = 3.5
    lam = SPEED_OF_LIGHT / 3.5e9
    d, d1 = 2000.0, 800.0
    h_ts, h_rs = 30.0, 1.5
    line = (h_ts * (d - d1) + h_rs * d1) / d  # 18.6 m over the edge
    dist = np.array([200.0, 800.0, 1500.0])
    z = np.array([0.0, line + h_edge, 0.0])
    loss, blocked = bullington_profile_db(dist, z, d, h_ts, h_rs, f, a_e_m=1e15)
    nu = h_edge * math.sqrt(2 * d / (lam * d1 * (d - d1)))
    assert blocked == (h_edge >= 0)
    assert loss == pytest.approx(_lb(knife_edge_db(nu), d), abs=1e-6)


def test_bullington_flat_and_bulge():
    """A flat profile is clear at 2 km (loss 0) and the earth bulge d1 d2 / (2 a_e)
    raises the ground: at 40 km, 20 m masts, the mid-path bulge 23.5 m blocks."""
    d = 2000.0
    dist = np.linspace(20, d - 20, 99)
    loss, blocked = bullington_profile_db(dist, np.zeros(99), d, 30.0, 1.5, 3.5)
    assert loss == 0.0 and not blocked
    d = 40_000.0
    dist = np.linspace(200, d - 200, 199)
    loss, blocked = bullington_profile_db(dist, np.zeros(199), d, 20.0, 20.0, 3.5)
    # bulge at mid path: 20e3 * 20e3 / (2 * 8494.7e3) = 23.5 m > 20 m
    assert blocked and loss > 10.0


def test_fused_profile_pass_equals_the_reference():
    """:func:`profile_losses` (one pass, no square root per point) against
    :func:`bullington_db` on the same nearest-pixel samples of a rough DEM."""
    from nrplan.engine.terrain_profiles import profile_losses
    from nrplan.terrain.diffraction import EFFECTIVE_EARTH_RADIUS_M, bullington_db

    rng = np.random.default_rng(7)
    obst = rng.normal(0.0, 15.0, (80, 80)).cumsum(axis=0).cumsum(axis=1) * 0.05
    inv_i = np.zeros(65)
    inv_i[1:] = 1.0 / np.arange(1, 65)
    lam = SPEED_OF_LIGHT / 3.5e9
    fr_m, fc_m, pix = 10.3, 12.6, 20.0
    z_m = 3.0
    n_blocked = 0
    for rr, cc in rng.integers(0, 80, (60, 2)):
        d = pix * math.hypot(rr - fr_m, cc - fc_m)
        n = min(math.ceil(d / pix), 64)
        t = np.arange(1, n) / n
        pr = np.clip((fr_m + t * (rr - fr_m) + 0.5).astype(int), 0, 79)
        pc = np.clip((fc_m + t * (cc - fc_m) + 0.5).astype(int), 0, 79)
        z = obst[pr, pc] - z_m
        h_rs = obst[rr, cc] - z_m + 1.5
        want = bullington_db(t * d, z, n - 1, d, 30.0, h_rs, lam, EFFECTIVE_EARTH_RADIUS_M)
        flat = bullington_db(t * d, 0 * z, n - 1, d, 30.0, 1.5, lam, EFFECTIVE_EARTH_RADIUS_M)
        got = profile_losses(obst, fr_m, fc_m, rr, cc, z_m, n, d, 30.0, h_rs, 1.5, lam,
                             EFFECTIVE_EARTH_RADIUS_M, inv_i)  # fmt: skip
        assert got[0] == pytest.approx(want[0], abs=1e-9) and got[1] == want[1]
        assert got[2] == pytest.approx(flat[0], abs=1e-9) and got[3] == flat[1]
        n_blocked += want[1]
    assert 5 < n_blocked < 55  # both cases exercised
