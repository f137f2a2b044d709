"""The run report: one self-contained ``report.html`` per run directory.

The file carries everything it shows — PNG images as ``data:`` URIs, inline
CSS, a small inline vanilla-JS table sorter — and a Content-Security-Policy
that forbids any request to another resource, so it opens offline and can be
mailed as is. Sections:

1. national page: map of the planned units (sites per km^2, area coverage),
   the national KPI table (with economics when the summary has them) and the
   definition of each KPI (what it is measured over: outdoor / indoor / all
   users, SS-SINR at full SSB load or PDSCH SINR at the planning load), the
   ISD per morphology class, the limiting-target breakdown and a sortable
   ranking of the cities;
2. economics (when present), roll-out years and sensitivity (when the run
   directory has ``rollout.csv`` / ``sensitivity.csv``, and their PNGs);
3. one section per city (the largest ``max_cities`` by sites, or all): the
   city's KPI table, dimensioned vs planned ISD per class with the limiting
   target, the dimensioning (ISD per target), maps (best server, users
   covered, SS-RSRP, SS-SINR, PDSCH SINR, DL / UL rate of the median outdoor
   user) and CDFs over the users (SS-SINR, PDSCH SINR, user rates);
4. assumptions: every model, band, antenna, morphology, target and default,
   with its source.

A run of several networks over the same cities (``--operators china-2020``:
China Mobile on n41 and the China Telecom + China Unicom shared RAN on n78)
shows its networks (label, operators, user share, bands) in the run info, the
national KPIs and economics with one column per network and a ``total``
column, the ISD per class of each network, a ``network`` column in the city
tables, and per city its networks' KPIs side by side followed by one
sub-section per network (its own rasters, sites, ISD and dimensioning).

Every KPI cell carries ``data-key`` (its key in ``summary.json``) and
``data-value`` (the unrounded number) so tools and tests can check the
rendered table against the summary.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd

from nrplan.demand.defaults import defaults_table as demand_defaults_table
from nrplan.econ.defaults import defaults_table as econ_defaults_table
from nrplan.errors import NrplanInputError, check_range
from nrplan.io.atomic import write_text_atomic
from nrplan.morphology import DENSITY_ORDER, MORPHOLOGIES
from nrplan.plan.dimension import ISD_LIMITS_M
from nrplan.plan.records import (
    CityResult,
    EconomicsSummary,
    NationalKpis,
    as_city_result,
    economics_unit,
)
from nrplan.radio.antenna import ANTENNA_PROFILES
from nrplan.radio.bands import BANDS
from nrplan.report import maps, plots
from nrplan.report.freshness import is_fresh, key_file, report_key
from nrplan.report.rundata import (
    RunData,
    fmt_num,
    is_num,
    load_run,
    load_text,
    ordinal,
    read_city_rasters,
)

__all__ = [
    "CITY_KPIS",
    "LIMITING_TARGETS",
    "NATIONAL_KPIS",
    "Kpi",
    "html_page",
    "is_legacy_record",
    "kpi_specs",
    "render_report",
    "table_html",
    "write_report",
]

#: A KPI row: (key in the record, label, unit shown, decimals, scale applied to the value).
#: Labels may hold ``{load}`` (the planning load, e.g. ``50 %``) and ``{edge}`` (the
#: edge percentile, e.g. ``5th``); :func:`kpi_specs` fills them in.
Kpi = tuple[str, str, str, int, float]

#: A city record: typed, or a ``summary.json`` entry (read as :class:`CityResult`).
_City = TypeVar("_City", CityResult, dict[str, Any])

_PCT = {"p5": "5th percentile", "p50": "median", "p95": "95th percentile"}


def _pcts(prefix: str, what: str, unit: str, dec: int, qs=("p5", "p50", "p95")) -> list[Kpi]:
    return [(f"{prefix}_{q}", f"{what}, {_PCT[q]}", unit, dec, 1.0) for q in qs]


_SS_ALL = "SS-SINR, full SSB load, all users"
_SS_OUT = "SS-SINR, full SSB load, outdoor users"
_SS_IN = "SS-SINR, full SSB load, indoor users"
_PDSCH = "PDSCH SINR at {load} planning load, covered users"
_DL = "DL user rate at busy-hour load, covered users"
_UL = "UL user rate at busy-hour load, covered users"

#: Coverage KPIs (what each share is of), national and per city.
_COVERAGE_KPIS: tuple[Kpi, ...] = (
    (
        "area_coverage",
        "area coverage: in-scope area where an outdoor user is covered",
        "%",
        2,
        100.0,
    ),
    ("population_coverage", "outdoor users covered", "%", 2, 100.0),
    (
        "indoor_population_coverage",
        "indoor users covered (low- and high-loss buildings, from the macro sites)",
        "%",
        2,
        100.0,
    ),
    ("user_coverage", "all users covered (outdoor and indoor)", "%", 2, 100.0),
)

_EDGE_FAIL_KPIS: tuple[Kpi, ...] = (
    ("edge_dl_fail_share", "covered users below the DL edge-rate target", "%", 2, 100.0),
    ("edge_ul_fail_share", "covered users below the UL edge-rate target", "%", 2, 100.0),
)

_SINR_KPIS: tuple[Kpi, ...] = (
    *_pcts("sinr", _SS_ALL, "dB", 1),
    *_pcts("ss_sinr_outdoor", _SS_OUT, "dB", 1),
    ("ss_sinr_indoor_p50", f"{_SS_IN}, median", "dB", 1, 1.0),
    *_pcts("pdsch_sinr", _PDSCH, "dB", 1),
)

#: Cell-edge rates; ``{edge}`` is the targets' edge percentile (5th by default).
_EDGE_RATE_KPIS: tuple[Kpi, ...] = (
    ("edge_dl_mbps", "cell-edge DL rate ({edge} percentile of covered users, busy-hour load)",
     "Mbit/s", 1, 1.0),
    ("edge_ul_mbps", "cell-edge UL rate ({edge} percentile of covered users, busy-hour load)",
     "Mbit/s", 2, 1.0),
)  # fmt: skip

NATIONAL_KPIS: tuple[Kpi, ...] = (
    ("cities", "cities planned", "", 0, 1.0),
    ("cities_meeting_targets", "cities meeting all targets", "", 0, 1.0),
    ("sites", "sites", "", 0, 1.0),
    ("sites_both_operators", "sites, both operators (separate networks)", "", 0, 1.0),
    ("sectors", "sectors (cells)", "", 0, 1.0),
    ("new_sites", "new sites", "", 0, 1.0),
    ("reused_sites", "reused sites", "", 0, 1.0),
    ("target_area_km2", "target (in-scope) area", "km²", 1, 1.0),
    ("target_population", "target population", "people", 0, 1.0),
    ("users", "5G users of the planned network", "users", 0, 1.0),
    ("busy_hour_dl_gbps", "busy-hour DL traffic offered", "Gbit/s", 3, 1.0),
    ("sites_per_km2", "site density over the target area", "sites/km²", 3, 1.0),
    *_COVERAGE_KPIS,
    *_EDGE_RATE_KPIS,
    *_EDGE_FAIL_KPIS,
    *_SINR_KPIS,
    *_pcts("dl", _DL, "Mbit/s", 1),
    *_pcts("ul", _UL, "Mbit/s", 2),
    ("load_mean", "busy-hour PRB load, mean over sectors", "%", 2, 100.0),
    ("load_max", "busy-hour PRB load, most loaded sector", "%", 2, 100.0),
)

CITY_KPIS: tuple[Kpi, ...] = (
    ("sites", "sites", "", 0, 1.0),
    ("sectors", "sectors (cells)", "", 0, 1.0),
    ("new_sites", "new sites", "", 0, 1.0),
    ("reused_sites", "reused sites", "", 0, 1.0),
    ("pruned_sites", "sites pruned", "", 0, 1.0),
    ("region_area_km2", "administrative area", "km²", 0, 1.0),
    ("target_area_km2", "target (in-scope) area", "km²", 2, 1.0),
    ("target_population", "target population", "people", 0, 1.0),
    ("users", "5G users of the planned network", "users", 0, 1.0),
    ("busy_hour_dl_mbps", "busy-hour DL traffic offered", "Mbit/s", 1, 1.0),
    ("busy_hour_ul_mbps", "busy-hour UL traffic offered", "Mbit/s", 1, 1.0),
    ("sites_per_km2", "site density over the target area", "sites/km²", 3, 1.0),
    *_COVERAGE_KPIS,
    *_EDGE_RATE_KPIS,
    *_EDGE_FAIL_KPIS,
    *_SINR_KPIS,
    *_pcts("dl", _DL, "Mbit/s", 1),
    *_pcts("ul", _UL, "Mbit/s", 2),
    ("load_mean", "busy-hour PRB load, mean over sectors", "%", 2, 100.0),
    ("load_p95", "busy-hour PRB load, 95th percentile of sectors", "%", 2, 100.0),
    ("load_max", "busy-hour PRB load, most loaded sector", "%", 2, 100.0),
    ("overloaded_sectors", "sectors above the load limit (busy hour)", "", 0, 1.0),
    ("iterations", "refinement iterations", "", 0, 1.0),
)

#: Labels of runs written before the KPIs were measured over users (their SINR and
#: rate percentiles were over covered in-scope pixels, coverage over pixels).
_LEGACY_LABELS: dict[str, str] = {
    "area_coverage": "area coverage (older run: share of outdoor in-scope pixels)",
    "population_coverage": "population coverage, outdoor (older run)",
    "indoor_population_coverage": "population coverage, indoor (older run)",
    "edge_dl_mbps": "cell-edge DL rate (older run: covered in-scope pixels)",
    "edge_ul_mbps": "cell-edge UL rate (older run: covered in-scope pixels)",
    **{
        f"{p}_{q}": f"{what} (older run: covered in-scope pixels), {_PCT[q]}"
        for p, what in (
            ("sinr", "SINR"),
            ("dl", "DL user rate at busy-hour load"),
            ("ul", "UL user rate at busy-hour load"),
        )
        for q in ("p5", "p50", "p95")
    },
}

#: Keys only runs measured over users have (their absence marks an older run).
_USER_KPI_KEYS = ("kpi_definitions", "user_coverage", "pdsch_sinr_p50", "ss_sinr_outdoor_p50")


def is_legacy_record(record: CityResult | NationalKpis) -> bool:
    """True for a national / city record of a run from before the user-based KPIs.

    A record read from ``summary.json`` says which keys its entry had
    (``has``); a record built in memory is never legacy.
    """
    return not any(record.has(k) for k in _USER_KPI_KEYS)


class KpiRecord(Protocol):
    """What a KPI table reads: the keys a record has and their values (by their
    ``summary.json`` key; :class:`CityResult`, :class:`NationalKpis`, :class:`_Rows`)."""

    def has(self, key: str) -> bool: ...

    def value(self, key: str) -> Any: ...


@dataclass(frozen=True)
class _Rows:
    """A KPI record of table rows: ``extra`` values (e.g. ``economics.tco``) over
    those of ``record`` (none: only ``extra``)."""

    extra: dict[str, Any]
    record: KpiRecord | None = None

    def has(self, key: str) -> bool:
        return key in self.extra or (self.record is not None and self.record.has(key))

    def value(self, key: str) -> Any:
        if key in self.extra:
            return self.extra[key]
        return self.record.value(key) if self.record is not None else None


def kpi_specs(
    spec: Sequence[Kpi],
    planning_load: float | None = None,
    edge_percentile: float | None = None,
    legacy: bool = False,
) -> list[Kpi]:
    """``spec`` with ``{load}`` / ``{edge}`` filled in (``legacy``: older run's labels)."""
    ctx = {"load": load_text(planning_load), "edge": ordinal(edge_percentile, "5th")}
    out = []
    for key, label, unit, dec, scale in spec:
        if legacy and key in _LEGACY_LABELS:
            label = _LEGACY_LABELS[key]
        out.append((key, label.format(**ctx), unit, dec, scale))
    return out


#: Ranking table columns: (key, header, decimals, scale); "%" columns are scaled x100.
RANKING_COLUMNS: tuple[tuple[str, str, int | None, float], ...] = (
    ("name", "city", None, 1.0),
    ("name_zh", "name (zh)", None, 1.0),
    ("province_en", "province", None, 1.0),
    ("sites", "sites", 0, 1.0),
    ("sectors", "sectors", 0, 1.0),
    ("target_area_km2", "target area [km²]", 1, 1.0),
    ("target_population", "target population", 0, 1.0),
    ("sites_per_km2", "sites / km²", 2, 1.0),
    ("area_coverage", "area cov., outdoor user [%]", 1, 100.0),
    ("population_coverage", "outdoor users cov. [%]", 1, 100.0),
    ("indoor_population_coverage", "indoor users cov. [%]", 1, 100.0),
    ("user_coverage", "all users cov. [%]", 1, 100.0),
    ("sinr_p50", "SS-SINR p50, all users [dB]", 1, 1.0),
    ("pdsch_sinr_p50", "PDSCH SINR p50 [dB]", 1, 1.0),
    ("edge_dl_mbps", "cell-edge DL [Mbit/s]", 1, 1.0),
    ("dl_p50", "DL p50 [Mbit/s]", 0, 1.0),
    ("edge_ul_mbps", "cell-edge UL [Mbit/s]", 2, 1.0),
    ("load_max", "max busy-hour load [%]", 1, 100.0),
    ("targets_met", "targets met", None, 1.0),
    ("limiting", "limiting target", None, 1.0),
)

#: What each dimensioning target (``limiting`` value) means.
LIMITING_TARGETS: dict[str, str] = {
    "coverage-outdoor": "outdoor area / outdoor users covered (SS-RSRP at the cell edge)",
    "coverage-indoor": "indoor users covered (SS-RSRP after the O2I loss)",
    "uplink": "covered users below the UL edge rate at most the edge percentile",
    "downlink": "covered users below the DL edge rate at most the edge percentile",
    "capacity": "each site carries its busy-hour traffic at the load limit",
}

#: Columns of the per-class dimensioning table (the ISD per target come between).
_DIM_HEAD = (
    ("name", "class", None),
    ("band", "band", None),
    ("scenario", "scenario", None),
    ("area_km2", "area [km²]", 2),
)
_DIM_TAIL = (
    ("coverage_isd_m", "coverage ISD [m]", 0),
    ("capacity_isd_m", "capacity ISD [m]", 0),
    ("isd_m", "dimensioned ISD [m]", 0),
    ("limiting", "limiting target", None),
    ("cell_range_m", "cell range [m]", 0),
    ("sites_estimate", "sites (est.)", 1),
)
#: Range fields of older runs' dimensioning records (shown when present).
_DIM_LEGACY = (
    ("range_rsrp_m", "range SS-RSRP outdoor [m] (older run)", 0),
    ("range_rsrp_indoor_m", "range SS-RSRP indoor [m] (older run)", 0),
    ("range_dl_m", "range DL [m] (older run)", 0),
    ("range_ul_m", "range UL [m] (older run)", 0),
)
_TARGET_ORDER = ("coverage-outdoor", "coverage-indoor", "uplink", "downlink")

#: Morphology classes from the densest to the sparsest (table order).
_CLASS_ORDER = ("urban_core", "dense_urban", "urban", "suburban", "rural")

_CSS = """
:root{--fg:#1d1d1f;--mut:#5f6368;--line:#d0d4d9;--bg:#fff;--acc:#2c5d8a;--alt:#f5f7f9}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
header{background:#24323f;color:#fff;padding:14px 24px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#c9d3dc;font-size:13px}
nav{position:sticky;top:0;background:#eef2f5;border-bottom:1px solid var(--line);padding:6px 24px;
z-index:2;font-size:13px}
nav a{margin-right:14px;color:var(--acc);text-decoration:none}
main{padding:8px 24px 40px;max-width:1280px}
h2{border-bottom:2px solid var(--acc);padding-bottom:3px;margin-top:34px}
h3{margin-top:26px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 8px;vertical-align:top}
thead th{background:#e8edf2;text-align:left}
tbody tr:nth-child(even){background:var(--alt)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.src{font-size:12px;color:var(--mut);max-width:640px}
table.sortable thead th{cursor:pointer;user-select:none;white-space:nowrap}
table.sortable thead th::after{content:" \\2195";color:#9aa5b1}
table.sortable thead th[aria-sort=ascending]::after{content:" \\25B2";color:var(--fg)}
table.sortable thead th[aria-sort=descending]::after{content:" \\25BC";color:var(--fg)}
.kpi th{text-align:left;font-weight:normal}
.grid2{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
figure{margin:8px 0}
.tw{max-width:100%;overflow-x:auto}
figure img{max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{font-size:12px;color:var(--mut)}
.note{color:#8a4b00;background:#fff6e5;border-left:3px solid #e0a030;padding:4px 10px}
.muted{color:var(--mut)}
th .sub{display:block;font-weight:normal;font-size:11px;color:var(--mut);max-width:220px}
td.total,th.total{font-weight:600}
details summary{cursor:pointer;color:var(--acc)}
"""

_JS = """
(function () {
  "use strict";
  function cellKey(td) {
    var v = td.getAttribute("data-sort");
    return v === null ? td.textContent.trim() : v;
  }
  function sortBy(table, th, col) {
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (c) {
      c.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[col]), y = cellKey(b.cells[col]);
      if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
      var r = (isFinite(x) && isFinite(y)) ? parseFloat(x) - parseFloat(y)
        : String(x).localeCompare(String(y));
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.tabIndex = 0;
      th.title = "sort";
      th.addEventListener("click", function () { sortBy(table, th, col); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, col); }
      });
    });
  });
})();
"""

#: Forbids every request except the inline style/script and data: images.
_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)

