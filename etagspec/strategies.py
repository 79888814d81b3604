"""Hypothesis strategies for HTTP validators and conditional requests.

These generate what SPEC.md §5.7 asks property-based tests to cover: entity
tags drawn from all of ``etagc``, If-Match / If-None-Match lists with random
OWS and empty elements, HTTP-dates in all three formats around a chosen
instant, the near misses that RFC 9110 rejects, Cache-Control values, and
whole precondition scenarios (method, request fields, resource state). The
conformance harness uses them, and so can anyone testing their own server::

    from hypothesis import given

    from etagspec.preconditions import evaluate
    from etagspec.strategies import precondition_scenarios

    @given(precondition_scenarios())
    def test_decisions_are_304_412_or_proceed(scenario):
        method, conditions, resource = scenario
        assert evaluate(method, conditions, resource).status in (None, 304, 412)

Every strategy that promises valid (or invalid) text says so in its
docstring, and every promise is checked by ``tests/test_strategies.py``
against the library's parsers and against regular expressions written
independently from the ABNF.

Options are keyword-only. As with Hypothesis's own strategies, they are
checked when the strategy is first used (drawn from, or ``.validate()``-d),
and misuse raises :class:`hypothesis.errors.InvalidArgument`:

>>> entity_tags(weak="yes").validate()
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: weak='yes' must be True, False or None
>>> http_dates(formats=["iso8601"]).validate()
Traceback (most recent call last):
...
hypothesis.errors.InvalidArgument: formats=['iso8601'] may only contain 'imf', 'rfc850', 'asctime'
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .cache_control import CacheControl, Directive
from .dates import format_http_date
from .errors import InvalidEntityTag
from .etags import EntityTag
from .preconditions import Conditions, Resource

__all__ = [
    "cache_control_values",
    "cache_controls",
    "conditions",
    "dated_http_dates",
    "entity_tags",
    "etag_list_values",
    "http_dates",
    "if_range_values",
    "invalid_http_dates",
    "legacy_entity_tag_texts",
    "malformed_entity_tag_texts",
    "malformed_etag_list_values",
    "methods",
    "opaque_tags",
    "precondition_scenarios",
    "resources",
]

T = TypeVar("T")

# ---- characters -----------------------------------------------------------------
#
# Each alphabet is ordered so that Hypothesis, which shrinks a sampled_from()
# towards its first element, shrinks characters towards "a".

_LOWER: Final = "abcdefghijklmnopqrstuvwxyz"
_DIGITS: Final = "0123456789"
_UPPER: Final = _LOWER.upper()
_ALNUM: Final = _LOWER + _DIGITS + _UPPER

# etagc = %x21 / %x23-7E / obs-text     (ABNF-ETAG-5)
# obs-text = %x80-FF                     (ABNF-FV-1)
_ASCII_ETAGC: Final = "".join(chr(c) for c in (0x21, *range(0x23, 0x7F)))
_OBS_TEXT: Final = "".join(chr(c) for c in range(0x80, 0x100))
# What SPEC §5.7 singles out (",", "\", "/", "*", "W", obs-text), plus the
# edges of the etagc ranges.
_INTERESTING_ETAGC: Final = ",\\/*W!#~\x80\xa0\xe9\xff"
_OTHER_ASCII_ETAGC: Final = "".join(c for c in _ASCII_ETAGC if c not in _ALNUM)
# The "safe" alphabet: what a server might put in a tag it makes (VAL-GEN-SAFE).
_SAFE_OPAQUE_CHARS: Final = _ALNUM + "-._~+/=:"

# One etagc, each of four groups equally likely, so the characters SPEC §5.7
# cares about are far more common than their share of the 188 etagc.
_ETAGC_CHARS: Final = st.one_of(
    st.sampled_from(_ALNUM),
    st.sampled_from(_INTERESTING_ETAGC),
    st.sampled_from(_OTHER_ASCII_ETAGC),
    st.sampled_from(_OBS_TEXT),
)

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_"
#       / "`" / "|" / "~" / DIGIT / ALPHA                          (ABNF-TOK-1)
_TCHARS: Final = _ALNUM + "!#$%&'*+-.^_`|~"
# OWS = *( SP / HTAB )                                              (ABNF-WS-1)
_OWS: Final = st.text(alphabet=" \t", max_size=2)
# Some SP / HTAB: never etagc, and not allowed between W/ and DQUOTE.
_WHITESPACE: Final = st.sampled_from((" ", "\t", "  ", " \t"))
# Control characters other than HTAB: never OWS, never etagc.
_CTLS: Final = "\x00\r\n\x01\x0b\x0c\x1b\x1f\x7f"
# Characters no HTTP field can carry (WSGI strings stop at U+00FF).
_NON_LATIN_1: Final = "\u0100\u20ac\u201c\u2028\ufeff\U0001f600"

# entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE
_ENTITY_TAG_RE: Final = re.compile('(?:W/)?"[\\x21\\x23-\\x7e\\x80-\\xff]*"')
# Every HTTP-date contains time-of-day = 2DIGIT ":" 2DIGIT ":" 2DIGIT.
_TIME_OF_DAY_RE: Final = re.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}")


# ---- argument checks ------------------------------------------------------------


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")


def _check_int(
    name: str, value: object, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if min_value is not None and value < min_value:
        raise InvalidArgument(f"{name}={value!r} must be at least {min_value}")
    if max_value is not None and value > max_value:
        raise InvalidArgument(f"{name}={value!r} must be at most {max_value}")
    return value


def _check_optional_tag(name: str, value: object) -> None:
    if value is not None and not isinstance(value, EntityTag):
        raise InvalidArgument(f"{name}={value!r} must be an EntityTag or None")


def _check_timestamp(name: str, value: object, *, margin: int = 0) -> None:
    """POSIX seconds that an HTTP-date can express, ``margin`` either side."""
    value = _check_int(name, value)
    if not _MIN_TIMESTAMP <= value - margin <= value + margin <= _MAX_TIMESTAMP:
        extra = f" (with {margin} seconds either side)" if margin else ""
        raise InvalidArgument(
            f"{name}={value!r} must be POSIX seconds within the years 1-9999{extra}"
        )


# ---- small helpers --------------------------------------------------------------


def _one_in(n: int) -> SearchStrategy[bool]:
    """True about once in ``n`` draws; shrinks to False."""
    return st.sampled_from((False,) * (n - 1) + (True,))


def _mostly(
    common: SearchStrategy[T], rare: SearchStrategy[T], *, one_in: int
) -> SearchStrategy[T]:
    """``rare`` about once in ``one_in`` draws, else ``common``; shrinks to ``common``."""

    @st.composite
    def chosen(draw: st.DrawFn) -> T:
        return draw(rare if draw(_one_in(one_in)) else common)

    return chosen()


def _random_case(name: str) -> SearchStrategy[str]:
    """``name`` with each letter's case drawn; shrinks to lower case."""

    @st.composite
    def cased(draw: st.DrawFn) -> str:
        flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
        return "".join(c.upper() if flip else c for c, flip in zip(name, flips, strict=True))

    return cased()


