"""The shape of ``etagspec/``: no import cycle, and a sans-IO core.

The import graph is read from the source with :mod:`ast`, so it sees every
``import`` and ``from ... import``: at module level, inside functions, and
under ``if TYPE_CHECKING:``. An edge goes from a module to each ``etagspec``
module it names; importing ``a.b.c`` also runs ``a/__init__`` and
``a/b/__init__``, but Python tolerates that re-entry, so those implied
parent edges are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Final

import pytest

PACKAGE: Final = "etagspec"
ROOT: Final = Path(__file__).resolve().parent.parent / PACKAGE

#: The sans-IO core: header text in, frozen values and decisions out.
CORE: Final = frozenset(
    f"{PACKAGE}.{name}"
    for name in (
        "etags",
        "dates",
        "cache_control",
        "cache_control_lint",
        "preconditions",
        "ranges",
        "headers",
        "limits",
        "digest",
        "_abnf",
        "_display",
        "_memo",
        "errors",
    )
)
#: What the core must never reach: the WSGI layer and the harness (with
#: their subpackages), and the package's ``__init__``, which imports them all.
WSGI_LAYER: Final = (
    "request",
    "response",
    "wsgi_adapter",
    "caching",
    "_fast_paths",
    "testing",
    "demo",
    "environ",
)
HARNESS: Final = ("conformance", "strategies", "cli")
FORBIDDEN_TO_CORE: Final = tuple(f"{PACKAGE}.{name}" for name in (*WSGI_LAYER, *HARNESS))

#: Cycles that still exist while they are being removed. Each entry is the
#: sorted module list of one strongly connected component; this list only
#: ever shrinks (a cycle fixed must be taken out, see the test below).
KNOWN_CYCLES: Final[frozenset[tuple[str, ...]]] = frozenset()


def module_name(path: Path) -> str:
    """``etagspec/conformance/runner.py`` -> ``etagspec.conformance.runner``."""
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported_names(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, ...]]:
    """What each import statement anywhere in ``tree`` asks for.

    Each item lists the dotted names to try, most specific first: ``from X
    import y`` asks for the submodule ``X.y`` if there is one, else ``X``.
    """
    here = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name,) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = here.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            yield from ((f"{base}.{alias.name}", base) for alias in node.names)


def resolve(candidates: tuple[str, ...], modules: Iterable[str]) -> str | None:
    """The package module an import runs: the first candidate that is one,
    or the nearest enclosing module (``import a.b.c`` where ``c`` is a name)."""
    known = set(modules)
    for candidate in candidates:
        if candidate in known:
            return candidate
    wanted = candidates[-1]
    while wanted and wanted not in known:
        wanted = wanted.rpartition(".")[0]
    return wanted or None


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the package modules it imports (never itself)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = {resolve(wanted, modules) for wanted in imported_names(tree, name, is_package)}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module: each holds a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def one_cycle(graph: Mapping[str, Iterable[str]], component: list[str]) -> list[str]:
    """A concrete loop inside ``component``, ``a -> b -> ... -> a``, for the message."""
    members = set(component)
    start = component[0]
    path = [start]
    seen = {start}
    node = start
    while True:
        successors = sorted(s for s in graph[node] if s in members)
        if start in successors and len(path) > 1:
            return [*path, start]
        unseen = [s for s in successors if s not in seen]
        node = unseen[0] if unseen else successors[0]
        if node in seen:
            return [*path[path.index(node) :], node]
        path.append(node)
        seen.add(node)


def reachable(graph: Mapping[str, Iterable[str]], start: str) -> dict[str, str]:
    """Every module ``start`` imports, directly or not -> the module that imports it."""
    found: dict[str, str] = {}
    todo = [start]
    while todo:
        node = todo.pop()
        for successor in graph.get(node, ()):
            if successor not in found and successor != start:
                found[successor] = node
                todo.append(successor)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(package_modules())


def test_the_graph_sees_imports_inside_functions_and_type_checking() -> None:
    # A test that can fail: the reader must find every kind of import.
    source = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from . import etags\n"
        "from .dates import format_http_date\n"
        "if TYPE_CHECKING:\n"
        "    from .conformance.model import Report\n"
        "def later():\n"
        "    import etagspec.request\n"
        "    from .caching import with_etag\n"
    )
    modules = package_modules()
    tree = ast.parse(source)
    wanted = imported_names(tree, "etagspec.preconditions", is_package=False)
    found = {resolve(candidates, modules) for candidates in wanted}
    assert found == {
        None,  # __future__ and typing: not package modules
        "etagspec.etags",
        "etagspec.dates",
        "etagspec.conformance.model",
        "etagspec.request",
        "etagspec.caching",
    }


def test_cycle_finder_finds_a_planted_cycle() -> None:
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(planted) == [["a", "b", "c"]]
    assert one_cycle(planted, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_no_import_cycles(graph: dict[str, set[str]]) -> None:
    cycles = [c for c in strongly_connected(graph) if tuple(c) not in KNOWN_CYCLES]
    message = "\n".join(" -> ".join(one_cycle(graph, c)) for c in cycles)
    assert not cycles, f"import cycles in {PACKAGE}/:\n{message}"


def test_known_cycles_still_exist(graph: dict[str, set[str]]) -> None:
    # The allow-list only shrinks: a cycle that is gone must leave it.
    current = {tuple(c) for c in strongly_connected(graph)}
    assert current >= KNOWN_CYCLES, f"fixed, take out of KNOWN_CYCLES: {KNOWN_CYCLES - current}"


def test_core_modules_exist() -> None:
    # The lists above name real modules (a rename must update them).
    modules = package_modules()
    missing = sorted(name for name in CORE if name not in modules)
    assert not missing, missing


@pytest.mark.parametrize("core_module", sorted(CORE))
def test_core_imports_no_wsgi_layer_and_no_harness(
    graph: dict[str, set[str]], core_module: str
) -> None:
    found = reachable(graph, core_module)
    bad = sorted(
        module
        for module in found
        if module == PACKAGE
        or any(module == layer or module.startswith(layer + ".") for layer in FORBIDDEN_TO_CORE)
    )
    chains = []
    for module in bad:
        chain = [module]
        while chain[-1] != core_module:
            chain.append(found[chain[-1]])
        chains.append(" <- ".join(chain))
    assert not bad, f"{core_module} reaches the WSGI layer or the harness:\n" + "\n".join(chains)
