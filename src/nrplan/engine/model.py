"""The per-call model set-up shared by the fast engine and the reference.

Turns (grid, morphology, sectors, config) into flat arrays: pixel classes
(scenario, UT height), site groups (sectors of one mast on one band, which share
geometry and path loss), per-sector powers and pattern parameters, per-band
noise and rate parameters. Both :func:`nrplan.engine.predict` and
:func:`nrplan.engine.predict_reference` start from the same :class:`Model`, so
the two differ only in how they evaluate the (pixel, sector) pairs.

Power convention: every sector spreads ``power_dbm`` evenly over the
``12 * N_PRB`` subcarriers of its band (all carriers), so the SSB EPRE (TS
38.215 5.1.1 SS-RSRP is a power per resource element) is ``power_dbm -
10 log10(12 N_PRB)``. Signal, interference and noise are per-channel powers
(occupied bandwidth ``12 N_PRB SCS``); their ratio is the per-RE SINR.

References
----------
3GPP TS 38.215 V17.0.0, 5.1.1 (SS-RSRP); TS 38.101-1 V17.0.0 Table 5.3.2-1
(N_PRB); TR 38.901 V17.0.0 Table 7.4.1-1 (sigma_SF), Table 7.5-6 (d_corr).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nrplan.engine.config import PredictionConfig
from nrplan.engine.lookup import ROW_EXPECTED, ROW_LOS, ROW_NLOS, ROW_PLOS, PathlossTable, pl_table
from nrplan.engine.sectors import Sectors
from nrplan.errors import NrplanInputError
from nrplan.grid import Grid
from nrplan.morphology import MORPHOLOGIES
from nrplan.radio.antenna import get_antenna
from nrplan.radio.bands import get_band
from nrplan.radio.linkbudget import THERMAL_NOISE_DBM_HZ, thermal_noise_dbm
from nrplan.radio.pathloss import shadow_sigma
from nrplan.radio.shadowing import correlated_field, decorrelation_distance

__all__ = ["BOLTZMANN_DBM_HZ", "Model", "build_model", "mast_uid", "thermal_noise_dbm"]

#: Thermal noise density kT at T0 = 290 K [dBm/Hz] (the one constant:
#: :data:`nrplan.radio.linkbudget.THERMAL_NOISE_DBM_HZ`).
BOLTZMANN_DBM_HZ = THERMAL_NOISE_DBM_HZ

_BEAMS = ("ssb", "traffic", "average")


def _mix64(v: np.ndarray) -> np.ndarray:
    z = v.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def mast_uid(x, y) -> np.ndarray:
    """Stable 64-bit identifier of a mast from its position rounded to 1 cm.

    Random draws keyed by it (LOS states, shadowing fields) do not change when
    other sites are added or removed."""
    xi = np.round(np.asarray(x, dtype=np.float64) * 100.0).astype(np.int64).view(np.uint64)
    yi = np.round(np.asarray(y, dtype=np.float64) * 100.0).astype(np.int64).view(np.uint64)
    with np.errstate(over="ignore"):
        return _mix64(_mix64(xi) ^ (yi * np.uint64(0x9E3779B97F4A7C15)))


@dataclass(eq=False)
class Model:
    """Flat arrays of one prediction call (see the module docstring)."""

    grid: Grid
    config: PredictionConfig
    sectors: Sectors
    # pixel classes
    cls: np.ndarray  # int16 (nrows, ncols), -1 outside
    cls_scenario: list[str]
    cls_hut: np.ndarray  # float64 (ncls,)
    cls_sigma_db: np.ndarray  # float64 (ncls,) NLOS sigma_SF of the class's scenario
    # bands
    bands: list  # nrplan.radio.bands.Band, index = band id
    band_noise_dbm: np.ndarray  # DL noise over the occupied bandwidth [dBm]
    band_noise_lin: np.ndarray  # [mW]
    band_ul_noise_dbm: np.ndarray  # gNB noise per RE [dBm]
    band_n_re: np.ndarray  # 12 * N_PRB
    # sectors, in group order; order[i] = original sector index of sorted sector i
    order: np.ndarray
    s_band: np.ndarray  # int32
    s_sinaz: np.ndarray
    s_cosaz: np.ndarray
    s_cosmt: np.ndarray
    s_sinmt: np.ndarray
    s_etilt: np.ndarray
    s_pat: np.ndarray  # float64 (nsec, 3, 7)
    s_epre: np.ndarray
    s_ptot: np.ndarray
    s_load: np.ndarray
    # groups (mast x band)
    g_x: np.ndarray
    g_y: np.ndarray
    g_h: np.ndarray
    g_band: np.ndarray
    g_sec0: np.ndarray
    g_sec1: np.ndarray
    g_uid: np.ndarray  # uint64
    g_tab: np.ndarray  # int32 (ngroups, ncls)
    # tables
    tables: list  # PathlossTable
    tab_values: np.ndarray  # float32 (ntab, 4, npts)
    tab_s0: np.ndarray
    tab_inv_ds: np.ndarray
    tab_dmin: np.ndarray
    los_key: np.uint64

    @property
    def n_groups(self) -> int:
        return int(self.g_x.size)


def _uniques(values) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` (inverse flattened), at once
    when every value is the same (one band, one antenna: the usual network)."""
    v = np.asarray(values)
    if v.size and (v == v.flat[0]).all():
        return v.ravel()[:1].copy(), np.zeros(v.size, dtype=np.intp)
    u, inv = np.unique(v, return_inverse=True)
    return u, inv.ravel()


