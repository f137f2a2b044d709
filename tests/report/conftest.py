"""Fixtures of the report tests: a small real run (shared by all workers) and synthetic runs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

#: Where browser screenshots go (git-ignored).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def real_run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A real 2-city national run (Jiayuguan + Sansha, which has no in-scope settlements).

    Planned once per test session: under pytest-xdist the workers share one
    directory and a file lock, and a finished run is reused.
    """
    from nrplan.cli import main

    base = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: share with the others
        base = base.parent
    out = base / "report_real_run"
    lock = base / "report_real_run.lock"
    with open(lock, "w") as fh:
        try:
            import fcntl

            fcntl.flock(fh, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX: no sharing between workers
            pass
        if not (out / "summary.json").is_file():
            args = ["plan", "china", "--cities", "Jiayuguan,Sansha", "--out", str(out)]
            rc = main([*args, "--scheduler", "serial"])
            assert rc == 0, "nrplan plan of the report fixture failed"
    return out


# -- synthetic run directories ---------------------------------------------------------
_CRS = "EPSG:32647"  # Jiayuguan's UTM zone
_X0, _Y0 = 436_000.0, 4_410_000.0  # upper-left corner [m]
_PIX = 100.0


def _city_record(key: str, cid: str, name: str, sites: int, **extra: Any) -> dict[str, Any]:
    """A city record with the keys of ``nrplan.plan.national._city_record``."""
    rec = {
        "key": key,
        "id": cid,
        "name": name,
        "name_zh": "测试",
        "province_en": "Gansu",
        "sites": sites,
        "sectors": 3 * sites,
        "target_area_km2": 10.0,
        "target_population": 100000.0,
        "area_coverage": 0.97,
        "population_coverage": 0.98,
        "indoor_population_coverage": float("nan"),
        "user_coverage": 0.91,
        "edge_dl_mbps": 55.5,
        "edge_ul_mbps": 1.25,
        "edge_dl_fail_share": 0.04,
        "edge_ul_fail_share": 0.06,
        "sinr_p5": 1.5,
        "sinr_p50": 12.25,
        "sinr_p95": 25.0,
        "ss_sinr_outdoor_p5": 2.5,
        "ss_sinr_outdoor_p50": 13.5,
        "ss_sinr_outdoor_p95": 26.0,
        "ss_sinr_indoor_p50": 9.75,
        "pdsch_sinr_p5": 4.5,
        "pdsch_sinr_p50": 17.25,
        "pdsch_sinr_p95": 28.0,
        "dl_p5": 55.5,
        "dl_p50": 300.0,
        "ul_p5": 1.25,
        "ul_p50": 20.0,
        "load_mean": 0.3,
        "load_max": 0.65,
        "sites_per_km2": sites / 10.0,
        "isd_by_class": {
            "urban_core": {"dimensioned_m": 250.0, "planned_m": 240.5, "sites": 3, "area_km2": 0.2},
            "urban": {"dimensioned_m": 520.0, "planned_m": 610.0, "sites": 1, "area_km2": 9.8},
        },
        "targets_met": True,
        "shortfall": "",
        "limiting": {"urban_core": "capacity", "urban": "coverage-indoor"},
        "dimensioning": [
            _dimension("urban_core", 250.0, 410.0, 250.0, "capacity"),
            _dimension("urban", 520.0, 3900.0, 520.0, "coverage-indoor"),
        ],
        "sectors_by_band": {"n78": 3 * sites},
        "sectors_by_antenna": {"64t64r": 3 * sites},
    }
    rec.update(extra)
    return rec


def _dimension(name: str, cov: float, cap: float, isd: float, limiting: str) -> dict[str, Any]:
    """A dimensioning record (``ClassDimension.as_dict``)."""
    return {
        "code": {"urban_core": 5, "urban": 2}.get(name, 3),
        "name": name,
        "scenario": "uma",
        "band": "n78",
        "area_km2": 5.0,
        "traffic_dl_mbps_km2": 100.0,
        "traffic_ul_mbps_km2": 10.0,
        "isd_by_target": {
            "coverage-outdoor": 2.0 * cov,
            "coverage-indoor": cov,
            "uplink": 20000.0,
            "downlink": 20000.0,
        },
        "coverage_isd_m": cov,
        "cell_range_m": cov / 1.5,
        "cell_capacity_dl_mbps": 178.0,
        "cell_capacity_ul_mbps": 48.0,
        "capacity_isd_m": cap,
        "isd_m": isd,
        "limiting": limiting,
        "sites_estimate": 12.5,
    }


def _legacy_city_record(key: str, cid: str, name: str, sites: int, **extra: Any) -> dict[str, Any]:
    """A city record of a run before the user-based KPIs (pixel KPIs, range_* fields)."""
    new = _city_record(key, cid, name, sites)
    old_keys = (
        "key id name name_zh province_en sites sectors target_area_km2 target_population "
        "area_coverage population_coverage indoor_population_coverage edge_dl_mbps "
        "edge_ul_mbps sinr_p5 sinr_p50 sinr_p95 dl_p5 dl_p50 ul_p5 ul_p50 load_mean load_max "
        "sites_per_km2 targets_met shortfall sectors_by_band sectors_by_antenna"
    ).split()
    rec = {k: new[k] for k in old_keys}
    rec["limiting"] = {"urban": "coverage"}
    rec["dimensioning"] = [
        {
            "code": 2,
            "name": "urban",
            "scenario": "uma",
            "band": "n78",
            "area_km2": 10.0,
            "range_dl_m": 900.0,
            "range_ul_m": 700.0,
            "range_rsrp_m": 800.0,
            "range_rsrp_indoor_m": 400.0,
            "cell_range_m": 400.0,
            "isd_m": 600.0,
            "limiting": "coverage",
            "sites_estimate": 30.0,
        }
    ]
    rec.update(extra)
    return rec


#: ``kpi_definitions`` of summary.json (as ``nrplan.plan.national.KPI_DEFINITIONS``).
_KPI_DEFINITIONS = {
    "population_coverage": "share of the outdoor users covered",
    "sinr_p*": "SS-SINR (SSB against the neighbours' SSBs at full SSB load) over all users",
    "pdsch_sinr_p*": "PDSCH SINR with the neighbours at the planning load, over covered users",
}


def _hist() -> dict[str, list[float]]:
    """User-weighted histograms of a checkpoint (bins of ``HIST_EDGES``)."""
    from nrplan.plan.national import HIST_EDGES

    rng = np.random.default_rng(3)
    centre = {
        "ss_sinr_db": 8.0,
        "ss_sinr_outdoor_db": 10.0,
        "pdsch_sinr_db": 17.0,
        "dl_mbps": 150.0,
        "ul_mbps": 10.0,
    }
    out = {}
    for name, edges in HIST_EDGES.items():
        v = np.clip(rng.normal(centre[name], 0.3 * centre[name], 4000), edges[0], edges[-1])
        out[name] = np.round(np.histogram(v, bins=edges)[0] * 2.5, 3).tolist()
    return out


def _write_rasters(d: Path, n: int = 40, legacy: bool = False) -> None:
    import rasterio
    from affine import Affine

    d.mkdir(parents=True, exist_ok=True)
    yy, xx = np.mgrid[0:n, 0:n]
    r = np.hypot(yy - n / 2, xx - n / 2)
    rsrp = (-60.0 - 1.5 * r).astype(np.float32)
    rsrp[r > n * 0.45] = np.nan  # not predicted outside a disc
    layers = {
        "rsrp": rsrp,
        "sinr": (rsrp + 90.0).astype(np.float32),
        "dl_mbps": np.where(np.isnan(rsrp), np.nan, 10.0 * (rsrp + 130.0)).astype(np.float32),
        "ul_mbps": np.where(np.isnan(rsrp), np.nan, rsrp + 130.0).astype(np.float32),
        "best_server": np.where(np.isnan(rsrp), -1, (xx // 10) + 4 * (yy // 10)).astype(np.int32),
    }
    if not legacy:
        layers["pdsch_sinr"] = (rsrp + 95.0).astype(np.float32)
        layers["coverage"] = np.where(np.isnan(rsrp), np.nan, np.clip(r / n, 0, 1)).astype(
            np.float32
        )
    tr = Affine(_PIX, 0.0, _X0, 0.0, -_PIX, _Y0)
    for name, arr in layers.items():
        nodata = -1 if arr.dtype == np.int32 else np.nan
        with rasterio.open(
            d / f"{name}.tif",
            "w",
            driver="GTiff",
            height=n,
            width=n,
            count=1,
            dtype=arr.dtype,
            crs=_CRS,
            transform=tr,
            nodata=nodata,
        ) as dst:
            dst.write(arr, 1)


def _write_sites(path: Path, key_id: str, name: str, n_sites: int) -> None:
    _write_sectors(path, _sector_rows(key_id, name, n_sites))


def _write_sectors(path: Path, rows: list[dict[str, Any]]) -> None:
    import geopandas as gpd
    import pandas as pd

    df = pd.DataFrame(rows)
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")
    gdf.to_file(path, driver="GPKG", layer="sectors", engine="pyogrio")


def _sector_rows(
    key_id: str, name: str, n_sites: int, network: str | None = None, band: str = "n78"
) -> list[dict[str, Any]]:
    """Three sectors per site on a row of sites; with ``network`` the planner's
    ``network`` column and ``<network>-`` site-id prefix of a several-network run."""
    from pyproj import Transformer

    tr = Transformer.from_crs(_CRS, "EPSG:4326", always_xy=True)
    rows = []
    y = _Y0 - (2000.0 if network in (None, "cm") else 2300.0)
    for i in range(n_sites):
        x = _X0 + 800.0 + 600.0 * i
        lon, lat = tr.transform(x, y)
        for s, az in enumerate((0.0, 120.0, 240.0)):
            rows.append(
                {
                    **({"network": network} if network else {}),
                    "city": name,
                    "city_id": key_id,
                    "site_id": f"{network + '-' if network else ''}{key_id}-{i:05d}",
                    "sector": s,
                    "azimuth_deg": az,
                    "band": band,
                    "height_m": 30.0,
                    "mech_tilt_deg": 2.0,
                    "elec_tilt_deg": 6.0,
                    "power_dbm": 53.0,
                    "antenna": "64t64r",
                    "load": 0.3,
                    "lon": lon,
                    "lat": lat,
                }
            )
    return rows


@pytest.fixture
def make_run(tmp_path: Path) -> Callable[..., Path]:
    """Factory of small synthetic run directories (fast; no planning).

    ``make_run(n_cities=2, rasters=True, economics=False, extras=False,
    legacy=False, hist=True)``: the first city has rasters, sites and (``hist``)
    a checkpoint with user histograms, the others are empty (no rasters, NaN
    KPIs), like Sansha in a real run. ``legacy`` writes a run from before the
    user-based KPIs (pixel KPIs, no kpi_definitions, range_* dimensioning, no
    ``pdsch_sinr`` / ``coverage`` rasters).
    """

    def build(
        n_cities: int = 2,
        rasters: bool = True,
        economics: bool = False,
        extras: bool = False,
        legacy: bool = False,
        hist: bool = True,
    ) -> Path:
        flags = (rasters, economics, extras, legacy, hist)
        run = tmp_path / f"run{n_cities}{''.join(str(int(f)) for f in flags)}"
        run.mkdir()
        record = _legacy_city_record if legacy else _city_record
        cities = [record("620200_jiayuguan", "620200", "Jiayuguan", 4)]
        if rasters:
            _write_rasters(run / "rasters" / "620200_jiayuguan", legacy=legacy)
            _write_sites(run / "sites.gpkg", "620200", "Jiayuguan", 4)
        for i in range(1, n_cities):
            cities.append(
                record(f"46030{i}_empty", f"46030{i - 1}", f"Empty{i}", 0, area_coverage=None)
            )
        national: dict[str, Any] = {
            "cities": n_cities,
            "sites": 4,
            "sectors": 12,
            "area_coverage": 0.97,
            "population_coverage": 0.98,
            "indoor_population_coverage": None,
            "sinr_p50": 12.25,
            "dl_p5": 55.5,
            "load_max": 0.65,
        }
        if legacy:
            national["limiting_factor_counts"] = {"coverage": 1}
        else:
            national |= {
                "user_coverage": 0.91,
                "edge_dl_mbps": 55.5,
                "edge_ul_mbps": 1.25,
                "ss_sinr_outdoor_p50": 13.5,
                "pdsch_sinr_p5": 4.5,
                "pdsch_sinr_p50": 17.25,
                "load_mean": 0.3,
                "isd_by_class": {
                    "urban": {
                        "planned_m": 610.0,
                        "sites": 1,
                        "area_km2": 9.8,
                        "city_min_m": 610.0,
                        "city_max_m": 610.0,
                    },
                    "urban_core": {
                        "planned_m": 240.5,
                        "sites": 3,
                        "area_km2": 0.2,
                        "city_min_m": 240.5,
                        "city_max_m": 240.5,
                    },
                },
                "kpi_definitions": _KPI_DEFINITIONS,
                "limiting_factor_counts": {"capacity": 1, "coverage-indoor": 1},
            }
        summary: dict[str, Any] = {
            "nrplan_version": "test",
            "year": 2020,
            "operators": "single",
            "seed": 1,
            "config": {
                "targets": {"rsrp_dbm": -110.0, "edge_percentile": 5.0},
                "layers": {"urban": {"band": "n78"}},
                "resolution_m": 100.0,
            },
            "models": {"pathloss": "TR 38.901 Table 7.4.1-1", "prediction": {"seed": 0}},
            "national": national,
            "cities": cities,
        }
        if not legacy:
            summary["config"]["link"] = {"planning_load": 0.5, "body_loss_db": 3.0}
            summary["models"]["morphology"] = {
                "urban_core": {
                    "scenario": "uma",
                    "indoor_share": 0.8,
                    "high_loss_share": 0.5,
                    "h_ut_indoor_m": 15.0,
                    "source": "ITU-R M.2412-0 Table 8-2; TR 38.901 Table 7.8-1",
                },
                "urban": {
                    "scenario": "uma",
                    "indoor_share": 0.8,
                    "high_loss_share": 0.2,
                    "h_ut_indoor_m": 9.0,
                    "source": "ITU-R M.2412-0 Table 8-2",
                },
            }
        if hist and not legacy:
            ck = run / "checkpoints"
            ck.mkdir()
            rec = {**cities[0], "hist": _hist()}
            (ck / "620200_jiayuguan.json").write_text(json.dumps(rec), encoding="utf-8")
        if economics:
            summary["economics"] = {
                "currency": "CNY",
                "national": {"capex_total": 1.5e9, "opex_total": 2.5e8, "tco": 3.0e9},
                "cities": [{"key": "620200_jiayuguan", "capex_total": 1.5e9, "tco": 3.0e9}],
            }
        (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        if extras:
            (run / "rollout.csv").write_text("year,sites\n2020,4\n2021,7\n", encoding="utf-8")
            (run / "sensitivity.csv").write_text("input,low,high\ncapex,-10,12\n")
            from nrplan.report.plots import new_figure

            fig, ax = new_figure()
            ax[0, 0].plot([0, 1], [0, 1])
            fig.savefig(run / "tornado.png", format="png", dpi=20)
        return run

    return build


#: The two networks of a ``china-2020`` run (``summary["networks"]`` without KPIs).
NETWORKS = {
    "cm": {
        "label": "China Mobile (160 MHz n41, 64T64R)",
        "operators": ["China Mobile"],
        "user_share": 0.591,
        "bands": ["n41"],
    },
    "ctcu": {
        "label": "China Telecom + China Unicom shared RAN (200 MHz n78)",
        "operators": ["China Telecom", "China Unicom"],
        "user_share": 0.409,
        "bands": ["n78-shared"],
    },
}


def _network_national(sites: int, users: float, cov: float, isd: float) -> dict[str, Any]:
    """A network's national KPIs (``national_kpis`` of its records)."""
    return {
        "cities": 2,
        "cities_meeting_targets": 2,
        "sites": sites,
        "sectors": 3 * sites,
        "new_sites": sites,
        "reused_sites": 0,
        "target_area_km2": 10.0,
        "target_population": 100000.0,
        "users": users,
        "area_coverage": cov,
        "population_coverage": cov,
        "indoor_population_coverage": 0.85,
        "user_coverage": cov - 0.05,
        "edge_dl_mbps": 40.0 + sites,
        "edge_ul_mbps": 1.0 + 0.25 * sites,
        "sinr_p5": -1.0,
        "sinr_p50": 7.5 + 0.5 * sites,
        "sinr_p95": 22.0,
        "ss_sinr_outdoor_p50": 8.5,
        "pdsch_sinr_p50": 20.0 + sites,
        "dl_p50": 100.0 * sites,
        "ul_p50": 10.0 * sites,
        "load_mean": 0.05 * sites,
        "load_max": 0.1 * sites,
        "sites_per_km2": sites / 10.0,
        "isd_by_class": {
            "urban": {
                "planned_m": isd,
                "sites": sites,
                "area_km2": 9.8,
                "city_min_m": isd,
                "city_max_m": isd,
            },
        },
        "kpi_definitions": _KPI_DEFINITIONS,
        "limiting_factor_counts": {"coverage-indoor": 2, "capacity": sites - 3},
    }


def _network_economics(capex: float, shared: bool) -> dict[str, Any]:
    eco: dict[str, Any] = {
        "sites": 0.0,
        "capex_total": capex,
        "capex": {"radio": 0.5 * capex},
        "opex_total_per_year": 0.1 * capex,
        "tco": 2.0 * capex,
        "tco_per_operator": capex if shared else 2.0 * capex,
        "cost_per_km2": capex / 10.0,
        "energy": {"kwh_per_year": 1e6 * capex / 1e9, "saving_share": 0.4},
    }
    if shared:
        eco["sharing"] = {"tco_shared": 2.0 * capex, "saving": capex, "saving_share": 0.5}
    return eco


@pytest.fixture
def make_multi_run(tmp_path: Path) -> Callable[..., Path]:
    """Factory of small synthetic two-network runs (``china-2020``: ``cm`` and ``ctcu``).

    ``make_multi_run(rasters=True, economics=True, networks=True)``: Jiayuguan is
    planned by both networks (cm 4 sites, ctcu 6 sites, with rasters, sites and
    checkpoints), Empty1 by both with no target area; ``networks=False`` drops
    ``summary["networks"]`` (a broken or partial summary: the city records still
    name their networks).
    """

    def build(rasters: bool = True, economics: bool = True, networks: bool = True) -> Path:
        return _build_multi_run(tmp_path, rasters, economics, networks)

    return build


@pytest.fixture(scope="module")
def multi_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default synthetic two-network run and its ``report.html`` text (rendered
    once per test module)."""
    from nrplan.report import write_report

    run = _build_multi_run(tmp_path_factory.mktemp("multi"))
    return run, write_report(run).read_text(encoding="utf-8")


def _build_multi_run(
    base: Path, rasters: bool = True, economics: bool = True, networks: bool = True
) -> Path:
    """Write a synthetic two-network run directory under ``base`` (see make_multi_run)."""
    run = base / f"multi{int(rasters)}{int(economics)}{int(networks)}"
    run.mkdir()
    sites = {"cm": 4, "ctcu": 6}
    band = {"cm": "n41", "ctcu": "n78-shared"}
    cities = []
    sectors: list[dict[str, Any]] = []
    ck = run / "checkpoints"
    ck.mkdir()
    for net, n in sites.items():
        key = f"620200_jiayuguan_{net}"
        rec = _city_record(
            key,
            "620200",
            "Jiayuguan",
            n,
            network=net,
            users=100.0 * n,
            sectors_by_band={band[net]: 3 * n},
            user_coverage=0.90 if net == "cm" else 0.93,
        )
        for d in rec["dimensioning"]:
            d["band"] = band[net]
        cities.append(rec)
        (ck / f"{key}.json").write_text(json.dumps({**rec, "hist": _hist()}), "utf-8")
        if rasters:
            _write_rasters(run / "rasters" / key)
            sectors += _sector_rows("620200", "Jiayuguan", n, network=net, band=band[net])
    for net in sites:
        cities.append(
            _city_record(
                f"460300_empty1_{net}",
                "460300",
                "Empty1",
                0,
                network=net,
                area_coverage=None,
                target_area_km2=0.0,
                sectors_by_band={},
                sectors_by_antenna={},
            )
        )
    if sectors:
        _write_sectors(run / "sites.gpkg", sectors)
    nets = {
        "cm": {**NETWORKS["cm"], "national": _network_national(4, 1000.0, 0.97, 900.0)},
        "ctcu": {**NETWORKS["ctcu"], "national": _network_national(6, 700.0, 0.99, 620.0)},
    }
    total = {
        k: v for k, v in _network_national(10, 1700.0, 0.98, 0.0).items() if k != "isd_by_class"
    }
    total |= {
        "cities": 2,
        "sectors": 30,
        "user_coverage": 0.918,
        "limiting_factor_counts": {"coverage-indoor": 4, "capacity": 4},
        "networks": ["cm", "ctcu"],
        "sites_by_network": {"cm": 4, "ctcu": 6},
    }
    summary: dict[str, Any] = {
        "nrplan_version": "test",
        "year": 2020,
        "operators": "china-2020",
        "operator_share": 1.0,
        "seed": 1,
        "config": {
            "operators": "china-2020",
            "targets": {"rsrp_dbm": -110.0, "edge_percentile": 5.0},
            "layers": {"urban": {"band": "n78"}},
            "link": {"planning_load": 0.5},
            "resolution_m": 100.0,
        },
        "models": {"pathloss": "TR 38.901 Table 7.4.1-1"},
        "national": total,
        "cities": cities,
    }
    if economics:
        neco = {"cm": _network_economics(1.0e9, False), "ctcu": _network_economics(1.5e9, True)}
        for net, e in neco.items():
            e["sites"] = float(sites[net])
            nets[net]["economics"] = e
        tot_eco = _network_economics(2.5e9, False)
        tot_eco["sites"] = 10.0
        del tot_eco["tco_per_operator"]
        summary["economics"] = {
            "currency": "CNY",
            "usd_rate": 6.9,
            "national": tot_eco,
            "networks": neco,
            "cities": {
                c["key"]: {
                    "key": c["key"],
                    "id": c["id"],
                    "name": c["name"],
                    "network": c["network"],
                    "sites": float(c["sites"]),
                    "capex_total": 2.5e8 * c["sites"],
                    "tco": 5e8 * c["sites"],
                }
                for c in cities
            },
            "assumptions": {"cm": {"years": 10}, "ctcu": {"years": 10}},
            "warnings": [],
        }
    if networks:
        summary["networks"] = nets
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return run


def network_kpi_rows(html_text: str, table_id: str) -> dict[str, dict[str, Any]]:
    """Rows of a KPI table with one column per network (``data-network`` cells):
    ``{data-key: {"label", "unit", "values": {network: (shown, data-value)}}}``."""
    import html

    m = re.search(rf'<table class="kpi" id="{re.escape(table_id)}">(.*?)</table>', html_text, re.S)
    assert m, table_id
    out: dict[str, dict[str, Any]] = {}
    for key, label, cells, unit in re.findall(
        r'<tr data-key="([^"]*)"><th>(.*?)</th>(.*?)<td>([^<]*)</td></tr>', m.group(1)
    ):
        values = {
            html.unescape(n): (html.unescape(shown), raw)
            for n, raw, shown in re.findall(
                r'<td class="num[^"]*" data-network="([^"]*)" data-value="([^"]*)">([^<]*)</td>',
                cells,
            )
        }
        out[html.unescape(key)] = {
            "label": html.unescape(label),
            "unit": html.unescape(unit),
            "values": values,
        }
    return out


def table_header(html_text: str, table_id: str) -> list[str]:
    """The ``data-network`` names of the header cells of a table with one column per
    network."""
    m = re.search(rf'<table[^>]* id="{re.escape(table_id)}"><thead>(.*?)</thead>', html_text, re.S)
    assert m, table_id
    return re.findall(r'<th data-network="([^"]*)"', m.group(1))


# -- parsing the report ----------------------------------------------------------------
class _KpiParser(HTMLParser):
    """Rows ``(data-key, shown text, unit, data-value)`` of one KPI table by id."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.depth = 0  # > 0 inside the wanted table
        self.rows: list[list[Any]] = []
        self._row: list[Any] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            if self.depth or a.get("id") == self.table_id:
                self.depth += 1
        elif self.depth and tag == "tr" and "data-key" in a:
            self._row = [a["data-key"]]
        elif self.depth and self._row is not None and tag == "td":
            self._cell = []
            if "data-value" in a:
                self._row.append(("value", a["data-value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            key, (_, raw), shown, unit = self._row
            self.rows.append([key, shown, unit, raw])
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def kpi_rows(html_text: str, table_id: str) -> list[list[Any]]:
    """``[key, shown, unit, raw]`` rows of the KPI table ``table_id`` in a report."""
    p = _KpiParser(table_id)
    p.feed(html_text)
    return p.rows


def shown_matches(shown: str, unit: str, expected: Any) -> bool:
    """True if the text shown equals ``expected`` (from summary.json) at its precision.

    Percent rows show fractions x 100; ``-`` stands for null/NaN.
    """
    if expected is None or (isinstance(expected, float) and np.isnan(expected)):
        return shown == "-"
    text = shown.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return False
    decimals = len(text.split(".")[1]) if "." in text else 0
    want = float(expected) * (100.0 if unit == "%" else 1.0)
    return abs(float(text) - want) <= 0.5 * 10.0**-decimals + 1e-9 * abs(want)


def kpi_labels(html_text: str, table_id: str) -> dict[str, str]:
    """``{data-key: label}`` of the KPI table ``table_id`` in a report (labels unescaped)."""
    import html

    m = re.search(rf'<table class="kpi" id="{re.escape(table_id)}">(.*?)</table>', html_text, re.S)
    assert m, table_id
    return {
        html.unescape(k): html.unescape(v)
        for k, v in re.findall(r'<tr data-key="([^"]*)"><th>(.*?)</th>', m.group(1))
    }


def table_text(html_text: str, table_id: str) -> str:
    """The text of the table ``table_id`` (cells separated by ``|``, rows by newlines)."""
    import html

    m = re.search(rf'<table[^>]* id="{re.escape(table_id)}">(.*?)</table>', html_text, re.S)
    assert m, table_id
    t = re.sub(r"</tr>", "\n", m.group(1))
    t = re.sub(r"</t[hd]>", "|", t)
    return html.unescape(re.sub(r"<[^>]+>", "", t))


@pytest.fixture
def kpi_tools() -> tuple[Callable[..., list[list[Any]]], Callable[..., bool]]:
    return kpi_rows, shown_matches


@pytest.fixture
def label_tools() -> tuple[Callable[..., dict[str, str]], Callable[..., str]]:
    return kpi_labels, table_text


@pytest.fixture
def user_hist() -> dict[str, list[float]]:
    """User-weighted histograms as a checkpoint holds them."""
    return _hist()


@pytest.fixture
def network_tools() -> tuple[Callable[..., dict[str, dict[str, Any]]], Callable[..., list[str]]]:
    return network_kpi_rows, table_header
