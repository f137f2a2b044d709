"""Band registry: values against TS 38.101-1 tables and china-facts.md by hand."""

from __future__ import annotations

import dataclasses
import math

import pytest

from nrplan.errors import NrplanInputError
from nrplan.radio.antenna import ANTENNA_PROFILES
from nrplan.radio.bands import BANDS, Band, get_band


def test_registry_names():
    assert set(BANDS) == {"n78", "n78-shared", "n41", "n79", "n28"}
    for name, band in BANDS.items():
        assert band.name == name
        assert band.antenna in ANTENNA_PROFILES
        assert band.source


@pytest.mark.parametrize(
    "name, watts, nprb, bw",
    [
        ("n78", 200.0, 273, 100.0),  # 100 MHz / 30 kHz: 273 PRB (TS 38.101-1 Table 5.3.2-1)
        ("n78-shared", 320.0, 2 * 273, 200.0),  # 2 x 100 MHz carriers
        ("n41", 320.0, 273 + 162, 160.0),  # 100 + 60 MHz at 30 kHz: 273 + 162
        ("n79", 200.0, 273, 100.0),
        ("n28", 240.0, 160, 30.0),  # 30 MHz / 15 kHz: 160 PRB; 4 x 60 W
    ],
)
def test_power_prb_bandwidth(name, watts, nprb, bw):
    b = get_band(name)
    # 200 W = 10 log10(200e3 mW) = 53.01 dBm; 320 W = 55.05 dBm; 240 W = 53.80 dBm
    assert b.power_dbm == pytest.approx(10 * math.log10(watts * 1e3))
    assert b.n_prb == nprb
    assert b.bandwidth_mhz == bw
    assert b.bandwidth_hz == bw * 1e6


def test_duplex_and_tdd():
    assert get_band("n28").duplex == "fdd" and get_band("n28").tdd is None
    assert get_band("n28").f_ul_ghz == pytest.approx(0.718)
    n78 = get_band("n78").tdd
    assert n78.pattern == "DDDSUDDSUU" and n78.special == (10, 2, 2)
    n41 = get_band("n41").tdd
    assert n41.pattern == "DDDDDDDSUU" and n41.special == (6, 4, 4)
    assert get_band("n41").f_ul_ghz == get_band("n41").f_c_ghz


def test_ue_power_classes():
    # TS 38.101-1 Table 6.2.1-1: PC2 26 dBm (n41/n78/n79), PC3 23 dBm
    for name in ("n78", "n41", "n79"):
        assert get_band(name).ue_power_dbm == 26.0
    assert get_band("n28").ue_power_dbm == 23.0


def test_get_band_unknown_lists_valid():
    with pytest.raises(NrplanInputError, match="n78") as exc:
        get_band("n77x")
    assert exc.value.field == "band"
    assert get_band("N78") is BANDS["n78"]


@pytest.mark.parametrize(
    "change",
    [
        {"carriers_mhz": (120.0,)},  # no 120 MHz channel in FR1
        {"scs_khz": 45.0},
        {"duplex": "sdd"},
        {"antenna": "nope"},
        {"tdd_pattern": None},  # TDD band without pattern
        {"ue_power_class": 1},
    ],
)
def test_band_validation(change):
    with pytest.raises(NrplanInputError):
        dataclasses.replace(BANDS["n78"], **change)


def test_band_override():
    b = dataclasses.replace(BANDS["n78"], power_dbm=50.0)
    assert isinstance(b, Band) and b.power_dbm == 50.0
