"""Parser adapters for testing the parser checks (docs/SPEC.md §9): the
reference, a correct-but-lenient one, and one flawed adapter per check
(``MUTANTS``), each breaking exactly the rule its check names.

Each adapter is a namespace of the contract's functions
(:mod:`etagspec.conformance.parsers.adapter`); :func:`adapter` turns one into
a :class:`ParserAdapter` whose reproductions import this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, Final

from etagspec.conformance.parsers import ParserAdapter
from etagspec.conformance.parsers import reference as ref
from etagspec.dates import format_http_date, http_date_to_timestamp
from etagspec.errors import InvalidHTTPDate
from etagspec.etags import parse_entity_tag, parse_entity_tags, quoted_string

_FUNCTIONS: Final = ("parse_etags", "parse_etag", "format_etag", "parse_date", "format_date")
_COMPARISONS: Final = ("strong_match", "weak_match")


def _namespace(**replaced: Callable[..., Any]) -> SimpleNamespace:
    """The reference's functions, some of them replaced."""
    functions = {name: getattr(ref, name) for name in (*_FUNCTIONS, *_COMPARISONS)}
    return SimpleNamespace(**{**functions, **replaced})


def adapter(name: str) -> ParserAdapter:
    """The adapter called ``name`` in this module."""
    namespace = globals()[name]
    functions = {key: value for key, value in vars(namespace).items() if callable(value)}
    return ParserAdapter(
        name,
        functions,
        f"import sys; sys.path.insert(0, 'tests'); from parser_zoo import {name} as a",
    )


# --- correct and lenient ------------------------------------------------------------------

CORRECT: Final = _namespace()

_DATE_WORDS: Final = re.compile(r"[A-Za-z]+")


_CONTROLS: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _lenient_list(text: str) -> list[tuple[bool, str]] | str:
    """Strict first; then RFC 2616's reading (w/, escapes; its TEXT has no
    controls), the wildcard kept apart."""
    try:
        return ref.parse_etags(text)
    except ValueError:
        if text.strip(" \t") == "*" or _CONTROLS.search(text):
            raise
        return parse_entity_tags(text)


def _lenient_date(text: str) -> int:
    """Strict first; then case-blind, with UTC, +0000 or -0000 read as GMT."""
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        recased = _DATE_WORDS.sub(lambda m: m.group().capitalize(), text.strip(" \t"))
        recased = recased.replace("Gmt", "GMT")
        return http_date_to_timestamp(re.sub(r" (?:Utc|UTC|[+-]0000)$", " GMT", recased))


def _lenient_tag(text: str) -> tuple[bool, str]:
    """Strict first; then RFC 2616's reading of one tag (w/, escapes)."""
    try:
        return ref.parse_etag(text)
    except ValueError:
        tags = _lenient_list(text)
        if "," in text.replace('","', "") or isinstance(tags, str):  # not one tag
            raise
        (tag,) = tags
        return tag


LENIENT: Final = _namespace(
    parse_etags=_lenient_list, parse_etag=_lenient_tag, parse_date=_lenient_date
)


# --- one flawed adapter per check ---------------------------------------------------------


def _splits_at_commas(text: str) -> list[tuple[bool, str]] | str:
    if text.strip(" \t") == "*":
        return "*"
    pieces = [piece.strip(" \t") for piece in text.split(",")]
    tags = [parse_entity_tag(piece) for piece in pieces if piece]
    return [(tag.weak, tag.opaque) for tag in tags]


def _reads_2616_first(text: str) -> list[tuple[bool, str]] | str:
    return "*" if text.strip(" \t") == "*" else parse_entity_tags(text)


def _star_is_a_tag(text: str) -> list[tuple[bool, str]] | str:
    return [(False, "*")] if text.strip(" \t") == "*" else ref.parse_etags(text)


def _no_empty_elements(text: str) -> list[tuple[bool, str]] | str | None:
    squeezed = text.replace(" ", "").replace("\t", "")
    if not squeezed or ",," in squeezed or squeezed.startswith(",") or squeezed.endswith(","):
        return None
    return ref.parse_etags(text)


