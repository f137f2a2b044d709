"""Economics and energy of a plan: capex, opex, energy, TCO and unit costs per city and nation.

:func:`plan_economics` turns the planner's per-city records
(:class:`nrplan.plan.records.CityResult`, or their ``summary.json`` dicts) into the
``economics`` section of a run summary, through the models of
:mod:`nrplan.econ` (unit costs and sources: :mod:`nrplan.econ.defaults`).

How a record becomes a bill
---------------------------
Sites and radios
    ``sectors_by_antenna`` gives the radio units per profile (``"64t64r"``,
    ``"32t32r"``, ``"8t8r"``, ``"4t4r"``). The planner's ``reused_sites``
    (sites placed on a known existing site) are costed as reused; its
    ``new_sites`` are new *5G* sites, of which a share ``reused_share``
    (default 0.97: China Tower met >97 % of 2020 5G demand on existing sites)
    goes onto an existing tower and the rest is built new. ``reused_share=0``
    costs every planner-new site as a new build.
Rooftop vs tower
    New builds in the dense-urban and urban classes are rooftop sites, in
    the suburban and rural classes ground towers (nrplan assumption); the
    share is taken from the dimensioning site estimates of the record
    (``dimensioning[*].sites_estimate``), else ``CostParams.rooftop_share_new``.
Site types
    Co-located sites (on an existing tower) carry no civil works and only the
    incremental tenancy fee; new rooftop and new tower sites carry their civil
    works and the fee of a new tenancy (:func:`nrplan.econ.cost.site_type_counts`,
    sources in :mod:`nrplan.econ.defaults`). ``site_types`` gives the count of
    each per city and nationally.
Against 2020
    ``national.validation_2020`` sets capex per site, full-load site power,
    energy and electricity cost per site next to the published 2020 figures
    (:mod:`nrplan.econ.published`): a validation, nothing is fitted to them.
Energy
    Per average site (the city's radios spread evenly over its sites) with
    :func:`nrplan.econ.energy.site_energy`, with and without the
    energy-saving features. The 24-hour load is the default diurnal profile
    scaled so that its peak hour equals the city's busy-hour mean sector load
    (``load_mean``; the default profile is used when the record has none). Deep
    sleep runs in the default profile's sleep window (hours whose default
    load is <= ``deep_sleep_load``, i.e. 02:00-07:00) rather than by the
    load rule, since a lightly loaded network would otherwise sleep all day,
    which deep sleep (needs idle cells) does not do.
GB carried
    The inverse of the demand model (:func:`nrplan.demand.traffic.busy_hour_mbps_per_user`):
    ``GB/year = (DL + UL busy-hour Mbit/s) x 3600 s / 8000 Mbit/GB /
    busy_hour_share x busy_days_per_month x 12 x population_coverage``
    (traffic of uncovered people is not carried); ``busy_hour_share`` and
    ``busy_days_per_month`` from the record's ``demand`` dict, else the
    demand defaults (0.08, 22 days).
Coverage denominators
    covered km^2 = ``target_area_km2 x area_coverage``; covered people =
    ``target_population x population_coverage``.
Shared RAN (``config.operators == "shared"``)
    The plan is one RAN for two operators (tower fee once per site, cost
    split evenly). Each operator's own network is taken as the shared
    plan's sites and radios times a per-city *site ratio*: the dimensioning
    site estimate of one operator alone (its 100 MHz n78 carrier, the
    configured layers, half the shared traffic: operator share 0.205 of
    0.409) over that of the shared plan (200 MHz pooled carrier, all the
    traffic), re-using :func:`nrplan.plan.dimension.dimension_class` on the
    record's per-class areas and traffic. With no dimensioning in the record
    the ratio is 1 (a separate network needs the same site count).
Separate networks (``config.operators == "separate"``)
    The records are one operator's network; the ``separate_networks`` entry
    doubles it for both operators.

Money is in ``CostParams.currency`` (CNY, 2020 prices, by default). TCO is
the NPV of capex at year 0 plus the annual opex at the end of years
``1..years`` (:func:`nrplan.econ.cost.npv`); cost per GB is levelised (TCO /
discounted GB).

References
----------
The registry :mod:`nrplan.defaults` (every default with its source; URLs
in ``docs/sources.md``); :mod:`nrplan.econ.cost`,
:mod:`nrplan.econ.energy`.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from nrplan.demand.defaults import DEMAND_DEFAULTS, YEARS
from nrplan.econ import energy as _energy
from nrplan.econ.cost import (
    SITE_TYPES,
    CostParams,
    CostResult,
    SiteCounts,
    annuity_factor,
    city_cost,
    compare_sharing,
    site_type_counts,
    sum_costs,
)
from nrplan.econ.defaults import check_plausible, value
from nrplan.econ.published import validation_rows
from nrplan.errors import NrplanInputError, check_range
from nrplan.io.jsonutil import to_jsonable
from nrplan.plan.config import PlanConfig, Targets, validation_error_to_input_error
from nrplan.plan.dimension import dimension_class
from nrplan.plan.networks import OPERATOR_SHARES
from nrplan.plan.records import CityResult, as_city_result
from nrplan.units import GB_PER_MBIT

__all__ = [
    "DEEP_SLEEP_HOURS",
    "GB_PER_MBIT",
    "ROOFTOP_CLASSES",
    "city_traffic_profile",
    "combine_economics",
    "gb_per_year",
    "plan_economics",
    "sensitivity_case",
    "separate_site_ratio",
]

#: Morphology classes whose new sites are rooftop sites (the others: ground towers).
ROOFTOP_CLASSES = frozenset({"dense_urban", "urban"})

#: Deep-sleep window [hours 0-23]: the hours of the default profile at or below
#: the deep-sleep load (02:00-07:00 with the defaults).
DEEP_SLEEP_HOURS: tuple[int, ...] = tuple(
    int(h) for h in np.nonzero(_energy.DEFAULT_TRAFFIC_PROFILE <= value("deep_sleep_load"))[0]
)

_MONTHS_PER_YEAR = 12.0


def _num(rec: Mapping[str, Any], key: str, default: float = 0.0) -> float:
    """A record's number, ``default`` when missing or None (NaN stays NaN)."""
    v = rec.get(key)
    if v is None:
        return default
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def _demand_defaults(year: int) -> dict[str, float]:
    y = year if year in YEARS else YEARS[0]
    return {k: d.value for k, d in DEMAND_DEFAULTS[y].items()}


