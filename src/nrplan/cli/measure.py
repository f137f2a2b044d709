"""``nrplan compare-measurements`` and ``nrplan tune``: drive tests in, a tuned model out.

See :mod:`nrplan.measure` and ``docs/tuning.md``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._options import ClutterMapOption, ClutterOption, ModelOption
from nrplan.errors import NrplanInputError

__all__ = ["COMPARE_FILES", "register", "run_compare", "run_tune"]

COMPARE_FILES = ("report.html", "residuals.csv", "summary.json")


def _mapping(columns: Path | None, maps: list[str] | None, crs: str | None):
    mapping: dict[str, str] = {}
    if columns is not None:
        from nrplan.measure.read import read_column_mapping

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
        from nrplan.errors import check_range

        check_range("--bin-m", bin_m, 0.0, 10_000.0, unit="m")
    return bin_m


def _load(
    sites, measurements, columns, maps, crs, scenario, max_distance_km, offsets=None,
    clutter=None, clutter_map=None,
):  # fmt: skip
    from nrplan.errors import check_range
    from nrplan.measure.dataset import load_drive_test

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

    from nrplan.engine.config import PredictionConfig
    from nrplan.io.atomic import staged_dir, write_json_atomic
    from nrplan.io.outpath import check_out_dir
    from nrplan.measure.modelfile import load_tuned_model
    from nrplan.measure.pipeline import bin_drive_test, error_stats, grouped_stats
    from nrplan.measure.report import render_report

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
    from nrplan import __version__
    from nrplan.errors import check_range
    from nrplan.io.atomic import write_text_atomic
    from nrplan.io.outpath import check_out_file
    from nrplan.measure.fit import Priors
    from nrplan.measure.modelfile import file_sha256, render_toml
    from nrplan.measure.pipeline import tune

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


_MAP_HELP = 'Column mapping canonical=HEADER (repeatable), e.g. rsrp_dbm="RSRP NR".'


# options shared by compare-measurements and tune
SitesOpt = Annotated[Path, typer.Option("--sites", help="sites.csv, one row per sector.")]
MeasurementsOpt = Annotated[
    Path, typer.Option("--measurements", help="Drive test (CSV/GPKG/GeoJSON).")
]
ColumnsOpt = Annotated[Path | None, typer.Option("--columns", help="Column-mapping TOML.")]
MapsOpt = Annotated[
    list[str] | None, typer.Option("--map", help=_MAP_HELP, metavar="CANONICAL=HEADER")
]
CrsOpt = Annotated[str | None, typer.Option("--crs", help="CRS of x/y columns.")]
ScenarioOpt = Annotated[str, typer.Option("--scenario", help="Morphology of rows without one.")]
BinOpt = Annotated[
    float | None,
    typer.Option("--bin-m", help="Bin size [m]; default 40 wavelengths; 0 = none."),
]
BinMeanOpt = Annotated[str, typer.Option("--bin-mean", help="linear or db.")]


def register(app: typer.Typer) -> None:
    """Add ``compare-measurements`` and ``tune`` to ``app``."""

    @app.command("compare-measurements")
    def compare_cmd(
        sites: SitesOpt,
        measurements: MeasurementsOpt,
        out: Annotated[Path, typer.Option("--out", help="Output directory.")],
        model: ModelOption = None,
        columns: ColumnsOpt = None,
        maps: MapsOpt = None,
        crs: CrsOpt = None,
        scenario: ScenarioOpt = "urban",
        bin_m: BinOpt = None,
        bin_mean: BinMeanOpt = "linear",
        max_distance_km: Annotated[
            float,
            typer.Option("--max-distance-km", help="Drop rows farther from the serving site [km]."),
        ] = 10.0,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        """Compare drive-test SS-RSRP with the prediction: statistics, plots, residuals."""
        from nrplan.cli._output import print_json, print_table

        s = run_compare(
            sites,
            measurements,
            out,
            model,
            columns=columns,
            maps=maps,
            crs=crs,
            scenario=scenario,
            bin_m=bin_m,
            bin_mean=bin_mean,
            max_distance_km=max_distance_km,
            clutter=clutter,
            clutter_map=clutter_map,
        )
        if as_json:
            print_json({k: v for k, v in s.items() if k != "timings_s"})
            return
        rows = [["all", s["n_points"], s["mean_error_db"], s["std_db"], s["rmse_db"]]]
        rows += [
            [k, v["n_points"], v["mean_error_db"], v["std_db"], v["rmse_db"]]
            for k, v in s["per_class"].items()
        ]
        print_table(
            rows,
            ["set", "bins", "mean error (dB)", "std (dB)", "RMSE (dB)"],
            title=f"nrplan compare-measurements -> {out}",
        )
        dropped = s["rows"]["dropped_by_reason"]
        typer.echo(
            "dropped rows: " + ", ".join(f"{k} {v}" for k, v in dropped.items() if v)
            if s["rows"]["rows_dropped"]
            else "dropped rows: none"
        )

    @app.command("tune")
    def tune_cmd(
        sites: SitesOpt,
        measurements: MeasurementsOpt,
        out: Annotated[Path, typer.Option("--out", help="Tuned model file to write (.toml).")],
        columns: ColumnsOpt = None,
        maps: MapsOpt = None,
        crs: CrsOpt = None,
        scenario: ScenarioOpt = "urban",
        bin_m: BinOpt = None,
        bin_mean: BinMeanOpt = "linear",
        cell_offsets: Annotated[
            bool,
            typer.Option("--cell-offsets/--no-cell-offsets", help="Fit per-cell EIRP offsets."),
        ] = True,
        folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds.")] = 5,
        cv_group: Annotated[str, typer.Option("--cv-group", help="cell or route.")] = "cell",
        seed: Annotated[int, typer.Option("--seed", help="Seed of the fold assignment.")] = 1,
        prior_intercept_db: Annotated[
            float, typer.Option("--prior-intercept-db", help="Prior sd of a class intercept [dB].")
        ] = 10.0,
        prior_slope_db: Annotated[
            float, typer.Option("--prior-slope-db", help="Prior sd of a class slope [dB/decade].")
        ] = 10.0,
        prior_cell_db: Annotated[
            float, typer.Option("--prior-cell-db", help="Prior sd of a cell offset [dB].")
        ] = 3.0,
        max_distance_km: Annotated[
            float,
            typer.Option("--max-distance-km", help="Drop rows farther from the serving site [km]."),
        ] = 10.0,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the model as JSON.")] = False,
    ) -> None:
        """Fit path-loss corrections per class (and per-cell offsets) to a drive test."""
        from nrplan.cli._output import print_json, print_table

        doc = run_tune(
            sites,
            measurements,
            out,
            columns=columns,
            maps=maps,
            crs=crs,
            scenario=scenario,
            bin_m=bin_m,
            bin_mean=bin_mean,
            cell_offsets=cell_offsets,
            folds=folds,
            cv_group=cv_group,
            seed=seed,
            prior_intercept_db=prior_intercept_db,
            prior_slope_db=prior_slope_db,
            prior_cell_db=prior_cell_db,
            max_distance_km=max_distance_km,
            clutter=clutter,
            clutter_map=clutter_map,
        )
        if as_json:
            print_json(doc)
            return
        rows = [
            [
                k,
                v["n_bins"],
                v["intercept_db"],
                v["se_intercept_db"],
                v["slope_db_per_decade"],
                v["se_slope_db_per_decade"],
            ]
            for k, v in doc["classes"].items()
        ]
        print_table(
            rows,
            ["class", "bins", "a (dB)", "se", "b (dB/dec)", "se"],
            title=f"nrplan tune -> {out}",
        )
        cv = doc["cv"]
        typer.echo(
            f"cross-validated RMSE ({cv['folds']} folds by {cv['grouped_by']}): "
            f"{cv['rmse_db']:.2f} dB tuned, {cv['untuned_rmse_db']:.2f} dB untuned"
        )