def _present_codes(morph: np.ndarray) -> np.ndarray:
    """The sorted distinct codes of a morphology raster (a histogram for uint8)."""
    if morph.dtype == np.uint8:
        return np.flatnonzero(np.bincount(morph.ravel(), minlength=256))
    return np.unique(morph)


def _check_morphology(grid: Grid, morphology) -> np.ndarray:
    if np.isscalar(morphology) or np.ndim(morphology) == 0:
        code = int(morphology)
        morphology = np.full(grid.shape, code, dtype=np.uint8)
    morph = np.asarray(morphology)
    if morph.shape != grid.shape:
        raise NrplanInputError("morphology", morph.shape, f"shape {grid.shape} of the grid")
    valid = np.array([0, *MORPHOLOGIES])
    present = _present_codes(morph)
    bad = present[~np.isin(present, valid)]
    if bad.size:
        raise NrplanInputError("morphology", int(bad[0]), f"codes {list(valid)}")
    return morph


def _max_distance(grid: Grid, sectors: Sectors) -> float:
    xmin, ymin, xmax, ymax = grid.bounds
    dx = np.maximum(np.abs(sectors.x - xmin), np.abs(sectors.x - xmax))
    dy = np.maximum(np.abs(sectors.y - ymin), np.abs(sectors.y - ymax))
    d = float(np.max(np.hypot(dx, dy)))
    # round up to a 2^(k/4) ladder so repeated calls share cached tables
    return float(2.0 ** (math.ceil(4.0 * math.log2(max(d, 1000.0))) / 4.0))


def _corrected_table(table, a_db: float, b_db: float):
    """``table`` with ``a + b log10(d_2d / 1 m)`` [dB] added to its path-loss rows.

    Exact at the nodes (the correction is evaluated at each node's distance);
    between nodes it is interpolated like the path loss itself. The LOS
    probability row is unchanged."""
    n = table.values.shape[1]
    d = (table.s0 + table.ds * np.arange(n)) ** 2
    values = table.values.astype(np.float64)
    values[[ROW_EXPECTED, ROW_LOS, ROW_NLOS]] += a_db + b_db * np.log10(d)
    return PathlossTable(values.astype(np.float32), table.s0, table.ds, table.d_min, table.d_max)


