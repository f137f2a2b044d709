"""Time availability under Nakagami/Gamma fading and location reliability under
lognormal shadowing, by hand and by property."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.industry.reliability import (
    K_FACTOR_DB,
    availability,
    diversity_order,
    link_outage,
    location_margin_db,
    nakagami_m_from_k,
    outage_probability,
    redundant_outage,
    shadowing_outage,
)

HAND_TOL = 1e-9  # closed forms evaluated in double precision
TABLE_TOL = 1e-3  # z of a normal table, 4 significant digits


def test_rayleigh_single_branch_by_hand():
    # thr/mean = 0.01 (mean 20 dB above the threshold): 1 - exp(-0.01) = 0.00995017
    p = outage_probability(20.0, 0.0, 1.0)
    assert p == pytest.approx(1.0 - math.exp(-0.01), abs=HAND_TOL)
    assert p == pytest.approx(0.00995017, abs=1e-8)


def test_mrc_two_rayleigh_branches_by_hand():
    # Gamma(m=2) with post-combining mean gamma_bar: P_out = 1 - exp(-x)(1 + x), x = 2 thr/mean.
    # thr/mean = 0.1 (mean 10 dB above): x = 0.2, exp(-0.2) = 0.81873075,
    # 1 - 0.81873075 * 1.2 = 1 - 0.98247690 = 0.01752310
    p = outage_probability(10.0, 0.0, 2.0)
    x = 2 * 0.1
    assert p == pytest.approx(1.0 - math.exp(-x) * (1.0 + x), abs=HAND_TOL)
    assert p == pytest.approx(0.01752310, abs=1e-8)
    assert diversity_order(1, 2) == 2  # 1 UE antenna x 2 gNB branches


def test_two_independent_links_multiply():
    # link 1 Rayleigh at thr/mean 0.01: 0.00995017; link 2 MRC-2 at thr/mean 0.1: 0.01752310
    # both must fail: 0.00995017 * 0.01752310 = 1.74358e-4 -> availability 0.99982564
    p1 = outage_probability(20.0, 0.0, 1.0)
    p2 = outage_probability(10.0, 0.0, 2.0)
    both = redundant_outage([p1, p2])
    assert both == pytest.approx(0.00995017 * 0.01752310, rel=1e-6)
    a = availability([20.0, 10.0], [20.0, 10.0], [0.0, 0.0], 0.0, 5.0, [1.0, 2.0])
    assert a == pytest.approx(1.0 - 0.00995017 * 0.01752310, abs=1e-8)


def test_harq_and_los_state_static_by_hand():
    # one link, p_LOS 0.5, per-attempt outage LOS 0.01 / NLOS 0.1, 3 transmissions:
    # 0.5 * 0.01^3 + 0.5 * 0.1^3 = 0.5e-6 + 0.5e-3 = 5.005e-4 (LOS state fixed over the attempts)
    assert link_outage(0.01, 0.1, 0.5, 3) == pytest.approx(5.005e-4, rel=1e-12)


def test_k_factor_to_m_by_hand():
    # InF LOS K = 7 dB (TR 38.901 Table 7.5-6): K = 10^0.7 = 5.01187, m = 6.01187^2 / 11.02374
    assert K_FACTOR_DB["inf-dh"] == 7.0 and K_FACTOR_DB["umi"] == 9.0
    assert nakagami_m_from_k(7.0) == pytest.approx(6.01187**2 / 11.02374, rel=1e-5)  # 3.27862
    assert nakagami_m_from_k(-np.inf) == pytest.approx(1.0)  # Rayleigh


def test_location_margin_by_hand():
    # z(0.95) = 1.645 (normal table): UMa NLOS sigma 6 dB -> 9.87 dB
    assert location_margin_db(0.95, 6.0) == pytest.approx(1.645 * 6.0, abs=6 * TABLE_TOL)
    assert location_margin_db(0.5, 6.0) == pytest.approx(0.0, abs=1e-12)
    # the margin lowers the SINR used: 20 dB mean with a 10 dB margin = 10 dB mean
    a = availability([20.0], [20.0], [1.0], 0.0, 1.0, 1.0, margin_los_db=10.0)
    assert 1.0 - a == pytest.approx(1.0 - math.exp(-0.1), abs=HAND_TOL)


snr = st.floats(-20.0, 40.0)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(snr, min_size=1, max_size=3),
    st.floats(0.0, 1.0),
    st.floats(0.0, 30.0),
    st.integers(1, 8),
    st.integers(1, 4),
)
def test_more_diversity_links_or_attempts_never_hurt(means, p_los, below, d, n):
    # Diversity helps when the mean SINR is at or above the threshold (the planning
    # regime); below it a more concentrated SINR is *more* often short, as the model
    # says. So the threshold is taken at or below every mean (NLOS mean = LOS - 10 dB).
    m = np.array(means)
    thr = float(m.min()) - 10.0 - below
    p = np.full(m.shape, p_los)
    base = availability(m, m - 10, p, thr, 3.0 * d, float(d), transmissions=n)
    more_div = availability(m, m - 10, p, thr, 3.0 * (d + 1), float(d + 1), transmissions=n)
    more_tx = availability(m, m - 10, p, thr, 3.0 * d, float(d), transmissions=n + 1)
    first = availability(m[:1], m[:1] - 10, p[:1], thr, 3.0 * d, float(d), transmissions=n)
    assert 0.0 <= base <= 1.0
    assert more_div >= base - 1e-12
    assert more_tx >= base - 1e-12
    assert base >= first - 1e-12


def test_bad_inputs():
    with pytest.raises(NrplanInputError):
        outage_probability(10.0, 0.0, 0.0)
    with pytest.raises(NrplanInputError):
        location_margin_db(1.0, 6.0)
    with pytest.raises(NrplanInputError):
        link_outage(0.1, 0.1, 1.5)


def test_two_independent_lognormal_links_by_hand():
    # sigma 8 dB; link 1 median 5 dB above the threshold, link 2 at it:
    # Phi(-5/8) = Phi(-0.625) = 0.26599 (normal table), Phi(0) = 0.5
    # both below: 0.26599 x 0.5 = 0.132996 -> location reliability 0.867004
    p = shadowing_outage([[5.0], [0.0]], [[5.0], [0.0]], [[1.0], [1.0]], 0.0, 8.0, 8.0, rho=0.0)
    assert p[0] == pytest.approx(0.26599 * 0.5, abs=2e-5)


def test_los_mixture_single_link_by_hand():
    # p_LOS 0.5; LOS median 10 dB above (sigma 4), NLOS at the threshold (sigma 8):
    # 0.5 Phi(-2.5) + 0.5 Phi(0) = 0.5 x 0.00621 + 0.25 = 0.253105
    p = shadowing_outage([[10.0]], [[0.0]], [[0.5]], 0.0, 4.0, 8.0, rho=0.5)
    assert p[0] == pytest.approx(0.5 * 0.0062097 + 0.25, abs=1e-6)


@pytest.mark.parametrize("rho", [0.3, 0.5, 0.9])
def test_correlated_links_match_bivariate_normal(rho):
    from scipy.stats import multivariate_normal

    p = shadowing_outage([[5.0], [0.0]], [[5.0], [0.0]], [[1.0], [1.0]], 0.0, 8.0, 8.0, rho=rho)
    ref = multivariate_normal([0.0, 0.0], [[1.0, rho], [rho, 1.0]]).cdf([-5.0 / 8.0, 0.0])
    assert p[0] == pytest.approx(ref, rel=1e-4)
    # correlation makes the second link help less than an independent one
    indep = shadowing_outage([[5.0], [0.0]], [[5.0], [0.0]], [[1.0], [1.0]], 0.0, 8.0, 8.0, 0.0)
    assert p[0] > indep[0]


def test_shadowing_correlation_out_of_range():
    with pytest.raises(NrplanInputError, match="shadowing_correlation"):
        shadowing_outage([[0.0]], [[0.0]], [[1.0]], 0.0, 4.0, 8.0, rho=1.0)
