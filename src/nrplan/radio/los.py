"""LOS probability of TR 38.901 Table 7.4.2-1.

Vectorised over the outdoor 2D distance and the UT height. The InF models take
the clutter parameters of Table 7.2-4; defaults are the InF calibration values
of Table 7.8-7.

References
----------
3GPP TR 38.901 V17.0.0, clause 7.4.2, Table 7.4.2-1 (LOS probability);
Table 7.2-4 (InF clutter parameters); Table 7.8-7 (InF calibration values).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "INF_CLUTTER_DEFAULTS",
    "LOS_SCENARIOS",
    "TABLE_7_4_2_1",
    "los_probability",
]

LOS_SCENARIOS: tuple[str, ...] = (
    "rma",
    "uma",
    "umi",
    "inh-office",
    "inh-mixed",
    "inh-open",
    "inf-sl",
    "inf-dl",
    "inf-sh",
    "inf-dh",
    "inf-hh",
)
"""Scenario names accepted by :func:`los_probability` ("inh-office" = mixed office by default)."""

TABLE_7_4_2_1: dict[str, dict[str, float]] = {
    # P = 1 for d <= d0; exp(-(d - d0)/d1) beyond
    "rma": {"d0": 10.0, "d1": 1000.0},
    # P = 1 for d <= d0; d0/d + exp(-d/d1) (1 - d0/d) beyond
    "umi": {"d0": 18.0, "d1": 36.0},
    # as UMi, times (1 + C'(h_UT) 5/4 (d/100)^3 exp(-d/150)),
    # C'(h_UT) = 0 for h_UT <= 13 m, ((h_UT - 13)/10)^1.5 for 13 < h_UT <= 23 m
    "uma": {
        "d0": 18.0,
        "d1": 63.0,
        "h0": 13.0,
        "h1": 10.0,
        "hexp": 1.5,
        "k": 1.25,
        "dref": 100.0,
        "dexp": 150.0,
    },
    # P = 1 for d <= d0; exp(-(d - d0)/d1) for d0 < d < d2 (mixed) / <= d2 (open);
    # exp(-(d - d2)/d3) * p2 beyond
    "inh-mixed": {"d0": 1.2, "d1": 4.7, "d2": 6.5, "d3": 32.6, "p2": 0.32},
    "inh-open": {"d0": 5.0, "d1": 70.8, "d2": 49.0, "d3": 211.7, "p2": 0.54},
}
"""Constants of TR 38.901 V17.0.0 Table 7.4.2-1 (InF uses the k_subsce form, see below)."""

INF_CLUTTER_DEFAULTS: dict[str, dict[str, float]] = {
    "inf-sl": {"r_clutter": 0.2, "d_clutter": 10.0, "h_clutter": 2.0},
    "inf-dl": {"r_clutter": 0.6, "d_clutter": 2.0, "h_clutter": 6.0},
    "inf-sh": {"r_clutter": 0.2, "d_clutter": 10.0, "h_clutter": 2.0},
    "inf-dh": {"r_clutter": 0.6, "d_clutter": 2.0, "h_clutter": 6.0},
}
"""InF clutter density r [0-1], clutter size d_clutter [m], height h_c [m]:
TR 38.901 V17.0.0 Table 7.8-7 (InF calibration), within the ranges of Table 7.2-4."""

UMA_HUT_MAX_M = 23.0
"""Upper end of C'(h_UT) in Table 7.4.2-1 [m]."""


def _ranged(
    field: str, value: Any, lo: float | None, hi: float | None, unit: str, where: str, **kw: Any
) -> None:
    try:
        check_range(field, value, lo, hi, unit=unit, allow_nan=True, **kw)
    except NrplanInputError as exc:
        raise NrplanInputError(
            exc.field, exc.value, f"{exc.allowed} for {where} (TR 38.901 Table 7.4.2-1)"
        ) from None


