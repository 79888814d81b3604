"""PARSE-TIME-1: does a parser's time grow linearly with its input?

Measured as a ratio within one run, never against the wall clock: each
family of long inputs is parsed at a base size and at eight times it, and
the ratio of the two times (the best of a few rounds, each round repeating
the call for a few milliseconds) is compared with :data:`MAX_RATIO`. A
linear parser shows about 8, a quadratic one about 64.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from .finding import ParserFinding

if TYPE_CHECKING:
    from .adapter import ParserAdapter

__all__ = ["FAMILIES", "MAX_RATIO", "SCALE", "linear_time_finding", "time_ratio"]

#: The factor between the small and the large input.
SCALE: Final = 8
#: The largest ratio of times counted as linear (8 with room for noise on a
#: busy machine; a quadratic parser shows 64).
MAX_RATIO: Final = 32.0
#: Each timing round repeats the call until this many seconds have passed.
_ROUND_SECONDS: Final = 0.01
_ROUNDS: Final = 3
#: A single call this slow ends the measurement (the ratio is then what it is).
_TOO_SLOW: Final = 2.0

#: (function, family name, input of size n): the long inputs, about 4 KiB at n = 1
#: (beyond the 2 KiB under which some parsers take a different path).
FAMILIES: Final[tuple[tuple[str, str, Callable[[int], str]], ...]] = (
    ("parse_etags", "many tags", lambda n: ", ".join(f'"t{i}"' for i in range(400 * n))),
    ("parse_etags", "many weak tags", lambda n: ",".join(f'W/"t{i}"' for i in range(400 * n))),
    ("parse_etags", "one long tag", lambda n: '"' + "a" * (4000 * n) + '"'),
    ("parse_etags", "an unterminated quote", lambda n: '"a", "' + "b" * (4000 * n)),
    ("parse_etags", "commas and spaces", lambda n: ", " * (2000 * n) + '"a" "'),
    ("parse_date", "long junk", lambda n: "Sun, 06 Nov 1994 " * (240 * n)),
    ("parse_date", "long whitespace", lambda n: " " * (4000 * n) + "Sun, 06 Nov 1994 08:49:37 GMT"),
)


def _seconds_per_call(
    function: Callable[[str], object], text: str, *, enough: float = 0.0
) -> float:
    """The best time per call of a few rounds; the rounds stop early once
    the best is below ``enough`` (later rounds could only lower it)."""
    best = float("inf")
    for _ in range(_ROUNDS):
        calls, start = 0, time.perf_counter()
        while True:
            with contextlib.suppress(Exception):  # an exception is an answer too
                function(text)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= _ROUND_SECONDS or elapsed >= _TOO_SLOW:
                break
        best = min(best, elapsed / calls)
        if elapsed >= _TOO_SLOW or best < enough:
            break
    return best


def time_ratio(function: Callable[[str], object], make: Callable[[int], str]) -> float:
    """How many times longer ``function`` takes on ``make(SCALE)`` than on
    ``make(1)``: the best of the rounds when above :data:`MAX_RATIO`; below
    it, the measure stops at the first round of the large input that shows
    it below (all the rounds would only give a lower ratio).

    >>> time_ratio(len, lambda n: "a" * n) < MAX_RATIO
    True
    """
    small = max(_seconds_per_call(function, make(1)), 1e-9)
    # The large input's rounds stop as soon as the ratio is linear: more
    # rounds could only lower it, so the verdict is the one all rounds give
    # (a ratio above MAX_RATIO is measured to the last round).
    large = _seconds_per_call(function, make(SCALE), enough=small * MAX_RATIO)
    return large / small


def linear_time_finding(adapter: ParserAdapter) -> ParserFinding | None:
    """The first family on which the adapter's parsers grow faster than linearly."""
    for function, family, make in FAMILIES:
        if not adapter.has(function):
            continue
        call = adapter.functions[function]
        ratio = time_ratio(call, make)
        if ratio > MAX_RATIO:
            # Measured once more: a ratio from a busy moment is not a finding.
            ratio = min(ratio, time_ratio(call, make))
        if ratio > MAX_RATIO:
            small = make(1)
            return ParserFinding(
                input=f"{family}: {len(small)} and {len(make(SCALE))} characters",
                got=f"{ratio:.0f} times the time for {SCALE} times the input",
                expected=f"at most {MAX_RATIO:.0f} times (about {SCALE} for a linear parser)",
                explanation="time that grows faster than the input lets one long field stall "
                "a server (RFC 9110 §17 asks recipients to protect themselves)",
                reproduce=adapter.reproduction(function, small[:40] + "...")
                + f"  # with the {family} input, at two sizes",
                signature=f"{function} takes time growing faster than its input ({family})",
            )
    return None
