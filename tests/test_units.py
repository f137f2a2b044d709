"""Unit conversions of nrplan.units (decimal data volumes)."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.units import GB_PER_MBIT, GB_PER_PB, MBIT_PER_GB, gb_to_mbit, mbit_to_gb


def test_data_volumes():
    # 1 GB = 1e9 byte x 8 bit = 8e9 bit = 8,000 Mbit; 1 PB = 1e15 byte = 1e6 GB
    assert MBIT_PER_GB == 8e9 / 1e6 == 8000.0
    assert GB_PER_MBIT * MBIT_PER_GB == 1.0
    assert GB_PER_PB == 1e15 / 1e9
    assert gb_to_mbit(10.35) == pytest.approx(82_800.0)
    np.testing.assert_allclose(mbit_to_gb(np.array([8000.0, 4000.0])), [1.0, 0.5])


def test_the_users_of_the_constants_share_them():
    from nrplan.demand import traffic
    from nrplan.plan import economics

    assert traffic.MBIT_PER_GB is MBIT_PER_GB
    assert economics.GB_PER_MBIT is GB_PER_MBIT
