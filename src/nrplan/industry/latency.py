"""One-way latency budget of NR for an industrial device class.

The budget follows a packet through the air interface on a symbol-accurate
timeline of the TDD pattern, for every possible arrival instant in one
pattern period, and reports the worst case and the average:

UL, configured grant (grant-free)
    UE preparation N2 -> wait for the next UL occasion -> PUSCH (L symbols)
    -> gNB decoding.
UL, dynamic grant
    wait for an SR occasion -> SR on PUCCH (2 symbols) -> gNB processing ->
    wait for a DL occasion -> PDCCH (UL grant) -> UE preparation N2 ->
    wait for a UL occasion -> PUSCH -> gNB decoding.
DL
    gNB preparation -> wait for a DL occasion -> PDCCH + PDSCH (L symbols)
    -> UE decoding N1 (+ d1,1).
HARQ retransmission (both directions)
    DL: UE decoding -> PUCCH HARQ-ACK in the next UL occasion -> gNB
    processing -> next DL occasion -> PDSCH -> UE decoding.
    UL: gNB decoding -> PDCCH with a new grant in the next DL occasion -> UE
    preparation N2 -> next UL occasion -> PUSCH -> gNB decoding.

Core: the user plane function on site (``"local"``) or in a regional data
centre (``"remote"``), each a fixed transport + UPF delay.

Occasions: slot-based transmission (PDSCH/PUSCH mapping type A) uses whole
slots of the direction; a mini-slot of 2, 4 or 7 symbols (mapping type B) may
start at every multiple of its length inside a slot and must lie in symbols
of its direction (so the special slot's DL and UL parts carry mini-slots).
PDCCH monitoring occasions are at slot starts (slot-based) or at every
mini-slot start. An SR occasion is any pair of UL symbols in one slot (SR
periodicity of 2 symbols). Symbols are taken as 1/(14 * 2^mu) ms each: the
extra 16 kappa samples of cyclic prefix every 0.5 ms are ignored (< 0.6 %).

The number of HARQ transmissions needed for a class is the smallest k with
BLER^k <= 1 - R (independent transmissions, no soft-combining gain: a
conservative assumption); the latency with k transmissions is compared with
the class bound.

References
----------
3GPP TS 38.214 V17.0.0, clause 5.3 and Tables 5.3-1 / 5.3-2 (PDSCH processing
time N1, UE capability 1 / 2; d1,1 for mapping types A and B), clause 6.4 and
Tables 6.4-1 / 6.4-2 (PUSCH preparation time N2).
3GPP TS 38.211 V17.0.0, clause 4.3.2, Table 4.3.2-1 (14 symbols per slot,
2^mu slots per subframe).
3GPP TR 37.910 V16.1.0, clause 5.7.1, Tables 5.7.1.1.1-1 / 5.7.1.1.2-1 (ITU-R
user-plane latency evaluation: gNB processing taken equal to the UE's N1/N2).
3GPP TR 38.824 V16.0.0, clause 5 (URLLC latency analysis: configured grant,
mini-slots, UE capability 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "CORE_DELAY_MS",
    "N1_SYMBOLS",
    "N2_SYMBOLS",
    "ClassLatency",
    "LatencyBudget",
    "LatencyConfig",
    "SymbolMap",
    "class_latency",
    "harq_transmissions",
    "latency_budget",
    "symbol_map",
]

#: TS 38.214 Table 5.3-1 (capability 1, dmrs-AdditionalPosition = pos0) and
#: Table 5.3-2 (capability 2, FR1): PDSCH processing time N1 [symbols] per mu.
N1_SYMBOLS: dict[int, dict[int, float]] = {
    1: {0: 8.0, 1: 10.0, 2: 17.0, 3: 20.0},
    2: {0: 3.0, 1: 4.5, 2: 9.0},
}
#: TS 38.214 Table 6.4-1 (capability 1) and Table 6.4-2 (capability 2, FR1):
#: PUSCH preparation time N2 [symbols] per mu.
N2_SYMBOLS: dict[int, dict[int, float]] = {
    1: {0: 10.0, 1: 12.0, 2: 23.0, 3: 36.0},
    2: {0: 5.0, 1: 5.5, 2: 11.0},
}
#: One-way transport + UPF delay per user-plane placement [ms]. nrplan
#: assumption: on-site UPF with edge computing ~1 ms; regional UPF 10-20 ms
#: (15 ms taken).
CORE_DELAY_MS: dict[str, float] = {"local": 1.0, "remote": 15.0}

SYMBOLS_PER_SLOT = 14  # TS 38.211 Table 4.3.2-1, normal cyclic prefix
MINI_SLOT_LENGTHS = (2, 4, 7)  # TS 38.214 5.1.2.1 / 6.1.2.1 mapping type B lengths used
PUCCH_SR_SYMBOLS = 2  # short PUCCH (format 0), nrplan assumption
PDCCH_SYMBOLS = 1  # CORESET duration [symbols], nrplan assumption


@dataclass(frozen=True)
class SymbolMap:
    """Symbol-level direction map of one TDD pattern period.

    Attributes
    ----------
    pattern : str
        Slot pattern, e.g. ``"DDDSU"``.
    special : tuple of int
        (DL, guard, UL) symbols of the special slot.
    symbols : ndarray of str
        One of "D", "G", "U" ("F": both, FDD) per symbol of the period.
    """

    pattern: str
    special: tuple[int, int, int]
    symbols: np.ndarray

    @property
    def n(self) -> int:
        return int(self.symbols.size)


def symbol_map(pattern: str, special: str | tuple[int, int, int] = "10:2:2") -> SymbolMap:
    """Expand a TDD slot pattern into symbol directions.

    Parameters
    ----------
    pattern : str
        Slots: ``D`` downlink, ``U`` uplink, ``S`` special (e.g. ``"DSUUU"``);
        ``"F"`` alone is FDD (every symbol in both directions).
    special : str or tuple
        Special-slot split ``"D:G:U"`` in symbols, summing to 14.

    References
    ----------
    3GPP TS 38.213 V17.0.0, clause 11.1 (slot configuration by
    tdd-UL-DL-ConfigurationCommon; flexible symbols used as guard).
    """
    pat = str(pattern).strip().upper()
    if not pat or set(pat) - set("DSUF") or ("F" in pat and set(pat) != {"F"}):
        raise NrplanInputError(
            "tdd_pattern", pattern, "slots of D, S and U, e.g. DDDSU or DSUUU (F for FDD)"
        )
    if isinstance(special, str):
        try:
            parts = tuple(int(p) for p in special.split(":"))
        except ValueError:
            raise NrplanInputError(
                "special_slot", special, "'D:G:U' symbols, e.g. 10:2:2"
            ) from None
    else:
        parts = tuple(int(p) for p in special)
    if len(parts) != 3 or min(parts) < 0 or sum(parts) != SYMBOLS_PER_SLOT:
        raise NrplanInputError("special_slot", special, "three counts D:G:U summing to 14")
    d, g, u = parts
    slot = {"D": "D" * 14, "U": "U" * 14, "F": "F" * 14, "S": "D" * d + "G" * g + "U" * u}
    syms = np.array(list("".join(slot[c] for c in pat)))
    return SymbolMap(pat, (d, g, u), syms)


def harq_transmissions(reliability: float, bler: float) -> int:
    """Transmissions needed so that the residual error BLER^k <= 1 - R.

    Independent transmissions (no HARQ soft-combining gain) are assumed.
    """
    check_range("reliability", reliability, 0.0, 1.0, lo_open=True, hi_open=True)
    check_range("bler", bler, 0.0, 1.0, lo_open=True, hi_open=True)
    return max(1, math.ceil(math.log(1.0 - reliability) / math.log(bler) - 1e-9))


@dataclass(frozen=True)
class LatencyConfig:
    """Air-interface and core settings of the latency budget.

    Attributes
    ----------
    scs_khz : int
        Subcarrier spacing [kHz] (15, 30, 60 in FR1 TDD bands: mu = 0, 1, 2).
    tdd_pattern : str
        TDD slot pattern, e.g. ``"DSUUU"``.
    special_slot : str
        Special-slot split ``"D:G:U"``.
    mini_slot : int or None
        Mini-slot length [symbols] (2, 4 or 7) or ``None`` for slot-based.
    ue_capability : {1, 2}
        UE processing capability (TS 38.214 Tables 5.3-1/-2, 6.4-1/-2).
    ul_access : {"configured", "dynamic"}
        Configured grant (grant-free) or SR + dynamic grant.
    bler : float
        Block error rate per transmission of classes with R < ``urllc_from``
        (link adaptation target of eMBB, 10 %).
    bler_urllc : float
        Block error rate per transmission of classes with R >= ``urllc_from``
        (CQI table 3 target BLER 1e-5, TS 38.214 V17.0.0 clause 5.2.2.1).
    urllc_from : float
        Reliability from which a class is run as URLLC.
    core : {"local", "remote"}
        UPF placement; ``core_ms`` overrides its delay [ms].
    """

    scs_khz: int = 30
    tdd_pattern: str = "DSUUU"
    special_slot: str = "10:2:2"
    mini_slot: int | None = None
    ue_capability: int = 1
    ul_access: Literal["configured", "dynamic"] = "configured"
    bler: float = 0.1
    bler_urllc: float = 1e-5
    urllc_from: float = 0.9999
    core: str = "local"
    core_ms: float | None = None

    def __post_init__(self) -> None:
        check_choice("scs_khz", str(self.scs_khz), ("15", "30", "60"))
        if self.mini_slot is not None and self.mini_slot not in MINI_SLOT_LENGTHS:
            raise NrplanInputError("mini_slot", self.mini_slot, "2, 4, 7 symbols or none")
        if self.ue_capability not in (1, 2):
            raise NrplanInputError("ue_capability", self.ue_capability, "1 or 2")
        if self.ue_capability == 2 and self.mu not in N1_SYMBOLS[2]:
            raise NrplanInputError("ue_capability", 2, "capability 2 only for 15/30/60 kHz")
        check_choice("ul_access", self.ul_access, ("configured", "dynamic"))
        check_range("bler", self.bler, 0.0, 1.0, lo_open=True, hi_open=True)
        check_range("bler_urllc", self.bler_urllc, 0.0, 1.0, lo_open=True, hi_open=True)
        check_range("urllc_from", self.urllc_from, 0.0, 1.0, lo_open=True, hi_open=True)
        check_choice("core", self.core, tuple(CORE_DELAY_MS))
        if self.core_ms is not None:
            check_range("core_ms", self.core_ms, 0.0, None, unit="ms")
        symbol_map(self.tdd_pattern, self.special_slot)  # validates

    @property
    def mu(self) -> int:
        return {15: 0, 30: 1, 60: 2}[int(self.scs_khz)]

    @property
    def symbol_ms(self) -> float:
        """Symbol duration [ms] (1 ms / (14 * 2^mu))."""
        return 1.0 / (SYMBOLS_PER_SLOT * 2**self.mu)

    @property
    def tx_symbols(self) -> int:
        return self.mini_slot or SYMBOLS_PER_SLOT

    @property
    def n1(self) -> float:
        """UE PDSCH processing N1 + d1,1 [symbols] (TS 38.214 5.3)."""
        return N1_SYMBOLS[self.ue_capability][self.mu] + self.d11

    @property
    def d11(self) -> float:
        """d1,1 of TS 38.214 5.3 for the configured transmission length.

        Slot-based (type A ending on symbol 13): 0. Mini-slot (type B) with a
        PDCCH of ``PDCCH_SYMBOLS`` overlapping the PDSCH start (d = overlap):
        capability 1: L >= 7 -> 0, 4 <= L <= 6 -> 7 - L, L = 3 -> 3 + min(d, 1),
        L = 2 -> 3 + d; capability 2: L >= 7 -> 0, else d.
        """
        L = self.tx_symbols
        if self.mini_slot is None or L >= 7:
            return 0.0
        d = min(PDCCH_SYMBOLS, L)
        if self.ue_capability == 2:
            return float(d)
        if L >= 4:
            return float(7 - L)
        if L == 3:
            return float(3 + min(d, 1))
        return float(3 + d)

    @property
    def n2(self) -> float:
        """UE PUSCH preparation N2 + d2,1 [symbols]; first PUSCH symbol is DMRS
        only, so d2,1 = 0 (TS 38.214 6.4)."""
        return N2_SYMBOLS[self.ue_capability][self.mu]

    @property
    def core_delay_ms(self) -> float:
        return CORE_DELAY_MS[self.core] if self.core_ms is None else float(self.core_ms)


@dataclass(frozen=True)
class LatencyBudget:
    """Latency of one direction with ``k`` transmissions [ms].

    Attributes
    ----------
    direction : str
    transmissions : int
        HARQ transmissions included.
    worst_ms, mean_ms : float
        Radio part, worst case and mean over arrival instants [ms].
    align_worst_ms, align_mean_ms : float
        Of which: wait for the first transmission occasion [ms].
    core_ms : float
        Transport + UPF [ms].
    steps : dict
        Fixed components [ms] (processing, transmission) of the first
        transmission.
    """

    direction: str
    transmissions: int
    worst_ms: float
    mean_ms: float
    align_worst_ms: float
    align_mean_ms: float
    core_ms: float
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def total_worst_ms(self) -> float:
        return self.worst_ms + self.core_ms

    @property
    def total_mean_ms(self) -> float:
        return self.mean_ms + self.core_ms


class _Timeline:
    """Next-occasion lookup on a periodic symbol map (vectorised)."""

    def __init__(self, smap: SymbolMap, cfg: LatencyConfig):
        self.smap = smap
        self.n = smap.n
        L = cfg.tx_symbols
        step = cfg.mini_slot or SYMBOLS_PER_SLOT
        self.data = {
            "D": self._starts(smap, "D", L, step),
            "U": self._starts(smap, "U", L, step),
        }
        self.pdcch = self._starts(smap, "D", PDCCH_SYMBOLS, step)
        self.sr = self._starts(smap, "U", PUCCH_SR_SYMBOLS, 1)
        for name, occ in (("DL", self.data["D"]), ("UL", self.data["U"])):
            if occ.size == 0:
                raise NrplanInputError(
                    "tdd_pattern",
                    smap.pattern,
                    f"a pattern with at least one {name} occasion of {L} symbols",
                )

    @staticmethod
    def _starts(smap: SymbolMap, d: str, length: int, step: int) -> np.ndarray:
        """Start symbols of occasions of ``length`` symbols of direction ``d``."""
        syms = (smap.symbols == d) | (smap.symbols == "F")
        out = []
        for s in range(0, smap.n, SYMBOLS_PER_SLOT):
            for off in range(0, SYMBOLS_PER_SLOT - length + 1, step):
                if syms[s + off : s + off + length].all():
                    out.append(s + off)
        return np.array(out, dtype=float)

    def next(self, occ: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Earliest occasion start >= t (t in symbols, any period)."""
        if occ.size == 0:
            return np.full_like(t, np.inf)
        period = np.floor(t / self.n)
        frac = t - period * self.n
        idx = np.searchsorted(occ, frac - 1e-9, side="left")
        wrap = idx >= occ.size
        start = np.where(wrap, occ[0] + self.n, occ[np.minimum(idx, occ.size - 1)])
        return period * self.n + start


