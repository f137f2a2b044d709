"""``nrplan report`` (HTML report, optional KMZ) and ``nrplan compare`` (runs side by side)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nrplan.cli._output import console, print_json, print_table

__all__ = ["register"]


def report_cmd(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by 'nrplan plan'.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default RUN_DIR/report.html).")
    ] = None,
    all_cities: Annotated[
        bool, typer.Option("--all-cities", help="A section for every city.")
    ] = False,
    max_cities: Annotated[
        int, typer.Option("--max-cities", help="Sections for the N largest cities by sites.")
    ] = 6,
    kml: Annotated[
        bool,
        typer.Option("--kml", help="Also write RUN_DIR/sites.kmz (sites + RSRP overlays)."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the files written as JSON.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Render the report even when it is up to date."),
    ] = False,
) -> None:
    """Write the self-contained HTML report of a run (maps, KPIs, CDFs, assumptions).

    An up-to-date report (same summary, files and options) is not rendered again.
    """
    from nrplan.io.outpath import check_out_file
    from nrplan.report import write_kmz, write_report

    if out is not None:
        check_out_file(out)
    written = {"report": str(write_report(run_dir, out, max_cities, all_cities, force=force))}
    if kml:
        written["kmz"] = str(write_kmz(run_dir))
    if as_json:
        print_json(written)
    else:
        for kind, path in written.items():
            console.print(f"wrote {kind}: {path}")


def compare_cmd(
    runs: Annotated[
        list[Path], typer.Argument(help="Run directories to compare (two or more, usually).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="HTML file to write (default ./compare.html).")
    ] = Path("compare.html"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """Compare the national KPIs and costs of several runs side by side."""
    from nrplan.io.outpath import check_out_file
    from nrplan.report.compare import compare_runs, compare_table_rows, write_compare_html
    from nrplan.report.rundata import fmt_num

    check_out_file(out)
    df = compare_runs(runs)
    path = write_compare_html(df, out)
    labels = list(df.columns[3:])
    if as_json:
        print_json(
            {
                "runs": [{"label": lab, "path": df.attrs["paths"][lab]} for lab in labels],
                "rows": [
                    {
                        "key": r["key"],
                        "metric": r["metric"],
                        "unit": r["unit"],
                        "values": {lab: r[lab] for lab in labels},
                    }
                    for r in df.to_dict(orient="records")
                ],
                "html": str(path),
            }
        )
        return
    rows = [
        [r[0] + (f" [{r[1]}]" if r[1] else ""), *(fmt_num(v) for v in r[2:])]
        for r in compare_table_rows(df)
    ]
    print_table(rows, ["metric", *labels], title="nrplan compare")
    console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    """Add ``report`` and ``compare`` to the ``nrplan`` app."""
    app.command("report")(report_cmd)
    app.command("compare")(compare_cmd)
