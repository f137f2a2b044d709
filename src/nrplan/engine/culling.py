"""Neighbour culling per tile, with a stated bound on the interference neglected.

For a rectangular tile of pixels, every site group (sectors of one mast on one
band) gets two upper bounds from the distance between the mast and the tile's
rectangle and the largest gain of its beams:

- ``serve_ub`` [dBm]: the highest SSB RSRP it could give any pixel of the tile
  (largest ``EPRE + G_ssb``, smallest path loss at that distance or farther,
  less the largest sampled shadowing gain). A group with ``serve_ub`` below
  ``rsrp_floor_dbm`` can serve no pixel of the tile.
- ``intf_ub`` [mW]: the most interference it could add to any pixel
  (``sum load * P * G_avg_max / PL_min``).

Every group that can serve is kept, unless its ``serve_ub`` is more than
``cap = max(margin_cap_db, pollution_window_db)`` below a lower bound of the
best RSRP over the tile (it can then be neither best, nor within the pilot
pollution window, nor resolve the capped margin). Of the rest, per band, the strongest are
kept until the sum of the upper bounds left out, ``R_b``, is at most
``eps * (N_b + I_lo_b)`` with ``eps = 10^(err/10) - 1`` and ``I_lo_b`` a lower
bound of the interference the kept groups cause. Then for every pixel served on
band b the SINR computed without the culled groups exceeds the exhaustive one by
``10 log10(1 + R_b / (N_b + I)) <= err`` dB (I = interference of the kept
groups at the pixel). ``I_lo_b`` is first guessed from the previous tile; the
caller checks both bounds on the computed tile (:meth:`Culler.check`) and,
where one fails, selects again with the measured minima (of interference and of
best RSRP), which are true lower bounds for any larger set (more groups only
add interference and can only raise the best): two passes at most.

The gain bounds use the direction of the tile: with ``delta_min`` the smallest
horizontal bearing offset between a sector's boresight and the tile's angular
extent seen from the mast, the local azimuth of TR 38.901 7.1 (mechanical
downtilt beta, height difference dz, distance d >= d_min) satisfies
``|phi'| >= atan2(sin delta_min, cos delta_min + |dz| |sin beta| / d_min)``, and
every beam of ``parametric_pattern`` loses at least the element's horizontal
attenuation ``min(12 (phi'/65)^2, 30, a_max)`` (Table 7.3-1) there. A sector
facing away from a far tile is thus bounded by its back lobe, not its peak.

RSRP, best server, capped margin and pilot-pollution count are exact.
"""

from __future__ import annotations

import math

import numpy as np

from nrplan.engine.model import Model, ShadowFields
from nrplan.radio.antenna import ELEMENT_TABLE_7_3_1

_EL_PHI3 = float(ELEMENT_TABLE_7_3_1["phi_3db_deg"])
_EL_AMAX = float(ELEMENT_TABLE_7_3_1["a_max_db"])

__all__ = ["Culler"]


