"""Library side of ``nrplan rollout`` / ``nrplan sensitivity`` and the scheduler choice."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest

from nrplan.econ.cost import CostParams
from nrplan.econ.defaults import value
from nrplan.econ.rollout import rollout, year_plan, year_targets
from nrplan.econ.sensitivity import (
    INPUT_UNITS,
    case_cost_params,
    inputs_from_base,
    one_at_a_time,
    plan_evaluator,
    sensitivity_base,
)
from nrplan.errors import NrplanInputError
from nrplan.parallel import resolve_scheduler


def test_year_targets_from_the_demand_defaults():
    t2020, t2023 = year_targets([2020, 2023])
    # 2020: prefecture scope, 12.5 % penetration, 10.35 GB (MIIT 2020 annual mean) x 1.237
    # (China Mobile +23.7 % for a 5G user) = 12.80295 GB/month
    assert (t2020.year, t2020.scope, t2020.penetration) == (2020, "prefecture", 0.125)
    assert t2020.dou_gb_per_month == pytest.approx(10.35 * 1.237)
    # 2023: township scope, 46.6 %, 16.85 GB x 1.237 = 20.84345 GB/month
    assert (t2023.scope, t2023.penetration) == ("township", 0.466)
    assert t2023.dou_gb_per_month == pytest.approx(16.85 * 1.237)
    with pytest.raises(NrplanInputError, match="year"):
        year_targets([2019])
    with pytest.raises(NrplanInputError, match="increasing"):
        year_targets([2022, 2021])


def _summary(sites: float) -> dict:
    return {"national": {"sites": sites}}


def _econ(kwh: float, profiles: list[dict[str, float]]) -> dict:
    return {
        "national": {
            "energy": {"kwh_per_year": kwh},
            "covered_km2": 12.5,
            "covered_people": None,
            "gb_per_year": 3.0e6,
        },
        "cities": {f"c{i}": {"sectors_by_profile": p} for i, p in enumerate(profiles)},
    }


def test_year_plan_sums_city_radios_and_keeps_missing_as_nan():
    yp = year_plan(_summary(7), _econ(1.5e6, [{"64t64r": 12, "4t4r": 3}, {"64t64r": 9}]))
    assert yp.sites == 7.0
    assert dict(yp.sectors_by_profile) == {"64t64r": 21.0, "4t4r": 3.0}  # 12 + 9, 3
    assert yp.energy_kwh_per_year == 1.5e6
    assert yp.covered_km2 == 12.5 and yp.gb_per_year == 3.0e6
    assert math.isnan(yp.covered_people)


def test_rollout_over_year_plans_never_removes_a_site():
    plans = {2020: (10, 30), 2021: (8, 24)}  # 2021 needs fewer: the network keeps 10 sites

    def plan_fn(t):
        sites, sectors = plans[t.year]
        return year_plan(_summary(sites), _econ(1.0e6, [{"64t64r": sectors}]))

    df = rollout(year_targets([2020, 2021]), plan_fn)
    assert list(df["sites"]) == [10, 10]
    assert list(df["new_sites"]) == [10, 0]


def test_sensitivity_base_and_cost_params():
    base = sensitivity_base(2021, 100.0, 0.7)
    assert base == {
        "unit_cost_scale": 1.0,
        "edge_dl_mbps": 100.0,
        "traffic_per_user": 13.36,  # MIIT 2021 annual mean DOU
        "penetration": 0.216,  # MIIT end-2021 5G penetration
        "load_limit": 0.7,
        "electricity_price": 0.75,  # registry planning value [CNY/kWh]
    }
    assert set(INPUT_UNITS) == set(base)
    p = case_cost_params({"unit_cost_scale": 1.2})
    assert p.bbu_per_site == pytest.approx(1.2 * value("bbu_per_site"))  # 1.2 x 40,000 CNY
    assert p.electricity_price == CostParams().electricity_price
    p = case_cost_params({"electricity_price": 0.5})
    assert p.electricity_price == 0.5 and p.bbu_per_site == value("bbu_per_site")


@dataclass
class _FakePlanner:
    """Planner stand-in: sites = 100 x edge rate / 100 Mbit/s; counts its plans."""

    planned: list[str] = field(default_factory=list)

    def case(self, ov):
        cfg = _Cfg(ov.get("edge_dl_mbps", 100.0))
        return cfg, (lambda records: records), f"edge{cfg.edge:g}"

    def plan(self, cfg, label):
        self.planned.append(label)
        return {"cities": [{"sites": cfg.edge}]}

    @staticmethod
    def economics(records, cfg, params):
        sites = sum(r["sites"] for r in records)
        return {"national": {"sites": sites, "tco": sites * params.bbu_per_site}}


@dataclass(frozen=True)
class _Cfg:
    edge: float

    def model_dump_json(self) -> str:
        return f'{{"edge": {self.edge}}}'


def test_plan_evaluator_plans_each_configuration_once():
    fake = _FakePlanner()
    evaluate = plan_evaluator(fake.case, fake.plan, fake.economics)
    base = {"unit_cost_scale": 1.0, "edge_dl_mbps": 100.0}
    df = one_at_a_time(evaluate, inputs_from_base(base))
    # unit costs x0.8/x1.2 reuse the base plan; the edge rate x0.5/x2 plans 50 and 200
    assert sorted(fake.planned) == ["edge100", "edge200", "edge50"]
    row = df.set_index("input").loc["unit_cost_scale"]
    # 100 sites x 40,000 CNY x 0.8 / x 1.2
    assert row["tco_low"] == pytest.approx(100 * 0.8 * value("bbu_per_site"))
    assert row["tco_high"] == pytest.approx(100 * 1.2 * value("bbu_per_site"))
    edge = df.set_index("input").loc["edge_dl_mbps"]
    assert (edge["sites_low"], edge["sites_high"]) == (50.0, 200.0)


def test_resolve_scheduler(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert resolve_scheduler(" auto ", 3) == "processes"
    assert resolve_scheduler("AUTO", 1) == "serial"  # one task: no pool
    assert resolve_scheduler("tcp://h:8786", 3) == "tcp://h:8786"
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert resolve_scheduler("auto", 3) == "serial"  # one core
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert resolve_scheduler("auto", 3) == "serial"
