"""Economic and energy defaults: a view of the registry :mod:`nrplan.defaults`.

Every default (value, unit, year, source, status tag) lives in
:data:`nrplan.defaults.DEFAULTS`, with its sources described in
``docs/sources.md``; this module re-exports the registry under its historical
name so ``from nrplan.econ.defaults import value`` keeps working.
"""

from __future__ import annotations

from nrplan.defaults import (
    ALLOW_IMPLAUSIBLE_ENV,
    DEFAULTS,
    PLAUSIBLE,
    PRICE_YEAR,
    STATUSES,
    Default,
    check_plausible,
    default,
    defaults_table,
    value,
    year_value,
)

__all__ = [
    "ALLOW_IMPLAUSIBLE_ENV",
    "DEFAULTS",
    "PLAUSIBLE",
    "PRICE_YEAR",
    "STATUSES",
    "Default",
    "check_plausible",
    "default",
    "defaults_table",
    "value",
    "year_value",
]
