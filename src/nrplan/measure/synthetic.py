"""Synthetic drive tests from a known "true" model (tests, benchmarks, demos).

The truth is the engine's own prediction (:func:`nrplan.measure.points.point_rsrp`)
with known per-class corrections ``a_c + b_c log10(d)`` and per-cell EIRP
errors, plus lognormal shadowing, one spatially correlated field per site
(exponential autocorrelation with the TR 38.901 V17.0.0 Table 7.5-6 NLOS
decorrelation distance and the Table 7.4.1-1 NLOS sigma_SF of each point's
scenario), plus Rayleigh fast fading (exponential power, unit mean) per sample.
Routes are straight streets (a grid of east-west and north-south lines); each
street is one route. The serving cell of a sample is the sector of the nearest
site whose azimuth points closest to the sample. Morphology classes are
east-west stripes of ``stripe_m``, cycling through ``classes``. Every random
draw comes from the ``rng`` passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nrplan.engine.config import PredictionConfig
from nrplan.geo.projection import WGS84, local_crs, transformer
from nrplan.io.sites import sites_to_sectors
from nrplan.measure.cells import cell_ids
from nrplan.measure.points import point_rsrp
from nrplan.morphology import MORPHOLOGIES
from nrplan.radio.pathloss import shadow_sigma
from nrplan.radio.shadowing import correlated_field, decorrelation_distance

__all__ = ["SyntheticDriveTest", "synthetic_drive_test"]


@dataclass(eq=False)
class SyntheticDriveTest:
    """The generated files' content and the truth behind them."""

    sites: pd.DataFrame  # sites.csv rows
    measurements: pd.DataFrame  # lon, lat, rsrp_dbm, cell_id, time, route, morphology
    corrections: dict[int, tuple[float, float]]
    eirp_errors_db: dict[str, float]
    sigma_db: np.ndarray  # shadowing sigma per sample


