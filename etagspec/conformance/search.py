"""The one Hypothesis search loop of every kind of check: draw examples,
try each, and stop at the first that ``attempt`` finds wrong, shrunk as far
as Hypothesis can.

An exchange check tries requests against a target, a layer check (behaviour,
request) pairs through a layer, a parser check inputs of a parser; each
gives :func:`search` its strategy, its explicit examples (tried first, in
order) and an ``attempt`` that returns what it found, or None.

>>> from hypothesis import strategies as st
>>> found = search(st.integers(0, 1000), lambda n: n if n > 9 else None, max_examples=200, seed=1)
>>> found.found, found.flaky
(10, False)
>>> search(st.just(1), lambda n: None, max_examples=5, seed=1, explicit=[2, 3]).found is None
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings
from hypothesis import seed as seeded
from hypothesis import strategies as st
from hypothesis.errors import Flaky

__all__ = ["Searched", "exploration_settings", "search"]

X = TypeVar("X")
T = TypeVar("T")


class _Found(Exception):
    pass


@dataclass(frozen=True)
class Searched(Generic[T]):
    """What a search found (None: nothing), and whether the thing searched
    answered the same example differently when tried again (``flaky``)."""

    found: T | None
    flaky: bool = False


def search(
    examples: st.SearchStrategy[X],
    attempt: Callable[[X], T | None],
    *,
    max_examples: int,
    seed: int,
    explicit: Sequence[X] = (),
    shrink: bool = True,
) -> Searched[T]:
    """Try ``explicit``, then up to ``max_examples`` drawn ``examples``, with
    ``attempt``; return the first thing it found, after shrinking (unless
    ``shrink`` is false), from the search seeded with ``seed``. Any other
    exception ``attempt`` raises goes to the caller."""
    last: list[T] = []

    def test(drawn: X) -> None:
        found = attempt(drawn)
        if found is not None:
            last[:] = [found]
            raise _Found

    runnable: Any = given(examples)(test)
    for chosen in reversed(explicit):
        runnable = example(chosen)(runnable)
    runnable = exploration_settings(max_examples, shrink=shrink)(runnable)
    try:
        seeded(seed)(runnable)()
    except _Found:
        return Searched(last[0])
    except Flaky:
        return Searched(last[0] if last else None, flaky=True)
    return Searched(None)


@functools.cache
def exploration_settings(max_examples: int, *, shrink: bool = True) -> settings:
    """Hypothesis settings for a search: no database, deadline, health
    checks or explain phase, which cost time and say nothing about the
    target; no shrinking either, unless ``shrink``.

    >>> exploration_settings(40).max_examples, exploration_settings(40).database
    (40, None)
    >>> Phase.shrink in exploration_settings(40, shrink=False).phases
    False
    """
    return settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink)
        if shrink
        else (Phase.explicit, Phase.generate),
    )
