"""Antenna element, sector geometry and profiles against TR 38.901 7.1 / 7.3 by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.radio.antenna import (
    AAU_IMPLEMENTATION_LOSS_DB,
    ANTENNA_PROFILES,
    PARABOLA_INTEGRAL,
    AntennaProfile,
    PatternParams,
    column_gain,
    element_horizontal,
    element_pattern,
    element_vertical,
    get_antenna,
    local_angles,
    parametric_pattern,
    sector_gain,
    steering_average_factor,
)

ELEMENT = PatternParams(8.0, 65.0, 65.0, 30.0, 30.0, 180.0, 180.0)
ANGLE_TOL = 1e-9  # float round-off of the rotation [deg]

# ---------------------------------------------------------------- Table 7.3-1 element


def test_element_boresight_is_8_dbi():
    assert element_pattern(90.0, 0.0) == pytest.approx(8.0)


def test_element_3db_points():
    # 12 * (32.5/65)^2 = 12 * 0.25 = 3 dB at half the HPBW on either side
    np.testing.assert_allclose(element_pattern(90.0, [-32.5, 32.5]), 5.0)
    np.testing.assert_allclose(element_pattern([57.5, 122.5], 0.0), 5.0)
    np.testing.assert_allclose(element_horizontal(32.5), -3.0)
    np.testing.assert_allclose(element_vertical(122.5), -3.0)


def test_element_floors():
    # horizontal: 12*(180/65)^2 = 92 -> A_max 30 dB; G = 8 - 30 = -22 dBi
    assert element_pattern(90.0, 180.0) == pytest.approx(-22.0)
    # vertical at zenith: 12*(90/65)^2 = 23.006 < SLA_V 30 -> 8 - 23.006 = -15.006 dBi
    assert element_pattern(0.0, 0.0) == pytest.approx(8.0 - 12.0 * (90 / 65) ** 2)
    # both: 23.006 + 30 = 53 -> capped at A_max: -22 dBi
    assert element_pattern(0.0, 180.0) == pytest.approx(-22.0)
    # vertical SLA: theta=180 -> 12*(90/65)^2 = 23.0; theta offset 120 deg impossible, so
    # check the cap directly with a large offset through element_vertical
    assert element_vertical(90.0 + 200.0) == pytest.approx(-30.0)


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 180), st.floats(-180, 180))
def test_element_bounds_and_symmetry(theta, phi):
    g = element_pattern(theta, phi)
    assert -22.0 - 1e-12 <= g <= 8.0 + 1e-12
    assert element_pattern(theta, -phi) == pytest.approx(g)
    assert element_pattern(180.0 - theta, phi) == pytest.approx(g)


def test_nan_in_nan_out():
    assert np.isnan(element_pattern(np.nan, 0.0))
    assert np.isnan(sector_gain("64t64r", 90.0, np.nan, "traffic"))
    t, p = local_angles(np.nan, 1.0, 0.0, 0.0)
    assert np.isnan(t) and np.isnan(p)


# ---------------------------------------------------------------- geometry, TR 38.901 7.1


def test_local_angles_hand_cases():
    # east-facing sector (azimuth 90), target 100 m east and 30 m below:
    # theta' = 90 + atan(30/100) = 90 + 16.699 = 106.699 deg, phi' = 0
    t, p = local_angles(100.0, 0.0, -30.0, 90.0, 0.0)
    assert t == pytest.approx(90.0 + math.degrees(math.atan(0.3)))
    assert p == pytest.approx(0.0, abs=ANGLE_TOL)
    # 5 deg mechanical downtilt brings boresight 5 deg closer: 101.699 deg
    t, _ = local_angles(100.0, 0.0, -30.0, 90.0, 5.0)
    assert t == pytest.approx(90.0 + math.degrees(math.atan(0.3)) - 5.0)
    # target due north of an east-facing sector, level: phi' = +90 (to the left)
    t, p = local_angles(0.0, 50.0, 0.0, 90.0, 0.0)
    assert (t, p) == (pytest.approx(90.0), pytest.approx(90.0))
    # north-facing sector (azimuth 0), target to the north-east: phi' = -45 (to the right)
    _, p = local_angles(10.0, 10.0, 0.0, 0.0, 0.0)
    assert p == pytest.approx(-45.0)
    # directly behind: phi' = 180
    _, p = local_angles(0.0, -10.0, 0.0, 0.0, 0.0)
    assert p == pytest.approx(180.0)


def _spec_7_1_7(dx, dy, dz, azimuth, tilt):
    """Eq. 7.1-7 / 7.1-8 (gamma = 0) written out with GCS angles."""
    theta = np.arctan2(np.hypot(dx, dy), dz)
    phi = np.arctan2(dy, dx)
    a = np.radians(90.0 - azimuth)
    b = np.radians(tilt)
    ct = np.cos(b) * np.cos(theta) + np.sin(b) * np.cos(phi - a) * np.sin(theta)
    theta_p = np.degrees(np.arccos(np.clip(ct, -1, 1)))
    re = np.cos(b) * np.sin(theta) * np.cos(phi - a) - np.sin(b) * np.cos(theta)
    im = np.sin(phi - a) * np.sin(theta)
    return theta_p, np.degrees(np.angle(re + 1j * im))


@settings(max_examples=100, deadline=None)
@given(
    st.floats(-2000, 2000),
    st.floats(-2000, 2000),
    st.floats(-100, 100),
    st.floats(0, 360),
    st.floats(-10, 30),
)
def test_local_angles_match_eq_7_1_7(dx, dy, dz, azimuth, tilt):
    if math.hypot(dx, dy, dz) < 1.0:
        return
    t, p = local_angles(dx, dy, dz, azimuth, tilt)
    ts, ps = _spec_7_1_7(dx, dy, dz, azimuth, tilt)
    assert t == pytest.approx(ts, abs=1e-6)
    if min(t, 180.0 - t) < 1e-3:  # along the local z axis phi' is undefined
        return
    d = (p - ps + 180.0) % 360.0 - 180.0  # wrap (+-180 are the same direction)
    assert abs(d) < 1e-6 or abs(abs(d) - 360) < 1e-6
    assert 0.0 <= t <= 180.0 and -180.0 < p <= 180.0


def test_local_angles_broadcast():
    t, p = local_angles(np.ones((4, 1)) * 100, np.zeros((1, 5)), -20.0, np.zeros(5), 3.0)
    assert t.shape == (4, 5) and p.shape == (4, 5)


# ---------------------------------------------------------------- parametric pattern


@settings(max_examples=80, deadline=None)
@given(st.floats(0, 180), st.floats(-180, 180))
def test_parametric_element_is_table_7_3_1(theta, phi):
    assert parametric_pattern(theta, phi, ELEMENT) == pytest.approx(element_pattern(theta, phi))


def test_electrical_tilt_shifts_the_array_factor_not_the_element():
    # a lone element cannot be tilted electrically: etilt leaves Table 7.3-1 unchanged
    th = np.array([80.0, 96.0, 128.5])
    np.testing.assert_allclose(parametric_pattern(th, 0.0, ELEMENT, 6.0), element_pattern(th, 0))
    # 4T4R column beam, etilt 6: AF peak at theta = 96; element there 12*(6/65)^2 = 0.1024
    beam = get_antenna("4t4r").traffic
    assert parametric_pattern(96.0, 0.0, beam, 6.0) == pytest.approx(16.0 - 12 * (6 / 65) ** 2)


def test_fixed_beam_by_hand():
    beam = get_antenna("4t4r").traffic  # (16 dBi, -, 14 deg AF, 30, SLA_V 20, scan 180/0)
    # theta 97: element 12*(7/65)^2 = 0.1391, AF 12*(7/14)^2 = 3 -> 16 - 3.1391 = 12.861
    assert parametric_pattern(97.0, 0.0, beam) == pytest.approx(16 - 12 * (7 / 65) ** 2 - 3)
    # theta 150: element 12*(60/65)^2 = 10.225, AF min(12*(60/14)^2, 20) = 20 -> 30.2 -> A_max
    assert parametric_pattern(150.0, 0.0, beam) == pytest.approx(16.0 - 30.0)
    # phi 60 at the horizon: the element's 65 deg cut only: 16 - 10.225 = 5.775
    assert parametric_pattern(90.0, 60.0, beam) == pytest.approx(16.0 - 12 * (60 / 65) ** 2)


def test_traffic_beam_inside_scan_is_element_plus_array_gain():
    p = get_antenna("64t64r")
    # 8 x 12 elements per polarisation: 10 log10(96) = 19.823 dB; 8 + 19.823 = 27.82 dBi
    assert p.n_elements == 192
    assert p.traffic.g_max_dbi == pytest.approx(8.0 + 10 * math.log10(96), abs=0.01)
    theta = np.array([90.0, 95.0, 100.0])
    phi = np.array([0.0, 30.0, -55.0])
    # as radiated: less the 2.8 dB implementation loss
    np.testing.assert_allclose(
        sector_gain(p, theta, phi, "traffic"),
        element_pattern(theta, phi) + (p.traffic.g_max_dbi - 8.0) - 2.8,
    )


def test_traffic_beam_beyond_scan_by_hand():
    p = get_antenna("64t64r")
    t = p.traffic  # g 27.82, phi_3db 12.72 (8 columns at 0.5 lambda), scan_h 60
    # phi = 70, AF peak held at 60: element 12*(70/65)^2 = 13.9172,
    # off the AF peak by 10 deg: 12*(10/12.72)^2 = 7.4166 -> 27.82 - 21.3338 = 6.49 dBi
    hand = t.g_max_dbi - (12 * (70 / 65) ** 2 + 12 * (10 / t.phi_3db_deg) ** 2)
    assert hand == pytest.approx(6.49, abs=0.01)
    # as radiated, less the 2.8 dB implementation loss: 3.69 dBi
    assert sector_gain(p, 90.0, 70.0, "traffic") == pytest.approx(hand - 2.8)
    # far behind: total loss capped at A_max = 30 dB
    assert sector_gain(p, 90.0, 180.0, "traffic") == pytest.approx(t.g_max_dbi - 2.8 - 30.0)


def test_average_beam_64t64r_by_hand():
    p = get_antenna("64t64r")
    # k = sqrt(pi / (1.2 ln 10)) = sqrt(3.141593 / 2.763102) = sqrt(1.136980) = 1.066293
    assert PARABOLA_INTEGRAL == pytest.approx(1.066293, abs=1e-6)
    # horizontal: HPBW 12.72 deg (8 columns, 0.5 lambda), scan +-60:
    #   f_h = 1.066293 * 12.72 / 120 = 0.113027 -> -9.468 dB
    # vertical: HPBW 6.05 deg (12 rows, 0.7 lambda), scan +-12:
    #   f_v = 1.066293 * 6.05 / 24 = 0.268795 -> -5.706 dB
    # g_avg = 8 + 19.823 - 9.468 - 5.706 = 12.649 dBi (model), 9.85 dBi radiated (-2.8 dB)
    assert steering_average_factor(12.72, 60.0) == pytest.approx(0.113027, abs=1e-6)
    assert steering_average_factor(6.05, 12.0) == pytest.approx(0.268795, abs=1e-6)
    assert p.average.g_max_dbi == pytest.approx(12.65, abs=0.005)
    assert p.pattern_params("average").g_max_dbi == pytest.approx(12.65 - 2.8, abs=0.005)
    # the same beamwidths and scan ranges as the traffic beam
    assert p.average[1:] == p.traffic[1:]
    # fixed feed in a plane (scan 0) keeps its gain; a range narrower than the beam too
    assert steering_average_factor(9.07, 0.0) == 1.0
    assert steering_average_factor(25.0, 5.0) == 1.0
    # 8T8R: no vertical steering, f_v = 1; HPBW_h 25.59: f_h = 1.066293*25.59/120 = 0.227387
    # -> 8 + 15.051 - 6.432 = 16.62 dBi
    assert get_antenna("8t8r").average.g_max_dbi == pytest.approx(16.62, abs=0.005)


def test_average_beam_equals_numerical_steering_average():
    # The traffic beam steered to (s_v, s_h), seen from the middle of the range (element
    # boresight, AF frame v = 0, phi = 0): G = g_max - min(L_af(0 - s), 30), with L_af the
    # 38.901 parabolas of parametric_pattern. Averaged in power over a dense uniform grid
    # of steering directions in +-scan_v x +-scan_h, it must match the average beam.
    p = get_antenna("64t64r")
    t = p.traffic
    sv = np.linspace(-t.scan_v_deg, t.scan_v_deg, 481)[:, None]
    sh = np.linspace(-t.scan_h_deg, t.scan_h_deg, 2401)[None, :]
    l_af = np.minimum(12 * (sv / t.theta_3db_deg) ** 2, t.sla_v_db) + np.minimum(
        12 * (sh / t.phi_3db_deg) ** 2, t.a_max_db
    )
    g = t.g_max_dbi - np.minimum(l_af, t.a_max_db)
    mean_db = 10 * np.log10(np.mean(10 ** (g / 10)))
    assert mean_db == pytest.approx(p.average.g_max_dbi, abs=0.3)
    # the average beam there is its peak (element boresight, inside the scan range)
    assert parametric_pattern(90.0, 0.0, p.average) == pytest.approx(p.average.g_max_dbi)
    # and off-centre inside the range it is the element pattern + the mean array gain
    th = np.array([85.0, 92.0, 99.0])
    ph = np.array([-40.0, 10.0, 55.0])
    np.testing.assert_allclose(
        sector_gain(p, th, ph, "average"),
        element_pattern(th, ph) + p.average.g_max_dbi - 8.0 - 2.8,
    )


def test_single_beam_profiles_average_is_their_beam():
    for name in ("4t4r", "calibration", "element", "omni"):
        p = get_antenna(name)
        assert p.implementation_loss_db == 0.0
        for beam in ("ssb", "traffic", "average"):
            assert p.pattern_params(beam) == p.traffic == getattr(p, beam)


def test_ssb_below_traffic_within_scan():
    for name in ("64t64r", "32t32r", "8t8r"):
        p = get_antenna(name)
        assert p.ssb.g_max_dbi < p.traffic.g_max_dbi
        assert p.average.g_max_dbi < p.traffic.g_max_dbi
        # within the traffic scan range the serving beam beats the broadcast envelope
        # (beyond it a wider SSB beam may fall off more slowly than the narrow traffic beam)
        tv = 90.0 + np.linspace(-p.scan_v_deg, p.scan_v_deg, 7)[:, None]
        tp = np.linspace(-p.scan_h_deg, p.scan_h_deg, 25)[None, :]
        assert np.all(sector_gain(p, tv, tp, "ssb") <= sector_gain(p, tv, tp, "traffic") + 1e-9)


def test_implementation_loss_64t64r_by_hand():
    # 64T64R model peak 8 + 10 log10(96) = 27.82 dBi; datasheet-class ~25 dBi -> 2.8 dB,
    # the same for the 32T32R / 8T8R panels; subtracted from every beam as radiated
    assert AAU_IMPLEMENTATION_LOSS_DB == 2.8
    for name in ("64t64r", "32t32r", "8t8r"):
        p = get_antenna(name)
        assert p.implementation_loss_db == 2.8
        for beam in ("ssb", "traffic", "average"):
            model = getattr(p, beam)
            radiated = p.pattern_params(beam)
            assert radiated.g_max_dbi == pytest.approx(model.g_max_dbi - 2.8, abs=1e-9)
            assert radiated[1:] == model[1:]  # pattern shape unchanged
            assert p.max_gain_dbi[beam] == pytest.approx(radiated.g_max_dbi)
    p = get_antenna("64t64r")
    assert p.pattern_params("traffic").g_max_dbi == pytest.approx(27.82 - 2.8, abs=1e-9)
    assert sector_gain(p, 90.0, 0.0, "traffic") == pytest.approx(25.02, abs=1e-9)
    with pytest.raises(NrplanInputError, match="implementation_loss_db"):
        AntennaProfile("x", 1, 1, 1, 1, 0.5, 0.5, ELEMENT, ELEMENT, ELEMENT, 0.0, "", "", -1.0)


def test_ssb_envelope_by_hand():
    s = get_antenna("64t64r").ssb
    # 8 SSB beams over +-60 deg: spacing 15 deg, beam HPBW max(12.72, 15) = 15 deg,
    # mean scalloping 12*(7.5)^2/3/15^2 = 1.0 dB; vertical beam widened x2: -3 dB
    assert s.g_max_dbi == pytest.approx(
        8 + 10 * math.log10(96) - 10 * math.log10(2) - 1.0, abs=0.01
    )
    assert s.scan_h_deg == pytest.approx(52.5)
    assert s.scan_v_deg == 0.0


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(ANTENNA_PROFILES)),
    st.sampled_from(["ssb", "traffic", "average"]),
    st.floats(0, 180),
    st.floats(-180, 180),
    st.floats(-5, 15),
)
def test_every_beam_bounded_and_symmetric(name, beam, theta, phi, etilt):
    prm = get_antenna(name).pattern_params(beam)
    g = sector_gain(name, theta, phi, beam, etilt)
    assert prm.g_max_dbi - prm.a_max_db - 1e-9 <= g <= prm.g_max_dbi + 1e-9
    assert sector_gain(name, theta, -phi, beam, etilt) == pytest.approx(g)


def test_unknown_profile_and_beam():
    with pytest.raises(NrplanInputError, match="64t64r"):
        get_antenna("128t128r")
    with pytest.raises(NrplanInputError, match="traffic"):
        get_antenna("64t64r").pattern_params("sweep")


def test_pattern_params_are_plain_floats():
    for p in ANTENNA_PROFILES.values():
        for beam in ("ssb", "traffic", "average"):
            assert all(type(v) is float for v in p.pattern_params(beam))


# ---------------------------------------------------------------- calibration column


def test_column_gain_peak_at_electrical_tilt():
    # theta_etilt = 102 deg: array factor 10 (10 dB); element 8 - 12*(12/65)^2 = 7.5910
    assert column_gain(102.0, 0.0) == pytest.approx(18.0 - 12 * (12 / 65) ** 2)


def test_column_gain_at_horizon_by_hand():
    # psi = 2 pi * 0.5 * (cos 90 - cos 102) = pi * 0.207912 = 0.653176 rad
    # |sum_{m<10} e^{j m psi}|^2 / 10 = sin^2(5 psi) / sin^2(psi/2) / 10 = 0.014947 -> -18.254 dB
    psi = math.pi * (0.0 - math.cos(math.radians(102.0)))
    af = math.sin(5 * psi) ** 2 / math.sin(psi / 2) ** 2 / 10
    assert column_gain(90.0, 0.0) == pytest.approx(8.0 + 10 * math.log10(af))
    assert column_gain(90.0, 0.0) == pytest.approx(-10.26, abs=0.01)


def test_calibration_profile_approximates_column_main_lobe():
    th = np.arange(97.0, 107.5, 0.5)
    exact = column_gain(th, 0.0)
    approx = sector_gain("calibration", th, 0.0, "traffic", 12.0)
    np.testing.assert_allclose(approx, exact, atol=0.3)  # main lobe within 0.3 dB
    assert approx[th == 102.0] == pytest.approx(exact[th == 102.0], abs=1e-6)  # same peak


def test_column_gain_rejects_zenith_tilt():
    with pytest.raises(NrplanInputError, match="etilt_deg"):
        column_gain(90.0, 0.0, etilt_deg=102.0)
