"""Build nrplan's embedded industrial-internet series (``src/nrplan/data/industrial_internet.csv``).

Run from the repository root (no network access; every figure is transcribed
below from the page named in its ``source``; ``docs/industrial-internet.md``
explains the series)::

    python tools/build_industrial_internet.py           # write the CSV, print checks
    python tools/build_industrial_internet.py --check   # validate the existing CSV only

Columns
-------
series
    ``caict_value_added``, ``caii_value_added`` or ``projects_5g_industrial_internet``.
institute, method
    Who measures and how. CAICT (China Academy of Information and Communications
    Technology) and CAII (China Academy of Industrial Internet) define the
    industrial-internet value added differently (CAII's total is about 1.6 x
    CAICT's for 2019: 3.41 vs 2.13 T yuan); the two are never mixed in one fit.
t
    Time of the value [year]: the end of year ``Y`` is ``Y``; a mid-year count
    of month ``M`` is ``Y - 1 + M / 12`` (end of May 2020 = 2019 + 5/12).
period
    The period as published (``2019``, ``2020-05``).
value, unit
    The figure (trillion CNY, or a count of projects).
kind
    ``actual`` (measured), ``estimate`` (the institute's projection for the
    year of publication), ``derived`` (arithmetic on published figures; the
    arithmetic is in ``note``).
published
    Publication month (``YYYY-MM``): what was known at a date is the rows
    published by then.
source, note
    The page the figure is transcribed from, and what it holds.

Checks (exit code 1 when one fails): one institute and one method per series;
times strictly increasing per series; values > 0; every row has a source.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "nrplan" / "data" / "industrial_internet.csv"

COLUMNS = (
    "series",
    "institute",
    "method",
    "t",
    "period",
    "value",
    "unit",
    "kind",
    "published",
    "source",
    "note",
)

_CAICT_METHOD = (
    "CAICT industrial-internet industry-economy value added: core industry + integration "
    "(融合带动) effects, 工业互联网产业经济发展报告"
)
_CAII_METHOD = (
    "CAII industrial-internet industry value added: direct (core) + penetration (渗透) "
    "industries, 中国工业互联网产业经济发展白皮书/报告"
)
_PROJECTS_METHOD = "MIIT count of '5G + industrial internet' projects (under construction/launched)"

_CAICT_2020 = "http://yhidc.com/news/content/1470.html ; https://m.zixin.com.cn/doc/4165052.html"
_CAII_2020 = (
    "http://salonsbyjcnaples.com/xwzx/info_itemid_10493.html ; https://www.tellerreport.com/"
    "business/2020-08-19-china-s-industrial-internet-industry-grew-by-22%25-last-year--"
    "accounting-for-3-44%25-of-gdp.HJZ5X5zoGD.html"
)
_CAII_2022 = "https://6gdcs.com/hyzs/1573.html ; https://cando.cditv.cn/show-104-1566579-1.html"
_CAII_2023 = "https://renrendoc.com/paper/303055246.html"


def _value_added(series, institute, method, t, period, value, kind, published, source, note):
    return dict(
        series=series,
        institute=institute,
        method=method,
        t=t,
        period=period,
        value=value,
        unit="trillion CNY",
        kind=kind,
        published=published,
        source=source,
        note=note,
    )


def _caict(*args) -> dict:
    return _value_added("caict_value_added", "CAICT", _CAICT_METHOD, *args)


def _caii(*args) -> dict:
    return _value_added("caii_value_added", "CAII", _CAII_METHOD, *args)


def _projects(t, period, value, published, source, note) -> dict:
    return dict(
        series="projects_5g_industrial_internet",
        institute="MIIT",
        method=_PROJECTS_METHOD,
        t=t,
        period=period,
        value=value,
        unit="projects",
        kind="actual",
        published=published,
        source=source,
        note=note,
    )


ROWS: list[dict] = [
    # -- CAICT, report of March 2020 ----------------------------------------------------
    _caict(
        2017.0,
        "2017",
        round(1.42 / 1.557, 3),
        "derived",
        "2020-03",
        _CAICT_2020,
        "1.42 T (2018) / (1 + 55.7 %) real growth of 2018 = 0.912 T; approximate (a real "
        "growth rate applied to a nominal value)",
    ),
    _caict(2018.0, "2018", 1.42, "actual", "2020-03", _CAICT_2020, "1.5 % of GDP"),
    _caict(2019.0, "2019", 2.13, "actual", "2020-03", _CAICT_2020, "2.2 % of GDP"),
    _caict(2020.0, "2020", 3.1, "estimate", "2020-03", _CAICT_2020, "expected 2020, 2.9 % of GDP"),
    # -- CAII, white papers 2020-2024 ---------------------------------------------------
    _caii(
        2017.0,
        "2017",
        round(4.10 / 1.7410, 3),
        "derived",
        "2022-11",
        _CAII_2022,
        "4.10 T (2021) / (1 + 74.10 %) growth 2017-2021 = 2.355 T (2022 white paper)",
    ),
    _caii(
        2018.0,
        "2018",
        round(3.41 / 1.2214, 3),
        "derived",
        "2020-07",
        _CAII_2020,
        "3.41 T (2019) / (1 + 22.14 %) nominal growth of 2019 = 2.792 T (2020 white paper)",
    ),
    _caii(2019.0, "2019", 3.41, "actual", "2020-07", _CAII_2020, "3.44 % of GDP"),
    _caii(2020.0, "2020", 3.78, "estimate", "2020-07", _CAII_2020, "expected 2020"),
    _caii(2021.0, "2021", 4.10, "actual", "2022-11", _CAII_2022, "3.58 % of GDP"),
    _caii(2022.0, "2022", 4.45, "estimate", "2022-11", _CAII_2022, "expected 2022, 3.64 % of GDP"),
    _caii(2023.0, "2023", 4.69, "actual", "2024-01", _CAII_2023, "3.72 % of GDP"),
    _caii(
        2024.0,
        "2024",
        5.01,
        "actual",
        "2025-01",
        "CAII, 中国工业互联网产业经济发展报告(2024年) (no stored page with a URL carries it; "
        f"series pages: {_CAII_2023})",
        "3.81 % of GDP: core 1.53 T + penetration 3.48 T",
    ),
    # -- MIIT, 5G + industrial internet projects ----------------------------------------
    _projects(
        2020.0 - 7.0 / 12.0,
        "2020-05",
        600,
        "2020-06",
        "http://en.people.cn/n3/2020/0608/c90000-9698633.html",
        ">600 under construction (end of May 2020)",
    ),
    _projects(
        2020.0,
        "2020",
        1100,
        "2021-01",
        "https://news.cgtn.com/news/2021-01-26/China-constructed-over-600-000-5G-base-"
        "stations-in-2020-MIIT-XmnohrXqmc/share_amp.html",
        ">1,100 launched in 2020 (MIIT, 2021-01-26)",
    ),
    _projects(
        2021.0 - 4.0 / 12.0,
        "2021-08",
        1800,
        "2021-09",
        "https://www.jsfsdata.com/cms/a/2839.html",
        ">1,800 under construction at end-August; the page gives no year, 2021 is the likely "
        "one (2020's full-year figure was >1,100)",
    ),
    _projects(
        2023.0,
        "2023",
        10000,
        "2024-01",
        "https://news.08nm.com/archives/534930",
        ">10,000 at end-2023 (SCIO press conference 2024-01-19)",
    ),
    _projects(
        2024.0 - 3.0 / 12.0,
        "2024-09",
        15000,
        "2024-10",
        "https://news.08nm.com/archives/534930",
        ">15,000 in Q3 2024",
    ),
]


def check(rows: list[dict]) -> list[str]:
    """Problems with ``rows`` (empty when the table is sound)."""
    problems = []
    by_series: dict[str, list[dict]] = {}
    for r in rows:
        by_series.setdefault(r["series"], []).append(r)
        if not str(r["source"]).strip():
            problems.append(f"{r['series']} {r['period']}: no source")
        if not float(r["value"]) > 0:
            problems.append(f"{r['series']} {r['period']}: value {r['value']} <= 0")
    for name, rs in by_series.items():
        if len({r["institute"] for r in rs}) != 1 or len({r["method"] for r in rs}) != 1:
            problems.append(f"{name}: more than one institute/method in one series")
        ts = [float(r["t"]) for r in rs]
        if any(b <= a for a, b in itertools.pairwise(ts)):
            problems.append(f"{name}: times not strictly increasing {ts}")
    return problems


def write(rows: list[dict], path: Path) -> None:
    """Write ``rows`` to ``path`` (CSV, UTF-8) atomically."""
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{r[k]:.6g}" if k == "t" else r[k]) for k in COLUMNS})
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="validate the existing CSV only")
    args = ap.parse_args(argv)
    if args.check:
        with OUT.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    else:
        rows = ROWS
    problems = check(rows)
    for p in problems:
        print(f"FAIL {p}", file=sys.stderr)
    if problems:
        return 1
    if not args.check:
        write(rows, OUT)
        print(f"wrote {OUT} ({len(rows)} rows)")
    for name in sorted({r["series"] for r in rows}):
        n = sum(r["series"] == name for r in rows)
        print(f"  {name}: {n} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
