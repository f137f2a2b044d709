"""Bad outputs and inputs are refused at once: one line, exit 2, nothing written."""

from __future__ import annotations

import json
import socket

import numpy as np
import pytest

from nrplan.cli import main

AREA = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [98.28, 39.80],
                        [98.30, 39.80],
                        [98.30, 39.815],
                        [98.28, 39.815],
                        [98.28, 39.80],
                    ]
                ],
            },
        }
    ],
}


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "area.geojson").write_text(json.dumps(AREA))
    (tmp_path / "afile").write_text("x")
    return tmp_path


def _refused(argv, capsys, work, *, expect: str = ""):
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nrplan: error: "), err
    assert expect in err
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before
    return err


def _write_raster(path, values, bounds=(98.27, 39.79, 98.31, 39.82)):
    import rasterio
    from rasterio.transform import from_bounds

    arr = np.asarray(values, dtype="float32")
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=arr.shape[0],
        width=arr.shape[1],
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_bounds(*bounds, arr.shape[1], arr.shape[0]),
    ) as dst:
        dst.write(arr, 1)


LONG = "a" * 300

# every command with --out, with a minimal valid rest of its arguments
COMMANDS = {
    "plan": ["plan", "--area", "area.geojson", "--no-report", "--no-rasters"],
    "predict": ["predict", "--sites", "sites.csv", "--area", "area.geojson"],
    "private": ["private", "--area", "area.geojson", "--profile", "port"],
    "regions": ["regions", "demand", "--area", "area.geojson"],
}
FILE_COMMANDS = {
    "report": ["report", "run"],
    "compare": ["compare", "run"],
}


@pytest.mark.parametrize("cmd", sorted(COMMANDS))
@pytest.mark.parametrize(
    "out, expect",
    [
        ("afile", "is an existing file"),
        ("afile/sub", "is a file, not a directory"),
        ("", "empty path"),
        (LONG, "bytes long"),
        (f"new/{LONG}", "bytes long"),
    ],
)
def test_bad_out_dir_is_refused_at_once(cmd, out, expect, work, capsys):
    _refused([*COMMANDS[cmd], "--out", out], capsys, work, expect=expect)


@pytest.mark.parametrize("cmd", sorted(FILE_COMMANDS))
@pytest.mark.parametrize(
    "out, expect",
    [
        ("afile/x.html", "is a file, not a directory"),
        ("", "empty path"),
        (LONG + ".html", "bytes long"),
        (".", "is a directory"),
    ],
)
def test_bad_out_file_is_refused_at_once(cmd, out, expect, work, capsys):
    (work / "run").mkdir()
    _refused([*FILE_COMMANDS[cmd], "--out", out], capsys, work, expect=expect)


def test_empty_out_with_equals_sign(work, capsys):
    _refused(["plan", "--area", "area.geojson", "--out="], capsys, work, expect="empty path")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("sched", ["tcp://", "ftp://x", "tcp://host:notaport", "unreachable"])
def test_bad_scheduler_leaves_no_run_dir(sched, work, capsys):
    if sched == "unreachable":
        sched = f"tcp://127.0.0.1:{_free_port()}"
    argv = ["plan", "--area", "area.geojson", "--out", "NEW", "--scheduler", sched]
    err = _refused(argv, capsys, work, expect="scheduler")
    assert not (work / "NEW").exists(), err


def _population(work, kind):
    if kind == "empty":
        (work / "pop.tif").write_bytes(b"")
    elif kind == "garbage":
        (work / "pop.tif").write_text("this is not a raster\n")
    elif kind == "negative":
        _write_raster(work / "pop.tif", -np.ones((8, 8)))
    elif kind == "elsewhere":
        _write_raster(work / "pop.tif", np.ones((8, 8)), bounds=(10.0, 50.0, 10.1, 50.1))
    elif kind == "no-crs":
        import rasterio

        with rasterio.open(
            work / "pop.tif", "w", driver="GTiff", height=4, width=4, count=1, dtype="float32"
        ) as dst:
            dst.write(np.ones((4, 4), "float32"), 1)
    return "pop.tif"


@pytest.mark.parametrize("kind", ["empty", "garbage", "negative", "elsewhere", "no-crs"])
def test_bad_population_raster_leaves_no_run_dir(kind, work, capsys):
    pop = _population(work, kind)
    argv = ["plan", "--area", "area.geojson", "--population", pop, "--out", "NEW"]
    _refused(argv, capsys, work)
    assert not (work / "NEW").exists()


@pytest.mark.parametrize(
    "text, expect",
    [
        ("lon,lat,foo\n98.29,39.81,100\n", "no population column (accepted: population, pop"),
        ("lon,lat,population\n98.29,39.81,-5\n", ">= 0"),
        ("lon,lat,population\n10.0,50.0,100\n", "no point of the file lies inside"),
        ("a,b,population\n1,2,3\n", "no coordinate columns"),
    ],
)
def test_bad_population_points_is_one_line(text, expect, work, capsys):
    (work / "points.csv").write_text(text)
    argv = ["plan", "--area", "area.geojson", "--population", "points.csv", "--out", "NEW"]
    _refused(argv, capsys, work, expect=expect)
    assert not (work / "NEW").exists()


def test_bad_input_never_touches_an_existing_run(work, capsys):
    run = work / "run"
    run.mkdir()
    (run / "config.json").write_text('{"config_hash": "x", "config": {}}')
    (work / "pop.tif").write_text("garbage")
    argv = ["plan", "--area", "area.geojson", "--population", "pop.tif", "--out", "run"]
    _refused(argv, capsys, work)
    assert (run / "config.json").read_text() == '{"config_hash": "x", "config": {}}'


@pytest.mark.parametrize("cities", ["", ",", " , "])
def test_empty_city_list_is_refused(cities, work, capsys):
    _refused(["plan", "china", "--cities", cities, "--out", "NEW"], capsys, work, expect="--cities")


def test_predict_refuses_a_directory_of_another_run(work, capsys):
    other = work / "other"
    other.mkdir()
    (other / "config.json").write_text("{}")
    (work / "sites.csv").write_text("x\n")
    err = _refused(
        [*COMMANDS["predict"], "--out", "other"], capsys, work, expect="not of a 'predict' run"
    )
    assert "new --out" in err


def test_plan_refuses_a_directory_that_is_not_a_plan_run(work, capsys):
    other = work / "other"
    other.mkdir()
    (other / "stats.json").write_text("{}")
    _refused([*COMMANDS["plan"], "--out", "other"], capsys, work, expect="not of a 'plan' run")


def test_private_refuses_to_replace_a_plan_run(work, capsys):
    run = work / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "config.json").write_text("{}")
    _refused([*COMMANDS["private"], "--out", "run"], capsys, work, expect="not of a 'private' run")


def test_out_helpers_accept_good_paths(tmp_path):
    from nrplan.io.outpath import check_out_dir, check_out_file

    assert check_out_dir(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "stats.json").write_text("{}")
    (tmp_path / "r" / ".stats.json.tmp").write_text("{}")  # hidden leftovers are fine
    check_out_dir(tmp_path / "r", own_files=["stats.json"])
    (tmp_path / "x.html").write_text("old")
    assert check_out_file(tmp_path / "x.html") == tmp_path / "x.html"
    assert not (tmp_path / "a").exists()
