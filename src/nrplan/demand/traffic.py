"""Busy-hour traffic per user from monthly data volume.

References
----------
Busy-hour dimensioning as in operator planning practice: monthly volume per
user spread over the busy days of the month, then the busy-hour share of a
day's traffic (https://the8layers.com/2016/10/19/network-planning-101-busy-hour-busy-day/);
defaults in :mod:`nrplan.demand.defaults` (sources in ``docs/sources.md``).
"""

from __future__ import annotations

import numpy as np

from nrplan.errors import check_range
from nrplan.units import MBIT_PER_GB

__all__ = ["MBIT_PER_GB", "busy_hour_mbps_per_user"]


def busy_hour_mbps_per_user(
    dou_gb,
    busy_hour_share,
    busy_days_per_month,
    dou_factor=1.0,
):
    """Mean busy-hour offered traffic of one user [Mbps].

    ``R = DOU * f * 8000 / D * s / 3600``: the monthly volume (``DOU`` [GB]
    times the 5G-user factor ``f``) in Mbit, spread over ``D`` busy days,
    of which a share ``s`` falls in the busy hour of 3,600 s.

    Parameters
    ----------
    dou_gb : array_like
        Mobile data per user per month [GB].
    busy_hour_share : array_like
        Share of a busy day's traffic in the busy hour [0-1].
    busy_days_per_month : array_like
        Busy days per month [days], 1..31.
    dou_factor : array_like
        Multiplier on ``dou_gb`` (e.g. a 5G user's traffic relative to the
        average) [-].

    Returns
    -------
    ndarray
        Busy-hour traffic per user [Mbps].

    Notes
    -----
    Example: 10.35 GB x 1.237 x 8000 / 22 x 0.08 / 3600 = 0.1035 Mbps.
    """
    check_range("dou_gb", dou_gb, 0.0, unit="GB/month")
    check_range("busy_hour_share", busy_hour_share, 0.0, 1.0)
    check_range("busy_days_per_month", busy_days_per_month, 1.0, 31.0, unit="days")
    check_range("dou_factor", dou_factor, 0.0)
    mbit_month = np.asarray(dou_gb, dtype=float) * np.asarray(dou_factor, dtype=float) * MBIT_PER_GB
    return mbit_month / np.asarray(busy_days_per_month, dtype=float) * busy_hour_share / 3600.0
