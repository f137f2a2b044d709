"""Plan KPIs: coverage probability, sector loads, target checks (by hand)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from nrplan.plan.config import Targets
from nrplan.plan.evaluate import coverage_probability, evaluate, sector_loads


def test_coverage_probability_by_hand():
    # RSRP -104 dBm, threshold -110, sigma 6 dB: P = Phi(6/6) = Phi(1) = 0.8413
    p = coverage_probability(np.array([-104.0]), np.array([5.0]), -110.0, -3.0, np.array([6.0]))
    assert p[0] == pytest.approx(norm.cdf(1.0), abs=1e-12)
    # indoors, 16 dB O2I loss, sigma sqrt(6^2 + 4.4^2) = 7.44 dB:
    # P = Phi((-104 - 16 + 110) / 7.44) = Phi(-1.344) = 0.0895
    s_in = np.hypot(6.0, 4.4)
    p_in = coverage_probability(
        np.array([-104.0]), np.array([5.0]), -110.0, -3.0, np.array([s_in]), 16.0
    )
    assert p_in[0] == pytest.approx(norm.cdf(-10.0 / s_in), abs=1e-12)
    # SINR below its threshold or no server: 0
    p0 = coverage_probability(
        np.array([-80.0, np.nan]), np.array([-4.0, np.nan]), -110.0, -3.0, np.array([6.0, 6.0])
    )
    assert np.array_equal(p0, [0.0, 0.0])


def test_sector_loads_by_hand():
    # sector 0 serves two pixels: 10 Mbps at 100 Mbps full rate and 5 at 50 -> 0.1 + 0.1
    # sector 1 serves one pixel: 30 Mbps at 60 -> 0.5; pixel 3 unserved
    best = np.array([0, 0, 1, -1])
    demand = np.array([10.0, 5.0, 30.0, 99.0])
    cap = np.array([100.0, 50.0, 60.0, 0.0])
    assert np.allclose(sector_loads(best, demand, cap, 3), [0.2, 0.5, 0.0])


def _eval(p_out, p_in, dl, loads, pop=None, **kw):
    n = p_out.size
    t = Targets(**kw)
    return evaluate(
        t,
        np.ones(n, bool),
        np.ones(n) if pop is None else pop,
        p_out,
        p_in,
        np.full(n, 10.0),
        dl,
        np.full(n, 10.0),
        loads,
        0.0025,
    )


def test_evaluate_passes_and_fails_each_target():
    n = 100
    ok = _eval(np.full(n, 0.99), np.full(n, 0.9), np.full(n, 100.0), np.array([0.3]))
    assert ok.ok and ok.area_km2 == pytest.approx(0.25)
    low = _eval(np.full(n, 0.9), np.full(n, 0.9), np.full(n, 100.0), np.array([0.3]))
    assert not low.ok and any("area coverage" in f for f in low.failures)
    indoor = _eval(np.full(n, 0.99), np.full(n, 0.5), np.full(n, 100.0), np.array([0.3]))
    assert any("indoor" in f for f in indoor.failures)
    dl = np.full(n, 100.0)
    dl[:10] = 1.0  # 10 % of covered pixels below 50 Mbps: the 5th percentile fails
    edge = _eval(np.full(n, 0.99), np.full(n, 0.9), dl, np.array([0.3]))
    assert any("edge DL" in f for f in edge.failures)
    over = _eval(np.full(n, 0.99), np.full(n, 0.9), np.full(n, 100.0), np.array([0.3, 0.75]))
    assert over.overloaded_sectors == 1 and not over.ok


def test_population_coverage_is_population_weighted():
    p_out = np.array([1.0, 0.0])
    pop = np.array([3.0, 1.0])
    m = _eval(p_out, p_out, np.full(2, 100.0), np.array([0.1]), pop=pop)
    assert m.population_coverage == pytest.approx(0.75)
    assert m.area_coverage == pytest.approx(0.5)