def gb_per_year(
    busy_hour_mbps: float,
    busy_hour_share: float,
    busy_days_per_month: float,
    served_share: float = 1.0,
) -> float:
    """Data carried per year [GB] from busy-hour traffic [Mbit/s].

    ``GB = Mbit/s x 3600 / 8000 / busy_hour_share x busy_days_per_month x 12
    x served_share``: a busy hour holds ``busy_hour_share`` of a busy day's
    traffic, and a month's volume falls on its busy days (the inverse of
    :func:`nrplan.demand.traffic.busy_hour_mbps_per_user`).

    Parameters
    ----------
    busy_hour_mbps : float
        Busy-hour offered traffic (DL + UL) [Mbit/s]; NaN in, NaN out.
    busy_hour_share : float
        Share of a busy day's traffic in the busy hour (0, 1].
    busy_days_per_month : float
        Busy days per month [days], 1..31.
    served_share : float
        Share of the traffic actually carried (e.g. the population coverage) [0-1].

    Examples
    --------
    >>> round(gb_per_year(614.67, 0.08, 22.0))  # Jiayuguan 2020: 76,065 GB/month x 12
    912785
    """
    if not math.isfinite(busy_hour_mbps):
        return math.nan
    check_range("busy_hour_mbps", busy_hour_mbps, 0.0, unit="Mbit/s")
    check_range("busy_hour_share", busy_hour_share, 0.0, 1.0, lo_open=True)
    check_range("busy_days_per_month", busy_days_per_month, 1.0, 31.0, unit="days")
    check_range("served_share", served_share, 0.0, 1.0)
    gb_busy_day = busy_hour_mbps * 3600.0 * GB_PER_MBIT / busy_hour_share
    return float(gb_busy_day * busy_days_per_month * _MONTHS_PER_YEAR * served_share)


def city_traffic_profile(busy_hour_load: float | None) -> np.ndarray:
    """24-hour load profile of a city: the default shape with its peak at ``busy_hour_load``.

    Parameters
    ----------
    busy_hour_load : float or None
        Busy-hour mean sector load [0-1]; None or NaN gives the default profile.

    Returns
    -------
    numpy.ndarray
        Load per hour 00..23 [0-1].
    """
    prof = _energy.DEFAULT_TRAFFIC_PROFILE
    if busy_hour_load is None or not math.isfinite(busy_hour_load):
        return prof.copy()
    check_range("busy_hour_load", busy_hour_load, 0.0, 1.0)
    return np.clip(prof * (busy_hour_load / prof.max()), 0.0, 1.0)


