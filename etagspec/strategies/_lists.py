"""If-Match / If-None-Match field values: valid lists with random OWS and empty
elements, and malformed lists."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..etags import EntityTag
from ._arguments import _check_bool, _check_int
from ._characters import _CTLS, _OWS, _UTF8_AS_LATIN_1
from ._etags import (
    _ANY_JUNK,
    _ENTITY_TAGS,
    _check_optional_tag,
    _draw_near_miss,
    _draw_tag_near,
    _outside_quotes,
)
from ._tape import (
    _LIST_TAPE,
    _draw_index,
    _integer,
    _list_drawn_by,
    _nested,
    _one_in,
    _readable,
    _sampled,
    _strategy,
)


def _draw_joined(draw: st.DrawFn, elements: Sequence[str]) -> str:
    """Elements joined by ``OWS "," OWS`` with random OWS, then trimmed."""
    if not elements:
        return ""
    parts = [elements[0]]
    for element in elements[1:]:
        parts.append(draw(_OWS) + "," + draw(_OWS) + element)
    return "".join(parts).strip(" \t")


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
