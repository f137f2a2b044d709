"""Pure radio models of nrplan: 3GPP propagation, antennas, bands, link budget, NR rates.

Re-exports the public API listed in ``docs/architecture.md``; each submodule
documents its models and the 3GPP tables they implement.
"""

from __future__ import annotations

from .antenna import (
    ANTENNA_PROFILES,
    AntennaProfile,
    PatternParams,
    column_gain,
    element_horizontal,
    element_pattern,
    element_vertical,
    get_antenna,
    local_angles,
    parametric_pattern,
    sector_gain,
)
from .bands import BANDS, Band, get_band
from .linkbudget import (
    LinkBudget,
    link_budget,
    max_cell_range,
    max_path_loss,
    re_power_dbm,
    rsrp_dbm,
    sinr_db,
    thermal_noise_dbm,
)
from .los import los_probability
from .nr import (
    CQI_TABLES,
    MCS_TABLES,
    TddPattern,
    n_prb,
    numerology,
    peak_rate_mbps,
    required_sinr_db,
    spectral_efficiency,
    user_rate_mbps,
)
from .o2i import indoor_distance, o2i_loss, o2i_sigma
from .pathloss import (
    SCENARIOS,
    breakpoint_distance,
    pathloss,
    pathloss_los,
    pathloss_nlos,
    shadow_sigma,
)
from .shadowing import correlated_field, decorrelation_distance

__all__ = [
    "ANTENNA_PROFILES",
    "BANDS",
    "CQI_TABLES",
    "MCS_TABLES",
    "SCENARIOS",
    "AntennaProfile",
    "Band",
    "LinkBudget",
    "PatternParams",
    "TddPattern",
    "breakpoint_distance",
    "column_gain",
    "correlated_field",
    "decorrelation_distance",
    "element_horizontal",
    "element_pattern",
    "element_vertical",
    "get_antenna",
    "get_band",
    "indoor_distance",
    "link_budget",
    "local_angles",
    "los_probability",
    "max_cell_range",
    "max_path_loss",
    "n_prb",
    "numerology",
    "o2i_loss",
    "o2i_sigma",
    "parametric_pattern",
    "pathloss",
    "pathloss_los",
    "pathloss_nlos",
    "peak_rate_mbps",
    "re_power_dbm",
    "required_sinr_db",
    "rsrp_dbm",
    "sector_gain",
    "shadow_sigma",
    "sinr_db",
    "spectral_efficiency",
    "thermal_noise_dbm",
    "user_rate_mbps",
]
