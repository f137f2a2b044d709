"""Local averages over 40 wavelengths (Lee 1985) or a user bin size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nrplan.measure.binning import bin_measurements, lee_bin_m


def test_forty_wavelengths():
    # by hand: lambda = c / f = 299792458 / 3.5e9 = 0.085655 m; 40 lambda = 3.4262 m
    assert float(lee_bin_m(3.5)) == pytest.approx(3.42620, abs=1e-5)
    # 700 MHz (n28): 40 * 0.428275 = 17.131 m
    assert float(lee_bin_m(0.7)) == pytest.approx(17.1310, abs=1e-4)


def _pts():
    return pd.DataFrame(
        {
            "x": [0.1, 0.9, 1.5, 5.2, 0.2],
            "y": [0.2, 0.3, 0.1, 0.4, 0.2],
            "rsrp_dbm": [-80.0, -90.0, -85.0, -100.0, -70.0],
            "sector": [0, 0, 0, 0, 1],
            "code": [2, 2, 2, 2, 2],
            "route": ["r1"] * 5,
        }
    )


def test_linear_and_db_means_with_counts():
    b = bin_measurements(_pts(), 2.0, "linear").sort_values(["sector", "x"]).reset_index(drop=True)
    assert b["n"].tolist() == [3, 1, 1]
    # by hand: (1e-8 + 1e-9 + 10^-8.5) / 3 = (1e-8 + 1e-9 + 3.16228e-9) / 3 = 4.72076e-9 mW
    # -> 10 log10(4.72076e-9) = -83.260 dBm
    assert b["rsrp_dbm"].iloc[0] == pytest.approx(-83.2599, abs=1e-3)
    assert b["x"].iloc[0] == pytest.approx((0.1 + 0.9 + 1.5) / 3)
    assert b["rsrp_dbm"].iloc[1] == -100.0 and b["sector"].iloc[2] == 1  # other cell, own bin
    d = bin_measurements(_pts(), 2.0, "db").sort_values(["sector", "x"]).reset_index(drop=True)
    assert d["rsrp_dbm"].iloc[0] == pytest.approx(-85.0)  # (-80 - 90 - 85) / 3


def test_zero_bin_keeps_every_sample_and_per_sector_sides():
    b = bin_measurements(_pts(), 0.0)
    assert len(b) == 5 and (b["n"] == 1).all()
    # per-sector side: sector 0 unbinned (0 m), sector 1 10 m
    b = bin_measurements(_pts(), np.array([0.0, 10.0]))
    assert len(b) == 5


def test_bad_mean_is_refused():
    from nrplan.errors import NrplanInputError

    with pytest.raises(NrplanInputError):
        bin_measurements(_pts(), 2.0, "median")
