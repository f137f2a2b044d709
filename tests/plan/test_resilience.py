"""A plan survives being killed and losing Dask workers, out of process.

``nrplan plan china`` is run as a subprocess and killed with SIGKILL at four
points (after the first checkpoint, after the second, after the last, and
between ``summary.json`` and ``sites.gpkg``); the same command then finishes
with the result of one uninterrupted run. Damaged checkpoints are planned again. On a real local
Dask cluster (a scheduler and two worker processes) one worker is killed
mid-run and the plan still equals the serial one.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from nrplan.errors import NrplanInputError
from nrplan.io.rundir import RunDir

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CITIES = "Jiayuguan,Karamay,Jinchang"
N_CITIES = 3
RUN_TIMEOUT = 120  # s; one uninterrupted run takes ~10 s


def _cmd(out: Path, scheduler: str = "serial") -> list[str]:
    return [
        sys.executable,
        "-m",
        "nrplan",
        "plan",
        "china",
        "--cities",
        CITIES,
        "--no-report",
        "--no-rasters",
        "--scheduler",
        scheduler,
        "--resolution",
        "200",
        "--out",
        str(out),
    ]


def _run(out: Path, scheduler: str = "serial") -> subprocess.CompletedProcess:
    proc = subprocess.run(_cmd(out, scheduler), capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _checkpoints(out: Path) -> list[Path]:
    ck = out / "checkpoints"
    return [f for f in ck.glob("*.json") if not f.name.startswith(".")] if ck.is_dir() else []


def _national(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        k: v for k, v in summary["national"].items() if not k.endswith("_s") and k != "created_utc"
    }


def _cities(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "cities.csv").sort_values("id").reset_index(drop=True)


def _assert_same_plan(out: Path, ref: Path, rel: float = 0.0) -> None:
    got, want = _national(out), _national(ref)
    assert got.keys() == want.keys()
    for k, v in want.items():
        if isinstance(v, float) and rel:
            assert math.isclose(got[k], v, rel_tol=rel, abs_tol=rel), k
        else:
            assert got[k] == v, k
    if rel:
        pd.testing.assert_frame_equal(_cities(out), _cities(ref), rtol=rel, atol=rel)
    else:
        pd.testing.assert_frame_equal(_cities(out), _cities(ref))


def _kill_after(out: Path, n_checkpoints: int, file: str | None = None) -> int:
    """Start the plan, SIGKILL it once ``n_checkpoints`` (and ``file``) exist.

    Returns its return code (-SIGKILL if killed).
    """
    proc = subprocess.Popen(
        _cmd(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:
            if len(_checkpoints(out)) >= n_checkpoints and (file is None or (out / file).is_file()):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        return proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """One uninterrupted serial run."""
    out = tmp_path_factory.mktemp("ref") / "run"
    _run(out)
    assert len(_checkpoints(out)) == N_CITIES
    return out


@pytest.mark.slow
def test_killed_four_times_then_resumed_equals_one_run(reference, tmp_path):
    out = tmp_path / "run"
    # 1: killed while the 2nd city is planned; 2: while the 3rd is;
    # 3: right after the last checkpoint; 4: between summary.json and sites.gpkg
    codes = [_kill_after(out, n) for n in (1, 2, N_CITIES)]
    codes.append(_kill_after(out, N_CITIES, "summary.json"))
    assert codes[:3] == [-signal.SIGKILL] * 3, codes
    assert codes[3] in (-signal.SIGKILL, 0), codes  # it may have finished first
    assert len(_checkpoints(out)) == N_CITIES
    first = {f.name: f.stat().st_mtime_ns for f in _checkpoints(out)}
    _run(out)
    # the finished cities were not planned again
    assert {f.name: f.stat().st_mtime_ns for f in _checkpoints(out)} == first
    _assert_same_plan(out, reference)


def test_damaged_checkpoints_are_planned_again(reference, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(reference, out)
    for name in ("summary.json", "cities.csv", "sites.gpkg"):
        (out / name).unlink()
    ck = sorted(_checkpoints(out))
    half = ck[0].read_bytes()
    ck[0].write_bytes(half[: len(half) // 2])  # a JSON cut in half
    ck[1].with_suffix(".parquet").write_bytes(b"")  # an empty Parquet beside a good JSON
    # a temporary file left by a write that was killed
    (ck[0].parent / f".{ck[0].name}.abc123.part.json").write_text('{"key": "x", "si')
    _run(out)
    for f in ck[:2]:
        assert json.loads(f.read_text(encoding="utf-8"))["key"] == f.stem
    _assert_same_plan(out, reference)


def test_rundir_checks_checkpoints(reference, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(reference, out)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))["config"]
    run = RunDir(out, config)
    keys = sorted(f.stem for f in _checkpoints(out))
    assert all(run.is_done(k) for k in keys)
    records, sectors = run.load_cities()
    assert len(records) == N_CITIES and len(sectors) == sum(r["sectors"] for r in records)

    json_file = out / "checkpoints" / f"{keys[0]}.json"
    json_file.write_text(json_file.read_text(encoding="utf-8")[:100], encoding="utf-8")
    pq = out / "checkpoints" / f"{keys[1]}.parquet"
    pq.write_bytes(b"")
    (out / "checkpoints" / f"{keys[2]}.parquet").unlink()
    assert not any(run.is_done(k) for k in keys)
    with pytest.raises(NrplanInputError, match="damaged") as exc:
        run.load_cities()
    assert "\n" not in str(exc.value)


# -- a real Dask cluster -------------------------------------------------------------


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=15)


def test_dask_cluster_losing_a_worker_gives_the_serial_plan(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    sched_file = tmp_path / "scheduler.json"
    logs = tmp_path / "logs"
    logs.mkdir()
    env = dict(os.environ)
    procs: list[subprocess.Popen] = []

    def spawn(args: list[str], log: str) -> subprocess.Popen:
        with open(logs / log, "wb") as fh:
            p = subprocess.Popen(
                [sys.executable, "-m", *args],
                stdout=fh,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        procs.append(p)
        return p

    client = None
    run = None
    try:
        spawn(
            [
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(sched_file),
            ],
            "scheduler.log",
        )
        deadline = time.monotonic() + 60
        while not sched_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sched_file.is_file(), (logs / "scheduler.log").read_text()
        address = json.loads(sched_file.read_text())["address"]
        workers = [
            spawn(
                [
                    "distributed.cli.dask_worker",
                    address,
                    "--host",
                    "127.0.0.1",
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--name",
                    f"w{i}",
                ],
                f"worker{i}.log",
            )
            for i in range(2)
        ]
        client = distributed.Client(address, timeout="30s")
        client.wait_for_workers(2, timeout=60)
        pid_of = client.run(os.getpid)  # worker address -> pid
        by_pid = {p.pid: p for p in workers}
        assert set(pid_of.values()) == set(by_pid), pid_of

        out = tmp_path / "run"
        run = spawn(["nrplan", *_cmd(out, address)[3:]], "plan.log")
        # kill a worker while it holds a task of the plan
        killed = None
        deadline = time.monotonic() + RUN_TIMEOUT
        while run.poll() is None and time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                killed = by_pid[pid_of[busy[0]]]
                killed.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        assert killed is not None, "the plan finished before a worker could be killed"
        assert killed.wait(timeout=30) == -signal.SIGKILL
        assert run.wait(timeout=RUN_TIMEOUT) == 0, (logs / "plan.log").read_text()[-2000:]
        assert len(client.scheduler_info()["workers"]) == 1
    finally:
        if client is not None:
            client.close(timeout=10)
        _stop(procs)

    _assert_same_plan(out, reference, rel=1e-12)
    got, want = _cities(out), _cities(reference)
    assert got[["id", "sites", "sectors"]].equals(want[["id", "sites", "sectors"]])
    for f in _checkpoints(reference):
        pq = f.with_suffix(".parquet").name
        a = pd.read_parquet(out / "checkpoints" / pq)
        b = pd.read_parquet(reference / "checkpoints" / pq)
        pd.testing.assert_frame_equal(a, b, rtol=1e-12, atol=1e-9)
    assert len(_checkpoints(out)) == N_CITIES
