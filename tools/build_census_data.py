"""Build and validate nrplan's embedded 2020 census (7th national census) tables.

Run from the repository root (no network access needed; every figure is
transcribed below from the sources listed in ``docs/census-2020.md``)::

    python tools/build_census_data.py            # write both CSVs, print checks
    python tools/build_census_data.py --check    # validate the existing CSVs only

It writes to ``src/nrplan/data/``:

- ``china_census_2020.csv``: one row per unit of ``china_units.parquet``
  (adcode, name_zh, province_zh, population, urban_population, urban_source,
  source);
- ``china_census_2020_provinces.csv``: the 31 mainland provinces (adcode,
  name_zh, name_en, population, urban_population, urban_share, source).

Population is the census resident population (常住人口) at the census standard
time 2020-11-01 00:00. Source keys are explained in ``docs/census-2020.md``.

How a unit's population is chosen
---------------------------------
1. ``UNIT_OVERRIDES`` (provincial / prefectural census bulletins and other
   cross-checked pages) when present;
2. else the zh.wikipedia city-ranking snapshot (``ZHWIKI_CITY_ROWS``), which
   carries the 2020 county-level tabulation for prefecture-level cities;
3. else empty (the unit is listed as missing).

Checks (the script exits non-zero when one fails)
-------------------------------------------------
- every adcode of ``china_units.parquet`` is present exactly once;
- the 31 provincial populations sum to 1,409,778,724;
- per province, the units' sum is <= the province total (the gap is printed;
  it is the province-administered county-level units, special zones, or units
  without a figure);
- urban_population <= population wherever both are present.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "src" / "nrplan" / "data"
UNITS_CSV = DATA_DIR / "china_census_2020.csv"
PROVINCES_CSV = DATA_DIR / "china_census_2020_provinces.csv"

#: Sum of the 31 mainland provinces, NBS 7th-census bulletin No. 3 (excludes
#: the 2,000,000 active servicemen that the national 1,411,778,724 includes).
NATIONAL_PROVINCES_TOTAL = 1_409_778_724
#: National urban population, NBS bulletin No. 7 (includes active servicemen).
NATIONAL_URBAN = 901_991_162


@dataclass(frozen=True)
class Province:
    """One mainland province-level division.

    Attributes
    ----------
    adcode : str
        Six-digit administrative code (``xx0000``).
    short : str
        Short Chinese name used by the source tables (e.g. ``"广西"``).
    name_zh : str
        Full Chinese name.
    name_en : str
        English name.
    population : int
        Census resident population (NBS bulletin No. 3).
    urban_population : int or None
        Census urban population when an exact published figure was found.
    urban_share : float or None
        Published urbanisation rate in percent (two decimals), if found.
    urban_source : str
        Source key for the urban figures (empty when none).
    """

    adcode: str
    short: str
    name_zh: str
    name_en: str
    population: int
    urban_population: int | None
    urban_share: float | None
    urban_source: str


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京", "北京市", "Beijing", 21893095, 19166433, 87.55, "zhwiki-cityrank"),
    Province("120000", "天津", "天津市", "Tianjin", 13866009, 11744440, 84.70, "zhwiki-cityrank"),
    Province("130000", "河北", "河北省", "Hebei", 74610235, 44816486, 60.07, "prov-bulletin-he"),
    Province("140000", "山西", "山西省", "Shanxi", 34915616, None, None, ""),
    Province("150000", "内蒙古", "内蒙古自治区", "Inner Mongolia", 24049155, None, None, ""),
    Province("210000", "辽宁", "辽宁省", "Liaoning", 42591407, None, None, ""),
    Province("220000", "吉林", "吉林省", "Jilin", 24073453, None, None, ""),
    Province(
        "230000",
        "黑龙江",
        "黑龙江省",
        "Heilongjiang",
        31850088,
        20897694,
        65.61,
        "prov-bulletin-hl",
    ),
    Province("310000", "上海", "上海市", "Shanghai", 24870895, 22209380, 89.30, "zhwiki-cityrank"),
    Province("320000", "江苏", "江苏省", "Jiangsu", 84748016, None, None, ""),
    Province("330000", "浙江", "浙江省", "Zhejiang", 64567588, None, None, ""),
    Province("340000", "安徽", "安徽省", "Anhui", 61027171, None, None, ""),
    Province("350000", "福建", "福建省", "Fujian", 41540086, None, None, ""),
    Province("360000", "江西", "江西省", "Jiangxi", 45188635, None, 60.44, "prov-bulletin-jx"),
    Province("370000", "山东", "山东省", "Shandong", 101527453, None, None, ""),
    Province("410000", "河南", "河南省", "Henan", 99365519, None, None, ""),
    Province("420000", "湖北", "湖北省", "Hubei", 57752557, None, None, ""),
    Province("430000", "湖南", "湖南省", "Hunan", 66444864, None, None, ""),
    Province("440000", "广东", "广东省", "Guangdong", 126012510, None, 74.15, "prov-bulletin-gd"),
    Province("450000", "广西", "广西壮族自治区", "Guangxi", 50126804, None, None, ""),
    Province("460000", "海南", "海南省", "Hainan", 10081232, None, None, ""),
    Province("500000", "重庆", "重庆市", "Chongqing", 32054159, 22264028, 69.46, "zhwiki-cityrank"),
    Province("510000", "四川", "四川省", "Sichuan", 83674866, None, None, ""),
    Province("520000", "贵州", "贵州省", "Guizhou", 38562148, None, None, ""),
    Province("530000", "云南", "云南省", "Yunnan", 47209277, None, 50.05, "zhwiki-yunnan-list"),
    Province("540000", "西藏", "西藏自治区", "Tibet", 3648100, None, None, ""),
    Province("610000", "陕西", "陕西省", "Shaanxi", 39528999, None, None, ""),
    Province("620000", "甘肃", "甘肃省", "Gansu", 25019831, 13067332, 52.23, "prov-bulletin-gs"),
    Province("630000", "青海", "青海省", "Qinghai", 5923957, None, None, ""),
    Province("640000", "宁夏", "宁夏回族自治区", "Ningxia", 7202654, None, None, ""),
    Province(
        "650000",
        "新疆",
        "新疆维吾尔自治区",
        "Xinjiang",
        25852345,
        14613622,
        56.53,
        "prov-bulletin-xj",
    ),
)


#: Rows of the zh.wikipedia table 中華人民共和國城市人口排名 (revision
#: 94716648) for the 4 municipalities and 293 prefecture-level cities:
#: (province short name, city, 地区人口 total, 城镇人口 urban). Transcribed
#: as published, errors included; corrections live in ``UNIT_OVERRIDES`` and
#: ``ZHWIKI_URBAN_EXCLUDED``.
ZHWIKI_CITY_ROWS: tuple[tuple[str, str, int, int], ...] = (
    ("重庆", "重庆市", 32054159, 22264028),
    ("上海", "上海市", 24870895, 22209380),
    ("北京", "北京市", 21893095, 19166433),
    ("广东", "深圳市", 17494398, 17444609),
    ("四川", "成都市", 20937757, 16492980),
    ("广东", "广州市", 18676605, 16096724),
    ("天津", "天津市", 13866009, 11744440),
    ("湖北", "武汉市", 12447718, 10494879),
    ("江苏", "苏州市", 12748262, 10418373),
    ("浙江", "杭州市", 11936010, 9942081),
    ("河南", "郑州市", 12600574, 9879029),
    ("陕西", "西安市", 12183280, 9723308),
    ("广东", "东莞市", 10466625, 9644871),
    ("广东", "佛山市", 9498863, 9042509),
    ("湖南", "长沙市", 10047914, 8300000),
    ("江苏", "南京市", 9314685, 8085241),
    ("河北", "石家庄市", 11235086, 7884319),
    ("安徽", "合肥市", 9369881, 7709277),
    ("山东", "青岛市", 10071722, 7688474),
    ("辽宁", "沈阳市", 9070093, 7665638),
    ("浙江", "宁波市", 9404283, 7335604),
    ("黑龙江", "哈尔滨市", 10009854, 7067709),
    ("浙江", "温州市", 9572903, 6907989),
    ("山东", "济南市", 9202432, 6760007),
    ("云南", "昆明市", 8460088, 6740458),
    ("河北", "保定市", 11544036, 6425944),
    ("江苏", "无锡市", 7462135, 6178208),
    ("辽宁", "大连市", 7450785, 6135727),
    ("山东", "临沂市", 11018365, 6066355),
    ("山东", "潍坊市", 9386705, 6046086),
    ("广西", "南宁市", 8741584, 6023504),
    ("福建", "泉州市", 8782285, 6012651),
    ("福建", "福州市", 8291268, 6010242),
    ("吉林", "长春市", 9066906, 5979069),
    ("江苏", "徐州市", 9083790, 5961888),
    ("河北", "邯郸市", 9413990, 5485163),
    ("江苏", "南通市", 7726635, 5442932),
    ("山东", "济宁市", 8357897, 5022190),
    ("河北", "唐山市", 7701983, 4963907),
    ("江西", "赣州市", 8960600, 4961719),
    ("河南", "南阳市", 9713112, 4913994),
    ("江西", "南昌市", 6255007, 4883763),
    ("浙江", "金华市", 7050683, 4808140),
    ("贵州", "贵阳市", 5987018, 4794071),
    ("山东", "烟台市", 7102116, 4780207),
    ("山西", "太原市", 5304061, 4723657),
    ("福建", "厦门市", 5163970, 4617251),
    ("河南", "洛阳市", 7056699, 4585335),
    ("山东", "菏泽市", 8795939, 4461825),
    ("广东", "惠州市", 6042852, 4399276),
    ("江苏", "盐城市", 6709629, 4301656),
    ("浙江", "台州市", 6622888, 4104712),
    ("江苏", "常州市", 5278121, 4067856),
    ("广东", "汕头市", 5502031, 3890169),
    ("新疆", "乌鲁木齐市", 4054369, 3882487),
    ("浙江", "嘉兴市", 5400868, 3852932),
    ("河南", "周口市", 9026015, 3843349),
    ("广东", "中山市", 4418060, 3841873),
    ("贵州", "遵义市", 6606675, 3745222),
    ("浙江", "绍兴市", 5270977, 3743366),
    ("河北", "沧州市", 7300783, 3733313),
    ("甘肃", "兰州市", 4359446, 3622550),
    ("河南", "商丘市", 7816831, 3610205),
    ("湖南", "衡阳市", 6645243, 3606453),
    ("河南", "新乡市", 6251929, 3599703),
    ("河北", "廊坊市", 5465087, 3543106),
    ("江西", "上饶市", 6491088, 3526049),
    ("山东", "泰安市", 5472217, 3498112),
    ("山东", "淄博市", 4704138, 3493664),
    ("安徽", "阜阳市", 8200264, 3441982),
    ("湖南", "邵阳市", 6563520, 3423660),
    ("河北", "邢台市", 7111106, 3264141),
    ("广东", "江门市", 4798090, 3244934),
    ("江苏", "扬州市", 4559797, 3238904),
    ("湖北", "襄阳市", 5260951, 3221846),
    ("山东", "聊城市", 5952128, 3152954),
    ("河南", "信阳市", 6234401, 3124683),
    ("江苏", "宿迁市", 4986192, 3103531),
    ("福建", "漳州市", 5054328, 3101501),
    ("河南", "驻马店市", 7008427, 3093633),
    ("江苏", "泰州市", 4512762, 3071179),
    ("湖南", "岳阳市", 5051922, 3064473),
    ("江苏", "淮安市", 4556230, 2992223),
    ("山东", "德州市", 561194, 2990953),
    ("湖南", "常德市", 5279102, 2968067),
    ("广西", "柳州市", 4157934, 2907694),
    ("贵州", "毕节市", 6899636, 2906332),
    ("河南", "安阳市", 5477614, 2905280),
    ("湖北", "荆州市", 5231180, 2904346),
    ("陕西", "咸阳市", 4983340, 2899569),
    ("广西", "玉林市", 5796766, 2883897),
    ("江苏", "连云港市", 4599360, 2829565),
    ("云南", "曲靖市", 5765775, 2827160),
    ("广东", "揭阳市", 5577814, 2825237),
    ("江西", "宜春市", 5007702, 2821642),
    ("四川", "南充市", 5607565, 2815934),
    ("江西", "九江市", 4600276, 2814240),
    ("湖北", "黄冈市", 5882719, 2797377),
    ("湖南", "株洲市", 3902738, 2781072),
    ("内蒙古", "呼和浩特市", 3446100, 2727517),
    ("河北", "张家口市", 4118908, 2722683),
    ("湖南", "郴州市", 4667134, 2715350),
    ("广东", "茂名市", 6174050, 2689580),
    ("四川", "达州市", 5385422, 2682166),
    ("河南", "平顶山市", 4987137, 2664125),
    ("安徽", "芜湖市", 3644420, 2635348),
    ("广西", "桂林市", 4931137, 2592914),
    ("湖南", "永州市", 5289824, 2583050),
    ("湖北", "孝感市", 4270371, 2582246),
    ("辽宁", "鞍山市", 3325372, 2579691),
    ("江苏", "镇江市", 3210418, 2550827),
    ("四川", "绵阳市", 4868243, 2515103),
    ("河南", "开封市", 4824016, 2500493),
    ("安徽", "滁州市", 3987054, 2465704),
    ("安徽", "安庆市", 4165284, 2412500),
    ("湖北", "宜昌市", 3762407, 2399242),
    ("四川", "宜宾市", 4588804, 2358244),
    ("山西", "运城市", 4774508, 2352523),
    ("海南", "海口市", 2873358, 2349239),
    ("河南", "许昌市", 4379998, 2345380),
    ("山东", "滨州市", 3928568, 2343282),
    ("江西", "吉安市", 4469176, 2339591),
    ("内蒙古", "包头市", 2709378, 2334393),
    ("安徽", "宿州市", 5324476, 2330027),
    ("陕西", "渭南市", 4688744, 2311932),
    ("河北", "衡水市", 4212933, 2306235),
    ("吉林", "吉林市", 3623713, 2301426),
    ("宁夏", "银川市", 2859074, 2293656),
    ("山东", "枣庄市", 3855601, 2287321),
    ("山西", "大同市", 3105591, 2257531),
    ("陕西", "榆林市", 3624750, 2232798),
    ("河南", "焦作市", 3521078, 2219389),
    ("浙江", "湖州市", 3367579, 2210571),
    ("广东", "珠海市", 2439585, 2207090),
    ("黑龙江", "齐齐哈尔市", 4067489, 2181650),
    ("湖南", "怀化市", 4587594, 2164261),
    ("广东", "清远市", 3969473, 2163209),
    ("广西", "贵港市", 4316262, 2158124),
    ("内蒙古", "赤峰市", 4035967, 2143486),
    ("四川", "泸州市", 4254149, 2137464),
    ("安徽", "六安市", 4393699, 2130346),
    ("安徽", "亳州市", 4996844, 2123492),
    ("山西", "临汾市", 3976481, 2114457),
    ("广东", "肇庆市", 4113594, 2098614),
    ("江西", "抚州市", 3614866, 2058897),
    ("山东", "威海市", 2906548, 2040910),
    ("山西", "晋中市", 3379498, 2027808),
    ("黑龙江", "大庆市", 2781562, 2016139),
    ("福建", "莆田市", 3210714, 2013249),
    ("云南", "昭通市", 5092611, 2012717),
    ("河北", "秦皇岛市", 3136879, 2006711),
    ("广东", "梅州市", 3873239, 1997795),
    ("湖南", "益阳市", 3851564, 1942517),
    ("青海", "西宁市", 2467965, 1940616),
    ("四川", "德阳市", 3456161, 1934382),
    ("福建", "宁德市", 3146789, 1919132),
    ("河北", "承德市", 3354444, 1898080),
    ("陕西", "宝鸡市", 3321853, 1894757),
    ("河南", "濮阳市", 3772088, 1884758),
    ("安徽", "淮南市", 3033528, 1852729),
    ("安徽", "蚌埠市", 3296408, 1815557),
    ("山东", "日照市", 2968365, 1814663),
    ("山西", "吕梁市", 3398431, 1811822),
    ("湖南", "娄底市", 3826996, 1796776),
    ("山西", "长治市", 3180884, 1796139),
    ("湖南", "湘潭市", 2726181, 1754969),
    ("福建", "龙岩市", 2723637, 1712623),
    ("四川", "乐山市", 3160168, 1678367),
    ("内蒙古", "鄂尔多斯市", 2153638, 1667962),
    ("内蒙古", "呼伦贝尔市", 2242875, 1656914),
    ("广东", "潮州市", 2568387, 1648643),
    ("黑龙江", "绥化市", 3756167, 1639864),
    ("广东", "韶关市", 2855131, 1637895),
    ("陕西", "汉中市", 3211462, 1636715),
    ("湖北", "黄石市", 2469079, 1628537),
    ("四川", "遂宁市", 2814196, 1612641),
    ("福建", "南平市", 2680645, 1599098),
    ("广西", "梧州市", 2820977, 1595326),
    ("四川", "内江市", 3140678, 1572595),
    ("福建", "三明市", 2486450, 1571500),
    ("山东", "东营市", 2193518, 1567251),
    ("辽宁", "营口市", 2328582, 1564242),
    ("广东", "汕尾市", 2738482, 1561303),
    ("广西", "百色市", 3571505, 1551425),
    ("浙江", "丽水市", 2507396, 1550182),
    ("安徽", "马鞍山市", 2159930, 1548550),
    ("广西", "河池市", 3417845, 1533999),
    ("湖北", "荆门市", 2596927, 1525278),
    ("安徽", "宣城市", 2500063, 1520484),
    ("贵州", "铜仁市", 3298468, 1518674),
    ("湖北", "咸宁市", 2685316, 1508314),
    ("辽宁", "丹东市", 2188436, 1507471),
    ("黑龙江", "牡丹江市", 2290208, 1507096),
    ("四川", "眉山市", 2955219, 1481605),
    ("贵州", "六盘水市", 3031602, 1481555),
    ("辽宁", "抚顺市", 1861372, 1457326),
    ("山西", "忻州市", 2689668, 1446429),
    ("内蒙古", "通辽市", 2873168, 1437489),
    ("辽宁", "朝阳市", 2872857, 1435268),
    ("四川", "广安市", 3254883, 1434388),
    ("广东", "阳江市", 2602959, 1409820),
    ("黑龙江", "佳木斯市", 2156505, 1405396),
    ("陕西", "延安市", 2282581, 1400750),
    ("广西", "钦州市", 3302238, 1387474),
    ("四川", "自贡市", 2489256, 1379139),
    ("山西", "晋城市", 2194545, 1376521),
    ("广东", "河源市", 2837686, 1376168),
    ("甘肃", "天水市", 2984659, 1360186),
    ("辽宁", "葫芦岛市", 2434194, 1332975),
    ("辽宁", "铁岭市", 2388294, 1318021),
    ("浙江", "衢州市", 2276184, 1310498),
    ("河南", "漯河市", 2367490, 1298358),
    ("安徽", "淮北市", 1970265, 1264102),
    ("四川", "巴中市", 2712894, 1252293),
    ("陕西", "安康市", 2493436, 1244784),
    ("江西", "萍乡市", 1804805, 1223774),
    ("湖北", "十堰市", 3209004, 1221419),
    ("云南", "玉溪市", 2249502, 1210702),
    ("河南", "三门峡市", 2034872, 1165164),
    ("湖北", "随州市", 2047923, 1163902),
    ("贵州", "安顺市", 2570630, 1146615),
    ("黑龙江", "鸡西市", 1502060, 1091891),
    ("辽宁", "锦州市", 2703853, 1090598),
    ("吉林", "通化市", 1812114, 1085368),
    ("四川", "广元市", 2305657, 1084525),
    ("辽宁", "盘锦市", 1389691, 1075688),
    ("辽宁", "辽阳市", 1604580, 1071626),
    ("吉林", "松原市", 2252994, 1056361),
    ("辽宁", "本溪市", 1326018, 1053426),
    ("江西", "景德镇市", 1618979, 1052588),
    ("广东", "云浮市", 2383350, 1043289),
    ("内蒙古", "乌兰察布市", 1706328, 1018617),
    ("辽宁", "阜新市", 1647280, 1015622),
    ("广西", "来宾市", 2074611, 1005712),
    ("广西", "贺州市", 2007858, 989187),
    ("山西", "朔州市", 1593444, 985435),
    ("陕西", "商洛市", 2041231, 980505),
    ("广西", "北海市", 1853227, 979305),
    ("云南", "普洱市", 2404954, 974845),
    ("甘肃", "定西市", 425627, 969084),
    ("河南", "鹤壁市", 1565973, 955004),
    ("四川", "资阳市", 2308631, 953225),
    ("山西", "阳泉市", 1318505, 939172),
    ("吉林", "四平市", 1814733, 935799),
    ("内蒙古", "巴彦淖尔市", 1538715, 922952),
    ("广西", "崇左市", 2088692, 917760),
    ("甘肃", "庆阳市", 2179716, 913075),
    ("江西", "新余市", 1202499, 884941),
    ("甘肃", "陇南市", 2407272, 870878),
    ("安徽", "铜陵市", 1311726, 867982),
    ("甘肃", "白银市", 1512110, 855268),
    ("云南", "保山市", 2431211, 853166),
    ("吉林", "白城市", 1551378, 844632),
    ("四川", "攀枝花市", 1212203, 843378),
    ("黑龙江", "黑河市", 1286401, 838921),
    ("浙江", "舟山市", 1157817, 832390),
    ("甘肃", "平凉市", 1848607, 827653),
    ("黑龙江", "双鸭山市", 1208803, 826703),
    ("安徽", "池州市", 1242764, 801379),
    ("云南", "临沧市", 2257991, 792078),
    ("湖南", "张家界市", 1517027, 783520),
    ("安徽", "黄山市", 1330565, 775644),
    ("吉林", "白山市", 968373, 771554),
    ("宁夏", "吴忠市", 751389, 771119),
    ("四川", "雅安市", 1434603, 757151),
    ("黑龙江", "伊春市", 878881, 744000),
    ("江西", "鹰潭市", 1154223, 743407),
    ("黑龙江", "鹤岗市", 891271, 736416),
    ("海南", "三亚市", 1031396, 724854),
    ("湖北", "鄂州市", 1079353, 715268),
    ("甘肃", "武威市", 1464955, 688697),
    ("甘肃", "酒泉市", 1055706, 677750),
    ("广西", "防城港市", 1046068, 643635),
    ("西藏", "拉萨市", 867891, 605511),
    ("云南", "丽江市", 1253878, 597447),
    ("宁夏", "石嘴山市", 2859074, 585502),
    ("甘肃", "张掖市", 1131016, 580117),
    ("吉林", "辽源市", 996903, 575248),
    ("青海", "海东市", 1358471, 548858),
    ("黑龙江", "七台河市", 689611, 532136),
    ("内蒙古", "乌海市", 556621, 530877),
    ("宁夏", "中卫市", 1067336, 530471),
    ("海南", "儋州市", 954259, 516043),
    ("宁夏", "固原市", 1142142, 497906),
    ("新疆", "哈密市", 673383, 481690),
    ("新疆", "克拉玛依市", 390348, 481249),
    ("陕西", "铜川市", 698322, 444612),
    ("甘肃", "金昌市", 438026, 339011),
    ("新疆", "吐鲁番市", 693988, 333295),
    ("甘肃", "嘉峪关市", 312663, 295257),
    ("广东", "湛江市", 6981236, 251742),
    ("西藏", "日喀则市", 798153, 184323),
    ("西藏", "昌都市", 760966, 133017),
    ("西藏", "那曲市", 504838, 116030),
    ("西藏", "山南市", 354035, 114048),
    ("西藏", "林芝市", 238936, 97675),
    ("海南", "三沙市", 2333, 2333),
)


@dataclass(frozen=True)
class UnitFigure:
    """A unit's population taken from a source other than the zh.wikipedia rows.

    Attributes
    ----------
    population : int
        Census resident population of the unit.
    source : str
        Source key (see ``docs/census-2020.md``).
    """

    population: int
    source: str


#: Unit populations from census bulletins and cross-checked pages, keyed by
#: (province short name, unit name). Where a value equals the zh.wikipedia row
#: it confirms it; where it differs it replaces it (the difference is noted in
#: ``docs/census-2020.md``).
UNIT_OVERRIDES: dict[tuple[str, str], UnitFigure] = {
    # Jiangxi bulletin No. 1 (2021-05-26), as quoted by The Paper.
    ("江西", "赣州市"): UnitFigure(8970014, "prov-bulletin-jx"),
    ("江西", "上饶市"): UnitFigure(6491088, "prov-bulletin-jx"),
    ("江西", "南昌市"): UnitFigure(6255007, "prov-bulletin-jx"),
    ("江西", "宜春市"): UnitFigure(5007702, "prov-bulletin-jx"),
    ("江西", "九江市"): UnitFigure(4600276, "prov-bulletin-jx"),
    ("江西", "吉安市"): UnitFigure(4469176, "prov-bulletin-jx"),
    ("江西", "抚州市"): UnitFigure(3614866, "prov-bulletin-jx"),
    ("江西", "萍乡市"): UnitFigure(1804805, "prov-bulletin-jx"),
    ("江西", "景德镇市"): UnitFigure(1618979, "prov-bulletin-jx"),
    ("江西", "新余市"): UnitFigure(1202499, "prov-bulletin-jx"),
    ("江西", "鹰潭市"): UnitFigure(1154223, "prov-bulletin-jx"),
    # Guizhou bulletin No. 2 (2021-05-25).
    ("贵州", "毕节市"): UnitFigure(6899636, "prov-bulletin-gz"),
    ("贵州", "遵义市"): UnitFigure(6606675, "prov-bulletin-gz"),
    ("贵州", "贵阳市"): UnitFigure(5987018, "prov-bulletin-gz"),
    ("贵州", "黔东南苗族侗族自治州"): UnitFigure(3758622, "prov-bulletin-gz"),
    ("贵州", "黔南布依族苗族自治州"): UnitFigure(3494385, "prov-bulletin-gz"),
    ("贵州", "铜仁市"): UnitFigure(3298468, "prov-bulletin-gz"),
    ("贵州", "六盘水市"): UnitFigure(3031602, "prov-bulletin-gz"),
    ("贵州", "黔西南布依族苗族自治州"): UnitFigure(3015112, "prov-bulletin-gz"),
    ("贵州", "安顺市"): UnitFigure(2470630, "prov-bulletin-gz"),
    # Yunnan bulletin (2021-05-14), per-unit table of zh.wikipedia 云南省各市州人口列表.
    ("云南", "昆明市"): UnitFigure(8460088, "prov-bulletin-yn"),
    ("云南", "曲靖市"): UnitFigure(5765775, "prov-bulletin-yn"),
    ("云南", "玉溪市"): UnitFigure(2249502, "prov-bulletin-yn"),
    ("云南", "保山市"): UnitFigure(2431211, "prov-bulletin-yn"),
    ("云南", "昭通市"): UnitFigure(5092611, "prov-bulletin-yn"),
    ("云南", "丽江市"): UnitFigure(1253878, "prov-bulletin-yn"),
    ("云南", "普洱市"): UnitFigure(2404954, "prov-bulletin-yn"),
    ("云南", "临沧市"): UnitFigure(2257991, "prov-bulletin-yn"),
    ("云南", "楚雄彝族自治州"): UnitFigure(2416747, "prov-bulletin-yn"),
    ("云南", "红河哈尼族彝族自治州"): UnitFigure(4478422, "prov-bulletin-yn"),
    ("云南", "文山壮族苗族自治州"): UnitFigure(3503218, "prov-bulletin-yn"),
    ("云南", "西双版纳傣族自治州"): UnitFigure(1301407, "prov-bulletin-yn"),
    ("云南", "大理白族自治州"): UnitFigure(3337559, "prov-bulletin-yn"),
    ("云南", "德宏傣族景颇族自治州"): UnitFigure(1315709, "prov-bulletin-yn"),
    ("云南", "怒江傈僳族自治州"): UnitFigure(552694, "prov-bulletin-yn"),
    ("云南", "迪庆藏族自治州"): UnitFigure(387511, "prov-bulletin-yn"),
    # Xinjiang: citypopulation.de prefectural table (census 2020), agrees with
    # the Xinjiang bulletin figures in 万人 quoted by MAIGOO.
    ("新疆", "阿克苏地区"): UnitFigure(2714422, "citypop-xj"),
    ("新疆", "阿勒泰地区"): UnitFigure(668587, "citypop-xj"),
    ("新疆", "巴音郭楞蒙古自治州"): UnitFigure(1613979, "citypop-xj"),
    ("新疆", "博尔塔拉蒙古自治州"): UnitFigure(488198, "citypop-xj"),
    ("新疆", "昌吉回族自治州"): UnitFigure(1613585, "citypop-xj"),
    ("新疆", "哈密市"): UnitFigure(673383, "citypop-xj"),
    ("新疆", "和田地区"): UnitFigure(2504718, "citypop-xj"),
    ("新疆", "喀什地区"): UnitFigure(4496377, "citypop-xj"),
    ("新疆", "克拉玛依市"): UnitFigure(490348, "citypop-xj"),
    ("新疆", "克孜勒苏柯尔克孜自治州"): UnitFigure(622222, "citypop-xj"),
    ("新疆", "塔城地区"): UnitFigure(1138638, "citypop-xj"),
    ("新疆", "吐鲁番市"): UnitFigure(693988, "citypop-xj"),
    ("新疆", "乌鲁木齐市"): UnitFigure(4054369, "citypop-xj"),
    ("新疆", "伊犁哈萨克自治州"): UnitFigure(2848393, "citypop-xj"),
    # Tibet: citypopulation.de prefectural table (census 2020).
    ("西藏", "阿里地区"): UnitFigure(123281, "citypop-xz"),
    ("西藏", "昌都市"): UnitFigure(760966, "citypop-xz"),
    ("西藏", "拉萨市"): UnitFigure(867891, "citypop-xz"),
    ("西藏", "林芝市"): UnitFigure(238936, "citypop-xz"),
    ("西藏", "那曲市"): UnitFigure(504838, "citypop-xz"),
    ("西藏", "日喀则市"): UnitFigure(798153, "citypop-xz"),
    ("西藏", "山南市"): UnitFigure(354035, "citypop-xz"),
    # Shanxi bulletin No. 2 (2021-05-26).
    ("山西", "太原市"): UnitFigure(5304061, "prov-bulletin-sx"),
    ("山西", "运城市"): UnitFigure(4774508, "prov-bulletin-sx"),
    ("山西", "临汾市"): UnitFigure(3976481, "prov-bulletin-sx"),
    ("山西", "吕梁市"): UnitFigure(3398431, "prov-bulletin-sx"),
    ("山西", "晋中市"): UnitFigure(3379498, "prov-bulletin-sx"),
    ("山西", "长治市"): UnitFigure(3180884, "prov-bulletin-sx"),
    ("山西", "大同市"): UnitFigure(3105591, "prov-bulletin-sx"),
    ("山西", "忻州市"): UnitFigure(2689668, "prov-bulletin-sx"),
    ("山西", "晋城市"): UnitFigure(2194545, "prov-bulletin-sx"),
    ("山西", "朔州市"): UnitFigure(1593444, "prov-bulletin-sx"),
    ("山西", "阳泉市"): UnitFigure(1318505, "prov-bulletin-sx"),
    # Inner Mongolia bulletin (league/city table), as quoted by kjkxun.com.
    ("内蒙古", "赤峰市"): UnitFigure(4035967, "prov-bulletin-nm"),
    ("内蒙古", "呼和浩特市"): UnitFigure(3446100, "prov-bulletin-nm"),
    ("内蒙古", "通辽市"): UnitFigure(2873168, "prov-bulletin-nm"),
    ("内蒙古", "包头市"): UnitFigure(2709378, "prov-bulletin-nm"),
    ("内蒙古", "呼伦贝尔市"): UnitFigure(2242875, "prov-bulletin-nm"),
    ("内蒙古", "鄂尔多斯市"): UnitFigure(2153638, "prov-bulletin-nm"),
    ("内蒙古", "乌兰察布市"): UnitFigure(1706328, "prov-bulletin-nm"),
    ("内蒙古", "巴彦淖尔市"): UnitFigure(1538715, "prov-bulletin-nm"),
    ("内蒙古", "兴安盟"): UnitFigure(1416929, "prov-bulletin-nm"),
    ("内蒙古", "锡林郭勒盟"): UnitFigure(1107075, "prov-bulletin-nm"),
    ("内蒙古", "乌海市"): UnitFigure(556621, "prov-bulletin-nm"),
    ("内蒙古", "阿拉善盟"): UnitFigure(262361, "prov-bulletin-nm"),
    # Heilongjiang bulletin figures, as tabulated by MAIGOO.
    ("黑龙江", "哈尔滨市"): UnitFigure(10009854, "prov-bulletin-hl"),
    ("黑龙江", "齐齐哈尔市"): UnitFigure(4067489, "prov-bulletin-hl"),
    ("黑龙江", "绥化市"): UnitFigure(3756167, "prov-bulletin-hl"),
    ("黑龙江", "大庆市"): UnitFigure(2781562, "prov-bulletin-hl"),
    ("黑龙江", "牡丹江市"): UnitFigure(2290208, "prov-bulletin-hl"),
    ("黑龙江", "佳木斯市"): UnitFigure(2156505, "prov-bulletin-hl"),
    ("黑龙江", "鸡西市"): UnitFigure(1502060, "prov-bulletin-hl"),
    ("黑龙江", "黑河市"): UnitFigure(1286401, "prov-bulletin-hl"),
    ("黑龙江", "双鸭山市"): UnitFigure(1208803, "prov-bulletin-hl"),
    ("黑龙江", "鹤岗市"): UnitFigure(891271, "prov-bulletin-hl"),
    ("黑龙江", "伊春市"): UnitFigure(878881, "prov-bulletin-hl"),
    ("黑龙江", "七台河市"): UnitFigure(689611, "prov-bulletin-hl"),
    ("黑龙江", "大兴安岭地区"): UnitFigure(331276, "prov-bulletin-hl"),
    # Jilin bulletin (9 units + 梅河口市 + 长白山管委会 reported separately).
    # 通化市 = 1,302,778 + 梅河口市 509,336: Meihekou lies inside the 220500
    # polygon. 长白山管委会 (61,146) stays in the provincial gap.
    ("吉林", "长春市"): UnitFigure(9066906, "prov-bulletin-jl"),
    ("吉林", "吉林市"): UnitFigure(3623713, "prov-bulletin-jl"),
    ("吉林", "四平市"): UnitFigure(1814733, "prov-bulletin-jl"),
    ("吉林", "辽源市"): UnitFigure(996903, "prov-bulletin-jl"),
    ("吉林", "通化市"): UnitFigure(1812114, "prov-bulletin-jl"),
    ("吉林", "白山市"): UnitFigure(951866, "prov-bulletin-jl"),
    ("吉林", "松原市"): UnitFigure(2252994, "prov-bulletin-jl"),
    ("吉林", "白城市"): UnitFigure(1551378, "prov-bulletin-jl"),
    ("吉林", "延边朝鲜族自治州"): UnitFigure(1941700, "prov-bulletin-jl"),
    # Sichuan autonomous prefectures.
    ("四川", "阿坝藏族羌族自治州"): UnitFigure(822587, "pref-bulletin-aba"),
    ("四川", "甘孜藏族自治州"): UnitFigure(1107431, "pref-bulletin-ganzi"),
    ("四川", "凉山彝族自治州"): UnitFigure(4858359, "enwiki-liangshan"),
    # Hubei / Hunan autonomous prefectures.
    ("湖北", "恩施土家族苗族自治州"): UnitFigure(3456136, "dewiki-enshi"),
    ("湖南", "湘西土家族苗族自治州"): UnitFigure(2488105, "citypop-xiangxi"),
    # Hebei: prefectural bulletins (Baoding: whole administrative area incl.
    # Dingzhou, Rongcheng, Anxin, Xiongxian and Longhua township).
    ("河北", "唐山市"): UnitFigure(7717983, "pref-bulletin-tangshan"),
    ("河北", "保定市"): UnitFigure(11437217, "pref-bulletin-baoding"),
    # Anhui.
    ("安徽", "池州市"): UnitFigure(1342764, "web-chizhou"),
    ("安徽", "安庆市"): UnitFigure(4165284, "pref-bulletin-anqing"),
    # Shandong: Dezhou is the provincial residual (the snapshot's 561,194 has
    # lost a digit); all other 15 Shandong cities come from the snapshot.
    ("山东", "德州市"): UnitFigure(5611194, "derived-residual"),
    # Gansu.
    ("甘肃", "临夏回族自治州"): UnitFigure(2109750, "pref-bulletin-linxia"),
    ("甘肃", "甘南藏族自治州"): UnitFigure(691808, "web-gannan"),
    ("甘肃", "定西市"): UnitFigure(2524097, "derived-residual"),
    # Qinghai.
    ("青海", "海北藏族自治州"): UnitFigure(265322, "pref-bulletin-haibei"),
    # The other five Qinghai prefectures: the figures of the Qinghai census
    # bulletin as commonly reproduced (not read at a stored page); their sum,
    # 1,832,199, is exactly the province total less its other three units.
    ("青海", "黄南藏族自治州"): UnitFigure(276215, "qinghai-bulletin-recalled"),
    ("青海", "海南藏族自治州"): UnitFigure(446996, "qinghai-bulletin-recalled"),
    ("青海", "果洛藏族自治州"): UnitFigure(215573, "qinghai-bulletin-recalled"),
    ("青海", "玉树藏族自治州"): UnitFigure(425199, "qinghai-bulletin-recalled"),
    ("青海", "海西蒙古族藏族自治州"): UnitFigure(468216, "qinghai-bulletin-recalled"),
    # Ningxia (the snapshot swaps the 石嘴山/吴忠 totals).
    ("宁夏", "银川市"): UnitFigure(2859074, "pref-bulletin-yinchuan"),
    ("宁夏", "石嘴山市"): UnitFigure(751389, "pref-bulletin-shizuishan"),
    ("宁夏", "吴忠市"): UnitFigure(1382713, "pref-bulletin-wuzhong"),
}

#: Units whose zh.wikipedia 城镇人口 is not used: the row's urban value belongs
#: to another row, is rounded, or refers to a different area than the
#: population used here.
ZHWIKI_URBAN_EXCLUDED: dict[tuple[str, str], str] = {
    ("广东", "湛江市"): "urban value of the snapshot row belongs to another row",
    ("湖南", "长沙市"): "rounded (8,300,000), not an exact count",
    ("河北", "保定市"): "snapshot area differs from the Baoding bulletin area",
    ("吉林", "白山市"): "snapshot area includes part of 长白山管委会",
}


@dataclass(frozen=True)
class UrbanFigure:
    """A unit's own census urban figure from outside the zh.wikipedia rows.

    Attributes
    ----------
    urban_population : int or None
        Exact published urban population, if published.
    urban_rate : float or None
        Published urbanisation rate in percent; used as
        ``round(rate / 100 * population)`` when no exact count exists.
    source : str
        Source key.
    """

    urban_population: int | None
    urban_rate: float | None
    source: str


URBAN_OVERRIDES: dict[tuple[str, str], UrbanFigure] = {
    ("湖南", "湘西土家族苗族自治州"): UrbanFigure(1262007, None, "citypop-xiangxi"),
    ("云南", "楚雄彝族自治州"): UrbanFigure(None, 44.82, "zhwiki-yunnan-list"),
    ("云南", "红河哈尼族彝族自治州"): UrbanFigure(None, 47.70, "zhwiki-yunnan-list"),
    ("云南", "文山壮族苗族自治州"): UrbanFigure(None, 37.20, "zhwiki-yunnan-list"),
    ("云南", "西双版纳傣族自治州"): UrbanFigure(None, 47.07, "zhwiki-yunnan-list"),
    ("云南", "大理白族自治州"): UrbanFigure(None, 42.88, "zhwiki-yunnan-list"),
    ("云南", "德宏傣族景颇族自治州"): UrbanFigure(None, 48.94, "zhwiki-yunnan-list"),
    ("云南", "怒江傈僳族自治州"): UrbanFigure(None, 52.35, "zhwiki-yunnan-list"),
    ("云南", "迪庆藏族自治州"): UrbanFigure(None, 31.07, "zhwiki-yunnan-list"),
}

#: Why a province's units do not add up to its total.
GAP_NOTES: dict[str, str] = {
    "河北": "unresolved (see docs): likely Xiong'an New Area parts of Renqiu (Cangzhou)",
    "吉林": "长白山管委会 (61,146) reported separately by the Jilin bulletin",
    "河南": "济源市 (province-administered)",
    "湖北": "仙桃市, 潜江市, 天门市, 神农架林区 (province-administered)",
    "广西": "unresolved 100-person discrepancy in the snapshot figures",
    "海南": "province-administered cities and counties (五指山, 琼海, ...)",
    "新疆": "XPCC cities administered by the region (石河子, 阿拉尔, ...)",
}


@dataclass
class UnitRow:
    """One output row of ``china_census_2020.csv``."""

    adcode: str
    name_zh: str
    province_zh: str
    population: int | None
    urban_population: int | None
    urban_source: str
    source: str


def _province_short(name_zh: str) -> str:
    """Return the short province name used by the source tables.

    Parameters
    ----------
    name_zh : str
        Full Chinese province name as stored in ``china_units.parquet``.

    Returns
    -------
    str
        Short name, e.g. ``"广西"`` for ``"广西壮族自治区"``.
    """
    for prov in PROVINCES:
        if prov.name_zh == name_zh:
            return prov.short
    raise KeyError(f"unknown province {name_zh!r}")


def load_units() -> list[tuple[str, str, str]]:
    """Read (adcode, name_zh, province_zh) of every unit of china_units.

    Returns
    -------
    list of tuple of str
        One tuple per unit, in file order.
    """
    import pandas as pd

    frame = pd.read_parquet(
        DATA_DIR / "china_units.parquet", columns=["adcode", "name_zh", "province_zh"]
    )
    return [(str(a), str(n), str(p)) for a, n, p in frame.itertuples(index=False)]


def build_unit_rows(units: list[tuple[str, str, str]]) -> list[UnitRow]:
    """Assemble one census row per unit.

    Parameters
    ----------
    units : list of tuple of str
        (adcode, name_zh, province_zh) of the units to cover.

    Returns
    -------
    list of UnitRow
        Rows in the order of ``units``.
    """
    zhwiki = {(p, n): (t, u) for p, n, t, u in ZHWIKI_CITY_ROWS}
    if len(zhwiki) != len(ZHWIKI_CITY_ROWS):
        raise ValueError("duplicate (province, name) in ZHWIKI_CITY_ROWS")
    rows: list[UnitRow] = []
    for adcode, name, province in units:
        key = (_province_short(province), name)
        population: int | None = None
        pop_source = ""
        urban: int | None = None
        urban_src = ""
        wiki = zhwiki.get(key)
        override = UNIT_OVERRIDES.get(key)
        if override is not None:
            population, pop_source = override.population, override.source
        elif wiki is not None:
            population, pop_source = wiki[0], "zhwiki-cityrank"
        if key in URBAN_OVERRIDES and population is not None:
            fig = URBAN_OVERRIDES[key]
            if fig.urban_population is not None:
                urban = fig.urban_population
            elif fig.urban_rate is not None:
                urban = round(fig.urban_rate / 100.0 * population)
            urban_src = fig.source
        elif wiki is not None and key not in ZHWIKI_URBAN_EXCLUDED and population is not None:
            urban, urban_src = wiki[1], "zhwiki-cityrank"
        source = f"pop:{pop_source}" if pop_source else ""
        if urban is not None:
            source += f";urban:{urban_src}"
        rows.append(
            UnitRow(
                adcode=adcode,
                name_zh=name,
                province_zh=province,
                population=population,
                urban_population=urban,
                urban_source="prefecture" if urban is not None else "",
                source=source,
            )
        )
    return rows


def validate(rows: list[UnitRow], units: list[tuple[str, str, str]]) -> list[str]:
    """Run the consistency checks and print the per-province gap table.

    Parameters
    ----------
    rows : list of UnitRow
        Output rows.
    units : list of tuple of str
        The units of ``china_units.parquet``.

    Returns
    -------
    list of str
        Failure messages (empty when every check passes).
    """
    errors: list[str] = []
    adcodes = [r.adcode for r in rows]
    if sorted(adcodes) != sorted(u[0] for u in units) or len(set(adcodes)) != len(adcodes):
        errors.append("adcodes differ from china_units or are duplicated")
    total = sum(p.population for p in PROVINCES)
    if total != NATIONAL_PROVINCES_TOTAL:
        errors.append(f"provinces sum to {total}, expected {NATIONAL_PROVINCES_TOTAL}")
    for prov in PROVINCES:
        if prov.urban_population is not None:
            if prov.urban_population > prov.population:
                errors.append(f"{prov.name_zh}: urban > population")
            share = round(100.0 * prov.urban_population / prov.population, 2)
            if prov.urban_share is not None and abs(share - prov.urban_share) > 0.011:
                errors.append(
                    f"{prov.name_zh}: urban share {share} != published {prov.urban_share}"
                )
    for row in rows:
        if row.population is not None and row.urban_population is not None:
            if row.urban_population > row.population:
                errors.append(f"{row.adcode} {row.name_zh}: urban > population")
    print(f"{'province':<10}{'total':>13}{'units':>6}{'known':>6}{'sum':>13}{'gap':>11}  note")
    for prov in PROVINCES:
        members = [r for r in rows if r.province_zh == prov.name_zh]
        known = [r.population for r in members if r.population is not None]
        unit_sum = sum(known)
        gap = prov.population - unit_sum
        note = GAP_NOTES.get(prov.short, "")
        print(
            f"{prov.short:<10}{prov.population:>13,}{len(members):>6}{len(known):>6}"
            f"{unit_sum:>13,}{gap:>11,}  {note}"
        )
        if gap < 0:
            errors.append(
                f"{prov.name_zh}: units sum {unit_sum} > province total {prov.population}"
            )
        if gap != 0 and not note:
            errors.append(f"{prov.name_zh}: unexplained gap {gap}")
    missing = [f"{r.adcode} {r.name_zh}" for r in rows if r.population is None]
    with_urban = sum(r.urban_population is not None for r in rows)
    print(
        f"units: {len(rows)}, with population: {len(rows) - len(missing)}, with urban: {with_urban}"
    )
    if missing:
        print("without population: " + ", ".join(missing))
    known_urban = [p.urban_population for p in PROVINCES if p.urban_population is not None]
    if len(known_urban) == len(PROVINCES):
        print(
            f"provincial urban sum {sum(known_urban):,} "
            f"(national incl. military {NATIONAL_URBAN:,})"
        )
    else:
        print(f"provincial urban population known for {len(known_urban)}/31 provinces")
    return errors


def _fmt(value: int | float | None, digits: int | None = None) -> str:
    """Format an optional number for CSV output."""
    if value is None:
        return ""
    if digits is not None:
        return f"{value:.{digits}f}"
    return str(value)


def unit_csv_rows(rows: list[UnitRow]) -> list[list[str]]:
    """Return the CSV rows (header first) of ``china_census_2020.csv``."""
    out = [
        [
            "adcode",
            "name_zh",
            "province_zh",
            "population",
            "urban_population",
            "urban_source",
            "source",
        ]
    ]
    for r in rows:
        out.append(
            [
                r.adcode,
                r.name_zh,
                r.province_zh,
                _fmt(r.population),
                _fmt(r.urban_population),
                r.urban_source,
                r.source,
            ]
        )
    return out


def province_csv_rows() -> list[list[str]]:
    """Return the CSV rows (header first) of ``china_census_2020_provinces.csv``."""
    out = [
        ["adcode", "name_zh", "name_en", "population", "urban_population", "urban_share", "source"]
    ]
    for p in PROVINCES:
        source = "pop:nbs-bulletin-3"
        if p.urban_source:
            source += f";urban:{p.urban_source}"
        out.append(
            [
                p.adcode,
                p.name_zh,
                p.name_en,
                str(p.population),
                _fmt(p.urban_population),
                _fmt(p.urban_share, 2),
                source,
            ]
        )
    return out


def _write(path: Path, rows: list[list[str]]) -> None:
    """Write CSV rows with a trailing newline and LF line endings."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _read(path: Path) -> list[list[str]]:
    """Read CSV rows."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def main(argv: list[str] | None = None) -> int:
    """Build (or check) the census CSVs.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when every check passes, 1 otherwise.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate the existing CSVs only")
    args = parser.parse_args(argv)
    units = load_units()
    rows = build_unit_rows(units)
    errors = validate(rows, units)
    expected_units, expected_provinces = unit_csv_rows(rows), province_csv_rows()
    if args.check:
        if _read(UNITS_CSV) != expected_units:
            errors.append(f"{UNITS_CSV.name} differs from the build output")
        if _read(PROVINCES_CSV) != expected_provinces:
            errors.append(f"{PROVINCES_CSV.name} differs from the build output")
    else:
        _write(UNITS_CSV, expected_units)
        _write(PROVINCES_CSV, expected_provinces)
        print(f"wrote {UNITS_CSV.relative_to(REPO)} and {PROVINCES_CSV.relative_to(REPO)}")
    for err in errors:
        print(f"CHECK FAILED: {err}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
