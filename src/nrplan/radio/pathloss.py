"""Path loss of TR 38.901 Table 7.4.1-1: RMa, UMa, UMi-Street Canyon, InH-Office, InF.

Every model is a vectorised function of the 2D distance, the BS and UT heights
and the carrier frequency (in GHz, as the spec writes ``f_c``). The numbers of
the table are kept as data at the top of the module, one entry per row.

Validity
--------
Frequency, UT/BS heights and distances are checked against the table's
applicability ranges and notes; a value outside raises
:class:`~nrplan.errors.NrplanInputError` naming the range. Beyond the table's
distance range a planning tool still needs numbers (e.g. a 7 km rural link, or
a pixel 5 m from the mast): pass ``extrapolate=True`` to evaluate the formulas
as written outside the distance range (both sides). Frequency and heights are
always enforced. Nothing is ever clipped silently.

NaN inputs give NaN outputs (they are passed over by the range checks).

References
----------
3GPP TR 38.901 V17.0.0, clause 7.4.1, Table 7.4.1-1 (path loss models, shadow
fading std, applicability ranges) and its notes 1-6; Figure 7.4.1-1 (d_2D,
d_3D definitions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.radio.los import los_probability

__all__ = [
    "BS_HEIGHT_RANGE_M",
    "DISTANCE_RANGE_M",
    "FREQUENCY_RANGE_GHZ",
    "SCENARIOS",
    "SHADOW_SIGMA_DB",
    "SPEED_OF_LIGHT",
    "TABLE_7_4_1_1",
    "UT_HEIGHT_RANGE_M",
    "breakpoint_distance",
    "distance_3d",
    "pathloss",
    "pathloss_los",
    "pathloss_nlos",
    "shadow_sigma",
]

SCENARIOS: tuple[str, ...] = (
    "rma",
    "uma",
    "umi",
    "inh-office",
    "inf-sl",
    "inf-dl",
    "inf-sh",
    "inf-dh",
)
"""Path-loss scenarios (TR 38.901 Table 7.4.1-1). InH mixed and open office share one formula."""

_INF = ("inf-sl", "inf-dl", "inf-sh", "inf-dh")

SPEED_OF_LIGHT = 3.0e8
"""Speed of light used in the breakpoint distance [m/s] (Table 7.4.1-1 note 1: c = 3.0e8 m/s)."""

# --------------------------------------------------------------------------------------
# TR 38.901 Table 7.4.1-1 as data. Log-distance rows are (A, B, C) in
# PL = A + B log10(d_3D) + C log10(f_c); UMa/UMi/UMi NLOS rows add D * (h_UT - 1.5);
# UMa/UMi PL2 rows add E * log10(d'_BP^2 + (h_BS - h_UT)^2).
# --------------------------------------------------------------------------------------
TABLE_7_4_1_1: dict[str, dict[str, tuple[float, ...]]] = {
    "uma": {
        "los1": (28.0, 22.0, 20.0),
        "los2": (28.0, 40.0, 20.0, -9.0),  # (A, B, C, E)
        "nlos": (13.54, 39.08, 20.0, -0.6),  # (A, B, C, D)
        "nlos-simplified": (32.4, 30.0, 20.0),
    },
    "umi": {
        "los1": (32.4, 21.0, 20.0),
        "los2": (32.4, 40.0, 20.0, -9.5),
        "nlos": (22.4, 35.3, 21.3, -0.3),
        "nlos-simplified": (32.4, 31.9, 20.0),
    },
    "inh-office": {
        "los": (32.4, 17.3, 20.0),
        "nlos": (17.30, 38.3, 24.9),
        "nlos-simplified": (32.4, 31.9, 20.0),
    },
    "inf": {"los": (31.84, 21.50, 19.00)},
    "inf-sl": {"nlos": (33.0, 25.5, 20.0)},
    "inf-dl": {"nlos": (18.6, 35.7, 20.0)},
    "inf-sh": {"nlos": (32.4, 23.0, 20.0)},
    "inf-dh": {"nlos": (33.63, 21.9, 20.0)},
    # RMa: PL1 = 20 log10(40 pi d f_c / 3) + min(a h^1.72, a_max) log10(d)
    #            - min(b h^1.72, b_max) + k log10(h) d
    "rma": {
        "los1": (0.03, 10.0, 0.044, 14.77, 0.002),  # (a, a_max, b, b_max, k)
        # NLOS: 161.04 - 7.1 log10(W) + 7.5 log10(h) - (24.37 - 3.7 (h/h_BS)^2) log10(h_BS)
        #       + (43.42 - 3.1 log10(h_BS)) (log10(d_3D) - 3) + 20 log10(f_c)
        #       - (3.2 (log10(11.75 h_UT))^2 - 4.97)
        "nlos": (161.04, 7.1, 7.5, 24.37, 3.7, 43.42, 3.1, 20.0, 3.2, 11.75, 4.97),
    },
}
"""Coefficients of TR 38.901 V17.0.0 Table 7.4.1-1 (see module comments for the row forms)."""

SHADOW_SIGMA_DB: dict[tuple[str, str], float] = {
    ("rma", "los"): 4.0,  # PL1 (d_2D <= d_BP)
    ("rma", "los2"): 6.0,  # PL2 (d_2D > d_BP)
    ("rma", "nlos"): 8.0,
    ("uma", "los"): 4.0,
    ("uma", "nlos"): 6.0,
    ("uma", "nlos-simplified"): 7.8,
    ("umi", "los"): 4.0,
    ("umi", "nlos"): 7.82,
    ("umi", "nlos-simplified"): 8.2,
    ("inh-office", "los"): 3.0,
    ("inh-office", "nlos"): 8.03,
    ("inh-office", "nlos-simplified"): 8.29,
    ("inf-sl", "los"): 4.3,
    ("inf-dl", "los"): 4.3,
    ("inf-sh", "los"): 4.3,
    ("inf-dh", "los"): 4.3,
    ("inf-sl", "nlos"): 5.7,
    ("inf-dl", "nlos"): 7.2,
    ("inf-sh", "nlos"): 5.9,
    ("inf-dh", "nlos"): 4.0,
}
"""Shadow-fading standard deviation sigma_SF [dB], TR 38.901 V17.0.0 Table 7.4.1-1."""

FREQUENCY_RANGE_GHZ: dict[str, tuple[float, float]] = {
    "rma": (0.5, 30.0),  # Table 7.4.1-1 note 5: RMa validated up to 30 GHz
    **{s: (0.5, 100.0) for s in ("uma", "umi", "inh-office", *_INF)},  # clause 7.4.1: 0.5-100 GHz
}
"""Applicability range of f_c [GHz] (TR 38.901 V17.0.0 clause 7.4.1 and Table 7.4.1-1 note 5)."""

DISTANCE_RANGE_M: dict[tuple[str, str], tuple[str, float, float]] = {
    ("rma", "los"): ("d_2d", 10.0, 10_000.0),
    ("rma", "nlos"): ("d_2d", 10.0, 5_000.0),
    ("uma", "los"): ("d_2d", 10.0, 5_000.0),
    ("uma", "nlos"): ("d_2d", 10.0, 5_000.0),
    ("umi", "los"): ("d_2d", 10.0, 5_000.0),
    ("umi", "nlos"): ("d_2d", 10.0, 5_000.0),
    ("inh-office", "los"): ("d_3d", 1.0, 150.0),
    ("inh-office", "nlos"): ("d_3d", 1.0, 150.0),
    **{(s, st): ("d_3d", 1.0, 600.0) for s in _INF for st in ("los", "nlos")},
}
"""Distance applicability ranges (which distance, min, max) [m], Table 7.4.1-1."""

UT_HEIGHT_RANGE_M: dict[str, tuple[float, float]] = {
    "rma": (1.0, 10.0),
    "uma": (1.5, 22.5),
    "umi": (1.5, 22.5),
}
"""h_UT applicability [m], Table 7.4.1-1 (no range is given for InH and InF)."""

BS_HEIGHT_RANGE_M: dict[str, tuple[float, float]] = {"rma": (10.0, 150.0)}
"""h_BS applicability [m], Table 7.4.1-1. UMa (25 m) and UMi (10 m) give one nominal
height, not a range: other heights are accepted (the formulas then extrapolate)."""

RMA_H_RANGE_M = (5.0, 50.0)
"""RMa average building height h and street width W applicability [m] (Table 7.4.1-1)."""

_PARAMS = ("h_e", "rng", "h", "w", "r_clutter", "h_clutter", "d_clutter", "ceiling_m", "office")


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _log10(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(x)


def _ranged(field: str, value: Any, lo: float, hi: float, unit: str, where: str) -> None:
    """``check_range`` with the scenario and table named in the allowed range."""
    try:
        check_range(field, value, lo, hi, unit=unit, allow_nan=True)
    except NrplanInputError as exc:
        raise NrplanInputError(
            exc.field, exc.value, f"{exc.allowed} for {where} (TR 38.901 Table 7.4.1-1)"
        ) from None


def _check_params(params: Mapping[str, Any]) -> None:
    unknown = sorted(set(params) - set(_PARAMS))
    if unknown:
        raise NrplanInputError("params", unknown[0], f"one of {', '.join(_PARAMS)}")


def _scenario(scenario: str) -> str:
    return check_choice("scenario", scenario, SCENARIOS)


def distance_3d(d_2d: Any, h_bs: Any, h_ut: Any) -> np.ndarray:
    """3D distance between BS and UT antennas.

    Parameters
    ----------
    d_2d : array_like
        Horizontal distance [m].
    h_bs, h_ut : array_like
        BS and UT antenna heights [m].

    Returns
    -------
    numpy.ndarray
        d_3D = sqrt(d_2D^2 + (h_BS - h_UT)^2) [m].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Figure 7.4.1-1.
    """
    d_2d, h_bs, h_ut = (np.asarray(v, dtype=float) for v in (d_2d, h_bs, h_ut))
    return np.hypot(d_2d, h_bs - h_ut)


def _validate(
    scenario: str,
    state: str,
    d_2d: np.ndarray,
    d_3d: np.ndarray,
    h_bs: np.ndarray,
    h_ut: np.ndarray,
    f_c: np.ndarray,
    extrapolate: bool,
) -> None:
    lo, hi = FREQUENCY_RANGE_GHZ[scenario]
    _ranged("f_c", f_c, lo, hi, "GHz", scenario)
    if scenario in UT_HEIGHT_RANGE_M:
        lo, hi = UT_HEIGHT_RANGE_M[scenario]
        _ranged("h_ut", h_ut, lo, hi, "m", scenario)
    else:
        _ranged("h_ut", h_ut, 0.0, None, "m", scenario)
    if scenario in BS_HEIGHT_RANGE_M:
        lo, hi = BS_HEIGHT_RANGE_M[scenario]
        _ranged("h_bs", h_bs, lo, hi, "m", scenario)
    else:
        _ranged("h_bs", h_bs, 0.0, None, "m", scenario)
    which, lo, hi = DISTANCE_RANGE_M[(scenario, state)]
    if extrapolate:
        _ranged("d_2d", d_2d, 0.0, None, "m", f"{scenario} with extrapolate=True")
        if np.any(d_3d[~np.isnan(d_3d)] <= 0.0):
            raise NrplanInputError("d_3d", 0.0, "> 0 m (BS and UT at the same point)")
    else:
        value = d_2d if which == "d_2d" else d_3d
        _ranged(which, value, lo, hi, "m", f"{scenario} {state.upper()} (or use extrapolate=True)")


def _h_e(
    scenario: str,
    h_e: Any,
    d_2d: np.ndarray,
    h_bs: np.ndarray,
    h_ut: np.ndarray,
    rng: np.random.Generator | None,
) -> np.ndarray:
    """Effective environment height h_E [m] (Table 7.4.1-1 note 1)."""
    if isinstance(h_e, str):
        if h_e.strip().lower() != "random" or scenario != "uma":
            raise NrplanInputError("h_e", h_e, "a height in m, or 'random' (UMa only)")
        if not isinstance(rng, np.random.Generator):
            raise NrplanInputError("rng", rng, "a numpy.random.Generator when h_e='random'")
        return _uma_random_h_e(d_2d, h_ut, rng)
    h_e = np.asarray(h_e, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (h_e < 0) | (h_e >= h_ut) | (h_e >= h_bs)
    if np.any(bad):
        raise NrplanInputError("h_e", h_e.tolist(), "0 <= h_e < min(h_bs, h_ut) m (note 1)")
    return h_e


def _uma_random_h_e(d_2d: np.ndarray, h_ut: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw the UMa h_E of Table 7.4.1-1 note 1, one value per element.

    h_E = 1 m with probability 1/(1 + C(d_2D, h_UT)), else uniform on
    {12, 15, ..., h_UT - 1.5} m, with C = ((h_UT - 13)/10)^1.5 g(d_2D) for
    13 <= h_UT <= 23 m and g(d_2D) = 1.25 (d_2D/100)^3 exp(-d_2D/150) for d_2D > 18 m.
    """
    d_2d, h_ut = np.broadcast_arrays(d_2d, h_ut)
    g = np.where(d_2d > 18.0, 1.25 * (d_2d / 100.0) ** 3 * np.exp(-d_2d / 150.0), 0.0)
    c = np.where(h_ut >= 13.0, np.clip((h_ut - 13.0) / 10.0, 0.0, None) ** 1.5 * g, 0.0)
    u = rng.random(d_2d.shape)
    n_opts = np.maximum(np.floor((h_ut - 1.5 - 12.0) / 3.0) + 1.0, 1.0)
    n_opts = np.where(np.isnan(n_opts), 1.0, n_opts)
    k = np.floor(rng.random(d_2d.shape) * n_opts)
    return np.where(u < 1.0 / (1.0 + c), 1.0, 12.0 + 3.0 * k)


