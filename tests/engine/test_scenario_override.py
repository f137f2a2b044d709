"""PredictionConfig scenario overrides and path-loss parameters (InF halls), omni antenna."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors, predict, predict_reference
from nrplan.engine.lookup import ROW_EXPECTED, ROW_PLOS, pl_table
from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.radio.antenna import OMNI_GAIN_DBI, sector_gain
from nrplan.radio.los import los_probability
from nrplan.radio.pathloss import pathloss

INF_DH = {"r_clutter": 0.6, "h_clutter": 6.0, "d_clutter": 2.0, "ceiling_m": 10.0}


def _hall(n: int = 2):
    grid = Grid(0.0, 100.0, 2.0, 50, 100, "EPSG:32651")
    xs = np.linspace(40.0, 160.0, n)
    one = np.ones(n)
    sec = Sectors(
        site_id=[f"u{i}" for i in range(n)], x=xs, y=50.0 * one, height_m=8.0 * one,
        azimuth_deg=0.0 * one, mech_tilt_deg=0.0 * one, elec_tilt_deg=0.0 * one,
        band=["n79"] * n, power_dbm=30.0 * one, antenna=["omni"] * n, load=0.5,
    )  # fmt: skip
    return grid, sec


def test_defaults_unchanged_and_recorded():
    cfg = PredictionConfig()
    assert cfg.scenarios is None and cfg.pathloss_params is None
    s = cfg.settings()
    assert s["scenarios"] is None and s["pathloss_params"] is None
    hash(cfg)


def test_validation_and_hashable_copyable():
    cfg = PredictionConfig(scenarios={2: "INF-DH"}, pathloss_params=INF_DH)
    assert cfg.scenarios == {2: "inf-dh"}
    assert cfg.settings()["scenarios"] == {"2": "inf-dh"}
    assert cfg.settings()["pathloss_params"]["r_clutter"] == 0.6
    assert pickle.loads(pickle.dumps(cfg)) == cfg and hash(cfg) == hash(
        PredictionConfig(scenarios={2: "inf-dh"}, pathloss_params=INF_DH)
    )
    with pytest.raises(TypeError):
        cfg.scenarios[3] = "uma"
    with pytest.raises(NrplanInputError, match="inf-dh"):
        PredictionConfig(scenarios={2: "inf-xx"})
    with pytest.raises(NrplanInputError, match="morphology codes"):
        PredictionConfig(scenarios={7: "uma"})
    with pytest.raises(NrplanInputError, match="r_clutter"):
        PredictionConfig(pathloss_params={"clutter": 0.5})
    with pytest.raises(NrplanInputError, match="finite"):
        PredictionConfig(pathloss_params={"h": float("nan")})


def test_table_cache_key_includes_params():
    a = pl_table("inf-dh", 8.0, 1.5, 4.85, 1000.0, 4096)
    b = pl_table("inf-dh", 8.0, 1.5, 4.85, 1000.0, 4096, (("r_clutter", 0.6),))
    c = pl_table("inf-dh", 8.0, 1.5, 4.85, 1000.0, 4096, (("r_clutter", 0.3),))
    assert a is not b and b is not c
    assert not np.allclose(b.values[ROW_PLOS], c.values[ROW_PLOS])
    d = np.array([5.0, 20.0, 80.0])
    p_b = los_probability("inf-dh", d, 1.5, h_bs=8.0, r_clutter=0.6)
    p_c = los_probability("inf-dh", d, 1.5, h_bs=8.0, r_clutter=0.3)
    np.testing.assert_allclose(b.lookup(d, ROW_PLOS), p_b, atol=1e-6)
    np.testing.assert_allclose(c.lookup(d, ROW_PLOS), p_c, atol=1e-6)


def test_omni_profile_is_flat():
    th = np.linspace(0.0, 180.0, 37)[:, None]
    ph = np.linspace(-180.0, 180.0, 73)[None, :]
    for beam in ("ssb", "traffic", "average"):
        assert np.all(sector_gain("omni", th, ph, beam, 6.0) == OMNI_GAIN_DBI)


@pytest.mark.parametrize("fn", [predict, predict_reference])
def test_override_predicts_the_inf_path_loss(fn):
    grid, sec = _hall(1)
    cfg = PredictionConfig(h_ut_m=1.5, scenarios={2: "inf-dh"}, pathloss_params=INF_DH)
    pred = fn(grid, 2, sec, cfg, outputs=("signal_dbm", "best_server"))
    assert pred.meta["settings"]["scenarios"] == {"2": "inf-dh"}
    xs, ys = grid.centers()
    d = np.hypot(xs - 40.0, ys - 50.0)
    want = (
        30.0
        + OMNI_GAIN_DBI
        - pathloss(
            "inf-dh", np.maximum(d, 1.0), 8.0, 1.5, 4.85, los="prob", extrapolate=True, **INF_DH
        )
    )
    assert np.abs(pred.signal_dbm - want).max() < 0.01
    # without the override the pixel class is the morphology's own (UMa for code 2)
    plain = fn(grid, 2, sec, PredictionConfig(h_ut_m=1.5), outputs=("signal_dbm",))
    assert np.abs(plain.signal_dbm - want).max() > 1.0


def test_override_only_touches_the_given_code():
    grid, sec = _hall(2)
    morph = np.full(grid.shape, 2, np.uint8)
    morph[:, 50:] = 3
    base = predict(grid, morph, sec, PredictionConfig(), outputs=("sinr_db",))
    over = predict(
        grid, morph, sec, PredictionConfig(scenarios={2: "inf-sl"}), outputs=("sinr_db",)
    )
    assert np.array_equal(base.sinr_db[:, 60:], over.sinr_db[:, 60:])
    assert not np.allclose(base.sinr_db[:, :40], over.sinr_db[:, :40])
    tab = pl_table("inf-sl", 8.0, 1.5, 4.85, 1000.0, 4096)
    assert np.isfinite(tab.values[ROW_EXPECTED]).all()
