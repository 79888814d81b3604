"""Fixtures shared by the test modules, and the Hypothesis profiles."""

from __future__ import annotations

import os
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from etagspec import demo

# Hypothesis budgets are set here, not on each test (a test keeps its own
# only where it needs that one). "ci", the default, keeps `make test` short;
# "thorough" is the long campaign: `pytest --hypothesis-profile=thorough`.
# No deadline: on a shared machine a slow example is not a bug. (The
# harness's own searches set their budget themselves, whatever the profile.)
settings.register_profile("ci", max_examples=50, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile("ci")


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


@pytest.fixture(autouse=True, scope="session")
def demo_without_waits() -> Iterator[None]:
    """Every demo store made in a test process (``make_app()``, a
    ``etagspec.demo:make_app`` spec) runs on :class:`~etagspec.demo.SkippedTime`:
    a second write to a path within one second gets the next second at
    once instead of waiting for it. The waiting itself is tested with
    recorded sleeps (tests/test_demo.py, tests/test_hostile.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo, "default_time", demo.SkippedTime)
        yield


#: Modules whose tests share runs cached per process (tests/test_diagnosis.py's
#: ``run()``) and that are the longest of the suite: collected first.
RUN_FIRST = ("test_diagnosis.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the ``RUN_FIRST`` modules at the head of the run, in their order.

    Under ``make test`` (pytest-xdist, ``--dist worksteal``) the first worker
    is handed the first share of the items and an idle worker steals from the
    end of another's queue: a module at the head runs at once, as a whole in
    one process (its cached runs are made once, not once per worker that got
    a share of its tests), and its long tests are not left for the end of
    the run. The order within each module is kept."""
    items.sort(key=lambda item: item.path.name not in RUN_FIRST)


@pytest.fixture(autouse=True, scope="session")
def hypothesis_engine_untraced() -> Iterator[None]:
    """Under coverage, Hypothesis's engine runs without coverage's tracer, and
    what it calls (tests, strategies' code) with it: the same lines and arcs
    measured, about a sixth less CPU time (tests/untraced_engine.py).
    ``ETAGSPEC_TRACE_ENGINE=1`` traces the engine too, to compare."""
    if os.environ.get("ETAGSPEC_TRACE_ENGINE"):
        yield
        return
    try:
        from untraced_engine import engine_untraced
    except (ImportError, AttributeError, KeyError):
        # Hypothesis moved what it patches: the engine stays traced here (a
        # slower run, the same measure) and tests/test_untraced_engine.py
        # fails on importing it, with the reason.
        yield
        return
    with engine_untraced():
        yield
