"""Compare and tune: the two drive-test workflows on top of the measure modules.

Errors are ``predicted - measured`` [dB] everywhere (positive = the model is
optimistic). Statistics are over the bins of :mod:`nrplan.measure.binning`
(local means; ``bin_m = 0`` compares single samples).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nrplan.engine.config import PredictionConfig
from nrplan.engine.lookup import d2d_min
from nrplan.errors import NrplanInputError, check_choice
from nrplan.geo.projection import WGS84, transformer
from nrplan.measure.binning import bin_measurements, lee_bin_m
from nrplan.measure.dataset import DriveTest
from nrplan.measure.fit import HUBER_K, Priors, cross_validate, fit_corrections
from nrplan.measure.points import point_rsrp
from nrplan.morphology import MORPHOLOGIES
from nrplan.radio.bands import get_band
from nrplan.radio.shadowing import decorrelation_distance

__all__ = ["bin_drive_test", "error_stats", "grouped_stats", "spatial_clusters", "tune"]

CLUSTER_DCORR = 10.0
"""Side of a standard-error cluster in decorrelation distances."""


def _scenario(code: int, config: PredictionConfig) -> str:

    return (config.scenarios or {}).get(int(code), MORPHOLOGIES[int(code)].scenario)


def spatial_clusters(x, y, codes, config: PredictionConfig) -> tuple[np.ndarray, float]:
    """Cluster id per bin: squares of side ``10 d_corr`` (TR 38.901 Table 7.5-6, NLOS,
    of the most common class's scenario); returns the ids and the side [m]."""

    vals, counts = np.unique(np.asarray(codes), return_counts=True)
    d_corr = decorrelation_distance(_scenario(vals[np.argmax(counts)], config), "nlos")
    side = CLUSTER_DCORR * d_corr
    ix = np.floor(np.asarray(x) / side).astype(np.int64)
    iy = np.floor(np.asarray(y) / side).astype(np.int64)
    ids, _ = pd.factorize(pd.MultiIndex.from_arrays([ix, iy]))
    return np.asarray(ids, np.int64), float(side)


def bin_drive_test(
    dt: DriveTest,
    bin_m: float | None = None,
    mean: str = "linear",
    config: PredictionConfig | None = None,
) -> pd.DataFrame:
    """Bin the drive test and predict at the bins.

    Parameters
    ----------
    dt : DriveTest
        From :func:`nrplan.measure.dataset.load_drive_test`.
    bin_m : float, optional
        Bin side [m]; None = 40 wavelengths of each cell's band (Lee 1985); 0 =
        no binning.
    mean : {"linear", "db"}
        Averaging (see :func:`nrplan.measure.binning.bin_measurements`).
    config : PredictionConfig, optional
        Prediction settings (with any tuned corrections).

    Returns
    -------
    pandas.DataFrame
        Bins with ``predicted_dbm``, ``d_2d`` [m], ``xlog`` (log10 of the
        distance clamped to the table minimum) and ``error_db``.
    """

    cfg = config if config is not None else PredictionConfig()
    if bin_m is None:
        fc = np.array([get_band(b).f_c_ghz for b in dt.sectors.band])
        side = lee_bin_m(fc)
    else:
        side = float(bin_m)
    bins = bin_measurements(dt.points, side, mean)
    s = bins["sector"].to_numpy(np.int64)
    bins["predicted_dbm"] = point_rsrp(
        dt.sectors, dt.crs, bins["x"], bins["y"], s, bins["code"], cfg
    )
    d = np.hypot(bins["x"].to_numpy() - dt.sectors.x[s], bins["y"].to_numpy() - dt.sectors.y[s])
    dmin = np.array([d2d_min(_scenario(c, cfg)) for c in bins["code"]]) if len(bins) else d
    bins["d_2d"] = d
    bins["xlog"] = np.log10(np.maximum(d, dmin))
    bins["error_db"] = bins["predicted_dbm"] - bins["rsrp_dbm"]

    lon, lat = transformer(dt.crs, WGS84).transform(bins["x"].to_numpy(), bins["y"].to_numpy())
    bins["lon"], bins["lat"] = np.asarray(lon, float), np.asarray(lat, float)
    bins["cell_id"] = dt.cell_ids[s] if len(bins) else []
    return bins


def error_stats(err, measured=None, predicted=None) -> dict:
    """Mean error, standard deviation, RMSE [dB], count and (with both series)
    the Pearson correlation of predicted and measured."""
    e = np.asarray(err, float)
    out = {
        "mean_error_db": float(np.mean(e)) if e.size else None,
        "std_db": float(np.std(e)) if e.size else None,
        "rmse_db": float(np.sqrt(np.mean(e**2))) if e.size else None,
        "n_points": int(e.size),
    }
    if measured is not None and predicted is not None and e.size > 2:
        m, p = np.asarray(measured, float), np.asarray(predicted, float)
        ok = np.std(m) > 0 and np.std(p) > 0
        out["correlation"] = float(np.corrcoef(m, p)[0, 1]) if ok else None
    return out


def grouped_stats(bins: pd.DataFrame, dt: DriveTest) -> tuple[dict, dict]:
    """Error statistics per morphology class (by name) and per cell (by cell id)."""

    per_class = {}
    for code, g in bins.groupby("code", sort=True):
        per_class[MORPHOLOGIES[int(code)].name] = error_stats(
            g["error_db"], g["rsrp_dbm"], g["predicted_dbm"]
        )
    per_cell = {}
    for s, g in bins.groupby("sector", sort=True):
        per_cell[str(dt.cell_ids[int(s)])] = error_stats(
            g["error_db"], g["rsrp_dbm"], g["predicted_dbm"]
        )
    return per_class, per_cell


def _ci(v: float, se: float) -> list[float]:
    return [v - 1.959964 * se, v + 1.959964 * se]


def tune(
    dt: DriveTest,
    *,
    bin_m: float | None = None,
    mean: str = "linear",
    cell_offsets: bool = True,
    folds: int = 5,
    group_by: str = "cell",
    seed: int = 1,
    priors=None,
    config: PredictionConfig | None = None,
) -> tuple[dict, dict]:
    """Fit corrections and cross-validate them.

    Returns
    -------
    doc : dict
        The tuned model file's content (:mod:`nrplan.measure.modelfile`),
        without the ``data`` file provenance (added by the caller).
    bins : pandas.DataFrame
        The bins with the untuned prediction.
    """

    group_by = check_choice("--cv-group", group_by, ("cell", "route"))
    if not 2 <= int(folds) <= 50:
        raise NrplanInputError("--folds", folds, "an integer in [2, 50]")
    pri = priors if priors is not None else Priors()
    cfg = config if config is not None else PredictionConfig()
    bins = bin_drive_test(dt, bin_m, mean, cfg)
    resid = -bins["error_db"].to_numpy()  # measured - predicted
    cluster, side = spatial_clusters(bins["x"], bins["y"], bins["code"], cfg)
    args = (
        resid,
        bins["xlog"].to_numpy(),
        bins["code"].to_numpy(),
        bins["sector"].to_numpy(),
        cluster,
    )
    fit = fit_corrections(*args, cell_offsets=cell_offsets, priors=pri)
    if group_by == "route":
        if "route" not in bins or bins["route"].nunique() < 2:
            raise NrplanInputError(
                "--cv-group", "route", "measurements with a route column of >= 2 routes"
            )
        groups = pd.factorize(bins["route"])[0]
    else:
        groups = bins["sector"].to_numpy()
    rng = np.random.default_rng(seed)
    cv = cross_validate(
        *args, groups, k=folds, group_by=group_by, rng=rng, cell_offsets=cell_offsets, priors=pri
    )
    cvs = cv.stats()
    tuned_err = -(fit.residual_db)
    classes = {}
    for i, code in enumerate(fit.classes):
        a, b = float(fit.a_db[i]), float(fit.b_db[i])
        sa, sb = float(fit.se_a_db[i]), float(fit.se_b_db[i])
        classes[MORPHOLOGIES[int(code)].name] = {
            "code": int(code),
            "intercept_db": a,
            "slope_db_per_decade": b,
            "se_intercept_db": sa,
            "se_slope_db_per_decade": sb,
            "ci95_intercept_db": _ci(a, sa),
            "ci95_slope_db_per_decade": _ci(b, sb),
            "cov_intercept_slope": float(fit.cov_ab[i]),
            "n_bins": int(fit.n_bins_class[i]),
        }
    cells = {}
    for j, s in enumerate(fit.cells):
        o, so = float(fit.offset_db[j]), float(fit.se_offset_db[j])
        cells[str(dt.cell_ids[int(s)])] = {
            "offset_db": o,
            "se_db": so,
            "ci95_db": _ci(o, so),
            "n_bins": int(fit.n_bins_cell[j]),
        }
    untuned = error_stats(bins["error_db"])
    doc = {
        "format": "nrplan-tuned-model",
        "version": 1,
        "fit": {
            "method": "scipy.optimize.least_squares trf, Huber loss on standardised residuals",
            "f_scale": HUBER_K,
            "scale_db": fit.scale_db,
            "converged": fit.converged,
            "cell_offsets": bool(cell_offsets),
            "prior_intercept_db": pri.intercept_db,
            "prior_slope_db_per_decade": pri.slope_db_per_decade,
            "prior_cell_db": pri.cell_db,
            "se_method": "cluster-robust sandwich",
            "cluster_side_m": side,
            "n_clusters": fit.n_clusters,
            "n_bins": len(bins),
            "in_sample_rmse_db": error_stats(tuned_err)["rmse_db"],
            "in_sample_mean_error_db": error_stats(tuned_err)["mean_error_db"],
            "untuned_rmse_db": untuned["rmse_db"],
            "untuned_mean_error_db": untuned["mean_error_db"],
        },
        "cv": {
            "folds": cvs["folds"],
            "grouped_by": group_by,
            "seed": int(seed),
            "n_bins": cvs["n_bins"],
            # sign: predicted - measured
            "mean_error_db": -cvs["tuned"]["mean_error_db"],
            "std_db": cvs["tuned"]["std_db"],
            "rmse_db": cvs["tuned"]["rmse_db"],
            "untuned_mean_error_db": -cvs["untuned"]["mean_error_db"],
            "untuned_rmse_db": cvs["untuned"]["rmse_db"],
        },
        "classes": classes,
        "cells": cells,
    }
    for k, v in doc["fit"].items():
        if isinstance(v, float) and not math.isfinite(v):
            doc["fit"][k] = None
    return doc, bins
