"""Traffic formula, defaults table and coverage scopes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nrplan.demand import (
    COVERAGE_SCOPES,
    DEMAND_DEFAULTS,
    busy_hour_mbps_per_user,
    coverage_scope,
    defaults_for_year,
    defaults_table,
)
from nrplan.errors import NrplanInputError


def test_busy_hour_rate_by_hand():
    # 10.35 GB x 1.237 = 12.80 GB/month = 102,424 Mbit; /22 days = 4,655.6 Mbit/day;
    # x 0.08 in the busy hour = 372.4 Mbit; / 3600 s = 0.10346 Mbps
    got = busy_hour_mbps_per_user(10.35, 0.08, 22, 1.237)
    assert got == pytest.approx(10.35 * 1.237 * 8000 / 22 * 0.08 / 3600)
    assert got == pytest.approx(0.10346, abs=1e-5)


def test_busy_hour_rate_vectorised_and_checked():
    out = busy_hour_mbps_per_user(np.array([1.0, 2.0]), 0.1, 30)
    assert out == pytest.approx([8000 / 30 * 0.1 / 3600, 2 * 8000 / 30 * 0.1 / 3600])
    with pytest.raises(NrplanInputError):
        busy_hour_mbps_per_user(10, 1.5, 22)
    with pytest.raises(NrplanInputError):
        busy_hour_mbps_per_user(-1, 0.1, 22)


@given(dou=st.floats(0.1, 100.0), k=st.floats(0.1, 10.0))
def test_busy_hour_rate_linear_in_volume(dou, k):
    a = busy_hour_mbps_per_user(dou, 0.08, 22)
    b = busy_hour_mbps_per_user(dou * k, 0.08, 22)
    assert b == pytest.approx(a * k, rel=1e-12)


def test_defaults_have_sources():
    assert sorted(DEMAND_DEFAULTS) == [2020, 2021, 2022, 2023, 2024, 2025]
    for year, table in DEMAND_DEFAULTS.items():
        for name, d in table.items():
            assert d.source.strip(), (year, name)
    assert defaults_for_year(2020)["penetration"] == 0.125
    assert defaults_for_year(2020)["dou_gb"] == 10.35
    pens = [defaults_for_year(y)["penetration"] for y in range(2020, 2026)]
    assert pens == sorted(pens)
    rows = defaults_table()
    assert len(rows) == 1 + 6 * len(DEMAND_DEFAULTS[2020])
    assert rows[0]["value"] == pytest.approx(44253.74e4 / 60721.32)  # 7,288 people/km^2


def test_coverage_scopes():
    assert coverage_scope(2020).level == "prefecture"
    assert coverage_scope(2021).level == coverage_scope(2022).level == "county"
    assert coverage_scope(2025).level == "township"
    mins = [COVERAGE_SCOPES[y].min_population for y in range(2020, 2026)]
    assert mins == sorted(mins, reverse=True)
    s = coverage_scope(2020)
    got = s.in_scope([5_000, 150_000, 50_000], [False, False, True])
    assert got.tolist() == [False, True, True]
    with pytest.raises(NrplanInputError, match=r"2020\.\.2025"):
        coverage_scope(2019)
