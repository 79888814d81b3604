"""What the hostile-input campaign requires, shared by its two drivers.

``fuzz/harness.py`` (atheris, coverage-guided, ``make fuzz``) and
``tests/test_hostile.py`` (Hypothesis, a small budget in the default test
run) generate inputs in their own ways and hand them to the checks here, so
both hold etagspec to the same rules:

* a parser raises nothing but its documented error (a ``ValueError``
  subclass from :mod:`etagspec.errors`),
  and what it accepts survives a round trip through its formatter;
* precondition evaluation and If-Range never raise at all;
* the reference app (:mod:`etagspec.demo`), a handler behind ``conditional``
  and ``etag_middleware`` over a bare app answer every request, whatever
  text is in the method, the path, the precondition fields, ``Range`` and
  ``Content-Type``, with a status below 500, no exception, nothing written to
  ``wsgi.errors``, and a response that passes :mod:`wsgiref.validate`.

A broken rule raises :class:`Finding`. Header values are arbitrary text in
U+0000..U+00FF: what a WSGI server delivers after decoding the bytes it
received as latin-1 (PEP 3333).
"""

from __future__ import annotations

import datetime
import io
import time
import warnings
import wsgiref.util
import wsgiref.validate
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from etagspec import to_wsgi
from etagspec.cache_control import parse_cache_control
from etagspec.cache_control_lint import LINT_CODES, lint_cache_control
from etagspec.caching import conditional, etag_middleware
from etagspec.dates import format_http_date, http_date_to_timestamp, parse_http_date
from etagspec.demo import make_app
from etagspec.environ import ENVIRON_KEYS
from etagspec.errors import InvalidCacheControl, InvalidEntityTag, InvalidHTTPDate
from etagspec.etags import (
    EntityTag,
    format_entity_tag_list,
    parse_entity_tag,
    parse_entity_tag_list,
    parse_entity_tags,
)
from etagspec.preconditions import Conditions, Resource, evaluate, if_range_passes
from etagspec.ranges import InvalidRange, parse_range, resolve_ranges
from etagspec.request import Request
from etagspec.response import Response

__all__ = [
    "ALL_TARGETS",
    "ENVIRON_FIELDS",
    "METHODS",
    "PARSERS",
    "WELL_FORMED_VALUES",
    "WSGI_TARGETS",
    "Finding",
    "HostileRequest",
    "check_parser",
    "check_wsgi",
]


class Finding(AssertionError):
    """An input that breaks one of the campaign's rules."""


# --- parsers ------------------------------------------------------------------

