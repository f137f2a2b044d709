"""One-line errors for inputs that are well-formed but cannot describe a real plan."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nrplan.cli import main
from nrplan.errors import NrplanInputError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHELL = [[120.4, 36.3], [120.402, 36.3], [120.402, 36.301], [120.4, 36.301], [120.4, 36.3]]


def _polygon_file(path: Path, rings, crs: str | None = None, name: str = "hall A") -> Path:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
        ],
    }
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


def _one_line_error(argv, capsys) -> str:
    code = main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("nrplan: error:"), err
    return err


def _sites(tmp_path: Path, edit) -> Path:
    df = pd.read_csv(EXAMPLES / "sites.csv")
    df = edit(df)
    path = tmp_path / "sites.csv"
    df.to_csv(path, index=False)
    return path


def test_predict_refuses_sites_far_from_area(tmp_path, capsys):
    def move(df):
        return df.assign(
            lon=df["lon"] - 191.46 + 360.0 * (df["lon"] - 191.46 < -180), lat=-df["lat"]
        )

    sites = _sites(tmp_path, move)
    err = _one_line_error(
        ["predict", "--sites", sites, "--area", EXAMPLES / "area.geojson", "--out", tmp_path / "o"],
        capsys,
    )
    assert "sites" in err and "100 km" in err
    assert not (tmp_path / "o").exists()


def test_predict_refuses_area_far_from_sites(tmp_path, capsys):
    far = [[[10.0, 50.0], [10.02, 50.0], [10.02, 50.02], [10.0, 50.02], [10.0, 50.0]]]
    area = _polygon_file(tmp_path / "far.geojson", far)
    err = _one_line_error(
        ["predict", "--sites", EXAMPLES / "sites.csv", "--area", area, "--out", tmp_path / "o"],
        capsys,
    )
    assert "km from the area" in err


def test_near_sites_drops_and_counts_far_ones():
    import shapely

    from nrplan.io.sites import near_sites, read_sites

    df = read_sites(EXAMPLES / "sites.csv")
    far = df["site_id"] == df["site_id"].iloc[-1]
    df.loc[far, "lon"] = -70.0
    area = shapely.box(121.46, 31.22, 121.49, 31.24)
    kept, n_far = near_sites(df, area)
    assert n_far == 1
    assert len(kept) == int((~far).sum())
    assert list(kept.index) == list(df.index[~far])  # rows of sites.csv kept for best_server


def test_site_id_at_two_places_is_refused(tmp_path, capsys):
    def moved(df):
        df.loc[1, "lon"] += 0.01
        return df

    sites = _sites(tmp_path, moved)
    err = _one_line_error(
        ["predict", "--sites", sites, "--area", EXAMPLES / "area.geojson", "--out", tmp_path / "o"],
        capsys,
    )
    assert "site_id='SH001'" in err


@pytest.mark.parametrize(
    ("rings", "needle"),
    [
        # hole bigger than its shell
        (
            [
                SHELL,
                [
                    [120.39, 36.29],
                    [120.41, 36.29],
                    [120.41, 36.31],
                    [120.39, 36.31],
                    [120.39, 36.29],
                ],
            ],
            "hole 1",
        ),
        # zero area: collinear ring
        ([[[120.4, 36.3], [120.401, 36.3], [120.402, 36.3], [120.4, 36.3]]], "positive area"),
    ],
)
def test_private_refuses_degenerate_polygon_naming_feature(tmp_path, capsys, rings, needle):
    area = _polygon_file(tmp_path / "site.geojson", rings)
    err = _one_line_error(
        ["private", "--area", area, "--profile", "factory", "--out", tmp_path / "o"], capsys
    )
    assert "feature 0 (hall A)" in err and needle in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["private", "predict", "plan"])
def test_unknown_crs_is_refused_naming_it(tmp_path, capsys, command):
    area = _polygon_file(tmp_path / "site.geojson", [SHELL], crs="EPSG:99999")
    argv = {
        "private": ["private", "--area", area, "--profile", "factory"],
        "predict": ["predict", "--area", area, "--sites", EXAMPLES / "sites.csv"],
        "plan": ["plan", "--area", area],
    }[command]
    err = _one_line_error([*argv, "--out", tmp_path / "o"], capsys)
    assert "EPSG:99999" in err and "CRS" in err


@pytest.mark.parametrize("window", ["9-21", "8-22", "0-24", "12-21"])
def test_energy_refuses_sleeping_through_busy_hours(window, capsys):
    err = _one_line_error(["energy", "--sleep-hours", window], capsys)
    assert "busy hours" in err


def test_energy_accepts_night_window(capsys):
    assert main(["energy", "--sleep-hours", "21-9", "--json"]) == 0


def test_check_sleep_window_library():
    from nrplan.econ.energy import check_sleep_window

    check_sleep_window(list(range(21, 24)) + list(range(9)), None)
    with pytest.raises(NrplanInputError, match="deep_sleep_hours"):
        check_sleep_window(range(9, 21), None)


@pytest.mark.parametrize("seed", ['"abc"', "-1", "1.5", "true"])
def test_plan_toml_bad_seed(tmp_path, capsys, seed):
    cfg = tmp_path / "plan.toml"
    cfg.write_text(f"seed = {seed}\n")
    err = _one_line_error(
        ["plan", "--area", EXAMPLES / "area.geojson", "--config", cfg, "--out", tmp_path / "o"],
        capsys,
    )
    assert "seed" in err
    assert not (tmp_path / "o").exists()


def test_toml_wrong_type_refused_even_when_option_overrides(tmp_path, capsys):
    cfg = tmp_path / "plan.toml"
    cfg.write_text('resolution_m = "fifty"\n')
    err = _one_line_error(
        ["plan", "--area", EXAMPLES / "area.geojson", "--config", cfg, "--resolution", "200",
         "--out", tmp_path / "o"],
        capsys,
    )  # fmt: skip
    assert "resolution_m" in err


def test_linkbudget_refuses_absurd_heights(capsys):
    assert "h_bs" in _one_line_error(["linkbudget", "--hbs", "1e9"], capsys)
    assert "h_ut" in _one_line_error(["linkbudget", "--hut", "nan"], capsys)
