"""The fast engine against the exhaustive reference and against hand link budgets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors, predict, predict_reference
from nrplan.errors import NrplanInputError
from nrplan.grid import Grid

# Issue 4 tolerances: fast engine vs reference.
RSRP_TOL_DB = 0.01
SINR_TOL_DB = 0.05


def _finite_equal(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    return np.nan_to_num(a, nan=0.0), np.nan_to_num(b, nan=0.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_equals_reference_on_random_scenes(seed, make_scene, make_sites):
    grid, morph, sectors = make_scene(seed)
    cfg = PredictionConfig(interference_error_db=0.02, tile_px=16)
    fast = predict(grid, morph, sectors, cfg)
    ref = predict_reference(grid, morph, sectors, cfg)
    np.testing.assert_array_equal(fast.best_server, ref.best_server)
    np.testing.assert_array_equal(fast.n_servers_within, ref.n_servers_within)
    a, b = _finite_equal(fast.rsrp_dbm, ref.rsrp_dbm)
    assert np.abs(a - b).max() < RSRP_TOL_DB
    a, b = _finite_equal(fast.sinr_db, ref.sinr_db)
    assert np.abs(a - b).max() < SINR_TOL_DB
    a, b = _finite_equal(fast.ss_sinr_db, ref.ss_sinr_db)
    assert np.abs(a - b).max() < SINR_TOL_DB
    a, b = _finite_equal(fast.margin_db, ref.margin_db)
    assert np.abs(a - b).max() < 2 * RSRP_TOL_DB
    a, b = _finite_equal(fast.coverage_prob, ref.coverage_prob)
    assert np.abs(a - b).max() < 1e-3
    np.testing.assert_array_equal(
        fast.sector_stats["served_pixels"], ref.sector_stats["served_pixels"]
    )


def test_culling_bound_holds_against_exhaustive_sum(make_scene, make_sites):
    # 300 sites on 10 km x 10 km, urban: per 8-pixel tile the far sites are
    # culled; the SINR error must stay inside the stated 0.1 dB bound.
    grid, morph, sectors = make_scene(5, n_sites=300, size_m=10_000.0, pixel_m=125.0)
    morph = np.where(morph > 0, 2, 0).astype(np.uint8)
    cfg = PredictionConfig(tile_px=8)
    fast = predict(grid, morph, sectors, cfg)
    ref = predict_reference(grid, morph, sectors, cfg)
    n_in = int((morph > 0).sum())
    # culling did cull (the count includes second passes)
    assert fast.meta["pairs_evaluated"] < 0.9 * n_in * len(sectors)
    a, b = _finite_equal(fast.sinr_db, ref.sinr_db)
    err = np.abs(a - b).max()
    assert err <= cfg.interference_error_db + 1e-3
    # the same bound holds for the full-load SS-SINR (its own, larger, neglected sum)
    a, b = _finite_equal(fast.ss_sinr_db, ref.ss_sinr_db)
    assert np.abs(a - b).max() <= cfg.interference_error_db + 1e-3
    assert fast.meta["sinr_truncation_bound_db"] <= cfg.interference_error_db + 1e-9
    assert fast.meta["sinr_truncation_bound_outputs"] == ["sinr_db", "ss_sinr_db"]
    np.testing.assert_array_equal(fast.best_server, ref.best_server)
    a, b = _finite_equal(fast.rsrp_dbm, ref.rsrp_dbm)
    assert np.abs(a - b).max() < RSRP_TOL_DB


def test_single_sector_boresight_rsrp_equals_hand_link_budget(make_scene, make_sites):
    # One Table 7.3-1 element sector at the origin, 25 m, facing east, no tilt;
    # one pixel centre 500 m east, UT 1.5 m, UMa (urban), n78 at 46 dBm.
    sec = Sectors(
        site_id=["A"], x=[0.0], y=[0.0], height_m=[25.0], azimuth_deg=[90.0],
        mech_tilt_deg=[0.0], elec_tilt_deg=[0.0], band=["n78"], power_dbm=[46.0],
        antenna=["element"], load=[0.5],
    )  # fmt: skip
    grid = Grid(490.0, 10.0, 20.0, 1, 1, "EPSG:32650")
    pred = predict(grid, 2, sec, PredictionConfig())
    # geometry: d_2D = 500 m, d_3D = sqrt(500^2 + 23.5^2)
    d3 = math.sqrt(500.0**2 + 23.5**2)  # 500.552 m
    # TR 38.901 Table 7.4.1-1 UMa, f_c = 3.5 GHz:
    # d'_BP = 4 (25 - 1)(1.5 - 1) 3.5e9 / 3e8 = 560 m > 500 m -> PL1
    pl_los = 28.0 + 22.0 * math.log10(d3) + 20.0 * math.log10(3.5)  # 98.269 dB
    pl_nlos = max(pl_los, 13.54 + 39.08 * math.log10(d3) + 20.0 * math.log10(3.5))  # 129.916
    # Table 7.4.2-1 UMa, h_UT <= 13 m: P_LOS = 18/d + exp(-d/63)(1 - 18/d)
    p = 18.0 / 500.0 + math.exp(-500.0 / 63.0) * (1.0 - 18.0 / 500.0)  # 0.036344
    pl = p * pl_los + (1.0 - p) * pl_nlos  # 128.766 dB
    # Table 7.3-1 element: theta' - 90 = atan(23.5 / 500) = 2.691 deg, phi' = 0
    a_v = 12.0 * (math.degrees(math.atan(23.5 / 500.0)) / 65.0) ** 2  # 0.0206 dB
    # EPRE: 46 dBm over 12 x 273 subcarriers (TS 38.101-1 Table 5.3.2-1, 100 MHz, 30 kHz)
    epre = 46.0 - 10.0 * math.log10(12 * 273)  # 10.847 dBm
    rsrp = epre + 8.0 - a_v - pl  # -109.94 dBm
    assert pred.rsrp_dbm[0, 0] == pytest.approx(rsrp, abs=RSRP_TOL_DB)
    assert pred.best_server[0, 0] == 0
    # no interferer: SINR = S / N, S = 46 + 8 - a_v - PL, N = -174 + 10log10(12*273*30e3) + 7
    noise = -174.0 + 10.0 * math.log10(12 * 273 * 30e3) + 7.0  # -87.08 dBm
    snr = 46.0 + 8.0 - a_v - pl - noise  # 12.289 dB
    # transmitter EVM 3.5 % (TS 38.104 Table 6.5.2.2-1): 1/SINR = 1/SNR + 0.035^2 -> 12.200 dB
    sinr = -10.0 * math.log10(10.0 ** (-snr / 10.0) + 0.035**2)
    assert pred.sinr_db[0, 0] == pytest.approx(sinr, abs=RSRP_TOL_DB)


def test_best_server_switches_where_rsrps_cross(make_scene, make_sites):
    # two identical element sectors 1 km apart facing each other: the RSRPs
    # cross at the midpoint x = 500 m (pixel centres at 10, 30, ..., 990 m)
    sec = Sectors(
        site_id=["A", "B"], x=[0.0, 1000.0], y=[0.0, 0.0], height_m=[25.0, 25.0],
        azimuth_deg=[90.0, 270.0], mech_tilt_deg=[0.0, 0.0], elec_tilt_deg=[0.0, 0.0],
        band=["n78", "n78"], power_dbm=[46.0, 46.0], antenna=["element", "element"],
        load=[0.5, 0.5],
    )  # fmt: skip
    grid = Grid(0.0, 10.0, 20.0, 1, 50, "EPSG:32650")
    pred = predict(grid, 2, sec, PredictionConfig())
    x = grid.x_centers()
    np.testing.assert_array_equal(pred.best_server[0], np.where(x < 500.0, 0, 1))
    # and with B 6 dB weaker the switch moves towards B, exactly where the
    # reference RSRPs of the two single-sector predictions cross
    sec_b = sec.subset([0, 1])
    object.__setattr__(sec_b, "power_dbm", np.array([46.0, 40.0]))
    pred_b = predict(grid, 2, sec_b, PredictionConfig())
    ra = predict_reference(grid, 2, sec_b.subset([0]), PredictionConfig()).rsrp_dbm[0]
    rb = predict_reference(grid, 2, sec_b.subset([1]), PredictionConfig()).rsrp_dbm[0]
    np.testing.assert_array_equal(pred_b.best_server[0], np.where(ra >= rb, 0, 1))
    assert 0 < int((pred_b.best_server[0] == 1).sum()) < 25


def test_sampled_los_and_shadowing_match_reference_and_are_seeded(make_scene, make_sites):
    grid, morph, sectors = make_scene(3, n_sites=4, size_m=1500.0, pixel_m=30.0)
    cfg = PredictionConfig(los_mode="sampled", shadowing="sampled", seed=7, tile_px=16,
                           interference_error_db=0.02)  # fmt: skip
    a = predict(grid, morph, sectors, cfg)
    ref = predict_reference(grid, morph, sectors, cfg)
    x, y = _finite_equal(a.rsrp_dbm, ref.rsrp_dbm)
    # LOS draws near u == P_LOS may differ (table vs direct P_LOS, < 1e-5)
    assert (np.abs(x - y) < RSRP_TOL_DB).mean() > 0.999
    again = predict(grid, morph, sectors, cfg)
    np.testing.assert_array_equal(a.rsrp_dbm, again.rsrp_dbm)
    other = predict(grid, morph, sectors, PredictionConfig(**{**cfg.settings(), "seed": 8}))
    assert np.nanmax(np.abs(a.rsrp_dbm - other.rsrp_dbm)) > 1.0
    assert a.meta["los_mode"] == "sampled"
    assert set(np.unique(a.coverage_prob[morph > 0])) <= {0.0, 1.0}


def test_outside_pixels_are_nodata_and_demand_aggregates(make_scene, make_sites):
    grid, morph, sectors = make_scene(4, n_sites=3, size_m=1000.0, pixel_m=40.0)
    users = np.where(morph > 0, 2.0, 0.0)
    dl = np.where(morph > 0, 0.5, 0.0)
    pred = predict(grid, morph, sectors, PredictionConfig(), demand={"users": users, "dl_mbps": dl})
    out = morph == 0
    assert (pred.best_server[out] == -1).all() and np.isnan(pred.rsrp_dbm[out]).all()
    st = pred.sector_stats
    served = pred.best_server >= 0
    assert st["served_pixels"].sum() == served.sum()
    assert st["served_users"].sum() == pytest.approx(2.0 * served.sum())
    k = int(np.argmax(st["served_pixels"]))
    mine = pred.best_server == k
    # load = sum of offered / full-buffer rate; dl_mbps = full rate * (1 - 0.5)
    full = pred.dl_mbps[mine].astype(float) / (1.0 - 0.5)
    assert st["load_dl"][k] == pytest.approx(np.sum(0.5 / full[full > 0]), rel=1e-5)
    assert st["served_area_km2"][k] == pytest.approx(mine.sum() * 0.04**2)


def test_bad_inputs_raise(make_scene, make_sites):
    grid, morph, sectors = make_scene(0, n_sites=2, size_m=500.0)
    with pytest.raises(NrplanInputError, match="morphology"):
        predict(grid, morph[:-1], sectors)
    with pytest.raises(NrplanInputError, match="morphology"):
        predict(grid, np.full(grid.shape, 9, np.uint8), sectors)
    with pytest.raises(NrplanInputError, match="load"):
        make_sites([[0, 0]], load=1.5)
    with pytest.raises(NrplanInputError, match="band"):
        predict(grid, morph, make_sites([[0, 0]], band="n999"))
    with pytest.raises(NrplanInputError, match="los_mode"):
        PredictionConfig(los_mode="maybe")


def test_evm_ceiling_by_hand():
    from nrplan.engine.predict import evm_limited_sinr_db

    # 1/SINR' = 1/SINR + EVM^2: EVM 3.5 % -> ceiling -20 log10(0.035) = 29.12 dB;
    # 30 dB -> 1 / (0.001 + 0.001225) = 449.4 -> 26.53 dB; -3 dB barely moves (-3.0027)
    out = evm_limited_sinr_db(np.array([np.inf, 30.0, -3.0, np.nan]), 3.5)
    np.testing.assert_allclose(out[:3], [29.1186, 26.527, -3.0027], atol=1e-3)
    assert np.isnan(out[3])
    x = np.array([52.0])
    assert evm_limited_sinr_db(x, None) is x  # no ceiling: unchanged
    with pytest.raises(NrplanInputError, match="evm_percent"):
        PredictionConfig(evm_percent=0.0)


def _facing_pair(load=0.5, antenna="element"):
    # two single-sector sites 1 km apart on the x axis, facing each other, 25 m, no tilt
    return Sectors(
        site_id=["A", "B"], x=[0.0, 1000.0], y=[0.0, 0.0], height_m=[25.0, 25.0],
        azimuth_deg=[90.0, 270.0], mech_tilt_deg=[0.0, 0.0], elec_tilt_deg=[0.0, 0.0],
        band=["n78", "n78"], power_dbm=[46.0, 46.0], antenna=[antenna, antenna],
        load=[load, load],
    )  # fmt: skip


def test_ss_sinr_two_facing_sites_by_hand():
    from nrplan.radio.pathloss import pathloss

    # one pixel centre at x = 300 m, y = 0 (UMa, UT 1.5 m): served by A (300 m, boresight)
    # and interfered by B (700 m, boresight). Element antenna (TR 38.901 Table 7.3-1):
    # gain 8 - 12 (elev / 65)^2 with elev = atan(23.5 / d) below the horizon.
    grid = Grid(290.0, 10.0, 20.0, 1, 1, "EPSG:32650")
    cfg = PredictionConfig(evm_percent=None)
    pred = predict(grid, 2, _facing_pair(), cfg)
    assert pred.best_server[0, 0] == 0

    def gain(d):
        return 8.0 - 12.0 * (math.degrees(math.atan(23.5 / d)) / 65.0) ** 2

    # 8 - 0.0570 = 7.9430 dBi (A, 4.479 deg); 8 - 0.0105 = 7.9895 dBi (B, 1.923 deg)
    pl_a = float(pathloss("uma", 300.0, 25.0, 1.5, 3.5, "prob"))
    pl_b = float(pathloss("uma", 700.0, 25.0, 1.5, 3.5, "prob"))
    s = 46.0 + gain(300.0) - pl_a  # serving SSB power over the channel [dBm]
    i = 46.0 + gain(700.0) - pl_b  # B's SSB at full load (load 1, not 0.5)
    n = -174.0 + 10.0 * math.log10(12 * 273 * 30e3) + 7.0  # -87.08 dBm (NF_UE 7 dB)
    ss = s - 10.0 * math.log10(10 ** (i / 10) + 10 ** (n / 10))
    assert pred.ss_sinr_db[0, 0] == pytest.approx(ss, abs=SINR_TOL_DB)
    # per RE the same: RSRP_A against RSRP_B and the noise per RE (EPRE = P - 10log10(3276))
    n_re = 10.0 * math.log10(12 * 273)
    per_re = (s - n_re) - 10.0 * math.log10(10 ** ((i - n_re) / 10) + 10 ** ((n - n_re) / 10))
    assert per_re == pytest.approx(ss, abs=1e-9)
    assert pred.rsrp_dbm[0, 0] == pytest.approx(s - n_re, abs=RSRP_TOL_DB)
    # the PDSCH SINR weights B by its load 0.5 (element: same gain for every beam)
    sinr = s - 10.0 * math.log10(0.5 * 10 ** (i / 10) + 10 ** (n / 10))
    assert pred.sinr_db[0, 0] == pytest.approx(sinr, abs=SINR_TOL_DB)
    assert pred.sinr_db[0, 0] > pred.ss_sinr_db[0, 0]
    # with the EVM ceiling (3.5 %): the same 1/SINR + EVM^2 as the PDSCH SINR
    ev = predict(grid, 2, _facing_pair(), PredictionConfig())
    ceil = -10.0 * math.log10(10 ** (-ss / 10) + 0.035**2)
    assert ev.ss_sinr_db[0, 0] == pytest.approx(ceil, abs=SINR_TOL_DB)


def test_ss_sinr_ignores_load_and_pdsch_sinr_does_not(make_scene):
    grid = Grid(0.0, 10.0, 20.0, 1, 50, "EPSG:32650")
    cfg = PredictionConfig(evm_percent=None)
    lo = predict(grid, 2, _facing_pair(load=0.1), cfg)
    hi = predict(grid, 2, _facing_pair(load=1.0), cfg)
    np.testing.assert_allclose(lo.ss_sinr_db, hi.ss_sinr_db, atol=1e-5)
    # near the midpoint interference dominates: 10x less of it, ~10 dB more PDSCH SINR
    assert np.nanmax(lo.sinr_db - hi.sinr_db) > 8.0
    assert np.all(lo.sinr_db >= hi.sinr_db)
    # at load 1 with element beams (SSB = traffic = average) the two SINRs coincide
    np.testing.assert_allclose(hi.sinr_db, hi.ss_sinr_db, atol=1e-4)
    # a random massive-MIMO scene: identical up to the culling bound
    g2, morph, sectors = make_scene(6, n_sites=5, size_m=1500.0, pixel_m=50.0)
    err = PredictionConfig().interference_error_db
    a = predict(g2, morph, sectors.with_load(0.2), cfg)
    b = predict(g2, morph, sectors.with_load(0.9), cfg)
    x, y = _finite_equal(a.ss_sinr_db, b.ss_sinr_db)
    assert np.abs(x - y).max() <= 2 * err + 1e-3
    x, y = _finite_equal(a.sinr_db, b.sinr_db)
    assert np.abs(x - y).max() > 3.0


def test_ss_sinr_only_when_requested():
    grid = Grid(0.0, 10.0, 20.0, 1, 10, "EPSG:32650")
    pred = predict(grid, 2, _facing_pair(), PredictionConfig(), outputs=("sinr_db",))
    assert pred.ss_sinr_db is None and pred.sinr_db is not None
    assert pred.meta["sinr_truncation_bound_outputs"] == ["sinr_db"]
    full = predict(grid, 2, _facing_pair(), PredictionConfig())
    np.testing.assert_array_equal(pred.sinr_db, full.sinr_db)
    assert "ss_sinr_db" in full.summary()


def test_engine_uses_64t64r_gain_less_implementation_loss():
    from nrplan.engine.model import build_model
    from nrplan.radio.pathloss import pathloss

    # The engine's traffic-beam peak for 64T64R: 8 + 10 log10(96) = 27.82 dBi model,
    # less the 2.8 dB implementation loss = 25.02 dBi.
    sec = _facing_pair(antenna="64t64r").subset([0])
    grid = Grid(490.0, 10.0, 20.0, 1, 1, "EPSG:32650")
    m = build_model(grid, 2, sec, PredictionConfig())
    assert m.s_pat[0, 1, 0] == pytest.approx(27.82 - 2.8, abs=1e-9)
    assert m.s_pat[0, 2, 0] == pytest.approx(12.65 - 2.8, abs=1e-9)  # average beam
    # a pixel 500 m east seen on the element's boresight: mechanical tilt = the depression
    # angle atan(23.5/500) = 2.691 deg, so theta' = 90, phi' = 0 and the traffic beam (steered
    # at the user, scan +-12 / +-60 deg) has its peak gain: S = P + 25.02 - PL
    tilt = math.degrees(math.atan(23.5 / 500.0))
    object.__setattr__(sec, "mech_tilt_deg", np.array([tilt]))
    pred = predict(grid, 2, sec, PredictionConfig())
    pl = float(pathloss("uma", 500.0, 25.0, 1.5, 3.5, "prob"))
    assert pred.signal_dbm[0, 0] == pytest.approx(46.0 + 25.02 - pl, abs=RSRP_TOL_DB)
