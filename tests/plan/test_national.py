"""National runs: checkpoints, resume, executors give identical results."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nrplan.geo.region import china_regions
from nrplan.plan.config import PlanConfig
from nrplan.plan.national import plan_regions

CITIES = ["Jiayuguan", "Karamay"]
CFG = PlanConfig(resolution_m=100.0, rasters=False, max_iterations=3)


def _national(summary: dict) -> dict:
    n = dict(summary["national"])
    return {k: v for k, v in n.items() if not k.endswith("_s")}


@pytest.fixture(scope="module")
def regions():
    return china_regions(CITIES)


@pytest.fixture(scope="module")
def one_run(regions, tmp_path_factory):
    out = tmp_path_factory.mktemp("one")
    return out, plan_regions(regions, CFG, out, scheduler="serial")


def test_run_directory_files(one_run):
    out, summary = one_run
    assert summary["national"]["cities"] == 2
    assert summary["seed"] == CFG.seed
    for name in ("summary.json", "cities.csv", "sites.gpkg", "config.json"):
        assert (out / name).is_file()
    assert not list(out.rglob("*.part*"))
    cities = pd.read_csv(out / "cities.csv")
    assert set(cities["name"]) == set(CITIES)
    assert cities["sites"].sum() == summary["national"]["sites"]
    on_disk = json.loads((out / "summary.json").read_text())
    assert on_disk["national"]["sites"] == summary["national"]["sites"]


def test_sites_gpkg_has_one_row_per_sector_with_lonlat(one_run):
    import geopandas as gpd

    out, summary = one_run
    g = gpd.read_file(out / "sites.gpkg", layer="sectors")
    assert len(g) == summary["national"]["sectors"]
    assert g.crs.to_epsg() == 4326
    assert g["lon"].between(73, 135).all() and g["lat"].between(18, 54).all()
    for col in ("city", "band", "azimuth_deg", "mech_tilt_deg", "elec_tilt_deg", "power_dbm"):
        assert col in g.columns


def test_resume_after_interruption_gives_the_same_result(regions, one_run, tmp_path):
    _, reference = one_run
    out = tmp_path / "resumed"

    def stop_after_first(name, done, total):
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        plan_regions(regions, CFG, out, scheduler="serial", progress=stop_after_first)
    assert len(list((out / "checkpoints").glob("*.json"))) == 1
    assert not (out / "summary.json").exists()
    seen = []
    resumed = plan_regions(
        regions, CFG, out, scheduler="serial", progress=lambda n, d, t: seen.append((n, d))
    )
    assert seen[0] == ("", 1)  # one city was already done and is not redone
    assert len(seen) == 2
    assert _national(resumed) == _national(reference)


def test_rerun_with_other_settings_is_refused(regions, one_run):
    from nrplan.errors import NrplanInputError

    out, _ = one_run
    with pytest.raises(NrplanInputError, match="different settings"):
        plan_regions(regions, CFG.model_copy(update={"seed": 7}), out)


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(regions, one_run, tmp_path):
    from distributed import LocalCluster

    _, reference = one_run
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        summary = plan_regions(regions, CFG, tmp_path / "dask", scheduler=cluster.scheduler_address)
    got, ref = _national(summary), _national(reference)
    assert got.keys() == ref.keys()
    for k, v in ref.items():
        if isinstance(v, float):
            # the same compiled kernels in every process (engine.kernels.FASTMATH)
            assert got[k] == pytest.approx(v, rel=1e-12, abs=1e-12, nan_ok=True), k
        else:
            assert got[k] == v, k
    ref_cities = {c["id"]: c["sites"] for c in reference["cities"]}
    assert {c["id"]: c["sites"] for c in summary["cities"]} == ref_cities


def test_shared_ran_uses_pooled_carrier_and_reports_the_saving(tmp_path):
    regions = china_regions(["Jiayuguan"])
    cfg = CFG.model_copy(update={"operators": "shared"})
    s = plan_regions(regions, cfg, tmp_path / "shared")
    city = s["cities"][0]
    assert set(city["sectors_by_band"]) == {"n78-shared"}
    assert s["operator_share"] == pytest.approx(0.409)  # CT + CU: 652 M of 1,594 M users
    sharing = s["economics"]["national"]["sharing"]
    assert sharing["tco_shared"] < sharing["tco_separate"]
    assert 0.0 < sharing["saving_share"] < 1.0