_MAX_TABLE_ROWS = 500


# -- HTML building blocks --------------------------------------------------------------
def _e(v: Any) -> str:
    return html.escape(str(v), quote=True)


def _sort_value(v: Any, scale: float = 1.0) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if is_num(v):
        return repr(float(v) * scale)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v).lower()


def _cell(v: Any, decimals: int | None = None, scale: float = 1.0) -> str:
    if isinstance(v, bool):
        return f'<td data-sort="{int(v)}">{"yes" if v else "no"}</td>'
    if is_num(v) or (isinstance(v, (float, np.floating)) and not math.isfinite(float(v))):
        return (
            f'<td class="num" data-sort="{_e(_sort_value(v, scale))}">'
            f"{_e(fmt_num(v, decimals, scale))}</td>"
        )
    if v is None:
        return '<td data-sort="">-</td>'
    if isinstance(v, (dict, list, tuple)):
        v = json.dumps(v, ensure_ascii=False, default=str)
    return f'<td data-sort="{_e(_sort_value(v))}">{_e(v)}</td>'


def table_html(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sortable: bool = False,
    table_id: str | None = None,
    src_cols: Sequence[int] = (),
) -> str:
    """An HTML table; numbers right-aligned and formatted, sortable on request."""
    cls = ' class="sortable"' if sortable else ""
    tid = f' id="{_e(table_id)}"' if table_id else ""
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for i, row in enumerate(rows):
        if i >= _MAX_TABLE_ROWS:
            body.append(
                f'<tr><td colspan="{len(columns)}" class="muted">'
                f"... truncated at {_MAX_TABLE_ROWS} rows</td></tr>"
            )
            break
        cells = []
        for j, v in enumerate(row):
            c = _cell(v)
            if j in src_cols:
                c = c.replace("<td", '<td class="src"', 1)
            cells.append(c)
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="tw"><table{cls}{tid}><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _kpi_table(
    record: KpiRecord, spec: Sequence[Kpi], table_id: str, extra: Sequence[Kpi] = ()
) -> str:
    rows = []
    for key, label, unit, dec, scale in (*spec, *extra):
        if not record.has(key):
            continue
        v = record.value(key)
        shown = fmt_num(v, dec, scale) if (is_num(v) or v is None) else _e(v)
        raw = repr(float(v)) if is_num(v) else ""
        rows.append(
            f'<tr data-key="{_e(key)}"><th>{_e(label)}</th>'
            f'<td class="num" data-value="{_e(raw)}">{_e(shown)}</td><td>{_e(unit)}</td></tr>'
        )
    return (
        f'<table class="kpi" id="{_e(table_id)}"><thead><tr><th>KPI</th><th>value</th>'
        f"<th>unit</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _columns_kpi_table(
    columns: Sequence[tuple[str, str, KpiRecord]],
    spec: Sequence[Kpi],
    table_id: str,
) -> str:
    """A KPI table with one value column per record: ``columns`` are (name, sub-label,
    record); the last one named ``total`` is set in bold. A row is shown when any
    record has its key; each value cell carries ``data-network`` (the column's name)
    and ``data-value`` (the unrounded number)."""
    heads = []
    for name, sub, _ in columns:
        cls = ' class="total"' if name == "total" else ""
        sub_html = f'<span class="sub">{_e(sub)}</span>' if sub else ""
        heads.append(f'<th data-network="{_e(name)}"{cls}>{_e(name)}{sub_html}</th>')
    rows = []
    for key, label, unit, dec, scale in spec:
        if not any(rec.has(key) for _, _, rec in columns):
            continue
        cells = []
        for name, _, rec in columns:
            v = rec.value(key)
            if is_num(v) or v is None or isinstance(v, float):
                shown = fmt_num(v, dec, scale)
            elif isinstance(v, (list, tuple)):
                shown = ", ".join(str(x) for x in v)
            else:
                shown = str(v)
            raw = repr(float(v)) if is_num(v) else ""
            cls = "num total" if name == "total" else "num"
            cells.append(
                f'<td class="{cls}" data-network="{_e(name)}" data-value="{_e(raw)}">'
                f"{_e(shown)}</td>"
            )
        rows.append(
            f'<tr data-key="{_e(key)}"><th>{_e(label)}</th>{"".join(cells)}<td>{_e(unit)}</td></tr>'
        )
    return (
        f'<div class="tw"><table class="kpi" id="{_e(table_id)}"><thead><tr><th>KPI</th>'
        f"{''.join(heads)}"
        f"<th>unit</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _img(uri: str | None, alt: str, caption: str = "") -> str:
    if not uri:
        return f'<p class="muted">{_e(alt)}: nothing to plot.</p>'
    cap = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{uri}" alt="{_e(alt)}">{cap}</figure>'


def html_page(title: str, subtitle: str, nav: Sequence[tuple[str, str]], body: str) -> str:
    """A complete self-contained HTML page with the report's CSS, JS and CSP."""
    links = "".join(f'<a href="#{_e(a)}">{_e(t)}</a>' for a, t in nav)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(subtitle)}</p></header>"
        f"<nav>{links}</nav><main>{body}</main>"
        f"<script>{_JS}</script></body></html>\n"
    )