def build_model(
    grid: Grid,
    morphology,
    sectors: Sectors,
    config: PredictionConfig,
    *,
    table_rows: tuple[int, ...] | None = None,
) -> Model:
    """Validate the inputs and build the flat model arrays.

    Parameters
    ----------
    grid : Grid
        Prediction grid.
    morphology : array_like of int or int
        Morphology code per pixel (``nrplan.morphology``; 0 = outside), or one
        code for the whole grid.
    sectors : Sectors
        The network.
    config : PredictionConfig
        Settings.
    table_rows : tuple of int, optional
        Path-loss table rows to keep (default: those the LOS mode needs).
    """
    if not isinstance(sectors, Sectors):
        raise NrplanInputError("sectors", type(sectors).__name__, "an nrplan.engine.Sectors")
    morph = _check_morphology(grid, morphology)

    # pixel classes: (scenario, h_ut) of each morphology code present
    codes = [int(c) for c in _present_codes(morph) if c != 0]
    keys: list[tuple[str, float]] = []
    lut = np.full(256, -1, dtype=np.int16)
    overrides = config.scenarios or {}
    corrections = config.pathloss_corrections or {}
    for code in codes:
        m = MORPHOLOGIES[code]
        h_ut = float(config.h_ut_m) if config.h_ut_m is not None else float(m.h_ut_m)
        key = (overrides.get(code, m.scenario), h_ut)
        if code in corrections:  # a tuned class gets its own tables
            key = (*key, corrections[code])
        if key not in keys:
            keys.append(key)
        lut[code] = keys.index(key)
    cls = lut[morph.astype(np.uint8)] if codes else np.full(grid.shape, -1, np.int16)
    cls_scenario = [k[0] for k in keys]
    cls_hut = np.array([k[1] for k in keys], dtype=np.float64)
    cls_sigma = np.array([float(shadow_sigma(s, "nlos")) for s in cls_scenario], dtype=np.float64)

    # bands
    u_band, sb = _uniques(sectors.band)  # sorted names; each sector's band id
    band_names = [str(b) for b in u_band]
    bands = [get_band(b) for b in band_names]
    n_re = np.array([12 * b.n_prb for b in bands], dtype=np.float64)
    occ_bw = np.array([12 * b.n_prb * b.scs_khz * 1e3 for b in bands], dtype=np.float64)
    noise = thermal_noise_dbm(occ_bw, np.array([b.ue_nf_db for b in bands]))
    ul_noise = thermal_noise_dbm(
        np.array([b.scs_khz * 1e3 for b in bands]), np.array([b.gnb_nf_db for b in bands])
    )

    # antennas (vectorised per distinct profile: thousands of sectors, few profiles)
    ant_names, ant_idx = _uniques(sectors.antenna)
    ant_pat = np.array(
        [[tuple(get_antenna(str(a)).pattern_params(b)) for b in _BEAMS] for a in ant_names],
        dtype=np.float64,
    ).reshape(len(ant_names), len(_BEAMS), -1)

    # groups: sectors of one mast (x, y, height) on one band
    sb = sb.astype(np.int32)
    order = np.lexsort((sb, sectors.height_m, sectors.y, sectors.x))
    gx, gy, gh, gb = sectors.x[order], sectors.y[order], sectors.height_m[order], sb[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = (np.diff(gx) != 0) | (np.diff(gy) != 0) | (np.diff(gh) != 0) | (np.diff(gb) != 0)
    g_sec0 = np.flatnonzero(new).astype(np.int32)
    g_sec1 = np.append(g_sec0[1:], order.size).astype(np.int32)

    az = np.radians(sectors.azimuth_deg[order])
    mt = np.radians(sectors.mech_tilt_deg[order])
    ptot = sectors.power_dbm[order]
    s_band = sb[order]
    s_pat = ant_pat[ant_idx.ravel()[order]]

    # path-loss tables per (scenario, h_bs, h_ut, f_c, pathloss params)
    pl_params = tuple(sorted((config.pathloss_params or {}).items()))
    d_max = _max_distance(grid, sectors)
    rows = table_rows
    if rows is None:
        rows = (ROW_EXPECTED,) if config.los_mode == "expected" else (ROW_LOS, ROW_NLOS, ROW_PLOS)
    n_groups = g_sec0.size
    g_tab = np.zeros((n_groups, max(len(keys), 1)), dtype=np.int32)
    tab_index: dict[tuple, int] = {}
    tables = []
    # one table per distinct (h_bs, band) x class; groups map to them
    # (the distinct (h_bs, band) pairs in lexicographic order, by one integer key)
    u_h, h_idx = _uniques(gh[g_sec0])
    u_key, hb_idx = _uniques(h_idx * len(bands) + gb[g_sec0])
    u_hb = [(float(u_h[k // len(bands)]), int(k % len(bands))) for k in u_key]
    for i, (h_bs, b_id) in enumerate(u_hb):
        f_c = bands[int(b_id)].f_c_ghz
        sel = hb_idx.ravel() == i
        for c, (scen, h_ut, *corr) in enumerate(keys):
            key = (scen, float(h_bs), h_ut, float(f_c), *corr)
            if key not in tab_index:
                tab_index[key] = len(tables)
                table = pl_table(*key[:4], d_max, config.pl_table_points, pl_params)
                tables.append(_corrected_table(table, *corr[0]) if corr else table)
            g_tab[sel, c] = tab_index[key]
    npts = max((t.values.shape[1] for t in tables), default=2)
    tab_values = np.empty((max(len(tables), 1), 4, npts), dtype=np.float32)
    for i, t in enumerate(tables):
        n = t.values.shape[1]
        tab_values[i, :, :n] = t.values
        tab_values[i, :, n:] = t.values[:, -1:]
    if rows != (0, 1, 2, 3):  # keep only what the kernel reads (cache footprint)
        keep = np.zeros(4, dtype=bool)
        keep[list(rows)] = True
        tab_values[:, ~keep, :] = np.nan

    rng = np.random.default_rng(config.seed)
    los_key = np.uint64(rng.integers(0, 2**63, dtype=np.int64))

    return Model(
        grid=grid,
        config=config,
        sectors=sectors,
        cls=np.ascontiguousarray(cls, dtype=np.int16),
        cls_scenario=cls_scenario,
        cls_hut=cls_hut,
        cls_sigma_db=cls_sigma,
        bands=bands,
        band_noise_dbm=noise,
        band_noise_lin=10.0 ** (noise / 10.0),
        band_ul_noise_dbm=ul_noise,
        band_n_re=n_re,
        order=order.astype(np.int64),
        s_band=s_band.astype(np.int32),
        s_sinaz=np.sin(az),
        s_cosaz=np.cos(az),
        s_cosmt=np.cos(mt),
        s_sinmt=np.sin(mt),
        s_etilt=sectors.elec_tilt_deg[order].astype(np.float64),
        s_pat=np.ascontiguousarray(s_pat),
        s_epre=ptot - 10.0 * np.log10(n_re[s_band]),
        s_ptot=ptot.astype(np.float64),
        s_load=sectors.load[order].astype(np.float64),
        g_x=np.ascontiguousarray(gx[g_sec0]),
        g_y=np.ascontiguousarray(gy[g_sec0]),
        g_h=np.ascontiguousarray(gh[g_sec0]),
        g_band=gb[g_sec0].astype(np.int32),
        g_sec0=g_sec0,
        g_sec1=g_sec1,
        g_uid=mast_uid(gx[g_sec0], gy[g_sec0]),
        g_tab=g_tab,
        tables=tables,
        tab_values=tab_values,
        tab_s0=np.array([t.s0 for t in tables] or [1.0]),
        tab_inv_ds=np.array([1.0 / t.ds for t in tables] or [1.0]),
        tab_dmin=np.array([t.d_min for t in tables] or [1.0]),
        los_key=los_key,
    )


@dataclass(eq=False)
class ShadowFields:
    """Sampled shadowing: one correlated field window per mast.

    ``g_fld[g]`` = (offset into ``values``, row0, col0, nrows, ncols) of group
    ``g``'s window (all groups of a mast share it); ``g_max_gain[g]`` = the
    largest negative field value of the window [dB] (a bound for culling).
    """

    values: np.ndarray  # float32, flat
    g_fld: np.ndarray  # int64 (ngroups, 5)
    g_max_gain: np.ndarray  # float64 (ngroups,)
    d_corr_m: float
    terrain_radius_m: float | None = None  # radius of the terrain windows, when merged


SHADOW_MEMORY_CAP_BYTES = 2 * 1024**3
"""Largest memory the sampled shadowing windows may take [bytes]."""


def build_shadowing(model: Model) -> ShadowFields:
    """Draw the per-mast shadowing windows of ``config.shadowing = "sampled"``.

    Each mast gets a zero-mean Gaussian field with exponential autocorrelation
    (``nrplan.radio.shadowing.correlated_field``, decorrelation distance of
    TR 38.901 Table 7.5-6, NLOS, of the most common scenario of the grid) over a
    square window of half-width ``shadow_radius_m``, scaled per pixel by the
    NLOS sigma_SF of that pixel's scenario (Table 7.4.1-1). The generator of a
    mast is seeded by (seed, mast id), so a mast's field does not depend on the
    other masts. Outside its window a mast's links have no shadowing.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (sigma_SF), Table 7.5-6 (d_corr), 7.6.3.1.
    """
    grid, cfg = model.grid, model.config
    ng = model.n_groups
    g_fld = np.zeros((ng, 5), dtype=np.int64)
    g_gain = np.zeros(ng, dtype=np.float64)
    valid = model.cls >= 0
    if not valid.any() or not model.cls_scenario:
        return ShadowFields(np.zeros(1, np.float32), g_fld, g_gain, 0.0)
    counts = np.bincount(model.cls[valid], minlength=len(model.cls_scenario))
    d_corr = float(decorrelation_distance(model.cls_scenario[int(np.argmax(counts))], "nlos"))
    half = math.ceil(cfg.shadow_radius_m / grid.pixel_m)
    rows, cols = grid.rowcol(model.g_x, model.g_y)
    masts: dict[int, tuple[int, int, int, int, int, float]] = {}
    chunks: list[np.ndarray] = []
    offset = 0
    sigma_pix = np.where(valid, model.cls_sigma_db[np.maximum(model.cls, 0)], 0.0)
    for g in range(ng):
        uid = int(model.g_uid[g])
        if uid not in masts:
            r0 = max(int(rows[g]) - half, 0)
            c0 = max(int(cols[g]) - half, 0)
            r1 = min(int(rows[g]) + half + 1, grid.nrows)
            c1 = min(int(cols[g]) + half + 1, grid.ncols)
            if r1 <= r0 or c1 <= c0:
                masts[uid] = (0, 0, 0, 0, 0, 0.0)
            else:
                rng = np.random.default_rng([cfg.seed, uid])
                f = correlated_field((r1 - r0, c1 - c0), grid.pixel_m, d_corr, 1.0, rng)
                f = (f * sigma_pix[r0:r1, c0:c1]).astype(np.float32)
                chunks.append(f.ravel())
                masts[uid] = (offset, r0, c0, r1 - r0, c1 - c0, float(max(-f.min(), 0.0)))
                offset += f.size
                if offset * 4 > SHADOW_MEMORY_CAP_BYTES:
                    raise NrplanInputError(
                        "shadow_radius_m",
                        cfg.shadow_radius_m,
                        "a radius whose shadowing windows fit in 2 GiB",
                    )
        m = masts[uid]
        g_fld[g] = m[:5]
        g_gain[g] = m[5]
    values = np.concatenate(chunks) if chunks else np.zeros(1, np.float32)
    return ShadowFields(values, g_fld, g_gain, d_corr)
