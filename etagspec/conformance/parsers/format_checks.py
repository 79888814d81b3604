"""The parser checks of entity-tag formatters and comparison functions
(docs/SPEC.md §9): FMT-ETAG-1, FMT-ETAG-2, PARSE-CMP-1 and PARSE-CMP-2."""

from __future__ import annotations

import re
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..._abnf import ENTITY_TAG
from ...errors import InvalidEntityTag
from ...etags import parse_entity_tag
from ...strategies import (
    opaque_tags,
)
from ..model import Level
from . import corpus
from .adapter import ParserAdapter
from .finding import ParserFinding
from .list_checks import same_tags
from .registry import Judge, finding_of, register, shown_list

__all__ = []


# --- the entity-tag formatter ---------------------------------------------------------------

_ONE_TAG: Final = re.compile(ENTITY_TAG)
_HEADER_BREAKERS: Final = re.compile("[\r\n\x00]")
#: What a sender puts in a tag it makes (VAL-GEN-SAFE): a formatter must accept it.
_SAFE_OPAQUE: Final = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]*")


def _formatted_wrongly(text: str, weak: bool) -> str:
    if _HEADER_BREAKERS.search(text):
        return "writes CR, LF or NUL into a header"
    match = _ONE_TAG.fullmatch(text)
    if match is None:
        inner = text[3:-1] if text.startswith('W/"') else text[1:-1]
        if '"' in inner and text.endswith('"'):
            return "writes a DQUOTE inside a tag"
        return "writes something that is not one entity-tag (a byte outside etagc)"
    if (match.group(1) is not None) != weak:
        return "writes the W/ prefix when it should not, or leaves it out"
    return ""


def _judge_format_safety(adapter: ParserAdapter, example: tuple[str, bool]) -> ParserFinding | None:
    opaque, weak = example
    call = adapter.call("format_etag", opaque, weak)
    if call.raised:
        return None  # refusing a value is always allowed
    text = call.outcome
    problem = (
        "returns something other than a str"
        if text.startswith("<not")
        else _formatted_wrongly(text, weak)
    )
    if not problem:
        return None
    return finding_of(
        example,
        call,
        "one entity-tag (W/ exactly when weak) of etagc characters, or an exception",
        "RFC 9110 §8.8.3, §5.5: an entity-tag holds only etagc between its DQUOTEs, and no "
        "header value may carry CR, LF or NUL",
        problem,
    )


def _judge_format_round_trip(
    adapter: ParserAdapter, example: tuple[str, bool]
) -> ParserFinding | None:
    opaque, weak = example
    call = adapter.call("format_etag", opaque, weak)
    tag = ("W/" if weak else "") + f'"{opaque}"'
    why = "parse(format(x)) == x: a formatter writes the opaque value as it is, between DQUOTEs"
    if call.raised:
        if _SAFE_OPAQUE.fullmatch(opaque) is None:
            return None  # a backslash or obs-text may be refused (VAL-GEN-SAFE)
        return finding_of(example, call, tag, why, "refuses a tag a server may send")
    try:
        read = parse_entity_tag(call.outcome) if isinstance(call.outcome, str) else None
    except InvalidEntityTag:
        read = None
    if read is None or (read.opaque, read.weak) != (opaque, weak):
        return finding_of(example, call, tag, why, "writes a tag that reads back as another tag")
    if adapter.has("parse_etag"):
        single = adapter.call("parse_etag", call.outcome)
        if single.outcome != (weak, opaque):
            return finding_of(
                call.outcome,
                single,
                repr((weak, opaque)),
                why + " (its own parser reading its own formatter)",
                "its parser does not read back what its formatter wrote",
            )
    if adapter.has("parse_etags"):
        again = adapter.call("parse_etags", call.outcome)
        if not same_tags(again.outcome, ((weak, opaque),)):
            return finding_of(
                call.outcome,
                again,
                shown_list(((weak, opaque),)),
                why + " (its own parser reading its own formatter)",
                "its parser does not read back what its formatter wrote",
            )
    return None


def _hostile_text() -> SearchStrategy[str]:
    special = st.sampled_from(
        ['"', "\r", "\n", "\x00", " ", "\t", "\\", ",", "\x7f", "\x80", "\u0100"]
    )
    return st.lists(st.one_of(special, st.characters(codec="latin-1")), max_size=10).map("".join)


