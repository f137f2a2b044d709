"""Regions, projections and the embedded China dataset.

``nrplan.geo.china`` (embedded units and settlements), ``nrplan.geo.region``
(:class:`Region`, reading user files), ``nrplan.geo.projection`` (local UTM),
``nrplan.geo.world`` (GeoNames regions for any country, optional extra).
"""

from nrplan.geo.projection import local_crs
from nrplan.geo.region import (
    Region,
    china_region,
    china_regions,
    read_population_points,
    region_from_file,
    regions_from_file,
)

__all__ = [
    "Region",
    "china_region",
    "china_regions",
    "local_crs",
    "read_population_points",
    "region_from_file",
    "regions_from_file",
]
