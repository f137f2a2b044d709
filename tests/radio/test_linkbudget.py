"""Link budget against hand computations (noise, EPRE, RSRP, SINR, MAPL, range)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.radio.linkbudget import (
    db_sum,
    link_budget,
    max_cell_range,
    max_path_loss,
    range_for_path_loss,
    re_power_dbm,
    rsrp_dbm,
    shadow_margin_db,
    sinr_db,
    thermal_noise_dbm,
)
from nrplan.radio.pathloss import pathloss

RANGE_TOL_DB = 1e-3  # brentq xtol 1 cm: path loss at the range equals the MAPL to < 1e-3 dB


def test_thermal_noise_by_hand():
    # 100 MHz: -174 + 10 log10(1e8) = -174 + 80 = -94 dBm; + NF 5 dB = -89 dBm
    assert thermal_noise_dbm(100e6) == pytest.approx(-94.0)
    assert thermal_noise_dbm(100e6, 5.0) == pytest.approx(-89.0)
    # one 30 kHz RE, NF 7: -174 + 44.771 + 7 = -122.229 dBm
    assert thermal_noise_dbm(30e3, 7.0) == pytest.approx(-174 + 10 * math.log10(30e3) + 7)
    with pytest.raises(NrplanInputError):
        thermal_noise_dbm(0.0)


def test_re_power_and_rsrp_by_hand():
    # 200 W = 53.0103 dBm over 273 PRB: 10 log10(12*273) = 35.1536 -> 17.8567 dBm per RE
    p = 10 * math.log10(200e3)
    assert re_power_dbm(p, 273) == pytest.approx(p - 10 * math.log10(3276))
    assert re_power_dbm(p, 273) == pytest.approx(17.857, abs=1e-3)
    # RSRP = 17.857 + 23.81 (SSB) + 0 - 120 (PL) - 3 (loss) = -81.333 dBm
    assert rsrp_dbm(p, 273, 23.81, 120.0, 3.0) == pytest.approx(17.8567 + 23.81 - 123, abs=1e-3)
    with pytest.raises(NrplanInputError):
        re_power_dbm(p, 0)


def test_sinr_by_hand():
    # S = -90, I = N = -100 dBm: I + N = 2e-10 mW = -96.99 dBm -> SINR 6.99 dB
    assert sinr_db(-90.0, -100.0, -100.0) == pytest.approx(10 - 10 * math.log10(2))
    assert sinr_db(-90.0, -np.inf, -100.0) == pytest.approx(10.0)
    assert db_sum([-100.0, -100.0]) == pytest.approx(-100 + 10 * math.log10(2))


def test_shadow_margin():
    # 90 %: Phi^-1(0.9) = 1.28155; sigma 6 dB -> 7.689 dB
    assert shadow_margin_db(6.0, 0.9) == pytest.approx(6 * 1.2815516, abs=1e-5)
    assert shadow_margin_db(8.0, 0.5) == pytest.approx(0.0)
    with pytest.raises(NrplanInputError):
        shadow_margin_db(6.0, 1.0)


def test_max_path_loss_arithmetic():
    # 45.68 + 0 - (-122.23) - 5.51 - 3 - 0 - 7.69 = 151.71
    assert max_path_loss(45.68, 0.0, -122.23, 5.51, 3.0, 0.0, 7.69) == pytest.approx(151.71)


def test_n78_uma_budget_by_hand():
    lb = link_budget("n78", "uma", 50.0, 2.0)
    # DL: P_RE = 53.0103 - 35.1536 = 17.8567; G traffic = 8 + 10 log10(96) = 27.82 dBi
    # less the 2.8 dB AAU implementation loss (radiated gain 25.02 dBi)
    p_re = 10 * math.log10(200e3) - 10 * math.log10(12 * 273)
    n_re = -174 + 10 * math.log10(30e3) + 7.0  # UE NF 7 dB
    # required SE: 50e6 / (91_728_000 RE/s * 0.86 * 90/140 (DDDSUDDSUU DL)) = 0.98595
    se = 50e6 / (91_728_000 * 0.86 * 90 / 140)
    assert se == pytest.approx(0.98595, abs=1e-5)
    # smallest CQI (Table 2) with SE >= 0.986 is CQI 4 (1.4766): 10log10(2^1.4766 - 1) + 3
    sinr = 10 * math.log10(2**1.4766 - 1) + 3.0
    assert lb.dl_required_sinr_db == pytest.approx(sinr)
    margin = 6.0 * 1.2815516  # UMa NLOS sigma 6 dB, 90 % edge coverage
    mapl = p_re + 25.02 - n_re - sinr - 3.0 - margin
    assert lb.mapl_dl_db == pytest.approx(mapl, abs=1e-4)
    assert lb.eirp_dbm == pytest.approx(10 * math.log10(200e3) + 25.02)
    assert lb.dl_noise_dbm == pytest.approx(-174 + 10 * math.log10(12 * 273 * 30e3) + 7)
    # UL: 26 dBm over n PRB, gNB NF 5, rx gain 25.02, IM 2 dB
    p_ul = 26.0 - 10 * math.log10(12 * lb.ul_prb)
    n_re_gnb = -174 + 10 * math.log10(30e3) + 5.0
    mapl_ul = p_ul + 25.02 - n_re_gnb - lb.ul_required_sinr_db - 2.0 - margin
    assert lb.mapl_ul_db == pytest.approx(mapl_ul, abs=1e-4)


@pytest.mark.parametrize("band", ["n78", "n78-shared", "n41", "n79", "n28"])
@pytest.mark.parametrize("scenario", ["uma", "umi", "rma"])
def test_range_solves_pathloss_equals_mapl(band, scenario):
    lb = link_budget(band, scenario)
    assert lb.max_range_m == min(lb.range_dl_m, lb.range_ul_m)
    assert lb.limiting_link == ("dl" if lb.range_dl_m <= lb.range_ul_m else "ul")
    for mapl, rng, f_c in (
        (lb.mapl_dl_db, lb.range_dl_m, lb.f_c_ghz),
        (lb.mapl_ul_db, lb.range_ul_m, lb.f_ul_ghz),
    ):
        if 10.0 < rng < 5000.0:
            pl = float(pathloss(scenario, rng, lb.h_bs_m, lb.h_ut_m, f_c, "prob"))
            assert pl == pytest.approx(mapl, abs=RANGE_TOL_DB)


def test_ul_allocation_is_optimal():
    best = link_budget("n78", "uma", 50.0, 2.0)
    for n in (5, 20, 60, 273):
        try:
            other = link_budget("n78", "uma", 50.0, 2.0, ul_prb=n)
        except NrplanInputError:
            continue
        assert other.mapl_ul_db <= best.mapl_ul_db + 1e-9


def test_indoor_and_higher_rates_shrink_the_range():
    out = link_budget("n78", "uma", 50.0, 2.0)
    low = link_budget("n78", "uma", 50.0, 2.0, penetration="low")
    high = link_budget("n78", "uma", 50.0, 2.0, penetration="high")
    assert high.max_range_m < low.max_range_m < out.max_range_m
    assert low.shadow_sigma_db == pytest.approx(math.hypot(6.0, 4.4))  # Table 7.4.3-2 sigma_P


@settings(max_examples=15, deadline=None)
@given(st.floats(1.0, 300.0), st.floats(1.0, 300.0))
def test_range_non_increasing_in_edge_rate(r1, r2):
    lo, hi = sorted((r1, r2))
    a = link_budget("n78", "uma", lo, 1.0)
    b = link_budget("n78", "uma", hi, 1.0)
    assert b.range_dl_m <= a.range_dl_m + 1e-6


def test_max_cell_range_is_link_budget():
    assert max_cell_range("n41", "uma", 30.0, 1.0) == link_budget("n41", "uma", 30.0, 1.0)


def test_range_for_path_loss_edges():
    # MAPL below the loss at 10 m: range 0; above the loss at 5 km: capped at 5 km
    assert range_for_path_loss(30.0, "uma", 25.0, 1.5, 3.5) == (0.0, False)
    r, capped = range_for_path_loss(400.0, "uma", 25.0, 1.5, 3.5)
    assert capped and r == pytest.approx(5000.0)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"band": "n999"}, "band"),
        ({"scenario": "moon"}, "scenario"),
        ({"edge_dl_mbps": 5000.0}, "edge_dl_mbps"),
        ({"edge_ul_mbps": -1.0}, "edge_ul_mbps"),
        ({"edge_coverage": 1.2}, "edge_coverage"),
        ({"penetration": "glass"}, "penetration"),
        ({"dl_layers": 9}, "dl_layers"),
    ],
)
def test_bad_input(kwargs, field):
    args = {"band": "n78", "scenario": "uma", **kwargs}
    with pytest.raises(NrplanInputError) as exc:
        link_budget(**args)
    assert exc.value.field == field
