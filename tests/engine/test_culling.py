"""The culling bounds hold pixel by pixel against the exhaustive float64 sums."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.engine import PredictionConfig, Sectors
from nrplan.engine.culling import culling_arrays, group_bounds
from nrplan.engine.model import build_model
from nrplan.grid import Grid
from nrplan.radio.antenna import local_angles, parametric_pattern
from nrplan.radio.pathloss import pathloss


def _scene(seed):
    # mixed antennas and heights, mechanical up- and downtilts, electrical tilts
    rng = np.random.default_rng(seed)
    n = 12
    ant = rng.choice(["64t64r", "32t32r", "8t8r", "4t4r", "element", "calibration"], n)
    sec = Sectors(
        site_id=[f"S{i}" for i in range(n)], x=rng.uniform(0, 3000, n), y=rng.uniform(0, 3000, n),
        height_m=rng.choice([10.0, 15.0, 25.0, 40.0], n), azimuth_deg=rng.uniform(0, 360, n),
        mech_tilt_deg=rng.uniform(-3.0, 12.0, n), elec_tilt_deg=rng.uniform(-2.0, 12.0, n),
        band=np.full(n, "n78"), power_dbm=rng.uniform(40.0, 53.0, n), antenna=ant,
        load=rng.uniform(0.1, 1.0, n),
    )  # fmt: skip
    grid = Grid(-500.0, 3500.0, 50.0, 80, 80, "EPSG:32650")
    morph = rng.choice(np.array([1, 2, 3, 4], dtype=np.uint8), size=grid.shape)
    return grid, morph, sec


@pytest.mark.parametrize(("seed", "h_ut"), [(0, None), (1, None), (2, 20.0)])
def test_group_bounds_bound_every_pixel_of_the_tile(seed, h_ut):
    grid, morph, sec = _scene(seed)
    if h_ut is not None:  # UTs above some masts (urban morphology, UMa/UMi up to 22.5 m)
        morph = np.where(morph > 0, 2, 0).astype(np.uint8)
    m = build_model(grid, morph, sec, PredictionConfig(h_ut_m=h_ut))
    cull = culling_arrays(m)
    ng = m.n_groups
    tp = 8
    x_first = grid.x0 + 0.5 * grid.pixel_m
    y_first = grid.y0 - 0.5 * grid.pixel_m
    checked = 0
    tight = 0.0
    for r0 in range(0, grid.nrows, tp * 3):
        for c0 in range(0, grid.ncols, tp * 3):
            rows, cols = np.mgrid[r0 : r0 + tp, c0 : c0 + tp]
            rows, cols = rows.ravel(), cols.ravel()
            cls = m.cls[rows, cols].astype(np.int64)
            present = np.unique(cls)
            xa = x_first + c0 * grid.pixel_m
            ya = y_first - r0 * grid.pixel_m
            xb = xa + (tp - 1) * grid.pixel_m
            yb = ya - (tp - 1) * grid.pixel_m
            serve_ub, intf_ub, ss_ub = np.empty(ng), np.empty(ng), np.empty(ng)
            group_bounds(
                xa, xb, ya, yb, present, m.cls_hut, m.g_x, m.g_y, m.g_h, m.g_tab, m.g_sec0,
                m.g_sec1, m.tab_dmin, m.tab_s0, m.tab_inv_ds, cull.plmin, cull.shadow_gain,
                cull.s_az_deg, cull.s_c, cull.s_tilt, m.s_pat, m.s_epre, m.s_ptot, m.s_load,
                serve_ub, intf_ub, ss_ub,
            )  # fmt: skip
            xs = x_first + cols * grid.pixel_m
            ys = y_first - rows * grid.pixel_m
            for g in range(ng):
                dx, dy = xs - m.g_x[g], ys - m.g_y[g]
                d = np.hypot(dx, dy)
                dz = m.cls_hut[cls] - m.g_h[g]
                pl = np.empty(d.size)
                for c in present:
                    sel = cls == c
                    t = m.tables[m.g_tab[g, c]]
                    pl[sel] = pathloss(
                        m.cls_scenario[c], np.maximum(d[sel], t.d_min), m.g_h[g], m.cls_hut[c],
                        m.bands[m.g_band[g]].f_c_ghz, "prob", extrapolate=True,
                    )  # fmt: skip
                rsrp = np.full(d.size, -np.inf)
                i_pd = np.zeros(d.size)
                i_ss = np.zeros(d.size)
                for k in range(m.g_sec0[g], m.g_sec1[g]):
                    o = m.order[k]
                    th, ph = local_angles(dx, dy, dz, sec.azimuth_deg[o], sec.mech_tilt_deg[o])
                    gs, ga = (
                        parametric_pattern(th, ph, tuple(m.s_pat[k, b]), m.s_etilt[k])
                        for b in (0, 2)
                    )
                    rsrp = np.maximum(rsrp, m.s_epre[k] + gs - pl)
                    i_pd += m.s_load[k] * 10.0 ** ((m.s_ptot[k] + ga - pl) / 10.0)
                    i_ss += 10.0 ** ((m.s_ptot[k] + gs - pl) / 10.0)
                # 1e-3 dB: path-loss table resolution against the direct formula
                assert rsrp.max() <= serve_ub[g] + 1e-3
                assert i_pd.max() <= intf_ub[g] * 10**1e-4
                assert i_ss.max() <= ss_ub[g] * 10**1e-4
                tight = max(tight, i_ss.max() / ss_ub[g])
                checked += 1
    assert checked > 100
    assert tight > 0.3  # not vacuous: some bound within 5 dB of the true maximum
