"""KMZ export: sites grouped by site_id, RSRP ground overlay with a LatLonBox."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd

from nrplan.report import write_kmz

NS = {"k": "http://www.opengis.net/kml/2.2"}


def test_kmz_sites_and_overlay(make_run) -> None:
    run = make_run(n_cities=2)
    path = write_kmz(run)
    assert path == run / "sites.kmz"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names[0] == "doc.kml"
        root = ET.fromstring(zf.read("doc.kml"))
        for href in root.iterfind(".//k:href", NS):
            assert href.text in names  # everything embedded, nothing fetched
        png = zf.read("files/rsrp_620200_jiayuguan.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    sectors = gpd.read_file(run / "sites.gpkg", layer="sectors")
    marks = root.findall(".//k:Placemark", NS)
    assert len(marks) == sectors["site_id"].nunique() == 4
    assert len(sectors) == 12
    box = root.find(".//k:GroundOverlay/k:LatLonBox", NS)
    n, s, e, w = (float(box.find(f"k:{t}", NS).text) for t in ("north", "south", "east", "west"))
    assert n > s and e > w
    for m in marks:
        lon, lat, _ = (float(v) for v in m.find(".//k:coordinates", NS).text.split(","))
        assert w <= lon <= e and s <= lat <= n
    # raster 40 x 100 m = 4 km square near 39.8 N, 98.3 E
    assert 3.0 < (n - s) * 111.0 < 5.0
    assert 97.0 < w < 100.0 and 39.0 < s < 41.0


def test_kmz_without_rasters(make_run, tmp_path: Path) -> None:
    run = make_run(n_cities=1, rasters=False)
    out = write_kmz(run, out=tmp_path / "x.kmz")
    with zipfile.ZipFile(out) as zf:
        root = ET.fromstring(zf.read("doc.kml"))
    assert root.find(".//k:GroundOverlay", NS) is None
    assert root.findall(".//k:Placemark", NS) == []


def test_kmz_real_run(real_run: Path) -> None:
    path = write_kmz(real_run, out=real_run / "test_sites.kmz")
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("doc.kml"))
    sectors = gpd.read_file(real_run / "sites.gpkg", layer="sectors")
    assert len(root.findall(".//k:Placemark", NS)) == sectors["site_id"].nunique()
    assert len(root.findall(".//k:GroundOverlay", NS)) == 1  # Jiayuguan; Sansha has no rasters