def _arrivals(n_symbols: int) -> np.ndarray:
    """Arrival instants just after every half symbol of one period [symbols].

    All processing times are multiples of 0.5 symbol and occasions start on
    symbol boundaries, so the finish time is constant on each half-symbol
    interval: sampling its left end (+ epsilon) gives the exact worst case and,
    with the interval midpoints, the exact mean.
    """
    return np.arange(2 * n_symbols) * 0.5 + 1e-6


def latency_budget(
    direction: Literal["ul", "dl"], cfg: LatencyConfig, transmissions: int = 1
) -> LatencyBudget:
    """Worst-case and mean one-way latency of ``direction`` with ``k`` transmissions.

    Parameters
    ----------
    direction : {"ul", "dl"}
    cfg : LatencyConfig
    transmissions : int
        Number of HARQ transmissions (1 = first transmission succeeds).

    Returns
    -------
    LatencyBudget

    References
    ----------
    3GPP TS 38.214 V17.0.0, Tables 5.3-1, 5.3-2, 6.4-1, 6.4-2; TR 37.910
    V16.1.0, clause 5.7.1 (gNB processing equal to the UE's); TR 38.824
    V16.0.0, clause 5.
    """
    check_choice("direction", direction, ("ul", "dl"))
    if int(transmissions) < 1:
        raise NrplanInputError("transmissions", transmissions, "an integer >= 1")
    smap = symbol_map(cfg.tdd_pattern, cfg.special_slot)
    tl = _Timeline(smap, cfg)
    L = float(cfg.tx_symbols)
    n1, n2 = cfg.n1, cfg.n2
    # gNB processing equal to the UE's (TR 37.910 5.7.1): decoding = N1 (same d1,1
    # for the PUSCH length), preparation / scheduling = N2.
    gnb_rx, gnb_tx = n1, n2
    t0 = _arrivals(smap.n)
    t = t0.copy()
    if direction == "ul":
        if cfg.ul_access == "configured":
            first = tl.next(tl.data["U"], t + n2)
            align = first - (t + n2)
        else:
            sr = tl.next(tl.sr, t)
            align = sr - t
            g = tl.next(tl.pdcch, sr + PUCCH_SR_SYMBOLS + gnb_tx)
            first = tl.next(tl.data["U"], g + PDCCH_SYMBOLS + n2)
        t = first + L + gnb_rx
        for _ in range(int(transmissions) - 1):  # retransmission by a new grant
            g = tl.next(tl.pdcch, t)
            t = tl.next(tl.data["U"], g + PDCCH_SYMBOLS + n2) + L + gnb_rx
        steps = {"ue_prep_n2": n2, "pusch": L, "gnb_decode": gnb_rx}
    else:
        first = tl.next(tl.data["D"], t + gnb_tx)
        align = first - (t + gnb_tx)
        t = first + L + n1
        for _ in range(int(transmissions) - 1):  # NACK on PUCCH, then retransmit
            ack = tl.next(tl.sr, t)
            t = tl.next(tl.data["D"], ack + PUCCH_SR_SYMBOLS + gnb_tx) + L + n1
        steps = {"gnb_prep": gnb_tx, "pdsch": L, "ue_decode_n1": n1}
    lat = t - t0
    # finish time is constant on (t0 - eps, t0 + 0.5]: mean latency over that
    # half-symbol interval is finish - midpoint = lat - 0.25.
    sym = cfg.symbol_ms
    return LatencyBudget(
        direction=direction,
        transmissions=int(transmissions),
        worst_ms=float(lat.max()) * sym,
        mean_ms=float((lat - 0.25 + 1e-6).mean()) * sym,
        align_worst_ms=float(align.max()) * sym,
        align_mean_ms=float((align - 0.25 + 1e-6).mean()) * sym,
        core_ms=cfg.core_delay_ms,
        steps={k: v * sym for k, v in steps.items()},
    )


