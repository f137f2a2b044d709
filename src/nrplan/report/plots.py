"""Charts of the report (matplotlib, Agg backend), returned as embedded PNG data URIs.

Every chart has a title and axis labels with units; colour maps are
perceptually uniform (viridis / cividis) except where categories are shown.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from nrplan.plan.histograms import HIST_EDGES
from nrplan.report.rundata import load_text, ordinal

__all__ = [
    "DPI",
    "USER_HIST_KEYS",
    "cdf_figure",
    "cdf_plot",
    "fig_to_data_uri",
    "limiting_figure",
    "new_figure",
    "png_to_data_uri",
]

#: Resolution of the embedded PNGs [dots per inch]: readable, and keeps the file small.
DPI = 80


def new_figure(
    nrows: int = 1,
    ncols: int = 1,
    size: tuple[float, float] = (6.4, 4.0),
    margins: dict[str, float] | None = None,
):
    """A figure (not registered with pyplot, so nothing leaks between reports).

    With ``margins`` (``subplots_adjust`` arguments) the layout is fixed, which
    renders several times faster than the default constrained layout.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout=None if margins else "constrained")
    if margins:
        fig.subplots_adjust(**margins)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def fig_to_data_uri(fig: Any) -> str:
    """Render ``fig`` as PNG and return a ``data:image/png;base64,...`` URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return png_to_data_uri(buf.getvalue())


def png_to_data_uri(data: bytes) -> str:
    """``data:`` URI of PNG bytes."""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _ecdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = np.sort(values[np.isfinite(values)])
    if v.size > 4000:  # enough points for a smooth line
        idx = np.linspace(0, v.size - 1, 4000).astype(int)
        return v[idx], (idx + 1) / v.size
    return v, np.arange(1, v.size + 1) / max(v.size, 1)


def _hist_cdf(counts: Any, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(counts, dtype=float)
    if c.size != len(edges) - 1 or c.sum() <= 0:
        return np.array([]), np.array([])
    return edges[1:], np.cumsum(c) / c.sum()


#: Histogram keys of the user samples (weights are users): key -> series.
USER_HIST_KEYS = ("ss_sinr_db", "ss_sinr_outdoor_db", "pdsch_sinr_db")

#: Bin edges of the histograms of older runs (pixel counts, one SINR).
_LEGACY_EDGES = {"sinr_db": np.arange(-20.0, 70.01, 0.25)}


def _edges(name: str) -> np.ndarray | None:
    edges = HIST_EDGES.get(name)
    return np.asarray(edges) if edges is not None else _LEGACY_EDGES.get(name)


def cdf_figure(*args: Any, **kwargs: Any) -> str | None:
    """CDFs of the SINRs and user rates as a PNG data URI (:func:`cdf_plot`), or
    ``None`` when there is nothing to plot."""
    fig = cdf_plot(*args, **kwargs)
    return None if fig is None else fig_to_data_uri(fig)


def cdf_plot(
    title: str,
    sinr: np.ndarray | None = None,
    dl: np.ndarray | None = None,
    ul: np.ndarray | None = None,
    hist: Mapping[str, Any] | None = None,
    pdsch: np.ndarray | None = None,
    planning_load: float | None = None,
    edge_percentile: float | None = None,
) -> Any:
    """CDFs of the SINRs [dB] and user rates [Mbit/s]: a figure with two axes.

    Preferred source: the city's user-weighted histograms ``hist`` (keys
    ``ss_sinr_db``, ``ss_sinr_outdoor_db``, ``pdsch_sinr_db``, ``dl_mbps``,
    ``ul_mbps``; bin edges of :data:`nrplan.plan.histograms.HIST_EDGES`): the
    SS-SINR at full SSB load over all users (users without a server at the
    axis's left edge) and over the outdoor users, the PDSCH SINR at the
    planning load and the busy-hour user rates over the covered users. Without
    them, the raster arrays (``sinr``, ``pdsch``, ``dl``, ``ul``: one value per
    pixel, its median outdoor user), else an older run's pixel histograms
    (``sinr_db``). Returns ``None`` when there is nothing to plot.

    Every axis and legend names its quantity and population: e.g. "SS-SINR, full
    SSB load, all users", y-axis "fraction of users [-]".

    Parameters
    ----------
    planning_load : float, optional
        ``config.link.planning_load`` [0-1], named in the PDSCH SINR's label.
    edge_percentile : float, optional
        Percentile of the edge rates [%]; drawn as a line on the rate CDFs.
    """
    empty = (np.array([]), np.array([]))

    load = load_text(planning_load)
    # (series key, legend label, colour, line style)
    sinr_series: list[tuple[str, str, str, str]] = []
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    hist = hist or {}
    if any(hist.get(k) for k in USER_HIST_KEYS):
        unit = "users"
        source = (
            "user-weighted histograms of the plan (outdoor and indoor users; "
            "users without a server at the SS-SINR axis's left edge)"
        )
        rate_unit = "covered users"
        for name in (*USER_HIST_KEYS, "dl_mbps", "ul_mbps"):
            edges = _edges(name)
            if hist.get(name) and edges is not None:
                series[name] = _hist_cdf(hist[name], edges)
        sinr_series = [
            ("ss_sinr_db", "SS-SINR, full SSB load, all users", "#21918c", "-"),
            ("ss_sinr_outdoor_db", "SS-SINR, full SSB load, outdoor users", "#5ec962", "--"),
            (
                "pdsch_sinr_db",
                f"PDSCH SINR at {load} planning load, covered users",
                "#443983",
                "-",
            ),
        ]
        series["dl"] = series.pop("dl_mbps", empty)
        series["ul"] = series.pop("ul_mbps", empty)
    else:
        unit = "pixels"
        rate_unit = "pixels"
        source = "rasters: the median outdoor user of every predicted pixel"
        new_run = pdsch is not None
        for key, arr in (("sinr", sinr), ("pdsch", pdsch), ("dl", dl), ("ul", ul)):
            if arr is not None:
                series[key] = _ecdf(np.ravel(np.asarray(arr, dtype=float)))
        if new_run:
            sinr_series = [
                ("sinr", "SS-SINR, full SSB load, median outdoor user", "#21918c", "-"),
                ("pdsch", f"PDSCH SINR at {load} planning load", "#443983", "-"),
            ]
        else:
            sinr_series = [("sinr", "SINR (older run), outdoor pixel", "#21918c", "-")]
        if not any(len(x) for x, _ in series.values()) and hist:
            source = "older run: histograms over covered in-scope pixels"
            rate_unit = unit = "covered in-scope pixels"
            for name, short in (("sinr_db", "sinr"), ("dl_mbps", "dl"), ("ul_mbps", "ul")):
                edges = _edges(name)
                if hist.get(name) and edges is not None:
                    series[short] = _hist_cdf(hist[name], edges)
    if not any(len(x) for x, _ in series.values()):
        return None
    fig, axes = new_figure(
        1,
        2,
        size=(10.0, 4.0),
        margins={"left": 0.07, "right": 0.98, "bottom": 0.14, "top": 0.84, "wspace": 0.22},
    )
    ax = axes[0, 0]
    for key, label, colour, style in sinr_series:
        x, y = series.get(key, empty)
        if len(x):
            ax.plot(x, y, color=colour, lw=1.8, ls=style, label=label)
    ax.set_title(f"{title}: SINR CDF over {unit}", fontsize=10)
    ax.set_xlabel("SINR [dB]")
    ax.set_ylabel(f"fraction of {unit} [-]")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="lower right", fontsize=7)
    ax = axes[0, 1]
    for key, label, colour in (("dl", "DL", "#3b528b"), ("ul", "UL", "#5ec962")):
        x, y = series.get(key, empty)
        if len(x):
            pos = x > 0
            ax.plot(np.maximum(x, 1e-3), y, color=colour, lw=1.8, label=f"{label}, {rate_unit}")
            if pos.any():
                ax.set_xscale("log")
    if edge_percentile is not None and math.isfinite(edge_percentile) and ax.lines:
        ax.axhline(
            edge_percentile / 100.0,
            color="#888",
            lw=0.8,
            ls=":",
            label=f"{ordinal(edge_percentile)} percentile (cell edge)",
        )
    ax.set_title(f"{title}: user rate CDF over {rate_unit}", fontsize=10)
    ax.set_xlabel("user rate at busy-hour load [Mbit/s]")
    ax.set_ylabel(f"fraction of {rate_unit} [-]")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3, which="both")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=7)
    fig.suptitle(f"source: {source}", fontsize=8, color="#555")
    return fig


def limiting_figure(counts: Mapping[str, Any]) -> str | None:
    """Horizontal bar chart of the limiting factor per (city, morphology class)."""
    items = [(str(k), float(v)) for k, v in counts.items() if isinstance(v, (int, float))]
    if not items:
        return None
    items.sort(key=lambda kv: kv[1])
    from matplotlib import colormaps

    fig, axes = new_figure(1, 1, size=(6.4, 0.5 + 0.45 * len(items) + 0.8))
    ax = axes[0, 0]
    cmap = colormaps["cividis"]
    colours = [cmap(0.15 + 0.7 * i / max(len(items) - 1, 1)) for i in range(len(items))]
    ax.barh([k for k, _ in items], [v for _, v in items], color=colours)
    ax.set_title("Target that sets the dimensioned ISD")
    ax.set_xlabel("number of (city, morphology class) pairs [-]")
    ax.set_ylabel("limiting target")
    ax.grid(axis="x", alpha=0.3)
    return fig_to_data_uri(fig)