def breakpoint_distance(
    scenario: str, h_bs: Any, h_ut: Any, f_c: Any, h_e: Any = 1.0
) -> np.ndarray:
    """Breakpoint distance of the LOS path loss.

    Parameters
    ----------
    scenario : {"rma", "uma", "umi"}
        Outdoor scenario with a two-slope LOS model.
    h_bs, h_ut : array_like
        BS and UT antenna heights [m].
    f_c : array_like
        Carrier frequency [GHz].
    h_e : array_like, default 1.0
        Effective environment height [m] (UMa/UMi only).

    Returns
    -------
    numpy.ndarray
        RMa: d_BP = 2 pi h_BS h_UT f_c / c; UMa/UMi: d'_BP = 4 h'_BS h'_UT f_c / c
        with h' = h - h_E [m] (f_c in Hz, c = 3.0e8 m/s).

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.1-1, notes 1 and 5.
    """
    scenario = check_choice("scenario", scenario, ("rma", "uma", "umi"))
    h_bs, h_ut, f_c, h_e = (np.asarray(v, dtype=float) for v in (h_bs, h_ut, f_c, h_e))
    f_hz = f_c * 1e9
    if scenario == "rma":
        return 2.0 * np.pi * h_bs * h_ut * f_hz / SPEED_OF_LIGHT
    return 4.0 * (h_bs - h_e) * (h_ut - h_e) * f_hz / SPEED_OF_LIGHT