@dataclass(frozen=True)
class ClassLatency:
    """Latency verdict of one device class.

    Attributes
    ----------
    name : str
    bound_ms : float
        The class's one-way latency bound [ms].
    transmissions : int
        HARQ transmissions needed for the reliability at the class's BLER.
    worst_ms, mean_ms : float
        One-way latency incl. core, worst direction [ms].
    ul, dl : LatencyBudget or None
    ok : bool
        ``worst_ms <= bound_ms``.
    max_transmissions_in_bound : int
        How many HARQ transmissions fit within the bound (0 = not even one).
    """

    name: str
    bound_ms: float
    transmissions: int
    worst_ms: float
    mean_ms: float
    ul: LatencyBudget | None
    dl: LatencyBudget | None
    ok: bool
    max_transmissions_in_bound: int


def class_latency(cls, cfg: LatencyConfig, max_tx: int = 8) -> ClassLatency:
    """Budget of a device class (``nrplan.industry.devices.DeviceClass``).

    The worst case over arrival instants of each direction the class uses,
    with the HARQ transmissions its reliability needs at the class's BLER
    (``cfg.bler_urllc`` from ``cfg.urllc_from`` on, else ``cfg.bler``), plus
    the core delay, is compared with the class bound.
    """
    bler = cfg.bler_urllc if cls.reliability >= cfg.urllc_from else cfg.bler
    k = harq_transmissions(cls.reliability, bler)
    dirs = [d for d, used in (("ul", cls.uses_ul), ("dl", cls.uses_dl)) if used]
    budgets = {d: latency_budget(d, cfg, k) for d in dirs}
    worst = max(b.total_worst_ms for b in budgets.values())
    mean = max(b.total_mean_ms for b in budgets.values())
    fit = 0
    for n in range(1, max_tx + 1):
        w = max(latency_budget(d, cfg, n).total_worst_ms for d in dirs)
        if w > cls.latency_ms:
            break
        fit = n
    return ClassLatency(
        name=cls.name,
        bound_ms=cls.latency_ms,
        transmissions=k,
        worst_ms=worst,
        mean_ms=mean,
        ul=budgets.get("ul"),
        dl=budgets.get("dl"),
        ok=bool(worst <= cls.latency_ms + 1e-9),
        max_transmissions_in_bound=fit,
    )
