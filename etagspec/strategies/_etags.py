"""Entity tags: opaque-tags, valid tags near a current one, and legacy or malformed tag texts."""

from __future__ import annotations

from typing import Final, Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._abnf import ENTITY_TAG_RE, OWS_CHARS
from ..errors import InvalidEntityTag
from ..etags import EntityTag
from ._arguments import _check_int
from ._characters import (
    _ALNUM,
    _ARBITRARY_TEXT,
    _CTLS,
    _ETAGC_CHARS,
    _LEFT_CURLY_QUOTE,
    _LOWER,
    _RIGHT_CURLY_QUOTE,
    _SAFE_OPAQUE_CHARS,
    _WHITESPACE,
    _read_arbitrary_text,
)
from ._tape import (
    _boolean,
    _draw_index,
    _draw_mostly,
    _drawn_by,
    _integer,
    _kept,
    _list_of,
    _one_in,
    _pick,
    _read_by,
    _sampled,
    _strings,
    _Tape,
    _text_reader,
)


def _check_optional_tag(name: str, value: object) -> None:
    """InvalidArgument unless ``value`` is an EntityTag or None."""
    if value is not None and not isinstance(value, EntityTag):
        raise InvalidArgument(f"{name}={value!r} must be an EntityTag or None")


def _outside_quotes(text: str) -> list[int]:
    """Insertion points of ``text`` not inside a quoted opaque-tag."""
    positions, quotes = [], 0
    for index in range(len(text) + 1):
        if quotes % 2 == 0:
            positions.append(index)
        if index < len(text) and text[index] == '"':
            quotes += 1
    return positions


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


# Opaque values worth seeing more often than chance gives them (the
# generation guidance of docs/SPEC.md).
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
    st.one_of(_kept(_TRAILING_JUNK, lambda j: not j.endswith("W/")), _LEADING_JUNK),
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
    return ENTITY_TAG_RE.fullmatch(text.strip(OWS_CHARS)) is None


def _read_other_malformed_tag(tape: _Tape) -> str:
    if not tape.boolean():
        return _draw_legacy(tape)
    text = _read_arbitrary_text(tape)
    return text if _not_an_entity_tag(text) else "x" + text


_OTHER_MALFORMED_TAGS: Final = _read_by(
    st.one_of(_LEGACY_TEXTS, _kept(_ARBITRARY_TEXT, _not_an_entity_tag)),
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