def _loglin(coef: tuple[float, ...], d_3d: np.ndarray, f_c: np.ndarray) -> np.ndarray:
    a, b, c = coef[:3]
    return a + b * _log10(d_3d) + c * _log10(f_c)


def _rma_pl1(d: np.ndarray, f_c: np.ndarray, h: np.ndarray) -> np.ndarray:
    a, a_max, b, b_max, k = TABLE_7_4_1_1["rma"]["los1"]
    h172 = h**1.72
    return (
        20.0 * _log10(40.0 * np.pi * d * f_c / 3.0)
        + np.minimum(a * h172, a_max) * _log10(d)
        - np.minimum(b * h172, b_max)
        + k * _log10(h) * d
    )


def _prepare(scenario, d_2d, h_bs, h_ut, f_c, state, extrapolate, params):
    _check_params(params)
    scenario = _scenario(scenario)
    d_2d, h_bs, h_ut, f_c = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (d_2d, h_bs, h_ut, f_c))
    )
    d_3d = distance_3d(d_2d, h_bs, h_ut)
    _validate(scenario, state, d_2d, d_3d, h_bs, h_ut, f_c, extrapolate)
    if scenario == "rma":
        for name, default in (("h", 5.0), ("w", 20.0)):
            _ranged(name, params.get(name, default), *RMA_H_RANGE_M, "m", "rma")
    return scenario, d_2d, d_3d, h_bs, h_ut, f_c


