"""Domain errors of nrplan.

Every error a user can cause (wrong units, out-of-range values, unknown names,
broken files) is raised as :class:`NrplanInputError`, which carries the field,
the offending value and what is allowed. The CLI turns it into one line and
exit code 2; library users can catch it like a ``ValueError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = ["NrplanError", "NrplanInputError", "check_choice", "check_range"]


class NrplanError(Exception):
    """Base class of nrplan's own errors."""


class NrplanInputError(NrplanError, ValueError):
    """Bad input: names the field, the value given and what is allowed.

    Parameters
    ----------
    field : str
        Name of the parameter, column, option or file at fault.
    value : object
        The value that was given.
    allowed : str
        Human-readable description of what is allowed (a range, a list).
    message : str, optional
        Full message; by default built from the three parts above.
    """

    def __init__(self, field: str, value: Any, allowed: str, message: str | None = None):
        self.field = field
        self.value = value
        self.allowed = allowed
        if message is None:
            message = f"{field}={_short(value)} is not valid; allowed: {allowed}"
        self.message = message
        super().__init__(message)

    def __reduce__(self):
        # picklable with its four parts, so that a worker process's error
        # reaches the parent as the same one-line error
        return (type(self), (self.field, self.value, self.allowed, self.message))


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_choice(field: str, value: str, choices: Iterable[str]) -> str:
    """Return ``value`` lower-cased if it is one of ``choices``, else raise.

    The error lists the valid choices and the closest matches.
    """
    options = list(choices)
    key = str(value).strip().lower()
    if key in options:
        return key
    close = difflib.get_close_matches(key, options, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise NrplanInputError(field, value, f"one of {', '.join(options)}{hint}")


def check_range(
    field: str,
    value: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    unit: str = "",
) -> None:
    """Raise :class:`NrplanInputError` unless every element of ``value`` is in range.

    NaN elements are passed over (NaN in, NaN out).
    """
    import numpy as np

    arr = np.asarray(value, dtype=float)
    finite = arr[~np.isnan(arr)]
    bad = np.zeros(finite.shape, dtype=bool)
    if lo is not None:
        bad |= (finite <= lo) if lo_open else (finite < lo)
    if hi is not None:
        bad |= (finite >= hi) if hi_open else (finite > hi)
    if bad.any():
        worst = finite[bad].flat[0]
        u = f" {unit}" if unit else ""
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        raise NrplanInputError(field, float(worst), f"{left}{lo_s}, {hi_s}{right}{u}")
