"""The 2020 census bound on the embedded settlements (nrplan.geo.census)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nrplan.geo import census, china

DOCS = Path(__file__).resolve().parents[2] / "docs" / "census-2020.md"


def test_trim_largest_by_hand():
    # 10 + 4 + 1 = 15 > 9: trimming the largest to 4 gives 4 + 4 + 1 = 9
    assert census.trim_largest([10.0, 4.0, 1.0], 9.0) == pytest.approx([4.0, 4.0, 1.0])
    # bound 3: the two largest trimmed to 1 (1 + 1 + 1)
    assert census.trim_largest([4.0, 10.0, 1.0], 3.0) == pytest.approx([1.0, 1.0, 1.0])
    # at or below the bound, or no bound: unchanged
    assert census.trim_largest([10.0, 4.0, 1.0], 15.0) == pytest.approx([10.0, 4.0, 1.0])
    assert census.trim_largest([10.0, 4.0], float("nan")) == pytest.approx([10.0, 4.0])
    assert census.trim_largest([10.0, 4.0], 0.0) == pytest.approx([0.0, 0.0])


def test_trim_largest_keeps_order_and_sum():
    rng = np.random.default_rng(5)
    p = rng.lognormal(10, 1.5, 200)
    out = census.trim_largest(p, 0.4 * p.sum())
    assert out.sum() == pytest.approx(0.4 * p.sum(), rel=1e-12)
    assert np.all(out <= p) and np.all(np.diff(out[np.argsort(p)]) >= -1e-9)
    small = p < out.max()
    assert np.array_equal(out[small], p[small])  # small places are untouched


def test_prefecture_above_its_census_is_trimmed_to_it():
    # Wuzhong: GeoNames gives the seat the whole prefecture's 7.2 M; the census
    # urban population of Wuzhong is 771,119 (of 1,382,713 residents)
    u = china.load_units().set_index("adcode")
    w = u.loc["640300"]
    assert w["census_population"] == 1_382_713
    assert w["census_bound"] == 771_119 and w["census_basis"] == "urban"
    assert w["settlement_population_geonames"] > 7.0e6
    assert w["settlement_population"] == pytest.approx(771_119)
    assert bool(w["census_corrected"])
    s = china.load_settlements()
    s = s[s["adcode"] == "640300"].set_index("name")
    assert s.loc["Yuquanying", "population"] == s.loc["Yuquanying", "population_geonames"]
    assert s.loc["Wuzhong", "population"] == pytest.approx(771_119 - 5_030)


def test_prefecture_below_its_census_is_left_as_it_is():
    # Nagqu: 30,000 in GeoNames, census urban population 116,030
    u = china.load_units().set_index("adcode")
    n = u.loc["540600"]
    assert n["census_bound"] == 116_030
    assert n["settlement_population"] == n["settlement_population_geonames"] == 30_000
    assert not bool(n["census_corrected"])


def test_total_population_is_the_bound_without_an_urban_figure():
    bound, basis = census.census_bound("130600")  # Baoding: no unit urban figure
    t = census.census_table()
    assert np.isnan(t.loc["130600", "urban_population"])
    assert (bound, basis) == (t.loc["130600", "population"], "total")
    assert census.census_bound("999999") == (pytest.approx(float("nan"), nan_ok=True), "none")


def test_census_table_covers_every_unit_and_names_its_sources():
    t = census.census_table()
    u = china.load_units()
    assert sorted(t.index) == sorted(u["adcode"])
    assert t["population"].notna().all() and (t["population"] > 0).all()
    assert (
        t["urban_population"].dropna() <= t.loc[t["urban_population"].notna(), "population"]
    ).all()
    assert t["population"].sum() <= 1_409_778_724  # the 31 provinces' census total
    docs = DOCS.read_text(encoding="utf-8")
    keys = set()
    for src in t["source"]:
        assert src.startswith("pop:"), src
        keys |= {part.split(":", 1)[1] for part in src.split(";")}
    for key in keys:
        assert re.search(rf"`{re.escape(key)}`", docs), f"source {key} not documented"