def _strings(
    chars: SearchStrategy[str], *, min_size: int = 0, max_size: int | None = None
) -> SearchStrategy[str]:
    """Strings of ``chars`` that shrink like ``chars`` does. (``st.text()``
    would turn a sampled_from() alphabet into its own character strategy,
    which shrinks towards "0" rather than towards the first character.)"""
    return st.lists(chars, min_size=min_size, max_size=max_size).map("".join)


def _insert(text: str, positions: Sequence[int], piece: SearchStrategy[str]) -> SearchStrategy[str]:
    """``text`` with a drawn ``piece`` inserted at one of ``positions``."""

    @st.composite
    def inserted(draw: st.DrawFn) -> str:
        at = draw(st.sampled_from(positions))
        return text[:at] + draw(piece) + text[at:]

    return inserted()


def _outside_quotes(text: str) -> list[int]:
    """Insertion points of ``text`` not inside a quoted opaque-tag."""
    positions, quotes = [], 0
    for index in range(len(text) + 1):
        if quotes % 2 == 0:
            positions.append(index)
        if index < len(text) and text[index] == '"':
            quotes += 1
    return positions


def _join_list(elements: Sequence[str]) -> SearchStrategy[str]:
    """Elements joined by ``OWS "," OWS`` with random OWS, trimmed."""

    @st.composite
    def joined(draw: st.DrawFn) -> str:
        if not elements:
            return ""
        parts = [elements[0]]
        for element in elements[1:]:
            parts.append(draw(_OWS) + "," + draw(_OWS) + element)
        return "".join(parts).strip(" \t")

    return joined()


# ---- entity tags ----------------------------------------------------------------


def opaque_tags(
    *,
    alphabet: Literal["etagc", "safe"] = "etagc",
    min_size: int = 0,
    max_size: int | None = 20,
) -> SearchStrategy[str]:
    """Opaque values of entity tags: the text between the quotes.

    With ``alphabet="etagc"`` (the default), characters come from all of RFC
    9110's ``etagc`` (``\\x21``, ``\\x23-\\x7e`` and obs-text ``\\x80-\\xff``),
    with extra weight on the ones parsers get wrong: ``,``, ``\\``, ``/``,
    ``*``, ``W``, the ends of the ranges and obs-text. With
    ``alphabet="safe"`` they come from ``A-Za-z0-9-._~+/=:``, what a server
    would put in a tag it makes (VAL-GEN-SAFE). Sizes are between
    ``min_size`` and ``max_size`` characters (``max_size=None``: unbounded).

    Shrinks towards short strings of ASCII lower-case letters (``""``, then
    ``"a"``, ...).
    """

    def definition() -> SearchStrategy[str]:
        if alphabet not in ("etagc", "safe"):
            raise InvalidArgument(f"alphabet={alphabet!r} must be 'etagc' or 'safe'")
        _check_int("min_size", min_size, min_value=0)
        if max_size is not None:
            _check_int("max_size", max_size, min_value=min_size)
        chars = _ETAGC_CHARS if alphabet == "etagc" else st.sampled_from(_SAFE_OPAQUE_CHARS)
        return _strings(chars, min_size=min_size, max_size=max_size)

    return st.deferred(definition)


# Opaque values worth seeing more often than chance gives them (SPEC §5.7).
_SPECIAL_OPAQUES: Final = ("", "*", "W/", "a,b", "a\\", ",", "\\", "\x80\xff")


def _tag_from(opaque: object, weak: bool) -> EntityTag:
    if not isinstance(opaque, str):
        raise InvalidArgument(f"the opaque strategy drew {opaque!r}, which is not a str")
    try:
        return EntityTag(opaque, weak)
    except InvalidEntityTag:
        raise InvalidArgument(
            f"the opaque strategy drew {opaque!r}, which cannot be an opaque-tag "
            "(only %x21 / %x23-7E / %x80-FF are allowed)"
        ) from None


def entity_tags(
    *, weak: bool | None = None, opaque: SearchStrategy[str] | None = None
) -> SearchStrategy[EntityTag]:
    """Valid entity tags (:class:`~etagspec.etags.EntityTag`).

    ``weak`` fixes the weak flag; None (the default) draws it. ``opaque`` is
    a strategy for the opaque value (default :func:`opaque_tags`, with the
    special values ``""``, ``"*"``, ``"a,b"``, ``"a\\\\"``... mixed in). An
    ``opaque`` strategy that draws something that cannot be an opaque-tag
    raises InvalidArgument when it does.

    Shrinks towards the strong tag ``""`` (or towards the smallest value of
    ``opaque``).
    """

    def definition() -> SearchStrategy[EntityTag]:
        if weak is not None and not isinstance(weak, bool):
            raise InvalidArgument(f"weak={weak!r} must be True, False or None")
        if opaque is not None and not isinstance(opaque, SearchStrategy):
            raise InvalidArgument(f"opaque={opaque!r} must be a strategy or None")
        opaques = (
            _mostly(opaque_tags(), st.sampled_from(_SPECIAL_OPAQUES), one_in=6)
            if opaque is None
            else opaque
        )
        flags = st.booleans() if weak is None else st.just(weak)
        return st.builds(_tag_from, opaques, flags)

    return st.deferred(definition)


def _one_char_edits(opaque: str) -> SearchStrategy[str]:
    """Opaque values one insertion, deletion or substitution away from ``opaque``
    (so never equal to it); shrinks towards inserting "a" at the start."""

    @st.composite
    def edited(draw: st.DrawFn) -> str:
        kinds = ("insert", "replace", "delete") if opaque else ("insert",)
        kind = draw(st.sampled_from(kinds))
        if kind == "insert":
            at = draw(st.integers(0, len(opaque)))
            return opaque[:at] + draw(_ETAGC_CHARS) + opaque[at:]
        at = draw(st.integers(0, len(opaque) - 1))
        if kind == "delete":
            return opaque[:at] + opaque[at + 1 :]
        old = opaque[at]
        return opaque[:at] + draw(_ETAGC_CHARS.filter(lambda c: c != old)) + opaque[at + 1 :]

    return edited()


