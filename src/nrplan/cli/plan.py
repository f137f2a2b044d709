"""``nrplan plan``: plan China's prefecture-level cities or any user region."""

from __future__ import annotations

import datetime as _dt
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._options import (
    ClutterLossOption,
    ClutterMapOption,
    ClutterOption,
    DemOption,
    ModelOption,
    SurfaceOption,
)
from nrplan.cli._output import console, print_json, print_table
from nrplan.errors import NrplanInputError

__all__ = ["register"]


#: Pixel size of ``nrplan plan china`` unless set [m]: a national plan at 100 m
#: gives the same sites within ~2 % as at 50 m (Tianjin, Jinan, Hohhot,
#: Shijiazhuang: 8,384 vs 8,443 sites) in half the time; plan a city at 50 m or
#: finer with ``--resolution``.
NATIONAL_RESOLUTION_M = 100.0


def _default_out() -> Path:
    return Path("runs") / _dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def plan_cmd(
    target: Annotated[
        str | None,
        typer.Argument(help="'china' for the embedded cities; omit with --area."),
    ] = None,
    area: Annotated[
        Path | None,
        typer.Option("--area", help="Polygon file (GeoJSON/GPKG/SHP, any CRS) to plan instead."),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option("--population", help="Population raster (GeoTIFF) or points file."),
    ] = None,
    sites: Annotated[
        Path | None,
        typer.Option(
            "--sites",
            help="Existing sites to reuse (CSV with lon, lat columns, e.g. 4G sites).",
        ),
    ] = None,
    cities: Annotated[
        str | None,
        typer.Option("--cities", help="Comma-separated city names (Chinese/English) or adcodes."),
    ] = None,
    province: Annotated[
        str | None, typer.Option("--province", help="Only this province (Chinese or English).")
    ] = None,
    strict_cities: Annotated[
        bool,
        typer.Option("--strict-cities", help="Only municipalities and prefecture-level cities."),
    ] = False,
    resolution: Annotated[
        float | None,
        typer.Option(
            "--resolution",
            help="Pixel size [m] (default 100 for 'china', 50 for --area).",
        ),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Scenario year 2020-2025 (default 2020).")
    ] = None,
    operators: Annotated[
        str | None,
        typer.Option(
            "--operators",
            help="single | shared (CT+CU shared RAN) | separate | china-2020 (China Mobile "
            "n41 + CT/CU shared n78, the two national networks of end-2020).",
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML file with PlanConfig fields.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Run directory (default runs/<timestamp>).")
    ] = None,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            help="auto | serial | processes | a Dask scheduler address (tcp://host:8786).",
        ),
    ] = "auto",
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    rasters: Annotated[
        bool | None, typer.Option("--rasters/--no-rasters", help="Write per-city GeoTIFFs.")
    ] = None,
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Write report.html at the end.")
    ] = True,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the national KPIs as JSON.")
    ] = False,
    dem: DemOption = None,
    surface: SurfaceOption = None,
    clutter: ClutterOption = None,
    clutter_map: ClutterMapOption = None,
    clutter_loss: ClutterLossOption = False,
    model: ModelOption = None,
) -> None:
    """Plan a 5G NR network: sites, coverage, SINR, rates, load, for China or --area.

    Examples: ``nrplan plan china``; ``nrplan plan china --cities 北京,Shanghai``;
    ``nrplan plan --area city.geojson --population pop.tif --out runs/city``.
    """
    from nrplan.demand.build import check_population
    from nrplan.geo.region import china_regions, region_from_file
    from nrplan.io.outpath import check_out_dir
    from nrplan.io.sites import read_site_positions
    from nrplan.parallel import check_scheduler_reachable, resolve_scheduler
    from nrplan.plan.config import load_config
    from nrplan.plan.national import plan_regions

    if (target is None) == (area is None):
        raise NrplanInputError(
            "target",
            target,
            "either 'china' or --area FILE",
            message="give either 'china' (embedded cities) or --area FILE, not both or neither",
        )
    if target is not None and target.strip().lower() != "china":
        raise NrplanInputError("target", target, "'china' (or use --area FILE)")
    if area is not None and (cities or province or strict_cities):
        raise NrplanInputError(
            "--cities/--province", cities or province, "only with 'china', not with --area"
        )
    if area is not None and not area.is_file():
        raise NrplanInputError("--area", str(area), "an existing polygon file")
    if population is not None and not population.is_file():
        raise NrplanInputError("--population", str(population), "an existing raster/points file")
    if cities is not None and not [c for c in cities.split(",") if c.strip()]:
        raise NrplanInputError(
            "--cities", cities, "a comma-separated list of city names or adcodes (not empty)"
        )
    out_dir = out if out is not None else _default_out()
    check_out_dir(out_dir)
    if not (out_dir / "config.json").is_file():
        # a directory without config.json is not a plan run: refuse to mix into it
        check_out_dir(out_dir, own_files=(), command="plan")
    existing = read_site_positions(sites, field="--sites") if sites is not None else None
    cfg = load_config(
        config,
        resolution_m=resolution,
        year=year,
        operators=operators,
        seed=seed,
        rasters=rasters,
    )
    if target is not None and "resolution_m" not in cfg.model_fields_set:
        cfg = cfg.model_copy(update={"resolution_m": NATIONAL_RESOLUTION_M})
    if model is not None:  # class corrections of a tuned model (docs/tuning.md)
        from nrplan.measure.modelfile import load_tuned_model

        tuned = load_tuned_model(model)
        cfg = cfg.model_copy(update={
            "pathloss_corrections": tuned.corrections or None,
            "tuned_model": {"file": str(model), "sha256": tuned.sha256,
                            "cv_rmse_db": tuned.cv_rmse_db},
        })  # fmt: skip
    if target is not None:
        names = [c.strip() for c in cities.split(",") if c.strip()] if cities else None
        regions = china_regions(names, province=province, strict_cities=strict_cities)
    else:
        regions = [region_from_file(area)]
    if not regions:
        raise NrplanInputError("--province/--cities", province or cities, "a selection with units")
    sched = resolve_scheduler(scheduler, len(regions))
    # everything is checked before plan_regions creates the run directory
    sched = check_scheduler_reachable(sched)
    if population is not None:
        check_population(population, regions)
    from nrplan.terrain import TerrainFiles
    from nrplan.terrain.rasters import check_overlap_lonlat, describe_files

    tfiles = TerrainFiles.from_options(dem, surface, clutter, clutter_map, clutter_loss)
    if tfiles.any:
        describe_files(tfiles)  # readable, with a CRS (and a valid mapping)
        if area is not None:  # a user's area must be covered (China: flat where not)
            check_overlap_lonlat(tfiles, regions[0].geometry.bounds)
    command = "nrplan " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]planning[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console if not as_json else type(console)(stderr=True),
        transient=as_json,
    ) as bar:
        task = bar.add_task("cities", total=len(regions))

        def progress(name: str, done: int, total: int) -> None:
            label = f"cities (last: {name})" if name else "cities"
            bar.update(task, completed=done, total=total, description=label)

        summary = plan_regions(
            regions,
            cfg,
            out_dir,
            scheduler=sched,
            population=str(population) if population else None,
            extent="region" if area is not None else None,
            progress=progress,
            command=command,
            existing_lonlat=existing,
            terrain_files=tfiles if tfiles.any else None,
        )
    if report:
        from nrplan.report import write_report

        write_report(out_dir)
    if as_json:
        nets = summary.get("networks") or {}
        out_json = {"out": str(out_dir), "national": summary["national"]}
        if len(nets) > 1:
            out_json["networks"] = {k: v["national"] for k, v in nets.items()}
        print_json(out_json)
        return
    _print_summary(summary, out_dir)


