"""Adapter for etagspec's seed-compatible functions: ``parse_entity_tags``
(the RFC 2616 reading Pesto's caching module had), ``make_etag`` and
``etags_match``, judged against the differences their own docstrings
announce (``DOCUMENTED_DIFFERENCES``).

    etagspec check-parser conformance/parsers/seed_parse_entity_tags.py
"""

from __future__ import annotations

from etagspec.etags import etags_match, make_etag, parse_entity_tags

NAME = "etagspec seed API (parse_entity_tags, make_etag, etags_match)"

DOCUMENTED_DIFFERENCES = {
    "PARSE-LIST-2": "parse_entity_tags: 'It unescapes backslashes, which RFC 9110 no longer "
    "does' (an RFC 2616 list of quoted strings with backslash escapes)",
    "PARSE-LIST-3": "parse_entity_tags('*') returns [(False, '*')], the same as '\"*\"'",
    "PARSE-LIST-4": "both differences above: backslash escapes, and * read as a tag",
    "PARSE-LIST-5": "parse_entity_tags reads RFC 2616 lists: quoted-strings with escapes, w/",
    "PARSE-CMP-1": "etags_match: 'A member (False, '*') matches anything'",
    "PARSE-CMP-2": "etags_match: 'A member (False, '*') matches anything'",
}


def parse_etags(text: str) -> list[tuple[bool, str]]:
    return parse_entity_tags(text)


def format_etag(opaque: str, weak: bool) -> str:
    return make_etag(opaque, weak)


def strong_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    return etags_match(a, [b], allow_weak=False)


def weak_match(a: tuple[bool, str], b: tuple[bool, str]) -> bool:
    return etags_match(a, [b], allow_weak=True)
