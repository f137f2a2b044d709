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

__all__ = ["NrplanError", "NrplanInputError", "check_choice", "check_range", "parse_float_list"]


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
    allow_nan: bool = False,
) -> None:
    """Raise :class:`NrplanInputError` unless every element of ``value`` is finite and in range.

    NaN and +-inf are refused, whatever the bounds. ``allow_nan=True`` is for
    vectorised models over grids where NaN marks "no data" (NaN in, NaN out):
    NaN elements are then passed over, +-inf are still refused. A caller whose
    parameter may be *unset* should skip the check for None instead.
    """
    import numpy as np  # lazy: nrplan.errors is imported by ``nrplan --help``

    u = f" {unit}" if unit else ""
    left = "(" if lo_open or lo is None else "["
    right = ")" if hi_open or hi is None else "]"
    lo_s = "-inf" if lo is None else f"{lo:g}"
    hi_s = "inf" if hi is None else f"{hi:g}"
    allowed = f"{left}{lo_s}, {hi_s}{right}{u}"
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NrplanInputError(field, value, f"a number in {allowed}") from None
    nan = np.isnan(arr)
    nonfinite = ~np.isfinite(arr) & ~nan if allow_nan else ~np.isfinite(arr)
    if nonfinite.any():
        worst = float(arr[nonfinite].flat[0])
        raise NrplanInputError(field, worst, f"a finite number in {allowed}")
    finite = arr[~nan]
    bad = np.zeros(finite.shape, dtype=bool)
    if lo is not None:
        bad |= (finite <= lo) if lo_open else (finite < lo)
    if hi is not None:
        bad |= (finite >= hi) if hi_open else (finite > hi)
    if bad.any():
        worst = finite[bad].flat[0]
        raise NrplanInputError(field, float(worst), allowed)


def parse_float_list(field: str, text: str, example: str = "1,2,3", sep: str = ",") -> list[float]:
    """Parse ``"50,100,500"`` into finite floats, or raise :class:`NrplanInputError`.

    Refused: no number at all, an empty item (``"50,,100"``, a trailing comma),
    a non-number, NaN and +-inf. Ranges are the caller's business
    (:func:`check_range`).
    """
    allowed = f"comma-separated finite numbers, e.g. {example}"
    items = [v.strip() for v in str(text).split(sep)]
    if not any(items):
        raise NrplanInputError(field, text, allowed)
    values = []
    for i, item in enumerate(items, 1):
        if not item:
            raise NrplanInputError(field, text, f"{allowed} (item {i} is empty)")
        try:
            x = float(item)
        except ValueError:
            raise NrplanInputError(field, text, f"{allowed} ({item!r} is not a number)") from None
        if x != x or x in (float("inf"), float("-inf")):
            raise NrplanInputError(field, text, f"{allowed} ({item!r} is not finite)")
        values.append(x)
    return values