_ANY_TAG: Final = re.compile(r'(W/)?"([^"]*)"')


def _finds_tags_anywhere(text: str) -> list[tuple[bool, str]] | str:
    if text.strip(" \t") == "*":
        return "*"
    return [(weak == "W/", opaque) for weak, opaque in _ANY_TAG.findall(text)]


def _unescapes_one(text: str) -> tuple[bool, str]:
    (tag,) = parse_entity_tags(text)
    return tag


def _quotes_blindly(opaque: str, weak: bool) -> str:
    return ("W/" if weak else "") + f'"{opaque}"'


def _quotes_as_2616(opaque: str, weak: bool) -> str:
    return ("W/" if weak else "") + quoted_string(opaque)


def _imf_only(text: str) -> int:
    if "," not in text or "-" in text.split(",")[1][:4]:
        raise ValueError("only IMF-fixdate")
    return http_date_to_timestamp(text)


def _any_zone_is_gmt(text: str) -> int:
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        return http_date_to_timestamp(re.sub(r" [+A-Z-][0-9A-Z]{2,4}$", " GMT", text.strip()))


def _numeric_zone(seconds: int) -> str:
    return format_http_date(seconds)[:-3] + "+0000"


def _quadratic(text: str) -> list[tuple[bool, str]] | str:
    # Counts the quotes before each character again and again.
    inside = [text.count('"', 0, at) % 2 for at in range(len(text))]
    assert len(inside) == len(text)
    return ref.parse_etags(text)


SPLITS_AT_COMMAS: Final = _namespace(parse_etags=_splits_at_commas)
READS_2616_FIRST: Final = _namespace(parse_etags=_reads_2616_first)
STAR_IS_A_TAG: Final = _namespace(parse_etags=_star_is_a_tag)
NO_EMPTY_ELEMENTS: Final = _namespace(parse_etags=_no_empty_elements)
FINDS_TAGS_ANYWHERE: Final = _namespace(parse_etags=_finds_tags_anywhere)
UNESCAPES_ONE: Final = _namespace(parse_etag=_unescapes_one)
QUOTES_BLINDLY: Final = _namespace(format_etag=_quotes_blindly)
QUOTES_AS_2616: Final = _namespace(format_etag=_quotes_as_2616)
STRONG_IGNORES_W: Final = _namespace(strong_match=lambda a, b: a[1] == b[1])
WEAK_NEEDS_SAME_W: Final = _namespace(weak_match=lambda a, b: a == b)
IMF_ONLY: Final = _namespace(parse_date=_imf_only)
ANY_ZONE_IS_GMT: Final = _namespace(parse_date=_any_zone_is_gmt)
NUMERIC_ZONE: Final = _namespace(format_date=_numeric_zone)
QUADRATIC: Final = _namespace(parse_etags=_quadratic)

#: flawed adapter -> the check that must catch it.
MUTANTS: Final = {
    "SPLITS_AT_COMMAS": "PARSE-LIST-1",
    "READS_2616_FIRST": "PARSE-LIST-2",
    "STAR_IS_A_TAG": "PARSE-LIST-3",
    "NO_EMPTY_ELEMENTS": "PARSE-LIST-4",
    "FINDS_TAGS_ANYWHERE": "PARSE-LIST-5",
    "UNESCAPES_ONE": "PARSE-ETAG-1",
    "QUOTES_BLINDLY": "FMT-ETAG-1",
    "QUOTES_AS_2616": "FMT-ETAG-2",
    "STRONG_IGNORES_W": "PARSE-CMP-1",
    "WEAK_NEEDS_SAME_W": "PARSE-CMP-2",
    "IMF_ONLY": "PARSE-DATE-1",
    "ANY_ZONE_IS_GMT": "PARSE-DATE-2",
    "NUMERIC_ZONE": "FMT-DATE-1",
    "QUADRATIC": "PARSE-TIME-1",
}
