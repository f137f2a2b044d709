"""China's industrial-internet series, and the September 2020 forecast checked against them.

The embedded table ``nrplan/data/industrial_internet.csv`` (built by
``tools/build_industrial_internet.py``; sources per row, notes in
``docs/industrial-internet.md``) holds one series per institute and method:

``caict_value_added``
    CAICT industrial-internet industry-economy value added [trillion CNY]
    (2018 1.42, 2019 2.13, 2020 expected 3.1).
``caii_value_added``
    CAII industrial-internet industry value added [trillion CNY] (2019 3.41,
    ..., 2024 5.01). CAII counts more than CAICT (3.41 vs 2.13 T for 2019): the
    two are never mixed in one fit.
``projects_5g_industrial_internet``
    MIIT count of "5G + industrial internet" projects.

At the September 2020 5G forum the industrial internet was put at 2.13 T yuan
(2019, CAICT's figure) and expected to exceed 5 T yuan by 2025
(:data:`EXPECTATION_2025`). :func:`forecast_check` fits a series on what was
published by a date (default 2020-09-30), forecasts it with uncertainty
(:mod:`nrplan.econ.uncertainty`) and sets the 2025 forecast against that
expectation and against the values the same institute published later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from nrplan.econ.adoption import fit_adoption
from nrplan.econ.uncertainty import FitUncertainty, fit_uncertainty
from nrplan.errors import NrplanInputError, check_choice

__all__ = [
    "AS_OF_2020",
    "EXPECTATION_2025",
    "SeriesCheck",
    "forecast_check",
    "load_table",
    "series_names",
]

#: The date of the forecast being checked (September 2020 5G forum).
AS_OF_2020 = "2020-09-30"

#: ">5 T yuan by 2025" (September 2020 5G forum, on the 2.13 T CAICT figure of 2019).
#: The statement was not found at a stored source: recall, to verify.
EXPECTATION_2025 = {
    "year": 2025,
    "value": 5.0,
    "unit": "trillion CNY",
    "basis": "CAICT 2019 value 2.13 T",
    "status": "recall - verify (the statement is not in the stored sources)",
}

_FILE = "industrial_internet.csv"


@cache
def load_table():
    """The embedded table as a :class:`pandas.DataFrame` (one row per published value)."""
    import pandas as pd

    with resources.files("nrplan.data").joinpath(_FILE).open("r", encoding="utf-8") as f:
        df = pd.read_csv(f)
    return df


def series_names() -> tuple[str, ...]:
    """Names of the embedded series, in table order."""
    return tuple(dict.fromkeys(load_table()["series"]))


def _as_of_key(as_of: str | None) -> str | None:
    """``"2020-09-30"`` / ``"2020-09"`` / ``"latest"`` / None -> ``"YYYY-MM"`` or None."""
    if as_of is None or str(as_of).strip().lower() == "latest":
        return None
    text = str(as_of).strip()
    parts = text.split("-")
    try:
        y, m = int(parts[0]), int(parts[1]) if len(parts) > 1 else 12
        if not (1900 <= y <= 2100 and 1 <= m <= 12) or len(parts) > 3:
            raise ValueError
    except (ValueError, IndexError):
        raise NrplanInputError("--as-of", text, "a date YYYY-MM[-DD] or 'latest'") from None
    return f"{y:04d}-{m:02d}"


@dataclass(frozen=True)
class SeriesCheck:
    """A series fitted on what was known at ``as_of``, forecast, and checked.

    ``known`` are the rows used in the fit, ``later`` the rows of the same
    series published after ``as_of`` (the outcome); ``checks`` one dict per
    comparison (the 2025 expectation, each later value).
    """

    series: str
    institute: str
    method: str
    unit: str
    model: str
    as_of: str
    params: dict[str, float]
    t0: float | None
    rmse: float
    uncertainty: FitUncertainty
    known: list[dict[str, Any]]
    later: list[dict[str, Any]]
    checks: list[dict[str, Any]]

    def forecast_rows(self) -> list[dict[str, float]]:
        """``[{"t", "value", "se", "lo", "hi"}]`` at the forecast times."""
        u = self.uncertainty
        return [
            {"t": float(t), "value": float(v), "se": float(s), "lo": float(a), "hi": float(b)}
            for t, v, s, a, b in zip(u.t, u.value, u.se, u.lo, u.hi, strict=True)
        ]


def forecast_check(
    series: str,
    *,
    model: str = "logistic",
    as_of: str | None = AS_OF_2020,
    until: int = 2030,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.90,
    m_max: float | None = None,
) -> SeriesCheck:
    """Fit ``series`` on the rows published by ``as_of`` and forecast it to ``until``.

    Parameters
    ----------
    series : str
        One of :func:`series_names`.
    model : str
        ``"logistic"`` or ``"bass"`` (:func:`nrplan.econ.adoption.fit_adoption`).
    as_of : str or None
        ``YYYY-MM[-DD]``: only rows published by then (month resolution) are
        fitted, the institute's estimate for the running year included (the
        2020 check: 2020-09-30); ``"latest"``/None: every row; ``"auto"``:
        2020-09-30 when at least 3 rows were published by then, else every row.
    until : int
        Last forecast year.
    n_boot, seed, level
        Residual bootstrap resamples, the seed of its generator, interval coverage.
    m_max : float, optional
        Upper bound of the saturation level (default 20 x the largest value).

    Returns
    -------
    SeriesCheck

    Raises
    ------
    NrplanInputError
        Unknown series (lists the valid names), a bad date, or fewer than 3
        points known at ``as_of``.
    """
    name = check_choice("--series", series, series_names())
    df = load_table()
    rows = df[df["series"] == name].sort_values("t")
    auto = as_of is not None and str(as_of).strip().lower() == "auto"
    key = _as_of_key(AS_OF_2020 if auto else as_of)
    known = rows if key is None else rows[rows["published"].astype(str) <= key]
    if auto and len(known) < 3:  # too little known in 2020 (e.g. project counts): all rows
        key, known = None, rows
    label = "latest" if key is None else key
    later = rows.drop(index=known.index)
    if len(known) < 3:
        raise NrplanInputError(
            "--as-of",
            f"{label} ({len(known)} point(s) of {name})",
            "a date with at least 3 published points of the series, or 'latest'",
        )
    t = known["t"].to_numpy(dtype=float)
    v = known["value"].to_numpy(dtype=float)
    fit = fit_adoption(t, v, model, m_max=m_max)
    last = math.floor(t[-1])
    if until <= last:
        raise NrplanInputError("--until", until, f"> last fitted year {last}")
    after = later["t"].to_numpy(float)
    t_eval = np.unique(
        np.concatenate([np.arange(last + 1, until + 1, dtype=float), after[after > t[-1]]])
    )
    unc = fit_uncertainty(
        fit,
        t_eval,
        rng=np.random.default_rng(seed),
        n_boot=n_boot,
        level=level,
        m_max=m_max,
        seed=seed,
    )
    at = {float(tt): i for i, tt in enumerate(unc.t)}

    def point(tt: float) -> dict[str, float]:
        i = at[float(tt)]
        return {
            "forecast": float(unc.value[i]),
            "se": float(unc.se[i]),
            "lo": float(unc.lo[i]),
            "hi": float(unc.hi[i]),
        }

    first = rows.iloc[0]
    checks: list[dict[str, Any]] = []
    if name.endswith("_value_added") and 2025.0 in at:
        exp = EXPECTATION_2025
        p = point(2025.0)
        checks.append(
            {
                "what": f"2025 forecast vs the September 2020 expectation (>{exp['value']:g} T)",
                "t": 2025.0,
                "published": exp["value"],
                "published_kind": "expectation",
                **p,
                "ratio": p["forecast"] / exp["value"],
                "source": f"September 2020 5G forum, {exp['basis']}; {exp['status']}",
            }
        )
    for r in later.itertuples():
        if float(r.t) <= t[-1]:  # a revision of a fitted year, not an outcome
            continue
        p = point(float(r.t))
        checks.append(
            {
                "what": f"{r.period} forecast vs {r.institute}'s published {r.kind} value",
                "t": float(r.t),
                "published": float(r.value),
                "published_kind": str(r.kind),
                **p,
                "ratio": p["forecast"] / float(r.value),
                "source": str(r.source),
            }
        )
    if not len(later):
        checks.append(
            {
                "what": f"no {first['institute']} value after {label} in the stored sources",
                "t": math.nan,
                "published": math.nan,
                "published_kind": "gap",
                "forecast": math.nan,
                "se": math.nan,
                "lo": math.nan,
                "hi": math.nan,
                "ratio": math.nan,
                "source": "",
            }
        )

    def recs(frame) -> list[dict[str, Any]]:
        cols = ["t", "period", "value", "kind", "published", "source"]
        return [
            {c: (float(x) if c in ("t", "value") else str(x)) for c, x in zip(cols, r, strict=True)}
            for r in frame[cols].itertuples(index=False)
        ]

    return SeriesCheck(
        series=name,
        institute=str(first["institute"]),
        method=str(first["method"]),
        unit=str(first["unit"]),
        model=fit.model.model,
        as_of=label,
        params=dict(fit.model.params),
        t0=fit.model.t0 if fit.model.model == "bass" else None,
        rmse=fit.rmse,
        uncertainty=unc,
        known=recs(known),
        later=recs(later),
        checks=checks,
    )
