"""The Python API: plan a city in memory, plan into a run directory and load it back."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import nrplan
from nrplan.errors import NrplanInputError
from nrplan.plan.records import RASTER_LAYERS, SCHEMA_VERSION, CityResult, RunSummary

#: Jiayuguan: the smallest embedded city with sites (one built-up cluster);
#: 100 m pixels and 3 iterations keep it to seconds.
CITY = "Jiayuguan"
CFG = nrplan.PlanConfig(resolution_m=100.0, max_iterations=3)


@pytest.fixture(scope="module")
def in_memory(tmp_path_factory, request):
    cwd = tmp_path_factory.mktemp("cwd")
    mp = pytest.MonkeyPatch()
    mp.chdir(cwd)
    request.addfinalizer(mp.undo)
    res = nrplan.plan_region(CITY, CFG)
    return res, cwd


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("api_run")
    summary = nrplan.plan_regions([CITY], CFG, out)
    return out, summary


def test_import_nrplan_is_light():
    code = "import sys, nrplan; print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert "plan_region" in dir(nrplan)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = nrplan.nope  # type: ignore[attr-defined]


def test_plan_region_in_memory_gives_typed_result_and_writes_nothing(in_memory):
    res, cwd = in_memory
    assert list(cwd.iterdir()) == []
    city = res.city
    assert isinstance(city, CityResult) and city.name == CITY
    assert city.sites > 0 and city.sectors == len(res.sectors)
    assert len(res.sites) == city.sites
    assert res.sites["sectors"].sum() == city.sectors
    assert res.sectors["lon"].between(97, 99).all() and res.sectors["lat"].between(39, 40.5).all()
    # KPIs with their units in the names, in physical ranges
    assert 0.0 <= city.area_coverage_share <= 1.0
    assert city.ss_sinr_p5_db <= city.ss_sinr_p50_db <= city.ss_sinr_p95_db
    assert city.dl_p5_mbps <= city.dl_p50_mbps
    # rasters: every layer, on the plan's grid
    assert set(res.rasters) == set(RASTER_LAYERS)
    assert res.grid is not None and res.grid.shape == tuple(city.grid_shape)
    for arr in res.rasters.values():
        assert arr.shape == res.grid.shape
    sinr = res.rasters["sinr"]
    assert np.isfinite(sinr).any() and np.nanmax(sinr) < 60.0
    assert res.raster_unit("sinr") == "dB" and res.raster_unit("dl_mbps") == "Mbit/s"
    # economics of the city, in its currency
    assert res.currency == "CNY"
    assert res.economics["sites"] == city.sites and res.economics["tco"] > 0


def test_plan_regions_and_load_back_give_the_same_objects(in_memory, run_dir):
    res, _ = in_memory
    out, summary = run_dir
    assert isinstance(summary, RunSummary) and summary.schema_version == SCHEMA_VERSION
    on_disk = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert on_disk["schema_version"] == SCHEMA_VERSION
    assert not (out / "report.html").exists()  # the API writes no report unless asked
    loaded = nrplan.load_run(out)
    assert loaded.to_dict().keys() == summary.to_dict().keys()
    assert [c.key for c in loaded.cities] == [c.key for c in summary.cities]
    back = nrplan.load_region(out, CITY)
    # the written plan is the in-memory one (same seed, same settings)
    assert back.city.sites == res.city.sites
    assert back.city.ss_sinr_p50_db == pytest.approx(res.city.ss_sinr_p50_db)
    assert back.city.dl_p50_mbps == pytest.approx(res.city.dl_p50_mbps)
    assert back.grid == res.grid
    for name, arr in res.rasters.items():
        np.testing.assert_allclose(back.rasters[name], arr, rtol=1e-6, equal_nan=True)
    assert back.economics["tco"] == pytest.approx(res.economics["tco"])
    assert len(back.sectors) == len(res.sectors)


def test_old_summary_loads_and_unknown_schema_fails_clearly(run_dir, tmp_path):
    out, _ = run_dir
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    old = tmp_path / "old"
    old.mkdir()
    data.pop("schema_version")
    (old / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    assert nrplan.load_run(old).schema_version == 1
    data["schema_version"] = SCHEMA_VERSION + 1
    (old / "summary.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NrplanInputError, match=f"schema_version {SCHEMA_VERSION + 1}") as info:
        nrplan.load_run(old)
    assert "\n" not in str(info.value)
    with pytest.raises(NrplanInputError, match="city"):
        nrplan.load_region(out, "Atlantis")


def test_radio_and_regions_are_exported():
    # TS 38.306 4.1.2 via nrplan.radio.nr; TR 38.901 UMa NLOS via nrplan.radio.pathloss
    assert nrplan.peak_rate_mbps is __import__("nrplan.radio.nr").radio.nr.peak_rate_mbps
    pl = float(nrplan.pathloss("uma", 500.0, 25.0, 1.5, 3.5, "nlos"))
    # PL'_NLOS = 13.54 + 39.08 log10(d3D) + 20 log10(3.5) - 0.6 (1.5 - 1.5);
    # d3D = sqrt(500^2 + 23.5^2) = 500.552 -> 13.54 + 105.494 + 10.881 = 129.916 dB,
    # above PL_LOS (~ 98 dB), so PL_NLOS = max(PL_LOS, PL'_NLOS) = 129.916 dB
    d3 = math.hypot(500.0, 23.5)
    assert pl == pytest.approx(13.54 + 39.08 * math.log10(d3) + 20 * math.log10(3.5), abs=1e-6)
    regions = nrplan.china_regions([CITY])
    assert regions[0].name == CITY
    with pytest.raises(NrplanInputError):
        nrplan.plan_region(42)  # type: ignore[arg-type]
