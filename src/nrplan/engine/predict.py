"""The fast prediction engine: tiles, culling, compiled kernel, rates, aggregates.

``predict(grid, morphology, sectors, config, demand)`` walks the grid tile by
tile (``config.tile_px`` square), selects the candidate site groups of each tile
(:mod:`nrplan.engine.culling`), evaluates every (pixel, candidate sector) pair in
the Numba kernel (:mod:`nrplan.engine.kernels`), derives rates and coverage
(:mod:`nrplan.engine.coverage`) and accumulates per-sector aggregates. Peak
memory is the requested output rasters plus O(tile) working buffers, the
path-loss tables (64 KiB each per (scenario, h_BS, h_UT, band)) and, with
sampled shadowing, the per-mast field windows.

Per-pixel model (all powers per channel, see :mod:`nrplan.engine.model`):

- path loss: TR 38.901 Table 7.4.1-1 via look-up tables, LOS-probability
  weighted expected value or a sampled LOS state (Table 7.4.2-1);
- antenna gain: ``nrplan.radio.antenna.parametric_pattern`` of the sector's
  SSB, traffic and average beams at the local angles (TR 38.901 7.1, 7.3);
- ``RSRP_k = EPRE_k + G_ssb,k - PL`` [dBm]; best server = largest RSRP at or
  above ``rsrp_floor_dbm`` (across all bands);
- noise ``N = -174 + 10 log10(12 N_PRB SCS) + NF_UE`` over the channel;
- two SINRs, both with the transmitter EVM ceiling (``evm_percent``,
  :func:`evm_limited_sinr_db`):

  * **SS-SINR** (``ss_sinr_db``), the coverage criterion and the SINR
    operators measure on the SSB: in a synchronised TDD network every cell
    sends its SSBs in the same symbols, so the serving sector's SSB is received
    against every other co-channel sector's SSB beam at *full* load,
    independent of ``Sectors.load``:
    ``SS-SINR = P_best G_ssb,best / PL_best / (sum over co-channel k != best
    of P_k G_ssb,k / PL_k + N)``. Per RE this is ``RSRP_best`` against the
    neighbours' SSB RSRPs plus the noise per RE (``EPRE = P - 10 log10(12
    N_PRB)`` on every sector of a band, so the per-RE and per-channel ratios
    are equal);
  * **PDSCH SINR** (``sinr_db``), for rates: the serving traffic beam
    ``S = P_best G_traffic / PL`` against the other co-channel sectors'
    average beams at their planning load ``load_k`` (``Sectors.load``):
    ``I = sum over co-channel k != best of load_k P_k G_avg,k / PL_k``,
    ``SINR = S / (I + N)``;
- antenna gains are as radiated: each profile's ``implementation_loss_db``
  (AAU ohmic / feed loss against the datasheet gain) is off every beam;
- indoor variants: subtract the O2I loss (``nrplan.radio.o2i``) from
  ``signal_dbm`` and ``interference_dbm`` and recombine with ``noise_dbm``;
- terrain (optional ``terrain=``, :mod:`nrplan.engine.terrain`,
  ``docs/terrain.md``): a per-group window of dB adjustments (ITU-R P.526-15
  diffraction of the terrain profile minus that of flat ground, terrain NLOS,
  effective BS height) added to the path loss like a sampled shadowing field,
  and a per-pixel terminal clutter loss (ITU-R P.2108-1) on every link.

Culling (:mod:`nrplan.engine.culling`) bounds the interference neglected in
both sums: ``meta["sinr_truncation_bound_db"]`` (at most
``interference_error_db``) bounds the error of the PDSCH SINR and, when
``ss_sinr_db`` is requested, of the SS-SINR. The SS sum is computed only when
``ss_sinr_db`` is among the requested outputs.

References
----------
3GPP TR 38.901 V17.0.0, 7.1, 7.3 (Table 7.3-1), 7.4.1 (Table 7.4.1-1),
7.4.2 (Table 7.4.2-1), Table 7.5-6; TS 38.215 V17.0.0, 5.1.1; TS 38.214
V17.0.0, 5.2.2.1; TS 38.306 V17.0.0, 4.1.2.
"""

from __future__ import annotations

