"""CLI start-up time: ``nrplan --help`` and ``nrplan <command> --help``.

Runs each command line ``--repeat`` times in a fresh interpreter
(``python -m nrplan ...``, so a pyenv or venv shim's own start-up is left
out) and prints the best and the median wall time and the median CPU time
(user + system of the child: steadier than wall time on a shared machine),
next to the bare interpreter start-up. It also lists which heavy libraries each command line
imports: ``--help`` should import none of them (the command modules import
the library inside the command functions; see ``nrplan.cli``).

Usage::

    python benchmarks/bench_cli.py [--repeat 7]
    python -X importtime -m nrplan --help 2> importtime.txt   # the detail
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

HEAVY = (
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "numba",
    "dask",
    "distributed",
    "geopandas",
    "shapely",
    "pyproj",
    "rasterio",
    "pydantic",
)

COMMAND_LINES: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("plan", "--help"),
    ("predict", "--help"),
    ("regions", "china", "--help"),
    ("pathloss", "--help"),
)

_PROBE = """
import contextlib, io, sys
from nrplan.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
heavy = {heavy!r}
print(" ".join(m for m in heavy if m in sys.modules) or "-")
"""


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _times(argv: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times [s] of ``repeat`` runs of ``argv``."""
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = _cpu_s(), time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        wall.append(time.perf_counter() - t0)
        cpu.append(_cpu_s() - c0)
    return wall, cpu


def _heavy_imports(args: tuple[str, ...]) -> str:
    code = _PROBE.format(heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command line")
    opts = parser.parse_args()

    def row(label: str, wall: list[float], cpu: list[float], heavy: str) -> None:
        print(
            f"{label:<30} {min(wall):>9.3f} {statistics.median(wall):>11.3f} "
            f"{statistics.median(cpu):>11.3f}  {heavy}"
        )

    print(f"{'command line':<30} {'best [s]':>9} {'median [s]':>11} {'CPU [s]':>11}  heavy imports")
    row("python -c pass", *_times([sys.executable, "-c", "pass"], opts.repeat), "")
    for args in COMMAND_LINES:
        wall, cpu = _times([sys.executable, "-m", "nrplan", *args], opts.repeat)
        row("nrplan " + " ".join(args), wall, cpu, _heavy_imports(args))


if __name__ == "__main__":
    main()