def separate_site_ratio(record: CityResult | Mapping[str, Any], config: PlanConfig) -> float:
    """Sites of one operator's own network over sites of the shared RAN (dimensioning).

    For each morphology class in the record's ``dimensioning``, the class is
    dimensioned again for one operator alone (the configured layers, i.e. the
    100 MHz n78 carrier; the traffic times 0.205/0.409, one operator's share
    of the two) and the site estimates are compared:
    ``ratio = sum(separate estimates) / sum(shared estimates)``.

    Returns 1.0 when the record has no usable dimensioning.
    """
    dims = as_city_result(dict(record) if isinstance(record, Mapping) else record).dimensioning
    scale = OPERATOR_SHARES["separate"] / OPERATOR_SHARES["shared"]
    # one operator alone: its own 100 MHz carrier where the shared RAN pools two
    layers = {
        k: v.model_copy(update={"band": "n78"}) if v.band == "n78-shared" else v
        for k, v in config.layers.items()
    }
    cfg = config.model_copy(update={"operators": "single", "layers": layers})
    shared = separate = 0.0
    for d in dims:
        try:
            area = float(d["area_km2"])
            est = float(d["sites_estimate"])
            sep = dimension_class(
                int(d["code"]),
                area,
                float(d["traffic_dl_mbps_km2"]) * area * scale,
                float(d["traffic_ul_mbps_km2"]) * area * scale,
                cfg,
            ).sites_estimate
        except (KeyError, TypeError, ValueError):
            return 1.0
        shared += est
        separate += sep
    if not (shared > 0 and math.isfinite(separate)):
        return 1.0
    return float(separate / shared)


def _rooftop_share(record: CityResult) -> float | None:
    """Share of rooftop sites among the dimensioning site estimates (None without them)."""
    total = roof = 0.0
    for d in record.dimensioning:
        est = _num(d, "sites_estimate", math.nan) if isinstance(d, Mapping) else math.nan
        if not math.isfinite(est):
            continue
        total += est
        if d.get("name") in ROOFTOP_CLASSES:
            roof += est
    return roof / total if total > 0 else None


def _radios(record: CityResult, sites: float, warnings: list[str]) -> dict[str, float]:
    """Radio units per antenna profile (unknown profiles and a missing count as 64T64R)."""
    name = record.name or record.city_id or "?"
    out: dict[str, float] = {}
    for k, v in record.sectors_by_antenna.items():
        key = str(k).lower()
        if key not in _energy.PROFILES:
            warnings.append(
                f"{name}: antenna profile {k!r} has no cost/power model; costed as 64t64r"
            )
            key = "64t64r"
        out[key] = out.get(key, 0.0) + float(v)
    if sites > 0 and not out:
        n = float(record.sectors) if record.sectors > 0 else 3.0 * sites
        warnings.append(f"{name}: no sectors_by_antenna; {n:g} sectors costed as 64t64r")
        out = {"64t64r": n}
    return out


def _city_energy(
    sites: float,
    radios: Mapping[str, float],
    load: float | None,
    features: tuple[str, ...],
    params: CostParams,
    co2: float,
    gb_year: float,
) -> dict[str, Any]:
    """Energy of a city's network (with and without features) as a result dict."""
    zero = {
        "kwh_per_year": 0.0,
        "kwh_per_year_without_features": 0.0,
        "saving_share": 0.0,
        "savings_kwh_per_year": {f: 0.0 for f in features},
        "electricity_cost_per_year": 0.0,
        "electricity_cost_per_year_without_features": 0.0,
        "co2_t_per_year": 0.0,
        "co2_t_per_year_without_features": 0.0,
        "kwh_per_gb": math.nan,
        "site_power_w": {"idle": math.nan, "full": math.nan, "full_equipment": math.nan},
        "busy_hour_load": load,
    }
    if sites <= 0:
        return zero
    mix = {k: v / sites for k, v in radios.items() if v > 0}
    if not mix:
        return zero
    sp = _energy.SavingParams(deep_sleep_hours=DEEP_SLEEP_HOURS)
    e = _energy.site_energy(
        mix,
        city_traffic_profile(load),
        features,
        params=sp,
        electricity_price=params.electricity_price,
        grid_co2_factor=co2,
    )
    kwh, kwh0 = sites * e.kwh_year, sites * e.kwh_year_base
    days = _energy.DAYS_PER_YEAR
    return {
        "kwh_per_year": kwh,
        "kwh_per_year_without_features": kwh0,
        "saving_share": e.saving_share,
        "savings_kwh_per_year": {f: sites * v * days for f, v in e.savings_kwh_day.items()},
        "electricity_cost_per_year": kwh * params.electricity_price * params.fx,
        "electricity_cost_per_year_without_features": kwh0 * params.electricity_price * params.fx,
        "co2_t_per_year": kwh * co2 / 1000.0,
        "co2_t_per_year_without_features": kwh0 * co2 / 1000.0,
        "kwh_per_gb": kwh / gb_year if gb_year > 0 else math.nan,
        "site_power_w": {
            "idle": e.p_idle_w,
            "full": e.p_full_w,
            "full_equipment": e.p_full_equipment_w,
        },
        "busy_hour_load": load,
    }


