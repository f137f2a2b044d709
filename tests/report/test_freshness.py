"""The report is written again only when what it shows changed."""

from __future__ import annotations

import json
import os

from nrplan.report import write_report
from nrplan.report.freshness import REPORT_VERSION, key_file


def _stamp(path) -> int:
    return path.stat().st_mtime_ns


def test_unchanged_run_is_not_rendered_again(make_run):
    run = make_run(n_cities=1, rasters=False, hist=False)
    report = write_report(run)
    assert key_file(report).is_file()
    first = _stamp(report)
    os.utime(report, ns=(first - 10**9, first - 10**9))  # tell a rewrite from a skip
    old = _stamp(report)
    # a resumed run writes the summary again: new creation time, wall time, command
    s = json.loads((run / "summary.json").read_text(encoding="utf-8"))
    s["created_utc"] = "2030-01-01T00:00:00+00:00"
    s["timings"] = {"wall_s": 0.5}
    s["command"] = "nrplan plan china --cities Jiayuguan --scheduler processes"
    (run / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    assert write_report(run) == report
    assert _stamp(report) == old
    # other options, force, or a changed KPI: rendered again
    write_report(run, max_cities=1)
    assert _stamp(report) != old
    os.utime(report, ns=(old, old))
    write_report(run, max_cities=1, force=True)
    assert _stamp(report) != old
    os.utime(report, ns=(old, old))
    s["national"]["sites"] = 999
    (run / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    text = write_report(run, max_cities=1).read_text(encoding="utf-8")
    assert _stamp(report) != old and "999" in text


def test_changed_side_file_or_deleted_report_renders_again(make_run):
    run = make_run(n_cities=1, rasters=False, hist=False)
    report = write_report(run)
    (run / "rollout.csv").write_text("year,sites\n2020,4\n", encoding="utf-8")
    old = _stamp(report) - 10**9
    os.utime(report, ns=(old, old))
    text = write_report(run).read_text(encoding="utf-8")
    assert _stamp(report) != old and 'id="years"' in text
    report.unlink()
    assert write_report(run).is_file()
    # a key of another report version does not count
    key_file(report).write_text(f"v{REPORT_VERSION - 1}\n", encoding="utf-8")
    os.utime(report, ns=(old, old))
    write_report(run)
    assert _stamp(report) != old


def test_cli_report_force_renders_an_up_to_date_report(make_run):
    from nrplan.cli import main

    run = make_run(n_cities=1, rasters=False, hist=False)
    report = write_report(run)
    old = _stamp(report) - 10**9
    os.utime(report, ns=(old, old))
    assert main(["report", str(run)]) == 0
    assert _stamp(report) == old  # up to date: not rendered
    assert main(["report", str(run), "--force"]) == 0
    assert _stamp(report) != old
