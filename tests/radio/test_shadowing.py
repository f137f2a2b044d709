"""Correlated shadowing: Table 7.5-6 distances and the field's statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.radio.shadowing import correlated_field, decorrelation_distance

# Statistical tolerances. A 512 x 512 field with d_corr = 8 px holds about
# A / (2 pi d^2) = 262144 / 402 = 650 independent areas, so an empirical
# correlation has a standard error of about (1 - rho^2)/sqrt(650) = 0.034 per
# field; averaging rows and columns of 4 seeds brings it to ~0.012. The mean has
# standard error sigma * sqrt(2 pi d^2 / A) = 0.039 sigma per field (0.02 over 4).
RHO_TOL = 0.05  # ~4 standard errors
MEAN_TOL_SIGMA = 0.1  # ~5 standard errors, in units of sigma
STD_TOL_REL = 0.06  # sample std of a correlated field is biased low by ~1/(2 n_eff)


@pytest.mark.parametrize(
    ("scenario", "los", "dist"),
    [
        ("uma", "los", 37.0),
        ("uma", "nlos", 50.0),
        ("uma", "o2i", 7.0),
        ("umi", "los", 10.0),
        ("umi", "nlos", 13.0),
        ("umi", "o2i", 7.0),
        ("rma", "los", 37.0),
        ("rma", "nlos", 120.0),
        ("rma", "o2i", 120.0),
        ("inh-office", "los", 10.0),
        ("inh-office", "nlos", 6.0),
        ("inf-dh", "los", 10.0),
        ("inf-sl", "nlos", 10.0),
    ],
)
def test_table_7_5_6(scenario, los, dist):
    assert decorrelation_distance(scenario, los) == dist


def test_unknown_names():
    with pytest.raises(NrplanInputError):
        decorrelation_distance("suburban", "los")
    with pytest.raises(NrplanInputError):
        decorrelation_distance("inh-office", "o2i")


def _fields(n_seeds=4, shape=(512, 512), pixel=2.0, d_corr=16.0, sigma=6.0):
    return [
        correlated_field(shape, pixel, d_corr, sigma, np.random.default_rng(s))
        for s in range(n_seeds)
    ]


def test_autocorrelation_mean_std():
    sigma, pixel, d_corr = 6.0, 2.0, 16.0
    fields = _fields(pixel=pixel, d_corr=d_corr, sigma=sigma)
    assert all(f.dtype == np.float32 and f.shape == (512, 512) for f in fields)
    lag = round(d_corr / pixel)  # 8 px = d_corr
    rho, rho_half = [], []
    for f in fields:
        f = f.astype(np.float64)
        v = f.var()
        rho += [np.mean(f[:, :-lag] * f[:, lag:]) / v, np.mean(f[:-lag] * f[lag:]) / v]
        h = lag // 2
        rho_half += [np.mean(f[:, :-h] * f[:, h:]) / v]
    # exponential autocorrelation: exp(-1) = 0.368 at d_corr, exp(-0.5) = 0.607 at d_corr/2
    assert np.mean(rho) == pytest.approx(math.exp(-1), abs=RHO_TOL)
    assert np.mean(rho_half) == pytest.approx(math.exp(-0.5), abs=RHO_TOL)
    # isotropy: diagonal lag of 8/sqrt(2) px each way ~ distance d_corr
    f = fields[0].astype(np.float64)
    assert np.mean(f[:-6, :-6] * f[6:, 6:]) / f.var() == pytest.approx(
        math.exp(-6 * math.sqrt(2) * pixel / d_corr), abs=2 * RHO_TOL
    )
    all_f = np.stack(fields)
    assert abs(all_f.mean()) < MEAN_TOL_SIGMA * sigma
    assert all_f.std() == pytest.approx(sigma, rel=STD_TOL_REL)


def test_seeded_and_distinct():
    a = correlated_field((64, 80), 10.0, 50.0, 8.0, np.random.default_rng(5))
    b = correlated_field((64, 80), 10.0, 50.0, 8.0, np.random.default_rng(5))
    c = correlated_field((64, 80), 10.0, 50.0, 8.0, np.random.default_rng(6))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert a.shape == (64, 80)


def test_white_limit():
    # d_corr much smaller than a pixel: neighbouring pixels are uncorrelated
    f = correlated_field((256, 256), 100.0, 1.0, 1.0, np.random.default_rng(0)).astype(float)
    assert abs(np.mean(f[:, :-1] * f[:, 1:]) / f.var()) < 0.02


@pytest.mark.parametrize(
    "args",
    [
        ((0, 5), 10.0, 10.0, 1.0),
        ((5, 5), -1.0, 10.0, 1.0),
        ((5, 5), 1.0, 0.0, 1.0),
        ((5, 5), 1.0, 10.0, -1.0),
        ("ab", 1.0, 10.0, 1.0),
    ],
)
def test_errors(args):
    with pytest.raises(NrplanInputError):
        correlated_field(*args, np.random.default_rng(0))
    with pytest.raises(NrplanInputError):
        correlated_field((5, 5), 1.0, 10.0, 1.0, 1)