def _site_weighted(pairs: Iterable[tuple[float, float]]) -> float:
    """Site-weighted mean of a per-site figure over cities (NaN when no city has sites)."""
    num = den = 0.0
    for n, v in pairs:
        if n > 0 and v is not None and math.isfinite(float(v)):
            num += n * float(v)
            den += n
    return num / den if den > 0 else math.nan


def _cost_dict(r: CostResult) -> dict[str, Any]:
    return {
        "capex": dict(r.capex),
        "capex_total": r.capex_total,
        "opex_per_year": dict(r.opex),
        "opex_total_per_year": r.opex_total,
        "tco": r.tco,
        "tco_per_operator": r.tco_per_operator,
        "covered_km2": r.covered_km2,
        "covered_people": r.covered_people,
        "gb_per_year": r.gb_per_year,
        "cost_per_km2": r.cost_per_km2,
        "cost_per_person": r.cost_per_person,
        "cost_per_gb": r.cost_per_gb,
    }


def _params(
    cost_params: CostParams | None, years: int | None, discount: float | None
) -> CostParams:
    base = cost_params or CostParams()
    upd: dict[str, Any] = {}
    if years is not None:
        upd["years"] = years
    if discount is not None:
        upd["discount_rate"] = discount
    if not upd:
        return base
    return CostParams.from_overrides(**{**base.model_dump(), **upd})


@dataclass(frozen=True)
class _Settings:
    """The checked inputs of one :func:`plan_economics` call."""

    config: PlanConfig
    params: CostParams
    reused_share: float
    features: tuple[str, ...]
    co2_kg_per_kwh: float
    demand_defaults: dict[str, float]

    @property
    def shared(self) -> bool:
        return self.config.operators == "shared"

    @property
    def n_operators(self) -> int:
        return 2 if self.shared else 1


@dataclass
class _CityBill:
    """One city's economics: its result dict and the parts the national sums need."""

    city: dict[str, Any]
    cost: CostResult
    energy: dict[str, Any]
    sharing: dict[str, float] | None


def _to_records(records: Sequence[CityResult | Mapping[str, Any]]) -> list[CityResult]:
    """The records as :class:`CityResult` (dicts are read; anything else is refused)."""
    out = []
    for rec in records:
        if isinstance(rec, CityResult):
            out.append(rec)
        elif isinstance(rec, Mapping):
            out.append(CityResult.from_dict(dict(rec)))
        else:
            raise NrplanInputError(
                "records", type(rec).__name__, "a list of CityResult or city record dicts"
            )
    return out


def _carried(rec: CityResult, dflt: Mapping[str, float]) -> tuple[float, float, float]:
    """GB carried per year, covered km^2 and covered people of a city (module docstring)."""
    pop_cov = rec.population_coverage_share
    bh_share = float(rec.demand.get("busy_hour_share") or dflt["busy_hour_share"])
    bh_days = float(rec.demand.get("busy_days_per_month") or dflt["busy_days_per_month"])
    if rec.sites > 0 or math.isfinite(rec.busy_hour_dl_mbps):
        ul = rec.busy_hour_ul_mbps if math.isfinite(rec.busy_hour_ul_mbps) else 0.0
        bh = rec.busy_hour_dl_mbps + ul
        gb = gb_per_year(bh, bh_share, bh_days, pop_cov) if math.isfinite(pop_cov) else math.nan
    else:
        gb = 0.0
    area_cov = rec.area_coverage_share if math.isfinite(rec.area_coverage_share) else 0.0
    km2 = rec.target_area_km2 * area_cov
    people = rec.target_population * (pop_cov if math.isfinite(pop_cov) else 0.0)
    km2 = km2 if math.isfinite(km2) else math.nan
    return gb, km2, people if math.isfinite(people) else math.nan


def _busy_hour_load(rec: CityResult) -> float | None:
    """The city's busy-hour mean sector load clipped to [0, 1] (None when unknown)."""
    load = rec.load_mean_share
    return min(max(load, 0.0), 1.0) if math.isfinite(load) else None


