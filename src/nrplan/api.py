"""The Python API of nrplan: plan a region in memory, plan many into a run
directory, load a run back — all as typed objects.

Everything here is also reachable as ``nrplan.<name>`` (loaded on first use,
so ``import nrplan`` stays light).

Plan one region in memory
-------------------------
>>> import nrplan                                            # doctest: +SKIP
>>> res = nrplan.plan_region("Jiayuguan")                    # doctest: +SKIP
>>> res.city.sites, res.city.ss_sinr_p50_db                  # doctest: +SKIP
>>> sinr = res.rasters["sinr"]      # 2-D array on res.grid   # doctest: +SKIP
>>> res.economics["tco"]            # in res.currency         # doctest: +SKIP

:func:`plan_region` writes no file: it returns a :class:`RegionResult` with the
city's KPIs (:class:`~nrplan.plan.records.CityResult`, units in the field
names), its sectors (a DataFrame with lon/lat), its per-pixel rasters (arrays
on :attr:`RegionResult.grid`; units in :data:`~nrplan.plan.records.RASTER_LAYERS`)
and its economics (one city's entry of
:func:`nrplan.plan.economics.plan_economics`).

Plan many into a run directory, load it back
--------------------------------------------
:func:`plan_regions` plans a list of regions into a run directory with
checkpoints and resume (the engine of ``nrplan plan``) and returns its
:class:`~nrplan.plan.records.RunSummary`. :func:`load_run` reads any run
directory's ``summary.json`` back into a ``RunSummary``; :func:`load_region`
reads one city of it (KPIs, sectors, rasters, economics) into the same
:class:`RegionResult` that :func:`plan_region` returns.

Regions, radio and prediction
-----------------------------
``nrplan.china_regions`` / ``nrplan.china_region`` (prefecture-level cities of
China, :mod:`nrplan.geo.region`), ``nrplan.regions_from_file`` (a user's
polygons), ``nrplan.predict`` (:func:`nrplan.engine.predict.predict`),
``nrplan.pathloss`` (TR 38.901 Table 7.4.1-1,
:func:`nrplan.radio.pathloss.pathloss`), ``nrplan.link_budget``
(:func:`nrplan.radio.linkbudget.link_budget`) and ``nrplan.peak_rate_mbps``
(TS 38.306 4.1.2, :func:`nrplan.radio.nr.peak_rate_mbps`) are the library's
own functions, exported as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nrplan.errors import NrplanInputError
from nrplan.geo.region import Region, china_region, china_regions, regions_from_file
from nrplan.grid import Grid
from nrplan.io.raster import read_raster
from nrplan.io.rundir import city_key
from nrplan.plan import national
from nrplan.plan.city import assemble_raster
from nrplan.plan.config import PlanConfig
from nrplan.plan.economics import plan_economics
from nrplan.plan.networks import Network, network_config, networks_for
from nrplan.plan.records import RASTER_LAYERS, CityResult, RunSummary
from nrplan.report import write_report

__all__ = [
    "CityResult",
    "PlanConfig",
    "RegionResult",
    "RunSummary",
    "china_region",
    "china_regions",
    "load_region",
    "load_run",
    "plan_region",
    "plan_regions",
    "regions_from_file",
]


@dataclass
class RegionResult:
    """One planned region (one network), in memory.

    Attributes
    ----------
    city : CityResult
        The city's KPIs (the record of ``summary.json``).
    sectors : pandas.DataFrame
        One row per sector: ``site_id``, ``lon``/``lat`` [deg], ``x``/``y``
        [m, grid CRS], ``band``, ``antenna``, ``azimuth_deg`` (from true
        north), tilts, power, load ...; empty when the region has no site.
    grid : Grid or None
        The planning grid of the rasters (None for a region with nothing in
        scope).
    rasters : dict of str to ndarray
        Per-pixel layers on ``grid`` (keys and units:
        :data:`nrplan.plan.records.RASTER_LAYERS`; NaN / -1 where nothing is
        predicted); empty when planned without rasters.
    economics : dict
        The city's capex, opex, energy, TCO and unit costs (in ``currency``;
        units of each entry: :data:`nrplan.plan.records.ECONOMICS_UNITS`).
    currency : str
        Currency of the money in ``economics``.
    """

    city: CityResult
    sectors: pd.DataFrame
    grid: Grid | None
    rasters: dict[str, np.ndarray] = field(default_factory=dict)
    economics: dict[str, Any] = field(default_factory=dict)
    currency: str = ""

    @property
    def sites(self) -> pd.DataFrame:
        """One row per site: ``site_id``, ``lon``, ``lat``, ``x``, ``y`` and its sector count."""
        cols = [c for c in ("site_id", "lon", "lat", "x", "y") if c in self.sectors]
        if self.sectors.empty or "site_id" not in self.sectors:
            return pd.DataFrame(columns=[*cols, "sectors"])
        g = self.sectors.groupby("site_id", sort=False)
        out = g[cols[1:]].first()
        out["sectors"] = g.size()
        return out.reset_index()

    @staticmethod
    def raster_unit(name: str) -> str:
        """The unit of raster layer ``name`` (e.g. ``"dB"`` for ``"sinr"``)."""
        if name not in RASTER_LAYERS:
            raise NrplanInputError("raster", name, f"one of {', '.join(RASTER_LAYERS)}")
        return RASTER_LAYERS[name][1]


def _region(region: Region | str) -> Region:
    if isinstance(region, Region):
        return region
    if isinstance(region, str):
        return china_region(region)
    raise NrplanInputError(
        "region", type(region).__name__, "a Region or the name of a city of China"
    )


def _pick_network(config: PlanConfig, network: str | None) -> Network:
    nets = networks_for(config)
    if network is None:
        return nets[0]
    for n in nets:
        if n.name == network:
            return n
    raise NrplanInputError(
        "network",
        network,
        f"one of {', '.join(n.name for n in nets)} (operators={config.operators})",
    )


def _city_economics(
    city: CityResult, config: PlanConfig, net: Network
) -> tuple[dict[str, Any], str]:
    eco = plan_economics([city], network_config(config, net))
    rows = list(eco["cities"].values())
    return (rows[0] if rows else {}), str(eco["currency"])


def plan_region(
    region: Region | str,
    config: PlanConfig | None = None,
    *,
    population: str | None = None,
    extent: str | None = None,
    existing_lonlat: np.ndarray | None = None,
    network: str | None = None,
    rasters: bool = True,
    terrain_files: Any = None,
) -> RegionResult:
    """Plan one region in memory and return the typed result (no file is written).

    Parameters
    ----------
    region : Region or str
        A region (:func:`china_region`, :func:`regions_from_file`) or the
        English name of a prefecture-level city of China (e.g. ``"Lhasa"``).
    config : PlanConfig, optional
        Plan settings (default ``PlanConfig()``: 2020 China Telecom/Unicom
        shared n78 RAN; see :class:`nrplan.plan.config.PlanConfig`).
    population : str, optional
        Population raster or points file for a user's region.
    extent : {"built_up", "region"}, optional
        Planning-grid extent (:func:`nrplan.demand.build_demand`).
    existing_lonlat : ndarray, shape (n, 2), optional
        Existing sites (lon, lat) [deg] to reuse in preference to new ones.
    network : str, optional
        With several networks (``operators="china-2020"``) the one to plan
        (default the first of :func:`nrplan.plan.networks.networks_for`).
    rasters : bool
        Keep the per-pixel rasters (``config.rasters`` is set to this).
    terrain_files : nrplan.terrain.TerrainFiles, optional
        The user's DEM / DSM / clutter rasters.

    Returns
    -------
    RegionResult

    Raises
    ------
    NrplanInputError
        An unknown city name or network, or a region that cannot be planned.
    """
    reg = _region(region)
    cfg = (config or PlanConfig()).model_copy(update={"rasters": bool(rasters)})
    net = _pick_network(cfg, network)
    nets = networks_for(cfg)
    key = city_key(reg.id, reg.name) + (f"_{net.name}" if len(nets) > 1 else "")
    task = national.CityTask(
        key,
        reg,
        cfg,
        population,
        extent,
        existing_lonlat,
        net,
        terrain_files=terrain_files,
    )
    out = national.plan_city(task)
    city = out.result
    layers: dict[str, np.ndarray] = {}
    if out.rasters and out.grid is not None:
        full = out.rasters.get("rasters") or {}
        windows = out.rasters.get("windows") or []
        for name in RASTER_LAYERS:
            arr = assemble_raster(out.grid, full, windows, name)
            if arr is not None:
                layers[name] = arr
    economics, currency = _city_economics(city, cfg, net)
    return RegionResult(city, out.sectors, out.grid, layers, economics, currency)


def plan_regions(
    regions: list[Region] | list[str],
    config: PlanConfig | None,
    out: str | Path,
    *,
    scheduler: str = "serial",
    report: bool = False,
    **kwargs: Any,
) -> RunSummary:
    """Plan many regions into the run directory ``out`` (checkpoints, resume).

    Parameters
    ----------
    regions : list of Region or of city names
        The regions (names: prefecture-level cities of China).
    config : PlanConfig or None
        Plan settings (None: ``PlanConfig()``).
    out : path
        Run directory (``summary.json``, ``cities.csv``, ``sites.gpkg``,
        ``rasters/``, ``checkpoints/``).
    scheduler : str
        ``"serial"``, ``"processes"`` or a Dask scheduler address.
    report : bool
        Also write ``report.html`` (off by default here; ``nrplan plan``
        writes it).
    **kwargs
        Further arguments of :func:`nrplan.plan.national.plan_regions`
        (``population``, ``extent``, ``existing_lonlat``, ``progress`` ...).

    Returns
    -------
    RunSummary
        The summary written to ``summary.json``, typed.
    """
    regs = [_region(r) for r in regions]
    summary = national.plan_regions(
        regs, config or PlanConfig(), out, scheduler=scheduler, **kwargs
    )
    if report:
        write_report(out)
    return RunSummary.from_dict(json.loads(json.dumps(summary, default=_json_default)))


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    return str(obj)


def _read_summary(run_dir: Path) -> dict[str, Any]:
    sfile = run_dir / "summary.json"
    if not sfile.is_file():
        raise NrplanInputError(
            "run_dir", str(run_dir), "a run directory with summary.json (a finished nrplan plan)"
        )
    try:
        data = json.loads(sfile.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NrplanInputError("summary.json", str(sfile), f"valid JSON ({exc})") from None
    return data


def load_run(run_dir: str | Path) -> RunSummary:
    """Read a run directory's ``summary.json`` into a :class:`RunSummary`.

    Raises
    ------
    NrplanInputError
        No ``summary.json``, invalid JSON, a schema version this nrplan does
        not read (the message names it), or missing sections.
    """
    path = Path(run_dir)
    return RunSummary.from_dict(_read_summary(path), str(path / "summary.json"))


def _find_city(summary: RunSummary, city: str) -> CityResult:
    for c in summary.cities:
        if city in (c.key, c.name, c.city_id):
            return c
    names = ", ".join(c.key for c in summary.cities[:10])
    raise NrplanInputError("city", city, f"a key, name or id of the run's cities ({names})")


def _read_layers(raster_dir: Path) -> tuple[dict[str, np.ndarray], Grid | None]:
    layers: dict[str, np.ndarray] = {}
    grid = None
    for name in RASTER_LAYERS:
        f = raster_dir / f"{name}.tif"
        if f.is_file():
            arr, grid, _, _ = read_raster(f)
            layers[name] = arr
    return layers, grid


def load_region(run_dir: str | Path, city: str) -> RegionResult:
    """Read one city of a run directory into a :class:`RegionResult`.

    Parameters
    ----------
    run_dir : path
        A finished run directory.
    city : str
        The city's key (``<id>_<name>``), name or id.

    Returns
    -------
    RegionResult
        As :func:`plan_region` returns it: KPIs, sectors (from the city's
        checkpoint), rasters and their grid (from ``rasters/<key>/``, empty
        when the run kept none) and economics (from the summary).

    Raises
    ------
    NrplanInputError
        Not a readable run directory, or no such city in it.
    """
    path = Path(run_dir)
    summary = load_run(path)
    rec = _find_city(summary, city)
    pq = path / "checkpoints" / f"{rec.key}.parquet"
    sectors = pd.read_parquet(pq) if pq.is_file() else pd.DataFrame()
    layers, grid = _read_layers(path / "rasters" / rec.key)
    econ = summary.economics
    rows = (econ.cities if econ is not None else None) or {}
    eco = rows.get(rec.key) or rows.get(rec.city_id) or {}
    currency = econ.currency if econ is not None else ""
    return RegionResult(rec, sectors, grid, layers, eco, currency)
