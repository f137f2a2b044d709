"""The ``nrplan`` command line: a thin Typer layer over the library.

Each command group lives in its own module under ``nrplan.cli`` and exposes
``register(app)``. :func:`main` runs the app so that every user error — bad
option values, unknown names, missing files, and the CLI framework's own
usage errors — becomes one line on stderr and exit code 2, never a traceback.

Start-up is kept lean: the command modules import only Typer, rich and
``nrplan.errors`` at module level (the library — NumPy, matplotlib, Numba
kernels, GeoPandas, Dask — is imported inside the command functions), and the
app builds the Click command of a subcommand only when it is invoked or its
``--help`` is asked for. ``nrplan --help`` lists the commands from their
docstrings without building their options.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
import typer.main as _tmain
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandInfo, TyperInfo

try:  # Typer >= 0.20 vendors its own copy of Click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older Typer on upstream Click
    from click import exceptions as _cx

from nrplan.errors import NrplanError

__all__ = ["app", "main"]

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
    "measure",
    "defaults",
)


@functools.cache
def _command_index() -> dict[str, CommandInfo | TyperInfo]:
    """Name -> Typer registration info of every subcommand, in --help order.

    Each command module's ``register`` is called on a scratch Typer; this
    imports the (light) command modules but builds no Click command. Plain
    commands come first, then command groups, as Typer itself orders them.
    """
    commands: dict[str, CommandInfo | TyperInfo] = {}
    groups: dict[str, CommandInfo | TyperInfo] = {}
    for module in _COMMAND_MODULES:
        scratch = typer.Typer()
        importlib.import_module(f"{__name__}.{module}").register(scratch)
        for info in scratch.registered_commands:
            name = info.name or _tmain.get_command_name(info.callback.__name__)
            commands[name] = info
        for ginfo in scratch.registered_groups:
            name = _tmain.solve_typer_info_defaults(ginfo).name
            if not name:
                raise RuntimeError(f"nrplan.cli.{module}: a command group needs a name")
            groups[name] = ginfo
    return commands | groups


@functools.cache
def _build_command(name: str) -> Any:
    """The Click command (or group) of subcommand ``name``, built once."""
    info = _command_index()[name]
    options: dict[str, Any] = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    if isinstance(info, CommandInfo):
        return _tmain.get_command_from_info(info, **options)
    if "suggest_commands" in inspect.signature(_tmain.get_group_from_info).parameters:
        options["suggest_commands"] = getattr(app, "suggest_commands", True)  # Typer >= 0.16
    return _tmain.get_group_from_info(info, **options)


class _LazyCommands(MutableMapping[str, Any]):
    """The subcommands of the root group, each built on first access."""

    def __init__(self) -> None:
        self._added: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name in self._added:
            return self._added[name]
        if name not in _command_index():
            raise KeyError(name)
        return _build_command(name)

    def __setitem__(self, name: str, command: Any) -> None:
        self._added[name] = command

    def __delitem__(self, name: str) -> None:
        del self._added[name]

    def __iter__(self) -> Iterator[str]:
        yield from _command_index()
        yield from (n for n in self._added if n not in _command_index())

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _LazyGroup(TyperGroup):
    """Root group whose subcommands are built only when used."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.commands = _LazyCommands()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands with their one-line help, read from the docstrings."""
        rows = []
        for name in self.list_commands(ctx):
            info = _command_index().get(name)
            if isinstance(info, CommandInfo):
                doc = info.help if info.help is not None else inspect.getdoc(info.callback)
                stub = TyperCommand(
                    name=name,
                    help=inspect.cleandoc(doc) if doc else doc,
                    short_help=info.short_help,
                    hidden=info.hidden,
                    deprecated=info.deprecated,
                )
            else:  # a command group (or a command added by hand): build it
                stub = self.commands[name]
            if not stub.hidden:
                rows.append((name, stub))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


app = typer.Typer(
    cls=_LazyGroup,
    name="nrplan",
    help="Plan 5G NR radio networks: sites, bands, coverage, SINR, throughput, cost, energy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts carry units in brackets, e.g. [dBm]
)


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
