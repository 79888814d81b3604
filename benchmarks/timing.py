"""Interleaved timing: the medians of competitors measured in the same rounds.

The machine is shared and noisy, so absolute figures drift; what stays
stable is the ratio of two callables timed side by side. Each case is a
``(function, argument)`` pair; a round times one batch of every case (in a
shuffled order, with the garbage collector off), and the result for each
case is the median over rounds of its per-call time.

>>> settings = Settings(rounds=3, batch_seconds=0.0005)
>>> medians = measure({"len": (len, "abc"), "repr": (repr, "abc")}, settings)
>>> sorted(medians), all(seconds > 0 for seconds in medians.values())
(['len', 'repr'], True)
"""

from __future__ import annotations

import gc
import random
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import repeat
from time import perf_counter
from typing import Any

__all__ = ["Case", "Settings", "calibrate", "measure", "time_batch"]

#: A callable and the one argument it is called with on every call.
Case = tuple[Callable[[Any], object], Any]


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
    """Seconds taken by ``calls`` calls of ``function(argument)``."""
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
        function(argument)  # warm caches and imports before calibrating
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
