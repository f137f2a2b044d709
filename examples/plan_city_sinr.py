"""Worked example: plan one city from Python and draw its SS-SINR map.

Plans a prefecture-level city of China in memory with the public API
(:func:`nrplan.plan_region`), prints its KPIs and writes into ``OUT_DIR``:

- ``sinr_map.png``: the SS-SINR (SSB at full SSB load, outdoor median) per
  pixel with the planned sites on top;
- ``kpis.json``: the city's KPIs (``CityResult``, units in the field names)
  and its economics.

Usage::

    python examples/plan_city_sinr.py OUT_DIR [--city Lhasa] [--resolution 100]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import nrplan


def _jsonable(value):
    """JSON-safe copy: NaN -> None, NumPy scalars -> Python numbers, sets -> sorted lists."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def plan_and_plot(city: str, resolution_m: float, out_dir: Path) -> dict:
    """Plan ``city`` at ``resolution_m`` [m], write the map and the KPIs, return the KPIs."""
    config = nrplan.PlanConfig(resolution_m=resolution_m)
    res = nrplan.plan_region(city, config)
    kpis = dataclasses.asdict(res.city)  # field names carry the units

    sinr = res.rasters["sinr"]  # [dB] on res.grid; NaN where nothing is predicted
    xmin, ymin, xmax, ymax = res.grid.bounds
    fig, ax = plt.subplots(figsize=(7, 6))
    im = ax.imshow(
        sinr, extent=(xmin, xmax, ymin, ymax), origin="upper", cmap="RdYlGn", vmin=-5, vmax=25
    )
    fig.colorbar(im, ax=ax, label=f"SS-SINR [{res.raster_unit('sinr')}]")
    sites = res.sites
    ax.plot(sites["x"], sites["y"], "k^", ms=4, label=f"{len(sites)} sites")
    ax.set_xlabel(f"x [m] ({res.grid.crs})")
    ax.set_ylabel("y [m]")
    ax.set_title(
        f"{res.city.name}: SS-SINR, p50 {res.city.ss_sinr_p50_db:.1f} dB, {resolution_m:g} m pixels"
    )
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out_dir / "sinr_map.png", dpi=100)
    plt.close(fig)

    payload = {"city": kpis, "economics": res.economics, "currency": res.currency}
    (out_dir / "kpis.json").write_text(
        json.dumps(_jsonable(payload), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return kpis


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="directory to write (created if needed)")
    parser.add_argument("--city", default="Lhasa", help="city name (English or Chinese)")
    parser.add_argument("--resolution", type=float, default=100.0, help="pixel size [m]")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    kpis = plan_and_plot(args.city, args.resolution, args.out_dir)
    print(
        f"{kpis['name']}: {kpis['sites']} sites, SS-SINR p50 {kpis['ss_sinr_p50_db']:.1f} dB, "
        f"area coverage {kpis['area_coverage_share']:.3f}; wrote {args.out_dir}/sinr_map.png"
    )


if __name__ == "__main__":
    main()
