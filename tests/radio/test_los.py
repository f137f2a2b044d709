"""TR 38.901 Table 7.4.2-1 LOS probability: hand values, limits, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.radio.los import LOS_SCENARIOS, los_probability

CASES = [
    # RMa: exp(-(d - 10)/1000); d = 510 -> exp(-0.5) = 0.6065
    ("rma", 510.0, 1.5, {}, math.exp(-0.5)),
    # UMi: 18/d + exp(-d/36)(1 - 18/d); d = 100 -> 0.18 + 0.06218 * 0.82 = 0.2310
    ("umi", 100.0, 1.5, {}, 0.18 + math.exp(-100 / 36) * 0.82),
    # UMa, h_UT <= 13 m: 18/d + exp(-d/63)(1 - 18/d); d = 100 -> 0.18 + 0.20452*0.82 = 0.3477
    ("uma", 100.0, 1.5, {}, 0.18 + math.exp(-100 / 63) * 0.82),
    # UMa, h_UT = 23 m: C' = ((23-13)/10)^1.5 = 1, times (1 + 1.25 (100/100)^3 exp(-100/150))
    #   = 0.3477 * (1 + 0.6418) = 0.5709
    (
        "uma",
        100.0,
        23.0,
        {},
        (0.18 + math.exp(-100 / 63) * 0.82) * (1 + 1.25 * math.exp(-100 / 150)),
    ),
    # UMa, h_UT = 17.5 m, d = 200: C' = 0.45^1.5 = 0.3019; 1.25 * 8 * exp(-4/3) = 2.636
    (
        "uma",
        200.0,
        17.5,
        {},
        (0.09 + math.exp(-200 / 63) * 0.91) * (1 + 0.45**1.5 * 1.25 * 8 * math.exp(-200 / 150)),
    ),
    # InH mixed: exp(-(d - 1.2)/4.7) for 1.2 < d < 6.5; exp(-(d - 6.5)/32.6) * 0.32 beyond
    ("inh-mixed", 5.0, 1.0, {}, math.exp(-3.8 / 4.7)),
    ("inh-mixed", 20.0, 1.0, {}, math.exp(-13.5 / 32.6) * 0.32),
    ("inh-office", 20.0, 1.0, {}, math.exp(-13.5 / 32.6) * 0.32),  # default: mixed
    # InH open: exp(-(d - 5)/70.8) for 5 < d <= 49; exp(-(d - 49)/211.7) * 0.54 beyond
    ("inh-open", 30.0, 1.0, {}, math.exp(-25 / 70.8)),
    ("inh-office", 100.0, 1.0, {"office": "open"}, math.exp(-51 / 211.7) * 0.54),
    # InF-SL (r = 0.2, d_clutter = 10 m): k = -10 / ln(0.8) = 44.81 m; d = 10 -> exp(-0.2231)
    ("inf-sl", 10.0, 1.5, {}, math.exp(-10 / (-10 / math.log(0.8)))),
    # InF-DL (r = 0.6, d_clutter = 2 m): k = -2 / ln(0.4) = 2.183 m
    ("inf-dl", 3.0, 1.5, {}, math.exp(-3 / (-2 / math.log(0.4)))),
    # InF-DH (r = 0.6, d_c = 2, h_c = 6, h_BS = 8, h_UT = 1.5): k = 2.183 * 6.5 / 4.5 = 3.153 m
    (
        "inf-dh",
        5.0,
        1.5,
        {"h_bs": 8.0},
        math.exp(-5 / (-2 / math.log(0.4) * (8 - 1.5) / (6 - 1.5))),
    ),
    # InF-SH (r = 0.2, d_c = 10, h_c = 2, h_BS = 8): k = 44.81 * 6.5 / 0.5 = 582.6 m
    (
        "inf-sh",
        100.0,
        1.5,
        {"h_bs": 8.0},
        math.exp(-100 / (-10 / math.log(0.8) * (8 - 1.5) / (2 - 1.5))),
    ),
    # user clutter parameters
    ("inf-sl", 20.0, 1.5, {"r_clutter": 0.3, "d_clutter": 5.0}, math.exp(-20 * -math.log(0.7) / 5)),
    ("inf-hh", 300.0, 1.5, {}, 1.0),
]


@pytest.mark.parametrize(("scenario", "d", "hut", "kw", "expected"), CASES)
def test_hand_values(scenario, d, hut, kw, expected):
    assert float(los_probability(scenario, d, hut, **kw)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("scenario", "d_one"),
    [("rma", 10.0), ("umi", 18.0), ("uma", 18.0), ("inh-mixed", 1.2), ("inh-open", 5.0)],
)
def test_one_at_short_distance(scenario, d_one):
    p = los_probability(scenario, np.linspace(0, d_one, 7), 1.5)
    np.testing.assert_array_equal(p, 1.0)


@pytest.mark.parametrize("scenario", ["rma", "umi", "uma", "inh-mixed", "inf-sl", "inf-dl"])
def test_tends_to_zero(scenario):
    far = {
        "rma": 20_000.0,
        "umi": 1e6,
        "uma": 1e6,
        "inh-mixed": 1000.0,
        "inf-sl": 2000.0,
        "inf-dl": 2000.0,
    }[scenario]
    assert float(los_probability(scenario, far, 1.5)) < 0.02


@settings(max_examples=50, deadline=None)
@given(
    scenario=st.sampled_from([s for s in LOS_SCENARIOS if s not in ("inf-sh", "inf-dh")]),
    d=st.lists(st.floats(0.0, 20_000.0), min_size=1, max_size=20),
    hut=st.floats(1.0, 5.0),
)
def test_within_unit_interval_and_monotone(scenario, d, hut):
    d = np.sort(np.asarray(d))
    p = los_probability(scenario, d, hut)
    assert np.all((p >= 0) & (p <= 1))
    if scenario != "uma":  # h_UT <= 13 m here, so also monotone for UMa, but keep it simple
        assert np.all(np.diff(p) <= 1e-12)


def test_errors():
    with pytest.raises(NrplanInputError):
        los_probability("uma", -1.0)
    with pytest.raises(NrplanInputError):
        los_probability("uma", 100.0, 30.0)  # C'(h_UT) defined up to 23 m
    with pytest.raises(NrplanInputError):
        los_probability("inf-dh", 10.0, 1.5)  # needs h_bs
    with pytest.raises(NrplanInputError):
        los_probability("inf-dh", 10.0, 7.0, h_bs=8.0)  # UT above the 6 m clutter
    with pytest.raises(NrplanInputError):
        los_probability("inf-sl", 10.0, r_clutter=1.0)
    with pytest.raises(NrplanInputError):
        los_probability("suburb", 10.0)


def test_nan_and_shape():
    p = los_probability("umi", np.array([[np.nan, 50.0], [10.0, 500.0]]))
    assert p.shape == (2, 2)
    assert np.isnan(p[0, 0]) and p[1, 0] == 1.0
