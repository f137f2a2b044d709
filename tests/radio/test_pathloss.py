"""TR 38.901 Table 7.4.1-1 path loss: hand values, continuity, properties, errors, CLI.

Every golden value is the table's formula written out by hand (plain ``math``),
with the resulting number in a comment; the module must match to 1e-9 dB.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.cli import main
from nrplan.errors import NrplanInputError
from nrplan.radio.pathloss import (
    SCENARIOS,
    breakpoint_distance,
    pathloss,
    pathloss_los,
    pathloss_nlos,
    shadow_sigma,
)

L = math.log10
FC = 3.5  # GHz

# ---------------------------------------------------------------- hand computations
# UMa, h_BS 25 m, h_UT 1.5 m, h_E 1 m: d'_BP = 4 * 24 * 0.5 * 3.5e9 / 3e8 = 560 m
UMA_DBP = 4 * 24 * 0.5 * 3.5e9 / 3e8
# UMi, h_BS 10 m, h_UT 1.5 m: d'_BP = 4 * 9 * 0.5 * 3.5e9 / 3e8 = 210 m
UMI_DBP = 4 * 9 * 0.5 * 3.5e9 / 3e8
# RMa, h_BS 35 m, h_UT 1.5 m: d_BP = 2 pi 35 1.5 3.5e9 / 3e8 = 3848.45 m
RMA_DBP = 2 * math.pi * 35 * 1.5 * 3.5e9 / 3e8


def d3(d2d, hbs, hut):
    return math.sqrt(d2d**2 + (hbs - hut) ** 2)


def rma_pl1(d, h=5.0):
    # 20log10(40 pi d fc/3) + min(0.03 h^1.72, 10) log10(d) - min(0.044 h^1.72, 14.77)
    # + 0.002 log10(h) d ; h = 5 m: 0.03*5^1.72 = 0.4779, 0.044*5^1.72 = 0.7009
    return (
        20 * L(40 * math.pi * d * FC / 3)
        + min(0.03 * h**1.72, 10) * L(d)
        - min(0.044 * h**1.72, 14.77)
        + 0.002 * L(h) * d
    )


def rma_nlos(d, hbs=35.0, hut=1.5, h=5.0, w=20.0):
    return (
        161.04
        - 7.1 * L(w)
        + 7.5 * L(h)
        - (24.37 - 3.7 * (h / hbs) ** 2) * L(hbs)
        + (43.42 - 3.1 * L(hbs)) * (L(d) - 3)
        + 20 * L(FC)
        - (3.2 * L(11.75 * hut) ** 2 - 4.97)
    )


def uma_los(d2d, hut=1.5):
    d = d3(d2d, 25, hut)
    dbp = 4 * 24 * (hut - 1) * FC * 1e9 / 3e8
    if d2d <= dbp:
        return 28 + 22 * L(d) + 20 * L(FC)
    return 28 + 40 * L(d) + 20 * L(FC) - 9 * L(dbp**2 + (25 - hut) ** 2)


def umi_los(d2d, hut=1.5):
    d = d3(d2d, 10, hut)
    dbp = 4 * 9 * (hut - 1) * FC * 1e9 / 3e8
    if d2d <= dbp:
        return 32.4 + 21 * L(d) + 20 * L(FC)
    return 32.4 + 40 * L(d) + 20 * L(FC) - 9.5 * L(dbp**2 + (10 - hut) ** 2)


def inf_los(d):
    return 31.84 + 21.50 * L(d) + 19.00 * L(FC)


CASES = [
    # (scenario, state, d2d, hbs, hut, expected)
    # UMa LOS below d'BP: 28 + 22 log10(102.724) + 20 log10(3.5) = 28 + 44.257 + 10.881 = 83.138
    ("uma", "los", 100.0, 25, 1.5, 28 + 22 * L(d3(100, 25, 1.5)) + 20 * L(FC)),
    # UMa LOS beyond d'BP=560: 28 + 40 log10(1000.276) + 10.881 - 9 log10(560^2 + 23.5^2)
    #   = 28 + 120.012 + 10.881 - 49.482 = 109.412
    (
        "uma",
        "los",
        1000.0,
        25,
        1.5,
        28 + 40 * L(d3(1000, 25, 1.5)) + 20 * L(FC) - 9 * L(UMA_DBP**2 + 23.5**2),
    ),
    # UMa NLOS: max(LOS, 13.54 + 39.08 log10(d3D) + 20 log10(fc) - 0.6 (hUT - 1.5))
    #   d=100: 13.54 + 78.618 + 10.881 - 0 = 103.038
    ("uma", "nlos", 100.0, 25, 1.5, 13.54 + 39.08 * L(d3(100, 25, 1.5)) + 20 * L(FC)),
    ("uma", "nlos", 1000.0, 25, 1.5, 13.54 + 39.08 * L(d3(1000, 25, 1.5)) + 20 * L(FC)),
    # UMa NLOS, hUT 10.5 m: the -0.6 (10.5 - 1.5) = -5.4 dB term
    (
        "uma",
        "nlos",
        300.0,
        25,
        10.5,
        max(uma_los(300, 10.5), 13.54 + 39.08 * L(d3(300, 25, 10.5)) + 20 * L(FC) - 5.4),
    ),
    # UMi LOS below d'BP=210: 32.4 + 21 log10(100.36) + 10.881 = 85.337
    ("umi", "los", 100.0, 10, 1.5, 32.4 + 21 * L(d3(100, 10, 1.5)) + 20 * L(FC)),
    # UMi LOS beyond: 32.4 + 40 log10(500.07) + 10.881 - 9.5 log10(210^2 + 8.5^2)
    (
        "umi",
        "los",
        500.0,
        10,
        1.5,
        32.4 + 40 * L(d3(500, 10, 1.5)) + 20 * L(FC) - 9.5 * L(UMI_DBP**2 + 8.5**2),
    ),
    # UMi NLOS: 22.4 + 35.3 log10(d3D) + 21.3 log10(fc) - 0.3 (hUT - 1.5)
    ("umi", "nlos", 100.0, 10, 1.5, 22.4 + 35.3 * L(d3(100, 10, 1.5)) + 21.3 * L(FC)),
    ("umi", "nlos", 500.0, 10, 1.5, 22.4 + 35.3 * L(d3(500, 10, 1.5)) + 21.3 * L(FC)),
    # RMa LOS below d_BP = 3848 m: PL1(d3D)
    ("rma", "los", 1000.0, 35, 1.5, rma_pl1(d3(1000, 35, 1.5))),
    # RMa LOS beyond: PL1(d_BP) + 40 log10(d3D / d_BP)
    ("rma", "los", 6000.0, 35, 1.5, rma_pl1(RMA_DBP) + 40 * L(d3(6000, 35, 1.5) / RMA_DBP)),
    # RMa NLOS: max(LOS, PL'_NLOS), W = 20 m, h = 5 m
    ("rma", "nlos", 1000.0, 35, 1.5, max(rma_pl1(d3(1000, 35, 1.5)), rma_nlos(d3(1000, 35, 1.5)))),
    ("rma", "nlos", 4500.0, 35, 1.5, rma_nlos(d3(4500, 35, 1.5))),
    # InH: LOS 32.4 + 17.3 log10(d3D) + 20 log10(fc); d3D = sqrt(10^2 + 2^2) = 10.198
    ("inh-office", "los", 10.0, 3, 1, 32.4 + 17.3 * L(d3(10, 3, 1)) + 20 * L(FC)),
    ("inh-office", "los", 100.0, 3, 1, 32.4 + 17.3 * L(d3(100, 3, 1)) + 20 * L(FC)),
    # InH NLOS: max(LOS, 17.30 + 38.3 log10(d3D) + 24.9 log10(fc))
    (
        "inh-office",
        "nlos",
        10.0,
        3,
        1,
        max(
            32.4 + 17.3 * L(d3(10, 3, 1)) + 20 * L(FC), 17.3 + 38.3 * L(d3(10, 3, 1)) + 24.9 * L(FC)
        ),
    ),
    ("inh-office", "nlos", 100.0, 3, 1, 17.3 + 38.3 * L(d3(100, 3, 1)) + 24.9 * L(FC)),
    # InF LOS: 31.84 + 21.50 log10(d3D) + 19.00 log10(fc)
    ("inf-sl", "los", 50.0, 1.5, 1.5, inf_los(50.0)),
    ("inf-dh", "los", 300.0, 8, 1.5, inf_los(d3(300, 8, 1.5))),
    # InF-SL NLOS: max(33 + 25.5 log10(d3D) + 20 log10(fc), LOS)
    ("inf-sl", "nlos", 50.0, 1.5, 1.5, max(33 + 25.5 * L(50) + 20 * L(FC), inf_los(50))),
    # InF-DL NLOS: max(18.6 + 35.7 log10(d3D) + 20 log10(fc), LOS, InF-SL)
    (
        "inf-dl",
        "nlos",
        5.0,
        1.5,
        1.5,
        max(18.6 + 35.7 * L(5) + 20 * L(FC), inf_los(5), 33 + 25.5 * L(5) + 20 * L(FC)),
    ),
    (
        "inf-dl",
        "nlos",
        200.0,
        1.5,
        1.5,
        max(18.6 + 35.7 * L(200) + 20 * L(FC), inf_los(200), 33 + 25.5 * L(200) + 20 * L(FC)),
    ),
    # InF-SH NLOS: max(32.4 + 23.0 log10(d3D) + 20 log10(fc), LOS)
    (
        "inf-sh",
        "nlos",
        100.0,
        8,
        1.5,
        max(32.4 + 23.0 * L(d3(100, 8, 1.5)) + 20 * L(FC), inf_los(d3(100, 8, 1.5))),
    ),
    # InF-DH NLOS: max(33.63 + 21.9 log10(d3D) + 20 log10(fc), LOS)
    (
        "inf-dh",
        "nlos",
        100.0,
        8,
        1.5,
        max(33.63 + 21.9 * L(d3(100, 8, 1.5)) + 20 * L(FC), inf_los(d3(100, 8, 1.5))),
    ),
]


@pytest.mark.parametrize(("scenario", "state", "d2d", "hbs", "hut", "expected"), CASES)
def test_hand_values(scenario, state, d2d, hbs, hut, expected):
    got = pathloss(scenario, d2d, hbs, hut, FC, state)
    assert float(got) == pytest.approx(expected, abs=1e-9)


def test_printed_numbers():
    # the comments' arithmetic, to 0.01 dB
    assert float(pathloss("uma", 100, 25, 1.5, FC)) == pytest.approx(83.138, abs=0.01)
    assert float(pathloss("uma", 1000, 25, 1.5, FC)) == pytest.approx(109.412, abs=0.01)
    assert float(pathloss("uma", 100, 25, 1.5, FC, "nlos")) == pytest.approx(103.038, abs=0.01)
    assert UMA_DBP == pytest.approx(560.0)
    assert float(breakpoint_distance("uma", 25, 1.5, FC)) == pytest.approx(560.0)
    assert float(breakpoint_distance("umi", 10, 1.5, FC)) == pytest.approx(210.0)
    assert float(breakpoint_distance("rma", 35, 1.5, FC)) == pytest.approx(3848.451, abs=1e-3)


@pytest.mark.parametrize(
    ("scenario", "state", "d2d", "hbs", "hut", "expected"),
    [
        # UMa optional: 32.4 + 20 log10(fc) + 30 log10(d3D) (floored at LOS)
        ("uma", "nlos", 300.0, 25, 1.5, 32.4 + 20 * L(FC) + 30 * L(d3(300, 25, 1.5))),
        # UMi optional: 32.4 + 20 log10(fc) + 31.9 log10(d3D)
        ("umi", "nlos", 300.0, 10, 1.5, 32.4 + 20 * L(FC) + 31.9 * L(d3(300, 10, 1.5))),
        # InH optional: 32.4 + 20 log10(fc) + 31.9 log10(d3D)
        ("inh-office", "nlos", 40.0, 3, 1, 32.4 + 20 * L(FC) + 31.9 * L(d3(40, 3, 1))),
    ],
)
def test_simplified_nlos(scenario, state, d2d, hbs, hut, expected):
    got = pathloss_nlos(scenario, d2d, hbs, hut, FC, simplified=True)
    assert float(got) == pytest.approx(expected, abs=1e-9)


def test_simplified_not_for_rma():
    with pytest.raises(NrplanInputError):
        pathloss_nlos("rma", 100, 35, 1.5, FC, simplified=True)


@pytest.mark.parametrize(
    ("scenario", "hbs", "tol"), [("uma", 25, 1e-6), ("umi", 10, 1e-6), ("rma", 35, 0.01)]
)
@pytest.mark.parametrize("fc", [0.7, 3.5, 6.0, 28.0])
def test_continuity_at_breakpoint(scenario, hbs, tol, fc):
    dbp = float(breakpoint_distance(scenario, hbs, 1.5, fc))
    d = np.array([dbp * (1 - 1e-9), dbp * (1 + 1e-9)])
    # extrapolate: at 28 GHz the RMa breakpoint (30.8 km) is beyond the 10 km range
    pl = pathloss_los(scenario, d, hbs, 1.5, fc, extrapolate=True)
    assert abs(pl[1] - pl[0]) < tol


def test_rma_sigma_beyond_breakpoint():
    assert shadow_sigma("rma", "los") == 4.0
    s = shadow_sigma("rma", "los", d_2d=[1000, 6000], h_bs=35, h_ut=1.5, f_c=FC)
    assert s.tolist() == [4.0, 6.0]  # Table 7.4.1-1: 4 dB (PL1), 6 dB (PL2)


@pytest.mark.parametrize(
    ("scenario", "los", "simplified", "sigma"),
    [
        ("rma", "nlos", False, 8.0),
        ("uma", "los", False, 4.0),
        ("uma", "nlos", False, 6.0),
        ("uma", "nlos", True, 7.8),
        ("umi", "los", False, 4.0),
        ("umi", "nlos", False, 7.82),
        ("umi", "nlos", True, 8.2),
        ("inh-office", "los", False, 3.0),
        ("inh-office", "nlos", False, 8.03),
        ("inh-office", "nlos", True, 8.29),
        ("inf-sl", "los", False, 4.3),
        ("inf-sl", "nlos", False, 5.7),
        ("inf-dl", "nlos", False, 7.2),
        ("inf-sh", "nlos", False, 5.9),
        ("inf-dh", "nlos", False, 4.0),
    ],
)
def test_shadow_sigma(scenario, los, simplified, sigma):
    assert shadow_sigma(scenario, los, simplified=simplified) == sigma


# ---------------------------------------------------------------- properties
_GEOM = {
    "rma": (35.0, 1.5, (10.0, 5000.0)),
    "uma": (25.0, 1.5, (10.0, 5000.0)),
    "umi": (10.0, 1.5, (10.0, 5000.0)),
    "inh-office": (3.0, 1.0, (1.0, 140.0)),
    "inf-sl": (1.5, 1.5, (1.0, 590.0)),
    "inf-dl": (1.5, 1.5, (1.0, 590.0)),
    "inf-sh": (8.0, 1.5, (7.0, 590.0)),
    "inf-dh": (8.0, 1.5, (7.0, 590.0)),
}


@settings(max_examples=40, deadline=None)
@given(
    scenario=st.sampled_from(SCENARIOS),
    fc=st.floats(0.5, 30.0),
    u=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=30),
    hut_frac=st.floats(0.0, 1.0),
)
def test_monotonic_and_nlos_above_los(scenario, fc, u, hut_frac):
    hbs, hut, (lo, hi) = _GEOM[scenario]
    if scenario in ("uma", "umi"):
        hut = 1.5 + hut_frac * 21.0
    d = np.sort(lo + (hi - lo) * np.asarray(u))
    for state in ("los", "nlos"):
        pl = pathloss(scenario, d, hbs, hut, fc, state)
        assert np.all(np.diff(pl) >= -1e-9)
    pl_los = pathloss_los(scenario, d, hbs, hut, fc)
    pl_nlos = pathloss_nlos(scenario, d, hbs, hut, fc)
    pl_prob = pathloss(scenario, d, hbs, hut, fc, "prob")
    assert np.all(pl_nlos >= pl_los - 1e-12)
    assert np.all(pl_prob >= pl_los - 1e-9)
    assert np.all(pl_prob <= pl_nlos + 1e-9)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 5), m=st.integers(1, 5))
def test_broadcast_shape(n, m):
    d = np.linspace(20, 2000, n)[:, None]
    hut = np.linspace(1.5, 20, m)[None, :]
    for state in ("los", "nlos", "prob"):
        assert pathloss("uma", d, 25, hut, 3.5, state).shape == (n, m)


def test_prob_is_weighted_mean():
    from nrplan.radio.los import los_probability

    d = np.array([30.0, 150.0, 700.0])
    p = los_probability("uma", d, 1.5)
    expected = p * pathloss_los("uma", d, 25, 1.5, FC) + (1 - p) * pathloss_nlos(
        "uma", d, 25, 1.5, FC
    )
    np.testing.assert_allclose(pathloss("uma", d, 25, 1.5, FC, "prob"), expected, atol=1e-12)


def test_nan_in_nan_out():
    pl = pathloss("umi", [np.nan, 100.0], 10, 1.5, FC, "prob")
    assert np.isnan(pl[0]) and np.isfinite(pl[1])


def test_uma_random_he_seeded():
    # 0.5 GHz, d_2D = 1000 m, h_UT = 22.5 m: with h_E = 1 m, d'_BP = 4*24*21.5*0.5e9/3e8
    # = 3440 m (PL1); with any h_E in {12, ..., 21} m, d'_BP <= 4*13*10.5*0.5e9/3e8 = 910 m
    # (PL2), so PL equals the deterministic value exactly when h_E = 1 m.
    f = 0.5
    d = np.full(4000, 1000.0)
    a = pathloss_los("uma", d, 25, 22.5, f, h_e="random", rng=np.random.default_rng(3))
    b = pathloss_los("uma", d, 25, 22.5, f, h_e="random", rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    det = pathloss_los("uma", 1000.0, 25, 22.5, f)
    # note 1: g = 1.25 (1000/100)^3 exp(-1000/150) = 1.592; C = ((22.5-13)/10)^1.5 g = 1.474
    # P(h_E = 1) = 1 / (1 + C) = 0.404
    g = 1.25 * 10.0**3 * math.exp(-1000 / 150)
    p_one = 1 / (1 + 0.95**1.5 * g)
    share = np.mean(np.isclose(a, det))
    # binomial std with n = 4000 is 0.008; 0.04 is five of them
    assert abs(share - p_one) < 0.04
    # below h_UT = 13 m the draw is always h_E = 1 m
    low = pathloss_los("uma", d, 25, 10.0, f, h_e="random", rng=np.random.default_rng(1))
    np.testing.assert_allclose(low, pathloss_los("uma", d, 25, 10.0, f))


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"scenario": "uma", "f_c": 200.0}, "[0.5, 100] GHz"),
        ({"scenario": "rma", "f_c": 40.0}, "[0.5, 30] GHz"),
        ({"scenario": "uma", "d_2d": 6000.0}, "[10, 5000] m"),
        ({"scenario": "uma", "d_2d": -1.0}, "[10, 5000] m"),
        ({"scenario": "uma", "h_ut": 30.0}, "[1.5, 22.5] m"),
        ({"scenario": "rma", "h_bs": 200.0}, "[10, 150] m"),
        ({"scenario": "inh-office", "d_2d": 200.0}, "[1, 150] m"),
        ({"scenario": "foo"}, "one of rma, uma"),
    ],
)
def test_out_of_range_raises(kwargs, needle):
    args = {"scenario": "uma", "d_2d": 100.0, "h_bs": 25.0, "h_ut": 1.5, "f_c": 3.5}
    if kwargs.get("scenario") == "rma":
        args["h_bs"] = 35.0
    args.update(kwargs)
    with pytest.raises(NrplanInputError) as exc:
        pathloss(args["scenario"], args["d_2d"], args["h_bs"], args["h_ut"], args["f_c"])
    assert needle in str(exc.value)


def test_extrapolate_beyond_range():
    d = np.array([5.0, 8000.0])
    with pytest.raises(NrplanInputError):
        pathloss("uma", d, 25, 1.5, FC)
    pl = pathloss("uma", d, 25, 1.5, FC, extrapolate=True)
    # beyond: the PL2 formula as written
    assert pl[1] == pytest.approx(
        28 + 40 * L(d3(8000, 25, 1.5)) + 20 * L(FC) - 9 * L(UMA_DBP**2 + 23.5**2)
    )
    with pytest.raises(NrplanInputError):
        pathloss("uma", -1.0, 25, 1.5, FC, extrapolate=True)


def test_bad_params():
    with pytest.raises(NrplanInputError):
        pathloss("uma", 100, 25, 1.5, FC, foo=1)
    with pytest.raises(NrplanInputError):
        pathloss_los("uma", 100, 25, 1.5, FC, h_e="random")  # no rng
    with pytest.raises(NrplanInputError):
        pathloss_los("umi", 100, 10, 1.5, FC, h_e="random", rng=np.random.default_rng(0))
    with pytest.raises(NrplanInputError):
        pathloss("uma", 100, 25, 1.5, FC, "maybe")


# ---------------------------------------------------------------- CLI
def test_cli_json(capsys):
    argv = [
        "pathloss",
        "--scenario",
        "uma",
        "--fc",
        "3.5",
        "--d2d",
        "50,100,500,1000",
        "--hbs",
        "25",
        "--hut",
        "1.5",
        "--los",
        "nlos",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["d2d_m"] == [50.0, 100.0, 500.0, 1000.0]
    assert out["scenario"] == "uma"
    expected = pathloss_nlos("uma", [50, 100, 500, 1000], 25, 1.5, 3.5)
    np.testing.assert_allclose(out["pathloss_db"], expected)


def test_cli_table(capsys):
    assert main(["pathloss", "--scenario", "umi", "--d2d", "100", "--los", "prob"]) == 0
    out = capsys.readouterr().out
    expected = float(pathloss("umi", 100, 10, 1.5, 3.5, "prob"))
    assert f"{expected:.2f}" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--fc", "200"], "[0.5, 100] GHz"),
        (["--d2d", "-5,100"], "[10, 5000] m"),
        (["--scenario", "nope"], "one of rma"),
        (["--d2d", "a,b"], "comma-separated"),
        (["--los", "maybe"], "one of los, nlos, prob"),
    ],
)
def test_cli_errors(argv, needle, capsys):
    assert main(["pathloss", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert needle in err
