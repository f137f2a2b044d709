"""Typed run records: units in the field names, one JSON round-trip, schema versions."""

from __future__ import annotations

import json
import math
from dataclasses import fields

import pytest

from nrplan.errors import NrplanInputError
from nrplan.io.jsonutil import to_jsonable
from nrplan.plan.config import PlanConfig
from nrplan.plan.economics import plan_economics
from nrplan.plan.records import (
    ECONOMICS_UNITS,
    SCHEMA_VERSION,
    CityResult,
    RunSummary,
    check_schema_version,
    economics_unit,
    field_unit,
    json_key,
)


def _record() -> dict:
    """A city record with the keys of ``nrplan.plan.national._city_record`` (JSON form)."""
    return {
        "key": "620200_jiayuguan",
        "id": "620200",
        "name": "Jiayuguan",
        "network": "shared",
        "name_zh": "嘉峪关市",  # a region attribute the record does not type
        "province_en": "Gansu",
        "region_area_km2": 2935.0,
        "crs": "EPSG:32647",
        "grid_shape": [85, 84],
        "resolution_m": 100.0,
        "sites": 12,
        "sectors": 36,
        "reused_sites": 0,
        "new_sites": 12,
        "sites_added": {"coverage": 10, "capacity": 2},
        "pruned_sites": 1,
        "iterations": 3,
        "target_area_km2": 40.5,
        "target_population": 231853.0,
        "population": 231853.0,
        "users": 95000.0,
        "busy_hour_dl_mbps": 614.67,
        "busy_hour_ul_mbps": 61.5,
        "area_coverage": 0.97,
        "population_coverage": 0.985,
        "indoor_population_coverage": None,
        "user_coverage": 0.93,
        "edge_dl_mbps": 55.5,
        "edge_ul_mbps": 1.25,
        "edge_dl_fail_share": 0.04,
        "edge_ul_fail_share": 0.06,
        "sinr_p5": -1.5,
        "sinr_p50": 8.25,
        "sinr_p95": 25.0,
        "ss_sinr_outdoor_p5": 0.5,
        "ss_sinr_outdoor_p50": 10.0,
        "ss_sinr_outdoor_p95": 26.0,
        "ss_sinr_indoor_p50": 5.75,
        "pdsch_sinr_p5": 2.5,
        "pdsch_sinr_p50": 14.0,
        "pdsch_sinr_p95": 30.0,
        "dl_p5": 60.0,
        "dl_p50": 400.0,
        "dl_p95": 900.0,
        "ul_p5": 2.0,
        "ul_p50": 30.0,
        "ul_p95": 90.0,
        "load_mean": 0.35,
        "load_p95": 0.6,
        "load_max": 0.7,
        "overloaded_sectors": 0,
        "sites_per_km2": 12 / 40.5,
        "isd_by_class": {"urban": {"dimensioned_m": 500.0, "planned_m": 520.0, "sites": 4}},
        "targets_met": True,
        "shortfall": "",
        "limiting": {"urban": "coverage"},
        "dimensioning": [{"name": "urban", "code": 3, "sites_estimate": 6.0}],
        "sectors_by_antenna": {"64t64r": 36},
        "sectors_by_band": {"n78-shared": 36},
        "timings": {"city_total_s": 11.6, "demand_s": 2.0},
        "demand": {"busy_hour_share": 0.08, "busy_days_per_month": 22.0},
        "prediction": {"engine": "numba"},
        "hist": {"dl_mbps": [1.0, 2.0, 3.0]},
    }


def test_city_record_round_trip_is_lossless():
    rec = _record()
    city = CityResult.from_dict(rec)
    # typed access with the unit in the name, the region's own keys kept
    assert city.ss_sinr_p50_db == 8.25 and city.dl_p50_mbps == 400.0
    assert city.load_mean_share == 0.35 and city.city_id == "620200"
    assert math.isnan(city.indoor_population_coverage_share)  # null -> NaN
    assert city.attrs == {"name_zh": "嘉峪关市", "province_en": "Gansu"}
    assert to_jsonable(city.to_dict()) == rec
    # and through JSON text again
    again = CityResult.from_dict(json.loads(json.dumps(to_jsonable(city.to_dict()))))
    assert to_jsonable(again.to_dict()) == rec