def _tags_near(current: EntityTag | None) -> SearchStrategy[EntityTag]:
    """``current`` itself, with its weak flag flipped, one character off, or any
    tag; shrinks towards ``current``. Without ``current``: any tag."""
    if current is None:
        return entity_tags()
    return st.one_of(
        st.just(current),
        st.just(EntityTag(current.opaque, not current.weak)),
        st.builds(
            EntityTag,
            _one_char_edits(current.opaque),
            st.sampled_from((current.weak, not current.weak)),
        ),
        entity_tags(),
    )


# RFC 2616 quoted-string pieces that RFC 9110 treats differently. Every
# escaped DQUOTE is followed by a letter, so what follows the place where
# RFC 9110 ends the tag is never a comma or OWS (the text stays invalid even
# as a list).
_LEGACY_SAFE_PIECES: Final = st.sampled_from(tuple(_ALNUM + "-._~+/=:,*!#"))
_LEGACY_ESCAPES: Final = st.one_of(
    st.sampled_from(_LOWER).map(lambda c: '\\"' + c),
    st.sampled_from(("\\\\", "\\a", "\\ ", "\\\t", "\\/")),
)
_LEGACY_PREFIXES: Final = ("", "W/", "w/", "W/ ", "w/ ", "W/\t")
_LEGACY_FEATURES: Final = ("escaped-dquote", "space", "htab", "lower-w", "space-after-w")


def legacy_entity_tag_texts() -> SearchStrategy[str]:
    """Entity tags that RFC 2616 allowed and RFC 9110 rejects (DIFF-2616-*,
    LEN-3, LEN-6, LEN-7).

    Each is a valid RFC 2616 ``[ weak ] quoted-string`` (with the case-
    insensitive ``w/`` and the implied LWS of ``W/ "x"``) and has at least
    one of: a quoted-pair escaping DQUOTE (``"a\\"b"``), SP or HTAB inside
    the quotes, a lower-case ``w/``, whitespace between ``W/`` and the quote.
    Other quoted-pairs (``\\\\``, ``\\a``) appear too. None is a valid RFC
    9110 entity-tag, nor a valid If-Match / If-None-Match value.

    Shrinks towards ``"\\"a"`` (an escaped DQUOTE).
    """

    @st.composite
    def legacy(draw: st.DrawFn) -> str:
        feature = draw(st.sampled_from(_LEGACY_FEATURES))
        pieces = draw(
            st.lists(st.one_of(_LEGACY_SAFE_PIECES, _WHITESPACE, _LEGACY_ESCAPES), max_size=6)
        )
        if feature == "lower-w":
            prefix = "w/"
        elif feature == "space-after-w":
            prefix = "W/" + draw(_WHITESPACE)
        else:
            prefix = draw(st.sampled_from(_LEGACY_PREFIXES))
            if feature == "escaped-dquote":
                required = '\\"' + draw(st.sampled_from(_LOWER))
            else:
                required = " " if feature == "space" else "\t"
            pieces.insert(draw(st.integers(0, len(pieces))), required)
        content = "".join(pieces)
        return f'{prefix}"{content}"'

    return st.deferred(lambda: legacy())


# Junk that cannot be OWS, a comma or part of a tag: no DQUOTE, and it starts
# (for trailing junk) or ends (for leading junk) with a character that is
# neither SP, HTAB nor ",".
_JUNK_FIRST: Final = "x;=*W/<[\x80\xe9'"
_JUNK_REST: Final = st.text(alphabet=st.sampled_from("x;=*W/,. \t\xe9q1"), max_size=4)
_TRAILING_JUNK: Final = st.builds(lambda a, b: a + b, st.sampled_from(_JUNK_FIRST), _JUNK_REST)
# Leading junk never ends in "W/", which would make a valid weak tag.
_LEADING_JUNK: Final = st.sampled_from(("x", ";", "=", "W", "w/", "/", "<", "\x80", "\xe9", "*"))

_NEAR_MISS_KINDS: Final = (
    "unquoted",
    "lower-w",
    "space-after-w",
    "space-inside",
    "no-closing-quote",
    "no-opening-quote",
    "single-quotes",
    "trailing-junk",
    "leading-junk",
    "inner-dquote",
    "double-w",
    "ctl-inside",
    "curly-quotes",
    "non-latin-1-inside",
)
# Invalid as one entity-tag, but a valid list (or an empty one).
_SINGLE_TAG_ONLY_KINDS: Final = (
    "empty",
    "whitespace",
    "two-tags",
    "trailing-comma",
    "leading-comma",
)


def _near_misses(tag: EntityTag, *, in_list: bool) -> SearchStrategy[str]:
    """Texts a character or two away from ``tag`` that are not entity-tags.

    With ``in_list``, each also stays invalid inside an If-Match list whose
    other members are valid tags: it either has an odd number of DQUOTEs,
    or a character outside its quotes that is neither OWS nor a comma, or
    an invalid character inside its quotes.
    """
    opaque, weak = tag.opaque, "W/" if tag.weak else ""
    kinds = _NEAR_MISS_KINDS if in_list else _NEAR_MISS_KINDS + _SINGLE_TAG_ONLY_KINDS

    @st.composite
    def near(draw: st.DrawFn) -> str:
        kind = draw(st.sampled_from(kinds))
        at = draw(st.integers(0, len(opaque)))
        before, after = opaque[:at], opaque[at:]
        if kind == "unquoted":
            bare = weak + opaque
            if in_list and not bare.strip(", \t"):
                bare += "x"  # "" or "," alone would be empty list elements
            return bare
        if kind == "lower-w":
            return f'w/"{opaque}"'
        if kind == "space-after-w":
            return f'W/{draw(_WHITESPACE)}"{opaque}"'
        if kind == "space-inside":
            return f'{weak}"{before}{draw(_WHITESPACE)}{after}"'
        if kind == "no-closing-quote":
            return f'{weak}"{opaque}'
        if kind == "no-opening-quote":
            return f'{weak}{opaque}"'
        if kind == "single-quotes":
            return f"{weak}'{opaque}'"
        if kind == "trailing-junk":
            return f"{tag}{draw(_TRAILING_JUNK)}"
        if kind == "leading-junk":
            return f"{draw(_LEADING_JUNK)}{tag}"
        if kind == "inner-dquote":
            return f'{weak}"{before}"{after}"'
        if kind == "double-w":
            return f'W/W/"{opaque}"'
        if kind == "ctl-inside":
            return f'{weak}"{before}{draw(st.sampled_from(_CTLS))}{after}"'
        if kind == "curly-quotes":
            return f"{weak}\u201c{opaque}\u201d"
        if kind == "non-latin-1-inside":
            return f'{weak}"{before}{draw(st.sampled_from(_NON_LATIN_1))}{after}"'
        if kind == "empty":
            return ""
        if kind == "whitespace":
            return draw(_WHITESPACE)
        if kind == "two-tags":
            return f"{tag}{draw(st.sampled_from((', ', ',', ' ', '')))}{tag}"
        if kind == "trailing-comma":
            return f"{tag},"
        assert kind == "leading-comma"
        return f",{tag}"

    return near()