import math
import mmap
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nrplan.engine.config import PredictionConfig
from nrplan.engine.coverage import coverage_probability, full_buffer_rates
from nrplan.engine.culling import culling_arrays
from nrplan.engine.kernels import kernel_patterns, run_tiles
from nrplan.engine.model import Model, ShadowFields, build_model, build_shadowing
from nrplan.engine.sectors import Sectors
from nrplan.engine.terrain import (
    TERRAIN_TABLE_ROWS,
    build_terrain_fields,
    ring_gains,
    terminal_loss,
    terrain_heights,
)
from nrplan.errors import NrplanInputError, check_choice
from nrplan.grid import Grid

__all__ = ["OUTPUTS", "Prediction", "estimate_memory_bytes", "predict"]

OUTPUTS: dict[str, type] = {
    "best_server": np.int32,
    "rsrp_dbm": np.float32,
    "margin_db": np.float32,
    "sinr_db": np.float32,
    "ss_sinr_db": np.float32,
    "signal_dbm": np.float32,
    "interference_dbm": np.float32,
    "noise_dbm": np.float32,
    "dl_mbps": np.float32,
    "ul_mbps": np.float32,
    "n_servers_within": np.int16,
    "coverage_prob": np.float32,
}
"""Per-pixel output arrays and their dtypes (nodata: NaN, -1 for best_server, 0 counts)."""

_NODATA = {"best_server": -1, "n_servers_within": 0}


@dataclass(eq=False)
class Prediction:
    """Result of :func:`predict` / :func:`predict_reference`.

    Attributes
    ----------
    grid : Grid
        The grid predicted on.
    best_server : ndarray of int32 or None
        Index of the serving sector in the input ``Sectors`` (-1 = none / outside).
    rsrp_dbm : ndarray of float32 or None
        SSB RSRP of the best server [dBm] (NaN = none).
    margin_db : ndarray or None
        Best minus second-best RSRP [dB], at most ``margin_cap_db`` and at most
        best minus the detection floor.
    sinr_db : ndarray or None
        PDSCH SINR [dB]: serving traffic beam against the other co-channel
        sectors' average beams at their planning load (``Sectors.load``),
        plus noise, with the EVM ceiling; used for the rates and coverage.
    ss_sinr_db : ndarray or None
        SS-SINR [dB]: serving SSB against every other co-channel sector's SSB
        beam at full load (synchronised SSBs; independent of ``Sectors.load``),
        plus noise, with the EVM ceiling.
    signal_dbm, interference_dbm, noise_dbm : ndarray or None
        Serving traffic-beam power, load-weighted co-channel interference and
        UE noise over the channel [dBm].
    dl_mbps, ul_mbps : ndarray or None
        User rate at the serving sector's load [Mbit/s].
    n_servers_within : ndarray of int16 or None
        Sectors within ``pollution_window_db`` of the best (best included).
    coverage_prob : ndarray or None
        P(SS-RSRP >= thr and SS-SINR >= thr) [0-1] (SS-SINR at full SSB load).
    sector_stats : dict of ndarray
        Per sector (input order): ``served_pixels``, ``served_area_km2``,
        ``served_users``, ``offered_dl_mbps``, ``offered_ul_mbps``,
        ``load_dl`` / ``load_ul`` (offered traffic over capacity: the time
        share ``sum traffic / full-buffer rate`` of the served pixels) and
        ``unserved_dl_mbps`` (offered where the rate is 0).
    inside : ndarray of bool or None
        Pixels inside the area (morphology code != 0).
    meta : dict
        Settings, seed, LOS mode, timings, pairs evaluated, truncation bound.
    """

    grid: Grid
    best_server: np.ndarray | None = None
    rsrp_dbm: np.ndarray | None = None
    margin_db: np.ndarray | None = None
    sinr_db: np.ndarray | None = None
    ss_sinr_db: np.ndarray | None = None
    signal_dbm: np.ndarray | None = None
    interference_dbm: np.ndarray | None = None
    noise_dbm: np.ndarray | None = None
    dl_mbps: np.ndarray | None = None
    ul_mbps: np.ndarray | None = None
    n_servers_within: np.ndarray | None = None
    coverage_prob: np.ndarray | None = None
    inside: np.ndarray | None = None
    sector_stats: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self, mask: np.ndarray | None = None) -> dict[str, Any]:
        """Area KPIs: coverage share and percentiles 5/50/95 of the rasters.

        ``mask`` (bool, grid shape) restricts to part of the grid; by default
        every pixel inside the area (morphology != 0) counts.
        """
        inside = self.inside if mask is None else mask
        out: dict[str, Any] = {"pixels": int(inside.sum()) if inside is not None else 0}
        if self.coverage_prob is not None and inside is not None and inside.any():
            cp = np.nan_to_num(self.coverage_prob[inside].astype(np.float64), nan=0.0)
            out["coverage_pct"] = 100.0 * float(cp.mean())
        if self.best_server is not None and inside is not None and inside.any():
            out["served_pct"] = 100.0 * float((self.best_server[inside] >= 0).mean())
        for name in ("rsrp_dbm", "sinr_db", "ss_sinr_db", "dl_mbps", "ul_mbps"):
            arr = getattr(self, name)
            if arr is None or inside is None:
                continue
            v = arr[inside]
            v = v[np.isfinite(v)]
            if v.size:
                p = np.percentile(v.astype(np.float64), [5, 50, 95])
                out[name] = {"p5": float(p[0]), "p50": float(p[1]), "p95": float(p[2])}
            else:
                out[name] = {"p5": None, "p50": None, "p95": None}
        return out


