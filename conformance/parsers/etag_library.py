"""Adapter for the PyPI ``etag`` library 1.0.0: ``etag.parse``,
``etag.is_wildcard``, ``etag.format_etag``, ``etag.strong_compare`` and
``etag.weak_compare``. ``parse("*")`` gives the same as ``parse('"*"')``;
``is_wildcard`` tells them apart, as its documentation says to.

    etagspec check-parser conformance/parsers/etag_library.py
"""

from __future__ import annotations

import etag

NAME = "etag 1.0.0"


def parse_etags(text: str) -> list[tuple[bool, str]] | str:
    if etag.is_wildcard(text):
        return "*"
    return [(tag.weak, tag.value) for tag in etag.parse(text)]


def format_etag(opaque: str, weak: bool) -> str:
    return etag.format_etag(opaque, weak=weak)


def strong_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    return etag.strong_compare(etag.EntityTag(a[1], a[0]), etag.EntityTag(b[1], b[0]))


def weak_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    return etag.weak_compare(etag.EntityTag(a[1], a[0]), etag.EntityTag(b[1], b[0]))
