"""Worked example: compare two scenarios for the same city (n78 against n41 by default).

Plans one prefecture-level city of China twice in memory with the public API
(:func:`nrplan.plan_region`): once with every macro layer on band ``A`` and
once on band ``B`` (``--bands A B``, names of
:data:`nrplan.radio.bands.BANDS`), everything else equal, and writes into
``OUT_DIR``:

- ``comparison.csv``: one row per KPI (unit in the name), one column per
  scenario, plus the difference B - A;
- ``comparison.png``: sites, SS-SINR median, DL edge rate and TCO side by side.

Usage::

    python examples/compare_scenarios.py OUT_DIR [--city Lhasa] [--bands n78 n41]
                                                 [--resolution 100]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import nrplan

#: KPIs compared: (label with unit, CityResult field or "economics.<key>").
KPIS: tuple[tuple[str, str], ...] = (
    ("sites [-]", "sites"),
    ("sectors [-]", "sectors"),
    ("area coverage [-]", "area_coverage_share"),
    ("user coverage [-]", "user_coverage_share"),
    ("SS-SINR p5 [dB]", "ss_sinr_p5_db"),
    ("SS-SINR p50 [dB]", "ss_sinr_p50_db"),
    ("PDSCH SINR p50 [dB]", "pdsch_sinr_p50_db"),
    ("DL edge rate [Mbit/s]", "edge_dl_mbps"),
    ("UL edge rate [Mbit/s]", "edge_ul_mbps"),
    ("DL median rate [Mbit/s]", "dl_p50_mbps"),
    ("capex [{cur}]", "economics.capex_total"),
    ("TCO [{cur}]", "economics.tco"),
)


def scenario_config(band: str, resolution_m: float) -> nrplan.PlanConfig:
    """The default plan settings with every layer moved to ``band``."""
    base = nrplan.PlanConfig(resolution_m=resolution_m)
    layers = {name: {**layer.model_dump(), "band": band} for name, layer in base.layers.items()}
    return nrplan.PlanConfig(resolution_m=resolution_m, layers=layers)


def kpi_values(res) -> dict[str, float]:
    """The compared KPIs of one :class:`nrplan.RegionResult`."""
    out = {}
    for label, key in KPIS:
        if key.startswith("economics."):
            value = res.economics.get(key.split(".", 1)[1], float("nan"))
        else:
            value = getattr(res.city, key)
        out[label.format(cur=res.currency)] = float(value)
    return out


def compare(city: str, bands: tuple[str, str], resolution_m: float, out_dir: Path) -> list[dict]:
    """Plan ``city`` on both bands, write the table and the figure; return the rows."""
    results = {
        band: nrplan.plan_region(city, scenario_config(band, resolution_m)) for band in bands
    }
    values = {band: kpi_values(res) for band, res in results.items()}
    a, b = bands
    rows = [
        {
            "kpi": label,
            a: values[a][label],
            b: values[b][label],
            f"{b} - {a}": values[b][label] - values[a][label],
        }
        for label in values[a]
    ]
    with open(out_dir / "comparison.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    shown = [
        r
        for r in rows
        if r["kpi"].split(" [")[0] in ("sites", "SS-SINR p50", "DL edge rate", "TCO")
    ]
    fig, axes = plt.subplots(1, len(shown), figsize=(3.0 * len(shown), 3.4))
    for ax, row in zip(axes, shown, strict=True):
        ax.bar([a, b], [row[a], row[b]], color=["C0", "C1"])
        ax.set_title(row["kpi"], fontsize=9)
        ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle(f"{results[a].city.name}: {a} against {b}, {resolution_m:g} m pixels")
    fig.tight_layout()
    fig.savefig(out_dir / "comparison.png", dpi=100)
    plt.close(fig)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="directory to write (created if needed)")
    parser.add_argument("--city", default="Lhasa", help="city name (English or Chinese)")
    parser.add_argument("--bands", nargs=2, default=("n78", "n41"), metavar=("A", "B"))
    parser.add_argument("--resolution", type=float, default=100.0, help="pixel size [m]")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    rows = compare(args.city, tuple(args.bands), args.resolution, args.out_dir)
    a, b = args.bands
    print(f"{'KPI':<26} {a:>14} {b:>14}")
    for row in rows:
        print(f"{row['kpi']:<26} {row[a]:>14.4g} {row[b]:>14.4g}")


if __name__ == "__main__":
    main()
