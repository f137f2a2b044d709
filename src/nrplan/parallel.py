"""One executor abstraction for fanning work out: serial, local processes, or
a Dask distributed cluster.

``scheduler`` is ``"serial"`` (in this process), ``"processes"`` (a local
pool, one process per core, each running its compiled kernels on one
thread), or the address of a running Dask scheduler (``"tcp://host:8786"``),
in which case the tasks run on that cluster's workers. Results come back to
the caller as they complete, so the caller writes them (and its
checkpoints) as soon as each finishes.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from nrplan.errors import NrplanInputError

__all__ = ["check_scheduler", "run_tasks"]

T = TypeVar("T")


def check_scheduler(scheduler: str) -> str:
    """Validate a scheduler string; return it normalised."""
    s = scheduler.strip()
    if s.lower() in ("serial", "processes"):
        return s.lower()
    if s.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        return s
    raise NrplanInputError(
        "scheduler",
        scheduler,
        "serial, processes, or a Dask scheduler address like tcp://host:8786",
    )


def _init_worker() -> None:  # pragma: no cover - runs in child processes
    try:
        import numba

        numba.set_num_threads(1)
    except Exception:
        pass


def run_tasks(
    fn: Callable[[Any], T],
    tasks: Sequence[Any],
    scheduler: str = "serial",
    workers: int | None = None,
) -> Iterator[tuple[int, T]]:
    """Run ``fn`` on every task; yield ``(index, result)`` as each completes.

    Parameters
    ----------
    fn : callable
        A picklable top-level function of one argument.
    tasks : sequence
        The arguments.
    scheduler : str
        ``"serial"``, ``"processes"`` or a Dask scheduler address.
    workers : int, optional
        Local process count (default: number of cores).
    """
    scheduler = check_scheduler(scheduler)
    if not tasks:
        return
    if scheduler == "serial":
        for i, task in enumerate(tasks):
            yield i, fn(task)
        return
    if scheduler == "processes":
        n = workers or os.cpu_count() or 1
        ctx = mp.get_context("spawn")
        with cf.ProcessPoolExecutor(n, mp_context=ctx, initializer=_init_worker) as pool:
            futures = {pool.submit(fn, t): i for i, t in enumerate(tasks)}
            try:
                for fut in cf.as_completed(futures):
                    yield futures[fut], fut.result()
            except BaseException:
                for fut in futures:
                    fut.cancel()
                raise
        return
    yield from _run_dask(fn, tasks, scheduler)


def _run_dask(
    fn: Callable[[Any], T], tasks: Sequence[Any], address: str
) -> Iterator[tuple[int, T]]:
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise NrplanInputError(
            "scheduler",
            address,
            "a reachable Dask scheduler",
            message=(f"cannot reach the Dask scheduler at {address}: {exc}"),
        ) from None
    try:
        futures = client.map(fn, list(tasks), pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for fut in as_completed(futures):
                yield index[fut.key], fut.result()
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()
