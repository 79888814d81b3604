"""The parser checks of entity-tag lists and single entity-tags
(docs/SPEC.md §9): PARSE-LIST-1 to PARSE-LIST-5 and PARSE-ETAG-1."""

from __future__ import annotations

import itertools
import re
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..._abnf import ENTITY_TAG
from ...errors import InvalidEntityTag
from ...etags import parse_entity_tag
from ...strategies import (
    entity_tags,
    etag_list_values,
    legacy_entity_tag_texts,
    malformed_entity_tag_texts,
    malformed_etag_list_values,
    opaque_tags,
)
from ..model import Level
from ..readings import TAG_LENIENCIES, tolerant_tags
from . import corpus
from .adapter import INVALID, WILDCARD, Outcome, ParserAdapter
from .finding import ParserFinding
from .registry import finding_of, reference_list, register, shown_list

__all__ = ["lenient_list_reading", "list_difference", "same_tags"]


# --- entity-tag lists ---------------------------------------------------------------------

_BARE_STAR: Final = re.compile(r"(?:^|,)[ \t]*\*[ \t]*(?=,|$)")


def same_tags(got: Outcome, expected: Outcome) -> bool:
    """Whether two list readings match the same tags: as sets, since the
    order and repeats of a list's members never change what it matches.

    >>> same_tags(((False, "b"), (False, "a"), (False, "a")), ((False, "a"), (False, "b")))
    True
    """
    if isinstance(got, tuple) and isinstance(expected, tuple):
        return set(got) == set(expected)
    return bool(got == expected)


def list_difference(text: str, expected: Outcome, got: Outcome) -> str:
    """What a parser did to a valid list, in input-independent words."""
    if isinstance(got, str) and got.startswith("<"):
        if "(False, None)" in got or "(True, None)" in got:
            return 'reads the empty tag "" as None'
        return "returns something other than '*' or (weak, opaque) pairs"
    if expected == WILDCARD:
        if isinstance(got, tuple) and (False, "*") in got:
            return 'reads the wildcard * as the tag "*"'
        return "does not read a lone * as the wildcard"
    assert isinstance(expected, tuple)
    opaques = {opaque for _, opaque in expected}
    commas = any("," in opaque for opaque in opaques)
    backslashes = any("\\" in opaque for opaque in opaques)
    if got == INVALID:
        if commas:
            return "rejects a tag holding a comma (splits inside quotes)"
        if backslashes:
            return "rejects a tag holding a backslash (reads it as an escape)"
        return "rejects a valid list"
    if got == WILDCARD:
        return 'reads the tag "*" as the wildcard *'
    assert isinstance(got, tuple)
    read = {opaque for _, opaque in got}
    if read - opaques and commas and not backslashes:
        return "splits a tag at a comma inside its quotes"
    if read - opaques and backslashes:
        return "reads a backslash inside a tag as an escape"
    if read < opaques:
        missed = opaques - read
        if any("," in opaque for opaque in missed):
            return "drops a tag holding a comma (splits inside quotes)"
        if "" in missed:
            return 'drops the empty tag ""'
        return "drops tags of a valid list"
    if read == opaques:
        return "reads the W/ prefix wrongly"
    return "reads a valid list as other tags"


def _judge_valid_list(adapter: ParserAdapter, text: str) -> ParserFinding | None:
    expected = reference_list(text)
    if expected == INVALID:
        return _judge_invalid_list(adapter, text)
    call = adapter.call("parse_etags", text)
    if same_tags(call.outcome, expected):
        return None
    return finding_of(
        text,
        call,
        shown_list(expected),
        "a valid If-Match / If-None-Match value must be read as RFC 9110 reads it: a tag runs "
        "from DQUOTE to DQUOTE, commas and backslashes inside belong to it, a lone * is the "
        "wildcard, OWS and empty elements are skipped",
        list_difference(text, expected, call.outcome),
    )


#: The tolerances a lenient list reader may combine (conformance.readings),
#: fewest first, so that a reading is named by the least it needs.
_ALLOWANCES: Final = tuple(
    sorted(
        (
            frozenset(chosen)
            for size in range(1, len(TAG_LENIENCIES) + 1)
            for chosen in itertools.combinations(sorted(TAG_LENIENCIES), size)
        ),
        key=len,
    )
)
_STRICT_OPAQUE: Final = re.compile(ENTITY_TAG)


