"""The HTML report: structure, self-containment, KPI fidelity, robustness."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from nrplan.errors import NrplanInputError
from nrplan.report import write_report
from nrplan.report.html import NATIONAL_KPIS, economics_kpis, kpi_specs, select_cities
from nrplan.report.rundata import fmt_num, load_run, ordinal

#: Attributes that would make a browser fetch something.
_FETCH_ATTR = re.compile(
    r"""\b(?:src|href|srcset|data|poster|action)\s*=\s*["']([^"']*)["']""", re.I
)


def _fetched_urls(text: str) -> list[str]:
    return [u for u in _FETCH_ATTR.findall(text) if u]


def _assert_self_contained(text: str) -> None:
    for url in _fetched_urls(text):
        assert url.startswith(("data:", "#")), url
    assert "@import" not in text and "url(" not in text  # no CSS fetches
    assert '<link rel="stylesheet"' not in text
    assert 'http-equiv="Content-Security-Policy"' in text


def _economics_value(summary: dict, key: str) -> float:
    v = summary["economics"]["national"]
    for part in key.split(".")[1:]:
        v = v[part]
    return v


def test_real_run_report_structure(real_run: Path, kpi_tools) -> None:
    kpi_rows, shown_matches = kpi_tools
    path = write_report(real_run)
    assert path == real_run / "report.html"
    text = path.read_text(encoding="utf-8")
    _assert_self_contained(text)
    assert not list(real_run.glob(".report.html.*"))  # atomic: no leftovers
    summary = json.loads((real_run / "summary.json").read_text())
    for anchor in ("national", "ranking", "limiting", "cities", "assumptions"):
        assert f'id="{anchor}"' in text
    for city in summary["cities"]:
        assert f'id="city-{city["key"]}"' in text
    # maps and CDFs of the planned city, none for Sansha (no rasters)
    jia = text.split('id="city-620200_jiayuguan"')[1].split("</section>")[0]
    assert jia.count("<img") == 2
    san = text.split('id="city-460300_sansha"')[1].split("</section>")[0]
    assert "<img" not in san and "No rasters" in san
    # national KPI table == summary.json
    rows = kpi_rows(text, "national-kpis")
    keys = {r[0] for r in rows}
    assert {"sites", "sectors", "area_coverage", "population_coverage", "sinr_p50"} <= keys
    for key, shown, unit, raw in rows:
        if key.startswith("economics."):  # costs, when the planner adds them
            want = _economics_value(summary, key)
            assert raw and float(raw) == pytest.approx(want, rel=1e-12), key
            continue
        assert shown_matches(shown, unit, summary["national"][key]), (key, shown)
        if raw:
            assert float(raw) == pytest.approx(summary["national"][key], rel=1e-12)
    # the KPIs name their quantity: SS-SINR over users, PDSCH SINR at the planning load
    assert "SS-SINR" in text and "PDSCH" in text
    assert {"user_coverage", "ss_sinr_outdoor_p50", "pdsch_sinr_p50", "edge_dl_mbps"} <= keys
    assert 'id="kpi-definitions"' in text
    for definition in summary["national"]["kpi_definitions"].values():
        assert html.escape(definition) in text
    # the ISD per class: national table and the planned city's
    assert 'id="isd-by-class"' in text and 'id="isd-620200_jiayuguan"' in jia
    for name in summary["national"]["isd_by_class"]:
        assert f'<td data-sort="{name}">{name}</td>' in text
    # the assumptions list every band with its source, and the year's demand defaults
    from nrplan.radio.bands import BANDS

    for band in BANDS.values():
        assert html.escape(band.source) in text
    assert 'id="demand-defaults"' in text and 'id="econ-defaults"' in text


def test_kpi_table_matches_shown_numbers(make_run, kpi_tools) -> None:
    """Formatting rules: % rows are x100, null shows '-', ints keep their value."""
    kpi_rows, shown_matches = kpi_tools
    run = make_run()
    text = write_report(run).read_text(encoding="utf-8")
    summary = json.loads((run / "summary.json").read_text())
    rows = {r[0]: r for r in kpi_rows(text, "national-kpis")}
    assert rows["area_coverage"][1:3] == ["97.00", "%"]
    assert rows["indoor_population_coverage"][1] == "-"
    assert rows["sinr_p50"][2] == "dB" and rows["load_max"][1:3] == ["65.00", "%"]
    for key, shown, unit, _ in rows.values():
        assert shown_matches(shown, unit, summary["national"][key]), key
    # a wrong number would be caught
    assert not shown_matches("97.10", "%", 0.97)


def test_city_selection_and_flags(make_run) -> None:
    run = make_run(n_cities=4)
    text = write_report(run, max_cities=2).read_text(encoding="utf-8")
    assert text.count('<h3 id="city-') == 2
    assert 'id="city-620200_jiayuguan"' in text  # the largest by sites comes first
    text = write_report(run, max_cities=1, all_cities=True).read_text(encoding="utf-8")
    assert text.count('<h3 id="city-') == 4
    text = write_report(run, max_cities=0).read_text(encoding="utf-8")
    assert text.count('<h3 id="city-') == 0
    cities = [{"key": "a", "sites": 1}, {"key": "b", "sites": None}, {"key": "c", "sites": 9}]
    assert [c["key"] for c in select_cities(cities, 2)] == ["c", "a"]


def test_single_city_without_rasters(make_run) -> None:
    run = make_run(n_cities=1, rasters=False)
    out = run / "sub" / "r.html"
    path = write_report(run, out=out)
    assert path == out
    text = path.read_text(encoding="utf-8")
    _assert_self_contained(text)
    assert "No rasters for this city" in text
    assert not (run / "report.html").exists()


def test_economics_years_and_sensitivity_rendered_when_present(make_run, kpi_tools) -> None:
    kpi_rows, _ = kpi_tools
    run = make_run(economics=True, extras=True)
    text = write_report(run).read_text(encoding="utf-8")
    for anchor in ("economics", "years", "sensitivity", "rollout-table", "sensitivity-table"):
        assert f'id="{anchor}"' in text
    rows = {r[0]: r for r in kpi_rows(text, "economics-kpis")}
    assert rows["capex_total"][1:3] == ["1,500.000", "M CNY"]
    assert rows["opex_total"][2] == "M CNY/year"
    nat = {r[0]: r for r in kpi_rows(text, "national-kpis")}
    assert nat["economics.tco"][1:3] == ["3,000.000", "M CNY"]
    assert 'id="economics-cities"' in text
    assert text.count("data:image/png;base64,") >= 4  # national map, limiting, city, tornado
    # absent economics: no section
    plain = write_report(make_run(n_cities=3)).read_text(encoding="utf-8")
    assert 'id="economics"' not in plain and 'id="years"' not in plain


def test_economics_kpis_units() -> None:
    rows = economics_kpis(
        {
            "sites": 3.0,
            "capex": {"radio": 1e6},
            "capex_total": 2e6,
            "opex_total_per_year": 1e5,
            "energy": {"kwh_per_year": 3e6, "saving_share": 0.4, "kwh_per_gb": 0.5},
            "cost_per_km2": 5.0,
            "usd": {"tco": 7e6},
            "currency": "CNY",
        }
    )
    specs = {spec[0]: spec for spec, _ in rows}
    assert list(specs)[:3] == ["capex_total", "opex_total_per_year", "energy.kwh_per_year"]
    assert specs["capex_total"][2] == "M CNY" and specs["capex_total"][4] == 1e-6
    assert specs["capex.radio"][2] == "M CNY"
    assert specs["opex_total_per_year"][2] == "M CNY/year"
    assert specs["energy.kwh_per_year"][2:5] == ("GWh/year", 3, 1e-6)
    assert specs["energy.kwh_per_gb"][2] == "kWh/GB"
    assert specs["energy.saving_share"][2] == "%"
    assert specs["cost_per_km2"][2] == "CNY/km2"
    assert specs["usd.tco"][2] == "M USD"
    assert "currency" not in specs and "sites" not in specs


def test_html_escapes_names(make_run) -> None:
    run = make_run(n_cities=1)
    s = json.loads((run / "summary.json").read_text())
    s["cities"][0]["name"] = "<script>alert(1)</script>"
    (run / "summary.json").write_text(json.dumps(s))
    text = write_report(run).read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (None, "run_dir"),
        ("{not json", "summary.json"),
        ("[1, 2]", "summary.json"),
        ('{"national": {}}', "summary.json:cities"),
        ('{"national": 3, "cities": []}', "summary.json:national"),
    ],
)
def test_bad_run_dir(tmp_path: Path, content: str | None, field: str) -> None:
    run = tmp_path / "run"
    run.mkdir()
    if content is not None:
        (run / "summary.json").write_text(content)
    with pytest.raises(NrplanInputError) as exc:
        write_report(run)
    assert exc.value.field == field
    assert not (run / "report.html").exists()


def test_missing_dir_and_bad_max_cities(tmp_path: Path, make_run) -> None:
    with pytest.raises(NrplanInputError, match="existing nrplan run directory"):
        load_run(tmp_path / "nope")
    with pytest.raises(NrplanInputError) as exc:
        write_report(make_run(n_cities=1), max_cities=-1)
    assert exc.value.field == "max_cities"


def test_national_kpi_spec_is_consistent() -> None:
    keys = [k for k, *_ in NATIONAL_KPIS]
    assert len(keys) == len(set(keys))
    for _, _, unit, _, scale in NATIONAL_KPIS:
        assert scale == (100.0 if unit == "%" else 1.0)


@pytest.mark.parametrize(
    ("value", "decimals", "scale", "text"),
    [
        (2020, None, 1.0, "2020"),
        (123456, None, 1.0, "123,456"),
        (0.9985, 2, 100.0, "99.85"),
        (None, 2, 1.0, "-"),
        (float("nan"), 1, 1.0, "-"),
        (True, None, 1.0, "yes"),
        (1234.5678, None, 1.0, "1,235"),
        (0.01234, None, 1.0, "0.0123"),
    ],
)
def test_fmt_num(value, decimals, scale, text) -> None:
    assert fmt_num(value, decimals, scale) == text


def test_kpis_name_their_quantity(make_run, label_tools) -> None:
    """Every SINR, coverage and rate KPI says which SINR / users / load it is."""
    kpi_labels, table_text = label_tools
    run = make_run()
    text = write_report(run).read_text(encoding="utf-8")
    assert "SS-SINR" in text and "PDSCH" in text
    for table_id in ("national-kpis", "kpis-620200_jiayuguan"):
        labels = kpi_labels(text, table_id)
        assert labels["sinr_p50"] == "SS-SINR, full SSB load, all users, median"
        assert labels["ss_sinr_outdoor_p50"] == "SS-SINR, full SSB load, outdoor users, median"
        assert labels["pdsch_sinr_p50"] == "PDSCH SINR at 50 % planning load, covered users, median"
        assert labels["population_coverage"] == "outdoor users covered"
        assert labels["indoor_population_coverage"].startswith("indoor users covered")
        assert labels["user_coverage"] == "all users covered (outdoor and indoor)"
        assert labels["area_coverage"].endswith("in-scope area where an outdoor user is covered")
        assert labels["edge_dl_mbps"].startswith("cell-edge DL rate (5th percentile of covered")
        assert "busy-hour" in labels["load_max"] and "busy-hour" in labels["dl_p5"]
    city = kpi_labels(text, "kpis-620200_jiayuguan")
    assert city["ss_sinr_indoor_p50"] == "SS-SINR, full SSB load, indoor users, median"
    assert city["edge_ul_fail_share"] == "covered users below the UL edge-rate target"
    # the definitions from summary.json, next to the national table
    defs = table_text(text, "kpi-definitions")
    assert "pdsch_sinr_p*|PDSCH SINR with the neighbours at the planning load" in defs
    nat = text.split('id="national-kpis"')[1]
    assert nat.index('id="kpi-definitions"') < nat.index('id="ranking"')
    # national ISD by class: densest class first, with its city range
    isd = table_text(text, "isd-by-class").splitlines()
    assert isd[0].startswith("class|planned ISD [m]|city range")
    assert isd[1] == "urban_core|240|240|240|3|0.20|" and isd[2].startswith("urban|610|")
    # the city: dimensioned vs planned per class and the limiting target
    city_isd = table_text(text, "isd-620200_jiayuguan").splitlines()
    assert city_isd[0] == (
        "class|dimensioned ISD [m]|planned ISD [m]|sites|area [km²]|limiting target|"
    )
    assert city_isd[1] == "urban_core|250|240|3|0.20|capacity|"
    assert city_isd[2] == "urban|520|610|1|9.80|coverage-indoor|"
    dims = table_text(text, "dimensioning-620200_jiayuguan")
    assert "ISD coverage-outdoor [m]|ISD coverage-indoor [m]|ISD uplink [m]|ISD downlink" in dims
    assert "urban_core|n78|uma|5.00|500|250|20,000|20,000|250|410|250|capacity|" in dims
    assert "range_" not in dims and "older run" not in dims
    # the limiting targets are explained; the planner's morphology table is shown
    assert "indoor users covered (SS-RSRP after the O2I loss)" in table_text(text, "limiting")
    assert table_text(text, "morphologies").splitlines()[1].startswith("urban_core|uma|0.80|")


def test_older_run_is_labelled_and_renders(make_run, kpi_tools, label_tools) -> None:
    """A run from before the user-based KPIs: its pixel KPIs say so, range_* are shown."""
    kpi_rows, shown_matches = kpi_tools
    kpi_labels, table_text = label_tools
    run = make_run(legacy=True)
    text = write_report(run).read_text(encoding="utf-8")
    _assert_self_contained(text)
    labels = kpi_labels(text, "national-kpis")
    assert "older run" in labels["sinr_p50"] and "PDSCH" not in labels["sinr_p50"]
    summary = json.loads((run / "summary.json").read_text())
    for key, shown, unit, _ in kpi_rows(text, "national-kpis"):
        assert shown_matches(shown, unit, summary["national"][key]), key
    assert "No ISD by class in summary.json (older run)" in text
    assert 'id="kpi-definitions"' not in text and "Older run (no KPI definitions" in text
    dims = table_text(text, "dimensioning-620200_jiayuguan")
    assert "range SS-RSRP outdoor [m] (older run)" in dims and "|800|" in dims
    assert table_text(text, "isd-620200_jiayuguan").splitlines()[1].startswith("urban|600|-|")
    jia = text.split('id="city-620200_jiayuguan"')[1].split("</section>")[0]
    assert jia.count("<img") == 2  # maps of the four old rasters, CDFs from the rasters


def test_city_cdf_without_rasters_uses_histograms(make_run) -> None:
    run = make_run(n_cities=1, rasters=False)
    jia = write_report(run).read_text(encoding="utf-8").split('id="city-620200_jiayuguan"')[1]
    jia = jia.split("</section>")[0]
    assert "No rasters for this city" in jia and jia.count("<img") == 1  # CDFs over users
    run = make_run(n_cities=1, rasters=False, hist=False)
    jia = write_report(run).read_text(encoding="utf-8").split('id="city-620200_jiayuguan"')[1]
    assert "<img" not in jia.split("</section>")[0]


def test_kpi_specs_fill_in_load_and_edge() -> None:
    spec = dict((k, lab) for k, lab, *_ in kpi_specs(NATIONAL_KPIS, 0.3))
    assert (
        spec["pdsch_sinr_p5"] == "PDSCH SINR at 30 % planning load, covered users, 5th percentile"
    )
    generic = dict((k, lab) for k, lab, *_ in kpi_specs(NATIONAL_KPIS))
    assert generic["pdsch_sinr_p50"].startswith("PDSCH SINR at the planning load")
    assert all("{" not in lab for lab in generic.values())


@pytest.mark.parametrize(
    ("q", "text"), [(5, "5th"), (1.0, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (2.5, "2.5th")]
)
def test_ordinal(q, text) -> None:
    assert ordinal(q) == text
    assert ordinal(None) == "edge"


def test_missing_number_renders_the_same_as_null_or_nan(make_run) -> None:
    """The report reads typed records: a KPI written as null (strict JSON, what the
    planner writes) or as NaN shows as "-" in the KPI tables and the ranking."""
    from nrplan.report.html import render_report

    run = make_run()
    summary = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    texts = []
    for missing in (None, float("nan")):
        summary["national"]["indoor_population_coverage"] = missing
        summary["cities"][0]["indoor_population_coverage"] = missing
        (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        text = render_report(load_run(run))
        texts.append(re.sub(r"Generated \S+ by", "", text))
    assert texts[0] == texts[1]
    row = re.search(r'<tr data-key="indoor_population_coverage">.*?</tr>', texts[0])
    assert row is not None and '<td class="num" data-value="">-</td>' in row.group(0)
    assert ">nan<" not in texts[0]


def test_city_records_of_the_report_are_typed(make_run) -> None:
    from nrplan.plan.records import CityResult, NationalKpis
    from nrplan.report.html import select_city_groups

    run = load_run(make_run(n_cities=3))
    assert isinstance(run.national, NationalKpis) and run.national.sites == 4
    groups = select_city_groups(run, max_cities=2)
    assert [[c.key for c in g] for g in groups] == [["620200_jiayuguan"], ["460301_empty"]]
    assert all(isinstance(c, CityResult) for g in groups for c in g)
    # dict entries are still accepted (read as CityResult to rank them)
    assert [c["key"] for c in select_cities(run.cities, 1)] == ["620200_jiayuguan"]
