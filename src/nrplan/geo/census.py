"""The 2020 census bound on the embedded settlements' population.

GeoNames populations mix definitions: most places carry their town's people,
but some prefecture seats carry the whole prefecture's (Wuzhong 7.2 M against
a census population of 1.38 M) or a larger city definition (Shanghai's places
add up to 29.0 M against 24.9 M residents). nrplan therefore bounds the
settlements of each unit by the 7th national census (2020-11-01):

- the bound is the unit's census **urban** population (城镇人口) where the unit's
  own figure is published (302 of 337 units), else its census **total**
  resident population (常住人口): settlements are towns, so their people are
  urban residents, and can never outnumber the residents;
- when the unit's top-level settlements add up to more than the bound, the
  largest ones are trimmed to a common level (water-filling) until they add up
  to the bound: the excess is taken from the places whose GeoNames figure is
  of a wider definition, never from the small towns;
- a unit whose settlements add up to less than the bound is left as it is:
  the census counts the people, not where they live, and the places GeoNames
  does not list stay uncounted rather than being spread over the listed ones.

The census table is ``nrplan/data/china_census_2020.csv`` (built by
``tools/build_census_data.py``; sources in ``docs/census-2020.md``).

References
----------
NBS, Bulletin of the Seventh National Population Census No. 3 (population by
region), 2021-05-11; provincial and prefectural census bulletins, 2021 (per
unit in ``docs/census-2020.md``).
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["CENSUS_FILE", "bound_population", "census_bound", "census_table", "trim_largest"]

CENSUS_FILE = "china_census_2020.csv"


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    with resources.as_file(resources.files("nrplan") / "data" / CENSUS_FILE) as p:
        df = pd.read_csv(p, dtype={"adcode": str})
    return df.set_index("adcode")


def census_table() -> pd.DataFrame:
    """The census figures of the 337 units (a copy), indexed by ``adcode``.

    Columns: ``name_zh``, ``province_zh``, ``population`` and
    ``urban_population`` [people] (urban empty where the unit's own figure is
    not published), ``urban_source``, ``source``.
    """
    return _table().copy()


def census_bound(adcode: str) -> tuple[float, str]:
    """The bound on a unit's settlement population [people] and its basis.

    Returns ``(urban population, "urban")`` where the unit's census urban
    figure exists, else ``(total population, "total")``; ``(nan, "none")``
    for an adcode without census figures.
    """
    t = _table()
    if adcode not in t.index:
        return float("nan"), "none"
    row = t.loc[adcode]
    if pd.notna(row["urban_population"]):
        return float(row["urban_population"]), "urban"
    if pd.notna(row["population"]):
        return float(row["population"]), "total"
    return float("nan"), "none"


def trim_largest(population: np.ndarray, bound: float) -> np.ndarray:
    """Trim the largest values to a common level so that they add up to ``bound``.

    Parameters
    ----------
    population : array_like
        Non-negative populations [people].
    bound : float
        Upper bound on their sum [people]; NaN leaves them unchanged.

    Returns
    -------
    ndarray, float64
        ``min(population, L)`` with the level ``L`` such that the sum equals
        ``bound`` when ``population`` sums above it; ``population`` otherwise.
    """
    p = np.asarray(population, dtype=np.float64)
    if not np.isfinite(bound) or p.sum() <= bound:
        return p.copy()
    bound = max(float(bound), 0.0)
    desc = np.sort(p)[::-1]
    rest = np.concatenate([np.cumsum(desc[::-1])[::-1][1:], [0.0]])  # sum of p below rank k
    k = np.arange(1, desc.size + 1)
    level = (bound - rest) / k  # the level if the k largest are trimmed
    nxt = np.concatenate([desc[1:], [0.0]])
    ok = (level >= nxt) & (level <= desc)
    lv = float(level[np.flatnonzero(ok)[0]]) if ok.any() else 0.0
    return np.minimum(p, max(lv, 0.0))


def bound_population(population: np.ndarray, adcode: str) -> tuple[np.ndarray, dict]:
    """A unit's top-level settlement populations bounded by its census.

    Returns the bounded populations and a record: ``census_bound`` [people],
    ``census_basis`` ("urban", "total" or "none"), ``geonames_population``
    (the sum before) and ``census_corrected`` (whether any was trimmed).
    """
    bound, basis = census_bound(adcode)
    p = np.asarray(population, dtype=np.float64)
    out = trim_largest(p, bound)
    info = {
        "census_bound": bound,
        "census_basis": basis,
        "geonames_population": float(p.sum()),
        "census_corrected": bool(out.sum() < p.sum()),
    }
    return out, info
