"""Plain-NumPy exhaustive reference of the prediction engine (for tests).

Every (pixel, sector) pair is evaluated in float64 with the radio core's own
functions (``pathloss``, ``los_probability``, ``local_angles``,
``parametric_pattern``): no look-up tables, no culling, no compiled code, no
polynomial arctangent. The fast engine (:func:`nrplan.engine.predict`) must
agree with it to < 0.01 dB on RSRP and < 0.05 dB on both SINRs (PDSCH
``sinr_db`` and full-load SS ``ss_sinr_db``, see :mod:`nrplan.engine.predict`).
Memory is O(sectors x pixels): small scenes only.

References
----------
As :mod:`nrplan.engine.predict`.
"""

from __future__ import annotations

import numpy as np

from nrplan.engine.config import PredictionConfig
from nrplan.engine.culling import culling_arrays
from nrplan.engine.model import build_model, build_shadowing
from nrplan.engine.predict import (
    Prediction,
    _Aggregator,
    _allocate,
    _check_outputs,
    _demand_arrays,
    finish_pixels,
)
from nrplan.engine.sectors import Sectors
from nrplan.engine.terrain import TERRAIN_TABLE_ROWS, build_terrain_fields, terrain_heights
from nrplan.grid import Grid
from nrplan.radio.antenna import local_angles, parametric_pattern
from nrplan.radio.los import los_probability
from nrplan.radio.pathloss import pathloss

__all__ = ["hash_uniform_np", "predict_reference"]