def _los(scenario, d_2d, d_3d, h_bs, h_ut, f_c, params) -> np.ndarray:
    """LOS path loss on validated, broadcast arrays [dB]."""
    tab = TABLE_7_4_1_1
    if scenario == "rma":
        h = np.asarray(params.get("h", 5.0), dtype=float)
        d_bp = breakpoint_distance("rma", h_bs, h_ut, f_c)
        pl1 = _rma_pl1(d_3d, f_c, h)
        pl2 = _rma_pl1(d_bp, f_c, h) + 40.0 * _log10(d_3d / d_bp)
        return np.where(d_2d <= d_bp, pl1, pl2)
    if scenario in ("uma", "umi"):
        h_e = _h_e(scenario, params.get("h_e", 1.0), d_2d, h_bs, h_ut, params.get("rng"))
        d_bp = breakpoint_distance(scenario, h_bs, h_ut, f_c, h_e)
        pl1 = _loglin(tab[scenario]["los1"], d_3d, f_c)
        e = tab[scenario]["los2"][3]
        pl2 = _loglin(tab[scenario]["los2"], d_3d, f_c) + e * _log10(d_bp**2 + (h_bs - h_ut) ** 2)
        return np.where(d_2d <= d_bp, pl1, pl2)
    if scenario == "inh-office":
        return _loglin(tab["inh-office"]["los"], d_3d, f_c)
    return _loglin(tab["inf"]["los"], d_3d, f_c)