# -- economics -------------------------------------------------------------------------
def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out |= _flatten(v, f"{key}.")
        else:
            out[key] = v
    return out


#: Economics entries shown first (and in the national KPI table) when present.
ECONOMICS_HEADLINE = (
    "capex_total",
    "opex_total",
    "opex_total_per_year",
    "tco",
    "tco_per_operator",
    "energy_kwh_per_year",
    "energy.kwh_per_year",
    "energy.co2_t_per_year",
)

#: Per-city economics columns (when present), in this order.
ECONOMICS_CITY_COLUMNS = (
    "sites",
    "capex_total",
    "opex_total",
    "opex_total_per_year",
    "tco",
    "cost_per_km2",
    "cost_per_person",
    "cost_per_gb",
    "energy_kwh_per_year",
    "energy.kwh_per_year",
    "energy.co2_t_per_year",
)

#: Economics entries that repeat national KPIs (not shown twice).
_ECO_SKIP = ("cities", "sites", "sectors")


def economics_spec(key: str, currency: str = "", sample: Any = None) -> Kpi:
    """How to show one (flattened) economics entry: (key, label, unit, decimals, scale).

    The unit comes from :func:`nrplan.plan.records.economics_unit` (the explicit
    unit of each entry); it is shown as: money (``capex``, ``opex``, ``tco``,
    ``*cost*_per_year``) in millions of the currency (``usd.*`` in USD), energy
    per year in GWh/year, shares in %, ``cost_per_<x>`` in currency per x.
    Entries of no known unit are shown as plain numbers.
    """
    cur = "USD" if key.startswith("usd.") else currency
    label = " ".join(p.replace("_", " ") for p in key.split(".")).replace("tco", "TCO")
    unit = economics_unit(key)
    if unit is None or unit == "-":
        dec = 2 if is_num(sample) and abs(float(sample)) < 100 else 0
        return (key, label, "", dec, 1.0)
    if "{currency}" in unit:
        return _money_spec(key, label, unit, cur)
    if unit == "kWh/year":
        if not label.startswith("energy"):
            label = "energy " + label
        return (key, label.replace("kwh ", "").replace("  ", " "), "GWh/year", 3, 1e-6)
    if unit == "kWh/GB":
        return (key, label.replace("kwh ", ""), "kWh/GB", 3, 1.0)
    if unit == "fraction":
        return (key, label, "%", 1, 100.0)
    shown = _ECO_SHOWN.get(unit, (unit, 0))
    label = label.replace("co2 t", "CO2") if unit == "t/year" else label
    return (key, label, shown[0], shown[1], 1.0)


#: Display unit and decimals of the non-money economics units.
_ECO_SHOWN = {
    "t/year": ("t/year", 1),
    "W": ("W", 0),
    "GB/year": ("GB/year", 0),
    "km2": ("km²", 2),
    "people": ("people", 0),
}


def _money_spec(key: str, label: str, unit: str, currency: str) -> Kpi:
    """Money: totals in millions (per year when the unit says so), unit costs as they are."""
    per = unit.split("/", 1)[1] if "/" in unit else ""
    if per in ("", "year"):
        shown = f"M {currency}".strip() + ("/year" if per else "")
        return (key, label, shown, 3, 1e-6)
    return (key, label, f"{currency}/{per}".strip("/"), 2, 1.0)


