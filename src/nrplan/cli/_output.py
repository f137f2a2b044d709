"""Printing helpers shared by the command modules: rich tables and JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

__all__ = ["console", "err_console", "print_json", "print_table"]

console = Console()
err_console = Console(stderr=True)


def print_json(obj: Any) -> None:
    """Print ``obj`` as indented strict JSON on stdout."""
    from nrplan.io.jsonutil import to_jsonable

    print(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False))


def print_table(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    title: str | None = None,
    floatfmt: str = "{:.2f}",
) -> None:
    """Print rows as a rich table; floats formatted with ``floatfmt``."""
    import numpy as np

    table = Table(title=escape(title) if title else None)
    for col in columns:
        table.add_column(escape(col), justify="right")
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, (float, np.floating)):
                cells.append(floatfmt.format(v) if math.isfinite(v) else "-")
            else:
                cells.append(str(v))
        table.add_row(*(escape(c) for c in cells))
    console.print(table)
