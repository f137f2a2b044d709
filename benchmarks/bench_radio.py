"""Benchmark of the NumPy radio core: path loss + antenna gain per (site, point) pair.

Prints evaluations per second for 10 million (site, point) pairs (processed in
chunks so memory stays bounded): TR 38.901 UMa expected path loss
(``pathloss(..., los="prob")``), local angles (``local_angles``) and the
64T64R traffic-beam gain (``sector_gain``). Not a test: figures only.

Usage: ``python benchmarks/bench_radio.py [n_pairs] [chunk]``
"""

from __future__ import annotations

import sys
import time

import numpy as np

from nrplan.radio.antenna import local_angles, sector_gain
from nrplan.radio.pathloss import pathloss


def main(n_pairs: int = 10_000_000, chunk: int = 1_000_000) -> None:
    rng = np.random.default_rng(2020)
    h_bs, h_ut, f_c = 25.0, 1.5, 3.5
    t_pl = t_ang = t_gain = 0.0
    done = 0
    checksum = 0.0
    while done < n_pairs:
        n = min(chunk, n_pairs - done)
        dx = rng.uniform(-3000.0, 3000.0, n)
        dy = rng.uniform(-3000.0, 3000.0, n)
        d2d = np.maximum(np.hypot(dx, dy), 10.0)
        az = rng.choice([0.0, 120.0, 240.0], n)

        t0 = time.perf_counter()
        pl = pathloss("uma", d2d, h_bs, h_ut, f_c, "prob")
        t1 = time.perf_counter()
        theta, phi = local_angles(dx, dy, h_ut - h_bs, az, 2.0)
        t2 = time.perf_counter()
        g = sector_gain("64t64r", theta, phi, "traffic", 6.0)
        t3 = time.perf_counter()

        t_pl += t1 - t0
        t_ang += t2 - t1
        t_gain += t3 - t2
        checksum += float(np.sum(g - pl))
        done += n

    total = t_pl + t_ang + t_gain
    print(f"pairs: {n_pairs:,} (chunks of {chunk:,}), float64 NumPy, 1 thread")
    print(f"path loss (uma, prob):      {t_pl:7.2f} s  {n_pairs / t_pl / 1e6:7.2f} M pairs/s")
    print(f"local_angles:               {t_ang:7.2f} s  {n_pairs / t_ang / 1e6:7.2f} M pairs/s")
    print(f"sector_gain (64t64r):       {t_gain:7.2f} s  {n_pairs / t_gain / 1e6:7.2f} M pairs/s")
    print(f"path loss + antenna gain:   {total:7.2f} s  {n_pairs / total / 1e6:7.2f} M pairs/s")
    print(f"checksum (mean G - PL): {checksum / n_pairs:.4f} dB")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
