"""Collection of ``conformance/``: ``pytest conformance --etagspec-target=...``
needs only the ``test`` extra.

The campaign's apps (and the layer harness's) import the frameworks they
exercise, which only the ``campaign`` extra installs. The doctest
collection would import them and fail; a module whose top-level imports
cannot be found is left out of the collection instead.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

HERE = Path(__file__).parent


def _imported_packages(source: Path) -> set[str]:
    """The top-level packages a module imports absolutely."""
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _missing(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is None
    except (ImportError, ValueError):
        return True


def _uncollectable() -> list[str]:
    """Modules under ``conformance/`` that import a package not installed."""
    left_out = []
    for module in sorted(HERE.rglob("*.py")):
        if module.name == "conftest.py":
            continue
        if any(_missing(package) for package in _imported_packages(module)):
            left_out.append(str(module.relative_to(HERE)))
    return left_out


collect_ignore = _uncollectable()
