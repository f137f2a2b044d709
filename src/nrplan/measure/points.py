"""SS-RSRP of a named cell at scattered points, from the engine's own model.

The engine predicts on rasters and keeps only the best server; a drive test
needs the RSRP of the *serving cell the phone reported* at each point. This
module builds the engine's :class:`nrplan.engine.model.Model` (the same
path-loss tables, antenna patterns, EPRE and tuned corrections as ``nrplan
predict``) and evaluates, per point, exactly the kernel's serving-link
formula::

    RSRP = EPRE_k + G_ssb,k(theta, phi) - PL_table(d_2d)

with ``EPRE = P - 10 log10(12 N_PRB)`` (TS 38.215 V17.0.0 5.1.1), the SSB beam
of :func:`nrplan.radio.antenna.parametric_pattern` at the local angles
(TR 38.901 V17.0.0 7.1, 7.3) and the LOS-probability weighted expected path
loss of TR 38.901 Tables 7.4.1-1 / 7.4.2-1 interpolated from the engine's
look-up table (< 0.01 dB from direct evaluation).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nrplan.engine.config import PredictionConfig
from nrplan.engine.model import build_model
from nrplan.engine.sectors import Sectors
from nrplan.grid import Grid
from nrplan.radio.antenna import local_angles, parametric_pattern

__all__ = ["point_model", "point_rsrp"]


def point_model(sectors: Sectors, crs: str, x, y, codes, config: PredictionConfig):
    """The engine model of a small grid over the points holding every code in ``codes``.

    Returns the model and ``cls_of_code`` (256,) mapping a morphology code to
    its pixel class."""

    x = np.asarray(x, float)
    y = np.asarray(y, float)
    xmin = min(float(x.min()), float(sectors.x.min())) - 1.0
    xmax = max(float(x.max()), float(sectors.x.max())) + 1.0
    ymin = min(float(y.min()), float(sectors.y.min())) - 1.0
    ymax = max(float(y.max()), float(sectors.y.max())) + 1.0
    u = np.unique(np.asarray(codes, dtype=np.int64))
    pixel = max(xmax - xmin, ymax - ymin) / 8.0
    grid = Grid.from_bounds(xmin, ymin, xmax, ymax, pixel, crs)
    morph = np.full(grid.shape, u[0], dtype=np.uint8)
    morph.flat[: u.size] = u
    model = build_model(grid, morph, sectors, config)
    lut = np.full(256, -1, dtype=np.int64)
    lut[u] = model.cls.flat[: u.size]
    return model, lut


def point_rsrp(
    sectors: Sectors,
    crs: str,
    x,
    y,
    sector,
    codes,
    config: PredictionConfig | None = None,
) -> np.ndarray:
    """SS-RSRP [dBm] of sector ``sector[i]`` at point ``(x[i], y[i])``.

    Parameters
    ----------
    sectors : Sectors
        The network (row i = sector i).
    crs : str
        CRS of ``x``, ``y`` and the sectors [m].
    x, y : array_like
        Point positions [m].
    sector : array_like of int
        Serving sector (index into ``sectors``) per point.
    codes : array_like of int
        Morphology code per point (sets the scenario, UT height and any tuned
        correction of ``config.pathloss_corrections``).
    config : PredictionConfig, optional
        Settings (default: ``PredictionConfig()``); the path loss is always
        the expected one (a drive test is compared with the mean prediction).

    Returns
    -------
    ndarray of float64
    """

    cfg = config if config is not None else PredictionConfig()
    if cfg.los_mode != "expected":
        cfg = replace(cfg, los_mode="expected")
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    sector = np.asarray(sector, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(x.size, np.nan)
    if x.size == 0:
        return out
    model, lut = point_model(sectors, crs, x, y, codes, cfg)
    inv = np.empty_like(model.order)
    inv[model.order] = np.arange(model.order.size)
    k = inv[sector]  # sorted sector index
    g = np.searchsorted(model.g_sec0, k, side="right") - 1
    c = lut[codes]
    dx = x - model.g_x[g]
    dy = y - model.g_y[g]
    d = np.hypot(dx, dy)
    dz = model.cls_hut[c] - model.g_h[g]
    tab = model.g_tab[g, c]
    pl = np.empty(x.size)
    for t in np.unique(tab):
        sel = tab == t
        pl[sel] = model.tables[t].lookup(d[sel])
    theta, phi = local_angles(
        dx, dy, dz, sectors.azimuth_deg[sector], sectors.mech_tilt_deg[sector]
    )
    pats = model.s_pat[k, 0]
    upat, pidx = np.unique(pats, axis=0, return_inverse=True)
    gain = np.empty(x.size)
    pidx = pidx.ravel()
    for j, params in enumerate(upat):
        sel = pidx == j
        gain[sel] = parametric_pattern(theta[sel], phi[sel], tuple(params), model.s_etilt[k[sel]])
    out[:] = model.s_epre[k] + gain - pl
    return out
