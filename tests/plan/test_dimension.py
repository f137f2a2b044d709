"""Dimensioning over the users of a site area: each target's largest ISD,
capacity ISD from the hexagonal site area, and classes that differ."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr

from nrplan.morphology import DENSE_URBAN, RURAL, SUBURBAN, URBAN, URBAN_CORE
from nrplan.plan.config import PlanConfig
from nrplan.plan.dimension import (
    cluster_users,
    dimension_class,
    single_site_isd_m,
    site_area_users,
)
from nrplan.plan.users import user_mix
from nrplan.radio.antenna import get_antenna
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import re_power_dbm
from nrplan.radio.pathloss import pathloss

CFG = PlanConfig()


def test_isd_is_the_smallest_target_isd():
    d = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG)  # negligible traffic
    assert d.limiting in d.isd_by_target
    assert d.coverage_isd_m == pytest.approx(min(d.isd_by_target.values()))
    assert d.isd_m == pytest.approx(d.coverage_isd_m)


def test_limiting_isd_meets_its_target_on_the_reference_cluster():
    d = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG)
    k = cluster_users(URBAN, d.isd_by_target["coverage-indoor"], CFG)
    assert k["indoor"] == pytest.approx(CFG.targets.indoor_population_coverage, abs=0.01)
    k = cluster_users(URBAN, d.isd_by_target["coverage-outdoor"], CFG)
    assert k["outdoor"] == pytest.approx(CFG.targets.area_coverage, abs=0.01)


def test_neighbours_make_the_cluster_isd_smaller_than_a_lone_site():
    # SS-SINR at full SSB load and the neighbours' PDSCH interference only
    # exist with neighbours: the cluster needs a denser grid than one site
    d = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG)
    assert d.isd_m < single_site_isd_m(URBAN, CFG)


def test_site_area_users_by_hand_for_one_ring():
    # A tiny site area (ISD 15 m): every user is at the 10 m minimum distance of
    # Table 7.4.1-1, where UMa is LOS (p_LOS = 1 for d <= 18 m):
    # PL = 28 + 22 log10(d3D) + 20 log10(3.5), d3D = sqrt(10^2 + 28.5^2).
    band = get_band("n78")
    layer = CFG.layers["urban"]
    d3d = math.hypot(10.0, layer.height_m - 1.5)
    pl = 28.0 + 22 * math.log10(d3d) + 20 * math.log10(3.5)
    assert float(pathloss("uma", 10.0, layer.height_m, 1.5, 3.5, "prob")) == pytest.approx(pl)
    g_ssb = get_antenna(band.antenna).max_gain_dbi["ssb"]
    rsrp = float(re_power_dbm(band.power_dbm, band.n_prb)) + g_ssb - pl
    mix = user_mix(URBAN, band.f_c_ghz, layer.height_m)
    # covered if RSRP - body - L_t - xi >= -110 (SS-SNR is ~100 dB here)
    # one site: the user's common and the link's own shadowing add
    sig = [math.hypot(mix.sigma_common_db[t], mix.sigma_ind_db) for t in range(3)]
    p = [ndtr((rsrp - 3.0 - mix.loss_db[t] + 110.0) / sig[t]) for t in range(3)]
    k = site_area_users(URBAN, 15.0, CFG)
    assert k["outdoor"] == pytest.approx(p[0], abs=1e-9)
    indoor = (mix.share[1] * p[1] + mix.share[2] * p[2]) / (mix.share[1] + mix.share[2])
    assert k["indoor"] == pytest.approx(indoor, abs=1e-9)


def test_capacity_isd_from_hexagonal_site_area():
    # 2,000 Mbit/s per km^2 of DL: A_site = 3 C rho / D; ISD = sqrt(2 A / sqrt(3))
    d = dimension_class(URBAN, 10.0, 20_000.0, 100.0, CFG)
    assert d.limiting == "capacity"
    area_km2 = 3 * d.cell_capacity_dl_mbps * 0.7 / 2000.0
    assert d.capacity_isd_m == pytest.approx(math.sqrt(2 * area_km2 / math.sqrt(3)) * 1000)
    assert d.isd_m == pytest.approx(d.capacity_isd_m)
    assert d.sites_estimate == pytest.approx(10.0 / (math.sqrt(3) / 2 * (d.isd_m / 1e3) ** 2))


def test_densest_and_sparsest_classes_differ():
    isd = {c: dimension_class(c, 10.0, 1.0, 0.1, CFG).isd_m for c in (URBAN_CORE, RURAL)}
    assert isd[URBAN_CORE] < 0.5 * isd[RURAL]


def test_megacity_core_is_denser_than_a_county_town_centre():
    # a county town's centre is the urban (100 k - 1 M) or suburban (< 100 k) class
    core = dimension_class(URBAN_CORE, 10.0, 1.0, 0.1, CFG).isd_m
    for town in (URBAN, SUBURBAN):
        assert core < dimension_class(town, 10.0, 1.0, 0.1, CFG).isd_m
    assert core <= dimension_class(DENSE_URBAN, 10.0, 1.0, 0.1, CFG).isd_m


def test_higher_indoor_target_shrinks_the_isd():
    lo = PlanConfig(targets={"indoor_population_coverage": 0.5})
    hi = PlanConfig(targets={"indoor_population_coverage": 0.9})
    a = dimension_class(URBAN, 10.0, 1.0, 0.1, lo).isd_by_target["coverage-indoor"]
    b = dimension_class(URBAN, 10.0, 1.0, 0.1, hi).isd_by_target["coverage-indoor"]
    assert b < a
    assert np.isfinite(a) and np.isfinite(b)


def test_morphology_override_from_the_config_changes_the_isd():
    base = dimension_class(URBAN, 10.0, 1.0, 0.1, CFG).isd_by_target["coverage-indoor"]
    cfg = PlanConfig(morphology={"urban": {"high_loss_share": 0.6}})
    assert cfg.morphology_class(URBAN).high_loss_share == 0.6
    worse = dimension_class(URBAN, 10.0, 1.0, 0.1, cfg).isd_by_target["coverage-indoor"]
    assert worse < base
