"""Benchmark of drive-test import, binning and tuning: 1 M measurements, 500+ sites.

A synthetic drive test (:mod:`nrplan.measure.synthetic`: 23 x 23 = 529
three-sector n78 sites at 500 m ISD, 1,587 cells, streets every 250 m sampled
every metre, three morphology classes with known corrections, correlated
shadowing, Rayleigh fading, a few EIRP errors) is written to CSV by a child
process; a second child process then times, with its own peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``, which sees NumPy buffers):

- ``import``: read ``sites.csv`` and the 1 M-row CSV, match cells, clean;
- ``binning``: 40-wavelength bins and the engine's SS-RSRP at every bin;
- ``fit``: the robust fit (3 classes, 1,587 cell offsets, standard errors);
- ``cv``: 5-fold cross-validation grouped by cell (5 more fits).

Usage: ``python benchmarks/bench_tune.py [--rows-target 1000000] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GEN = """
import sys, time, numpy as np
from nrplan.measure.synthetic import synthetic_drive_test
t = time.perf_counter()
s = synthetic_drive_test(np.random.default_rng(2026), n_side=23, isd_m=500.0,
    street_step_m=float(sys.argv[2]), spacing_m=1.0, stripe_m=900.0,
    corrections={2: (4.0, -2.0), 3: (-3.0, 1.5), 4: (2.0, 3.0)},
    eirp_errors_db={"S010-1": 4.0, "S200-2": -3.0, "S400-3": 2.5})
s.sites.to_csv(sys.argv[1] + "/sites.csv", index=False)
s.measurements.to_csv(sys.argv[1] + "/meas.csv", index=False)
print(len(s.sites), len(s.measurements), time.perf_counter() - t)
"""

RUN = """
import json, resource, sys, time
import numpy as np
from nrplan.measure.dataset import load_drive_test
from nrplan.measure.fit import cross_validate, fit_corrections
from nrplan.measure.pipeline import bin_drive_test, spatial_clusters
from nrplan.engine.config import PredictionConfig
d = sys.argv[1]
out = {}
t = time.perf_counter()
dt = load_drive_test(d + "/sites.csv", d + "/meas.csv")
out["import_s"] = time.perf_counter() - t
print("import", out["import_s"], file=sys.stderr, flush=True)
out["rows"] = dt.n_read
t = time.perf_counter()
bins = bin_drive_test(dt)
out["binning_s"] = time.perf_counter() - t
print("binning", out["binning_s"], file=sys.stderr, flush=True)
out["bins"] = len(bins)
args = (-bins["error_db"].to_numpy(), bins["xlog"].to_numpy(), bins["code"].to_numpy(),
        bins["sector"].to_numpy(),
        spatial_clusters(bins["x"], bins["y"], bins["code"], PredictionConfig())[0])
t = time.perf_counter()
fit = fit_corrections(*args)
out["fit_s"] = time.perf_counter() - t
print("fit", out["fit_s"], file=sys.stderr, flush=True)
out["parameters"] = 2 * fit.classes.size + fit.cells.size
out["converged"] = fit.converged
out["slopes"] = [round(float(v), 2) for v in fit.b_db]
t = time.perf_counter()
cv = cross_validate(*args, bins["sector"].to_numpy(), k=5, rng=np.random.default_rng(1))
out["cv_s"] = time.perf_counter() - t
out["cv_rmse_db"] = cv.stats()["tuned"]["rmse_db"]
out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--street-step-m", type=float, default=250.0,
                    help="street spacing; 250 m gives ~1.06 M samples")  # fmt: skip
    ap.add_argument("--keep", type=Path, default=None, help="directory to keep the files in")
    a = ap.parse_args()
    d = a.keep or Path(tempfile.mkdtemp(prefix="bench_tune."))
    d.mkdir(parents=True, exist_ok=True)
    if not (d / "meas.csv").exists():
        r = subprocess.run([sys.executable, "-c", GEN, str(d), str(a.street_step_m)],
                           check=True, capture_output=True, text=True)  # fmt: skip
        n_sec, n_rows, t = r.stdout.split()
        print(f"generated {int(n_rows):,} measurements, {int(n_sec):,} cells in {float(t):.1f} s")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", RUN, str(d)], check=True, stdout=subprocess.PIPE,
                       text=True)  # fmt: skip
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["total_s"] = time.perf_counter() - t0
    print(f"rows {res['rows']:,}  bins {res['bins']:,}  parameters {res['parameters']:,}")
    for k in ("import_s", "binning_s", "fit_s", "cv_s", "total_s"):
        print(f"{k:>10}: {res[k]:8.1f}")
    print(
        f"peak RSS: {res['peak_rss_mib']:.0f} MiB; fit converged: {res['converged']}; "
        f"slopes {res['slopes']} (true -2, 1.5, 3); CV RMSE {res['cv_rmse_db']:.2f} dB"
    )


if __name__ == "__main__":
    main()
