"""Check an output path (``--out``) before any work is done.

Every command that writes files calls :func:`check_out_dir` or
:func:`check_out_file` first, so that a path that can never be written — an
existing file where a directory is wanted, a parent that is a file, an empty
path, a name longer than the file system allows — is refused at once with one
:class:`~nrplan.errors.NrplanInputError`, not after minutes of planning (or
never). Nothing is created here.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from nrplan.errors import NrplanInputError

__all__ = ["check_out_dir", "check_out_file"]

#: Characters the atomic writers add to a name for their temporary sibling:
#: ``.<name>.XXXXXXXX.part`` (:mod:`nrplan.io.atomic`, ``tempfile.mkdtemp``).
_TMP_OVERHEAD = 15


def _name_max(existing: Path) -> int:
    try:
        return int(os.pathconf(existing, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):  # pragma: no cover - non-POSIX
        return 255


def _path_max(existing: Path) -> int:
    try:
        return int(os.pathconf(existing, "PC_PATH_MAX"))
    except (OSError, ValueError, AttributeError):  # pragma: no cover - non-POSIX
        return 4096


def _nearest_existing(path: Path) -> Path:
    """The deepest ancestor of ``path`` (or ``path`` itself) that exists."""
    p = path
    while True:
        try:
            os.stat(p)
            return p
        except FileNotFoundError:
            pass
        except NotADirectoryError:
            pass
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
        if p.parent == p:
            return p
        p = p.parent


def _check_common(path: str | os.PathLike[str] | None, option: str, what: str) -> Path:
    if path is None or str(path).strip() == "" or os.fspath(path) == "":
        raise NrplanInputError(option, "", f"a {what} path", message=f"{option}: empty path")
    p = Path(os.path.expanduser(os.fspath(path)))
    full = p if p.is_absolute() else Path.cwd() / p
    base = _nearest_existing(full.parent)
    if not base.is_dir():
        raise NrplanInputError(
            option,
            str(path),
            f"a {what} path",
            message=f"{option} {path}: {base} is a file, not a directory; choose another {option}",
        )
    name_max = _name_max(base)
    suffix_extra = len(p.suffix) if what == "file" else 0
    for part in p.parts:
        n = len(os.fsencode(part))
        if part in ("/", "", ".", "..") or n <= name_max:
            continue
        raise NrplanInputError(
            option,
            str(path),
            f"names of at most {name_max} bytes",
            message=(
                f"{option}: the name {part[:40]}... is {n} bytes long; the file system "
                f"allows {name_max}; choose a shorter {option}"
            ),
        )
    n = len(os.fsencode(p.name))
    limit = name_max - _TMP_OVERHEAD - suffix_extra
    if n > limit:
        raise NrplanInputError(
            option,
            str(path),
            f"a last name of at most {limit} bytes",
            message=(
                f"{option}: the name {p.name[:40]}... is {n} bytes long; at most {limit} "
                f"are allowed (the file system's {name_max} less room for a temporary name)"
            ),
        )
    if len(os.fsencode(str(full))) >= _path_max(base):
        raise NrplanInputError(
            option,
            str(path),
            "a shorter path",
            message=f"{option}: the path is longer than the file system allows",
        )
    if not os.access(base, os.W_OK | os.X_OK):
        raise NrplanInputError(
            option,
            str(path),
            "a writable location",
            message=f"{option} {path}: {base} is not writable",
        )
    return p


def check_out_dir(
    path: str | os.PathLike[str] | None,
    option: str = "--out",
    own_files: Iterable[str] | None = None,
    command: str = "",
) -> Path:
    """Validate an output directory; return it as a Path (nothing is created).

    Parameters
    ----------
    path : path-like
        The directory to write (may exist).
    option : str
        Name of the option, for the error message.
    own_files : iterable of str, optional
        Top-level names the command writes. If given, an existing directory
        holding any other (non-hidden) entry is refused: it belongs to another
        run and the two would be mixed.
    command : str
        The command's name, for that message.

    Raises
    ------
    NrplanInputError
        Empty path, an existing non-directory, a parent that is a file, a
        name longer than the file system allows, a directory of another run.
    """
    p = _check_common(path, option, "directory")
    if p.exists() and not p.is_dir():
        raise NrplanInputError(
            option,
            str(path),
            "a directory path",
            message=(
                f"{option} {path}: is an existing file, not a directory; choose another {option}"
            ),
        )
    if own_files is not None and p.is_dir():
        own = set(own_files)
        foreign = sorted(
            e.name for e in p.iterdir() if not e.name.startswith(".") and e.name not in own
        )
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            cmd = f"'{command}' " if command else ""
            raise NrplanInputError(
                option,
                str(path),
                "a new directory or one of the same command",
                message=(
                    f"{option} {path}: holds files that are not of a {cmd}run ({shown}); "
                    f"give a new {option} directory rather than mixing two runs"
                ),
            )
    return p


def check_out_file(path: str | os.PathLike[str] | None, option: str = "--out") -> Path:
    """Validate an output file path; return it as a Path (nothing is created).

    An existing regular file is fine (it is replaced); a directory is not.
    """
    p = _check_common(path, option, "file")
    if p.is_dir() or str(path).endswith(os.sep):
        raise NrplanInputError(
            option,
            str(path),
            "a file path",
            message=f"{option} {path}: is a directory; give a file name such as {p / 'out.html'}",
        )
    return p
