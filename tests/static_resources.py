"""A correct static resource of any size with any entity-tag, for the
bounds tests: a WSGI app that answers GET and HEAD (conditionally, with
byte ranges) by arithmetic, never holding its representation in memory.

Its bytes are a repeating 256-byte pattern (byte ``i`` is ``i % 256``), so
any range is computed from its offsets and sent in 1 MiB chunks. The
preconditions are RFC 9110's, for fields of any length:
:func:`etagspec.preconditions.evaluate` with
:data:`etagspec.limits.NO_FIELD_LIMIT` (the reference's own 16 KiB cap
lifted).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from etagspec.dates import format_http_date
from etagspec.environ import conditions_from_environ
from etagspec.etags import EntityTag
from etagspec.limits import NO_FIELD_LIMIT
from etagspec.preconditions import Outcome, Resource, evaluate
from etagspec.ranges import (
    InvalidRange,
    content_range,
    parse_range,
    resolve_ranges,
    unsatisfied_content_range,
)

__all__ = ["StaticResource", "pattern"]

_CHUNK = 1024 * 1024
_PATTERN = bytes(range(256)) * (_CHUNK // 256 + 1)


def pattern(first: int, size: int) -> Iterator[bytes]:
    """The resource's bytes ``first`` .. ``first + size - 1``, in chunks."""
    while size > 0:
        take = min(size, _CHUNK)
        start = first % 256
        yield _PATTERN[start : start + take]
        first += take
        size -= take


class StaticResource:
    """A WSGI app serving one representation of ``length`` bytes with the
    strong ``etag`` (its opaque value) and ``last_modified`` (POSIX seconds).

    ``never_matches`` makes it evaluate preconditions against another tag
    than the one it sends: an app whose validators never match.
    """

    def __init__(
        self,
        length: int,
        etag: str,
        last_modified: int = 1_700_000_000,
        *,
        never_matches: bool = False,
    ) -> None:
        self.length = length
        self.etag = EntityTag(etag)
        self.last_modified = last_modified
        evaluated = EntityTag("not-" + etag[:20]) if never_matches else self.etag
        self.resource = Resource(etag=evaluated, last_modified=last_modified, supports_range=True)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        validators = [
            ("ETag", str(self.etag)),
            ("Last-Modified", format_http_date(self.last_modified)),
            ("Cache-Control", "no-cache"),
            ("Date", format_http_date(time.time())),
        ]
        if environ.get("PATH_INFO", "/") != "/":
            start_response("404 Not Found", [("Content-Length", "0"), validators[3]])
            return [b""]
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), *validators[3:]])
            return [b""]
        decision = evaluate(method, conditions_from_environ(environ), self.resource, NO_FIELD_LIMIT)
        if decision.outcome is Outcome.PRECONDITION_FAILED:
            start_response("412 Precondition Failed", [("Content-Length", "0"), validators[3]])
            return [b""]
        if decision.outcome is Outcome.NOT_MODIFIED:
            start_response("304 Not Modified", validators)
            return [b""]
        first, size, status = 0, self.length, "200 OK"
        headers = [
            *validators,
            ("Accept-Ranges", "bytes"),
            ("Content-Type", "application/octet-stream"),
        ]
        if decision.process_range:
            try:
                ranges = resolve_ranges(parse_range(environ["HTTP_RANGE"]), self.length)
            except InvalidRange:
                ranges = None
            if ranges == [] and self.length:
                body = b"416 Range Not Satisfiable\n"
                start_response(
                    "416 Range Not Satisfiable",
                    [
                        validators[3],
                        ("Content-Range", unsatisfied_content_range(self.length)),
                        ("Content-Length", str(len(body))),
                        ("Content-Type", "text/plain"),
                    ],
                )
                return [body]
            if ranges is not None and len(ranges) == 1:
                (first, last), status = ranges[0], "206 Partial Content"
                size = last - first + 1
                headers.append(("Content-Range", content_range(first, last, self.length)))
        start_response(status, [*headers, ("Content-Length", str(size))])
        return [] if method == "HEAD" else pattern(first, size)
