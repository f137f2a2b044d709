"""Unit candidates, their costs, and the starting point of the densification.

- :func:`candidate_units`: the unit types a plan tries (the profile's
  ``units`` list or the catalogue candidates of its zone kind,
  :data:`nrplan.industry.equipment.ZONE_CANDIDATES`), each as a profile whose
  ``unit`` is that type (mounting height in a hall: below the ceiling;
  macro masts on the rim of a pit, on a site-aligned grid elsewhere: the
  high-mast light towers of a yard stand between its blocks).
- :func:`capacity_cells`: the fewest cells that can carry the inventory's
  traffic, a lower bound from the best spectral efficiency.
- :func:`initial_spacing`: where the densification starts, from the site's
  long side and the capacity bound, so the count is derived from the
  requirements (hall size, clutter and ceiling through the evaluation;
  device counts and their traffic through the loads) rather than fixed by
  a starting grid.
- :func:`plan_cost`: cost and energy of a layout with a catalogue unit.

References
----------
3GPP TS 38.306 V17.0.0, 4.1.2 (RE rate, overhead); TR 36.942 V17.0.0 Annex
A.2 (truncated Shannon, SE_max) as ``nrplan.radio.nr.TRUNCATED_SHANNON``.
"""

from __future__ import annotations

import math

import numpy as np

from nrplan.industry.capacity import cell_loads
from nrplan.industry.devices import Inventory
from nrplan.industry.economics import PrivateCost, PrivateCostSettings, private_cost
from nrplan.industry.equipment import ZONE_CANDIDATES, get_unit_type, unit_costs
from nrplan.industry.layout import MIN_SPACING_M
from nrplan.industry.profiles import IndustryBand, Profile, RadioUnit
from nrplan.industry.zones import site_frame
from nrplan.radio import nr

__all__ = [
    "candidate_units",
    "capacity_cells",
    "cost_settings",
    "initial_spacing",
    "mount_on_poles",
    "plan_cost",
    "unit_tco_floor",
]

#: Name of the candidate that is the profile's own ``[unit]`` table.
CUSTOM = "custom"


def _unit_of(name: str, profile: Profile) -> RadioUnit:
    ut = get_unit_type(name)
    h = ut.height_m
    kind = ut.layout
    if kind == "mast" and profile.zone_kind != "pit":  # light towers stand in the yard
        kind = "pole"
    if ut.layout == "ceiling":  # below the ceiling, above the clutter
        h = min(max(profile.clutter.ceiling_m - 1.0, ut.height_min_m), ut.height_max_m)
        h = max(h, min(profile.clutter.h_c + 0.5, ut.height_max_m))
    return RadioUnit(
        kind=kind,
        height_m=h,
        power_dbm=ut.power_dbm,
        gain_dbi=ut.gain_dbi,
        noise_figure_db=profile.unit.noise_figure_db,
        antennas=ut.branches,
        type=ut.name,
        antenna=ut.antenna,
        sectors=ut.sectors,
        downtilt_deg=ut.downtilt_deg,
    )


def candidate_units(profile: Profile) -> list[tuple[str, Profile]]:
    """The (name, profile with that unit) pairs a plan tries.

    ``profile.units`` lists catalogue names (or ``"custom"`` for the
    profile's own ``[unit]`` table); None = the candidates of
    ``profile.zone_kind``.

    Raises
    ------
    NrplanInputError
        Unknown unit type (the error lists the catalogue).
    """
    names = profile.units if profile.units is not None else list(ZONE_CANDIDATES[profile.zone_kind])
    out = []
    for n in names:
        if n == CUSTOM:
            out.append((CUSTOM, profile))
            continue
        u = _unit_of(n, profile)
        out.append((n, profile.model_copy(update={"unit": u})))
    return out


def mount_on_poles(profile: Profile, poles_xyh: np.ndarray | None):
    """The poles a unit may use (height within its mounting range) and the
    profile with the unit at their median height.

    Returns
    -------
    (profile, poles_xy or None)
    """
    if poles_xyh is None or profile.unit.kind == "ceiling":
        return profile, None
    h = poles_xyh[:, 2]
    u = profile.unit
    ok = np.ones(len(h), bool)
    if u.type is not None:
        ut = get_unit_type(u.type)
        ok = np.isnan(h) | ((h >= ut.height_min_m) & (h <= ut.height_max_m))
    if not ok.any():
        return profile, np.zeros((0, 2))
    hh = h[ok][~np.isnan(h[ok])]
    if hh.size:
        profile = profile.model_copy(
            update={"unit": u.model_copy(update={"height_m": float(np.median(hh))})}
        )
    return profile, poles_xyh[ok, :2]


