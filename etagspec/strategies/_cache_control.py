"""Cache-Control field values and parsed CacheControl values."""

from __future__ import annotations

from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..cache_control import (
    DELTA_SECONDS_DIRECTIVES,
    FIELD_NAME_LIST_DIRECTIVES,
    KNOWN_DIRECTIVES,
    REQUEST_ONLY_DIRECTIVES,
    RESPONSE_ONLY_DIRECTIVES,
    CacheControl,
    Directive,
)
from ._arguments import _check_bool
from ._characters import _ALNUM, _TCHARS
from ._lists import _draw_joined
from ._tape import _drawn_by, _kept, _one_in, _strings

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


def _no_store_first(names: frozenset[str]) -> tuple[str, ...]:
    """``names`` in a fixed order, ``no-store`` first: what draws shrink towards."""
    return tuple(sorted(names, key=lambda name: (name != "no-store", name)))


# The directive tables are etagspec.cache_control's; only their order is set here.
_BOTH_DIRECTIONS: Final = _no_store_first(
    KNOWN_DIRECTIVES - REQUEST_ONLY_DIRECTIVES - RESPONSE_ONLY_DIRECTIVES
)
_RESPONSE_ONLY: Final = _no_store_first(RESPONSE_ONLY_DIRECTIVES)
_REQUEST_ONLY: Final = _no_store_first(REQUEST_ONLY_DIRECTIVES)
_EXTENSION_NAMES: Final = _kept(_TOKENS, lambda name: name.lower() not in KNOWN_DIRECTIVES)
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
    if lowered in DELTA_SECONDS_DIRECTIVES:
        if lowered != "max-stale" or draw(st.booleans()):
            argument = draw(_DELTA_SECONDS)
            if draw(_one_in(6)):
                quoted = argument  # max-age="60": accepted (CC-3)
    elif lowered in FIELD_NAME_LIST_DIRECTIVES:
        if field_name_lists and draw(st.booleans()):
            argument = ", ".join(draw(st.lists(_FIELD_NAMES, min_size=1, max_size=3)))
            quoted = argument
    elif lowered not in KNOWN_DIRECTIVES:
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