def _sharing(
    rec: CityResult, counts: SiteCounts, energy_kwh: float, roof: float | None, s: _Settings
) -> dict[str, float]:
    """A shared-RAN city against each operator building its own network."""
    ratio = separate_site_ratio(rec, s.config)
    sep = SiteCounts(
        new_sites=counts.new_sites * ratio,
        reused_sites=counts.reused_sites * ratio,
        sectors={k: v * ratio for k, v in counts.sectors.items()},
        n_operators=1,
        rooftop_share=roof,
        energy_kwh_per_year=energy_kwh * ratio,
        name=f"{counts.name} (one operator alone)",
    )
    cmp = compare_sharing(counts, sep, s.params)
    sites = counts.new_sites + counts.reused_sites
    return {
        "site_ratio_separate_to_shared": ratio,
        "sites_per_operator_separate": sites * ratio,
        "tco_shared": cmp.tco_shared,
        "tco_separate": cmp.tco_separate,
        "tco_per_operator_shared": cmp.tco_per_operator_shared,
        "tco_per_operator_separate": cmp.tco_per_operator_separate,
        "capex_separate": cmp.separate.capex_total,
        "opex_per_year_separate": cmp.separate.opex_total,
        "saving": cmp.saving,
        "saving_share": cmp.saving_share,
    }


def _city_bill(rec: CityResult, cid: str, s: _Settings, warnings: list[str]) -> _CityBill:
    """Capex, opex, energy and unit costs of one city."""
    name = rec.name or cid
    sites = float(max(rec.sites, 0))
    radios = _radios(rec, sites, warnings)
    planner_reused = min(max(float(rec.reused_sites), 0.0), sites)
    new = sites - planner_reused if rec.new_sites is None else float(rec.new_sites)
    planner_new = min(max(new, 0.0), sites)
    built_new = planner_new * (1.0 - s.reused_share)
    on_existing = sites - built_new
    gb, km2, people = _carried(rec, s.demand_defaults)
    en = _city_energy(
        sites, radios, _busy_hour_load(rec), s.features, s.params, s.co2_kg_per_kwh, gb
    )
    roof = _rooftop_share(rec)
    counts = SiteCounts(
        new_sites=built_new,
        reused_sites=on_existing,
        sectors=radios,
        n_operators=s.n_operators,
        rooftop_share=roof,
        energy_kwh_per_year=en["kwh_per_year"],
        covered_km2=km2,
        covered_people=people,
        gb_per_year=gb,
        name=name,
    )
    res = city_cost(counts, s.params)
    city: dict[str, Any] = {
        "key": rec.key or None,
        "id": cid,
        "name": name,
        "sites": sites,
        "sectors": float(sum(radios.values())),
        "sectors_by_profile": radios,
        "sites_built_new": built_new,
        "sites_on_existing": on_existing,
        "rooftop_share_new": s.params.rooftop_share_new if roof is None else roof,
        "site_types": site_type_counts(counts, s.params),
        **_cost_dict(res),
        "energy": en,
    }
    sharing = None
    if s.shared and sites > 0:
        sharing = _sharing(rec, counts, en["kwh_per_year"], roof, s)
        city["sharing"] = sharing
    return _CityBill(city, res, en, sharing)


_ENERGY_SUMS = (
    "kwh_per_year",
    "kwh_per_year_without_features",
    "electricity_cost_per_year",
    "electricity_cost_per_year_without_features",
    "co2_t_per_year",
    "co2_t_per_year_without_features",
)


def _national_energy(
    energies: Sequence[Mapping[str, Any]], features: Sequence[str], gb_per_year: float
) -> dict[str, Any]:
    """The cities' energy summed, with the national saving share and kWh per GB."""
    nat: dict[str, Any] = {k: float(sum(e[k] for e in energies)) for k in _ENERGY_SUMS}
    nat["savings_kwh_per_year"] = {
        f: float(sum(e["savings_kwh_per_year"].get(f, 0.0) for e in energies)) for f in features
    }
    base_kwh = nat["kwh_per_year_without_features"]
    nat["saving_share"] = 1.0 - nat["kwh_per_year"] / base_kwh if base_kwh > 0 else 0.0
    nat["kwh_per_gb"] = nat["kwh_per_year"] / gb_per_year if gb_per_year > 0 else math.nan
    return nat


def _national_sharing(sharings: Sequence[Mapping[str, float]]) -> dict[str, float]:
    ts = float(sum(x["tco_shared"] for x in sharings))
    tsep = float(sum(x["tco_separate"] for x in sharings))
    return {
        "sites_per_operator_separate": float(
            sum(x["sites_per_operator_separate"] for x in sharings)
        ),
        "tco_shared": ts,
        "tco_separate": tsep,
        "saving": tsep - ts,
        "saving_share": (tsep - ts) / tsep if tsep > 0 else math.nan,
    }


