"""Requests aimed at the validators a client sees: a handler behaviour's
own, and those the layer itself emits on a plain pass (a layer that makes
its own ETag answers 304 only to that one): their ETag values as sent,
their weak or strong twins, other tags, ``*``, and dates at, just before
and just after their Last-Modified; and the canonical examples every layer
check runs before drawn ones."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final, Literal, TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ...headers import header_values
from ...strategies import HandlerBehaviour
from ..model import ProbeRequest

__all__ = ["CANONICAL_BEHAVIOURS", "canonical_requests", "layer_requests"]

Preconditions = Literal["none", "some", "any"]
T = TypeVar("T")

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


Headers = Sequence[tuple[str, str]]


def _tag_values(behaviour: HandlerBehaviour, emitted: Headers = ()) -> tuple[str, ...]:
    """What a client may send back in If-None-Match / If-Match: the tags
    given and emitted by the layer (first, so examples shrink to an exact
    echo), their twins, others, and lists."""
    given = header_values(list(behaviour.headers), "ETag")
    given = list(dict.fromkeys([*given, *header_values(list(emitted), "ETag")]))
    values = [*given, *(_twin(tag) for tag in given), *_OTHER_TAGS]
    values += [f'"other", {tag}' for tag in given]
    values.append("")  # empty: read as absent by some recipients (AMB-LIST-1)
    return tuple(dict.fromkeys(values))


def _date_values(behaviour: HandlerBehaviour, emitted: Headers = ()) -> tuple[str, ...]:
    given = header_values([*behaviour.headers, *emitted], "Last-Modified")
    return tuple(dict.fromkeys([*given, *_DATES]))


@functools.lru_cache(maxsize=256)
def _sampled(options: tuple[T, ...]) -> SearchStrategy[T]:
    """``st.sampled_from(options)``, made once per options (a strategy made
    in a draw costs Hypothesis a cache look-up and a validation each time)."""
    return st.sampled_from(options)


_BOOLEANS: Final = st.booleans()


def draw_request(
    draw: st.DrawFn,
    behaviour: HandlerBehaviour,
    methods: tuple[str, ...],
    preconditions: Preconditions,
    emitted: Headers,
) -> ProbeRequest:
    """A request of :func:`layer_requests`, drawn with ``draw``."""
    method = draw(_sampled(methods))
    headers: list[tuple[str, str]] = []
    if preconditions != "none":
        tags, dates = _tag_values(behaviour, emitted), _date_values(behaviour, emitted)
        # Each field alone, or a pair RFC 9110 §13.2.2 orders (the second is
        # evaluated only in some states of the first), or any combination.
        fields = draw(_sampled(_SHAPES))
        for name in _FIELDS:
            if name in fields if fields else draw(_BOOLEANS):
                values = tags if name.endswith("Match") else dates
                headers.append((name, draw(_sampled(values))))
        if preconditions == "some" and not headers:
            headers.append(("If-None-Match", draw(_sampled(tags))))
    return ProbeRequest(method, "/", tuple(headers))


@st.composite
def _requests(
    draw: st.DrawFn,
    behaviour: HandlerBehaviour,
    methods: tuple[str, ...],
    preconditions: Preconditions,
    emitted: Headers,
) -> ProbeRequest:
    return draw_request(draw, behaviour, methods, preconditions, emitted)


def layer_requests(
    behaviour: HandlerBehaviour,
    *,
    methods: Sequence[str] = ("GET", "HEAD"),
    preconditions: Preconditions = "some",
    emitted: Headers = (),
) -> SearchStrategy[ProbeRequest]:
    """Requests for ``behaviour``: ``preconditions`` ``"none"`` (plain),
    ``"some"`` (at least one precondition field) or ``"any"``, around the
    behaviour's validators and those in ``emitted`` (the headers the layer
    answered a plain GET with). Shrinks towards the first method with
    If-None-Match echoing the first ETag.

    >>> from hypothesis import find, settings
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),))
    >>> one_field = lambda request: len(request.headers) == 1
    >>> fixed = settings(database=None, derandomize=True)
    >>> find(layer_requests(behaviour), one_field, settings=fixed)
    ProbeRequest(method='GET', path='/', headers=(('If-None-Match', '"v1"'),), body=b'')
    """
    return _requests(behaviour, tuple(methods), preconditions, tuple(emitted))


#: A day before the behaviours' valid Last-Modified (see _DATES).
_LAST_MODIFIED: Final = "Tue, 14 Nov 2023 22:13:20 GMT"
_CANONICAL_HEADERS: Final = (
    ("ETag", '"v1"'),
    ("Last-Modified", _LAST_MODIFIED),
    ("Content-Type", "text/plain"),
)
#: What every layer check tries first, when the check's behaviours include
#: it: a 200 with ETag, Last-Modified and Content-Type whose content can be
#: closed, the same streamed by a generator that starts on its first
#: iteration, and the same as a plain list.
CANONICAL_BEHAVIOURS: Final = (
    HandlerBehaviour(
        headers=_CANONICAL_HEADERS, chunks=(b"", b"expensive", b"part"), content="closing"
    ),
    HandlerBehaviour(
        headers=_CANONICAL_HEADERS,
        chunks=(b"", b"expensive", b"part"),
        content="generator",
        lazy_start=True,
    ),
    HandlerBehaviour(headers=_CANONICAL_HEADERS, chunks=(b"expensive",)),
)


def canonical_requests(
    emitted: Headers, *, methods: Sequence[str], preconditions: Preconditions
) -> list[ProbeRequest]:
    """The explicit requests for a canonical behaviour whose plain answer
    through the layer had ``emitted`` headers: a plain GET, each emitted
    ETag in If-None-Match (GET and HEAD), the emitted Last-Modified in
    If-Modified-Since, and an If-Match that matches nothing; those of
    ``methods`` that ``preconditions`` allows.

    >>> [r.headers for r in canonical_requests([("ETag", '"h"')], methods=("GET",),
    ...                                         preconditions="some")]
    [(('If-None-Match', '"h"'),), (('If-Match', '"other"'),)]
    """
    found: list[ProbeRequest] = [ProbeRequest("GET", "/")]
    for tag in header_values(list(emitted), "ETag"):
        found += [ProbeRequest(m, "/", (("If-None-Match", tag),)) for m in ("GET", "HEAD")]
    for date in header_values(list(emitted), "Last-Modified"):
        found.append(ProbeRequest("GET", "/", (("If-Modified-Since", date),)))
    found.append(ProbeRequest("GET", "/", (("If-Match", '"other"'),)))
    wanted = {"none": (False,), "some": (True,), "any": (False, True)}[preconditions]
    return [r for r in found if r.method in methods and bool(r.headers) in wanted]
