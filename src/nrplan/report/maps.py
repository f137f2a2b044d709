"""Maps of the report: the national choropleth and the per-city raster maps.

The national map draws every embedded prefecture unit of China in grey and the
planned ones coloured by sites per km^2 and by area coverage (share of the
in-scope area where an outdoor user is covered; a marker on each planned unit
keeps small cities visible at national scale). A city map shows, over the
planning grid (decimated for display) with the sites, their sector azimuths and
the city boundary: the best server, the covered share of each pixel's users,
and the SS-RSRP, SS-SINR (full SSB load), PDSCH SINR (planning load) and DL / UL
rates (busy-hour load) of each pixel's median outdoor user. Older runs without
some of these rasters get the panels they have.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nrplan.geo.china import load_units
from nrplan.geo.projection import WGS84, grid_azimuth_deg, transformer
from nrplan.plan.records import CityResult
from nrplan.report.plots import fig_to_data_uri, new_figure
from nrplan.report.rundata import CityRasters, city_sectors, load_text

__all__ = ["CITY_PANELS", "city_maps", "city_panels", "national_map", "units_frame"]

#: Panels of a city map: layer, title, colour-bar label, colour map, scale of the
#: values. ``{load}`` is the run's planning load (e.g. ``50 %``).
CITY_PANELS: tuple[tuple[str, str, str, str | None, float], ...] = (
    (
        "best_server",
        "best server",
        "sector index [-] (colours repeat every 20)",
        None,
        1.0,
    ),
    (
        "coverage",
        "users covered (outdoor and indoor)",
        "covered share of the pixel's users [%]",
        "cividis",
        100.0,
    ),
    ("rsrp", "SS-RSRP, median outdoor user", "SS-RSRP, outdoor median [dBm]", "viridis", 1.0),
    (
        "sinr",
        "SS-SINR at full SSB load,\nmedian outdoor user",
        "SS-SINR, full SSB load [dB]",
        "viridis",
        1.0,
    ),
    (
        "pdsch_sinr",
        "PDSCH SINR at {load} planning load,\nmedian outdoor user",
        "PDSCH SINR at {load} planning load [dB]",
        "viridis",
        1.0,
    ),
    (
        "dl_mbps",
        "DL rate at busy-hour load,\nmedian outdoor user",
        "DL user rate, busy-hour load [Mbit/s]",
        "cividis",
        1.0,
    ),
    (
        "ul_mbps",
        "UL rate at busy-hour load,\nmedian outdoor user",
        "UL user rate, busy-hour load [Mbit/s]",
        "cividis",
        1.0,
    ),
)

#: Panels of an older run's city map (before the SS-SINR / PDSCH SINR split):
#: its ``sinr`` raster was the SINR of the outdoor pixel, not the SS-SINR.
_LEGACY_PANELS = (
    CITY_PANELS[0],
    CITY_PANELS[2],
    ("sinr", "SINR (older run, outdoor pixel)", "SINR [dB]", "viridis", 1.0),
    ("dl_mbps", "DL user rate at busy-hour load", "DL user rate [Mbit/s]", "cividis", 1.0),
)

#: Simplification tolerance of the national map's unit outlines [deg]; display only.
_SIMPLIFY_DEG = 0.02


@functools.lru_cache(maxsize=1)
def units_frame() -> Any:
    """The embedded prefecture units (WGS84), or ``None`` when unavailable."""
    try:
        return load_units()
    except Exception:  # the report must not fail for want of a base map
        return None


@functools.lru_cache(maxsize=1)
def _units_simplified() -> Any:
    units = units_frame()
    if units is None:
        return None
    return units.assign(geometry=units.geometry.simplify(_SIMPLIFY_DEG))


def national_map(cities: Sequence[CityResult]) -> str | None:
    """Choropleth of the planned units: sites per km^2 and area coverage [%]
    (share of the in-scope area where an outdoor user is covered).

    Returns a PNG data URI, or ``None`` when no city matches an embedded unit.
    """
    units = _units_simplified()
    if units is None:
        return None
    by_id = {c.city_id: c for c in cities}
    sel = units[units["adcode"].astype(str).isin(by_id)].copy()
    if sel.empty:
        return None
    recs = [by_id[str(a)] for a in sel["adcode"]]
    sel["density"] = [r.sites_per_km2 for r in recs]
    sel["coverage"] = [r.area_coverage_share * 100.0 for r in recs]
    pts = sel.geometry.representative_point()
    fig, axes = new_figure(1, 2, size=(11.0, 4.6))
    panels = (
        ("density", "Sites per km² of target area", "sites per km² [1/km²]", "viridis"),
        (
            "coverage",
            "Area coverage: in-scope area where\nan outdoor user is covered",
            "area coverage, outdoor user [%]",
            "cividis",
        ),
    )
    for ax, (col, title, label, cmap) in zip(axes[0], panels, strict=True):
        units.plot(ax=ax, color="#eeeeee", edgecolor="#bbbbbb", linewidth=0.2)
        vals = sel[col].to_numpy(float)
        finite = np.isfinite(vals)
        vmin, vmax = _limits(vals)
        if (~finite).any():
            sel[~finite].plot(ax=ax, color="#cccccc", edgecolor="#666666", hatch="///", lw=0.3)
        if finite.any():
            sel[finite].plot(
                ax=ax, column=col, cmap=cmap, vmin=vmin, vmax=vmax, edgecolor="#333", lw=0.3
            )
            sc = ax.scatter(
                pts.x[finite],
                pts.y[finite],
                c=vals[finite],
                cmap=cmap,
                vmin=vmin,
                vmax=vmax,
                s=36,
                edgecolors="black",
                linewidths=0.6,
                zorder=5,
            )
            fig.colorbar(sc, ax=ax, label=label, shrink=0.8)
        if (~finite).any():
            ax.scatter(
                pts.x[~finite],
                pts.y[~finite],
                marker="x",
                color="#666666",
                s=24,
                zorder=5,
                label="no target area",
            )
            ax.legend(loc="lower left", fontsize=7)
        ax.set_title(title)
        ax.set_xlabel("longitude [°E]")
        ax.set_ylabel("latitude [°N]")
    return fig_to_data_uri(fig)


def _limits(vals: np.ndarray, lo: float = 1.0, hi: float = 99.0) -> tuple[float, float]:
    v = vals[np.isfinite(vals)]
    if v.size == 0:
        return 0.0, 1.0
    a, b = (float(x) for x in np.percentile(v, [lo, hi]))
    if not b > a:
        a, b = a - 0.5, b + 0.5
    return a, b


def _city_sites(sectors: pd.DataFrame, city: CityResult) -> pd.DataFrame:
    if sectors.empty or not {"lon", "lat"} <= set(sectors.columns):
        return sectors.iloc[0:0]
    return city_sectors(sectors, city)


def city_panels(
    layers: Sequence[str], planning_load: float | None = None
) -> list[tuple[str, str, str, str | None, float]]:
    """The panels of a city map (title and label formatted): all of :data:`CITY_PANELS`
    (a missing layer shows "no data"), or the four of an older run's rasters when
    they have neither ``pdsch_sinr`` nor ``coverage``."""
    legacy = not ({"pdsch_sinr", "coverage"} & set(layers))
    load = load_text(planning_load)
    return [
        (layer, title.format(load=load), label.format(load=load), cmap, scale)
        for layer, title, label, cmap, scale in (_LEGACY_PANELS if legacy else CITY_PANELS)
    ]


def city_maps(
    city: CityResult,
    rasters: CityRasters,
    sectors: pd.DataFrame | None = None,
    planning_load: float | None = None,
    title: str | None = None,
) -> str:
    """Maps of one city (:data:`CITY_PANELS`, two a row) as a PNG data URI.

    ``planning_load`` (``config.link.planning_load``) names the PDSCH SINR's load;
    ``title`` names the city in the panels (default its name). The sites drawn are
    the city's, of the record's ``network`` when the sectors have one.
    """
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection

    name = title or city.name or city.key or "city"
    left, bottom, right, top = rasters.bounds
    extent_km = (left / 1e3, right / 1e3, bottom / 1e3, top / 1e3)
    sites_xy = np.empty((0, 2))
    seg = np.empty((0, 2, 2))
    sel = _city_sites(sectors if sectors is not None else pd.DataFrame(), city)
    if len(sel):
        tr = transformer(WGS84, rasters.crs)
        x, y = tr.transform(sel["lon"].to_numpy(float), sel["lat"].to_numpy(float))
        x, y = np.asarray(x), np.asarray(y)
        sites_xy = np.unique(np.round(np.column_stack([x / 1e3, y / 1e3]), 4), axis=0)
        if "azimuth_deg" in sel.columns:
            # sites.gpkg holds true bearings; the map is in the projected grid
            true_az = sel["azimuth_deg"].to_numpy(float)
            az = np.radians(np.asarray(grid_azimuth_deg(true_az, x, y, rasters.crs)))
            length = 0.03 * max(extent_km[1] - extent_km[0], extent_km[3] - extent_km[2])
            xk, yk = x / 1e3, y / 1e3
            seg = np.stack(
                [
                    np.column_stack([xk, yk]),
                    np.column_stack([xk + length * np.sin(az), yk + length * np.cos(az)]),
                ],
                axis=1,
            )
            seg = seg[np.isfinite(seg).all(axis=(1, 2))]
    some = next(iter(rasters.layers.values()))
    pixel_m = (right - left) / max(some.shape[1], 1)
    boundary = _city_boundary(city, rasters.crs, rasters.bounds, pixel_m)
    panels = city_panels(list(rasters.layers), planning_load)
    nrows = (len(panels) + 1) // 2
    height = 1.2 + 4.1 * nrows
    fig, axes = new_figure(
        nrows,
        2,
        size=(10.0, height),
        margins={
            "left": 0.07,
            "right": 0.97,
            "bottom": 0.45 / height,
            "top": 1.0 - 1.0 / height,
            "wspace": 0.35,
            "hspace": 0.35,
        },
    )
    for ax in axes.ravel()[len(panels) :]:
        ax.set_axis_off()
    for ax, (layer, title, label, cmap_name, scale) in zip(axes.ravel(), panels, strict=False):
        arr = rasters.layers.get(layer)
        ax.set_title(f"{name}: {title}", fontsize=10)
        ax.set_xlabel("easting [km]")
        ax.set_ylabel("northing [km]")
        if arr is None or not np.isfinite(arr).any():
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
            ax.set_xlim(extent_km[0], extent_km[1])
            ax.set_ylim(extent_km[2], extent_km[3])
            continue
        if layer == "best_server":
            cmap = colormaps["tab20"].with_extremes(bad=(1, 1, 1, 0))
            shown = np.where(np.isfinite(arr), np.mod(arr, 20), np.nan)
            im = ax.imshow(
                shown, extent=extent_km, cmap=cmap, vmin=-0.5, vmax=19.5, interpolation="nearest"
            )
        else:
            cmap = colormaps[cmap_name or "viridis"].with_extremes(bad=(1, 1, 1, 0))
            shown = arr * scale
            vmin, vmax = (0.0, 100.0) if layer == "coverage" else _limits(shown)
            im = ax.imshow(
                shown, extent=extent_km, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest"
            )
        fig.colorbar(im, ax=ax, label=label, shrink=0.85)
        if boundary is not None:
            boundary.plot(ax=ax, color="black", linewidth=0.8)
        if len(seg) and layer == "best_server":  # sector ticks on the best-server map
            ax.add_collection(LineCollection(seg, colors="white", linewidths=0.6, zorder=4))
        if len(sites_xy):
            ax.scatter(
                sites_xy[:, 0],
                sites_xy[:, 1],
                marker="^",
                s=14,
                c="white",
                edgecolors="black",
                linewidths=0.5,
                zorder=5,
                label="site",
            )
        ax.set_xlim(extent_km[0], extent_km[1])
        ax.set_ylim(extent_km[2], extent_km[3])
        ax.set_aspect("equal")
    crs_txt = str(getattr(rasters.crs, "to_string", lambda: rasters.crs)())
    fig.suptitle(
        f"{name} — {len(sites_xy)} sites (▲; white ticks on the best-server map: sector "
        "azimuths); "
        f"black line: city boundary; CRS {crs_txt}\n"
        "per pixel: its median outdoor user (coverage: all its users, indoor included)",
        fontsize=9,
    )
    return fig_to_data_uri(fig)


def _city_boundary(
    city: CityResult, crs: Any, bounds: tuple[float, float, float, float], pixel_m: float
) -> Any:
    """The city's boundary in ``crs`` (km), clipped to ``bounds`` and simplified, or None."""
    units = units_frame()
    if units is None or not city.city_id:
        return None
    sel = units[units["adcode"].astype(str) == city.city_id]
    if sel.empty:
        return None
    try:
        from shapely.geometry import box

        left, bottom, right, top = bounds
        pad = 0.05 * max(right - left, top - bottom)
        frame = box(left - pad, bottom - pad, right + pad, top + pad)
        line = sel.to_crs(crs).boundary.clip(frame).simplify(pixel_m)
        line = line[~line.is_empty]
        if line.empty:
            return None
        return line.scale(xfact=1e-3, yfact=1e-3, origin=(0, 0))
    except Exception:
        return None