register(
    "FMT-ETAG-1",
    "A formatted tag is one valid entity-tag",
    "RFC 9110 §8.8.3, §5.5",
    Level.MUST,
    "The formatter writes W/ exactly when weak and only etagc between the DQUOTEs: never a "
    "DQUOTE, CR, LF, NUL or other byte outside etagc, whatever it is given (it may refuse)",
    needs=("format_etag",),
    corpus=corpus.HOSTILE_OPAQUES,
    examples=lambda: st.tuples(_hostile_text(), st.booleans()),
    judge=_judge_format_safety,
)
register(
    "FMT-ETAG-2",
    "A formatted tag reads back as itself",
    "RFC 9110 §8.8.3",
    Level.MUST,
    "parse(format(opaque, weak)) gives (weak, opaque) back, by the reference parser and by the "
    "library's own; a tag of visible ASCII without backslash is never refused",
    needs=("format_etag",),
    corpus=corpus.VALID_OPAQUES,
    examples=lambda: st.tuples(opaque_tags(), st.booleans()),
    judge=_judge_format_round_trip,
)


# --- the comparison functions ---------------------------------------------------------------


def _judge_comparison(strong: bool) -> Judge:
    function = "strong_match" if strong else "weak_match"

    def judge(
        adapter: ParserAdapter, example: tuple[tuple[bool, str], tuple[bool, str]]
    ) -> ParserFinding | None:
        a, b = example
        expected = a[1] == b[1] and (not strong or not (a[0] or b[0]))
        call = adapter.call(function, a, b)
        if call.outcome == expected and isinstance(call.outcome, bool):
            return None
        if call.raised:
            signature = f"the {'strong' if strong else 'weak'} comparison raises on valid tags"
        elif not isinstance(call.outcome, bool):
            signature = "returns something other than a bool"
        elif call.outcome and a[1] == b[1]:
            signature = "calls a match of weak tags strong"
        elif call.outcome:
            signature = "matches tags whose opaque values differ"
        elif not strong and (a[0] or b[0]):
            signature = "the weak comparison misses tags that carry W/"
        else:
            signature = "misses two equal tags"
        return finding_of(
            example,
            call,
            repr(expected),
            "RFC 9110 §8.8.3.2: the strong comparison matches two strong tags with the same "
            "opaque value; the weak one matches the same opaque values whatever their W/ says",
            signature,
        )

    return judge


Tag = tuple[bool, str]


@st.composite
def _same_opaque(draw: st.DrawFn, tag: SearchStrategy[Tag]) -> tuple[Tag, Tag]:
    """A tag, and a tag with its opaque value and a W/ of its own. (A
    composite, not a flatmap, which builds and validates new strategies at
    every draw.)"""
    first = draw(tag)
    return first, (draw(st.booleans()), first[1])


def _tag_pairs() -> SearchStrategy[tuple[Tag, Tag]]:
    opaque = st.one_of(st.sampled_from(["1", "2", "", "a,b", "W/1"]), opaque_tags(max_size=3))
    tag = st.tuples(st.booleans(), opaque)
    return st.one_of(_same_opaque(tag), st.tuples(tag, tag))


register(
    "PARSE-CMP-1",
    "The strong comparison needs two strong tags",
    "RFC 9110 §8.8.3.2",
    Level.MUST,
    "strong_match(a, b) is true exactly when neither tag is weak and the opaque values are the "
    "same character for character (CMP-1, CMP-3)",
    needs=("strong_match",),
    corpus=corpus.COMPARED_PAIRS,
    examples=_tag_pairs,
    judge=_judge_comparison(strong=True),
)
register(
    "PARSE-CMP-2",
    "The weak comparison ignores W/",
    "RFC 9110 §8.8.3.2",
    Level.MUST,
    "weak_match(a, b) is true exactly when the opaque values are the same character for "
    "character, whatever their W/ prefixes (CMP-2, CMP-3)",
    needs=("weak_match",),
    corpus=corpus.COMPARED_PAIRS,
    examples=_tag_pairs,
    judge=_judge_comparison(strong=False),
)
