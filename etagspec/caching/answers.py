"""The answers the decorators and the middleware send instead of the
handler's or the app's: the lines of a 304, and the body of a 412."""

from __future__ import annotations

from collections.abc import Iterable

from .._fast_paths import lines_kept_on_304
from ..preconditions import Decision

__all__ = ["not_modified_headers", "precondition_failed_body"]


def not_modified_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The header lines of a 304 built from those of the 200 it replaces.

    Keeps what RFC 9110 §15.4.5 requires (ST-304-2: Content-Location, Date,
    ETag, Vary, Cache-Control, Expires), Last-Modified (useful to caches) and
    any field that is not representation metadata; drops Content-Type,
    Content-Encoding and the like (ST-304-3). Content-Length is kept as it
    was: the 200's length is the only value a 304 may carry (CL-304).

    >>> not_modified_headers([("Content-Type", "text/html"), ("ETag", '"a"'),
    ...                       ("Vary", "Accept")])
    [('ETag', '"a"'), ('Vary', 'Accept')]
    """
    return lines_kept_on_304(headers)


def precondition_failed_body(decision: Decision) -> bytes:
    """The body of a 412: which rule failed, and what to do.

    >>> from etagspec.preconditions import evaluate, Conditions, Resource
    >>> precondition_failed_body(evaluate("PUT", Conditions(if_match='"a"'), Resource()))[:24]
    b'412 Precondition Failed:'
    """
    return (
        f"412 Precondition Failed: a condition in the request was false "
        f"(RFC 9110 {decision.rule}); fetch the current representation and retry.\n"
    ).encode("ascii")
