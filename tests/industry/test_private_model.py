"""``nrplan private --model``: a tuned class correction on the site's path loss."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import shapely

from nrplan.cli import main
from nrplan.errors import NrplanInputError
from nrplan.industry import load_profile
from nrplan.industry.evaluate import _pl
from nrplan.measure.modelfile import load_tuned_model, render_toml


def _model(tmp_path, classes: dict) -> str:
    doc = {
        "format": "nrplan-tuned-model",
        "version": 1,
        "created_by": "test",
        "cv": {"folds": 5, "rmse_db": 6.0},
        "classes": classes,
    }
    p = tmp_path / "tuned.toml"
    p.write_text(render_toml(doc))
    return str(p)


URBAN = {"code": 2, "intercept_db": 3.0, "slope_db_per_decade": -1.0}
SUBURBAN = {"code": 3, "intercept_db": -2.0, "slope_db_per_decade": 0.5}
RURAL = {"code": 4, "intercept_db": 4.0, "slope_db_per_decade": 0.0}


def test_the_class_of_the_profile_scenario_is_chosen(tmp_path):
    m = load_tuned_model(_model(tmp_path, {"urban": URBAN, "rural": RURAL}))
    assert m.correction_for("uma") == ("urban", 3.0, -1.0)  # urban is UMa, rural RMa
    assert m.correction_for("rma") == ("rural", 4.0, 0.0)
    with pytest.raises(NrplanInputError, match="scenario 'umi'"):
        m.correction_for("umi")


def test_two_classes_of_one_scenario_need_a_name(tmp_path):
    m = load_tuned_model(_model(tmp_path, {"urban": URBAN, "suburban": SUBURBAN}))
    with pytest.raises(NrplanInputError, match="--model-class"):
        m.correction_for("uma")
    assert m.correction_for("uma", "suburban") == ("suburban", -2.0, 0.5)
    with pytest.raises(NrplanInputError, match=r"urban, suburban|suburban, urban"):
        m.correction_for("uma", "rural")


def test_correction_adds_a_plus_b_log10_d_to_both_states():
    port = load_profile("port")
    d = np.array([10.0, 100.0, 1000.0])
    pl_l, pl_n, p = _pl(port, d, 25.0, 3.5)
    tuned = port.model_copy(update={"pathloss_correction": (3.0, -1.0)})
    tl, tn, tp = _pl(tuned, d, 25.0, 3.5)
    # a + b log10(d): 3 - 1 = 2, 3 - 2 = 1, 3 - 3 = 0 dB
    np.testing.assert_allclose(tl - pl_l, [2.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(tn - pl_n, [2.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_array_equal(tp, p)


def _yard(tmp_path):
    lat0 = 36.0
    dlon = 400.0 / (111_320.0 * math.cos(math.radians(lat0)))
    g = shapely.box(120.19, lat0, 120.19 + dlon, lat0 + 300.0 / 110_574.0)
    f = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
    p = tmp_path / "yard.geojson"
    p.write_text(json.dumps({"type": "FeatureCollection", "features": [f]}))
    return str(p)


@pytest.mark.parametrize(
    ("extra", "word"),
    [
        (["--model-class", "urban"], "--model-class"),  # without --model
        (["--model", "MODEL", "--model-class", "rural"], "--model-class"),  # not in the file
        (["--model", "MODEL"], "--model"),  # two UMa classes: ambiguous
    ],
)
def test_cli_refuses_with_one_line(tmp_path, capsys, extra, word):
    model = _model(tmp_path, {"urban": URBAN, "suburban": SUBURBAN})
    args = [model if a == "MODEL" else a for a in extra]
    rc = main(["private", "--area", _yard(tmp_path), "--profile", "port",
               "--out", str(tmp_path / "run"), *args])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and word in err
    assert not (tmp_path / "run").exists()
