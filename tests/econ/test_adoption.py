"""Adoption: the fit recovers known parameters; validation; traffic growth."""

from __future__ import annotations

import numpy as np
import pytest

from nrplan.econ.adoption import (
    AdoptionModel,
    bass_cumulative,
    china_5g_history,
    fit_adoption,
    fit_growth,
    forecast,
    logistic_cumulative,
    read_history_csv,
    traffic_per_user,
)
from nrplan.errors import NrplanInputError

# With exact points the optimiser must land on the truth up to its own tolerance.
EXACT_RTOL = 1e-4
# With 1% multiplicative noise on 13 points the parameters move by ~1% (p, q, k) and
# ~0.2% (m); the tolerances leave a margin of ~4x for a fixed seed. t_mid: 0.2 year.
NOISY_RTOL = {"p": 0.05, "q": 0.05, "m": 0.02, "k": 0.05, "t_mid": 1e-4}

YEARS = np.arange(2020, 2033)


def test_bass_formula_by_hand():
    # tau = 1, p + q = 0.5: N = m (1 - e^-0.5) / (1 + 9 e^-0.5)
    e = np.exp(-0.5)
    assert bass_cumulative(2020, 0.05, 0.45, 100, 2019) == pytest.approx(
        100 * (1 - e) / (1 + 9 * e)
    )
    assert bass_cumulative(2018, 0.05, 0.45, 100, 2019) == 0.0
    assert logistic_cumulative(2024, 0.8, 2024, 1000) == pytest.approx(500)


@pytest.mark.parametrize("p,q,m", [(0.02, 0.6, 1000.0), (0.08, 0.3, 1800.0)])
def test_bass_fit_recovers_exact_parameters(p, q, m):
    users = bass_cumulative(YEARS, p, q, m, 2019)
    fit = fit_adoption(YEARS, users, "bass", t0=2019)
    got = fit.model.params
    assert got["p"] == pytest.approx(p, rel=EXACT_RTOL)
    assert got["q"] == pytest.approx(q, rel=EXACT_RTOL)
    assert got["m"] == pytest.approx(m, rel=EXACT_RTOL)
    assert fit.r2 == pytest.approx(1.0)


def test_fits_recover_parameters_from_noisy_points():
    rng = np.random.default_rng(20201231)
    noise = 1 + 0.01 * rng.standard_normal(YEARS.size)
    bass = fit_adoption(YEARS, bass_cumulative(YEARS, 0.03, 0.5, 900, 2019) * noise, t0=2019)
    for k, v in {"p": 0.03, "q": 0.5, "m": 900}.items():
        assert bass.model.params[k] == pytest.approx(v, rel=NOISY_RTOL[k])
    logi = fit_adoption(YEARS, logistic_cumulative(YEARS, 0.7, 2025, 1200) * noise, "logistic")
    for k, v in {"k": 0.7, "t_mid": 2025, "m": 1200}.items():
        assert logi.model.params[k] == pytest.approx(v, rel=NOISY_RTOL[k])


def test_china_history_and_fit():
    years, users = china_5g_history()
    # 2021: 21.6% of 1,643.2M mobile users = 354.9M
    assert users[1] == pytest.approx(0.216 * 1643.2)
    fit = fit_adoption(years, users, "bass", m_max=1828.0)
    assert fit.r2 > 0.99
    assert fit.model.params["m"] <= 1828.0 + 1e-6


@pytest.mark.parametrize(
    "years,users",
    [
        ([2022, 2021, 2020], [3, 2, 1]),  # reversed
        ([2020, 2020, 2021], [1, 2, 3]),  # repeated
        ([2020, 2021], [1, 2]),  # too few
        ([2020, 2021, 2022], [1, -2, 3]),  # negative
        ([2020, 2021, 2022], [1, 2]),  # lengths
    ],
)
def test_bad_history(years, users):
    with pytest.raises(NrplanInputError):
        fit_adoption(years, users)


def test_bad_model_and_t0():
    with pytest.raises(NrplanInputError, match="model"):
        fit_adoption(YEARS, YEARS - 2000.0, "gompertz")
    with pytest.raises(NrplanInputError, match="t0"):
        fit_adoption(YEARS, YEARS - 2000.0, "bass", t0=2021)
    with pytest.raises(NrplanInputError):
        AdoptionModel("bass", {"p": 0.1, "q": 0.2})


def test_forecast_and_traffic():
    model = AdoptionModel("logistic", {"k": 1.0, "t_mid": 2024.0, "m": 1000.0})
    df = forecast(model, 2026, start=2024, users_scale=1e6, mobile_users=2000.0, fiveg_uplift=0.0)
    assert list(df["year"]) == [2024, 2025, 2026]
    assert df["users"].iloc[0] == pytest.approx(500.0)
    assert df["penetration"].iloc[0] == pytest.approx(0.25)
    # 2020 annual mean DOU 10.35 GB (MIIT 2020 bulletin) grown 16.7 %/year for 4 years
    dou_2024 = 10.35 * 1.167**4
    assert df["dou_gb_per_month"].iloc[0] == pytest.approx(dou_2024)
    # 500e6 users x DOU x 12 months / 1e6 GB per PB
    assert df["traffic_pb_per_year"].iloc[0] == pytest.approx(500e6 * dou_2024 * 12 / 1e6)
    with pytest.raises(NrplanInputError, match="until"):
        forecast(model, 2020, start=2024)


def test_growth_fit_recovers_rate():
    years = np.arange(2020, 2026)
    a, g = fit_growth(years, 10.0 * 1.15 ** (years - 2020))
    assert a == pytest.approx(10.0) and g == pytest.approx(0.15)
    assert traffic_per_user(2023, base_gb_per_month=10.0, growth=0.1) == pytest.approx(13.31)


def test_read_history_csv(tmp_path):
    f = tmp_path / "h.csv"
    f.write_text("year,users\n2020,1\n2021,3\n2022,7\n")
    years, users = read_history_csv(f)
    assert years.tolist() == [2020, 2021, 2022] and users.tolist() == [1, 3, 7]
    bad = tmp_path / "bad.csv"
    bad.write_text("yr,n\n2020,1\n")
    with pytest.raises(NrplanInputError):
        read_history_csv(bad)
