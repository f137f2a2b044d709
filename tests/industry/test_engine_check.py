"""Issue 9 check: an example plan meets its targets when measured by the engine.

The factory (InF-DH, ceiling units) and port (UMa, poles: the example with its
unit type fixed to the omni ``pole-4t4r``) examples are planned
by ``plan_private`` and measured again with ``nrplan.engine`` (scenario override
+ InF clutter parameters, ``"omni"`` antenna, unit activity as load).

Agreement of the primary-link SINR (engine signal and interference, profile UE
noise figure) with the industry evaluation: same TR 38.901 formulas, so they
agree to float32 / table-interpolation accuracy (< 0.01 dB) and to the
engine's interference-culling bound (``interference_error_db`` = 0.01 dB) --
except within the scenario's minimum distance of a unit (UMa 10 m), where the
engine clamps the distance and the industry evaluation extrapolates the
formula (up to ~1 dB at 3 m from a pole).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nrplan.industry.devices import load_inventory
from nrplan.industry.engine_check import engine_band, measure_with_engine
from nrplan.industry.plan import plan_private, read_area
from nrplan.industry.profiles import industry_band, load_profile
from nrplan.io.toml import read_toml

EX = Path(__file__).resolve().parents[2] / "examples" / "private"

SINR_TOL_DB = 0.05  # beyond the scenario's minimum distance of every unit
SINR_TOL_NEAR_DB = 1.5  # anywhere (distance clamp of the engine's tables)


@pytest.fixture(scope="module", params=[("factory", "factory_devices.csv", 5.0, 1.0),
                                        ("port", "devices.csv", 25.0, 10.0)],
                ids=["factory", "port"])  # fmt: skip
def measured(request):
    name, dev, res, d_min = request.param
    # the engine cross-check covers omni units: the example's omni unit type
    cfg = read_toml(EX / f"{name}.toml")
    cfg["units"] = ["pico-4t4r" if name == "factory" else "pole-4t4r"]
    prof = load_profile(name, cfg)
    plan = plan_private(
        read_area(EX / f"{name}.geojson"), prof, load_inventory(EX / dev), resolution_m=res
    )
    return plan, measure_with_engine(plan), d_min


def test_plan_meets_targets_by_its_own_evaluation(measured):
    plan, _, _ = measured
    assert plan.met and plan.activity is not None and plan.transmissions


def test_engine_sinr_agrees_with_industry_primary_link(measured):
    plan, chk, d_min = measured
    m = plan.mask
    diff = (chk.sinr_db - plan.evaluation.sinr_db)[m]
    xs, ys = plan.grid.centers()
    ux, uy = plan.units_xy[:, 0], plan.units_xy[:, 1]
    near = np.hypot(xs[m][:, None] - ux, ys[m][:, None] - uy).min(axis=1)
    assert np.isfinite(diff).all()
    assert np.abs(diff[near >= d_min]).max() < SINR_TOL_DB
    assert np.abs(diff).max() < SINR_TOL_NEAR_DB
    assert chk.agreement["same_best_server_share"] >= 0.99
    assert np.array_equal(chk.best_server[m], plan.evaluation.best_server[m])
    # the engine's own SINR uses the band's UE NF (7 dB) instead of the profile's 9 dB
    assert chk.agreement["noise_figure_offset_db"] == pytest.approx(2.0)
    own = chk.engine_sinr_db[m] - chk.sinr_db[m]
    assert (own >= -1e-3).all() and (own <= 2.0 + 1e-3).all()


def test_every_class_meets_its_target_measured_by_the_engine(measured):
    plan, chk, _ = measured
    assert chk.targets_met
    for row in chk.classes:
        if row["counted"]:
            assert row["reliability_ok_engine"], row
        assert row["reliability_area_share_engine"] == pytest.approx(
            row["reliability_area_share_industry"], abs=0.01
        )
    assert chk.meta["settings"]["scenarios"] == {"2": plan.profile.scenario}


def test_engine_band_matches_the_carrier():
    assert engine_band(industry_band("n79")) == ("n79", 0.0)
    assert engine_band(industry_band("n78")) == ("n78", 0.0)
    name, off = engine_band(industry_band("local"))
    assert name == "n79" and off == pytest.approx(-0.1)


def test_sectored_macro_plan_measured_by_the_engine():
    """A macro 32T32R port plan (three sectors per site, the AAU antenna profile):
    the engine's PDSCH SINR (traffic beam served, average beams interfering) agrees
    with the industry evaluation wherever both pick the same server, and every
    class's share is the same."""
    cfg = read_toml(EX / "port.toml")
    cfg["units"] = ["macro-32t32r"]
    prof = load_profile("port", cfg)
    plan = plan_private(
        read_area(EX / "port.geojson"), prof, load_inventory(EX / "devices.csv"), resolution_m=25
    )
    assert plan.profile.unit.sectors == 3 and plan.met
    chk = measure_with_engine(plan)
    m = plan.mask
    same = chk.best_server[m] == plan.evaluation.best_server[m]
    # the engine serves by the SSB beam, the industry evaluation by the traffic beam
    assert same.mean() >= 0.9
    diff = (chk.sinr_db - plan.evaluation.sinr_db)[m][same]
    assert np.abs(diff).max() < SINR_TOL_DB
    assert chk.targets_met
    for row in chk.classes:
        assert row["reliability_area_share_engine"] == pytest.approx(
            row["reliability_area_share_industry"], abs=0.01
        )
