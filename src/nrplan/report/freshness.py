"""Whether a run's HTML report is up to date: a key of what the report shows.

Re-running a finished plan resumes every city from its checkpoint and writes
the summary again; only its creation time, wall time and command line change.
Rendering the report again would then redo the maps and charts (seconds for a
single city) for the same content. :func:`report_key` hashes what the report
is made of — the summary without those volatile entries, the size and time of
the files it reads (checkpoints, rasters, roll-out / sensitivity tables and
charts), the report options and :data:`REPORT_VERSION` — and
:func:`nrplan.report.write_report` skips the rendering when the key stored
beside the report (``report.html.key``) matches.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from nrplan import __version__

__all__ = ["REPORT_VERSION", "VOLATILE_SUMMARY_KEYS", "is_fresh", "key_file", "report_key"]

#: Version of the report's layout: bump it when the HTML changes, so reports
#: written by an older nrplan are rendered again.
REPORT_VERSION = 2

#: Summary entries that change on every resume of a finished run and are not
#: part of the plan (the report shows the values of its first rendering).
VOLATILE_SUMMARY_KEYS = ("created_utc", "timings", "command")

#: Files the report reads beside ``summary.json`` (patterns under the run directory).
_INPUT_PATTERNS = (
    "checkpoints/*.json",
    "checkpoints/*.parquet",
    "rasters/*/*.tif",
    "rollout.csv",
    "rollout.png",
    "sensitivity.csv",
    "tornado.png",
)


def _files_fingerprint(run_dir: Path) -> list[tuple[str, int, int]]:
    """(relative path, size [bytes], mtime [ns]) of every file the report reads;
    ``sites.gpkg`` by size only (it is rewritten from the checkpoints on each resume)."""
    out: list[tuple[str, int, int]] = []
    for pattern in _INPUT_PATTERNS:
        for f in sorted(run_dir.glob(pattern)):
            if f.name.startswith("."):  # a temporary file of an interrupted write
                continue
            st = f.stat()
            out.append((f.relative_to(run_dir).as_posix(), st.st_size, st.st_mtime_ns))
    gpkg = run_dir / "sites.gpkg"
    if gpkg.is_file():
        out.append(("sites.gpkg", gpkg.stat().st_size, 0))
    return out


def report_key(run_dir: str | Path, summary: dict[str, Any], options: dict[str, Any]) -> str:
    """The key of a report: a SHA-256 of what it shows (module docstring).

    Parameters
    ----------
    run_dir : path
        The run directory.
    summary : dict
        Its parsed ``summary.json``.
    options : dict
        The report options (JSON-able), e.g. ``{"max_cities": 6, "all_cities": False}``.
    """
    stable = {k: v for k, v in summary.items() if k not in VOLATILE_SUMMARY_KEYS}
    blob = json.dumps(
        {
            "report_version": REPORT_VERSION,
            "nrplan_version": __version__,
            "options": options,
            "summary": stable,
            "files": _files_fingerprint(Path(run_dir)),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def key_file(report: str | Path) -> Path:
    """Where the key of ``report`` is stored: ``<report>.key`` beside it."""
    p = Path(report)
    return p.with_name(p.name + ".key")


def is_fresh(report: str | Path, key: str) -> bool:
    """Whether ``report`` exists and was written for ``key``."""
    p, k = Path(report), key_file(report)
    if not (p.is_file() and k.is_file()):
        return False
    try:
        return k.read_text(encoding="utf-8").strip() == key
    except (OSError, UnicodeDecodeError):
        return False