def capacity_cells(
    inventory: Inventory, band: IndustryBand, profile: Profile, smap, se_max: float | None = None
) -> int:
    """Fewest cells that can carry the inventory within the load limit.

    All traffic on one cell at the best spectral efficiency ``se_max``
    (truncated Shannon SE_max, TR 36.942 Annex A.2) gives the total load
    ``L`` of each direction (:func:`nrplan.industry.capacity.cell_loads`);
    ``n = ceil(max(L_UL, L_DL) / load_limit)``, at least 1. A lower bound:
    real cells have lower SE and uneven areas.

    Examples
    --------
    100 streams of 10 Mbit/s UL on n79 (273 PRB, 30 kHz), DSUUU with a
    10:2:2 special slot (UL share 0.614 of the symbols, 0.08 overhead) at
    SE 7.4063 bit/RE: RE/s = 273 x 12 x 14 x 2000 = 91.728e6; demand
    1e9 / 7.4063 = 135.02e6 RE/s; L = 135.02 / (91.728 x 0.92 x 0.614)
    = 2.606; at load limit 0.7: ceil(3.72) = 4 cells.
    """
    se = nr.TRUNCATED_SHANNON["se_max"] if se_max is None else float(se_max)
    ul, dl = cell_loads(inventory, np.ones(1), np.full(1, se), np.full(1, se), band, profile, smap)
    total = max(float(ul[0]), float(dl[0]))
    return max(1, math.ceil(total / profile.load_limit - 1e-12))


def initial_spacing(
    profile: Profile, inventory: Inventory, band: IndustryBand, smap, geom
) -> float:
    """Spacing [m] the densification starts from.

    ``s0 = min(spacing_m or L, sqrt(A / n_sites))``, at least the unit
    kind's floor: ``L`` the long side of the site frame (one unit per
    site-length cell: sparse enough that the loop, not the start, sets the
    count), ``A`` the site area, ``n_sites = ceil(n_cells / sectors)`` with
    ``n_cells`` from :func:`capacity_cells`.
    """
    f = site_frame(geom)
    s0 = profile.spacing_m if profile.spacing_m is not None else f.length
    n_sites = math.ceil(capacity_cells(inventory, band, profile, smap) / profile.unit.sectors)
    if n_sites > 1:
        s0 = min(s0, math.sqrt(geom.area / n_sites))
    floor = profile.min_spacing_m or MIN_SPACING_M[profile.unit.kind]
    return float(max(s0, floor))


def cost_settings(profile: Profile) -> tuple[str, PrivateCostSettings]:
    """(economics kind, cost settings) of the profile's unit.

    Sectored catalogue units: capex and opex of :func:`nrplan.industry.equipment.unit_costs`
    for the profile's zone kind, full-load and idle power of the catalogue
    (values of the profile's ``[costs]`` table win). Others: the small-cell /
    mast rules of :mod:`nrplan.industry.economics` for their kind.
    """
    u = profile.unit
    s = profile.costs
    if u.type is None:
        return u.kind, s
    ut = get_unit_type(u.type)
    if not ut.capex_items:
        return ut.layout, s
    capex, opex, _ = unit_costs(ut, profile.zone_kind)
    upd: dict = {}
    if s.unit_capex is None:
        upd["unit_capex"] = capex
    if s.unit_opex is None:
        upd["unit_opex"] = opex
    if s.pmax_w is None:
        upd["pmax_w"] = ut.p_full_w
        upd["idle_share"] = ut.p_idle_w / ut.p_full_w
    return "mast", s.model_copy(update=upd)


def _site_loads(profile: Profile, dl_load) -> np.ndarray:
    n = profile.unit.sectors
    load = np.asarray(dl_load, float).reshape(-1)
    return load.reshape(-1, n).mean(axis=1) if n > 1 else load


def plan_cost(profile: Profile, dl_load, area_km2: float, inventory: Inventory) -> PrivateCost:
    """Cost and energy of a layout: one unit per site, power at its mean DL load."""
    kind, settings = cost_settings(profile)
    return private_cost(
        kind,
        _site_loads(profile, dl_load),
        area_km2=area_km2,
        devices=inventory.total_devices,
        offered_mbps=inventory.ul_mbps() + inventory.dl_mbps(),
        settings=settings,
        name=profile.name,
    )


def unit_tco_floor(profile: Profile) -> float:
    """TCO of one idle unit: no layout with n units costs less than n times it."""
    kind, settings = cost_settings(profile)
    return float(private_cost(kind, np.zeros(1), settings=settings).cost.tco)
