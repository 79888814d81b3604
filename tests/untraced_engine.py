"""Hypothesis's engine run without coverage's tracer; everything else it
calls (the test, and the code of the strategies it draws from) traced.

Why: on Python 3.11 coverage.py measures with a C trace function, and while
a trace function is set the interpreter runs every instruction of the thread
on its slow tracing path, in code coverage does not measure as much as in
code it does. Hypothesis's engine (generating, its data tree, shrinking) is
most of the work of a property test and of a harness search, and none of it
is measured: coverage's source is etagspec/. Run untraced it costs about a
sixth of ``make test``'s CPU time less (README, "Quick start").

How: Hypothesis runs a test's examples in ``run_engine``; there the tracer is
suspended, and set again around

* the test itself (a property test's body; the test function of
  :func:`etagspec.conformance.search.search`, which sends, judges and so on),
* each draw from a strategy whose drawing calls code other than
  Hypothesis's own: a strategy class defined elsewhere, or one of
  Hypothesis's that holds such a function (a ``map``, ``filter`` or
  ``flatmap`` function, a ``composite`` definition, a ``builds`` target, the
  definition of a ``deferred`` strategy...), each validation of one, and
  the building of a lazy or deferred strategy by a function from outside
  Hypothesis (which Hypothesis's own code may ask for),

and suspended again around each draw, inside those, from a strategy that
calls only Hypothesis's code. What coverage records is what it records with
the engine traced, line for line and arc for arc: each wrapper below leaves
the tracer as it found it before it returns, and gets no line events
(``f_trace_lines``) while it is set, so the tracer sees a call and a return
for exactly the frames it traced, and all their lines, in order.
tests/test_untraced_engine.py holds a harness run and a property test to
that, measured by a coverage.py of its own.

Without coverage (no trace function at the start of the session) nothing is
patched.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import hypothesis
import pytest
from hypothesis.core import StateForActualGivenExecution
from hypothesis.internal.conjecture.data import ConjectureData
from hypothesis.strategies import SearchStrategy
from hypothesis.strategies._internal.deferred import DeferredStrategy
from hypothesis.strategies._internal.lazy import LazyStrategy, unwrap_strategies

R = TypeVar("R")

#: Hypothesis's own code: the only code drawn from untraced.
HYPOTHESIS = str(Path(hypothesis.__file__).resolve().parent)


class _State(threading.local):
    #: The thread's tracer while ``run_engine`` runs without it, else None.
    tracer: Any = None


_state = _State()

# ---- setting and suspending the tracer --------------------------------------


def _traced(function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``function(*args, **kwargs)`` with the thread's tracer set again;
    called where ``run_engine`` suspended it."""
    sys._getframe().f_trace_lines = False
    sys.settrace(_state.tracer)
    try:
        return function(*args, **kwargs)
    finally:
        sys.settrace(None)


