"""``nrplan private``: plan a private industrial network (thin CLI layer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["PRIVATE_FILES", "register"]

#: The top-level entries of a private run directory
#: (:func:`nrplan.industry.plan.write_plan`).
PRIVATE_FILES = ("classes.csv", "sites.gpkg", "rasters", "summary.json")


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
        as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    ) -> None:
        """Plan a port, factory, mine or campus network against per-class targets."""
        from nrplan.cli._output import console, print_json, print_table
        from nrplan.industry.devices import BUILTIN_CLASSES, default_inventory, load_inventory
        from nrplan.industry.plan import plan_private, read_area, write_plan
        from nrplan.industry.profiles import load_profile
        from nrplan.io.outpath import check_out_dir

        # write_plan replaces --out as a whole: never a directory of another run
        check_out_dir(out, own_files=PRIVATE_FILES, command="private")
        prof = load_profile(profile, config, band)
        inv = (
            load_inventory(devices)
            if devices is not None
            else default_inventory({k: 10 for k in BUILTIN_CLASSES if k != "motion-control"})
        )
        plan = plan_private(
            read_area(area), prof, inv, resolution_m=resolution, seed=seed, force=force
        )
        from nrplan.industry.engine_check import measure_with_engine

        check = measure_with_engine(plan)  # the same plan measured by nrplan.engine
        engine = {
            "engine_check": {
                "band": check.band,
                "classes": check.classes,
                "agreement": check.agreement,
            }
        }
        write_plan(plan, out, engine)
        summary = {**plan.summary(), **engine}
        if as_json:
            print_json({k: v for k, v in summary.items() if k != "profile_settings"})
            return
        rows = [
            (
                c["class"],
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
            ["class", "devices", "R target", "area share", "bound ms", "worst ms", "verdict"],
            title=(
                f"{prof.name} on {plan.band.name}: {plan.n_units} units, "
                f"targets {'met' if plan.met else 'NOT met (' + plan.stop_reason + ')'}; "
                f"written to {out}"
            ),
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
