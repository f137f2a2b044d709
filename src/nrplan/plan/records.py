"""Typed run records: one city's plan (:class:`CityResult`) and a run's summary
(:class:`RunSummary`: its :class:`NationalKpis`, each network's
:class:`NetworkSummary` and the :class:`EconomicsSummary`), with units in the
field names and one JSON round-trip.

The planner stores a city's KPIs in its checkpoint and in the ``cities`` list
of ``summary.json`` under short JSON keys (``sinr_p5``, ``dl_p50``,
``load_mean`` ...). The records here name each field with its unit
(``ss_sinr_p5_db``, ``dl_p50_mbps``, ``load_mean_share``) and keep the JSON key
and the unit in the field's metadata (:func:`field_unit`, :func:`json_key`), so
readers never guess a unit from a key.

Round trip
----------
``CityResult.from_dict(d).to_dict()`` gives back every key of ``d`` with its
value (keys the record does not know, such as a region's own attributes, are
kept in ``attrs``), plus the typed fields ``d`` lacked (NaN, empty);
``from_dict(to_dict(r)) == r``. ``RunSummary.from_dict(json.load(f))`` reads a
``summary.json`` and :meth:`RunSummary.to_dict` writes it. Missing numbers
read as NaN, and NaN is written as ``null`` (strict JSON).

Each record read from JSON remembers which keys its entry had (``json_keys``,
asked with ``has(key)``): a run of an older version lacks some (the user-based
KPIs, ``kpi_definitions``), which is how the report recognises it, and the
``national`` / ``networks`` / ``economics`` sections write back exactly the
keys they were read with (none added, none renamed). ``value(key)`` gives a
field by its JSON key for a table cell (a missing number as ``None``).

Schema versions
---------------
:data:`SCHEMA_VERSION` is written into ``summary.json`` as ``schema_version``.

- 1: files written before the key existed (nrplan 0.1.0 without typed
  records). Same keys; they load.
- 2: ``schema_version`` added; records typed.

A file of a newer or unknown schema fails with one line naming its version and
the versions this nrplan reads (:func:`check_schema_version`).

Units of the economics entries
------------------------------
:data:`ECONOMICS_UNITS` gives the unit of every number of the ``economics``
section (made by :func:`nrplan.plan.economics.plan_economics`) by its leaf key;
``"{currency}"`` stands for the run's currency (CNY by default).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, fields
from typing import Any, Self

from nrplan.errors import NrplanInputError

__all__ = [
    "ECONOMICS_UNITS",
    "RASTER_LAYERS",
    "READABLE_SCHEMA_VERSIONS",
    "SCHEMA_VERSION",
    "CityResult",
    "EconomicsSummary",
    "NationalKpis",
    "NetworkSummary",
    "RunSummary",
    "as_city_result",
    "check_schema_version",
    "economics_unit",
    "field_unit",
    "json_key",
]

#: Raster layers the planner writes per city: file stem -> (title, unit). Per
#: pixel, the quantities of its median outdoor user (``coverage`` counts all the
#: pixel's users, indoor included); older runs lack ``pdsch_sinr`` and ``coverage``.
RASTER_LAYERS: dict[str, tuple[str, str]] = {
    "best_server": ("Best server", "sector index"),
    "coverage": ("Covered share of the pixel's users (outdoor and indoor)", "-"),
    "rsrp": ("SS-RSRP, outdoor median", "dBm"),
    "sinr": ("SS-SINR at full SSB load, outdoor median", "dB"),
    "pdsch_sinr": ("PDSCH SINR at the planning load, outdoor median", "dB"),
    "dl_mbps": ("DL rate of the median outdoor user at busy-hour load", "Mbit/s"),
    "ul_mbps": ("UL rate of the median outdoor user at busy-hour load", "Mbit/s"),
}

#: Schema version of ``summary.json`` written by this nrplan.
SCHEMA_VERSION = 2

#: Schema versions this nrplan reads (1: files without ``schema_version``).
READABLE_SCHEMA_VERSIONS = (1, 2)


def _m(key: str, unit: str) -> dict[str, str]:
    """Field metadata: the JSON ``key`` and the ``unit`` ("-": a share, count or text)."""
    return {"key": key, "unit": unit}


_NAN = math.nan


def _num(v: Any) -> float:
    """A JSON number as float; None / missing / not a number -> NaN."""
    if v is None or isinstance(v, bool):
        return _NAN
    try:
        return float(v)
    except (TypeError, ValueError):
        return _NAN


def _int(v: Any) -> int:
    """A JSON count as int (None / not a number -> 0)."""
    f = _num(v)
    return int(f) if math.isfinite(f) else 0


def _dict(v: Any) -> dict[str, Any]:
    return dict(v) if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list) else []


def _str(v: Any) -> str:
    return "" if v is None else str(v)


#: How a field of each annotation is read from JSON.
_READERS = {
    "float": _num,
    "int": _int,
    "str": _str,
    "int | None": lambda v: None if v is None else _int(v),
    "bool": bool,
    "dict[str, Any]": _dict,
    "dict[str, float]": _dict,
    "dict[str, int]": _dict,
    "dict[str, str]": _dict,
    "list[Any]": _list,
    "list[int]": _list,
    "list[dict[str, Any]]": _list,
    "dict[str, list[float]]": _dict,
    "list[str]": _list,
    "str | None": lambda v: None if v is None else _str(v),
    "dict[str, Any] | None": lambda v: None if v is None else _dict(v),
    "dict[str, str] | None": lambda v: None if v is None else _dict(v),
    "dict[str, int] | None": lambda v: None if v is None else _dict(v),
    "list[str] | None": lambda v: None if v is None else _list(v),
}


def _read(cls: type, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Field values of dataclass ``cls`` from ``data`` and the keys it does not know."""
    kwargs: dict[str, Any] = {}
    known = set()
    for f in fields(cls):
        key = f.metadata.get("key")
        if key is None:
            continue
        known.add(key)
        if key in data:
            reader = _READERS.get(str(f.type))
            kwargs[f.name] = reader(data[key]) if reader else data[key]
    return kwargs, {k: v for k, v in data.items() if k not in known}


