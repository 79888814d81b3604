"""Adapter for Django's entity-tag and HTTP-date functions
(``django.utils.http``).

``parse_etags`` returns the quoted tags as strings (``['W/"a"', '"b"']``)
or ``['*']``; ``quote_etag`` takes no weak flag, so a weak tag is written
as ``W/`` followed by it. Django has no public comparison function.

    etagspec check-parser conformance/parsers/django_parsers.py
"""

from __future__ import annotations

from django.utils.http import http_date, parse_http_date, quote_etag
from django.utils.http import parse_etags as django_parse_etags

NAME = "Django 5.2.19 (django.utils.http)"


def parse_etags(text: str) -> list[tuple[bool, str]] | str:
    tags = django_parse_etags(text)
    if tags == ["*"]:
        return "*"
    return [
        (tag.startswith("W/"), tag[3:-1] if tag.startswith("W/") else tag[1:-1]) for tag in tags
    ]


def format_etag(opaque: str, weak: bool) -> str:
    return ("W/" if weak else "") + quote_etag(opaque)


def parse_date(text: str) -> int:
    return parse_http_date(text)


def format_date(seconds: int) -> str:
    return http_date(seconds)
