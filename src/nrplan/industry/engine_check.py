"""Measure a private plan with the raster prediction engine (``nrplan.engine``).

:func:`nrplan.industry.plan.plan_private` sizes a layout with its own
evaluation (:mod:`nrplan.industry.evaluate`). This module measures the same
layout independently with the public-network engine and recomputes every
class's reliability from it:

- Units -> :class:`nrplan.engine.Sectors`: one sector per omni unit at its
  position and height, antenna profile ``"omni"`` (flat ``OMNI_GAIN_DBI``) with
  the power ``P + G_unit - OMNI_GAIN_DBI + G_UE`` (so the EIRP toward the UE is
  the industry one); sectored units (macro AAUs) as their cells, with the
  unit's antenna profile, azimuths, mechanical and the profile's electrical
  tilt, power ``P + G_UE`` (the engine adds the beam gains: traffic beam for
  the server, average beams for interferers, as the industry evaluation; the
  engine picks its server by the SSB beam, the industry evaluation by the
  traffic beam, so they differ where two sectors are close); the unit's DL
  activity as ``load`` and the ``nrplan.radio.bands``
  band whose carrier frequency is closest to the industry band's (n79 4.85 GHz,
  n78 3.5 GHz: equal; the offset is reported).
- The service area is morphology code ``morphology_code`` whose scenario is
  overridden by the profile's (``PredictionConfig.scenarios``), with the InF
  clutter parameters as ``PredictionConfig.pathloss_params``, UT height of the
  profile.
- The engine's signal and interference are per channel, independent of the
  band's PRB count; the engine's noise uses the band's UE noise figure (7 dB),
  the industry evaluation the profile's (9 dB). The primary-link SINR is
  therefore recombined as ``S / (I + N_profile)`` over the industry carrier
  (``sinr_db``); the engine's own SINR is kept as ``engine_sinr_db``.
- Reliability: the primary link is the engine's best server; its LOS / NLOS
  path loss and LOS probability are read from the engine's path-loss tables
  at the pixel's distance (the same tables the engine's expected loss comes
  from; sectored: less the serving sector's traffic-beam gain below its
  peak), and the DL interference from outside the serving set is the engine's
  interference less the engine-table contribution of the other serving units.
  The redundant links (2nd.. ``redundancy``-th best units by expected received
  power, excluding the engine's best) take their path loss from the industry
  model (re-predicting with the engine per rank is not cheap: it would need a
  per-pixel exclusion the engine does not have). The fading / HARQ / location-
  margin model is the industry one (:func:`nrplan.industry.evaluate.
  serving_availability`).

Known systematic differences, all small: the engine clamps distances below the
scenario's minimum (10 m UMa/UMi/RMa, 1 m InF) where the industry evaluation
extrapolates the formulas; the engine's tables are interpolated in
sqrt(d) (< 0.01 dB) and its kernel works in float32; the engine culls
interferers whose neglected sum is bounded by ``interference_error_db``.

References
----------
3GPP TR 38.901 V17.0.0, Tables 7.4.1-1, 7.4.2-1 (path loss, LOS probability).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.engine.lookup import ROW_EXPECTED, ROW_LOS, ROW_NLOS, ROW_PLOS
from nrplan.engine.model import build_model
from nrplan.errors import NrplanInputError
from nrplan.industry.evaluate import (
    _CHUNK,
    _db,
    _pl,
    link_setup,
    sector_gains,
    serving_availability,
)
from nrplan.industry.latency import symbol_map
from nrplan.radio.antenna import OMNI_GAIN_DBI, get_antenna
from nrplan.radio.bands import BANDS

__all__ = ["EngineCheck", "engine_band", "measure_with_engine"]


@dataclass
class EngineCheck:
    """Result of :func:`measure_with_engine` (grid-shaped arrays, NaN outside).

    Attributes
    ----------
    best_server : ndarray of int32
        Engine best server (unit index, -1 outside).
    sinr_db : ndarray
        Engine primary-link DL SINR with the profile's UE noise figure [dB].
    engine_sinr_db : ndarray
        The engine's own SINR output (band UE noise figure) [dB].
    industry_sinr_db : ndarray
        The industry evaluation's primary-link SINR [dB].
    reliability : dict[str, ndarray]
        Per class: availability with the engine's primary link.
    classes : list of dict
        Per class: target, area share meeting it (engine, industry), ok flags.
    agreement : dict
        SINR difference statistics engine - industry over the service area [dB]
        and the share of pixels with the same best server.
    band : str
        Engine band used; ``f_c_offset_ghz`` its carrier minus the industry one.
    meta : dict
        The engine prediction's meta.
    """

    best_server: np.ndarray
    sinr_db: np.ndarray
    engine_sinr_db: np.ndarray
    industry_sinr_db: np.ndarray
    reliability: dict[str, np.ndarray]
    classes: list[dict[str, Any]]
    agreement: dict[str, float]
    band: str
    f_c_offset_ghz: float
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def targets_met(self) -> bool:
        """Every class that the plan counts (latency met, devices present) meets its
        reliability target over the area fraction when measured by the engine."""
        return all(c["reliability_ok_engine"] for c in self.classes if c["counted"])


def engine_band(industry_band) -> tuple[str, float]:
    """``nrplan.radio.bands`` band closest in carrier frequency to an industry band
    (TDD/FDD alike) and the frequency offset [GHz] (engine minus industry)."""
    name = min(BANDS, key=lambda b: (abs(BANDS[b].f_c_ghz - industry_band.f_c_ghz), b))
    off = float(BANDS[name].f_c_ghz - industry_band.f_c_ghz)
    if abs(off) > 0.25:
        raise NrplanInputError(
            "band", industry_band.name, "a carrier within 250 MHz of an nrplan.radio.bands band"
        )
    return name, off


def _stats(diff: np.ndarray) -> dict[str, float]:
    a = np.abs(diff)
    return {
        "mean_db": float(diff.mean()),
        "median_abs_db": float(np.median(a)),
        "p95_abs_db": float(np.quantile(a, 0.95)),
        "max_abs_db": float(a.max()),
    }


def measure_with_engine(
    plan, *, morphology_code: int = 2, config=None, terrain=None
) -> EngineCheck:
    """Measure a :class:`nrplan.industry.plan.PrivatePlan` with ``nrplan.engine``.

    Parameters
    ----------
    plan : PrivatePlan
        Result of :func:`nrplan.industry.plan.plan_private`.
    morphology_code : int
        Morphology code given to the service area (its scenario is overridden).
    config : dict, optional
        Extra :class:`nrplan.engine.PredictionConfig` fields.
    terrain : nrplan.terrain.Terrain, optional
        The user's terrain on ``plan.grid`` (``docs/terrain.md``): the plan
        measured over it.

    Returns
    -------
    EngineCheck

    References
    ----------
    See the module docstring.
    """
    prof, band, grid, mask = plan.profile, plan.band, plan.grid, plan.mask
    u = prof.unit
    ux, uy = plan.units_xy[:, 0].astype(float), plan.units_xy[:, 1].astype(float)
    n_u = ux.size
    act = plan.activity if plan.activity is not None else prof.dl_load
    act = np.clip(np.broadcast_to(np.asarray(act, float), (n_u,)), 0.0, 1.0)
    classes = plan.inventory.classes()
    smap = symbol_map(prof.tdd_pattern, prof.special_slot)
    st = link_setup(prof, band, classes, smap, n_u, act, plan.transmissions or None)
    n_sec = int(u.sectors)
    n_site = n_u // n_sec

    bname, f_off = engine_band(band)
    if n_sec > 1:  # sectored: the unit's antenna profile, its azimuths and tilts
        az = np.asarray(plan.azimuth_deg, float)
        ant = get_antenna(u.antenna)
        antenna, power = np.full(n_u, u.antenna), u.power_dbm + prof.ue_gain_dbi
        mech, elec = u.downtilt_deg, ant.etilt_deg
    else:
        az = np.zeros(n_u)
        antenna = np.full(n_u, "omni")
        power = u.power_dbm + u.gain_dbi - OMNI_GAIN_DBI + prof.ue_gain_dbi
        mech, elec = 0.0, 0.0
    sectors = Sectors(
        site_id=np.array([f"u{i // n_sec}" for i in range(n_u)]),
        x=ux,
        y=uy,
        height_m=np.full(n_u, u.height_m),
        azimuth_deg=az,
        mech_tilt_deg=np.full(n_u, mech),
        elec_tilt_deg=np.full(n_u, elec),
        band=np.full(n_u, bname),
        power_dbm=np.full(n_u, power),
        antenna=antenna,
        load=act,
    )
    params: dict[str, float] = {}
    if prof.is_inf:
        c = prof.clutter
        params = {
            "r_clutter": c.r,
            "h_clutter": c.h_c,
            "d_clutter": c.d_clutter,
            "ceiling_m": c.ceiling_m,
        }
    kw = {
        "h_ut_m": prof.h_ut_m,
        "scenarios": {morphology_code: prof.scenario},
        "pathloss_params": params or None,
        "shadowing": "none",
        "rsrp_floor_dbm": -200.0,
        "interference_error_db": 0.01,
        "evm_percent": None,  # the industry evaluation has no EVM ceiling
        "pathloss_corrections": (
            {morphology_code: prof.pathloss_correction} if prof.pathloss_correction else None
        ),
        **(config or {}),
    }
    cfg = PredictionConfig(**kw)
    morph = np.where(mask, morphology_code, 0).astype(np.uint8)
    pred = predict(
        grid,
        morph,
        sectors,
        cfg,
        outputs=("best_server", "sinr_db", "signal_dbm", "interference_dbm"),
        terrain=terrain,
    )
    model = build_model(grid, morph, sectors, cfg)  # the same (cached) path-loss tables

    best = pred.best_server[mask].astype(np.int64)
    if (best < 0).any():
        raise NrplanInputError("plan", "pixels without a server", "every pixel served")
    sig = pred.signal_dbm[mask].astype(float)
    i_lin = np.nan_to_num(10.0 ** (pred.interference_dbm[mask].astype(float) / 10.0))
    sinr = sig - _db(i_lin + st.noise_dl_lin)

    # table of each unit (one scenario class; units may differ in height / band)
    pos = np.empty(n_u, np.int64)
    pos[model.order] = np.arange(n_u)
    grp = np.searchsorted(model.g_sec1, pos, side="right")
    cls_id = int(np.unique(model.cls[mask])[0])
    u_tab = model.g_tab[grp, cls_id]

    def tab(d: np.ndarray, k: np.ndarray, row: int) -> np.ndarray:
        out = np.empty(d.shape)
        for t in np.unique(k):
            sel = k == t
            out[sel] = model.tables[t].lookup(d[sel], row)
        return out

    xs, ys = grid.centers()
    px, py = xs[mask], ys[mask]
    n_p = px.size
    n_red = min(st.n_red, n_site)
    rel = {lab: np.zeros(n_p) for lab in classes}
    same = np.zeros(n_p, bool)
    for a in range(0, n_p, _CHUNK):
        b = min(a + _CHUNK, n_p)
        rows = np.arange(b - a)[:, None]
        e = best[a:b]
        d2d = np.hypot(px[a:b, None] - ux[None, :], py[a:b, None] - uy[None, :])
        pl_l, pl_n, p = _pl(prof, d2d, u.height_m, band.f_c_ghz)
        g_srv = g_avg = np.zeros_like(d2d)  # sector gains relative to the peak [dB]
        if n_sec > 1:
            g_srv, g_avg = sector_gains(
                u, px[a:b, None] - ux[None, :], py[a:b, None] - uy[None, :],
                prof.h_ut_m - u.height_m, az[None, :],
            )  # fmt: skip
            pl_l, pl_n = pl_l - g_srv, pl_n - g_srv
        rx = st.eirp_dl - (p * pl_l + (1.0 - p) * pl_n)
        same[a:b] = np.argmax(rx, axis=1) == e
        rx[rows[:, 0], e] = np.inf  # the engine's best leads the serving set
        if n_sec > 1:  # best sector of each of the n_red best sites
            rs = rx.reshape(b - a, n_site, n_sec)
            bsec = rs.argmax(axis=2)
            osite = np.argsort(-rs.max(axis=2), axis=1)[:, :n_red]
            order = osite * n_sec + bsec[rows, osite]
        else:
            order = np.argsort(-rx, axis=1)[:, :n_red]
        # primary link: the engine's tables at the distance to the engine's server
        d_e = d2d[rows[:, 0], e]
        t_e = u_tab[e]
        g_e = g_srv[rows[:, 0], e]
        pl_sl = pl_l[rows, order].copy()
        pl_sn = pl_n[rows, order].copy()
        p_s = p[rows, order].copy()
        pl_sl[:, 0] = tab(d_e, t_e, ROW_LOS) - g_e
        pl_sn[:, 0] = tab(d_e, t_e, ROW_NLOS) - g_e
        p_s[:, 0] = tab(d_e, t_e, ROW_PLOS)
        # interference outside the serving set: the engine's, less the other serving
        # units as the engine counts them (load x EIRP over the expected table loss)
        i_ex = i_lin[a:b].copy()
        for k in range(1, n_red):
            j = order[:, k]
            pl_j = tab(d2d[rows[:, 0], j], u_tab[j], ROW_EXPECTED) - g_avg[rows[:, 0], j]
            i_ex -= act[j] * 10.0 ** ((st.eirp_dl - pl_j) / 10.0)
        i_ex = np.maximum(i_ex, 0.0)
        for lab, v in serving_availability(st, classes, pl_sl, pl_sn, p_s, i_ex).items():
            rel[lab][a:b] = v

    ev = plan.evaluation
    ind = ev.sinr_db[mask]
    counts = plan.inventory.counts()
    out_rows = []
    for row in plan.classes:
        lab = row["class"]
        c = classes[lab]
        zone = plan.class_pixels.get(lab)
        r = rel[lab] if zone is None else rel[lab][zone[mask]]  # the class's zone only
        share = float(np.mean(r >= c.reliability))
        out_rows.append(
            {
                "class": lab,
                "reliability_target": c.reliability,
                "reliability_area_share_engine": share,
                "reliability_area_share_industry": row["reliability_area_share"],
                "reliability_ok_engine": bool(share >= prof.area_fraction),
                "reliability_ok_industry": bool(row["reliability_ok"]),
                "counted": bool(counts[lab] > 0 and row["latency_ok"]),
            }
        )

    def full(v: np.ndarray, fill: float = np.nan, dtype=float) -> np.ndarray:
        arr = np.full(grid.shape, fill, dtype=dtype)
        arr[mask] = v
        return arr

    agreement = {
        **_stats(sinr - ind),
        "engine_nf": {**_stats(pred.sinr_db[mask].astype(float) - ind)},
        "same_best_server_share": float(same.mean()),
        "noise_figure_offset_db": float(
            prof.ue_noise_figure_db - model.bands[0].ue_nf_db if model.bands else 0.0
        ),
    }
    return EngineCheck(
        best_server=full(best, -1, np.int32),
        sinr_db=full(sinr),
        engine_sinr_db=pred.sinr_db.astype(float),
        industry_sinr_db=ev.sinr_db,
        reliability={lab: full(v) for lab, v in rel.items()},
        classes=out_rows,
        agreement=agreement,
        band=bname,
        f_c_offset_ghz=f_off,
        meta=pred.meta,
    )
