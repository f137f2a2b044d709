"""Terrain in the engine: per-group dB windows merged with the shadowing hook.

The kernel (:func:`nrplan.engine.kernels.run_tiles`) adds a per-mast window of
dB values to each pair's path loss (``ShadowFields``: sampled shadowing). With
a :class:`nrplan.terrain.Terrain`, :func:`build_terrain_fields` computes one
window per site group (mast x band: diffraction depends on the wavelength)
with :func:`nrplan.engine.terrain_profiles.terrain_windows` (ITU-R P.526-15
Bullington loss of the terrain profile minus that of the flat profile, plus
the NLOS switch where the terrain blocks the direct ray), adds the group's
shadowing window on the overlap when shadowing is sampled, and returns the
merged :class:`~nrplan.engine.model.ShadowFields`. Its ``g_max_gain`` (largest
negative value of each window, e.g. a mast on a hill whose links clear
what the flat model assumes) is the culling bound, so culling stays exact.

The terminal clutter loss (per pixel, every link) goes to the kernel as
``pxl``; each tile's bounds take the tile's smallest loss off (a negative loss
raises them), so culling stays exact.

The antenna angles use the ground difference between pixel and mast
(:func:`terrain_heights`: the kernel's ``tdz`` / ``g_zm``; the culling bounds
widen by each tile's ground range). Links beyond ``Terrain.radius_m`` from
their mast use the flat path-loss model (their angles still see the terrain).

References
----------
ITU-R P.526-15 (2019) 4.1, 4.5; ITU-R P.2108-1 (2019) 3.1.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from nrplan.engine.lookup import ROW_EXPECTED, ROW_NLOS, d2d_min
from nrplan.engine.model import SHADOW_MEMORY_CAP_BYTES, Model, ShadowFields
from nrplan.engine.terrain_profiles import bilinear, terrain_windows
from nrplan.errors import NrplanInputError
from nrplan.radio.pathloss import pathloss
from nrplan.terrain.diffraction import EFFECTIVE_EARTH_RADIUS_M, SPEED_OF_LIGHT

__all__ = [
    "H_EFF_RANGE_M",
    "TERRAIN_TABLE_ROWS",
    "auto_radius_m",
    "build_terrain_fields",
    "effective_height_tables",
    "ring_gains",
    "terminal_loss",
    "terrain_heights",
]

TERRAIN_TABLE_ROWS = (ROW_EXPECTED, ROW_NLOS)
"""Path-loss table rows the terrain windows read in ``los_mode="expected"``."""

RADIUS_MIN_M = 1500.0
RADIUS_MAX_M = 10_000.0


def auto_radius_m(model: Model) -> float:
    """Three times the median distance from a mast to its nearest other mast,
    within [1.5 km, 10 km]: the window covers the serving cell and its first
    rings of interferers."""
    from scipy.spatial import cKDTree

    xy = np.unique(np.stack([model.g_x, model.g_y], axis=1), axis=0)
    if xy.shape[0] < 2:
        return RADIUS_MAX_M
    d, _ = cKDTree(xy).query(xy, k=2)
    return float(min(max(3.0 * float(np.median(d[:, 1])), RADIUS_MIN_M), RADIUS_MAX_M))


H_EFF_RANGE_M = (10.0, 150.0)
"""Range of effective BS heights [m]: the TR 38.901 Table 7.4.1-1 RMa h_BS
range (UMa and UMi give one nominal height; their formulas extrapolate)."""
H_EFF_SCENARIOS = ("rma", "uma", "umi")
"""Scenarios whose path loss gets the effective-height term (outdoor macro/micro)."""
_EFF_NK = 33
_EFF_NJ = 512


def effective_height_tables(model: Model, d_max: float):
    """Path loss of every table's link class on a ladder of BS heights.

    Returns ``(eff (ntab, 3, K, J), ok (ntab,), s0 (ntab,), inv_ds (ntab,),
    ln h0, 1 / ln step)``: rows expected / LOS / NLOS of TR 38.901 Table
    7.4.1-1 (``nrplan.radio.pathloss.pathloss``) at ``K`` heights log-spaced
    over :data:`H_EFF_RANGE_M` and ``J`` distances uniform in sqrt(d).
    """
    ntab = max(len(model.tables), 1)
    eff = np.zeros((ntab, 3, _EFF_NK, _EFF_NJ))
    ok = np.zeros(ntab, dtype=np.bool_)
    s0 = np.ones(ntab)
    inv = np.ones(ntab)
    h = np.geomspace(H_EFF_RANGE_M[0], H_EFF_RANGE_M[1], _EFF_NK)
    lnh0 = math.log(h[0])
    inv_ln = (_EFF_NK - 1) / (math.log(h[-1]) - lnh0)
    params = dict(model.config.pathloss_params or {})
    done = set()
    for g in range(model.n_groups):
        f_c = model.bands[int(model.g_band[g])].f_c_ghz
        for c, scen in enumerate(model.cls_scenario):
            t = int(model.g_tab[g, c])
            if t in done:
                continue
            done.add(t)
            if scen not in H_EFF_SCENARIOS:
                continue
            dmin = d2d_min(scen)
            a, b = math.sqrt(dmin), math.sqrt(max(d_max, 2.0 * dmin))
            d = np.linspace(a, b, _EFF_NJ) ** 2
            args = (scen, d[None, :], h[:, None], float(model.cls_hut[c]), f_c)
            for row, los in enumerate(("prob", "los", "nlos")):
                eff[t, row] = pathloss(*args, los=los, extrapolate=True, **params)
            ok[t] = True
            s0[t] = a
            inv[t] = (_EFF_NJ - 1) / (b - a)
    return eff, ok, s0, inv, lnh0, inv_ln


def _windows(model: Model, half: int) -> tuple[np.ndarray, int]:
    grid = model.grid
    rows, cols = grid.rowcol(model.g_x, model.g_y)
    g_win = np.zeros((model.n_groups, 5), dtype=np.int64)
    off = 0
    for g in range(model.n_groups):
        r0 = max(int(rows[g]) - half, 0)
        c0 = max(int(cols[g]) - half, 0)
        r1 = min(int(rows[g]) + half + 1, grid.nrows)
        c1 = min(int(cols[g]) + half + 1, grid.ncols)
        if r1 > r0 and c1 > c0:
            g_win[g] = (off, r0, c0, r1 - r0, c1 - c0)
            off += (r1 - r0) * (c1 - c0)
    return g_win, off


def build_terrain_fields(model: Model, terrain, shadow: ShadowFields | None) -> ShadowFields:
    """Per-group terrain windows (plus the shadowing windows) for the kernel.

    Parameters
    ----------
    model : Model
        The call's model; its tables must hold the NLOS row (and, with sampled
        LOS, the LOS and P_LOS rows).
    terrain : nrplan.terrain.Terrain
        Heights on the model's grid.
    shadow : ShadowFields or None
        Sampled shadowing windows to merge.

    Returns
    -------
    ShadowFields
        Merged windows; ``g_max_gain`` includes the terrain gains.
    """
    grid, cfg = model.grid, model.config
    terrain.check(grid.shape)
    explicit = terrain.radius_m is not None
    radius = float(terrain.radius_m) if explicit else auto_radius_m(model)
    if shadow is not None:
        radius = max(radius, cfg.shadow_radius_m)
    half = math.ceil(radius / grid.pixel_m)
    g_win, total = _windows(model, half)
    cap_px = SHADOW_MEMORY_CAP_BYTES // 4
    while total > cap_px:
        if explicit:
            raise NrplanInputError(
                "terrain radius_m", radius, "a radius whose terrain windows fit in 2 GiB"
            )
        half = max(1, int(half * math.sqrt(cap_px / total) * 0.98))
        g_win, total = _windows(model, half)
    ground = np.ascontiguousarray(terrain.ground_m, dtype=np.float64)
    obst = (
        ground
        if terrain.obstacle_m is None
        else np.ascontiguousarray(terrain.obstacle_m, dtype=np.float64)
    )
    f_ghz = np.array([b.f_c_ghz for b in model.bands], dtype=np.float64)
    g_lam = SPEED_OF_LIGHT / (f_ghz[model.g_band] * 1e9)
    values = np.zeros(max(total, 1), dtype=np.float32)
    g_min = np.zeros(model.n_groups)
    xmin, ymin, xmax, ymax = grid.bounds
    d_max = math.hypot(xmax - xmin, ymax - ymin) + 2.0 * radius
    eff, eff_ok, eff_s0, eff_inv, lnh0, inv_ln = effective_height_tables(model, d_max)
    npts = model.tab_values.shape[2]
    if npts < 3:
        raise NrplanInputError("pl_table_points", npts, "at least 3 table points")
    terrain_windows(
        ground, obst, model.cls, model.cls_hut, grid.x0 + 0.5 * grid.pixel_m,
        grid.y0 - 0.5 * grid.pixel_m, grid.pixel_m, model.g_x, model.g_y, model.g_h, g_lam,
        model.g_tab, model.g_uid, g_win, model.tab_values, model.tab_dmin, model.tab_s0,
        model.tab_inv_ds, cfg.los_mode == "sampled", model.los_key, int(terrain.max_samples),
        EFFECTIVE_EARTH_RADIUS_M, values, g_min, eff, eff_ok, eff_s0, eff_inv,
        H_EFF_RANGE_M[0], H_EFF_RANGE_M[1], lnh0, inv_ln, half * grid.pixel_m,
    )  # fmt: skip
    d_corr = 0.0
    if shadow is not None:
        d_corr = shadow.d_corr_m
        for g in range(model.n_groups):
            so, sr0, sc0, snr, snc = (int(v) for v in shadow.g_fld[g])
            to, tr0, tc0, tnr, tnc = (int(v) for v in g_win[g])
            if snr == 0 or tnr == 0:
                continue
            sw = shadow.values[so : so + snr * snc].reshape(snr, snc)
            tw = values[to : to + tnr * tnc].reshape(tnr, tnc)
            # overlap (the whole shadow window unless the memory cap shrank the terrain's)
            ra, rb = max(sr0, tr0), min(sr0 + snr, tr0 + tnr)
            ca, cb = max(sc0, tc0), min(sc0 + snc, tc0 + tnc)
            if rb > ra and cb > ca:
                tw[ra - tr0 : rb - tr0, ca - tc0 : cb - tc0] += sw[
                    ra - sr0 : rb - sr0, ca - sc0 : cb - sc0
                ]
    gain = np.zeros(model.n_groups)
    for g in range(model.n_groups):
        o, _, _, nr, nc = (int(v) for v in g_win[g])
        if nr:
            gain[g] = max(-float(values[o : o + nr * nc].min()), 0.0)
    # float32 rounding of the stored values: a margin far below any dB that matters
    gain = np.where(gain > 0.0, gain + 1e-4, 0.0)
    return ShadowFields(values, g_win, gain, d_corr, terrain_radius_m=half * grid.pixel_m)


RING_COUNT = 32
"""Distance rings of the per-group culling gain (:func:`ring_gains`)."""


@njit(cache=True)
def _ring_gains(values, g_fld, g_x, g_y, x_first, y_first, pix, inv_w, out):
    kmax = out.shape[1] - 1
    for g in range(g_x.size):
        off, r0, c0, nr, nc = g_fld[g, 0], g_fld[g, 1], g_fld[g, 2], g_fld[g, 3], g_fld[g, 4]
        for r in range(nr):
            dy = y_first - (r0 + r) * pix - g_y[g]
            for c in range(nc):
                v = -np.float64(values[off + r * nc + c])
                if v <= 0.0:
                    continue
                dx = x_first + (c0 + c) * pix - g_x[g]
                k = min(int(math.sqrt(dx * dx + dy * dy) * inv_w), kmax - 1)
                out[g, k] = max(out[g, k], v)
        for k in range(kmax - 1, -1, -1):  # suffix maxima: that distance or farther
            out[g, k] = max(out[g, k], out[g, k + 1])


def ring_gains(model: Model, fields: ShadowFields) -> tuple[np.ndarray, float]:
    """Largest gain (negative window value) of each group's window beyond each
    distance: ``(gain (ngroups, RING_COUNT + 1), 1 / ring width [1/m])``;
    column ``k`` bounds every pixel at distance >= ``k w`` from the mast and the
    last column (beyond every window) is 0. The kernel takes the column of a
    tile's distance, so a mast on a hill loosens the culling only near it."""
    grid = model.grid
    half_px = max(int(fields.g_fld[:, 3].max(initial=0)), int(fields.g_fld[:, 4].max(initial=0)))
    r_max = (half_px + 2) * grid.pixel_m * math.sqrt(2.0)
    inv_w = RING_COUNT / r_max
    out = np.zeros((model.n_groups, RING_COUNT + 1))
    _ring_gains(
        fields.values, fields.g_fld, model.g_x, model.g_y, grid.x0 + 0.5 * grid.pixel_m,
        grid.y0 - 0.5 * grid.pixel_m, grid.pixel_m, inv_w, out,
    )  # fmt: skip
    # the float32 rounding margin of build_terrain_fields
    return np.where(out > 0.0, out + 1e-4, 0.0), inv_w


