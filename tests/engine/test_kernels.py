"""The compiled building blocks equal their plain definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.engine.kernels import (
    ATAN_MAX_ERROR_RAD,
    atan2_deg,
    element_loss_db,
    hash_uniform,
    kernel_patterns,
    pattern_db,
)
from nrplan.engine.reference import hash_uniform_np
from nrplan.radio.antenna import ANTENNA_PROFILES, BEAMS, parametric_pattern


@settings(max_examples=300, deadline=None)
@given(y=st.floats(-1e4, 1e4), x=st.floats(-1e4, 1e4))
def test_polynomial_atan2_within_stated_error(y, x):
    expected = math.degrees(math.atan2(y, x)) if (x or y) else 0.0
    # compare as angles: +-180 deg (y = -0.0) are the same direction
    diff = (atan2_deg(y, x) - expected + 180.0) % 360.0 - 180.0
    assert abs(diff) <= math.degrees(ATAN_MAX_ERROR_RAD) + 1e-12


def test_atan_dense_sweep():
    t = np.linspace(-np.pi, np.pi, 20001)
    got = np.array([atan2_deg(math.sin(a), math.cos(a)) for a in t])
    want = np.degrees(np.arctan2(np.sin(t), np.cos(t)))
    diff = (got - want + 180.0) % 360.0 - 180.0
    assert np.abs(diff).max() <= math.degrees(ATAN_MAX_ERROR_RAD)


@pytest.mark.parametrize("profile", sorted(ANTENNA_PROFILES))
@pytest.mark.parametrize("etilt", [0.0, 6.0, -2.0])
def test_numba_pattern_equals_parametric_pattern(profile, etilt):
    prof = ANTENNA_PROFILES[profile]
    pat = np.array([[tuple(prof.pattern_params(b)) for b in BEAMS]], dtype=float)
    patk = kernel_patterns(pat)
    rng = np.random.default_rng(1)
    theta = rng.uniform(0.0, 180.0, 400)
    phi = rng.uniform(-180.0, 180.0, 400)
    for b, beam in enumerate(BEAMS):
        want = parametric_pattern(theta, phi, prof.pattern_params(beam), etilt)
        got = np.array(
            [
                pattern_db(t, p, element_loss_db(t, p), patk, 0, b, etilt)
                for t, p in zip(theta, phi, strict=True)
            ]
        )
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_hash_numba_equals_numpy_and_is_uniform():
    key = np.uint64(123456789)
    a = np.arange(2000)
    got = np.array([hash_uniform(key, 7, int(i), int(i) * 3) for i in a])
    want = hash_uniform_np(key, 7, a, a * 3)
    np.testing.assert_array_equal(got, want)
    assert 0.0 <= want.min() and want.max() < 1.0
    # mean of 2000 U(0,1): sd 0.0065, 5 sd
    assert abs(want.mean() - 0.5) < 0.033


def test_db_to_lin_relative_error():
    from nrplan.engine.kernels import POW2_TABLE, db_to_lin

    x = np.linspace(-590.0, 590.0, 200_001)
    got = np.array([db_to_lin(v, POW2_TABLE) for v in x])
    # 1e-7 relative = 4e-7 dB: far below the 0.01 dB budget
    np.testing.assert_allclose(got, 10.0 ** (x / 10.0), rtol=1e-7)
    assert db_to_lin(-700.0, POW2_TABLE) == 0.0
