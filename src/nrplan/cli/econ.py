"""CLI commands of the economics library: ``nrplan energy``, ``nrplan cost``, ``nrplan adoption``.

A thin layer: parse options, call :mod:`nrplan.econ`, print a rich table or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from nrplan.cli._output import print_json, print_table
from nrplan.errors import NrplanInputError

__all__ = ["register"]


def _parse_sets(items: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or []:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise NrplanInputError("--set", item, "KEY=VALUE, e.g. bbu_per_site=45000")
        raw = raw.strip()
        try:
            val: Any = float(raw)
        except ValueError:
            val = raw
        out[key.strip()] = val
    return out


def _parse_hours(text: str | None) -> tuple[int, ...] | None:
    """``"21-9"`` -> (21, 22, 23, 0, ..., 8); ``"1,2,3"`` -> (1, 2, 3)."""
    if text is None:
        return None
    try:
        if "-" in text:
            a, b = (int(v) for v in text.split("-", 1))
            if not (0 <= a <= 23 and 0 <= b <= 24):
                raise ValueError
            n = (b - a) % 24
            return tuple((a + i) % 24 for i in range(n))
        return tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise NrplanInputError(
            "--sleep-hours", text, "START-END hours (e.g. 21-9) or 1,2,3"
        ) from None


def energy_command(
    profile: str = typer.Option(
        "64t64r",
        "--profile",
        help="Radio profile(s) per sector: 64t64r, 32t32r, 8t8r, 4t4r; '64t64r,4t4r' = two layers.",
    ),
    sectors: float = typer.Option(3, "--sectors", help="Sectors per site."),
    traffic_profile: str | None = typer.Option(
        None, "--traffic-profile", help="24 comma-separated hourly loads in [0, 1]."
    ),
    features: str = typer.Option(
        "all", "--features", help="symbol,channel,carrier,deep-sleep | all | none."
    ),
    sleep_hours: str | None = typer.Option(
        None, "--sleep-hours", help="Deep-sleep window, e.g. 21-9 (default: by load)."
    ),
    capacity_mbps: float | None = typer.Option(
        None, "--capacity-mbps", help="Sector throughput at full load [Mbit/s], for kWh/GB."
    ),
    price: float | None = typer.Option(None, "--price", help="Electricity [CNY/kWh]."),
    co2: float | None = typer.Option(None, "--co2-factor", help="Grid factor [kg CO2/kWh]."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Site power at idle/full load and energy per day/year with energy-saving features."""
    from nrplan.econ.energy import SavingParams, parse_features, parse_traffic_profile, site_energy

    profiles = [p.strip().lower() for p in profile.split(",") if p.strip()]
    if not profiles:
        raise NrplanInputError("--profile", profile, "one or more of 64t64r, 32t32r, 8t8r, 4t4r")
    radios = {p: sectors for p in profiles}
    lam = None if traffic_profile is None else parse_traffic_profile(traffic_profile)
    feats = parse_features(features)
    params = SavingParams(deep_sleep_hours=_parse_hours(sleep_hours))
    e = site_energy(
        radios,
        lam,
        feats,
        params=params,
        electricity_price=price,
        grid_co2_factor=co2,
        capacity_mbps=capacity_mbps,
    )
    if json_out:
        print_json(
            {
                "radios": e.radios,
                "features": list(e.features),
                "power_w": {
                    "idle": e.p_idle_w,
                    "full": e.p_full_w,
                    "idle_equipment": e.p_idle_equipment_w,
                    "full_equipment": e.p_full_equipment_w,
                },
                "kwh_per_day": {"without_features": e.kwh_day_base, "with_features": e.kwh_day},
                "kwh_per_year": {"without_features": e.kwh_year_base, "with_features": e.kwh_year},
                "savings_kwh_per_day": e.savings_kwh_day,
                "savings_share": e.savings_share,
                "saving_share_total": e.saving_share,
                "electricity_price_cny_per_kwh": e.electricity_price,
                "cost_cny_per_year": {"without_features": e.cost_year_base, "with": e.cost_year},
                "grid_co2_factor_kg_per_kwh": e.grid_co2_factor,
                "co2_t_per_year": {
                    "without_features": e.co2_kg_year_base / 1000.0,
                    "with_features": e.co2_kg_year / 1000.0,
                },
                "gb_per_day": e.gb_day,
                "kwh_per_gb": e.kwh_per_gb,
                "hourly_w": e.hourly_w,
            }
        )
        return
    mix = " + ".join(f"{n:g} x {k}" for k, n in e.radios.items())
    prows: list[list[Any]] = [
        ["zero load", e.p_idle_w, e.p_idle_equipment_w],
        ["full load", e.p_full_w, e.p_full_equipment_w],
    ]
    print_table(
        prows,
        ["load", escape("site power [W]"), escape("equipment only [W]")],
        title=f"Site power, {mix} + BBU (no energy-saving feature)",
        floatfmt="{:,.0f}",
    )
    rows: list[list[Any]] = [
        [escape("energy [kWh/day]"), e.kwh_day_base, e.kwh_day],
        [escape("energy [kWh/year]"), e.kwh_year_base, e.kwh_year],
        [
            escape(f"electricity [CNY/year] at {e.electricity_price:g} CNY/kWh"),
            e.cost_year_base,
            e.cost_year,
        ],
        [
            escape(f"CO2 [t/year] at {e.grid_co2_factor:g} kg/kWh"),
            e.co2_kg_year_base / 1000.0,
            e.co2_kg_year / 1000.0,
        ],
        [escape("energy per GB [kWh/GB]"), e.kwh_day_base / e.gb_day, e.kwh_per_gb],
    ]
    print_table(rows, ["quantity", "without features", "with features"], title="Site energy")
    srows = [[f, e.savings_kwh_day[f], 100.0 * e.savings_share[f]] for f in e.features]
    srows.append(["total", e.kwh_day_base - e.kwh_day, 100.0 * e.saving_share])
    print_table(
        srows,
        ["feature", escape("saving [kWh/day]"), escape("saving [%]")],
        title="Savings per feature (marginal, in this order)",
    )


