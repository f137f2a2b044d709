"""Atomic file writing: nothing half-written is ever left under its final name.

Every output file is first written to a temporary name in the same directory,
then renamed into place (``os.replace`` is atomic on POSIX and Windows).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nrplan.errors import NrplanInputError
from nrplan.io.jsonutil import to_jsonable

__all__ = ["atomic_path", "staged_dir", "write_json_atomic", "write_text_atomic"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    # keep the real extension last: some writers (GDAL, pyogrio) pick the format by it
    fd, tmp = tempfile.mkstemp(
        prefix=f".{final.name}.", suffix=f".part{final.suffix}", dir=final.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.unlink()  # writers (GDAL, pyogrio) want to create the file themselves
    try:
        yield tmp_path
        os.replace(tmp_path, final)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def staged_dir(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary directory beside ``path``; move its files into ``path`` on success.

    Files of an existing ``path`` that the staged directory does not hold are
    kept. On any exception the temporary directory is removed and ``path`` is
    untouched.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent))
    try:
        yield tmp
        if final.exists():
            if not final.is_dir():
                raise NrplanInputError("out", str(final), "a directory path")
            for f in tmp.iterdir():
                os.replace(f, final / f.name)
            tmp.rmdir()
        else:
            os.replace(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json_atomic(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented strict JSON to ``path`` atomically.

    NumPy scalars/arrays and dataclasses are converted; NaN becomes null.
    """
    write_text_atomic(path, json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")
