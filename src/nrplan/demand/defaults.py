"""Demand defaults by year (2020-2025) and each year's coverage scope, with sources.

Every number is a :class:`Default` carrying its unit and source; the tags
follow ``china-facts.md``: [official] government statistics, [operator],
[industry], [derived] (arithmetic shown), [recall - verify] (not confirmed at
a source, check before relying on it).

References
----------
nrplan reference notes ``china-facts.md`` section 7 (Demand) and "Coverage
milestones"; MIIT annual communications-industry bulletins 2020-2024.
"""

from __future__ import annotations

from dataclasses import dataclass

from nrplan.errors import NrplanInputError

__all__ = [
    "BUILT_UP_DENSITY",
    "COVERAGE_SCOPES",
    "DEMAND_DEFAULTS",
    "YEARS",
    "CoverageScope",
    "Default",
    "coverage_scope",
    "defaults_for_year",
    "defaults_table",
]

YEARS = (2020, 2021, 2022, 2023, 2024, 2025)


@dataclass(frozen=True)
class Default:
    """One default value with its unit and source."""

    value: float
    unit: str
    source: str


#: Mean built-up density of China's cities [people/km^2] [derived]:
#: 442.5374M city-proper residents / 60,721.32 km^2 city built-up area = 7,288.
BUILT_UP_DENSITY = Default(
    44253.74e4 / 60721.32,
    "people/km^2",
    "[derived] MOHURD 2020: city 城区 population 44,253.74万 / city built-up area "
    "60,721.32 km^2 = 7,288 people/km^2 (MOHURD 2021 城乡建设统计年鉴; china-facts.md s.2)",
)

_PEN_SRC = "[official] MIIT: 5G phone users / mobile users (china-facts.md s.7)"
_DOU_SRC = "[recall - verify] MIIT bulletin annual mean DOU (china-facts.md s.7)"

#: Per-year defaults. Keys: penetration (5G users / population), dou_gb
#: (mobile data per user per month), fiveg_dou_factor (a 5G user's traffic
#: relative to the average user's), busy_hour_share (share of a busy day's
#: traffic in the busy hour), busy_days_per_month, ul_dl_ratio.
DEMAND_DEFAULTS: dict[int, dict[str, Default]] = {}

_PENETRATION = {
    2020: Default(
        0.125,
        "-",
        "[derived] >200M 5G terminal connections / 1,594M mobile users = 12.5% at end-2020 "
        "(MIIT; china-facts.md s.7)",
    ),
    2021: Default(0.216, "-", _PEN_SRC),
    2022: Default(0.333, "-", _PEN_SRC),
    2023: Default(0.466, "-", _PEN_SRC + "; Nov-2023 44.7%"),
    2024: Default(0.567, "-", _PEN_SRC),
    2025: Default(0.659, "-", _PEN_SRC),
}
_DOU = {
    2020: Default(10.35, "GB/user/month", _DOU_SRC + "; monthly May-2020 10.05, Dec-2020 ~11.9"),
    2021: Default(13.36, "GB/user/month", _DOU_SRC + "; monthly Oct-2021 14.32 [official]"),
    2022: Default(15.2, "GB/user/month", _DOU_SRC + "; monthly Apr-2022 15.19 [official]"),
    2023: Default(16.85, "GB/user/month", _DOU_SRC + "; monthly Jun-2023 16.78 [official]"),
    2024: Default(18.0, "GB/user/month", _DOU_SRC + "; monthly Jun-2024 18.15 [official]"),
    2025: Default(
        20.0,
        "GB/user/month",
        "[official, lower bound] MIIT monthly DOU Apr-2025 >20 GB (china-facts.md s.7)",
    ),
}
_COMMON = {
    "fiveg_dou_factor": Default(
        1.237,
        "-",
        "[operator] China Mobile: +23.7% data usage after a user moves to a 5G plan "
        "(china-facts.md s.7)",
    ),
    "busy_hour_share": Default(
        0.08,
        "-",
        "[recall - verify] busy hour = 7-10% of daily traffic (8-12 busy hours/day); "
        "https://the8layers.com/2016/10/19/network-planning-101-busy-hour-busy-day/ "
        "(china-facts.md s.7)",
    ),
    "busy_days_per_month": Default(
        22.0,
        "days/month",
        "[recall - verify] 20-24 busy days per month; 20 in the8layers worked example "
        "(china-facts.md s.7)",
    ),
    "ul_dl_ratio": Default(
        0.10,
        "-",
        "[recall - verify] nrplan assumption: smartphone uplink volume ~1/10 of downlink; "
        "not in china-facts.md, override for uplink-heavy (industrial) demand",
    ),
}
for _y in YEARS:
    DEMAND_DEFAULTS[_y] = {"penetration": _PENETRATION[_y], "dou_gb": _DOU[_y], **_COMMON}


