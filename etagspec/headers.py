"""Header names and values that are safe to put on the wire.

Every header etagspec writes goes through :func:`check_header`, so no
caller can smuggle CR, LF, NUL or another control character into a
response (RFC 9110 §5.5: field values are visible characters, SP, HTAB and
obs-text; field names are tokens). WSGI (PEP 3333) also needs latin-1
strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ._abnf import FIELD_VALUE_RE, TOKEN_RE
from .errors import InvalidHeaderValue

__all__ = ["check_header", "header_value", "header_values", "is_field_value", "is_token"]


def is_token(text: str) -> bool:
    """Whether ``text`` is an RFC 9110 token.

    >>> is_token("ETag"), is_token("Bad Name")
    (True, False)
    """
    return TOKEN_RE.fullmatch(text) is not None


def is_field_value(text: str) -> bool:
    """Whether ``text`` can be sent as a field value (no CR, LF, NUL or
    other controls except HTAB, nothing above U+00FF).

    >>> is_field_value('"v1"'), is_field_value("a\\r\\nSet-Cookie: x=1")
    (True, False)
    """
    return FIELD_VALUE_RE.fullmatch(text) is not None


def check_header(name: str, value: str) -> tuple[str, str]:
    """Return ``(name, value)`` if both are safe to send, else raise
    :class:`~etagspec.errors.InvalidHeaderValue`.

    >>> check_header("ETag", '"v1"')
    ('ETag', '"v1"')
    >>> check_header("X-Evil", "a\\nb")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHeaderValue: header X-Evil: 'a\\nb' ...
    """
    if name.__class__ is str and value.__class__ is str:
        if name in _CHECKED_NAMES and value in CHECKED_VALUES:
            return name, value
    if not isinstance(name, str) or not is_token(name):
        raise InvalidHeaderValue(f"{name!r} is not a valid header name (a token)", name)
    if not isinstance(value, str) or not is_field_value(value):
        raise InvalidHeaderValue(
            f"header {name}: {value!r} is not a valid field value "
            "(CR, LF, NUL, other control characters and characters above U+00FF "
            "are not allowed)",
            value,
        )
    _remember_checked(name, value)
    return name, value


# Names and values that passed check_header (responses repeat the same few
# lines). Exact str only; short values only; both sets are emptied when
# full, which bounds their memory.
_CACHE_SIZE: Final = 512
_CACHEABLE_LENGTH: Final = 256
_CHECKED_NAMES: set[str] = set()
#: Values that passed :func:`check_header` lately (read-only for others: a
#: value in it is a valid field value).
CHECKED_VALUES: set[str] = set()


def _remember_checked(name: str, value: str) -> None:
    if name.__class__ is not str or value.__class__ is not str:
        return
    if len(value) > _CACHEABLE_LENGTH or len(name) > _CACHEABLE_LENGTH:
        return
    if len(CHECKED_VALUES) >= _CACHE_SIZE or len(_CHECKED_NAMES) >= _CACHE_SIZE:
        CHECKED_VALUES.clear()
        _CHECKED_NAMES.clear()
    _CHECKED_NAMES.add(name)
    CHECKED_VALUES.add(value)


def header_value(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    """The first value of header ``name`` (case-insensitive) in a list of
    ``(name, value)`` lines, or None.

    >>> header_value([("ETag", '"a"'), ("etag", '"b"')], "ETAG")
    '"a"'
    """
    lower = name.lower()
    for key, value in headers:
        if key.lower() == lower:
            return value
    return None


def header_values(headers: Iterable[tuple[str, str]], name: str) -> list[str]:
    """Every value of header ``name`` (case-insensitive), in order.

    >>> header_values([("Vary", "a"), ("X", "y"), ("vary", "b")], "Vary")
    ['a', 'b']
    """
    lower = name.lower()
    return [value for key, value in headers if key.lower() == lower]
