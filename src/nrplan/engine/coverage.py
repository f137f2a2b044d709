"""Per-pixel derived quantities: user rates, uplink SINR and coverage probability.

Shared by the fast engine and the reference so that both derive rates and
coverage the same way from (best server, signal, SINR).

Downlink rate
    Rank adaptation: with ``l`` layers the sector's power is split evenly
    (per-layer SINR ``SINR - 10 log10 l``); the rate is the best over
    ``l = 1..max_dl_layers`` of the band of ``nrplan.radio.nr.user_rate_mbps``
    summed over the band's carriers, times ``1 - load`` of the serving sector
    (processor sharing, see ``user_rate_mbps``).

Uplink model
    The UE transmits its power-class power (``Band.ue_power_dbm``, TS 38.101-1
    Table 6.2.1-1) spread evenly over ``ul_prb_share`` of the band's PRBs; the
    gNB receives it with the serving sector's traffic-beam gain (reciprocity,
    the same gain as the DL traffic beam, i.e. the array gain of the panel), over
    the same path loss; noise per RE is ``-174 + 10 log10(SCS) + NF_gNB`` plus
    an interference-over-thermal margin ``ul_interference_margin_db``::

        SINR_UL = P_UE - 10 log10(12 N_PRB share) + G_traffic - PL
                  - (N_RE,gNB + IoT)

    The rate is ``user_rate_mbps(..., direction="ul", prb_share=share)`` with
    rank adaptation up to ``max_ul_layers`` (UE power split over the layers),
    times ``1 - load``.

Coverage probability
    ``"margin"``: the serving link's shadowing X ~ N(0, sigma^2) (NLOS sigma_SF
    of the pixel's scenario, TR 38.901 Table 7.4.1-1) moves RSRP and SINR by the
    same X with the interference held fixed, so
    ``P(RSRP + X >= r_thr and SINR + X >= s_thr) = Q(max(r_thr - RSRP,
    s_thr - SINR) / sigma)``. ``"sampled"`` / ``"none"``: the 0/1 outcome of
    the computed (shadowed, or mean) values. A pixel with no server has 0.

References
----------
3GPP TS 38.306 V17.0.0, 4.1.2; TS 38.214 V17.0.0, Tables 5.2.2.1-2/-3;
TS 38.101-1 V17.0.0, Table 6.2.1-1; TR 38.901 V17.0.0, Table 7.4.1-1.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfc

from nrplan.engine.model import Model
from nrplan.radio.nr import user_rate_mbps

__all__ = ["coverage_probability", "full_buffer_rates", "ul_sinr_db"]


_RATE_BLOCK = 32768
"""Pixels per block of :func:`_best_rank_rate` (its temporaries stay about 1 MiB)."""


def _best_rank_rate(sinr_db: np.ndarray, band, direction: str, method: str, share: float):
    """Best rate over the ranks 1..max layers of the pixels ``sinr_db`` (1-D).

    One ``user_rate_mbps`` call per carrier and block of pixels for all ranks
    (the per-rank SINRs are the rows of one array): few calls for a small
    window, bounded temporaries for a large grid; the values are those of a
    loop over the ranks.
    """
    max_l = band.max_dl_layers if direction == "dl" else band.max_ul_layers
    tdd = band.tdd_pattern
    shifts = [10.0 * np.log10(layers) for layers in range(1, max_l + 1)]
    ranks = np.arange(1, max_l + 1)[:, None]
    out = np.zeros(sinr_db.shape)
    for i in range(0, sinr_db.size, _RATE_BLOCK):
        blk = sinr_db[i : i + _RATE_BLOCK]
        s = np.stack([blk - sh for sh in shifts])
        r = np.zeros(s.shape)
        for bw in band.carriers_mhz:
            r += user_rate_mbps(
                s, bw, band.scs_khz, ranks, tdd, direction, 0.0, method=method, prb_share=share
            )
        best = np.zeros(blk.shape)
        for row in r:
            best = np.maximum(best, row)
        out[i : i + _RATE_BLOCK] = best
    return out


def ul_sinr_db(model: Model, best: np.ndarray, signal_dbm: np.ndarray) -> np.ndarray:
    """Uplink SINR of the serving link [dB] (``best`` in sorted-sector order, valid only).

    ``signal_dbm - power_dbm`` of the serving sector is its ``G_traffic - PL``.
    """
    cfg = model.config
    band = model.s_band[best]
    p_ue = np.array([b.ue_power_dbm for b in model.bands])[band]
    n_re = model.band_n_re[band] * cfg.ul_prb_share
    coupling = signal_dbm.astype(np.float64) - model.s_ptot[best]
    return (
        p_ue
        - 10.0 * np.log10(n_re)
        + coupling
        - (model.band_ul_noise_dbm[band] + cfg.ul_interference_margin_db)
    )


def full_buffer_rates(
    model: Model, best: np.ndarray, signal_dbm: np.ndarray, sinr_db: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Single-user (load 0) DL and UL rates of served pixels [Mbit/s].

    Parameters
    ----------
    best : ndarray of int
        Serving sector (sorted order), served pixels only (>= 0).
    signal_dbm, sinr_db : ndarray
        Serving traffic-beam signal [dBm] and DL SINR [dB] of those pixels.
    """
    cfg = model.config
    dl = np.zeros(best.shape)
    ul = np.zeros(best.shape)
    band = model.s_band[best]
    usinr = ul_sinr_db(model, best, signal_dbm)
    for b in np.unique(band):
        sel = band == b
        bd = model.bands[int(b)]
        dl[sel] = _best_rank_rate(sinr_db[sel].astype(np.float64), bd, "dl", cfg.rate_method, 1.0)
        ul[sel] = _best_rank_rate(usinr[sel], bd, "ul", cfg.rate_method, cfg.ul_prb_share)
    return dl, ul


def coverage_probability(
    model: Model, cls: np.ndarray, rsrp_dbm: np.ndarray, sinr_db: np.ndarray
) -> np.ndarray:
    """P(RSRP >= threshold and SINR >= threshold) per served pixel [0-1].

    ``cls`` is the pixel class (for sigma_SF); see the module docstring.
    """
    cfg = model.config
    need = np.maximum(
        cfg.rsrp_threshold_dbm - rsrp_dbm.astype(np.float64),
        cfg.sinr_threshold_db - sinr_db.astype(np.float64),
    )
    if cfg.shadowing == "margin":
        sigma = model.cls_sigma_db[cls]
        return 0.5 * erfc(need / (sigma * np.sqrt(2.0)))
    return (need <= 0.0).astype(np.float64)
