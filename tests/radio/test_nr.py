"""NR numerology, TDD patterns, CQI/MCS tables and rates against hand computations.

References: TS 38.101-1 Table 5.3.2-1, TS 38.214 Tables 5.1.3.1-1/-2 and
5.2.2.1-2/-3, TS 38.306 4.1.2, TR 36.942 Annex A.2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.errors import NrplanInputError
from nrplan.radio.nr import (
    CQI_TABLES,
    MCS_TABLES,
    N_RB_TABLE_5_3_2_1,
    TddPattern,
    cqi_sinr_thresholds_db,
    n_prb,
    numerology,
    peak_rate_mbps,
    required_sinr_db,
    spectral_efficiency,
    user_rate_mbps,
)

# ---------------------------------------------------------------- peak rate, TS 38.306 4.1.2


def test_peak_rate_100mhz_30khz_4_layers_256qam_is_2337():
    # v=4, Q_m=8, f=1, R_max=948/1024=0.92578125, N_PRB=273 (Table 5.3.2-1),
    # T_s = 1e-3 / (14 * 2**1) s -> 12*273/T_s = 3276 * 28000 = 91_728_000 RE/s,
    # OH = 0.14:  4 * 8 * 0.92578125 * 91_728_000 * 0.86 * 1e-6 = 2336.99... Mbit/s
    hand = 4 * 8 * 0.92578125 * 91_728_000 * 0.86 * 1e-6
    assert hand == pytest.approx(2337.0, abs=0.01)
    assert peak_rate_mbps(100, 30, 4, 256) == pytest.approx(2337.0, abs=1.0)
    assert peak_rate_mbps(100, 30, 4, 256) == pytest.approx(hand, rel=1e-12)


def test_peak_rate_with_tdd_dddsu():
    # DDDSU, S = 10:2:2: DL symbols (3*14 + 10) / (5*14) = 52/70
    assert peak_rate_mbps(100, 30, 4, 256, tdd="DDDSU") == pytest.approx(
        4 * 8 * 0.92578125 * 91_728_000 * 0.86 * 1e-6 * 52 / 70
    )


def test_peak_rate_uplink_and_fdd_700mhz():
    # UL: 1 layer, 256QAM, OH 0.08: 1*8*0.92578125*91_728_000*0.92e-6 = 625.01 Mbit/s
    assert peak_rate_mbps(100, 30, 1, 256, direction="ul") == pytest.approx(
        8 * 0.92578125 * 91_728_000 * 0.92 * 1e-6
    )
    # n28: 30 MHz at 15 kHz -> 160 PRB; mu = 0: 12*160*14*1000 = 26_880_000 RE/s;
    # 2 layers 64QAM: 2*6*0.92578125*26_880_000*0.86e-6 = 256.8 Mbit/s
    assert peak_rate_mbps(30, 15, 2, 64) == pytest.approx(2 * 6 * 0.92578125 * 26_880_000 * 0.86e-6)


def test_peak_rate_scaling_factor():
    assert peak_rate_mbps(100, 30, 2, 64, scaling=0.75) == pytest.approx(
        2 * 6 * 0.75 * 0.92578125 * 91_728_000 * 0.86e-6
    )


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"layers": 9}, "layers"),
        ({"layers": 0}, "layers"),
        ({"layers": 5, "direction": "ul"}, "layers"),
        ({"qam": 1024, "direction": "ul"}, "qam"),
        ({"qam": 32}, "qam"),
        ({"scaling": 0.5}, "scaling"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_peak_rate_bad_input(kwargs, field):
    args = {"bw_mhz": 100, "scs_khz": 30, "layers": 4, "qam": 256, **kwargs}
    with pytest.raises(NrplanInputError) as exc:
        peak_rate_mbps(**args)
    assert exc.value.field == field


# ---------------------------------------------------------------- numerology, N_PRB


@pytest.mark.parametrize("scs, mu", [(15, 0), (30, 1), (60, 2), (120, 3), (240, 4)])
def test_numerology(scs, mu):
    assert numerology(scs) == mu


def test_numerology_rejects_other_scs():
    with pytest.raises(NrplanInputError):
        numerology(20)


@pytest.mark.parametrize(
    "bw, scs, nrb",
    # TS 38.101-1 Table 5.3.2-1, read off the table
    [(5, 15, 25), (20, 15, 106), (50, 15, 270), (40, 30, 106), (60, 30, 162),
     (100, 30, 273), (10, 60, 11), (100, 60, 135), (30, 15, 160), (35, 30, 92)],
)  # fmt: skip
def test_n_prb_table(bw, scs, nrb):
    assert n_prb(bw, scs) == nrb


@pytest.mark.parametrize("bw, scs", [(60, 15), (100, 15), (5, 60), (7, 30), (100, 120)])
def test_n_prb_invalid_combination(bw, scs):
    with pytest.raises(NrplanInputError, match=r"Table 5\.3\.2-1|FR1"):
        n_prb(bw, scs)


def test_n_prb_fits_the_channel():
    # every table entry must fit in the channel: 12 * N_RB * SCS < BW
    for scs, row in N_RB_TABLE_5_3_2_1.items():
        for bw, nrb in row.items():
            assert 12 * nrb * scs * 1e3 < bw * 1e6
            assert 12 * nrb * scs * 1e3 > 0.75 * bw * 1e6  # utilisation > 75 % (79 % at 5 MHz)


# ---------------------------------------------------------------- TDD patterns


@pytest.mark.parametrize(
    "text, dl, ul",
    [
        ("DDDSU", (3 * 14 + 10) / 70, (14 + 2) / 70),
        ("DDDDDDDSUU:6:4:4", (7 * 14 + 6) / 140, (2 * 14 + 4) / 140),
        ("DDDDDDDSUU", (7 * 14 + 10) / 140, (2 * 14 + 2) / 140),
        ("DDDSUDDSUU", (5 * 14 + 2 * 10) / 140, (3 * 14 + 2 * 2) / 140),
        ("DSUUU", (14 + 10) / 70, (3 * 14 + 2) / 70),
        ("dddsu", (3 * 14 + 10) / 70, (14 + 2) / 70),
    ],
)
def test_tdd_fractions(text, dl, ul):
    t = TddPattern.parse(text)
    assert t.dl_fraction == pytest.approx(dl)
    assert t.ul_fraction == pytest.approx(ul)
    assert t.dl_fraction + t.ul_fraction + t.guard_fraction == pytest.approx(1.0)


def test_tdd_special_split_argument_and_period():
    t = TddPattern.parse("DDDSU", special="6:4:4")
    assert t.special == (6, 4, 4)
    assert t.dl_fraction == pytest.approx((42 + 6) / 70)
    assert t.period_ms(30) == pytest.approx(2.5)  # 5 slots of 0.5 ms
    assert TddPattern.parse("DDDSUDDSUU").period_ms(30) == pytest.approx(5.0)
    assert str(t) == "DDDSU:6:4:4"


@pytest.mark.parametrize("text", ["DDXSU", "", "D-S-U", "DDDSU:10:2:3", "DDDSU:a:b:c"])
def test_tdd_bad_pattern(text):
    with pytest.raises(NrplanInputError):
        TddPattern.parse(text)


# ---------------------------------------------------------------- CQI / MCS tables


@pytest.mark.parametrize(
    "table", [*(("cqi", k) for k in CQI_TABLES), *(("mcs", k) for k in MCS_TABLES)]
)
def test_table_efficiency_is_qm_times_rate(table):
    kind, key = table
    rows = (CQI_TABLES if kind == "cqi" else MCS_TABLES)[key]
    eff = []
    for q_m, r1024, se in rows.values():
        # spec column "efficiency" = Q_m * R / 1024, printed to 4 decimals
        assert se == pytest.approx(q_m * r1024 / 1024, abs=6e-5)
        eff.append(se)
    if kind == "cqi":  # MCS Table 1 is not monotone in the spec (I_MCS 16: 2.5703, 17: 2.5664)
        assert np.all(np.diff(eff) > 0)


def test_cqi_table_peaks():
    assert CQI_TABLES["table1"][15] == (6, 948, 5.5547)
    assert CQI_TABLES["table2"][15] == (8, 948, 7.4063)
    assert len(CQI_TABLES["table2"]) == 15


def test_cqi_thresholds_by_hand():
    # CQI 1: 10 log10(2**0.1523 - 1) + 3 dB; 2**0.1523 = 1.111340 -> -9.5334 + 3
    thr = cqi_sinr_thresholds_db("table2")
    assert thr[0] == pytest.approx(10 * math.log10(2**0.1523 - 1) + 3.0)
    assert thr[0] == pytest.approx(-6.533, abs=1e-3)
    # CQI 15 (Table 2): 2**7.4063 = 169.62 -> 10 log10(168.62) + 3 = 25.27 dB
    assert thr[-1] == pytest.approx(25.269, abs=1e-3)
    assert np.all(np.diff(thr) > 0)


def test_spectral_efficiency_cqi_steps():
    thr = cqi_sinr_thresholds_db("table2")
    se = spectral_efficiency(
        [thr[0] - 0.01, thr[0], thr[3] - 1e-6, thr[3], 60.0, np.nan], "cqi-table2"
    )
    np.testing.assert_allclose(se[:5], [0.0, 0.1523, 0.8770, 1.4766, 7.4063])
    assert np.isnan(se[5])
    assert spectral_efficiency(60.0, "cqi-table1") == pytest.approx(5.5547)


def test_truncated_shannon_by_hand():
    se = spectral_efficiency([-10.01, -10.0, 0.0, 20.0, 40.0], "shannon")
    # below SINR_min: 0; at -10 dB: 0.6*log2(1.1) = 0.08250; 0 dB: 0.6*log2(2) = 0.6;
    # 20 dB: 0.6*log2(101) = 3.9950; 40 dB: 0.6*log2(10001) = 7.97 -> capped at 7.4063
    np.testing.assert_allclose(
        se, [0.0, 0.6 * math.log2(1.1), 0.6, 0.6 * math.log2(101), 7.4063], rtol=1e-12
    )
    assert spectral_efficiency(40.0, "shannon", se_max=4.4) == pytest.approx(4.4)


def test_spectral_efficiency_unknown_method():
    with pytest.raises(NrplanInputError, match="cqi-table2"):
        spectral_efficiency(0.0, "magic")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-30, 60, allow_nan=False), min_size=2, max_size=20),
    st.sampled_from(["cqi-table2", "cqi-table1", "shannon"]),
)
def test_spectral_efficiency_monotone(sinrs, method):
    s = np.sort(np.asarray(sinrs))
    se = spectral_efficiency(s, method)
    assert se.shape == s.shape
    assert np.all(np.diff(se) >= 0)
    assert np.all(se >= 0) and np.all(se <= 7.4063)


def test_spectral_efficiency_broadcasts():
    se = spectral_efficiency(np.zeros((3, 4)), "cqi-table2")
    assert se.shape == (3, 4)


# ---------------------------------------------------------------- user rate and its inverse


def test_user_rate_by_hand():
    # 30 dB > CQI 15 threshold (25.27 dB) -> 7.4063 bit/RE; 4 layers; 100 MHz/30 kHz;
    # OH 0.14; DDDSU DL 52/70: 4 * 7.4063 * 91_728_000 * 0.86 * 52/70 = 1736.07 Mbit/s
    hand = 4 * 7.4063 * 91_728_000 * 0.86 * 52 / 70 * 1e-6
    assert float(user_rate_mbps(30.0, 100, 30, 4, "DDDSU")) == pytest.approx(hand)
    # cell load 0.6 leaves the user (1 - 0.6) of the resources
    assert float(user_rate_mbps(30.0, 100, 30, 4, "DDDSU", load=0.6)) == pytest.approx(0.4 * hand)


def test_user_rate_nan_and_bad_load():
    assert np.isnan(user_rate_mbps(np.nan, 100, 30))
    with pytest.raises(NrplanInputError):
        user_rate_mbps(10.0, 100, 30, load=1.5)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0.5, 600.0),
    st.sampled_from(["cqi-table2", "cqi-table1", "shannon"]),
    st.sampled_from([None, "DDDSU", "DDDSUDDSUU", "DSUUU"]),
    st.integers(1, 4),
)
def test_required_sinr_inverts_user_rate(rate, method, tdd, layers):
    try:
        req = required_sinr_db(rate, 100, 30, layers, tdd, "dl", method=method)
    except NrplanInputError:
        # unreachable: even the top efficiency falls short
        top = user_rate_mbps(80.0, 100, 30, layers, tdd, "dl", method=method)
        assert float(top) < rate
        return
    at = float(user_rate_mbps(req, 100, 30, layers, tdd, "dl", method=method))
    assert at >= rate * (1 - 1e-6)
    if method != "shannon" or req > -10.0:
        below = float(user_rate_mbps(req - 0.01, 100, 30, layers, tdd, "dl", method=method))
        assert below < rate


def test_required_sinr_unreachable_rate_names_field():
    with pytest.raises(NrplanInputError) as exc:
        required_sinr_db(5000.0, 100, 30, 1, "DDDSU", field="edge_dl_mbps")
    assert exc.value.field == "edge_dl_mbps"
