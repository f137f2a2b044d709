"""TR 38.901 7.4.3 O2I penetration loss: hand values and sampler statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.radio.o2i import (
    indoor_distance,
    material_loss,
    mean_indoor_distance,
    o2i_loss,
    o2i_sample,
    o2i_sigma,
)

# Table 7.4.3-1 at 3.5 GHz: glass 2 + 0.2*3.5 = 2.7 dB; IRR glass 23 + 0.3*3.5 = 24.05 dB;
# concrete 5 + 4*3.5 = 19 dB; wood 4.85 + 0.12*3.5 = 5.27 dB
LOW_TW_35 = 5 - 10 * math.log10(
    0.3 * 10 ** (-(2 + 0.2 * 3.5) / 10) + 0.7 * 10 ** (-(5 + 4 * 3.5) / 10)
)
# = 5 - 10 log10(0.3 * 0.5370 + 0.7 * 0.012589) = 5 - 10 log10(0.16992) = 5 + 7.697 = 12.697
HIGH_TW_35 = 5 - 10 * math.log10(
    0.7 * 10 ** (-(23 + 0.3 * 3.5) / 10) + 0.3 * 10 ** (-(5 + 4 * 3.5) / 10)
)
# = 5 - 10 log10(0.7 * 0.003936 + 0.3 * 0.012589) = 5 - 10 log10(0.006532) = 5 + 21.850 = 26.850


@pytest.mark.parametrize(
    ("material", "f", "loss"),
    [
        ("glass", 3.5, 2.7),
        ("irr-glass", 3.5, 24.05),
        ("concrete", 3.5, 19.0),
        ("wood", 3.5, 5.27),
        ("concrete", 28.0, 117.0),
    ],
)
def test_material_loss(material, f, loss):
    assert float(material_loss(material, f)) == pytest.approx(loss, abs=1e-12)


def test_low_high_hand_values():
    assert float(o2i_loss("low", 3.5)) == pytest.approx(LOW_TW_35, abs=1e-12)
    assert LOW_TW_35 == pytest.approx(12.697, abs=1e-3)
    assert float(o2i_loss("high", 3.5)) == pytest.approx(HIGH_TW_35, abs=1e-12)
    assert HIGH_TW_35 == pytest.approx(26.850, abs=1e-3)
    # PL_in = 0.5 d_2D-in: 10 m indoors adds 5 dB
    assert float(o2i_loss("low", 3.5, 10.0)) == pytest.approx(LOW_TW_35 + 5.0, abs=1e-12)
    np.testing.assert_allclose(
        o2i_loss("high", 3.5, [0.0, 4.0]), [HIGH_TW_35, HIGH_TW_35 + 2.0], atol=1e-12
    )


def test_sigma_and_car():
    assert o2i_sigma("low") == 4.4
    assert o2i_sigma("high") == 6.5
    assert o2i_sigma("car") == 5.0
    assert float(o2i_loss("car", 3.5, 20.0)) == 9.0


def test_loss_increases_with_frequency():
    f = np.linspace(0.5, 100, 50)
    for model in ("low", "high"):
        assert np.all(np.diff(o2i_loss(model, f)) > 0)
    assert np.all(o2i_loss("high", f) > o2i_loss("low", f))


def test_indoor_distance_distribution():
    rng = np.random.default_rng(7)
    d = indoor_distance(rng, 200_000, "uma")
    assert d.min() >= 0 and d.max() <= 25
    # E[min(U1, U2)] = 25/3 = 8.333 m; std of the mean ~ 5.9/sqrt(2e5) = 0.013 m
    assert d.mean() == pytest.approx(25 / 3, abs=0.07)
    assert mean_indoor_distance("uma") == pytest.approx(25 / 3)
    # P(min <= x) = 1 - (1 - x/25)^2: at x = 12.5 m -> 0.75
    assert np.mean(d <= 12.5) == pytest.approx(0.75, abs=0.01)
    d_rma = indoor_distance(rng, 100_000, "rma")
    assert d_rma.max() <= 10 and d_rma.mean() == pytest.approx(10 / 3, abs=0.05)


def test_sample_statistics_and_seed():
    a = o2i_sample(np.random.default_rng(1), "low", 3.5, 100_000, "umi")
    b = o2i_sample(np.random.default_rng(1), "low", 3.5, 100_000, "umi")
    np.testing.assert_array_equal(a, b)
    # mean = PL_tw + 0.5 * 25/3 = 12.697 + 4.167 = 16.864; var = 4.4^2 + 0.25 var(d_in)
    # var(d_in) = 25^2 / 18 = 34.72 -> std = sqrt(19.36 + 8.68) = 5.295
    assert a.mean() == pytest.approx(LOW_TW_35 + 0.5 * 25 / 3, abs=0.1)
    assert a.std() == pytest.approx(math.sqrt(4.4**2 + 0.25 * 25**2 / 18), abs=0.1)


def test_errors():
    with pytest.raises(NrplanInputError):
        o2i_loss("medium", 3.5)
    with pytest.raises(NrplanInputError):
        o2i_loss("low", 200.0)
    with pytest.raises(NrplanInputError):
        o2i_loss("low", 3.5, -1.0)
    with pytest.raises(NrplanInputError):
        indoor_distance(np.random.default_rng(0), 3, "inh-office")
    with pytest.raises(NrplanInputError):
        indoor_distance(42, 3, "uma")
