"""Reading user TOML files (plan configs, private-network profiles) with one-line errors."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from nrplan.errors import NrplanInputError

__all__ = ["read_toml"]


def read_toml(path: str | os.PathLike[str], field: str = "config") -> dict[str, Any]:
    """Parse a TOML file into a dict.

    Raises
    ------
    NrplanInputError
        The file is missing (or not a file), or not valid UTF-8 TOML; ``field``
        names the option it came from.
    """
    p = Path(path)
    if not p.is_file():
        raise NrplanInputError(field, str(p), "an existing TOML file")
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise NrplanInputError(
            field, str(p), "valid TOML", message=f"{field} {p}: not valid TOML: {exc}"
        ) from None
