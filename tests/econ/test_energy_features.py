"""A full day of load with each energy-saving feature on and off, by hand.

Features act multiplicatively on what the others leave (nrplan.econ.energy): symbol
shutdown scales P0 by (1 - s (1 - load)), channel shutdown by (1 - c) when load < 0.2,
deep sleep scales the idle power left by the others by (1 - d) in the sleep hours.
"""

from __future__ import annotations

import itertools

import pytest

from nrplan.econ.energy import SavingParams, site_energy

PARAMS = SavingParams(
    symbol_share=0.43,
    channel_load=0.2,
    channel_share=0.3,
    deep_sleep_load=0.1,
    deep_sleep_saving=0.6,
)
# 6 empty night hours (asleep with deep sleep), 18 hours at 50 % load
PROFILE = [0.0] * 6 + [0.5] * 18
# one 64T64R radio (P0 580 W, slope x Pout 520 W) + 500 W BBU, no overhead
KW = dict(sectors=1, params=PARAMS, bbu_w=500.0, overhead=1.0)

# hand values [Wh/day]: busy hour without symbol shutdown 580 + 260 + 500 = 1,340 W,
# with it 580 x (1 - 0.43 x 0.5) + 260 + 500 = 1,215.3 W (channel: load 0.5 >= 0.2, off)
BUSY = {False: 1_340.0, True: 1_215.3}


def _empty_hour_radio_w(symbol: bool, channel: bool, sleep: bool) -> float:
    w = 580.0
    w *= 0.7 if channel else 1.0  # load 0 < 0.2: half the channels off, 30 % of P0
    w *= 0.57 if symbol else 1.0  # every symbol empty: 43 % of P0 off
    w *= 0.4 if sleep else 1.0  # asleep: 60 % of what is left
    return w


@pytest.mark.parametrize(
    ("symbol", "channel", "sleep"), list(itertools.product((False, True), repeat=3))
)
def test_full_day_each_feature_on_off(symbol, channel, sleep):
    feats = [f for f, on in (("symbol", symbol), ("channel", channel), ("deep-sleep", sleep)) if on]
    e = site_energy("64t64r", PROFILE, feats, **KW)
    day_wh = 6 * (_empty_hour_radio_w(symbol, channel, sleep) + 500.0) + 18 * BUSY[symbol]
    assert e.kwh_day == pytest.approx(day_wh / 1000.0)


def test_marginal_savings_all_features_by_hand():
    e = site_energy("64t64r", PROFILE, ["symbol", "channel", "deep-sleep"], **KW)
    # none 30,600 Wh; + symbol 26,859; + channel 26,263.92; + deep sleep 25,430.808
    assert e.kwh_day_base == pytest.approx(30.6)
    assert e.savings_kwh_day["symbol"] == pytest.approx((30_600 - 26_859) / 1000)
    assert e.savings_kwh_day["channel"] == pytest.approx(6 * (330.6 - 231.42) / 1000)
    # deep sleep keeps its own effect: 60 % of the 231.42 W left in the 6 empty hours
    assert e.savings_kwh_day["deep-sleep"] == pytest.approx(6 * 0.6 * 231.42 / 1000)
    assert e.kwh_day == pytest.approx(25.430808)


def test_deep_sleep_saves_with_the_default_features_on():
    # the 2026 defect: deep sleep's floor equalled what symbol + channel reach -> 0 %
    e = site_energy("64t64r")
    assert e.savings_share["deep-sleep"] > 0.02
    assert e.savings_share["symbol"] == pytest.approx(0.1625, abs=0.001)