def _national(bills: Sequence[_CityBill], s: _Settings) -> dict[str, Any]:
    """The national economics: the cities' bills added, per-site figures, validation."""
    p = s.params
    results = [b.cost for b in bills]
    nat_res = sum_costs(results) if results else city_cost(SiteCounts(n_operators=s.n_operators), p)
    cities = [b.city for b in bills]
    nat_en = _national_energy([b.energy for b in bills], s.features, nat_res.gb_per_year)
    total_sites = float(sum(c["sites"] for c in cities))
    national: dict[str, Any] = {
        "cities": len(cities),
        "sites": total_sites,
        "sectors": float(sum(c["sectors"] for c in cities)),
        "sites_built_new": float(sum(c["sites_built_new"] for c in cities)),
        "sites_on_existing": float(sum(c["sites_on_existing"] for c in cities)),
        "site_types": {t: float(sum(c["site_types"][t] for c in cities)) for t in SITE_TYPES},
        **_cost_dict(nat_res),
        "capex_per_site": nat_res.capex_total / total_sites if total_sites > 0 else math.nan,
        "site_power_full_equipment_w": _site_weighted(
            [(c["sites"], c["energy"]["site_power_w"]["full_equipment"]) for c in cities]
        ),
        "energy": nat_en,
        "usd": {
            k: getattr(nat_res, k) / p.cny_per_usd if p.currency == "CNY" else getattr(nat_res, k)
            for k in ("capex_total", "opex_total", "tco")
        },
    }
    if s.shared:
        national["sharing"] = _national_sharing([b.sharing for b in bills if b.sharing])
    national["validation_2020"] = validation_rows(national)
    if s.config.operators == "separate":
        national["separate_networks"] = {
            "networks": 2,
            "sites": 2 * total_sites,
            "capex_total": 2 * nat_res.capex_total,
            "opex_total_per_year": 2 * nat_res.opex_total,
            "tco": 2 * nat_res.tco,
            "kwh_per_year": 2 * nat_en["kwh_per_year"],
        }
    return national


def _assumptions(s: _Settings) -> dict[str, Any]:
    """The ``assumptions`` entry: the settings and rules of the economics."""
    p = s.params
    return {
        "price_year": p.price_year,
        "years": p.years,
        "discount_rate": p.discount_rate,
        "annuity_factor": annuity_factor(p.discount_rate, p.years),
        "tco": "NPV: capex at year 0 + annual opex at the end of years 1..N",
        "cost_per_gb": "levelised: TCO / (GB per year x annuity factor)",
        "n_operators": s.n_operators,
        "reused_share": s.reused_share,
        "reused_rule": (
            "planner reused sites are reused; of the planner's new 5G sites a share "
            "reused_share goes onto existing towers (China Tower 2020: >97%), the rest is built new"
        ),
        "site_type_rule": (
            "co-located: no civil works, incremental tenancy fee (tower_fee_colocated); new "
            "rooftop / new tower: civil works civil_new_rooftop / civil_new_tower and the fee "
            "of a new tenancy (tower_fee_per_tenancy)"
        ),
        "validation_2020": (
            "capex and energy per site next to published 2020 figures (nrplan.econ.published); "
            "validation, not a fit"
        ),
        "rooftop_rule": (
            "new builds in dense_urban/urban are rooftop, suburban/rural ground towers, by the "
            "dimensioning site estimates; else CostParams.rooftop_share_new"
        ),
        "energy_features": list(s.features),
        "traffic_profile": (
            "default 24-h profile scaled so its peak equals the city's busy-hour mean sector "
            "load (load_mean)"
        ),
        "deep_sleep_hours": list(DEEP_SLEEP_HOURS),
        "electricity_price_cny_per_kwh": p.electricity_price,
        "grid_co2_factor_kg_per_kwh": s.co2_kg_per_kwh,
        "gb_conversion": (
            "GB/year = (DL+UL busy-hour Mbit/s) x 3600 / 8000 / busy_hour_share x "
            "busy_days_per_month x 12 x population_coverage"
        ),
        "covered_km2": "target_area_km2 x area_coverage",
        "covered_people": "target_population x population_coverage",
        "sharing": (
            "separate network per operator = shared plan x (dimensioning site estimate of one "
            "operator on its own 100 MHz carrier with half the traffic / estimate of the shared "
            "200 MHz RAN); ratio 1 without dimensioning"
            if s.shared
            else "not a shared RAN"
        ),
        "sources": "nrplan.econ.defaults (value, unit, year, source and status of each default)",
    }