def _print_summary(summary: dict, out_dir: Path) -> None:
    n = summary["national"]

    def pct(v):
        return f"{100 * v:.1f} %" if v is not None and v == v else "-"

    def num(v, fmt="{:.1f}"):
        return fmt.format(v) if v is not None and v == v else "-"

    rows = [
        ["cities planned", n["cities"]],
        ["cities meeting all targets", n["cities_meeting_targets"]],
        ["sites / sectors", f"{n['sites']:,} / {n['sectors']:,}"],
        ["target area [km2]", f"{n['target_area_km2']:,.0f}"],
        ["target population", f"{n['target_population'] / 1e6:,.1f} M"],
        ["area coverage (outdoor)", pct(n["area_coverage"])],
        [
            "population coverage outdoor / indoor",
            f"{pct(n['population_coverage'])} / {pct(n['indoor_population_coverage'])}",
        ],
        [
            "SINR p5 / p50 / p95 [dB]",
            f"{n['sinr_p5']:.1f} / {n['sinr_p50']:.1f} / {n['sinr_p95']:.1f}",
        ],
        ["DL rate p5 / p50 [Mbit/s]", f"{n['dl_p5']:.0f} / {n['dl_p50']:.0f}"],
        ["UL rate p5 / p50 [Mbit/s]", f"{n['ul_p5']:.1f} / {n['ul_p50']:.1f}"],
        ["busy-hour load mean / max", f"{pct(n['load_mean'])} / {pct(n['load_max'])}"],
        [
            "limiting factor (classes)",
            ", ".join(f"{k}: {v}" for k, v in sorted(n["limiting_factor_counts"].items())),
        ],
    ]
    nets = summary.get("networks") or {}
    if len(nets) > 1:
        rows.insert(
            3,
            [
                "sites by network",
                ", ".join(f"{k}: {v['national']['sites']:,}" for k, v in nets.items()),
            ],
        )
    print_table(rows, ["KPI", "value"], title=f"nrplan: {summary['year']} plan, {out_dir}")
    top = sorted(summary["cities"], key=lambda c: -c["sites"])[:10]
    print_table(
        [
            [
                c["name"] + (f" ({c['network']})" if len(nets) > 1 else ""),
                c.get("name_zh", ""),
                c["sites"],
                num(c.get("target_area_km2"), "{:.0f}"),
                pct(c.get("area_coverage")),
                pct(c.get("indoor_population_coverage")),
                num(c.get("sinr_p50")),
                num(c.get("dl_p5"), "{:.0f}"),
                num(c.get("load_max"), "{:.2f}"),
                "yes" if c.get("targets_met") else "no",
            ]
            for c in top
        ],
        [
            "city",
            "",
            "sites",
            "km2",
            "area cov",
            "indoor pop",
            "SINR p50",
            "DL p5",
            "load max",
            "met",
        ],
        title="largest cities by sites",
    )
    short = [c for c in summary["cities"] if not c["targets_met"]]
    if short:
        console.print(f"[yellow]{len(short)} cities miss a target; see cities.csv (shortfall).")
    console.print(f"wrote {out_dir}/summary.json, cities.csv, sites.gpkg, report.html")


def register(app: typer.Typer) -> None:
    app.command("plan")(plan_cmd)
