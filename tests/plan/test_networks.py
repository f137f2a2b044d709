"""The networks of an ``operators`` scenario: china-2020 plans China Mobile and
the CT + CU shared RAN over the same cities."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from nrplan.cli import main
from nrplan.errors import NrplanInputError
from nrplan.geo.region import china_regions
from nrplan.plan.config import PlanConfig, load_config
from nrplan.plan.national import plan_regions
from nrplan.plan.networks import NETWORKS, network_config, networks_for

CFG = PlanConfig(resolution_m=100.0, rasters=False, max_iterations=3, operators="china-2020")


def test_user_shares_are_the_end_2020_subscriber_split():
    # China Mobile 942 M of 1,594 M mobile users; CT + CU the other 652 M
    assert NETWORKS["cm"].user_share == pytest.approx(942 / 1594, abs=5e-4)
    assert NETWORKS["ctcu"].user_share == pytest.approx(652 / 1594, abs=5e-4)
    assert NETWORKS["cm"].user_share + NETWORKS["ctcu"].user_share == pytest.approx(1.0)
    assert NETWORKS["single"].user_share == pytest.approx(0.205)


def test_network_configs_move_the_n78_layers_to_the_network_band():
    cm, ctcu = networks_for(CFG)
    assert (cm.name, ctcu.name) == ("cm", "ctcu")
    c = network_config(CFG, cm)
    assert {layer.band for layer in c.layers.values()} == {"n41"}
    assert c.operators == "single"
    s = network_config(CFG, ctcu)
    assert {layer.band for layer in s.layers.values()} == {"n78-shared"}
    assert s.operators == "shared"
    # overrides by network name
    over = CFG.model_copy(
        update={
            "networks": load_config(
                operators="china-2020", networks={"cm": {"user_share": 0.5, "band": "n79"}}
            ).networks
        }
    )
    cm2 = networks_for(over)[0]
    assert cm2.user_share == 0.5 and cm2.band == "n79"


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"operators": "china-2021"}, "unknown operators scenario 'china-2021'; allowed: "),
        ({"operators": "china-2020", "year": 2022}, "2020 scenario"),
        ({"operators": "china-2020", "networks": {"cmcc": {}}}, "unknown network cmcc"),
        ({"operators": "single", "networks": {"cm": {}}}, "allowed: single"),
        ({"operators": "china-2020", "networks": {"cm": {"user_share": 1.5}}}, "user_share"),
        ({"operators": "china-2020", "networks": {"cm": {"band": "n99"}}}, "unknown band"),
        ({"operators": "china-2020", "networks": {"cm": {"user_share": float("nan")}}}, "finite"),
        ({"operators": "china-2020", "networks": {"cm": {"user_share": 0.0}}}, "greater than 0"),
        ({"operators": "china-2020", "networks": {"cm": {"share": 0.5}}}, "networks.cm.share"),
        ({"operators": ""}, "unknown operators scenario ''"),
    ],
)
def test_bad_scenarios_are_one_line_errors(kw, match):
    with pytest.raises(NrplanInputError, match=match) as exc:
        load_config(**kw)
    assert "\n" not in str(exc.value)


def _cli(argv, capsys) -> tuple[int, str]:
    code = main(argv)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_cli_rejects_unknown_scenario_and_unknown_network(tmp_path, capsys):
    code, text = _cli(
        ["plan", "china", "--operators", "china-2021", "--out", str(tmp_path)], capsys
    )
    assert code == 2 and "china-2021" in text and "Traceback" not in text
    assert len(text.strip().splitlines()) == 1
    toml = tmp_path / "bad.toml"
    toml.write_text('operators = "china-2020"\n[networks.cmcc]\nuser_share = 0.5\n')
    out = tmp_path / "o"
    code, text = _cli(["plan", "china", "--config", str(toml), "--out", str(out)], capsys)
    assert code == 2 and "unknown network cmcc" in text
    assert len(text.strip().splitlines()) == 1
    assert not (out / "summary.json").exists()


@pytest.fixture(scope="module")
def two_networks(tmp_path_factory):
    out = tmp_path_factory.mktemp("china2020")
    regions = china_regions(["Jiayuguan", "Karamay"])
    return out, plan_regions(regions, CFG, out, scheduler="serial")


def test_both_networks_reported_and_the_total_is_their_sum(two_networks):
    _, s = two_networks
    assert s["operators"] == "china-2020"
    nets = s["networks"]
    assert list(nets) == ["cm", "ctcu"]
    assert nets["cm"]["bands"] == ["n41"] and nets["ctcu"]["bands"] == ["n78-shared"]
    nat = s["national"]
    for key in ("sites", "sectors", "users"):
        assert nat[key] == pytest.approx(sum(n["national"][key] for n in nets.values())), key
    assert nat["cities"] == 2
    assert nat["sites_by_network"] == {k: v["national"]["sites"] for k, v in nets.items()}
    assert nat["target_population"] == nets["cm"]["national"]["target_population"]
    eco = s["economics"]
    assert eco["national"]["tco"] == pytest.approx(
        sum(v["economics"]["tco"] for v in nets.values())
    )
    assert "sharing" in nets["ctcu"]["economics"]  # the shared RAN's saving is its own
    # both networks are planned on their own band
    assert 0 < nets["cm"]["national"]["sites"] and 0 < nets["ctcu"]["national"]["sites"]


def test_each_network_carries_its_operators_share_of_the_users(two_networks):
    out, s = two_networks
    cities = pd.read_csv(out / "cities.csv")
    assert sorted(set(cities["network"])) == ["cm", "ctcu"] and len(cities) == 4
    assert cities["sites"].sum() == s["national"]["sites"]
    by = cities.pivot(index="id", columns="network", values="users")
    ratio = NETWORKS["cm"].user_share / NETWORKS["ctcu"].user_share
    assert (by["cm"] / by["ctcu"]).to_numpy() == pytest.approx(ratio, rel=1e-6)
    pop = cities.pivot(index="id", columns="network", values="target_population")
    assert (pop["cm"] == pop["ctcu"]).all()  # the same scope


def test_sites_gpkg_has_a_network_column(two_networks):
    out, s = two_networks
    g = gpd.read_file(out / "sites.gpkg", layer="sectors")
    assert set(g["network"]) == {"cm", "ctcu"}
    assert set(g.loc[g["network"] == "cm", "band"]) == {"n41"}
    assert set(g.loc[g["network"] == "ctcu", "band"]) == {"n78-shared"}
    assert g["site_id"].str.startswith(("cm-", "ctcu-")).all()
    assert len(g) == s["national"]["sectors"]


def test_shared_ran_saving_compares_with_one_operator_on_its_own_carrier(two_networks):
    from nrplan.plan.economics import separate_site_ratio

    _, s = two_networks
    rec = next(c for c in s["cities"] if c["network"] == "ctcu" and c["sites"])
    ctcu = networks_for(CFG)[1]
    on_pooled = network_config(CFG, ctcu)  # layers on n78-shared
    on_own = PlanConfig(resolution_m=100.0, operators="shared")  # layers on n78
    ratio = separate_site_ratio(rec, on_pooled)
    assert ratio == pytest.approx(separate_site_ratio(rec, on_own))
    assert ratio != pytest.approx(1.0, abs=1e-3)
    saving = s["networks"]["ctcu"]["economics"]["sharing"]["saving_share"]
    assert 0.0 < saving < 0.5