def lenient_list_reading(text: str, got: tuple[tuple[bool, str], ...]) -> str | None:
    """The TAG_LENIENCIES key of the lenient reading ``got`` is, if any."""
    for allow in _ALLOWANCES:
        reading = tolerant_tags(text, allow)
        if reading is None:
            continue
        rewritten, used = reading
        expected = reference_list(rewritten)
        kept = got
        if "2616" in used:  # tags a strict list cannot hold are left out of the reading
            kept = tuple(tag for tag in got if _STRICT_OPAQUE.fullmatch(f'"{tag[1]}"'))
        if same_tags(kept, expected):
            return sorted(used)[0]
    return None


def _judge_invalid_list(adapter: ParserAdapter, text: str) -> ParserFinding | None:
    if reference_list(text) != INVALID:
        return None
    call = adapter.call("parse_etags", text)
    got = call.outcome
    if got == INVALID:
        return None
    expected = "invalid (an exception or None)"
    why = (
        "RFC 9110 §8.8.3 and §13.1.1: a value that is neither * nor a list of entity-tags is "
        "invalid as a whole"
    )
    if got == ():
        return None  # the empty list: If-Match false, If-None-Match true, as for invalid
    if isinstance(got, tuple):
        if _BARE_STAR.search(text) and (False, "*") in got:
            return finding_of(
                text, call, expected, why, 'reads a bare * inside a list as the tag "*"'
            )
        used = lenient_list_reading(text, got)
        if used is not None:
            reading, signature = TAG_LENIENCIES[used]
            field = "If-Match / If-None-Match"
            return finding_of(text, call, expected, why, signature.format(field=field), reading)
        return finding_of(text, call, expected, why, "accepts an invalid list as tags")
    if got == WILDCARD:
        return finding_of(text, call, expected, why, "reads an invalid list as the wildcard *")
    return finding_of(text, call, expected, why, "returns something other than '*' or pairs")


def _joined(tags: list[tuple[bool, str]], separators: list[str]) -> str:
    parts = [("W/" if weak else "") + f'"{opaque}"' for weak, opaque in tags]
    text = parts[0]
    for part, separator in zip(parts[1:], separators, strict=False):
        text += separator + part
    return text


def _lists_of(opaques: SearchStrategy[str], special: SearchStrategy[str]) -> SearchStrategy[str]:
    """Valid lists of one to four tags, at least one opaque from ``special``."""
    tag = st.tuples(st.booleans(), opaques)
    first = st.tuples(st.booleans(), special)
    separator = st.sampled_from([",", ", ", " ,", " , ", ",,", ", ,\t"])
    return st.builds(
        lambda head, rest, seps, at: _joined([*rest[:at], head, *rest[at:]], seps),
        first,
        st.lists(tag, max_size=3),
        st.lists(separator, min_size=3, max_size=3),
        st.integers(0, 3),
    )


def _with_commas() -> SearchStrategy[str]:
    # No backslashes here (PARSE-LIST-2's), no empty tag (PARSE-LIST-4's).
    plain = opaque_tags(min_size=1).map(lambda opaque: opaque.replace("\\", "") or "a")
    return _lists_of(plain, plain.map(lambda opaque: opaque[:8] + "," + opaque[8::-1]))


def _with_backslashes_and_prefixes() -> SearchStrategy[str]:
    # No commas here (PARSE-LIST-1's), no empty tag (PARSE-LIST-4's).
    plain = opaque_tags(min_size=1).map(lambda opaque: opaque.replace(",", "") or "a")
    special = st.sampled_from(["\\", "a\\", "\\\\", "W/", "W/a", "w/", "\\x", "a\\b\\"])
    return _lists_of(plain, st.one_of(special, plain.map(lambda opaque: opaque[:6] + "\\")))


def _wildcards() -> SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["*", '"*"', 'W/"*"']),
        _lists_of(opaque_tags(max_size=4), st.just("*")),
        st.sampled_from(['"a", *', '*, "a"', "*, *", "*,", ", *", "**", '*"a"']),
    )


def _invalid_lists() -> SearchStrategy[str]:
    return st.one_of(malformed_etag_list_values(), legacy_entity_tag_texts())


