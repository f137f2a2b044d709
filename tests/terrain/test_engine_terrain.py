"""Terrain in the engine: flat / plateau DEMs are exact no-ops, a ridge follows
P.526-15 J(nu), culling stays exact with terrain gains, terminal loss shifts RSRP."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.engine.model import build_model
from nrplan.engine.terrain import TERRAIN_TABLE_ROWS, build_terrain_fields
from nrplan.grid import Grid
from nrplan.radio.pathloss import pathloss
from nrplan.terrain import Terrain
from nrplan.terrain.diffraction import EFFECTIVE_EARTH_RADIUS_M, SPEED_OF_LIGHT, knife_edge_db

KEYS = ("best_server", "rsrp_dbm", "margin_db", "sinr_db", "ss_sinr_db", "dl_mbps",
        "ul_mbps", "n_servers_within", "coverage_prob")  # fmt: skip


def _sites(xy, height=30.0, az=(0.0, 120.0, 240.0)):
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n, k = len(xy), len(az)
    return Sectors(
        site_id=np.repeat([f"S{i}" for i in range(n)], k), x=np.repeat(xy[:, 0], k),
        y=np.repeat(xy[:, 1], k), height_m=np.full(k * n, height),
        azimuth_deg=np.tile(az, n), mech_tilt_deg=np.full(k * n, 3.0),
        elec_tilt_deg=np.full(k * n, 6.0), band=np.full(k * n, "n78"),
        power_dbm=np.full(k * n, 53.0), antenna=np.full(k * n, "64t64r"),
        load=np.full(k * n, 0.5),
    )  # fmt: skip


@pytest.fixture(scope="module")
def scene():
    rng = np.random.default_rng(3)
    grid = Grid(0.0, 2400.0, 40.0, 60, 60, "EPSG:32650")
    morph = rng.choice(np.array([0, 2, 3, 4], np.uint8), size=grid.shape, p=[0.1, 0.4, 0.3, 0.2])
    return grid, morph, _sites(rng.uniform(200, 2200, (5, 2)))


def _same(a, b):
    for k in KEYS:
        x, y = getattr(a, k), getattr(b, k)
        assert np.array_equal(x, y, equal_nan=True), k
    for k, v in a.sector_stats.items():
        assert np.array_equal(v, b.sector_stats[k]), k


@pytest.mark.parametrize(
    "cfg",
    [
        PredictionConfig(seed=2),
        PredictionConfig(seed=2, los_mode="sampled"),
        PredictionConfig(seed=2, shadowing="sampled", shadow_radius_m=800.0),
    ],
    ids=["expected", "sampled-los", "sampled-shadowing"],
)
@pytest.mark.parametrize("height", [0.0, 500.0])
def test_flat_and_plateau_dem_give_the_flat_prediction(scene, cfg, height):
    """Heights are relative to the mast's ground: a flat DEM and a 500 m plateau
    give exactly (bit for bit) the prediction without terrain."""
    grid, morph, sec = scene
    flat = predict(grid, morph, sec, cfg)
    ter = predict(grid, morph, sec, cfg, terrain=Terrain(np.full(grid.shape, height)))
    _same(flat, ter)
    # the window radius actually used is recorded (links beyond it are flat)
    meta = ter.meta["terrain"]
    assert meta["window_radius_m"] >= (800.0 if cfg.shadowing == "sampled" else grid.pixel_m)
    assert meta["window_bytes"] > 0


def test_ridge_loss_follows_knife_edge():
    """A one-pixel ridge between a site and a row of receivers on the site's row:
    every profile sample falls on a pixel centre, the ridge is the only obstacle,
    so the adjustment is L_b(J(nu)) (P.526-15 4.1 eq. 31, 4.5) plus, where the
    ridge is above the direct ray (nu > 0), the switch from the expected to the
    NLOS TR 38.901 path loss."""
    pix = 10.0
    n = 240
    grid = Grid(0.0, pix, pix, 1, n, "EPSG:32650")
    ridge_col, h_ridge = 50, 20.0
    z = np.zeros(grid.shape)
    z[0, ridge_col] = h_ridge
    cfg = PredictionConfig(seed=1, h_ut_m=1.5)
    sec = _sites([[0.5 * pix, 0.5 * pix]], az=(90.0,))  # the centre of pixel (0, 0)
    model = build_model(grid, 4, sec, cfg, table_rows=TERRAIN_TABLE_ROWS)
    fields = build_terrain_fields(model, Terrain(z, radius_m=3000.0, max_samples=n), None)
    off, r0, c0, nr, nc = fields.g_fld[0]
    assert (r0, c0, nr, nc) == (0, 0, 1, n)
    win = fields.values[off : off + nc]
    lam = SPEED_OF_LIGHT / (model.bands[0].f_c_ghz * 1e9)
    h_ts, h_rs = 30.0, 1.5
    d1 = ridge_col * pix
    nus, got, want = [], [], []
    for c in range(ridge_col + 1, n):
        d = c * pix
        d2 = d - d1
        # the ridge's clearance above the ray between the antenna tips, with the bulge
        h = h_ridge + d1 * d2 / (2 * EFFECTIVE_EARTH_RADIUS_M) - (h_ts * d2 + h_rs * d1) / d
        nu = h * math.sqrt(2 * d / (lam * d1 * d2))
        j = knife_edge_db(nu)
        lb = j + (1 - math.exp(-j / 6)) * (10 + 0.02 * d / 1e3)
        if nu > 0:
            args = ("rma", d, h_ts, h_rs, model.bands[0].f_c_ghz)
            lb += float(pathloss(*args, los="nlos") - pathloss(*args, los="prob"))
        nus.append(nu)
        got.append(float(win[c]))
        want.append(lb)
    nus = np.array(nus)
    # the row spans clear, partly obstructed (-0.78 < nu < 0) and shadowed receivers
    assert (nus < -0.78).any() and ((nus > -0.78) & (nus < 0)).any() and (nus > 1).any()
    np.testing.assert_allclose(got, want, atol=0.02)
    # pixels before the ridge see nothing of it
    assert np.all(win[:ridge_col] == 0.0)
    # and predict applies it: RSRP drops by the adjustment behind the ridge
    flat = predict(grid, 4, sec, cfg, outputs=("rsrp_dbm",))
    ter = predict(
        grid, 4, sec, cfg, outputs=("rsrp_dbm",),
        terrain=Terrain(z, radius_m=3000.0, max_samples=n),
    )  # fmt: skip
    drop = (flat.rsrp_dbm - ter.rsrp_dbm)[0, ridge_col + 1 :]
    np.testing.assert_allclose(drop, got, atol=2e-3)


@pytest.mark.parametrize("los_mode", ["expected", "sampled"])
def test_culling_exact_with_a_mast_on_a_hill(los_mode):
    """A mast on a 120 m hill over rolling ground, and a terminal loss on part of
    the grid: the terrain gains (negative adjustments, effective height), the
    terrain height differences in the antenna angles and the per-pixel loss
    must not break the culling: the kernel equals the exhaustive reference."""
    from nrplan.engine.reference import predict_reference

    grid = Grid(0.0, 3000.0, 50.0, 60, 60, "EPSG:32650")
    yy, xx = np.mgrid[0:60, 0:60]
    z = 120.0 * np.exp(-((xx - 12) ** 2 + (yy - 12) ** 2) / 30.0) + 15 * np.sin(xx / 5.0)
    xy = np.array([[625.0, 2375.0], [1500.0, 1500.0], [2500.0, 600.0], [2600.0, 2500.0],
                   [900.0, 700.0]])  # fmt: skip
    sec = _sites(xy)
    morph = np.full(grid.shape, 4, np.uint8)
    morph[30:, 30:] = 2
    loss = np.where(xx + yy > 70, 12.0, 0.0)
    cfg = PredictionConfig(seed=4, los_mode=los_mode)
    terrain = Terrain(z, terminal_loss_db=loss, radius_m=2000.0)
    model = build_model(grid, morph, sec, cfg, table_rows=TERRAIN_TABLE_ROWS)
    fields = build_terrain_fields(model, terrain, None)
    assert fields.g_max_gain.max() > 1.0  # some links gain from the hill
    want = predict_reference(grid, morph, sec, cfg, terrain=terrain)
    got = predict(grid, morph, sec, cfg, terrain=terrain)
    assert np.array_equal(got.best_server, want.best_server)
    np.testing.assert_allclose(got.rsrp_dbm, want.rsrp_dbm, atol=0.02)
    np.testing.assert_allclose(got.sinr_db, want.sinr_db, atol=0.1 + 0.05)
    np.testing.assert_allclose(got.ss_sinr_db, want.ss_sinr_db, atol=0.1 + 0.05)
    # and the terrain matters here (a flat DEM of the same scene differs by > 3 dB)
    flat_angles = predict(grid, morph, sec, cfg, terrain=Terrain(np.zeros(grid.shape)))
    assert np.nanmax(np.abs(got.rsrp_dbm - flat_angles.rsrp_dbm)) > 3.0


def test_terminal_loss_shifts_every_link(scene):
    """A per-pixel terminal loss L is added to every link of the pixel: RSRP and
    signal drop by L, the best server does not change."""
    grid, morph, sec = scene
    cfg = PredictionConfig(seed=2)
    loss = np.where(np.arange(grid.ncols)[None, :] < 30, 6.0, 0.0) * np.ones(grid.shape)
    flat = predict(grid, morph, sec, cfg)
    ter = predict(grid, morph, sec, cfg, terrain=Terrain(None, terminal_loss_db=loss))
    assert np.array_equal(flat.best_server, ter.best_server)
    ok = np.isfinite(flat.rsrp_dbm)
    np.testing.assert_allclose((flat.rsrp_dbm - ter.rsrp_dbm)[ok], loss[ok], atol=1e-3)
    np.testing.assert_allclose((flat.signal_dbm - ter.signal_dbm)[ok], loss[ok], atol=1e-3)


def test_mast_on_a_mesa_gets_the_effective_height():
    """A 30 m mast on a 50 m mesa over a plain: the receivers see it 80 m above
    their ground (effective height h_BS + z_BS - z_UT), the mesa's edge is far
    below the ray (no diffraction), so the adjustment is the TR 38.901 RMa
    expected path loss at 80 m minus that at 30 m (a gain: negative)."""
    pix = 10.0
    n = 200
    grid = Grid(0.0, pix, pix, 1, n, "EPSG:32650")
    z = np.zeros(grid.shape)
    z[0, :3] = 50.0
    cfg = PredictionConfig(seed=1, h_ut_m=1.5)
    sec = _sites([[0.5 * pix, 0.5 * pix]], az=(90.0,))
    model = build_model(grid, 4, sec, cfg, table_rows=TERRAIN_TABLE_ROWS)
    fields = build_terrain_fields(model, Terrain(z, radius_m=3000.0, max_samples=n), None)
    win = fields.values[:n]
    f = model.bands[0].f_c_ghz
    d = np.arange(20, n) * pix
    want = pathloss("rma", d, 80.0, 1.5, f, los="prob")
    want = want - pathloss("rma", d, 30.0, 1.5, f, los="prob")
    assert (want < -1.0).all()
    np.testing.assert_allclose(win[20:], want, atol=0.05)
    # culling bound: the largest gain of the window
    assert fields.g_max_gain[0] >= -float(win.min()) > 9.0


def test_terrain_nlos_overrides_the_los_draw():
    """Behind a ridge (the ridge above the direct ray) every link is NLOS: the
    expected-path-loss mode and the sampled-LOS mode (whatever each pixel drew)
    predict the same RSRP there; in front of the ridge they differ by the draw."""
    pix = 10.0
    n = 240
    grid = Grid(0.0, 3 * pix, pix, 3, n, "EPSG:32650")
    z = np.zeros(grid.shape)
    z[:, 50] = 20.0
    sec = _sites([[0.5 * pix, 1.5 * pix]], az=(90.0,))
    ter = Terrain(z, radius_m=3000.0, max_samples=n)
    out = {}
    for mode in ("expected", "sampled"):
        cfg = PredictionConfig(seed=3, h_ut_m=1.5, los_mode=mode)
        out[mode] = predict(grid, 4, sec, cfg, outputs=("rsrp_dbm",), terrain=ter).rsrp_dbm[1]
    # the middle row's ridge is above the ray (30 m mast to 1.5 m UT) up to about 1.4 km
    behind = slice(52, 130)
    np.testing.assert_allclose(out["expected"][behind], out["sampled"][behind], atol=2e-3)
    assert np.abs(out["expected"][5:45] - out["sampled"][5:45]).max() > 1.0
