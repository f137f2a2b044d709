"""The defaults table: every entry sourced, tagged and well-formed."""

from __future__ import annotations

import pytest

from nrplan.econ.defaults import DEFAULTS, STATUSES, default, defaults_table, value
from nrplan.errors import NrplanInputError


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_every_default_has_source_unit_and_status(name):
    d = DEFAULTS[name]
    assert d.name == name
    assert d.source.strip(), f"{name} has no source"
    assert d.unit.strip()
    assert d.status in STATUSES
    if d.currency is not None:
        assert d.currency in ("CNY", "USD")


def test_table_has_one_row_per_default():
    df = defaults_table()
    assert len(df) == len(DEFAULTS)
    assert (df["source"].str.len() > 0).all()


def test_value_and_lookup():
    # China Tower 2020: 733.71e8 CNY / 317.5e4 tenancies = 23,109 CNY -> 23,100
    assert 733.71e8 / 317.5e4 == pytest.approx(value("tower_fee_per_tenancy"), rel=1e-3)
    assert value("grid_co2_factor") == 0.5568
    with pytest.raises(NrplanInputError, match="tower_fee_per_tenancy"):
        default("tower_fee_per_tennancy")
    with pytest.raises(TypeError):
        value("traffic_profile")


def test_calibration_against_ccsa_site_power():
    # 3 x P0 + BBU within CCSA idle 2.2-2.3 kW; 3 x Pmax + BBU within full 3.7-3.9 kW
    idle = 3 * value("p0_64t64r") + value("bbu_power")
    full = 3 * value("pmax_64t64r") + value("bbu_power")
    assert 2200 <= idle <= 2300
    assert 3700 <= full <= 3900


def test_check_plausible_names_unit_and_slip():
    from nrplan.econ.defaults import PLAUSIBLE, check_plausible

    for name in PLAUSIBLE:
        assert check_plausible(name, value(name)) == value(name)
    with pytest.raises(NrplanInputError, match=r"grid_co2_factor=556.8.*kg/kWh.*g/kWh\?"):
        check_plausible("grid_co2_factor", 556.8)
    with pytest.raises(NrplanInputError, match="finite"):
        check_plausible("electricity_price", float("nan"))


def test_implausible_values_pass_on_purpose_but_stay_finite(monkeypatch):
    from nrplan.econ.defaults import ALLOW_IMPLAUSIBLE_ENV, check_plausible
    from nrplan.errors import NrplanInputError

    with pytest.raises(NrplanInputError, match=ALLOW_IMPLAUSIBLE_ENV):
        check_plausible("electricity_price", 650.0)
    monkeypatch.setenv(ALLOW_IMPLAUSIBLE_ENV, "1")
    assert check_plausible("electricity_price", 650.0) == 650.0
    with pytest.raises(NrplanInputError, match="finite"):
        check_plausible("electricity_price", float("nan"))
