"""Equipment catalogue, zones, site frame, oriented layout, poles, sizing: hand values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from nrplan.econ.defaults import value
from nrplan.errors import NrplanInputError
from nrplan.industry.devices import default_inventory
from nrplan.industry.equipment import (
    UNIT_TYPES,
    ZONE_CANDIDATES,
    get_unit_type,
    unit_costs,
)
from nrplan.industry.evaluate import sector_gains
from nrplan.industry.latency import symbol_map
from nrplan.industry.layout import candidate_positions, sector_azimuths, snap_to_poles
from nrplan.industry.profiles import RadioUnit, industry_band, load_profile
from nrplan.industry.sizing import candidate_units, capacity_cells, cost_settings
from nrplan.industry.zones import (
    ZoneSpec,
    bind_classes,
    read_poles,
    site_frame,
    zone_geometries,
)
from nrplan.radio.antenna import get_antenna, local_angles, sector_gain


def test_catalogue_has_the_unit_classes_with_sources():
    assert {"macro-64t64r", "macro-32t32r", "macro-8t8r", "pico-4t4r", "pole-4t4r",
            "mast-omni"} <= set(UNIT_TYPES)  # fmt: skip
    for u in UNIT_TYPES.values():
        assert u.source and u.description
        assert u.height_min_m <= u.height_m <= u.height_max_m
        get_antenna(u.antenna)  # a profile of nrplan.radio.antenna
    m = get_unit_type("macro-64t64r")
    # 200 W per sector = 10 log10(200e3 mW) = 53.0 dBm; 3 sectors
    assert m.power_dbm == pytest.approx(10 * math.log10(200e3), abs=0.02) and m.sectors == 3
    # gain: the 64T64R traffic beam 8 + 10 log10(96) = 27.82 dBi less 2.8 dB loss = 25.02
    assert m.gain_dbi == pytest.approx(8 + 10 * math.log10(96) - 2.8, abs=0.01)
    # power: BBU 520 + 3 x 1,100 W = 3,820 W full, 520 + 3 x 580 = 2,260 W idle (defaults)
    assert m.p_full_w == pytest.approx(value("bbu_power") + 3 * value("pmax_64t64r"))
    assert m.p_idle_w == pytest.approx(value("bbu_power") + 3 * value("p0_64t64r"))
    assert ZONE_CANDIDATES["hall"] == ("pico-4t4r",)
    assert "macro-64t64r" in ZONE_CANDIDATES["pit"] and "mast-omni" in ZONE_CANDIDATES["pit"]


def test_unit_costs_by_hand():
    m = get_unit_type("macro-32t32r")
    # yard: BBU + 3 x 32T32R AAU + installation + power + fibre + mounting on an existing
    # light tower
    c, o, basis = unit_costs(m, "yard")
    hand = (value("bbu_per_site") + 3 * value("aau_32t32r") + value("installation_per_site")
            + value("power_upgrade_per_site") + value("transmission_per_site")
            + value("civil_reused"))  # fmt: skip
    assert c == pytest.approx(hand) and o == pytest.approx(value("maintenance_per_site"))
    assert "civil_reused" in basis
    # a pit: a new mast instead
    c2, _, _ = unit_costs(m, "pit")
    assert c2 - c == pytest.approx(value("civil_new_tower") - value("civil_reused"))
    with pytest.raises(NrplanInputError, match="zone kind"):
        unit_costs(m, "moon")
    with pytest.raises(NrplanInputError, match="unit type"):
        get_unit_type("macro-128t128r")


def test_cost_settings_of_a_macro_unit():
    prof = load_profile("port", {"units": ["macro-64t64r"]})
    ((_, p),) = candidate_units(prof)
    kind, s = cost_settings(p)
    m = get_unit_type("macro-64t64r")
    assert kind == "mast" and s.pmax_w == m.p_full_w
    assert s.idle_share == pytest.approx(m.p_idle_w / m.p_full_w)  # 2,260 / 3,820 = 0.5916
    assert s.unit_capex == pytest.approx(unit_costs(m, "yard")[0])


def test_unknown_unit_type_in_a_profile():
    with pytest.raises(NrplanInputError, match="units"):
        load_profile("port", {"units": ["macro-64t64r", "warp-drive"]})


def test_site_frame_of_a_tilted_rectangle():
    g = shapely.affinity.rotate(shapely.box(0, 0, 300, 100), 30, origin=(0, 0))
    f = site_frame(g)
    assert f.length == pytest.approx(300) and f.width == pytest.approx(100)
    # long side at 30 deg: ux = (cos 30, sin 30) = (0.8660, 0.5)
    assert f.ux == pytest.approx([math.cos(math.radians(30)), 0.5])
    assert f.angle_deg == pytest.approx(30.0)
    # (u, v) = (0.5, 0.5) is the centre of the rectangle
    c = f.from_fraction([[0.5, 0.5]])[0]
    assert c == pytest.approx([g.centroid.x, g.centroid.y])


@pytest.mark.parametrize("angle", [0.0, 17.0, 30.0, 45.0])
def test_layout_is_aligned_to_the_site(angle):
    g = shapely.affinity.rotate(shapely.box(0, 0, 1200, 700), angle, origin=(0, 0))
    # cell-centred grid: ceil(1200 / 300) x ceil(700 / 300) = 4 x 3 = 12 units whatever
    # the rotation (a bounding-box grid would place more on a tilted yard)
    pts = candidate_positions(g, "pole", 300.0)
    assert len(pts) == 12
    assert shapely.contains_xy(g, pts[:, 0], pts[:, 1]).all()


def test_sector_azimuths_point_inwards_from_the_rim():
    g = shapely.box(0, 0, 1000, 600)
    pts = np.array([[500.0, 0.0], [0.0, 300.0], [500.0, 300.0]])
    az = sector_azimuths(pts, g, 3)
    # south rim -> north (0 deg), west rim -> east (90 deg), centre -> along the frame (90)
    assert az[:, 0] == pytest.approx([0.0, 90.0, 90.0])
    assert az[0] == pytest.approx([0.0, 120.0, 240.0])


def test_sector_gains_match_the_antenna_module():
    u = RadioUnit(kind="mast", height_m=30, power_dbm=53, gain_dbi=25.02, antenna="64t64r",
                  sectors=3)  # fmt: skip
    dx, dy, dz = np.array([100.0, -50.0]), np.array([200.0, 10.0]), -28.5
    g_t, g_a = sector_gains(u, dx, dy, dz, np.array([30.0, 200.0]))
    th, ph = local_angles(dx, dy, dz, np.array([30.0, 200.0]), 0.0)
    ant = get_antenna("64t64r")
    assert g_t == pytest.approx(sector_gain(ant, th, ph, "traffic", ant.etilt_deg) - 25.02)
    assert g_a == pytest.approx(sector_gain(ant, th, ph, "average", ant.etilt_deg) - 25.02)


def test_snap_to_poles():
    pts = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 0.0]])
    poles = np.array([[2.0, 1.0], [90.0, 0.0], [500.0, 0.0]])
    # the first two points choose pole 0 (once), the third pole 1
    assert snap_to_poles(pts, poles) == pytest.approx(np.array([[2.0, 1.0], [90.0, 0.0]]))


def _to_local(lon, lat):
    return np.asarray(lon, float), np.asarray(lat, float)  # identity: metres already


SITE = shapely.box(0, 0, 1000, 500)


def test_zone_line_is_buffered_and_clipped():
    z = ZoneSpec(name="lane", line=[[100, 250], [900, 250]], width_m=10.0)
    g = zone_geometries([z], SITE, _to_local)["lane"]
    assert g.area == pytest.approx(800 * 10)  # flat caps: 800 m x 10 m
    # site coordinates: a line along the middle, 30 m wide, end to end (clipped)
    z2 = ZoneSpec(name="road", coords="site", line=[[0, 0.5], [1, 0.5]], width_m=30.0)
    assert zone_geometries([z2], SITE, _to_local)["road"].area == pytest.approx(1000 * 30)


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ({"line": [[100, 100], [2000, 100]]}, "outside the site"),
        ({"polygon": [[1100, 0], [1200, 0], [1200, 100]]}, "outside the site"),
        ({"line": [[100, 100]]}, "empty zone"),
        ({"line": []}, "empty zone"),
        ({"line": [[100, 100], [100, 100]]}, "zero length"),
        ({"polygon": [[0, 0], [100, 100], [100, 0], [0, 100]]}, "self-intersecting"),
        ({"line": [[0, 0], [100, 100], [100, 0], [0, 100]]}, "self-intersecting"),
        ({}, "exactly one"),
        ({"coords": "site", "line": [[0, 0.5], [1.5, 0.5]]}, "outside \\[0, 1\\]"),
    ],
)
def test_bad_zones_raise(spec, needle):
    with pytest.raises(NrplanInputError, match=needle):
        zone_geometries([ZoneSpec(name="z", **spec)], SITE, _to_local)


def test_classes_bind_by_label_or_list():
    from nrplan.industry.devices import Inventory, _make_group

    inv = Inventory(groups=(
        _make_group("agv", 5, "haul-roads", {}),
        _make_group("agv", 2, "workshop", {}),
        _make_group("crane-control", 2, "", {}),
        _make_group("sensor", 9, "", {}),
    ))  # fmt: skip
    specs = [
        ZoneSpec(name="haul-roads", line=[[0, 0], [1, 1]]),
        ZoneSpec(name="rows", classes=["crane-control", "agv"], line=[[0, 0], [1, 1]]),
    ]
    b = bind_classes(inv, specs)
    # a label naming a zone binds there; else the first zone listing the class
    assert b == {"agv@haul-roads": "haul-roads", "agv@workshop": "rows",
                 "crane-control": "rows", "sensor": None}  # fmt: skip
    with pytest.raises(NrplanInputError, match="forklift"):
        bind_classes(inv, [ZoneSpec(name="x", classes=["forklift"], line=[[0, 0], [1, 1]])])


def test_read_poles_csv(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("lon,lat,height_m\n120.1,36.0,30\n120.2,36.1,\n")
    p = read_poles(f)
    assert p.shape == (2, 3) and p[0, 2] == 30.0 and np.isnan(p[1, 2])
    f.write_text("lon,lat,height_m\n120.1,36.0,-3\n")
    with pytest.raises(NrplanInputError, match="height"):
        read_poles(f)
    f.write_text("x,y\n1,2\n")
    with pytest.raises(NrplanInputError, match="lon and lat"):
        read_poles(f)


def test_capacity_cells_by_hand():
    # 100 streams of 10 Mbit/s UL on n79 (273 PRB, 30 kHz SCS), DSUUU 10:2:2
    prof = load_profile("factory")
    band = industry_band("n79")
    smap = symbol_map(prof.tdd_pattern, prof.special_slot)
    from nrplan.industry.capacity import direction_duty

    duty = direction_duty(smap, "ul")
    # UL symbols: 3 U slots x 14 + 2 of the special slot = 44 of 70 = 0.6286
    assert duty == pytest.approx(44 / 70)
    inv = default_inventory({"hd-camera": 100})
    rate = inv.groups[0].cls.ul_rate_mbps
    re_s = 273 * 12 * 14 * 2 * 1000.0  # 91.728e6 RE/s
    total = 100 * rate * 1e6 / 7.4063 / (re_s * 0.92 * duty)
    assert capacity_cells(inv, band, prof, smap) == math.ceil(total / 0.7)
    assert capacity_cells(default_inventory({"hd-camera": 1000}), band, prof, smap) > (
        capacity_cells(inv, band, prof, smap)
    )
