"""The tuned model file: written, read back, checked; plan config; route-grouped CV."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.measure.modelfile import load_tuned_model, render_toml

DOC = {
    "format": "nrplan-tuned-model",
    "version": 1,
    "created_by": "test",
    "data": {"rows_read": 10, "dropped": {"no_rsrp": 1}},
    "cv": {"folds": 5, "rmse_db": 6.5},
    "classes": {"urban": {"code": 2, "intercept_db": 3.0, "slope_db_per_decade": -1.0,
                          "ci95_intercept_db": [1.0, 5.0]}},
    "cells": {"S1-1": {"offset_db": 2.0}, "A/b c": {"offset_db": -1.5}},
}  # fmt: skip


def test_round_trip(tmp_path):
    p = tmp_path / "m.toml"
    p.write_text(render_toml(DOC, "a comment"))
    m = load_tuned_model(p)
    assert m.corrections == {2: (3.0, -1.0)}
    assert m.cell_offsets_db == {"S1-1": 2.0, "A/b c": -1.5}  # quoted keys survive
    assert m.cv_rmse_db == 6.5 and len(m.sha256) == 64
    cfg = m.apply(__import__("nrplan.engine", fromlist=["PredictionConfig"]).PredictionConfig())
    assert cfg.pathloss_corrections == {2: (3.0, -1.0)}


@pytest.mark.parametrize(
    ("edit", "word"),
    [
        (lambda d: d["cells"]["S1-1"].update(offset_db=25.0), "offset_db"),
        (lambda d: d["cells"]["S1-1"].update(gain=1.0), "gain"),
        (lambda d: d["classes"]["urban"].update(code=3), "code"),
        (lambda d: d["classes"]["urban"].update(intercept_db="x"), "intercept_db"),
        (lambda d: d["data"].update(bogus=1), "bogus"),
        (lambda d: d.update(version=2), "version"),
    ],
)
def test_checked_on_load(tmp_path, edit, word):
    import copy

    doc = copy.deepcopy(DOC)
    edit(doc)
    p = tmp_path / "m.toml"
    p.write_text(render_toml(doc))
    with pytest.raises(NrplanInputError, match=word):
        load_tuned_model(p)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(NrplanInputError, match="existing"):
        load_tuned_model(tmp_path / "nope.toml")
    p = tmp_path / "bad.toml"
    p.write_text("format = \n")
    with pytest.raises(NrplanInputError, match="TOML"):
        load_tuned_model(p)


def test_plan_config_takes_checked_corrections():
    from nrplan.plan.config import PlanConfig, load_config

    c = PlanConfig(pathloss_corrections={2: (3.0, -1.0)})
    assert c.pathloss_corrections == {2: (3.0, -1.0)}
    assert PlanConfig().pathloss_corrections is None
    with pytest.raises(NrplanInputError, match="pathloss_corrections"):
        load_config(None, pathloss_corrections={2: (0.0, 30.0)})


def test_route_grouped_cross_validation(tmp_path):
    from nrplan.measure.dataset import load_drive_test
    from nrplan.measure.pipeline import tune
    from nrplan.measure.synthetic import synthetic_drive_test

    s = synthetic_drive_test(np.random.default_rng(1), n_side=2, street_step_m=400.0,
                             spacing_m=4.0, fading=False)  # fmt: skip
    s.sites.to_csv(tmp_path / "s.csv", index=False)
    s.measurements.to_csv(tmp_path / "m.csv", index=False)
    dt = load_drive_test(tmp_path / "s.csv", tmp_path / "m.csv")
    doc, bins = tune(dt, bin_m=20.0, folds=3, group_by="route", seed=2)
    assert doc["cv"]["grouped_by"] == "route" and doc["cv"]["n_bins"] == len(bins)
    # no true correction: the tuned model is about as good as the untuned one out of sample
    assert doc["cv"]["rmse_db"] < doc["cv"]["untuned_rmse_db"] + 0.5
    s.measurements.drop(columns="route").to_csv(tmp_path / "m2.csv", index=False)
    dt = load_drive_test(tmp_path / "s.csv", tmp_path / "m2.csv")
    with pytest.raises(NrplanInputError, match="route"):
        tune(dt, bin_m=20.0, group_by="route")
