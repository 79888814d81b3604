"""tests/untraced_engine.py: with Hypothesis's engine untraced, coverage
measures every line and arc of etagspec it measures with the engine traced,
and the engine's own frames are not traced.

The tests measure with a coverage.py of their own (its C tracer, as under
``make test``; started inside the session's, which it pauses and resumes)
or trace with a tracer of their own, and put the session's back after it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import coverage
import pytest
import untraced_engine
import zoo
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from hypothesis.core import StateForActualGivenExecution
from untraced_engine import engine_traced, engine_untraced

import etagspec
import etagspec.strategies as gen
from etagspec import parse_entity_tag_list
from etagspec.conformance import check_app
from etagspec.conformance.search import search

ETAGSPEC = str(Path(etagspec.__file__).resolve().parent)
FIXED_NOW = 1_700_000_000.0

Arc = tuple[str, int, int]


class Recorder:
    """A trace function that records the file and name of every frame it
    sees start."""

    def __init__(self) -> None:
        self.called: set[tuple[str, str]] = set()

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            self.called.add((frame.f_code.co_filename, frame.f_code.co_name))


@contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()
    before = sys.gettrace()
    sys.settrace(recorder)
    try:
        yield recorder
    finally:
        sys.settrace(before)


def measured(run: Callable[[], object], engine: Callable[[], Any]) -> tuple[set[Arc], object]:
    """The arcs of etagspec coverage.py measures while ``run()`` runs with
    ``engine`` (:func:`engine_traced` or :func:`engine_untraced`), and what
    ``run()`` returned."""
    measuring = coverage.Coverage(data_file=None, config_file=False, branch=True, source=[ETAGSPEC])
    measuring.start()
    try:
        with engine():
            result = run()
    finally:
        measuring.stop()
    data = measuring.get_data()
    arcs = {(name, *arc) for name in data.measured_files() for arc in data.arcs(name) or ()}
    return arcs, result


def both_ways(run: Callable[[], object]) -> tuple[tuple[set[Arc], object], tuple[set[Arc], object]]:
    """``run()`` measured with the engine traced, then untraced, after a
    first run that fills the caches (of strategies built, of parsed
    values...) that would spare the second run lines the first one ran."""
    run()
    return measured(run, engine_traced), measured(run, engine_untraced)


def engine_files(recorder: Recorder) -> set[str]:
    return {
        name
        for name, _ in recorder.called
        for engine in ("engine.py", "shrinker.py", "datatree.py")
        if name.endswith(f"conjecture/{engine}")
    }


def test_a_harness_run_shows_the_same_arcs_with_the_engine_untraced() -> None:
    # A mutant that fails: its searches find, shrink and diagnose.
    def run() -> object:
        app = zoo.make_app(strong_if_none_match=True, clock=lambda: FIXED_NOW)
        report = check_app(app, select=["CMP-USE-2", "COND-INM-4a"], max_examples=10, seed=3)
        return report.to_json(include_run=False)

    (traced, traced_report), (untraced, untraced_report) = both_ways(run)

    assert untraced_report == traced_report
    assert any(check["status"] == "failed" for check in traced_report["checks"])  # type: ignore[index]
    assert untraced == traced
    assert any(name.endswith("conformance/probing.py") for name, _, _ in untraced)


def test_a_property_test_shows_the_same_arcs_with_the_engine_untraced() -> None:
    seen: list[object] = []

    @seed(5)
    @settings(max_examples=30, database=None)
    @given(gen.etag_list_values(), st.text(max_size=5))
    def property_test(value: str, other: str) -> None:
        seen.append(parse_entity_tag_list(value))

    def run() -> object:
        seen.clear()
        property_test()
        return list(seen)

    (traced, traced_seen), (untraced, untraced_seen) = both_ways(run)

    assert untraced_seen == traced_seen and traced_seen
    assert untraced == traced
    assert any(name.endswith("strategies/_etags.py") for name, _, _ in untraced)


def test_the_engine_frames_are_not_traced() -> None:
    def run() -> None:
        sums = st.lists(st.integers())
        found = search(sums, lambda drawn: sum(drawn) > 50 or None, max_examples=50, seed=1)
        assert found.found is True

    with engine_traced(), recording() as traced:
        run()
    with recording() as untraced, engine_untraced(only_under_coverage=False):
        run()

    assert engine_files(traced)
    assert not engine_files(untraced)
    assert any(name.endswith("conformance/search.py") for name, _ in untraced.called)


def test_a_strategy_built_inside_the_engine_is_built_traced() -> None:
    # A deferred strategy that Hypothesis's own code builds (asking whether
    # a one_of branch is empty) while the tracer is suspended.
    def definition() -> st.SearchStrategy[int]:
        return st.integers(0, 3)

    @st.composite
    def drawn(draw: st.DrawFn) -> int | None:
        return draw(st.one_of(st.deferred(definition), st.none()))

    with recording() as recorder, engine_untraced(only_under_coverage=False):
        search(drawn(), lambda value: None, max_examples=5, seed=1)

    assert (__file__, "definition") in recorder.called


def test_the_tracer_is_set_back_when_the_test_raises() -> None:
    def boom(drawn: int) -> None:
        raise LookupError(drawn)

    with recording() as recorder, engine_untraced(only_under_coverage=False):
        with pytest.raises(LookupError):
            search(st.integers(), boom, max_examples=5, seed=1)
        after = sys.gettrace()

    assert after is recorder
    assert (__file__, "boom") in recorder.called


def test_without_a_tracer_nothing_is_patched() -> None:
    with engine_traced():
        before = sys.gettrace()
        sys.settrace(None)
        try:
            with engine_untraced(only_under_coverage=False):
                run_engine = StateForActualGivenExecution.run_engine
        finally:
            sys.settrace(before)

    assert run_engine is untraced_engine._original_run_engine


def test_only_coverage_tracer_is_untraced_by_default() -> None:
    with engine_traced(), recording(), engine_untraced():
        run_engine = StateForActualGivenExecution.run_engine

    assert run_engine is untraced_engine._original_run_engine


def test_the_engine_runs_on_a_frame_with_room_above_it() -> None:
    # The fresh chunk of frames it asks for (see untraced_engine._with_room).
    assert untraced_engine._with_room.__code__.co_stacksize >= 64 * 1024
    assert untraced_engine._with_room(lambda: 42) == 42