def _nlos(scenario, d_2d, d_3d, h_bs, h_ut, f_c, simplified, params) -> np.ndarray:
    """NLOS path loss max(PL_LOS, PL'_NLOS) on validated arrays [dB]."""
    tab = TABLE_7_4_1_1
    pl_los = _los(scenario, d_2d, d_3d, h_bs, h_ut, f_c, params)
    if simplified:
        if "nlos-simplified" not in tab.get(scenario, {}):
            raise NrplanInputError(
                "simplified", True, "only for uma, umi, inh-office (Table 7.4.1-1 optional rows)"
            )
        return np.maximum(pl_los, _loglin(tab[scenario]["nlos-simplified"], d_3d, f_c))
    if scenario == "rma":
        a, kw, kh, b0, b1, c0, c1, cf, u0, u1, u2 = tab["rma"]["nlos"]
        h = np.asarray(params.get("h", 5.0), dtype=float)
        w = np.asarray(params.get("w", 20.0), dtype=float)
        pl = (
            a
            - kw * _log10(w)
            + kh * _log10(h)
            - (b0 - b1 * (h / h_bs) ** 2) * _log10(h_bs)
            + (c0 - c1 * _log10(h_bs)) * (_log10(d_3d) - 3.0)
            + cf * _log10(f_c)
            - (u0 * _log10(u1 * h_ut) ** 2 - u2)
        )
    elif scenario in ("uma", "umi"):
        coef = tab[scenario]["nlos"]
        pl = _loglin(coef, d_3d, f_c) + coef[3] * (h_ut - 1.5)
    else:
        pl = _loglin(tab[scenario]["nlos"], d_3d, f_c)
    out = np.maximum(pl_los, pl)
    if scenario == "inf-dl":  # PL_NLOS = max(PL, PL_LOS, PL_InF-SL)
        out = np.maximum(out, _loglin(tab["inf-sl"]["nlos"], d_3d, f_c))
    return out


