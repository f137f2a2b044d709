"""Import layering of the nrplan package, checked on the source with a small AST walk.

Rules:

1. No import cycle between the top-level parts of nrplan (``nrplan.radio``,
   ``nrplan.engine``, ``nrplan.plan``, ``nrplan.defaults``, ...), counting
   every runtime import, module-level or function-local (imports under
   ``if TYPE_CHECKING:`` are not runtime imports and are skipped).
2. One direction: ``radio`` <- ``engine`` <- ``plan`` <- ``report`` / ``econ``
   consumers. ``nrplan.radio`` and ``nrplan.engine`` import nothing of
   ``plan``, ``report``, ``econ``, ``cli`` or ``api``.
3. No function-local import outside ``nrplan.cli`` except of the heavy optional
   packages of :data:`nrplan._optional.OPTIONAL_IMPORTS` (and the few start-up
   deferrals of :data:`nrplan._optional.STARTUP_LAZY_IMPORTS`). The imports of
   :data:`PENDING_LOCAL_IMPORTS` are still to be moved; the list may only
   shrink (a listed import that is gone fails the test too, so the list stays
   exact).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from nrplan._optional import OPTIONAL_IMPORTS, STARTUP_LAZY_IMPORTS

SRC = Path(__file__).resolve().parents[1] / "src" / "nrplan"

#: Parts that must not import the layers above them.
LOWER_LAYERS = ("radio", "engine")
UPPER_LAYERS = ("plan", "report", "econ", "cli", "api")

#: Function-local imports not yet moved to their module's top ("module: imported").
PENDING_LOCAL_IMPORTS: frozenset[str] = frozenset()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute names of the modules an import statement imports."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        pkg = module.split(".")
        pkg = pkg[: len(pkg) - node.level + (1 if is_package else 0)]
        base = ".".join([*pkg, base] if base else pkg)
    if node.module is None:  # from . import x: x may be a module
        return [f"{base}.{a.name}" for a in node.names]
    return [base]


class _Imports(ast.NodeVisitor):
    """Runtime imports of one module: (target, function-local?) pairs."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.depth = 0
        self.found: list[tuple[str, bool, int]] = []

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if "TYPE_CHECKING" in ast.unparse(node.test):  # type-only imports
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for target in _targets(self.module, self.is_package, node):
            self.found.append((target, self.depth > 0, node.lineno))

    visit_Import = _import
    visit_ImportFrom = _import


def _scan() -> dict[str, list[tuple[str, bool, int]]]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        module = _module_name(path)
        visitor = _Imports(module, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        out[module] = visitor.found
    return out


def _part(module: str) -> str:
    """Top-level part of an nrplan module: nrplan.plan.city -> plan."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


@pytest.fixture(scope="module")
def imports() -> dict[str, list[tuple[str, bool, int]]]:
    return _scan()


def _part_graph(imports) -> dict[str, dict[str, list[str]]]:
    """part -> imported part -> ["module:line -> target", ...] (nrplan imports only)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, found in imports.items():
        for target, _local, line in found:
            if target.startswith("nrplan.") and _part(target) != _part(module):
                graph[_part(module)][_part(target)].append(f"{module}:{line} -> {target}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Strongly connected components of more than one part (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def test_cycle_finder_finds_a_cycle():
    # a -> b -> c -> a is one cycle; d -> a is not part of it
    g = {"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}
    assert _cycles(g) == [["a", "b", "c"]]
    assert _cycles({"a": {"b": []}, "b": {}}) == []


def test_relative_imports_resolve():
    node = ast.parse("from ..radio import bands").body[0]
    assert _targets("nrplan.engine.model", False, node) == ["nrplan.radio"]
    node = ast.parse("from . import kernels").body[0]
    assert _targets("nrplan.engine", True, node) == ["nrplan.engine.kernels"]


def test_no_import_cycle_between_parts(imports):
    graph = _part_graph(imports)
    lines = []
    for comp in _cycles(graph):
        lines.append("cycle " + " <-> ".join(comp) + ":")
        for a in comp:
            for b in comp:
                lines += [f"    {e}" for e in graph[a].get(b, [])]
    assert not lines, "\n".join(lines)


def test_lower_layers_do_not_import_upper_layers(imports):
    bad = [
        f"{module}:{line} imports {target}"
        for module, found in imports.items()
        if _part(module) in LOWER_LAYERS
        for target, _local, line in found
        if target.startswith("nrplan.") and _part(target) in UPPER_LAYERS
    ]
    assert not bad, "\n".join(bad)


def test_function_local_imports_only_of_optional_packages(imports):
    local = {
        f"{module}: {target}": line
        for module, found in imports.items()
        if not (module == "nrplan.cli" or module.startswith("nrplan.cli."))
        for target, is_local, line in found
        if is_local
        and target.split(".")[0] not in OPTIONAL_IMPORTS
        and target not in STARTUP_LAZY_IMPORTS.get(module, ())
    }
    new = sorted(f"{k} (line {v})" for k, v in local.items() if k not in PENDING_LOCAL_IMPORTS)
    stale = sorted(PENDING_LOCAL_IMPORTS - set(local))
    assert not new, (
        "function-local imports outside nrplan.cli (move them to the module top, or list "
        "a heavy optional package in nrplan._optional.OPTIONAL_IMPORTS):\n" + "\n".join(new)
    )
    assert not stale, "moved: drop from PENDING_LOCAL_IMPORTS:\n" + "\n".join(stale)


def test_optional_imports_are_third_party():
    import sys

    assert OPTIONAL_IMPORTS == tuple(sorted(OPTIONAL_IMPORTS))
    for name in OPTIONAL_IMPORTS:
        assert name not in sys.stdlib_module_names and name != "nrplan"
