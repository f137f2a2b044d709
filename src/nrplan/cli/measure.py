"""``nrplan compare-measurements`` and ``nrplan tune``: drive tests in, a tuned model out.

See :mod:`nrplan.measure` and ``docs/tuning.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._options import ClutterMapOption, ClutterOption, ModelOption

__all__ = ["register"]


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
MaxDistanceOpt = Annotated[
    float,
    typer.Option("--max-distance-km", help="Drop rows farther from the serving site [km]."),
]


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
        max_distance_km: MaxDistanceOpt = 10.0,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        """Compare drive-test SS-RSRP with the prediction: statistics, plots, residuals."""
        from nrplan.cli._output import print_json, print_table
        from nrplan.measure.runs import run_compare

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
        max_distance_km: MaxDistanceOpt = 10.0,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the model as JSON.")] = False,
    ) -> None:
        """Fit path-loss corrections per class (and per-cell offsets) to a drive test."""
        from nrplan.cli._output import print_json, print_table
        from nrplan.measure.runs import run_tune

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