def _not_an_entity_tag(text: str) -> bool:
    return _ENTITY_TAG_RE.fullmatch(text.strip(" \t")) is None


_ARBITRARY_TEXT: Final = st.text(st.characters(max_codepoint=0xFF), max_size=12)


def malformed_entity_tag_texts(*, around: EntityTag | None = None) -> SearchStrategy[str]:
    """Texts that are NOT valid RFC 9110 entity-tags.

    Most are near misses of ``around`` (or, without it, of a drawn tag): the
    opaque without quotes, ``w/``, ``W/ "x"``, SP/HTAB or a control
    character or a non-latin-1 character inside the quotes, a missing or an
    extra DQUOTE, single or curly quotes, leading or trailing junk,
    ``W/W/``, a comma-joined pair of tags, ``""``-less empty or blank text.
    The rest are RFC 2616-only forms (:func:`legacy_entity_tag_texts`) and
    arbitrary latin-1 text that happens not to be a tag.

    Shrinks towards the unquoted opaque of ``around`` (``""`` without it).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("around", around)
        if around is None:
            near = entity_tags().flatmap(lambda tag: _near_misses(tag, in_list=False))
        else:
            near = _near_misses(around, in_list=False)
        others = st.one_of(
            legacy_entity_tag_texts(),
            _ARBITRARY_TEXT.filter(_not_an_entity_tag),
        )
        return _mostly(near, others, one_in=5)

    return st.deferred(definition)


# ---- If-Match / If-None-Match lists ---------------------------------------------


def _list_elements(
    tags: SearchStrategy[EntityTag], *, min_members: int, max_members: int, empty: bool
) -> SearchStrategy[list[str]]:
    """Members as text, with empty elements ("") mixed in when ``empty``;
    shrinks towards one member (or none, when ``min_members`` is 0 and
    ``max_members`` too)."""

    @st.composite
    def elements(draw: st.DrawFn) -> list[str]:
        if max_members == 0 or (min_members == 0 and draw(_one_in(6))):
            members: list[EntityTag] = []
        else:
            members = draw(st.lists(tags, min_size=max(1, min_members), max_size=max_members))
        texts = [str(tag) for tag in members]
        if not empty:
            return texts
        result: list[str] = []
        # Up to 3 empty elements in each of the len + 1 gaps (AMB-LIST-2: the
        # harness stays far below the cap).
        for text in [*texts, None]:
            if draw(_one_in(4)):
                result.extend([""] * draw(st.integers(1, 3)))
            if text is not None:
                result.append(text)
        return result

    return elements()


def etag_list_values(
    *,
    current: EntityTag | None = None,
    min_members: int = 0,
    max_members: int = 6,
    wildcard: bool = True,
    empty_elements: bool = True,
) -> SearchStrategy[str]:
    """VALID If-Match / If-None-Match field values (ABNF-IM-3, the recipient
    form): ``*`` (now and then, when ``wildcard``), or between
    ``min_members`` and ``max_members`` entity tags joined by ``OWS "," OWS``
    with random SP/HTAB, plus empty elements when ``empty_elements``.

    Members are ``current`` exactly, ``current`` with ``W/`` added or
    removed, tags whose opaque is one character away from ``current``'s, or
    any :func:`entity_tags`; members may repeat. Without ``current`` all are
    arbitrary tags. Values are trimmed, as a server presents them (no SP or
    HTAB at either end); a value with no members is ``""`` or commas.

    Shrinks towards a single member, ``current`` itself (``""`` without it).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        _check_int("min_members", min_members, min_value=0)
        _check_int("max_members", max_members, min_value=min_members)
        _check_bool("wildcard", wildcard)
        _check_bool("empty_elements", empty_elements)
        lists = _list_elements(
            _tags_near(current),
            min_members=min_members,
            max_members=max_members,
            empty=empty_elements,
        ).flatmap(_join_list)
        if not wildcard:
            return lists
        return _mostly(lists, st.just("*"), one_in=8)

    return st.deferred(definition)


_MALFORMED_LIST_KINDS: Final = (
    "bad-member",
    "wildcard-in-list",
    "missing-comma",
    "junk-outside-quotes",
    "control-character",
    "non-latin-1",
)


