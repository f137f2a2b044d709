"""Energy model: hand-computed days with and without sleep modes, validation, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nrplan.econ.energy import (
    DEFAULT_TRAFFIC_PROFILE,
    FEATURES,
    SavingParams,
    gb_per_day,
    network_energy_kwh_per_year,
    parse_features,
    parse_traffic_profile,
    radio_power_w,
    site_energy,
)
from nrplan.errors import NrplanInputError

# Pinned feature parameters, so the hand arithmetic does not follow the defaults.
PARAMS = SavingParams(
    symbol_share=0.43,
    channel_load=0.2,
    channel_share=0.3,
    carrier_capacity_ratio=5.0,
    carrier_absorb_load=0.5,
    carrier_off_share=0.15,
    deep_sleep_load=0.1,
    deep_sleep_saving=0.6,
)
# 6 empty night hours, 18 hours at 50% load
PROFILE = [0.0] * 6 + [0.5] * 18
# 64T64R radio: P0 = 580 W, Pmax = 1,100 W, Pout = 200 W -> dp * Pout = 520 W
KW = dict(sectors=1, params=PARAMS, bbu_w=500.0, overhead=1.0)


def test_day_without_features_by_hand():
    e = site_energy("64t64r", PROFILE, (), **KW)
    # empty hours: 580 + 500 = 1,080 W; busy hours: 580 + 520 x 0.5 + 500 = 1,340 W
    assert e.kwh_day == pytest.approx((6 * 1080 + 18 * 1340) / 1000)  # 30.6 kWh
    assert e.kwh_year == pytest.approx(30.6 * 365)
    assert e.cost_year == pytest.approx(30.6 * 365 * 0.75)  # default price 0.75 CNY/kWh
    assert e.co2_kg_year == pytest.approx(30.6 * 365 * 0.5568)
    assert e.p_idle_w == pytest.approx(1080) and e.p_full_w == pytest.approx(1600)


def test_day_with_deep_sleep_by_hand():
    e = site_energy("64t64r", PROFILE, ["deep-sleep"], **KW)
    # asleep in the 6 empty hours: (1 - 0.6) x 580 = 232 W radio + 500 W BBU = 732 W
    assert e.kwh_day == pytest.approx((6 * 732 + 18 * 1340) / 1000)  # 28.512 kWh
    assert e.savings_kwh_day["deep-sleep"] == pytest.approx(30.6 - 28.512)


def test_day_with_symbol_shutdown_and_deep_sleep_by_hand():
    e = site_energy("64t64r", PROFILE, ["deep-sleep", "symbol"], **KW)
    assert e.features == ("symbol", "deep-sleep")  # canonical order
    # symbol only: empty hours 580 x (1 - 0.43) = 330.6 W; busy 580 x (1 - 0.43 x 0.5) + 260
    busy = 580 * (1 - 0.43 * 0.5) + 260 + 500  # 1,215.3 W
    symbol_day = 6 * (330.6 + 500) + 18 * busy  # 26,859 Wh
    # deep sleep acts on what symbol shutdown leaves: (1 - 0.6) x 330.6 = 132.24 W asleep
    both_day = 6 * (132.24 + 500) + 18 * busy  # 25,669.8 Wh
    assert e.savings_kwh_day["symbol"] == pytest.approx((30_600 - symbol_day) / 1000)
    assert e.savings_kwh_day["deep-sleep"] == pytest.approx((symbol_day - both_day) / 1000)
    assert e.kwh_day == pytest.approx(both_day / 1000)  # 25.6698 kWh
    assert e.saving_share == pytest.approx(1 - both_day / 30_600)


def test_carrier_shutdown_by_hand():
    radios = {"64t64r": 1, "4t4r": 1}
    e = site_energy(radios, PROFILE, ["carrier"], **KW)
    # empty hours: 0 x (1 + 5) <= 0.5 -> 64T64R carrier off at 0.15 x 580 = 87 W (was 580 W);
    # busy hours: 0.5 x 6 = 3 > 0.5 -> no shutdown. 4T4R carries 0 load either way.
    assert e.savings_kwh_day["carrier"] == pytest.approx(6 * (580 - 87) / 1000)
    # a single-layer site has nothing to shut
    assert site_energy("64t64r", PROFILE, ["carrier"], **KW).savings_kwh_day["carrier"] == 0


def test_channel_shutdown_by_hand():
    e = site_energy("64t64r", [0.1] * 24, ["channel"], **KW)
    # load 0.1 < 0.2: P0 x (1 - 0.3) = 406 W instead of 580 W, every hour
    assert e.savings_kwh_day["channel"] == pytest.approx(24 * (580 - 406) / 1000)


def test_kwh_per_gb():
    # 18 h x 0.5 x 1,000 Mbit/s x 3,600 s / 8 / 1,000 = 4,050 GB/day for one sector
    assert gb_per_day(PROFILE, 1000.0, sectors=1) == pytest.approx(4050.0)
    e = site_energy("64t64r", PROFILE, (), capacity_mbps=1000.0, **KW)
    assert e.kwh_per_gb == pytest.approx(30.6 / 4050.0)


def test_sleep_window_reproduces_luoyang_range():
    # Luoyang Unicom/ZTE: sleeping 21:00-09:00 cut daily BS energy (BBU included) by
    # 31-37%; China Telecom: symbol shutdown + deep sleep >= 30% over the day. Model,
    # default profile, a 3 x 64T64R site with its BBU: within that band.
    window = tuple(range(21, 24)) + tuple(range(0, 9))
    p = SavingParams(deep_sleep_hours=window)
    e = site_energy("64t64r", DEFAULT_TRAFFIC_PROFILE, ["symbol", "deep-sleep"], params=p)
    assert 0.31 <= e.saving_share <= 0.37
    # the AAU alone saves more (the BBU never sleeps), and deep sleep adds to symbol shutdown
    lam = DEFAULT_TRAFFIC_PROFILE
    base = radio_power_w("64t64r", lam).sum()
    sym = 1 - radio_power_w("64t64r", lam, ["symbol"], params=p).sum() / base
    both = 1 - radio_power_w("64t64r", lam, ["symbol", "deep-sleep"], params=p).sum() / base
    assert both > e.saving_share and both > sym + 0.15


def test_network_energy_is_sites_times_site():
    one = site_energy("64t64r").kwh_year
    assert network_energy_kwh_per_year(100, {"64t64r": 300}) == pytest.approx(100 * one)
    assert network_energy_kwh_per_year(0, {}) == 0.0


@pytest.mark.parametrize("bad", [[0.1] * 23, [0.1] * 25, [0.1] * 23 + [1.5], [np.nan] * 24])
def test_bad_traffic_profile(bad):
    with pytest.raises(NrplanInputError, match="traffic_profile"):
        site_energy("64t64r", bad)


def test_parsers():
    assert parse_traffic_profile(",".join(["0.5"] * 24)).shape == (24,)
    with pytest.raises(NrplanInputError):
        parse_traffic_profile("0.1,abc")
    assert parse_features("all") == FEATURES
    assert parse_features("none") == ()
    assert parse_features("deep_sleep,symbol") == ("symbol", "deep-sleep")
    with pytest.raises(NrplanInputError, match="features"):
        parse_features("symbol,hibernate")
    with pytest.raises(NrplanInputError, match="profile"):
        site_energy("128t128r")


def test_bad_saving_params():
    with pytest.raises(NrplanInputError):
        SavingParams(deep_sleep_saving=1.2)
    with pytest.raises(NrplanInputError):
        SavingParams(deep_sleep_hours=(25,))


loads = st.floats(0.0, 1.0)


@given(a=loads, b=loads, profile=st.sampled_from(["64t64r", "32t32r", "8t8r", "4t4r"]))
def test_power_increases_with_load(a, b, profile):
    lo, hi = sorted((a, b))
    for feats in ((), ("symbol",), ("symbol", "channel")):
        if feats == ("symbol", "channel") and lo < 0.2 <= hi:
            continue  # channel shutdown is a step at its threshold
        assert radio_power_w(profile, lo, feats) <= radio_power_w(profile, hi, feats) + 1e-9


@given(profile=st.lists(loads, min_size=24, max_size=24), subset=st.sets(st.sampled_from(FEATURES)))
def test_features_never_add_energy(profile, subset):
    radios = {"64t64r": 3, "4t4r": 3}
    base = site_energy(radios, profile, ())
    e = site_energy(radios, profile, subset)
    assert e.kwh_day <= base.kwh_day + 1e-9
    assert sum(e.savings_kwh_day.values()) == pytest.approx(base.kwh_day - e.kwh_day, abs=1e-9)
    assert all(v >= -1e-9 for v in e.savings_kwh_day.values())


def test_nan_load_gives_nan_power():
    out = radio_power_w("64t64r", np.array([0.5, np.nan]))
    assert np.isfinite(out[0]) and np.isnan(out[1])
