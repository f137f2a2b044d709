"""Numeric CLI options and settings: finite, in range, one-line error, exit 2."""

from __future__ import annotations

import math

import pytest

from nrplan.cli import main
from nrplan.errors import NrplanInputError, check_range, parse_float_list


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.err


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["pathloss", "--d2d", "nan"], "--d2d"),
        (["pathloss", "--d2d", "50,,100"], "--d2d"),
        (["pathloss", "--d2d", "inf"], "--d2d"),
        (["pathloss", "--d2d", "50,100,"], "--d2d"),
        (["pathloss", "--hbs", "1e6"], "--hbs"),
        (["pathloss", "--hbs", "inf"], "--hbs"),
        (["pathloss", "--hbs", "nan"], "--hbs"),
        (["pathloss", "--scenario", "rma", "--hbs", "5"], "--hbs"),
        (["pathloss", "--fc", "nan"], "--fc"),
        (["pathloss", "--hut", "nan"], "--hut"),
        (["energy", "--sectors", "nan"], "radios"),
        (["energy", "--price", "nan"], "electricity_price"),
        (["energy", "--co2-factor", "nan"], "grid_co2_factor"),
        (["energy", "--capacity-mbps", "nan"], "capacity_mbps"),
        (["energy", "--price", "650"], "electricity_price"),
        (["energy", "--co2-factor", "556.8"], "grid_co2_factor"),
        (["energy", "--traffic-profile", "0.1,,0.2"], "traffic_profile"),
        (["cost", "--sites", "nan"], "sites"),
        (["cost", "--sites", "inf"], "sites"),
        (["cost", "--sites", "10", "--reused-share", "nan"], "reused_share"),
        (["cost", "--sites", "10", "--discount", "nan"], "discount_rate"),
        (["cost", "--sites", "10", "--set", "discount_rate=1.5"], "discount_rate"),
        (["cost", "--sites", "10", "--set", "years=0"], "years"),
        (["cost", "--sites", "10", "--set", "currency=EUR"], "currency"),
        (["cost", "--sites", "10", "--set", "price_year=2025"], "price_year"),
        (["cost", "--sites", "10", "--set", "cny_per_usd=6897"], "cny_per_usd"),
        (["cost", "--sites", "10", "--set", "tower_fee_per_tenancy=inf"], "tower_fee"),
        (["cost", "--sites", "10", "--set", "electricity_price=650"], "electricity_price"),
        (["cost", "--sites", "10", "--set", "bbu_per_site=nan"], "bbu_per_site"),
        (["adoption", "--t0", "nan"], "t0"),
        (["adoption", "--m-max", "nan"], "m_max"),
    ],
)
def test_bad_number_is_one_line_exit_2(capsys, argv, field):
    code, err = _run(capsys, argv)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("nrplan: error: ")
    assert field in err


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["energy", "--price", "650"], "CNY/MWh"),
        (["energy", "--co2-factor", "556.8"], "g/kWh"),
        (["pathloss", "--hbs", "1e6"], "150"),
    ],
)
def test_unit_slip_hint(capsys, argv, hint):
    code, err = _run(capsys, argv)
    assert code == 2 and hint in err


@pytest.mark.parametrize(
    "argv",
    [
        ["pathloss", "--d2d", "50,100", "--hbs", "30"],
        ["energy", "--price", "0.8", "--co2-factor", "0.55", "--capacity-mbps", "900"],
        ["cost", "--sites", "10", "--set", "discount_rate=0.1", "--json"],
        ["cost", "--sites", "10", "--set", "years=10", "--json"],
        ["cost", "--sites", "10", "--set", "currency=USD", "--json"],
        ["cost", "--sites", "10", "--set", "price_year=2020", "--set", "cny_per_usd=7.1"],
    ],
)
def test_valid_numbers_still_work(capsys, argv):
    code, err = _run(capsys, argv)
    assert code == 0, err


def test_set_wins_over_options(capsys):
    import json

    code = main(["cost", "--sites", "10", "--discount", "0.05", "--set", "discount_rate=0.1",
                 "--set", "currency=usd", "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["discount_rate"] == 0.1 and out["currency"] == "USD"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, [1.0, math.nan]])
def test_check_range_refuses_non_finite(bad):
    with pytest.raises(NrplanInputError, match=r"x=.*finite.*\[0, 10\] m"):
        check_range("x", bad, 0.0, 10.0, unit="m")


def test_check_range_allow_nan_only_for_nan():
    check_range("x", [1.0, math.nan], 0.0, 10.0, allow_nan=True)
    with pytest.raises(NrplanInputError):
        check_range("x", [1.0, math.inf], 0.0, None, allow_nan=True)


def test_parse_float_list():
    assert parse_float_list("d", " 50, 100 ") == [50.0, 100.0]
    for bad in ("", "50,,100", "nan", "1,-inf", "a"):
        with pytest.raises(NrplanInputError, match=r"^d="):
            parse_float_list("d", bad)
