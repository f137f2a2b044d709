"""Unit conversions used across nrplan, in one place (a leaf module: no nrplan imports).

Data volumes are decimal (SI): 1 GB = 1e9 byte = 8e9 bit = 8,000 Mbit;
1 PB = 1e6 GB (the MIIT traffic statistics are in decimal GB).
"""

from __future__ import annotations

__all__ = ["GB_PER_MBIT", "GB_PER_PB", "MBIT_PER_GB", "gb_to_mbit", "mbit_to_gb"]

#: Megabits per (decimal) gigabyte: 1 GB = 1e9 byte x 8 bit / 1e6 = 8,000 Mbit.
MBIT_PER_GB = 8000.0

#: Gigabytes per megabit (1 / :data:`MBIT_PER_GB`).
GB_PER_MBIT = 1.0 / MBIT_PER_GB

#: Gigabytes per (decimal) petabyte.
GB_PER_PB = 1e6


def gb_to_mbit(gb):
    """Data volume in GB -> Mbit (x 8,000); scalars or NumPy arrays."""
    return gb * MBIT_PER_GB


def mbit_to_gb(mbit):
    """Data volume in Mbit -> GB (/ 8,000); scalars or NumPy arrays."""
    return mbit * GB_PER_MBIT
