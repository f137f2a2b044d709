"""Each built-in profile meets its own targets with its own defaults on a plain site of
the size it is made for; zones, poles and the factory's requirement-driven count; bad
zones and unknown unit types exit 2 through the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely

from nrplan.cli import main
from nrplan.industry import default_inventory, load_profile, plan_private

EX = Path(__file__).resolve().parents[2] / "examples" / "private"
LON0, LAT0 = 120.19, 36.0


def _box(w_m: float, h_m: float, lon0: float = LON0, lat0: float = LAT0):
    """A w x h m rectangle (WGS84) with its south-west corner at (lon0, lat0)."""
    dlon = w_m / (111_320.0 * math.cos(math.radians(lat0)))
    return shapely.box(lon0, lat0, lon0 + dlon, lat0 + h_m / 110_574.0)


def _geojson(path: Path, geoms, props=None) -> Path:
    feats = [
        {"type": "Feature", "properties": (props or [{}] * len(geoms))[i],
         "geometry": shapely.geometry.mapping(g)}
        for i, g in enumerate(geoms)
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def _run(tmp_path, capsys, area, profile, *extra) -> dict:
    rc = main(["private", "--area", str(area), "--profile", profile,
               "--out", str(tmp_path / "run"), "--json", *extra])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0
    return json.loads(out)


def test_port_profile_on_a_plain_yard(tmp_path, capsys):
    # a new user's 1.2 x 0.7 km container yard, nothing but the profile's defaults
    area = _geojson(tmp_path / "yard.geojson", [_box(1200, 700)])
    s = _run(tmp_path, capsys, area, "port", "--resolution", "10")
    assert s["targets_met"] and s["stop_reason"] == "targets met"
    assert s["sites"] < 54  # the omni-only planner's 54 poles on a 0.92 km^2 yard
    uc = s["unit_choice"]
    assert uc["chosen"] == s["unit_type"] and uc["why"].startswith(s["unit_type"])
    assert len(uc["candidates"]) == 4
    zones = {z["name"]: z for z in s["zones"]}
    assert set(zones) == {"crane-rows", "agv-lanes"}
    assert "agv" in zones["agv-lanes"]["classes"]
    assert all(c["pass"] for c in s["classes"])


def test_factory_profile_on_a_plain_hall(tmp_path, capsys):
    area = _geojson(tmp_path / "hall.geojson", [_box(200, 100)])
    s = _run(tmp_path, capsys, area, "factory", "--resolution", "5")
    assert s["targets_met"] and s["unit_type"] == "pico-4t4r"
    assert s["sites"] >= 2  # dual connectivity needs two units at least
    # mounted 1 m below the 10 m InF-DH ceiling
    assert s["unit"]["height_m"] == pytest.approx(9.0)


def test_campus_profile_on_a_plain_campus(tmp_path, capsys):
    area = _geojson(tmp_path / "campus.geojson", [_box(600, 500)])
    s = _run(tmp_path, capsys, area, "campus", "--resolution", "10")
    assert s["targets_met"] and s["unit_choice"]["zone_kind"] == "outdoor"


@pytest.mark.slow
def test_mine_profile_on_a_plain_pit(tmp_path, capsys):
    # 2.0 x 1.75 km = 3.5 km^2, the open pit the profile is made for
    area = _geojson(tmp_path / "pit.geojson", [_box(2000, 1750)])
    s = _run(tmp_path, capsys, area, "mine", "--resolution", "20")
    assert s["targets_met"]
    assert s["class_zones"]["agv"] == "haul-roads"
    assert s["unit_choice"]["zone_kind"] == "pit"


@pytest.mark.slow
def test_mine_example_plans_on_its_haul_roads(tmp_path, capsys):
    s = _run(tmp_path, capsys, EX / "mine.geojson", "mine", "--devices",
             str(EX / "mine_devices.csv"), "--config", str(EX / "mine.toml"),
             "--resolution", "20")  # fmt: skip
    assert s["targets_met"]
    rows = {c["class"]: c for c in s["classes"]}
    # the haul trucks' five nines hold on the haul roads (their zone), not the whole pit
    assert rows["agv@haul-roads"]["zone"] == "haul-roads"
    assert rows["agv@haul-roads"]["reliability_ok"]
    zone_px = rows["agv@haul-roads"]["zone_pixels"]
    assert 0 < zone_px < rows["sensor"]["zone_pixels"]
    assert rows["crane-control@pit-floor"]["zone"] == "pit-floor"


def _factory_units(w: float, h: float, devices: dict[str, int]) -> int:
    prof = load_profile("factory")
    p = plan_private(_box(w, h, 120.4, 36.3), prof, default_inventory(devices), resolution_m=5)
    assert p.met
    return p.n_sites


def test_factory_count_follows_cameras_and_hall_size():
    base = {"agv": 30, "plc": 20, "hd-camera": 32, "sensor": 300}
    n0 = _factory_units(200, 100, base)
    # twice as many cameras (their UL traffic): more units
    n_cam = _factory_units(200, 100, {**base, "hd-camera": 64})
    assert n_cam > n0
    # a hall twice as large with the same device density: more units
    twice = {k: 2 * v for k, v in base.items()}
    n_big = _factory_units(200 * math.sqrt(2), 100 * math.sqrt(2), twice)
    assert n_big > n0


def test_poles_file_places_units_on_light_towers(tmp_path, capsys):
    area = _geojson(tmp_path / "yard.geojson", [_box(1200, 700)])
    site = _box(1200, 700)
    xs = np.linspace(site.bounds[0], site.bounds[2], 6)[1:-1]
    ys = np.linspace(site.bounds[1], site.bounds[3], 4)[1:-1]
    poles = tmp_path / "poles.csv"
    poles.write_text("lon,lat,height_m\n" + "".join(
        f"{x:.6f},{y:.6f},35\n" for x in xs for y in ys))  # fmt: skip
    s = _run(tmp_path, capsys, area, "port", "--resolution", "20", "--poles", str(poles))
    import geopandas as gpd

    g = gpd.read_file(tmp_path / "run" / "sites.gpkg")
    tw = np.array([(x, y) for x in xs for y in ys])
    d = np.hypot(g["lon"].to_numpy()[:, None] - tw[:, 0], g["lat"].to_numpy()[:, None] - tw[:, 1])
    assert (d.min(axis=1) < 1e-6).all()  # every cell on a tower (written to 6 decimals)
    assert s["unit"]["height_m"] == pytest.approx(35.0)


BOWTIE = [[120.192, 36.001], [120.195, 36.004], [120.195, 36.001], [120.192, 36.004]]


@pytest.mark.parametrize(
    ("zone", "needle"),
    [
        # a lane drawn 2 km east of the yard
        ([[120.22, 36.002], [120.23, 36.002]], "outside the site"),
        # a bow-tie polygon
        ({"polygon": BOWTIE}, "self-intersecting"),
        ([[120.192, 36.002]], "empty zone"),
    ],
)
def test_bad_zone_in_toml_exit_2(tmp_path, capsys, zone, needle):
    area = _geojson(tmp_path / "yard.geojson", [_box(1200, 700)])
    geom = zone if isinstance(zone, dict) else {"line": zone}
    key, pts = next(iter(geom.items()))
    cfg = tmp_path / "z.toml"
    cfg.write_text(f'[[zones]]\nname = "lane"\nclasses = ["agv"]\n{key} = {pts}\n')
    rc = main(["private", "--area", str(area), "--profile", "port", "--config", str(cfg),
               "--out", str(tmp_path / "o")])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and needle in err and "zones[0]" in err
    assert not (tmp_path / "o").exists()


def test_bad_zone_file_exit_2(tmp_path, capsys):
    area = _geojson(tmp_path / "yard.geojson", [_box(1200, 700)])
    far = shapely.LineString([(121.0, 36.0), (121.01, 36.0)])
    zones = _geojson(tmp_path / "zones.geojson", [far], [{"name": "rows", "classes": "agv"}])
    rc = main(["private", "--area", str(area), "--profile", "port", "--zones", str(zones),
               "--out", str(tmp_path / "o")])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "outside the site" in err


def test_unknown_unit_type_exit_2(tmp_path, capsys):
    area = _geojson(tmp_path / "yard.geojson", [_box(1200, 700)])
    cfg = tmp_path / "u.toml"
    cfg.write_text('units = ["macro-64t64r", "macro-128t128r"]\n')
    rc = main(["private", "--area", str(area), "--profile", "port", "--config", str(cfg),
               "--out", str(tmp_path / "o")])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "macro-128t128r" in err
    assert "macro-64t64r" in err  # the allowed names are listed
