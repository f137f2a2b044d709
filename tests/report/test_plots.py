"""Charts and map panels name their quantity: which SINR, which users, which load."""

from __future__ import annotations

import numpy as np

from nrplan.report import maps, plots


def _legend(ax) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg else []


def test_cdf_over_users_from_histograms(user_hist) -> None:
    fig = plots.cdf_plot("X", hist=user_hist, planning_load=0.5, edge_percentile=5.0)
    left, right = fig.axes[:2]
    assert left.get_ylabel() == "fraction of users [-]"
    assert left.get_title() == "X: SINR CDF over users"
    assert _legend(left) == [
        "SS-SINR, full SSB load, all users",
        "SS-SINR, full SSB load, outdoor users",
        "PDSCH SINR at 50 % planning load, covered users",
    ]
    assert right.get_ylabel() == "fraction of covered users [-]"
    assert right.get_xlabel() == "user rate at busy-hour load [Mbit/s]"
    assert "5th percentile (cell edge)" in _legend(right)
    for line in left.lines:  # a CDF: non-decreasing to 1
        y = line.get_ydata()
        assert np.all(np.diff(y) >= 0) and y[-1] == 1.0
    # rasters are ignored when the user histograms are at hand
    fig2 = plots.cdf_plot("X", sinr=np.ones((3, 3)), hist=user_hist)
    assert fig2.axes[0].get_ylabel() == "fraction of users [-]"
    assert plots.cdf_figure("X", hist=user_hist).startswith("data:image/png;base64,")


def test_cdf_fallbacks_say_pixels() -> None:
    arr = np.linspace(-5.0, 25.0, 100).reshape(10, 10)
    fig = plots.cdf_plot("X", sinr=arr, pdsch=arr + 5.0, dl=arr + 10.0, ul=arr + 10.0)
    assert fig.axes[0].get_ylabel() == "fraction of pixels [-]"
    assert _legend(fig.axes[0]) == [
        "SS-SINR, full SSB load, median outdoor user",
        "PDSCH SINR at the planning load",
    ]
    old = plots.cdf_plot("X", sinr=arr)  # an older run's raster: not called SS-SINR
    assert _legend(old.axes[0]) == ["SINR (older run), outdoor pixel"]
    from nrplan.report.plots import _LEGACY_EDGES

    counts = np.ones(len(_LEGACY_EDGES["sinr_db"]) - 1).tolist()
    hist_old = plots.cdf_plot("X", hist={"sinr_db": counts})
    assert hist_old.axes[0].get_ylabel() == "fraction of covered in-scope pixels [-]"
    assert plots.cdf_plot("X") is None and plots.cdf_figure("X", hist={}) is None


def test_city_panels_name_their_quantity() -> None:
    panels = maps.city_panels(["best_server", "rsrp", "sinr", "pdsch_sinr", "coverage"], 0.5)
    titles = {p[0]: p[1] for p in panels}
    labels = {p[0]: p[2] for p in panels}
    assert list(titles) == [
        "best_server",
        "coverage",
        "rsrp",
        "sinr",
        "pdsch_sinr",
        "dl_mbps",
        "ul_mbps",
    ]
    assert titles["sinr"].startswith("SS-SINR at full SSB load")
    assert titles["pdsch_sinr"].startswith("PDSCH SINR at 50 % planning load")
    assert labels["coverage"] == "covered share of the pixel's users [%]"
    assert "busy-hour" in labels["dl_mbps"] and "outdoor median" in labels["rsrp"]
    old = maps.city_panels(["best_server", "rsrp", "sinr", "dl_mbps"])
    assert [p[0] for p in old] == ["best_server", "rsrp", "sinr", "dl_mbps"]
    assert "older run" in old[2][1]
