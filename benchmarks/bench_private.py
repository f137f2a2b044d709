"""Benchmark: a 1 km^2 port at 5 m resolution with 2,000 devices, end to end.

Prints the wall time, the sites found, the unit type chosen (and every candidate
tried) and whether the targets were met.
Not a pass/fail test. Run: ``python benchmarks/bench_private.py``.

The port is planned with the integrator settings of ``examples/private/port.toml``
(redundancy 3, whole-carrier URLLC allocation, 2T4R power-class-2 vehicle CPEs) and
all devices outdoors in the yard (``indoor_share`` 0), as in the port example.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import shapely

from nrplan.industry import load_inventory, load_profile, plan_private, write_plan

EX = Path(__file__).resolve().parents[1] / "examples" / "private"

# 2,000 devices: 120 AGVs, 20 crane control links, 20 crane camera uplinks,
# 140 HD cameras, 1,680 sensors, 20 PLCs.
DEVICES = {
    "agv": 120,
    "crane-control": 20,
    "crane-video": 20,
    "hd-camera": 140,
    "sensor": 1680,
    "plc": 20,
}


def main() -> None:
    # ~1 km x 1 km yard near Qingdao Qianwan (36.0 N: 1 km = 0.00899 deg lat,
    # 0.01111 deg lon)
    area = shapely.box(120.19, 35.995, 120.19 + 0.01111, 35.995 + 0.00899)
    prof = load_profile("port", EX / "port.toml")
    with tempfile.TemporaryDirectory() as d:
        csv = Path(d) / "devices.csv"
        rows = "".join(f"{k},{n},0\n" for k, n in DEVICES.items())
        csv.write_text("class,count,indoor_share\n" + rows)
        inv = load_inventory(csv)
        assert inv.total_devices == 2000
        t0 = time.perf_counter()
        plan = plan_private(area, prof, inv, resolution_m=5.0, seed=1)
        t1 = time.perf_counter()
        write_plan(plan, Path(d) / "run")
        t2 = time.perf_counter()
    print(
        f"area {plan.area_km2:.3f} km^2, grid {plan.grid.nrows}x{plan.grid.ncols} px, "
        f"{inv.total_devices} devices"
    )
    print(
        f"plan {t1 - t0:.2f} s (evaluate {plan.timings['evaluate']:.2f} s, "
        f"{plan.iterations} iterations), write {t2 - t1:.2f} s, total {t2 - t0:.2f} s"
    )
    print(
        f"sites {plan.n_sites} x {plan.profile.unit.type} ({plan.n_units} cells) at "
        f"{plan.spacing_m:.0f} m spacing; targets met: {plan.met} ({plan.stop_reason}); "
        f"max UL load {plan.ul_load.max():.3f}, max DL load {plan.dl_load.max():.3f}"
    )
    print(f"unit choice: {plan.unit_choice['why']}")
    for c in plan.unit_choice["candidates"]:
        tco = f"TCO {c['tco'] / 1e6:.2f} M CNY" if "tco" in c else "not met"
        print(f"  {c['unit']:<13} {c['sites']:>3} sites, {c['iterations']:>2} it., {tco}: "
              f"{c['stop_reason']}")  # fmt: skip
    e = plan.economics()
    print(
        f"cost: capex {e.cost.capex_total / 1e6:.2f} M CNY, opex {e.cost.opex_total / 1e6:.3f} "
        f"M CNY/year, TCO {e.cost.tco / 1e6:.2f} M CNY over {e.cost.years} years "
        f"({e.cost_per_device:,.0f} CNY per device), energy "
        f"{e.cost.energy_kwh_per_year / 1e3:.1f} MWh/year"
    )
    for c in plan.classes:
        print(
            f"  {c['class']:<14} area share {c['reliability_area_share']:.3f} "
            f"latency {c['latency_worst_ms']:.2f}/{c['latency_bound_ms']:.0f} ms "
            f"{'pass' if c['pass'] else 'FAIL'}"
        )


if __name__ == "__main__":
    main()
