"""The ``nrplan`` command line: a thin Typer layer over the library.

Each command group lives in its own module under ``nrplan.cli`` and exposes
``register(app)``. :func:`main` runs the app so that every user error — bad
option values, unknown names, missing files, and the CLI framework's own
usage errors — becomes one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

try:  # Typer >= 0.20 vendors its own copy of Click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older Typer on upstream Click
    from click import exceptions as _cx

from nrplan.errors import NrplanError

__all__ = ["app", "main"]

app = typer.Typer(
    name="nrplan",
    help="Plan 5G NR radio networks: sites, bands, coverage, SINR, throughput, cost, energy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts carry units in brackets, e.g. [dBm]
)

# Command modules, in the order their commands appear in --help.
_COMMAND_MODULES = (
    "plan",
    "predict",
    "regions",
    "pathloss",
    "linkbudget",
    "calibrate",
    "econ",
    "private",
    "report",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}").register(app)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """nrplan: open 5G NR network planning."""
    if version:
        from nrplan import __version__

        typer.echo(__version__)
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def _fail(message: str, code: int = 2) -> int:
    message = " ".join(str(message).split())  # exactly one line
    typer.echo(f"nrplan: error: {message}", err=True)
    return code


def _empty_out(args: list[str]) -> bool:
    """True if ``--out`` is given an empty value (Click would read it as ``.``)."""
    for i, a in enumerate(args):
        if a == "--":
            return False
        if a == "--out=" or (a == "--out" and i + 1 < len(args) and not args[i + 1].strip()):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nrplan`` console script; returns the exit code."""
    if _empty_out(list(sys.argv[1:] if argv is None else argv)):
        return _fail("--out: empty path; give the directory or file to write")
    try:
        rv = app(args=argv, prog_name="nrplan", standalone_mode=False)
    except _cx.NoArgsIsHelpError as exc:  # bare group: help was shown
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
        return 0
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        return _fail("interrupted", 130)
    except _cx.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        return _fail(f"{exc.format_message()}{hint}")
    except _cx.ClickException as exc:
        return _fail(exc.format_message())
    except NrplanError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted; finished work is kept and a re-run resumes", 130)
    except FileNotFoundError as exc:
        return _fail(f"file not found: {exc.filename or exc}")
    except (OSError, ValueError) as exc:  # last line of defence for malformed files
        if os.environ.get("NRPLAN_DEBUG"):
            raise
        return _fail(f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # a bug: one line for users, the traceback on request
        if os.environ.get("NRPLAN_DEBUG"):
            raise
        return _fail(
            f"internal error ({type(exc).__name__}: {exc}); rerun with NRPLAN_DEBUG=1 "
            "for the traceback and please report it",
            1,
        )
    if rv == 130:  # Typer turns Ctrl-C inside a command into exit code 130
        return _fail("interrupted; finished work is kept and a re-run resumes", 130)
    if isinstance(rv, int):
        return rv
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
