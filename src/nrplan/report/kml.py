"""KMZ export for Google Earth: a placemark per site, an RSRP overlay per city.

The KMZ (a zip holding ``doc.kml`` first, then ``files/*.png``) has one folder
per city (with several networks, one folder per network holding its cities,
each network's sites in their own colour and only the first network's RSRP
overlays shown at opening) with its sites (sectors grouped by ``site_id``; the description lists
band, azimuth, tilts, height, power and load of each sector) and a
``GroundOverlay`` of the city's SS-RSRP (each pixel's median outdoor user): the
GeoTIFF warped to EPSG:4326 with :func:`rasterio.warp.reproject` and coloured
with viridis, transparent where not predicted, placed by its ``LatLonBox``. A
``ScreenOverlay`` carries the colour bar.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from nrplan.io.atomic import atomic_path
from nrplan.report.plots import new_figure
from nrplan.report.rundata import RunData, city_sectors, load_run

__all__ = ["RSRP_RANGE_DBM", "rsrp_overlay", "write_kmz"]

#: Colour range of the RSRP overlay [dBm] (fixed so cities compare at a glance).
RSRP_RANGE_DBM = (-120.0, -60.0)

#: Largest side of a warped overlay [px]; bigger rasters are decimated first.
_MAX_OVERLAY_PX = 1500


def _x(v: Any) -> str:
    return escape(str(v))


def rsrp_overlay(tif: Path) -> tuple[bytes, tuple[float, float, float, float]] | None:
    """Warp an RSRP GeoTIFF to EPSG:4326 and colour it.

    Returns
    -------
    (png bytes, (west, south, east, north)) or None
        ``None`` when the raster holds no finite value.
    """
    import rasterio
    from affine import Affine
    from matplotlib import colormaps
    from rasterio.enums import Resampling
    from rasterio.warp import calculate_default_transform, reproject

    with rasterio.open(tif) as src:
        step = max(1, int(np.ceil(max(src.height, src.width) / _MAX_OVERLAY_PX)))
        h, w = max(1, src.height // step), max(1, src.width // step)
        data = src.read(1, out_shape=(h, w), resampling=Resampling.nearest, masked=True)
        arr = np.ma.filled(data.astype(np.float32), np.nan)
        src_transform = src.transform @ Affine.scale(src.width / w, src.height / h)
        src_crs = src.crs
        bounds = src.bounds
    if not np.isfinite(arr).any():
        return None
    dst_crs = "EPSG:4326"
    transform, dw, dh = calculate_default_transform(src_crs, dst_crs, w, h, *bounds)
    dst = np.full((dh, dw), np.nan, dtype=np.float32)
    reproject(
        arr,
        dst,
        src_transform=src_transform,
        src_crs=src_crs,
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs=dst_crs,
        dst_nodata=np.nan,
        resampling=Resampling.nearest,
    )
    lo, hi = RSRP_RANGE_DBM
    rgba = colormaps["viridis"]((np.clip(dst, lo, hi) - lo) / (hi - lo))
    rgba[..., 3] = np.where(np.isfinite(dst), 0.7, 0.0)
    buf = io.BytesIO()
    from matplotlib.image import imsave

    imsave(buf, rgba, format="png")
    west, north = transform.c, transform.f
    east = west + transform.a * dw
    south = north + transform.e * dh
    return buf.getvalue(), (west, south, east, north)


def _legend_png() -> bytes:
    fig, axes = new_figure(1, 1, size=(3.2, 0.9))
    ax = axes[0, 0]
    grad = np.linspace(0, 1, 256)[None, :]
    lo, hi = RSRP_RANGE_DBM
    ax.imshow(grad, aspect="auto", cmap="viridis", extent=(lo, hi, 0, 1))
    ax.set_yticks([])
    ax.set_xlabel("SS-RSRP, median outdoor user [dBm]")
    ax.set_title("nrplan SS-RSRP per pixel", fontsize=9)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


#: Fill colours of the site icons of the networks of a several-network run.
_NETWORK_COLOURS = ((1.0, 1.0, 1.0), (1.0, 0.55, 0.0), (0.2, 0.8, 1.0), (0.9, 0.2, 0.6))


def _site_icon_png(size: int = 32, fill: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> bytes:
    """A triangle (white by default) with a black rim, embedded so the KMZ needs no
    network."""
    from matplotlib.image import imsave

    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    half = (yy / size) * (size / 2)  # triangle apex at the top
    dist = np.abs(xx - size / 2)
    inside = dist <= half
    rim = inside & ((dist >= half - 2.5) | (yy >= size - 2.5))
    rgba = np.zeros((size, size, 4))
    rgba[inside] = (*fill, 1.0)
    rgba[rim] = (0.0, 0.0, 0.0, 1.0)
    buf = io.BytesIO()
    imsave(buf, rgba, format="png")
    return buf.getvalue()


def _site_placemarks(
    sectors: pd.DataFrame, style: str = "site", network: str | None = None
) -> list[str]:
    out = []
    if sectors.empty or not {"lon", "lat"} <= set(sectors.columns):
        return out
    key = "site_id" if "site_id" in sectors.columns else None
    groups = sectors.groupby(key, sort=True) if key else ((i, r) for i, r in sectors.iterrows())
    cols = [
        c
        for c in (
            "sector",
            "band",
            "azimuth_deg",
            "mech_tilt_deg",
            "elec_tilt_deg",
            "height_m",
            "power_dbm",
            "antenna",
            "load",
        )
        if c in sectors.columns
    ]
    for site, g in groups:
        g = g if isinstance(g, pd.DataFrame) else g.to_frame().T
        lon = float(g["lon"].astype(float).mean())
        lat = float(g["lat"].astype(float).mean())
        if not (np.isfinite(lon) and np.isfinite(lat)):
            continue
        rows = "".join(
            "<tr>" + "".join(f"<td>{_fmt(r[c])}</td>" for c in cols) + "</tr>"
            for _, r in g.iterrows()
        )
        head = "".join(f"<th>{c}</th>" for c in cols)
        city = g["city"].iloc[0] if "city" in g.columns else ""
        net = f" (network {network})" if network else ""
        desc = (
            f"<p>{city}{net}: {len(g)} sectors</p><table border='1'><tr>{head}</tr>{rows}</table>"
        )
        out.append(
            f"<Placemark><name>{_x(site)}</name><styleUrl>#{style}</styleUrl>"
            f"<description><![CDATA[{desc}]]></description>"
            f"<Point><coordinates>{lon:.7f},{lat:.7f},0</coordinates></Point></Placemark>"
        )
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        return f"{float(v):.3g}" if abs(float(v)) < 1 else f"{float(v):.1f}"
    return escape(str(v))


def write_kmz(run_dir: str | Path | RunData, out: str | Path | None = None) -> Path:
    """Write ``sites.kmz`` (sites + RSRP overlays) of a run directory.

    Parameters
    ----------
    run_dir : path or RunData
        A run directory written by ``nrplan plan``.
    out : path, optional
        Output file; default ``<run_dir>/sites.kmz``.

    Returns
    -------
    Path
        The KMZ written (atomically).
    """
    run = run_dir if isinstance(run_dir, RunData) else load_run(run_dir)
    sectors = run.sectors()
    files: dict[str, bytes] = {}
    multi = run.multi_network
    names = run.network_names if multi else [None]
    style_of = {n: "site" if i == 0 else f"site-{i}" for i, n in enumerate(names)}
    by_net: dict[Any, list[str]] = {n: [] for n in names}
    for city in sorted(run.city_results, key=lambda c: -c.sites):
        key = city.key or city.city_id or "city"
        net = city.network if multi else None
        if net not in by_net:  # a record without a network of a several-network run
            by_net[net] = []
            style_of[net] = "site"
        shown = "" if net in (None, names[0]) else "<visibility>0</visibility>"
        name = city.name if city.has("name") else key
        parts = [f"<Folder><name>{_x(name)}</name>"]
        tif = run.raster_dir(city) / "rsrp.tif"
        if tif.is_file():
            try:
                ov = rsrp_overlay(tif)
            except Exception:  # a corrupt raster only costs its overlay
                ov = None
            if ov is not None:
                png, (w, s, e, n) = ov
                href = f"files/rsrp_{key}.png"
                files[href] = png
                label = name + (f" ({net})" if net else "")
                parts.append(
                    "<GroundOverlay><name>SS-RSRP (outdoor median) "
                    f"{_x(label)}</name>{shown}"
                    f"<Icon><href>{_x(href)}</href></Icon>"
                    f"<LatLonBox><north>{n:.7f}</north><south>{s:.7f}</south>"
                    f"<east>{e:.7f}</east><west>{w:.7f}</west></LatLonBox></GroundOverlay>"
                )
        sites = _site_placemarks(city_sectors(sectors, city), style_of[net], net)
        if sites:
            parts.append("<Folder><name>sites</name>" + "".join(sites) + "</Folder>")
        parts.append("</Folder>")
        by_net[net].append("".join(parts))
    if multi:
        folders = [
            f"<Folder><name>{_x(f'{n}: {run.network_label(n)}')}</name><open>1</open>"
            + "".join(f)
            + "</Folder>"
            for n, f in by_net.items()
            if f
        ]
    else:
        folders = [f for fs in by_net.values() for f in fs]
    legend = ""
    if files:
        files["files/legend.png"] = _legend_png()
        legend = (
            "<ScreenOverlay><name>SS-RSRP legend</name><Icon><href>files/legend.png</href></Icon>"
            '<overlayXY x="0" y="0" xunits="fraction" yunits="fraction"/>'
            '<screenXY x="0.01" y="0.05" xunits="fraction" yunits="fraction"/>'
            '<size x="0" y="0" xunits="pixels" yunits="pixels"/></ScreenOverlay>'
        )
    styles = []
    for i, sid in enumerate(dict.fromkeys(style_of.values())):
        png = "files/site.png" if sid == "site" else f"files/{sid}.png"
        files[png] = _site_icon_png(fill=_NETWORK_COLOURS[i % len(_NETWORK_COLOURS)])
        styles.append(
            f'<Style id="{sid}"><IconStyle><scale>0.8</scale><Icon>'
            f"<href>{png}</href></Icon></IconStyle></Style>"
        )
    style = "".join(styles)
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>nrplan {_x(run.label)}</name>{style}{legend}{''.join(folders)}"
        "</Document></kml>\n"
    )
    path = Path(out) if out is not None else run.path / "sites.kmz"
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", doc)
        for name, data in files.items():
            zf.writestr(name, data)
    return path
