"""``nrplan regions``: list the embedded China units, GeoNames regions, and demand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._output import console, print_json, print_table

__all__ = ["register"]

regions_app = typer.Typer(
    help="Planning regions: China's prefecture-level units, GeoNames regions, demand.",
    no_args_is_help=True,
)


@regions_app.command("china")
def china_cmd(
    province: Annotated[
        str | None, typer.Option("--province", "-p", help="Province (Chinese or English).")
    ] = None,
    city: Annotated[
        list[str] | None,
        typer.Option(
            "--city", "-c", help="City/unit name (Chinese or English) or adcode; repeatable."
        ),
    ] = None,
    strict_cities: Annotated[
        bool,
        typer.Option(
            "--strict-cities", help="Only municipalities and prefecture-level cities (297)."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List China's prefecture-level-and-above units (embedded dataset)."""
    from nrplan.geo.china import select_units

    units = select_units(city or None, province=province, strict_cities=strict_cities)
    cols = [
        "adcode",
        "name_zh",
        "name_en",
        "province_zh",
        "province_en",
        "level",
        "area_km2",
        "n_settlements",
        "settlement_population",
    ]
    if as_json:
        print_json(units[cols].to_dict(orient="records"))
        return
    rows = [
        [
            r.adcode,
            r.name_zh,
            r.name_en,
            f"{r.province_zh} {r.province_en}",
            r.level,
            f"{r.area_km2:,.0f}",
            r.n_settlements,
            f"{r.settlement_population:,}",
        ]
        for r in units.itertuples()
    ]
    cols_out = ["adcode", "name", "English", "province", "level", "area km²", "places", "people"]
    print_table(rows, cols_out, title=f"China units ({len(units)})")
    console.print(
        f"{len(units)} units, {units['area_km2'].sum():,.0f} km², "
        f"settlement population {units['settlement_population'].sum():,}"
    )


@regions_app.command("country")
def country_cmd(
    code: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-2 country code, e.g. FR.")],
    min_population: Annotated[
        float,
        typer.Option("--min-population", help="Smallest place that becomes a region [people]."),
    ] = 100_000,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Only the N largest regions.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Settlement-based regions of any country from GeoNames (extra 'world')."""
    from nrplan.geo.world import country_regions

    regs = country_regions(code, min_population=min_population, limit=limit)
    recs = [
        {
            "id": r.id,
            "name": r.name,
            "area_km2": r.area_km2,
            "settlements": len(r.settlements),
            "population": r.settlement_population,
        }
        for r in regs
    ]
    if as_json:
        print_json(recs)
        return
    rows = [
        [x["id"], x["name"], x["area_km2"], x["settlements"], f"{x['population']:,.0f}"]
        for x in recs
    ]
    print_table(
        rows, ["id", "name", "area km²", "places", "people"], title=f"{code.upper()} regions"
    )


@regions_app.command("demand")
def demand_cmd(
    city: Annotated[
        str | None, typer.Option("--city", "-c", help="China unit (Chinese/English/adcode).")
    ] = None,
    area: Annotated[
        Path | None, typer.Option("--area", help="Region polygon file (GeoJSON/GPKG/SHP).")
    ] = None,
    province: Annotated[
        str | None, typer.Option("--province", "-p", help="Province, to disambiguate.")
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option("--population", help="Population raster (GeoTIFF) or points file."),
    ] = None,
    resolution: Annotated[float, typer.Option("--resolution", help="Pixel size [m].")] = 100.0,
    year: Annotated[int, typer.Option("--year", help="Scenario year 2020..2025.")] = 2020,
    extent: Annotated[str, typer.Option("--extent", help="built_up or region.")] = "built_up",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write demand GeoTIFFs and totals.json here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Build the demand grid of one region and print its totals."""
    from nrplan.demand.build import DemandParams, build_demand, write_demand_rasters
    from nrplan.errors import NrplanInputError
    from nrplan.geo.region import china_region, region_from_file

    if (city is None) == (area is None):
        raise NrplanInputError("region", city or area, "exactly one of --city or --area")
    if out is not None:
        from nrplan.io.outpath import check_out_dir

        check_out_dir(out)
    region = china_region(city, province) if city else region_from_file(area)
    demand = build_demand(region, resolution, DemandParams(extent=extent), year, population)
    totals = demand.totals()
    if out is not None:
        totals["files"] = {k: str(v) for k, v in write_demand_rasters(demand, out).items()}
    if as_json:
        print_json(totals)
        return
    rows = [
        [k, v]
        for k, v in totals.items()
        if isinstance(v, (int, float, str)) and k not in ("region", "id")
    ]
    print_table(rows, ["quantity", "value"], title=f"Demand: {region.name} ({region.id})")


def register(app: typer.Typer) -> None:
    """Add the ``regions`` command group to the nrplan app."""
    app.add_typer(regions_app, name="regions")
