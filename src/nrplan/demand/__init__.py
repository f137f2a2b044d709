"""Demand: population -> 5G users -> busy-hour traffic per pixel, and morphology.

See :func:`build_demand`; defaults with sources in :mod:`nrplan.demand.defaults`.
"""

from nrplan.demand.build import (
    EXTENTS,
    Demand,
    DemandParams,
    build_demand,
    demand_totals,
    population_from_raster,
    write_demand_rasters,
)
from nrplan.demand.defaults import (
    COVERAGE_SCOPES,
    DEMAND_DEFAULTS,
    CoverageScope,
    coverage_scope,
    defaults_for_year,
    defaults_table,
)
from nrplan.demand.footprints import FootprintModel
from nrplan.demand.traffic import busy_hour_mbps_per_user

__all__ = [
    "COVERAGE_SCOPES",
    "DEMAND_DEFAULTS",
    "EXTENTS",
    "CoverageScope",
    "Demand",
    "DemandParams",
    "FootprintModel",
    "build_demand",
    "busy_hour_mbps_per_user",
    "coverage_scope",
    "defaults_for_year",
    "defaults_table",
    "demand_totals",
    "population_from_raster",
    "write_demand_rasters",
]
