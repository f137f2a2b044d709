"""The robust regularised fit on hand-made residuals."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.measure.fit import Priors, fit_corrections, group_folds


def _design(rng, n=3000):
    d = 10 ** rng.uniform(1.5, 3.0, n)  # 30 m .. 1 km
    code = rng.choice([2, 4], n)
    sector = rng.integers(0, 6, n)
    cluster = rng.integers(0, 40, n)
    return np.log10(d), code, sector, cluster


def test_noise_free_data_are_recovered_exactly():
    rng = np.random.default_rng(3)
    x, code, sector, cluster = _design(rng)
    a = {2: 5.0, 4: -3.0}
    b = {2: -2.0, 4: 1.5}
    off = np.array([0.0, 2.0, -1.0, 0.0, 0.0, 0.0])
    # measured - predicted = -(a_c + b_c x) + o_j
    y = -(np.vectorize(a.get)(code) + np.vectorize(b.get)(code) * x) + off[sector]
    f = fit_corrections(
        y, x, code, sector, cluster, cell_offsets=False, priors=Priors(1e4, 1e4, 3.0)
    )
    # without offsets the cell errors leak into the classes: not exact
    assert np.abs(f.residual_db).max() > 0.1
    f = fit_corrections(y, x, code, sector, cluster, priors=Priors(1e4, 1e4, 1e4))
    # with (nearly) flat priors the split intercept / offsets is free along one
    # direction (all offsets +k, all intercepts +k): compare what is identified
    assert f.b_db == pytest.approx([-2.0, 1.5], abs=1e-6)
    np.testing.assert_allclose(f.residual_db, 0.0, atol=1e-6)
    assert f.a_db[0] - f.a_db[1] == pytest.approx(8.0, abs=1e-6)
    assert f.offset_db[1] - f.offset_db[0] == pytest.approx(2.0, abs=1e-6)


def test_a_class_with_few_bins_stays_near_the_default():
    rng = np.random.default_rng(4)
    n = 4000
    x = np.log10(10 ** rng.uniform(1.5, 3.0, n))
    code = np.full(n, 2)
    code[:3] = 4  # three rural bins only
    y = rng.normal(0.0, 6.0, n)
    y[:3] -= 10.0  # their mean says +10 dB path loss
    f = fit_corrections(y, x, code, np.zeros(n, int), rng.integers(0, 50, n), cell_offsets=False)
    i = list(f.classes).index(4)
    # prior sd 10 dB on the class correction at its mean distance vs 3 bins of sd ~6 dB:
    # the posterior mean is pulled well below the data's 10 dB, and its CI is wide
    corr_at_mean = f.a_db[i] + f.b_db[i] * f.xbar[i]
    assert 0.0 < corr_at_mean < 10.0
    assert abs(f.b_db[i]) < 10.0
    assert f.se_a_db[i] > f.se_a_db[1 - i]


def test_huber_resists_outliers():
    rng = np.random.default_rng(5)
    n = 3000
    x = rng.uniform(1.5, 3.0, n)
    y = -(2.0 + 0.0 * x) + rng.normal(0, 3.0, n)
    y[:150] += 60.0  # 5 % gross outliers (wrong cell logged)
    f = fit_corrections(
        y, x, np.full(n, 2), np.zeros(n, int), rng.integers(0, 60, n), cell_offsets=False
    )
    at_mean = f.a_db[0] + f.b_db[0] * f.xbar[0]
    assert at_mean == pytest.approx(2.0, abs=0.6)  # the mean would be 2 - 3 = -1


def test_group_folds_keep_groups_together_and_need_two_groups():
    g = np.repeat(np.arange(10), np.arange(1, 11))
    f = group_folds(g, 3, np.random.default_rng(0))
    for k in range(10):
        assert np.unique(f[g == k]).size == 1
    sizes = np.bincount(f)
    assert sizes.max() - sizes.min() <= 10
    with pytest.raises(NrplanInputError):
        group_folds(np.zeros(5, int), 3, np.random.default_rng(0))
    with pytest.raises(NrplanInputError):
        fit_corrections([1.0, 2.0], [2.0, 2.0], [2, 2], [0, 0], [0, 0])


def test_one_cluster_falls_back_to_per_bin_errors():
    rng = np.random.default_rng(0)
    n = 500
    x = rng.uniform(1.5, 3.0, n)
    y = -(2.0 + 1.0 * x) + rng.normal(0.0, 6.0, n)
    f = fit_corrections(y, x, np.full(n, 2), np.zeros(n, int), np.zeros(n, int), cell_offsets=False)
    # by hand: se(b) ~ sigma / (sqrt(n) sd(x)) = 6 / (22.4 * 0.433) = 0.62 dB/decade
    assert 0.45 < f.se_b_db[0] < 0.8
    assert abs(f.b_db[0] - 1.0) < 3 * f.se_b_db[0]
