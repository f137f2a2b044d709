"""``nrplan private``: plan a private industrial network (thin CLI layer)."""

from __future__ import annotations

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

__all__ = ["PRIVATE_FILES", "register"]

#: Columns of the per-class table printed by ``nrplan private``.
HEADERS = ["class", "zone", "devices", "R target", "area share", "bound ms", "worst ms", "verdict"]

#: The top-level entries of a private run directory
#: (:func:`nrplan.industry.plan.write_plan`).
PRIVATE_FILES = ("classes.csv", "sites.gpkg", "rasters", "summary.json")


def _terrain_check(plan, tfiles) -> dict:
    """The plan measured by the engine over the user's terrain (``docs/terrain.md``):
    heights, obstacles and terminal clutter loss; the service area keeps the
    profile's scenario (the clutter map does not change it)."""
    import numpy as np

    from nrplan.industry.engine_check import engine_band, measure_with_engine
    from nrplan.radio.bands import get_band
    from nrplan.terrain import prepare_terrain

    morph = np.where(plan.mask, 2, 0).astype(np.uint8)
    f_ghz = get_band(engine_band(plan.band)[0]).f_c_ghz
    terrain, _, records = prepare_terrain(plan.grid, morph, tfiles, f_ghz=f_ghz)
    check = measure_with_engine(plan, terrain=terrain)
    return {"sources": records, "classes": check.classes, "agreement": check.agreement}


