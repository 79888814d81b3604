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

For speed, :func:`etag_list_values`, :func:`malformed_etag_list_values`,
:func:`http_dates`, :func:`invalid_http_dates` and :func:`if_range_values`
take ``compact=True``, and :func:`compact` builds whole values (a request,
say) from them: a compact value is ONE Hypothesis choice, a byte string the
same generators read their decisions from, several times cheaper to draw
than the thirty or more choices of a list of tags, and it shrinks towards
the same simplest value. The conformance harness draws its requests so.

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
import functools
import inspect
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, TypeVar, cast

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
    "choose",
    "compact",
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

# Internals are plain functions that take Hypothesis's ``draw`` and build a
# value; each public strategy is one composite around them. That keeps the
# strategies cheap to draw from when they nest (a scenario draws a resource,
# then fields aimed at it) without building new strategy objects per draw.

# ---- one byte string per value ------------------------------------------------
#
# Every decision drawn through Hypothesis costs it tens of microseconds, and
# an If-Match list with a few tags takes thirty or more decisions. The
# ``compact=True`` strategies (what the conformance harness uses) make ONE
# Hypothesis choice instead, a byte string, and run the same _draw_* code
# with a _Tape for ``draw``: each decision reads a byte or a few. Byte 0,
# and every byte past the end, is a decision's simplest option (the one
# Hypothesis would shrink to), so shrinking the bytes towards zeros and
# towards fewer bytes shrinks the value towards the same simplest value.

#: Bytes per compact value, by what it is: enough for nine in ten values
#: to make every decision from random bytes (the rest read zeros, so the
#: longest lists end sooner).
_LIST_TAPE: Final = 128
_DATE_TAPE: Final = 16
_INVALID_DATE_TAPE: Final = 32
_IF_RANGE_TAPE: Final = 64
#: The attribute holding how a public strategy's values are built from any
#: ``draw`` (see _strategy and _readable).
_TAPE_FUNCTION: Final = "_etagspec_build"
#: How each module-level strategy is read from a tape, by ``id``.
_TAPE_READERS: Final[dict[int, Callable[[_Tape], object]]] = {}