def plan_economics(
    records: Sequence[CityResult | Mapping[str, Any]],
    config: PlanConfig,
    *,
    years: int | None = None,
    discount: float | None = None,
    cost_params: CostParams | None = None,
    reused_share: float | None = None,
    features: Iterable[str] = _energy.FEATURES,
    grid_co2_factor: float | None = None,
) -> dict[str, Any]:
    """Capex, opex, energy, TCO and unit costs of a plan, per city and national.

    Parameters
    ----------
    records : sequence of CityResult (or of their ``summary.json`` dicts)
        The planner's per-city records (:class:`nrplan.plan.records.CityResult`,
        or the dicts of ``summary["cities"]``, read with
        :meth:`~nrplan.plan.records.CityResult.from_dict`). Records of cities
        with no sites (e.g. nothing in the year's coverage scope) may lack
        most keys.
    config : PlanConfig
        The plan's configuration (``operators`` selects the sharing model and
        ``year`` the demand defaults used when a record has no ``demand``).
    years : int, optional
        TCO horizon [years]; default ``cost_params.years`` (10).
    discount : float, optional
        Discount rate in [0, 1); default ``cost_params.discount_rate`` (0.08).
    cost_params : CostParams, optional
        Unit costs (defaults: :mod:`nrplan.econ.defaults`).
    reused_share : float, optional
        Share of the planner's new sites that go onto existing towers [0-1];
        default 0.97 (China Tower 2020).
    features : iterable of str
        Energy-saving features "with features" means (default: all of
        :data:`nrplan.econ.energy.FEATURES`).
    grid_co2_factor : float, optional
        [kg CO2/kWh]; default 0.5568 (MEE/NBS 2021 national average).

    Returns
    -------
    dict
        JSON-ready: ``{"currency", "usd_rate", "national", "cities": {city_id:
        ...}, "assumptions", "warnings"}`` (non-finite numbers as None). Money
        in ``currency``; energy in kWh/year; CO2 in t/year (the unit of every
        entry: :data:`nrplan.plan.records.ECONOMICS_UNITS`).

    Raises
    ------
    NrplanInputError
        Bad ``years``, ``discount``, ``reused_share``, features or CO2 factor,
        or a record that is neither a CityResult nor a dict.

    Notes
    -----
    The conversions and assumptions are in the module docstring and repeated
    in the ``assumptions`` entry of the result.
    """
    share = value("reused_share") if reused_share is None else float(reused_share)
    check_range("reused_share", share, 0.0, 1.0)
    co2 = value("grid_co2_factor") if grid_co2_factor is None else float(grid_co2_factor)
    check_plausible("grid_co2_factor", co2)
    s = _Settings(
        config=config,
        params=_params(cost_params, years, discount),
        reused_share=share,
        features=tuple(_energy.parse_features(list(features))),
        co2_kg_per_kwh=co2,
        demand_defaults=_demand_defaults(config.year),
    )
    warnings: list[str] = []
    bills: list[_CityBill] = []
    for i, rec in enumerate(_to_records(records)):
        bills.append(_city_bill(rec, rec.city_id or rec.key or str(i), s, warnings))
    return to_jsonable(
        {
            "currency": s.params.currency,
            "usd_rate": s.params.cny_per_usd,
            "national": _national(bills, s),
            "cities": {b.city["id"]: b.city for b in bills},
            "assumptions": _assumptions(s),
            "warnings": warnings,
        }
    )


Records = list[dict[str, Any]]


def sensitivity_case(
    config: PlanConfig,
    overrides: Mapping[str, float],
    base_values: Mapping[str, float],
) -> tuple[PlanConfig, Callable[[Sequence[Mapping[str, Any]]], Records], str]:
    """The plan configuration of one sensitivity evaluation, and how to read its records.

    Parameters
    ----------
    config : PlanConfig
        The base plan configuration.
    overrides : mapping
        Values of the varied inputs (keys of
        :data:`nrplan.econ.sensitivity.DEFAULT_SWINGS`); ``unit_cost_scale`` is
        ignored here (it needs no re-planning).
    base_values : mapping
        Base values of ``traffic_per_user`` [GB/month] and ``penetration``.

    Returns
    -------
    config : PlanConfig
        The configuration to plan (``targets.edge_dl_mbps``,
        ``targets.load_limit`` and the demand overrides ``dou_gb`` and
        ``penetration``, which the planner hands to the demand model).
    transform : callable
        ``transform(records) -> records`` to feed :func:`plan_economics`.
    label : str
        A short name of the case (for its run directory).

    Raises
    ------
    NrplanInputError
        A case outside the configuration's ranges.
    """
    edge = float(overrides.get("edge_dl_mbps", config.targets.edge_dl_mbps))
    load = float(overrides.get("load_limit", config.targets.load_limit))
    dou0 = float(base_values["traffic_per_user"])
    pen0 = float(base_values["penetration"])
    dou = round(float(overrides.get("traffic_per_user", dou0)), 9)
    pen = round(float(overrides.get("penetration", pen0)), 9)
    check_range("traffic_per_user", dou, 0.0, lo_open=True, unit="GB/month")
    check_range("penetration", pen, 0.0, 1.0, lo_open=True)
    demand = {**dict(config.demand_overrides), "dou_gb": dou, "penetration": pen}
    update: dict[str, Any] = {"demand_overrides": demand}
    load_plan = load
    label = f"edge{edge:.6g}-load{load:.6g}-dou{dou:.6g}-pen{pen:.6g}"
    try:
        targets = Targets(
            **{**config.targets.model_dump(), "edge_dl_mbps": edge, "load_limit": load_plan}
        )
        cfg = PlanConfig(**{**config.model_dump(), **update, "targets": targets.model_dump()})
    except ValidationError as exc:
        raise validation_error_to_input_error(exc, "sensitivity") from None

    def transform(records: Sequence[Mapping[str, Any]]) -> Records:
        return [copy.deepcopy(dict(r)) for r in records]

    return cfg, transform, label