def _write(obj: Any) -> dict[str, Any]:
    """The JSON dict of a record: each field under its key (``None`` fields left out)."""
    out: dict[str, Any] = {}
    for f in fields(obj):
        key = f.metadata.get("key")
        if key is None:
            continue
        v = getattr(obj, f.name)
        if v is None:
            continue
        out[key] = v
    return out


def field_unit(cls: type, name: str) -> str:
    """The unit of field ``name`` of record class ``cls`` ("-": a share, count or text)."""
    for f in fields(cls):
        if f.name == name:
            return str(f.metadata.get("unit", "-"))
    raise KeyError(name)


def json_key(cls: type, name: str) -> str:
    """The ``summary.json`` key of field ``name`` of record class ``cls``."""
    for f in fields(cls):
        if f.name == name:
            return str(f.metadata.get("key", name))
    raise KeyError(name)


@dataclass
class CityResult:
    """One planned city (one network): the KPIs of its record.

    Shares are in [0, 1] (``_share``), SINRs in dB, rates in Mbit/s, areas in
    km^2, ISDs in m, timings in s. Percentiles ``p5``/``p50``/``p95`` are over
    the users named in ``nrplan.plan.national.KPI_DEFINITIONS``. A city with
    nothing in the year's coverage scope has 0 sites, NaN KPIs and a ``note``.

    Attributes
    ----------
    attrs : dict
        The region's own attributes (``name_zh``, ``province_en``, census
        figures ...) and any key this version does not know; written back
        unchanged.
    """

    key: str = field(default="", metadata=_m("key", "-"))
    city_id: str = field(default="", metadata=_m("id", "-"))
    name: str = field(default="", metadata=_m("name", "-"))
    network: str = field(default="", metadata=_m("network", "-"))
    region_area_km2: float = field(default=_NAN, metadata=_m("region_area_km2", "km2"))
    crs: str = field(default="", metadata=_m("crs", "-"))
    grid_shape: list[int] = field(default_factory=list, metadata=_m("grid_shape", "pixels"))
    resolution_m: float = field(default=_NAN, metadata=_m("resolution_m", "m"))
    sites: int = field(default=0, metadata=_m("sites", "-"))
    sectors: int = field(default=0, metadata=_m("sectors", "-"))
    reused_sites: int = field(default=0, metadata=_m("reused_sites", "-"))
    new_sites: int | None = field(default=None, metadata=_m("new_sites", "-"))
    sites_added: dict[str, int] = field(default_factory=dict, metadata=_m("sites_added", "-"))
    pruned_sites: int = field(default=0, metadata=_m("pruned_sites", "-"))
    iterations: int = field(default=0, metadata=_m("iterations", "-"))
    target_area_km2: float = field(default=0.0, metadata=_m("target_area_km2", "km2"))
    target_population: float = field(default=0.0, metadata=_m("target_population", "people"))
    population: float = field(default=_NAN, metadata=_m("population", "people"))
    users: float = field(default=_NAN, metadata=_m("users", "people"))
    busy_hour_dl_mbps: float = field(default=_NAN, metadata=_m("busy_hour_dl_mbps", "Mbit/s"))
    busy_hour_ul_mbps: float = field(default=_NAN, metadata=_m("busy_hour_ul_mbps", "Mbit/s"))
    area_coverage_share: float = field(default=_NAN, metadata=_m("area_coverage", "-"))
    population_coverage_share: float = field(default=_NAN, metadata=_m("population_coverage", "-"))
    indoor_population_coverage_share: float = field(
        default=_NAN, metadata=_m("indoor_population_coverage", "-")
    )
    user_coverage_share: float = field(default=_NAN, metadata=_m("user_coverage", "-"))
    edge_dl_mbps: float = field(default=_NAN, metadata=_m("edge_dl_mbps", "Mbit/s"))
    edge_ul_mbps: float = field(default=_NAN, metadata=_m("edge_ul_mbps", "Mbit/s"))
    edge_dl_fail_share: float = field(default=_NAN, metadata=_m("edge_dl_fail_share", "-"))
    edge_ul_fail_share: float = field(default=_NAN, metadata=_m("edge_ul_fail_share", "-"))
    ss_sinr_p5_db: float = field(default=_NAN, metadata=_m("sinr_p5", "dB"))
    ss_sinr_p50_db: float = field(default=_NAN, metadata=_m("sinr_p50", "dB"))
    ss_sinr_p95_db: float = field(default=_NAN, metadata=_m("sinr_p95", "dB"))
    ss_sinr_outdoor_p5_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p5", "dB"))
    ss_sinr_outdoor_p50_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p50", "dB"))
    ss_sinr_outdoor_p95_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p95", "dB"))
    ss_sinr_indoor_p50_db: float = field(default=_NAN, metadata=_m("ss_sinr_indoor_p50", "dB"))
    pdsch_sinr_p5_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p5", "dB"))
    pdsch_sinr_p50_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p50", "dB"))
    pdsch_sinr_p95_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p95", "dB"))
    dl_p5_mbps: float = field(default=_NAN, metadata=_m("dl_p5", "Mbit/s"))
    dl_p50_mbps: float = field(default=_NAN, metadata=_m("dl_p50", "Mbit/s"))
    dl_p95_mbps: float = field(default=_NAN, metadata=_m("dl_p95", "Mbit/s"))
    ul_p5_mbps: float = field(default=_NAN, metadata=_m("ul_p5", "Mbit/s"))
    ul_p50_mbps: float = field(default=_NAN, metadata=_m("ul_p50", "Mbit/s"))
    ul_p95_mbps: float = field(default=_NAN, metadata=_m("ul_p95", "Mbit/s"))
    load_mean_share: float = field(default=_NAN, metadata=_m("load_mean", "-"))
    load_p95_share: float = field(default=_NAN, metadata=_m("load_p95", "-"))
    load_max_share: float = field(default=_NAN, metadata=_m("load_max", "-"))
    overloaded_sectors: int = field(default=0, metadata=_m("overloaded_sectors", "-"))
    sites_per_km2: float = field(default=_NAN, metadata=_m("sites_per_km2", "1/km2"))
    isd_by_class: dict[str, Any] = field(default_factory=dict, metadata=_m("isd_by_class", "m"))
    targets_met: bool = field(default=False, metadata=_m("targets_met", "-"))
    shortfall: str = field(default="", metadata=_m("shortfall", "-"))
    limiting: dict[str, str] = field(default_factory=dict, metadata=_m("limiting", "-"))
    dimensioning: list[dict[str, Any]] = field(
        default_factory=list, metadata=_m("dimensioning", "-")
    )
    sectors_by_antenna: dict[str, int] = field(
        default_factory=dict, metadata=_m("sectors_by_antenna", "-")
    )
    sectors_by_band: dict[str, int] = field(
        default_factory=dict, metadata=_m("sectors_by_band", "-")
    )
    timings_s: dict[str, float] = field(default_factory=dict, metadata=_m("timings", "s"))
    demand: dict[str, Any] = field(default_factory=dict, metadata=_m("demand", "-"))
    prediction: dict[str, Any] = field(default_factory=dict, metadata=_m("prediction", "-"))
    hist: dict[str, list[float]] = field(default_factory=dict, metadata=_m("hist", "users"))
    note: str | None = field(default=None, metadata=_m("note", "-"))
    terrain: dict[str, Any] | None = field(default=None, metadata=_m("terrain", "-"))
    attrs: dict[str, Any] = field(default_factory=dict)
    json_keys: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record of a checkpoint / ``summary["cities"]`` entry.

        ``json_keys`` records which keys the entry had (runs of older versions
        lack some sections: :meth:`has`).

        Raises
        ------
        NrplanInputError
            ``data`` is not a dict.
        """
        if not isinstance(data, dict):
            raise NrplanInputError(
                "city record", type(data).__name__, "a dict (a summary.json 'cities' entry)"
            )
        kwargs, rest = _read(cls, data)
        return cls(**kwargs, attrs=rest, json_keys=frozenset(map(str, data)))

    def to_dict(self, present_only: bool = False) -> dict[str, Any]:
        """The JSON dict (the keys of ``summary.json``; NaN kept as NaN).

        Every typed field is written (NaN / empty where the record lacks it),
        unless ``present_only``: then only the keys the record has (:meth:`has`;
        the planner's checkpoint of a city with nothing in scope keeps its few keys).
        """
        out = _write(self)
        if present_only:
            out = {k: v for k, v in out.items() if self.has(k)}
        for k, v in self.attrs.items():
            out.setdefault(k, v)
        return out

    @property
    def has_sites(self) -> bool:
        """Whether the plan placed any site in the city."""
        return self.sites > 0

    def attr(self, name: str, default: Any = None) -> Any:
        """A region attribute (``name_zh``, ``province_en`` ...) or ``default``."""
        return self.attrs.get(name, default)

    def has(self, key: str) -> bool:
        """Whether the record has the ``summary.json`` key ``key``.

        A record read by :meth:`from_dict` has the keys its entry had (a run of
        an older version lacks e.g. ``pdsch_sinr_p50``); a record built in
        memory has every typed field and its ``attrs``.
        """
        if self.json_keys is None:
            return key in _CITY_FIELDS or key in self.attrs
        return key in self.json_keys

    def value(self, key: str) -> Any:
        """The value of ``summary.json`` key ``key`` for a table cell: the typed
        field (a missing number: ``None``), else the region attribute, else ``None``."""
        name = _CITY_FIELDS.get(key)
        if name is None:
            return self.attrs.get(key)
        v = getattr(self, name)
        return None if isinstance(v, float) and math.isnan(v) else v


#: ``summary.json`` key -> field name of :class:`CityResult`.
_CITY_FIELDS: dict[str, str] = {
    str(f.metadata["key"]): f.name for f in fields(CityResult) if "key" in f.metadata
}


def as_city_result(record: CityResult | dict[str, Any]) -> CityResult:
    """``record`` as a :class:`CityResult` (a dict is read with :meth:`CityResult.from_dict`)."""
    return record if isinstance(record, CityResult) else CityResult.from_dict(record)


def check_schema_version(data: dict[str, Any], source: str = "summary.json") -> int:
    """The schema version of a ``summary.json`` dict, checked readable.

    A file without ``schema_version`` is version 1.

    Raises
    ------
    NrplanInputError
        A version this nrplan does not read (newer or not an integer).
    """
    v = data.get("schema_version", 1)
    if isinstance(v, bool) or not isinstance(v, int) or v not in READABLE_SCHEMA_VERSIONS:
        raise NrplanInputError(
            "schema_version",
            v,
            f"one of {', '.join(map(str, READABLE_SCHEMA_VERSIONS))}",
            message=(
                f"{source} has schema_version {v!r}; this nrplan reads schema versions "
                f"{', '.join(map(str, READABLE_SCHEMA_VERSIONS))} "
                "(upgrade nrplan or re-run the plan)"
            ),
        )
    return v


class _KeyedRecord:
    """Base of the records of a summary section that round-trip exactly its keys.

    A record read by :meth:`from_dict` remembers the keys its dict had
    (``json_keys``) and :meth:`to_dict` writes back exactly those (the
    section of an older run lacks some), with the keys it does not know kept
    in ``attrs``. A record built in memory (``json_keys`` None) writes every
    field that is not None.
    """

    attrs: dict[str, Any]
    json_keys: frozenset[str] | None

    @classmethod
    def _nested(cls) -> dict[str, type[_KeyedRecord]]:
        """Fields holding a nested record: field name -> record class."""
        return {}

    @classmethod
    def from_dict(cls, data: dict[str, Any], what: str = "summary section") -> Self:
        """The record of a ``summary.json`` section.

        Raises
        ------
        NrplanInputError
            ``data`` is not a dict.
        """
        if not isinstance(data, dict):
            raise NrplanInputError(what, type(data).__name__, "a JSON object")
        kwargs, rest = _read(cls, data)
        for name, sub in cls._nested().items():
            if name in kwargs:
                v = data[json_key(cls, name)]
                kwargs[name] = sub.from_dict(v if isinstance(v, dict) else {}, f"{what}.{name}")
        return cls(**kwargs, attrs=rest, json_keys=frozenset(map(str, data)))

    def to_dict(self) -> dict[str, Any]:
        """The section's JSON dict (NaN kept as NaN; JSON writers turn it into null)."""
        out: dict[str, Any] = {}
        keys = self.json_keys
        for f in fields(self):  # type: ignore[arg-type]
            key = f.metadata.get("key")
            if key is None:
                continue
            v = getattr(self, f.name)
            if (keys is None and v is None) or (keys is not None and key not in keys):
                continue
            out[key] = v.to_dict() if isinstance(v, _KeyedRecord) else v
        for k, v in self.attrs.items():
            out.setdefault(k, v)
        return out

    def has(self, key: str) -> bool:
        """Whether the section has the ``summary.json`` key ``key`` (see the class)."""
        if self.json_keys is None:
            name = _field_names(type(self)).get(key)
            return key in self.attrs or (name is not None and getattr(self, name) is not None)
        return key in self.json_keys

    def value(self, key: str) -> Any:
        """The value of key ``key`` for a table cell (a missing number: ``None``)."""
        name = _field_names(type(self)).get(key)
        if name is None:
            return self.attrs.get(key)
        if not self.has(key):
            return None
        v = getattr(self, name)
        return None if isinstance(v, float) and math.isnan(v) else v


@functools.cache
def _field_names(cls: type) -> dict[str, str]:
    """``summary.json`` key -> field name of the record class ``cls``."""
    return {str(f.metadata["key"]): f.name for f in fields(cls) if "key" in f.metadata}


@dataclass
class NationalKpis(_KeyedRecord):
    """The national KPIs of a run or of one network (``summary["national"]``).

    Sums over the cities (counts, areas, people, traffic), coverage shares and
    the load weighted by area / people / sectors, and percentiles of the merged
    user histograms (what each is over: ``kpi_definitions``). A run of several
    networks has their totals, ``networks`` and ``sites_by_network`` and no
    ``isd_by_class`` (that is per network). Units as in :class:`CityResult`.
    """

    cities: int = field(default=0, metadata=_m("cities", "-"))
    cities_meeting_targets: int = field(default=0, metadata=_m("cities_meeting_targets", "-"))
    sites: int = field(default=0, metadata=_m("sites", "-"))
    sites_both_operators: int | None = field(default=None, metadata=_m("sites_both_operators", "-"))
    sectors: int = field(default=0, metadata=_m("sectors", "-"))
    new_sites: int = field(default=0, metadata=_m("new_sites", "-"))
    reused_sites: int = field(default=0, metadata=_m("reused_sites", "-"))
    target_area_km2: float = field(default=_NAN, metadata=_m("target_area_km2", "km2"))
    target_population: float = field(default=_NAN, metadata=_m("target_population", "people"))
    population: float = field(default=_NAN, metadata=_m("population", "people"))
    users: float = field(default=_NAN, metadata=_m("users", "people"))
    busy_hour_dl_gbps: float = field(default=_NAN, metadata=_m("busy_hour_dl_gbps", "Gbit/s"))
    area_coverage_share: float = field(default=_NAN, metadata=_m("area_coverage", "-"))
    population_coverage_share: float = field(default=_NAN, metadata=_m("population_coverage", "-"))
    indoor_population_coverage_share: float = field(
        default=_NAN, metadata=_m("indoor_population_coverage", "-")
    )
    user_coverage_share: float = field(default=_NAN, metadata=_m("user_coverage", "-"))
    load_mean_share: float = field(default=_NAN, metadata=_m("load_mean", "-"))
    load_max_share: float = field(default=_NAN, metadata=_m("load_max", "-"))
    sites_per_km2: float = field(default=_NAN, metadata=_m("sites_per_km2", "1/km2"))
    ss_sinr_p5_db: float = field(default=_NAN, metadata=_m("sinr_p5", "dB"))
    ss_sinr_p50_db: float = field(default=_NAN, metadata=_m("sinr_p50", "dB"))
    ss_sinr_p95_db: float = field(default=_NAN, metadata=_m("sinr_p95", "dB"))
    ss_sinr_outdoor_p5_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p5", "dB"))
    ss_sinr_outdoor_p50_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p50", "dB"))
    ss_sinr_outdoor_p95_db: float = field(default=_NAN, metadata=_m("ss_sinr_outdoor_p95", "dB"))
    pdsch_sinr_p5_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p5", "dB"))
    pdsch_sinr_p50_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p50", "dB"))
    pdsch_sinr_p95_db: float = field(default=_NAN, metadata=_m("pdsch_sinr_p95", "dB"))
    dl_p5_mbps: float = field(default=_NAN, metadata=_m("dl_p5", "Mbit/s"))
    dl_p50_mbps: float = field(default=_NAN, metadata=_m("dl_p50", "Mbit/s"))
    dl_p95_mbps: float = field(default=_NAN, metadata=_m("dl_p95", "Mbit/s"))
    ul_p5_mbps: float = field(default=_NAN, metadata=_m("ul_p5", "Mbit/s"))
    ul_p50_mbps: float = field(default=_NAN, metadata=_m("ul_p50", "Mbit/s"))
    ul_p95_mbps: float = field(default=_NAN, metadata=_m("ul_p95", "Mbit/s"))
    edge_dl_mbps: float = field(default=_NAN, metadata=_m("edge_dl_mbps", "Mbit/s"))
    edge_ul_mbps: float = field(default=_NAN, metadata=_m("edge_ul_mbps", "Mbit/s"))
    isd_by_class: dict[str, Any] | None = field(default=None, metadata=_m("isd_by_class", "m"))
    kpi_definitions: dict[str, str] | None = field(
        default=None, metadata=_m("kpi_definitions", "-")
    )
    limiting_factor_counts: dict[str, int] = field(
        default_factory=dict, metadata=_m("limiting_factor_counts", "-")
    )
    note: str | None = field(default=None, metadata=_m("note", "-"))
    networks: list[str] | None = field(default=None, metadata=_m("networks", "-"))
    sites_by_network: dict[str, int] | None = field(
        default=None, metadata=_m("sites_by_network", "-")
    )
    attrs: dict[str, Any] = field(default_factory=dict)
    json_keys: frozenset[str] | None = field(default=None, compare=False, repr=False)


@dataclass
class NetworkSummary(_KeyedRecord):
    """One network of a run (``summary["networks"][name]``): its label, operators,
    share of the mobile users [0-1], bands, national KPIs and national economics
    (the ``national`` entry of :func:`nrplan.plan.economics.plan_economics`; units
    in :data:`ECONOMICS_UNITS`)."""

    label: str = field(default="", metadata=_m("label", "-"))
    operators: list[str] = field(default_factory=list, metadata=_m("operators", "-"))
    user_share: float = field(default=_NAN, metadata=_m("user_share", "-"))
    bands: list[str] = field(default_factory=list, metadata=_m("bands", "-"))
    national: NationalKpis = field(default_factory=NationalKpis, metadata=_m("national", "-"))
    economics: dict[str, Any] = field(default_factory=dict, metadata=_m("economics", "-"))
    attrs: dict[str, Any] = field(default_factory=dict)
    json_keys: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def _nested(cls) -> dict[str, type[_KeyedRecord]]:
        return {"national": NationalKpis}


@dataclass
class EconomicsSummary(_KeyedRecord):
    """The economics of a run (``summary["economics"]``).

    ``national`` (and each of ``networks``) is the national bill of
    :func:`nrplan.plan.economics.plan_economics`, its numbers' units in
    :data:`ECONOMICS_UNITS` / :func:`economics_unit` (``{currency}``: this
    record's ``currency``, ``usd_rate`` [USD per unit of it]); ``cities`` the
    per-city bills by city id (a list in older runs). A run from before the
    ``national`` sub-dict kept its national numbers at the top level
    (:meth:`national_entries`).
    """

    currency: str = field(default="", metadata=_m("currency", "-"))
    usd_rate: float = field(default=_NAN, metadata=_m("usd_rate", "USD/{currency}"))
    national: dict[str, Any] | None = field(default=None, metadata=_m("national", "-"))
    networks: dict[str, Any] | None = field(default=None, metadata=_m("networks", "-"))
    cities: Any = field(default=None, metadata=_m("cities", "-"))
    assumptions: dict[str, Any] | None = field(default=None, metadata=_m("assumptions", "-"))
    warnings: list[str] = field(default_factory=list, metadata=_m("warnings", "-"))
    attrs: dict[str, Any] = field(default_factory=dict)
    json_keys: frozenset[str] | None = field(default=None, compare=False, repr=False)

    def national_entries(self) -> dict[str, Any]:
        """The national bill: ``national``, or for an older run its top-level numbers."""
        if self.national is not None:
            return self.national
        return {k: v for k, v in self.to_dict().items() if not isinstance(v, (dict, list))}

    def network_economics(self, name: str) -> dict[str, Any] | None:
        """The national bill of network ``name`` (``networks[name]``), or None."""
        v = (self.networks or {}).get(name)
        return v if isinstance(v, dict) else None

    def get(self, key: str, default: Any = None) -> Any:
        """``summary["economics"].get(key)`` (for callers written before the record)."""
        return self.to_dict().get(key, default)


@dataclass
class RunSummary:
    """The summary of a run (``summary.json``) as typed records.

    ``national`` is a :class:`NationalKpis`, ``networks`` maps each network's
    name to its :class:`NetworkSummary` (empty for runs from before networks),
    ``economics`` is an :class:`EconomicsSummary` (None when the run has none)
    and ``cities`` are :class:`CityResult`. Each section writes back exactly
    the keys it was read with.
    """

    schema_version: int = field(default=SCHEMA_VERSION, metadata=_m("schema_version", "-"))
    nrplan_version: str = field(default="", metadata=_m("nrplan_version", "-"))
    created_utc: str = field(default="", metadata=_m("created_utc", "-"))
    command: str = field(default="", metadata=_m("command", "-"))
    seed: int = field(default=0, metadata=_m("seed", "-"))
    year: int = field(default=0, metadata=_m("year", "-"))
    operators: str = field(default="", metadata=_m("operators", "-"))
    operator_share: float = field(default=_NAN, metadata=_m("operator_share", "-"))
    networks: dict[str, NetworkSummary] = field(default_factory=dict, metadata=_m("networks", "-"))
    config: dict[str, Any] = field(default_factory=dict, metadata=_m("config", "-"))
    models: dict[str, Any] = field(default_factory=dict, metadata=_m("models", "-"))
    versions: dict[str, str] = field(default_factory=dict, metadata=_m("versions", "-"))
    national: NationalKpis = field(default_factory=NationalKpis, metadata=_m("national", "-"))
    economics: EconomicsSummary | None = field(default=None, metadata=_m("economics", "-"))
    cities: list[CityResult] = field(default_factory=list, metadata=_m("cities", "-"))
    timings_s: dict[str, float] = field(default_factory=dict, metadata=_m("timings", "s"))
    platform: str = field(default="", metadata=_m("platform", "-"))
    terrain: dict[str, Any] | None = field(default=None, metadata=_m("terrain", "-"))
    extra: dict[str, Any] = field(default_factory=dict)
    json_keys: frozenset[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "summary.json") -> Self:
        """Read a ``summary.json`` dict.

        Raises
        ------
        NrplanInputError
            Not a dict, an unreadable schema version, or no ``national`` /
            ``cities`` section.
        """
        if not isinstance(data, dict):
            raise NrplanInputError(source, type(data).__name__, "a JSON object")
        version = check_schema_version(data, source)
        for key, typ in (("national", dict), ("cities", list)):
            if not isinstance(data.get(key), typ):
                raise NrplanInputError(
                    f"{source}:{key}",
                    data.get(key),
                    f"a JSON {'object' if typ is dict else 'array'} "
                    f"(schema_version {version}; the file is incomplete)",
                )
        raw = {k: v for k, v in data.items() if k != "cities"}
        kwargs, rest = _read(cls, raw)
        kwargs["schema_version"] = version
        kwargs["cities"] = [CityResult.from_dict(c) for c in data["cities"]]
        kwargs["national"] = NationalKpis.from_dict(data["national"], f"{source}:national")
        nets = data.get("networks")
        kwargs["networks"] = {
            str(k): NetworkSummary.from_dict(v, f"{source}:networks.{k}")
            for k, v in (nets.items() if isinstance(nets, dict) else ())
            if isinstance(v, dict)
        }
        eco = data.get("economics")
        kwargs["economics"] = None
        if isinstance(eco, dict):
            kwargs["economics"] = EconomicsSummary.from_dict(eco, f"{source}:economics")
        return cls(**kwargs, extra=rest, json_keys=frozenset(map(str, data)))

    def has(self, key: str) -> bool:
        """Whether the summary has the top-level key ``key`` (a summary built in
        memory: every field that is not None)."""
        if self.json_keys is None:
            name = _field_names(type(self)).get(key)
            return key in self.extra or (name is not None and getattr(self, name) is not None)
        return key in self.json_keys

    def value(self, key: str, default: Any = None) -> Any:
        """The value of top-level key ``key`` for a table cell, ``default`` when the
        summary lacks it (a missing number: ``None``)."""
        if not self.has(key):
            return default
        name = _field_names(type(self)).get(key)
        v = getattr(self, name) if name is not None else self.extra.get(key)
        return None if isinstance(v, float) and math.isnan(v) else v

    def to_dict(self) -> dict[str, Any]:
        """The ``summary.json`` dict (NaN kept as NaN; JSON writers turn it into null)."""
        out = _write(self)
        out["national"] = self.national.to_dict()
        out["networks"] = {k: v.to_dict() for k, v in self.networks.items()}
        if self.economics is not None:
            out["economics"] = self.economics.to_dict()
        out["cities"] = [c.to_dict() for c in self.cities]
        for k, v in self.extra.items():
            out.setdefault(k, v)
        return out


#: Unit of every number of a run's ``economics`` section, by leaf key.
#: ``{currency}``: the run's currency; money without ``per_year`` is a one-off
#: or NPV amount; ``fraction``: a share in [0, 1]; ``-``: a count or ratio.
ECONOMICS_UNITS: dict[str, str] = {
    # counts
    "cities": "-",
    "sites": "-",
    "sectors": "-",
    "sites_built_new": "-",
    "sites_on_existing": "-",
    "sites_per_operator_separate": "-",
    "networks": "-",
    "n_operators": "-",
    # money
    "capex_total": "{currency}",
    "capex_separate": "{currency}",
    "opex_total_per_year": "{currency}/year",
    "opex_total": "{currency}/year",
    "opex_per_year_separate": "{currency}/year",
    "tco": "{currency}",
    "tco_per_operator": "{currency}",
    "tco_shared": "{currency}",
    "tco_separate": "{currency}",
    "tco_per_operator_shared": "{currency}",
    "tco_per_operator_separate": "{currency}",
    "saving": "{currency}",
    "electricity_cost_per_year": "{currency}/year",
    "electricity_cost_per_year_without_features": "{currency}/year",
    "capex_per_site": "{currency}/site",
    "cost_per_km2": "{currency}/km2",
    "cost_per_person": "{currency}/person",
    "cost_per_gb": "{currency}/GB",
    # energy, CO2, power
    "kwh_per_year": "kWh/year",
    "kwh_per_year_without_features": "kWh/year",
    "energy_kwh_per_year": "kWh/year",
    "kwh_per_gb": "kWh/GB",
    "co2_t_per_year": "t/year",
    "co2_t_per_year_without_features": "t/year",
    "site_power_full_equipment_w": "W",
    "idle": "W",
    "full": "W",
    "full_equipment": "W",
    # shares and ratios
    "saving_share": "fraction",
    "rooftop_share_new": "fraction",
    "site_ratio_separate_to_shared": "-",
    "busy_hour_load": "fraction",
    # scope
    "gb_per_year": "GB/year",
    "covered_km2": "km2",
    "covered_people": "people",
}

#: Units of the entries of the ``capex`` / ``opex_per_year`` /
#: ``savings_kwh_per_year`` / ``site_types`` sub-dicts (any leaf key in them);
#: the ``usd`` sub-dict holds money in USD (leaf units with ``{currency}`` = USD).
_GROUP_UNITS = {
    "capex": "{currency}",
    "opex_per_year": "{currency}/year",
    "savings_kwh_per_year": "kWh/year",
    "site_types": "-",
}


def economics_unit(dotted_key: str) -> str | None:
    """The unit of a (dotted, flattened) economics entry, or None when unknown.

    ``{currency}`` in the result stands for the run's currency; ``fraction`` is
    a share in [0, 1].

    >>> economics_unit("energy.kwh_per_year")
    'kWh/year'
    >>> economics_unit("capex.ran")
    '{currency}'
    """
    parts = dotted_key.split(".")
    for p in parts[:-1]:
        if p in _GROUP_UNITS:
            return _GROUP_UNITS[p]
    return ECONOMICS_UNITS.get(parts[-1])
