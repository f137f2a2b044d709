"""Tuned path-loss corrections folded into the engine's tables (``PredictionConfig``)."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.engine.lookup import ROW_EXPECTED, ROW_PLOS
from nrplan.engine.model import build_model
from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.measure.points import point_rsrp

CRS = "EPSG:32650"


def _one_sector(x=0.0, y=0.0, az=90.0) -> Sectors:
    return Sectors(
        site_id=["A"],
        x=[x],
        y=[y],
        height_m=[25.0],
        azimuth_deg=[az],
        mech_tilt_deg=[2.0],
        elec_tilt_deg=[6.0],
        band=["n78"],
        power_dbm=[53.0],
        antenna=["64t64r"],
        load=[0.5],
    )


def test_default_is_none_and_zero_corrections_are_dropped():
    assert PredictionConfig().pathloss_corrections is None
    # an all-zero correction is no correction: the same (hashable) config as the default
    cfg = PredictionConfig(pathloss_corrections={2: (0.0, 0.0)})
    assert cfg.pathloss_corrections is None and cfg == PredictionConfig()
    tuned = PredictionConfig(pathloss_corrections={2: (3.0, -2.0)})
    assert hash(tuned) != hash(PredictionConfig()) and tuned.pathloss_corrections[2] == (3.0, -2.0)
    assert tuned.settings()["pathloss_corrections"] == {"2": (3.0, -2.0)}


@pytest.mark.parametrize(
    "corr",
    [{9: (1.0, 0.0)}, {2: (101.0, 0.0)}, {2: (0.0, -20.5)}, {2: (float("nan"), 0.0)}, {2: 1.0}],
)
def test_bad_corrections_are_refused(corr):
    with pytest.raises(NrplanInputError):
        PredictionConfig(pathloss_corrections=corr)


def test_table_gets_a_plus_b_log10_d_at_every_node():
    grid = Grid(0.0, 1000.0, 100.0, 10, 10, CRS)
    morph = np.full(grid.shape, 2, np.uint8)  # urban (UMa)
    morph[0, 0] = 3  # suburban: UMa too, same table unless corrected
    base = build_model(grid, morph, _one_sector(), PredictionConfig())
    assert len(base.tables) == 1  # urban and suburban share (UMa, h_UT 1.5 m)
    cfg = PredictionConfig(pathloss_corrections={2: (3.0, -2.0)})
    m = build_model(grid, morph, _one_sector(), cfg)
    assert len(m.tables) == 2  # the corrected class gets its own table
    c_urban = int(m.cls[5, 5])
    c_sub = int(m.cls[0, 0])
    t_u = m.tables[m.g_tab[0, c_urban]]
    t_s = m.tables[m.g_tab[0, c_sub]]
    t0 = base.tables[0]
    # by hand: at d = 100 m, a + b log10(100) = 3 - 2 * 2 = -1 dB; at 1000 m: 3 - 6 = -3 dB
    for d, want in ((100.0, -1.0), (1000.0, -3.0)):
        got = float(t_u.lookup(d) - t0.lookup(d))
        assert got == pytest.approx(want, abs=2e-3)
        assert float(t_s.lookup(d) - t0.lookup(d)) == 0.0
    # the LOS probability row is untouched
    assert np.array_equal(t_u.values[ROW_PLOS], t0.values[ROW_PLOS])
    assert np.all(t_u.pl_min_beyond <= t_u.values[ROW_EXPECTED] + 1e-6)


def test_engine_rsrp_moves_by_the_correction_and_points_agree_with_the_raster():
    grid = Grid(-600.0, 600.0, 40.0, 30, 30, CRS)
    morph = np.full(grid.shape, 2, np.uint8)
    sec = _one_sector()
    a, b = 4.0, -1.5
    outs = ("rsrp_dbm", "best_server")
    p0 = predict(grid, morph, sec, PredictionConfig(), outputs=outs)
    p1 = predict(grid, morph, sec, PredictionConfig(pathloss_corrections={2: (a, b)}), outputs=outs)
    rows, cols = np.nonzero(np.isfinite(p0.rsrp_dbm) & np.isfinite(p1.rsrp_dbm))
    x = grid.x0 + (cols + 0.5) * grid.pixel_m
    y = grid.y0 - (rows + 0.5) * grid.pixel_m
    d = np.maximum(np.hypot(x, y), 10.0)  # UMa tables start at d_2D = 10 m
    diff = p1.rsrp_dbm[rows, cols].astype(float) - p0.rsrp_dbm[rows, cols]
    np.testing.assert_allclose(diff, -(a + b * np.log10(d)), atol=0.01)
    # the point evaluator is the kernel's serving-link formula: < 0.01 dB from the raster
    for cfg, pred in (
        (PredictionConfig(), p0),
        (PredictionConfig(pathloss_corrections={2: (a, b)}), p1),
    ):
        pts = point_rsrp(sec, CRS, x, y, np.zeros(x.size, int), np.full(x.size, 2), cfg)
        np.testing.assert_allclose(pts, pred.rsrp_dbm[rows, cols], atol=0.01)
