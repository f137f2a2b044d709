"""CLI: nrplan rollout on one tiny city; bad years and selections are one line, exit 2."""

from __future__ import annotations

import csv
import json

import pytest

from nrplan.cli import main


def test_rollout_one_city_two_years(capsys, tmp_path):
    out = tmp_path / "ro"
    argv = ["rollout", "--cities", "Jiayuguan", "--years", "2020-2021", "--resolution", "100"]
    rc = main([*argv, "--scheduler", "serial", "--out", str(out), "--json"])
    assert rc == 0
    res = json.loads(capsys.readouterr().out)
    rows = res["years"]
    assert [r["year"] for r in rows] == [2020, 2021]
    assert [r["scope"] for r in rows] == ["prefecture", "county"]
    # cumulative sites never fall and are the running max of what each year needs
    assert rows[0]["sites"] == rows[0]["sites_needed"] > 0
    assert rows[1]["sites"] == max(rows[0]["sites"], rows[1]["sites_needed"])
    assert rows[1]["new_sites"] == rows[1]["sites"] - rows[0]["sites"]
    assert rows[0]["new_sites"] == rows[0]["sites"]
    # first-year capex is that of the whole network; a year with nothing new costs 0
    assert rows[0]["capex"] > 0
    assert (rows[1]["capex"] == 0) == (rows[1]["new_sites"] == 0 and rows[1]["new_sectors"] == 0)
    # each year's own plan is a full run directory; the table and the chart are written
    for name in ("rollout.csv", "rollout.png", "2020/summary.json", "2021/summary.json"):
        assert (out / name).is_file(), name
    with (out / "rollout.csv").open() as fh:
        table = list(csv.DictReader(fh))
    assert [float(r["sites"]) for r in table] == [r["sites"] for r in rows]
    # penetration of the year's demand defaults (MIIT 12.5 % in 2020, 21.6 % in 2021)
    assert [r["penetration"] for r in rows] == [0.125, 0.216]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["rollout", "--years", "2021-2020"], "reversed"),
        (["rollout", "--years", "2019-2021"], "2020-2025"),
        (["rollout", "--years", "2022,2021"], "--years"),
        (["rollout", "--years", "soon"], "--years"),
        (["rollout", "--all", "--cities", "Jiayuguan"], "--all"),
        (["rollout", "--cities", "Atlantis", "--years", "2020"], "Atlantis"),
        (["rollout", "--resolution", "-5", "--years", "2020"], "resolution"),
        (["sensitivity", "--year", "2030"], "--year"),
        (["sensitivity", "--operators", "three"], "operators"),
    ],
)
def test_bad_input_one_line_exit_2(argv, needle, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nrplan: error:")
    assert needle in err
    assert not (tmp_path / "o" / "rollout.csv").exists()
