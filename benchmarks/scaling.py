"""Time against input size, 8 KiB to 1 MiB, on hostile shapes.

Each parser is called directly (``etagspec.limits.MAX_FIELD_LENGTH`` only
applies to precondition evaluation), so the parsers themselves must stay
linear; the WSGI rows send the same shapes as request fields through
``etag_middleware`` and the demo app, where the cap bounds the work. The
figure at each size is the fastest of its rounds (``run.py`` measures with
``Settings(best=True)``: the work is deterministic, slower rounds are other
load); the result of a series is the slope of log(time) against log(size):
1 is linear, about 0 means the work does not grow with the input, 2 would
be quadratic.

>>> round(slope([1, 2, 4], [3.0, 6.0, 12.0]), 6)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.parsers import quietly
from benchmarks.roundtrip import bare_app, round_trip, wsgi_environ
from benchmarks.timing import Case, Settings, measure
from etagspec.cache_control import parse_cache_control
from etagspec.cache_control_lint import lint_cache_control
from etagspec.caching import etag_middleware
from etagspec.dates import http_date_to_timestamp
from etagspec.demo import make_app
from etagspec.etags import parse_entity_tag, parse_entity_tag_list, parse_entity_tags
from etagspec.ranges import parse_range

__all__ = ["SIZES", "Series", "scaling_series", "slope"]

KIB = 1024
SIZES = (8 * KIB, 64 * KIB, 512 * KIB, 1024 * KIB)
QUICK_SIZES = (8 * KIB, 64 * KIB, 512 * KIB)
#: A series is linear enough when its slope is at most this.
MAX_SLOPE = 1.15


def _repeat(unit: str, size: int, prefix: str = "", suffix: str = "") -> str:
    body = size - len(prefix) - len(suffix)
    return prefix + unit * (body // len(unit)) + suffix


#: The shapes that make naive patterns backtrack (and a long valid value for
#: each grammar), by name:
#: a function of the size in characters.
ETAG_SHAPES: dict[str, Callable[[int], str]] = {
    "valid list": lambda n: _repeat('"a1b2", ', n),
    "commas": lambda n: _repeat(",", n),
    'runs of "W/"': lambda n: _repeat("W/", n, suffix='"'),
    "backslashes": lambda n: _repeat("\\", n, prefix='"', suffix='"'),
    "unterminated quote": lambda n: _repeat("a", n, prefix='"'),
    "spaces": lambda n: _repeat(" ", n, prefix='"a"', suffix='"b"'),
}
DATE_SHAPES: dict[str, Callable[[int], str]] = {
    "padded date": lambda n: (
        _repeat(" ", n // 2) + "Sun, 06 Nov 1994 08:49:37 GMT" + " " * (n // 2)
    ),
    "commas": lambda n: _repeat(",", n),
    "spaces then junk": lambda n: _repeat(" ", n, suffix="x"),
}
RANGE_SHAPES: dict[str, Callable[[int], str]] = {
    "many ranges": lambda n: _repeat("0-1,", n, prefix="bytes="),
    "commas": lambda n: _repeat(",", n, prefix="bytes="),
    "digits": lambda n: _repeat("9", n, prefix="bytes=0-"),
    "spaces": lambda n: _repeat(" ", n, prefix="bytes=", suffix="x"),
}
CACHE_CONTROL_SHAPES: dict[str, Callable[[int], str]] = {
    "many directives": lambda n: _repeat("max-age=1, ", n),
    "commas": lambda n: _repeat(",", n, prefix="public"),
    "backslashes, unterminated": lambda n: _repeat("\\", n, prefix='x="'),
    "long quoted argument": lambda n: _repeat("a\\\\", n, prefix='x="', suffix='"'),
    "spaces": lambda n: _repeat(" ", n, prefix="public", suffix="x"),
    'runs of "W/"': lambda n: _repeat("W/", n),
}


def _through(app: Any, field: str) -> Callable[[str], object]:
    call = round_trip(app)

    def send(value: str) -> object:
        return call(wsgi_environ("/hello", {field: value}))

    return send


@dataclass(frozen=True)
class Series:
    """Seconds per call at each size, and the log-log slope."""

    subject: str
    shape: str
    sizes: tuple[int, ...]
    seconds: tuple[float, ...]

    @property
    def slope(self) -> float:
        return slope(self.sizes, self.seconds)

    @property
    def linear(self) -> bool:
        return self.slope <= MAX_SLOPE


def slope(sizes: Any, seconds: Any) -> float:
    """Least-squares slope of log(seconds) against log(size)."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(value) for value in seconds]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return numerator / sum((x - mean_x) ** 2 for x in xs)


def subjects() -> list[tuple[str, Callable[[str], object], dict[str, Callable[[int], str]]]]:
    """(what is measured, the call, the shapes it gets)."""
    demo = make_app()
    return [
        ("parse_entity_tag_list", quietly(parse_entity_tag_list), ETAG_SHAPES),
        ("parse_entity_tag (ETag, If-Range)", quietly(parse_entity_tag), ETAG_SHAPES),
        ("parse_entity_tags (the seed's lenient parser)", quietly(parse_entity_tags), ETAG_SHAPES),
        ("parse_range", quietly(parse_range), RANGE_SHAPES),
        ("http_date_to_timestamp", quietly(http_date_to_timestamp), DATE_SHAPES),
        ("parse_cache_control", quietly(parse_cache_control), CACHE_CONTROL_SHAPES),
        ("lint_cache_control", quietly(lint_cache_control), CACHE_CONTROL_SHAPES),
        (
            "etag_middleware, If-None-Match",
            _through(etag_middleware(bare_app), "If-None-Match"),
            ETAG_SHAPES,
        ),
        ("demo app, If-Match", _through(demo, "If-Match"), ETAG_SHAPES),
        ("demo app, If-Modified-Since", _through(demo, "If-Modified-Since"), DATE_SHAPES),
    ]


def scaling_series(quick: bool, settings: Settings) -> list[Series]:
    """Every subject on every one of its shapes, at every size."""
    sizes = QUICK_SIZES if quick else SIZES
    found = []
    for subject, call, shapes in subjects():
        for shape, make in shapes.items():
            cases: dict[str, Case] = {str(size): (call, make(size)) for size in sizes}
            medians = measure(cases, settings)
            found.append(Series(subject, shape, sizes, tuple(medians[str(size)] for size in sizes)))
    return found