register(
    "PARSE-LIST-1",
    "A comma inside quotes belongs to the tag",
    "RFC 9110 §8.8.3, §5.6.1",
    Level.MUST,
    'A comma is an etagc character: "a,b" is one tag, never split at the comma (PARSE-2)',
    needs=("parse_etags",),
    corpus=corpus.COMMA_LISTS,
    examples=_with_commas,
    judge=_judge_valid_list,
)
register(
    "PARSE-LIST-2",
    "Backslashes and W/ inside quotes are plain tag characters",
    "RFC 9110 §8.8.3",
    Level.MUST,
    'A backslash is never an escape inside an entity-tag and "W/" inside quotes is opaque text '
    "(PARSE-3, LEN-2)",
    needs=("parse_etags",),
    corpus=corpus.BACKSLASH_LISTS,
    examples=_with_backslashes_and_prefixes,
    judge=_judge_valid_list,
)
register(
    "PARSE-LIST-3",
    "A lone * is the wildcard, never a tag",
    "RFC 9110 §13.1.1, §13.1.2",
    Level.MUST,
    'Only a whole (trimmed) value * is the wildcard; "*" in quotes is a tag; * inside a list '
    "makes it invalid (PARSE-6)",
    needs=("parse_etags",),
    corpus=corpus.WILDCARD_LISTS,
    examples=_wildcards,
    judge=_judge_valid_list,
)
register(
    "PARSE-LIST-4",
    "Every valid list is read as RFC 9110 reads it",
    "RFC 9110 §5.6.1, §8.8.3",
    Level.MUST,
    "OWS around commas and empty elements are skipped, tags keep their order and W/ prefixes, "
    "an empty list has no tags (PARSE-7, PARSE-8)",
    needs=("parse_etags",),
    corpus=corpus.VALID_LISTS,
    examples=lambda: etag_list_values(max_members=5),
    judge=_judge_valid_list,
)
register(
    "PARSE-LIST-5",
    "An invalid list is rejected",
    "RFC 9110 §8.8.3, §13.1.1",
    Level.MUST,
    "A value that is neither * nor a list of entity-tags is invalid as a whole; reading it as "
    "RFC 2616 would (w/, unquoted or quoted-string tags, skipped members) is lenient (LEN-3)",
    needs=("parse_etags",),
    corpus=corpus.INVALID_LISTS,
    examples=_invalid_lists,
    judge=_judge_invalid_list,
)


# --- single entity-tags -----------------------------------------------------------------------


def _judge_single_tag(adapter: ParserAdapter, text: str) -> ParserFinding | None:
    try:
        tag = parse_entity_tag(text)
        expected: Outcome = (tag.weak, tag.opaque)
    except InvalidEntityTag:
        expected = INVALID
    call = adapter.call("parse_etag", text)
    got = call.outcome
    if got == expected:
        return None
    why = "RFC 9110 §8.8.3: entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, read raw (no escapes)"
    if expected != INVALID:
        difference = list_difference(text, (expected,), (got,) if isinstance(got, tuple) else got)
        return finding_of(text, call, repr(expected), why, difference.replace("list", "tag"))
    shown = "invalid (an exception or None)"
    if isinstance(got, tuple):
        used = lenient_list_reading(text, (got,))
        if used is not None:
            reading, signature = TAG_LENIENCIES[used]
            return finding_of(text, call, shown, why, signature.format(field="ETag"), reading)
        return finding_of(text, call, shown, why, "reads an invalid entity-tag as a tag")
    return finding_of(text, call, shown, why, "returns something other than a (weak, opaque) pair")


register(
    "PARSE-ETAG-1",
    "A single entity-tag is read as RFC 9110 reads it",
    "RFC 9110 §8.8.3",
    Level.MUST,
    "One ETag value gives its W/ flag and the raw text between the DQUOTEs (commas and "
    "backslashes included, never unescaped); an invalid one is rejected, the RFC 2616 "
    "readings (w/, unquoted, quoted-string) being lenient (LEN-3)",
    needs=("parse_etag",),
    corpus=corpus.SINGLE_TAGS,
    examples=lambda: st.one_of(entity_tags().map(str), malformed_entity_tag_texts()),
    judge=_judge_single_tag,
)
