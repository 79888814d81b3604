"""Requests aimed at a handler behaviour's own validators: its ETag values
as sent, their weak or strong twins, other tags, ``*``, and dates at, just
before and just after its Last-Modified."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ...headers import header_values
from ...strategies import HandlerBehaviour
from ..model import ProbeRequest

__all__ = ["layer_requests"]

Preconditions = Literal["none", "some", "any"]

_OTHER_TAGS: Final = ('"other"', 'W/"other"', "*")
_DATES: Final = (
    "Mon, 13 Nov 2023 22:13:20 GMT",  # a day before the behaviours' valid Last-Modified
    "Wed, 15 Nov 2023 22:13:20 GMT",  # a day after it
    "Fri, 01 Jan 2100 00:00:00 GMT",
    "tomorrow",  # invalid
)
_FIELDS: Final = ("If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since")
_SHAPES: Final[tuple[tuple[str, ...], ...]] = (
    (),  # any combination, each field drawn
    ("If-None-Match", "If-Modified-Since"),
    ("If-Match", "If-Unmodified-Since"),
    ("If-Match", "If-None-Match"),
)


def _twin(tag: str) -> str:
    """The weak form of a strong tag, the strong form of a weak one."""
    return tag[2:] if tag.startswith("W/") else f"W/{tag}"


def _tag_values(behaviour: HandlerBehaviour) -> tuple[str, ...]:
    """What a client may send back in If-None-Match / If-Match: the tags
    given (first, so examples shrink to an exact echo), their twins,
    others, and lists."""
    given = header_values(list(behaviour.headers), "ETag")
    values = [*given, *(_twin(tag) for tag in given), *_OTHER_TAGS]
    values += [f'"other", {tag}' for tag in given]
    values.append("")  # empty: read as absent by some recipients (AMB-LIST-1)
    return tuple(dict.fromkeys(values))


def _date_values(behaviour: HandlerBehaviour) -> tuple[str, ...]:
    given = header_values(list(behaviour.headers), "Last-Modified")
    return tuple(dict.fromkeys([*given, *_DATES]))


@st.composite
def _requests(
    draw: st.DrawFn,
    behaviour: HandlerBehaviour,
    methods: tuple[str, ...],
    preconditions: Preconditions,
) -> ProbeRequest:
    method = draw(st.sampled_from(methods))
    headers: list[tuple[str, str]] = []
    if preconditions != "none":
        tags, dates = _tag_values(behaviour), _date_values(behaviour)
        # Each field alone, or a pair RFC 9110 §13.2.2 orders (the second is
        # evaluated only in some states of the first), or any combination.
        fields = draw(st.sampled_from(_SHAPES))
        for name in _FIELDS:
            if name in fields if fields else draw(st.booleans()):
                values = tags if name.endswith("Match") else dates
                headers.append((name, draw(st.sampled_from(values))))
        if preconditions == "some" and not headers:
            headers.append(("If-None-Match", draw(st.sampled_from(_tag_values(behaviour)))))
    return ProbeRequest(method, "/", tuple(headers))


def layer_requests(
    behaviour: HandlerBehaviour,
    *,
    methods: Sequence[str] = ("GET", "HEAD"),
    preconditions: Preconditions = "some",
) -> SearchStrategy[ProbeRequest]:
    """Requests for ``behaviour``: ``preconditions`` ``"none"`` (plain),
    ``"some"`` (at least one precondition field) or ``"any"``. Shrinks
    towards the first method with If-None-Match echoing the first ETag.

    >>> from hypothesis import find, settings
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),))
    >>> one_field = lambda request: len(request.headers) == 1
    >>> fixed = settings(database=None, derandomize=True)
    >>> find(layer_requests(behaviour), one_field, settings=fixed)
    ProbeRequest(method='GET', path='/', headers=(('If-None-Match', '"v1"'),), body=b'')
    """
    return _requests(behaviour, tuple(methods), preconditions)
