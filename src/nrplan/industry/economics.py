"""Cost and energy of a private industrial network: capex, opex, TCO, kWh.

A private plan places one kind of radio unit (:class:`~nrplan.industry.profiles.RadioUnit`):

- **mast** units (mines) are macro sites: each is a new ground tower with a
  BBU and three 8T8R RRUs, costed item by item with the national cost model
  (:func:`nrplan.econ.cost.capex_breakdown`, tower fee and maintenance per
  site) and powered by its EARTH model (:func:`nrplan.econ.energy.radio_power_w`,
  BBU power, site overhead factor);
- **ceiling** and **pole** units (factories, ports, campuses) are small cells.
  Their capex and non-energy opex per unit are a share of the same items of
  a new 3-sector 64T64R macro site of the national model::

      unit_capex = share * capex(macro site)
      unit_opex  = share * (tower fee + maintenance of a macro site)   [per year]

  with the share 0.10 indoors (ceiling) and 0.25 outdoors (pole): small-cell
  TCO is 10-25 % of a macro cell's (Senza Fili); the reading per kind is
  nrplan's. Their input power is ``P = P_max (i + (1 - i) load)`` with
  ``P_max`` 70 W indoors (enterprise small cells < 70 W) and 200 W on poles
  (Guangdong smart-pole standard: micro 150-200 W), idle share ``i`` 0.29 and
  no cooling overhead (passively cooled, DC/PoE fed).

``load`` is each unit's DL PRB utilisation from the plan (the transmitter is
busy in proportion to its DL occupancy), clipped to 1, held for
``hours_per_day`` hours a day. TCO follows :mod:`nrplan.econ.cost`: capex at
year 0 and the same opex at the end of each year, discounted.

Not costed, and listed as such in the output: the core network (local UPF /
MEC), spectrum (in China most private networks are operator-run 5G industry
virtual private networks on the operator's licence), devices and modules,
indoor cabling beyond the unit's installation share.

Every default is in :mod:`nrplan.econ.defaults` with its source; a profile's
``[costs]`` TOML table overrides them (:class:`PrivateCostSettings`).

References
----------
Registry :mod:`nrplan.defaults` (power and costs; sources in ``docs/sources.md``).
Senza Fili Consulting, "The economics of small cells and Wi-Fi offload"
(small-cell TCO 10-25 % of a macro cell's).
G. Auer et al., "How much energy is needed to run a wireless network?",
IEEE Wireless Commun. 18(5), 2011 (load-dependent power model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from nrplan.econ import energy as _energy
from nrplan.econ.cost import (
    CostParams,
    CostResult,
    SiteCounts,
    assemble_cost,
    capex_breakdown,
)
from nrplan.econ.defaults import default, value
from nrplan.errors import check_choice, check_range
from nrplan.units import MBIT_PER_GB

__all__ = [
    "EXCLUDED",
    "UNIT_KINDS",
    "PrivateCost",
    "PrivateCostSettings",
    "macro_reference",
    "private_cost",
    "unit_power_w",
]

UNIT_KINDS = ("ceiling", "pole", "mast")

#: What the private cost leaves out (reported with every result).
EXCLUDED = (
    "core network (local UPF/MEC)",
    "spectrum (operator licence of a 5G industry virtual private network)",
    "devices and 5G modules",
    "indoor cabling beyond the unit's installation share",
)

#: Radios and defaults behind each unit kind.
_SHARE_DEFAULT = {"ceiling": "small_cell_tco_share_indoor", "pole": "small_cell_tco_share_outdoor"}
_PMAX_DEFAULT = {"ceiling": "pmax_small_cell_indoor", "pole": "pmax_micro_pole"}
_MAST_RADIO = "8t8r"
_MAST_SECTORS = 3
_MACRO_RADIO = "64t64r"
_HOURS_PER_YEAR = 24 * 365


class PrivateCostSettings(BaseModel):
    """The ``[costs]`` table of a private profile (all optional).

    Money is in CNY at 2020 prices; ``currency = "USD"`` converts outputs.

    .. code-block:: toml

        [costs]
        unit_capex = 12000        # CNY per radio unit (replaces share x macro capex)
        unit_opex = 2500          # CNY per unit and year, energy excluded
        pmax_w = 60               # input power at full load per unit [W]
        electricity_price = 0.8   # CNY/kWh
        years = 8
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    tco_share: float | None = Field(
        None, gt=0.0, le=1.0, description="small cell's share of a macro site's costs"
    )
    unit_capex: float | None = Field(None, ge=0.0, description="capex per unit [CNY]")
    unit_opex: float | None = Field(
        None, ge=0.0, description="opex per unit and year, energy excluded [CNY]"
    )
    pmax_w: float | None = Field(None, gt=0.0, le=20_000.0, description="full-load power [W]")
    idle_share: float = Field(
        default=value("small_cell_idle_share"), ge=0.0, le=1.0, description="P(0) / P_max"
    )
    hours_per_day: float = Field(default=value("private_hours_per_day"), gt=0.0, le=24.0)
    electricity_price: float | None = Field(None, ge=0.0, le=10.0, description="CNY/kWh")
    discount_rate: float | None = Field(None, ge=0.0, lt=1.0)
    years: int | None = Field(None, ge=1, le=100)
    currency: Literal["CNY", "USD"] = "CNY"

    def cost_params(self) -> CostParams:
        """The national :class:`CostParams` with this table's financial overrides."""
        over: dict[str, Any] = {"currency": self.currency}
        for name in ("electricity_price", "discount_rate", "years"):
            v = getattr(self, name)
            if v is not None:
                over[name] = v
        return CostParams.from_overrides(**over)


