"""Uncertainty of a fitted adoption curve: parameter covariance and forecast intervals.

Two estimates for a fit of :func:`nrplan.econ.adoption.fit_adoption` with ``n``
points and ``k = 3`` parameters ``theta``:

Jacobian (asymptotic) covariance
    ``cov = s^2 (J^T J)^-1``, ``s^2 = SSR / (n - k)``, with ``J`` the Jacobian
    of the model values at the history times by central differences; the
    standard error of a forecast ``f(t)`` is ``sqrt(g cov g^T)``, ``g =
    df(t)/dtheta`` (delta method).
Residual bootstrap
    ``B`` resamples ``y* = fitted + e*``, ``e*`` drawn with replacement from
    the residuals by a seeded :class:`numpy.random.Generator`, each refitted
    with the same model, start year and bounds (bounded least squares started
    at the original estimate); the interval is the
    ``(alpha/2, 1 - alpha/2)`` percentiles of the refitted forecasts.

With ``n <= k`` there are no residual degrees of freedom: both estimates are
NaN (a 3-parameter curve through 3 points carries no information on its own
error).

References
----------
G. A. F. Seber and C. J. Wild, *Nonlinear Regression*, Wiley 1989, ch. 2
(asymptotic covariance); B. Efron and R. J. Tibshirani, *An Introduction to
the Bootstrap*, Chapman & Hall 1993, section 9.5 (bootstrapping residuals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from nrplan.econ.adoption import (
    BASS_P_BOUNDS,
    BASS_Q_BOUNDS,
    LOGISTIC_K_BOUNDS,
    M_MAX_FACTOR,
    PARAM_NAMES,
    AdoptionFit,
    AdoptionModel,
)
from nrplan.errors import check_range

__all__ = ["FitUncertainty", "fit_uncertainty", "model_values"]


def model_values(model: str, theta: np.ndarray, t0: float, t: np.ndarray) -> np.ndarray:
    """Values of ``model`` with parameters ``theta`` (in :data:`PARAM_NAMES` order) at ``t``."""
    params = dict(zip(PARAM_NAMES[model], (float(x) for x in theta), strict=True))
    return AdoptionModel(model, params, t0).users(np.asarray(t, dtype=float))


def _refit(
    model: str, theta: np.ndarray, t0: float, t: np.ndarray, y: np.ndarray, m_max: float | None
) -> np.ndarray | None:
    """Bounded least-squares refit of ``y`` started at ``theta`` (the bounds of fit_adoption)."""
    scale = float(y.max()) if y.max() > 0 else 1.0
    m_hi = (M_MAX_FACTOR * scale if m_max is None else float(m_max)) / scale
    if m_hi <= 1.0:
        return None
    if model == "bass":
        lo = [BASS_P_BOUNDS[0], BASS_Q_BOUNDS[0], 1.0]
        hi = [BASS_P_BOUNDS[1], BASS_Q_BOUNDS[1], m_hi]
    else:
        lo = [LOGISTIC_K_BOUNDS[0], t[0] - 30.0, 1.0]
        hi = [LOGISTIC_K_BOUNDS[1], t[-1] + 30.0, m_hi]
    x0 = theta / np.array([1.0, 1.0, scale])
    x0 = np.clip(x0, np.nextafter(lo, np.inf), np.nextafter(hi, -np.inf))
    yn = y / scale

    def resid(x: np.ndarray) -> np.ndarray:
        return model_values(model, x, t0, t) - yn

    sol = least_squares(resid, x0, bounds=(lo, hi), method="trf", max_nfev=300)
    if sol.status <= 0:
        return None
    return sol.x * np.array([1.0, 1.0, scale])


def _jacobian(model: str, theta: np.ndarray, t0: float, t: np.ndarray) -> np.ndarray:
    jac = np.empty((t.size, theta.size))
    for j in range(theta.size):
        h = 1e-6 * max(abs(theta[j]), 1e-3)
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        jac[:, j] = (model_values(model, up, t0, t) - model_values(model, dn, t0, t)) / (2 * h)
    return jac


@dataclass(frozen=True)
class FitUncertainty:
    """Parameter standard errors and forecast intervals of a fit.

    Attributes
    ----------
    dof : int
        Residual degrees of freedom ``n - 3``.
    param_se : dict
        Standard error of each parameter (Jacobian covariance); NaN if ``dof <= 0``
        or ``J^T J`` is singular.
    t : numpy.ndarray
        Forecast times [year].
    value : numpy.ndarray
        Point forecast (the fit) at ``t``.
    se : numpy.ndarray
        Delta-method standard error of the forecast at ``t``.
    lo, hi : numpy.ndarray
        Bootstrap percentile interval at ``t`` (``level`` coverage).
    level : float
        Coverage of ``[lo, hi]``.
    n_boot : int
        Bootstrap resamples (refits that failed are dropped; ``n_boot_ok`` kept).
    n_boot_ok : int
    seed : int or None
        Seed of the generator, recorded for reproduction.
    """

    dof: int
    param_se: dict[str, float]
    t: np.ndarray = field(repr=False)
    value: np.ndarray = field(repr=False)
    se: np.ndarray = field(repr=False)
    lo: np.ndarray = field(repr=False)
    hi: np.ndarray = field(repr=False)
    level: float
    n_boot: int
    n_boot_ok: int
    seed: int | None


def fit_uncertainty(
    fit: AdoptionFit,
    t_eval,
    *,
    rng: np.random.Generator,
    n_boot: int = 200,
    level: float = 0.90,
    m_max: float | None = None,
    seed: int | None = None,
) -> FitUncertainty:
    """Jacobian covariance and residual-bootstrap intervals of ``fit`` at ``t_eval``.

    Parameters
    ----------
    fit : AdoptionFit
        A fit from :func:`nrplan.econ.adoption.fit_adoption`.
    t_eval : array_like
        Times to forecast [year].
    rng : numpy.random.Generator
        Source of every random draw (pass a seeded one).
    n_boot : int
        Bootstrap resamples, 0..10,000 (0: no bootstrap, intervals NaN).
    level : float
        Interval coverage in (0, 1).
    m_max : float, optional
        Upper bound of ``m`` used in the refits (as in the original fit).
    seed : int, optional
        The seed of ``rng``, only recorded in the result.

    Returns
    -------
    FitUncertainty
    """
    check_range("n_boot", n_boot, 0, 10_000)
    check_range("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    name = fit.model.model
    keys = PARAM_NAMES[name]
    theta = np.array([fit.model.params[k] for k in keys], dtype=float)
    t0 = fit.model.t0
    t = np.asarray(fit.years, dtype=float)
    te = np.asarray(t_eval, dtype=float).ravel()
    value = model_values(name, theta, t0, te)
    resid = fit.users - fit.fitted
    dof = int(t.size - theta.size)
    nan = np.full(te.shape, math.nan)
    se_par = dict.fromkeys(keys, math.nan)
    se_f = nan.copy()
    if dof > 0:
        s2 = float(resid @ resid) / dof
        jac = _jacobian(name, theta, t0, t)
        jtj = jac.T @ jac
        if np.linalg.cond(jtj) < 1e14:
            cov = s2 * np.linalg.inv(jtj)
            se_par = {k: float(math.sqrt(max(cov[i, i], 0.0))) for i, k in enumerate(keys)}
            g = _jacobian(name, theta, t0, te)
            se_f = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", g, cov, g), 0.0))
    lo = hi = nan.copy()
    ok = 0
    if dof > 0 and n_boot > 0:
        draws = []
        for _ in range(n_boot):
            ystar = np.maximum(fit.fitted + rng.choice(resid, size=resid.size, replace=True), 0.0)
            bt = _refit(name, theta, t0, t, ystar, m_max)
            if bt is not None:
                draws.append(model_values(name, bt, t0, te))
        ok = len(draws)
        if ok >= 2:
            arr = np.vstack(draws)
            a = (1.0 - level) / 2.0
            lo = np.quantile(arr, a, axis=0)
            hi = np.quantile(arr, 1.0 - a, axis=0)
    return FitUncertainty(
        dof=dof,
        param_se=se_par,
        t=te,
        value=value,
        se=se_f,
        lo=lo,
        hi=hi,
        level=level,
        n_boot=n_boot,
        n_boot_ok=ok,
        seed=seed,
    )
