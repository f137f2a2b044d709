"""NR numerology, TDD patterns, CQI/MCS tables, spectral efficiency and rates.

Everything a link budget or a rate map needs from the NR physical layer:

- numerology ``mu`` from the subcarrier spacing (TS 38.211 4.2) and the number
  of resource blocks per channel bandwidth (TS 38.101-1 Table 5.3.2-1, FR1);
- TDD slot patterns (``"DDDSU"``, ``"DDDDDDDSUU"``, ``"DDDSUDDSUU"``, ...) with
  a configurable special-slot split, giving DL and UL symbol fractions;
- the CQI tables of TS 38.214 (Tables 5.2.2.1-2 and -3) and MCS tables
  (Tables 5.1.3.1-1 and -2) as data, SINR thresholds per CQI, and a truncated
  Shannon alternative (TR 36.942 Annex A.2, adapted to NR);
- the TS 38.306 4.1.2 peak data rate and a user rate from SINR.

References
----------
3GPP TS 38.211 V17.0.0, clause 4.2 (numerologies), 4.3.2 (slots).
3GPP TS 38.101-1 V17.0.0, Table 5.3.2-1 (maximum transmission bandwidth N_RB).
3GPP TS 38.214 V17.0.0, Tables 5.1.3.1-1, 5.1.3.1-2, 5.2.2.1-2, 5.2.2.1-3.
3GPP TS 38.306 V17.0.0, clause 4.1.2 (approximate maximum data rate).
3GPP TR 36.942 V17.0.0, Annex A.2 (truncated Shannon bound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "CQI_TABLES",
    "MCS_TABLES",
    "N_RB_TABLE_5_3_2_1",
    "OVERHEAD_FR1",
    "R_MAX",
    "SCALING_FACTORS",
    "SE_METHODS",
    "SHANNON_GAP_DB",
    "SYMBOLS_PER_SLOT",
    "TRUNCATED_SHANNON",
    "TddPattern",
    "cqi_sinr_thresholds_db",
    "n_prb",
    "numerology",
    "peak_rate_mbps",
    "re_rate_per_s",
    "required_sinr_db",
    "spectral_efficiency",
    "user_rate_mbps",
]

SYMBOLS_PER_SLOT = 14
"""OFDM symbols per slot, normal cyclic prefix (TS 38.211 Table 4.3.2-1)."""

# TS 38.101-1 V17.0.0, Table 5.3.2-1: maximum transmission bandwidth configuration
# N_RB (FR1) per SCS [kHz] and channel bandwidth [MHz]. Missing combinations are N/A.
N_RB_TABLE_5_3_2_1: dict[int, dict[int, int]] = {
    15: {5: 25, 10: 52, 15: 79, 20: 106, 25: 133, 30: 160, 35: 188, 40: 216, 45: 242, 50: 270},
    30: {
        5: 11, 10: 24, 15: 38, 20: 51, 25: 65, 30: 78, 35: 92, 40: 106, 45: 119, 50: 133,
        60: 162, 70: 189, 80: 217, 90: 245, 100: 273,
    },
    60: {
        10: 11, 15: 18, 20: 24, 25: 31, 30: 38, 35: 44, 40: 51, 45: 58, 50: 65,
        60: 79, 70: 93, 80: 107, 90: 121, 100: 135,
    },
}  # fmt: skip

# TS 38.214 V17.0.0, Table 5.2.2.1-2 ("CQI Table 1", up to 64QAM) and
# Table 5.2.2.1-3 ("CQI Table 2", up to 256QAM):
# CQI index -> (modulation order Q_m, code rate x 1024, efficiency [bit/RE]).
# CQI 0 ("out of range") is left out.
CQI_TABLE_5_2_2_1_2: dict[int, tuple[int, float, float]] = {
    1: (2, 78, 0.1523), 2: (2, 120, 0.2344), 3: (2, 193, 0.3770), 4: (2, 308, 0.6016),
    5: (2, 449, 0.8770), 6: (2, 602, 1.1758), 7: (4, 378, 1.4766), 8: (4, 490, 1.9141),
    9: (4, 616, 2.4063), 10: (6, 466, 2.7305), 11: (6, 567, 3.3223), 12: (6, 666, 3.9023),
    13: (6, 772, 4.5234), 14: (6, 873, 5.1152), 15: (6, 948, 5.5547),
}  # fmt: skip
CQI_TABLE_5_2_2_1_3: dict[int, tuple[int, float, float]] = {
    1: (2, 78, 0.1523), 2: (2, 193, 0.3770), 3: (2, 449, 0.8770), 4: (4, 378, 1.4766),
    5: (4, 490, 1.9141), 6: (4, 616, 2.4063), 7: (6, 466, 2.7305), 8: (6, 567, 3.3223),
    9: (6, 666, 3.9023), 10: (6, 772, 4.5234), 11: (6, 873, 5.1152), 12: (8, 711, 5.5547),
    13: (8, 797, 6.2266), 14: (8, 885, 6.9141), 15: (8, 948, 7.4063),
}  # fmt: skip
CQI_TABLES: dict[str, dict[int, tuple[int, float, float]]] = {
    "table1": CQI_TABLE_5_2_2_1_2,
    "table2": CQI_TABLE_5_2_2_1_3,
}

# TS 38.214 V17.0.0, Table 5.1.3.1-1 (MCS index table 1 for PDSCH, 64QAM) and
# Table 5.1.3.1-2 (MCS index table 2, 256QAM): I_MCS -> (Q_m, R x 1024, efficiency).
# Reserved indices (29-31 and 28-31) are left out.
MCS_TABLE_5_1_3_1_1: dict[int, tuple[int, float, float]] = {
    0: (2, 120, 0.2344), 1: (2, 157, 0.3066), 2: (2, 193, 0.3770), 3: (2, 251, 0.4902),
    4: (2, 308, 0.6016), 5: (2, 379, 0.7402), 6: (2, 449, 0.8770), 7: (2, 526, 1.0273),
    8: (2, 602, 1.1758), 9: (2, 679, 1.3262), 10: (4, 340, 1.3281), 11: (4, 378, 1.4766),
    12: (4, 434, 1.6953), 13: (4, 490, 1.9141), 14: (4, 553, 2.1602), 15: (4, 616, 2.4063),
    16: (4, 658, 2.5703), 17: (6, 438, 2.5664), 18: (6, 466, 2.7305), 19: (6, 517, 3.0293),
    20: (6, 567, 3.3223), 21: (6, 616, 3.6094), 22: (6, 666, 3.9023), 23: (6, 719, 4.2129),
    24: (6, 772, 4.5234), 25: (6, 822, 4.8164), 26: (6, 873, 5.1152), 27: (6, 910, 5.3320),
    28: (6, 948, 5.5547),
}  # fmt: skip
MCS_TABLE_5_1_3_1_2: dict[int, tuple[int, float, float]] = {
    0: (2, 120, 0.2344), 1: (2, 193, 0.3770), 2: (2, 308, 0.6016), 3: (2, 449, 0.8770),
    4: (2, 602, 1.1758), 5: (4, 378, 1.4766), 6: (4, 434, 1.6953), 7: (4, 490, 1.9141),
    8: (4, 553, 2.1602), 9: (4, 616, 2.4063), 10: (4, 658, 2.5703), 11: (6, 466, 2.7305),
    12: (6, 517, 3.0293), 13: (6, 567, 3.3223), 14: (6, 616, 3.6094), 15: (6, 666, 3.9023),
    16: (6, 719, 4.2129), 17: (6, 772, 4.5234), 18: (6, 822, 4.8164), 19: (6, 873, 5.1152),
    20: (8, 682.5, 5.3320), 21: (8, 711, 5.5547), 22: (8, 754, 5.8906), 23: (8, 797, 6.2266),
    24: (8, 841, 6.5703), 25: (8, 885, 6.9141), 26: (8, 916.5, 7.1602), 27: (8, 948, 7.4063),
}  # fmt: skip
MCS_TABLES: dict[str, dict[int, tuple[int, float, float]]] = {
    "table1": MCS_TABLE_5_1_3_1_1,
    "table2": MCS_TABLE_5_1_3_1_2,
}

SHANNON_GAP_DB = 3.0
"""SNR gap to Shannon capacity used to derive the CQI SINR thresholds [dB].