def los_probability(
    scenario: str,
    d_2d_out: Any,
    h_ut: Any = 1.5,
    *,
    office: str = "mixed",
    h_bs: Any = None,
    r_clutter: Any = None,
    d_clutter: Any = None,
    h_clutter: Any = None,
) -> np.ndarray:
    """Probability of line of sight, TR 38.901 Table 7.4.2-1.

    Parameters
    ----------
    scenario : str
        One of :data:`LOS_SCENARIOS`; ``"inh-office"`` uses ``office``.
    d_2d_out : array_like
        Outdoor 2D distance BS-UT [m] (for indoor UTs, without d_2D-in).
    h_ut : array_like, default 1.5
        UT height [m] (UMa C'(h_UT) term, InF-SH/DH).
    office : {"mixed", "open"}, default "mixed"
        InH office type when ``scenario="inh-office"``.
    h_bs : array_like, optional
        BS height [m], needed for InF-SH/DH.
    r_clutter : float, optional
        InF clutter density r [0-1) (default: Table 7.8-7 value of the sub-scenario).
    d_clutter : float, optional
        InF typical clutter size [m].
    h_clutter : float, optional
        InF effective clutter height h_c [m].

    Returns
    -------
    numpy.ndarray
        P_LOS in [0, 1], broadcast shape of ``d_2d_out`` and ``h_ut``.

    Notes
    -----
    InF-SL/DL: P = exp(-d_2D / k), k = -d_clutter / ln(1 - r). InF-SH/DH:
    k = -d_clutter / ln(1 - r) * (h_BS - h_UT) / (h_c - h_UT), valid for
    h_UT < h_c (a UT at or above the clutter raises). InF-HH: P = 1.
    UMa requires h_UT <= 23 m (range of C'(h_UT)). Negative distances raise.

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.2-1; Tables 7.2-4 and 7.8-7 (InF clutter).
    """
    scenario = check_choice("scenario", scenario, LOS_SCENARIOS)
    if scenario == "inh-office":
        scenario = "inh-" + check_choice("office", office, ("mixed", "open"))
    d, h_ut = np.broadcast_arrays(np.asarray(d_2d_out, dtype=float), np.asarray(h_ut, dtype=float))
    _ranged("d_2d_out", d, 0.0, None, "m", scenario)
    tab = TABLE_7_4_2_1
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if scenario == "rma":
            t = tab["rma"]
            p = np.where(d <= t["d0"], 1.0, np.exp(-(d - t["d0"]) / t["d1"]))
        elif scenario in ("umi", "uma"):
            t = tab[scenario]
            dd = np.maximum(d, t["d0"])
            p = t["d0"] / dd + np.exp(-dd / t["d1"]) * (1.0 - t["d0"] / dd)
            if scenario == "uma":
                _ranged("h_ut", h_ut, 0.0, UMA_HUT_MAX_M, "m", "uma")
                c = np.where(
                    h_ut <= t["h0"],
                    0.0,
                    (np.maximum(h_ut - t["h0"], 0.0) / t["h1"]) ** t["hexp"],
                )
                p = p * (1.0 + c * t["k"] * (dd / t["dref"]) ** 3 * np.exp(-dd / t["dexp"]))
            p = np.where(d <= t["d0"], 1.0, p)
        elif scenario in ("inh-mixed", "inh-open"):
            t = tab[scenario]
            mid = np.exp(-(d - t["d0"]) / t["d1"])
            far = np.exp(-(d - t["d2"]) / t["d3"]) * t["p2"]
            beyond = d >= t["d2"] if scenario == "inh-mixed" else d > t["d2"]
            p = np.where(d <= t["d0"], 1.0, np.where(beyond, far, mid))
        elif scenario == "inf-hh":
            p = np.ones_like(d)
        else:
            p = _inf(scenario, d, h_ut, h_bs, r_clutter, d_clutter, h_clutter)
    p = np.where(np.isnan(d) | np.isnan(h_ut), np.nan, p)
    return p


def _inf(scenario, d, h_ut, h_bs, r_clutter, d_clutter, h_clutter) -> np.ndarray:
    dflt = INF_CLUTTER_DEFAULTS[scenario]
    r = np.asarray(dflt["r_clutter"] if r_clutter is None else r_clutter, dtype=float)
    dc = np.asarray(dflt["d_clutter"] if d_clutter is None else d_clutter, dtype=float)
    hc = np.asarray(dflt["h_clutter"] if h_clutter is None else h_clutter, dtype=float)
    _ranged("r_clutter", r, 0.0, 1.0, "", scenario, hi_open=True)
    _ranged("d_clutter", dc, 0.0, None, "m", scenario, lo_open=True)
    k = -dc / np.log1p(-r)  # r = 0 -> k = inf -> P = 1 (no clutter)
    if scenario in ("inf-sh", "inf-dh"):
        if h_bs is None:
            raise NrplanInputError("h_bs", None, f"a BS height in m for {scenario}")
        h_bs = np.asarray(h_bs, dtype=float)
        ok = ~np.isnan(h_ut)
        if np.any((np.broadcast_to(hc, h_ut.shape) <= h_ut)[ok]):
            raise NrplanInputError(
                "h_ut",
                float(np.nanmax(h_ut)),
                f"< h_clutter={float(np.max(hc)):g} m for {scenario} (TR 38.901 Table 7.4.2-1)",
            )
        if np.any(h_bs <= h_ut):
            raise NrplanInputError("h_bs", h_bs.tolist(), f"> h_ut for {scenario}")
        k = k * (h_bs - h_ut) / (hc - h_ut)
    return np.exp(-d / k)