def _check_year(year: int) -> int:
    if int(year) not in YEARS:
        raise NrplanInputError("year", year, f"{YEARS[0]}..{YEARS[-1]}")
    return int(year)


def defaults_for_year(year: int) -> dict[str, float]:
    """Plain values of the year's demand defaults (see :data:`DEMAND_DEFAULTS`)."""
    return {k: d.value for k, d in DEMAND_DEFAULTS[_check_year(year)].items()}


def defaults_table() -> list[dict[str, object]]:
    """All defaults as rows (year, name, value, unit, source), for reports."""
    rows: list[dict[str, object]] = [
        {
            "year": "all",
            "name": "built_up_density",
            "value": BUILT_UP_DENSITY.value,
            "unit": BUILT_UP_DENSITY.unit,
            "source": BUILT_UP_DENSITY.source,
        }
    ]
    for y in YEARS:
        for k, d in DEMAND_DEFAULTS[y].items():
            rows.append(
                {"year": y, "name": k, "value": d.value, "unit": d.unit, "source": d.source}
            )
    return rows


@dataclass(frozen=True)
class CoverageScope:
    """Which settlements a year's coverage target applies to.

    Attributes
    ----------
    year : int
    level : str
        ``"prefecture"`` (urban areas of every prefecture-level unit),
        ``"county"`` (+ county towns) or ``"township"`` (+ township centres).
    min_population : int
        Settlements of at least this many people are in scope [people].
    include_largest : bool
        The largest settlement of each region is in scope whatever its size
        (stands for the prefecture seat).
    description : str
    source : str
    """

    year: int
    level: str
    min_population: int
    include_largest: bool
    description: str
    source: str

    def in_scope(self, population, is_largest=False):
        """Boolean array: settlements in scope, from their population [people]."""
        import numpy as np

        pop = np.asarray(population, dtype=float)
        out = pop >= self.min_population
        if self.include_largest:
            out = out | np.asarray(is_largest, dtype=bool)
        return out


_APPROX = (
    "With settlements only (no county list), scope is approximated by GeoNames place size: "
    "prefecture urban areas = the region's largest place + places >= 100,000; county towns = "
    "places >= 20,000 (1,482 county towns held 140.6M people in 2020, ~95,000 each on "
    "average, MOHURD); township centres = all places >= 5,000 (the GeoNames floor)."
)

COVERAGE_SCOPES: dict[int, CoverageScope] = {
    2020: CoverageScope(
        2020,
        "prefecture",
        100_000,
        True,
        "urban built-up areas of every prefecture-level unit. " + _APPROX,
        "[official] MIIT 2021-01-26 / 2020 bulletin: 5G covers all prefecture-level cities",
    ),
    2021: CoverageScope(
        2021,
        "county",
        20_000,
        True,
        "prefecture urban areas + county-town urban areas (>98% by end-2021). " + _APPROX,
        "[official] MIIT 2021 bulletin",
    ),
    2022: CoverageScope(
        2022,
        "county",
        20_000,
        True,
        "every prefecture-level city and county-town urban area. " + _APPROX,
        "[official] MIIT, end-May 2022 and Nov 2022 (china-facts.md coverage milestones)",
    ),
}
for _y in (2023, 2024, 2025):
    COVERAGE_SCOPES[_y] = CoverageScope(
        _y,
        "township",
        5_000,
        True,
        "+ township centres (villages need a population raster). " + _APPROX,
        "[official] 2022 bulletin (extend to townships on demand); SCIO 2024-01-19: >80% of "
        "administrative villages covered at end-2023",
    )


def coverage_scope(year: int) -> CoverageScope:
    """The coverage scope of a scenario year (2020..2025)."""
    return COVERAGE_SCOPES[_check_year(year)]