class _Tape:
    """Decisions read from a byte string, usable as ``draw`` by the _draw_*
    functions (for the strategies registered with :func:`_read_by`)."""

    __slots__ = ("_at", "_data")
    # Hypothesis's DrawFn protocol has one (for its documentation).
    __signature__: inspect.Signature = inspect.Signature()

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def __call__(self, strategy: SearchStrategy[T], label: object = None) -> T:
        reader = _TAPE_READERS.get(id(strategy)) or getattr(strategy, _TAPE_FUNCTION, None)
        if reader is None:
            raise TypeError(
                f"{strategy!r} cannot be drawn inside compact(): only strategies of "
                "etagspec.strategies that take compact= can"
            )
        return cast(T, reader(self))

    def byte(self) -> int:
        """The next byte, 0 past the end."""
        at = self._at
        self._at = at + 1
        return self._data[at] if at < len(self._data) else 0

    def below(self, n: int) -> int:
        """An int in ``[0, n)``; 0 for zero bytes."""
        if n <= 256:
            return self.byte() % n
        value = 0
        for _ in range((n.bit_length() + 7) // 8):
            value = value << 8 | self.byte()
        return value % n

    def integer(self, low: int, high: int) -> int:
        """An int in ``[low, high]``, zero bytes giving the one nearest 0
        (what Hypothesis shrinks towards), then alternately above and below."""
        target = min(max(0, low), high)
        offset = self.below(high - low + 1)
        up, down = high - target, target - low
        pairs = min(up, down)
        if offset <= 2 * pairs:
            return target + (offset + 1) // 2 if offset % 2 else target - offset // 2
        return target + (offset - pairs) if up > down else target - (offset - pairs)

    def boolean(self) -> bool:
        return self.byte() % 2 == 1

    def pick(self, options: Sequence[T]) -> T:
        return options[self.below(len(options))]

    def more(self, count: int, min_size: int, max_size: int | None) -> bool:
        """Whether a list of ``count`` elements gets another, with the mean
        length Hypothesis's lists have; a zero byte ends it."""
        if count < min_size:
            return True
        if max_size is not None and count >= max_size:
            return False
        average = max(min_size * 2, min_size + 5)
        if max_size is not None:
            average = min(average, (min_size + max_size) // 2 or 1)
        return self.byte() >= 256 // (average + 1)


def _read_by(strategy: SearchStrategy[T], reader: Callable[[_Tape], T]) -> SearchStrategy[T]:
    """``strategy``, registered so that a _Tape can draw from it with ``reader``."""
    _TAPE_READERS[id(strategy)] = reader
    return strategy


def _sampled(options: Sequence[T]) -> SearchStrategy[T]:
    """``st.sampled_from(options)``, readable from a tape."""
    options = tuple(options)
    return _read_by(st.sampled_from(options), lambda tape: tape.pick(options))


def _compact(function: Callable[[st.DrawFn], T], size: int) -> SearchStrategy[T]:
    """The strategy whose values ``function`` builds from one string of ``size`` bytes."""
    return st.binary(min_size=size, max_size=size).map(lambda data: function(_Tape(data)))


# Decisions made inside the _draw_* functions: the same Hypothesis
# strategies as ever for a Hypothesis ``draw``, bytes for a _Tape.


def _integer(draw: st.DrawFn, low: int, high: int) -> int:
    """An int in ``[low, high]``; shrinks towards 0 (or the end nearer it)."""
    if isinstance(draw, _Tape):
        return draw.integer(low, high)
    return draw(st.integers(low, high))


def _boolean(draw: st.DrawFn) -> bool:
    """True or False; shrinks to False."""
    if isinstance(draw, _Tape):
        return draw.boolean()
    return draw(st.booleans())


def _pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options``; shrinks to the first."""
    if isinstance(draw, _Tape):
        return draw.pick(options)
    return draw(st.sampled_from(options))


def _list_of(
    draw: st.DrawFn, element: SearchStrategy[T], *, min_size: int = 0, max_size: int
) -> list[T]:
    """A list of values of ``element``; shrinks towards fewer, simpler ones."""
    if isinstance(draw, _Tape):
        items: list[T] = []
        while draw.more(len(items), min_size, max_size):
            items.append(draw(element))
        return items
    return draw(st.lists(element, min_size=min_size, max_size=max_size))


def _list_drawn_by(
    draw: st.DrawFn, function: Callable[[st.DrawFn], T], *, min_size: int = 0, max_size: int
) -> list[T]:
    """A list of values that ``function(draw)`` builds."""
    if isinstance(draw, _Tape):
        items: list[T] = []
        while draw.more(len(items), min_size, max_size):
            items.append(function(draw))
        return items
    return draw(st.lists(_drawn_by(function), min_size=min_size, max_size=max_size))


def _nested(draw: st.DrawFn, function: Callable[[st.DrawFn], T]) -> T:
    """The value ``function(draw)`` builds, as one nested draw."""
    if isinstance(draw, _Tape):
        return function(draw)
    return draw(_drawn_by(function))


def _text_reader(alphabet: str, max_size: int) -> Callable[[_Tape], str]:
    """How a tape reads ``st.text(alphabet, max_size=...)``-like text."""

    def read(tape: _Tape) -> str:
        chars: list[str] = []
        while tape.more(len(chars), 0, max_size):
            chars.append(tape.pick(alphabet))
        return "".join(chars)

    return read


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
_ETAGC_GROUPS: Final = (_ALNUM, _INTERESTING_ETAGC, _OTHER_ASCII_ETAGC, _OBS_TEXT)
_ETAGC_CHARS: Final[SearchStrategy[str]] = _read_by(
    st.one_of(*(st.sampled_from(group) for group in _ETAGC_GROUPS)),
    lambda tape: tape.pick(tape.pick(_ETAGC_GROUPS)),
)

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_"
#       / "`" / "|" / "~" / DIGIT / ALPHA                          (ABNF-TOK-1)
_TCHARS: Final = _ALNUM + "!#$%&'*+-.^_`|~"
# OWS = *( SP / HTAB )                                              (ABNF-WS-1)
_OWS: Final = _read_by(st.text(alphabet=" \t", max_size=2), _text_reader(" \t", 2))
# Some SP / HTAB: never etagc, and not allowed between W/ and DQUOTE.
_WHITESPACE: Final = _sampled((" ", "\t", "  ", " \t"))
# What no server hands an application: a recipient rejects CR, LF and NUL in
# a field value or replaces them with SP (RFC 9110 §5.5), and no request can
# carry a character above U+00FF (WSGI strings are latin-1 decoded bytes).
# The harness never sends them, so every target kind can carry every probe.
_UNSENDABLE: Final = "\x00\r\n"
# Control characters other than HTAB that can reach an app: never OWS, never etagc.
_CTLS: Final = _sampled("\x01\x0b\x0c\x1b\x1f\x7f")
# Non-ASCII text as a WSGI server delivers it: UTF-8 bytes decoded as latin-1
# (here the UTF-8 of U+201C, U+20AC, U+2028, U+FEFF). obs-text, so etagc
# inside quotes, but never OWS, a comma or a DQUOTE outside them.
_UTF8_AS_LATIN_1: Final = _sampled(
    tuple(c.encode("utf-8").decode("latin-1") for c in "\u201c\u20ac\u2028\ufeff")
)
_LEFT_CURLY_QUOTE: Final = "\u201c".encode().decode("latin-1")
_RIGHT_CURLY_QUOTE: Final = "\u201d".encode().decode("latin-1")
_ARBITRARY_TEXT: Final = st.text(
    st.characters(max_codepoint=0xFF, exclude_characters=_UNSENDABLE), max_size=12
)
# The same, read from a tape: latin-1 text, shrinking towards "0" as Hypothesis's does.
_ARBITRARY_ALPHABET: Final = (
    _DIGITS
    + _UPPER
    + _LOWER
    + "".join(chr(c) for c in range(0x100) if chr(c) not in _ALNUM + _UNSENDABLE)
)
_read_arbitrary_text: Final = _text_reader(_ARBITRARY_ALPHABET, 12)

# entity-tag = [ weak ] opaque-tag ; weak = %s"W/" ; opaque-tag = DQUOTE *etagc DQUOTE
_ENTITY_TAG_RE: Final = re.compile('(?:W/)?"[\\x21\\x23-\\x7e\\x80-\\xff]*"')
# Every HTTP-date contains time-of-day = 2DIGIT ":" 2DIGIT ":" 2DIGIT.
_TIME_OF_DAY_RE: Final = re.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}")


# ---- argument checks ------------------------------------------------------------


def _check_bool(name: str, value: object) -> None:
    """InvalidArgument unless ``value`` is a bool."""
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")


def _check_int(
    name: str, value: object, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """``value`` if it is an int (not a bool) within the bounds, else InvalidArgument."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if min_value is not None and value < min_value:
        raise InvalidArgument(f"{name}={value!r} must be at least {min_value}")
    if max_value is not None and value > max_value:
        raise InvalidArgument(f"{name}={value!r} must be at most {max_value}")
    return value


def _check_optional_tag(name: str, value: object) -> None:
    """InvalidArgument unless ``value`` is an EntityTag or None."""
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


# ---- compact values: one Hypothesis choice each --------------------------------


def choose(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of ``options``, drawn with ``draw``: Hypothesis's (as in
    ``st.composite``) or the one :func:`compact` passes. Shrinks towards
    the first option.

    >>> from hypothesis import find, settings
    >>> methods = compact(lambda draw: choose(draw, ("GET", "HEAD")))
    >>> find(methods, lambda method: True, settings=settings(database=None))
    'GET'
    """
    if not options:
        raise InvalidArgument("choose() needs at least one option")
    return _pick(draw, options)


def compact(build: Callable[[st.DrawFn], T], *, size: int = 128) -> SearchStrategy[T]:
    """The values ``build(draw)`` makes, with every decision read from ONE
    Hypothesis choice: a string of ``size`` bytes.

    Each decision Hypothesis makes costs it tens of microseconds; an
    If-Match list takes thirty or more, a whole request more still. Inside
    ``build``, ``draw`` can draw from the strategies of this module that
    take ``compact=`` (made with or without it) and :func:`choose` from
    options; each decision reads a byte or a few. Byte 0, and every byte
    past the end (``size`` is how many decisions get random bytes), is a
    decision's simplest option, so a compact value shrinks towards what
    the same ``build`` shrinks towards under ``st.composite``.

    >>> from hypothesis import find, settings
    >>> from etagspec.etags import EntityTag
    >>> tags = etag_list_values(current=EntityTag("v1"), wildcard=False)
    >>> requests = compact(lambda draw: (choose(draw, ("GET", "HEAD")), draw(tags)))
    >>> find(requests, lambda request: request[0] == "HEAD", settings=settings(database=None))
    ('HEAD', '"v1"')
    """
    # Checked now rather than when first drawn from, unlike the options of
    # the other strategies: a deferred() around it would cost every draw.
    _check_int("size", size, min_value=1)
    return _compact(build, size)


# ---- small helpers --------------------------------------------------------------


@st.composite
def _drawn_by(draw: st.DrawFn, function: Callable[[st.DrawFn], T]) -> T:
    """The strategy whose values ``function(draw)`` builds."""
    return function(draw)


def _strategy(
    function: Callable[[st.DrawFn], T], compact: object, tape_size: int
) -> SearchStrategy[T]:
    """The strategy whose values ``function(draw)`` builds: drawing each
    decision through Hypothesis, or (``compact``) from ``tape_size`` bytes."""
    _check_bool("compact", compact)
    strategy = _compact(function, tape_size) if compact else _drawn_by(function)
    setattr(strategy, _TAPE_FUNCTION, function)
    return strategy


def _readable(definition: Callable[[], SearchStrategy[T]]) -> SearchStrategy[T]:
    """``st.deferred(definition)`` for a definition that returns a
    :func:`_strategy`, which compact() builders can then draw from too."""
    built: list[Callable[[st.DrawFn], T]] = []

    def build(draw: st.DrawFn) -> T:
        if not built:
            built.append(getattr(definition(), _TAPE_FUNCTION))
        return built[0](draw)

    strategy = st.deferred(definition)
    setattr(strategy, _TAPE_FUNCTION, build)
    return strategy


@functools.cache
def _one_in(n: int) -> SearchStrategy[bool]:
    """True about once in ``n`` draws; shrinks to False."""
    return _read_by(
        st.sampled_from((False,) * (n - 1) + (True,)), lambda tape: tape.below(n) == n - 1
    )


def _draw_mostly(
    draw: st.DrawFn, common: SearchStrategy[T], rare: SearchStrategy[T], one_in: int
) -> T:
    """``rare`` about once in ``one_in`` draws, else ``common``; shrinks to ``common``."""
    return draw(rare if draw(_one_in(one_in)) else common)


def _strings(
    chars: SearchStrategy[str], *, min_size: int = 0, max_size: int | None = None
) -> SearchStrategy[str]:
    """Strings of ``chars`` that shrink like ``chars`` does. (``st.text()``
    would turn a sampled_from() alphabet into its own character strategy,
    which shrinks towards "0" rather than towards the first character.)"""
    return st.lists(chars, min_size=min_size, max_size=max_size).map("".join)


def _draw_index(draw: st.DrawFn, size: int) -> int:
    """An index into a sequence of ``size`` items; shrinks to 0."""
    return _integer(draw, 0, size - 1)


def _outside_quotes(text: str) -> list[int]:
    """Insertion points of ``text`` not inside a quoted opaque-tag."""
    positions, quotes = [], 0
    for index in range(len(text) + 1):
        if quotes % 2 == 0:
            positions.append(index)
        if index < len(text) and text[index] == '"':
            quotes += 1
    return positions


def _draw_joined(draw: st.DrawFn, elements: Sequence[str]) -> str:
    """Elements joined by ``OWS "," OWS`` with random OWS, then trimmed."""
    if not elements:
        return ""
    parts = [elements[0]]
    for element in elements[1:]:
        parts.append(draw(_OWS) + "," + draw(_OWS) + element)
    return "".join(parts).strip(" \t")


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
    ``"a"``, ``"aa"``, ...).
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
_SPECIAL_OPAQUES: Final = _sampled(("", "*", "W/", "a,b", "a\\", ",", "\\", "\x80\xff"))
_OPAQUES: Final = _read_by(
    _strings(_ETAGC_CHARS, max_size=20),
    lambda tape: "".join(_list_of(tape, _ETAGC_CHARS, max_size=20)),
)


def _draw_default_opaque(draw: st.DrawFn) -> str:
    return _draw_mostly(draw, _OPAQUES, _SPECIAL_OPAQUES, 6)


_DEFAULT_OPAQUES: Final = _read_by(_drawn_by(_draw_default_opaque), _draw_default_opaque)
_ENTITY_TAGS: Final = _read_by(
    st.builds(EntityTag, _DEFAULT_OPAQUES, st.booleans()),
    lambda tape: EntityTag(_draw_default_opaque(tape), tape.boolean()),
)


def _tag_from(opaque: object, weak: bool) -> EntityTag:
    """An EntityTag from a user strategy's opaque value, or InvalidArgument."""
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
    a strategy for the opaque value (default: :func:`opaque_tags`, with
    ``""``, ``"*"``, ``"a,b"``, ``"a\\\\"``, ``"W/"``... mixed in). If the
    ``opaque`` strategy draws something that cannot be an opaque-tag, the
    draw raises InvalidArgument.

    Shrinks towards the strong tag ``""`` (or towards the smallest value of
    ``opaque``).
    """

    def definition() -> SearchStrategy[EntityTag]:
        if weak is not None and not isinstance(weak, bool):
            raise InvalidArgument(f"weak={weak!r} must be True, False or None")
        if opaque is not None and not isinstance(opaque, SearchStrategy):
            raise InvalidArgument(f"opaque={opaque!r} must be a strategy or None")
        if weak is None and opaque is None:
            return _ENTITY_TAGS
        opaques = _DEFAULT_OPAQUES if opaque is None else opaque
        flags = st.booleans() if weak is None else st.just(weak)
        return st.builds(_tag_from, opaques, flags)

    return st.deferred(definition)


def _draw_one_char_edit(draw: st.DrawFn, opaque: str) -> str:
    """An opaque value one insertion, deletion or substitution away from
    ``opaque`` (so never equal to it); shrinks to "a" inserted at the start."""
    kind = _pick(draw, ("insert", "replace", "delete")) if opaque else "insert"
    if kind == "insert":
        at = _integer(draw, 0, len(opaque))
        return opaque[:at] + draw(_ETAGC_CHARS) + opaque[at:]
    at = _draw_index(draw, len(opaque))
    if kind == "delete":
        return opaque[:at] + opaque[at + 1 :]
    new = draw(_ETAGC_CHARS)
    if new == opaque[at]:
        new = "b" if new == "a" else "a"
    return opaque[:at] + new + opaque[at + 1 :]


_NEAR_TAG_KINDS: Final = _sampled(("same", "flipped", "one-off", "any"))


def _draw_tag_near(draw: st.DrawFn, current: EntityTag | None) -> EntityTag:
    """``current`` itself, with its weak flag flipped, one character off, or
    any tag; shrinks towards ``current``. Without ``current``: any tag."""
    if current is None:
        return draw(_ENTITY_TAGS)
    kind = draw(_NEAR_TAG_KINDS)
    if kind == "same":
        return current
    if kind == "flipped":
        return EntityTag(current.opaque, not current.weak)
    if kind == "one-off":
        opaque = _draw_one_char_edit(draw, current.opaque)
        return EntityTag(opaque, current.weak != _boolean(draw))
    return draw(_ENTITY_TAGS)


# ---- legacy and malformed entity tags -------------------------------------------

# RFC 2616 quoted-string pieces that RFC 9110 reads differently. Every
# escaped DQUOTE is followed by a letter, so what follows the place where
# RFC 9110 ends the tag is never a comma or OWS (the text stays invalid even
# as a list).
_LEGACY_PLAIN: Final = _ALNUM + "-._~+/=:,*!#"
_LEGACY_ESCAPES: Final = ("\\\\", "\\a", "\\ ", "\\\t", "\\/")


def _read_legacy_piece(tape: _Tape) -> str:
    group = tape.below(4)
    if group == 0:
        return tape.pick(_LEGACY_PLAIN)
    if group == 1:
        return tape(_WHITESPACE)
    if group == 2:
        return '\\"' + tape.pick(_LOWER)
    return tape.pick(_LEGACY_ESCAPES)


_LEGACY_PIECES: Final = _read_by(
    st.one_of(
        st.sampled_from(_LEGACY_PLAIN),
        _WHITESPACE,
        st.sampled_from(_LOWER).map(lambda c: '\\"' + c),
        st.sampled_from(_LEGACY_ESCAPES),
    ),
    _read_legacy_piece,
)
_LEGACY_PREFIXES: Final = _sampled(("", "W/", "w/", "W/ ", "w/ ", "W/\t"))
_LEGACY_FEATURES: Final = _sampled(("escaped-dquote", "space", "htab", "lower-w", "space-after-w"))


def _draw_legacy(draw: st.DrawFn) -> str:
    """One RFC 2616-only entity tag (see legacy_entity_tag_texts)."""
    # Every path makes the same draws, so that shrinking prefers the first
    # feature rather than whichever needs the fewest choices.
    pieces = _list_of(draw, _LEGACY_PIECES, max_size=6)
    prefix = draw(_LEGACY_PREFIXES)
    at = _integer(draw, 0, len(pieces))
    letter = _pick(draw, _LOWER)
    whitespace = draw(_WHITESPACE)
    feature = draw(_LEGACY_FEATURES)
    if feature == "lower-w":
        prefix = "w/"
    elif feature == "space-after-w":
        prefix = "W/" + whitespace
    else:
        required = {"escaped-dquote": '\\"' + letter, "space": " ", "htab": "\t"}[feature]
        pieces.insert(at, required)
    content = "".join(pieces)
    return f'{prefix}"{content}"'


_LEGACY_TEXTS: Final = _read_by(_drawn_by(_draw_legacy), _draw_legacy)


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
    return _LEGACY_TEXTS


# Junk that cannot be OWS, a comma or part of a tag: no DQUOTE, and it starts
# (trailing junk) or ends (leading junk) with a character that is neither SP,
# HTAB nor ",".
_JUNK_STARTS: Final = "x;=*W/<[\x80\xe9'"
_JUNK_CHARS: Final = "x;=*W/,. \t\xe9q1"
_read_junk_rest: Final = _text_reader(_JUNK_CHARS, 4)
_TRAILING_JUNK: Final = _read_by(
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_JUNK_STARTS),
        st.text(alphabet=_JUNK_CHARS, max_size=4),
    ),
    lambda tape: tape.pick(_JUNK_STARTS) + _read_junk_rest(tape),
)
# Leading junk never ends in "W/", which would make a valid weak tag.
_LEADING_JUNK: Final = _sampled(("x", ";", "=", "W", "w/", "/", "<", "\x80", "\xe9", "*"))


def _read_any_junk(tape: _Tape) -> str:
    junk = tape(_LEADING_JUNK) if tape.boolean() else tape(_TRAILING_JUNK)
    return junk + "x" if junk.endswith("W/") else junk


_ANY_JUNK: Final = _read_by(
    st.one_of(_TRAILING_JUNK, _LEADING_JUNK).filter(lambda j: not j.endswith("W/")),
    _read_any_junk,
)

_LIST_NEAR_MISS_KINDS: Final = (
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
)
# Also invalid as one entity-tag, but a valid list (or an empty one).
_NEAR_MISS_KINDS: Final = (
    *_LIST_NEAR_MISS_KINDS,
    "empty",
    "whitespace",
    "two-tags",
    "trailing-comma",
    "leading-comma",
)
_LIST_NEAR_MISS_KIND: Final = _sampled(_LIST_NEAR_MISS_KINDS)
_NEAR_MISS_KIND: Final = _sampled(_NEAR_MISS_KINDS)


def _draw_near_miss(draw: st.DrawFn, tag: EntityTag, *, in_list: bool) -> str:
    """A text a character or two away from ``tag`` that is not an entity-tag.

    With ``in_list``, it also stays invalid inside an If-Match list whose
    other members are valid tags: it has an odd number of DQUOTEs, or a
    character outside its quotes that is neither OWS nor a comma, or an
    invalid character inside its quotes.
    """
    opaque, weak = tag.opaque, "W/" if tag.weak else ""
    kind = draw(_LIST_NEAR_MISS_KIND if in_list else _NEAR_MISS_KIND)
    at = _integer(draw, 0, len(opaque))
    before, after = opaque[:at], opaque[at:]
    if kind == "unquoted":
        bare = weak + opaque
        core = bare.strip(", \t")
        if in_list and (core in ("", "*") or core.isspace()):
            # Alone, "" or "," would be empty elements, "*" the wildcard, and
            # "\xa0" blank to anything that strips Python whitespace.
            bare += "x"
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
        return f'{weak}"{before}{draw(_CTLS)}{after}"'
    if kind == "curly-quotes":
        return f"{weak}{_LEFT_CURLY_QUOTE}{opaque}{_RIGHT_CURLY_QUOTE}"
    if kind == "empty":
        return ""
    if kind == "whitespace":
        return draw(_WHITESPACE)
    if kind == "two-tags":
        return f"{tag}{_pick(draw, (', ', ',', ' ', ''))}{tag}"
    if kind == "trailing-comma":
        return f"{tag},"
    assert kind == "leading-comma"
    return f",{tag}"


def _not_an_entity_tag(text: str) -> bool:
    """Whether ``text``, trimmed, is not an RFC 9110 entity-tag."""
    return _ENTITY_TAG_RE.fullmatch(text.strip(" \t")) is None


def _read_other_malformed_tag(tape: _Tape) -> str:
    if not tape.boolean():
        return _draw_legacy(tape)
    text = _read_arbitrary_text(tape)
    return text if _not_an_entity_tag(text) else "x" + text


_OTHER_MALFORMED_TAGS: Final = _read_by(
    st.one_of(_LEGACY_TEXTS, _ARBITRARY_TEXT.filter(_not_an_entity_tag)),
    _read_other_malformed_tag,
)


def _draw_malformed_tag(draw: st.DrawFn, around: EntityTag | None) -> str:
    """One text that is not an entity-tag (see malformed_entity_tag_texts)."""
    if draw(_one_in(5)):
        return draw(_OTHER_MALFORMED_TAGS)
    tag = draw(_ENTITY_TAGS) if around is None else around
    return _draw_near_miss(draw, tag, in_list=False)


def malformed_entity_tag_texts(*, around: EntityTag | None = None) -> SearchStrategy[str]:
    """Texts that are NOT valid RFC 9110 entity-tags.

    Four in five are near misses of ``around`` (or, without it, of a drawn
    tag): the opaque without quotes, ``w/"…"``, ``W/ "…"``, SP/HTAB or a
    control character inside the quotes, a missing or an extra DQUOTE,
    single or curly quotes (UTF-8 bytes, as WSGI delivers them), junk before or
    after, ``W/W/``, two tags, a tag with a comma before or after, empty or
    blank text. The rest are RFC 2616-only forms
    (:func:`legacy_entity_tag_texts`) and arbitrary latin-1 text that
    happens not to be a tag.

    Shrinks towards the opaque of ``around`` without quotes (``""`` without
    ``around``).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("around", around)
        return _drawn_by(lambda draw: _draw_malformed_tag(draw, around))

    return st.deferred(definition)


# ---- If-Match / If-None-Match lists ---------------------------------------------


def _draw_list_elements(
    draw: st.DrawFn,
    current: EntityTag | None,
    *,
    min_members: int,
    max_members: int,
    empty: bool,
) -> list[str]:
    """At least one member as text (none when ``max_members`` is 0), with
    empty elements ("") mixed in when ``empty``; shrinks towards one member."""
    members: list[EntityTag] = []
    if max_members > 0:
        members = _list_drawn_by(
            draw,
            lambda d: _draw_tag_near(d, current),
            min_size=max(1, min_members),
            max_size=max_members,
        )
    texts = [str(tag) for tag in members]
    if not empty:
        return texts
    result: list[str] = []
    # Now and then 1-3 empty elements in each of the len + 1 gaps: at most
    # about 20 in all (AMB-LIST-2: stay far below the parser's cap).
    for text in [*texts, None]:
        if draw(_one_in(4)):
            result.extend([""] * _integer(draw, 1, 3))
        if text is not None:
            result.append(text)
    return result


def _draw_etag_list(
    draw: st.DrawFn,
    current: EntityTag | None,
    *,
    min_members: int = 0,
    max_members: int = 6,
    wildcard: bool = True,
    empty: bool = True,
) -> str:
    """One valid If-Match value (see etag_list_values)."""
    elements = _draw_list_elements(
        draw, current, min_members=min_members, max_members=max_members, empty=empty
    )
    value = _draw_joined(draw, elements)
    # Decided last, so that neither the empty list nor "*" (which would
    # otherwise take fewer choices) shrinks better than one member.
    if min_members == 0 and max_members > 0 and draw(_one_in(6)):
        value = ",".join(element for element in elements if not element)
    if wildcard and draw(_one_in(8)):
        return "*"
    return value


def etag_list_values(
    *,
    current: EntityTag | None = None,
    min_members: int = 0,
    max_members: int = 6,
    wildcard: bool = True,
    empty_elements: bool = True,
    compact: bool = False,
) -> SearchStrategy[str]:
    """VALID If-Match / If-None-Match field values (ABNF-IM-3, the recipient
    form): ``*`` (one in eight, when ``wildcard``), or between
    ``min_members`` and ``max_members`` entity tags joined by ``OWS "," OWS``
    with random SP/HTAB, plus empty elements when ``empty_elements``.

    Members are ``current`` exactly, ``current`` with ``W/`` added or
    removed, tags whose opaque is one character away from ``current``'s, or
    any :func:`entity_tags`; members may repeat. Without ``current`` all are
    arbitrary tags. Values are trimmed, as a server presents them (no SP or
    HTAB at either end); a value with no members is ``""`` or commas.

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards a single member, ``current`` itself (the tag ``""``
    without ``current``).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        _check_int("min_members", min_members, min_value=0)
        _check_int("max_members", max_members, min_value=min_members)
        _check_bool("wildcard", wildcard)
        _check_bool("empty_elements", empty_elements)
        return _strategy(
            lambda draw: _draw_etag_list(
                draw,
                current,
                min_members=min_members,
                max_members=max_members,
                wildcard=wildcard,
                empty=empty_elements,
            ),
            compact,
            _LIST_TAPE,
        )

    return _readable(definition)


_MALFORMED_LIST_KINDS: Final = _sampled(
    (
        "bad-member",
        "wildcard-in-list",
        "missing-comma",
        "junk-outside-quotes",
        "control-character",
        "utf-8-outside-quotes",
    )
)


def _draw_malformed_list(draw: st.DrawFn, current: EntityTag | None) -> str:
    """One invalid If-Match value (see malformed_etag_list_values)."""
    target = draw(_ENTITY_TAGS) if current is None else current
    kind = draw(_MALFORMED_LIST_KINDS)
    if kind in ("bad-member", "wildcard-in-list", "missing-comma"):

        def member(d: st.DrawFn) -> str:
            return str(_draw_tag_near(d, current))

        elements = _list_drawn_by(draw, member, max_size=3)
        if kind == "bad-member":
            bad = _draw_near_miss(draw, target, in_list=True)
            elements.insert(_integer(draw, 0, len(elements)), bad)
        elif kind == "wildcard-in-list":
            for _ in range(_integer(draw, 1, 2)):
                elements.insert(_integer(draw, 0, len(elements)), "*")
            if len(elements) == 1:
                elements.insert(_integer(draw, 0, 1), "")  # "*," or ",*"
        else:
            glued = _nested(draw, member) + draw(_OWS) + _nested(draw, member)
            elements.insert(_integer(draw, 0, len(elements)), glued)
        return _draw_joined(draw, elements)
    base = _draw_etag_list(draw, current, min_members=1)
    if kind == "junk-outside-quotes":
        positions = _outside_quotes(base)
        at = positions[_draw_index(draw, len(positions))]
        return base[:at] + draw(_ANY_JUNK) + base[at:]
    if kind == "control-character":
        at = _integer(draw, 0, len(base))
        return base[:at] + draw(_CTLS) + base[at:]
    positions = _outside_quotes(base)
    at = positions[_draw_index(draw, len(positions))]
    return base[:at] + draw(_UTF8_AS_LATIN_1) + base[at:]


def malformed_etag_list_values(
    *, current: EntityTag | None = None, compact: bool = False
) -> SearchStrategy[str]:
    """INVALID If-Match / If-None-Match field values: each makes
    :func:`~etagspec.etags.parse_entity_tag_list` raise, and none is blank.

    Kinds: a malformed member among valid ones (near misses of ``current``
    such as ``w/"…"``, ``W/ "…"``, ``"a b"``, a missing quote, the opaque
    without quotes); ``*`` inside a list (``"a", *``, ``*, *``, ``*,``);
    members with no comma between them (``"a" "b"``); junk (obs-text too)
    outside the quotes, at either end or between members; a control
    character anywhere; UTF-8 text (decoded as latin-1) outside the quotes.
    Never CR, LF, NUL or a character above U+00FF: no server hands those to
    an application, so no target could receive them.

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards the opaque of ``current`` without quotes (``x`` without
    ``current``).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        return _strategy(lambda draw: _draw_malformed_list(draw, current), compact, _LIST_TAPE)

    return _readable(definition)


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
_UTC: Final = datetime.UTC
_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
# An rfc850-date's two-digit year is read relative to the recipient's clock
# (DATE-7): within 50 years of it. Keeping within 49 (365-day) years leaves a
# margin of more than a year for AMB-DATE-7 and for the clock moving on
# between drawing a date and parsing it.
_RFC850_WINDOW: Final = 49 * 365 * 86_400


def _year_start(year: int) -> int:
    """POSIX seconds of ``year``-01-01T00:00:00Z."""
    return int((datetime.datetime(year, 1, 1, tzinfo=_UTC) - _EPOCH).total_seconds())


def _year_end(year: int) -> int:
    """POSIX seconds of ``year``-12-31T23:59:59Z."""
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
        """The fields of ``timestamp`` (POSIX seconds), in UTC."""
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
        """``hh:mm:ss``."""
        return f"{self.hour:02d}:{self.minute:02d}:{self.second:02d}"


def _format(timestamp: int, form: str) -> str:
    """One instant as an IMF-fixdate, rfc850-date or asctime-date."""
    if form == "imf":
        return format_http_date(timestamp)
    p = _Parts.of(timestamp)
    month = _MONTH_NAMES[p.month - 1]
    if form == "rfc850":
        # rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT
        day_name = _LONG_DAY_NAMES[p.weekday]
        return f"{day_name}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
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
    now: int  # the clock an rfc850-date's year is judged by

    def rfc850_reads_back(self, timestamp: int) -> bool:
        """Whether a recipient whose clock says about ``now`` reads the
        two-digit year back as the right one: within the window, and not in
        a later century than ``now`` (which a century-of-now reading misses)."""
        if abs(timestamp - self.now) > _RFC850_WINDOW:
            return False
        return _Parts.of(timestamp).year // 100 <= _Parts.of(self.now).year // 100

    def forms_for(self, timestamp: int) -> tuple[str, ...]:
        """The formats that may write ``timestamp``, in the order given."""
        return tuple(f for f in self.formats if f != "rfc850" or self.rfc850_reads_back(timestamp))


def _date_plan(
    *,
    around: int | None,
    within: int,
    formats: Sequence[str],
    min_year: int,
    max_year: int,
    now: int,
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
        raise InvalidArgument(f"formats={formats!r} must name at least one format")
    if any(form not in _FORMATS for form in formats):
        raise InvalidArgument(
            f"formats={formats!r} may only contain " + ", ".join(repr(f) for f in _FORMATS)
        )
    first_year = _check_int("min_year", min_year, min_value=1, max_value=9999)
    _check_int("max_year", max_year, min_value=first_year, max_value=9999)
    plan = _DatePlan(
        around,
        within,
        tuple(dict.fromkeys(formats)),
        _year_start(min_year),
        _year_end(max_year),
        now,
    )
    if plan.formats != ("rfc850",):
        return plan
    # Only rfc850: every instant drawn must read back correctly.
    end_of_century = _year_end(_Parts.of(now).year // 100 * 100 + 99)
    low = max(plan.low, now - _RFC850_WINDOW)
    high = min(plan.high, now + _RFC850_WINDOW, end_of_century)
    if low > high:
        raise InvalidArgument(
            f"formats=('rfc850',) with min_year={min_year!r}, max_year={max_year!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    if around is not None and not (
        plan.rfc850_reads_back(around - within) and plan.rfc850_reads_back(around + within)
    ):
        raise InvalidArgument(
            f"formats=('rfc850',) with around={around!r}, within={within!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    return _DatePlan(around, within, plan.formats, low, high, now)


def _default_date_plan(around: int | None, now: int) -> _DatePlan:
    """Dates within 3 s of ``around`` (or in 1970-2100), in every format."""
    return _date_plan(
        around=around, within=3, formats=_FORMATS, min_year=1970, max_year=2100, now=now
    )


def _draw_dated(draw: st.DrawFn, plan: _DatePlan) -> tuple[int, str]:
    """An instant and a valid HTTP-date for it, drawn according to ``plan``."""
    far = draw(_one_in(10))  # drawn even without ``around``: see _draw_if_range
    if plan.around is not None and not far:
        timestamp = plan.around + _integer(draw, -plan.within, plan.within)
    else:
        timestamp = plan.low + _integer(draw, 0, plan.high - plan.low)
    forms = plan.forms_for(timestamp)
    return timestamp, _format(timestamp, forms[_draw_index(draw, len(forms))])


def dated_http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
) -> SearchStrategy[tuple[int, str]]:
    """``(timestamp, text)`` pairs: a VALID HTTP-date and the POSIX second it
    denotes, so a test knows the instant. The options are those of
    :func:`http_dates`.

    Shrinks towards ``(around, IMF-fixdate of around)``, or without
    ``around`` towards the first second of ``min_year``.
    """

    def definition() -> SearchStrategy[tuple[int, str]]:
        plan = _date_plan(
            around=around,
            within=within,
            formats=formats,
            min_year=min_year,
            max_year=max_year,
            now=int(time.time()),
        )
        return _drawn_by(lambda draw: _draw_dated(draw, plan))

    return st.deferred(definition)


def http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
    compact: bool = False,
) -> SearchStrategy[str]:
    """VALID HTTP-dates (RFC 9110 §5.6.7), each one
    :func:`~etagspec.dates.http_date_to_timestamp` accepts.

    With ``around`` (POSIX seconds), nine draws in ten are the instant
    ``around + k`` for ``k`` in ``[-within, within]`` (the LM-1 / LM / LM+1
    boundaries of SPEC §5.7); the rest, and every draw without ``around``,
    fall anywhere in the years ``min_year`` to ``max_year``. Each is written
    in a format drawn from ``formats`` (``"imf"``, ``"rfc850"``,
    ``"asctime"``). An rfc850-date is only used where its two-digit year
    reads back as the right year on today's clock (within 49 years of now);
    elsewhere another of ``formats`` is used, and if ``"rfc850"`` is the only
    format, instants are kept inside that window (InvalidArgument if they
    cannot be). Leap seconds (``23:59:60``) are not generated.

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards ``around`` itself written in ``formats[0]`` (an
    IMF-fixdate by default), or without ``around`` towards the first second
    of ``min_year``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _date_plan(
            around=around,
            within=within,
            formats=formats,
            min_year=min_year,
            max_year=max_year,
            now=int(time.time()),
        )
        return _strategy(lambda draw: _draw_dated(draw, plan)[1], compact, _DATE_TAPE)

    return _readable(definition)


_INVALID_DATE_KINDS: Final = _sampled(
    (
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
)
_ZONES: Final = _sampled(("UTC", "+0000", "-0000", "Z", "GMT+0", "gmt", "UT", "EST"))
_IMPOSSIBLE_DAYS: Final = (0, 32, 99)
# (field, first impossible value); :60 is a valid leap second.
_IMPOSSIBLE_RANGES: Final = (("hour", 24), ("minute", 60), ("second", 61))


def _read_impossible_field(tape: _Tape) -> tuple[str, int]:
    kind = tape.below(5)
    if kind == 0:
        return "day", tape.pick(_IMPOSSIBLE_DAYS)
    if kind == 4:
        return "year", 0
    field, low = _IMPOSSIBLE_RANGES[kind - 1]
    return field, tape.integer(low, 99)


_IMPOSSIBLE_FIELDS: Final = _read_by(
    st.one_of(
        st.tuples(st.just("day"), st.sampled_from(_IMPOSSIBLE_DAYS)),
        *(st.tuples(st.just(field), st.integers(low, 99)) for field, low in _IMPOSSIBLE_RANGES),
        st.tuples(st.just("year"), st.just(0)),
    ),
    _read_impossible_field,
)
_DATE_JUNK: Final = _sampled(("x", ";", ",", '"', "\x7f", "\x0b", "\xa0", "GMT"))


def _read_not_a_date(tape: _Tape) -> str:
    text = _read_arbitrary_text(tape)
    return text.replace(":", "") if _TIME_OF_DAY_RE.search(text) else text


_NOT_DATES: Final = _read_by(
    _ARBITRARY_TEXT.filter(lambda t: _TIME_OF_DAY_RE.search(t) is None), _read_not_a_date
)


def _draw_invalid_date(draw: st.DrawFn, plan: _DatePlan) -> str:
    """A text one mistake away from a valid HTTP-date (see invalid_http_dates)."""
    kind = draw(_INVALID_DATE_KINDS)
    timestamp, text = _draw_dated(draw, plan)
    p = _Parts.of(timestamp)
    day_name, long_day_name = _DAY_NAMES[p.weekday], _LONG_DAY_NAMES[p.weekday]
    month = _MONTH_NAMES[p.month - 1]
    if kind == "lower-case":
        return text.lower()
    if kind == "upper-case":
        return text.upper()
    if kind == "other-zone":
        zone = draw(_ZONES)
        return text[: -len("GMT")] + zone if text.endswith(" GMT") else f"{text} {zone}"
    if kind == "single-digit-day":
        return f"{day_name}, {p.day % 10} {month} {p.year:04d} {p.time} GMT"
    if kind in ("double-space", "htab"):
        spaces = [i for i, c in enumerate(text) if c == " "]
        at = spaces[_draw_index(draw, len(spaces))]
        if kind == "htab":
            return text[:at] + "\t" + text[at + 1 :]
        return text[:at] + " " + text[at:]
    if kind == "wrong-weekday":
        wrong = (p.weekday + _integer(draw, 1, 6)) % 7
        if text.startswith(long_day_name):
            return _LONG_DAY_NAMES[wrong] + text[len(long_day_name) :]
        return _DAY_NAMES[wrong] + text[len(day_name) :]
    if kind == "missing-seconds":
        return text.replace(p.time, p.time[:5])
    if kind == "two-digit-year":
        return f"{day_name}, {p.day:02d} {month} {p.year % 100:02d} {p.time} GMT"
    if kind == "four-digit-year-rfc850":
        return f"{long_day_name}, {p.day:02d}-{month}-{p.year:04d} {p.time} GMT"
    if kind == "list-of-dates":
        _, other = _draw_dated(draw, plan)
        return text + _pick(draw, (", ", ",", " , ")) + other
    if kind == "number":
        return _pick(draw, ("0", "-1", str(timestamp), "1e9", "0x10"))
    if kind == "empty":
        return _pick(draw, ("", " ", "\t"))
    if kind == "iso-8601":
        iso = f"{p.year:04d}-{p.month:02d}-{p.day:02d}T{p.time}"
        return iso + _pick(draw, ("Z", "+00:00", ""))
    if kind == "impossible-field":
        field, value = draw(_IMPOSSIBLE_FIELDS)
        fields = {
            "day": p.day,
            "year": p.year,
            "hour": p.hour,
            "minute": p.minute,
            "second": p.second,
        }
        fields[field] = value
        return (
            f"{day_name}, {fields['day']:02d} {month} {fields['year']:04d} "
            f"{fields['hour']:02d}:{fields['minute']:02d}:{fields['second']:02d} GMT"
        )
    if kind == "missing-comma":
        return f"{day_name} {p.day:02d} {month} {p.year:04d} {p.time} GMT"
    if kind == "wrong-day-name-length":
        if _boolean(draw):
            return f"{day_name}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
        return f"{long_day_name}, {p.day:02d} {month} {p.year:04d} {p.time} GMT"
    if kind == "unpadded-asctime-day":
        return f"{day_name} {month} {p.day % 10} {p.time} {p.year:04d}"
    if kind == "junk-around":
        junk = draw(_DATE_JUNK)
        return junk + text if _boolean(draw) else text + junk
    assert kind == "junk"
    return draw(_NOT_DATES)


def invalid_http_dates(*, around: int | None = None, compact: bool = False) -> SearchStrategy[str]:
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

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards the lower-cased IMF-fixdate of ``around``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _default_date_plan(around, int(time.time()))
        return _strategy(lambda draw: _draw_invalid_date(draw, plan), compact, _INVALID_DATE_TAPE)

    return _readable(definition)


_IF_RANGE_KINDS: Final = _sampled(("tag", "date", "malformed", "tag", "date"))


def _draw_if_range(draw: st.DrawFn, current: EntityTag | None, plan: _DatePlan) -> str:
    """One If-Range value (see if_range_values)."""
    # A tag and a date take about as many choices to draw, so this shrinks
    # towards the first kind, a tag.
    kind = draw(_IF_RANGE_KINDS)
    if kind == "tag":
        return str(_draw_tag_near(draw, current))
    if kind == "date":
        return _draw_dated(draw, plan)[1]
    if _boolean(draw):
        return _draw_invalid_date(draw, plan)
    return _draw_malformed_tag(draw, current)


def if_range_values(
    *, current: EntityTag | None = None, last_modified: int | None = None, compact: bool = False
) -> SearchStrategy[str]:
    """If-Range field values (ABNF-IR-1) for a resource whose ETag is
    ``current`` and whose Last-Modified is ``last_modified`` (POSIX seconds).

    Two in five are entity tags: ``current`` as is, with ``W/`` added or
    removed, one character off, or arbitrary. Two in five are valid
    HTTP-dates, nine in ten of them within 3 seconds of ``last_modified``,
    in all three formats (anywhere in 1970-2100 without it). The rest are
    malformed: near misses of ``current``
    (:func:`malformed_entity_tag_texts`) or invalid dates
    (:func:`invalid_http_dates`), which If-Range treats as false (AMB-IR-1).

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards ``current`` as it is (the strong tag ``""`` without it).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        if last_modified is not None:
            _check_timestamp("last_modified", last_modified, margin=3)
        plan = _default_date_plan(last_modified, int(time.time()))
        return _strategy(lambda draw: _draw_if_range(draw, current, plan), compact, _IF_RANGE_TAPE)

    return _readable(definition)


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
_QUOTED_PIECES: Final = st.one_of(
    st.sampled_from(_ALNUM + " \t!#$%&'()*+,-./:;<=>?@[]^_`{|}~\x80\xe9\xff").map(lambda c: (c, c)),
    st.sampled_from('"\\a \t\xe9').map(lambda c: ("\\" + c, c)),
)

_BOTH_DIRECTIONS: Final = ("no-store", "no-cache", "max-age", "no-transform", "stale-if-error")
_RESPONSE_ONLY: Final = (
    "public",
    "private",
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
_EXTENSION_NAMES: Final = _TOKENS.filter(lambda name: name.lower() not in _KNOWN_DIRECTIVES)
_EXTENSION_STYLES: Final = st.sampled_from(("bare", "token", "quoted"))


def _draw_random_case(draw: st.DrawFn, name: str) -> str:
    """``name``, sometimes with each letter's case drawn; shrinks to lower case."""
    if not draw(_one_in(3)):
        return name
    flips = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    return "".join(c.upper() if flip else c for c, flip in zip(name, flips, strict=True))


def _draw_directive(
    draw: st.DrawFn, names: SearchStrategy[str], *, field_name_lists: bool
) -> tuple[str, Directive]:
    """A cache-directive as written, and what it means."""
    name = draw(_EXTENSION_NAMES) if draw(_one_in(5)) else draw(names)
    lowered = name.lower()
    written_name = _draw_random_case(draw, name)
    argument: str | None = None
    quoted: str | None = None  # the argument as written inside quotes, if quoted
    if lowered in _DELTA_SECONDS_DIRECTIVES:
        if lowered != "max-stale" or draw(st.booleans()):
            argument = draw(_DELTA_SECONDS)
            if draw(_one_in(6)):
                quoted = argument  # max-age="60": accepted (CC-3)
    elif lowered in ("no-cache", "private"):
        if field_name_lists and draw(st.booleans()):
            argument = ", ".join(draw(st.lists(_FIELD_NAMES, min_size=1, max_size=3)))
            quoted = argument
    elif lowered not in _KNOWN_DIRECTIVES:
        style = draw(_EXTENSION_STYLES)
        if style == "token":
            argument = draw(_TOKENS)
        elif style == "quoted":
            pieces = draw(st.lists(_QUOTED_PIECES, max_size=8))
            quoted = "".join(written for written, _ in pieces)
            argument = "".join(meant for _, meant in pieces)
    if argument is None:
        text = written_name
    elif quoted is None:
        text = f"{written_name}={argument}"
    else:
        text = f'{written_name}="{quoted}"'
    return text, Directive(lowered, argument)


_RESPONSE_DIRECTIVE_NAMES: Final = st.sampled_from(_BOTH_DIRECTIONS + _RESPONSE_ONLY)
_REQUEST_DIRECTIVE_NAMES: Final = st.sampled_from(_BOTH_DIRECTIONS + _REQUEST_ONLY)
_ALL_DIRECTIVE_NAMES: Final = st.sampled_from(_BOTH_DIRECTIONS + _RESPONSE_ONLY + _REQUEST_ONLY)


def _draw_cache_control_value(draw: st.DrawFn, response: bool) -> str:
    """One valid Cache-Control value (see cache_control_values)."""
    names = _RESPONSE_DIRECTIVE_NAMES if response else _REQUEST_DIRECTIVE_NAMES
    directives = _drawn_by(lambda d: _draw_directive(d, names, field_name_lists=response)[0])
    elements: list[str] = []
    for text in draw(st.lists(directives, min_size=1, max_size=6)):
        if draw(_one_in(8)):
            elements.append("")  # an empty list element (FLD-LIST-2)
        elements.append(text)
    return _draw_joined(draw, elements)


def cache_control_values(*, response: bool = True) -> SearchStrategy[str]:
    """VALID Cache-Control field values (ABNF-CC-1), each one
    :func:`~etagspec.cache_control.parse_cache_control` accepts.

    One to six directives: those RFC 9111, RFC 8246 and RFC 5861 define for
    responses (``response=True``) or for requests (``response=False``), with
    arguments of the right form (delta-seconds, sometimes quoted, sometimes
    past 2^31; quoted field-name lists for ``no-cache`` and ``private`` in
    responses), and extension directives with no argument, a token or a
    quoted-string with quoted-pairs. Names sometimes have random case;
    commas have random OWS around them and now and then an empty element
    before them.

    Shrinks towards ``no-store``.
    """

    def definition() -> SearchStrategy[str]:
        _check_bool("response", response)
        return _drawn_by(lambda draw: _draw_cache_control_value(draw, response))

    return st.deferred(definition)


_CACHE_CONTROLS: Final = st.lists(
    _drawn_by(lambda draw: _draw_directive(draw, _ALL_DIRECTIVE_NAMES, field_name_lists=True)[1]),
    max_size=6,
).map(CacheControl)


def cache_controls() -> SearchStrategy[CacheControl]:
    """:class:`~etagspec.cache_control.CacheControl` objects of zero to six
    directives: request and response ones, and extensions, with valid
    arguments (what :func:`cache_control_values` writes, parsed).

    Shrinks towards the empty CacheControl, then ``no-store``.
    """
    return _CACHE_CONTROLS


# ---- methods, resources, whole scenarios ---------------------------------------

_METHODS: Final = st.sampled_from(("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"))
_SAFE_METHODS: Final = st.sampled_from(("GET", "HEAD", "OPTIONS"))


def methods(*, safe_only: bool = False) -> SearchStrategy[str]:
    """Request methods: GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS, or
    with ``safe_only`` just GET, HEAD and OPTIONS (SPEC §5.7).

    Shrinks towards ``"GET"``.
    """

    def definition() -> SearchStrategy[str]:
        _check_bool("safe_only", safe_only)
        return _SAFE_METHODS if safe_only else _METHODS

    return st.deferred(definition)


# Last-Modified values: 1970 to Nov 2023, so never in the future (VAL-LM-4).
_RESOURCES: Final = st.builds(
    Resource,
    exists=st.sampled_from((True, False)),
    etag=st.one_of(
        st.none(),
        st.builds(EntityTag, _DEFAULT_OPAQUES, st.just(False)),
        st.builds(EntityTag, _DEFAULT_OPAQUES, st.just(True)),
    ),
    last_modified=st.one_of(st.none(), st.integers(0, 1_700_000_000)),
    last_modified_is_strong=st.booleans(),
    supports_range=st.booleans(),
)


def resources() -> SearchStrategy[Resource]:
    """What an origin knows about the selected representation
    (:class:`~etagspec.preconditions.Resource`): it exists or is missing; its
    ETag is strong, weak or absent; Last-Modified (whole POSIX seconds,
    1970 to 2023, never in the future) is present or absent, and strong or
    not; byte ranges are supported or not.

    Shrinks towards ``Resource()``: an existing resource with no validators
    and no range support.
    """
    return _RESOURCES


def _draw_conditions(
    draw: st.DrawFn, etag: EntityTag | None, last_modified: int | None, now: int
) -> Conditions:
    """Each field absent half the time; present ones mostly valid, aimed at
    ``etag`` and ``last_modified`` (see conditions)."""
    plan = _default_date_plan(last_modified, now)

    def tag_list() -> str | None:
        if not draw(st.booleans()):
            return None
        if draw(_one_in(5)):
            return _draw_malformed_list(draw, etag)
        return _draw_etag_list(draw, etag)

    def date() -> str | None:
        if not draw(st.booleans()):
            return None
        if draw(_one_in(5)):
            return _draw_invalid_date(draw, plan)
        return _draw_dated(draw, plan)[1]

    return Conditions(
        if_match=tag_list(),
        if_none_match=tag_list(),
        if_modified_since=date(),
        if_unmodified_since=date(),
        if_range=_draw_if_range(draw, etag, plan) if draw(st.booleans()) else None,
        range="bytes=0-0" if draw(_one_in(3)) else None,
    )


def conditions(*, resource: Resource | None = None) -> SearchStrategy[Conditions]:
    """Precondition fields (:class:`~etagspec.preconditions.Conditions`): any
    subset of If-Match, If-None-Match, If-Modified-Since,
    If-Unmodified-Since and If-Range (each present half the time), plus
    ``Range: bytes=0-0`` one time in three.

    Each field present is, four times in five, valid and close to
    ``resource`` (its ETag, its Last-Modified; see :func:`etag_list_values`,
    :func:`http_dates`, :func:`if_range_values`) and otherwise malformed
    (:func:`malformed_etag_list_values`, :func:`invalid_http_dates`).
    Without ``resource``, values are not aimed at anything in particular.

    Shrinks towards ``Conditions()``: no fields at all.
    """

    def definition() -> SearchStrategy[Conditions]:
        if resource is not None and not isinstance(resource, Resource):
            raise InvalidArgument(f"resource={resource!r} must be a Resource or None")
        etag = None if resource is None else resource.etag
        last_modified = None if resource is None else resource.last_modified
        if last_modified is not None:
            _check_timestamp("resource.last_modified", last_modified, margin=3)
        now = int(time.time())
        return _drawn_by(lambda draw: _draw_conditions(draw, etag, last_modified, now))

    return st.deferred(definition)


def _draw_scenario(draw: st.DrawFn, now: int) -> tuple[str, Conditions, Resource]:
    """A method, a resource and conditions aimed at it."""
    method = draw(_METHODS)
    resource = draw(_RESOURCES)
    return method, _draw_conditions(draw, resource.etag, resource.last_modified, now), resource


def precondition_scenarios() -> SearchStrategy[tuple[str, Conditions, Resource]]:
    """Whole precondition scenarios: ``(method, conditions, resource)``, the
    conditions aimed at that resource (:func:`methods`, :func:`resources`,
    :func:`conditions`), ready for :func:`~etagspec.preconditions.evaluate`.

    Shrinks towards ``("GET", Conditions(), Resource())``.
    """

    def definition() -> SearchStrategy[tuple[str, Conditions, Resource]]:
        now = int(time.time())
        return _drawn_by(lambda draw: _draw_scenario(draw, now))

    return st.deferred(definition)
