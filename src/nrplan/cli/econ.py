"""CLI commands of the economics library.

``nrplan energy``, ``nrplan cost``, ``nrplan adoption`` (models alone) and
``nrplan rollout``, ``nrplan sensitivity`` (models over real plans, through
:func:`nrplan.plan.national.plan_regions` and :mod:`nrplan.plan.economics`).
A thin layer: parse options, call the library, print a rich table or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from nrplan.cli._output import err_console, print_json, print_table
from nrplan.errors import NrplanInputError

__all__ = ["DEFAULT_CITIES", "register"]

#: Cities planned by ``rollout`` and ``sensitivity`` when none are chosen: four
#: small prefecture-level cities (0.23-0.35 M people in scope each), so a
#: six-year roll-out runs in about a minute on two cores.
DEFAULT_CITIES = ("Jiayuguan", "Karamay", "Jinchang", "Wuhai")

#: Scenario years with demand defaults and a coverage scope (nrplan.demand.defaults).
ROLLOUT_YEARS = (2020, 2025)


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
            n = 24 if b - a == 24 else (b - a) % 24
            if n == 0:
                raise NrplanInputError(
                    "--sleep-hours", text, "a non-empty window START-END with START != END"
                )
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
        typer.Option(
            "--set",
            help="Override a CostParams field, e.g. --set bbu_per_site=45000 (wins over "
            "--years/--discount/--currency).",
        ),
    ] = None,
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Capex, annual opex and TCO (NPV) of N sites."""
    from nrplan.econ.cost import CostParams, SiteCounts, city_cost

    # --set KEY=VALUE wins over --years/--discount/--currency (bounds: CostParams)
    overrides = {"years": years, "discount_rate": discount, "currency": currency}
    params = CostParams.from_overrides(**(overrides | _parse_sets(sets)))
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
    model: str | None = typer.Option(
        None,
        "--model",
        help="Diffusion model: bass or logistic (default: bass; logistic with --series).",
    ),
    history: Annotated[
        Path | None,
        typer.Option("--history", help="CSV with columns year,users (default: China 5G users, M)."),
    ] = None,
    series: str | None = typer.Option(
        None,
        "--series",
        help="Embedded industrial-internet series: caict_value_added, caii_value_added, "
        "projects_5g_industrial_internet (fit with uncertainty, checked against the 2020 "
        "expectation and later values).",
    ),
    as_of: str = typer.Option(
        "auto",
        "--as-of",
        help="With --series: fit the rows published by YYYY-MM[-DD], or 'latest'; 'auto' = "
        "2020-09-30 (the September 2020 forecast) when 3 rows were out by then, else latest.",
    ),
    bootstrap: int = typer.Option(
        200, "--bootstrap", help="With --series: residual-bootstrap resamples (0-10000)."
    ),
    seed: int = typer.Option(0, "--seed", help="With --series: seed of the bootstrap."),
    until: int = typer.Option(2030, "--until", help="Last forecast year."),
    t0: float | None = typer.Option(None, "--t0", help="Bass start year (default: year 1 - 1)."),
    m_max: float | None = typer.Option(
        None, "--m-max", help="Upper bound of the market potential (users)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Fit a Bass or logistic adoption model to history and forecast users per year.

    With --series, fit one of the embedded industrial-internet series
    (nrplan/data/industrial_internet.csv, one institute's method per series)
    with parameter standard errors and a seeded residual-bootstrap 90 %
    interval, and set the 2025 forecast against the ">5 T yuan by 2025"
    expectation of September 2020 and the values published later.
    """
    from nrplan.econ.adoption import china_5g_history, fit_adoption, forecast, read_history_csv
    from nrplan.econ.defaults import DEFAULTS

    if series is not None:
        if history is not None:
            raise NrplanInputError("--series", series, "either --series or --history, not both")
        mdl = model or "logistic"
        _series_adoption(series, mdl, as_of, until, bootstrap, seed, m_max, json_out)
        return
    model = model or "bass"
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


def _series_adoption(
    series: str,
    model: str,
    as_of: str,
    until: int,
    n_boot: int,
    seed: int,
    m_max: float | None,
    json_out: bool,
) -> None:
    """``nrplan adoption --series NAME``: fit, forecast with uncertainty, check."""
    from nrplan.econ.industrial_internet import forecast_check

    c = forecast_check(
        series, model=model, as_of=as_of, until=until, n_boot=n_boot, seed=seed, m_max=m_max
    )
    u = c.uncertainty
    if json_out:
        print_json(
            {
                "series": c.series,
                "institute": c.institute,
                "method": c.method,
                "unit": c.unit,
                "model": c.model,
                "as_of": c.as_of,
                "params": c.params,
                "param_se": u.param_se,
                "t0": c.t0,
                "rmse": c.rmse,
                "dof": u.dof,
                "interval": {
                    "level": u.level,
                    "n_boot": u.n_boot,
                    "n_boot_ok": u.n_boot_ok,
                    "seed": u.seed,
                    "method": "residual bootstrap, percentiles",
                },
                "fitted_points": c.known,
                "later_points": c.later,
                "forecast": c.forecast_rows(),
                "checks": c.checks,
            }
        )
        return
    prow = [[k, v, u.param_se[k]] for k, v in c.params.items()]
    if c.t0 is not None:
        prow.append(["t0", c.t0, float("nan")])
    prow += [["rmse", c.rmse, float("nan")], ["residual dof", u.dof, float("nan")]]
    title = escape(
        f"{c.model} fit of {c.series} ({c.institute}; {c.unit}), {len(c.known)} points "
        f"published by {c.as_of}"
    )
    print_table(prow, ["parameter", "value", "std. error"], title=title, floatfmt="{:.4g}")
    lvl = f"{100 * u.level:.0f} %"
    rows = [[f"{r['t']:.2f}", r["value"], r["se"], r["lo"], r["hi"]] for r in c.forecast_rows()]
    print_table(
        rows,
        ["t [year]", f"forecast [{c.unit}]", "std. error", f"{lvl} low", f"{lvl} high"],
        title=escape(
            f"Forecast (residual bootstrap, {u.n_boot_ok}/{u.n_boot} refits, seed {seed})"
        ),
        floatfmt="{:,.3f}",
    )
    crows = [
        [ch["what"], ch["published"], ch["forecast"], ch["lo"], ch["hi"], ch["ratio"]]
        for ch in c.checks
    ]
    print_table(
        crows,
        ["check", "published", "forecast", f"{lvl} low", f"{lvl} high", "forecast / published"],
        title="Checked against the expectation and the values published later",
        floatfmt="{:,.3f}",
    )
    if u.dof <= 0:
        err_console.print(
            f"{c.series}: {len(c.known)} points for 3 parameters by {c.as_of}: no residual "
            "degrees of freedom, so no standard errors or interval"
        )
    err_console.print(f"method: {c.method}")


# ------------------------------------------------------------------ plans over years


def _parse_years(text: str) -> list[int]:
    """``"2020-2025"`` -> [2020, ..., 2025]; ``"2021"``; ``"2020,2022,2025"``."""
    from nrplan.econ.rollout import validate_years

    lo, hi = ROLLOUT_YEARS
    allowed = f"increasing years within {lo}-{hi}, e.g. 2020-2025 or 2020,2022,2025"
    raw = text.strip()
    try:
        if "-" in raw:
            a, b = (int(v) for v in raw.split("-", 1))
            years = list(range(a, b + 1))
        else:
            a = b = 0
            years = [int(v) for v in raw.split(",") if v.strip()]
    except ValueError:
        raise NrplanInputError("--years", text, allowed) from None
    if b < a:
        msg = f"--years {text}: reversed; allowed: {allowed}"
        raise NrplanInputError("--years", text, allowed, message=msg)
    bad = [y for y in years if not lo <= y <= hi]
    if bad:
        raise NrplanInputError("--years", text, allowed)
    try:
        return validate_years(years)
    except NrplanInputError:
        raise NrplanInputError("--years", text, allowed) from None


def _select_regions(cities: str | None, province: str | None, all_cities: bool) -> list:
    from nrplan.geo.region import china_regions

    if all_cities and cities:
        raise NrplanInputError("--all", "--cities", "either --all or --cities, not both")
    if cities:
        names: list[str] | None = [c.strip() for c in cities.split(",") if c.strip()]
    elif all_cities or province:
        names = None
    else:
        names = list(DEFAULT_CITIES)
    regions = china_regions(names, province=province)
    if not regions:
        raise NrplanInputError("--province/--cities", province or cities, "a selection with units")
    return regions


def _out_dir(out: Path | None, what: str) -> Path:
    import datetime as _dt

    from nrplan.io.outpath import check_out_dir

    if out is not None:
        check_out_dir(out, command=what)
        return out
    return Path("runs") / f"{what}-{_dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"


def _write_csv(df, path: Path) -> None:
    from nrplan.io.atomic import atomic_path

    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False)


_CITIES_HELP = (
    "Comma-separated city names (Chinese/English) or adcodes; default: "
    + ", ".join(DEFAULT_CITIES)
    + " (small cities, about a minute)."
)


# Options shared by ``rollout`` and ``sensitivity`` (same names, defaults and help).
_CitiesOpt = Annotated[str | None, typer.Option("--cities", help=_CITIES_HELP)]
_ProvinceOpt = Annotated[str | None, typer.Option("--province", help="All cities of a province.")]
_ResolutionOpt = Annotated[float, typer.Option("--resolution", help="Pixel size in metres.")]
_OperatorsOpt = Annotated[
    str | None, typer.Option("--operators", help="single | shared (CT+CU shared RAN) | separate.")
]
_ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML with PlanConfig fields.")]
_SchedulerOpt = Annotated[
    str, typer.Option("--scheduler", help="auto | serial | processes | tcp://host:8786.")
]
_JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def rollout_command(
    cities: _CitiesOpt = None,
    province: _ProvinceOpt = None,
    all_cities: bool = typer.Option(False, "--all", help="Every city of China (slow: hours)."),
    years: str = typer.Option(
        "2020-2025", "--years", help="Years within 2020-2025: FIRST-LAST or Y1,Y2,..."
    ),
    resolution: _ResolutionOpt = 100.0,
    operators: _OperatorsOpt = None,
    config: _ConfigOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output directory (default runs/rollout-<timestamp>)."),
    ] = None,
    scheduler: _SchedulerOpt = "auto",
    json_out: _JsonOpt = False,
) -> None:
    """Multi-year roll-out: plan each year's scenario, never remove a site, cost it.

    Each year's plan (coverage scope, 5G penetration and traffic per user of
    that year, nrplan.demand.defaults) goes to OUT/<year>; the cumulative
    network is the running maximum of sites and radios; capex is what a year
    adds, opex and energy are those of the installed network. Writes
    OUT/rollout.csv and OUT/rollout.png.
    """
    from nrplan.econ.rollout import (
        YearPlan,
        YearTarget,
        plot_rollout,
        rollout,
        year_plan,
        year_targets,
    )
    from nrplan.parallel import resolve_scheduler
    from nrplan.plan.config import load_config
    from nrplan.plan.economics import plan_economics
    from nrplan.plan.national import plan_regions

    ys = _parse_years(years)
    base = load_config(config, resolution_m=resolution, operators=operators, rasters=False)
    regions = _select_regions(cities, province, all_cities)
    sched = resolve_scheduler(scheduler, len(regions))
    out_dir = _out_dir(out, "rollout")

    def plan_fn(t: YearTarget) -> YearPlan:
        cfg = base.model_copy(update={"year": t.year})
        err_console.print(f"rollout: planning {t.year} ({t.scope} scope), {len(regions)} cities")
        summary = plan_regions(regions, cfg, out_dir / str(t.year), scheduler=sched)
        return year_plan(summary, plan_economics(summary["cities"], cfg))

    df = rollout(year_targets(ys), plan_fn)
    cur = df.attrs.get("currency", "CNY")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(df, out_dir / "rollout.csv")
    plot_rollout(df, out_dir / "rollout.png", title=f"5G roll-out of {len(regions)} cities")
    if json_out:
        print_json(
            {
                "out": str(out_dir),
                "currency": cur,
                "cities": [r.name for r in regions],
                "years": df.to_dict(orient="records"),
            }
        )
        return
    rows = [
        [
            int(r.year),
            r.scope,
            round(r.sites_needed),
            round(r.sites),
            round(r.new_sites),
            r.capex / 1e6,
            r.opex / 1e6,
            r.energy_kwh / 1e6,
        ]
        for r in df.itertuples()
    ]
    heads = [
        "year",
        "scope",
        "sites needed",
        "sites",
        "new sites",
        escape(f"capex [M {cur}]"),
        escape(f"opex [M {cur}/yr]"),
        escape("energy [GWh/yr]"),
    ]
    title = f"Roll-out of {len(regions)} cities (sites never removed)"
    print_table(rows, heads, title=title, floatfmt="{:,.1f}")
    err_console.print(f"wrote {out_dir}/rollout.csv, rollout.png and one plan per year")


def sensitivity_command(
    cities: _CitiesOpt = None,
    province: _ProvinceOpt = None,
    all_cities: bool = typer.Option(False, "--all", help="Every city of China (very slow)."),
    year: int = typer.Option(2020, "--year", help="Scenario year 2020-2025."),
    resolution: _ResolutionOpt = 100.0,
    operators: _OperatorsOpt = None,
    config: _ConfigOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output directory (default runs/sensitivity-<timestamp>)."),
    ] = None,
    scheduler: _SchedulerOpt = "auto",
    json_out: _JsonOpt = False,
) -> None:
    """One-at-a-time sensitivity of TCO and site count (tornado chart).

    Varies unit costs (x0.8/x1.2), edge DL rate (x0.5/x2), traffic per user
    and penetration (x0.8/x1.2), the load limit (x0.8/x1.1) and the
    electricity price (0.5-1.0 CNY/kWh) around the base plan; every input but
    unit costs and the electricity price is re-planned (plans in
    OUT/plans/). Writes OUT/sensitivity.csv and OUT/tornado.png.
    """
    from nrplan.econ import sensitivity as sens
    from nrplan.parallel import resolve_scheduler
    from nrplan.plan.config import load_config
    from nrplan.plan.economics import plan_economics, sensitivity_case
    from nrplan.plan.national import plan_regions

    lo, hi = ROLLOUT_YEARS
    if not lo <= year <= hi:
        raise NrplanInputError("--year", year, f"{lo}-{hi}")
    base = load_config(
        config, year=year, resolution_m=resolution, operators=operators, rasters=False
    )
    regions = _select_regions(cities, province, all_cities)
    sched = resolve_scheduler(scheduler, len(regions))
    out_dir = _out_dir(out, "sensitivity")
    base_values = sens.sensitivity_base(
        base.year, base.targets.edge_dl_mbps, base.targets.load_limit
    )
    method = sens.TRAFFIC_METHOD

    def plan(cfg: Any, label: str) -> dict[str, Any]:
        err_console.print(f"sensitivity: planning {label}, {len(regions)} cities")
        return plan_regions(regions, cfg, out_dir / "plans" / label, scheduler=sched)

    evaluate = sens.plan_evaluator(
        lambda ov: sensitivity_case(base, ov, base_values),
        plan,
        lambda records, cfg, params: plan_economics(records, cfg, cost_params=params),
    )
    inputs = sens.inputs_from_base(base_values, units=sens.INPUT_UNITS)
    df = sens.one_at_a_time(evaluate, inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_csv(df, out_dir / "sensitivity.csv")
    sens.plot_tornado(df, out_dir / "tornado.png", "tco", currency="CNY")
    if json_out:
        print_json(
            {
                "out": str(out_dir),
                "currency": "CNY",
                "year": year,
                "cities": [r.name for r in regions],
                "tco_base": df.attrs["tco_base"],
                "sites_base": df.attrs["sites_base"],
                "traffic_method": method,
                "inputs": df.to_dict(orient="records"),
            }
        )
        return
    rows = [
        [
            r.input,
            f"{r.low:g} / {r.high:g}",
            r.tco_low / 1e6,
            r.tco_high / 1e6,
            r.tco_swing / 1e6,
            round(r.sites_low),
            round(r.sites_high),
            round(r.sites_swing),
        ]
        for r in df.itertuples()
    ]
    heads = [
        "input",
        "low / high",
        escape("TCO low [M CNY]"),
        escape("TCO high [M CNY]"),
        escape("TCO swing [M CNY]"),
        "sites low",
        "sites high",
        "sites swing",
    ]
    title = (
        f"Sensitivity, {year}, {len(regions)} cities: base TCO "
        f"{df.attrs['tco_base'] / 1e6:,.1f} M CNY, {df.attrs['sites_base']:,.0f} sites"
    )
    print_table(rows, heads, title=escape(title), floatfmt="{:,.1f}")
    err_console.print(f"traffic per user and penetration: {method}")
    err_console.print(f"wrote {out_dir}/sensitivity.csv, tornado.png")


def register(app: typer.Typer) -> None:
    """Add ``energy``, ``cost``, ``adoption``, ``rollout`` and ``sensitivity`` to the app."""
    app.command("energy")(energy_command)
    app.command("cost")(cost_command)
    app.command("adoption")(adoption_command)
    app.command("rollout")(rollout_command)
    app.command("sensitivity")(sensitivity_command)