def _sum_tree(items: Sequence[Any]) -> Any:
    """Element-wise sum of equally shaped JSON trees (numbers add; dicts recurse
    over the union of keys; other values are kept from the first)."""
    present = [x for x in items if x is not None]
    if not present:
        return None
    if all(isinstance(x, Mapping) for x in present):
        keys: list[str] = []
        for x in present:
            keys += [k for k in x if k not in keys]
        return {k: _sum_tree([x.get(k) for x in present]) for k in keys}
    if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in present):
        vals = [float(x) for x in present]
        return float(sum(vals)) if all(math.isfinite(v) for v in vals) else math.nan
    return present[0]


def combine_economics(parts: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The economics of several networks over the same cities: their bills added.

    Money, sites, radios, energy, CO2 and carried GB add up; the covered area
    and people are the networks' common scope (the largest of them), so the
    unit costs are the total TCO over it; the levelised cost per GB is the
    total TCO over the networks' discounted GB. ``networks`` keeps each
    network's own national economics, ``cities`` each (city, network) row
    keyed by the record key.

    Parameters
    ----------
    parts : mapping
        ``{network: plan_economics(...)}``, all in the same currency.
    """
    names = list(parts)
    first = parts[names[0]]
    nats = [parts[n]["national"] for n in names]
    nat = _sum_tree(nats)
    tco = float(nat["tco"])
    nat["cities"] = max(float(x.get("cities", 0) or 0) for x in nats)
    for key in ("covered_km2", "covered_people"):
        vals = [float(x.get(key) or math.nan) for x in nats]
        nat[key] = max(vals) if all(math.isfinite(v) for v in vals) else math.nan
    nat["cost_per_km2"] = tco / nat["covered_km2"] if nat["covered_km2"] > 0 else math.nan
    nat["cost_per_person"] = tco / nat["covered_people"] if nat["covered_people"] > 0 else math.nan
    disc_gb = [
        float(x["tco"]) / float(x["cost_per_gb"])
        for x in nats
        if x.get("cost_per_gb") and math.isfinite(float(x["cost_per_gb"]))
    ]
    nat["cost_per_gb"] = tco / sum(disc_gb) if len(disc_gb) == len(nats) else math.nan
    nat["capex_per_site"] = nat["capex_total"] / nat["sites"] if nat["sites"] > 0 else math.nan
    nat["site_power_full_equipment_w"] = _site_weighted(
        [(float(x.get("sites") or 0.0), x.get("site_power_full_equipment_w")) for x in nats]
    )
    nat.pop("tco_per_operator", None)
    nat.pop("sharing", None)
    en = nat["energy"]
    base = en["kwh_per_year_without_features"]
    en["saving_share"] = 1.0 - en["kwh_per_year"] / base if base > 0 else 0.0
    gb = nat["gb_per_year"]
    en["kwh_per_gb"] = en["kwh_per_year"] / gb if gb > 0 else math.nan
    nat["validation_2020"] = validation_rows(nat)
    cities: dict[str, Any] = {}
    for n in names:
        for cid, c in parts[n]["cities"].items():
            cities[str(c.get("key") or f"{cid}_{n}")] = {**c, "network": n}
    return to_jsonable(
        {
            "currency": first["currency"],
            "usd_rate": first["usd_rate"],
            "national": nat,
            "networks": {n: parts[n]["national"] for n in names},
            "cities": cities,
            "assumptions": {n: parts[n]["assumptions"] for n in names},
            "warnings": [w for n in names for w in parts[n].get("warnings", [])],
        }
    )
