"""``nrplan report`` / ``nrplan compare``: output files, JSON, one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nrplan.cli import main


def test_report_cli_writes_report_and_kmz(make_run, capsys) -> None:
    run = make_run(n_cities=2)
    assert main(["report", str(run), "--kml", "--max-cities", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert Path(out["report"]) == run / "report.html" and (run / "report.html").is_file()
    assert Path(out["kmz"]) == run / "sites.kmz" and (run / "sites.kmz").is_file()
    text = (run / "report.html").read_text(encoding="utf-8")
    assert text.count('<h3 id="city-') == 1


def test_compare_cli(make_run, tmp_path: Path, capsys) -> None:
    a, b = make_run(n_cities=1), make_run(n_cities=2)
    html = tmp_path / "cmp.html"
    assert main(["compare", str(a), str(b), "--out", str(html), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["path"] for r in data["runs"]] == [str(a), str(b)]
    sites = next(r for r in data["rows"] if r["key"] == "sites")
    assert list(sites["values"].values()) == [4, 4]
    assert html.is_file()
    assert main(["compare", str(a), str(b), "--out", str(html)]) == 0
    assert "nrplan compare" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["report", "compare"])
@pytest.mark.parametrize("problem", ["missing", "no-summary", "corrupt", "no-keys"])
def test_bad_run_dir_one_line_exit_2(tmp_path: Path, capsys, command: str, problem: str) -> None:
    run = tmp_path / "run"
    if problem != "missing":
        run.mkdir()
    if problem == "corrupt":
        (run / "summary.json").write_text('{"national": {"sites": 3,')
    if problem == "no-keys":
        (run / "summary.json").write_text('{"year": 2020}')
    args = [command, str(run)] + (
        ["--out", str(tmp_path / "c.html")] if command == "compare" else []
    )
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("nrplan: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