TS 38.214 5.2.2.1 defines a CQI as the highest entry a UE can receive at a
transport-block error rate <= 10 %, but leaves the SINR to link-level
simulation. nrplan derives the thresholds as the SINR at which the Shannon
capacity of an AWGN channel, less this gap, equals the CQI efficiency:
``SINR_k = (2**SE_k - 1) * 10**(gap/10)``. A ~3 dB gap is the classic value
for practical coded modulation (LDPC/turbo at 10 % BLER with real channel
estimation); it puts CQI 1 (0.1523 bit/RE) at -6.5 dB and 64QAM CQI 15
(5.5547) at 19.6 dB, in line with the 10 % BLER AWGN thresholds published for
LTE/NR link-level simulators (about -7 dB and 20 dB). Overridable.
"""

# TR 36.942 V17.0.0, Annex A.2, Table A.2-1 (DL): alpha = 0.6, SINR_min = -10 dB,
# Thr_max = 4.4 bit/s/Hz (LTE, 64QAM). nrplan keeps alpha and SINR_min and sets the
# maximum to the NR 256QAM peak efficiency, CQI Table 2 index 15 = 7.4063 bit/RE
# (TS 38.214 Table 5.2.2.1-3); "se_max_64qam" is the NR CQI Table 1 peak (5.5547).
TRUNCATED_SHANNON: dict[str, float] = {
    "alpha": 0.6,
    "sinr_min_db": -10.0,
    "se_max": 7.4063,
    "se_max_64qam": 5.5547,
}

SE_METHODS = ("cqi-table2", "cqi-table1", "shannon")

# TS 38.306 V17.0.0, 4.1.2: R_max = 948/1024; overhead OH for FR1.
R_MAX = 948.0 / 1024.0
OVERHEAD_FR1: dict[str, float] = {"dl": 0.14, "ul": 0.08}
SCALING_FACTORS = (1.0, 0.8, 0.75, 0.4)
_QAM_TO_QM = {4: 2, 16: 4, 64: 6, 256: 8, 1024: 10}
_MAX_LAYERS = {"dl": 8, "ul": 4}


def numerology(scs_khz: float) -> int:
    """Numerology ``mu`` of a subcarrier spacing: ``scs = 15 * 2**mu`` kHz.

    Parameters
    ----------
    scs_khz : float
        Subcarrier spacing [kHz]: 15, 30, 60, 120, 240 or 480.

    Returns
    -------
    int
        ``mu`` (0..5).

    References
    ----------
    3GPP TS 38.211 V17.0.0, clause 4.2, Table 4.2-1.
    """
    allowed = {15: 0, 30: 1, 60: 2, 120: 3, 240: 4, 480: 5}
    try:
        key = int(scs_khz)
    except (TypeError, ValueError):
        key = None
    if key is None or key != scs_khz or key not in allowed:
        raise NrplanInputError("scs_khz", scs_khz, "one of 15, 30, 60, 120, 240, 480 kHz")
    return allowed[key]


def n_prb(bw_mhz: float, scs_khz: float) -> int:
    """Number of resource blocks N_RB of an FR1 channel (TS 38.101-1 Table 5.3.2-1).

    Parameters
    ----------
    bw_mhz : float
        Channel bandwidth [MHz].
    scs_khz : float
        Subcarrier spacing [kHz]: 15, 30 or 60 (FR1).

    Returns
    -------
    int
        Maximum transmission bandwidth configuration N_RB.

    Raises
    ------
    NrplanInputError
        When the SCS is not an FR1 SCS or the bandwidth is not defined for it
        (e.g. 60 MHz at 15 kHz, 5 MHz at 60 kHz).

    References
    ----------
    3GPP TS 38.101-1 V17.0.0, Table 5.3.2-1.
    """
    if scs_khz not in N_RB_TABLE_5_3_2_1:
        raise NrplanInputError("scs_khz", scs_khz, "15, 30 or 60 kHz (FR1)")
    row = N_RB_TABLE_5_3_2_1[int(scs_khz)]
    if bw_mhz not in row:
        raise NrplanInputError(
            "bw_mhz",
            bw_mhz,
            f"one of {', '.join(str(b) for b in row)} MHz at {int(scs_khz)} kHz SCS "
            "(TS 38.101-1 Table 5.3.2-1)",
        )
    return row[int(bw_mhz)]


@dataclass(frozen=True)
class TddPattern:
    """A TDD slot pattern with its special-slot split.

    Attributes
    ----------
    pattern : str
        One letter per slot: ``D`` downlink, ``U`` uplink, ``S`` special
        (e.g. ``"DDDSU"``; the 2.5 ms double period ``"DDDSUDDSUU"``).
    special : tuple of int
        Special-slot split (DL, guard, UL) symbols, summing to 14.

    Notes
    -----
    Symbol fractions count the DL (UL) symbols of the D (U) slots plus the DL
    (UL) symbols of the special slots over all symbols of the period; guard
    symbols carry nothing. Overheads inside the slots (DMRS, PDCCH, SSB,
    SRS, ...) are not part of this and are taken by the TS 38.306 overhead.

    References
    ----------
    3GPP TS 38.213 V17.0.0, clause 11.1 (slot configuration
    ``tdd-UL-DL-ConfigurationCommon``); TS 38.211 Table 4.3.2-1 (14 symbols per
    slot, normal CP).
    """

    pattern: str
    special: tuple[int, int, int] = (10, 2, 2)

    def __post_init__(self) -> None:
        p = str(self.pattern).strip().upper()
        if not p or set(p) - set("DSU") or len(p) > 320:
            raise NrplanInputError(
                "tdd", self.pattern, "a string of D, S and U slots, e.g. DDDSU or DDDSUDDSUU"
            )
        sp = tuple(int(v) for v in self.special)
        if len(sp) != 3 or min(sp) < 0 or sum(sp) != SYMBOLS_PER_SLOT:
            raise NrplanInputError(
                "special", self.special, "three non-negative symbol counts D:G:U summing to 14"
            )
        object.__setattr__(self, "pattern", p)
        object.__setattr__(self, "special", sp)

    @classmethod
    def parse(cls, text: str, special: tuple[int, int, int] | str | None = None) -> TddPattern:
        """Build a pattern from ``"DDDSU"`` or ``"DDDSU:10:2:2"``.

        Parameters
        ----------
        text : str
            Slot letters, optionally followed by ``:D:G:U`` special-slot symbols.
        special : tuple or str, optional
            Special-slot split, e.g. ``(6, 4, 4)`` or ``"6:4:4"``; default 10:2:2.
        """
        raw = str(text).strip()
        if ":" in raw:
            raw, _, rest = raw.partition(":")
            if special is None:
                special = rest
        if isinstance(special, str):
            try:
                special = tuple(int(v) for v in special.replace(",", ":").split(":"))
            except ValueError:
                raise NrplanInputError("special", special, "D:G:U symbols, e.g. 10:2:2") from None
        return cls(raw, (10, 2, 2) if special is None else tuple(special))

    @property
    def n_slots(self) -> int:
        """Slots per period."""
        return len(self.pattern)

    @property
    def dl_fraction(self) -> float:
        """Share of all symbols used for downlink [0-1]."""
        n_d = self.pattern.count("D")
        n_s = self.pattern.count("S")
        return (n_d * SYMBOLS_PER_SLOT + n_s * self.special[0]) / (self.n_slots * SYMBOLS_PER_SLOT)

    @property
    def ul_fraction(self) -> float:
        """Share of all symbols used for uplink [0-1]."""
        n_u = self.pattern.count("U")
        n_s = self.pattern.count("S")
        return (n_u * SYMBOLS_PER_SLOT + n_s * self.special[2]) / (self.n_slots * SYMBOLS_PER_SLOT)

    @property
    def guard_fraction(self) -> float:
        """Share of symbols lost to guard periods [0-1]."""
        return self.pattern.count("S") * self.special[1] / (self.n_slots * SYMBOLS_PER_SLOT)

    def fraction(self, direction: str) -> float:
        """DL or UL symbol fraction (``direction`` = ``"dl"`` or ``"ul"``)."""
        d = check_choice("direction", direction, ("dl", "ul"))
        return self.dl_fraction if d == "dl" else self.ul_fraction

    def period_ms(self, scs_khz: float) -> float:
        """Duration of one period [ms] at the given SCS [kHz]."""
        return self.n_slots / 2 ** numerology(scs_khz)

    def __str__(self) -> str:
        return f"{self.pattern}:{self.special[0]}:{self.special[1]}:{self.special[2]}"


def _as_tdd(tdd: TddPattern | str | None) -> TddPattern | None:
    if tdd is None or isinstance(tdd, TddPattern):
        return tdd
    return TddPattern.parse(tdd)


def _duty(tdd: TddPattern | str | None, direction: str) -> float:
    t = _as_tdd(tdd)
    return 1.0 if t is None else t.fraction(direction)


def _cqi_efficiency(table: str) -> np.ndarray:
    rows = CQI_TABLES[table]
    return np.array([rows[k][2] for k in sorted(rows)], dtype=float)


def cqi_sinr_thresholds_db(table: str = "table2", gap_db: float = SHANNON_GAP_DB) -> np.ndarray:
    """SINR thresholds of CQI 1..15 [dB], from the Shannon gap rule.

    ``SINR_k = 10 log10(2**SE_k - 1) + gap_db`` with ``SE_k`` the efficiency of
    CQI index ``k`` (see :data:`SHANNON_GAP_DB` for the basis).

    Parameters
    ----------
    table : {"table1", "table2"}
        TS 38.214 CQI table (64QAM or 256QAM).
    gap_db : float
        SNR gap to Shannon capacity [dB].

    Returns
    -------
    ndarray, shape (15,)
        Threshold of CQI 1..15 [dB], increasing.

    References
    ----------
    3GPP TS 38.214 V17.0.0, 5.2.2.1, Tables 5.2.2.1-2 and 5.2.2.1-3.
    """
    t = check_choice("table", table, CQI_TABLES)
    se = _cqi_efficiency(t)
    return 10.0 * np.log10(np.expm1(se * np.log(2.0))) + gap_db


def spectral_efficiency(
    sinr_db: ArrayLike,
    method: str = "cqi-table2",
    *,
    alpha: float = TRUNCATED_SHANNON["alpha"],
    sinr_min_db: float = TRUNCATED_SHANNON["sinr_min_db"],
    se_max: float | None = None,
    gap_db: float = SHANNON_GAP_DB,
) -> np.ndarray:
    """Spectral efficiency per layer and resource element [bit/RE] from SINR.

    Parameters
    ----------
    sinr_db : array_like
        SINR [dB]. NaN in, NaN out.
    method : {"cqi-table2", "cqi-table1", "shannon"}
        ``"cqi-table2"``/``"cqi-table1"``: efficiency of the highest CQI of
        TS 38.214 Table 5.2.2.1-3 / -2 whose threshold
        (:func:`cqi_sinr_thresholds_db`) is met, 0 below CQI 1.
        ``"shannon"``: truncated Shannon of TR 36.942 A.2,
        ``0`` below ``sinr_min_db``, ``min(alpha*log2(1+SINR), se_max)`` above.
    alpha : float
        Shannon attenuation factor (``"shannon"`` only) [-].
    sinr_min_db : float
        Shannon lower SINR cut [dB].
    se_max : float, optional
        Shannon cap [bit/RE]; default 7.4063 (NR 256QAM CQI 15).
    gap_db : float
        Shannon gap of the CQI thresholds [dB] (CQI methods only).

    Returns
    -------
    ndarray
        Efficiency [bit/s/Hz per layer, i.e. bit/RE].

    Notes
    -----
    With ``alpha = 0.6`` the NR cap 7.4063 is reached at about 37 dB SINR; the
    LTE cap of TR 36.942 (4.4) was reached at about 22 dB.

    References
    ----------
    3GPP TS 38.214 V17.0.0, Tables 5.2.2.1-2, 5.2.2.1-3.
    3GPP TR 36.942 V17.0.0, Annex A.2 (alpha 0.6, SINR_min -10 dB, Thr_max 4.4).
    """
    m = check_choice("method", method, SE_METHODS)
    s = np.asarray(sinr_db, dtype=float)
    if m == "shannon":
        cap = TRUNCATED_SHANNON["se_max"] if se_max is None else float(se_max)
        lin = np.power(10.0, s / 10.0)
        se = np.minimum(alpha * np.log2(1.0 + lin), cap)
        out = np.where(s < sinr_min_db, 0.0, se)
    else:
        table = "table2" if m == "cqi-table2" else "table1"
        thr = cqi_sinr_thresholds_db(table, gap_db)
        se_tab = np.concatenate(([0.0], _cqi_efficiency(table)))
        idx = np.searchsorted(thr, s, side="right")
        out = se_tab[np.minimum(idx, len(thr))]
    return np.where(np.isnan(s), np.nan, out)


def re_rate_per_s(bw_mhz: float, scs_khz: float) -> float:
    """Resource elements per second of a carrier, ``N_PRB * 12 / T_s`` [RE/s].

    ``T_s = 1e-3 / (14 * 2**mu)`` s is the average OFDM symbol duration of
    TS 38.306 4.1.2.
    """
    mu = numerology(scs_khz)
    return n_prb(bw_mhz, scs_khz) * 12 * SYMBOLS_PER_SLOT * 2**mu * 1000.0


def _check_direction_layers(direction: str, layers: ArrayLike) -> str:
    d = check_choice("direction", direction, ("dl", "ul"))
    check_range("layers", layers, 1, _MAX_LAYERS[d])
    return d


def peak_rate_mbps(
    bw_mhz: float,
    scs_khz: float,
    layers: int = 4,
    qam: int = 256,
    scaling: float = 1.0,
    overhead: float | None = None,
    tdd: TddPattern | str | None = None,
    direction: Literal["dl", "ul"] = "dl",
) -> float:
    """Approximate maximum data rate of one carrier per TS 38.306 4.1.2 [Mbit/s].

    ``10**-6 * v_layers * Q_m * f * R_max * N_PRB * 12 / T_s * (1 - OH)``,
    optionally times the TDD symbol fraction of ``direction``.

    Parameters
    ----------
    bw_mhz : float
        Channel bandwidth [MHz] (TS 38.101-1 Table 5.3.2-1 combination).
    scs_khz : float
        Subcarrier spacing [kHz].
    layers : int
        MIMO layers ``v_layers``: 1..8 DL, 1..4 UL.
    qam : int
        Modulation order as constellation size: 4, 16, 64, 256 (1024 DL only).
    scaling : float
        Scaling factor ``f``: 1, 0.8, 0.75 or 0.4.
    overhead : float, optional
        ``OH`` [0-1); default 0.14 DL / 0.08 UL (FR1).
    tdd : TddPattern or str, optional
        TDD pattern; ``None`` gives the formula as written (no TDD factor).
    direction : {"dl", "ul"}
        Link direction.

    Returns
    -------
    float
        Data rate [Mbit/s].

    References
    ----------
    3GPP TS 38.306 V17.0.0, clause 4.1.2.
    """
    d = _check_direction_layers(direction, layers)
    allowed_qam = (4, 16, 64, 256, 1024) if d == "dl" else (4, 16, 64, 256)
    if qam not in allowed_qam:
        raise NrplanInputError("qam", qam, f"one of {', '.join(map(str, allowed_qam))}")
    if not any(math.isclose(scaling, f) for f in SCALING_FACTORS):
        raise NrplanInputError("scaling", scaling, "one of 1, 0.8, 0.75, 0.4")
    oh = OVERHEAD_FR1[d] if overhead is None else float(overhead)
    check_range("overhead", oh, 0.0, 1.0, hi_open=True)
    q_m = _QAM_TO_QM[int(qam)]
    rate = layers * q_m * scaling * R_MAX * re_rate_per_s(bw_mhz, scs_khz) * (1.0 - oh)
    return float(rate * _duty(tdd, d) * 1e-6)


def user_rate_mbps(
    sinr_db: ArrayLike,
    bw_mhz: float,
    scs_khz: float,
    layers: ArrayLike = 1,
    tdd: TddPattern | str | None = None,
    direction: Literal["dl", "ul"] = "dl",
    load: ArrayLike = 0.0,
    *,
    method: str = "cqi-table2",
    overhead: float | None = None,
    prb_share: ArrayLike = 1.0,
    **se_kwargs: float,
) -> np.ndarray:
    """Throughput of a user at a given SINR [Mbit/s].

    ``rate = layers * SE(SINR) * N_PRB*12/T_s * prb_share * (1 - OH) * duty * (1 - load)``

    Parameters
    ----------
    sinr_db : array_like
        SINR per layer [dB]. NaN in, NaN out.
    bw_mhz, scs_khz : float
        Carrier bandwidth [MHz] and SCS [kHz] (TS 38.101-1 Table 5.3.2-1).
    layers : array_like
        MIMO layers (same SINR on each layer).
    tdd : TddPattern or str, optional
        TDD pattern; ``None`` = FDD (full duty).
    direction : {"dl", "ul"}
        Link direction (selects overhead and TDD fraction).
    load : array_like
        Load of the serving cell ``rho`` [0-1] from other users: the user
        gets the share ``1 - rho`` of the resources, the mean flow
        throughput of a processor-sharing cell (``C (1 - rho)``). 0 gives the
        full-buffer single-user rate.
    method : str
        Spectral-efficiency method (:func:`spectral_efficiency`).
    overhead : float, optional
        TS 38.306 overhead; default 0.14 DL / 0.08 UL.
    prb_share : array_like
        Share of the carrier's PRBs allocated to the user [0-1] (e.g. the
        uplink allocation of a power-limited user).
    **se_kwargs
        Passed to :func:`spectral_efficiency` (``alpha``, ``se_max``, ...).

    Returns
    -------
    ndarray
        Rate [Mbit/s].

    References
    ----------
    3GPP TS 38.306 V17.0.0, 4.1.2 (resource-element rate and overhead);
    TS 38.214 V17.0.0, Tables 5.2.2.1-2/-3. The (1 - rho) sharing is the
    M/G/1 processor-sharing result used for elastic traffic in cellular
    dimensioning (T. Bonald, A. Proutière, "Wireless downlink data channels:
    user performance and cell dimensioning", ACM MobiCom 2003).
    """
    d = _check_direction_layers(direction, layers)
    check_range("load", load, 0.0, 1.0)
    check_range("prb_share", prb_share, 0.0, 1.0)
    oh = OVERHEAD_FR1[d] if overhead is None else float(overhead)
    se = spectral_efficiency(sinr_db, method, **se_kwargs)
    per_se = re_rate_per_s(bw_mhz, scs_khz) * (1.0 - oh) * _duty(tdd, d) * 1e-6
    return (
        np.asarray(layers, float)
        * se
        * per_se
        * np.asarray(prb_share, float)
        * (1.0 - np.asarray(load, float))
    )


def required_sinr_db(
    rate_mbps: float,
    bw_mhz: float,
    scs_khz: float,
    layers: int = 1,
    tdd: TddPattern | str | None = None,
    direction: Literal["dl", "ul"] = "dl",
    *,
    method: str = "cqi-table2",
    overhead: float | None = None,
    prb_share: float = 1.0,
    field: str = "rate_mbps",
    **se_kwargs: float,
) -> float:
    """Smallest SINR at which :func:`user_rate_mbps` (load 0) reaches ``rate_mbps`` [dB].

    The rate is a non-decreasing function of SINR, so the inverse is the
    smallest SINR whose efficiency reaches ``SE* = rate / (layers * RE rate *
    (1 - OH) * duty * prb_share)``. For the CQI methods (a staircase) this is
    exactly the threshold of the lowest CQI with ``SE_k >= SE*``; for
    ``"shannon"`` it is found numerically by bisection of the monotone
    ``alpha*log2(1+x)`` on [SINR_min, SINR at se_max] (brentq, xtol 1e-9 dB).

    Raises
    ------
    NrplanInputError
        When the rate is not reachable (above the top CQI / ``se_max``).

    References
    ----------
    As :func:`user_rate_mbps`.
    """
    from scipy.optimize import brentq

    d = _check_direction_layers(direction, layers)
    check_range(field, rate_mbps, 0.0, lo_open=True)
    check_range("prb_share", prb_share, 0.0, 1.0, lo_open=True)
    oh = OVERHEAD_FR1[d] if overhead is None else float(overhead)
    per_se = layers * re_rate_per_s(bw_mhz, scs_khz) * (1 - oh) * _duty(tdd, d) * prb_share
    se_needed = rate_mbps * 1e6 / per_se
    m = check_choice("method", method, SE_METHODS)
    if m == "shannon":
        alpha = se_kwargs.get("alpha", TRUNCATED_SHANNON["alpha"])
        sinr_min = se_kwargs.get("sinr_min_db", TRUNCATED_SHANNON["sinr_min_db"])
        cap = se_kwargs.get("se_max") or TRUNCATED_SHANNON["se_max"]
        se_floor = alpha * math.log2(1 + 10 ** (sinr_min / 10))
        if se_needed <= se_floor:
            return float(sinr_min)
        top = 10 * math.log10(2 ** (cap / alpha) - 1)
        if se_needed > cap * (1 + 1e-12):
            raise NrplanInputError(
                field, rate_mbps, f"<= {per_se * cap * 1e-6:.4g} Mbit/s with this configuration"
            )
        return float(
            brentq(
                lambda x: alpha * math.log2(1 + 10 ** (x / 10)) - se_needed,
                sinr_min,
                top,
                xtol=1e-9,
            )
        )
    table = "table2" if m == "cqi-table2" else "table1"
    se_tab = _cqi_efficiency(table)
    thr = cqi_sinr_thresholds_db(table, se_kwargs.get("gap_db", SHANNON_GAP_DB))
    k = int(np.searchsorted(se_tab, se_needed, side="left"))
    if k >= len(se_tab):
        raise NrplanInputError(
            field,
            rate_mbps,
            f"<= {per_se * se_tab[-1] * 1e-6:.4g} Mbit/s with this configuration",
        )
    return float(thr[k])
