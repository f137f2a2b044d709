"""Resuming a finished run: how long it takes, and how much of it is the report.

Plans one city (default Jiayuguan; ``--city Lhasa`` for the issue's example)
into a temporary run directory, then resumes it twice: once as it is (the
report is up to date and is not rendered again) and once with the report
forced. Prints the three wall times and the report's share.

Usage: ``python benchmarks/bench_resume_report.py [--city NAME]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from nrplan.geo.region import china_regions
from nrplan.plan.config import PlanConfig
from nrplan.plan.national import plan_regions
from nrplan.report import write_report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--city", default="Jiayuguan")
    args = ap.parse_args()
    regions = china_regions([args.city])
    cfg = PlanConfig()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        t0 = time.perf_counter()
        plan_regions(regions, cfg, out)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        plan_regions(regions, cfg, out)
        resume = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_report(out, force=True)
        report = time.perf_counter() - t0
    print(f"{args.city}: first run {first:.2f} s")
    print(f"resume of the finished run (report up to date, skipped): {resume:.2f} s")
    print(f"rendering the report (what a resume used to add): {report:.2f} s")
    print(f"resume before this change ~ {resume + report:.2f} s")


if __name__ == "__main__":
    main()