def synthetic_drive_test(
    rng: np.random.Generator,
    *,
    n_side: int = 3,
    isd_m: float = 800.0,
    corrections: Mapping[int, tuple[float, float]] | None = None,
    eirp_errors_db: Mapping[str, float] | None = None,
    street_step_m: float = 400.0,
    spacing_m: float = 0.5,
    stripe_m: float = 600.0,
    fading: bool = True,
    shadowing: bool = True,
    shadow_pixel_m: float = 5.0,
    centre_lonlat: tuple[float, float] = (121.47, 31.23),
) -> SyntheticDriveTest:
    """Generate a drive test over an ``n_side x n_side`` grid of 3-sector n78 sites.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only random source.
    n_side, isd_m : int, float
        Site grid and inter-site distance [m].
    corrections : mapping, optional
        True ``code -> (a_dB, b_dB_per_decade)``; its keys are the classes of
        the stripes (default urban/suburban/rural with no correction).
    eirp_errors_db : mapping, optional
        True EIRP error per cell id (``<site>-<k>``) [dB].
    street_step_m, spacing_m : float
        Street spacing and sample spacing along a street [m].
    stripe_m : float
        Width of the morphology stripes [m].
    fading : bool
        Add Rayleigh fast fading per sample.
    shadowing : bool
        Add the correlated lognormal shadowing.
    shadow_pixel_m : float
        Pixel of the shadowing fields [m].
    centre_lonlat : tuple
        Centre of the layout [deg].
    """
    import shapely

    corr = dict(corrections) if corrections else {2: (0.0, 0.0), 3: (0.0, 0.0), 4: (0.0, 0.0)}
    classes = sorted(corr)
    crs = local_crs(shapely.Point(*centre_lonlat))
    to_m = transformer(WGS84, crs)
    to_ll = transformer(crs, WGS84)
    cx, cy = to_m.transform(*centre_lonlat)
    half = (n_side - 1) * isd_m / 2.0
    rows = []
    for i in range(n_side):
        for j in range(n_side):
            sx, sy = cx - half + j * isd_m, cy - half + i * isd_m
            lon, lat = to_ll.transform(sx, sy)
            for k, az in enumerate((0.0, 120.0, 240.0)):
                rows.append(
                    {
                        "site_id": f"S{i * n_side + j + 1:03d}",
                        "lon": round(lon, 7),
                        "lat": round(lat, 7),
                        "height_m": 25.0,
                        "azimuth_deg": az,
                        "mech_tilt_deg": 2.0,
                        "elec_tilt_deg": 6.0,
                        "band": "n78",
                        "power_dbm": 53.0,
                        "antenna": "64t64r",
                        "_k": k,
                    }
                )
    sites = pd.DataFrame(rows).drop(columns="_k")
    ids = cell_ids(sites)
    sectors = sites_to_sectors(sites, crs)
    # streets
    lo, hi = -half - isd_m / 2.0, half + isd_m / 2.0
    lines = np.arange(lo + street_step_m / 2.0, hi, street_step_m)
    t = np.arange(lo, hi, spacing_m)
    xs, ys, route = [], [], []
    for r, c in enumerate(lines):
        xs += [cx + t, np.full(t.size, cx + c)]
        ys += [np.full(t.size, cy + c), cy + t]
        route += [np.full(t.size, f"EW{r + 1}"), np.full(t.size, f"NS{r + 1}")]
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    route = np.concatenate(route)
    code = np.array(classes)[np.floor((y - (cy + lo)) / stripe_m).astype(np.int64) % len(classes)]
    # serving cell: nearest site, sector facing the sample
    from scipy.spatial import cKDTree

    n_sites = n_side * n_side
    site_x, site_y = sectors.x[::3], sectors.y[::3]
    site = cKDTree(np.column_stack([site_x, site_y])).query(np.column_stack([x, y]))[1]
    bearing = np.degrees(np.arctan2(x - site_x[site], y - site_y[site])) % 360.0
    k = np.round(bearing / 120.0).astype(np.int64) % 3
    sector = site * 3 + k
    truth_cfg = PredictionConfig(pathloss_corrections=corr)
    rsrp = point_rsrp(sectors, crs, x, y, sector, code, truth_cfg)
    eirp = np.zeros(len(sites))
    for cid, v in (eirp_errors_db or {}).items():
        eirp[list(ids).index(cid)] = float(v)
    rsrp += eirp[sector]
    sigma = np.array([shadow_sigma(MORPHOLOGIES[int(c)].scenario, "nlos") for c in classes])
    sig = sigma[np.searchsorted(classes, code)]
    d_corr = decorrelation_distance(MORPHOLOGIES[classes[0]].scenario, "nlos")
    # one field per site over a window of half-width isd around it (its samples
    # are nearer to it than to any other site, so within isd / sqrt(2) x 1.1)
    nr = int(np.ceil(2.0 * isd_m / shadow_pixel_m)) + 1
    shadow = np.empty(x.size)
    order = np.argsort(site, kind="stable")
    starts = np.searchsorted(site[order], np.arange(n_sites + 1))
    for s in range(n_sites):
        sel = order[starts[s] : starts[s + 1]]
        field = correlated_field((nr, nr), shadow_pixel_m, d_corr, 1.0, rng)
        col = np.clip(((x[sel] - site_x[s] + isd_m) / shadow_pixel_m).astype(np.int64), 0, nr - 1)
        row = np.clip(((site_y[s] + isd_m - y[sel]) / shadow_pixel_m).astype(np.int64), 0, nr - 1)
        shadow[sel] = field[row, col]
    if shadowing:
        rsrp += shadow * sig
    if fading:
        rsrp += 10.0 * np.log10(rng.exponential(1.0, x.size))
    lon, lat = to_ll.transform(x, y)
    names = {c: MORPHOLOGIES[c].name for c in classes}
    meas = pd.DataFrame(
        {
            "lon": np.round(lon, 8),
            "lat": np.round(lat, 8),
            "rsrp_dbm": np.round(rsrp, 2),
            "cell_id": ids[sector],
            "time": np.arange(x.size) * 0.05,
            "route": route,
            "morphology": [names[int(c)] for c in code],
        }
    )
    errs = {str(k): float(v) for k, v in (eirp_errors_db or {}).items()}
    return SyntheticDriveTest(sites, meas, corr, errs, sig)
