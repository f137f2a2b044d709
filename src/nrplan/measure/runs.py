"""Library side of ``nrplan compare-measurements`` and ``nrplan tune``.

:func:`run_compare` predicts the engine's SS-RSRP at the binned drive-test
points and writes the comparison (report, residuals, summary) into a
directory; :func:`run_tune` fits the tuned model and writes its TOML file.
Details and sources: ``docs/tuning.md``.
"""

from __future__ import annotations

import time
from pathlib import Path

from nrplan import __version__
from nrplan.engine.config import PredictionConfig
from nrplan.errors import NrplanInputError, check_range
from nrplan.io.atomic import staged_dir, write_json_atomic, write_text_atomic
from nrplan.io.outpath import check_out_dir, check_out_file
from nrplan.measure.dataset import load_drive_test
from nrplan.measure.fit import Priors
from nrplan.measure.modelfile import file_sha256, load_tuned_model, render_toml
from nrplan.measure.pipeline import bin_drive_test, error_stats, grouped_stats, tune
from nrplan.measure.read import read_column_mapping
from nrplan.measure.report import render_report

__all__ = ["COMPARE_FILES", "run_compare", "run_tune"]

COMPARE_FILES = ("report.html", "residuals.csv", "summary.json")


def _mapping(columns: Path | None, maps: list[str] | None, crs: str | None):
    mapping: dict[str, str] = {}
    if columns is not None:
        mapping, file_crs = read_column_mapping(columns)
        crs = crs or file_crs
    for item in maps or []:
        if "=" not in item:
            raise NrplanInputError("--map", item, 'canonical=HEADER, e.g. rsrp_dbm="SS-RSRP"')
        k, v = item.split("=", 1)
        mapping[k.strip()] = v.strip()
    return mapping, crs


def _bin(bin_m: float | None) -> float | None:
    if bin_m is not None:
        check_range("--bin-m", bin_m, 0.0, 10_000.0, unit="m")
    return bin_m


def _load(
    sites, measurements, columns, maps, crs, scenario, max_distance_km, offsets=None,
    clutter=None, clutter_map=None,
):  # fmt: skip

    check_range("--max-distance-km", max_distance_km, 0.0, 100.0, lo_open=True, unit="km")
    mapping, crs = _mapping(columns, maps, crs)
    return load_drive_test(
        sites,
        measurements,
        mapping=mapping,
        crs=crs,
        scenario=scenario,
        max_distance_m=max_distance_km * 1000.0,
        cell_offsets_db=offsets,
        clutter=clutter,
        clutter_map=clutter_map,
    )


def run_compare(
    sites: Path,
    measurements: Path,
    out: Path,
    model: Path | None = None,
    *,
    columns: Path | None = None,
    maps: list[str] | None = None,
    crs: str | None = None,
    scenario: str = "urban",
    bin_m: float | None = None,
    bin_mean: str = "linear",
    max_distance_km: float = 10.0,
    clutter: Path | None = None,
    clutter_map: Path | None = None,
) -> dict:
    """Compare a drive test with the prediction; write report, residuals and summary."""

    t0 = time.perf_counter()
    out = check_out_dir(out, own_files=COMPARE_FILES, command="compare-measurements")
    bin_m = _bin(bin_m)
    tuned = load_tuned_model(model) if model is not None else None
    cfg = tuned.apply(PredictionConfig()) if tuned else PredictionConfig()
    dt = _load(
        sites,
        measurements,
        columns,
        maps,
        crs,
        scenario,
        max_distance_km,
        tuned.cell_offsets_db if tuned else None,
        clutter,
        clutter_map,
    )
    bins = bin_drive_test(dt, bin_m, bin_mean, cfg)
    per_class, per_cell = grouped_stats(bins, dt)
    summary = {
        **error_stats(bins["error_db"], bins["rsrp_dbm"], bins["predicted_dbm"]),
        "per_class": per_class,
        "per_cell": per_cell,
        "error_definition": "predicted - measured SS-RSRP of the serving cell [dB]",
        "binning": (
            "none (single samples)"
            if bin_m == 0
            else f"{bin_m:g} m squares"
            if bin_m
            else "40 wavelengths (Lee 1985)"
        )
        + f", {bin_mean} mean",
        "samples_per_bin_mean": float(bins["n"].mean()),
        "rows": dt.summary(),
        "model": tuned.describe() if tuned else None,
        "crs": dt.crs,
        "files": list(COMPARE_FILES),
    }
    with staged_dir(out) as tmp:
        cols = [
            "lon",
            "lat",
            "cell_id",
            "code",
            "n",
            "d_2d",
            "rsrp_dbm",
            "predicted_dbm",
            "error_db",
        ]
        bins[cols].rename(
            columns={
                "rsrp_dbm": "measured_dbm",
                "code": "morphology_code",
                "n": "samples",
                "d_2d": "distance_m",
            }
        ).to_csv(tmp / "residuals.csv", index=False, float_format="%.3f")
        (tmp / "report.html").write_text(render_report(summary, bins), encoding="utf-8")
        summary["timings_s"] = {"total": time.perf_counter() - t0}
        write_json_atomic(tmp / "summary.json", summary)
    return summary


