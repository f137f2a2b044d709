"""Published 2020 figures a plan's bill is checked against (validation, not a fit).

Each figure is a range ``[low, high]`` with its unit, year and source; nothing
in nrplan is tuned to reproduce them. :func:`validation_rows` puts a plan's
national capex and energy per site next to them.

References
----------
- China Mobile 2020 5G capex 102.5 bn CNY for ~340 k new sites: MIIT/operator
  bulletins via http://www.dvbcn.com/p/120289.html ; https://en.endela.cn/news/9.html ;
  http://www.hkjs.com/m_news/243.html
- CCSA: 5G main equipment of a 3-sector site draws ~2.2-2.3 kW idle and
  ~3.7-3.9 kW at full load; 1.3-2.2 x 10^4 CNY of electricity per base station
  and year at 0.65 CNY/kWh: https://www.basicdom.com/beplay_iosban/1337.html ;
  http://esxun.cn/internet/2251.html
- China Tower analysis of typical single-system 5G power: Huawei 3,500 W, ZTE
  3,255 W, Datang 4,940 W: https://fgwqp.cn/keji/tongxin/23511.html
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PUBLISHED_2020", "PublishedFigure", "validation_rows"]

_CM = (
    "http://www.dvbcn.com/p/120289.html ; https://en.endela.cn/news/9.html ; "
    "http://www.hkjs.com/m_news/243.html"
)
_CCSA = "https://www.basicdom.com/beplay_iosban/1337.html ; http://esxun.cn/internet/2251.html"
_CT_POWER = "https://fgwqp.cn/keji/tongxin/23511.html"


@dataclass(frozen=True)
class PublishedFigure:
    """A published figure: the range it spans, its unit, year, source and what it holds."""

    key: str
    label: str
    low: float
    high: float
    unit: str
    year: int
    source: str
    note: str


#: CCSA electricity per base station [CNY/year] and the price it assumes [CNY/kWh].
_CCSA_CNY_LOW, _CCSA_CNY_HIGH, _CCSA_PRICE = 13_000.0, 22_000.0, 0.65

PUBLISHED_2020: dict[str, PublishedFigure] = {
    f.key: f
    for f in (
        PublishedFigure(
            "capex_per_site",
            "capex per site",
            102.5e9 / 340e3,
            102.5e9 / 340e3,
            "CNY/site",
            2020,
            f"China Mobile 2020 5G capex 102.5 bn CNY / ~340 k new sites [{_CM}]",
            "all-in: includes core network, transmission, indoor systems and power; "
            "nrplan costs the macro sites only",
        ),
        PublishedFigure(
            "site_power_full_kw",
            "site power at full load, equipment",
            3.7,
            3.9,
            "kW",
            2020,
            f"CCSA, 3-sector 5G site, main equipment [{_CCSA}]; China Tower: Huawei 3.5, "
            f"ZTE 3.26, Datang 4.94 kW typical [{_CT_POWER}]",
            "equipment only (no rectifier/cooling overhead), 64T64R 3-sector",
        ),
        PublishedFigure(
            "energy_per_site_kwh",
            "energy per site",
            _CCSA_CNY_LOW / _CCSA_PRICE,
            _CCSA_CNY_HIGH / _CCSA_PRICE,
            "kWh/site/year",
            2020,
            f"CCSA-based 1.3-2.2 x 10^4 CNY per base station and year at 0.65 CNY/kWh "
            f"[{_CCSA}] => 20,000-33,846 kWh",
            "radio equipment; nrplan includes the rectifier/cooling overhead and the "
            "energy-saving features at its busy-hour load",
        ),
        PublishedFigure(
            "electricity_cost_per_site",
            "electricity cost per site",
            _CCSA_CNY_LOW,
            _CCSA_CNY_HIGH,
            "CNY/site/year",
            2020,
            f"CCSA-based 1.3-2.2 x 10^4 CNY per base station and year [{_CCSA}]",
            "published at 0.65 CNY/kWh; nrplan at its own electricity price",
        ),
    )
}
"""The 2020 figures of :func:`validation_rows`, by key."""


def _num(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return math.nan
    return x


def validation_rows(national: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A plan's national figures per site next to the published 2020 ones.

    Parameters
    ----------
    national : mapping
        The ``national`` entry of :func:`nrplan.plan.economics.plan_economics`
        (``capex_per_site``, ``sites``, ``energy.kwh_per_year``,
        ``energy.electricity_cost_per_year``, ``site_power_full_equipment_w``).

    Returns
    -------
    list of dict
        One row per :data:`PUBLISHED_2020` figure: ``key, figure, unit,
        nrplan, published_low, published_high, ratio`` (nrplan over the
        middle of the published range), ``source, note``. NaN where the plan
        has no sites.
    """
    sites = _num(national.get("sites"))
    en = national.get("energy") or {}
    per = (lambda x: x / sites) if sites > 0 else (lambda x: math.nan)
    ours = {
        "capex_per_site": _num(national.get("capex_per_site")),
        "site_power_full_kw": _num(national.get("site_power_full_equipment_w")) / 1000.0,
        "energy_per_site_kwh": per(_num(en.get("kwh_per_year"))),
        "electricity_cost_per_site": per(_num(en.get("electricity_cost_per_year"))),
    }
    rows = []
    for key, f in PUBLISHED_2020.items():
        v = ours[key]
        mid = 0.5 * (f.low + f.high)
        rows.append(
            {
                "key": key,
                "figure": f.label,
                "unit": f.unit,
                "nrplan": v,
                "published_low": f.low,
                "published_high": f.high,
                "ratio": v / mid if math.isfinite(v) and mid > 0 else math.nan,
                "source": f.source,
                "note": f.note,
            }
        )
    return rows
