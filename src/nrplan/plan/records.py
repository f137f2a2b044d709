"""Typed run records: one city's plan (:class:`CityResult`) and a run's summary
(:class:`RunSummary`), with units in the field names and one JSON round-trip.

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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The record of a checkpoint / ``summary["cities"]`` entry.

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
        return cls(**kwargs, attrs=rest)

    def to_dict(self) -> dict[str, Any]:
        """The JSON dict (the keys of ``summary.json``; NaN kept as NaN)."""
        out = _write(self)
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


@dataclass
class RunSummary:
    """The summary of a run (``summary.json``) with typed city records.

    ``national`` and ``economics`` stay dicts (their keys: ``KPI_DEFINITIONS``
    and :data:`ECONOMICS_UNITS`); ``cities`` are :class:`CityResult`.
    """

    schema_version: int = field(default=SCHEMA_VERSION, metadata=_m("schema_version", "-"))
    nrplan_version: str = field(default="", metadata=_m("nrplan_version", "-"))
    created_utc: str = field(default="", metadata=_m("created_utc", "-"))
    command: str = field(default="", metadata=_m("command", "-"))
    seed: int = field(default=0, metadata=_m("seed", "-"))
    year: int = field(default=0, metadata=_m("year", "-"))
    operators: str = field(default="", metadata=_m("operators", "-"))
    operator_share: float = field(default=_NAN, metadata=_m("operator_share", "-"))
    networks: dict[str, Any] = field(default_factory=dict, metadata=_m("networks", "-"))
    config: dict[str, Any] = field(default_factory=dict, metadata=_m("config", "-"))
    models: dict[str, Any] = field(default_factory=dict, metadata=_m("models", "-"))
    versions: dict[str, str] = field(default_factory=dict, metadata=_m("versions", "-"))
    national: dict[str, Any] = field(default_factory=dict, metadata=_m("national", "-"))
    economics: dict[str, Any] = field(default_factory=dict, metadata=_m("economics", "-"))
    cities: list[CityResult] = field(default_factory=list, metadata=_m("cities", "-"))
    timings_s: dict[str, float] = field(default_factory=dict, metadata=_m("timings", "s"))
    platform: str = field(default="", metadata=_m("platform", "-"))
    terrain: dict[str, Any] | None = field(default=None, metadata=_m("terrain", "-"))
    extra: dict[str, Any] = field(default_factory=dict)

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
        return cls(**kwargs, extra=rest)

    def to_dict(self) -> dict[str, Any]:
        """The ``summary.json`` dict (NaN kept as NaN; JSON writers turn it into null)."""
        out = _write(self)
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
