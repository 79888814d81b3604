"""Adapter for Werkzeug's entity-tag and HTTP-date functions
(``werkzeug.http``: parse_etags, unquote_etag, quote_etag, parse_date,
http_date), the worked example of conformance/README.md.

``parse_etags`` returns an ``ETags`` object: sets of strong and weak opaque
values and a ``star_tag`` flag, so order and repeats are not kept (the checks
compare lists as sets of tags, which is all a match needs). It never
rejects a value: what it cannot read it leaves out. ``unquote_etag``
returns ``(opaque, weak)``, and ``parse_date`` an aware ``datetime`` or
``None``.

    etagspec check-parser conformance/parsers/werkzeug_parsers.py
"""

from __future__ import annotations

from werkzeug.http import http_date, quote_etag, unquote_etag
from werkzeug.http import parse_date as werkzeug_parse_date
from werkzeug.http import parse_etags as werkzeug_parse_etags

NAME = "Werkzeug 3.1.9 (werkzeug.http)"


def parse_etags(text: str) -> list[tuple[bool, str]] | str:
    etags = werkzeug_parse_etags(text)
    if etags.star_tag:
        return "*"
    every = sorted(etags.as_set(True), key=repr)  # sets: sorted, for reports that do not vary
    tags = [(False, opaque) for opaque in every if etags.is_strong(opaque)]
    return tags + [(True, opaque) for opaque in every if etags.is_weak(opaque)]


def parse_etag(text: str) -> tuple[bool, str] | None:
    opaque, weak = unquote_etag(text)
    return None if opaque is None else (bool(weak), opaque)


def format_etag(opaque: str, weak: bool) -> str:
    return quote_etag(opaque, weak)


def parse_date(text: str) -> float | None:
    parsed = werkzeug_parse_date(text)
    return None if parsed is None else parsed.timestamp()


def format_date(seconds: int) -> str:
    return http_date(seconds)
