"""Path-loss look-up tables against direct evaluation of the radio model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nrplan.engine.lookup import ROW_EXPECTED, ROW_LOS, ROW_NLOS, pl_table
from nrplan.radio.pathloss import pathloss

# Interpolation error allowed by the issue (float32 storage included) [dB].
TABLE_TOL_DB = 0.01


@pytest.mark.parametrize(
    ("scenario", "h_bs", "f_c"),
    [("uma", 25.0, 3.5), ("uma", 35.0, 2.6), ("umi", 10.0, 3.5), ("rma", 35.0, 0.7)],
)
@pytest.mark.parametrize(
    ("row", "los"), [(ROW_EXPECTED, "prob"), (ROW_LOS, "los"), (ROW_NLOS, "nlos")]
)
def test_table_error_below_0_01_db(scenario, h_bs, f_c, row, los):
    table = pl_table(scenario, h_bs, 1.5, f_c, 40_000.0, 16384)
    rng = np.random.default_rng(0)
    # log-uniform over the range (dense near the mast where the curve bends most),
    # plus a uniform draw out to 40 km
    d = np.concatenate(
        [
            np.exp(rng.uniform(np.log(table.d_min), np.log(40_000.0), 100_000)),
            rng.uniform(table.d_min, 40_000.0, 20_000),
        ]
    )
    direct = pathloss(scenario, d, h_bs, 1.5, f_c, los=los, extrapolate=True)
    err = np.abs(table.lookup(d, row) - direct)
    assert err.max() < TABLE_TOL_DB


def test_below_minimum_distance_takes_the_value_at_it():
    table = pl_table("uma", 25.0, 1.5, 3.5, 10_000.0)
    at_min = pathloss("uma", 10.0, 25.0, 1.5, 3.5, los="prob")
    assert table.lookup([0.0, 3.0, 10.0], ROW_EXPECTED) == pytest.approx([at_min] * 3, abs=1e-4)


@settings(max_examples=50, deadline=None)
@given(d=st.floats(10.0, 30_000.0), extra=st.floats(0.0, 5_000.0))
def test_lower_bound_is_below_every_farther_loss(d, extra):
    table = pl_table("uma", 25.0, 1.5, 3.5, 40_000.0)
    assert table.lower_bound(d) <= table.lookup(d + extra, ROW_EXPECTED)
    assert table.lower_bound(d, any_state=True) <= table.lookup(d + extra, ROW_LOS)