def register(app: typer.Typer) -> None:
    """Add the ``private`` command to ``app``."""

    @app.command("private")
    def private(
        area: Annotated[Path, typer.Option("--area", help="Site polygon (GeoJSON, WGS84).")],
        profile: Annotated[str, typer.Option("--profile", help="port | factory | mine | campus")],
        out: Annotated[Path, typer.Option("--out", help="Run directory to write.")],
        devices: Annotated[
            Path | None, typer.Option("--devices", help="Device inventory CSV.")
        ] = None,
        band: Annotated[
            str | None, typer.Option("--band", help="n79 | n78 | n41 | n28 | local")
        ] = None,
        config: Annotated[
            Path | None, typer.Option("--config", help="TOML profile overrides.")
        ] = None,
        resolution: Annotated[
            float, typer.Option("--resolution", help="Pixel size, metres.")
        ] = 5.0,
        seed: Annotated[int, typer.Option("--seed", help="Random seed (recorded).")] = 1,
        force: Annotated[bool, typer.Option("--force", help="Allow areas above 100 km^2.")] = False,
        zones: Annotated[
            Path | None,
            typer.Option(
                "--zones",
                help="GeoJSON of zones (lines / polygons with properties name, classes, "
                "width_m) replacing the profile's.",
            ),
        ] = None,
        poles: Annotated[
            Path | None,
            typer.Option(
                "--poles",
                help="Existing poles / light towers: CSV lon,lat[,height_m] or GeoJSON points.",
            ),
        ] = None,
        model: ModelOption = None,
        model_class: Annotated[
            str | None,
            typer.Option(
                "--model-class",
                help="Tuned class to apply (default: the one of the profile's scenario).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
        dem: DemOption = None,
        surface: SurfaceOption = None,
        clutter: ClutterOption = None,
        clutter_map: ClutterMapOption = None,
        clutter_loss: ClutterLossOption = False,
    ) -> None:
        """Plan a port, factory, mine or campus network against per-class targets."""
        from nrplan.cli._output import console, print_json, print_table
        from nrplan.errors import NrplanInputError
        from nrplan.industry.devices import BUILTIN_CLASSES, default_inventory, load_inventory
        from nrplan.industry.plan import plan_private, read_area, write_plan
        from nrplan.industry.profiles import load_profile
        from nrplan.industry.zones import read_poles, read_zones
        from nrplan.io.outpath import check_out_dir

        # write_plan replaces --out as a whole: never a directory of another run
        check_out_dir(out, own_files=PRIVATE_FILES, command="private")
        from nrplan.terrain import TerrainFiles
        from nrplan.terrain.rasters import check_overlap_lonlat, describe_files

        tfiles = TerrainFiles.from_options(dem, surface, clutter, clutter_map, clutter_loss)
        if tfiles.any:  # refused before any work: unreadable, no CRS, not over the area
            describe_files(tfiles)
            check_overlap_lonlat(tfiles, read_area(area).bounds)
        prof = load_profile(profile, config, band)
        tuned_info = None
        if model is not None:  # a tuned model: its class correction on the site's path loss
            from nrplan.measure.modelfile import load_tuned_model

            tuned = load_tuned_model(model)
            cls_name, a_db, b_db = tuned.correction_for(prof.scenario, model_class)
            prof = prof.model_copy(update={"pathloss_correction": (a_db, b_db)})
            tuned_info = {**tuned.describe(), "class_applied": cls_name}
        elif model_class is not None:
            raise NrplanInputError("--model-class", model_class, "a value only with --model")
        if devices is not None:
            inv = load_inventory(devices)
        elif prof.devices:  # the profile's own inventory
            inv = default_inventory(prof.devices)
        else:
            inv = default_inventory({k: 10 for k in BUILTIN_CLASSES if k != "motion-control"})
        zone_specs = read_zones(zones) if zones is not None else None
        pole_arr = read_poles(poles) if poles is not None else None
        plan = plan_private(
            read_area(area), prof, inv, resolution_m=resolution, seed=seed, force=force,
            zones=zone_specs, poles=pole_arr,
        )  # fmt: skip
        from nrplan.industry.engine_check import measure_with_engine

        check = measure_with_engine(plan)  # the same plan measured by nrplan.engine
        engine = {
            "engine_check": {
                "band": check.band,
                "classes": check.classes,
                "agreement": check.agreement,
            }
        }
        if tfiles.any:
            engine["engine_check_terrain"] = _terrain_check(plan, tfiles)
        if tuned_info is not None:
            engine["tuned_model"] = tuned_info
        write_plan(plan, out, engine)
        summary = {**plan.summary(), **engine}
        if as_json:
            print_json({k: v for k, v in summary.items() if k != "profile_settings"})
            return
        rows = [
            (
                c["class"],
                c["zone"],
                c["count"],
                f"{c['reliability_target']:.6g}",
                c["reliability_area_share"],
                c["latency_bound_ms"],
                c["latency_worst_ms"],
                "pass" if c["pass"] else "FAIL",
            )
            for c in plan.classes
        ]
        print_table(
            rows,
            HEADERS,
            title=(
                f"{prof.name} on {plan.band.name}: {plan.n_sites} x "
                f"{plan.profile.unit.type or 'custom'} ({plan.n_units} cells), "
                f"targets {'met' if plan.met else 'NOT met (' + plan.stop_reason + ')'}; "
                f"written to {out}"
            ),
        )
        uc = plan.unit_choice
        console.print(f"unit type for the {uc['zone_kind']}: {uc['why']}")
        for cand in uc["candidates"]:
            tco = f"TCO {cand['tco']:,.0f}" if "tco" in cand else "targets not met"
            console.print(
                f"  {'*' if cand['chosen'] else ' '} {cand['unit']:<13} {cand['sites']:>4} sites "
                f"({cand['cells']} cells), {tco}: {cand['stop_reason']}"
            )
        e = summary["economics"]
        cur = e["currency"]
        console.print(
            f"cost: capex {e['capex_total']:,.0f} {cur}, opex {e['opex_total_per_year']:,.0f} "
            f"{cur}/year, TCO {e['tco']:,.0f} {cur} over {e['years']} years "
            f"({e['cost_per_device']:,.0f} {cur} per device); energy "
            f"{e['energy_kwh_per_year'] / 1000:,.1f} MWh/year "
            f"({e['mean_power_w_per_unit']:.0f} W per unit)"
        )