NOW = 1_700_000_000
#: Resources that If-Range and the evaluation are judged against.
RESOURCES = (
    Resource(),
    Resource(exists=False),
    Resource(etag=EntityTag("v1"), last_modified=NOW, supports_range=True),
    Resource(
        etag=EntityTag("v1", weak=True),
        last_modified=NOW,
        last_modified_is_strong=True,
        supports_range=True,
    ),
)
METHODS = ("GET", "HEAD", "PUT", "DELETE", "POST", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get")


def _entity_tag(text: str) -> None:
    tag = parse_entity_tag(text)
    if parse_entity_tag(str(tag)) != tag:
        raise Finding(f"{text!r} parsed to {tag!r}, which does not read back")


def _entity_tag_list(text: str) -> None:
    tags = parse_entity_tag_list(text)
    if parse_entity_tag_list(format_entity_tag_list(tags)) != tags:
        raise Finding(f"{text!r} parsed to {tags!r}, which does not read back")


def _legacy_entity_tags(text: str) -> None:
    for weak, opaque in parse_entity_tags(text):
        if not isinstance(weak, bool) or not isinstance(opaque, str):
            raise Finding(f"{text!r} gave a member that is not (bool, str)")


def _http_date(text: str) -> None:
    timestamp = http_date_to_timestamp(text, now=NOW)
    when = parse_http_date(text, now=NOW)
    if int(when.timestamp()) != timestamp:
        raise Finding(f"{text!r}: parse_http_date and http_date_to_timestamp disagree")
    if http_date_to_timestamp(format_http_date(timestamp)) != timestamp:
        raise Finding(f"{text!r}: {timestamp} does not survive format_http_date")


def _cache_control(text: str) -> None:
    problems = lint_cache_control(text)  # never raises
    if any(problem.code not in LINT_CODES for problem in problems):
        raise Finding(f"{text!r}: lint reported an undocumented code")
    parsed = parse_cache_control(text)
    if parse_cache_control(str(parsed)) != parsed:
        raise Finding(f"{text!r} parsed to {parsed!r}, which does not read back")


def _range(text: str) -> None:
    specs = parse_range(text)
    for length in (0, 1, 100, 2**40):
        for first, last in resolve_ranges(specs, length):
            if not 0 <= first <= last < length:
                raise Finding(f"{text!r} resolved to {first}-{last} of {length} bytes")


def _if_range(text: str) -> None:
    for resource in RESOURCES:
        if not isinstance(if_range_passes(text, resource), bool):
            raise Finding(f"if_range_passes({text!r}) is not a bool")


def _preconditions(text: str) -> None:
    every_field = Conditions(text, text, text, text, text, text)
    for method in ("GET", "HEAD", "PUT", "DELETE"):
        for resource in RESOURCES:
            evaluate(method, every_field, resource)
            for name in ("if_match", "if_none_match", "if_modified_since", "if_range"):
                evaluate(method, Conditions(**{name: text, "range": "bytes=0-1"}), resource)


@dataclass(frozen=True)
class Parser:
    """One parser target: a function of the text, and the errors it may raise."""

    run: Callable[[str], None]
    documented_errors: tuple[type[Exception], ...]


#: Every parser target, by name.
PARSERS: dict[str, Parser] = {
    "entity_tag": Parser(_entity_tag, (InvalidEntityTag,)),
    "entity_tag_list": Parser(_entity_tag_list, (InvalidEntityTag,)),
    "legacy_entity_tags": Parser(_legacy_entity_tags, (InvalidEntityTag,)),
    "http_date": Parser(_http_date, (InvalidHTTPDate,)),
    "cache_control": Parser(_cache_control, (InvalidCacheControl,)),
    "range": Parser(_range, (InvalidRange,)),
    "if_range": Parser(_if_range, ()),
    "preconditions": Parser(_preconditions, ()),
}


def check_parser(name: str, text: str) -> None:
    """Run parser target ``name`` on ``text``; raise :class:`Finding` if an
    undocumented exception escapes or a round trip fails.

    >>> check_parser("entity_tag", 'W/"x"'); check_parser("entity_tag", "\\x00")
    """
    parser = PARSERS[name]
    try:
        parser.run(text)
    except parser.documented_errors:
        return
    except Finding:
        raise
    except Exception as error:
        raise Finding(f"raised {error!r} on {name}({text[:200]!r})") from error


# --- WSGI targets -----------------------------------------------------------------

#: The request fields the campaign fills, as WSGI environ keys.
ENVIRON_FIELDS = (*ENVIRON_KEYS.values(), "CONTENT_TYPE")
#: Values that reach the interesting branches, for drivers to mix with noise.
WELL_FORMED_VALUES = (
    "*",
    '"v1"',
    'W/"v1"',
    '"v1", "v2"',
    '"v0"',
    format_http_date(NOW),
    format_http_date(NOW - 3600),
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "Sun Nov  6 08:49:37 1994",
    "bytes=0-4",
    "bytes=-3",
    "bytes=2-",
    "bytes=0-0,5-9",
    "text/plain",
)


@dataclass(frozen=True)
class HostileRequest:
    """One request: any method, path and field text (None: field absent)."""

    method: str = "GET"
    path: str = "/hello"
    fields: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def environ(self) -> dict[str, Any]:
        """A complete WSGI environ for this request."""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.method,
            "PATH_INFO": self.path if self.path.startswith("/") else "/" + self.path,
            "wsgi.input": io.BytesIO(self.body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_LENGTH": str(len(self.body)),
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
        }
        environ.update(self.fields)
        wsgiref.util.setup_testing_defaults(environ)
        return environ


class _SimulatedClock:
    """A clock in the past that only moves when slept on: the demo's
    one-write-per-second rule then costs the campaign no real time."""

    def __init__(self) -> None:
        self.now = time.time() - 10**8

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def _demo() -> Callable[..., Iterable[bytes]]:
    clock = _SimulatedClock()
    return make_app(clock=clock.time, sleep=clock.sleep)


# Validators and bodies for the apps the fuzzer steers with the path.
_ETAG_VALUES: tuple[object, ...] = (
    "v1",
    7,
    None,
    b"bytes",
    ("a", 1),
    "with space",
    EntityTag("v1", weak=True),
)
_LAST_MODIFIED_VALUES: tuple[object, ...] = (
    NOW,
    None,
    datetime.datetime(2023, 11, 14, tzinfo=datetime.UTC),
    2.5,
)
_ETAG_HEADERS = ('"v1"', 'W/"v1"', "v1", '"a b"', "")
_DATES = (format_http_date(NOW), "yesterday", "")


def _choice(path: str, options: tuple[Any, ...], salt: int) -> Any:
    return options[(sum(path.encode("latin-1", "replace")) + salt) % len(options)]


def _conditional_app() -> Callable[..., Iterable[bytes]]:
    def etag(request: Request) -> object:
        return _choice(request.path, _ETAG_VALUES, 0)

    def last_modified(request: Request) -> object:
        return _choice(request.path, _LAST_MODIFIED_VALUES, 1)

    def body() -> Iterator[bytes]:
        yield b""
        yield b"0123456789"

    @conditional(etag=etag, last_modified=last_modified, ranges=True)
    def handler(request: Request) -> Response:
        return Response(body(), content_type="text/plain")

    return to_wsgi(handler)


def _bare_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A plain WSGI app whose validators (and laziness) the path chooses."""
    path = environ["PATH_INFO"]
    headers = [("Content-Type", "text/plain")]
    tag = _choice(path, _ETAG_HEADERS, 0)
    if tag:
        headers.append(("ETag", tag))
    date = _choice(path, _DATES, 1)
    if date:
        headers.append(("Last-Modified", date))
    status = _choice(path, ("200 OK", "206 Partial Content", "404 Not Found"), 2)
    if _choice(path, (True, False), 3):
        start_response(status, headers)
        return [b"body"]

    def lazy() -> Iterator[bytes]:
        start_response(status, headers)
        yield b""
        yield b"body"

    return lazy()


def _middleware() -> Callable[..., Iterable[bytes]]:
    return etag_middleware(_bare_app)


#: Every WSGI target: a factory for a fresh app.
WSGI_TARGETS: dict[str, Callable[[], Callable[..., Iterable[bytes]]]] = {
    "demo": _demo,
    "conditional": _conditional_app,
    "middleware": _middleware,
}


def check_wsgi(app: Callable[..., Iterable[bytes]], request: HostileRequest) -> int:
    """Send ``request`` to ``app`` through :func:`wsgiref.validate.validator`
    as a server would, and return the status code. Raise :class:`Finding`
    for an exception, a 5xx, output on ``wsgi.errors`` or a WSGI violation.

    >>> check_wsgi(WSGI_TARGETS["demo"](), HostileRequest("GET", "/hello"))
    200
    """
    environ = request.environ()
    error_stream = environ["wsgi.errors"]  # the validator wraps the one in environ
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    with warnings.catch_warnings():
        # The only warning allowed: validate's note on methods it does not know.
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", "Unknown REQUEST_METHOD", wsgiref.validate.WSGIWarning)
        try:
            iterable = wsgiref.validate.validator(app)(environ, start_response)
            try:
                for _ in iterable:
                    pass
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
        except Exception as error:
            raise Finding(f"raised {error!r} on {request!r}") from error
    if len(statuses) != 1:
        raise Finding(f"start_response called {len(statuses)} times on {request!r}")
    code = int(statuses[0][:3])
    if code >= 500:
        raise Finding(f"answered {statuses[0]} to {request!r}")
    errors = error_stream.getvalue()
    if errors:
        raise Finding(f"wrote {errors[:200]!r} to wsgi.errors on {request!r}")
    return code


#: Every target of the campaign, parsers first.
ALL_TARGETS = (*PARSERS, *WSGI_TARGETS)
