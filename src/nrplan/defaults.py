"""The defaults registry of nrplan: every demand, economics, energy and planning default.

Each default is a :class:`Default` with its value, unit, year, source and a
*status* tag; :data:`DEFAULTS` holds them by name, so every number can be
checked against its source in one read and overridden by name. The sources
are described, with their URLs, in ``docs/sources.md`` of the repository, one
anchor per source (:data:`SOURCES`); :attr:`Default.refs` names the anchors a
default's source points to. ``nrplan defaults [--json]`` lists the registry.

Status tags:

``official``
    government statistics or regulations (MIIT, NBS, MEE, NDRC, MOHURD).
``operator``
    an operator's or China Tower's own published figure.
``industry``
    industry press, vendor white papers, academic models.
``derived``
    arithmetic on sourced figures; the arithmetic is in the source string.
``assumption``
    nrplan's own engineering assumption, anchored on the sourced figures named
    in the source string; change it when better data is at hand.
``recall``
    a figure recalled but not confirmed at a source ("recall - verify").

Money is in CNY at 2020 prices unless the entry says otherwise. Series
(tuples) hold one value per year of :data:`YEARS` where the unit says so;
:func:`year_value` picks one year.

This module is a leaf: it imports nothing from nrplan but :mod:`nrplan.errors`.
:mod:`nrplan.econ.defaults` and :mod:`nrplan.demand.defaults` are views of it.

References
----------
``docs/sources.md`` (one section per source, with its URLs) and the URLs quoted
in each entry.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "ALLOW_IMPLAUSIBLE_ENV",
    "DEFAULTS",
    "PLAUSIBLE",
    "PRICE_YEAR",
    "SOURCES",
    "STATUSES",
    "YEARS",
    "Default",
    "Source",
    "check_plausible",
    "default",
    "defaults_rows",
    "defaults_table",
    "value",
    "year_value",
]

STATUSES = ("official", "operator", "industry", "derived", "assumption", "recall")

#: Years of the per-year series (``fiveg_penetration``, ``dou_gb_per_month``, ...).
YEARS = (2020, 2021, 2022, 2023, 2024, 2025)

_URL_RE = re.compile(r"https?://[^\s\];,)]+")


@dataclass(frozen=True)
class Source:
    """One source of ``docs/sources.md``.

    Attributes
    ----------
    anchor : str
        Anchor of its section in ``docs/sources.md`` (``docs/sources.md#<anchor>``).
    title : str
        What it is (publisher, document, date).
    urls : tuple of str
        Its URLs (empty when it has none; then ``keys`` identify it).
    keys : tuple of str
        Phrases of a default's source string that name it without a URL.
    """

    anchor: str
    title: str
    urls: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()


_SOURCE_LIST = (
    Source("miit-2020-bulletin", "MIIT, 2020 Communications Industry Statistical Bulletin "
           "(2021-01): mobile users, 5G coverage, capex, annual mean DOU",
           ("http://www.dvbcn.com/p/120289.html", "http://kbm75.com/hy/tx/1027928.html")),
    Source("miit-2020-oct", "MIIT, communications industry Jan-Oct 2020: Oct-2020 DOU 11.46 GB, "
           "1.19 GB above the year's mean so far", (), ("Oct-2020 11.46",)),
    Source("miit-dou-months", "MIIT monthly operation reports: DOU of single months (reposts)",
           ("https://zkxblog.com/lab/read-373721.html",
            "http://www.shbear.com/gd/2021/1123/9980.html",
            "https://m.ahtit.com/article/234475.html",
            "https://yxiu.cn/finance/jujiao/200623.html",
            "https://yxiu.cn/finance/jujiao/530102.html")),
    Source("miit-mobile-users", "MIIT monthly reports: mobile users and net additions (reposts)",
           ("http://tulizeni.org/p/366741.html",
            "http://www.ce.cn/cysc/tech/gd2012/202308/24/t20230824_38684890.shtml",
            "http://69.172.67.201/sc/stocks/news/aafn-con/NOW.1405909/recommend-news/AAFN",
            "http://big5.news.cn/gate/big5/jjckb.xinhuanet.com/20251223/"
            "e8803fbcdd1a4cd7ad10dcb2f797bcf6/c.html")),
    Source("nbs-2020-communique", "NBS, Statistical Communique of the PRC on the 2020 National "
           "Economic and Social Development (2021-02-28)", (), ("NBS, Statistical Communique",)),
    Source("mohurd-2021-yearbook", "MOHURD, 2021 城乡建设统计年鉴 (urban construction statistical "
           "yearbook): city population and built-up area of 2020",
           ("http://m.studyofnet.com/373424469.html",), ("MOHURD",)),
    Source("cm-2020-results", "China Mobile 2020 annual results: 942 M mobile customers; "
           "+23.7% data usage after a user moves to a 5G plan", (), ("China Mobile 2020",)),
    Source("guangdong-smart-pole", "Guangdong smart-pole standard: 5G macro 1,000-1,500 W, "
           "micro 150-200 W per device", (), ("Guangdong smart-pole",)),
    Source("cm-2020-tender", "China Mobile 2020 5G phase-2 tender (232,143 BS, 37.1bn CNY)",
           ("http://en.c114.com.cn/576/a1120895.html", "https://rapid-meta.com/?p=123161")),
    Source("bs-capex", "All-in capex of a new 5G base station (~300,000 CNY)",
           ("https://en.endela.cn/news/9.html",)),
    Source("china-tower-2020", "China Tower 2020 annual results: tower revenue, tenancies, "
           "sharing of 5G sites", ("http://t.financialdatamining.com/article/news/19/"
                                   "481c7ffffe87ee4f29fdfbeb95d00000.html",)),
    Source("china-tower-2018", "China Tower (Gu Xiaomin, PT EXPO 2018): towers avoided by "
           "sharing", ("http://en.c114.com.cn/576/a1066979.html",)),
    Source("china-tower-2019", "China Tower 2019 results: 5G sites at end-2019",
           ("http://en.c114.com.cn/583/a1113936.html",)),
    Source("ccsa-5g-power", "CCSA data on 5G base-station power (idle 2.2-2.3 kW, full load "
           "3.7-3.9 kW per 3-sector BS) and electricity price",
           ("https://www.basicdom.com/beplay_iosban/1337.html",
            "http://esxun.cn/internet/2251.html")),
    Source("huawei-5g-power", "Huawei '5G Power' white paper: AAU and BBU power",
           ("http://forallthingsfinancial.com/news/179.html",)),
    Source("lightreading-5g-power", "Light Reading: power consumption of 5G base stations",
           ("https://www.lightreading.com/mobile/5g/power-consumption-5g-basestations-are-"
            "hungry-hungry-hippos/d/d-id/749979?print=yes",)),
    Source("telecomhall-aau", "telecomHall forum: massive MIMO AAU output power",
           ("https://www.telecomhall.net/t/massive-mimo-working-for-32t32r/11627",)),
    Source("ct-energy-saving", "China Telecom field results of 5G energy saving (Economic "
           "Daily, Aug 2020)", ("http://tech.jiangsulong.com/a/2020/0812/0Q21P0B22020_2.html",)),
    Source("luoyang-deep-sleep", "Luoyang Unicom / ZTE deep-sleep trial",
           ("http://furoin.com/it/show-26-19640-1.html", "https://eefocus.com/article/470290.html")),
    Source("earth-2011", "G. Auer et al., 'How much energy is needed to run a wireless "
           "network?', IEEE Wireless Communications 18(5), 2011 (EARTH power model)",
           (), ("EARTH",)),
    Source("resold-electricity", "Electricity resold to base stations (转供电) at ~1 CNY/kWh",
           ("https://hwhskt.com/784a7782be6ba370/7e05047e79247cab.html",)),
    Source("tariff-5g", "5G sites pay the general industrial/commercial electricity tariff",
           ("https://mcdonaldsrestaurant.fr/18-09-07-2111.html",)),
    Source("mee-grid-factor", "MEE & NBS, national average grid emission factor 2021 "
           "(announcement 2024 No. 12)", ("https://daydaynews.cc/zh-hant/finance/3899452.html",)),
    Source("ndrc-2018-601", "NDRC/MOF 发改价格〔2018〕601号: radio spectrum occupation fees",
           ("https://zh.wikisource.org/zh-hans/国家发展改革委_财政部关于降低部分无线电频率占用费标准等"
            "有关问题的通知",)),
    Source("licences-2020", "Commercial 5G licences of 2020-12-22 (10 years)",
           ("https://bigdigital-cn.com/ask/16295.html",)),
    Source("opex-ranges", "Generic article: transmission and maintenance cost ranges per BS",
           ("https://www.aiboce.com/ask/304652.html",)),
    Source("capacity-planning", "5G capacity planning: expansion at 70-80% PRB load",
           ("https://www.5g6gacademy.com/learn/5g-capacity-planning",)),
    Source("busy-hour", "Network planning 101: busy hour, busy day (worked example)",
           ("https://the8layers.com/2016/10/19/network-planning-101-busy-hour-busy-day/",)),
    Source("ct-link-budget", "China Telecom 3D-UMa link budget: cell-edge rates 10 Mbit/s DL, "
           "1 Mbit/s UL", ("https://mtoou.info/tubiao/585218.html",)),
    Source("field-ul-rate", "Field measurements of 5G UL rate against SS-RSRP (Mathematical "
           "Problems in Engineering, 2021, Table 4)",
           ("https://www.hindawi.com/journals/mpe/2021/9724623/tab4/",)),
    Source("rf-planning-guide", "RF-planning guide: outdoor coverage 95-98%, in-building "
           "85-90%", ("https://www.cafetele.com/rf-planning-book/reader.html",)),
    Source("senza-fili-small-cells", "Senza Fili Consulting, 'The economics of small cells "
           "and Wi-Fi offload' (2013)",
           ("http://senzafiliconsulting.com/Reports/TheeconomicsofsmallcellsandWiFioffload/"
            "Questionsaddressedinthereport.aspx",)),
)  # fmt: skip

#: The sources of ``docs/sources.md`` by anchor.
SOURCES: dict[str, Source] = {s.anchor: s for s in _SOURCE_LIST}

_URL_ANCHOR = {u: s.anchor for s in _SOURCE_LIST for u in s.urls}


@dataclass(frozen=True)
class Default:
    """One default parameter with its provenance.

    Attributes
    ----------
    name : str
        Registry key (``snake_case``).
    value : float or tuple of float
        The value, in ``unit``.
    unit : str
        Unit of ``value`` (e.g. ``"CNY"``, ``"W"``, ``"kg/kWh"``, ``"1"``).
    year : int or None
        Year the value refers to (price year, data year).
    currency : str or None
        ``"CNY"``/``"USD"`` for money, else None.
    source : str
        Where the value comes from (URL or document), with the arithmetic if derived.
    status : str
        One of :data:`STATUSES`.
    """

    name: str
    value: float | tuple[float, ...]
    unit: str
    year: int | None
    currency: str | None
    source: str
    status: str

    @property
    def urls(self) -> tuple[str, ...]:
        """The URLs quoted in :attr:`source`, in order."""
        return tuple(dict.fromkeys(_URL_RE.findall(self.source)))

    @property
    def refs(self) -> tuple[str, ...]:
        """Anchors of ``docs/sources.md`` that :attr:`source` points to (:data:`SOURCES`)."""
        out = [_URL_ANCHOR[u] for u in self.urls if u in _URL_ANCHOR]
        out += [s.anchor for s in _SOURCE_LIST if any(k in self.source for k in s.keys)]
        return tuple(dict.fromkeys(out))


_MIIT_2020 = "http://www.dvbcn.com/p/120289.html"
_MIIT_2020_OCT = "MIIT, Jan-Oct 2020 report: Oct-2020 11.46 GB"
_MIIT_DOU_MONTHS = (
    "https://zkxblog.com/lab/read-373721.html ; http://www.shbear.com/gd/2021/1123/9980.html ; "
    "https://m.ahtit.com/article/234475.html ; https://yxiu.cn/finance/jujiao/200623.html ; "
    "https://yxiu.cn/finance/jujiao/530102.html"
)
_BUSY_HOUR = "https://the8layers.com/2016/10/19/network-planning-101-busy-hour-busy-day/"
_MOHURD = "http://m.studyofnet.com/373424469.html"
_CT_LINK_BUDGET = "https://mtoou.info/tubiao/585218.html"
_HINDAWI_UL = "https://www.hindawi.com/journals/mpe/2021/9724623/tab4/"
_RF_GUIDE = "https://www.cafetele.com/rf-planning-book/reader.html"
_CT_FEE = "http://t.financialdatamining.com/article/news/19/481c7ffffe87ee4f29fdfbeb95d00000.html"
_CM_TENDER = "http://en.c114.com.cn/576/a1120895.html ; https://rapid-meta.com/?p=123161"
_CM_CAPEX = "http://www.dvbcn.com/p/120289.html ; https://en.endela.cn/news/9.html"
_CCSA = "https://www.basicdom.com/beplay_iosban/1337.html ; http://esxun.cn/internet/2251.html"
_HUAWEI_5G_POWER = "http://forallthingsfinancial.com/news/179.html"
_CT_SAVING = "http://tech.jiangsulong.com/a/2020/0812/0Q21P0B22020_2.html"
_CT_BUILD = "http://en.c114.com.cn/576/a1066979.html"
_CT_2019 = "http://en.c114.com.cn/583/a1113936.html"
_RESOLD = "https://hwhskt.com/784a7782be6ba370/7e05047e79247cab.html"
_TARIFF = "https://mcdonaldsrestaurant.fr/18-09-07-2111.html ; http://forallthingsfinancial.com/news/179.html"
_LUOYANG = "http://furoin.com/it/show-26-19640-1.html ; https://eefocus.com/article/470290.html"
_EARTH = (
    "G. Auer et al., 'How much energy is needed to run a wireless network?', IEEE Wireless "
    "Commun. 18(5), 2011, Table 2 (EARTH macro: sigma_DC 7.5%, sigma_MS 9%, sigma_cool 10%)"
)
_TENDER_SPLIT = (
    "CM 2020 phase-2 tender 37.1bn CNY / 232,143 BS = 159,817 CNY per 3-sector BS "
    f"(BBU + 3 AAU) [{_CM_TENDER}]"
)
_SENZA_FILI = (
    "Senza Fili Consulting, 'The economics of small cells and Wi-Fi offload', main findings "
    "[http://senzafiliconsulting.com/Reports/TheeconomicsofsmallcellsandWiFioffload/"
    "Questionsaddressedinthereport.aspx]"
)
_MIIT_USERS = (
    "MIIT monthly reports via http://tulizeni.org/p/366741.html (Feb-2022 16.51e8, +778e4); "
    "http://www.ce.cn/cysc/tech/gd2012/202308/24/t20230824_38684890.shtml (Jul-2023 17.11e8, "
    "+2782e4); http://69.172.67.201/sc/stocks/news/aafn-con/NOW.1405909/recommend-news/AAFN "
    "(Nov-2024 17.9e8, +4682e4); http://big5.news.cn/gate/big5/jjckb.xinhuanet.com/20251223/"
    "e8803fbcdd1a4cd7ad10dcb2f797bcf6/c.html (Nov-2025 18.28e8, +3854e4)"
)


# fmt: off
_PROFILE_24H = (
    0.20, 0.12, 0.08, 0.06, 0.05, 0.05, 0.08, 0.15,  # 00-07 h
    0.28, 0.38, 0.45, 0.50, 0.52, 0.50, 0.50, 0.52,  # 08-15 h
    0.55, 0.58, 0.62, 0.66, 0.70, 0.68, 0.55, 0.35,  # 16-23 h
)
# fmt: on


def _d(
    name: str,
    value: float | tuple[float, ...],
    unit: str,
    year: int | None,
    currency: str | None,
    source: str,
    status: str,
) -> Default:
    return Default(name, value, unit, year, currency, source, status)


DEFAULTS: dict[str, Default] = {
    d.name: d
    for d in (
        # ---------------------------------------------------------------- money
        _d(
            "cny_per_usd",
            6.8974,
            "CNY/USD",
            2020,
            None,
            "NBS, Statistical Communique of the PRC on the 2020 National Economic and Social "
            "Development (2021-02-28): 2020 average exchange rate 1 USD = 6.8974 CNY "
            "(not confirmed in the stored corpus)",
            "recall",
        ),
        # ---------------------------------------------------------------- capex
        _d(
            "bbu_per_site",
            40_000.0,
            "CNY/site",
            2020,
            "CNY",
            f"{_TENDER_SPLIT}; nrplan's split: BBU 25% = 40,000 CNY",
            "assumption",
        ),
        _d(
            "aau_64t64r",
            40_000.0,
            "CNY/sector",
            2020,
            "CNY",
            f"{_TENDER_SPLIT}; nrplan's split: 3 AAU = 75% = 3 x 40,000 CNY",
            "assumption",
        ),
        _d(
            "aau_32t32r",
            28_000.0,
            "CNY/sector",
            2020,
            "CNY",
            "0.7 x the 64T64R AAU (40,000 CNY): half the transceiver chains, same panel and "
            "platform; anchored on the CM 2020 tender average, "
            f"{_CM_TENDER}",
            "assumption",
        ),
        _d(
            "rru_8t8r",
            15_000.0,
            "CNY/sector",
            2020,
            "CNY",
            "8T8R RRU + passive antenna, taken as 3/8 of the 64T64R AAU (40,000 CNY); "
            f"anchored on {_CM_TENDER}",
            "assumption",
        ),
        _d(
            "rru_4t4r_700",
            12_000.0,
            "CNY/sector",
            2020,
            "CNY",
            "700 MHz 4T4R RRU + passive antenna (recall - verify), taken as 0.3 x "
            f"the 64T64R AAU; anchored on {_CM_TENDER}",
            "assumption",
        ),
        _d(
            "civil_new_tower",
            179_000.0,
            "CNY/site",
            2018,
            "CNY",
            "cost of one new ground tower site: China Tower (Gu Xiaomin, PT EXPO 2018): sharing "
            "avoided 640,000 towers and saved 114.8bn CNY => 114.8e9 / 640e3 = 179,375 CNY per "
            f"tower [{_CT_BUILD}]; China Tower 2020: new-tower unit price -2.1% [{_CT_FEE}]",
            "derived",
        ),
        _d(
            "civil_new_rooftop",
            89_500.0,
            "CNY/site",
            2018,
            "CNY",
            "new rooftop site (poles/brackets on an existing building, no foundation and no "
            f"land): half the new ground tower (179,000 CNY) [{_CT_BUILD}]; nrplan "
            "assumption (no rooftop figure found)",
            "assumption",
        ),
        _d(
            "civil_reused",
            0.0,
            "CNY/site",
            2020,
            "CNY",
            "co-located on an existing tower: no civil works for the operator; China Tower "
            "adapts the tower and recovers it through the incremental tenancy fee "
            f"(tower_fee_colocated) [{_CT_FEE}]",
            "operator",
        ),
        _d(
            "power_upgrade_per_site",
            20_000.0,
            "CNY/site",
            2020,
            "CNY",
            "rectifier modules and battery expansion for a 5G load ~3x 4G (CCSA "
            f"[{_CCSA}]; Huawei 5G Power white paper [{_HUAWEI_5G_POWER}])",
            "assumption",
        ),
        _d(
            "transmission_per_site",
            30_000.0,
            "CNY/site",
            2020,
            "CNY",
            "fibre fronthaul/backhaul and IPRAN/SPN port per site; part of the ~300,000 CNY "
            f"all-in new-BS capex [{_CM_CAPEX}]",
            "assumption",
        ),
        _d(
            "installation_per_site",
            10_000.0,
            "CNY/site",
            2020,
            "CNY",
            "installation, commissioning and integration of BBU + 3 AAU; part of the "
            f"~300,000 CNY all-in new-BS capex [{_CM_CAPEX}]",
            "assumption",
        ),
        _d(
            "reused_share",
            0.97,
            "1",
            2020,
            None,
            "share of 2020 5G sites co-located on an existing site: China Tower, >97% of the "
            f"5G demand met by sharing existing sites [{_CT_FEE}]; cross-check: tower sites "
            "+2.9e4 net in 2020 against ~63.6e4 5G sites built in 2020 (76.6e4 cumulative - "
            f"13e4 in 2019 [{_CT_2019}]) = 4.6% new sites at most",
            "operator",
        ),
        _d(
            "rooftop_share_new",
            0.5,
            "1",
            None,
            None,
            "share of new sites on rooftops vs ground towers where the plan gives no "
            "morphology (plan economics uses dense_urban/urban = rooftop, else tower): nrplan "
            "assumption (no source found)",
            "assumption",
        ),
        # ----------------------------------------------------------------- opex
        _d(
            "tower_fee_per_tenancy",
            23_100.0,
            "CNY/tenancy/year",
            2020,
            "CNY",
            "fee of a new tenancy (new rooftop or tower site): China Tower 2020 tower revenue "
            "733.71e8 CNY / 317.5e4 tenancies = 23,109 CNY "
            f"(site rent, tower, power equipment and maintenance; electricity excluded) "
            f"[{_CT_FEE}]",
            "derived",
        ),
        _d(
            "tower_fee_colocated",
            3_140.0,
            "CNY/site/year",
            2020,
            "CNY",
            "incremental tenancy fee of a 5G radio added to an existing tenancy: China Tower "
            "2020 tower revenue 733.71e8 CNY, +2.8% => +19.98e8 CNY over 2019, while ~63.6e4 "
            "5G sites went up in 2020 (76.6e4 cumulative - 13e4 in 2019) => 19.98e8 / 63.6e4 = "
            "3,142 CNY per site and year, an upper bound (the growth also pays the 11.2e4 new "
            f"tenancies) [{_CT_FEE}; {_CT_2019}]",
            "derived",
        ),
        _d(
            "maintenance_per_site",
            10_000.0,
            "CNY/site/year",
            2020,
            "CNY",
            "midpoint of maintenance/transport ~0.5-1.5e4 CNY per BS per year (generic "
            "article range, low confidence) [https://www.aiboce.com/ask/304652.html]",
            "derived",
        ),
        _d(
            "spectrum_fee_per_site",
            0.0,
            "CNY/site/year",
            2020,
            "CNY",
            "NDRC/MOF 发改价格〔2018〕601号: 5G spectrum fees waived in licence years 1-3, then "
            "25/50/75% in years 4-6 and 100% from year 7; use econ.cost.spectrum_fee_per_year "
            "for later years [https://zh.wikisource.org/zh-hans/国家发展改革委_财政部关于降低部分"
            "无线电频率占用费标准等有关问题的通知]",
            "official",
        ),
        _d(
            "electricity_price",
            0.75,
            "CNY/kWh",
            2020,
            "CNY",
            "planning value: midpoint of the CCSA-based range 0.5-1.0 CNY/kWh for 5G base "
            f"stations [{_CCSA}]; 0.65 is the CCSA estimate for direct supply, ~1 CNY/kWh "
            f"where the supply is resold (转供电) [{_RESOLD}]; 5G sites pay the general "
            f"industrial/commercial tariff [{_TARIFF}]",
            "derived",
        ),
        _d(
            "electricity_price_low",
            0.5,
            "CNY/kWh",
            2020,
            "CNY",
            f"low end of the CCSA-based range 0.5-1.0 CNY/kWh [{_CCSA}] (sensitivity analysis)",
            "industry",
        ),
        _d(
            "electricity_price_high",
            1.0,
            "CNY/kWh",
            2020,
            "CNY",
            "high end of the CCSA-based range, ~1 CNY/kWh with the resale mark-up "
            f"[{_CCSA} ; {_RESOLD}] (sensitivity analysis)",
            "industry",
        ),
        _d(
            "grid_co2_factor",
            0.5568,
            "kg/kWh",
            2021,
            None,
            "MEE & NBS national average grid emission factor 2021, announcement 2024 No. 12 "
            "[https://daydaynews.cc/zh-hant/finance/3899452.html]",
            "official",
        ),
        _d(
            "discount_rate",
            0.08,
            "1/year",
            None,
            None,
            "nrplan assumption: a typical telecom WACC-like real discount rate (no Chinese "
            "source found)",
            "assumption",
        ),
        _d(
            "tco_years",
            10.0,
            "year",
            None,
            None,
            "nrplan assumption: equipment life ~10 years, and the 10-year commercial 5G "
            "licences of 2020-12-22 [https://bigdigital-cn.com/ask/16295.html]",
            "assumption",
        ),
        # --------------------------------------------------------------- energy
        _d(
            "p0_64t64r",
            580.0,
            "W",
            2020,
            None,
            "calibrated so a 3-sector site is 3 x 580 + 520 (BBU) = 2,260 W at zero load, "
            f"within CCSA idle 2.2-2.3 kW [{_CCSA}]",
            "derived",
        ),
        _d(
            "pmax_64t64r",
            1_100.0,
            "W",
            2020,
            None,
            "64T64R AAU max 1,000-1,400 W (Huawei 5G Power white paper "
            f"[{_HUAWEI_5G_POWER}]); 3 x 1,100 + 520 = 3,820 W within CCSA full load "
            f"3.7-3.9 kW [{_CCSA}]",
            "derived",
        ),
        _d(
            "pout_64t64r",
            200.0,
            "W",
            2020,
            None,
            "200 W per 100 MHz AAU typical at 3.5 GHz "
            "[https://www.telecomhall.net/t/massive-mimo-working-for-32t32r/11627]",
            "industry",
        ),
        _d(
            "p0_32t32r",
            370.0,
            "W",
            2020,
            None,
            "idle/max ratio of the 64T64R model (580/1,100 = 0.527) x 700 W (32T32R max, "
            "pmax_32t32r) [https://www.lightreading.com/mobile/5g/power-consumption-5g-"
            "basestations-are-hungry-hungry-hippos/d/d-id/749979?print=yes]",
            "derived",
        ),
        _d(
            "pmax_32t32r",
            700.0,
            "W",
            2020,
            None,
            "32T32R AAU 600-800 W, midpoint (vendor-neutral figure) "
            "[https://www.lightreading.com/mobile/5g/power-consumption-5g-basestations-are-"
            "hungry-hungry-hippos/d/d-id/749979?print=yes]",
            "industry",
        ),
        _d(
            "pout_32t32r",
            200.0,
            "W",
            2020,
            None,
            "same 200 W per 100 MHz as the 64T64R AAU "
            "[https://www.telecomhall.net/t/massive-mimo-working-for-32t32r/11627]",
            "industry",
        ),
        _d(
            "p0_8t8r",
            200.0,
            "W",
            2020,
            None,
            "8T8R 2.6 GHz RRU: idle/max ratio ~0.44 as EARTH RRH-type units; nrplan "
            f"assumption (no Chinese source found) [{_EARTH}]",
            "assumption",
        ),
        _d(
            "pmax_8t8r",
            450.0,
            "W",
            2020,
            None,
            "8T8R RRU with 8 x 20 W output: 200 + 1.56 x 160 W; nrplan assumption "
            "(no Chinese source found)",
            "assumption",
        ),
        _d(
            "pout_8t8r",
            160.0,
            "W",
            2020,
            None,
            "8 x 20 W transmit chains; nrplan assumption",
            "assumption",
        ),
        _d(
            "p0_4t4r_700",
            200.0,
            "W",
            2020,
            None,
            "700 MHz 4T4R RRU: idle/max ~0.4; nrplan assumption (no source found)",
            "assumption",
        ),
        _d(
            "pmax_4t4r_700",
            500.0,
            "W",
            2020,
            None,
            "700 MHz 4T4R RRU ~4 x 60-80 W output (recall - verify) "
            "=> 240 W out, 500 W in at full load",
            "recall",
        ),
        _d(
            "pout_4t4r_700",
            240.0,
            "W",
            2020,
            None,
            "4 x 60 W (RRU power ~4 x 60-80 W, recall - verify)",
            "recall",
        ),
        _d(
            "bbu_power",
            520.0,
            "W/site",
            2020,
            None,
            "calibrated with the 64T64R AAU: CCSA full load 3.8 kW - 3 x 1,100 W = 500 W, "
            f"idle 2.25 kW - 3 x 580 W = 510 W => 520 W [{_CCSA}]; Huawei BBU max ~2,000 W "
            f"[{_HUAWEI_5G_POWER}]",
            "derived",
        ),
        _d(
            "overhead_factor",
            1.32,
            "1",
            2011,
            None,
            "1 / ((1-0.075)(1-0.09)(1-0.10)) = 1.3200: DC-DC, mains supply (rectifier) and "
            f"cooling losses of a macro site [{_EARTH}]",
            "industry",
        ),
        _d(
            "symbol_shutdown_share",
            0.43,
            "1",
            2020,
            None,
            "share of a radio's load-independent power switched off in empty symbols; "
            "calibrated so symbol shutdown saves 20% of 64T64R AAU energy on the default "
            f"profile (China Telecom: symbol shutdown >=20% [{_CT_SAVING}]); gives an idle "
            "AAU of 0.57 x 580 = 331 W, within the 300-400 W idle quoted by CU (Li Fuchang)",
            "derived",
        ),
        _d(
            "channel_shutdown_load",
            0.20,
            "1",
            None,
            None,
            "load below which half the MIMO channels are switched off; nrplan assumption",
            "assumption",
        ),
        _d(
            "channel_shutdown_share",
            0.30,
            "1",
            None,
            None,
            "share of the load-independent power saved with half the channels off (the "
            "panel, digital front end and fans stay on); nrplan assumption",
            "assumption",
        ),
        _d(
            "carrier_capacity_ratio",
            5.0,
            "1",
            None,
            None,
            "capacity of the capacity layer (100 MHz 64T64R) over the coverage layer "
            "(2 x 30 MHz 4T4R); nrplan assumption",
            "assumption",
        ),
        _d(
            "carrier_absorb_load",
            0.5,
            "1",
            None,
            None,
            "a capacity carrier is shut only if the coverage layer then stays below this "
            "load; nrplan assumption (expansion triggers at 70-80% PRB load, "
            "https://www.5g6gacademy.com/learn/5g-capacity-planning)",
            "assumption",
        ),
        _d(
            "carrier_off_share",
            0.15,
            "1",
            None,
            None,
            "share of load-independent power still drawn by a radio whose carrier is shut; "
            "nrplan assumption",
            "assumption",
        ),
        _d(
            "deep_sleep_load",
            0.10,
            "1",
            None,
            None,
            "hours at or below this load are slept through; with the default profile this "
            f"selects 02:00-07:00 (conservative: Luoyang slept 21:00-09:00 [{_LUOYANG}], "
            "settable as SavingParams.deep_sleep_hours); nrplan assumption",
            "assumption",
        ),
        _d(
            "deep_sleep_saving",
            0.60,
            "1",
            2020,
            None,
            "share of a radio's power cut while asleep, applied to what the other features "
            "leave (multiplicative): China Telecom, deep sleep >=60% on average while asleep, "
            f">80% on the main phase-2 AAU [{_CT_SAVING}]; Luoyang Unicom/ZTE 61-74% "
            f"[{_LUOYANG}]; the low end is taken",
            "operator",
        ),
        _d(
            "traffic_profile",
            _PROFILE_24H,
            "1 (load per hour 00-23)",
            None,
            None,
            "illustrative urban weekday diurnal load: trough 04-05 h at ~7% of the 20 h peak, "
            "busy hour 20-21 h at 70% PRB load (the usual expansion trigger, "
            "https://www.5g6gacademy.com/learn/5g-capacity-planning); shape after EARTH "
            f"[{_EARTH}]",
            "assumption",
        ),
        # --------------------------------------------------------------- demand
        _d(
            "fiveg_penetration",
            (0.125, 0.216, 0.333, 0.466, 0.567, 0.659),
            "1 (end of 2020..2025)",
            2025,
            None,
            "MIIT 5G phone users / mobile users at the end of 2021-2025 (MIIT monthly and "
            "annual reports; Nov-2023 44.7%); 2020 derived: >200M 5G terminal connections / "
            f"1,594M mobile users = 12.5% [{_MIIT_2020}]",
            "official",
        ),
        _d(
            "mobile_users_m",
            (1594.0, 1643.2, 1683.2, 1743.2, 1789.5, 1828.0),
            "million (end of 2020..2025)",
            2025,
            None,
            f"2020: 1,594M, MIIT 2020 bulletin [{_MIIT_2020}]; 2021-2024: year-end totals "
            f"derived from MIIT months minus net additions since year end [{_MIIT_USERS}]; "
            "2025: end-November value (1,828M)",
            "derived",
        ),
        _d(
            "dou_gb_per_month",
            (10.35, 13.36, 15.2, 16.85, 18.0, 20.0),
            "GB/user/month (annual mean of 2020..2025)",
            2025,
            None,
            "MIIT bulletins, mean mobile data per user per month of each year (DOU): 2020 "
            f"10.35 GB [{_MIIT_2020}]; cross-check: Jan-Oct 2020 mean = Oct-2020 11.46 - 1.19 "
            f"= 10.27 GB [{_MIIT_2020_OCT}]; 2021 13.36, 2022 15.2, 2023 16.85, 2024 ~18 "
            "(recall - verify; months: Oct-2021 14.32, Apr-2022 15.19, Jun-2023 16.78, "
            f"Jun-2024 18.15 [{_MIIT_DOU_MONTHS}]); 2025: Apr-2025 >20 GB, a lower bound. "
            "The December value (Dec-2020 ~11.9 GB) is the peak month of a rising year and "
            "is not used: a year's traffic is users x annual mean x 12. Status: the 2020 "
            "mean is confirmed by the MIIT Jan-Oct figure; 2021-2024 are recall - verify",
            "recall",
        ),
        _d(
            "dou_growth",
            0.167,
            "1/year",
            2023,
            None,
            "MIIT DOU Dec-2020 ~11.9 -> Dec-2023 ~18.9 GB: (18.9/11.9)^(1/3) - 1 = 16.7%/year "
            f"[{_MIIT_DOU_MONTHS}]; the annual means give (16.85/10.35)^(1/3) - 1 = 17.6%",
            "derived",
        ),
        _d(
            "fiveg_dou_uplift",
            0.237,
            "1",
            2020,
            None,
            "China Mobile 2020 results: +23.7% data usage after a user moves to a 5G plan "
            "(operator figure, no URL at hand)",
            "operator",
        ),
        _d(
            "busy_hour_share",
            0.08,
            "1",
            None,
            None,
            "busy hour = 7-10% of a day's traffic (8-12 busy hours per day); 8 busy hours per "
            f"day (12.5%) in a worked example [{_BUSY_HOUR}]; 0.08 taken (recall - verify)",
            "recall",
        ),
        _d(
            "busy_days_per_month",
            22.0,
            "day/month",
            None,
            None,
            f"20-24 busy days per month; 20 in the worked example of [{_BUSY_HOUR}] "
            "(recall - verify)",
            "recall",
        ),
        _d(
            "ul_dl_ratio",
            0.10,
            "1",
            None,
            None,
            "smartphone uplink volume ~1/10 of the downlink; nrplan assumption, override for "
            "uplink-heavy (industrial) demand",
            "assumption",
        ),
        _d(
            "built_up_density",
            44253.74e4 / 60721.32,
            "people/km^2",
            2020,
            None,
            "mean built-up density of China's cities: MOHURD 2020 city (城区) population "
            "44,253.74万 / city built-up area 60,721.32 km^2 = 7,288 people/km^2, MOHURD 2021 "
            f"城乡建设统计年鉴 [{_MOHURD}]",
            "derived",
        ),
        # ------------------------------------------------- planning targets
        _d(
            "target_rsrp_dbm",
            -110.0,
            "dBm",
            2020,
            None,
            "SS-RSRP every planned user must reach (body loss, O2I and shadowing included): "
            "Chinese operators' 3.5 GHz acceptance SS-RSRP -105..-110 dBm, the lenient end "
            "(recall - verify); field UL 1.0-1.8 Mbit/s at SS-RSRP -110 dBm "
            f"[{_HINDAWI_UL}]",
            "recall",
        ),
        _d(
            "target_sinr_db",
            -3.0,
            "dB",
            2020,
            None,
            "SS-SINR every planned user must reach, SSB against the neighbours' SSBs at full "
            "load (synchronised TDD networks send all SSBs in the same symbols); operators' "
            "acceptance criteria (recall - verify)",
            "recall",
        ),
        _d(
            "target_area_coverage",
            0.95,
            "1",
            None,
            None,
            "outdoor area and outdoor users covered: RF-planning guide, outdoor 95-98%, the "
            f"lower end [{_RF_GUIDE}]",
            "industry",
        ),
        _d(
            "target_indoor_coverage",
            0.85,
            "1",
            None,
            None,
            "indoor users covered from outdoor sites: RF-planning guide, in-building 85-90%, "
            f"the lower end (deep indoor left to indoor systems) [{_RF_GUIDE}]",
            "industry",
        ),
        _d(
            "target_edge_dl_mbps",
            10.0,
            "Mbit/s",
            2020,
            None,
            "cell-edge DL user rate at the 5th percentile of the covered users: China Telecom "
            f"3D-UMa link budget [{_CT_LINK_BUDGET}] (industry - verify)",
            "industry",
        ),
        _d(
            "target_edge_ul_mbps",
            1.0,
            "Mbit/s",
            2020,
            None,
            f"cell-edge UL user rate: China Telecom 3D-UMa link budget [{_CT_LINK_BUDGET}]; "
            f"field UL 1.0-1.8 Mbit/s at SS-RSRP -110 dBm [{_HINDAWI_UL}]",
            "industry",
        ),
        _d(
            "target_load_limit",
            0.7,
            "1",
            None,
            None,
            "maximum busy-hour PRB load of a cell: capacity expansion is triggered at 70-80% "
            "PRB utilisation, the lower end [https://www.5g6gacademy.com/learn/5g-capacity-"
            "planning]",
            "industry",
        ),
        # ------------------------------------------------- operator shares
        _d(
            "user_share_cm",
            942.0 / 1594.0,
            "1",
            2020,
            None,
            "China Mobile's share of China's mobile users at end-2020: 942 M mobile customers "
            "(China Mobile 2020 annual results) / 1,594 M mobile users (MIIT 2020 bulletin "
            f"[{_MIIT_2020}]) = 0.591; China Telecom + China Unicom carry the complement "
            "(0.409, so the two national networks carry every user once)",
            "derived",
        ),
        # ------------------------------------------------- private networks
        _d(
            "small_cell_tco_share_indoor",
            0.10,
            "1",
            2013,
            None,
            "TCO of a small cell is 10-25% of a macro cell's TCO depending on its "
            f"configuration [{_SENZA_FILI}]; indoor ceiling units (no site rent, PoE/"
            "Ethernet, enterprise premises) taken at the low end: nrplan's reading",
            "derived",
        ),
        _d(
            "small_cell_tco_share_outdoor",
            0.25,
            "1",
            2013,
            None,
            "TCO of a small cell is 10-25% of a macro cell's TCO depending on its "
            f"configuration [{_SENZA_FILI}]; outdoor pole units (own pole, fibre, "
            "weatherproof radio) taken at the high end: nrplan's reading",
            "derived",
        ),
        _d(
            "pmax_small_cell_indoor",
            70.0,
            "W",
            2020,
            None,
            "enterprise small cell < 70 W, home < 30 W "
            "[http://esxun.cn/internet/2251.html]; the upper bound is taken",
            "industry",
        ),
        _d(
            "pmax_micro_pole",
            200.0,
            "W",
            2020,
            None,
            "Guangdong smart-pole standard: 5G micro station 150-200 W per device, macro "
            "1,000-1,500 W (industry figure, no URL at hand); the upper "
            "bound is taken",
            "industry",
        ),
        _d(
            "small_cell_idle_share",
            0.29,
            "1",
            2020,
            None,
            "idle / full-load input power of a 5G radio: AAU idle 300-400 W (CU, Li Fuchang) "
            f"over max 1,000-1,400 W [{_HUAWEI_5G_POWER}] = 350 / 1,200 = 0.29; "
            "applied to small cells as an nrplan assumption",
            "derived",
        ),
        _d(
            "private_hours_per_day",
            24.0,
            "h/day",
            None,
            None,
            "private industrial networks run around the clock (continuous shifts, "
            "unattended sensors); nrplan assumption, override per site",
            "assumption",
        ),
        _d(
            "adoption_t0",
            2019.0,
            "year",
            2019,
            None,
            "Bass-model start: commercial 5G launch in China on 2019-10-31 (MIIT), taken as "
            "end-2019 with ~0 users",
            "recall",
        ),
    )
}


PRICE_YEAR = 2020
"""Price year of every money default (CNY at 2020 prices); nrplan does no inflation conversion."""

#: Environment variable that lifts the :data:`PLAUSIBLE` ranges (finite values only).
ALLOW_IMPLAUSIBLE_ENV = "NRPLAN_ALLOW_IMPLAUSIBLE"

PLAUSIBLE: dict[str, tuple[float, float, str, str]] = {
    # name: (lo, hi, hint if below lo, hint if above hi), in the unit of DEFAULTS[name]
    "electricity_price": (0.0, 10.0, "", "did you give CNY/MWh?"),
    "grid_co2_factor": (0.0, 2.0, "", "did you give g/kWh?"),
    "cny_per_usd": (1.0, 20.0, "did you give USD per CNY?", "did you give CNY per 1000 USD?"),
    "tower_fee_per_tenancy": (0.0, 1e6, "", "per tenancy and year, not for a whole network"),
    "tower_fee_colocated": (0.0, 1e6, "", "per site and year, not for a whole network"),
}
"""Plausible ranges of user-settable defaults where a unit slip (x1000) is likely.

A value outside its range is refused with a hint at the likely slip; to use
one on purpose (a scenario far from 2020 China), set the environment variable
``NRPLAN_ALLOW_IMPLAUSIBLE=1`` (values must still be finite).

:func:`check_plausible` enforces them wherever the value comes from
(``CostParams``, :func:`nrplan.econ.energy.site_energy`, roll-outs, plan economics).
"""


def check_plausible(name: str, v: float, field: str | None = None) -> float:
    """Return ``v`` as float if it is finite and within :data:`PLAUSIBLE` ``[name]``.

    Raises
    ------
    NrplanInputError
        Naming ``field`` (default ``name``), the value and the range with its
        unit, plus a hint at the likely unit slip.
    """
    lo, hi, hint_lo, hint_hi = PLAUSIBLE[name]
    if os.environ.get(ALLOW_IMPLAUSIBLE_ENV, "") == "1":  # on purpose: finite only
        check_range(field or name, v, unit=DEFAULTS[name].unit)
        return float(v)
    try:
        check_range(field or name, v, lo, hi, unit=DEFAULTS[name].unit)
    except NrplanInputError as exc:
        x = exc.value
        hint = hint_lo if x < lo else hint_hi if hi < x < float("inf") else ""
        if x == x and abs(x) != float("inf"):
            hint = f"{hint}; " if hint else ""
            hint += f"set {ALLOW_IMPLAUSIBLE_ENV}=1 to use it on purpose"
        allowed = f"{exc.allowed} ({hint})" if hint else exc.allowed
        raise NrplanInputError(exc.field, x, allowed) from None
    return float(v)


def default(name: str) -> Default:
    """Return the :class:`Default` registered as ``name``.

    Raises
    ------
    NrplanInputError
        If ``name`` is unknown (the message lists the valid names).
    """
    return DEFAULTS[check_choice("default", name, DEFAULTS)]


def value(name: str) -> float:
    """Return the scalar value of the default ``name`` (see :data:`DEFAULTS`)."""
    v = default(name).value
    if isinstance(v, tuple):
        raise TypeError(f"default {name!r} is a series; use default({name!r}).value")
    return float(v)


def year_value(name: str, year: int) -> float:
    """Return the value of the per-year series ``name`` for ``year`` (see :data:`YEARS`).

    Raises
    ------
    NrplanInputError
        If ``year`` is not in :data:`YEARS`.
    """
    v = default(name).value
    if not isinstance(v, tuple) or len(v) != len(YEARS):
        raise TypeError(f"default {name!r} is not a per-year series of {YEARS}")
    if int(year) not in YEARS:
        raise NrplanInputError("year", year, f"{YEARS[0]}..{YEARS[-1]}")
    return float(v[YEARS.index(int(year))])


def defaults_rows() -> list[dict[str, object]]:
    """Return :data:`DEFAULTS` as JSON-ready rows, one per default.

    Returns
    -------
    list of dict
        Keys ``name, value, unit, year, currency, status, source, refs``;
        ``value`` is a list for a series, ``refs`` a list of
        ``docs/sources.md#<anchor>`` strings.
    """
    return [
        {
            "name": d.name,
            "value": list(d.value) if isinstance(d.value, tuple) else d.value,
            "unit": d.unit,
            "year": d.year,
            "currency": d.currency,
            "status": d.status,
            "source": d.source,
            "refs": [f"docs/sources.md#{r}" for r in d.refs],
        }
        for d in DEFAULTS.values()
    ]


def defaults_table():
    """Return :data:`DEFAULTS` as a :class:`pandas.DataFrame`, one row per default.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, value, unit, year, currency, status, source``.
    """
    import pandas as pd

    rows = [{k: v for k, v in r.items() if k != "refs"} for r in defaults_rows()]
    for r, d in zip(rows, DEFAULTS.values(), strict=True):
        r["value"] = d.value
    return pd.DataFrame(rows)
