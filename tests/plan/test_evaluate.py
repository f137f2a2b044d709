"""Plan KPIs over users: sector loads, target checks, percentiles (by hand)."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.plan.config import Targets
from nrplan.plan.evaluate import evaluate, sector_loads, targets_met


def test_sector_loads_by_hand():
    # sector 0 serves two pixels: 10 Mbps at 100 Mbps full rate and 5 at 50 -> 0.1 + 0.1
    # sector 1 serves one pixel: 30 Mbps at 60 -> 0.5; pixel 3 unserved
    best = np.array([0, 0, 1, -1])
    demand = np.array([10.0, 5.0, 30.0, 99.0])
    cap = np.array([100.0, 50.0, 60.0, 0.0])
    assert np.allclose(sector_loads(best, demand, cap, 3), [0.2, 0.5, 0.0])


TOTALS = {"n_scope": 100.0, "users": 1000.0, "out_users": 200.0, "in_users": 800.0,
          "population": 1000.0}  # fmt: skip


def _sums(area=99.0, out=198.0, ind=720.0, dl=10.0, ul=10.0):
    return {"area": area, "out_users": out, "in_users": ind, "cov_users": out + ind,
            "dl_fail": dl, "ul_fail": ul}  # fmt: skip


def test_evaluate_ratios_by_hand():
    m = evaluate(Targets(), _sums(), TOTALS, np.array([0.3]), 0.0025)
    assert m.area_coverage == pytest.approx(0.99)
    assert m.population_coverage == pytest.approx(198 / 200)
    assert m.indoor_population_coverage == pytest.approx(720 / 800)
    assert m.user_coverage == pytest.approx(918 / 1000)
    assert m.edge_dl_fail_share == pytest.approx(10 / 918)
    assert m.area_km2 == pytest.approx(0.25)
    assert m.ok


def test_evaluate_fails_each_target():
    t = Targets()
    low = evaluate(t, _sums(area=90.0), TOTALS, np.array([0.3]), 0.0025)
    assert any("outdoor area coverage" in f for f in low.failures)
    out = evaluate(t, _sums(out=180.0), TOTALS, np.array([0.3]), 0.0025)
    assert any("outdoor user coverage" in f for f in out.failures)
    ind = evaluate(t, _sums(ind=600.0), TOTALS, np.array([0.3]), 0.0025)
    assert any("indoor user coverage" in f for f in ind.failures)
    dl = evaluate(t, _sums(dl=60.0), TOTALS, np.array([0.3]), 0.0025)  # 6.5 % > 5 %
    assert any("DL" in f for f in dl.failures)
    ul = evaluate(t, _sums(ul=60.0), TOTALS, np.array([0.3]), 0.0025)
    assert any("UL" in f for f in ul.failures)
    over = evaluate(t, _sums(), TOTALS, np.array([0.3, 0.75]), 0.0025)
    assert over.overloaded_sectors == 1 and not over.ok


def test_targets_met_with_slack():
    t = Targets()
    assert targets_met(t, _sums(), TOTALS, np.array([0.3]))
    assert not targets_met(t, _sums(ind=681.0), TOTALS, np.array([0.3]), slack=0.002)


def test_percentiles_from_weighted_histograms():
    # 3 users in the bin [0, 1), 1 user in [99, 100): the median lies in the first bin
    # (linear within it: 0.5 / 0.75 of the way, 0.667), the 95th percentile in the last
    # (0.2 / 0.25 of the way from 99: 99.8)
    edges = {k: np.arange(0.0, 101.0) for k in ("ss_sinr_db", "dl_mbps")}
    h = np.zeros(100)
    h[0], h[99] = 3.0, 1.0
    m = evaluate(
        Targets(), _sums(), TOTALS, np.array([0.3]), 0.0025, {"ss_sinr_db": h, "dl_mbps": h},
        edges,
    )  # fmt: skip
    assert m.dl_p50 == pytest.approx(2 / 3)
    assert m.dl_p95 == pytest.approx(99.8)
    assert m.edge_dl_mbps == pytest.approx(5 / 75)
    assert m.sinr_p50 == pytest.approx(2 / 3)
    assert np.isnan(m.ul_p50)
