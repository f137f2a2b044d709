"""Network cost: capex, annual opex, discounted TCO and unit costs, shared or not.

Conventions
-----------
- All unit costs in :class:`CostParams` are in **CNY at 2020 prices**;
  ``currency="USD"`` converts the *outputs* at ``cny_per_usd``.
- **TCO (NPV)** over ``N`` years at discount rate ``r``: capex is spent at
  year 0, the same opex at the end of each year ``1..N``::

      TCO = capex + opex · A(r, N),   A(r, N) = sum_{t=1..N} (1 + r)^-t
                                            = (1 - (1 + r)^-N) / r   (N if r = 0)

- Unit costs: ``cost_per_km2 = TCO / covered_km2``, ``cost_per_person = TCO /
  covered_people``; ``cost_per_gb`` is levelised, ``TCO / (gb_per_year ·
  A(r, N))`` (discounted cost over discounted GB). A missing denominator
  (NaN) gives NaN; a zero one gives NaN too.
- Site types (:data:`SITE_TYPES`): a site is *co-located* on an existing tower
  (``reused_sites``: no civil works, ``civil_reused`` = 0 by default, and only
  the incremental tenancy fee ``tower_fee_colocated``), or built new, on a
  *rooftop* or as a new ground *tower* (``new_sites`` split by the rooftop
  share: civil works ``civil_new_rooftop`` / ``civil_new_tower`` and the fee of
  a new tenancy ``tower_fee_per_tenancy``). China Tower 2020: >97 % of 5G
  demand met on existing sites (``reused_share``).
- A site is one tenancy of China Tower per RAN: a shared RAN (``n_operators``
  operators on one set of sites and radios, pooled spectrum) pays one tower
  fee per site; its cost is split evenly between the operators
  (``tco_per_operator``). Spectrum fees are per operator.

References
----------
Every default with its source in the registry :mod:`nrplan.defaults`
(sources with their URLs in ``docs/sources.md``). NDRC/MOF 发改价格〔2018〕601号 for
spectrum fees (:data:`SPECTRUM_FEE_CNY_PER_MHZ_YEAR`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from nrplan.econ import energy as _energy
from nrplan.econ.defaults import PRICE_YEAR, check_plausible, value
from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "SITE_TYPES",
    "SPECTRUM_FEE_5G_SCHEDULE",
    "SPECTRUM_FEE_CNY_PER_MHZ_YEAR",
    "CostParams",
    "CostResult",
    "SharingComparison",
    "SiteCounts",
    "annuity_factor",
    "assemble_cost",
    "capex_breakdown",
    "city_cost",
    "compare_sharing",
    "cost_table",
    "network_energy",
    "npv",
    "opex_breakdown",
    "site_type_counts",
    "spectrum_fee_per_year",
    "sum_costs",
]

RADIO_PROFILES = ("64t64r", "32t32r", "8t8r", "4t4r")

CAPEX_ITEMS = ("radio", "bbu", "civil_new", "civil_reused", "power", "transmission", "installation")
OPEX_ITEMS = ("tower_fee", "energy", "maintenance", "spectrum")

SITE_TYPES = ("colocated", "new_rooftop", "new_tower")
"""Site types of the bill: on an existing tower, a new rooftop site, a new ground tower."""

# NDRC/MOF 发改价格〔2018〕601号, section 1(1): public mobile spectrum fees above
# 3000 MHz [CNY per MHz per year], by area of use and frequency range [MHz].
SPECTRUM_FEE_CNY_PER_MHZ_YEAR: dict[str, tuple[tuple[float, float, float], ...]] = {
    # scope: ((f_lo_mhz, f_hi_mhz, fee), ...)
    "national": ((3000, 4000, 5_000_000), (4000, 6000, 3_000_000), (6000, math.inf, 500_000)),
    "provincial": ((3000, 4000, 500_000), (4000, 6000, 300_000), (6000, math.inf, 50_000)),
    "municipal": ((3000, 4000, 50_000), (4000, 6000, 30_000), (6000, math.inf, 5_000)),
}
# 601号 section 1(2): share of the standard fee due in 5G licence year 1, 2, ... (>= 7: 100%).
SPECTRUM_FEE_5G_SCHEDULE = (0.0, 0.0, 0.0, 0.25, 0.50, 0.75)


def _cost_field(name: str) -> Any:
    return Field(default=value(name), ge=0.0, description=f"default: defaults.{name}")


class CostParams(BaseModel):
    """Unit costs and financial parameters (CNY, 2020 prices).

    Every number must be finite; every cost >= 0; ``discount_rate`` in [0, 1);
    ``years`` in 1..100. ``electricity_price``, ``cny_per_usd`` and
    the tower fees must lie in their plausible ranges
    (:data:`nrplan.econ.defaults.PLAUSIBLE`, which catches unit slips).
    ``price_year`` is fixed at :data:`~nrplan.econ.defaults.PRICE_YEAR`: all
    unit costs are at that year's prices and no inflation conversion is done.
    Defaults and sources: :mod:`nrplan.econ.defaults`. Build from user input
    with :meth:`from_overrides` to get :class:`NrplanInputError` on bad values.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    currency: Literal["CNY", "USD"] = "CNY"
    cny_per_usd: float = Field(default=value("cny_per_usd"), gt=0.0)
    price_year: int = PRICE_YEAR
    radio_unit: dict[str, float] = Field(
        default_factory=lambda: {
            "64t64r": value("aau_64t64r"),
            "32t32r": value("aau_32t32r"),
            "8t8r": value("rru_8t8r"),
            "4t4r": value("rru_4t4r_700"),
        },
        description="AAU/RRU incl. antenna per sector by radio profile [CNY]",
    )
    bbu_per_site: float = _cost_field("bbu_per_site")
    civil_new_tower: float = _cost_field("civil_new_tower")
    civil_new_rooftop: float = _cost_field("civil_new_rooftop")
    civil_reused: float = _cost_field("civil_reused")
    power_upgrade_per_site: float = _cost_field("power_upgrade_per_site")
    transmission_per_site: float = _cost_field("transmission_per_site")
    installation_per_site: float = _cost_field("installation_per_site")
    rooftop_share_new: float = Field(default=value("rooftop_share_new"), ge=0.0, le=1.0)
    tower_fee_per_tenancy: float = _cost_field("tower_fee_per_tenancy")
    tower_fee_colocated: float = _cost_field("tower_fee_colocated")
    maintenance_per_site: float = _cost_field("maintenance_per_site")
    spectrum_fee_per_site: float = _cost_field("spectrum_fee_per_site")
    electricity_price: float = _cost_field("electricity_price")
    discount_rate: float = Field(default=value("discount_rate"), ge=0.0, lt=1.0)
    years: int = Field(default=int(value("tco_years")), ge=1, le=100)

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator(
        "electricity_price", "cny_per_usd", "tower_fee_per_tenancy", "tower_fee_colocated"
    )
    @classmethod
    def _check_plausible(cls, v: float, info: Any) -> float:
        return check_plausible(info.field_name, v)

    @field_validator("price_year")
    @classmethod
    def _check_price_year(cls, v: int) -> int:
        check_range("price_year", v, 2015, 2040, unit="year")
        if v != PRICE_YEAR:
            raise NrplanInputError(
                "price_year",
                v,
                f"{PRICE_YEAR} only (unit costs are CNY at {PRICE_YEAR} prices; nrplan does "
                "no inflation conversion, so another price year would be a mislabel)",
            )
        return v

    @field_validator("radio_unit")
    @classmethod
    def _check_radio_unit(cls, v: dict[str, float]) -> dict[str, float]:
        out = {}
        for k, cost in v.items():
            key = str(k).lower()
            if key not in RADIO_PROFILES:
                raise ValueError(f"unknown radio profile {k!r}; one of {', '.join(RADIO_PROFILES)}")
            if not (math.isfinite(cost) and cost >= 0.0):
                raise NrplanInputError(f"radio_unit[{key}]", cost, "a finite number >= 0 CNY")
            out[key] = float(cost)
        return out

    @classmethod
    def from_overrides(cls, **overrides: Any) -> CostParams:
        """Build params from defaults plus ``overrides``; bad values raise NrplanInputError.

        ``radio_unit`` may be given partly (missing profiles keep their default),
        and ``radio_<profile>=cost`` is accepted as a shortcut.
        """
        kw = dict(overrides)
        radio = dict(cls.model_fields["radio_unit"].default_factory())  # type: ignore[misc]
        radio.update(kw.pop("radio_unit", {}) or {})
        for key in list(kw):
            if key.startswith("radio_") and key != "radio_unit":
                radio[key.removeprefix("radio_")] = kw.pop(key)
        try:
            return cls(radio_unit=radio, **kw)
        except ValidationError as exc:
            err = exc.errors()[0]
            own = (err.get("ctx") or {}).get("error")
            if isinstance(own, NrplanInputError):  # from a validator: already one clear line
                raise own from None
            loc = ".".join(str(p) for p in err.get("loc", ())) or "cost_params"
            raise NrplanInputError(loc, err.get("input"), err.get("msg", "valid value")) from None

    def scaled(self, factor: float) -> CostParams:
        """Return a copy with every unit cost (capex and opex, not electricity) x ``factor``."""
        check_range("unit_cost_scale", factor, 0.0)
        names = (
            "bbu_per_site",
            "civil_new_tower",
            "civil_new_rooftop",
            "civil_reused",
            "power_upgrade_per_site",
            "transmission_per_site",
            "installation_per_site",
            "tower_fee_per_tenancy",
            "tower_fee_colocated",
            "maintenance_per_site",
            "spectrum_fee_per_site",
        )
        upd: dict[str, Any] = {n: getattr(self, n) * factor for n in names}
        upd["radio_unit"] = {k: v * factor for k, v in self.radio_unit.items()}
        return self.model_copy(update=upd)

    @property
    def fx(self) -> float:
        """Output currency units per CNY."""
        return 1.0 if self.currency == "CNY" else 1.0 / self.cny_per_usd


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 paid at the end of each year ``1..years`` [years].

    ``A = (1 - (1 + r)^-N) / r``, and ``N`` when ``r = 0``.
    """
    check_range("discount_rate", rate, 0.0, 1.0, hi_open=True)
    check_range("years", years, 1)
    if rate == 0.0:
        return float(years)
    # -expm1(-N log1p(r)) = 1 - (1 + r)^-N without cancellation for tiny r
    return float(-np.expm1(-years * np.log1p(rate)) / rate)


def npv(capex: float, opex_per_year: float, rate: float, years: int) -> float:
    """TCO = capex at year 0 + opex at the end of years 1..N, discounted at ``rate``."""
    return float(capex + opex_per_year * annuity_factor(rate, years))


@dataclass(frozen=True)
class SiteCounts:
    """What a plan of one city (or area) is made of, as the cost model needs it.

    Attributes
    ----------
    new_sites : float
        Sites built new (tower or rooftop).
    reused_sites : float
        5G added to existing sites (China Tower: >97% in 2020).
    sectors : mapping of str to float
        Radio units (one per sector and band layer) by radio profile
        (``"64t64r"``, ``"32t32r"``, ``"8t8r"``, ``"4t4r"`` for 700 MHz).
    n_operators : int
        Operators sharing this RAN (1 = not shared; 2 = e.g. CT + CU).
    rooftop_share : float or None
        Share of the new sites on rooftops [0..1]; None: ``CostParams.rooftop_share_new``.
    energy_kwh_per_year : float or None
        Energy of the whole network [kWh/year]; None: computed with
        :func:`nrplan.econ.energy.network_energy_kwh_per_year` (default traffic
        profile, all energy-saving features).
    covered_km2, covered_people, gb_per_year : float
        Denominators of the unit costs [km^2], [persons], [GB/year]; NaN if unknown.
    name : str
        City or area name.
    """

    new_sites: float = 0.0
    reused_sites: float = 0.0
    sectors: Mapping[str, float] = field(default_factory=dict)
    n_operators: int = 1
    rooftop_share: float | None = None
    energy_kwh_per_year: float | None = None
    covered_km2: float = math.nan
    covered_people: float = math.nan
    gb_per_year: float = math.nan
    name: str = ""

    def __post_init__(self) -> None:
        check_range("new_sites", self.new_sites, 0.0)
        check_range("reused_sites", self.reused_sites, 0.0)
        check_range("n_operators", self.n_operators, 1)
        sectors = {}
        for k, v in self.sectors.items():
            key = check_choice("sectors", k, RADIO_PROFILES)
            check_range(f"sectors[{key}]", v, 0.0)
            sectors[key] = sectors.get(key, 0.0) + float(v)
        object.__setattr__(self, "sectors", sectors)
        if self.rooftop_share is not None:
            check_range("rooftop_share", self.rooftop_share, 0.0, 1.0)
        if self.energy_kwh_per_year is not None:
            check_range("energy_kwh_per_year", self.energy_kwh_per_year, 0.0, unit="kWh")
        for name in ("covered_km2", "covered_people", "gb_per_year"):
            v = getattr(self, name)
            if not (isinstance(v, float) and math.isnan(v)):  # NaN: unknown denominator
                check_range(name, v, 0.0)

    @property
    def sites(self) -> float:
        """All sites, new + reused."""
        return float(self.new_sites + self.reused_sites)

    @classmethod
    def from_total(
        cls,
        sites: float,
        *,
        reused_share: float | None = None,
        profile: str = "64t64r",
        sectors_per_site: float = 3,
        **kwargs: Any,
    ) -> SiteCounts:
        """Counts for ``sites`` sites of ``sectors_per_site`` radios of one profile.

        ``reused_share`` (default 0.97, China Tower 2020) of the sites are reused.
        """
        share = value("reused_share") if reused_share is None else float(reused_share)
        check_range("sites", sites, 0.0)
        check_range("reused_share", share, 0.0, 1.0)
        check_range("sectors_per_site", sectors_per_site, 0.0)
        reused = float(sites) * share
        return cls(
            new_sites=float(sites) - reused,
            reused_sites=reused,
            sectors={profile: float(sites) * sectors_per_site},
            **kwargs,
        )


@dataclass(frozen=True)
class CostResult:
    """Cost of one city (or of the nation), in ``currency``.

    ``capex`` and ``opex`` are breakdowns (keys :data:`CAPEX_ITEMS`,
    :data:`OPEX_ITEMS`); ``opex`` is per year. Unit costs follow the module
    conventions.
    """

    name: str
    currency: str
    sites: float
    n_operators: int
    capex: dict[str, float]
    opex: dict[str, float]
    capex_total: float
    opex_total: float
    energy_kwh_per_year: float
    years: int
    discount_rate: float
    annuity: float
    tco: float
    tco_per_operator: float
    covered_km2: float
    covered_people: float
    gb_per_year: float
    cost_per_km2: float
    cost_per_person: float
    cost_per_gb: float

    def as_row(self) -> dict[str, Any]:
        """Flat dict for a table row (breakdown items prefixed ``capex_``/``opex_``)."""
        row: dict[str, Any] = {"name": self.name, "sites": self.sites}
        row |= {f"capex_{k}": v for k, v in self.capex.items()}
        row |= {f"opex_{k}": v for k, v in self.opex.items()}
        for k in (
            "capex_total",
            "opex_total",
            "tco",
            "tco_per_operator",
            "energy_kwh_per_year",
            "cost_per_km2",
            "cost_per_person",
            "cost_per_gb",
        ):
            row[k] = getattr(self, k)
        row["currency"] = self.currency
        return row


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def assemble_cost(
    name: str,
    params: CostParams,
    sites: float,
    capex: dict[str, float],
    opex: dict[str, float],
    energy_kwh_per_year: float,
    *,
    n_operators: int = 1,
    km2: float = math.nan,
    people: float = math.nan,
    gb_per_year: float = math.nan,
) -> CostResult:
    """Totals, TCO and unit costs from capex and yearly opex breakdowns.

    Used by :func:`city_cost`, :func:`sum_costs` and by cost models with
    their own items (private networks, :mod:`nrplan.industry.economics`);
    amounts are already in ``params.currency``. Conventions (annuity, unit
    costs, NaN denominators) as in the module docstring.
    """
    check_range("sites", sites, 0.0)
    check_range("n_operators", n_operators, 1)
    a = annuity_factor(params.discount_rate, params.years)
    capex_total = float(sum(capex.values()))
    opex_total = float(sum(opex.values()))
    tco = capex_total + opex_total * a
    return CostResult(
        name=name,
        currency=params.currency,
        sites=float(sites),
        n_operators=int(n_operators),
        capex=dict(capex),
        opex=dict(opex),
        capex_total=capex_total,
        opex_total=opex_total,
        energy_kwh_per_year=float(energy_kwh_per_year),
        years=params.years,
        discount_rate=params.discount_rate,
        annuity=a,
        tco=tco,
        tco_per_operator=tco / n_operators,
        covered_km2=km2,
        covered_people=people,
        gb_per_year=gb_per_year,
        cost_per_km2=_ratio(tco, km2),
        cost_per_person=_ratio(tco, people),
        cost_per_gb=_ratio(tco, gb_per_year * a),
    )


def site_type_counts(counts: SiteCounts, params: CostParams | None = None) -> dict[str, float]:
    """Sites of each type (keys :data:`SITE_TYPES`) of ``counts``.

    ``colocated`` = ``reused_sites``; the new sites split by the rooftop share
    (``counts.rooftop_share``, else ``params.rooftop_share_new``).
    """
    p = params or CostParams()
    roof = p.rooftop_share_new if counts.rooftop_share is None else counts.rooftop_share
    return {
        "colocated": float(counts.reused_sites),
        "new_rooftop": float(counts.new_sites * roof),
        "new_tower": float(counts.new_sites * (1.0 - roof)),
    }


def capex_breakdown(counts: SiteCounts, params: CostParams | None = None) -> dict[str, float]:
    """Capex items [currency of ``params``] of ``counts`` (keys :data:`CAPEX_ITEMS`).

    ``radio`` = sum over profiles of radios x unit cost; civil works by site
    type (:func:`site_type_counts`): ``civil_new`` = rooftop sites x
    ``civil_new_rooftop`` + tower sites x ``civil_new_tower``,
    ``civil_reused`` = co-located sites x ``civil_reused`` (0 by default: China
    Tower adapts its tower and recovers it through the fee); ``bbu``,
    ``power``, ``transmission`` and ``installation`` apply to every site.
    """
    p = params or CostParams()
    missing = sorted(set(counts.sectors) - set(p.radio_unit))
    if missing:
        raise NrplanInputError("radio_unit", missing, "a unit cost for every radio profile used")
    types = site_type_counts(counts, p)
    n = counts.sites
    items = {
        "radio": sum(c * p.radio_unit[k] for k, c in counts.sectors.items()),
        "bbu": n * p.bbu_per_site,
        "civil_new": types["new_rooftop"] * p.civil_new_rooftop
        + types["new_tower"] * p.civil_new_tower,
        "civil_reused": types["colocated"] * p.civil_reused,
        "power": n * p.power_upgrade_per_site,
        "transmission": n * p.transmission_per_site,
        "installation": n * p.installation_per_site,
    }
    return {k: float(v) * p.fx for k, v in items.items()}


def network_energy(counts: SiteCounts) -> float:
    """Energy of ``counts`` [kWh/year]: the given figure, or the default energy model."""
    if counts.energy_kwh_per_year is not None:
        return float(counts.energy_kwh_per_year)
    return _energy.network_energy_kwh_per_year(counts.sites, counts.sectors)


def opex_breakdown(counts: SiteCounts, params: CostParams | None = None) -> dict[str, float]:
    """Annual opex items [currency/year] of ``counts`` (keys :data:`OPEX_ITEMS`).

    ``tower_fee`` = new sites x ``tower_fee_per_tenancy`` (a new tenancy) +
    co-located sites x ``tower_fee_colocated`` (the increment on a tenancy the
    operator already pays).
    """
    p = params or CostParams()
    n = counts.sites
    items = {
        "tower_fee": counts.new_sites * p.tower_fee_per_tenancy
        + counts.reused_sites * p.tower_fee_colocated,
        "energy": network_energy(counts) * p.electricity_price,
        "maintenance": n * p.maintenance_per_site,
        "spectrum": n * p.spectrum_fee_per_site * counts.n_operators,
    }
    return {k: float(v) * p.fx for k, v in items.items()}


def city_cost(counts: SiteCounts, params: CostParams | None = None) -> CostResult:
    """Capex, opex, TCO and unit costs of one city's plan.

    Parameters
    ----------
    counts : SiteCounts
        The city's sites, radios, energy and denominators.
    params : CostParams, optional
        Unit costs and financial parameters (defaults if None).

    Returns
    -------
    CostResult

    Examples
    --------
    >>> r = city_cost(SiteCounts.from_total(100))
    >>> round(r.capex_total)  # 100 sites, 97 co-located, 1.5 rooftop, 1.5 tower, 3 x 64T64R
    22402750
    """
    p = params or CostParams()
    return assemble_cost(
        counts.name,
        p,
        counts.sites,
        capex_breakdown(counts, p),
        opex_breakdown(counts, p),
        network_energy(counts),
        n_operators=counts.n_operators,
        km2=counts.covered_km2,
        people=counts.covered_people,
        gb_per_year=counts.gb_per_year,
    )


def sum_costs(results: Iterable[CostResult], name: str = "national") -> CostResult:
    """Sum city results into one (national) result.

    Breakdowns, sites, energy and denominators add up (a NaN denominator in
    any city gives NaN); all results must share currency, years and rate.
    """
    res = list(results)
    if not res:
        raise NrplanInputError("results", "[]", "at least one city result")
    first = res[0]
    for r in res[1:]:
        if (r.currency, r.years, r.discount_rate) != (
            first.currency,
            first.years,
            first.discount_rate,
        ):
            raise NrplanInputError(
                "results", r.name, "the same currency, years and discount rate in every city"
            )
    capex = {k: float(sum(r.capex[k] for r in res)) for k in first.capex}
    opex = {k: float(sum(r.opex[k] for r in res)) for k in first.opex}
    params = CostParams.from_overrides(
        currency=first.currency, years=first.years, discount_rate=first.discount_rate
    )
    ops = {r.n_operators for r in res}
    return assemble_cost(
        name,
        params,
        sum(r.sites for r in res),
        capex,
        opex,
        sum(r.energy_kwh_per_year for r in res),
        n_operators=ops.pop() if len(ops) == 1 else 1,
        km2=float(sum(r.covered_km2 for r in res)),
        people=float(sum(r.covered_people for r in res)),
        gb_per_year=float(sum(r.gb_per_year for r in res)),
    )


def cost_table(results: Sequence[CostResult], national: bool = True):
    """One row per city (and a national total row) as a :class:`pandas.DataFrame`."""
    import pandas as pd

    rows = [r.as_row() for r in results]
    if national and results:
        rows.append(sum_costs(results).as_row())
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class SharingComparison:
    """Shared RAN vs separate networks of ``n_operators`` operators."""

    n_operators: int
    shared: CostResult
    separate: CostResult
    tco_shared: float
    tco_separate: float
    tco_per_operator_shared: float
    tco_per_operator_separate: float
    saving: float
    saving_share: float


def compare_sharing(
    shared: SiteCounts,
    separate: SiteCounts | Sequence[SiteCounts],
    params: CostParams | None = None,
) -> SharingComparison:
    """Compare one shared RAN against separate networks.

    Parameters
    ----------
    shared : SiteCounts
        The shared network (``n_operators`` >= 2, pooled spectrum), as planned.
    separate : SiteCounts or sequence of SiteCounts
        Each operator's own network; one SiteCounts stands for every operator
        (it is counted ``shared.n_operators`` times).
    params : CostParams, optional

    Returns
    -------
    SharingComparison
        ``saving = tco_separate - tco_shared`` and its share of ``tco_separate``.
    """
    p = params or CostParams()
    n = shared.n_operators
    if n < 2:
        raise NrplanInputError("n_operators", n, ">= 2 for a shared RAN")
    nets = [separate] * n if isinstance(separate, SiteCounts) else list(separate)
    if len(nets) != n:
        raise NrplanInputError("separate", len(nets), f"{n} networks (one per operator)")
    for net in nets:
        if net.n_operators != 1:
            raise NrplanInputError("separate.n_operators", net.n_operators, "1")
    r_shared = city_cost(shared, p)
    r_sep = sum_costs([city_cost(net, p) for net in nets], name="separate")
    saving = r_sep.tco - r_shared.tco
    return SharingComparison(
        n_operators=n,
        shared=r_shared,
        separate=r_sep,
        tco_shared=r_shared.tco,
        tco_separate=r_sep.tco,
        tco_per_operator_shared=r_shared.tco / n,
        tco_per_operator_separate=r_sep.tco / n,
        saving=saving,
        saving_share=_ratio(saving, r_sep.tco),
    )


def spectrum_fee_per_year(
    f_lo_mhz: float,
    bandwidth_mhz: float,
    licence_year: int,
    scope: str = "national",
) -> float:
    """Annual spectrum occupation fee of one operator's 5G band [CNY/year].

    ``fee = standard [CNY/MHz/year] x bandwidth x schedule[licence_year]``.

    Parameters
    ----------
    f_lo_mhz : float
        Lower edge of the band [MHz]; must be >= 3000 (the 601号 table).
    bandwidth_mhz : float
        Assigned bandwidth [MHz].
    licence_year : int
        1 for the first financial year of the licence.
    scope : str
        ``"national"``, ``"provincial"`` or ``"municipal"`` use.

    References
    ----------
    NDRC/MOF 发改价格〔2018〕601号, sections 1(1) and 1(2).
    """
    key = check_choice("scope", scope, SPECTRUM_FEE_CNY_PER_MHZ_YEAR)
    check_range("f_lo_mhz", f_lo_mhz, 3000.0, unit="MHz")
    check_range("bandwidth_mhz", bandwidth_mhz, 0.0, unit="MHz")
    check_range("licence_year", licence_year, 1)
    fee = next(f for lo, hi, f in SPECTRUM_FEE_CNY_PER_MHZ_YEAR[key] if lo <= f_lo_mhz < hi)
    sched = SPECTRUM_FEE_5G_SCHEDULE
    share = sched[licence_year - 1] if licence_year <= len(sched) else 1.0
    return float(np.float64(fee) * bandwidth_mhz * share)