def cost_command(
    sites: float = typer.Option(..., "--sites", help="Number of sites."),
    reused_share: float | None = typer.Option(
        None, "--reused-share", help="Share of sites on existing sites (default 0.97)."
    ),
    profile: str = typer.Option("64t64r", "--profile", help="Radio profile per sector."),
    sectors: float = typer.Option(3, "--sectors", help="Sectors per site."),
    years: int = typer.Option(10, "--years", help="TCO horizon [years]."),
    discount: float = typer.Option(0.08, "--discount", help="Discount rate in [0, 1)."),
    operators: int = typer.Option(1, "--operators", help="Operators sharing the RAN."),
    currency: str = typer.Option("CNY", "--currency", help="Output currency: CNY or USD."),
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a unit cost, e.g. --set bbu_per_site=45000."),
    ] = None,
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Capex, annual opex and TCO (NPV) of N sites."""
    from nrplan.econ.cost import CostParams, SiteCounts, city_cost

    params = CostParams.from_overrides(
        years=years, discount_rate=discount, currency=currency.upper(), **_parse_sets(sets)
    )
    counts = SiteCounts.from_total(
        sites,
        reused_share=reused_share,
        profile=profile.lower(),
        sectors_per_site=sectors,
        n_operators=operators,
    )
    r = city_cost(counts, params)
    if json_out:
        print_json({"sites": counts.sites, "new_sites": counts.new_sites, **r.__dict__})
        return
    cur = r.currency
    rows: list[list[Any]] = [[f"capex: {k}", v] for k, v in r.capex.items()]
    rows.append(["capex total", r.capex_total])
    rows += [[f"opex per year: {k}", v] for k, v in r.opex.items()]
    rows.append(["opex total per year", r.opex_total])
    rows.append([f"TCO, {r.years} years at {r.discount_rate:.1%} (NPV)", r.tco])
    if operators > 1:
        rows.append(["TCO per operator", r.tco_per_operator])
    rows.append(["TCO per site", r.tco / r.sites if r.sites else float("nan")])
    title = escape(
        f"Cost of {r.sites:g} sites ({counts.new_sites:g} new), {sectors:g} x {profile} "
        f"per site [{cur}]"
    )
    print_table(rows, ["item", f"{cur}"], title=title, floatfmt="{:,.0f}")


def adoption_command(
    model: str = typer.Option("bass", "--model", help="Diffusion model: bass or logistic."),
    history: Annotated[
        Path | None,
        typer.Option("--history", help="CSV with columns year,users (default: China 5G users, M)."),
    ] = None,
    until: int = typer.Option(2030, "--until", help="Last forecast year."),
    t0: float | None = typer.Option(None, "--t0", help="Bass start year (default: year 1 - 1)."),
    m_max: float | None = typer.Option(
        None, "--m-max", help="Upper bound of the market potential (users)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Fit a Bass or logistic adoption model to history and forecast users per year."""
    from nrplan.econ.adoption import china_5g_history, fit_adoption, forecast, read_history_csv
    from nrplan.econ.defaults import DEFAULTS

    if history is None:
        years, users = china_5g_history()
        base = float(DEFAULTS["mobile_users_m"].value[-1])  # type: ignore[index]
        m_hi = base if m_max is None else m_max
        scale, unit, mobile = 1e6, "million", base
        source = "China 5G users (MIIT penetration x mobile users; nrplan.econ.defaults)"
    else:
        years, users = read_history_csv(history)
        m_hi, scale, unit, mobile = m_max, 1.0, "users", None
        source = str(history)
    fit = fit_adoption(years, users, model, t0=t0, m_max=m_hi)
    last = int(years[-1])
    if until < last:
        raise NrplanInputError("--until", until, f">= last history year {last}")
    fc = forecast(fit.model, until, start=int(years[0]), users_scale=scale, mobile_users=mobile)
    if json_out:
        print_json(
            {
                "model": fit.model.model,
                "params": fit.model.params,
                "t0": fit.model.t0 if fit.model.model == "bass" else None,
                "rmse": fit.rmse,
                "r2": fit.r2,
                "users_unit": unit,
                "history_source": source,
                "history": [
                    {"year": int(y), "users": float(u), "fitted": float(f)}
                    for y, u, f in zip(fit.years, fit.users, fit.fitted, strict=True)
                ],
                "forecast": fc.to_dict(orient="records"),
            }
        )
        return
    prow = [[k, v] for k, v in fit.model.params.items()]
    if fit.model.model == "bass":
        prow.append(["t0", fit.model.t0])
    prow += [["rmse", fit.rmse], ["r2", fit.r2]]
    print_table(prow, ["parameter", "value"], title=f"{model} fit ({source})", floatfmt="{:.4g}")
    heads = {
        "year": "year",
        "users": f"users [{unit}]",
        "new_users": f"new users [{unit}]",
        "penetration": "penetration",
        "dou_gb_per_month": "DOU [GB/month]",
        "traffic_pb_per_year": "traffic [PB/year]",
    }
    rows = [[int(r[0]), *r[1:]] for r in fc.itertuples(index=False)]
    print_table(
        rows, [escape(heads.get(c, c)) for c in fc.columns], title="Forecast", floatfmt="{:,.3f}"
    )


def register(app: typer.Typer) -> None:
    """Add ``energy``, ``cost`` and ``adoption`` to the ``nrplan`` app."""
    app.command("energy")(energy_command)
    app.command("cost")(cost_command)
    app.command("adoption")(adoption_command)
