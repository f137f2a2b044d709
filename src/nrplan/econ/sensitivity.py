"""One-at-a-time sensitivity of TCO and site count, with a tornado chart.

Each input is set to its low and then its high value while every other input
keeps its base value; the model is evaluated through a callable

    evaluate(params_overrides: dict[str, float]) -> {"tco": float, "sites": float}

(``evaluate({})`` is the base case). The swing of an input is
``|metric(high) - metric(low)|``; the table is sorted by TCO swing, largest
first, as a tornado chart draws it.

The main inputs of the economics and their default low/high factors on the base value
(:data:`DEFAULT_SWINGS`): unit costs x0.8/x1.2, ISD-limiting edge rate x0.5/x2,
traffic per user x0.8/x1.2, penetration x0.8/x1.2, load limit x0.8/x1.1 (a load
limit above ~0.8 PRB utilisation is not used in practice). These factors are
nrplan's choice of a plausible range, not sourced figures. The electricity
price swings over its sourced range, 0.5-1.0 CNY/kWh around 0.75 (CCSA-based
range; defaults ``electricity_price_low``/``_high`` in :mod:`nrplan.econ.defaults`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nrplan.demand.defaults import defaults_for_year
from nrplan.econ.cost import CostParams
from nrplan.econ.defaults import value
from nrplan.errors import NrplanInputError, check_range
from nrplan.io.atomic import atomic_path

__all__ = [
    "DEFAULT_SWINGS",
    "INPUT_UNITS",
    "TRAFFIC_METHOD",
    "Evaluate",
    "SensitivityInput",
    "case_cost_params",
    "inputs_from_base",
    "one_at_a_time",
    "plan_evaluator",
    "plot_tornado",
    "sensitivity_base",
]

Evaluate = Callable[[dict[str, float]], Mapping[str, float]]
"""``evaluate(params_overrides) -> {"tco": ..., "sites": ...}``."""

DEFAULT_SWINGS: dict[str, tuple[float, float]] = {
    "unit_cost_scale": (0.8, 1.2),
    "edge_dl_mbps": (0.5, 2.0),
    "traffic_per_user": (0.8, 1.2),
    "penetration": (0.8, 1.2),
    "load_limit": (0.8, 1.1),
    "electricity_price": (
        value("electricity_price_low") / value("electricity_price"),
        value("electricity_price_high") / value("electricity_price"),
    ),
}
"""Low/high multipliers of the base value of each main input."""

METRICS = ("tco", "sites")

#: Unit label of each main input, for tables and the tornado chart.
INPUT_UNITS: dict[str, str] = {
    "unit_cost_scale": "x",
    "edge_dl_mbps": "Mbit/s",
    "traffic_per_user": "GB/month",
    "penetration": "",
    "load_limit": "",
    "electricity_price": "CNY/kWh",
}

#: How traffic per user and penetration are varied by :func:`plan_evaluator` cases.
TRAFFIC_METHOD = "re-planned with demand overrides (PlanConfig.demand_overrides)"


def sensitivity_base(year: int, edge_dl_mbps: float, load_limit: float) -> dict[str, float]:
    """Base value of each main input of a plan of scenario ``year``.

    Traffic per user [GB/month] and penetration are the year's demand defaults
    (:func:`nrplan.demand.defaults.defaults_for_year`), the electricity price
    the registry's ``electricity_price`` [CNY/kWh]; the edge rate [Mbit/s] and
    load limit are the plan's targets.
    """
    d = defaults_for_year(year)
    return {
        "unit_cost_scale": 1.0,
        "edge_dl_mbps": float(edge_dl_mbps),
        "traffic_per_user": d["dou_gb"],
        "penetration": d["penetration"],
        "load_limit": float(load_limit),
        "electricity_price": value("electricity_price"),
    }


def case_cost_params(overrides: Mapping[str, float]) -> CostParams:
    """Cost parameters of a case: default unit costs x ``unit_cost_scale``, and
    ``electricity_price`` [CNY/kWh] when the case sets it."""
    params = CostParams().scaled(overrides.get("unit_cost_scale", 1.0))
    if "electricity_price" in overrides:
        params = CostParams.from_overrides(
            **{**params.model_dump(), "electricity_price": overrides["electricity_price"]}
        )
    return params


def plan_evaluator(
    case: Callable[[dict[str, float]], tuple[Any, Callable[[Any], Any], str]],
    plan: Callable[[Any, str], Mapping[str, Any]],
    economics: Callable[[Any, Any, CostParams], Mapping[str, Any]],
) -> Evaluate:
    """An :data:`Evaluate` over real plans, planning each distinct configuration once.

    Parameters
    ----------
    case : callable
        ``case(overrides) -> (config, transform, label)``: the plan configuration
        of a case, a function of the plan's city records, and a label, e.g.
        :func:`nrplan.plan.economics.sensitivity_case` with its base bound.
    plan : callable
        ``plan(config, label) -> summary`` with the city records under
        ``"cities"`` (e.g. :func:`nrplan.plan.national.plan_regions`).
    economics : callable
        ``economics(records, config, cost_params) -> result`` with
        ``national.tco`` and ``national.sites``
        (:func:`nrplan.plan.economics.plan_economics`).

    Returns
    -------
    callable
        ``evaluate(overrides) -> {"tco": ..., "sites": ...}``; cases whose
        configurations are equal (unit costs, electricity price) share one plan.
    """
    plans: dict[str, Mapping[str, Any]] = {}

    def evaluate(overrides: dict[str, float]) -> dict[str, float]:
        config, transform, label = case(overrides)
        key = config.model_dump_json()
        if key not in plans:
            plans[key] = plan(config, label)
        records = transform(plans[key]["cities"])
        result = economics(records, config, case_cost_params(overrides))
        return {"tco": result["national"]["tco"], "sites": result["national"]["sites"]}

    return evaluate


@dataclass(frozen=True)
class SensitivityInput:
    """One input to vary: its name (the override key), base, low and high values."""

    name: str
    base: float
    low: float
    high: float
    unit: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        for f in ("base", "low", "high"):
            if not math.isfinite(getattr(self, f)):
                raise NrplanInputError(f"{self.name}.{f}", getattr(self, f), "a finite number")
        if not self.low <= self.base <= self.high:
            raise NrplanInputError(
                self.name, (self.low, self.base, self.high), "low <= base <= high"
            )


def inputs_from_base(
    base: Mapping[str, float],
    swings: Mapping[str, tuple[float, float]] | None = None,
    units: Mapping[str, str] | None = None,
) -> list[SensitivityInput]:
    """Inputs with ``low = base x lo_factor``, ``high = base x hi_factor``.

    Parameters
    ----------
    base : mapping
        Base value of each input to vary (e.g. ``{"unit_cost_scale": 1.0,
        "edge_dl_mbps": 100.0, ...}``); only these are varied.
    swings : mapping, optional
        ``{name: (lo_factor, hi_factor)}``; default :data:`DEFAULT_SWINGS`.
    units : mapping, optional
        Unit label per input for tables and charts.
    """
    sw = dict(DEFAULT_SWINGS if swings is None else swings)
    out = []
    for name, b in base.items():
        if name not in sw:
            raise NrplanInputError("swings", name, f"a (low, high) factor for {name}")
        lo, hi = sw[name]
        check_range(f"{name} factors", [lo, hi], 0.0)
        if lo > hi:
            raise NrplanInputError(f"{name} factors", (lo, hi), "low factor <= high factor")
        b = float(b)
        vals = sorted((b * lo, b * hi))
        out.append(SensitivityInput(name, b, vals[0], vals[1], (units or {}).get(name, "")))
    return out


def _metrics(res: Mapping[str, float]) -> tuple[float, float]:
    try:
        return float(res["tco"]), float(res["sites"])
    except (KeyError, TypeError) as exc:
        raise NrplanInputError("evaluate", res, "a mapping with 'tco' and 'sites'") from exc


def one_at_a_time(
    evaluate: Evaluate,
    inputs: Sequence[SensitivityInput],
    base_overrides: Mapping[str, float] | None = None,
):
    """Vary each input to its low and high value, one at a time.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(overrides) -> {"tco": ..., "sites": ...}``.
    inputs : sequence of SensitivityInput
    base_overrides : mapping, optional
        Overrides applied in every evaluation (the base scenario).

    Returns
    -------
    pandas.DataFrame
        One row per input, sorted by ``tco_swing`` descending: ``input, unit,
        base, low, high, tco_low, tco_high, tco_swing, sites_low, sites_high,
        sites_swing``; ``df.attrs`` holds ``tco_base`` and ``sites_base``.
    """
    import pandas as pd

    if not inputs:
        raise NrplanInputError("inputs", "[]", "at least one input")
    names = [i.name for i in inputs]
    if len(set(names)) != len(names):
        raise NrplanInputError("inputs", names, "distinct input names")
    common = dict(base_overrides or {})
    tco0, sites0 = _metrics(evaluate(dict(common)))
    rows = []
    for inp in inputs:
        tlo, slo = _metrics(evaluate({**common, inp.name: inp.low}))
        thi, shi = _metrics(evaluate({**common, inp.name: inp.high}))
        rows.append(
            {
                "input": inp.name,
                "unit": inp.unit,
                "base": inp.base,
                "low": inp.low,
                "high": inp.high,
                "tco_low": tlo,
                "tco_high": thi,
                "tco_swing": abs(thi - tlo),
                "sites_low": slo,
                "sites_high": shi,
                "sites_swing": abs(shi - slo),
            }
        )
    df = pd.DataFrame(rows).sort_values("tco_swing", ascending=False, kind="stable")
    df = df.reset_index(drop=True)
    df.attrs["tco_base"] = tco0
    df.attrs["sites_base"] = sites0
    return df


def plot_tornado(
    df,
    path: str | os.PathLike[str],
    metric: str = "tco",
    *,
    currency: str = "CNY",
    title: str | None = None,
) -> None:
    """Tornado chart of a sensitivity table, saved to PNG (atomically).

    Bars show the change of ``metric`` from its base value when each input is
    at its low (blue) or high (orange) value; largest swing on top. Colours
    are from the colour-blind-safe Okabe-Ito palette.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`one_at_a_time`.
    path : path-like
        PNG file.
    metric : str
        ``"tco"`` (in billion ``currency``) or ``"sites"`` (count).
    currency : str
        Currency label of the TCO axis.
    title : str, optional
    """
    from matplotlib.figure import Figure

    if metric not in METRICS:
        raise NrplanInputError("metric", metric, "one of tco, sites")
    base = float(df.attrs.get(f"{metric}_base", math.nan))
    if not math.isfinite(base):
        raise NrplanInputError("df", "no base value", "a table from one_at_a_time")
    d = df.sort_values(f"{metric}_swing", ascending=True, kind="stable")
    scale, unit = (1e9, f"billion {currency}") if metric == "tco" else (1.0, "sites")
    lo = (d[f"{metric}_low"].to_numpy() - base) / scale
    hi = (d[f"{metric}_high"].to_numpy() - base) / scale
    labels = [
        f"{r.input} ({r.low:g}-{r.high:g}{' ' + r.unit if r.unit else ''})" for r in d.itertuples()
    ]
    y = np.arange(len(d))
    fig = Figure(figsize=(8, 1.2 + 0.5 * len(d)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(y, lo, color="#0072B2", label="input at low value")
    ax.barh(y, hi, color="#E69F00", label="input at high value")
    ax.axvline(0.0, color="0.2", linewidth=0.8)
    ax.set_yticks(y, labels)
    name = "TCO" if metric == "tco" else "site count"
    base_txt = f"{base / scale:,.3g} {unit}"
    ax.set_xlabel(f"change of {name} from base ({base_txt}) [{unit}]")
    ax.set_title(title or f"One-at-a-time sensitivity of the {name}")
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=120)
