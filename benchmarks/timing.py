"""Interleaved timing: the medians of competitors measured in the same rounds.

The machine is shared and noisy, so absolute figures drift; what stays
stable is the ratio of two callables timed side by side. Each case is a
``(function, argument)`` pair; a round times one batch of every case (in a
shuffled order, with the garbage collector off), and the result for each
case is the median over rounds of its per-call time.

An argument wrapped in :class:`Fresh` is a sequence of values, each call
taking the next one: values the code under test has never seen, so that no
parse cache can help (there are more of them than any of etagspec's tables
holds, so one is gone from every table before it comes round again).

>>> settings = Settings(rounds=3, batch_seconds=0.0005)
>>> medians = measure({"len": (len, "abc"), "repr": (repr, "abc")}, settings)
>>> sorted(medians), all(seconds > 0 for seconds in medians.values())
(['len', 'repr'], True)
>>> time_batch(len, Fresh(("a", "bb")), 3) > 0
True
"""

from __future__ import annotations

import gc
import random
import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import cycle, islice, repeat
from time import perf_counter
from typing import Any

__all__ = ["FRESH_VALUES", "Case", "Fresh", "Settings", "calibrate", "measure", "time_batch"]

#: How many never-seen values a Fresh argument holds: eight times the size
#: of etagspec's bounded tables (etagspec._memo.TABLE_SIZE).
FRESH_VALUES = 2048

#: A callable and the one argument it is called with on every call.
Case = tuple[Callable[[Any], object], Any]


class Fresh:
    """Arguments taken in turn, one per call, each batch going on where the
    last one stopped (so a value comes back only after all the others).
    Give each case its own values: cases can share etagspec's tables."""

    __slots__ = ("_next", "values")

    def __init__(self, values: Iterable[Any]) -> None:
        self.values = tuple(values)
        self._next = cycle(self.values)

    def take(self, calls: int) -> Iterator[Any]:
        """The next ``calls`` values."""
        return islice(self._next, calls)


@dataclass(frozen=True)
class Settings:
    """How long to measure: rounds per group and wall time per batch; and
    whether a case's figure is the median of its rounds or (``best``) the
    fastest, which is steadier on a loaded machine for a call that takes
    milliseconds and runs only a few times."""

    rounds: int = 15
    batch_seconds: float = 0.004
    seed: int = 20240601
    best: bool = False


def time_batch(function: Callable[[Any], object], argument: Any, calls: int) -> float:
    """Seconds taken by ``calls`` calls of ``function(argument)`` (or of
    ``function(value)`` for the next value of a :class:`Fresh` argument)."""
    if isinstance(argument, Fresh):
        values = argument.take(calls)
        started = perf_counter()
        for value in values:
            function(value)
        return perf_counter() - started
    loop = repeat(None, calls)
    started = perf_counter()
    for _ in loop:
        function(argument)
    return perf_counter() - started


def calibrate(function: Callable[[Any], object], argument: Any, batch_seconds: float) -> int:
    """How many calls make a batch of about ``batch_seconds``."""
    calls = 1
    while True:
        elapsed = time_batch(function, argument, calls)
        if elapsed >= batch_seconds / 4 or calls >= 1 << 22:
            return max(1, round(calls * batch_seconds / max(elapsed, 1e-9)))
        calls *= 4


def measure(cases: Mapping[str, Case], settings: Settings) -> dict[str, float]:
    """Median seconds per call of every case, measured in interleaved rounds."""
    for function, argument in cases.values():
        time_batch(function, argument, 1)  # warm imports before calibrating
    batches = {
        name: calibrate(function, argument, settings.batch_seconds)
        for name, (function, argument) in cases.items()
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    order = list(cases)
    shuffle = random.Random(settings.seed).shuffle
    enabled = gc.isenabled()
    try:
        for _ in range(settings.rounds):
            shuffle(order)
            gc.collect()
            gc.disable()
            for name in order:
                function, argument = cases[name]
                calls = batches[name]
                samples[name].append(time_batch(function, argument, calls) / calls)
            if enabled:
                gc.enable()
    finally:
        if enabled:
            gc.enable()
    summary = min if settings.best else statistics.median
    return {name: summary(values) for name, values in samples.items()}
