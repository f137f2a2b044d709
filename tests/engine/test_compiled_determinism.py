"""A freshly compiled kernel and Numba's on-disk cached one give the same bits.

With LLVM's reassociation fast-math flags the two differed in the last float32
bit, so a Dask worker (cached kernels) and its client (fresh compilation)
planned slightly different networks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = r"""
import sys
import numpy as np
from nrplan.engine import PredictionConfig, Sectors, predict
from nrplan.grid import Grid

rng = np.random.default_rng(3)
n = 12
x = np.repeat(rng.uniform(0, 3000, n), 3)
y = np.repeat(rng.uniform(0, 3000, n), 3)
sec = Sectors(
    site_id=np.repeat(np.arange(n).astype(str), 3), x=x, y=y,
    height_m=np.full(3 * n, 30.0), azimuth_deg=np.tile([0.0, 120.0, 240.0], n),
    mech_tilt_deg=np.full(3 * n, 2.0), elec_tilt_deg=np.full(3 * n, 6.0),
    band=np.full(3 * n, "n78"), power_dbm=np.full(3 * n, 53.0),
    antenna=np.full(3 * n, "64t64r"), load=np.full(3 * n, 0.5),
)
grid = Grid(0.0, 3000.0, 25.0, 120, 120, "EPSG:32650")
out = predict(grid, 2, sec, PredictionConfig(), outputs=("rsrp_dbm", "sinr_db", "ss_sinr_db"))
keys = ("rsrp_dbm", "sinr_db", "ss_sinr_db")
np.savez(sys.argv[1], **{k: np.asarray(getattr(out, k)) for k in keys})
"""


@pytest.mark.slow
def test_fresh_and_cached_kernels_agree_bitwise(tmp_path):
    env_cache = str(tmp_path / "numba-cache")
    runs = []
    for i in range(2):  # the first compiles and writes the cache, the second loads it
        f = tmp_path / f"run{i}.npz"
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(f)],
            check=True,
            env={**os.environ, "NUMBA_CACHE_DIR": env_cache},
        )
        runs.append(np.load(f))
    assert set(runs[0].files) == set(runs[1].files) and runs[0].files
    for k in runs[0].files:
        assert np.array_equal(runs[0][k], runs[1][k], equal_nan=True), k
