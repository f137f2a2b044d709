"""``nrplan defaults``: list the defaults registry (value, unit, status, sources)."""

from __future__ import annotations

from typing import Annotated

import typer

from nrplan.cli._output import print_json

__all__ = ["register"]


def _fmt(v: object) -> str:
    if isinstance(v, list | tuple):
        return ", ".join(f"{x:g}" for x in v)  # type: ignore[str-format]
    return f"{v:g}" if isinstance(v, float) else str(v)


def register(app: typer.Typer) -> None:
    """Add the ``defaults`` command to ``app``."""

    @app.command("defaults")
    def defaults_cmd(
        name: Annotated[
            list[str] | None,
            typer.Argument(help="Names of the defaults to show (all when none)."),
        ] = None,
        status: Annotated[
            str | None,
            typer.Option(
                "--status",
                help="Only this status: official, operator, industry, derived, assumption, recall.",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List nrplan's defaults: value, unit, year, status and the sources they cite.

        The sources, with their URLs, are described in docs/sources.md (the
        ``refs`` column names its anchors).
        """
        from nrplan.defaults import STATUSES, default, defaults_rows
        from nrplan.errors import check_choice

        for n in name or ():
            default(n)  # unknown name: one-line error listing close names
        if status is not None:
            check_choice("status", status, STATUSES)
        rows = [
            r
            for r in defaults_rows()
            if (not name or r["name"] in name) and (status is None or r["status"] == status)
        ]
        if as_json:
            print_json(rows)
            return
        from rich.markup import escape
        from rich.table import Table

        from nrplan.cli._output import console

        table = Table(title=f"nrplan defaults ({len(rows)})")
        table.add_column("name", no_wrap=True)
        table.add_column("value", justify="right", no_wrap=True)
        table.add_column("unit", no_wrap=True)
        table.add_column("year")
        table.add_column("status")
        table.add_column("docs/sources.md", overflow="fold")
        for r in rows:
            refs = " ".join(str(x).removeprefix("docs/sources.md") for x in r["refs"])
            cells = (r["name"], _fmt(r["value"]), r["unit"], r["year"] or "", r["status"], refs)
            table.add_row(*(escape(str(c)) for c in cells))
        console.print(table)
