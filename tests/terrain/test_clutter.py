"""Clutter mappings (TOML, WorldCover default), P.2108-1 terminal loss by hand,
and a clutter map that matches the morphology giving today's prediction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.terrain import TerrainFiles, prepare_terrain
from nrplan.terrain.clutter import (
    apply_clutter,
    obstacle_heights,
    p2108_terminal_loss_db,
    read_clutter_mapping,
)


def test_default_worldcover_mapping():
    m = read_clutter_mapping()
    # ESA WorldCover v200 legend codes
    assert sorted(m.classes) == [10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100]
    assert m.classes[50].morphology == 2  # built-up -> urban
    assert {m.classes[c].morphology for c in m.classes if c != 50} == {4}  # rural
    assert m.classes[10].clutter_height_m == 15.0 and m.classes[10].terminal_loss


def test_p2108_terminal_loss_by_hand():
    # trees, f = 2 GHz, h = 1.5 m, R = 15 m (P.2108-1 3.1 eq. 2a):
    # h_dif = 13.5, theta = atan(13.5/27) = 26.565 deg, K_nu = 0.342 sqrt(2) = 0.48366,
    # nu = 0.48366 sqrt(13.5 * 26.565) = 9.1593, J = 6.9 + 20 log10(9.1143 + 9.0593) = 32.089,
    # A_h = 32.089 - 6.03 = 26.059 dB
    assert p2108_terminal_loss_db(2.0, 1.5, 15.0, "trees") == pytest.approx(26.059, abs=2e-3)
    # open, f = 2 GHz, h = 1.5 m, R = 10 m (eq. 2b): K_h2 = 21.8 + 6.2 log10(2) = 23.666,
    # A_h = -23.666 log10(0.15) = 19.499 dB
    assert p2108_terminal_loss_db(2.0, 1.5, 10.0, "open") == pytest.approx(19.499, abs=2e-3)
    # above 3 GHz the 3 GHz value; at or above the clutter: 0
    assert p2108_terminal_loss_db(3.5, 1.5, 15.0, "urban") == p2108_terminal_loss_db(
        3.0, 1.5, 15.0, "urban"
    )
    assert p2108_terminal_loss_db(2.0, 20.0, 15.0, "trees") == 0.0
    assert math.isfinite(p2108_terminal_loss_db(0.7, 1.5, 20.0, "dense_urban"))


def test_apply_clutter_and_terminal_loss():
    m = read_clutter_mapping()
    classes = np.array([[10, 50], [80, -1]])
    morph = np.array([[2, 2], [2, 0]], np.uint8)
    out, h, loss = apply_clutter(classes, m, morph, terminal_loss=True, f_ghz=2.0, h_ut_m=1.5)
    assert out.tolist() == [[4, 2], [4, 0]]
    assert h.tolist() == [[15.0, 15.0], [10.0, 0.0]]
    assert loss[0, 0] == pytest.approx(26.059, abs=2e-3) and loss[0, 1] == 0.0
    with pytest.raises(NrplanInputError, match="clutter=33"):
        apply_clutter(np.array([[33]]), m, np.array([[2]], np.uint8))


def test_obstacle_heights_keep_only_the_excess():
    g = np.array([100.0, 100.0, 100.0])
    s = np.array([110.0, 140.0, 100.0])
    # R = 15: 10 m of trees stays within the clutter, a 40 m block rises 25 m above it
    assert obstacle_heights(g, s, np.full(3, 15.0)).tolist() == [100.0, 125.0, 100.0]


def test_mapping_errors(tmp_path):
    p = tmp_path / "m.toml"
    p.write_text('[classes.1]\nmorphology = "downtown"\n')
    with pytest.raises(NrplanInputError):
        read_clutter_mapping(p)
    p.write_text('[classes.1]\nmorphology = "urban"\nclutter_height_m = -3\n')
    with pytest.raises(NrplanInputError, match="clutter_height_m"):
        read_clutter_mapping(p)
    p.write_text("scheme = 'x'\n")
    with pytest.raises(NrplanInputError, match="classes"):
        read_clutter_mapping(p)


def test_clutter_matching_morphology_gives_todays_prediction(tmp_path, tif):
    """A user's class raster (codes 1, 2, 3 mapped to urban, suburban, rural by a
    TOML) drawn exactly where today's morphology has those classes: the same
    prediction, bit for bit."""
    grid = Grid(0.0, 2000.0, 40.0, 50, 50, "EPSG:32650")
    rng = np.random.default_rng(5)
    morph = rng.choice(np.array([2, 3, 4], np.uint8), size=grid.shape)
    morph[:3] = 0
    codes = {2: 1, 3: 2, 4: 3}
    raster = np.vectorize(codes.get)(np.where(morph == 0, 2, morph)).astype(np.uint8)
    path = tif(tmp_path / "lc.tif", raster, x0=0.0, y0=2000.0, res=40.0)
    mp = tmp_path / "map.toml"
    mp.write_text(
        "\n".join(
            f'[classes.{c}]\nmorphology = "{n}"\n'
            for c, n in ((1, "urban"), (2, "suburban"), (3, "rural"))
        )
    )
    base = np.where(morph == 0, 0, 2).astype(np.uint8)  # today's default class everywhere
    terrain, m2, recs = prepare_terrain(
        grid, base, TerrainFiles.from_options(clutter=path, clutter_map=mp)
    )
    assert np.array_equal(m2, morph) and recs[0]["kind"] == "clutter"
    xy = rng.uniform(300, 1700, (4, 2))
    sec = Sectors(
        site_id=np.repeat(["A", "B", "C", "D"], 3), x=np.repeat(xy[:, 0], 3),
        y=np.repeat(xy[:, 1], 3), height_m=np.full(12, 30.0),
        azimuth_deg=np.tile([0.0, 120.0, 240.0], 4), mech_tilt_deg=np.full(12, 3.0),
        elec_tilt_deg=np.full(12, 6.0), band=np.full(12, "n78"), power_dbm=np.full(12, 53.0),
        antenna=np.full(12, "64t64r"), load=np.full(12, 0.5),
    )  # fmt: skip
    a = predict(grid, morph, sec, PredictionConfig(seed=1))
    b = predict(grid, m2, sec, PredictionConfig(seed=1), terrain=terrain)
    for k in ("best_server", "rsrp_dbm", "sinr_db", "dl_mbps", "coverage_prob"):
        assert np.array_equal(getattr(a, k), getattr(b, k), equal_nan=True), k