def estimate_memory_bytes(grid: Grid, outputs=None) -> int:
    """Memory of the output rasters of a prediction on ``grid`` [bytes]
    (plus the int16 class raster); the working set per tile is small."""
    names = list(OUTPUTS) if outputs is None else list(outputs)
    per_px = sum(np.dtype(OUTPUTS[n]).itemsize for n in names) + 2 + 1
    return int(grid.size * per_px)


def _demand_arrays(demand, grid: Grid) -> dict[str, np.ndarray]:
    if demand is None:
        return {}
    out = {}
    for name in ("users", "dl_mbps", "ul_mbps"):
        if isinstance(demand, dict):
            v = demand.get(name)
        else:
            v = getattr(demand, name, None)
        if v is None:
            continue
        v = np.asarray(v, dtype=np.float64)
        if v.shape != grid.shape:
            raise NrplanInputError(f"demand.{name}", v.shape, f"shape {grid.shape} of the grid")
        out[name] = v
    if not out and isinstance(demand, np.ndarray):
        return _demand_arrays({"dl_mbps": demand}, grid)
    return out


class _Aggregator:
    """Per-sector sums (sorted-sector order), updated tile by tile."""

    def __init__(self, model: Model, demand: dict[str, np.ndarray]):
        n = model.order.size
        self.model = model
        self.demand = demand
        self.px = np.zeros(n)
        self.users = np.zeros(n)
        self.dl = np.zeros(n)
        self.ul = np.zeros(n)
        self.t_dl = np.zeros(n)
        self.t_ul = np.zeros(n)
        self.unserved_dl = np.zeros(n)

    def add(self, win, best, rdl, rul) -> None:
        n = self.px.size
        self.px += np.bincount(best, minlength=n)
        d = self.demand
        if "users" in d:
            self.users += np.bincount(best, weights=d["users"][win], minlength=n)
        for key, acc, tacc, rate in (
            ("dl_mbps", self.dl, self.t_dl, rdl),
            ("ul_mbps", self.ul, self.t_ul, rul),
        ):
            if key not in d:
                continue
            w = d[key][win]
            acc += np.bincount(best, weights=w, minlength=n)
            ok = rate > 0
            tacc += np.bincount(best[ok], weights=w[ok] / rate[ok], minlength=n)
            if key == "dl_mbps":
                self.unserved_dl += np.bincount(best[~ok], weights=w[~ok], minlength=n)

    def result(self) -> dict[str, np.ndarray]:
        inv = np.empty_like(self.model.order)
        inv[self.model.order] = np.arange(inv.size)
        pa = self.model.grid.pixel_area_km2
        out = {
            "served_pixels": self.px[inv].astype(np.int64),
            "served_area_km2": self.px[inv] * pa,
        }
        if "users" in self.demand:
            out["served_users"] = self.users[inv]
        if "dl_mbps" in self.demand:
            out["offered_dl_mbps"] = self.dl[inv]
            out["load_dl"] = self.t_dl[inv]
            out["unserved_dl_mbps"] = self.unserved_dl[inv]
        if "ul_mbps" in self.demand:
            out["offered_ul_mbps"] = self.ul[inv]
            out["load_ul"] = self.t_ul[inv]
        return out