def pathloss_los(
    scenario: str,
    d_2d: Any,
    h_bs: Any,
    h_ut: Any,
    f_c: Any,
    *,
    extrapolate: bool = False,
    **params: Any,
) -> np.ndarray:
    """LOS path loss of TR 38.901 Table 7.4.1-1.

    Parameters
    ----------
    scenario : str
        One of :data:`SCENARIOS`.
    d_2d : array_like
        BS-UT horizontal distance [m].
    h_bs, h_ut : array_like
        BS and UT antenna heights [m].
    f_c : array_like
        Carrier frequency [GHz].
    extrapolate : bool, default False
        Evaluate the formulas outside the table's distance range instead of
        raising (frequency and heights are still enforced).
    **params
        ``h_e`` (UMa/UMi effective environment height [m], default 1.0, or
        ``"random"`` with ``rng`` for the UMa draw of note 1), ``rng``
        (``numpy.random.Generator``), ``h`` (RMa building height [m], 5),
        ``w`` (RMa street width [m], 20). InF/InH LOS-probability parameters
        are accepted and ignored.

    Returns
    -------
    numpy.ndarray
        Path loss [dB], broadcast shape of the inputs.

    Notes
    -----
    Validity: see :data:`FREQUENCY_RANGE_GHZ`, :data:`DISTANCE_RANGE_M`,
    :data:`UT_HEIGHT_RANGE_M`, :data:`BS_HEIGHT_RANGE_M`. UMa/UMi use PL1 for
    d_2D <= d'_BP and PL2 beyond; RMa likewise with d_BP. The two-slope models
    are continuous at the breakpoint (UMa/UMi exactly; RMa to < 0.01 dB since
    PL2 anchors at PL1(d_BP) evaluated at d = d_BP).

    References
    ----------
    3GPP TR 38.901 V17.0.0, clause 7.4.1, Table 7.4.1-1 and notes 1, 5.
    """
    scenario, d_2d, d_3d, h_bs, h_ut, f_c = _prepare(
        scenario, d_2d, h_bs, h_ut, f_c, "los", extrapolate, params
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return _los(scenario, d_2d, d_3d, h_bs, h_ut, f_c, params)


def pathloss_nlos(
    scenario: str,
    d_2d: Any,
    h_bs: Any,
    h_ut: Any,
    f_c: Any,
    *,
    simplified: bool = False,
    extrapolate: bool = False,
    **params: Any,
) -> np.ndarray:
    """NLOS path loss of TR 38.901 Table 7.4.1-1, max(PL_LOS, PL'_NLOS).

    Parameters
    ----------
    scenario, d_2d, h_bs, h_ut, f_c, extrapolate, **params
        As for :func:`pathloss_los`.
    simplified : bool, default False
        Use the table's optional NLOS rows (UMa: 32.4 + 20 log10(f_c) +
        30 log10(d_3D); UMi and InH: 32.4 + 20 log10(f_c) + 31.9 log10(d_3D)).

    Returns
    -------
    numpy.ndarray
        Path loss [dB].

    Notes
    -----
    InF-DL takes max(PL, PL_LOS, PL_InF-SL) as the table says. The optional
    simplified rows are also floored at PL_LOS, so NLOS >= LOS holds everywhere;
    the table writes them without the max, which only matters where the optional
    line would cross below the LOS line (UMi below ~1 GHz at several km).

    References
    ----------
    3GPP TR 38.901 V17.0.0, clause 7.4.1, Table 7.4.1-1 (NLOS and "optional" rows).
    """
    scenario, d_2d, d_3d, h_bs, h_ut, f_c = _prepare(
        scenario, d_2d, h_bs, h_ut, f_c, "nlos", extrapolate, params
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return _nlos(scenario, d_2d, d_3d, h_bs, h_ut, f_c, simplified, params)


def pathloss(
    scenario: str,
    d_2d: Any,
    h_bs: Any,
    h_ut: Any,
    f_c: Any,
    los: str = "los",
    *,
    simplified: bool = False,
    extrapolate: bool = False,
    **params: Any,
) -> np.ndarray:
    """Path loss for a LOS state, or the LOS-probability weighted expected value.

    Parameters
    ----------
    scenario, d_2d, h_bs, h_ut, f_c, simplified, extrapolate, **params
        As for :func:`pathloss_nlos`. For ``los="prob"`` the LOS-probability
        parameters of :func:`nrplan.radio.los.los_probability` (InF clutter
        ``r_clutter``, ``h_clutter``, ``d_clutter``; InH ``office``) may be given.
    los : {"los", "nlos", "prob"}
        LOS state; ``"prob"`` gives p PL_LOS + (1 - p) PL_NLOS in dB with
        p = P_LOS(d_2D, h_UT) of Table 7.4.2-1.

    Returns
    -------
    numpy.ndarray
        Path loss [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.1-1 and 7.4.2-1.
    """
    state = check_choice("los", los, ("los", "nlos", "prob"))
    if state == "los":
        return pathloss_los(scenario, d_2d, h_bs, h_ut, f_c, extrapolate=extrapolate, **params)
    if state == "nlos":
        return pathloss_nlos(
            scenario,
            d_2d,
            h_bs,
            h_ut,
            f_c,
            simplified=simplified,
            extrapolate=extrapolate,
            **params,
        )

    scenario, d_2d, d_3d, h_bs, h_ut, f_c = _prepare(
        scenario, d_2d, h_bs, h_ut, f_c, "nlos", extrapolate, params
    )
    if params.get("h_e") == "random":
        # one h_E draw per link, shared by the LOS and NLOS terms
        params = dict(params)
        params["h_e"] = _h_e(scenario, "random", d_2d, h_bs, h_ut, params.get("rng"))
    with np.errstate(invalid="ignore", divide="ignore"):
        pl_los = _los(scenario, d_2d, d_3d, h_bs, h_ut, f_c, params)
        pl_nlos = _nlos(scenario, d_2d, d_3d, h_bs, h_ut, f_c, simplified, params)
    los_params = {
        k: params[k] for k in ("r_clutter", "h_clutter", "d_clutter", "office") if k in params
    }
    if scenario in _INF:
        los_params["h_bs"] = h_bs
    p = los_probability(scenario, d_2d, h_ut=h_ut, **los_params)
    return p * pl_los + (1.0 - p) * pl_nlos


def shadow_sigma(
    scenario: str,
    los: str,
    *,
    simplified: bool = False,
    d_2d: Any = None,
    h_bs: Any = 35.0,
    h_ut: Any = 1.5,
    f_c: Any = None,
) -> float | np.ndarray:
    """Shadow-fading standard deviation sigma_SF of Table 7.4.1-1.

    Parameters
    ----------
    scenario : str
        One of :data:`SCENARIOS`.
    los : {"los", "nlos"}
        LOS state.
    simplified : bool, default False
        Sigma of the optional simplified NLOS rows (UMa 7.8, UMi 8.2, InH 8.29 dB).
    d_2d, h_bs, h_ut, f_c : array_like, optional
        RMa LOS only: with ``d_2d`` and ``f_c`` [GHz] given, returns 4 dB for
        d_2D <= d_BP (PL1) and 6 dB beyond (PL2), per element. Without them
        the PL1 value (4 dB) is returned.

    Returns
    -------
    float or numpy.ndarray
        sigma_SF [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.1-1 (column "Shadow fading std").
    """
    scenario = _scenario(scenario)
    state = check_choice("los", los, ("los", "nlos"))
    if state == "nlos" and simplified:
        key = (scenario, "nlos-simplified")
        if key not in SHADOW_SIGMA_DB:
            raise NrplanInputError("simplified", True, "only for uma, umi, inh-office")
        return SHADOW_SIGMA_DB[key]
    if scenario == "rma" and state == "los" and d_2d is not None and f_c is not None:
        d_bp = breakpoint_distance("rma", h_bs, h_ut, f_c)
        return np.where(
            np.asarray(d_2d, dtype=float) <= d_bp,
            SHADOW_SIGMA_DB[("rma", "los")],
            SHADOW_SIGMA_DB[("rma", "los2")],
        )
    return SHADOW_SIGMA_DB[(scenario, state)]
