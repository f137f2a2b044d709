"""Outdoor-to-indoor (O2I) building penetration loss, TR 38.901 clause 7.4.3.

PL = PL_b + PL_tw + PL_in + N(0, sigma_P^2), with the through-wall loss
PL_tw of a low-loss or high-loss building (Table 7.4.3-2) built from the
material losses of Table 7.4.3-1, PL_in = 0.5 d_2D-in, and d_2D-in the minimum
of two independent uniform draws on [0, 25] m (UMa, UMi) or [0, 10] m (RMa).
Also the O2I car penetration loss of clause 7.4.3.2 (mean 9 dB, sigma 5 dB).

References
----------
3GPP TR 38.901 V17.0.0, clause 7.4.3.1, Tables 7.4.3-1 and 7.4.3-2; clause 7.4.3.2.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nrplan.errors import NrplanInputError, check_choice, check_range

__all__ = [
    "CAR_LOSS",
    "INDOOR_DISTANCE_MAX_M",
    "O2I_MODELS",
    "TABLE_7_4_3_1",
    "TABLE_7_4_3_2",
    "indoor_distance",
    "material_loss",
    "mean_indoor_distance",
    "o2i_loss",
    "o2i_sample",
    "o2i_sigma",
]

TABLE_7_4_3_1: dict[str, tuple[float, float]] = {
    "glass": (2.0, 0.2),  # standard multi-pane glass: L = 2 + 0.2 f
    "irr-glass": (23.0, 0.3),  # infrared reflective glass: L = 23 + 0.3 f
    "concrete": (5.0, 4.0),  # L = 5 + 4 f
    "wood": (4.85, 0.12),  # L = 4.85 + 0.12 f
}
"""Material penetration loss L = a + b f [dB], f in GHz (TR 38.901 Table 7.4.3-1)."""

TABLE_7_4_3_2: dict[str, dict[str, Any]] = {
    # PL_tw = const - 10 log10(sum_i w_i 10^(-L_i/10)); PL_in = k_in d_2D-in; sigma_P
    "low": {
        "const": 5.0,
        "mix": (("glass", 0.3), ("concrete", 0.7)),
        "k_in": 0.5,
        "sigma": 4.4,
    },
    "high": {
        "const": 5.0,
        "mix": (("irr-glass", 0.7), ("concrete", 0.3)),
        "k_in": 0.5,
        "sigma": 6.5,
    },
}
"""O2I building penetration loss models (TR 38.901 Table 7.4.3-2)."""

CAR_LOSS: dict[str, float] = {"mean": 9.0, "sigma": 5.0}
"""O2I car penetration loss, mu = 9 dB, sigma_P = 5 dB (TR 38.901 clause 7.4.3.2)."""

O2I_MODELS: tuple[str, ...] = ("low", "high", "car")
"""O2I model names: low-/high-loss building (Table 7.4.3-2) and car (7.4.3.2)."""

INDOOR_DISTANCE_MAX_M: dict[str, float] = {"uma": 25.0, "umi": 25.0, "rma": 10.0}
"""Upper end of each of the two uniform draws of d_2D-in [m] (Table 7.4.3-2 note)."""

FREQUENCY_RANGE_GHZ = (0.5, 100.0)
"""Applicability of the O2I models [GHz] (TR 38.901 clause 7.4.3)."""


def material_loss(material: str, f_c: Any) -> np.ndarray:
    """Penetration loss of one material.

    Parameters
    ----------
    material : {"glass", "irr-glass", "concrete", "wood"}
        Material of Table 7.4.3-1.
    f_c : array_like
        Frequency [GHz].

    Returns
    -------
    numpy.ndarray
        Loss [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.3-1.
    """
    material = check_choice("material", material, TABLE_7_4_3_1)
    f_c = np.asarray(f_c, dtype=float)
    check_range("f_c", f_c, *FREQUENCY_RANGE_GHZ, unit="GHz")
    a, b = TABLE_7_4_3_1[material]
    return a + b * f_c


def o2i_loss(model: str, f_c: Any, d_2d_in: Any = None) -> np.ndarray:
    """Mean O2I penetration loss PL_tw + PL_in.

    Parameters
    ----------
    model : {"low", "high", "car"}
        Building model of Table 7.4.3-2, or car penetration (7.4.3.2).
    f_c : array_like
        Carrier frequency [GHz].
    d_2d_in : array_like, optional
        Indoor 2D distance [m]; ``None`` means 0 m (wall loss only). Use
        :func:`mean_indoor_distance` for the scenario's expected value.
        Ignored for ``"car"``.

    Returns
    -------
    numpy.ndarray
        Mean loss without the lognormal term [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Tables 7.4.3-1 and 7.4.3-2; clause 7.4.3.2.
    """
    model = check_choice("model", model, O2I_MODELS)
    f_c = np.asarray(f_c, dtype=float)
    check_range("f_c", f_c, *FREQUENCY_RANGE_GHZ, unit="GHz")
    if model == "car":
        return np.full(np.shape(f_c), CAR_LOSS["mean"])
    t = TABLE_7_4_3_2[model]
    lin = sum(w * 10.0 ** (-material_loss(m, f_c) / 10.0) for m, w in t["mix"])
    pl_tw = t["const"] - 10.0 * np.log10(lin)
    d_in = np.asarray(0.0 if d_2d_in is None else d_2d_in, dtype=float)
    check_range("d_2d_in", d_in, 0.0, None, unit="m")
    return pl_tw + t["k_in"] * d_in


def o2i_sigma(model: str) -> float:
    """Standard deviation sigma_P of the O2I loss [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.3-2 (4.4 dB low, 6.5 dB high); 7.4.3.2 (car 5 dB).
    """
    model = check_choice("model", model, O2I_MODELS)
    return CAR_LOSS["sigma"] if model == "car" else float(TABLE_7_4_3_2[model]["sigma"])


def _d_max(scenario: str) -> float:
    return INDOOR_DISTANCE_MAX_M[check_choice("scenario", scenario, INDOOR_DISTANCE_MAX_M)]


def indoor_distance(rng: np.random.Generator, size: Any, scenario: str) -> np.ndarray:
    """Draw d_2D-in: minimum of two independent uniforms on [0, 25] m (UMa/UMi) or [0, 10] m (RMa).

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    size : int or tuple of int
        Output shape.
    scenario : {"uma", "umi", "rma"}
        Scenario.

    Returns
    -------
    numpy.ndarray
        Indoor distance [m].

    References
    ----------
    3GPP TR 38.901 V17.0.0, Table 7.4.3-2 (note on d_2D-in).
    """
    if not isinstance(rng, np.random.Generator):
        raise NrplanInputError("rng", rng, "a numpy.random.Generator")
    d_max = _d_max(scenario)
    return np.minimum(rng.uniform(0.0, d_max, size), rng.uniform(0.0, d_max, size))


def mean_indoor_distance(scenario: str) -> float:
    """Expected d_2D-in [m]: E[min(U1, U2)] = D/3 for U on [0, D] (25/3 m UMa/UMi, 10/3 m RMa)."""
    return _d_max(scenario) / 3.0


def o2i_sample(
    rng: np.random.Generator, model: str, f_c: Any, size: Any, scenario: str = "uma"
) -> np.ndarray:
    """Sample O2I losses PL_tw + 0.5 d_2D-in + N(0, sigma_P^2).

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    model : {"low", "high", "car"}
        O2I model.
    f_c : float
        Carrier frequency [GHz].
    size : int or tuple of int
        Output shape.
    scenario : {"uma", "umi", "rma"}, default "uma"
        Scenario setting the d_2D-in distribution (unused for ``"car"``).

    Returns
    -------
    numpy.ndarray
        O2I losses [dB].

    References
    ----------
    3GPP TR 38.901 V17.0.0, clause 7.4.3, Table 7.4.3-2.
    """
    model = check_choice("model", model, O2I_MODELS)
    if not isinstance(rng, np.random.Generator):
        raise NrplanInputError("rng", rng, "a numpy.random.Generator")
    d_in = None if model == "car" else indoor_distance(rng, size, scenario)
    mean = np.broadcast_to(o2i_loss(model, f_c, d_in), np.empty(size).shape)
    return mean + o2i_sigma(model) * rng.standard_normal(np.shape(mean))
