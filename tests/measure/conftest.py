"""Small sites.csv files shared by the measurement tests."""

from __future__ import annotations

import pytest

SITES = (
    "site_id,lon,lat,height_m,azimuth_deg,mech_tilt_deg,elec_tilt_deg,band,power_dbm,antenna\n"
    "A,121.4700,31.2300,25,0,2,6,n78,53,64t64r\n"
    "A,121.4700,31.2300,25,120,2,6,n78,53,64t64r\n"
    "A,121.4700,31.2300,25,240,2,6,n78,53,64t64r\n"
    "B,121.4800,31.2300,25,0,2,6,n78,53,64t64r\n"
)


@pytest.fixture
def sites_csv(tmp_path):
    p = tmp_path / "sites.csv"
    p.write_text(SITES)
    return p


@pytest.fixture
def sites_pci_csv(tmp_path):
    """Two cells share PCI 7 on ARFCN 633984 (PCI reuse): A-1 and B-1."""
    lines = SITES.strip().split("\n")
    pci = ["pci,arfcn", "7,633984", "8,633984", "9,633984", "7,633984"]
    p = tmp_path / "sites_pci.csv"
    p.write_text("\n".join(f"{a},{b}" for a, b in zip(lines, pci, strict=True)) + "\n")
    return p
