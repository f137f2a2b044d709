"""``nrplan plan``: bad config is one line and exit 2; a tiny real run works."""

from __future__ import annotations

import json

import pytest

from nrplan.cli import main


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["plan", "china", "--cities", "Atlantis"], "Atlantis"),
        (["plan", "china", "--operators", "three"], "operators"),
        (["plan", "china", "--resolution", "-5"], "resolution"),
        (["plan", "china", "--year", "1990"], "year"),
        (["plan", "mars"], "china"),
        (["plan"], "--area"),
        (["plan", "--area", "no/such/file.geojson"], "no/such/file.geojson"),
        (
            ["plan", "china", "--scheduler", "carrier-pigeon", "--cities", "Jiayuguan,Karamay"],
            "scheduler",
        ),
    ],
)
def test_bad_input_one_line_exit_2(argv, needle, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nrplan: error:")
    assert needle in err
    assert not (tmp_path / "run" / "summary.json").exists()


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[layers.urban]\nband = 'n99'\n", "n99"),
        ("[targets]\narea_coverage = 1.5\n", "area_coverage"),
        ("[targets]\nedge_dl_mbps = -1\n", "edge_dl_mbps"),
        ("colour = 'blue'\n", "colour"),
        ("this is = not toml [", "TOML"),
        ("[morphology.urban]\nindoor_share = 1.2\n", "indoor_share"),
        ("[morphology.downtown]\nindoor_share = 0.5\n", "downtown"),
        ("[morphology.urban]\nh_ut_indoor_m = 40\n", "h_ut_indoor_m"),
        ("[link]\nbody_loss_db = -3\n", "body_loss_db"),
        ("[link]\nul_iot_db = nan\n", "ul_iot_db"),
        ("[link]\nplanning_load = 0\n", "planning_load"),
        ("operators = 'all'\n", "operators"),
        ("[layers.urban]\nelec_tilt_deg = 45\n", "elec_tilt_deg"),
    ],
)
def test_bad_config_file(toml, needle, capsys, tmp_path):
    cfg = tmp_path / "plan.toml"
    cfg.write_text(toml)
    assert main(["plan", "china", "--config", str(cfg), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_plan_one_city_end_to_end_json(capsys, tmp_path):
    out = tmp_path / "run"
    rc = main(
        ["plan", "china", "--cities", "嘉峪关", "--resolution", "100", "--out", str(out), "--json"]
    )
    assert rc == 0
    res = json.loads(capsys.readouterr().out)
    n = res["national"]
    assert n["cities"] == 1 and n["sites"] > 0
    assert n["cities_meeting_targets"] == 1
    assert n["area_coverage"] >= 0.95 and n["indoor_population_coverage"] >= 0.85
    assert n["sinr_p5"] < n["sinr_p50"] < n["sinr_p95"]
    assert n["pdsch_sinr_p50"] > n["sinr_p50"]  # traffic beams vs SSBs at full load
    assert "urban" in n["isd_by_class"] or "suburban" in n["isd_by_class"]
    summary = json.loads((out / "summary.json").read_text())
    pred = summary["models"]["prediction"]
    assert pred["seed"] == summary["seed"] == summary["config"]["seed"]
    assert pred["ul_interference_margin_db"] == summary["config"]["link"]["ul_iot_db"]
    assert list((out / "rasters").glob("*/rsrp.tif"))


def test_plan_user_area_reuses_existing_sites(capsys, tmp_path):
    """``--area`` with ``--sites``: existing sites (examples/sites.csv) are reused."""
    from pathlib import Path

    import geopandas as gpd

    examples = Path(__file__).resolve().parents[2] / "examples"
    out = tmp_path / "area"
    rc = main(
        [
            "plan",
            "--area",
            str(examples / "area.geojson"),
            "--sites",
            str(examples / "sites.csv"),
            "--resolution",
            "50",
            "--out",
            str(out),
            "--json",
        ]
    )
    assert rc == 0, capsys.readouterr().err
    res = json.loads(capsys.readouterr().out)
    assert res["national"]["reused_sites"] >= 1
    g = gpd.read_file(out / "sites.gpkg", layer="sectors")
    assert g["reused"].any()


def test_bad_existing_sites_file(capsys, tmp_path):
    bad = tmp_path / "sites.csv"
    bad.write_text("x,y\n1,2\n")
    rc = main(
        [
            "plan",
            "--area",
            "examples/area.geojson",
            "--sites",
            str(bad),
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert rc == 2
    assert "lon" in capsys.readouterr().err