def finish_pixels(
    model: Model,
    outs: dict[str, np.ndarray],
    win: tuple[slice, slice],
    cls: np.ndarray,
    best_sorted: np.ndarray,
    rsrp: np.ndarray,
    margin: np.ndarray,
    sig: np.ndarray,
    intf: np.ndarray,
    sinr: np.ndarray,
    nwin: np.ndarray,
    agg: _Aggregator | None,
    ss_sinr: np.ndarray | None = None,
) -> None:
    """Derive rates and coverage of a block of pixels and store every output.

    Both SINRs (PDSCH ``sinr`` and, when given, SS ``ss_sinr``) get the
    transmitter EVM ceiling of ``model.config.evm_percent``
    (:func:`evm_limited_sinr_db`) before they are stored; the PDSCH SINR is
    used for rates, the SS-SINR (when computed) for coverage.
    """
    sinr = _evm_where_defined(sinr, model.config.evm_percent)
    if ss_sinr is not None:
        ss_sinr = _evm_where_defined(ss_sinr, model.config.evm_percent)
        if "ss_sinr_db" in outs:
            outs["ss_sinr_db"][win] = ss_sinr
    served = best_sorted >= 0
    inside = cls >= 0
    b = best_sorted[served]
    if "best_server" in outs:
        bs = np.full(best_sorted.shape, -1, dtype=np.int32)
        bs[served] = model.order[b]
        outs["best_server"][win] = bs
    for name, arr in (
        ("rsrp_dbm", rsrp),
        ("margin_db", margin),
        ("sinr_db", sinr),
        ("signal_dbm", sig),
        ("interference_dbm", intf),
    ):
        if name in outs:
            outs[name][win] = arr
    if "n_servers_within" in outs:
        outs["n_servers_within"][win] = nwin
    if "noise_dbm" in outs:
        nz = np.full(best_sorted.shape, np.nan, dtype=np.float32)
        nz[served] = model.band_noise_dbm[model.s_band[b]]
        outs["noise_dbm"][win] = nz
    need_rates = "dl_mbps" in outs or "ul_mbps" in outs or (agg is not None and agg.demand)
    if need_rates:
        rdl, rul = full_buffer_rates(model, b, sig[served], sinr[served])
        load = model.s_load[b]
        for name, r in (("dl_mbps", rdl), ("ul_mbps", rul)):
            if name in outs:
                a = np.full(inside.shape, np.nan, np.float32)
                a[inside] = 0.0
                a[served] = r * (1.0 - load)
                outs[name][win] = a
    if "coverage_prob" in outs:
        cp = np.full(inside.shape, np.nan, np.float32)
        cp[inside] = 0.0
        cov_sinr = ss_sinr if ss_sinr is not None else sinr
        cp[served] = coverage_probability(model, cls[served], rsrp[served], cov_sinr[served])
        outs["coverage_prob"][win] = cp
    if agg is not None:
        if not need_rates:
            rdl = rul = np.zeros(b.shape)
        r_idx, c_idx = np.nonzero(served)
        gwin = (r_idx + win[0].start, c_idx + win[1].start)
        agg.add(gwin, b, rdl, rul)


def evm_limited_sinr_db(sinr_db: np.ndarray, evm_percent: float | None) -> np.ndarray:
    """SINR with the transmitter distortion added: 1/SINR' = 1/SINR + EVM^2 [dB].

    Parameters
    ----------
    sinr_db : ndarray
        SINR without distortion [dB] (NaN stays NaN, +inf gives the ceiling).
    evm_percent : float or None
        EVM [%]; None returns ``sinr_db`` unchanged.

    References
    ----------
    3GPP TS 38.104 V17.0.0, Table 6.5.2.2-1 (EVM 3.5 % for 256QAM).
    """
    if evm_percent is None:
        return sinr_db
    evm2 = (evm_percent / 100.0) ** 2
    x = np.asarray(sinr_db, dtype=np.float64)
    with np.errstate(over="ignore"):
        out = -10.0 * np.log10(10.0 ** (-x / 10.0) + evm2)
    return out.astype(np.asarray(sinr_db).dtype, copy=False)


