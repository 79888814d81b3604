"""The byte tape behind compact values: decisions read from one Hypothesis
byte string, and the helpers every strategy module draws its decisions with."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Final, TypeVar, cast

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from ._arguments import _check_bool, _check_int

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
    >>> from etagspec.strategies import etag_list_values
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


@st.composite
def _kept(draw: st.DrawFn, strategy: SearchStrategy[T], condition: Callable[[T], object]) -> T:
    """``strategy.filter(condition)``, drawn the same way: up to three draws,
    then the example is rejected. (Hypothesis validates a filtered strategy
    again at every draw, since validating rebuilds it; that cost more than
    the draw itself.)"""
    for _ in range(3):
        value = draw(strategy)
        if condition(value):
            return value
    reject()


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
