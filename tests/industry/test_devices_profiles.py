"""Device classes, inventories, profiles and TOML overrides."""

from __future__ import annotations

import pytest

from nrplan.errors import NrplanInputError
from nrplan.industry.devices import BUILTIN_CLASSES, device_class, load_inventory
from nrplan.industry.profiles import INDUSTRY_BANDS, load_profile


def test_builtin_classes_cite_sources():
    for c in BUILTIN_CLASSES.values():
        assert "22.104" in c.source or "22.261" in c.source or "assumption" in c.source


def test_derived_rate_by_hand():
    # motion control: 40 bytes every 1 ms = 320 bit / 1e-3 s = 0.32 Mbit/s each way
    c = device_class("motion-control")
    assert c.ul_rate_mbps == pytest.approx(0.32)
    assert c.dl_rate_mbps == pytest.approx(0.32)
    assert device_class("sensor").dl_rate_mbps == 0.0


def test_unknown_class_lists_classes():
    with pytest.raises(NrplanInputError) as e:
        device_class("robot-dog")
    assert "agv" in str(e.value) and "sensor" in str(e.value)


@pytest.mark.parametrize(
    ("col", "value", "field"),
    [
        ("reliability", "1.0", "reliability"),
        ("reliability", "0", "reliability"),
        ("latency_ms", "0", "latency_ms"),
        ("latency_ms", "-5", "latency_ms"),
        ("indoor_share", "1.5", "indoor_share"),
    ],
)
def test_bad_overrides_one_line(tmp_path, col, value, field):
    f = tmp_path / "d.csv"
    f.write_text(f"class,count,{col}\nagv,3,{value}\n")
    with pytest.raises(NrplanInputError) as e:
        load_inventory(f)
    assert e.value.field == field
    assert "\n" not in str(e.value)


def test_inventory_overrides_and_zones(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("class,count,zone,ul_mbps\nhd-camera,4,quay,20\nhd-camera,2,,\nsensor,10,,\n")
    inv = load_inventory(f)
    assert inv.total_devices == 16
    # 4 x 20 + 2 x 12 + 10 x (20 B * 8 / 1 s = 1.6e-4 Mbit/s)
    assert inv.ul_mbps() == pytest.approx(4 * 20 + 2 * 12 + 10 * 160e-6)
    assert set(inv.classes()) == {"hd-camera@quay", "hd-camera", "sensor"}


def test_unknown_csv_class(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("class,count\nforklift,3\n")
    with pytest.raises(NrplanInputError, match="class"):
        load_inventory(f)


def test_profile_toml_override(tmp_path):
    t = tmp_path / "o.toml"
    t.write_text('scenario = "inf-sl"\nmini_slot = 4\n[unit]\nheight_m = 2.5\n')
    p = load_profile("factory", t, band="n78")
    assert p.scenario == "inf-sl" and p.mini_slot == 4 and p.unit.height_m == 2.5
    assert p.clutter.d_clutter == 10.0  # typical InF-SL clutter taken over
    assert p.band == "n78"
    assert load_profile("port", band="n28").tdd_pattern == "F"  # FDD


@pytest.mark.parametrize(
    "over",
    [{"clutter": {"r": 1.0}}, {"unit": {"height_m": 12.0}}, {"nonsense": 1}, {"band": "n99"}],
)
def test_profile_bad_override(over):
    with pytest.raises(NrplanInputError):
        load_profile("factory", over)


def test_bands():
    assert INDUSTRY_BANDS["n79"].n_prb == 273  # TS 38.101-1 Table 5.3.2-1, 100 MHz @ 30 kHz
