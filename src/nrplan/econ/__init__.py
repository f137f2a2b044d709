"""Economics and energy of a plan: cost, energy, adoption, roll-out and sensitivity.

Submodules
----------
- :mod:`nrplan.econ.defaults` — every default with value, unit, year, currency,
  source and status.
- :mod:`nrplan.econ.cost` — capex, opex, TCO (NPV), unit costs, shared RAN.
- :mod:`nrplan.econ.energy` — load-dependent site power with energy-saving features.
- :mod:`nrplan.econ.adoption` — Bass / logistic diffusion, traffic per user.
- :mod:`nrplan.econ.rollout` — monotone multi-year roll-out over a planner callable.
- :mod:`nrplan.econ.sensitivity` — one-at-a-time sensitivity and tornado chart.
- :mod:`nrplan.econ.published` — published 2020 figures a plan's bill is checked against.
- :mod:`nrplan.econ.uncertainty` — parameter covariance and bootstrap intervals of a fit.
- :mod:`nrplan.econ.industrial_internet` — the embedded industrial-internet series and
  the September 2020 forecast checked against them.
"""

from __future__ import annotations

from nrplan.econ.adoption import AdoptionModel, fit_adoption, forecast
from nrplan.econ.cost import CostParams, CostResult, SiteCounts, city_cost, sum_costs
from nrplan.econ.energy import SavingParams, SiteEnergy, site_energy
from nrplan.econ.rollout import YearPlan, YearTarget, rollout
from nrplan.econ.sensitivity import one_at_a_time

__all__ = [
    "AdoptionModel",
    "CostParams",
    "CostResult",
    "SavingParams",
    "SiteCounts",
    "SiteEnergy",
    "YearPlan",
    "YearTarget",
    "city_cost",
    "fit_adoption",
    "forecast",
    "one_at_a_time",
    "rollout",
    "site_energy",
    "sum_costs",
]
