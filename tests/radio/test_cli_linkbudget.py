"""``nrplan linkbudget`` and ``nrplan peakrate``: tables, JSON and one-line errors."""

from __future__ import annotations

import json

import pytest

from nrplan.cli import main


def test_peakrate_json_2337(capsys):
    assert main(["peakrate", "--bw", "100", "--scs", "30", "--layers", "4", "--qam", "256",
                 "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    # 4 * 8 * 948/1024 * 273*12*28000 * 0.86 * 1e-6 = 2337.0 Mbit/s (TS 38.306 4.1.2)
    assert out["mbps"] == pytest.approx(2337.0, abs=1.0)
    assert out["n_prb"] == 273


def test_peakrate_tdd_table(capsys):
    assert main(["peakrate", "--tdd", "DDDSU"]) == 0
    out = capsys.readouterr().out
    # 2337.0 * 52/70 = 1736.1 Mbit/s, printed to 4 significant digits
    assert "1736" in out
    assert "DDDSU" in out


@pytest.mark.parametrize(
    "argv, word",
    [
        (["peakrate", "--bw", "60", "--scs", "15"], "bw_mhz"),
        (["peakrate", "--layers", "9"], "layers"),
        (["peakrate", "--layers", "0"], "layers"),
        (["peakrate", "--tdd", "DDXU"], "tdd"),
        (["linkbudget", "--band", "n99"], "band"),
        (["linkbudget", "--scenario", "space"], "scenario"),
        (["linkbudget", "--edge-dl-mbps", "9000"], "edge_dl_mbps"),
    ],
)
def test_bad_input_one_line_exit_2(argv, word, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert word in err


def test_linkbudget_json_keys(capsys):
    assert main(["linkbudget", "--band", "n78", "--scenario", "uma", "--edge-dl-mbps", "50",
                 "--edge-ul-mbps", "2", "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    for key in ("max_range_m", "limiting_link", "mapl_dl_db", "mapl_ul_db", "eirp_dbm",
                "dl_noise_dbm", "dl_required_sinr_db", "ul_required_sinr_db"):  # fmt: skip
        assert key in out
    assert out["limiting_link"] in ("dl", "ul")
    assert out["max_range_m"] == pytest.approx(min(out["range_dl_m"], out["range_ul_m"]))
    assert out["max_range_m"] > 0


def test_linkbudget_table(capsys):
    assert main(["linkbudget", "--band", "n28", "--scenario", "rma"]) == 0
    out = capsys.readouterr().out
    assert "Max cell range" in out and "Limiting link" in out
