"""Side-by-side comparison of several runs: national KPIs, settings and costs.

E.g. shared RAN vs separate networks, 3.5 GHz vs 2.6 GHz, 2020 vs 2025
targets. Each run is labelled ``<dir name> (<year>, <operators>)``; equal
labels get a ``#n`` suffix. A run of several networks (``china-2020``) is
compared by its totals, with its networks' sites on rows of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nrplan.errors import NrplanInputError
from nrplan.io.atomic import write_text_atomic
from nrplan.report.html import NATIONAL_KPIS, economics_kpis, html_page, kpi_specs, table_html
from nrplan.report.rundata import RunData, is_num, load_run, planning_load

__all__ = ["compare_runs", "compare_table_rows", "write_compare_html"]


def _settings(run: RunData) -> dict[str, Any]:
    s = run.summary
    cfg = s.get("config") if isinstance(s.get("config"), dict) else {}
    layers = cfg.get("layers") if isinstance(cfg.get("layers"), dict) else {}
    bands = sorted(
        {str(v.get("band")) for v in layers.values() if isinstance(v, dict) and v.get("band")}
    )
    if run.multi_network:  # each network moves the configured n78 layers to its band
        bands = sorted({str(b) for n in run.networks.values() for b in n.bands})
    return {
        "year": s.get("year"),
        "operators": s.get("operators"),
        "networks": ", ".join(run.network_names) or None,
        "bands": ", ".join(bands) or None,
        "resolution_m": cfg.get("resolution_m"),
        "planning_load": planning_load(s),
        "seed": s.get("seed"),
    }


def _scaled(v: Any, scale: float) -> Any:
    if not is_num(v) or scale == 1.0:
        return v
    return float(v) * scale


def compare_runs(run_dirs: Sequence[str | Path]) -> pd.DataFrame:
    """KPIs and costs of several runs side by side.

    Parameters
    ----------
    run_dirs : sequence of path
        At least one run directory (each with a valid ``summary.json``).

    Returns
    -------
    DataFrame
        Columns ``key``, ``metric``, ``unit`` and one column per run (label);
        percentages are in %, money in millions of the run's currency.

    Raises
    ------
    NrplanInputError
        No run given, or a run directory is missing or corrupt.
    """
    if not run_dirs:
        raise NrplanInputError("runs", [], "one or more run directories")
    runs = [load_run(d) for d in run_dirs]
    labels: list[str] = []
    for r in runs:
        lab = r.label
        n = 2
        while lab in labels:
            lab = f"{r.label} #{n}"
            n += 1
        labels.append(lab)
    rows: dict[str, dict[str, Any]] = {}

    def put(key: str, metric: str, unit: str, label: str, value: Any) -> None:
        row = rows.setdefault(key, {"key": key, "metric": metric, "unit": unit})
        row[label] = value

    for run, label in zip(runs, labels, strict=True):
        for k, v in _settings(run).items():
            put(f"setting.{k}", k.replace("_", " "), "m" if k.endswith("_m") else "", label, v)
        nat = run.national
        # one label per row across runs: "at the planning load" (the runs' loads may differ)
        for key, metric, unit, _dec, scale in kpi_specs(NATIONAL_KPIS):
            if nat.has(key):
                put(key, metric, unit, label, _scaled(nat.value(key), scale))
            if key == "sites" and run.multi_network:
                for name in run.network_names:
                    n_sites = run.network_national(name).value("sites")
                    put(f"networks.{name}.sites", f"sites, network {name}", "", label, n_sites)
        eco = run.economics
        if eco is not None:
            # an older run's economics without a national sub-dict: all its entries
            nat_eco = eco.national if eco.national is not None else eco.to_dict()
            for (key, metric, unit, _dec, scale), v in economics_kpis(nat_eco, eco.currency):
                put(
                    f"economics.{key}",
                    metric,
                    unit,
                    label,
                    _scaled(v, scale),
                )
    df = pd.DataFrame(list(rows.values()), columns=["key", "metric", "unit", *labels])
    df.attrs["paths"] = {lab: str(r.path) for lab, r in zip(labels, runs, strict=True)}
    return df


def compare_table_rows(df: pd.DataFrame) -> list[list[Any]]:
    """Rows ``[metric, unit, value per run...]`` (None for missing values)."""
    out = []
    for rec in df.itertuples(index=False, name=None):
        vals = [None if isinstance(v, float) and np.isnan(v) else v for v in rec[3:]]
        out.append([rec[1], rec[2], *vals])
    return out


def write_compare_html(df: pd.DataFrame, out: str | Path) -> Path:
    """Write the comparison as one self-contained HTML page (atomically)."""
    labels = list(df.columns[3:])
    paths = df.attrs.get("paths", {})
    runs_table = table_html(
        ["run", "directory"], [[lab, paths.get(lab, "")] for lab in labels], table_id="runs"
    )
    body = (
        '<h2 id="runs">Runs</h2>'
        + runs_table
        + '<h2 id="kpis">KPIs and costs</h2>'
        + '<p class="muted">Percentages in %; money in millions of the run\'s currency.</p>'
        + table_html(["metric", "unit", *labels], compare_table_rows(df), table_id="compare")
    )
    page = html_page(
        "nrplan comparison",
        " vs ".join(labels),
        [("runs", "Runs"), ("kpis", "KPIs")],
        body,
    )
    path = Path(out)
    write_text_atomic(path, page)
    return path