@dataclass(frozen=True)
class PrivateCost:
    """Cost and energy of a private plan.

    Attributes
    ----------
    cost : CostResult
        Capex and yearly opex breakdowns, totals, TCO and unit costs
        (``cost_per_km2`` over the site area, ``cost_per_gb`` over the
        offered traffic), in ``cost.currency``.
    kind : str
        Radio unit kind.
    units : int
        Radio units.
    unit_capex, unit_opex : float
        Capex per unit and non-energy opex per unit and year [currency].
    mean_power_w : float
        Mean input power per unit at the plan's loads [W].
    cost_per_device : float
        TCO per device of the inventory [currency]; NaN without devices.
    basis : str
        How the unit costs were obtained.
    sources : dict of str to str
        Default name -> "value unit (status): source" of every default used.
    excluded : tuple of str
        What is not costed (:data:`EXCLUDED`).
    price_year : int
        Year of the prices.
    """

    cost: CostResult
    kind: str
    units: int
    unit_capex: float
    unit_opex: float
    mean_power_w: float
    cost_per_device: float
    basis: str
    sources: dict[str, str]
    excluded: tuple[str, ...] = EXCLUDED
    price_year: int = 2020

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready content for ``summary.json`` (key ``economics``)."""
        c = self.cost
        return {
            "currency": c.currency,
            "price_year": self.price_year,
            "kind": self.kind,
            "units": self.units,
            "unit_capex": self.unit_capex,
            "unit_opex_per_year": self.unit_opex,
            "capex": c.capex,
            "opex_per_year": c.opex,
            "capex_total": c.capex_total,
            "opex_total_per_year": c.opex_total,
            "energy_kwh_per_year": c.energy_kwh_per_year,
            "mean_power_w_per_unit": self.mean_power_w,
            "years": c.years,
            "discount_rate": c.discount_rate,
            "tco": c.tco,
            "cost_per_km2": c.cost_per_km2,
            "cost_per_device": self.cost_per_device,
            "cost_per_gb": c.cost_per_gb,
            "basis": self.basis,
            "excluded": list(self.excluded),
            "sources": self.sources,
        }


def _source(name: str) -> str:
    d = default(name)
    return f"{d.value} {d.unit} ({d.status}): {d.source}"


def macro_reference(params: CostParams | None = None) -> tuple[float, float]:
    """Capex and non-energy yearly opex of one new 3-sector 64T64R macro site.

    Returns ``(capex, opex)`` in the currency of ``params``: capex = BBU + 3
    AAU + civil works (tower/rooftop mix of the national model) + power +
    transmission + installation; opex = China Tower fee + maintenance.
    """
    p = params or CostParams()
    counts = SiteCounts(new_sites=1.0, sectors={_MACRO_RADIO: 3.0})
    capex = float(sum(capex_breakdown(counts, p).values()))
    opex = (p.tower_fee_per_tenancy + p.maintenance_per_site) * p.fx
    return capex, opex


def unit_power_w(
    kind: str,
    load: np.ndarray | float,
    settings: PrivateCostSettings | None = None,
) -> np.ndarray:
    """Input power of radio units at the given DL loads [W].

    Small cells (``ceiling``, ``pole``) and any unit with ``settings.pmax_w``:
    ``P = P_max (i + (1 - i) load)``. Masts: a macro site of three 8T8R RRUs
    and a BBU, ``(P_BBU + 3 P_RRU(load)) * overhead`` (EARTH model of
    :mod:`nrplan.econ.energy`).

    Parameters
    ----------
    kind : {"ceiling", "pole", "mast"}
    load : array_like
        DL PRB utilisation per unit; values above 1 count as 1.
    settings : PrivateCostSettings, optional
    """
    kind = check_choice("unit kind", kind, UNIT_KINDS)
    s = settings or PrivateCostSettings()
    lam = np.clip(np.asarray(load, dtype=float), 0.0, 1.0)
    check_range("load", lam, 0.0, 1.0)
    if s.pmax_w is not None or kind != "mast":
        pmax = s.pmax_w if s.pmax_w is not None else value(_PMAX_DEFAULT[kind])
        return pmax * (s.idle_share + (1.0 - s.idle_share) * lam)
    rrus = _MAST_SECTORS * _energy.radio_power_w(_MAST_RADIO, lam)
    return (value("bbu_power") + rrus) * value("overhead_factor")


def private_cost(
    kind: str,
    dl_load: np.ndarray,
    *,
    area_km2: float = math.nan,
    devices: int = 0,
    offered_mbps: float = math.nan,
    settings: PrivateCostSettings | None = None,
    name: str = "private",
) -> PrivateCost:
    """Capex, opex, energy and TCO of a private plan.

    Parameters
    ----------
    kind : {"ceiling", "pole", "mast"}
        Radio unit kind of the plan.
    dl_load : array_like, shape (n_units,)
        DL PRB utilisation of each unit (>= 0; clipped at 1 for power).
    area_km2 : float
        Site area [km^2] (``cost_per_km2``).
    devices : int
        Devices of the inventory (``cost_per_device``).
    offered_mbps : float
        Offered UL + DL traffic [Mbit/s] during ``hours_per_day`` hours a day
        (``cost_per_gb``).
    settings : PrivateCostSettings, optional
        The profile's ``[costs]`` table.
    name : str
        Name carried by the result.

    Returns
    -------
    PrivateCost

    Examples
    --------
    >>> r = private_cost("ceiling", [0.0] * 10)
    >>> round(r.cost.energy_kwh_per_year)  # 10 x 70 W x 0.29 x 8,760 h
    1778
    """
    kind = check_choice("unit kind", kind, UNIT_KINDS)
    s = settings or PrivateCostSettings()
    p = s.cost_params()
    load = np.asarray(dl_load, dtype=float).reshape(-1)
    check_range("dl_load", load, 0.0)
    check_range("devices", devices, 0)
    n = int(load.size)
    power = unit_power_w(kind, load, s)
    kwh = float(power.sum()) * s.hours_per_day * 365.0 / 1000.0
    sources = {
        k: _source(k)
        for k in ("electricity_price", "discount_rate", "tco_years", "private_hours_per_day")
    }
    if s.pmax_w is None:
        if kind == "mast":
            sources |= {k: _source(k) for k in ("p0_8t8r", "pmax_8t8r", "bbu_power")}
            sources["overhead_factor"] = _source("overhead_factor")
        else:
            sources[_PMAX_DEFAULT[kind]] = _source(_PMAX_DEFAULT[kind])
    if kind != "mast" or s.pmax_w is not None:
        sources["small_cell_idle_share"] = _source("small_cell_idle_share")

    energy_cost = kwh * p.electricity_price * p.fx
    if kind == "mast" and s.unit_capex is None and s.unit_opex is None and s.tco_share is None:
        counts = SiteCounts(
            new_sites=float(n), sectors={_MAST_RADIO: float(_MAST_SECTORS * n)}, rooftop_share=0.0
        )
        capex = capex_breakdown(counts, p)
        opex = {
            "tower_fee": n * p.tower_fee_per_tenancy * p.fx,
            "maintenance": n * p.maintenance_per_site * p.fx,
            "energy": energy_cost,
        }
        unit_capex = float(sum(capex.values())) / n if n else 0.0
        unit_opex = (p.tower_fee_per_tenancy + p.maintenance_per_site) * p.fx
        basis = (
            "new ground tower per mast with a BBU and 3 x 8T8R RRU, costed item by item "
            "with the national macro cost model (nrplan.econ.cost)"
        )
        for k in (
            "bbu_per_site", "rru_8t8r", "civil_new_tower", "power_upgrade_per_site",
            "transmission_per_site", "installation_per_site", "tower_fee_per_tenancy",
            "maintenance_per_site",
        ):  # fmt: skip
            sources[k] = _source(k)
    else:
        macro_capex, macro_opex = macro_reference(p)
        share = s.tco_share
        if share is None and kind != "mast":
            share = value(_SHARE_DEFAULT[kind])
            sources[_SHARE_DEFAULT[kind]] = _source(_SHARE_DEFAULT[kind])
        share = 1.0 if share is None else share
        unit_capex = s.unit_capex * p.fx if s.unit_capex is not None else share * macro_capex
        unit_opex = s.unit_opex * p.fx if s.unit_opex is not None else share * macro_opex
        capex = {"radio_units": n * unit_capex}
        opex = {"site_and_maintenance": n * unit_opex, "energy": energy_cost}
        parts = []
        parts.append(
            "capex per unit given ([costs] unit_capex)"
            if s.unit_capex is not None
            else f"capex per unit = {share:g} x a new 3-sector 64T64R macro site's capex"
        )
        parts.append(
            "opex per unit given ([costs] unit_opex)"
            if s.unit_opex is not None
            else f"opex per unit = {share:g} x its tower fee + maintenance"
        )
        basis = "; ".join(parts) + "; energy from the unit's power model"
        if s.unit_capex is None or s.unit_opex is None:
            for k in (
                "bbu_per_site", "aau_64t64r", "civil_new_tower", "civil_new_rooftop",
                "rooftop_share_new", "power_upgrade_per_site", "transmission_per_site",
                "installation_per_site", "tower_fee_per_tenancy", "maintenance_per_site",
            ):  # fmt: skip
                sources[k] = _source(k)
    gb_year = (
        offered_mbps * 3600.0 * s.hours_per_day * 365.0 / MBIT_PER_GB
        if offered_mbps == offered_mbps
        else math.nan
    )
    cost = assemble_cost(name, p, n, capex, opex, kwh, km2=area_km2, gb_per_year=gb_year)
    return PrivateCost(
        cost=cost,
        kind=kind,
        units=n,
        unit_capex=float(unit_capex),
        unit_opex=float(unit_opex),
        mean_power_w=float(power.mean()) if n else 0.0,
        cost_per_device=cost.tco / devices if devices > 0 else math.nan,
        basis=basis,
        sources=sources,
        price_year=p.price_year,
    )