def hash_uniform_np(key, a, b, c) -> np.ndarray:
    """NumPy twin of :func:`nrplan.engine.kernels.hash_uniform` (SplitMix64)."""
    u64 = np.uint64
    with np.errstate(over="ignore"):
        z = (
            u64(key)
            + np.asarray(a).astype(u64) * u64(0x9E3779B97F4A7C15)
            + np.asarray(b).astype(u64) * u64(0xC2B2AE3D27D4EB4F)
            + np.asarray(c).astype(u64) * u64(0x165667B19E3779F9)
        )
        z = (z ^ (z >> u64(30))) * u64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> u64(27))) * u64(0x94D049BB133111EB)
    z = z ^ (z >> u64(31))
    return (z >> u64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def predict_reference(
    grid: Grid,
    morphology,
    sectors: Sectors,
    config: PredictionConfig | None = None,
    demand=None,
    *,
    outputs=None,
    terrain=None,
) -> Prediction:
    """Exhaustive float64 prediction; same parameters and result as :func:`predict`.

    With ``terrain`` (a :class:`nrplan.terrain.Terrain` with ground heights), the
    same per-group terrain windows as the engine (:mod:`nrplan.engine.terrain`)
    are added to the path loss, the antenna angles take the ground difference
    between pixel and mast, and the terminal loss is added to every link."""
    cfg = config if config is not None else PredictionConfig()
    names = _check_outputs(outputs)
    with_dem = terrain is not None and terrain.ground_m is not None
    rows_kept = TERRAIN_TABLE_ROWS if with_dem and cfg.los_mode == "expected" else None
    m = build_model(grid, morphology, sectors, cfg, table_rows=rows_kept)
    shadow = build_shadowing(m) if cfg.shadowing == "sampled" else None
    z_pix = g_zm = None
    if with_dem:
        shadow = build_terrain_fields(m, terrain, shadow)
        _, g_zm = terrain_heights(m, terrain, culling_arrays(m))
        z_pix = np.asarray(terrain.ground_m, dtype=np.float64)
    t_loss = None
    if terrain is not None and terrain.terminal_loss_db is not None:
        t_loss = np.asarray(terrain.terminal_loss_db, dtype=np.float64)
    dem = _demand_arrays(demand, grid)

    rows, cols = np.nonzero(m.cls >= 0)
    cls = m.cls[rows, cols].astype(np.int64)
    xs = grid.x0 + (cols + 0.5) * grid.pixel_m
    ys = grid.y0 - (rows + 0.5) * grid.pixel_m
    hut = m.cls_hut[cls]
    npx = rows.size
    nsec = m.order.size
    nb = len(m.bands)

    rsrp_all = np.full((nsec, npx), -np.inf)
    sig_all = np.zeros((nsec, npx))
    lin_all = np.zeros((nsec, npx))
    ss_all = np.zeros((nsec, npx))  # full-load SSB power P + G_ssb - PL [mW]
    for g in range(m.n_groups):
        dx = xs - m.g_x[g]
        dy = ys - m.g_y[g]
        d = np.hypot(dx, dy)
        dz = hut - m.g_h[g]
        if z_pix is not None:
            dz = dz + (z_pix[rows, cols] - g_zm[g])
        f_c = m.bands[m.g_band[g]].f_c_ghz
        pl = np.empty(npx)
        for c, scen in enumerate(m.cls_scenario):
            sel = cls == c
            if not sel.any():
                continue
            dd = np.maximum(d[sel], m.tables[m.g_tab[g, c]].d_min)
            args = (scen, dd, m.g_h[g], m.cls_hut[c], f_c)
            if cfg.los_mode == "expected":
                pl[sel] = pathloss(*args, los="prob", extrapolate=True)
            else:
                kw = {"h_bs": m.g_h[g]} if scen.startswith("inf") else {}
                p = los_probability(scen, dd, h_ut=m.cls_hut[c], **kw)
                u = hash_uniform_np(m.los_key, m.g_uid[g], rows[sel], cols[sel])
                pl[sel] = np.where(
                    u < p,
                    pathloss(*args, los="los", extrapolate=True),
                    pathloss(*args, los="nlos", extrapolate=True),
                )
        if shadow is not None and shadow.g_fld[g, 3] > 0:
            off, r0, c0, fr, fc = shadow.g_fld[g]
            lr, lc = rows - r0, cols - c0
            ok = (lr >= 0) & (lr < fr) & (lc >= 0) & (lc < fc)
            pl[ok] += shadow.values[off + lr[ok] * fc + lc[ok]]
        if t_loss is not None:
            pl = pl + t_loss[rows, cols]
        for k in range(m.g_sec0[g], m.g_sec1[g]):
            o = m.order[k]
            theta, phi = local_angles(dx, dy, dz, sectors.azimuth_deg[o], sectors.mech_tilt_deg[o])
            gains = [
                parametric_pattern(theta, phi, tuple(m.s_pat[k, b]), m.s_etilt[k]) for b in range(3)
            ]
            rsrp_all[k] = m.s_epre[k] + gains[0] - pl
            sig_all[k] = m.s_ptot[k] + gains[1] - pl
            lin_all[k] = m.s_load[k] * 10.0 ** ((m.s_ptot[k] + gains[2] - pl) / 10.0)
            ss_all[k] = 10.0 ** ((m.s_ptot[k] + gains[0] - pl) / 10.0)

    floor = cfg.rsrp_floor_dbm
    cand = np.where(rsrp_all >= floor, rsrp_all, -np.inf)
    best_k = np.argmax(cand, axis=0)  # first maximum = lowest sorted index, as the kernel
    best = cand[best_k, np.arange(npx)]
    served = np.isfinite(best)
    cand2 = cand.copy()
    cand2[best_k, np.arange(npx)] = -np.inf
    second = np.maximum(np.maximum(cand2.max(axis=0), floor), best - cfg.margin_cap_db)
    nwin = (cand >= (best - cfg.pollution_window_db)[None, :]).sum(axis=0)

    i_band = np.zeros((nb, npx))
    s_band = np.zeros((nb, npx))
    for b in range(nb):
        i_band[b] = lin_all[m.s_band == b].sum(axis=0)
        s_band[b] = ss_all[m.s_band == b].sum(axis=0)
    bb = m.s_band[best_k]
    ip = np.arange(npx)
    itot = np.maximum(i_band[bb, ip] - lin_all[best_k, ip], 0.0)
    sig = sig_all[best_k, ip]
    with np.errstate(divide="ignore"):
        intf_db = 10.0 * np.log10(itot)
    noise = m.band_noise_lin[bb]
    sinr = sig - 10.0 * np.log10(itot + noise)
    # SS-SINR: serving SSB against all other co-channel SSBs at load 1, plus noise
    iss = np.maximum(s_band[bb, ip] - ss_all[best_k, ip], 0.0)
    with np.errstate(divide="ignore"):
        ss_sinr = 10.0 * np.log10(ss_all[best_k, ip]) - 10.0 * np.log10(iss + noise)

    def full(vals, fill):
        out = np.full(grid.shape, fill, dtype=np.float64)
        out[rows, cols] = np.where(served, vals, fill)
        return out

    best_g = np.full(grid.shape, -1, dtype=np.int64)
    best_g[rows, cols] = np.where(served, best_k, -1)
    nwin_g = np.zeros(grid.shape, dtype=np.int64)
    nwin_g[rows, cols] = np.where(served, nwin, 0)

    outs = _allocate(grid, names)
    agg = _Aggregator(m, dem)
    win = (slice(0, grid.nrows), slice(0, grid.ncols))
    finish_pixels(
        m, outs, win, m.cls, best_g, full(best, np.nan), full(best - second, np.nan),
        full(sig, np.nan), full(intf_db, np.nan), full(sinr, np.nan), nwin_g, agg,
        full(ss_sinr, np.nan),
    )  # fmt: skip
    meta = {
        "engine": "nrplan.engine.predict_reference",
        "los_mode": cfg.los_mode,
        "shadowing": cfg.shadowing,
        "seed": cfg.seed,
        "settings": cfg.settings(),
        "pairs_evaluated": int(npx * nsec),
    }
    return Prediction(grid=grid, **outs, inside=m.cls >= 0, sector_stats=agg.result(), meta=meta)