_SMALL_PAGES_MIN_BYTES = 1 << 24
"""Rasters at least this large [bytes] are mapped with small pages (:func:`raster_full`)."""


def raster_full(shape, fill, dtype) -> np.ndarray:
    """``np.full(shape, fill, dtype)`` for a grid-sized raster, on small pages.

    NumPy asks the kernel for transparent huge pages for every array of 4 MiB
    or more; a fresh huge page must be taken from a free 2 MiB block, which on
    a virtual machine that hands free blocks back to its host (free page
    reporting) is a host fault per page: about 10 s per GiB of output rasters
    against about 1 s on small pages recycled from the guest's own free
    memory. Arrays of ``_SMALL_PAGES_MIN_BYTES`` or more are therefore an
    anonymous private mapping advised ``MADV_NOHUGEPAGE`` (released when the
    array is); smaller ones, and platforms without ``madvise``, use
    ``np.full``. The values are those of ``np.full``.
    """
    dt = np.dtype(dtype)
    nbytes = math.prod(shape) * dt.itemsize
    advice = getattr(mmap, "MADV_NOHUGEPAGE", None)
    if nbytes < _SMALL_PAGES_MIN_BYTES or advice is None:
        return np.full(shape, fill, dtype=dt)
    buf = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    buf.madvise(advice)
    out = np.frombuffer(buf, dtype=dt).reshape(shape)
    out.fill(fill)
    return out


def _evm_where_defined(sinr_db: np.ndarray, evm_percent: float | None) -> np.ndarray:
    """:func:`evm_limited_sinr_db` evaluated on the non-NaN pixels only (NaN
    stays NaN): the same values, without the float64 work on nodata."""
    if evm_percent is None:
        return sinr_db
    ok = ~np.isnan(sinr_db)
    out = np.full(sinr_db.shape, np.nan, dtype=sinr_db.dtype)
    out[ok] = evm_limited_sinr_db(sinr_db[ok], evm_percent)
    return out


def _allocate(grid: Grid, outputs) -> dict[str, np.ndarray]:
    return {
        name: raster_full(grid.shape, _NODATA.get(name, np.nan), OUTPUTS[name]) for name in outputs
    }


def _check_outputs(outputs) -> tuple[str, ...]:
    if outputs is None:
        return tuple(OUTPUTS)
    return tuple(check_choice("outputs", o, OUTPUTS) for o in outputs)