def _untraced(function: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """``function(*args, **kwargs)`` with the tracer suspended; called where
    it is set."""
    tracer = sys.gettrace()
    sys.settrace(None)
    try:
        return function(*args, **kwargs)
    finally:
        sys.settrace(tracer)


# ---- which strategies call code other than Hypothesis's -----------------------

#: The attribute a strategy keeps the answer of :func:`_calls_other_code` in.
_ANSWER = "_untraced_engine_calls_other_code"


def _is_other_code(value: object) -> bool:
    """Whether ``value`` is a function, class or callable object from
    outside Hypothesis (and the builtins)."""
    if isinstance(value, functools.partial):
        return _is_other_code(value.func)
    if isinstance(value, types.MethodType):
        return _is_other_code(value.__func__)
    if isinstance(value, type):
        return not value.__module__.startswith(("hypothesis", "builtins"))
    code = getattr(value, "__code__", None)
    if code is not None:
        return not code.co_filename.startswith(HYPOTHESIS)
    return callable(value) and _is_other_code(type(value))


def _holds_other_code(strategy: object) -> bool:
    """Whether drawing from ``strategy`` itself calls code from outside
    Hypothesis: its class, or a function, class or callable among its
    attributes (or in a tuple, list or dict among them, or in a tuple in
    one of those: a filter's conditions)."""
    if _is_other_code(type(strategy)):
        return True
    for name, value in getattr(strategy, "__dict__", {}).items():
        if name in (_ANSWER, _BUILDER):
            continue
        if isinstance(value, dict):
            value = tuple(value.values())
        for one in value if isinstance(value, (tuple, list)) else (value,):
            if any(_is_other_code(part) for part in (one if isinstance(one, tuple) else (one,))):
                return True
    return False


def _kept_on(strategy: object, attribute: str, work_out: Callable[[], bool]) -> bool:
    """``work_out()``, kept on ``strategy`` as ``attribute`` for next time."""
    known: bool | None = getattr(strategy, attribute, None)
    if known is None:
        known = work_out()
        with contextlib.suppress(AttributeError):  # no __dict__: asked again
            setattr(strategy, attribute, known)
    return known


def _calls_other_code(strategy: Any) -> bool:
    def work_out() -> bool:
        # The strategy first (a lazy or deferred one holds the function that
        # builds what it wraps), then what it wraps, which is what draws.
        if _holds_other_code(strategy):
            return True
        return _holds_other_code(unwrap_strategies(strategy))  # type: ignore[no-untyped-call]

    return _kept_on(strategy, _ANSWER, work_out)


# ---- the patched methods -------------------------------------------------------

_original_draw = ConjectureData.draw
_original_validate = SearchStrategy.validate
_original_init = StateForActualGivenExecution.__init__
_original_run_engine = StateForActualGivenExecution.run_engine


def _draw(self: ConjectureData, strategy: Any, *args: Any, **kwargs: Any) -> Any:
    if _state.tracer is None:  # not inside run_engine
        return _original_draw(self, strategy, *args, **kwargs)
    traced = sys.gettrace() is not None
    if _calls_other_code(strategy):
        if not traced:
            return _traced(_original_draw, self, strategy, *args, **kwargs)
    elif traced:
        return _untraced(_original_draw, self, strategy, *args, **kwargs)
    return _original_draw(self, strategy, *args, **kwargs)


def _validate(self: SearchStrategy[Any]) -> None:
    if _state.tracer is not None and sys.gettrace() is None and _calls_other_code(self):
        _traced(_original_validate, self)
    else:
        _original_validate(self)


def _init(self: StateForActualGivenExecution, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    test = self.test

    @functools.wraps(test)
    def traced_test(*test_args: Any, **test_kwargs: Any) -> Any:
        if _state.tracer is not None and sys.gettrace() is None:
            return _traced(test, *test_args, **test_kwargs)
        return test(*test_args, **test_kwargs)

    self.test = traced_test


def _with_room(call: Callable[[], R]) -> R:
    return call()


# A frame with room for 128 Ki values on its stack (a code object's stack
# size may be larger than its code needs). CPython 3.11 keeps frames in
# chunks it maps from the system when a call needs one and unmaps when that
# call returns: a loop whose calls go back and forth across the end of a
# chunk maps and unmaps one at each crossing. Where that happens depends on
# how deep the loop starts, so any change of depth (these wrappers, a
# pytest-xdist worker's own frames) can start or stop it: measured, a
# harness run under `-n 1` took 660,000 page faults and 3.1 s of system time
# instead of 160,000 and 1.3 s. Hypothesis's loops below this frame run in
# the fresh chunk its size asks for, with about a MiB of room above it.
_with_room.__code__ = _with_room.__code__.replace(co_stacksize=128 * 1024)


def _run_engine(self: StateForActualGivenExecution) -> None:
    tracer = sys.gettrace()
    if tracer is None:  # no coverage, or already inside an untraced engine
        _original_run_engine(self)  # type: ignore[no-untyped-call]
        return
    outer, _state.tracer = _state.tracer, tracer
    try:
        _with_room(functools.partial(_untraced, _original_run_engine, self))
    finally:
        _state.tracer = outer


def _built_traced(original: property) -> property:
    """A lazy or deferred strategy's ``wrapped_strategy``, built with the
    tracer set again when the function it is built by is not Hypothesis's:
    Hypothesis asks for it in its own code (whether a ``one_of`` branch is
    empty, say), where the tracer is suspended."""
    build = original.fget
    assert build is not None

    def wrapped_strategy(self: SearchStrategy[Any]) -> Any:
        if _state.tracer is None or sys.gettrace() is not None:
            return build(self)
        if _kept_on(self, _BUILDER, lambda: _holds_other_code(self)):
            return _traced(build, self)
        return build(self)

    return property(wrapped_strategy)


#: The attribute a lazy or deferred strategy keeps whether it is built by
#: code other than Hypothesis's in.
_BUILDER = "_untraced_engine_built_by_other_code"

_LAZY_BUILT: property = vars(LazyStrategy)["wrapped_strategy"]
_DEFERRED_BUILT: property = vars(DeferredStrategy)["wrapped_strategy"]

PATCHES = (
    (LazyStrategy, "wrapped_strategy", _built_traced(_LAZY_BUILT), _LAZY_BUILT),
    (DeferredStrategy, "wrapped_strategy", _built_traced(_DEFERRED_BUILT), _DEFERRED_BUILT),
    (StateForActualGivenExecution, "__init__", _init, _original_init),
    (StateForActualGivenExecution, "run_engine", _run_engine, _original_run_engine),
    (ConjectureData, "draw", _draw, _original_draw),
    (SearchStrategy, "validate", _validate, _original_validate),
)


@contextmanager
def engine_untraced(*, only_under_coverage: bool = True) -> Iterator[None]:
    """Within the block, Hypothesis's engine runs untraced, if a tracer is
    set on entering: with ``only_under_coverage`` (the default), only if it
    is coverage.py's C tracer."""
    tracer = sys.gettrace()
    if tracer is None or (only_under_coverage and type(tracer).__name__ != "CTracer"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        for owner, name, replacement, _ in PATCHES:
            patch.setattr(owner, name, replacement)
        yield


@contextmanager
def engine_traced() -> Iterator[None]:
    """Within the block, Hypothesis's engine runs as it comes (traced)."""
    with pytest.MonkeyPatch.context() as patch:
        for owner, name, _, original in PATCHES:
            patch.setattr(owner, name, original)
        yield
