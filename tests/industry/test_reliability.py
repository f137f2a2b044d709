"""Reliability of lognormal links, single and redundant."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.industry.reliability import (
    link_failure,
    redundant_failure,
    reliability_from_margins,
)

# Standard normal CDF values from a table: Phi(-0.625) = 0.265986, Phi(-0.375) = 0.353830
PHI_M0625 = 0.265986
PHI_M0375 = 0.353830
TABLE_TOL = 1e-6  # the table values are rounded to 6 decimals


def test_two_independent_links_by_hand():
    # margins 5 and 3 dB, sigma 8 dB: P_fail = Phi(-5/8) * Phi(-3/8)
    p = redundant_failure(link_failure(np.array([5.0, 3.0]), 8.0))
    assert p == pytest.approx(PHI_M0625 * PHI_M0375, abs=TABLE_TOL)  # 0.094114
    r = reliability_from_margins([5.0, 3.0], [5.0, 3.0], [1.0, 1.0], 8.0, 8.0)
    assert r == pytest.approx(1 - PHI_M0625 * PHI_M0375, abs=TABLE_TOL)


def test_los_nlos_mixture_by_hand():
    # p_LOS 0.5, LOS margin 5 dB sigma 8, NLOS margin 3 dB sigma 8:
    # 0.5 * 0.265986 + 0.5 * 0.353830 = 0.309908
    r = reliability_from_margins([5.0], [3.0], [0.5], 8.0, 8.0)
    assert 1 - r == pytest.approx(0.5 * PHI_M0625 + 0.5 * PHI_M0375, abs=TABLE_TOL)


def test_correlated_links_match_monte_carlo():
    rng = np.random.default_rng(7)
    rho, m = 0.5, np.array([5.0, 3.0])
    n = 400_000
    z = rng.standard_normal(n)
    w = rng.standard_normal((2, n))
    x = 8.0 * (np.sqrt(rho) * z + np.sqrt(1 - rho) * w)
    mc = np.mean((x[0] > m[0]) & (x[1] > m[1]))
    analytic = 1 - reliability_from_margins(m, m, [1.0, 1.0], 8.0, 8.0, rho=rho)
    # 4 standard errors of a binomial proportion near 0.14 with n = 4e5
    tol = 4 * np.sqrt(mc * (1 - mc) / n)
    assert abs(analytic - mc) < tol
    assert analytic > PHI_M0625 * PHI_M0375  # correlation hurts redundancy


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-20, 40), min_size=1, max_size=3),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.95),
)
def test_more_links_never_hurt(margins, p_los, rho):
    m = np.array(margins)
    p = np.full(m.shape, p_los)
    r_all = reliability_from_margins(m, m - 10, p, 4.0, 7.0, rho)
    r_first = reliability_from_margins(m[:1], m[:1] - 10, p[:1], 4.0, 7.0, rho)
    assert r_all >= r_first - 1e-12
    assert 0.0 <= r_all <= 1.0


def test_bad_sigma_and_rho():
    with pytest.raises(NrplanInputError):
        link_failure(3.0, 0.0)
    with pytest.raises(NrplanInputError):
        reliability_from_margins([1.0], [1.0], [1.0], 4.0, 4.0, rho=1.0)
