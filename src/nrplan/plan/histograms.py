"""Histogram bin edges of the user samples, shared by the planner and the report.

A leaf module (NumPy only): :mod:`nrplan.plan.measure` fills histograms on
these edges, :mod:`nrplan.plan.national` reads national percentiles from them
and :mod:`nrplan.report.plots` draws their CDFs.
"""

from __future__ import annotations

import numpy as np

__all__ = ["HIST_EDGES"]

#: Histogram bin edges of the user samples (national percentiles are read from them).
HIST_EDGES = {
    "ss_sinr_db": np.arange(-20.0, 40.01, 0.25),
    "ss_sinr_outdoor_db": np.arange(-20.0, 40.01, 0.25),
    "pdsch_sinr_db": np.arange(-20.0, 40.01, 0.25),
    "dl_mbps": np.concatenate([np.arange(0.0, 200.0, 1.0), np.arange(200.0, 5001.0, 10.0)]),
    "ul_mbps": np.concatenate([np.arange(0.0, 50.0, 0.1), np.arange(50.0, 1001.0, 2.0)]),
}