def test_empty_city_record_round_trip():
    """A city with nothing in scope (Sansha) has few keys; they come back unchanged."""
    rec = {
        "key": "460300_sansha",
        "id": "460300",
        "name": "Sansha",
        "network": "shared",
        "sites": 0,
        "sectors": 0,
        "target_area_km2": 0.0,
        "target_population": 0.0,
        "targets_met": True,
        "shortfall": "",
        "note": "no settlement in the 2020 scope",
        "limiting": {},
        "timings": {"city_total_s": 0.1},
    }
    city = CityResult.from_dict(rec)
    assert not city.has_sites and city.note.startswith("no settlement")
    out = to_jsonable(city.to_dict())
    # every typed field is written (null for an unknown KPI); the record's own keys are equal
    assert {k: out[k] for k in rec} == rec
    assert out["sinr_p50"] is None
    assert to_jsonable(CityResult.from_dict(out).to_dict()) == out


@pytest.mark.parametrize("record", ["CityResult", "NationalKpis", "NetworkSummary"])
def test_units_in_field_names_match_their_metadata(record):
    import nrplan.plan.records as records

    cls = getattr(records, record)
    suffix_unit = {
        "_db": "dB",
        "_mbps": "Mbit/s",
        "_gbps": "Gbit/s",
        "_km2": "km2",
        "_m": "m",
        "_s": "s",
    }
    checked = 0
    for f in fields(cls):
        for suffix, unit in suffix_unit.items():
            if f.name.endswith(suffix) and not f.name.endswith("_per_km2"):
                assert field_unit(cls, f.name) == unit, f.name
                checked += 1
        if f.name.endswith("_share"):
            assert field_unit(cls, f.name) == "-", f.name
            checked += 1
    assert checked >= {"CityResult": 20, "NationalKpis": 20, "NetworkSummary": 1}[record]
    assert field_unit(CityResult, "sites_per_km2") == "1/km2"
    assert json_key(CityResult, "ss_sinr_p5_db") == "sinr_p5"
    assert json_key(CityResult, "timings_s") == "timings"


def _summary(**extra) -> dict:
    return {
        "nrplan_version": "0.1.0",
        "created_utc": "2026-01-01T00:00:00+00:00",
        "command": "nrplan plan china --cities Jiayuguan",
        "seed": 42,
        "year": 2020,
        "operators": "shared",
        "operator_share": 0.409,
        "networks": {},
        "config": {"seed": 42},
        "models": {"pathloss": "3GPP TR 38.901 Table 7.4.1-1"},
        "versions": {"python": "3.11"},
        "national": {"cities": 1, "sites": 12},
        "economics": {"currency": "CNY", "national": {"tco": 1.0}},
        "cities": [_record()],
        "timings": {"wall_s": 12.0},
        "platform": "Linux",
        **extra,
    }


def test_run_summary_round_trip_and_schema_version():
    data = _summary(schema_version=SCHEMA_VERSION, something_new={"x": 1})
    s = RunSummary.from_dict(data)
    assert s.schema_version == SCHEMA_VERSION and s.timings_s == {"wall_s": 12.0}
    assert isinstance(s.cities[0], CityResult) and s.cities[0].sites == 12
    assert to_jsonable(s.to_dict()) == data
    assert RunSummary.from_dict(s.to_dict()) == s


def test_summary_without_schema_version_is_version_1_and_loads():
    s = RunSummary.from_dict(_summary())
    assert s.schema_version == 1
    assert s.cities[0].name == "Jiayuguan"


@pytest.mark.parametrize("version", [99, "2", 0, None])
def test_unknown_schema_version_fails_with_one_line_naming_it(version):
    with pytest.raises(NrplanInputError) as info:
        RunSummary.from_dict(_summary(schema_version=version), "run/summary.json")
    msg = str(info.value)
    assert f"schema_version {version!r}" in msg and "run/summary.json" in msg
    assert "\n" not in msg


def test_incomplete_summary_names_its_schema_version():
    data = _summary(schema_version=SCHEMA_VERSION)
    del data["cities"]
    with pytest.raises(NrplanInputError, match="schema_version 2"):
        RunSummary.from_dict(data)
    assert check_schema_version({}) == 1


def test_economics_units_are_explicit():
    assert economics_unit("energy.kwh_per_year") == "kWh/year"
    assert economics_unit("capex.radio") == "{currency}"
    assert economics_unit("opex_per_year.tower_fee") == "{currency}/year"
    assert economics_unit("energy.savings_kwh_per_year.deep_sleep") == "kWh/year"
    assert economics_unit("energy.site_power_w.full_equipment") == "W"
    assert economics_unit("sharing.saving_share") == "fraction"
    assert economics_unit("cost_per_gb") == "{currency}/GB"
    assert economics_unit("validation_2020") is None
    # every number plan_economics writes nationally has a unit
    eco = plan_economics([_record()], PlanConfig(), features=())
    missing = [k for k in _leaf_numbers(eco["national"]) if economics_unit(k) is None]
    assert missing == []
    assert set(ECONOMICS_UNITS) >= {"tco", "capex_total", "kwh_per_gb"}


