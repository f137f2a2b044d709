"""UL and DL load per cell from the device inventory.

Devices are spread over the service area in proportion to each unit's
best-server area (zones carry no geometry). A cell's load in a direction is
the resource-element demand of its devices over the resource elements it
offers in that direction:

    load = sum_c n_c * share * demand_c / (RE_rate * (1 - OH) * duty)

with demand_c [RE/s] = msgs/s * max(bits / SE_cell, 12 (L - 1)) for periodic
classes (each message takes at least one PRB for one occasion) and
rate / SE_cell for classes with a given streaming rate; SE_cell is the cell's
mean spectral efficiency over its best-server pixels.

References
----------
3GPP TS 38.306 V17.0.0, clause 4.1.2 (RE rate N_PRB * 12 / T_s, overhead
0.14 DL / 0.08 UL in FR1). 3GPP TS 38.101-1 V17.0.0, Table 5.3.2-1 (N_RB).
"""

from __future__ import annotations

import numpy as np

from nrplan.industry.devices import Inventory
from nrplan.industry.latency import SymbolMap
from nrplan.industry.profiles import IndustryBand, Profile
from nrplan.radio import nr

__all__ = ["cell_loads", "direction_duty"]

_SE_FLOOR = 0.05  # bit/RE: SE of a cell whose pixels are all below SINR_min (avoids /0)


def direction_duty(smap: SymbolMap, direction: str) -> float:
    """Share of the period's symbols usable in ``direction`` (FDD: 1)."""
    d = "D" if direction == "dl" else "U"
    s = smap.symbols
    return float(((s == d) | (s == "F")).mean())


def cell_loads(
    inventory: Inventory,
    unit_share: np.ndarray,
    unit_ul_se: np.ndarray,
    unit_dl_se: np.ndarray,
    band: IndustryBand,
    profile: Profile,
    smap: SymbolMap,
) -> tuple[np.ndarray, np.ndarray]:
    """UL and DL PRB utilisation of every cell [0-inf).

    Parameters
    ----------
    inventory : Inventory
    unit_share : ndarray, shape (n_units,)
        Share of the service area (and so of the devices) each unit serves.
    unit_ul_se, unit_dl_se : ndarray, shape (n_units,)
        Mean spectral efficiency of each cell [bit/RE].
    band, profile, smap
        Carrier, profile (mini-slot length) and TDD symbol map.

    Returns
    -------
    (ul_load, dl_load) : tuple of ndarray
        Utilisation per cell; > ``profile.load_limit`` means the cell is too
        loaded.

    References
    ----------
    3GPP TS 38.306 V17.0.0, clause 4.1.2.
    """
    L = profile.mini_slot or 14
    re_s = band.n_prb * 12 * 14 * 2 ** nr.numerology(band.scs_khz) * 1000.0
    out = []
    for direction, se in (("ul", unit_ul_se), ("dl", unit_dl_se)):
        cap = re_s * (1.0 - nr.OVERHEAD_FR1[direction]) * direction_duty(smap, direction)
        se = np.maximum(np.asarray(se, float), _SE_FLOOR)
        demand = np.zeros_like(se)
        for g in inventory.groups:
            c = g.cls
            used = c.uses_ul if direction == "ul" else c.uses_dl
            rate = c.ul_rate_mbps if direction == "ul" else c.dl_rate_mbps
            if g.count == 0 or (not used and rate == 0):
                continue
            given = (c.ul_mbps if direction == "ul" else c.dl_mbps) is not None
            if given:
                re_dev = rate * 1e6 / se
            else:
                msgs = 1000.0 / c.period_ms
                re_dev = msgs * np.maximum(c.message_bytes * 8.0 / se, 12.0 * (L - 1))
            demand = demand + g.count * re_dev
        out.append(demand * np.asarray(unit_share, float) / cap)
    return out[0], out[1]
