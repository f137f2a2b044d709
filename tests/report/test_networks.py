"""Runs of several networks over the same cities (``china-2020``: cm + ctcu).

The report shows the national KPIs per network with a total column, the ISD per
class of each network, a ``network`` column in the city tables, one section per
city with its networks' sections under it (their ids, maps and rasters apart),
and the scenario with the networks in the run info; the KMZ keeps the networks
apart; ``compare`` reads such a run.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from nrplan.cli import main
from nrplan.report import compare_runs, load_run, write_kmz, write_report
from nrplan.report.html import economics_spec

NS = {"k": "http://www.opengis.net/kml/2.2"}


def _summary(run: Path) -> dict:
    return json.loads((run / "summary.json").read_text(encoding="utf-8"))


def _ids(text: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', text)


def _assert_offline(text: str) -> None:
    for url in re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", text):
        assert url.startswith(("data:", "#")), url


def _city_part(text: str, anchor: str) -> str:
    """The HTML of the section opened by the heading with id ``anchor``."""
    return text.split(f'id="{anchor}"')[1].split("</section>")[0]


def test_national_table_per_network_with_total(multi_report, network_tools, kpi_tools) -> None:
    rows_of, header = network_tools
    _, shown_matches = kpi_tools
    run, text = multi_report
    _assert_offline(text)
    s = _summary(run)
    assert header(text, "national-networks") == ["cm", "ctcu", "total"]
    rows = rows_of(text, "national-networks")
    sites = rows["sites"]["values"]
    assert [sites[n][0] for n in ("cm", "ctcu", "total")] == ["4", "6", "10"]
    assert float(sites["total"][1]) == float(sites["cm"][1]) + float(sites["ctcu"][1])
    # what a radio planner compares, each in every column
    for key in (
        "sites",
        "sectors",
        "users",
        "user_coverage",
        "indoor_population_coverage",
        "sinr_p5",
        "sinr_p50",
        "sinr_p95",
        "pdsch_sinr_p50",
        "edge_dl_mbps",
        "edge_ul_mbps",
        "load_mean",
        "economics.capex_total",
        "economics.opex_total_per_year",
        "economics.tco",
        "economics.energy.kwh_per_year",
    ):
        assert set(rows[key]["values"]) == {"cm", "ctcu", "total"}, key
    # every value shown is its network's (or the total's) in summary.json
    for key, row in rows.items():
        if key in ("user_share", "bands") or key.startswith("economics."):
            continue
        for net, (shown, raw) in row["values"].items():
            nat = s["national"] if net == "total" else s["networks"][net]["national"]
            want = nat.get(key)
            assert shown_matches(shown, row["unit"], want), (key, net, shown, want)
            if raw:
                assert float(raw) == pytest.approx(want, rel=1e-12)
    # the networks' bills and their sum
    capex = rows["economics.capex_total"]["values"]
    assert [capex[n][0] for n in ("cm", "ctcu", "total")] == ["1,000.000", "1,500.000", "2,500.000"]
    assert rows["economics.capex_total"]["unit"] == "M CNY"
    assert rows["economics.tco_per_operator"]["values"]["total"][0] == "-"
    share = rows["user_share"]["values"]
    assert [share[n][0] for n in ("cm", "ctcu", "total")] == ["59.1", "40.9", "100.0"]
    assert rows["bands"]["values"]["total"][0] == "n41, n78-shared"
    # one table, not a total-only copy of it
    assert 'id="national-kpis"' not in text
    assert 'id="kpi-definitions"' in text


def test_isd_limiting_and_map_per_network(multi_report, label_tools) -> None:
    _, table_text = label_tools
    run, text = multi_report
    assert "No ISD by class" not in text
    for net, isd in (("cm", "900"), ("ctcu", "620")):
        lines = table_text(text, f"isd-by-class-{net}").splitlines()
        assert lines[1].startswith(f"urban|{isd}|{isd}|{isd}|")
        assert f"<h4>{net}: {html.escape(_summary(run)['networks'][net]['label'])}</h4>" in text
    lim = table_text(text, "limiting").splitlines()
    assert lim[0].startswith("limiting target|meaning|cm: (city, class) pairs|ctcu: (city, class)")
    assert any(line.startswith("coverage-indoor|") and "|2|2|4|" in line for line in lim)
    assert "sites summed over the networks" in text  # the national map's caption


def test_run_info_shows_scenario_and_networks(multi_report, label_tools) -> None:
    _, table_text = label_tools
    _, text = multi_report
    header = html.unescape(text.split("<header>")[1].split("</header>")[0])
    assert "scenario china-2020" in header and "2 networks" in header
    assert "cm: China Mobile (160 MHz n41, 64T64R), 4 sites" in header
    assert "ctcu: China Telecom + China Unicom shared RAN (200 MHz n78), 6 sites" in header
    nets = table_text(text, "networks").splitlines()
    assert nets[0] == "network|label|operators|share of mobile users [%]|bands|sites|sectors|"
    assert nets[1] == "cm|China Mobile (160 MHz n41, 64T64R)|China Mobile|59.1|n41|4|12|"
    assert nets[2].startswith("ctcu|China Telecom + China Unicom shared RAN (200 MHz n78)|")
    assert "|China Telecom, China Unicom|40.9|n78-shared|6|18|" in nets[2]
    assert "scenario (operators)|china-2020|" in table_text(text, "run-info").splitlines()
    # the bands the networks use are the ones marked used in the assumptions
    bands = {
        line.split("|")[0]: line.split("|")[1] for line in table_text(text, "bands").splitlines()
    }
    assert bands["n41"] == "yes" and bands["n78-shared"] == "yes" and bands["n78"] == "no"


def test_cities_per_network_do_not_collide(multi_report, label_tools) -> None:
    _, table_text = label_tools
    run, text = multi_report
    dupes = [i for i, n in Counter(_ids(text)).items() if n > 1]
    assert dupes == []
    # ranking: a network column, one row per (city, network), each city's networks together
    rank = table_text(text, "ranking-table").splitlines()
    head = rank[0].split("|")
    assert head[1:3] == ["city", "network"]
    assert [r.split("|")[1:3] for r in rank[1:]] == [
        ["Jiayuguan", "cm"],
        ["Jiayuguan", "ctcu"],
        ["Empty1", "cm"],
        ["Empty1", "ctcu"],
    ]
    for key in ("620200_jiayuguan_cm", "620200_jiayuguan_ctcu"):
        assert f'href="#city-{key}"' in text
    # a section per city with its networks side by side, then one per network
    assert text.count('<h3 id="city-') == 2
    jia = text.split('<h3 id="city-620200">')[1].split('<h3 id="city-')[0]
    assert 'id="kpis-620200-networks"' in jia
    for net in ("cm", "ctcu"):
        part = _city_part(text, f"city-620200_jiayuguan_{net}")
        assert f"— {net}: " in html.unescape(part.split("</h4>")[0])
        assert part.count("<img") == 2  # its maps (its own rasters) and CDFs
        assert f'id="isd-620200_jiayuguan_{net}"' in part
        assert f'id="dimensioning-620200_jiayuguan_{net}"' in part
    cm_maps = _city_part(text, "city-620200_jiayuguan_cm").split('<img src="')[1].split('"')[0]
    ct_maps = _city_part(text, "city-620200_jiayuguan_ctcu").split('<img src="')[1].split('"')[0]
    assert cm_maps != ct_maps  # different sites drawn, different titles
    assert "2 of 2 cities shown, largest by sites over all networks." in text
    # --max-cities counts cities, each with all its networks
    one = write_report(run, out=run / "one.html", max_cities=1).read_text(encoding="utf-8")
    assert one.count('<h3 id="city-') == 1 and one.count('<h4 id="city-') == 2


def test_city_sites_are_the_networks(make_multi_run) -> None:
    from nrplan.report.maps import _city_sites

    run = load_run(make_multi_run())
    sectors = run.sectors()
    assert set(sectors["network"]) == {"cm", "ctcu"}
    for c in run.city_results[:2]:
        sel = _city_sites(sectors, c)
        assert set(sel["network"]) == {c.network}
        assert sel["site_id"].nunique() == c.sites


def test_economics_per_network(multi_report, network_tools, label_tools) -> None:
    rows_of, header = network_tools
    _, table_text = label_tools
    _, text = multi_report
    assert header(text, "economics-networks") == ["cm", "ctcu", "total"]
    rows = rows_of(text, "economics-networks")
    tco = rows["tco"]["values"]
    assert [tco[n][0] for n in ("cm", "ctcu", "total")] == ["2,000.000", "3,000.000", "5,000.000"]
    # the shared RAN's saving is money and its share a percentage
    assert rows["sharing.saving"]["unit"] == "M CNY"
    assert rows["sharing.tco_shared"]["unit"] == "M CNY"
    assert rows["sharing.saving_share"]["values"]["ctcu"][0] == "50.0"
    assert rows["sharing.saving"]["values"]["cm"][0] == "-"
    by_city = table_text(text, "economics-cities").splitlines()
    assert by_city[0].startswith("city|network|sites|")
    assert [r.split("|")[:2] for r in by_city[1:3]] == [["Jiayuguan", "cm"], ["Jiayuguan", "ctcu"]]
    # the ranking picks each record's own costs (not the other network's)
    rank = table_text(text, "ranking-table").splitlines()
    capex_col = rank[0].split("|").index("capex total [M CNY]")
    assert [r.split("|")[capex_col] for r in rank[1:3]] == ["1,000.0", "1,500.0"]


def test_economics_spec_share_and_saving() -> None:
    assert economics_spec("sharing.tco_shared", "CNY")[2] == "M CNY"
    assert economics_spec("sharing.saving", "CNY")[2] == "M CNY"
    assert economics_spec("sharing.saving_share", "CNY")[2] == "%"
    assert economics_spec("energy.saving_share", "CNY")[2] == "%"
    assert economics_spec("rooftop_share_new", "CNY")[2] == "%"


@pytest.mark.parametrize(
    ("rasters", "economics", "networks"),
    [(False, False, True), (True, False, False), (False, True, False)],
)
def test_partial_multi_runs_render(make_multi_run, rasters, economics, networks) -> None:
    """No rasters, no economics or no ``networks`` section: still a report."""
    run = make_multi_run(rasters=rasters, economics=economics, networks=networks)
    text = write_report(run).read_text(encoding="utf-8")
    assert 'id="national-networks"' in text
    assert [i for i, n in Counter(_ids(text)).items() if n > 1] == []
    assert ('id="economics"' in text) == economics
    if not rasters:
        assert "No rasters for this city" in _city_part(text, "city-620200_jiayuguan_cm")
    write_kmz(run)


def test_one_network_run_with_networks_section(make_run, kpi_tools) -> None:
    """A one-network run whose summary has ``networks`` looks as before, plus the
    networks table in the run info."""
    kpi_rows, shown_matches = kpi_tools
    run = make_run(economics=True)
    s = _summary(run)
    s["networks"] = {
        "single": {
            "label": "China Telecom or China Unicom alone (100 MHz n78)",
            "operators": ["China Telecom or China Unicom"],
            "user_share": 0.205,
            "bands": ["n78"],
            "national": s["national"],
            "economics": s["economics"]["national"],
        }
    }
    for c in s["cities"]:
        c["network"] = "single"
    (run / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    text = write_report(run).read_text(encoding="utf-8")
    assert 'id="national-networks"' not in text and 'id="economics-networks"' not in text
    for key, shown, unit, _ in kpi_rows(text, "national-kpis"):
        if not key.startswith("economics."):
            assert shown_matches(shown, unit, s["national"][key]), key
    assert 'id="isd-by-class"' in text and 'id="economics-kpis"' in text
    assert text.count('<h3 id="city-') == 2 and '<h4 id="city-' not in text
    assert 'id="kpis-620200_jiayuguan"' in text
    ranking = text.split('id="ranking-table"')[1].split("</thead>")[0]
    assert ">network<" not in ranking
    assert 'id="networks"' in text and "China Telecom or China Unicom alone" in text


def test_kmz_keeps_networks_apart(make_multi_run) -> None:
    run = make_multi_run()
    path = write_kmz(run)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        root = ET.fromstring(zf.read("doc.kml"))
        for href in root.iterfind(".//k:href", NS):
            assert href.text in names
    assert {"files/rsrp_620200_jiayuguan_cm.png", "files/rsrp_620200_jiayuguan_ctcu.png"} <= set(
        names
    )
    doc = root.find("k:Document", NS)
    top = {f.find("k:name", NS).text: f for f in doc.findall("k:Folder", NS)}
    assert list(top) == [
        "cm: China Mobile (160 MHz n41, 64T64R)",
        "ctcu: China Telecom + China Unicom shared RAN (200 MHz n78)",
    ]
    sectors = pd.DataFrame(load_run(run).sectors())
    for name, folder in top.items():
        net = name.split(":")[0]
        marks = folder.findall(".//k:Placemark", NS)
        ids = {m.find("k:name", NS).text for m in marks}
        assert ids == set(sectors.loc[sectors["network"] == net, "site_id"])
        assert {m.find("k:styleUrl", NS).text for m in marks} == (
            {"#site"} if net == "cm" else {"#site-1"}
        )
        overlays = folder.findall(".//k:GroundOverlay", NS)
        assert len(overlays) == 1 and net in overlays[0].find("k:name", NS).text
    assert len(root.findall(".//k:Placemark", NS)) == sectors["site_id"].nunique() == 10


def test_cli_report_and_compare(make_multi_run, make_run, tmp_path: Path, capsys) -> None:
    run = make_multi_run()
    assert main(["report", str(run), "--kml", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert Path(out["report"]).is_file() and Path(out["kmz"]).is_file()
    single = make_run(n_cities=2)
    df = compare_runs([single, run])
    by = df.set_index("key")
    la, lb = list(df.columns[3:])
    assert lb.endswith("(2020, china-2020)")
    assert by.loc["sites", lb] == 10 and by.loc["sites", la] == 4
    assert by.loc["networks.cm.sites", lb] == 4 and by.loc["networks.ctcu.sites", lb] == 6
    assert by.loc["setting.bands", lb] == "n41, n78-shared"
    assert by.loc["setting.networks", lb] == "cm, ctcu"
    html_out = tmp_path / "cmp.html"
    assert main(["compare", str(single), str(run), "--out", str(html_out)]) == 0
    assert "sites, network ctcu" in html_out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_real_two_network_run(tmp_path: Path, network_tools, kpi_tools) -> None:
    """A real ``china-2020`` plan of two cities: report, KMZ, totals."""
    from nrplan.geo.region import china_regions
    from nrplan.plan.config import PlanConfig
    from nrplan.plan.national import plan_regions

    rows_of, header = network_tools
    _, shown_matches = kpi_tools
    cfg = PlanConfig(resolution_m=100.0, rasters=True, max_iterations=3, operators="china-2020")
    out = tmp_path / "n2"
    s = plan_regions(china_regions(["Jiayuguan", "Karamay"]), cfg, out, scheduler="serial")
    text = write_report(out).read_text(encoding="utf-8")
    _assert_offline(text)
    names = list(s["networks"])
    assert len(names) == 2 and header(text, "national-networks") == [*names, "total"]
    rows = rows_of(text, "national-networks")
    sites = rows["sites"]["values"]
    assert (
        int(sites["total"][1].split(".")[0])
        == s["national"]["sites"]
        == sum(s["networks"][n]["national"]["sites"] for n in names)
    )
    for key, row in rows.items():
        if key in ("user_share", "bands") or key.startswith("economics."):
            continue
        for net, (shown, _) in row["values"].items():
            nat = s["national"] if net == "total" else s["networks"][net]["national"]
            assert shown_matches(shown, row["unit"], nat.get(key)), (key, net, shown)
    assert [i for i, n in Counter(_ids(text)).items() if n > 1] == []
    for c in s["cities"]:
        assert f'id="city-{c["key"]}"' in text
    kmz = write_kmz(out)
    with zipfile.ZipFile(kmz) as zf:
        root = ET.fromstring(zf.read("doc.kml"))
    assert len(root.findall(".//k:Placemark", NS)) == s["national"]["sites"]
