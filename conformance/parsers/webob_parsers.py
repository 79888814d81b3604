"""Adapter for WebOb's entity-tag and HTTP-date functions.

``webob.etag.ETagMatcher.parse(value, strong=...)`` returns the opaque
values only (``strong=True``: the strong tags, ``strong=False``: all), or
``AnyETag`` for ``*``; the weak ones are those the second call adds.
``parse_etag_response(value, strong=...)`` reads one ETag (the opaque value
only; with ``strong=True`` a weak one gives ``None``) and
``serialize_etag_response((opaque, strong))`` writes one;
``webob.datetime_utils`` reads and writes dates through ``email.utils``.

    etagspec check-parser conformance/parsers/webob_parsers.py
"""

from __future__ import annotations

from collections import Counter

from webob.datetime_utils import parse_date as webob_parse_date
from webob.datetime_utils import serialize_date
from webob.descriptors import parse_etag_response, serialize_etag_response
from webob.etag import AnyETag, ETagMatcher

NAME = "WebOb 1.8.11"


def parse_etags(text: str) -> list[tuple[bool, str]] | str:
    every = ETagMatcher.parse(text, strong=False)
    if every is AnyETag:
        return "*"
    strong = Counter(ETagMatcher.parse(text, strong=True).etags)
    weak = Counter(every.etags) - strong
    return [(False, o) for o in strong.elements()] + [(True, o) for o in weak.elements()]


def parse_etag(text: str) -> tuple[bool, str] | None:
    opaque = parse_etag_response(text)
    if opaque is None:
        return None
    return parse_etag_response(text, strong=True) is None, opaque


def format_etag(opaque: str, weak: bool) -> str:
    return serialize_etag_response((opaque, not weak))


def parse_date(text: str) -> float | None:
    parsed = webob_parse_date(text)
    return None if parsed is None else parsed.timestamp()


def format_date(seconds: int) -> str:
    return serialize_date(seconds)