class Culler:
    """Per-tile candidate selection (see module docstring).

    Parameters
    ----------
    model : Model
        The model arrays.
    shadow : ShadowFields or None
        Sampled shadowing windows (their largest gain lowers the path-loss bound).
    """

    def __init__(self, model: Model, shadow: ShadowFields | None = None):
        self.m = model
        cfg = model.config
        self.eps = 10.0 ** (cfg.interference_error_db / 10.0) - 1.0
        nb = len(model.bands)
        ng = model.n_groups
        self.s_group = np.repeat(np.arange(ng), model.g_sec1 - model.g_sec0)
        self.s_az = np.degrees(np.arctan2(model.s_sinaz, model.s_cosaz))
        dz = (
            np.abs(model.cls_hut[:, None] - model.g_h[None, :]).max(axis=0)
            if len(model.cls_hut)
            else np.zeros(ng)
        )
        self.s_c = dz[self.s_group] * np.abs(model.s_sinmt)  # |dz| |sin beta| [m]
        self.shadow_gain = shadow.g_max_gain if shadow is not None else np.zeros(ng)
        npts = max(t.pl_min_beyond.size for t in model.tables)
        self.plmin = np.empty((len(model.tables), npts))
        for i, t in enumerate(model.tables):
            row = t.pl_min_beyond_any if cfg.los_mode == "sampled" else t.pl_min_beyond
            self.plmin[i, : row.size] = row
            self.plmin[i, row.size :] = row[-1]
        self.sizes = (model.g_sec1 - model.g_sec0).astype(np.int64)
        self.i_guess = np.zeros(nb)
        self.best_guess = -np.inf
        self.cap = max(cfg.margin_cap_db, cfg.pollution_window_db)
        self.worst_ratio = 0.0
        self.kept = np.zeros(ng, dtype=bool)
        self.serving = np.zeros(ng, dtype=bool)
        self.serve_ub_tile = np.zeros(ng)

    def _pl_lower_bound(self, dmin: np.ndarray, classes: np.ndarray) -> np.ndarray:
        m = self.m
        lb = np.full(dmin.shape, np.inf)
        for c in classes:
            tab = m.g_tab[:, c]
            d = np.maximum(dmin, m.tab_dmin[tab])
            u = (np.sqrt(d) - m.tab_s0[tab]) * m.tab_inv_ds[tab]
            i = np.clip(np.floor(u).astype(np.int64), 0, self.plmin.shape[1] - 1)
            lb = np.minimum(lb, self.plmin[tab, i])
        return lb - self.shadow_gain

    def _gain_bounds(self, xa, xb, ya, yb, dmin) -> tuple[np.ndarray, np.ndarray]:
        """Per group: max ``EPRE + G_ssb`` [dBm] and ``sum load P G_avg`` [mW]
        towards the tile (see module docstring)."""
        m = self.m
        cx, cy = 0.5 * (xa + xb), 0.5 * (ya + yb)
        bc = np.degrees(np.arctan2(cx - m.g_x, cy - m.g_y))  # compass bearing of the centre
        lo = np.full(bc.shape, np.inf)
        hi = np.full(bc.shape, -np.inf)
        for x, y in ((xa, ya), (xa, yb), (xb, ya), (xb, yb)):
            off = (np.degrees(np.arctan2(x - m.g_x, y - m.g_y)) - bc + 180.0) % 360.0 - 180.0
            lo = np.minimum(lo, off)
            hi = np.maximum(hi, off)
        g = self.s_group
        delta = (self.s_az - bc[g] + 180.0) % 360.0 - 180.0
        below = np.abs((delta - lo[g] + 180.0) % 360.0 - 180.0)
        above = np.abs((delta - hi[g] + 180.0) % 360.0 - 180.0)
        dmin_s = dmin[g]
        inside = (delta >= lo[g]) & (delta <= hi[g]) | (dmin_s <= 0.0)
        dl = np.radians(np.where(inside, 0.0, np.minimum(below, above)))
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(dmin_s > 0.0, self.s_c / dmin_s, np.inf)
            phi = np.where(np.isfinite(c), np.degrees(np.arctan2(np.sin(dl), np.cos(dl) + c)), 0.0)
        lh = np.minimum(12.0 * (phi / _EL_PHI3) ** 2, _EL_AMAX)
        pat = m.s_pat
        g_ssb = pat[:, 0, 0] - np.minimum(lh, pat[:, 0, 3])
        g_avg = pat[:, 2, 0] - np.minimum(lh, pat[:, 2, 3])
        ng = m.n_groups
        ssb_ub = np.full(ng, -np.inf)
        np.maximum.at(ssb_ub, g, m.s_epre + g_ssb)
        intf_gain = np.bincount(
            g, weights=m.s_load * np.power(10.0, (m.s_ptot + g_avg) / 10.0), minlength=ng
        )
        return ssb_ub, intf_gain

    def select(
        self,
        r0: int,
        c0: int,
        cls_tile: np.ndarray,
        bounds: tuple[np.ndarray, float] | None = None,
    ) -> tuple[np.ndarray, int, np.ndarray, int]:
        """Candidate groups of a tile.

        Parameters
        ----------
        r0, c0 : int
            Tile origin (row, col) in the grid.
        cls_tile : ndarray of int16
            Pixel classes of the tile (-1 outside).
        bounds : (ndarray, float), optional
            Lower bounds over the tile of the kept interference per band [mW]
            and of the best RSRP [dBm]; default the guesses carried over from
            the previous tile.

        Returns
        -------
        cand : ndarray of int32
            Candidate group indices: those that may serve first, then those
            kept for their interference only, each part ascending.
        n_serve : int
            Number of candidates that may serve.
        neglected : ndarray
            Upper bound ``R_b`` of the interference left out, per band [mW].
        n_sectors : int
            Sectors in the candidate groups.
        """
        m = self.m
        g = m.grid
        nr, nc = cls_tile.shape
        xa = g.x0 + (c0 + 0.5) * g.pixel_m
        xb = xa + (nc - 1) * g.pixel_m
        ya = g.y0 - (r0 + 0.5) * g.pixel_m
        yb = ya - (nr - 1) * g.pixel_m
        ddx = np.maximum(np.maximum(xa - m.g_x, m.g_x - xb), 0.0)
        ddy = np.maximum(np.maximum(yb - m.g_y, m.g_y - ya), 0.0)
        dmin = np.hypot(ddx, ddy)
        classes = np.unique(cls_tile[cls_tile >= 0])
        lb = self._pl_lower_bound(dmin, classes)
        ssb_ub, intf_gain = self._gain_bounds(xa, xb, ya, yb, dmin)
        i_lo, best_lo = (self.i_guess, self.best_guess) if bounds is None else bounds
        self.serve_ub_tile = ssb_ub - lb
        keep = self.serve_ub_tile >= max(m.config.rsrp_floor_dbm, best_lo - self.cap)
        self.serving = keep.copy()
        intf = intf_gain * np.power(10.0, -lb / 10.0)
        neglected = np.zeros(len(m.bands))
        for b in range(len(m.bands)):
            idx = np.flatnonzero((m.g_band == b) & ~keep)
            if idx.size == 0:
                continue
            v = intf[idx]
            o = np.argsort(-v, kind="stable")
            suffix = np.cumsum(v[o][::-1])[::-1]  # suffix[k] = sum of all but the k strongest
            budget = self.eps * (m.band_noise_lin[b] + i_lo[b])
            ok = suffix <= budget
            k = int(np.argmax(ok)) if ok.any() else idx.size
            keep[idx[o[:k]]] = True
            neglected[b] = suffix[k] if k < idx.size else 0.0
        self.kept = keep
        serve = np.flatnonzero(self.serving)
        intf_only = np.flatnonzero(keep & ~self.serving)
        cand = np.concatenate([serve, intf_only]).astype(np.int32)
        return cand, int(serve.size), neglected, int(self.sizes[cand].sum())

    def check(
        self,
        neglected: np.ndarray,
        cls_tile: np.ndarray,
        best: np.ndarray,
        rsrp: np.ndarray,
        intf_dbm: np.ndarray,
    ) -> tuple[np.ndarray, float] | None:
        """Check both bounds on the tile just computed with the last selection.

        Returns None when (a) ``R_b / (N_b + I) <= eps`` on every pixel served
        on band b and (b) every dropped group's ``serve_ub`` is below the
        tile's smallest best RSRP minus the cap (updating the guesses for the
        next tile); else the measured bounds to select again with.
        """
        m = self.m
        inside = cls_tile >= 0
        served = (best >= 0) & inside
        nb = len(m.bands)
        i_min = np.full(nb, np.inf)
        if served.any():
            band = m.s_band[best[served]]
            with np.errstate(over="ignore"):
                i_lin = np.power(10.0, intf_dbm[served].astype(np.float64) / 10.0)
            np.minimum.at(i_min, band, i_lin)
        if served.sum() == inside.sum() and served.any():
            best_min = float(np.min(rsrp[served]))
        else:
            best_min = -np.inf  # an unserved pixel: every group above the floor is needed
        ratio = 0.0
        for b in range(nb):
            if np.isfinite(i_min[b]):
                ratio = max(ratio, neglected[b] / (m.band_noise_lin[b] + i_min[b]))
        dropped = ~self.serving
        serve_ok = True
        if dropped.any():
            lim = max(m.config.rsrp_floor_dbm, best_min - self.cap)
            serve_ok = bool(np.max(self.serve_ub_tile[dropped]) < lim)
        i_meas = np.where(np.isfinite(i_min), i_min, 0.0)
        if ratio > self.eps * (1.0 + 1e-9) or not serve_ok:
            return i_meas, best_min
        self.worst_ratio = max(self.worst_ratio, ratio)
        self.i_guess = 0.5 * i_meas
        self.best_guess = best_min - 3.0
        return None

    @property
    def worst_error_db(self) -> float:
        """Largest SINR truncation error bound realised so far [dB]."""
        return 10.0 * math.log10(1.0 + self.worst_ratio)