def economics_kpis(eco_national: dict[str, Any], currency: str = "") -> list[tuple[Kpi, Any]]:
    """KPI rows ``(spec, value)`` for the numeric entries of an economics section.

    Nested dicts are flattened to dotted keys; headline entries
    (:data:`ECONOMICS_HEADLINE`) come first; counts that repeat the national
    KPIs are left out. See :func:`economics_spec` for units.
    """
    flat = _flatten(eco_national)
    cur = currency or str(flat.get("currency", "") or "")
    first = [k for k in ECONOMICS_HEADLINE if k in flat]
    keys = first + [k for k in flat if k not in first and k not in _ECO_SKIP]
    rows: list[tuple[Kpi, Any]] = []
    for k in keys:
        v = flat[k]
        if isinstance(v, bool) or not (is_num(v) or v is None or isinstance(v, float)):
            continue
        rows.append((economics_spec(k, cur, v), v))
    return rows


def _economics_section(run: RunData, eco: EconomicsSummary) -> str:
    nat, cur = eco.national_entries(), eco.currency
    parts = []
    if run.multi_network:
        parts.append(_networks_economics_html(run, eco))
    else:
        rows = economics_kpis(nat, cur)
        if rows:
            rec = _Rows({spec[0]: v for spec, v in rows})
            parts.append(_kpi_table(rec, [s for s, _ in rows], "economics-kpis"))
    parts.append(_validation_2020_html(nat))
    per_city = eco.cities
    if isinstance(per_city, dict):
        per_city = [{"city": k, **v} for k, v in per_city.items() if isinstance(v, dict)]
    if isinstance(per_city, list) and per_city:
        recs = [_flatten(r) for r in per_city if isinstance(r, dict)]
        cols = [c for c in ECONOMICS_CITY_COLUMNS if any(c in r for r in recs)]
        specs = [economics_spec(c, cur) for c in cols]
        recs.sort(key=lambda r: -(r.get("sites") or 0) if is_num(r.get("sites")) else 0)
        with_net = run.multi_network and any("network" in r for r in recs)
        if with_net:  # each city's networks together, as in the ranking
            order = {c.key: i for i, c in enumerate(_city_order(run))}
            recs.sort(key=lambda r: order.get(str(r.get("key") or r.get("city")), len(order)))
        body = []
        for r in recs:
            cells = [_cell(r.get("name") or r.get("key") or r.get("city"))]
            if with_net:
                cells.append(_cell(r.get("network")))
            cells += [_cell(r.get(k), dec, sc) for k, _, _, dec, sc in specs]
            body.append("<tr>" + "".join(cells) + "</tr>")
        head = "<th>city</th>" + ("<th>network</th>" if with_net else "")
        head += "".join(
            f"<th>{_e(lab)}{f' [{_e(u)}]' if u else ''}</th>" for _, lab, u, _, _ in specs
        )
        parts.append("<h3>Economics by city</h3>")
        parts.append(
            f'<div class="tw"><table class="sortable" id="economics-cities"><thead><tr>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    for k, v in eco.to_dict().items():  # the section's own scalars (currency, rates)
        if k in ("national", "cities") or not isinstance(v, (str, int, float)):
            continue
        parts.append(f'<p class="muted">{_e(k)}: {_e(v)}</p>')
    if run.multi_network and eco.warnings:
        parts += [f'<p class="note">{_e(w)}</p>' for w in eco.warnings]
    return "".join(parts)


def _validation_2020_html(nat: dict[str, Any]) -> str:
    """Capex and energy per site next to the published 2020 figures (when the run has them).

    Rows from ``economics.national.validation_2020``
    (:func:`nrplan.econ.published.validation_rows`); validation, not a fit.
    """
    rows = nat.get("validation_2020")
    if not isinstance(rows, list) or not rows:
        return ""
    body = []
    for r in rows:
        if not isinstance(r, dict):
            continue
        lo, hi = r.get("published_low"), r.get("published_high")

        def dec(x: Any) -> int:
            return 2 if is_num(x) and abs(float(x)) < 100 else 0

        pub = fmt_num(lo, dec(lo))
        if is_num(lo) and is_num(hi) and lo != hi:
            pub = f"{pub}-{fmt_num(hi, dec(hi))}"
        v = r.get("nrplan")
        body.append(
            "<tr>"
            + _cell(r.get("figure"))
            + _cell(r.get("unit"))
            + _cell(v, dec(v))
            + f"<td>{_e(pub)}</td>"
            + _cell(r.get("ratio"), 2)
            + _cell(f"{r.get('source', '')}; {r.get('note', '')}")
            + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("figure", "unit", "nrplan", "published 2020", "nrplan / published", "source")
    )
    return (
        "<h3>Against the published 2020 figures (validation, not a fit)</h3>"
        f'<div class="tw"><table id="economics-validation-2020"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _networks_economics_html(run: RunData, eco: EconomicsSummary) -> str:
    """The national economics with one column per network and a total column."""
    nat, cur = eco.national_entries(), eco.currency
    cols: list[tuple[str, str, KpiRecord]] = []
    specs: dict[str, Kpi] = {}
    sources = []
    for name in run.network_names:
        e = eco.network_economics(name)
        if e is None:
            e = run.network(name).economics
        sources.append((name, run.network_label(name), e))
    sources.append(("total", "all networks", nat))
    for name, label, e in sources:
        rec = {}
        for spec, v in economics_kpis(e, cur):
            rec[spec[0]] = v
            specs.setdefault(spec[0], spec)
        cols.append((name, label, _Rows(rec)))
    head = [k for k in ECONOMICS_HEADLINE if k in specs]
    order = head + [k for k in specs if k not in head]
    return (
        "<h3>Economics by network</h3>"
        + _columns_kpi_table(cols, [specs[k] for k in order], "economics-networks")
        + '<p class="muted">total: the networks\' bills added; the unit costs (per km², '
        "person, GB) are the total over the networks' common scope.</p>"
    )


# -- sections --------------------------------------------------------------------------
def _meta_section(run: RunData) -> str:
    s = run.records
    rows = [
        ("run directory", str(run.path.resolve())),
        ("command", s.command or "-"),
        ("created (UTC)", s.created_utc or "-"),
        ("nrplan version", s.nrplan_version or "-"),
        ("scenario year", s.value("year", "-")),
        ("scenario (operators)", s.value("operators", "-")),
        ("operator share of users", s.value("operator_share", "-")),
        ("seed", s.value("seed", "-")),
        ("wall time [s]", s.timings_s.get("wall_s", "-")),
        ("platform", s.value("platform", "-")),
    ]
    note = run.national.note
    extra = f'<p class="note">{_e(note)}</p>' if note else ""
    return table_html(["field", "value"], rows, table_id="run-info") + extra + _networks_table(run)


def _networks_table(run: RunData) -> str:
    """The networks of the run: label, operators, user share, bands, sites, sectors."""
    names = run.network_names
    if not names:
        return ""  # a run from before networks
    rows = []
    for name in names:
        net = run.network(name)
        nat = run.network_national(name)
        share = net.value("user_share")
        rows.append(
            [
                name,
                net.value("label"),
                ", ".join(str(o) for o in net.operators) or None,
                _r(100.0 * share, 1) if is_num(share) else None,
                ", ".join(str(b) for b in net.bands) or None,
                nat.value("sites"),
                nat.value("sectors"),
            ]
        )
    head = "<h3>Networks</h3>"
    if len(names) > 1:
        head += (
            f'<p class="muted">Scenario {_e(run.records.value("operators", "-"))}: {len(names)} '
            "networks planned independently over the same cities, each with its operators' "
            "share of the mobile users on its own band; the totals add their sites and "
            "costs.</p>"
        )
    return head + table_html(
        [
            "network",
            "label",
            "operators",
            "share of mobile users [%]",
            "bands",
            "sites",
            "sectors",
        ],
        rows,
        table_id="networks",
    )


#: Rows of the per-network national table before the KPIs.
_NETWORK_ROWS: tuple[Kpi, ...] = (
    ("user_share", "share of the mobile users carried", "%", 1, 100.0),
    ("bands", "band of the macro layers", "", 0, 1.0),
)


def _network_columns(run: RunData) -> tuple[list[tuple[str, str, KpiRecord]], list[Kpi]]:
    """Columns of the per-network national table, each network then ``total``, and the
    economics rows (``economics.<key>``, the headline entries) they carry."""
    eco = run.economics
    cur = eco.currency if eco is not None else ""
    eco_specs: dict[str, Kpi] = {}

    def with_economics(rec: dict[str, Any], nat_eco: dict[str, Any] | None) -> dict[str, Any]:
        if nat_eco is not None:
            for spec, v in economics_kpis(nat_eco, cur):
                if spec[0] in ECONOMICS_HEADLINE:
                    key = f"economics.{spec[0]}"
                    rec[key] = v
                    eco_specs.setdefault(key, (key, *spec[1:]))
        return rec

    cols: list[tuple[str, str, KpiRecord]] = []
    shares: list[Any] = []
    bands: list[str] = []
    for name in run.network_names:
        net = run.network(name)
        nb = [str(b) for b in net.bands]
        rec: dict[str, Any] = {
            "user_share": net.value("user_share"),
            "bands": ", ".join(nb) or None,
        }
        bands += [b for b in nb if b not in bands]
        shares.append(net.value("user_share"))
        nat_eco = eco.network_economics(name) if eco is not None else None
        rec = with_economics(rec, nat_eco or net.economics)
        cols.append((name, run.network_label(name), _Rows(rec, run.network_national(name))))
    total: dict[str, Any] = {
        "user_share": float(sum(shares)) if shares and all(is_num(x) for x in shares) else None,
        "bands": ", ".join(bands) or None,
    }
    total = with_economics(total, eco.national_entries() if eco is not None else None)
    cols.append(("total", "all networks", _Rows(total, run.national)))
    order = {k: i for i, k in enumerate(ECONOMICS_HEADLINE)}
    specs = sorted(eco_specs.values(), key=lambda sp: order.get(sp[0].split(".", 1)[1], 99))
    return cols, specs


def _networks_national_html(run: RunData) -> str:
    """The national KPIs with one column per network and a total column."""
    cols, eco_specs = _network_columns(run)
    spec = [*_NETWORK_ROWS, *kpi_specs(NATIONAL_KPIS, run.planning_load), *eco_specs]
    return (
        "<h3>National KPIs by network</h3>"
        + _columns_kpi_table(cols, spec, "national-networks")
        + '<p class="muted">total: sites, sectors, users, traffic and costs are the sums of '
        "the networks; the target area and population their common scope; coverage, SINR "
        "and rate KPIs are over the users of all networks and the mean load over their "
        "sectors, each network weighted by its share of the users; a city meets the targets "
        "when every network does there. Money in millions of the currency.</p>"
    )


def _map_records(run: RunData) -> list[CityResult]:
    """City records for the national map: with several networks one per city, its
    sites summed over the networks and its area coverage the user-share-weighted
    mean (as the national total)."""
    if not run.multi_network:
        return run.city_results
    shares = {n: run.network(n).value("user_share") for n in run.network_names}
    by_id: dict[str, list[CityResult]] = {}
    for c in run.city_results:
        by_id.setdefault(c.city_id, []).append(c)
    out = []
    for cid, recs in by_id.items():
        sites = float(sum(r.sites for r in recs))
        area = max(
            (r.target_area_km2 for r in recs if math.isfinite(r.target_area_km2)), default=0.0
        )
        num = den = 0.0
        for r in recs:
            w = shares.get(r.network)
            w = float(w) if is_num(w) else 1.0
            if math.isfinite(r.area_coverage_share):
                num += w * r.area_coverage_share
                den += w
        out.append(
            CityResult(
                city_id=cid,
                name=recs[0].name,
                sites=int(sites),
                sites_per_km2=sites / area if area > 0 else math.nan,
                area_coverage_share=num / den if den > 0 else math.nan,
            )
        )
    return out


def _national_section(run: RunData) -> str:
    nat = run.national
    eco_rows = []
    eco = run.economics
    if eco is not None:
        for spec, v in economics_kpis(eco.national_entries(), eco.currency):
            if spec[0] in ECONOMICS_HEADLINE:
                eco_rows.append((f"economics.{spec[0]}", v, spec))
    rows: dict[str, Any] = {}
    extra: list[Kpi] = []
    for key, v, spec in eco_rows:
        rows[key] = v
        extra.append((key, spec[1], spec[2], spec[3], spec[4]))
    record = _Rows(rows, nat)
    legacy = is_legacy_record(nat)
    spec = kpi_specs(NATIONAL_KPIS, run.planning_load, None, legacy)
    caption = (
        "Planned prefecture units (grey: other units of China). Hatched/x: no target area. "
        "Area coverage: share of the in-scope area where an outdoor user is covered."
    )
    if run.multi_network:
        caption += (
            " All networks: sites summed over the networks; area coverage the mean of the "
            "networks weighted by their share of the users."
        )
    parts = [
        '<h2 id="national">National summary</h2>',
        _img(maps.national_map(_map_records(run)), "map of the planned units", caption),
    ]
    if run.multi_network:
        parts += [_networks_national_html(run), _definitions_html(run, legacy)]
        parts.append(_networks_isd_html(run))
    else:
        parts += [
            "<h3>National KPIs</h3>",
            _kpi_table(record, spec, "national-kpis", extra),
            _definitions_html(run, legacy),
            _national_isd_html(nat.isd_by_class),
        ]
    parts.append(_limiting_html(run))
    return "".join(parts)


def _limiting_html(run: RunData) -> str:
    """The limiting targets: (city, class) pairs per target (per network and in total
    with several networks)."""
    parts = []
    limiting = run.national.limiting_factor_counts
    parts.append('<h3 id="limiting-factors">Limiting factors</h3>')
    if limiting:
        total = sum(v for v in limiting.values() if is_num(v)) or 1
        names = run.network_names if run.multi_network else []
        per_net = {
            n: nn.limiting_factor_counts if nn.has("limiting_factor_counts") else None
            for n, nn in ((n, run.network_national(n)) for n in names)
        }
        rows = [
            (
                k,
                LIMITING_TARGETS.get(k, ""),
                *[per_net[n].get(k, 0) if per_net[n] is not None else None for n in names],
                v,
                100.0 * v / total if is_num(v) else None,
            )
            for k, v in sorted(limiting.items(), key=lambda kv: -(kv[1] or 0))
        ]
        parts.append(
            '<p class="muted">The target that sets the dimensioned ISD of each (city, '
            "morphology class) pair: the smallest of the coverage ISDs (largest ISD meeting "
            "each target in the single-site budget) and the capacity ISD.</p>"
        )
        parts.append('<div class="grid2">')
        counts = [f"{n}: (city, class) pairs" for n in names]
        parts.append(
            table_html(
                [
                    "limiting target",
                    "meaning",
                    *counts,
                    "(city, class) pairs" + (", all networks" if names else ""),
                    "share [%]",
                ],
                rows,
                table_id="limiting",
            )
        )
        parts.append(_img(plots.limiting_figure(limiting), "limiting factors"))
        parts.append("</div>")
    else:
        parts.append('<p class="muted">No dimensioning records.</p>')
    return "".join(parts)


def _definitions_html(run: RunData, legacy: bool) -> str:
    """``kpi_definitions`` of summary.json (what each KPI is measured over), or a note."""
    defs = run.national.kpi_definitions
    load = load_text(run.planning_load)
    loads = (
        f"The PDSCH SINR is taken with the neighbours at {load} planning load "
        "(config.link.planning_load, a planning assumption); the rates and the load_* KPIs "
        "are at the busy-hour load the plan's traffic puts on its sectors."
    )
    if defs:
        rows = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in defs.items()]
        return (
            '<h4 id="kpi-definitions-head">What each KPI is measured over</h4>'
            + table_html(["KPI", "definition"], rows, table_id="kpi-definitions")
            + f'<p class="muted">{_e(loads)}</p>'
        )
    if legacy:
        return (
            '<p class="muted">Older run (no KPI definitions in summary.json): coverage is over '
            "the target (in-scope) area and population; SINR and rate percentiles over covered "
            "in-scope pixels; load is the busy-hour PRB load.</p>"
        )
    return f'<p class="muted">{_e(loads)}</p>'


def _class_key(name: str) -> tuple[int, str]:
    order = [MORPHOLOGIES[c].name for c in DENSITY_ORDER] + list(_CLASS_ORDER)
    return (order.index(name) if name in order else len(order), name)


def _networks_isd_html(run: RunData) -> str:
    """The national ISD per morphology class of each network."""
    parts = ['<h3 id="isd">Inter-site distance by morphology class, per network</h3>']
    for name in run.network_names:
        isd = run.network_national(name).isd_by_class
        parts.append(
            _national_isd_html(
                isd,
                table_id=f"isd-by-class-{name}",
                head=f"<h4>{_e(name)}: {_e(run.network_label(name))}</h4>",
                note=False,
            )
        )
    return "".join(parts) + _ISD_NOTE


def _national_isd_html(
    isd: Any,
    table_id: str = "isd-by-class",
    head: str = '<h3 id="isd">Inter-site distance by morphology class</h3>',
    note: bool = True,
) -> str:
    if not isinstance(isd, dict) or not isd:
        return head + '<p class="muted">No ISD by class in summary.json (older run).</p>'
    rows = []
    for name in sorted(isd, key=_class_key):
        v = isd[name] if isinstance(isd[name], dict) else {}
        rows.append(
            [
                name,
                _r(v.get("planned_m")),
                _r(v.get("city_min_m")),
                _r(v.get("city_max_m")),
                v.get("sites"),
                _r(v.get("area_km2"), 2),
            ]
        )
    return (
        head
        + table_html(
            [
                "class",
                "planned ISD [m]",
                "city range: min [m]",
                "city range: max [m]",
                "sites",
                "area [km²]",
            ],
            rows,
            table_id=table_id,
        )
        + (_ISD_NOTE if note else "")
    )


_ISD_NOTE = (
    '<p class="muted">Planned ISD: the hexagonal-lattice ISD the planned site density '
    "of the class's in-scope area implies, sqrt(2 A / (sqrt(3) n)), over all cities; "
    "the city range is over the cities with sites in the class.</p>"
)


def _city_order(run: RunData) -> list[CityResult]:
    """The city records, largest first by sites; with several networks, the cities by
    their sites over all networks, each one's networks together in the run's order."""
    cities = list(run.city_results)
    if not run.multi_network:
        cities.sort(key=lambda c: -c.sites)
        return cities
    totals: dict[str, int] = {}
    for c in cities:
        totals[c.city_id] = totals.get(c.city_id, 0) + c.sites
    names = run.network_names
    cities.sort(
        key=lambda c: (
            -totals[c.city_id],
            c.city_id,
            names.index(c.network) if c.network in names else 99,
        )
    )
    return cities


def _ranking_section(run: RunData, shown: set[str]) -> str:
    cities = _city_order(run)
    multi = run.multi_network
    eco = run.city_economics()
    eco_cols = [
        k
        for k in ("capex_total", "opex_total", "opex_total_per_year", "tco")
        if any(k in v for v in eco.values())
    ]
    columns = list(RANKING_COLUMNS)
    if multi:
        columns.insert(1, ("network", "network", None, 1.0))
    cols = ["#", *(h for _, h, _, _ in columns)]
    cur = run.economics.currency if run.economics is not None else ""
    cols += [f"{k.replace('_', ' ')} [M {cur}]".replace(" ]", "]") for k in eco_cols]
    body = []
    for i, c in enumerate(cities, 1):
        cells = [f'<td class="num" data-sort="{i}">{i}</td>']
        for key, _, dec, scale in columns:
            if key == "limiting":
                cells.append(_cell(", ".join(sorted(set(c.limiting.values()))) or None))
            elif key == "name" and c.key in shown:
                cells.append(
                    f'<td data-sort="{_e(c.name.lower())}">'
                    f'<a href="#city-{_e(c.key)}">{_e(c.name)}</a></td>'
                )
            else:
                cells.append(_cell(c.value(key), dec, scale))
        e = eco.get(c.key) or ({} if multi else eco.get(c.city_id)) or {}
        for k in eco_cols:
            cells.append(_cell(e.get(k), 1, 1e-6))
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in cols)
    note = (
        " One row per city and network; the cities ordered by their sites over all networks."
        if multi
        else ""
    )
    return (
        '<h3 id="ranking">Cities ranked by sites</h3>'
        f'<p class="muted">Click a column header to sort.{note}</p>'
        f'<div class="tw"><table class="sortable" id="ranking-table"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _csv_table(path: Path, table_id: str) -> str:
    try:
        df = pd.read_csv(path)
    except (OSError, ValueError) as exc:  # a broken side file must not break the report
        return f'<p class="note">{_e(path.name)} could not be read: {_e(exc)}</p>'
    return table_html(
        list(df.columns), df.itertuples(index=False, name=None), sortable=True, table_id=table_id
    )


def _png_file(path: Path, alt: str) -> str:
    if not path.is_file():
        return ""
    return _img(plots.png_to_data_uri(path.read_bytes()), alt)


def _years_section(run: RunData) -> str:
    parts = []
    roll = run.path / "rollout.csv"
    if roll.is_file() or (run.path / "rollout.png").is_file():
        parts.append('<h2 id="years">Roll-out by year</h2>')
        if roll.is_file():
            parts.append(_csv_table(roll, "rollout-table"))
        parts.append(_png_file(run.path / "rollout.png", "roll-out chart"))
    sens = run.path / "sensitivity.csv"
    if sens.is_file() or (run.path / "tornado.png").is_file():
        parts.append('<h2 id="sensitivity">Sensitivity</h2>')
        if sens.is_file():
            parts.append(_csv_table(sens, "sensitivity-table"))
        parts.append(_png_file(run.path / "tornado.png", "tornado chart"))
    return "".join(parts)


def _city_name(city: CityResult) -> str:
    """The city's name (its key when the record has no name)."""
    return city.name if city.has("name") else city.key


def _city_title(city: CityResult) -> str:
    title = _city_name(city)
    if city.attr("name_zh"):
        title += f" ({city.attr('name_zh')})"
    if city.attr("province_en"):
        title += f", {city.attr('province_en')}"
    return title


def _city_group_section(run: RunData, recs: Sequence[CityResult]) -> str:
    """One city of a several-network run: its networks' KPIs side by side, then a
    section per network (maps, CDFs, ISD, dimensioning)."""
    first = recs[0]
    cid = first.city_id if first.has("id") else first.key
    spec = kpi_specs(CITY_KPIS, run.planning_load, run.edge_percentile)
    cols: list[tuple[str, str, KpiRecord]] = [
        (c.network, run.network_label(c.network), c) for c in recs
    ]
    parts = [
        f'<section><h3 id="city-{_e(cid)}">{_e(_city_title(first))}</h3>',
        "<h4>KPIs by network</h4>",
        _columns_kpi_table(cols, spec, f"kpis-{cid}-networks"),
    ]
    parts += [_city_section(run, c, level=4) for c in recs]
    parts.append("</section>")
    return "".join(parts)


def _city_section(run: RunData, city: CityResult, level: int = 3) -> str:
    key = city.key
    name = _city_name(city)
    title = _city_title(city)
    if level > 3 or (run.multi_network and city.network):
        net = city.network
        title = f"{name} — {net}: {run.network_label(net)}"
        name = f"{name} ({net})"
    h, sub = f"h{level}", f"h{level + 1}"
    parts = [f'<section><{h} id="city-{_e(key)}">{_e(title)}</{h}>']
    for label, text in (("shortfall", city.shortfall), ("note", city.note)):
        if text:
            parts.append(f'<p class="note">{_e(label)}: {_e(text)}</p>')
    rasters = None
    err = ""
    try:
        rasters = read_city_rasters(run.raster_dir(city))
    except NrplanInputError as exc:  # corrupt raster: report it, keep going
        err = f"rasters could not be read: {exc}"
    hist = run.checkpoint_hist(key) or city.hist
    spec = kpi_specs(CITY_KPIS, run.planning_load, run.edge_percentile, is_legacy_record(city))
    if level > 3:  # the KPIs are in the city's table by network
        parts.append(_city_isd_html(city, key, sub))
    else:
        parts.append('<div class="grid2"><div>')
        parts.append(_kpi_table(city, spec, f"kpis-{key}"))
        parts.append("</div><div>")
        parts.append(_city_isd_html(city, key, sub))
        parts.append("</div></div>")
    parts.append(_dimensioning_html(city, key, sub))
    if rasters is not None:
        parts.append(
            _img(
                maps.city_maps(city, rasters, run.sectors(), run.planning_load, title=name),
                f"{name} maps",
                "Planning grid decimated for display; white = not predicted. Per pixel: its "
                "median outdoor user (SS-RSRP, SS-SINR at full SSB load, PDSCH SINR at the "
                "planning load, rates at the busy-hour load); coverage: covered share of all "
                "its users, indoor included.",
            )
        )
    else:
        parts.append(f'<p class="muted">{_e(err or "No rasters for this city.")}</p>')
    lay = rasters.layers if rasters is not None else {}
    if hist or lay:
        parts.append(
            _img(
                plots.cdf_figure(
                    name,
                    lay.get("sinr"),
                    lay.get("dl_mbps"),
                    lay.get("ul_mbps"),
                    hist=hist or None,
                    pdsch=lay.get("pdsch_sinr"),
                    planning_load=run.planning_load,
                    edge_percentile=run.edge_percentile,
                ),
                f"{name} CDFs",
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _r(v: Any, decimals: int = 0) -> Any:
    """``v`` rounded for a table cell (an int for 0 decimals); non-numbers unchanged."""
    if not is_num(v):
        return v
    return round(float(v)) if decimals == 0 else round(float(v), decimals)


def _city_isd_html(city: CityResult, key: str, sub: str = "h4") -> str:
    """Dimensioned vs planned ISD per morphology class, and the limiting target."""
    isd = city.isd_by_class
    dims = {str(d.get("name")): d for d in city.dimensioning if isinstance(d, dict)}
    limiting = city.limiting
    if not isd:
        if not dims:
            return ""
        isd = {n: {"dimensioned_m": d.get("isd_m")} for n, d in dims.items()}  # older run
    rows = []
    for name in sorted(isd, key=_class_key):
        v = isd[name] if isinstance(isd[name], dict) else {}
        lim = limiting.get(name) or (dims.get(name) or {}).get("limiting")
        rows.append(
            [
                name,
                _r(v.get("dimensioned_m")),
                _r(v.get("planned_m")),
                v.get("sites"),
                _r(v.get("area_km2"), 2),
                lim,
            ]
        )
    return (
        f"<{sub}>ISD by morphology class</{sub}>"
        + table_html(
            [
                "class",
                "dimensioned ISD [m]",
                "planned ISD [m]",
                "sites",
                "area [km²]",
                "limiting target",
            ],
            rows,
            table_id=f"isd-{key}",
        )
        + '<p class="muted">Dimensioned: the nominal layout\'s ISD (the smaller of the '
        "coverage and capacity ISDs); planned: the hexagonal-lattice ISD of the final plan's "
        "site density in the class's in-scope area.</p>"
    )


def _dim_cell(d: dict[str, Any], key: str, decimals: int | None) -> Any:
    return d.get(key) if decimals is None else _r(d.get(key), decimals)


def _dimensioning_html(city: CityResult, key: str, sub: str = "h4") -> str:
    """The dimensioning records: the ISD each target allows, coverage / capacity ISD."""
    dims = [d for d in city.dimensioning if isinstance(d, dict)]
    if not dims:
        return ""
    targets: list[str] = []
    for d in dims:
        for t in d.get("isd_by_target") or {}:
            if t not in targets:
                targets.append(str(t))
    targets.sort(key=lambda t: (_TARGET_ORDER.index(t) if t in _TARGET_ORDER else 99, t))
    legacy = [c for c in _DIM_LEGACY if any(c[0] in d for d in dims)]
    cols = [*_DIM_HEAD, *_DIM_TAIL, *legacy]
    head = [h for _, h, _ in _DIM_HEAD]
    head += [f"ISD {t} [m]" for t in targets]
    head += [h for _, h, _ in (*_DIM_TAIL, *legacy)]
    rows = []
    for d in dims:
        by = d.get("isd_by_target") if isinstance(d.get("isd_by_target"), dict) else {}
        row = [_dim_cell(d, k, dec) for k, _, dec in _DIM_HEAD]
        row += [_r(by.get(t)) for t in targets]
        row += [_dim_cell(d, k, dec) for k, _, dec in cols[len(_DIM_HEAD) :]]
        rows.append(row)
    try:
        cap = f" {fmt_num(ISD_LIMITS_M[1], 0)} m is the largest ISD a layout uses (never limiting)."
    except Exception:
        cap = ""
    return (
        f"<{sub}>Dimensioning by morphology class</{sub}>"
        + table_html(head, rows, table_id=f"dimensioning-{key}")
        + '<p class="muted">ISD per target: the largest ISD meeting it in the single-site '
        "budget over the users of a site area (coverage-outdoor, coverage-indoor: SS-RSRP; "
        "uplink / downlink: edge rates); the coverage ISD is their minimum, the capacity ISD "
        f"carries the busy-hour traffic at the load limit.{_e(cap)}</p>"
    )


def _used_bands(run: RunData) -> tuple[set[str], set[str]]:
    cfg = run.records.config
    bands: set[str] = set()
    antennas: set[str] = set()
    net_bands = {str(b) for n in run.networks.values() for b in n.bands}
    if run.multi_network and net_bands:
        bands = net_bands  # each network moves the configured n78 layers to its band
    else:
        for layer in (cfg.get("layers") or {}).values():
            if isinstance(layer, dict) and layer.get("band"):
                bands.add(str(layer["band"]))
        if run.records.operators == "shared" and "n78" in bands:
            bands.add("n78-shared")
        bands |= net_bands
    for c in run.city_results:
        bands |= {str(b) for b in c.sectors_by_band}
        antennas |= {str(a) for a in c.sectors_by_antenna}
    return bands, antennas


def _assumptions_section(run: RunData) -> str:
    s = run.records
    parts = ['<h2 id="assumptions">Assumptions and sources</h2>']
    models = s.models
    parts.append("<h3>Models</h3>")
    plain = {k: v for k, v in models.items() if k not in ("prediction", "morphology")}
    if plain:
        parts.append(
            table_html(["model", "setting / source"], _flatten(plain).items(), table_id="models")
        )
    else:
        parts.append('<p class="muted">Not recorded in summary.json.</p>')
    pred = models.get("prediction")
    if isinstance(pred, dict) and pred:
        parts.append("<h3>Prediction settings used</h3>")
        parts.append(
            table_html(["setting", "value"], _flatten(pred).items(), table_id="prediction")
        )
    morph = models.get("morphology")
    if isinstance(morph, dict) and morph:
        parts.append(_morphology_html(morph))
    cfg = s.config
    targets = cfg.get("targets")
    parts.append("<h3>Targets</h3>")
    if isinstance(targets, dict):
        parts.append(table_html(["target", "value"], targets.items(), table_id="targets"))
    link = cfg.get("link")
    if isinstance(link, dict) and link:
        parts.append("<h3>Link values</h3>")
        parts.append(
            '<p class="muted">planning_load: the load at which the neighbours interfere '
            "with the PDSCH (the PDSCH SINR); not the busy-hour load of the load_* KPIs.</p>"
        )
        parts.append(table_html(["value", "setting"], _flatten(link).items(), table_id="link"))
    layers = cfg.get("layers")
    if isinstance(layers, dict) and layers:
        parts.append("<h3>Layers by morphology class</h3>")
        keys = sorted({k for v in layers.values() if isinstance(v, dict) for k in v})
        rows = [
            [name, *[(v or {}).get(k) for k in keys]]
            for name, v in sorted(layers.items(), key=lambda kv: _class_key(kv[0]))
        ]
        parts.append(table_html(["class", *keys], rows))
        if run.multi_network:
            moved = ", ".join(
                f"{n}: {', '.join(str(b) for b in run.network(n).bands)}" for n in run.network_names
            )
            parts.append(
                '<p class="muted">The layers as configured; each network puts the layers '
                f"configured on n78 on its own band ({_e(moved)}).</p>"
            )
    other = {
        k: v for k, v in _flatten(cfg).items() if not k.startswith(("targets.", "layers.", "link."))
    }
    if other:
        parts.append("<h3>Other plan settings</h3>")
        parts.append(table_html(["setting", "value"], other.items()))
    used_bands, used_ant = _used_bands(run)
    parts.append(_library_tables(used_bands, used_ant, s.value("year"), morphology=not morph))
    if run.multi_network:
        parts.append(_networks_demand_html(run))
    else:
        demand = next((c.demand for c in run.city_results if c.has("demand")), None)
        if demand:
            parts.append("<h3>Demand parameters used (first planned city)</h3>")
            parts.append(table_html(["parameter", "value"], demand.items()))
    if s.has("versions"):
        parts.append("<h3>Software versions</h3>")
        parts.append(table_html(["package", "version"], s.versions.items()))
    return "".join(parts)


def _networks_demand_html(run: RunData) -> str:
    """The demand parameters of each network's first planned city, side by side."""
    firsts: dict[str, dict[str, Any]] = {}
    for c in run.city_results:
        if c.has("demand"):
            firsts.setdefault(c.network, c.demand)
    names = [n for n in run.network_names if n in firsts]
    if not names:
        return ""
    keys: list[str] = []
    for n in names:
        keys += [str(k) for k in firsts[n] if str(k) not in keys]
    rows = [[k, *[firsts[n].get(k) for n in names]] for k in keys]
    return "<h3>Demand parameters used (first planned city of each network)</h3>" + table_html(
        ["parameter", *names], rows, table_id="demand-networks"
    )


def _morphology_html(morph: dict[str, Any]) -> str:
    """The morphology table the planner used (``summary.json`` models.morphology)."""
    keys: list[str] = []
    for v in morph.values():
        for k in v if isinstance(v, dict) else ():
            if k != "source" and k not in keys:
                keys.append(k)
    names = sorted(morph, key=_class_key)
    rows = [
        [n, *[(morph[n] or {}).get(k) for k in keys], (morph[n] or {}).get("source", "")]
        for n in names
        if isinstance(morph[n], dict)
    ]
    return (
        "<h3>Morphology classes used by the planner</h3>"
        + table_html(
            ["class", *keys, "source"], rows, src_cols=(len(keys) + 1,), table_id="morphologies"
        )
        + '<p class="muted">indoor_share: share of the users indoors; high_loss_share: share '
        "of the indoor users in high-loss buildings (TR 38.901 O2I); h_ut_indoor_m: mean "
        "height of the indoor users (outdoor users at 1.5 m).</p>"
    )


def _library_tables(
    used_bands: set[str], used_ant: set[str], year: Any, morphology: bool = True
) -> str:
    """Bands, antennas, morphologies (when ``morphology``), demand and cost defaults
    from the library."""
    used_ant = used_ant | {b.antenna for b in BANDS.values() if b.name in used_bands}
    parts = [_bands_table(used_bands), _antennas_table(used_ant)]
    if morphology:  # else the run's own table is shown
        parts.append(_morphologies_table())
    parts += [_demand_defaults_table(year), _cost_defaults_table()]
    return "".join(parts)


def _bands_table(used_bands: set[str]) -> str:
    """The library's bands, the run's marked as used."""
    rows = [
        [
            b.name,
            "yes" if b.name in used_bands else "no",
            b.f_c_ghz,
            ", ".join(f"{c:g}" for c in b.carriers_mhz or ()),
            b.duplex,
            b.tdd_pattern,
            b.power_dbm,
            b.antenna,
            b.source,
        ]
        for b in BANDS.values()
    ]
    head = [
        "band",
        "used",
        "f_c [GHz]",
        "carriers [MHz]",
        "duplex",
        "TDD pattern",
        "power [dBm]",
        "antenna",
        "source",
    ]
    return "<h3>Bands</h3>" + table_html(head, rows, src_cols=(8,), table_id="bands")


def _antennas_table(used_ant: set[str]) -> str:
    """The library's antenna profiles, the run's marked as used."""
    rows = [
        [
            a.name,
            "yes" if a.name in used_ant else "no",
            a.description,
            a.ssb.g_max_dbi,
            a.traffic.g_max_dbi,
            a.etilt_deg,
            a.source,
        ]
        for a in ANTENNA_PROFILES.values()
    ]
    head = [
        "profile",
        "used",
        "description",
        "SSB gain [dBi]",
        "traffic gain [dBi]",
        "e-tilt [deg]",
        "source",
    ]
    return "<h3>Antennas</h3>" + table_html(head, rows, src_cols=(6,), table_id="antennas")


def _morphologies_table() -> str:
    """The library's morphology classes (for runs that did not record theirs)."""
    rows = [
        [
            m.code,
            m.name,
            m.scenario,
            m.indoor_share,
            m.high_loss_share,
            m.h_ut_m,
            m.h_ut_indoor_m,
            m.building_height_m,
            m.source,
        ]
        for m in sorted(MORPHOLOGIES.values(), key=lambda m: _class_key(m.name))
    ]
    head = [
        "code",
        "class",
        "TR 38.901 scenario",
        "indoor share",
        "high-loss share",
        "outdoor UE height [m]",
        "indoor UE height [m]",
        "building height [m]",
        "source",
    ]
    return "<h3>Morphology classes (library defaults; not recorded in this run)</h3>" + (
        table_html(head, rows, src_cols=(8,), table_id="morphologies")
    )


def _defaults_frame_html(df: pd.DataFrame, table_id: str) -> str:
    src = (list(df.columns).index("source"),) if "source" in df.columns else ()
    return table_html(
        list(df.columns), df.itertuples(index=False, name=None), src_cols=src, table_id=table_id
    )


def _demand_defaults_table(year: Any) -> str:
    """The demand defaults of the run's year (and those of all years)."""
    df = pd.DataFrame(demand_defaults_table())
    if "year" in df.columns and year is not None:
        df = df[df["year"].astype(str).isin(["all", str(year)])]
    return f"<h3>Demand defaults (year {_e(year)})</h3>" + _defaults_frame_html(
        df, "demand-defaults"
    )


def _cost_defaults_table() -> str:
    """The cost and energy defaults, folded."""
    df = pd.DataFrame(econ_defaults_table())
    return (
        "<h3>Cost and energy defaults</h3>"
        f"<details><summary>show the {len(df)} defaults</summary>"
        + _defaults_frame_html(df, "econ-defaults")
        + "</details>"
    )


# -- entry points ----------------------------------------------------------------------
def select_cities(
    cities: Sequence[_City], max_cities: int = 6, all_cities: bool = False
) -> list[_City]:
    """The cities that get a section: the largest ``max_cities`` by sites (or all).

    ``cities`` are :class:`CityResult` (or ``summary.json`` entries, read as such).
    """
    ranked = sorted(cities, key=lambda c: -as_city_result(c).sites)
    return list(ranked) if all_cities else list(ranked[: max(0, int(max_cities))])


def select_city_groups(
    run: RunData, max_cities: int = 6, all_cities: bool = False
) -> list[list[CityResult]]:
    """The cities that get a section, each as the list of its records: one record per
    city (:func:`select_cities`), or with several networks the largest ``max_cities``
    cities by their sites over all networks, each with its networks' records."""
    if not run.multi_network:
        return [[c] for c in select_cities(run.city_results, max_cities, all_cities)]
    groups: dict[str, list[CityResult]] = {}
    for c in _city_order(run):
        groups.setdefault(c.city_id, []).append(c)
    ranked = list(groups.values())
    return ranked if all_cities else ranked[: max(0, int(max_cities))]


def render_report(run: RunData, max_cities: int = 6, all_cities: bool = False) -> str:
    """The report of a loaded run as an HTML string."""
    groups = select_city_groups(run, max_cities, all_cities)
    chosen = [c for g in groups for c in g]
    shown = {c.key for c in chosen}
    s = run.records
    body = [
        '<section><h2 id="run">Run</h2>',
        _meta_section(run),
        "</section><section>",
        _national_section(run),
        _ranking_section(run, shown),
        "</section>",
    ]
    nav = [("run", "Run"), ("national", "National"), ("isd", "ISD"), ("ranking", "Ranking")]
    if run.economics is not None:
        body += [
            '<section><h2 id="economics">Economics</h2>',
            _economics_section(run, run.economics),
        ]
        body.append("</section>")
        nav.append(("economics", "Economics"))
    years = _years_section(run)
    if years:
        body.append(f"<section>{years}</section>")
        if 'id="years"' in years:
            nav.append(("years", "Years"))
        if 'id="sensitivity"' in years:
            nav.append(("sensitivity", "Sensitivity"))
    multi = run.multi_network
    cities = run.city_results
    n_all = len({c.city_id for c in cities}) if multi else len(cities)
    body.append('<section><h2 id="cities">Cities</h2>')
    by = " over all networks" if multi else ""
    body.append(
        f'<p class="muted">{len(groups)} of {n_all} cities shown, largest by sites{by}'
        f"{'' if all_cities or len(groups) == n_all else ' (nrplan report --all-cities for all)'}."
        "</p>"
    )
    if multi:
        body += [_city_group_section(run, g) for g in groups]
    else:
        body += [_city_section(run, c) for c in chosen]
    body.append("</section>")
    nav.append(("cities", "Cities"))
    body.append(f"<section>{_assumptions_section(run)}</section>")
    nav.append(("assumptions", "Assumptions"))
    generated = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    body.append(f'<p class="muted">Generated {generated} by nrplan {_e(s.nrplan_version)}.</p>')
    title = f"nrplan report — {run.label}"
    nat = run.national
    subtitle = (
        f"{fmt_num(nat.value('cities'), 0)} cities, {fmt_num(nat.value('sites'), 0)} sites, "
        f"{fmt_num(nat.value('sectors'), 0)} sectors; year {s.value('year', '-')}, "
        f"operators {s.value('operators', '-')}"
    )
    if multi:
        nets = "; ".join(
            f"{n}: {run.network_label(n)}, "
            f"{fmt_num(run.network_national(n).value('sites'), 0)} sites"
            for n in run.network_names
        )
        subtitle = (
            f"{fmt_num(nat.value('cities'), 0)} cities, {len(run.network_names)} networks, "
            f"{fmt_num(nat.value('sites'), 0)} sites and "
            f"{fmt_num(nat.value('sectors'), 0)} sectors "
            f"in total; year {s.value('year', '-')}, scenario {s.value('operators', '-')} ({nets})"
        )
    return html_page(title, subtitle, nav, "".join(body))


def write_report(
    run_dir: str | Path,
    out: str | Path | None = None,
    max_cities: int = 6,
    all_cities: bool = False,
    force: bool = False,
) -> Path:
    """Write the self-contained HTML report of a run directory, unless it is up to date.

    The report is rendered only when what it shows changed since it was last
    written (:func:`nrplan.report.freshness.report_key`, stored beside it as
    ``<out>.key``): resuming a finished run does not render it again.

    Parameters
    ----------
    run_dir : path
        A run directory written by ``nrplan plan`` (needs ``summary.json``).
    out : path, optional
        Output file; default ``<run_dir>/report.html``.
    max_cities : int
        Number of per-city sections (largest cities by sites) [-], >= 0.
    all_cities : bool
        A section for every city (overrides ``max_cities``).
    force : bool
        Render even when the report is up to date.

    Returns
    -------
    Path
        The report (written atomically, or the up-to-date one).

    Raises
    ------
    NrplanInputError
        Missing or corrupt run directory, a ``summary.json`` of a schema
        version this nrplan does not read, or a negative ``max_cities``.
    """
    check_range("max_cities", max_cities, 0, None)
    run = load_run(run_dir)
    path = Path(out) if out is not None else run.path / "report.html"
    options = {"max_cities": int(max_cities), "all_cities": bool(all_cities)}
    key = report_key(run.path, run.summary, options)
    if not force and is_fresh(path, key):
        return path
    text = render_report(run, max_cities=max_cities, all_cities=all_cities)
    write_text_atomic(path, text)
    write_text_atomic(key_file(path), key + "\n")
    return path
