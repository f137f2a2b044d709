"""Multi-year roll-out: sites, new sites, capex, opex and energy per year.

Given per-year targets (:class:`YearTarget`: coverage scope, penetration,
traffic per user) and a planner callable ``plan_fn(target) -> YearPlan``, the
roll-out keeps the network monotone — sites and radios are never removed: the
installed network of year ``Y`` is the element-wise maximum of the installed
network of ``Y - 1`` and what year ``Y``'s plan needs. Capex of a year is the
capex of what is added that year (new sites and new radio units); opex and
energy are those of the whole installed network that year; the tower fee
follows each site's type (a new tenancy for the sites built new, the
incremental fee for the co-located ones, :func:`nrplan.econ.cost.opex_breakdown`).

The planner contract
--------------------
``plan_fn(target: YearTarget) -> YearPlan`` returns the *whole* network the
year's scenario needs (not the increment). ``YearPlan.energy_kwh_per_year``,
when given, is for that planned network; the roll-out scales it to the
installed sites (same energy per site). Otherwise energy comes from
:func:`nrplan.econ.energy.network_energy_kwh_per_year`.

References
----------
Unit costs and energy defaults: :mod:`nrplan.econ.defaults`.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nrplan.demand.defaults import coverage_scope, defaults_for_year
from nrplan.econ import energy as _energy
from nrplan.econ.cost import CostParams, SiteCounts, capex_breakdown, opex_breakdown
from nrplan.econ.defaults import check_plausible, value
from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.io.atomic import atomic_path

__all__ = [
    "PlanFn",
    "YearPlan",
    "YearTarget",
    "make_targets",
    "plot_rollout",
    "rollout",
    "validate_years",
    "year_plan",
    "year_targets",
]


@dataclass(frozen=True)
class YearTarget:
    """The scenario of one year, handed to the planner.

    Attributes
    ----------
    year : int
        Calendar year (end-of-year state).
    scope : str
        Coverage scope label, e.g. ``"prefecture"``, ``"county"``, ``"township"``
        (widening over the years; the planner interprets it).
    penetration : float
        5G users / population [0..1]; NaN if the planner does not use it.
    dou_gb_per_month : float
        Traffic per 5G user [GB/month]; NaN if unused.
    extra : mapping
        Anything else the planner needs (e.g. edge rate, load limit).
    """

    year: int
    scope: str = "prefecture"
    penetration: float = math.nan
    dou_gb_per_month: float = math.nan
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # NaN means "not used by the planner" (documented above); anything else is checked
        if not _is_nan(self.penetration):
            check_range("penetration", self.penetration, 0.0, 1.0)
        if not _is_nan(self.dou_gb_per_month):
            check_range("dou_gb_per_month", self.dou_gb_per_month, 0.0, unit="GB")


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and math.isnan(v)


@dataclass(frozen=True)
class YearPlan:
    """What the planner returns for one year: the whole network the scenario needs.

    Attributes
    ----------
    sites : float
        Sites needed [count].
    sectors_by_profile : mapping of str to float
        Radio units needed per profile (``"64t64r"``, ``"32t32r"``, ``"8t8r"``, ``"4t4r"``).
    energy_kwh_per_year : float or None
        Energy of the planned network [kWh/year]; None: use the energy model.
    traffic_profile : sequence of 24 float or None
        Hourly load for the energy model (None: default profile).
    reused_share : float or None
        Share of this year's *new* sites that reuse existing towers [0..1]
        (None: 0.97, China Tower 2020).
    covered_km2, covered_people, gb_per_year : float
        Denominators, passed through to the table.
    """

    sites: float
    sectors_by_profile: Mapping[str, float]
    energy_kwh_per_year: float | None = None
    traffic_profile: Sequence[float] | None = None
    reused_share: float | None = None
    covered_km2: float = math.nan
    covered_people: float = math.nan
    gb_per_year: float = math.nan

    def __post_init__(self) -> None:
        check_range("sites", self.sites, 0.0)
        for k, v in self.sectors_by_profile.items():
            check_choice("sectors_by_profile", k, _energy.RADIO_POWER)
            check_range(f"sectors_by_profile[{k}]", v, 0.0)
        if self.energy_kwh_per_year is not None:
            check_range("energy_kwh_per_year", self.energy_kwh_per_year, 0.0, unit="kWh")
        if self.reused_share is not None:
            check_range("reused_share", self.reused_share, 0.0, 1.0)


PlanFn = Callable[[YearTarget], YearPlan]
"""Signature of the planner callable: ``plan_fn(target: YearTarget) -> YearPlan``."""


def validate_years(years: Iterable[int]) -> list[int]:
    """Return ``years`` as ints if strictly increasing, else raise NrplanInputError."""
    ys = [int(y) for y in years]
    if not ys:
        raise NrplanInputError("years", ys, "at least one year")
    if any(b <= a for a, b in itertools.pairwise(ys)):
        raise NrplanInputError("years", ys, "strictly increasing years (not reversed)")
    return ys


def make_targets(
    years: Sequence[int],
    scopes: Sequence[str] | str = "prefecture",
    penetration: Sequence[float] | None = None,
    dou_gb_per_month: Sequence[float] | None = None,
) -> list[YearTarget]:
    """Build :class:`YearTarget` s from per-year sequences (equal lengths)."""
    ys = validate_years(years)
    n = len(ys)
    sc = [scopes] * n if isinstance(scopes, str) else list(scopes)
    pen = [math.nan] * n if penetration is None else list(penetration)
    dou = [math.nan] * n if dou_gb_per_month is None else list(dou_gb_per_month)
    for name, seq in (("scopes", sc), ("penetration", pen), ("dou_gb_per_month", dou)):
        if len(seq) != n:
            raise NrplanInputError(name, f"{len(seq)} values", f"{n} values, one per year")
    return [
        YearTarget(y, s, float(p), float(d)) for y, s, p, d in zip(ys, sc, pen, dou, strict=True)
    ]


def year_targets(years: Iterable[int]) -> list[YearTarget]:
    """The scenario of each year from the demand defaults (:mod:`nrplan.demand.defaults`).

    Scope: the year's coverage scope level; penetration: 5G users /
    population; traffic per 5G user: the year's mean DOU times the 5G uplift
    (``dou_gb x fiveg_dou_factor``).

    Raises
    ------
    NrplanInputError
        If the years are not strictly increasing or one has no defaults (2020-2025).
    """
    out = []
    for y in validate_years(years):
        d = defaults_for_year(y)
        dou = d["dou_gb"] * d["fiveg_dou_factor"]
        out.append(YearTarget(y, coverage_scope(y).level, d["penetration"], dou))
    return out


def year_plan(summary: Mapping[str, Any], economics: Mapping[str, Any]) -> YearPlan:
    """The :class:`YearPlan` of a planned year, from its plan summary and economics.

    Parameters
    ----------
    summary : mapping
        Run summary of :func:`nrplan.plan.national.plan_regions` (``national.sites``).
    economics : mapping
        Result of :func:`nrplan.plan.economics.plan_economics`: its national
        energy [kWh/year], covered area [km^2], covered people and traffic
        [GB/year], and each city's ``sectors_by_profile`` (summed here).
    """
    nat = economics["national"]
    profiles: dict[str, float] = {}
    for city in economics["cities"].values():
        for k, v in city["sectors_by_profile"].items():
            profiles[k] = profiles.get(k, 0.0) + v

    def num(v: Any) -> float:
        return math.nan if v is None else float(v)

    return YearPlan(
        sites=float(summary["national"]["sites"]),
        sectors_by_profile=profiles,
        energy_kwh_per_year=nat["energy"]["kwh_per_year"],
        covered_km2=num(nat["covered_km2"]),
        covered_people=num(nat["covered_people"]),
        gb_per_year=num(nat["gb_per_year"]),
    )


def rollout(
    targets: Sequence[YearTarget],
    plan_fn: PlanFn,
    params: CostParams | None = None,
    *,
    features: Iterable[str] = _energy.FEATURES,
    grid_co2_factor: float | None = None,
):
    """Sites, new sites, capex, opex and energy per year of a monotone roll-out.

    Parameters
    ----------
    targets : sequence of YearTarget
        One per year, years strictly increasing.
    plan_fn : callable
        ``plan_fn(target) -> YearPlan`` (the planner).
    params : CostParams, optional
        Unit costs (defaults if None); ``currency`` sets the money columns' unit.
    features : iterable of str
        Energy-saving features for the energy model.
    grid_co2_factor : float, optional
        [kg CO2/kWh], default 0.5568 (MEE/NBS 2021).

    Returns
    -------
    pandas.DataFrame
        One row per year: ``year, scope, penetration, dou_gb_per_month,
        sites_needed, sites, new_sites, sectors, new_sectors, capex, opex,
        energy_kwh, energy_cost, co2_t, covered_km2, covered_people,
        gb_per_year``; ``df.attrs["currency"]`` names the money unit.

    Raises
    ------
    NrplanInputError
        Years not strictly increasing (e.g. reversed), or a bad YearPlan.
    """
    p = params or CostParams()
    validate_years(t.year for t in targets)
    feats = _energy.parse_features(list(features))
    co2 = value("grid_co2_factor") if grid_co2_factor is None else float(grid_co2_factor)
    check_plausible("grid_co2_factor", co2)
    installed_sites = 0.0
    installed_new = 0.0  # of the installed sites, those built new (the rest co-located)
    installed: dict[str, float] = {}
    rows = []
    for t in targets:
        plan = plan_fn(t)
        if not isinstance(plan, YearPlan):
            raise NrplanInputError("plan_fn", type(plan).__name__, "a YearPlan")
        sites = max(installed_sites, float(plan.sites))
        new_sites = sites - installed_sites
        keys = sorted(set(installed) | set(plan.sectors_by_profile))
        need = plan.sectors_by_profile
        now = {k: max(installed.get(k, 0.0), float(need.get(k, 0.0))) for k in keys}
        new_sectors = {k: now[k] - installed.get(k, 0.0) for k in keys}
        reused = value("reused_share") if plan.reused_share is None else plan.reused_share
        added = SiteCounts(
            new_sites=new_sites * (1.0 - reused),
            reused_sites=new_sites * reused,
            sectors=new_sectors,
        )
        capex = sum(capex_breakdown(added, p).values())
        if plan.energy_kwh_per_year is not None:
            per_site = plan.energy_kwh_per_year / plan.sites if plan.sites > 0 else 0.0
            energy_kwh = per_site * sites
        else:
            energy_kwh = _energy.network_energy_kwh_per_year(
                sites, now, plan.traffic_profile, feats
            )
        built_new = installed_new + added.new_sites
        network = SiteCounts(
            new_sites=built_new,
            reused_sites=sites - built_new,
            sectors=now,
            energy_kwh_per_year=energy_kwh,
        )
        opex_items = opex_breakdown(network, p)
        rows.append(
            {
                "year": t.year,
                "scope": t.scope,
                "penetration": t.penetration,
                "dou_gb_per_month": t.dou_gb_per_month,
                "sites_needed": float(plan.sites),
                "sites": sites,
                "new_sites": new_sites,
                "sectors": float(sum(now.values())),
                "new_sectors": float(sum(new_sectors.values())),
                "capex": float(capex),
                "opex": float(sum(opex_items.values())),
                "energy_kwh": float(energy_kwh),
                "energy_cost": opex_items["energy"],
                "co2_t": float(energy_kwh) * co2 / 1000.0,
                "covered_km2": plan.covered_km2,
                "covered_people": plan.covered_people,
                "gb_per_year": plan.gb_per_year,
            }
        )
        installed_sites, installed, installed_new = sites, now, built_new
    import pandas as pd

    df = pd.DataFrame(rows)
    df.attrs["currency"] = p.currency
    return df


def plot_rollout(df, path: str | os.PathLike[str], title: str | None = None) -> None:
    """Bar chart of a roll-out table (sites per year, new sites stacked; capex line) to PNG.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`rollout`.
    path : path-like
        PNG file to write (atomically).
    title : str, optional
        Figure title (default: "5G roll-out: sites and capex per year").
    """
    from matplotlib.figure import Figure

    cur = df.attrs.get("currency", "CNY")
    years = df["year"].to_numpy()
    existing = (df["sites"] - df["new_sites"]).to_numpy() / 1e3
    new = df["new_sites"].to_numpy() / 1e3
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(years))
    ax.bar(x, existing, color="#9ecae1", label="existing sites")
    ax.bar(x, new, bottom=existing, color="#08519c", label="new sites this year")
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_xlabel("year")
    ax.set_ylabel("sites [thousand]")
    ax2 = ax.twinx()
    ax2.plot(
        x,
        df["capex"].to_numpy() / 1e9,
        color="#d95f02",
        marker="o",
        linestyle=":",
        label="capex of the year",
    )
    ax2.set_ylabel(f"capex [billion {cur}]")
    ax2.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()
    h2 = ax2.get_legend_handles_labels()
    fig.legend(
        handles[0] + h2[0], handles[1] + h2[1], loc="outside lower center", ncols=3, frameon=False
    )
    ax.set_title(title or "5G roll-out: sites and capex per year")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=120)
