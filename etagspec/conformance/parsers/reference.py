"""The adapter for etagspec's own functions (``etagspec check-parser
etagspec.conformance.parsers.reference``): the strict parser
:func:`~etagspec.etags.parse_entity_tag_list`, the formatter
:class:`~etagspec.etags.EntityTag`, :mod:`etagspec.dates` and the two
comparison functions. It is also what the checks compare with."""

from __future__ import annotations

from ...dates import format_http_date, http_date_to_timestamp
from ...etags import ANY, EntityTag, parse_entity_tag, parse_entity_tag_list
from ...etags import strong_match as _strong
from ...etags import weak_match as _weak

__all__ = [
    "format_date",
    "format_etag",
    "parse_date",
    "parse_etag",
    "parse_etags",
    "strong_match",
    "weak_match",
]

NAME = "etagspec"


def parse_etags(text: str) -> list[tuple[bool, str]] | str:
    """``(weak, opaque)`` pairs, or ``"*"``; raises InvalidEntityTag.

    >>> parse_etags('"a,b", W/"c"')
    [(False, 'a,b'), (True, 'c')]
    """
    tags = parse_entity_tag_list(text)
    if tags is ANY:
        return "*"
    return [(tag.weak, tag.opaque) for tag in tags]


def parse_etag(text: str) -> tuple[bool, str]:
    """>>> parse_etag('W/"a,b"')
    (True, 'a,b')
    """
    tag = parse_entity_tag(text)
    return tag.weak, tag.opaque


def format_etag(opaque: str, weak: bool) -> str:
    """>>> format_etag("v1", True)
    'W/"v1"'
    """
    return str(EntityTag(opaque, weak))


def parse_date(text: str) -> int:
    """>>> parse_date("Sun, 06 Nov 1994 08:49:37 GMT")
    784111777
    """
    return http_date_to_timestamp(text)


def format_date(seconds: int) -> str:
    """>>> format_date(784111777)
    'Sun, 06 Nov 1994 08:49:37 GMT'
    """
    return format_http_date(seconds)


def strong_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    """>>> strong_match((True, "1"), (True, "1"))
    False
    """
    return _strong(EntityTag(a[1], a[0]), EntityTag(b[1], b[0]))


def weak_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    """>>> weak_match((True, "1"), (False, "1"))
    True
    """
    return _weak(EntityTag(a[1], a[0]), EntityTag(b[1], b[0]))