def malformed_etag_list_values(*, current: EntityTag | None = None) -> SearchStrategy[str]:
    """INVALID If-Match / If-None-Match field values: each makes
    :func:`~etagspec.etags.parse_entity_tag_list` raise, and none is blank.

    Kinds: a malformed member among valid ones (near misses of ``current``
    such as ``w/"…"``, ``W/ "…"``, ``"a b"``, a missing quote, an unquoted
    opaque, RFC 2616 escapes); ``*`` inside a list (``"a", *``, ``*, *``,
    ``*,``); members with no comma between them (``"a" "b"``); junk (also
    obs-text) outside the quotes, at either end or between members; CR, LF,
    NUL or another control character anywhere; a character above U+00FF.

    Shrinks towards ``current``'s opaque without quotes.
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        members = _tags_near(current).map(str)
        base_tags = entity_tags() if current is None else st.just(current)
        valid_lists = etag_list_values(current=current, min_members=1)

        @st.composite
        def malformed(draw: st.DrawFn) -> str:
            kind = draw(st.sampled_from(_MALFORMED_LIST_KINDS))
            if kind in ("bad-member", "wildcard-in-list", "missing-comma"):
                elements = draw(st.lists(members, max_size=3))
                if kind == "bad-member":
                    bad = draw(_near_misses(draw(base_tags), in_list=True))
                    elements.insert(draw(st.integers(0, len(elements))), bad)
                elif kind == "wildcard-in-list":
                    stars = draw(st.integers(1, 2))
                    for _ in range(stars):
                        elements.insert(draw(st.integers(0, len(elements))), "*")
                    if len(elements) == 1:
                        elements.insert(draw(st.integers(0, 1)), "")  # "*," or ",*"
                else:
                    at = draw(st.integers(0, len(elements)))
                    glued = draw(members) + draw(_OWS) + draw(members)
                    elements.insert(at, glued)
                return draw(_join_list(elements))
            base = draw(valid_lists)
            if kind == "junk-outside-quotes":
                junk = draw(
                    st.one_of(_TRAILING_JUNK, _LEADING_JUNK).filter(lambda j: not j.endswith("W/"))
                )
                at = draw(st.sampled_from(_outside_quotes(base)))
                return base[:at] + junk + base[at:]
            pieces = _CTLS if kind == "control-character" else _NON_LATIN_1
            return draw(_insert(base, range(len(base) + 1), st.sampled_from(pieces)))

        return malformed()

    return st.deferred(definition)


# ---- HTTP-dates -----------------------------------------------------------------

_FORMATS: Final = ("imf", "rfc850", "asctime")
_DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_MONTH_NAMES: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_UTC: Final = datetime.timezone.utc
_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_SECONDS_PER_YEAR: Final = 365 * 86_400
# An rfc850-date's two-digit year is read relative to the recipient's clock
# (DATE-7): within 50 years of it. Keeping within 49 (365-day) years leaves
# a margin of more than a year for AMB-DATE-7 and for the clock moving on
# between drawing a date and parsing it.
_RFC850_WINDOW: Final = 49 * _SECONDS_PER_YEAR


def _year_start(year: int) -> int:
    return int((datetime.datetime(year, 1, 1, tzinfo=_UTC) - _EPOCH).total_seconds())


def _year_end(year: int) -> int:
    last = datetime.datetime(year, 12, 31, 23, 59, 59, tzinfo=_UTC)
    return int((last - _EPOCH).total_seconds())


_MIN_TIMESTAMP: Final = _year_start(1)
_MAX_TIMESTAMP: Final = _year_end(9999)


@dataclass(frozen=True)
class _Parts:
    """The calendar fields of an instant, as an HTTP-date writes them."""

    weekday: int  # Monday is 0
    day: int
    month: int  # 1-12
    year: int
    hour: int
    minute: int
    second: int

    @classmethod
    def of(cls, timestamp: int) -> _Parts:
        moment = _EPOCH + datetime.timedelta(seconds=timestamp)
        return cls(
            moment.weekday(),
            moment.day,
            moment.month,
            moment.year,
            moment.hour,
            moment.minute,
            moment.second,
        )

    @property
    def time(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}:{self.second:02d}"


def _format(timestamp: int, form: str) -> str:
    """One instant as an IMF-fixdate, rfc850-date or asctime-date."""
    if form == "imf":
        return format_http_date(timestamp)
    p = _Parts.of(timestamp)
    month = _MONTH_NAMES[p.month - 1]
    if form == "rfc850":
        # rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT
        return f"{_LONG_DAY_NAMES[p.weekday]}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
    # asctime-date = day-name SP month SP ( 2DIGIT / ( SP 1DIGIT )) SP time-of-day SP year
    return f"{_DAY_NAMES[p.weekday]} {month} {p.day:2d} {p.time} {p.year:04d}"


@dataclass(frozen=True)
class _DatePlan:
    """Where instants come from, and which formats may write them."""

    around: int | None
    within: int
    formats: tuple[str, ...]
    low: int  # bounds of the instants drawn away from ``around``
    high: int
    now: int

    def rfc850_reads_back(self, timestamp: int) -> bool:
        """Whether a recipient whose clock says about ``now`` reads the
        two-digit year back as the right one: within the window, and not in
        a later century than ``now`` (which a century-of-now reading misses)."""
        if abs(timestamp - self.now) > _RFC850_WINDOW:
            return False
        return _Parts.of(timestamp).year // 100 <= _Parts.of(self.now).year // 100

    def forms_for(self, timestamp: int) -> tuple[str, ...]:
        return tuple(f for f in self.formats if f != "rfc850" or self.rfc850_reads_back(timestamp))


def _date_plan(
    *,
    around: int | None,
    within: int,
    formats: Sequence[str],
    min_year: int,
    max_year: int,
) -> _DatePlan:
    """Check the arguments of :func:`dated_http_dates` and friends."""
    _check_int("within", within, min_value=0)
    if around is not None:
        _check_timestamp("around", around, margin=within)
    if isinstance(formats, str) or not isinstance(formats, Sequence):
        raise InvalidArgument(
            f"formats={formats!r} must be a sequence of format names, such as ('imf', 'rfc850')"
        )
    if not formats:
        raise InvalidArgument("formats=() must name at least one format")
    if any(form not in _FORMATS for form in formats):
        raise InvalidArgument(
            f"formats={formats!r} may only contain " + ", ".join(repr(f) for f in _FORMATS)
        )
    first_year = _check_int("min_year", min_year, min_value=1, max_value=9999)
    last_year = _check_int("max_year", max_year, min_value=first_year, max_value=9999)
    plan = _DatePlan(
        around=around,
        within=within,
        formats=tuple(dict.fromkeys(formats)),
        low=_year_start(first_year),
        high=_year_end(last_year),
        now=int(time.time()),
    )
    if plan.formats != ("rfc850",):
        return plan
    # Only rfc850: every instant drawn must read back correctly.
    low = max(plan.low, plan.now - _RFC850_WINDOW)
    high = min(
        plan.high, plan.now + _RFC850_WINDOW, _year_end(_Parts.of(plan.now).year // 100 * 100 + 99)
    )
    if low > high:
        raise InvalidArgument(
            f"formats=('rfc850',) with min_year={min_year!r}, max_year={max_year!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    if around is not None and not all(
        plan.rfc850_reads_back(around + k) for k in (-within, within)
    ):
        raise InvalidArgument(
            f"formats=('rfc850',) with around={around!r}, within={within!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    return _DatePlan(around, within, plan.formats, low, high, plan.now)


def _dated(plan: _DatePlan) -> SearchStrategy[tuple[int, str]]:
    """(instant, HTTP-date text) pairs drawn according to ``plan``."""

    @st.composite
    def dated(draw: st.DrawFn) -> tuple[int, str]:
        if plan.around is not None and not draw(_one_in(10)):
            timestamp = plan.around + draw(st.integers(-plan.within, plan.within))
        else:
            timestamp = plan.low + draw(st.integers(0, plan.high - plan.low))
        form = draw(st.sampled_from(plan.forms_for(timestamp)))
        return timestamp, _format(timestamp, form)

    return dated()


def dated_http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
) -> SearchStrategy[tuple[int, str]]:
    """``(timestamp, text)`` pairs: a VALID HTTP-date and the POSIX second it
    denotes. See :func:`http_dates` for the options.

    Shrinks towards ``(around, IMF-fixdate of around)``, or without
    ``around`` towards the first second of ``min_year``.
    """

    def definition() -> SearchStrategy[tuple[int, str]]:
        plan = _date_plan(
            around=around, within=within, formats=formats, min_year=min_year, max_year=max_year
        )
        return _dated(plan)

    return st.deferred(definition)


def http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
) -> SearchStrategy[str]:
    """VALID HTTP-dates (RFC 9110 §5.6.7), each one
    :func:`~etagspec.dates.http_date_to_timestamp` accepts.

    With ``around`` (POSIX seconds), nine draws in ten are the instant
    ``around + k`` for ``k`` in ``[-within, within]`` (the LM-1 / LM / LM+1
    boundaries of SPEC §5.7); the rest, and every draw without ``around``,
    fall anywhere in the years ``min_year`` to ``max_year``. Each is
    written in a format drawn from ``formats`` (``"imf"``, ``"rfc850"``,
    ``"asctime"``). An rfc850-date is only used where its two-digit year
    reads back as the right year on today's clock (within 49 years of now);
    elsewhere another of ``formats`` is used, and if ``"rfc850"`` is the only
    format, instants are kept inside that window (InvalidArgument if they
    cannot be). Leap seconds (``23:59:60``) are not generated.

    Shrinks towards ``around`` itself as an IMF-fixdate (with the default
    ``formats``), or without ``around`` towards the first second of
    ``min_year``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _date_plan(
            around=around, within=within, formats=formats, min_year=min_year, max_year=max_year
        )
        return _dated(plan).map(lambda pair: pair[1])

    return st.deferred(definition)


