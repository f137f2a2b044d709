"""Latency budget against hand computations on the symbol timeline."""

from __future__ import annotations

import pytest

from nrplan.errors import NrplanInputError
from nrplan.industry.devices import device_class
from nrplan.industry.latency import (
    N1_SYMBOLS,
    N2_SYMBOLS,
    LatencyConfig,
    class_latency,
    harq_transmissions,
    latency_budget,
    symbol_map,
)

SYM_30K_MS = 1.0 / 28.0  # mu = 1: 14 symbols x 2 slots per ms


def test_processing_tables_are_ts38214():
    # TS 38.214 Tables 5.3-1 / 5.3-2 and 6.4-1 / 6.4-2
    assert [N1_SYMBOLS[1][m] for m in range(4)] == [8, 10, 17, 20]
    assert [N1_SYMBOLS[2][m] for m in range(3)] == [3, 4.5, 9]
    assert [N2_SYMBOLS[1][m] for m in range(4)] == [10, 12, 23, 36]
    assert [N2_SYMBOLS[2][m] for m in range(3)] == [5, 5.5, 11]


def test_ul_configured_grant_dddsu_by_hand():
    # 30 kHz, DDDSU (period 70 symbols), slot-based, capability 2: N2 = 5.5, N1 = 4.5.
    # One full UL slot per period, starting at symbol 56.
    # Worst: the packet is ready (arrival + N2) just after symbol 56 -> waits a whole
    # period of 70 symbols: 5.5 + 70 + 14 (PUSCH) + 4.5 (gNB decoding) = 94 symbols.
    # Mean: the wait is uniform on [0, 70): 5.5 + 35 + 14 + 4.5 = 59 symbols.
    cfg = LatencyConfig(scs_khz=30, tdd_pattern="DDDSU", ue_capability=2, core="local")
    b = latency_budget("ul", cfg)
    assert b.worst_ms == pytest.approx(94 * SYM_30K_MS, abs=1e-6)
    assert b.mean_ms == pytest.approx(59 * SYM_30K_MS, abs=1e-6)
    assert b.align_worst_ms == pytest.approx(70 * SYM_30K_MS, abs=1e-6)
    assert b.total_worst_ms == pytest.approx(94 / 28 + 1.0, abs=1e-6)  # + 1 ms local UPF


def test_dl_dddsu_by_hand():
    # DL slots start at 0, 14, 28 (the special slot has only 10 DL symbols: no slot
    # occasion). Worst: ready (arrival + N2 = 5.5 gNB preparation) just after 28 ->
    # next at 70: 5.5 + 42 + 14 + 4.5 = 66 symbols.
    cfg = LatencyConfig(scs_khz=30, tdd_pattern="DDDSU", ue_capability=2)
    assert latency_budget("dl", cfg).worst_ms == pytest.approx(66 * SYM_30K_MS, abs=1e-6)


def test_harq_transmissions_by_hand():
    # 0.1^5 = 1e-5 <= 1 - 0.99999 -> 5; 1e-5 per transmission -> 1; six nines -> 2
    assert harq_transmissions(0.99999, 0.1) == 5
    assert harq_transmissions(0.99999, 1e-5) == 1
    assert harq_transmissions(0.999999, 1e-5) == 2
    assert harq_transmissions(0.9, 0.1) == 1


def test_retransmission_adds_latency_and_mini_slot_helps():
    slot = LatencyConfig(tdd_pattern="DSUUU")
    mini = LatencyConfig(tdd_pattern="DSUUU", mini_slot=2, ue_capability=2)
    for d in ("ul", "dl"):
        one, two = latency_budget(d, slot, 1), latency_budget(d, slot, 2)
        assert two.worst_ms > one.worst_ms
        assert latency_budget(d, mini).worst_ms < one.worst_ms


def test_motion_control_cannot_be_served_agv_can():
    cfg = LatencyConfig(tdd_pattern="DSUUU", ue_capability=2)
    mc = class_latency(device_class("motion-control"), cfg)
    assert not mc.ok and mc.max_transmissions_in_bound == 0  # 1 ms bound < 1 ms UPF alone
    assert class_latency(device_class("agv"), cfg).ok


def test_fdd_has_no_alignment_beyond_a_slot():
    cfg = LatencyConfig(scs_khz=15, tdd_pattern="F", ue_capability=1)
    # mu = 0, period one slot of 14 symbols: worst wait < 14 symbols
    assert latency_budget("ul", cfg).align_worst_ms <= 14 / 14.0 + 1e-9


@pytest.mark.parametrize("bad", ["DDXU", "", "FD"])
def test_bad_pattern(bad):
    with pytest.raises(NrplanInputError):
        symbol_map(bad)


def test_bad_special_slot():
    with pytest.raises(NrplanInputError, match="special_slot"):
        symbol_map("DDDSU", "10:2:3")


def test_pattern_without_ul_occasion():
    with pytest.raises(NrplanInputError, match="UL occasion"):
        latency_budget("ul", LatencyConfig(tdd_pattern="DDDS"))
