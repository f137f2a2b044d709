"""Benchmark of the national plan: ``nrplan plan china`` end to end.

Prints the wall time and peak memory of the run, the time per stage summed
over cities (demand, dimensioning, refinement, pruning, engine), the sites,
coverage and limiting factors it found, nationally and for the 5 largest
cities, and how the time splits by city size (so it can be extrapolated to
other resolutions and city counts). Prints figures; asserts nothing.

Usage::

    python benchmarks/bench_plan.py                  # = `nrplan plan china` (rasters, report)
    python benchmarks/bench_plan.py --no-rasters     # without rasters and report
    python benchmarks/bench_plan.py --sample 20      # 20 units spread over the size range
    python benchmarks/bench_plan.py --resolution 50 --scheduler serial
    python benchmarks/bench_plan.py --operators china-2020   # both 2020 networks

Its default is the README's main command as a user runs it (rasters and
report written). Target on this 2-core machine: <= 5 minutes wall per network
planned (``--operators china-2020`` plans two) and <= 4 GiB peak per worker
process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _select(sample: int) -> list[str]:
    from nrplan.geo.china import load_units

    units = load_units().sort_values("adcode")
    if sample <= 0 or sample >= len(units):
        return []
    idx = [round(i * (len(units) - 1) / (sample - 1)) for i in range(sample)]
    return [str(units.iloc[i]["adcode"]) for i in idx]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="plan only N units (0 = all)")
    ap.add_argument("--resolution", type=float, default=None, help="pixel size [m]")
    ap.add_argument("--scheduler", default="auto")
    ap.add_argument(
        "--no-rasters", action="store_true", help="skip rasters and the report (faster)"
    )
    ap.add_argument("--operators", default=None, help="operators scenario (default: single)")
    ap.add_argument("--out", default=None, help="run directory (default: a temporary one)")
    args = ap.parse_args()

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="nrplan-bench-"))
    cmd = [
        sys.executable,
        "-m",
        "nrplan",
        "plan",
        "china",
        "--out",
        str(out),
        "--scheduler",
        args.scheduler,
    ]
    if args.no_rasters:
        cmd += ["--no-rasters"]
    cities = _select(args.sample)
    if cities:
        cmd += ["--cities", ",".join(cities)]
    if args.resolution:
        cmd += ["--resolution", str(args.resolution)]
    if args.operators:
        cmd += ["--operators", args.operators]
    print("running:", " ".join(cmd[2:]))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        sys.exit(proc.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # KiB -> GiB
    s = json.loads((out / "summary.json").read_text())
    n = s["national"]
    cities = [c for c in s["cities"] if c.get("sites")]

    def tsum(key: str) -> float:
        return sum(c.get("timings", {}).get(key, 0.0) for c in cities)

    print(f"\nrun directory: {out}")
    print(
        f"cities: {n['cities']}  resolution: {s['config']['resolution_m']} m  "
        f"scheduler: {args.scheduler}"
    )
    print(f"wall time: {wall:,.1f} s   peak RSS of the largest process: {peak:.2f} GiB")
    print("time per stage, summed over cities [s]:")
    for key in (
        "demand_s",
        "dimension_s",
        "layout_s",
        "refine_s",
        "prune_s",
        "predict_s",
        "city_total_s",
    ):
        print(f"  {key:<14} {tsum(key):10.1f}")
    print(f"  engine calls   {int(tsum('predict_calls')):10d}")
    print("\nnational:")
    for key in (
        "sites",
        "sectors",
        "target_area_km2",
        "target_population",
        "area_coverage",
        "population_coverage",
        "indoor_population_coverage",
        "user_coverage",
        "sinr_p5",
        "sinr_p50",
        "sinr_p95",
        "ss_sinr_outdoor_p50",
        "pdsch_sinr_p50",
        "dl_p5",
        "ul_p5",
        "load_mean",
        "load_max",
        "cities_meeting_targets",
        "limiting_factor_counts",
    ):
        print(f"  {key:<28} {n.get(key)}")
    nets = s.get("networks") or {}
    for net, part in nets.items():
        nn = part["national"]
        eco = part.get("economics") or {}
        print(
            f"\nnetwork {net} ({part['label']}; {part['user_share']:.3f} of users): "
            f"{nn['sites']:,} sites, indoor {nn['indoor_population_coverage']:.3f}, "
            f"SS-SINR p5/p50/p95 {nn['sinr_p5']:.1f}/{nn['sinr_p50']:.1f}/{nn['sinr_p95']:.1f} dB, "
            f"edge DL/UL {nn['edge_dl_mbps']:.0f}/{nn['edge_ul_mbps']:.2f} Mbit/s, "
            f"capex {eco.get('capex_total', float('nan')) / 1e9:.1f} bn, "
            f"TCO {eco.get('tco', float('nan')) / 1e9:.1f} bn, "
            f"{eco.get('energy', {}).get('kwh_per_year', float('nan')) / 1e9:.2f} TWh/yr"
        )
        print("  ISD per class (site-weighted, planned):")
        for name, v in (nn.get("isd_by_class") or {}).items():
            print(
                f"    {name:<12} {v['planned_m'] or float('nan'):8.0f} m  cities "
                f"{v['city_min_m'] or float('nan'):6.0f}-{v['city_max_m'] or float('nan'):6.0f} m"
                f"  sites {v['sites']}"
            )
    print("\n5 largest cities (by sites):")
    print(
        f"  {'city':<14}{'sites':>7}{'km2':>8}{'area cov':>9}{'indoor':>8}{'SINR50':>8}"
        f"{'load max':>9}{'time s':>8}  limiting"
    )
    for c in sorted(cities, key=lambda c: -c["sites"])[:5]:
        lim = ",".join(sorted(set(c.get("limiting", {}).values())))
        label = c["name"] + (f" {c['network']}" if len(nets) > 1 else "")
        print(
            f"  {label:<14}{c['sites']:>7}{c['target_area_km2']:>8.0f}"
            f"{c['area_coverage']:>9.3f}{c['indoor_population_coverage']:>8.3f}"
            f"{c['sinr_p50']:>8.1f}{c['load_max']:>9.2f}"
            f"{c['timings']['city_total_s']:>8.1f}  {lim}"
        )
    area = sum(c["target_area_km2"] for c in cities)
    cpu = tsum("city_total_s")
    if area:
        print(
            f"\nscaling: {cpu / area * 1000:.1f} s of city time per 1,000 km^2 in scope "
            f"at {s['config']['resolution_m']} m; engine work grows ~ 1/resolution^2."
        )


if __name__ == "__main__":
    main()
