"""Self-contained HTML report of a drive-test comparison (PNG plots inlined as base64)."""

from __future__ import annotations

import base64
import html
import io

import numpy as np
import pandas as pd

__all__ = ["render_report"]


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _plots(bins: pd.DataFrame) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    err = bins["error_db"].to_numpy()
    out = []
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(bins["d_2d"], err, s=2, alpha=0.3)
    ax.set_xscale("log")
    ax.axhline(0.0, color="k", lw=0.8)
    ax.set_xlabel("distance to serving site [m]")
    ax.set_ylabel("predicted - measured [dB]")
    out.append(("Error vs distance", _png(fig)))
    fig, ax = plt.subplots(figsize=(5, 5))
    m, p = bins["rsrp_dbm"].to_numpy(), bins["predicted_dbm"].to_numpy()
    ax.scatter(m, p, s=2, alpha=0.3)
    lo, hi = float(min(m.min(), p.min())), float(max(m.max(), p.max()))
    ax.plot([lo, hi], [lo, hi], "k-", lw=0.8)
    ax.set_xlabel("measured SS-RSRP [dBm]")
    ax.set_ylabel("predicted SS-RSRP [dBm]")
    out.append(("Predicted vs measured", _png(fig)))
    fig, ax = plt.subplots(figsize=(6, 5))
    lim = float(np.nanpercentile(np.abs(err), 98)) or 1.0
    sc = ax.scatter(bins["lon"], bins["lat"], c=err, s=3, cmap="RdBu_r", vmin=-lim, vmax=lim)
    fig.colorbar(sc, ax=ax, label="predicted - measured [dB]")
    ax.set_xlabel("lon [deg]")
    ax.set_ylabel("lat [deg]")
    ax.set_aspect(1.0 / max(np.cos(np.radians(float(bins["lat"].mean()))), 0.1))
    out.append(("Error map", _png(fig)))
    return out


def _table(rows: dict, key: str) -> str:
    cols = ("n_points", "mean_error_db", "std_db", "rmse_db", "correlation")
    head = "".join(f"<th>{c}</th>" for c in (key, *cols))
    body = []
    for name, st in rows.items():
        cells = []
        for c in cols:
            v = st.get(c)
            cells.append(f"<td>{v:.2f}</td>" if isinstance(v, float) else f"<td>{v}</td>")
        body.append(f"<tr><td>{html.escape(str(name))}</td>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def render_report(summary: dict, bins: pd.DataFrame) -> str:
    """The HTML page: overall statistics, per class and per cell tables, three plots."""
    overall = {
        k: summary.get(k) for k in ("n_points", "mean_error_db", "std_db", "rmse_db", "correlation")
    }
    drop = summary.get("rows", {}).get("dropped_by_reason", {})
    model = summary.get("model") or {}
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>nrplan compare-measurements"
        "</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
        "text-align:right}</style></head><body>",
        "<h1>Drive test vs prediction</h1>",
        "<p>Error = predicted - measured SS-RSRP of the serving cell, over "
        f"{summary.get('n_points')} bins ({html.escape(str(summary.get('binning')))}).</p>",
        _table({"all": overall}, "set"),
        f"<p>Tuned model: {html.escape(str(model.get('file') or 'none (untuned)'))}"
        + (
            f", cross-validated RMSE {model['cv_rmse_db']:.2f} dB"
            if model.get("cv_rmse_db") is not None
            else ""
        )
        + "</p>",
        "<h2>Rows dropped</h2><p>" + ", ".join(f"{k}: {v}" for k, v in drop.items()) + "</p>",
        "<h2>Per morphology class</h2>",
        _table(summary.get("per_class", {}), "class"),
    ]
    for title, b64 in _plots(bins):
        parts.append(f"<h2>{title}</h2><img alt='{title}' src='data:image/png;base64,{b64}'>")
    parts += ["<h2>Per cell</h2>", _table(summary.get("per_cell", {}), "cell"), "</body></html>"]
    return "\n".join(parts)
