"""Reports of a plan: the self-contained HTML report, run comparison, KMZ export.

- :func:`write_report` — ``report.html`` of a run directory (maps, KPIs, CDFs,
  assumptions with sources), one file with everything embedded.
- :func:`compare_runs` / :func:`write_compare_html` — side-by-side KPIs and
  costs of several runs.
- :func:`write_kmz` — ``sites.kmz`` for Google Earth: a placemark per site and
  an RSRP ground overlay per city.
"""

from __future__ import annotations

from nrplan.report.compare import compare_runs, write_compare_html
from nrplan.report.html import render_report, write_report
from nrplan.report.kml import write_kmz
from nrplan.report.rundata import RunData, load_run

__all__ = [
    "RunData",
    "compare_runs",
    "load_run",
    "render_report",
    "write_compare_html",
    "write_kmz",
    "write_report",
]
