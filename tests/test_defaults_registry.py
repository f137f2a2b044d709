"""The one defaults registry (nrplan.defaults), its views, its sources page and CLI."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import nrplan.defaults as reg
from nrplan.cli import main
from nrplan.demand import defaults as demand_defaults
from nrplan.econ import defaults as econ_defaults
from nrplan.econ.adoption import traffic_per_user
from nrplan.errors import NrplanInputError

ROOT = Path(__file__).resolve().parents[1]
SOURCES_MD = ROOT / "docs" / "sources.md"

#: Citations a docstring or source string in src/ must not make: a file outside the
#: repository or an issue number instead of the original source.
FORBIDDEN_CITATION = re.compile(
    r"china-facts|shared/reference|/work/shared|\bnrplan issue\b|\bissue\s+#?\d+", re.IGNORECASE
)


def _section(anchor: str) -> str:
    """Text of the docs/sources.md section of ``anchor`` (up to the next heading).

    A section's heading is its anchor itself (lowercase, digits and hyphens), so
    MkDocs and GitHub both give it the id ``anchor``."""
    text = SOURCES_MD.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(anchor)}\n.*?(?=^## |\Z)", text, re.M | re.S)
    assert m, f"docs/sources.md has no section '## {anchor}' (anchor #{anchor})"
    return m.group(0)


def test_every_default_is_complete():
    for d in reg.DEFAULTS.values():
        assert d.status in reg.STATUSES, d.name
        assert d.unit and d.source, d.name
        if isinstance(d.value, tuple) and d.unit.endswith("2020..2025)"):
            assert len(d.value) == len(reg.YEARS), d.name


def test_sourced_defaults_point_to_the_sources_page():
    known = {u for s in reg.SOURCES.values() for u in s.urls}
    for d in reg.DEFAULTS.values():
        missing = [u for u in d.urls if u not in known]
        assert not missing, f"{d.name}: URL not in nrplan.defaults.SOURCES: {missing}"
        if d.status not in ("assumption", "recall"):
            assert d.refs, f"{d.name} ({d.status}) cites no source of docs/sources.md"
    for anchor, src in reg.SOURCES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", anchor), anchor  # its own slug
        section = _section(anchor)
        for url in src.urls:
            assert url in section, f"docs/sources.md#{anchor} lacks {url}"


def test_the_2020_data_per_user_is_the_annual_mean():
    # MIIT 2020 bulletin: 10.35 GB/user/month over the year; Dec-2020 alone ~11.9 GB.
    # Cross-check: Oct-2020 11.46 GB was 1.19 GB above the Jan-Oct mean: 10.27 GB.
    assert reg.year_value("dou_gb_per_month", 2020) == 10.35
    assert 11.46 - 1.19 == pytest.approx(10.27)
    assert demand_defaults.defaults_for_year(2020)["dou_gb"] == 10.35
    # the economics' traffic projection starts from the same value
    assert traffic_per_user([2020])[0] == pytest.approx(10.35)
    # 2024 annual mean ~18 GB (recall - verify), 2025 a lower bound (Apr-2025 > 20 GB)
    assert reg.year_value("dou_gb_per_month", 2024) == 18.0
    with pytest.raises(NrplanInputError, match="year"):
        reg.year_value("dou_gb_per_month", 2019)


def test_views_share_the_registry():
    assert econ_defaults.DEFAULTS is reg.DEFAULTS
    assert econ_defaults.value is reg.value
    assert demand_defaults.Default is reg.Default
    assert demand_defaults.BUILT_UP_DENSITY is reg.DEFAULTS["built_up_density"]
    # 44,253.74e4 people / 60,721.32 km^2 = 7,288.0 people/km^2 (MOHURD 2020)
    assert demand_defaults.BUILT_UP_DENSITY.value == pytest.approx(7288.0, abs=0.1)
    for y in reg.YEARS:
        d = demand_defaults.defaults_for_year(y)
        assert d["penetration"] == reg.year_value("fiveg_penetration", y)
        assert d["dou_gb"] == reg.year_value("dou_gb_per_month", y)
        assert d["fiveg_dou_factor"] == 1.0 + reg.value("fiveg_dou_uplift")  # 1.237
        assert d["busy_hour_share"] == reg.value("busy_hour_share")


def test_operator_shares_come_from_the_registry():
    from nrplan.plan.national import OPERATOR_SHARES
    from nrplan.plan.networks import NETWORKS

    # China Mobile 942 M / 1,594 M = 0.591; CT + CU the complement 0.409, one of them 0.205
    assert reg.value("user_share_cm") == pytest.approx(942 / 1594)
    assert NETWORKS["cm"].user_share == 0.591
    assert OPERATOR_SHARES == {"single": 0.205, "shared": 0.409, "separate": 0.205}


def test_registry_is_a_leaf_module():
    tree = ast.parse(Path(reg.__file__).read_text(encoding="utf-8"))
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert {m for m in imported if m and m.startswith("nrplan")} == {"nrplan.errors"}


def test_forbidden_citation_pattern():
    assert FORBIDDEN_CITATION.search("(china-facts.md section 7)")
    assert FORBIDDEN_CITATION.search("The main inputs (issue 7)")
    assert FORBIDDEN_CITATION.search("see nrplan issue 6")
    assert not FORBIDDEN_CITATION.search("MIIT 2020 bulletin, http://www.dvbcn.com/p/120289.html")


def test_no_citation_of_files_outside_the_repository_or_of_issues():
    hits = []
    for path in sorted((ROOT / "src" / "nrplan").rglob("*.py")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN_CITATION.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not hits, "cite the original source or a docs/ note instead:\n" + "\n".join(hits)


def test_cli_lists_the_defaults(capsys):
    assert main(["defaults", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == list(reg.DEFAULTS)
    dou = next(r for r in rows if r["name"] == "dou_gb_per_month")
    assert dou["value"][0] == 10.35
    assert "docs/sources.md#miit-2020-bulletin" in dou["refs"]
    assert main(["defaults", "--status", "official", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["status"] for r in rows} == {"official"}
    assert main(["defaults", "electricity_price"]) == 0
    assert "0.75" in capsys.readouterr().out
    assert main(["defaults", "electricity_prise"]) == 2
    err = capsys.readouterr().err
    assert "electricity_price" in err and len(err.strip().splitlines()) == 1
    assert main(["defaults", "--status", "guess"]) == 2


def test_plan_targets_default_to_the_registry():
    from nrplan.plan.config import Targets

    t = Targets()
    # -110 dBm / -3 dB acceptance, 95 % / 85 % coverage, 10 / 1 Mbit/s edge, 70 % PRB load
    assert (t.rsrp_dbm, t.sinr_db) == (-110.0, -3.0)
    assert (t.area_coverage, t.population_coverage, t.indoor_population_coverage) == (
        0.95,
        0.95,
        0.85,
    )
    assert (t.edge_dl_mbps, t.edge_ul_mbps, t.load_limit) == (10.0, 1.0, 0.7)
    assert t.rsrp_dbm == reg.value("target_rsrp_dbm")
    assert t.load_limit == reg.value("target_load_limit")
