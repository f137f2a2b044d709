"""The user mixture of nrplan.plan.users against values computed by hand from
TR 38.901 Tables 7.4.1-1 / 7.4.3-1 / 7.4.3-2 and ITU-R M.2412 Table 8-2."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.morphology import MORPHOLOGIES, URBAN
from nrplan.plan.user_kernels import covered_interval
from nrplan.plan.users import (
    LinkArrays,
    RateTable,
    UserMix,
    UserModel,
    edge_fail_probability,
    indoor_height_gain_db,
    o2i_moments,
    user_mix,
)
from nrplan.radio.bands import get_band


def _phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def test_o2i_moments_low_loss_by_hand():
    # Table 7.4.3-1 at 3.5 GHz: glass 2 + 0.2*3.5 = 2.7 dB, concrete 5 + 4*3.5 = 19 dB
    # PL_tw = 5 - 10 log10(0.3*10^-0.27 + 0.7*10^-1.9) = 5 + 7.6978 = 12.6978 dB
    # PL_in = 0.5 * E[min(U(0,25), U(0,25))] = 0.5 * 25/3 = 4.1667 dB
    # sigma^2 = 4.4^2 + 0.25 * 25^2 / 18 = 19.36 + 8.6806
    mean, sd = o2i_moments("low", 3.5, "uma")
    assert mean == pytest.approx(12.6978 + 4.1667, abs=2e-3)
    assert sd == pytest.approx(math.sqrt(19.36 + 8.6806), abs=1e-3)


def test_o2i_moments_high_loss_by_hand():
    # IRR glass 23 + 0.3*3.5 = 24.05 dB, concrete 19 dB:
    # PL_tw = 5 - 10 log10(0.7*10^-2.405 + 0.3*10^-1.9) = 5 + 21.850 = 26.850 dB
    mean, sd = o2i_moments("high", 3.5, "uma")
    lin = 0.7 * 10 ** (-2.405) + 0.3 * 10 ** (-1.9)
    assert mean == pytest.approx(5.0 - 10 * math.log10(lin) + 25.0 / 6.0, abs=1e-6)
    assert mean == pytest.approx(31.016, abs=2e-3)
    assert sd == pytest.approx(math.sqrt(6.5**2 + 0.25 * 625 / 18), abs=1e-6)


def test_indoor_height_gain_uma_is_0_6_db_per_metre():
    # UMa NLOS PL' = 13.54 + 39.08 log10(d3D) + 20 log10(fc) - 0.6 (h_UT - 1.5) at
    # d2D = 300 m, h_BS = 30 m: 0.6 * 7.5 = 4.5 dB, plus the shorter d3D of a 9 m UT:
    # 39.08 log10(sqrt(300^2 + 28.5^2) / sqrt(300^2 + 21^2)) = 0.034763 dB
    gain = 4.5 + 39.08 * math.log10(math.sqrt(90000 + 28.5**2) / math.sqrt(90000 + 21.0**2))
    assert gain == pytest.approx(4.534763, abs=1e-6)
    assert indoor_height_gain_db("uma", 30.0, 9.0, 3.5) == pytest.approx(gain, abs=1e-6)
    assert indoor_height_gain_db("uma", 30.0, 1.5, 3.5) == 0.0


def test_user_mix_shares_follow_m2412():
    mx = user_mix(URBAN, 3.5, 30.0)
    m = MORPHOLOGIES[URBAN]
    assert mx.share == pytest.approx((0.2, 0.8 * 0.8, 0.8 * 0.2))
    assert sum(mx.share) == pytest.approx(1.0)
    assert m.indoor_share == 0.8 and m.high_loss_share == 0.2
    # indoor loss: O2I mean less the 4.53 dB height gain of 9 m
    assert mx.loss_db[1] == pytest.approx(16.8645 - 4.5348, abs=2e-3)
    # UMa NLOS sigma_SF 6 dB split by the 0.5 inter-site correlation: common
    # sqrt(0.5) 6 = 4.243 dB (plus the O2I spread indoors), own sqrt(0.5) 6 = 4.243 dB
    assert mx.sigma_ind_db == pytest.approx(math.sqrt(18.0))
    assert mx.sigma_common_db[0] == pytest.approx(math.sqrt(18.0))
    assert mx.sigma_common_db[1] == pytest.approx(math.sqrt(18.0 + 28.0406), abs=1e-3)


def _model(mix: UserMix, **kw) -> UserModel:
    band = get_band("n78")
    args = dict(
        rsrp_threshold_dbm=-110.0, sinr_threshold_db=-3.0, body_loss_db=3.0, ul_iot_db=3.0,
        ul_prb_share=0.25, evm_percent=None,
    )  # fmt: skip
    args.update(kw)
    return UserModel({mix.code: mix}, [band], **args)


def _links(rsrp, ss_in, sig, intf, noise, coupling, load=0.0, margin=300.0) -> LinkArrays:
    one = np.ones(1)
    return LinkArrays(
        code=np.array([URBAN]), band=np.array([0]), rsrp_dbm=rsrp * one, ss_in_dbm=ss_in * one,
        margin_db=margin * one, signal_dbm=sig * one, interference_dbm=intf * one,
        noise_dbm=noise * one, coupling_db=coupling * one, load=load * one,
    )  # fmt: skip


# outdoor, low-loss and high-loss users; common shadowing 3, 5, 6 dB; own 4 dB
MIX = UserMix(URBAN, (0.2, 0.4, 0.4), (0.0, 10.0, 25.0), (3.0, 5.0, 6.0), 4.0)


def test_coverage_of_a_two_building_mixture_by_hand():
    # one server (no second), noise -122 dBm per RE, no other SSB, RSRP -100 dBm per RE.
    # type t: E = 3 dB body + L_t; the SS-RSRP margin is 10 - E (SS-SNR 22 - E + 3
    # does not bind); the common and own shadowing add: sigma_t = hypot(sc_t, 4):
    # outdoor Phi(7/5) = 0.919243, low Phi(-3/sqrt(41)) = 0.319706,
    # high Phi(-18/sqrt(52)) = 0.006277
    model = _model(MIX)
    n_re_db = model.n_re_db[0]
    la = _links(-100.0, -122.0, -60.0, -np.inf, -122.0 + n_re_db, -120.0)
    pr = model.probabilities(la, 10.0, 1.0)
    hand = [0.919243, 0.319706, 0.006277]
    assert _phi(7 / 5) == pytest.approx(hand[0], abs=1e-6)
    assert _phi(-3 / math.sqrt(41)) == pytest.approx(hand[1], abs=1e-6)
    assert _phi(-18 / math.sqrt(52)) == pytest.approx(hand[2], abs=1e-6)
    # Gauss-Hermite quadrature over the common part (7 nodes) and the servers' mean (3)
    assert pr["p_cov"][:, 0] == pytest.approx(hand, abs=4e-3)
    indoor = (0.4 * pr["p_cov"][1, 0] + 0.4 * pr["p_cov"][2, 0]) / 0.8
    assert indoor == pytest.approx((hand[1] + hand[2]) / 2, abs=4e-3)
    # a linear-power blend of the two buildings (one mean loss) is not the same
    blend = -10 * math.log10(0.5 * 10 ** (-1.0) + 0.5 * 10 ** (-2.5))
    assert _phi((10 - 3 - blend) / math.sqrt(16 + 5.5**2)) != pytest.approx(indoor, abs=0.02)


def test_covered_interval_of_two_servers_by_hand():
    # S1 = S2 = 1 mW, other SSBs + noise R = 1 mW, threshold 0 dB (g = 1):
    # camped on 1 (D <= 0): S1/u / (S2 u + R) >= 1  ->  u^2 + u - 1 <= 0,
    # u <= (sqrt 5 - 1)/2 = 0.618034, A = 20 log10(0.618034) = -4.1797 dB;
    # camped on 2: u^2 - u - 1 >= 0 -> u >= 1.618034, B = +4.1797 dB
    a, b = covered_interval(0.0, 0.0, 1.0, 1.0, 0.0, 0.0, -200.0)
    assert a == pytest.approx(20 * math.log10((math.sqrt(5) - 1) / 2), abs=1e-9)
    assert a == pytest.approx(-4.1797, abs=1e-4)
    assert b == pytest.approx(4.1797, abs=1e-4)
    # the SS-RSRP threshold bounds too: RSRP - D/2 >= 3 dBm -> D <= -6
    a2, _ = covered_interval(0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 3.0)
    assert a2 == pytest.approx(-6.0)


def test_two_equal_servers_always_cover_without_other_interference():
    # at a cell border with nothing else on air the UE camps on the stronger of two
    # equal cells: its SS-SINR is |D| >= 0 dB > -3 dB, so every user is covered
    # (a serving link that fades alone, with no re-selection, would fail ~1/4 of them)
    model = _model(MIX)
    n_re_db = model.n_re_db[0]
    i_2 = 10 ** (-7.0)  # the second server's SSB at -70 dBm per RE, noise -160
    la = _links(-70.0, 10 * math.log10(i_2 + 1e-16), -60.0, -np.inf, -160.0 + n_re_db,
                -90.0, margin=0.0)  # fmt: skip
    pr = model.probabilities(la, 0.001, 0.001)
    assert pr["p_cov"][0, 0] == pytest.approx(1.0, abs=1e-9)


def test_ss_sinr_binds_with_interference():
    # one server, other SSBs + noise at -100 dBm per RE, RSRP -95: the outdoor user's
    # SS-SINR margin (5 + 3 = 8 dB) binds before the SS-RSRP one (-95 - 3 + 110 = 12 dB);
    # the common shadowing moves signal and interference together (only the noise,
    # 22 dB below, moves), so sigma is the own part's: P ~ Phi(8 / 4) = 0.97725
    model = _model(MIX)
    n_re_db = model.n_re_db[0]
    la = _links(-95.0, -100.0, -60.0, -np.inf, -122.0 + n_re_db, -120.0)
    pr = model.probabilities(la, 0.001, 0.001)
    assert pr["p_cov"][0, 0] == pytest.approx(_phi(8 / 4), abs=4e-3)


def test_uplink_budget_with_body_loss_and_iot_by_hand():
    # n78: UE PC2 26 dBm over 25 % of 273 PRB = 819 RE; gNB NF 5 dB, 30 kHz:
    # N_RE = -174 + 44.771 + 5 = -124.229 dBm, + IoT 3 dB = -121.229 dBm.
    # coupling (G_traffic - PL) = -130 dB; outdoor E = 3 dB body loss:
    # SINR_UL = 26 - 3 - 10 log10(819) - 130 + 121.229 = -14.904 dB
    band = get_band("n78")
    assert band.n_prb == 273
    model = _model(MIX)
    la = _links(-100.0, -122.0, -60.0, -np.inf, -122.0 + model.n_re_db[0], -130.0)
    ul0 = model._pixel_arrays(la)[5]
    n_re = -174.0 + 10 * math.log10(30e3) + 5.0
    expected = 26.0 - 3.0 - 10 * math.log10(819) - 130.0 - (n_re + 3.0)
    assert expected == pytest.approx(-14.904, abs=1e-3)
    assert ul0[0] - 3.0 == pytest.approx(expected, abs=1e-9)
    # IoT moves it dB for dB
    ul6 = _model(MIX, ul_iot_db=6.0)._pixel_arrays(la)[5]
    assert ul6[0] == pytest.approx(ul0[0] - 3.0, abs=1e-9)
    # covered users below the UL target: the outdoor user is covered (RSRP -100) while
    # the UL SINR falls short of the 1 Mbit/s need by m dB with probability
    # 1 - Phi((SINR_UL - need) / sigma_t), sigma_t = hypot(3, 4) = 5
    need = float(model._required(la, 1.0, "ul")[0])
    pr = model.probabilities(la, 0.001, 1.0)
    p_cov = pr["p_cov"][0, 0]
    fail = p_cov - _phi((expected - need) / 5.0)
    assert pr["p_ul_fail"][0, 0] == pytest.approx(max(fail, 0.0), abs=0.01)


def test_edge_fail_is_covered_minus_above_target():
    # covered: xi <= 2; rate below target: xi > -1; sigma 4
    p = edge_fail_probability(np.array([2.0]), np.array([-1.0]), np.array([4.0]))
    assert p[0] == pytest.approx(_phi(0.5) - _phi(-0.25), abs=1e-12)
    assert edge_fail_probability(np.array([-1.0]), np.array([2.0]), np.array([4.0]))[0] == 0.0


def test_rate_table_inverse():
    tb = RateTable.build(get_band("n78"), "cqi-table2", 0.25)
    s = tb.required_sinr(np.array([10.0, 0.0, 1e6]), "dl")
    assert s[1] == -np.inf and s[2] == np.inf
    assert tb.rate(np.array([s[0]]), "dl")[0] >= 10.0
    assert tb.rate(np.array([s[0] - 0.05]), "dl")[0] < 10.0


def test_histogram_weights_sum_to_users():
    from nrplan.plan.city import HIST_EDGES

    model = _model(MIX)
    la = _links(-100.0, -122.0, -60.0, -np.inf, -122.0 + model.n_re_db[0], -120.0)
    h = model.histograms(la, np.array([100.0]), HIST_EDGES)
    assert h["ss_sinr_db"].sum() == pytest.approx(100.0)
    assert h["ss_sinr_outdoor_db"].sum() == pytest.approx(20.0)
    pr = model.probabilities(la, 10.0, 1.0)
    covered = 100.0 * (pr["share"][:, 0] * pr["p_cov"][:, 0]).sum()
    assert h["dl_mbps"].sum() == pytest.approx(covered, rel=0.02)