_INVALID_DATE_KINDS: Final = (
    "lower-case",
    "upper-case",
    "other-zone",
    "single-digit-day",
    "double-space",
    "htab",
    "wrong-weekday",
    "missing-seconds",
    "two-digit-year",
    "four-digit-year-rfc850",
    "list-of-dates",
    "number",
    "empty",
    "iso-8601",
    "impossible-field",
    "missing-comma",
    "wrong-day-name-length",
    "unpadded-asctime-day",
    "junk-around",
    "junk",
)
_ZONES: Final = ("UTC", "+0000", "-0000", "Z", "GMT+0", "gmt", "UT", "EST", "CET")


def _mutated_date(plan: _DatePlan) -> SearchStrategy[str]:
    """Texts one mistake away from a valid HTTP-date; see invalid_http_dates."""

    @st.composite
    def mutated(draw: st.DrawFn) -> str:
        kind = draw(st.sampled_from(_INVALID_DATE_KINDS))
        timestamp, text = draw(_dated(plan))
        p = _Parts.of(timestamp)
        day_name, long_day_name = _DAY_NAMES[p.weekday], _LONG_DAY_NAMES[p.weekday]
        month = _MONTH_NAMES[p.month - 1]
        if kind == "lower-case":
            return text.lower()
        if kind == "upper-case":
            return text.upper()
        if kind == "other-zone":
            zone = draw(st.sampled_from(_ZONES))
            if text.endswith(" GMT"):
                return text[: -len("GMT")] + zone
            return f"{text} {zone}"
        if kind == "single-digit-day":
            return f"{day_name}, {p.day % 10} {month} {p.year:04d} {p.time} GMT"
        if kind in ("double-space", "htab"):
            spaces = [i for i, c in enumerate(text) if c == " "]
            at = draw(st.sampled_from(spaces))
            if kind == "htab":
                return text[:at] + "\t" + text[at + 1 :]
            return text[:at] + " " + text[at:]
        if kind == "wrong-weekday":
            wrong = (p.weekday + draw(st.integers(1, 6))) % 7
            if text.startswith(long_day_name):
                return _LONG_DAY_NAMES[wrong] + text[len(long_day_name) :]
            return _DAY_NAMES[wrong] + text[len(day_name) :]
        if kind == "missing-seconds":
            time_of_day = p.time
            return text.replace(time_of_day, time_of_day[:5])
        if kind == "two-digit-year":
            return f"{day_name}, {p.day:02d} {month} {p.year % 100:02d} {p.time} GMT"
        if kind == "four-digit-year-rfc850":
            return f"{long_day_name}, {p.day:02d}-{month}-{p.year:04d} {p.time} GMT"
        if kind == "list-of-dates":
            _, other = draw(_dated(plan))
            return text + draw(st.sampled_from((", ", ",", " , "))) + other
        if kind == "number":
            return draw(st.sampled_from(("0", "-1", str(timestamp), "1e9", "0x10")))
        if kind == "empty":
            return draw(st.sampled_from(("", " ", "\t")))
        if kind == "iso-8601":
            iso = f"{p.year:04d}-{p.month:02d}-{p.day:02d}T{p.time}"
            return iso + draw(st.sampled_from(("Z", "+00:00", "")))
        if kind == "impossible-field":
            field, value = draw(
                st.one_of(
                    st.tuples(st.just("day"), st.sampled_from((0, 32, 99))),
                    st.tuples(st.just("hour"), st.integers(24, 99)),
                    st.tuples(st.just("minute"), st.integers(60, 99)),
                    st.tuples(st.just("second"), st.integers(61, 99)),
                    st.tuples(st.just("year"), st.just(0)),
                )
            )
            fields = {"day": p.day, "hour": p.hour, "minute": p.minute, "second": p.second}
            fields["year"] = p.year
            fields[field] = value
            return (
                f"{day_name}, {fields['day']:02d} {month} {fields['year']:04d} "
                f"{fields['hour']:02d}:{fields['minute']:02d}:{fields['second']:02d} GMT"
            )
        if kind == "missing-comma":
            return f"{day_name} {p.day:02d} {month} {p.year:04d} {p.time} GMT"
        if kind == "wrong-day-name-length":
            if draw(st.booleans()):
                return f"{long_day_name}, {p.day:02d} {month} {p.year:04d} {p.time} GMT"
            return f"{day_name}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
        if kind == "unpadded-asctime-day":
            return f"{day_name} {month} {p.day % 10} {p.time} {p.year:04d}"
        if kind == "junk-around":
            junk = draw(st.sampled_from(("x", ";", ",", '"', "\x00", "\r\n", "\xa0", "GMT")))
            return text + junk if draw(st.booleans()) else junk + text
        assert kind == "junk"
        return draw(_ARBITRARY_TEXT.filter(lambda t: _TIME_OF_DAY_RE.search(t) is None))

    return mutated()


