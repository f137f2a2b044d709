"""NR bands as deployed in China (2020): frequency, carriers, TDD frame, power, antenna.

Each :class:`Band` is a default set of a band's planning parameters; every
field is overridable with :func:`dataclasses.replace`. Sources are given per
field group in ``source`` and in the comments below; facts not
confirmed at a source are tagged ``[recall - verify]``.

References
----------
3GPP TS 38.101-1 V17.0.0, Table 5.2-1 (NR operating bands n28, n41, n78, n79),
Table 5.3.2-1 (N_RB), Table 6.2.1-1 (UE power classes: PC3 23 dBm; PC2 26 dBm
for n41, n77, n78, n79), clause 7.3 (4 Rx ports mandatory for n41/n77/n78/n79).
ITU-R M.2412-0 (2017), Table 8-2/8-4 (evaluation noise figures: BS 5 dB, UE 7 dB).
MIIT 5G licences (trial Dec 2018, commercial 2020-12-22), https://bigdigital-cn.com/ask/16295.html;
AAU power: https://www.telecomhall.net/t/massive-mimo-working-for-32t32r/11627.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nrplan.errors import NrplanInputError, check_choice
from nrplan.radio.antenna import ANTENNA_PROFILES
from nrplan.radio.nr import TddPattern, n_prb, numerology

__all__ = ["BANDS", "UE_POWER_CLASS_DBM", "Band", "get_band"]

# TS 38.101-1 V17.0.0, Table 6.2.1-1: UE maximum output power per power class [dBm].
UE_POWER_CLASS_DBM: dict[int, float] = {2: 26.0, 3: 23.0}

# ITU-R M.2412-0 evaluation configurations (Dense Urban-eMBB / Urban Macro):
# BS noise figure 5 dB, UE noise figure 7 dB.
_GNB_NF_DB = 5.0
_UE_NF_DB = 7.0


def _w_to_dbm(watts: float) -> float:
    return 10.0 * math.log10(watts * 1000.0)


@dataclass(frozen=True)
class Band:
    """Planning parameters of one NR band / operator deployment.

    Attributes
    ----------
    name : str
        Registry key (e.g. ``"n78"``).
    f_c_ghz : float
        Downlink centre frequency [GHz].
    carriers_mhz : tuple of float
        Channel bandwidth of each NR carrier [MHz] (FR1 carriers are at most
        100 MHz, so wider allocations are several carriers).
    scs_khz : float
        Subcarrier spacing [kHz].
    duplex : {"tdd", "fdd"}
        Duplex mode.
    tdd_pattern : str or None
        TDD slot pattern with special split, ``"DDDSU:10:2:2"`` style; None for FDD.
    power_dbm : float
        Total transmit power per sector, all carriers [dBm].
    antenna : str
        Antenna profile name (:data:`nrplan.radio.antenna.ANTENNA_PROFILES`).
    gnb_nf_db, ue_nf_db : float
        Noise figures [dB].
    ue_power_class : int
        UE power class (TS 38.101-1 Table 6.2.1-1): 3 = 23 dBm, 2 = 26 dBm.
    max_dl_layers, max_ul_layers : int
        MIMO layers of a typical UE.
    f_c_ul_ghz : float or None
        Uplink centre frequency for FDD [GHz]; None = same as ``f_c_ghz``.
    source : str
        Where the values come from.
    """

    name: str
    f_c_ghz: float
    carriers_mhz: tuple[float, ...]
    scs_khz: float
    duplex: str
    tdd_pattern: str | None
    power_dbm: float
    antenna: str
    gnb_nf_db: float
    ue_nf_db: float
    ue_power_class: int
    max_dl_layers: int
    max_ul_layers: int
    source: str
    f_c_ul_ghz: float | None = None

    def __post_init__(self) -> None:
        check_choice("duplex", self.duplex, ("tdd", "fdd"))
        check_choice("antenna", self.antenna, ANTENNA_PROFILES)
        check_choice("ue_power_class", str(self.ue_power_class), ("2", "3"))
        numerology(self.scs_khz)
        for bw in self.carriers_mhz:
            n_prb(bw, self.scs_khz)
        if (self.duplex == "tdd") != (self.tdd_pattern is not None):
            raise NrplanInputError(
                "tdd_pattern", self.tdd_pattern, "a pattern for TDD bands, None for FDD"
            )
        if self.tdd_pattern is not None:
            TddPattern.parse(self.tdd_pattern)

    @property
    def bandwidth_mhz(self) -> float:
        """Total channel bandwidth of all carriers [MHz]."""
        return float(sum(self.carriers_mhz))

    @property
    def bandwidth_hz(self) -> float:
        """Total channel bandwidth [Hz]."""
        return self.bandwidth_mhz * 1e6

    @property
    def n_prb(self) -> int:
        """Resource blocks over all carriers (TS 38.101-1 Table 5.3.2-1)."""
        return sum(n_prb(bw, self.scs_khz) for bw in self.carriers_mhz)

    @property
    def tdd(self) -> TddPattern | None:
        """Parsed TDD pattern (None for FDD)."""
        return None if self.tdd_pattern is None else TddPattern.parse(self.tdd_pattern)

    @property
    def ue_power_dbm(self) -> float:
        """UE maximum output power of the power class [dBm]."""
        return UE_POWER_CLASS_DBM[self.ue_power_class]

    @property
    def f_ul_ghz(self) -> float:
        """Uplink centre frequency [GHz]."""
        return self.f_c_ghz if self.f_c_ul_ghz is None else self.f_c_ul_ghz


_NF_SRC = "NF: ITU-R M.2412-0 (BS 5 dB, UE 7 dB)"
_LICENCES = "MIIT licences, https://bigdigital-cn.com/ask/16295.html [official]"
_AAU_200W = "https://www.telecomhall.net/t/massive-mimo-working-for-32t32r/11627 [industry]"
_PC2_SRC = "UE PC2 26 dBm HPUE: TS 38.101-1 Table 6.2.1-1 (n41/n78/n79); 4 Rx: TS 38.101-1 7.3"
_TDD_25 = (
    "TDD 2.5 ms double period DDDSUDDSUU, S = 10:2:2 (China Telecom / China Unicom 3.5 GHz "
    "frame, industry practice [recall - verify])"
)
_TDD_5 = (
    "TDD 5 ms DDDDDDDSUU, S = 6:4:4 (China Mobile 2.6 GHz frame, aligned with TD-LTE, "
    "industry practice [recall - verify])"
)

BANDS: dict[str, Band] = {
    "n78": Band(
        name="n78",
        f_c_ghz=3.5,
        carriers_mhz=(100.0,),
        scs_khz=30.0,
        duplex="tdd",
        tdd_pattern="DDDSUDDSUU:10:2:2",
        power_dbm=_w_to_dbm(200.0),
        antenna="64t64r",
        gnb_nf_db=_GNB_NF_DB,
        ue_nf_db=_UE_NF_DB,
        ue_power_class=2,
        max_dl_layers=4,
        max_ul_layers=2,
        source=(
            "China Telecom 3400-3500 / China Unicom 3500-3600 MHz, 100 MHz each "
            "("
            + _LICENCES
            + "); 200 W per 100 MHz 64T64R AAU = 53.0 dBm ("
            + _AAU_200W
            + "); "
            + _TDD_25
            + "; "
            + _NF_SRC
            + "; "
            + _PC2_SRC
            + "; UL 2 layers (2T4R UE)."
        ),
    ),
    "n78-shared": Band(
        name="n78-shared",
        f_c_ghz=3.5,
        carriers_mhz=(100.0, 100.0),
        scs_khz=30.0,
        duplex="tdd",
        tdd_pattern="DDDSUDDSUU:10:2:2",
        power_dbm=_w_to_dbm(320.0),
        antenna="64t64r",
        gnb_nf_db=_GNB_NF_DB,
        ue_nf_db=_UE_NF_DB,
        ue_power_class=2,
        max_dl_layers=4,
        max_ul_layers=2,
        source=(
            "CT + CU shared RAN pooling the contiguous 3400-3600 MHz as 2 x 100 MHz carriers "
            "(" + _LICENCES + "); 320 W AAU for 200 MHz = 55.1 dBm "
            "([recall - verify]); " + _TDD_25 + "; " + _NF_SRC + "; " + _PC2_SRC + "."
        ),
    ),
    "n41": Band(
        name="n41",
        f_c_ghz=2.595,
        carriers_mhz=(100.0, 60.0),
        scs_khz=30.0,
        duplex="tdd",
        tdd_pattern="DDDDDDDSUU:6:4:4",
        power_dbm=_w_to_dbm(320.0),
        antenna="64t64r",
        gnb_nf_db=_GNB_NF_DB,
        ue_nf_db=_UE_NF_DB,
        ue_power_class=2,
        max_dl_layers=4,
        max_ul_layers=2,
        source=(
            "China Mobile 2515-2675 MHz = 160 MHz, centre 2595 MHz, as 100 + 60 MHz carriers "
            "(" + _LICENCES + "); 320 W AAU for 160 MHz = 55.1 dBm "
            "([recall - verify]); " + _TDD_5 + "; " + _NF_SRC + "; " + _PC2_SRC + "."
        ),
    ),
    "n79": Band(
        name="n79",
        f_c_ghz=4.85,
        carriers_mhz=(100.0,),
        scs_khz=30.0,
        duplex="tdd",
        tdd_pattern="DDDDDDDSUU:6:4:4",
        power_dbm=_w_to_dbm(200.0),
        antenna="64t64r",
        gnb_nf_db=_GNB_NF_DB,
        ue_nf_db=_UE_NF_DB,
        ue_power_class=2,
        max_dl_layers=4,
        max_ul_layers=2,
        source=(
            "China Mobile 4800-4900 MHz, 100 MHz (" + _LICENCES + "); 200 W per 100 MHz AAU as "
            "for n78 (" + _AAU_200W + "); frame aligned with "
            "China Mobile n41: " + _TDD_5 + "; " + _NF_SRC + "; " + _PC2_SRC + "."
        ),
    ),
    "n28": Band(
        name="n28",
        f_c_ghz=0.773,
        f_c_ul_ghz=0.718,
        carriers_mhz=(30.0,),
        scs_khz=15.0,
        duplex="fdd",
        tdd_pattern=None,
        power_dbm=_w_to_dbm(4 * 60.0),
        antenna="4t4r",
        gnb_nf_db=_GNB_NF_DB,
        ue_nf_db=_UE_NF_DB,
        ue_power_class=3,
        max_dl_layers=2,
        max_ul_layers=1,
        source=(
            "China Broadnet / China Mobile 700 MHz: 2 x 30 MHz NR of 703-743 / 758-798 MHz, "
            "DL 758-788 (centre 773), UL 703-733 (centre 718) MHz (MIIT 无[2020]50号 via "
            "http://networktelecom.cn/dianxin/MJ/202104_02/files/basic-html/page18.html "
            "[industry]); 4T4R RRU 4 x 60 W = 53.8 dBm with passive antenna "
            "([recall - verify]); 15 kHz SCS; "
            + _NF_SRC
            + "; UE PC3 23 dBm (TS 38.101-1 Table 6.2.1-1), 2 Rx / 1 Tx."
        ),
    ),
}


def get_band(name: str | Band) -> Band:
    """Band by name (error lists the valid ones)."""
    if isinstance(name, Band):
        return name
    return BANDS[check_choice("band", name, BANDS)]
