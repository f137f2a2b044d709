"""Charts of the report (matplotlib, Agg backend), returned as embedded PNG data URIs.

Every chart has a title and axis labels with units; colour maps are
perceptually uniform (viridis / cividis) except where categories are shown.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = [
    "DPI",
    "cdf_figure",
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


def cdf_figure(
    title: str,
    sinr: np.ndarray | None = None,
    dl: np.ndarray | None = None,
    ul: np.ndarray | None = None,
    hist: Mapping[str, Any] | None = None,
) -> str | None:
    """CDFs of SINR [dB] and user rates [Mbit/s] as a PNG data URI.

    Uses the raster arrays when given, else the checkpoint histograms ``hist``
    (keys ``sinr_db``, ``dl_mbps``, ``ul_mbps``; bin edges of
    :data:`nrplan.plan.national.HIST_EDGES`). Returns ``None`` when there is
    nothing to plot.
    """
    series: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if sinr is not None:
        series["sinr"] = _ecdf(np.ravel(sinr))
    if dl is not None:
        series["dl"] = _ecdf(np.ravel(dl))
    if ul is not None:
        series["ul"] = _ecdf(np.ravel(ul))
    source = "rasters, all predicted pixels"
    if not any(len(x) for x, _ in series.values()) and hist:
        from nrplan.plan.national import HIST_EDGES

        source = "covered in-scope pixels (histograms)"
        for name, short in (("sinr_db", "sinr"), ("dl_mbps", "dl"), ("ul_mbps", "ul")):
            if hist.get(name):
                series[short] = _hist_cdf(hist[name], HIST_EDGES[name])
    if not any(len(x) for x, _ in series.values()):
        return None
    fig, axes = new_figure(
        1,
        2,
        size=(9.0, 3.6),
        margins={"left": 0.07, "right": 0.98, "bottom": 0.15, "top": 0.84, "wspace": 0.25},
    )
    ax = axes[0, 0]
    x, y = series.get("sinr", (np.array([]), np.array([])))
    if len(x):
        ax.plot(x, y, color="#21918c", lw=1.8, label="SINR")
    ax.set_title(f"{title}: SINR CDF")
    ax.set_xlabel("SINR [dB]")
    ax.set_ylabel("fraction of pixels [-]")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax = axes[0, 1]
    for key, label, colour in (("dl", "downlink", "#3b528b"), ("ul", "uplink", "#5ec962")):
        x, y = series.get(key, (np.array([]), np.array([])))
        if len(x):
            pos = x > 0
            ax.plot(np.maximum(x, 1e-3), y, color=colour, lw=1.8, label=label)
            if pos.any():
                ax.set_xscale("log")
    ax.set_title(f"{title}: user rate CDF")
    ax.set_xlabel("user rate at busy-hour load [Mbit/s]")
    ax.set_ylabel("fraction of pixels [-]")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3, which="both")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=8)
    fig.suptitle(f"source: {source}", fontsize=8, color="#555")
    return fig_to_data_uri(fig)


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
    ax.set_title("Limiting factor of the dimensioning")
    ax.set_xlabel("number of (city, morphology class) pairs [-]")
    ax.set_ylabel("limiting factor")
    ax.grid(axis="x", alpha=0.3)
    return fig_to_data_uri(fig)