def invalid_http_dates(*, around: int | None = None) -> SearchStrategy[str]:
    """Texts that are NOT valid HTTP-dates but look close to one, each one
    :func:`~etagspec.dates.http_date_to_timestamp` rejects (PARSE-9,
    PARSE-10, AMB-DATE-1, AMB-DATE-2).

    Mostly a valid date near ``around`` (POSIX seconds; anywhere in
    1970-2100 without it) with one mistake: lower or upper case, ``UTC`` /
    ``+0000`` / ``Z`` for ``GMT``, a single-digit day, a doubled SP or an
    HTAB, the wrong weekday, no seconds, a two-digit year in an IMF-fixdate
    (or four digits in an rfc850-date), no comma, the long day-name in the
    wrong format, an unpadded asctime day, an impossible day, hour, minute,
    second (``:61`` and up; the valid leap second ``:60`` is never used) or
    year 0000, junk before or after; or else a comma-joined list of two
    valid dates, ISO 8601, ``0``, ``-1``, empty or blank text, or arbitrary
    latin-1 text with no ``hh:mm:ss`` in it.

    Shrinks towards the lower-cased IMF-fixdate of ``around``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _date_plan(around=around, within=3, formats=_FORMATS, min_year=1970, max_year=2100)
        return _mutated_date(plan)

    return st.deferred(definition)


def if_range_values(
    *, current: EntityTag | None = None, last_modified: int | None = None
) -> SearchStrategy[str]:
    """If-Range field values (ABNF-IR-1) for a resource whose ETag is
    ``current`` and whose Last-Modified is ``last_modified`` (POSIX seconds).

    About half are entity tags: ``current`` as is, with ``W/`` added or
    removed, one character off, or arbitrary. About a third are valid
    HTTP-dates within 3 seconds of ``last_modified`` in all three formats
    (or anywhere, without it). The rest are malformed: near misses of
    ``current`` (:func:`malformed_entity_tag_texts`) or invalid dates
    (:func:`invalid_http_dates`), which If-Range treats as false (AMB-IR-1).

    Shrinks towards ``current`` as it is (the strong tag ``""`` without it).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        if last_modified is not None:
            _check_timestamp("last_modified", last_modified, margin=3)
        tags = _tags_near(current).map(str)
        dates = http_dates(around=last_modified)
        malformed = st.one_of(
            malformed_entity_tag_texts(around=current), invalid_http_dates(around=last_modified)
        )
        return st.one_of(tags, tags, dates, dates, malformed)

    return st.deferred(definition)


# ---- Cache-Control --------------------------------------------------------------

_TOKENS: Final = _strings(st.sampled_from(_TCHARS), min_size=1, max_size=10)
# delta-seconds = 1*DIGIT; values past 2^31 are read as 2^31 (CC-9).
_DELTA_SECONDS: Final = st.one_of(st.integers(0, 10**6), st.integers(2**31 - 1, 10**12)).map(str)
_FIELD_NAMES: Final = st.one_of(
    st.sampled_from(("Set-Cookie", "Authorization", "X-Request-Id", "ETag")), _TOKENS
)
# quoted-string content: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text,
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ). Each piece is drawn as
# (what is written, what it means).
_QDTEXT_CHARS: Final = "".join(
    c for c in _ALNUM + " \t!#$%&'()*+,-./:;<=>?@[]^_`{|}~\x80\xe9\xff" if c not in '"\\'
)
_QUOTED_PIECES: Final = st.one_of(
    st.sampled_from(_QDTEXT_CHARS).map(lambda c: (c, c)),
    st.sampled_from('"\\a \t\xe9').map(lambda c: ("\\" + c, c)),
)

_BOTH_DIRECTIONS: Final = ("max-age", "no-cache", "no-store", "no-transform", "stale-if-error")
_RESPONSE_ONLY: Final = (
    "private",
    "public",
    "must-revalidate",
    "proxy-revalidate",
    "must-understand",
    "s-maxage",
    "immutable",
    "stale-while-revalidate",
)
_REQUEST_ONLY: Final = ("max-stale", "min-fresh", "only-if-cached")
_KNOWN_DIRECTIVES: Final = frozenset(_BOTH_DIRECTIONS + _RESPONSE_ONLY + _REQUEST_ONLY)
_DELTA_SECONDS_DIRECTIVES: Final = frozenset(
    {"max-age", "s-maxage", "min-fresh", "max-stale", "stale-while-revalidate", "stale-if-error"}
)


@dataclass(frozen=True)
class _DirectiveText:
    """A directive as written (``text``) and as it means (name, argument)."""

    text: str
    name: str
    argument: str | None


def _directives(
    names: tuple[str, ...], *, field_name_lists: bool
) -> SearchStrategy[_DirectiveText]:
    """Known directives from ``names`` and extension directives, with valid
    arguments, random case and sometimes quoted delta-seconds; shrinks
    towards ``max-age=0``."""

    @st.composite
    def directive(draw: st.DrawFn) -> _DirectiveText:
        if draw(_one_in(5)):
            name = draw(_TOKENS.filter(lambda n: n.lower() not in _KNOWN_DIRECTIVES))
        else:
            name = draw(st.sampled_from(names))
        written_name = draw(_random_case(name))
        raw: str | None = None  # the argument as written, when quoted
        argument: str | None = None
        lowered = name.lower()
        if lowered in _DELTA_SECONDS_DIRECTIVES:
            if lowered != "max-stale" or draw(st.booleans()):
                argument = draw(_DELTA_SECONDS)
                if draw(_one_in(6)):
                    raw = argument  # max-age="60": accepted (CC-3)
        elif lowered in ("no-cache", "private"):
            if field_name_lists and draw(st.booleans()):
                argument = ", ".join(draw(st.lists(_FIELD_NAMES, min_size=1, max_size=3)))
                raw = argument
        elif lowered not in _KNOWN_DIRECTIVES:
            style = draw(st.sampled_from(("none", "token", "quoted")))
            if style == "token":
                argument = draw(_TOKENS)
            elif style == "quoted":
                pieces = draw(st.lists(_QUOTED_PIECES, max_size=8))
                raw = "".join(written for written, _ in pieces)
                argument = "".join(meant for _, meant in pieces)
        if argument is None:
            text = written_name
        elif raw is None:
            text = f"{written_name}={argument}"
        else:
            text = f'{written_name}="{raw}"'
        return _DirectiveText(text, lowered, argument)

    return directive()


