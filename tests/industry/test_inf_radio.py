"""InF path loss and LOS probability as used by the private planner, by hand
from TR 38.901 Tables 7.4.1-1 and 7.4.2-1."""

from __future__ import annotations

import math

import pytest

from nrplan.radio.los import los_probability
from nrplan.radio.pathloss import pathloss_los, pathloss_nlos

TOL_DB = 1e-3


def test_inf_los_and_dh_by_hand():
    # d_2D 40 m, h_BS 8 m, h_UT 1.5 m: d_3D = sqrt(1600 + 6.5^2) = 40.52468 m
    # log10(d_3D) = 1.607720, log10(4.85) = 0.685742
    # LOS: 31.84 + 21.5 * 1.607720 + 19 * 0.685742 = 79.4349 dB
    # DH:  33.63 + 21.9 * 1.607720 + 20 * 0.685742 = 82.5541 dB (> LOS)
    kw = {"r_clutter": 0.6, "h_clutter": 6.0, "d_clutter": 2.0}
    los = 31.84 + 21.5 * 1.6077198 + 19 * 0.6857417
    dh = 33.63 + 21.9 * 1.6077198 + 20 * 0.6857417
    assert pathloss_los("inf-dh", 40.0, 8.0, 1.5, 4.85, **kw) == pytest.approx(los, abs=TOL_DB)
    assert pathloss_nlos("inf-dh", 40.0, 8.0, 1.5, 4.85, **kw) == pytest.approx(dh, abs=TOL_DB)


def test_inf_sl_nlos_by_hand():
    # SL: 33 + 25.5 * 1.607720 + 20 * 0.685742 = 87.7116 dB
    sl = 33.0 + 25.5 * 1.6077198 + 20 * 0.6857417
    assert pathloss_nlos("inf-sl", 40.0, 8.0, 1.5, 4.85) == pytest.approx(sl, abs=TOL_DB)


def test_inf_los_probability_by_hand():
    # SL, r = 0.2, d_clutter = 10: k = -10 / ln(0.8) = 44.8142; P(40) = exp(-40/44.8142)
    assert los_probability("inf-sl", 40.0, 1.5, r_clutter=0.2, d_clutter=10.0) == pytest.approx(
        math.exp(-40 / 44.8142), abs=1e-5
    )
    # DH, r = 0.6, d_clutter = 2, h_c = 6, h_BS = 8, h_UT = 1.5:
    # k = -2 / ln(0.4) * (8 - 1.5) / (6 - 1.5) = 2.182713 * 1.444444 = 3.152807
    p = los_probability("inf-dh", 5.0, 1.5, r_clutter=0.6, d_clutter=2.0, h_clutter=6.0, h_bs=8.0)
    assert p == pytest.approx(math.exp(-5 / 3.152807), abs=1e-5)
