"""``nrplan tune`` / ``compare-measurements`` / ``predict --model`` on a synthetic drive test.

The drive test is generated from a known true model (:mod:`nrplan.measure.synthetic`):
per-class corrections with different intercept and slope, lognormal shadowing
correlated at the TR 38.901 Table 7.5-6 decorrelation distance (UMa NLOS 50 m;
sigma_SF NLOS 6 dB UMa, 8 dB RMa, Table 7.4.1-1) and three cells with an
EIRP error; no fast fading here (the noise floor is the shadowing sigma), the
40-wavelength bins hold ~3 samples each.
"""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from nrplan.cli import main
from nrplan.measure.synthetic import synthetic_drive_test

pytestmark = pytest.mark.slow  # one tune (5-fold CV) and two predictions: ~1 min

TRUTH = {2: (4.0, -2.0), 3: (-3.0, 1.5), 4: (2.0, 3.0)}  # code -> (a dB, b dB/decade)
EIRP = {"S002-1": 4.0, "S006-2": -3.0, "S011-3": 2.5}
NAMES = {2: "urban", 3: "suburban", 4: "rural"}


@pytest.fixture(scope="module")
def drive(tmp_path_factory):
    d = tmp_path_factory.mktemp("drive")
    s = synthetic_drive_test(
        np.random.default_rng(0),
        n_side=4,
        street_step_m=300.0,
        spacing_m=1.0,
        corrections=TRUTH,
        eirp_errors_db=EIRP,
        fading=False,
    )
    s.sites.to_csv(d / "sites.csv", index=False)
    s.measurements.to_csv(d / "meas.csv", index=False)
    model = d / "model.toml"
    rc = main(
        [
            "tune",
            "--sites",
            str(d / "sites.csv"),
            "--measurements",
            str(d / "meas.csv"),
            "--out",
            str(model),
            "--seed",
            "3",
        ]
    )
    assert rc == 0
    return d, s, model


def test_tune_recovers_the_true_model(drive):
    _d, s, model = drive
    doc = tomllib.loads(model.read_text())
    assert doc["format"] == "nrplan-tuned-model" and doc["data"]["rows_used"] == len(s.measurements)
    for code, (a, b) in TRUTH.items():
        c = doc["classes"][NAMES[code]]
        lo, hi = c["ci95_slope_db_per_decade"]
        assert lo <= b <= hi, (NAMES[code], c["slope_db_per_decade"], lo, hi)
        lo, hi = c["ci95_intercept_db"]
        assert lo <= a <= hi, (NAMES[code], c["intercept_db"], lo, hi)
        assert c["se_slope_db_per_decade"] < 5.0  # informative (the prior sd is 10)
    # EIRP errors are found: right sign, and on average more than 1 dB of them. A
    # cell's offset also takes the mean shadowing over the driven part of the cell
    # (sigma / sqrt(~8 decorrelation lengths) ~ 2 dB here) and the ridge prior (sd
    # 3 dB) pulls it towards 0, so one cell's offset is only a rough estimate.
    got = {cid: doc["cells"][cid]["offset_db"] for cid in EIRP}
    assert all(np.sign(got[c]) == np.sign(e) for c, e in EIRP.items()), got
    assert np.mean([got[c] * np.sign(e) for c, e in EIRP.items()]) > 1.0, got
    others = [v["offset_db"] for k, v in doc["cells"].items() if k not in EIRP]
    # cells without an error: the footprint's mean shadowing, sigma / sqrt(~15 decorrelation
    # lengths of street) ~ 1.5-2 dB
    assert np.median(np.abs(others)) < 2.0
    # held-out error (5 folds grouped by cell) after tuning is the noise floor:
    # shadowing sigma pooled over the samples (6 dB UMa, 8 dB RMa), within 0.5 dB
    sigma = float(np.sqrt(np.mean(s.sigma_db**2)))
    cv = doc["cv"]
    assert cv["grouped_by"] == "cell" and cv["folds"] == 5
    assert abs(cv["rmse_db"] - sigma) < 0.5, (cv["rmse_db"], sigma)
    assert cv["untuned_rmse_db"] > cv["rmse_db"] + 0.5


def _compare(d, out, *extra):
    return main(
        [
            "compare-measurements",
            "--sites",
            str(d / "sites.csv"),
            "--measurements",
            str(d / "meas.csv"),
            "--out",
            str(out),
            *extra,
        ]
    )


