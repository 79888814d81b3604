"""The parser checks' registry: what a check is, the table they register
into, and the reference readings and finding helper every judge shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis.strategies import SearchStrategy

from ...errors import InvalidEntityTag
from ...etags import ANY, parse_entity_tag_list
from ..model import CheckInfo, Level
from ..registry import CheckKind, KindRegistry
from .adapter import INVALID, WILDCARD, Call, Outcome, ParserAdapter
from .finding import ParserFinding

__all__ = [
    "PARSER_CHECKS",
    "Judge",
    "ParserCheck",
    "finding_of",
    "parser_checks",
    "reference_list",
    "register",
    "shown_list",
]


Judge = Callable[[ParserAdapter, Any], "ParserFinding | None"]


@dataclass(frozen=True)
class ParserCheck:
    """A parser check: identity, the adapter functions it needs, its inputs
    and its judge (or, for timing, a measurement)."""

    info: CheckInfo
    needs: tuple[str, ...]
    corpus: tuple[Any, ...] = ()
    examples: Callable[[], SearchStrategy[Any]] | None = None
    judge: Judge | None = None
    measure: Callable[[ParserAdapter], ParserFinding | None] | None = None
    #: Whether any one of ``needs`` is enough (the timing check).
    any_of: bool = False


#: The parser checks, a kind of the one registry (:mod:`..registry`).
PARSER_REGISTRY: KindRegistry[ParserCheck] = KindRegistry(CheckKind.PARSER)
#: Every parser check, by ID, in registration order.
PARSER_CHECKS: dict[str, ParserCheck] = PARSER_REGISTRY.entries


def parser_checks() -> list[ParserCheck]:
    """Every parser check, in registration order.

    >>> from etagspec.conformance.parsers.checks import parser_checks
    >>> [check.info.id for check in parser_checks()][:3]
    ['PARSE-LIST-1', 'PARSE-LIST-2', 'PARSE-LIST-3']
    """
    return PARSER_REGISTRY.all()


def register(check_id: str, title: str, rfc: str, level: Level, rule: str, **parts: Any) -> None:
    PARSER_REGISTRY.add(ParserCheck(CheckInfo(check_id, title, rfc, level, rule), **parts))


# --- the reference readings -------------------------------------------------------------


def reference_list(text: str) -> Outcome:
    """The reference reading of an If-Match / If-None-Match value.

    >>> reference_list('"a,b", W/"c"')
    ((False, 'a,b'), (True, 'c'))
    >>> reference_list('"a", *')
    'invalid'
    """
    try:
        tags = parse_entity_tag_list(text)
    except InvalidEntityTag:
        return INVALID
    if tags is ANY:
        return WILDCARD
    return tuple((tag.weak, tag.opaque) for tag in tags)


def shown_list(outcome: Outcome) -> str:
    """A normalised list reading as reports show it.

    >>> print(shown_list(((False, "a"), (True, "b"))))
    [(False, 'a'), (True, 'b')]
    """
    if isinstance(outcome, tuple):
        return repr(list(outcome))
    return "'*' (the wildcard)" if outcome == WILDCARD else str(outcome)


def finding_of(
    text: object, call: Call, expected: str, why: str, signature: str, lenient: str = ""
) -> ParserFinding:
    return ParserFinding(repr(text), call.shown, expected, why, call.reproduce, signature, lenient)
