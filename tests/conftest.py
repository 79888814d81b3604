"""Fixtures shared by the test modules."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def app_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], str]]:
    """Write Python source into a fresh module and return the module's name;
    it is importable for this test only."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written: list[str] = []

    def write(source: str) -> str:
        name = f"etagspec_test_app_{uuid.uuid4().hex[:12]}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        written.append(name)
        return name

    yield write
    for name in written:
        sys.modules.pop(name, None)


@pytest.fixture
def app_spec(app_module: Callable[[str], str]) -> Callable[[str], str]:
    """Like ``app_module``, but returns the ``module:app`` spec of the
    module's ``app``, as the command line takes it."""
    return lambda source: f"{app_module(source)}:app"
