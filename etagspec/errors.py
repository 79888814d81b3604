"""The exception hierarchy.

Every error etagspec raises on bad input derives from :class:`EtagspecError`
and from the builtin that fits it (``ValueError`` for malformed text,
``TypeError`` for values of the wrong kind), so callers can catch either.
Each error keeps the offending value in ``.value``. The harness's own errors
(a target that cannot be loaded, a campaign file, a ``-H`` option, a parser
adapter, an unreadable 206) are defined beside the code that raises them,
and are EtagspecErrors too.
"""

from __future__ import annotations

__all__ = [
    "EtagspecError",
    "InvalidCacheControl",
    "InvalidEntityTag",
    "InvalidHTTPDate",
    "InvalidHeaderValue",
    "InvalidRange",
    "InvalidRequestBody",
    "RequestBodyTooLarge",
    "UndigestibleValue",
]


class EtagspecError(Exception):
    """Base class of every error etagspec raises on purpose."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.value = value


class InvalidEntityTag(EtagspecError, ValueError):
    """Text that is not an RFC 9110 ``entity-tag`` (or list of them), or a
    value that cannot be made into one.

    >>> from etagspec.etags import parse_entity_tag
    >>> parse_entity_tag('w/"x"')
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidEntityTag: 'w/"x"' is not an entity-tag ...
    """


class InvalidRange(EtagspecError, ValueError):
    """A Range value that is not a valid ``bytes`` ranges-specifier.

    >>> from etagspec.ranges import parse_range
    >>> parse_range("lines=1-2")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidRange: ...
    """


class InvalidHTTPDate(EtagspecError, ValueError):
    """Text that is not an RFC 9110 ``HTTP-date``, or a date that is not real."""


class InvalidCacheControl(EtagspecError, ValueError):
    """A Cache-Control value or directive that does not follow RFC 9111."""


class InvalidHeaderValue(EtagspecError, ValueError):
    """A response header name or value that would corrupt the message
    (CR, LF, NUL or another control character, or a non-latin-1 character)."""


class InvalidRequestBody(EtagspecError, ValueError):
    """A request body that cannot be taken as sent: an invalid
    Content-Length, or fewer bytes than it announced (the client went away).
    An answer to it is 400 (Bad Request); nothing of it may be stored."""


class RequestBodyTooLarge(InvalidRequestBody):
    """A request body longer than the reader's limit (``value`` is its
    announced length): answered 413 (Content Too Large, RFC 9110 §15.5.14)."""


class UndigestibleValue(EtagspecError, TypeError):
    """A value that :mod:`etagspec.digest` cannot encode deterministically."""