def cache_control_values(*, response: bool = True) -> SearchStrategy[str]:
    """VALID Cache-Control field values (ABNF-CC-1), each one
    :func:`~etagspec.cache_control.parse_cache_control` accepts.

    One to six directives: those RFC 9111, RFC 8246 and RFC 5861 define for
    responses (``response=True``) or for requests (``response=False``), with
    arguments of the right form (delta-seconds, sometimes quoted, sometimes
    past 2^31; quoted field-name lists for ``no-cache`` and ``private``),
    and extension directives with no argument, a token or a quoted-string
    with quoted-pairs. Names have random case; commas have random OWS around
    them and now and then empty elements between them.

    Shrinks towards ``max-age=0``.
    """

    def definition() -> SearchStrategy[str]:
        _check_bool("response", response)
        names = _BOTH_DIRECTIONS + (_RESPONSE_ONLY if response else _REQUEST_ONLY)
        directives = _directives(names, field_name_lists=response)

        @st.composite
        def value(draw: st.DrawFn) -> str:
            texts = [d.text for d in draw(st.lists(directives, min_size=1, max_size=6))]
            elements: list[str] = []
            for text in texts:
                if draw(_one_in(8)):
                    elements.append("")
                elements.append(text)
            return draw(_join_list(elements))

        return value()

    return st.deferred(definition)


def cache_controls() -> SearchStrategy[CacheControl]:
    """:class:`~etagspec.cache_control.CacheControl` objects of zero to six
    directives, request and response ones and extensions, with valid
    arguments (what :func:`cache_control_values` writes, parsed).

    Shrinks towards the empty CacheControl, then ``max-age=0``.
    """

    def definition() -> SearchStrategy[CacheControl]:
        names = _BOTH_DIRECTIONS + _RESPONSE_ONLY + _REQUEST_ONLY
        directives = _directives(names, field_name_lists=True).map(
            lambda d: Directive(d.name, d.argument)
        )
        return st.lists(directives, max_size=6).map(CacheControl)

    return st.deferred(definition)


# ---- methods, resources, whole scenarios ---------------------------------------

_METHODS: Final = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
_SAFE_METHODS: Final = ("GET", "HEAD", "OPTIONS")


def methods(*, safe_only: bool = False) -> SearchStrategy[str]:
    """Request methods: GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS, or
    with ``safe_only`` just GET, HEAD and OPTIONS (SPEC §5.7).

    Shrinks towards ``"GET"``.
    """

    def definition() -> SearchStrategy[str]:
        _check_bool("safe_only", safe_only)
        return st.sampled_from(_SAFE_METHODS if safe_only else _METHODS)

    return st.deferred(definition)


# Last-Modified values: 1970 to Nov 2023, so never in the future (VAL-LM-4).
_LAST_MODIFIED: Final = st.integers(0, 1_700_000_000)


def resources() -> SearchStrategy[Resource]:
    """What an origin knows about the selected representation
    (:class:`~etagspec.preconditions.Resource`): it exists or is missing; its
    ETag is strong, weak or absent; Last-Modified (whole POSIX seconds,
    1970 to 2023, never in the future) is present or absent, and strong or
    not; byte ranges are supported or not.

    Shrinks towards an existing resource with no validators and no range
    support.
    """

    def definition() -> SearchStrategy[Resource]:
        return st.builds(
            Resource,
            exists=st.sampled_from((True, False)),
            etag=st.one_of(st.none(), entity_tags(weak=False), entity_tags(weak=True)),
            last_modified=st.one_of(st.none(), _LAST_MODIFIED),
            last_modified_is_strong=st.booleans(),
            supports_range=st.booleans(),
        )

    return st.deferred(definition)


def _maybe(values: SearchStrategy[str]) -> SearchStrategy[str | None]:
    """Absent (None) or a value; shrinks to absent."""
    return st.one_of(st.none(), values)


def conditions(*, resource: Resource | None = None) -> SearchStrategy[Conditions]:
    """Precondition fields (:class:`~etagspec.preconditions.Conditions`): any
    subset of If-Match, If-None-Match, If-Modified-Since,
    If-Unmodified-Since and If-Range, plus sometimes ``Range: bytes=0-0``.

    Each field present is mostly valid and close to ``resource`` (its ETag,
    its Last-Modified; see :func:`etag_list_values`, :func:`http_dates`,
    :func:`if_range_values`), and now and then malformed
    (:func:`malformed_etag_list_values`, :func:`invalid_http_dates`).
    Without ``resource``, values are not aimed at anything in particular.

    Shrinks towards no fields at all.
    """

    def definition() -> SearchStrategy[Conditions]:
        if resource is not None and not isinstance(resource, Resource):
            raise InvalidArgument(f"resource={resource!r} must be a Resource or None")
        etag = None if resource is None else resource.etag
        last_modified = None if resource is None else resource.last_modified
        tag_lists = _mostly(
            etag_list_values(current=etag), malformed_etag_list_values(current=etag), one_in=5
        )
        dates = _mostly(
            http_dates(around=last_modified), invalid_http_dates(around=last_modified), one_in=5
        )
        return st.builds(
            Conditions,
            if_match=_maybe(tag_lists),
            if_none_match=_maybe(tag_lists),
            if_modified_since=_maybe(dates),
            if_unmodified_since=_maybe(dates),
            if_range=_maybe(if_range_values(current=etag, last_modified=last_modified)),
            range=_maybe(st.just("bytes=0-0")),
        )

    return st.deferred(definition)


def precondition_scenarios() -> SearchStrategy[tuple[str, Conditions, Resource]]:
    """Whole precondition scenarios: ``(method, conditions, resource)``, with
    the conditions aimed at that resource (:func:`methods`,
    :func:`conditions`, :func:`resources`), ready for
    :func:`~etagspec.preconditions.evaluate`.

    Shrinks towards ``("GET", Conditions(), Resource())``.
    """

    @st.composite
    def scenario(draw: st.DrawFn) -> tuple[str, Conditions, Resource]:
        method = draw(methods())
        resource = draw(resources())
        return method, draw(conditions(resource=resource)), resource

    return st.deferred(lambda: scenario())
