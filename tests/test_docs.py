"""The documentation site builds with warnings as errors (``mkdocs build --strict``).

The build (into ``tmp_path``, offline) renders the API pages from the
docstrings, generates the CLI reference from the Typer app and draws the
model validation figures (``tools/docs_hooks.py``); nothing is written into
``docs/``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _hooks():
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "tools" / "docs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    before = _tree(ROOT / "docs")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert "WARNING" not in log, log[-4000:]
    assert _tree(ROOT / "docs") == before, "the build wrote into docs/"
    return out


def test_pages_of_the_nav_are_built(site: Path):
    for page in ("index.html", "getting-started/index.html", "cli/index.html"):
        assert (site / page).is_file(), page
    for md in sorted((ROOT / "docs" / "models").glob("*.md")):
        assert (site / "models" / md.stem / "index.html").is_file(), md.name
    for note in ("census-2020", "planning-defaults", "architecture", "economics-2020"):
        assert (site / note / "index.html").is_file(), note


def test_api_pages_render_the_docstrings(site: Path):
    hooks = _hooks()
    present = [m for m in hooks.API_MODULES if importlib.util.find_spec(m) is not None]
    assert "nrplan.radio.pathloss" in present and "nrplan.engine" in present
    for module in present:
        html = (site / "api" / module / "index.html").read_text(encoding="utf-8")
        assert 'class="doc doc-' in html, module  # mkdocstrings rendered objects
    pathloss = (site / "api" / "nrplan.radio.pathloss" / "index.html").read_text(encoding="utf-8")
    assert "Table 7.4.1-1" in pathloss and "breakpoint_distance" in pathloss


def test_cli_reference_has_every_command_help(site: Path):
    from nrplan.cli import _command_index

    html = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for name in _command_index():
        assert f"<code>nrplan {name}</code>" in html, name
    # the text of a --help, options included
    assert "--scenario" in html and "TR 38.901 Table 7.8-1" in html
    assert html.count("Show this message and exit.") >= len(_command_index())


def test_validation_figures_are_generated(site: Path):
    hooks = _hooks()
    for name in hooks.FIGURES:
        data = (site / "figures" / name).read_bytes()
        assert data[:8] == PNG_MAGIC and len(data) > 5000, name
    calib = (site / "models" / "calibration" / "index.html").read_text(encoding="utf-8")
    assert "../../figures/calibration.png" in calib


def test_nav_drops_pages_missing_at_build_time(tmp_path: Path):
    hooks = _hooks()
    (tmp_path / "here.md").write_text("# here\n", encoding="utf-8")
    nav = [
        {"Here": "here.md"},
        {"Notes": [{"Gone": "gone.md"}, {"Here too": "here.md"}]},
        {"Empty": [{"Gone": "gone.md"}]},
        {"CLI": "cli.md"},
        {"Link": "https://example.org/"},
    ]
    assert hooks._prune_nav(nav, tmp_path) == [
        {"Here": "here.md"},
        {"Notes": [{"Here too": "here.md"}]},
        {"CLI": "cli.md"},
        {"Link": "https://example.org/"},
    ]


def test_cli_help_imports_no_heavy_library():
    """``nrplan --help`` stays lean: command modules import the library lazily.

    (NumPy is not in the list: ``nrplan.errors``, which every command module
    imports for its one-line errors, uses it.)"""
    code = (
        "import contextlib, io, sys\n"
        "from nrplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
        "heavy = ['pandas', 'matplotlib', 'numba', 'dask', 'distributed', 'geopandas',\n"
        "         'scipy', 'rasterio', 'pyproj', 'shapely', 'pydantic']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_lazy_root_help_equals_the_eager_typer_help():
    """The lazily built ``nrplan --help`` lists what Typer itself would list."""
    import importlib

    import typer

    from nrplan import cli

    eager = typer.Typer(
        name="nrplan", help=cli.app.info.help, no_args_is_help=True, add_completion=False,
        pretty_exceptions_enable=False, rich_markup_mode=None,
    )  # fmt: skip
    eager.callback(invoke_without_command=True)(cli._root)
    for name in cli._COMMAND_MODULES:
        importlib.import_module(f"nrplan.cli.{name}").register(eager)

    def help_of(app: typer.Typer, args: list[str]) -> str:
        group = typer.main.get_command(app)
        ctx = group.make_context("nrplan", list(args), resilient_parsing=True)
        for name in args:
            cmd = group.get_command(ctx, name)
            ctx = cmd.make_context(name, [], parent=ctx, resilient_parsing=True)
            group = cmd
        return group.get_help(ctx)

    assert help_of(cli.app, []) == help_of(eager, [])
    for name in ("plan", "regions", "pathloss"):
        assert help_of(cli.app, [name]) == help_of(eager, [name])


def test_sphinx_roles_are_rendered_as_code(site: Path):
    hooks = _hooks()
    assert hooks._ROLE.sub(hooks._drop_role, ":class:<code>~a.b.C</code>") == "<code>C</code>"
    assert hooks._ROLE.sub(hooks._drop_role, ":func:<code>a.f</code>") == "<code>a.f</code>"
    html = (site / "api" / "nrplan.radio.pathloss" / "index.html").read_text(encoding="utf-8")
    assert ":data:<code>" not in html and ":class:<code>" not in html