@njit(cache=True)
def _mast_ground(ground, g_x, g_y, x_first, y_first, pix, out):
    for g in range(g_x.size):
        out[g] = bilinear(ground, (y_first - g_y[g]) / pix, (g_x[g] - x_first) / pix)


def terrain_heights(model: Model, terrain, cull) -> tuple[np.ndarray, np.ndarray]:
    """Ground heights for the antenna angles: ``(tdz float32 grid, g_zm)``, the
    ground under each group's mast (bilinear, as the windows take it); widens
    the culling's ``s_c`` (``|dz|max |sin beta|`` per sector) by each mast's
    largest ground difference to the grid, so the horizontal gain bound holds
    with the terrain's height differences."""
    grid = model.grid
    ground = np.ascontiguousarray(terrain.ground_m, dtype=np.float64)
    g_zm = np.zeros(model.n_groups)
    _mast_ground(
        ground, model.g_x, model.g_y, grid.x0 + 0.5 * grid.pixel_m, grid.y0 - 0.5 * grid.pixel_m,
        grid.pixel_m, g_zm,
    )  # fmt: skip
    tdz = np.ascontiguousarray(ground, dtype=np.float32)
    zr = np.maximum(np.abs(float(tdz.max()) - g_zm), np.abs(float(tdz.min()) - g_zm))
    s_group = np.repeat(np.arange(model.n_groups), model.g_sec1 - model.g_sec0)
    cull.s_c = cull.s_c + zr[s_group] * np.abs(model.s_sinmt)
    return tdz, g_zm


def terminal_loss(terrain, shape) -> tuple[bool, np.ndarray, float]:
    """``(use, float32 array, culling gain [dB])`` of the per-pixel terminal loss."""
    if terrain is None or terrain.terminal_loss_db is None:
        return False, np.zeros((1, 1), np.float32), 0.0
    a = np.ascontiguousarray(terrain.terminal_loss_db, dtype=np.float32)
    if a.shape != tuple(shape):
        raise NrplanInputError("terrain.terminal_loss_db", a.shape, f"shape {shape} of the grid")
    return True, a, max(-float(a.min()), 0.0)