def predict(
    grid: Grid,
    morphology,
    sectors: Sectors,
    config: PredictionConfig | None = None,
    demand=None,
    *,
    outputs=None,
    terrain=None,
) -> Prediction:
    """Predict best server, RSRP, SINR, rates and coverage on a grid.

    Parameters
    ----------
    grid : Grid
        Metric prediction grid.
    morphology : array_like of int, shape ``grid.shape``, or int
        Morphology code per pixel (``nrplan.morphology``; 0 = outside, skipped,
        nodata); it sets the path-loss scenario and UT height of each pixel.
    sectors : Sectors
        Sectors (x, y in the grid's CRS).
    config : PredictionConfig, optional
        Settings (defaults documented there).
    demand : object or dict, optional
        Grid-shaped ``users`` [users/pixel], ``dl_mbps`` / ``ul_mbps``
        [Mbit/s per pixel, busy hour] (e.g. ``nrplan.demand.Demand``), or one
        array taken as ``dl_mbps``; gives served users, offered traffic and
        load per sector.
    outputs : iterable of str, optional
        Per-pixel arrays to keep (default all of :data:`OUTPUTS`); fewer
        arrays, less memory.
    terrain : nrplan.terrain.Terrain, optional
        Ground (and obstacle) heights and terminal clutter loss on ``grid``:
        adds the ITU-R P.526-15 terrain diffraction adjustment, the terrain
        NLOS switch and the clutter loss to every link
        (:mod:`nrplan.engine.terrain`). None = flat ground (unchanged model).

    Returns
    -------
    Prediction

    References
    ----------
    See the module docstring.
    """
    t_start = time.perf_counter()
    cfg = config if config is not None else PredictionConfig()
    names = _check_outputs(outputs)
    if terrain is None or terrain.ground_m is None:
        model = build_model(grid, morphology, sectors, cfg)
    else:  # the terrain windows read the NLOS row too
        rows = TERRAIN_TABLE_ROWS if cfg.los_mode == "expected" else None
        model = build_model(grid, morphology, sectors, cfg, table_rows=rows)
    shadow: ShadowFields | None = build_shadowing(model) if cfg.shadowing == "sampled" else None
    use_ring, ring, ring_inv_w = False, np.zeros((1, 1)), 0.0
    if terrain is not None and terrain.ground_m is not None:
        shadow = build_terrain_fields(model, terrain, shadow)
        ring, ring_inv_w = ring_gains(model, shadow)
        use_ring = True
    use_pxl, pxl, _ = terminal_loss(terrain, grid.shape)
    dem = _demand_arrays(demand, grid)
    t_setup = time.perf_counter()

    outs = _allocate(grid, names)
    agg = _Aggregator(model, dem)
    cull = culling_arrays(model, shadow.g_max_gain if shadow is not None else None)
    use_tdz, tdz, g_zm = False, np.zeros((1, 1), np.float32), np.zeros(model.n_groups)
    if use_ring:  # terrain heights: antenna angles over the terrain
        tdz, g_zm = terrain_heights(model, terrain, cull)
        use_tdz = True
    tp = cfg.tile_px
    fld = shadow.values if shadow is not None else np.zeros(1, np.float32)
    g_fld = shadow.g_fld if shadow is not None else np.zeros((model.n_groups, 5), np.int64)
    f4 = np.float32
    s_pat32 = kernel_patterns(model.s_pat).astype(f4)
    sec32 = [
        np.ascontiguousarray(a, dtype=f4)
        for a in (model.s_sinaz, model.s_cosaz, model.s_cosmt, model.s_sinmt, model.s_etilt)
    ]
    pow32 = [np.ascontiguousarray(a, dtype=f4) for a in (model.s_epre, model.s_ptot, model.s_load)]
    want_count = "n_servers_within" in names
    want_ss = "ss_sinr_db" in names or "coverage_prob" in names
    cap = max(
        cfg.margin_cap_db if "margin_db" in names else 0.0,
        cfg.pollution_window_db if want_count else 0.0,
    )
    eps = 10.0 ** (cfg.interference_error_db / 10.0) - 1.0
    x_first = grid.x0 + 0.5 * grid.pixel_m
    y_first = grid.y0 - 0.5 * grid.pixel_m
    # strips of whole tile rows, about 1 M pixels each: bounded working memory,
    # and enough tiles per kernel call to keep the threads busy
    strip = tp * max(1, (1 << 20) // (tp * grid.ncols))
    shp = (min(strip, grid.nrows), grid.ncols)
    bufs = {
        "best": np.empty(shp, np.int32),
        "rsrp": np.empty(shp, np.float32),
        "margin": np.empty(shp, np.float32),
        "sig": np.empty(shp, np.float32),
        "intf": np.empty(shp, np.float32),
        "sinr": np.empty(shp, np.float32),
        "ss": np.empty(shp if want_ss else (1, 1), np.float32),
        "nwin": np.empty(shp, np.int16),
    }
    nt_c = -(-grid.ncols // tp)
    pairs = 0
    tiles = 0
    cand_sum = 0
    worst = 0.0
    t_kernel = 0.0
    for sr0 in range(0, grid.nrows, strip):
        sr1 = min(sr0 + strip, grid.nrows)
        cls_s = model.cls[sr0:sr1]
        inside = cls_s >= 0
        nt_r = -(-(sr1 - sr0) // tp)
        pad = np.zeros((nt_r * tp, nt_c * tp), dtype=bool)
        pad[: sr1 - sr0, : grid.ncols] = inside
        ti_r, ti_c = np.nonzero(pad.reshape(nt_r, tp, nt_c, tp).any(axis=(1, 3)))
        if ti_r.size == 0:
            continue
        # the strip buffers, allocated once and reset to their nodata per strip
        v = {key: a[: sr1 - sr0] for key, a in bufs.items()}
        for key, a in v.items():
            a.fill(-1 if key == "best" else 0 if key == "nwin" else np.nan)
        nt = ti_r.size
        t_nsec = np.zeros(nt, np.int64)
        t_npx = np.zeros(nt, np.int64)
        t_ratio = np.zeros(nt)
        tk = time.perf_counter()
        run_tiles(
            (ti_r * tp + sr0).astype(np.int64), (ti_c * tp).astype(np.int64), tp, sr0, x_first,
            y_first, grid.pixel_m, model.cls, model.cls_hut, len(model.cls_hut), model.g_x,
            model.g_y, model.g_h, model.g_band, model.g_tab, model.g_sec0, model.g_sec1,
            model.g_uid, g_fld, fld, *sec32, s_pat32, *pow32, model.s_band, model.s_pat,
            cull.s_az_deg, cull.s_c, cull.s_tilt, cull.plmin, cull.shadow_gain, model.s_epre,
            model.s_ptot, model.s_load, model.tab_values, model.tab_dmin, model.tab_s0,
            model.tab_inv_ds,
            model.band_noise_lin, eps, cfg.rsrp_floor_dbm, cap, cfg.pollution_window_db,
            cfg.margin_cap_db, cfg.los_mode == "sampled", model.los_key, shadow is not None,
            want_count, want_ss, v["best"], v["rsrp"], v["margin"], v["sig"], v["intf"],
            v["sinr"], v["ss"], v["nwin"], t_nsec, t_npx, t_ratio, use_pxl, pxl, use_ring, ring,
            ring_inv_w, use_tdz, tdz, g_zm,
        )  # fmt: skip
        t_kernel += time.perf_counter() - tk
        tiles += nt
        pairs += int(np.dot(t_nsec, t_npx))
        cand_sum += int(t_nsec.sum())
        worst = max(worst, float(t_ratio.max()))
        win = (slice(sr0, sr1), slice(0, grid.ncols))
        finish_pixels(
            model, outs, win, cls_s, v["best"], v["rsrp"], v["margin"], v["sig"], v["intf"],
            v["sinr"], v["nwin"], agg, v["ss"] if want_ss else None,
        )  # fmt: skip
    t_end = time.perf_counter()
    inside = np.greater_equal(model.cls, 0, out=raster_full(grid.shape, False, bool))
    meta = {
        "engine": "nrplan.engine.predict",
        "los_mode": cfg.los_mode,
        "shadowing": cfg.shadowing,
        "seed": cfg.seed,
        "settings": cfg.settings(),
        "scenarios": {s: float(h) for s, h in zip(model.cls_scenario, model.cls_hut, strict=True)},
        "bands": [b.name for b in model.bands],
        "pairs_evaluated": int(pairs),
        "tiles": tiles,
        "kernel_passes": tiles,
        "mean_candidate_sectors": cand_sum / tiles if tiles else 0.0,
        "sinr_truncation_bound_db": 10.0 * math.log10(1.0 + worst),
        "sinr_truncation_bound_outputs": ["sinr_db", "ss_sinr_db"] if want_ss else ["sinr_db"],
        "pl_tables": len(model.tables),
        "timings_s": {
            "setup": t_setup - t_start,
            "kernel": t_kernel,
            "total": t_end - t_start,
        },
    }
    if shadow is not None and cfg.shadowing == "sampled":
        meta["shadow_d_corr_m"] = shadow.d_corr_m
    if terrain is not None:
        meta["terrain"] = terrain.record()
        if shadow is not None and shadow.terrain_radius_m is not None:
            # links beyond it use the flat model (nrplan.engine.terrain)
            meta["terrain"]["window_radius_m"] = shadow.terrain_radius_m
            meta["terrain"]["window_bytes"] = int(shadow.values.nbytes)
    return Prediction(grid=grid, **outs, inside=inside, sector_stats=agg.result(), meta=meta)
