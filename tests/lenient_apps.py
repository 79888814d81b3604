"""Correct origin servers that take *lenient* readings the catalogue permits.

:func:`make_app` is a small read-only origin server written independently
of etagspec (no ``preconditions``, ``etags`` or ``dates`` import). It
evaluates preconditions in RFC 9110 §13.2.2 order and is right everywhere
except where a reading is open: it reads If-Modified-Since and
If-Unmodified-Since case-blind and day-name-blind (AMB-DATE-1, AMB-DATE-2),
and each keyword flag of :func:`make_app` adds one more reading: the
permitted ones (``unquoted_if_none_match``, LEN-3; ``empty_as_absent``,
AMB-LIST-1; ``head_range``, AMB-RANGE-3; ``invalid_if_range_as_absent``,
AMB-IR-1) must give ``lenient`` and never ``failed``; ``unquoted_if_match``
is the leniency LEN-9 forbids, and must fail.

>>> lower_case = "fri, 03 nov 2023 08:26:40 gmt"
>>> call(make_app(), "GET", "/", if_modified_since=lower_case)[::2]
(304, b'')
>>> call(make_app(), "GET", "/", range="bytes=0-0")[::2]
(206, b'a')
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Callable, Iterable
from typing import Any

BODY = b"abcdefghij"
TAG = "v1"
#: Fri, 03 Nov 2023 08:26:40 GMT
LAST_MODIFIED = 1_699_000_000
OWS = " \t"
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_REASONS = {200: "OK", 206: "Partial Content", 304: "Not Modified", 404: "Not Found"}
_REASONS.update({405: "Method Not Allowed", 412: "Precondition Failed"})
_REASONS[416] = "Range Not Satisfiable"

_TIME = r"(\d\d):(\d\d):(\d\d)"
_FORMS = (  # (pattern, group index of day, month, year, time): read without regard to case
    (re.compile(rf"[a-z]{{3}}, (\d\d) ([a-z]{{3}}) (\d{{4}}) {_TIME} gmt"), (1, 2, 3, 4)),
    (re.compile(rf"[a-z]{{6,9}}, (\d\d)-([a-z]{{3}})-(\d\d) {_TIME} gmt"), (1, 2, 3, 4)),
    (re.compile(rf"[a-z]{{3}} ([a-z]{{3}}) ([ \d]\d) {_TIME} (\d{{4}})"), (2, 1, 6, 3)),
)


def read_date(text: str) -> int | None:
    """POSIX seconds of an HTTP-date read case-blind, ignoring the day-name
    (which may disagree with the calendar); None when it is no date.

    >>> read_date("SAT, 03 NOV 2023 08:26:40 GMT")
    1699000000
    >>> read_date("Fri, 31 Nov 2023 08:26:40 GMT") is None
    True
    """
    value = text.strip(OWS).lower()
    for pattern, (day_at, month_at, year_at, time_at) in _FORMS:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        groups = match.groups()
        year = int(groups[year_at - 1])
        if len(groups[year_at - 1]) == 2:
            year += 2000 if year < 70 else 1900
        month = _MONTHS.index(groups[month_at - 1]) + 1 if groups[month_at - 1] in _MONTHS else 0
        day = int(groups[day_at - 1])
        hour, minute, second = (int(g) for g in groups[time_at - 1 : time_at + 2])
        if not (month >= 1 and year >= 1 and hour < 24 and minute < 60 and second <= 60):
            return None
        if day < 1 or day > calendar.monthrange(year, month)[1]:
            return None
        return calendar.timegm((year, month, day, hour, minute, min(second, 59)))
    return None


def _http_date(seconds: int) -> str:
    year, month, day, hour, minute, second, weekday, _, _ = __import__("time").gmtime(seconds)
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return (
        f"{names[weekday]}, {day:02d} {_MONTHS[month - 1].title()} {year} "
        f"{hour:02d}:{minute:02d}:{second:02d} GMT"
    )


_MEMBER = re.compile(r'[ \t]*(?:(W/)?"([^"\x00-\x20\x7f]*)"|([!#-+\--~]+))[ \t]*(?:,|$)')


def _tags(value: str, *, unquoted: bool) -> list[tuple[bool, str]] | None:
    """The (weak, opaque) members of an entity-tag list, or None if invalid.
    With ``unquoted``, a member without quotes is read as a tag (LEN-3).

    >>> _tags('"a,b", W/"c",,', unquoted=False)
    [(False, 'a,b'), (True, 'c')]
    """
    found: list[tuple[bool, str]] = []
    at = 0
    while at < len(value):
        if value[at] in ", \t":
            at += 1
            continue
        match = _MEMBER.match(value, at)
        if match is None or (match[3] is not None and not unquoted):
            return None
        found.append((bool(match[1]), match[2] if match[3] is None else match[3]))
        at = match.end()
    return found


class LenientApp:
    """One read-only document at ``/``; anything else is 404."""

    def __init__(self, **readings: bool) -> None:
        unknown = set(readings) - set(READINGS)
        if unknown:
            raise TypeError(f"unknown readings: {sorted(unknown)}")
        self.readings = {name: readings.get(name, False) for name in READINGS}
        self.unquoted = self.readings["unquoted_if_none_match"]

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if self.readings["empty_as_absent"]:
            # Not If-Match: read as absent, an empty one lets the request
            # through where it is false (LEN-9), which no lenient reader does.
            environ = {
                k: v
                for k, v in environ.items()
                if not k.startswith("HTTP_") or k == "HTTP_IF_MATCH" or v.strip(" \t,")
            }
        status, headers, body = self.respond(method, environ)
        start_response(f"{status} {_REASONS[status]}", headers)
        return [b"" if method == "HEAD" else body]

    def validators(self) -> list[tuple[str, str]]:
        return [
            ("ETag", f'"{TAG}"'),
            ("Last-Modified", _http_date(LAST_MODIFIED)),
            ("Cache-Control", "max-age=60"),
        ]

    def respond(
        self, method: str, environ: dict[str, Any]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if environ.get("PATH_INFO") != "/":
            return 404, [("Content-Type", "text/plain"), ("Content-Length", "9")], b"not found"
        if method == "OPTIONS":
            return 200, [("Allow", "GET, HEAD, OPTIONS"), ("Content-Length", "0")], b""
        if method not in ("GET", "HEAD"):
            return 405, [("Allow", "GET, HEAD, OPTIONS"), ("Content-Length", "0")], b""
        full = [("Content-Type", "text/plain"), *self.validators()]
        length = ("Content-Length", str(len(BODY)))
        decision = self.preconditions(environ)
        if decision == 412:
            return 412, [("Content-Type", "text/plain"), ("Content-Length", "0")], b""
        if decision == 304:
            return 304, [*self.validators(), length], b""
        span = self.span(method, environ)
        if span is None:
            return 200, [*full, length], BODY
        if span == (-1, -1):
            return 416, [("Content-Range", f"bytes */{len(BODY)}"), ("Content-Length", "0")], b""
        first, last = span
        part = BODY[first : last + 1]
        extra = [("Content-Range", f"bytes {first}-{last}/{len(BODY)}")]
        return 206, [*full, *extra, ("Content-Length", str(len(part)))], part

    def preconditions(self, environ: dict[str, Any]) -> int | None:
        """412, 304 or None (go on), in RFC 9110 §13.2.2 order."""
        if_match = environ.get("HTTP_IF_MATCH")
        if if_match is not None:
            if if_match.strip(OWS) != "*":
                tags = _tags(if_match, unquoted=self.readings["unquoted_if_match"])
                if tags is None or (False, TAG) not in tags:
                    return 412
        else:
            since = environ.get("HTTP_IF_UNMODIFIED_SINCE")
            date = None if since is None else read_date(since)
            if date is not None and date < LAST_MODIFIED:
                return 412
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            if if_none_match.strip(OWS) == "*":
                return 304
            tags = _tags(if_none_match, unquoted=self.unquoted)
            if tags is not None and any(opaque == TAG for _, opaque in tags):
                return 304
            return None
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        date = None if since is None else read_date(since)
        if date is not None and date >= LAST_MODIFIED:
            return 304
        return None

    def span(self, method: str, environ: dict[str, Any]) -> tuple[int, int] | None:
        """The byte span to send, (-1, -1) for 416, None for the full 200."""
        value = environ.get("HTTP_RANGE")
        ranged = ("GET", "HEAD") if self.readings["head_range"] else ("GET",)
        if method not in ranged or value is None:
            return None
        if_range = environ.get("HTTP_IF_RANGE")
        if if_range is not None and if_range.strip(OWS) != f'"{TAG}"':
            text = if_range.strip(OWS)
            invalid = not text.startswith(('"', 'W/"')) and read_date(text) is None
            if not (invalid and self.readings["invalid_if_range_as_absent"]):
                return None  # a strong match only; Last-Modified is never strong here
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", value.strip(OWS))
        if match is None:
            return None
        first = int(match[1])
        last = min(int(match[2]) if match[2] else len(BODY) - 1, len(BODY) - 1)
        if first >= len(BODY):
            return (-1, -1)
        return None if last < first else (first, last)


#: The optional readings, each with the catalogue ID that names it.
READINGS = {
    "unquoted_if_none_match": "LEN-3",
    "empty_as_absent": "AMB-LIST-1",
    "head_range": "AMB-RANGE-3",
    "invalid_if_range_as_absent": "AMB-IR-1",
    "unquoted_if_match": "LEN-9",
}


def make_app(**readings: bool) -> LenientApp:
    """The lenient server, with the optional :data:`READINGS` asked for."""
    return LenientApp(**readings)


def call(
    app: Callable[..., Iterable[bytes]], method: str, path: str, **headers: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Send one request in-process: ``if_none_match='"v1"'`` becomes
    ``If-None-Match: "v1"``. Returns (status, headers, body)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "wsgi.input": io.BytesIO(),
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    found: list[Any] = []
    body = b"".join(app(environ, lambda status, headers, *_: found.extend((status, headers))))
    return int(found[0].split()[0]), found[1], body