def _leaf_numbers(d: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += _leaf_numbers(v, f"{prefix}{k}.")
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(f"{prefix}{k}")
    return out


def test_plan_economics_takes_typed_records():
    rec = _record()
    typed = plan_economics([CityResult.from_dict(rec)], PlanConfig(), features=())
    plain = plan_economics([rec], PlanConfig(), features=())
    assert typed == plain
    assert typed["cities"]["620200"]["sites"] == 12
    with pytest.raises(NrplanInputError, match="records"):
        plan_economics([42], PlanConfig())  # type: ignore[list-item]


# -- typed national, network and economics sections -------------------------------------
def _national() -> dict:
    """A national section as ``nrplan.plan.national.national_kpis`` writes it (JSON form)."""
    return {
        "cities": 2,
        "cities_meeting_targets": 1,
        "sites": 12,
        "sectors": 36,
        "new_sites": 12,
        "reused_sites": 0,
        "target_area_km2": 25.5,
        "target_population": 120000.0,
        "population": 300000.0,
        "users": 90000.0,
        "busy_hour_dl_gbps": 1.25,
        "area_coverage": 0.97,
        "population_coverage": 0.98,
        "indoor_population_coverage": None,
        "user_coverage": 0.91,
        "load_mean": 0.35,
        "load_max": 0.8,
        "sites_per_km2": 0.47,
        "sinr_p50": 8.25,
        "pdsch_sinr_p50": 12.5,
        "dl_p5": 55.5,
        "edge_dl_mbps": 55.5,
        "isd_by_class": {"urban": {"planned_m": 610.0, "sites": 1, "area_km2": 9.8}},
        "kpi_definitions": {"user_coverage": "share of all users covered"},
        "limiting_factor_counts": {"capacity": 2, "coverage-indoor": 1},
    }


def test_national_kpis_round_trip_exactly_their_keys():
    from nrplan.plan.records import NationalKpis

    data = _national()
    nat = NationalKpis.from_dict(data)
    # typed, the unit in the name, the summary.json key in the metadata
    assert nat.ss_sinr_p50_db == 8.25 and json_key(NationalKpis, "ss_sinr_p50_db") == "sinr_p50"
    assert nat.busy_hour_dl_gbps == 1.25
    assert field_unit(NationalKpis, "busy_hour_dl_gbps") == "Gbit/s"
    assert nat.limiting_factor_counts == {"capacity": 2, "coverage-indoor": 1}
    # no key added (ss_sinr_outdoor_p50, networks ... were not in the file), none renamed
    assert to_jsonable(nat.to_dict()) == data
    assert nat.has("sinr_p50") and not nat.has("ss_sinr_outdoor_p50") and not nat.has("networks")
    assert nat.value("indoor_population_coverage") is None  # null -> NaN -> None in a cell
    assert nat.value("ss_sinr_outdoor_p50") is None
    assert NationalKpis.from_dict(nat.to_dict()) == nat


def test_older_national_section_keeps_its_keys_and_reads_as_legacy():
    from nrplan.plan.records import NationalKpis
    from nrplan.report.html import is_legacy_record

    old = {"cities": 1, "sites": 4, "area_coverage": 0.9, "sinr_p50": 10.0, "note": "older"}
    nat = NationalKpis.from_dict(old)
    assert to_jsonable(nat.to_dict()) == old
    assert is_legacy_record(nat) and not is_legacy_record(NationalKpis.from_dict(_national()))
    # a record built in memory has what it was given
    built = NationalKpis(cities=1, sites=4, user_coverage_share=0.9)
    assert built.has("user_coverage") and not built.has("note") and not is_legacy_record(built)


def test_city_record_remembers_which_keys_its_entry_had():
    from nrplan.report.html import is_legacy_record

    rec = _record()
    for k in ("user_coverage", "pdsch_sinr_p50", "ss_sinr_outdoor_p50"):
        rec.pop(k, None)
    city = CityResult.from_dict(rec)
    assert not city.has("pdsch_sinr_p50") and city.has("sinr_p50") and city.has("name_zh")
    assert is_legacy_record(city)
    assert not is_legacy_record(CityResult.from_dict(_record()))
    assert not is_legacy_record(CityResult(key="k"))  # built in memory: every field
    assert city.value("sinr_p50") == city.ss_sinr_p50_db and city.value("name_zh") == "嘉峪关市"
    assert city.value("indoor_population_coverage") is None  # null / NaN -> None


def test_present_only_writes_the_keys_the_record_has():
    keys = frozenset({"key", "id", "name", "sites", "note", "name_zh"})
    city = CityResult(
        key="460300_sansha",
        city_id="460300",
        name="Sansha",
        note="no settlement in scope",
        attrs={"name_zh": "三沙市"},
        json_keys=keys,
    )
    out = city.to_dict(present_only=True)
    assert set(out) == keys and out["sites"] == 0
    assert "sinr_p50" in city.to_dict()  # without present_only: every typed field


def test_networks_and_economics_are_typed_and_round_trip():
    from nrplan.plan.records import EconomicsSummary, NationalKpis, NetworkSummary

    net = {
        "label": "China Mobile (160 MHz n41, 64T64R)",
        "operators": ["cmcc"],
        "user_share": 0.591,
        "bands": ["n41"],
        "national": {"cities": 1, "sites": 7, "user_coverage": 0.9},
        "economics": {"tco": 2.0e8, "capex_total": 1.0e8},
    }
    eco = {
        "currency": "CNY",
        "usd_rate": 0.14,
        "national": {"tco": 3.0e8, "energy": {"kwh_per_year": 1.5e6}},
        "networks": {"cm": {"tco": 2.0e8}},
        "cities": {"620200": {"tco": 3.0e8, "sites": 7}},
        "assumptions": {"wacc": 0.08},
        "warnings": ["a warning"],
    }
    data = _summary(schema_version=SCHEMA_VERSION, networks={"cm": net}, economics=eco)
    s = RunSummary.from_dict(data)
    assert isinstance(s.national, NationalKpis) and s.national.sites == 12
    cm = s.networks["cm"]
    assert isinstance(cm, NetworkSummary) and cm.user_share == 0.591 and cm.bands == ["n41"]
    assert isinstance(cm.national, NationalKpis) and cm.national.user_coverage_share == 0.9
    assert isinstance(s.economics, EconomicsSummary)
    assert s.economics.currency == "CNY" and s.economics.warnings == ["a warning"]
    assert s.economics.network_economics("cm") == {"tco": 2.0e8}
    assert s.economics.network_economics("ctcu") is None
    assert s.economics.national_entries()["tco"] == 3.0e8
    assert to_jsonable(s.to_dict()) == data
    assert RunSummary.from_dict(s.to_dict()) == s


def test_older_flat_economics_section_gives_its_top_level_numbers():
    from nrplan.plan.records import EconomicsSummary

    old = {"currency": "CNY", "capex_total": 1.0e9, "tco": 2.0e9, "cities": [{"id": "1"}]}
    eco = EconomicsSummary.from_dict(old)
    assert eco.national is None and eco.to_dict() == old
    assert eco.national_entries() == {"currency": "CNY", "capex_total": 1.0e9, "tco": 2.0e9}
    s = RunSummary.from_dict(_summary(economics=None))
    assert s.economics is None and "economics" not in s.to_dict()


def test_summary_meta_fields_say_whether_the_file_had_them():
    data = _summary()
    del data["platform"]
    s = RunSummary.from_dict(data)
    assert s.value("year") == 2020 and s.value("platform", "-") == "-"
    assert not s.has("platform") and s.has("seed")


def test_planner_builds_the_typed_record_of_a_city_with_nothing_in_scope():
    """Sansha (islands, no settlement in the 2020 scope): the worker returns a
    CityResult whose checkpoint keeps the few keys such a city has."""
    from nrplan.geo.region import china_regions
    from nrplan.plan.national import _EMPTY_CITY_KEYS, CityTask, plan_city

    (sansha,) = china_regions(["Sansha"])
    out = plan_city(CityTask("460300_sansha", sansha, PlanConfig(resolution_m=100.0)))
    assert isinstance(out.result, CityResult) and not out.result.has_sites
    assert out.result.note and out.result.targets_met
    attrs = {k for k in sansha.attrs if k != "area_km2"}
    assert set(out.record) == set(_EMPTY_CITY_KEYS) | attrs
    assert "sinr_p50" not in out.record  # no KPI keys invented for an empty city
    assert CityResult.from_dict(out.record).to_dict(present_only=True) == out.record
