"""One executor abstraction for fanning work out: serial, local processes, or
a Dask distributed cluster.

``scheduler`` is ``"auto"`` (resolved once by :func:`resolve_scheduler`),
``"serial"`` (in this process), ``"processes"`` (a local
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
import socket
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from nrplan.errors import NrplanInputError

__all__ = ["check_scheduler", "check_scheduler_reachable", "resolve_scheduler", "run_tasks"]

T = TypeVar("T")


def resolve_scheduler(scheduler: str, n_tasks: int) -> str:
    """Resolve ``"auto"``: local processes for more than one task on more than one
    core, else serial; any other value is returned stripped (check it with
    :func:`check_scheduler`)."""
    s = scheduler.strip()
    if s.lower() != "auto":
        return s
    return "processes" if n_tasks > 1 and (os.cpu_count() or 1) > 1 else "serial"


def check_scheduler(scheduler: str) -> str:
    """Validate a scheduler string; return it normalised."""
    s = scheduler.strip()
    if s.lower() in ("serial", "processes"):
        return s.lower()
    allowed = "serial, processes, or a Dask scheduler address like tcp://host:8786"
    scheme, sep, rest = s.partition("://")
    if not sep or scheme.lower() not in ("tcp", "tls", "inproc", "ucx"):
        raise NrplanInputError("scheduler", scheduler, allowed)
    if scheme.lower() in ("tcp", "tls", "ucx"):
        host, port = _host_port(rest)
        if not host or port is None or not 0 < port < 65536:
            raise NrplanInputError(
                "scheduler",
                scheduler,
                allowed,
                message=f"scheduler={scheduler!r} is not a valid address; "
                f"allowed: {scheme.lower()}://HOST:PORT (port 1-65535), serial or processes",
            )
    elif not rest:
        raise NrplanInputError("scheduler", scheduler, allowed)
    return s


def _host_port(rest: str) -> tuple[str, int | None]:
    """Host and port of ``host[:port]`` / ``[v6][:port]``; Dask's 8786 if no port.

    The port is None if it is not a number.
    """
    rest = rest.rstrip("/")
    if rest.startswith("["):
        host, _, tail = rest[1:].partition("]")
        port_s = tail[1:] if tail.startswith(":") else tail
    else:
        host, colon, port_s = rest.rpartition(":")
        if not colon:
            host, port_s = rest, ""
    if "/" in host:
        return "", None
    if port_s == "":
        return host, 8786
    return host, int(port_s) if port_s.isdigit() else None


def check_scheduler_reachable(scheduler: str, timeout: float = 3.0) -> str:
    """Validate ``scheduler`` and, for a TCP/TLS Dask address, connect to it.

    Only a TCP connection is attempted (``timeout`` seconds), so an address
    nobody listens on is refused at once, before a run directory exists.
    """
    s = check_scheduler(scheduler)
    scheme, _, rest = s.partition("://")
    if scheme.lower() not in ("tcp", "tls"):
        return s
    host, port = _host_port(rest)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise NrplanInputError(
            "scheduler",
            scheduler,
            "a reachable Dask scheduler",
            message=f"cannot reach the Dask scheduler at {s} ({reason}); "
            "start it first or use --scheduler processes",
        ) from None
    return s


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
