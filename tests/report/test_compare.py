"""``compare_runs`` and ``compare.html``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from nrplan.errors import NrplanInputError
from nrplan.report import compare_runs, write_compare_html


def test_compare_side_by_side(make_run, tmp_path: Path) -> None:
    a = make_run(n_cities=1)
    b = make_run(n_cities=2, economics=True)
    s = json.loads((b / "summary.json").read_text())
    s["national"]["sites"] = 7
    s["year"] = 2025
    (b / "summary.json").write_text(json.dumps(s))
    df = compare_runs([a, b])
    la, lb = list(df.columns[3:])
    assert la == f"{a.name} (2020, single)" and lb == f"{b.name} (2025, single)"
    by = df.set_index("key")
    assert by.loc["sites", la] == 4 and by.loc["sites", lb] == 7
    assert by.loc["area_coverage", la] == pytest.approx(97.0)  # percent
    assert by.loc["area_coverage", "unit"] == "%"
    assert by.loc["economics.capex_total", lb] == pytest.approx(1500.0)  # millions
    assert math.isnan(by.loc["economics.capex_total", la])  # a has no economics
    assert by.loc["pdsch_sinr_p50", "metric"] == (
        "PDSCH SINR at the planning load, covered users, median"
    )
    assert by.loc["sinr_p50", "metric"] == "SS-SINR, full SSB load, all users, median"
    assert by.loc["setting.planning_load", la] == 0.5
    out = write_compare_html(df, tmp_path / "c" / "compare.html")
    text = out.read_text(encoding="utf-8")
    assert 'id="compare"' in text and la in text and lb in text
    assert "http://" not in text and "https://" not in text


def test_compare_labels_unique_and_errors(make_run, tmp_path: Path) -> None:
    a = make_run(n_cities=1)
    df = compare_runs([a, a])
    assert list(df.columns[3:]) == [f"{a.name} (2020, single)", f"{a.name} (2020, single) #2"]
    with pytest.raises(NrplanInputError):
        compare_runs([])
    with pytest.raises(NrplanInputError):
        compare_runs([a, tmp_path / "missing"])