def run_tune(
    sites: Path,
    measurements: Path,
    out: Path,
    *,
    columns: Path | None = None,
    maps: list[str] | None = None,
    crs: str | None = None,
    scenario: str = "urban",
    bin_m: float | None = None,
    bin_mean: str = "linear",
    cell_offsets: bool = True,
    folds: int = 5,
    cv_group: str = "cell",
    seed: int = 1,
    prior_intercept_db: float = 10.0,
    prior_slope_db: float = 10.0,
    prior_cell_db: float = 3.0,
    max_distance_km: float = 10.0,
    clutter: Path | None = None,
    clutter_map: Path | None = None,
) -> dict:
    """Fit a tuned model to a drive test and write it (TOML); returns the document."""

    t0 = time.perf_counter()
    out = check_out_file(out)
    if out.suffix.lower() != ".toml":
        raise NrplanInputError("--out", str(out), "a .toml file path")
    bin_m = _bin(bin_m)
    check_range("--prior-intercept-db", prior_intercept_db, 0.0, 100.0, lo_open=True, unit="dB")
    check_range("--prior-slope-db", prior_slope_db, 0.0, 100.0, lo_open=True, unit="dB/decade")
    check_range("--prior-cell-db", prior_cell_db, 0.0, 100.0, lo_open=True, unit="dB")
    if seed < 0:
        raise NrplanInputError("--seed", seed, "an integer >= 0")
    dt = _load(
        sites, measurements, columns, maps, crs, scenario, max_distance_km, None, clutter,
        clutter_map,
    )  # fmt: skip
    doc, bins = tune(
        dt,
        bin_m=bin_m,
        mean=bin_mean,
        cell_offsets=cell_offsets,
        folds=folds,
        group_by=cv_group,
        seed=seed,
        priors=Priors(prior_intercept_db, prior_slope_db, prior_cell_db),
    )
    data = {
        "sites_file": str(sites),
        "sites_sha256": file_sha256(sites),
        "measurements_file": str(measurements),
        "measurements_sha256": file_sha256(measurements),
        **{k: v for k, v in dt.summary().items() if k != "dropped_by_reason"},
        "dropped": dt.summary()["dropped_by_reason"],
        "bins": len(bins),
        "bin": "40 wavelengths (Lee 1985)" if bin_m is None else f"{bin_m:g} m",
        "bin_mean": bin_mean,
        "default_morphology": scenario,
        "crs": dt.crs,
    }
    doc = {
        "format": doc.pop("format"),
        "version": doc.pop("version"),
        "created_by": f"nrplan {__version__} tune",
        "data": data,
        **doc,
    }
    doc["fit"]["time_s"] = time.perf_counter() - t0
    text = render_toml(
        doc,
        "nrplan tuned propagation model: apply with --model FILE "
        "(predict, plan, private, compare-measurements)",
    )
    write_text_atomic(out, text)
    return doc