def test_compare_with_model_reproduces_the_fitted_corrections(drive, capsys):
    d, _s, model = drive
    doc = tomllib.loads(model.read_text())
    assert _compare(d, d / "c0", "--json") == 0
    untuned = json.loads(capsys.readouterr().out)
    assert _compare(d, d / "c1", "--model", str(model), "--json") == 0
    tuned = json.loads(capsys.readouterr().out)
    assert list(tuned)[:4] == ["mean_error_db", "std_db", "rmse_db", "n_points"]
    assert set(tuned["per_class"]) == {"urban", "suburban", "rural"}
    assert tuned["rmse_db"] < untuned["rmse_db"] - 0.5
    assert tuned["model"]["cv_rmse_db"] == pytest.approx(doc["cv"]["rmse_db"])
    # in-sample RMSE of the fit = RMSE of compare --model at the same bins
    assert tuned["rmse_db"] == pytest.approx(doc["fit"]["in_sample_rmse_db"], abs=0.01)
    r0 = pd.read_csv(d / "c0" / "residuals.csv")
    r1 = pd.read_csv(d / "c1" / "residuals.csv")
    assert len(r0) == len(r1) == tuned["n_points"]
    a = r0["morphology_code"].map({c: doc["classes"][NAMES[c]]["intercept_db"] for c in TRUTH})
    b = r0["morphology_code"].map(
        {c: doc["classes"][NAMES[c]]["slope_db_per_decade"] for c in TRUTH}
    )
    o = r0["cell_id"].map({k: v["offset_db"] for k, v in doc["cells"].items()})
    want = -(a + b * np.log10(np.maximum(r0["distance_m"], 10.0))) + o
    np.testing.assert_allclose(r1["predicted_dbm"] - r0["predicted_dbm"], want, atol=0.01)
    html = (d / "c1" / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 3 and "cross-validated RMSE" in html


def test_predict_with_model_applies_it(drive, capsys, tmp_path):
    import rasterio
    import shapely

    from nrplan.geo.projection import transformer

    d, s, model = drive
    doc = tomllib.loads(model.read_text())
    lon0, lat0 = s.sites["lon"].iloc[15], s.sites["lat"].iloc[15]  # site S006
    area = tmp_path / "area.geojson"
    box = shapely.box(lon0 - 0.004, lat0 - 0.004, lon0 + 0.004, lat0 + 0.004)
    area.write_text(
        json.dumps({"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(box)})
    )
    base = ["predict", "--sites", str(d / "sites.csv"), "--area", str(area), "--resolution", "50"]
    assert main([*base, "--out", str(tmp_path / "p0"), "--json"]) == 0
    capsys.readouterr()
    assert main([*base, "--out", str(tmp_path / "p1"), "--model", str(model), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tuned_model"]["cv_rmse_db"] == pytest.approx(doc["cv"]["rmse_db"])
    assert stats["model"]["pathloss_corrections"]["2"][0] == pytest.approx(
        doc["classes"]["urban"]["intercept_db"], abs=1e-5
    )
    read = {}
    for run in ("p0", "p1"):
        with rasterio.open(tmp_path / run / "rsrp.tif") as ds:
            rsrp, tr = ds.read(1).astype(float), ds.transform
        with rasterio.open(tmp_path / run / "best_server.tif") as ds:
            read[run] = (rsrp, ds.read(1))
    (r0, b0), (r1, b1) = read["p0"], read["p1"]
    same = (b0 == b1) & (b0 >= 0)
    rows, cols = np.nonzero(same)
    x, y = rasterio.transform.xy(tr, rows, cols)
    sx, sy = transformer("EPSG:4326", stats["crs"]).transform(
        s.sites["lon"].to_numpy()[b0[same]], s.sites["lat"].to_numpy()[b0[same]]
    )
    dist = np.maximum(np.hypot(np.asarray(x) - sx, np.asarray(y) - sy), 10.0)
    u = doc["classes"]["urban"]
    ids = np.array([f"S{(i // 3) + 1:03d}-{i % 3 + 1}" for i in range(len(s.sites))])
    off = np.array([doc["cells"].get(c, {"offset_db": 0.0})["offset_db"] for c in ids])
    want = -(u["intercept_db"] + u["slope_db_per_decade"] * np.log10(dist)) + off[b0[same]]
    np.testing.assert_allclose(r1[same] - r0[same], want, atol=0.02)


def _one_line_exit2(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nrplan: error:")
    return err


def test_bad_model_files_are_one_line_errors(drive, capsys, tmp_path):
    d, _s, model = drive
    text = model.read_text()
    cases = {
        "unknown.toml": text.replace("[cv]", "[cv]\nbogus = 1", 1),
        "range.toml": text.replace("\nslope_db_per_decade = ", "\nslope_db_per_decade = 25.0 #", 1),
        "class.toml": text.replace("[classes.urban]", "[classes.swamp]", 1),
        "top.toml": "extra = 1\n" + text,
        "format.toml": text.replace('format = "nrplan-tuned-model"', 'format = "x"'),
    }
    want = {
        "unknown.toml": "bogus",
        "range.toml": "slope",
        "class.toml": "swamp",
        "top.toml": "extra",
        "format.toml": "format",
    }
    for name, body in cases.items():
        p = tmp_path / name
        p.write_text(body)
        err = _one_line_exit2(
            capsys,
            [
                "compare-measurements",
                "--sites",
                str(d / "sites.csv"),
                "--measurements",
                str(d / "meas.csv"),
                "--out",
                str(tmp_path / "never"),
                "--model",
                str(p),
            ],
        )
        assert want[name] in err
        assert not (tmp_path / "never").exists()


def test_empty_and_invalid_measurements_exit_2(drive, capsys, tmp_path):
    d, _s, _model = drive
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    bad = tmp_path / "bad.csv"
    bad.write_text("lat,lon,ss_rsrp,cell_id\n31.23,121.47,5,S001-1\n,,-80,S001-1\n")
    for f in (empty, bad):
        for cmd, out in (("tune", tmp_path / "m.toml"), ("compare-measurements", tmp_path / "o")):
            err = _one_line_exit2(
                capsys,
                [cmd, "--sites", str(d / "sites.csv"), "--measurements", str(f), "--out", str(out)],
            )
            assert "measurements" in err
            assert not out.exists()
    err = _one_line_exit2(
        capsys,
        [
            "tune",
            "--sites",
            str(d / "sites.csv"),
            "--measurements",
            str(bad),
            "--out",
            str(tmp_path / "m.toml"),
        ],
    )
    assert "no_position 1" in err and "rsrp_out_of_range 1" in err
    err = _one_line_exit2(
        capsys,
        [
            "tune",
            "--sites",
            str(d / "sites.csv"),
            "--measurements",
            str(d / "meas.csv"),
            "--out",
            str(tmp_path / "m.txt"),
        ],
    )
    assert ".toml" in err
