"""Every parser and the middleware run in time linear in the field's size
on the classic ReDoS shapes (no input makes one backtrack).

Why this is robust on a shared, noisy machine: no absolute time is asserted.
Each case times the *same* function on the same shape at two sizes, a factor
F apart (16 here), and looks only at the ratio. Linear work gives a ratio
near F, quadratic work near F², and the bound is their geometric midpoint
F**1.5 (64 for F = 16), a factor √F = 4 away from either, so a machine that
is uniformly slower or faster changes nothing. The time is this thread's
CPU time (:func:`time.thread_time`), so another process taking the core
between two calls is not counted; what noise is left only ever adds time, so
each size's time is the minimum of several repeats (the undisturbed run),
and each repeat loops enough calls to last about a millisecond at the small
size. :func:`test_the_measure_catches_quadratic_work` runs the same measure on
the quadratic loop that ``parse_entity_tags`` had before this campaign, to
show the bound fails what it should.

The sizes are modest (4 KiB → 64 KiB for the parsers; 1 KiB → 16 KiB, the
largest field evaluation parses, for the middleware) and above the 1 KiB up
to which the parsers cache their results (a cache hit would measure nothing).
The benchmark suite (``make bench``) measures 8 KiB → 1 MiB.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from etagspec import etags
from etagspec.cache_control import parse_cache_control
from etagspec.cache_control_lint import lint_cache_control
from etagspec.caching import etag_middleware
from etagspec.dates import http_date_to_timestamp
from etagspec.environ import ENVIRON_KEYS
from etagspec.etags import EntityTag, parse_entity_tag, parse_entity_tag_list, parse_entity_tags
from etagspec.limits import MAX_FIELD_LENGTH
from etagspec.preconditions import Conditions, Resource, evaluate, if_range_passes
from etagspec.ranges import parse_range

FACTOR = 16
BOUND = FACTOR**1.5  # between linear (FACTOR) and quadratic (FACTOR ** 2)
REPEATS = 5
SMALL_SECONDS = 0.001  # each repeat at the small size lasts about this long

# The longest value the entity-tag parsers cache (a cache hit would measure
# nothing); the other parsers cache no longer values.
_CACHE_LIMIT = etags._CACHEABLE_LENGTH
PARSER_SIZE = max(4 * 1024, _CACHE_LIMIT + 1)
MIDDLEWARE_SIZE = max(1024 + 1, _CACHE_LIMIT + 1)


def _shape(unit: str, tail: str = "", head: str = "") -> Callable[[int], str]:
    """``head``, then ``unit`` repeated, then ``tail``: exactly ``n`` characters."""

    def build(n: int) -> str:
        body = n - len(head) - len(tail)
        return head + (unit * (body // len(unit) + 1))[:body] + tail

    return build


#: The classic ReDoS shapes: long runs of one fragment, valid or not.
SHAPES: dict[str, Callable[[int], str]] = {
    "commas": _shape(","),
    "commas then junk": _shape(",", tail="x"),
    "comma space then junk": _shape(", ", tail="x"),
    "W/ run": _shape("W/"),
    "W/ quote run": _shape('W/"'),
    "backslashes": _shape("\\"),
    "quoted backslashes, unterminated": _shape("\\a", head='"'),
    "unterminated quote": _shape("a", head='"'),
    "quotes": _shape('"'),
    "spaces then junk": _shape(" ", tail="x"),
    "tabs then junk": _shape("\t", tail="x"),
    "valid tag list": _shape('"a", ', tail='"b"'),
    "tag list then junk": _shape('"a",', tail="x"),
    "directives": _shape("a,"),
    "quoted escapes": _shape('\\"', head='a="'),
    "byte ranges then junk": _shape("0-1,", head="bytes=", tail="x"),
    "range spaces": _shape(" ,", head="bytes="),
    "digits": _shape("1", head="bytes=", tail="-"),
}

_RESOURCE = Resource(
    etag=EntityTag("v1"), last_modified=1_700_000_000, last_modified_is_strong=True
)


def _ignoring_errors(parse: Callable[[str], object]) -> Callable[[str], None]:
    def call(text: str) -> None:
        with contextlib.suppress(ValueError):
            parse(text)

    return call


PARSERS: dict[str, Callable[[str], None]] = {
    "parse_entity_tag": _ignoring_errors(parse_entity_tag),
    "parse_entity_tag_list": _ignoring_errors(parse_entity_tag_list),
    "parse_entity_tags": _ignoring_errors(parse_entity_tags),
    "http_date_to_timestamp": _ignoring_errors(http_date_to_timestamp),
    "parse_cache_control": _ignoring_errors(parse_cache_control),
    "lint_cache_control": _ignoring_errors(lint_cache_control),
    "parse_range": _ignoring_errors(parse_range),
}


def _best_seconds(call: Callable[[str], object], text: str, number: int) -> float:
    # The garbage collector is paused while timing: a full collection walks
    # every live object, so on a parse that builds many objects it would add
    # time that grows with the heap, not with the parser's own work.
    best = float("inf")
    collecting = gc.isenabled()
    gc.disable()
    try:
        for _ in range(REPEATS):
            started = time.thread_time()
            for _ in range(number):
                call(text)
            best = min(best, time.thread_time() - started)
    finally:
        if collecting:
            gc.enable()
    return best / number


def _growth_once(call: Callable[[str], object], small_text: str, large_text: str) -> float:
    started = time.thread_time()
    call(small_text)
    once = max(time.thread_time() - started, 1e-7)
    number = max(1, min(2000, int(SMALL_SECONDS / once)))
    small_seconds = _best_seconds(call, small_text, number)
    large_seconds = _best_seconds(call, large_text, max(1, number // FACTOR))
    return large_seconds / small_seconds


def growth(call: Callable[[str], object], shape: Callable[[int], str], small: int) -> float:
    """How much longer ``call`` takes on ``shape`` at FACTOR times the size.

    Measured again once if the first ratio is over the bound: a load spike
    on a shared machine can land in one measurement, but quadratic work is
    over the bound every time (the mutant test below shows it)."""
    small_text, large_text = shape(small), shape(small * FACTOR)
    ratio = _growth_once(call, small_text, large_text)
    if ratio >= BOUND:
        ratio = min(ratio, _growth_once(call, small_text, large_text))
    return ratio


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_parsers_are_linear(parser: str, shape: str) -> None:
    ratio = growth(PARSERS[parser], SHAPES[shape], PARSER_SIZE)
    assert ratio < BOUND, f"{parser} on {shape}: x{FACTOR} size took x{ratio:.0f} time"


def _bare_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response(
        "200 OK",
        [
            ("Content-Type", "text/plain"),
            ("ETag", '"v1"'),
            ("Last-Modified", "Tue, 14 Nov 2023 22:13:20 GMT"),
        ],
    )
    return [b"body"]


_MIDDLEWARE = etag_middleware(_bare_app)
_FIELDS = tuple(
    ENVIRON_KEYS[field] for field in ("if_match", "if_none_match", "if_modified_since", "if_range")
)


def _through_middleware(field: str) -> Callable[[str], None]:
    def call(text: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "wsgi.input": io.BytesIO(),
            field: text,
            "HTTP_RANGE": "bytes=0-1",
        }
        body = _MIDDLEWARE(environ, lambda status, headers, exc_info=None: None)
        for _ in body:
            pass
        getattr(body, "close", lambda: None)()

    return call


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("field", _FIELDS)
def test_middleware_is_linear_up_to_the_field_limit(field: str, shape: str) -> None:
    assert MIDDLEWARE_SIZE * FACTOR <= MAX_FIELD_LENGTH + 1024
    ratio = growth(_through_middleware(field), SHAPES[shape], MIDDLEWARE_SIZE)
    assert ratio < BOUND, f"middleware, {field} {shape}: x{FACTOR} size took x{ratio:.0f}"


def _evaluate_get(conditions: Conditions, text: str) -> object:
    return evaluate("GET", conditions, _RESOURCE)


@pytest.mark.parametrize("shape", ["commas then junk", "tag list then junk", "spaces then junk"])
def test_a_field_over_the_limit_costs_no_more_than_one_at_the_limit(shape: str) -> None:
    at_limit = SHAPES[shape](MAX_FIELD_LENGTH)
    far_over = SHAPES[shape](64 * MAX_FIELD_LENGTH)  # 1 MiB
    conditions = [
        Conditions(if_match=at_limit, if_none_match=at_limit, if_modified_since=at_limit),
        Conditions(if_match=far_over, if_none_match=far_over, if_modified_since=far_over),
    ]
    seconds = [_best_seconds(functools.partial(_evaluate_get, each), "", 20) for each in conditions]
    assert seconds[1] < 4 * seconds[0]
    assert if_range_passes(far_over, _RESOURCE) is False


# --- the measure itself ------------------------------------------------------------


def _quadratic_legacy_parse(text: str) -> None:
    """parse_entity_tags' skipping loop as it was: one character at a time,
    copying the rest of the value at each step."""
    position = 0
    while position < len(text):
        if text[position:].strip(" \t,") == "":
            return
        if text[position] in ", \t":
            position += 1
            continue
        return


def test_the_measure_catches_quadratic_work() -> None:
    # Smaller sizes than the real cases: quadratic work at 64 KiB takes seconds.
    # From 256 to 4096 characters it grows about x150 (x130 under a tracer
    # of this module too), well over BOUND, in a quarter of the time 512 took.
    ratio = growth(_quadratic_legacy_parse, SHAPES["spaces then junk"], 256)
    assert ratio > BOUND


def test_the_measure_passes_linear_work() -> None:
    ratio = growth(lambda text: text.count(","), SHAPES["commas"], PARSER_SIZE)
    assert ratio < BOUND
