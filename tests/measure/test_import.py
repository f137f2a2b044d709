"""Drive-test import: header recognition, cell matching, unusable rows counted by reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nrplan.errors import NrplanInputError
from nrplan.measure.cells import cell_ids
from nrplan.measure.columns import normalise, resolve_columns
from nrplan.measure.dataset import load_drive_test
from nrplan.measure.read import read_column_mapping, read_measurements


def test_header_normalisation_and_recognition():
    assert normalise("SS-RSRP (dBm)") == "ss_rsrp"
    assert normalise(" NR SS-RSRP [dBm] ") == "nr_ss_rsrp"
    cols = resolve_columns(["Latitude", "Longitude", "NR_SS_RSRP", "PCI", "ARFCN", "Speed"])
    assert cols == {
        "lat": "Latitude",
        "lon": "Longitude",
        "rsrp_dbm": "NR_SS_RSRP",
        "pci": "PCI",
        "arfcn": "ARFCN",
    }
    # plain "RSRP" is LTE or NR: not recognised
    assert "rsrp_dbm" not in resolve_columns(["lat", "lon", "RSRP"])


def test_ambiguous_headers_are_refused_and_a_mapping_resolves_them():
    with pytest.raises(NrplanInputError, match="rsrp_dbm"):
        resolve_columns(["lat", "lon", "SS-RSRP", "NR_SS_RSRP"])
    cols = resolve_columns(["lat", "lon", "SS-RSRP", "NR_SS_RSRP"], {"rsrp_dbm": "NR_SS_RSRP"})
    assert cols["rsrp_dbm"] == "NR_SS_RSRP"
    with pytest.raises(NrplanInputError, match="header"):
        resolve_columns(["lat"], {"rsrp_dbm": "nope"})
    with pytest.raises(NrplanInputError):
        resolve_columns(["lat"], {"bogus": "lat"})


def test_column_mapping_toml(tmp_path):
    p = tmp_path / "cols.toml"
    p.write_text('crs = "EPSG:32651"\n[columns]\nrsrp_dbm = "Mine"\n')
    assert read_column_mapping(p) == ({"rsrp_dbm": "Mine"}, "EPSG:32651")
    p.write_text('crs = "EPSG:32651"\nextra = 1\n')
    with pytest.raises(NrplanInputError, match="extra"):
        read_column_mapping(p)


def test_default_cell_ids_and_explicit_ones(sites_csv, tmp_path):
    from nrplan.io.sites import read_sites

    assert cell_ids(read_sites(sites_csv)).tolist() == ["A-1", "A-2", "A-3", "B-1"]
    p = tmp_path / "s.csv"
    text = sites_csv.read_text().split("\n")
    ids = ["cell_id", "0101", "0102", "0103", "0201"]
    p.write_text("\n".join(f"{t},{c}" for t, c in zip(text[:5], ids, strict=True)) + "\n")
    assert cell_ids(read_sites(p)).tolist() == ["0101", "0102", "0103", "0201"]  # kept as text


def test_unusable_rows_are_counted_by_reason(sites_csv, tmp_path):
    # rows: 0 ok; 1 no position; 2 no RSRP; 3 RSRP -30.9 (> -31, TS 38.133 range);
    # 4 RSRP -156.1 (< -156); 5 unknown cell; 6 repeat of row 0 (same route, time, cell);
    # 7 ~21 km north of the sites (> 10 km); 8 bad morphology; 9 RSRP exactly -156 (kept);
    # 10 RSRP exactly -31 (kept)
    m = pd.DataFrame(
        {
            "Latitude": [
                31.232,
                None,
                31.232,
                31.232,
                31.232,
                31.232,
                31.232,
                31.42,
                31.232,
                31.232,
                31.232,
            ],
            "Longitude": [121.471] * 11,
            "SS-RSRP": [-90, -90, None, -30.9, -156.1, -90, -91, -90, -90, -156, -31],
            "cell_id": [
                "A-1",
                "A-1",
                "A-1",
                "A-1",
                "A-1",
                "Z-9",
                "A-1",
                "A-1",
                "A-1",
                "A-1",
                "A-1",
            ],
            "time": [0, 1, 2, 3, 4, 5, 0, 7, 8, 9, 10],
            "morphology": ["urban"] * 8 + ["swamp", "suburban", "2"],
        }
    )
    p = tmp_path / "m.csv"
    m.to_csv(p, index=False)
    dt = load_drive_test(sites_csv, p)
    assert dt.dropped == {
        "no_position": 1,
        "no_rsrp": 1,
        "rsrp_out_of_range": 2,
        "unknown_cell": 1,
        "bad_morphology": 1,
        "duplicate_time": 1,
        "far_from_site": 1,
    }
    assert dt.n_read == 11 and len(dt.points) == 3
    assert dt.points["rsrp_dbm"].tolist() == [-90.0, -156.0, -31.0]
    assert dt.points["code"].tolist() == [2, 3, 2]
    assert dt.summary()["rows_dropped"] == 8


def test_pci_arfcn_matching_takes_the_nearest_site_on_reuse(sites_pci_csv, tmp_path):
    # PCI 7 / 633984 is A-1 (row 0) and B-1 (row 3): a point near B goes to B-1
    m = pd.DataFrame(
        {
            "lat": [31.2301, 31.2301, 31.2301],
            "lon": [121.4701, 121.4799, 121.4701],
            "nr_ss_rsrp": [-80, -80, -80],
            "pci": [7, 7, 8],
            "nr_arfcn": [633984, 633984, 633984],
        }
    )
    p = tmp_path / "m.csv"
    m.to_csv(p, index=False)
    dt = load_drive_test(sites_pci_csv, p)
    assert dt.points["sector"].tolist() == [0, 3, 1]


def test_pci_without_site_columns_is_a_clear_error(sites_csv, tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("lat,lon,ss_rsrp,pci,arfcn\n31.23,121.47,-80,7,633984\n")
    with pytest.raises(NrplanInputError, match="pci"):
        load_drive_test(sites_csv, p)


def test_geojson_in_a_projected_crs_and_xy_csv(sites_csv, tmp_path):
    import geopandas as gpd
    import shapely

    from nrplan.geo.projection import transformer

    x, y = transformer("EPSG:4326", "EPSG:32651").transform(121.471, 31.232)
    gdf = gpd.GeoDataFrame(
        {"SS-RSRP": [-85.0], "cell_id": ["A-1"]}, geometry=[shapely.Point(x, y)], crs="EPSG:32651"
    )
    for name in ("m.geojson", "m.gpkg"):
        gdf.to_file(tmp_path / name)
        got = read_measurements(tmp_path / name)
        assert got["lon"].iloc[0] == pytest.approx(121.471, abs=1e-7)
        assert got["lat"].iloc[0] == pytest.approx(31.232, abs=1e-7)
    p = tmp_path / "xy.csv"
    p.write_text(f"x,y,ss_rsrp,cell_id\n{x},{y},-85,A-1\n")
    with pytest.raises(NrplanInputError, match="crs"):
        read_measurements(p)
    got = read_measurements(p, crs="EPSG:32651")
    assert got["lon"].iloc[0] == pytest.approx(121.471, abs=1e-7)


def test_empty_and_all_invalid_files(sites_csv, tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("")
    with pytest.raises(NrplanInputError, match="empty"):
        load_drive_test(sites_csv, p)
    p.write_text("lat,lon,ss_rsrp,cell_id\n")
    with pytest.raises(NrplanInputError, match="no measurement rows"):
        load_drive_test(sites_csv, p)
    p.write_text("lat,lon,ss_rsrp,cell_id\n31.23,121.47,-10,A-1\n31.23,121.47,-80,Q-1\n")
    with pytest.raises(NrplanInputError, match="rsrp_out_of_range 1, unknown_cell 1"):
        load_drive_test(sites_csv, p)


def test_sinr_outside_the_report_range_is_cleared(sites_csv, tmp_path):
    p = tmp_path / "m.csv"
    # TS 38.133 SS-SINR report range [-23, 40] dB: 41 is cleared, -23 and 40 kept
    p.write_text(
        "lat,lon,ss_rsrp,ss_sinr,cell_id\n"
        + "".join(f"31.232,121.471,-80,{v},A-1\n" for v in (41, -23, 40))
    )
    dt = load_drive_test(sites_csv, p)
    assert dt.dropped["sinr_cleared"] == 1
    v = dt.points["sinr_db"].to_numpy(float)
    assert np.isnan(v[0]) and v[1:].tolist() == [-23.0, 40.0]


def test_clutter_raster_gives_the_class(sites_csv, tmp_path):
    import rasterio
    from affine import Affine

    # 3 x 1 pixels of 0.01 deg from lon 121.465: built-up (50 -> urban, code 2),
    # tree cover (10 -> rural, code 4), 77 (not in the WorldCover mapping)
    tif = tmp_path / "clutter.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=3,
        height=1,
        count=1,
        dtype="uint8",
        crs="EPSG:4326",
        transform=Affine(0.01, 0.0, 121.465, 0.0, -0.02, 31.24),
        nodata=0,
    ) as ds:
        ds.write(np.array([[50, 10, 77]], dtype=np.uint8), 1)
    p = tmp_path / "m.csv"
    p.write_text(
        "lat,lon,ss_rsrp,cell_id,morphology\n"
        "31.232,121.470,-80,A-1,\n31.232,121.480,-80,B-1,\n"
        "31.232,121.490,-80,B-1,\n31.232,121.480,-80,B-1,suburban\n"
        "31.2,121.430,-80,A-1,\n"
    )
    dt = load_drive_test(sites_csv, p, clutter=tif, scenario="dense_urban")
    # row 3 keeps its explicit class; row 5 is outside the raster: --scenario (code 1)
    assert dt.points["code"].tolist() == [2, 4, 3, 1]
    assert dt.dropped["bad_morphology"] == 1
    assert dt.summary()["clutter"]["points_with_class"] == 3
