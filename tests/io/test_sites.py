"""sites.csv reading and validation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nrplan.errors import NrplanInputError
from nrplan.io.sites import SITES_COLUMNS, read_sites, sites_to_sectors

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sites.csv"
ROW = "A,121.47,31.23,30,120,3,6,n78,53,64t64r"


def _write(tmp_path, header, *rows):
    p = tmp_path / "sites.csv"
    p.write_text("\n".join([header, *rows]) + "\n")
    return p


def test_example_file_is_valid_and_projects():
    df = read_sites(EXAMPLE)
    assert len(df) % 3 == 0 and set(df["band"]) == {"n78"}
    sec = sites_to_sectors(df, "EPSG:32651", load=0.3)
    assert len(sec) == len(df)
    assert np.all(sec.load == 0.3)
    # UTM 51N around Shanghai: x ~ 3.5e5 m, y ~ 3.46e6 m
    assert 3.4e5 < sec.x.mean() < 3.7e5 and 3.44e6 < sec.y.mean() < 3.48e6


def test_missing_column(tmp_path):
    header = ",".join(c for c in SITES_COLUMNS if c != "antenna")
    p = _write(tmp_path, header, ROW.rsplit(",", 1)[0])
    with pytest.raises(NrplanInputError, match="antenna"):
        read_sites(p)


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("A,190.0,31.23,30,120,3,6,n78,53,64t64r", "lon"),
        ("A,121.47,-95,30,120,3,6,n78,53,64t64r", "lat"),
        ("A,121.47,31.23,0,120,3,6,n78,53,64t64r", "height_m"),
        ("A,121.47,31.23,30,360,3,6,n78,53,64t64r", "azimuth_deg"),
        ("A,121.47,31.23,30,120,abc,6,n78,53,64t64r", "mech_tilt_deg"),
        ("A,121.47,31.23,30,120,3,6,n77x,53,64t64r", "band"),
        ("A,121.47,31.23,30,120,3,6,n78,53,128t128r", "antenna"),
    ],
)
def test_bad_values_name_field_and_row(tmp_path, row, field):
    p = _write(tmp_path, ",".join(SITES_COLUMNS), ROW, row)
    with pytest.raises(NrplanInputError, match=rf"{field} \(row 2\)"):
        read_sites(p)


def test_empty_file(tmp_path):
    p = _write(tmp_path, ",".join(SITES_COLUMNS))
    with pytest.raises(NrplanInputError, match="at least one"):
        read_sites(p)


def test_true_bearings_become_grid_azimuths(tmp_path):
    """sites.csv azimuths are from true north; Sectors gets them from grid north.

    At 113.5 E, 40 N in UTM 49N (central meridian 111 E) the meridian
    convergence is +1.608 deg (Snyder's first order: 2.5 sin 40 = 1.607), so
    true north is grid azimuth 358.392; on the central meridian nothing changes.
    """
    p = _write(
        tmp_path,
        ",".join(SITES_COLUMNS),
        "A,113.5,40.0,30,0,3,6,n78,53,64t64r",
        "A,113.5,40.0,30,120,3,6,n78,53,64t64r",
        "A,113.5,40.0,30,359.9,3,6,n78,53,64t64r",
        "B,111.0,40.0,30,0,3,6,n78,53,64t64r",
        "C,108.6,40.0,30,0,3,6,n78,53,64t64r",
    )
    sec = sites_to_sectors(read_sites(p), "EPSG:32649")
    expected = [358.3924, 118.3924, 358.2924, 0.0, 1.5432]
    np.testing.assert_allclose(sec.azimuth_deg, expected, atol=1e-3)
    assert sec.azimuth_deg[3] == pytest.approx(0.0, abs=1e-9)
    assert ((sec.azimuth_deg >= 0) & (sec.azimuth_deg < 360)).all()
