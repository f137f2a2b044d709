"""Dimensioning: coverage ISD = 1.5 R, capacity ISD from the hexagonal site area."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from nrplan.morphology import URBAN
from nrplan.plan.config import PlanConfig
from nrplan.plan.dimension import class_shadowing, dimension_class, edge_probability
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import re_power_dbm
from nrplan.radio.pathloss import pathloss

CFG = PlanConfig()


def test_coverage_isd_is_one_and_a_half_cell_ranges():
    d = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG)  # negligible traffic
    assert d.limiting.startswith("coverage")
    r = min(d.range_dl_m, d.range_ul_m, d.range_rsrp_m, d.range_rsrp_indoor_m)
    assert d.cell_range_m == pytest.approx(r)
    assert d.coverage_isd_m == pytest.approx(1.5 * r)
    assert d.isd_m == pytest.approx(1.5 * r)


def test_indoor_rsrp_range_by_hand():
    # SS-RSRP per RE = P - 10 log10(12 N_PRB) + G_ssb - PL(R) - L_o2i - z sigma_in = -110 dBm
    d = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG)
    band = get_band("n78")
    layer = CFG.layers["urban"]
    p_re = 10 * math.log10(200e3) - 10 * math.log10(12 * 273)  # 200 W AAU, 273 PRB
    assert float(re_power_dbm(band.power_dbm, band.n_prb)) == pytest.approx(p_re, abs=0.01)
    _, sig_in, loss = class_shadowing(URBAN, CFG)
    z = norm.ppf(edge_probability(0.80))  # 0.6 -> z = 0.2533
    from nrplan.radio.antenna import get_antenna

    g_ssb = get_antenna(band.antenna).ssb.g_max_dbi
    pl = float(pathloss("uma", d.range_rsrp_indoor_m, layer.height_m, 1.5, band.f_c_ghz, "prob"))
    assert p_re + g_ssb - pl - loss - z * sig_in == pytest.approx(-110.0, abs=0.01)


def test_capacity_isd_from_hexagonal_site_area():
    # 2,000 Mbit/s per km^2 of DL: A_site = 3 C rho / D; ISD = sqrt(2 A / sqrt(3))
    d = dimension_class(URBAN, 10.0, 20_000.0, 100.0, CFG)
    assert d.limiting == "capacity"
    area_km2 = 3 * d.cell_capacity_dl_mbps * 0.7 / 2000.0
    assert d.capacity_isd_m == pytest.approx(math.sqrt(2 * area_km2 / math.sqrt(3)) * 1000)
    assert d.isd_m == pytest.approx(d.capacity_isd_m)
    assert d.sites_estimate == pytest.approx(10.0 / (math.sqrt(3) / 2 * (d.isd_m / 1e3) ** 2))


def test_o2i_mix_is_a_linear_power_average():
    # urban: 15 % high-loss; L = -10 log10(0.85 10^(-L_low/10) + 0.15 10^(-L_high/10))
    from nrplan.radio.o2i import mean_indoor_distance, o2i_loss

    d_in = mean_indoor_distance("uma")
    low = float(o2i_loss("low", 3.5, d_in))
    high = float(o2i_loss("high", 3.5, d_in))
    _, _, loss = class_shadowing(URBAN, CFG)
    expect = -10 * np.log10(0.85 * 10 ** (-low / 10) + 0.15 * 10 ** (-high / 10))
    assert loss == pytest.approx(expect)
    assert low < loss < high
