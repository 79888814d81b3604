"""The parser checks (docs/SPEC.md §9): what anyone's entity-tag and
HTTP-date parsers, formatters and comparison functions owe RFC 9110.

Each check names the adapter functions it needs (it is skipped without
them), a corpus of known-tricky inputs tried first, a Hypothesis strategy of
further inputs, and a judge that compares one call of the user's function
with the reference (:mod:`etagspec.etags`, :mod:`etagspec.dates`). Invalid
input is judged with the lenient/failed principle of the request checks: a
reading that :mod:`etagspec.conformance.readings` lists as lenient (RFC 2616
tags, ``w/``, case-blind or ``+0000`` dates, ...) is *lenient*; any other
reading of an invalid value, and any misreading of a valid one, fails.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..._abnf import ENTITY_TAG, IMF_FIXDATE_RE
from ...dates import http_date_to_timestamp
from ...errors import InvalidEntityTag, InvalidHTTPDate
from ...etags import ANY, parse_entity_tag, parse_entity_tag_list
from ...strategies import (
    dated_http_dates,
    entity_tags,
    etag_list_values,
    invalid_http_dates,
    legacy_entity_tag_texts,
    malformed_entity_tag_texts,
    malformed_etag_list_values,
    opaque_tags,
)
from ..model import CheckInfo, Level
from ..readings import DATE_LENIENCIES, TAG_LENIENCIES, lenient_date, tolerant_tags
from . import corpus
from .adapter import INVALID, WILDCARD, Call, Outcome, ParserAdapter
from .finding import ParserFinding
from .timing import linear_time_finding

__all__ = ["PARSER_CHECKS", "ParserCheck", "ParserFinding", "parser_checks"]


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


#: Every parser check, by ID, in registration order.
PARSER_CHECKS: dict[str, ParserCheck] = {}


def parser_checks() -> list[ParserCheck]:
    """Every parser check, in registration order.

    >>> [check.info.id for check in parser_checks()][:3]
    ['PARSE-LIST-1', 'PARSE-LIST-2', 'PARSE-LIST-3']
    """
    return list(PARSER_CHECKS.values())


def _register(check_id: str, title: str, rfc: str, level: Level, rule: str, **parts: Any) -> None:
    PARSER_CHECKS[check_id] = ParserCheck(CheckInfo(check_id, title, rfc, level, rule), **parts)


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


def _reference_date(text: str) -> int | None:
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        return None


def shown_list(outcome: Outcome) -> str:
    """A normalised list reading as reports show it.

    >>> print(shown_list(((False, "a"), (True, "b"))))
    [(False, 'a'), (True, 'b')]
    """
    if isinstance(outcome, tuple):
        return repr(list(outcome))
    return "'*' (the wildcard)" if outcome == WILDCARD else str(outcome)


def _finding(
    text: object, call: Call, expected: str, why: str, signature: str, lenient: str = ""
) -> ParserFinding:
    return ParserFinding(repr(text), call.shown, expected, why, call.reproduce, signature, lenient)


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


def _list_difference(text: str, expected: Outcome, got: Outcome) -> str:
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
    return _finding(
        text,
        call,
        shown_list(expected),
        "a valid If-Match / If-None-Match value must be read as RFC 9110 reads it: a tag runs "
        "from DQUOTE to DQUOTE, commas and backslashes inside belong to it, a lone * is the "
        "wildcard, OWS and empty elements are skipped",
        _list_difference(text, expected, call.outcome),
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


def _lenient_list_reading(text: str, got: tuple[tuple[bool, str], ...]) -> str | None:
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
            return _finding(
                text, call, expected, why, 'reads a bare * inside a list as the tag "*"'
            )
        used = _lenient_list_reading(text, got)
        if used is not None:
            reading, signature = TAG_LENIENCIES[used]
            field = "If-Match / If-None-Match"
            return _finding(text, call, expected, why, signature.format(field=field), reading)
        return _finding(text, call, expected, why, "accepts an invalid list as tags")
    if got == WILDCARD:
        return _finding(text, call, expected, why, "reads an invalid list as the wildcard *")
    return _finding(text, call, expected, why, "returns something other than '*' or pairs")


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
    # Short runs of commas: a tag with more than MAX_EMPTY_LIST_ELEMENTS
    # commas is a separate, long-input case.
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


_register(
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
_register(
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
_register(
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
_register(
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
_register(
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
        difference = _list_difference(text, (expected,), (got,) if isinstance(got, tuple) else got)
        return _finding(text, call, repr(expected), why, difference.replace("list", "tag"))
    shown = "invalid (an exception or None)"
    if isinstance(got, tuple):
        used = _lenient_list_reading(text, (got,))
        if used is not None:
            reading, signature = TAG_LENIENCIES[used]
            return _finding(text, call, shown, why, signature.format(field="ETag"), reading)
        return _finding(text, call, shown, why, "reads an invalid entity-tag as a tag")
    return _finding(text, call, shown, why, "returns something other than a (weak, opaque) pair")


_register(
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
    return _finding(
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
        return _finding(example, call, tag, why, "refuses a tag a server may send")
    try:
        read = parse_entity_tag(call.outcome) if isinstance(call.outcome, str) else None
    except InvalidEntityTag:
        read = None
    if read is None or (read.opaque, read.weak) != (opaque, weak):
        return _finding(example, call, tag, why, "writes a tag that reads back as another tag")
    if adapter.has("parse_etag"):
        single = adapter.call("parse_etag", call.outcome)
        if single.outcome != (weak, opaque):
            return _finding(
                call.outcome,
                single,
                repr((weak, opaque)),
                why + " (its own parser reading its own formatter)",
                "its parser does not read back what its formatter wrote",
            )
    if adapter.has("parse_etags"):
        again = adapter.call("parse_etags", call.outcome)
        if not same_tags(again.outcome, ((weak, opaque),)):
            return _finding(
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


_register(
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
_register(
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
        return _finding(
            example,
            call,
            repr(expected),
            "RFC 9110 §8.8.3.2: the strong comparison matches two strong tags with the same "
            "opaque value; the weak one matches the same opaque values whatever their W/ says",
            signature,
        )

    return judge


def _tag_pairs() -> SearchStrategy[tuple[tuple[bool, str], tuple[bool, str]]]:
    opaque = st.one_of(st.sampled_from(["1", "2", "", "a,b", "W/1"]), opaque_tags(max_size=3))
    tag = st.tuples(st.booleans(), opaque)
    same = tag.flatmap(lambda t: st.tuples(st.just(t), st.tuples(st.booleans(), st.just(t[1]))))
    return st.one_of(same, st.tuples(tag, tag))


_register(
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
_register(
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


# --- HTTP-dates --------------------------------------------------------------------------------


def _form(text: str) -> str:
    stripped = text.strip(" \t")
    if IMF_FIXDATE_RE.fullmatch(stripped):
        return "IMF-fixdate"
    return "rfc850-date" if "-" in stripped[:16] else "asctime-date"


def _judge_valid_date(adapter: ParserAdapter, example: tuple[int, str]) -> ParserFinding | None:
    seconds, text = example
    call = adapter.call("parse_date", text)
    allowed = (seconds, seconds + 1) if ":60" in text else (seconds,)  # AMB-DATE-3
    if call.outcome in allowed and not isinstance(call.outcome, str):
        return None
    form = _form(text)
    if call.outcome == INVALID and ":60" in text:
        signature = "rejects a leap second (23:59:60)"
    elif call.outcome == INVALID:
        signature = f"rejects a valid {form}"
    elif isinstance(call.outcome, str):
        signature = "returns something other than POSIX seconds"
    elif form == "rfc850-date" and abs(call.outcome - seconds) >= 364 * 86400:
        signature = "reads an rfc850-date's two-digit year in the wrong century (DATE-7)"
    else:
        signature = f"reads a valid {form} as another instant"
    return _finding(
        text,
        call,
        str(seconds),
        "RFC 9110 §5.6.7: a recipient reads all three forms of HTTP-date (DATE-1); a two-digit "
        "year more than 50 years ahead is in the past century (DATE-7)",
        signature,
    )


def _judge_invalid_date(adapter: ParserAdapter, text: str) -> ParserFinding | None:
    if _reference_date(text) is not None:
        return None
    call = adapter.call("parse_date", text)
    if call.outcome == INVALID:
        return None
    expected = "invalid (an exception or None)"
    why = "RFC 9110 §5.6.7 is exact: case, widths, spaces and the GMT zone (PARSE-9, PARSE-10)"
    reading = lenient_date(text)
    stripped = text.strip(" \t")
    if reading is None and stripped.endswith(" -0000"):
        minus_zero = lenient_date(stripped[: -len(" -0000")] + " +0000")
        if minus_zero is not None:
            reading = minus_zero[0], frozenset({"zone"})
    if reading is not None and call.outcome == reading[0]:
        lenient, signature = DATE_LENIENCIES[sorted(reading[1])[0]]
        return _finding(text, call, expected, why, signature, lenient)
    if isinstance(call.outcome, str):
        return _finding(text, call, expected, why, "returns something other than POSIX seconds")
    if text.count("GMT") > 1:
        return _finding(text, call, expected, why, "reads a list of dates as one date")
    if re.search(r" [+-][0-9]{4}$", stripped):
        return _finding(
            text, call, expected, why, "reads a date with a numeric zone other than +0000"
        )
    if re.search(r" 0000 ", stripped):
        return _finding(text, call, expected, why, "reads the year 0000 (which does not exist)")
    return _finding(text, call, expected, why, "reads an invalid HTTP-date as an instant")


def _judge_format_date(adapter: ParserAdapter, seconds: int) -> ParserFinding | None:
    call = adapter.call("format_date", seconds)
    why = "RFC 9110 §5.6.7: a sender writes IMF-fixdate only (DATE-2), of the instant it means"
    from ...dates import format_http_date

    expected = format_http_date(seconds)
    text = call.outcome
    if call.raised or not isinstance(text, str) or text.startswith("<not"):
        return _finding(seconds, call, repr(expected), why, "refuses or fails to format an instant")
    if IMF_FIXDATE_RE.fullmatch(text) is None:
        return _finding(
            seconds, call, repr(expected), why, "writes a date that is not an IMF-fixdate"
        )
    if _reference_date(text) != seconds:
        return _finding(seconds, call, repr(expected), why, "writes another instant")
    if adapter.has("parse_date"):
        again = adapter.call("parse_date", text)
        if again.outcome != seconds:
            return _finding(
                text,
                again,
                str(seconds),
                why + " (its own parser reading its own formatter)",
                "its parser does not read back what its formatter wrote",
            )
    return None


_register(
    "PARSE-DATE-1",
    "Every valid HTTP-date is read as its instant",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "IMF-fixdate, rfc850-date and asctime-date are all read, as the instant they name "
    "(DATE-1, DATE-7); a leap second may be :59 or the next second (AMB-DATE-3)",
    needs=("parse_date",),
    corpus=corpus.VALID_DATES,
    examples=dated_http_dates,
    judge=_judge_valid_date,
)
_register(
    "PARSE-DATE-2",
    "An invalid HTTP-date is rejected",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "Text that is not an HTTP-date is invalid; reading a case-blind, UTC/+0000/-0000, one-digit "
    "day or seconds-less date as its instant is lenient (AMB-DATE-2), any other reading fails",
    needs=("parse_date",),
    corpus=corpus.INVALID_DATES,
    examples=invalid_http_dates,
    judge=_judge_invalid_date,
)
_register(
    "FMT-DATE-1",
    "A formatted date is the IMF-fixdate of its instant",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "format_date(seconds) is an IMF-fixdate that reads back as the same seconds, by the "
    "reference parser and by the library's own",
    needs=("format_date",),
    corpus=corpus.INSTANTS,
    examples=lambda: st.integers(0, 4_102_444_799),
    judge=_judge_format_date,
)
_register(
    "PARSE-TIME-1",
    "Parsing time grows linearly with the input",
    "RFC 9110 §5.6.1.2, §17",
    Level.SHOULD,
    "Eight times the input costs at most about eight times the time (a bounded ratio, "
    "measured on long lists and long junk), so a long field cannot stall a server",
    needs=("parse_etags", "parse_date"),
    any_of=True,
    measure=linear_time_finding,
)
