"""Demand defaults by year (2020-2025) and each year's coverage scope.

The demand defaults are a view of the registry :mod:`nrplan.defaults` (one
:class:`~nrplan.defaults.Default` per value, with its unit, source and status
tag; the sources with their URLs are in ``docs/sources.md``): the per-year
series ``fiveg_penetration`` and ``dou_gb_per_month`` and the scalars
``fiveg_dou_uplift``, ``busy_hour_share``, ``busy_days_per_month``,
``ul_dl_ratio`` and ``built_up_density``.

References
----------
MIIT annual communications-industry statistical bulletins 2020-2024 (coverage
milestones: 2020 bulletin, http://kbm75.com/hy/tx/1027928.html); MOHURD 2021
城乡建设统计年鉴 (built-up density); ``docs/sources.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nrplan.defaults import DEFAULTS, YEARS, Default, year_value
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

#: Mean built-up density of China's cities [people/km^2] (registry ``built_up_density``):
#: 442.5374M city-proper residents / 60,721.32 km^2 city built-up area = 7,288.
BUILT_UP_DENSITY = DEFAULTS["built_up_density"]


def _year_default(key: str, name: str, year: int, unit: str) -> Default:
    d = DEFAULTS[name]
    return replace(d, name=key, value=year_value(name, year), unit=unit, year=year)


def _factor(uplift: Default) -> Default:
    """A 5G user's traffic relative to the average user's: 1 + uplift."""
    return replace(
        uplift,
        name="fiveg_dou_factor",
        value=1.0 + float(uplift.value),  # type: ignore[arg-type]
        source=f"1 + fiveg_dou_uplift: {uplift.source}",
    )


#: Per-year defaults. Keys: penetration (5G users / population), dou_gb
#: (mobile data per user per month, annual mean), fiveg_dou_factor (a 5G
#: user's traffic relative to the average user's), busy_hour_share (share of a
#: busy day's traffic in the busy hour), busy_days_per_month, ul_dl_ratio.
DEMAND_DEFAULTS: dict[int, dict[str, Default]] = {
    _y: {
        "penetration": _year_default("penetration", "fiveg_penetration", _y, "-"),
        "dou_gb": _year_default("dou_gb", "dou_gb_per_month", _y, "GB/user/month"),
        "fiveg_dou_factor": _factor(DEFAULTS["fiveg_dou_uplift"]),
        "busy_hour_share": DEFAULTS["busy_hour_share"],
        "busy_days_per_month": DEFAULTS["busy_days_per_month"],
        "ul_dl_ratio": DEFAULTS["ul_dl_ratio"],
    }
    for _y in YEARS
}


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
        "[official] MIIT 2021-01-26 / 2020 bulletin: 5G covers all prefecture-level cities "
        "(http://kbm75.com/hy/tx/1027928.html)",
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
        "[official] MIIT, end-May 2022 (https://infos.joyyang.com/news/202207/13/97538.html) "
        "and Nov 2022 (https://evenhosting.com/wanboguanwangmanbetx/finance/hongguanjingji/"
        "2022-11-20/A1668945275693.html)",
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
