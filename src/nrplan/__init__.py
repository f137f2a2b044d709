"""nrplan: open 5G NR radio network planning, from one city to a whole nation.

The public Python API (loaded on first use, so ``import nrplan`` stays light):

Planning (:mod:`nrplan.api`)
    :func:`plan_region` plans one region in memory and returns a
    :class:`RegionResult` (KPIs as a :class:`CityResult`, sectors, per-pixel
    rasters on their grid, economics); :func:`plan_regions` plans many into a
    run directory and returns its :class:`RunSummary`; :func:`load_run` and
    :func:`load_region` read a run directory back into the same objects.
    :class:`PlanConfig` holds the plan settings.
Regions (:mod:`nrplan.geo.region`)
    :func:`china_region`, :func:`china_regions` (prefecture-level cities of
    China), :func:`regions_from_file` (a user's polygons).
Prediction (:mod:`nrplan.engine.predict`)
    :func:`predict`: best server, RSRP, SINR, rates and coverage on a grid.
Radio (:mod:`nrplan.radio`)
    :func:`pathloss` (3GPP TR 38.901 Table 7.4.1-1), :func:`link_budget`
    (maximum path loss and cell range for edge-rate targets),
    :func:`peak_rate_mbps` (TS 38.306 4.1.2).

Example
-------
>>> import nrplan
>>> res = nrplan.plan_region("Jiayuguan")  # doctest: +SKIP
>>> res.city.sites, res.rasters["sinr"].shape == res.grid.shape  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it (imported on first access).
_LAZY: dict[str, str] = {
    "CityResult": "nrplan.plan.records",
    "PlanConfig": "nrplan.plan.config",
    "RegionResult": "nrplan.api",
    "RunSummary": "nrplan.plan.records",
    "china_region": "nrplan.geo.region",
    "china_regions": "nrplan.geo.region",
    "link_budget": "nrplan.radio.linkbudget",
    "load_region": "nrplan.api",
    "load_run": "nrplan.api",
    "pathloss": "nrplan.radio.pathloss",
    "peak_rate_mbps": "nrplan.radio.nr",
    "plan_region": "nrplan.api",
    "plan_regions": "nrplan.api",
    "predict": "nrplan.engine.predict",
    "regions_from_file": "nrplan.geo.region",
}

__all__ = [
    "CityResult",
    "PlanConfig",
    "RegionResult",
    "RunSummary",
    "__version__",
    "china_region",
    "china_regions",
    "link_budget",
    "load_region",
    "load_run",
    "pathloss",
    "peak_rate_mbps",
    "plan_region",
    "plan_regions",
    "predict",
    "regions_from_file",
]

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ loads them
    from nrplan.api import RegionResult, load_region, load_run, plan_region, plan_regions
    from nrplan.engine.predict import predict
    from nrplan.geo.region import china_region, china_regions, regions_from_file
    from nrplan.plan.config import PlanConfig
    from nrplan.plan.records import CityResult, RunSummary
    from nrplan.radio.linkbudget import link_budget
    from nrplan.radio.nr import peak_rate_mbps
    from nrplan.radio.pathloss import pathloss


def __getattr__(name: str) -> Any:
    """Load a public name's module on first access (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nrplan' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
