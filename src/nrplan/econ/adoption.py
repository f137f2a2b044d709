"""Adoption of 5G: Bass diffusion and logistic models, fit to history, and traffic growth.

Cumulative adopters ``N(t)`` at time ``t`` [year, the value of year ``Y`` is
taken at the end of ``Y``, i.e. ``t = Y``]:

Bass (1969), start ``t0`` (no adopters before it), innovation ``p``, imitation
``q``, market potential ``m``::

    N(t) = m (1 - exp(-(p + q) tau)) / (1 + (q / p) exp(-(p + q) tau)),   tau = max(t - t0, 0)

Logistic, growth rate ``k`` [1/year], mid-point ``t_mid`` [year], saturation ``m``::

    N(t) = m / (1 + exp(-k (t - t_mid)))

Both fit to history points by bounded nonlinear least squares
(:func:`scipy.optimize.least_squares`, trust-region reflective), or are set by
hand (:class:`AdoptionModel`). Traffic per user grows geometrically:
``DOU(Y) = DOU(Y0) (1 + g)^(Y - Y0)`` [GB/user/month].

References
----------
F. M. Bass, "A new product growth for model consumer durables", Management
Science 15(5), 1969. Default history: MIIT 5G penetration x mobile users
(MIIT bulletins and monthly reports, ``docs/sources.md``; :mod:`nrplan.defaults`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import least_squares

from nrplan.econ.defaults import DEFAULTS, value, year_value
from nrplan.errors import NrplanInputError, check_choice, check_range
from nrplan.units import GB_PER_PB

__all__ = [
    "MODELS",
    "AdoptionFit",
    "AdoptionModel",
    "bass_cumulative",
    "china_5g_history",
    "fit_adoption",
    "fit_growth",
    "forecast",
    "logistic_cumulative",
    "read_history_csv",
    "traffic_per_user",
    "validate_history",
]

MODELS = ("bass", "logistic")
PARAM_NAMES = {"bass": ("p", "q", "m"), "logistic": ("k", "t_mid", "m")}

# Bounds of the fit (p, q as in Bass 1969 and the diffusion literature: p ~0.01-0.03,
# q ~0.3-0.5 for consumer durables; wide enough for fast technology swaps).
BASS_P_BOUNDS = (1e-6, 1.0)
BASS_Q_BOUNDS = (0.0, 3.0)
LOGISTIC_K_BOUNDS = (1e-3, 5.0)
M_MAX_FACTOR = 20.0  # default upper bound of m: 20 x the largest observed value


def bass_cumulative(t, p: float, q: float, m: float, t0: float = 0.0) -> np.ndarray:
    """Cumulative adopters of the Bass model at times ``t``.

    Parameters
    ----------
    t : array_like
        Time [year]; NaN in, NaN out.
    p : float
        Coefficient of innovation [1/year], > 0.
    q : float
        Coefficient of imitation [1/year], >= 0.
    m : float
        Market potential [adopters].
    t0 : float
        Start of diffusion [year]; ``N = 0`` for ``t <= t0``.

    Returns
    -------
    numpy.ndarray
        Cumulative adopters [same unit as ``m``].

    References
    ----------
    Bass (1969), Management Science 15(5), eq. (5).
    """
    tt = np.asarray(t, dtype=float)
    tau = np.maximum(tt - t0, 0.0)
    e = np.exp(-(p + q) * tau)
    out = m * (1.0 - e) / (1.0 + (q / p) * e)
    return np.where(np.isnan(tt), np.nan, out)


def logistic_cumulative(t, k: float, t_mid: float, m: float) -> np.ndarray:
    """Cumulative adopters of the logistic model ``m / (1 + exp(-k (t - t_mid)))``.

    Parameters
    ----------
    t : array_like
        Time [year].
    k : float
        Growth rate [1/year].
    t_mid : float
        Inflection point, half saturation [year].
    m : float
        Saturation level [adopters].
    """
    tt = np.asarray(t, dtype=float)
    return m / (1.0 + np.exp(-k * (tt - t_mid)))


@dataclass(frozen=True)
class AdoptionModel:
    """A diffusion model with its parameters, fitted or set by hand.

    Attributes
    ----------
    model : str
        ``"bass"`` or ``"logistic"``.
    params : dict
        Bass: ``p``, ``q``, ``m``; logistic: ``k``, ``t_mid``, ``m``.
    t0 : float
        Bass start year (ignored by the logistic model).
    """

    model: str
    params: dict[str, float]
    t0: float = value("adoption_t0")

    def __post_init__(self) -> None:
        model = check_choice("model", self.model, MODELS)
        object.__setattr__(self, "model", model)
        need = PARAM_NAMES[model]
        if set(self.params) != set(need):
            raise NrplanInputError("params", sorted(self.params), f"exactly {', '.join(need)}")
        check_range("m", self.params["m"], 0.0)
        if model == "bass":
            check_range("p", self.params["p"], 0.0, lo_open=True)
            check_range("q", self.params["q"], 0.0)
        else:
            check_range("k", self.params["k"], 0.0, lo_open=True)

    def users(self, years) -> np.ndarray:
        """Cumulative adopters at the end of ``years`` [unit of ``m``]."""
        pr = self.params
        if self.model == "bass":
            return bass_cumulative(years, pr["p"], pr["q"], pr["m"], self.t0)
        return logistic_cumulative(years, pr["k"], pr["t_mid"], pr["m"])


@dataclass(frozen=True)
class AdoptionFit:
    """Result of :func:`fit_adoption`: the model and its goodness of fit."""

    model: AdoptionModel
    years: np.ndarray = field(repr=False)
    users: np.ndarray = field(repr=False)
    fitted: np.ndarray = field(repr=False)
    rmse: float
    r2: float


def validate_history(years, users) -> tuple[np.ndarray, np.ndarray]:
    """Check history points: equal length, >= 3, years strictly increasing, users >= 0.

    Raises
    ------
    NrplanInputError
        On any violation (e.g. years reversed).
    """
    y = np.asarray(years, dtype=float).ravel()
    u = np.asarray(users, dtype=float).ravel()
    if y.size != u.size:
        raise NrplanInputError("users", f"{u.size} values", f"{y.size} values, one per year")
    if y.size < 3:
        raise NrplanInputError("history", f"{y.size} points", "at least 3 (year, users) points")
    if not (np.isfinite(y).all() and np.isfinite(u).all()):
        raise NrplanInputError("history", "NaN/inf", "finite years and users")
    if np.any(np.diff(y) <= 0):
        raise NrplanInputError(
            "years", y.tolist(), "strictly increasing years (not reversed, no repeats)"
        )
    check_range("users", u, 0.0)
    return y, u


def fit_adoption(
    years,
    users,
    model: str = "bass",
    *,
    t0: float | None = None,
    m_max: float | None = None,
) -> AdoptionFit:
    """Fit a Bass or logistic model to history points by bounded least squares.

    Parameters
    ----------
    years : array_like
        Years of the points (end-of-year values), strictly increasing.
    users : array_like
        Cumulative adopters at those years (any unit, e.g. millions), >= 0.
    model : str
        ``"bass"`` or ``"logistic"``.
    t0 : float, optional
        Bass start year, < first year; default ``years[0] - 1``.
    m_max : float, optional
        Upper bound of the market potential (e.g. all mobile users); default
        ``20 x max(users)``. The lower bound is ``max(users)``.

    Returns
    -------
    AdoptionFit

    Notes
    -----
    Residuals are scaled by ``max(users)``; several starting points are tried
    and the lowest cost kept, so the result is deterministic.
    """
    name = check_choice("model", model, MODELS)
    y, u = validate_history(years, users)
    scale = float(u.max()) if u.max() > 0 else 1.0
    un = u / scale
    if m_max is not None:
        check_range("m_max", m_max, 0.0, lo_open=True, unit="users")
    if t0 is not None:
        check_range("t0", t0, 1900.0, 2100.0, unit="year")
    m_hi = (M_MAX_FACTOR * scale if m_max is None else float(m_max)) / scale
    if m_hi <= 1.0:
        raise NrplanInputError("m_max", m_max, f"> the largest observed value {scale:g}")
    m_lo = 1.0
    if name == "bass":
        start = float(y[0] - 1.0) if t0 is None else float(t0)
        if start >= y[0]:
            raise NrplanInputError("t0", t0, f"< first history year {y[0]:g}")

        def resid(x: np.ndarray) -> np.ndarray:
            return bass_cumulative(y, x[0], x[1], x[2], start) - un

        lo = [BASS_P_BOUNDS[0], BASS_Q_BOUNDS[0], m_lo]
        hi = [BASS_P_BOUNDS[1], BASS_Q_BOUNDS[1], m_hi]
        starts = [
            (p0, q0, min(max(mf, m_lo * 1.01), m_hi * 0.99))
            for p0 in (0.005, 0.03)
            for q0 in (0.3, 1.0)
            for mf in (1.5, 4.0)
        ]
    else:
        start = value("adoption_t0") if t0 is None else float(t0)

        def resid(x: np.ndarray) -> np.ndarray:
            return logistic_cumulative(y, x[0], x[1], x[2]) - un

        lo = [LOGISTIC_K_BOUNDS[0], y[0] - 30.0, m_lo]
        hi = [LOGISTIC_K_BOUNDS[1], y[-1] + 30.0, m_hi]
        starts = [
            (k0, tm, min(max(mf, m_lo * 1.01), m_hi * 0.99))
            for k0 in (0.3, 1.0)
            for tm in (float(y[-1]), float(y[-1]) + 5.0)
            for mf in (1.5, 4.0)
        ]
    best = None
    for x0 in starts:
        sol = least_squares(resid, np.asarray(x0, float), bounds=(lo, hi), method="trf")
        if best is None or sol.cost < best.cost:
            best = sol
    assert best is not None
    x = best.x.copy()
    x[2] *= scale
    params = dict(zip(PARAM_NAMES[name], (float(v) for v in x), strict=True))
    fitted_model = AdoptionModel(name, params, start)
    fitted = fitted_model.users(y)
    ss_res = float(np.sum((fitted - u) ** 2))
    ss_tot = float(np.sum((u - u.mean()) ** 2))
    return AdoptionFit(
        model=fitted_model,
        years=y,
        users=u,
        fitted=fitted,
        rmse=math.sqrt(ss_res / y.size),
        r2=1.0 - ss_res / ss_tot if ss_tot > 0 else math.nan,
    )


def china_5g_history() -> tuple[np.ndarray, np.ndarray]:
    """Default history: China's 5G users at the end of 2020..2025 [million].

    ``users = penetration x mobile users``; 2020 penetration is derived
    (>200M 5G terminal connections / 1,594M mobile users = 12.5%); the
    mobile-user totals of 2021-2025 are derived from MIIT monthly reports.
    Sources: :data:`nrplan.econ.defaults.DEFAULTS` entries
    ``fiveg_penetration`` and ``mobile_users_m``.
    """
    pen = np.asarray(DEFAULTS["fiveg_penetration"].value, dtype=float)
    base = np.asarray(DEFAULTS["mobile_users_m"].value, dtype=float)
    years = np.arange(2020, 2020 + pen.size, dtype=float)
    return years, pen * base


def read_history_csv(path) -> tuple[np.ndarray, np.ndarray]:
    """Read history points from a CSV with columns ``year`` and ``users``.

    Raises
    ------
    NrplanInputError
        Missing columns or bad values (see :func:`validate_history`).
    """
    import pandas as pd

    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        msg = " ".join(str(exc).split())[:80]
        raise NrplanInputError(
            "history", str(path), f"a UTF-8 CSV with columns 'year' and 'users' ({msg})"
        ) from None
    cols = {c.strip().lower(): c for c in df.columns}
    if "year" not in cols or "users" not in cols:
        raise NrplanInputError("history", list(df.columns), "CSV columns 'year' and 'users'")
    try:
        years = df[cols["year"]].to_numpy(dtype=float)
        users = df[cols["users"]].to_numpy(dtype=float)
    except ValueError as exc:
        raise NrplanInputError("history", str(path), "numeric year and users") from exc
    return validate_history(years, users)


def traffic_per_user(
    years,
    *,
    base_year: int = 2020,
    base_gb_per_month: float | None = None,
    growth: float | None = None,
) -> np.ndarray:
    """Mobile data per user per month (DOU) in ``years`` [GB/user/month].

    ``DOU(Y) = base x (1 + growth)^(Y - base_year)``; defaults: 10.35 GB, the
    2020 annual mean (MIIT 2020 bulletin), and 16.7%/year (Dec-2020 -> Dec-2023,
    derived); see ``docs/sources.md``.
    """
    if base_gb_per_month is None:
        base = year_value("dou_gb_per_month", 2020)
    else:
        base = float(base_gb_per_month)
    g = value("dou_growth") if growth is None else float(growth)
    check_range("base_gb_per_month", base, 0.0, unit="GB")
    check_range("growth", g, -1.0, lo_open=True)
    return base * (1.0 + g) ** (np.asarray(years, dtype=float) - base_year)


def fit_growth(years, values) -> tuple[float, float]:
    """Fit ``values = a (1 + g)^(years - years[0])`` by least squares on logs.

    Returns
    -------
    (a, g) : tuple of float
        Value at the first year and the growth per year [1/year].
    """
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    validate_history(y, v)
    check_range("values", v, 0.0, lo_open=True)
    slope, intercept = np.polyfit(y - y[0], np.log(v), 1)
    return float(np.exp(intercept)), float(np.expm1(slope))


def forecast(
    model: AdoptionModel,
    until: int,
    *,
    start: int = 2020,
    users_scale: float = 1.0,
    mobile_users: float | None = None,
    dou_base_year: int = 2020,
    dou_gb_per_month: float | None = None,
    dou_growth: float | None = None,
    fiveg_uplift: float | None = None,
):
    """Users and traffic per year from ``start`` to ``until`` (inclusive).

    Parameters
    ----------
    model : AdoptionModel
    until, start : int
        Last and first forecast years; ``until >= start``.
    users_scale : float
        Persons per unit of the model's users (1e6 if users are in millions).
    mobile_users : float, optional
        Mobile-user base in model units, for a ``penetration`` column.
    dou_base_year, dou_gb_per_month, dou_growth
        Traffic per user, see :func:`traffic_per_user`.
    fiveg_uplift : float, optional
        Extra usage of a 5G user over the average DOU (default 0.237, China
        Mobile 2020).

    Returns
    -------
    pandas.DataFrame
        ``year, users, new_users, [penetration], dou_gb_per_month,
        traffic_pb_per_year`` (1 PB = 1e6 GB; traffic of the 5G users).
    """
    import pandas as pd

    if until < start:
        raise NrplanInputError("until", until, f">= start year {start} (years reversed?)")
    up = value("fiveg_dou_uplift") if fiveg_uplift is None else float(fiveg_uplift)
    check_range("fiveg_uplift", up, -1.0, lo_open=True)
    check_range("users_scale", users_scale, 0.0, lo_open=True)
    years = np.arange(start, until + 1)
    users = model.users(years)
    prev = model.users(years - 1)
    dou = traffic_per_user(
        years, base_year=dou_base_year, base_gb_per_month=dou_gb_per_month, growth=dou_growth
    )
    df = pd.DataFrame({"year": years, "users": users, "new_users": users - prev})
    if mobile_users is not None:
        check_range("mobile_users", mobile_users, 0.0, lo_open=True)
        df["penetration"] = users / mobile_users
    df["dou_gb_per_month"] = dou * (1.0 + up)
    df["traffic_pb_per_year"] = users * users_scale * df["dou_gb_per_month"] * 12.0 / GB_PER_PB
    return df
