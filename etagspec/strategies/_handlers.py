"""Handler behaviours: inner WSGI (and ASGI) apps that behave in every way a
conditional layer (a middleware that answers 304 / 412 for the app it wraps)
has to cope with, each keeping a ledger of what it computed and how it was
closed.

How each trait reads in ASGI (:class:`ASGIBehaviourApp`): ``"list"``
content is one ``http.response.body`` message; any other content is
streamed, one message per non-empty chunk and a final empty one
(``more_body`` false); with ``lazy_start`` the first chunk is computed
before ``http.response.start``. ``fails`` raises :class:`HandlerError`
before the start, after it, or instead of the last chunk; ``error_page``
catches its own error and answers a 500 page. ``reads_body`` reads the
request body first; ``watches_disconnect`` listens on ``receive`` while it
streams and stops producing chunks once told ``http.disconnect`` (as
Starlette's ``StreamingResponse`` does). ``computed_after_start`` then
lists the non-empty chunks computed after the app's
``http.response.start`` was sent."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Final, Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
from hypothesis.strategies import SearchStrategy

from ._tape import _kept

__all__ = [
    "ASGIBehaviourApp",
    "BehaviourApp",
    "HandlerBehaviour",
    "HandlerError",
    "HandlerLedger",
    "HandlerOutput",
    "asgi_handler_behaviours",
    "handler_behaviours",
    "with_asgi_traits",
]

Content = Literal["list", "generator", "closing", "file_wrapper"]
Failure = Literal["none", "before_start", "after_start", "during_iteration", "error_page"]
StartResponse = Callable[..., Callable[[bytes], object]]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: Content kinds, simplest first (what a behaviour shrinks towards).
CONTENTS: Final[tuple[Content, ...]] = ("list", "generator", "closing", "file_wrapper")
#: How a behaviour may fail, simplest first.
FAILURES: Final[tuple[Failure, ...]] = (
    "none",
    "before_start",
    "after_start",
    "during_iteration",
    "error_page",
)
#: Statuses a handler answers with: 2xx, 3xx, 4xx and 5xx.
STATUSES: Final = (200, 201, 203, 204, 206, 301, 302, 307, 404, 500, 503)
_REASONS: Final = {
    200: "OK",
    201: "Created",
    203: "Non-Authoritative Information",
    204: "No Content",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    404: "Not Found",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
#: The status line and content of the error page an ``error_page`` handler
#: sends (with ``exc_info``) after its first start_response.
ERROR_STATUS: Final = "500 Internal Server Error"
ERROR_BODY: Final = b"the handler failed"
#: Fixed instants, so that the same seed draws the same behaviours.
_PAST: Final = "Tue, 14 Nov 2023 22:13:20 GMT"
_DATE: Final = "Mon, 01 Jan 2024 00:00:00 GMT"
_FUTURE: Final = "Fri, 01 Jan 2100 00:00:00 GMT"


class HandlerError(Exception):
    """What a failing handler behaviour raises (one new instance per call, so
    a harness can tell it apart from anything else that goes wrong)."""


@dataclass
class HandlerLedger:
    """What one built app did, filled in as it runs: ``calls``, the
    request ``methods`` it was called with, and the ``preconditions`` each
    call received (its ``HTTP_IF_*`` environ keys and values, in order).

    ``computed`` lists the content chunks produced (by index);
    ``computed_after_start`` the non-empty ones produced after the app had
    called ``start_response``, not counting the chunk during whose
    production it called it (the seed's promise is that a 304 or 412
    computes none of them). ``closes`` counts ``close()`` calls on the
    content; it is None when the content cannot count them (a list, a bare
    generator).
    """

    calls: int = 0
    methods: list[str] = field(default_factory=list)
    preconditions: list[tuple[tuple[str, str], ...]] = field(default_factory=list)
    start_calls: int = 0
    computed: list[int] = field(default_factory=list)
    computed_after_start: list[int] = field(default_factory=list)
    writes: int = 0
    closes: int | None = None
    raised: list[BaseException] = field(default_factory=list)


@dataclass(frozen=True)
class HandlerOutput:
    """The status line, headers and content a behaviour's app answers with."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class HandlerBehaviour:
    """How an inner WSGI app behaves. :meth:`as_wsgi_app` builds it.

    ``chunks`` is the content in order; a leading ``b""`` is the seed's
    pattern (``yield b''`` first, the expensive parts after). With
    ``lazy_start`` the app calls ``start_response`` while its first chunk is
    produced rather than before returning. The first ``written`` chunks go
    through the ``write()`` callable. ``fails`` says where the app raises
    :class:`HandlerError`: before or after ``start_response``, while its
    content is iterated (instead of its last chunk), or ``error_page``:
    after a first ``start_response`` it calls ``start_response`` again with
    ``exc_info`` and answers a 500 page.

    >>> from etagspec.testing import TestApp
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),), chunks=(b"", b"hi"))
    >>> app = behaviour.as_wsgi_app()
    >>> print(TestApp(app).get("/"))
    200 OK
    ETag: "v1"
    <BLANKLINE>
    hi
    >>> app.ledger.computed, app.ledger.calls
    ([0, 1], 1)
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    chunks: tuple[bytes, ...] = ()
    content: Content = "list"
    lazy_start: bool = False
    written: int = 0
    fails: Failure = "none"
    #: ASGI only: the app reads the request body before it answers.
    reads_body: bool = False
    #: ASGI only: the app listens for ``http.disconnect`` while it streams,
    #: and stops producing its content once told the client has gone.
    watches_disconnect: bool = False

    def __post_init__(self) -> None:
        if self.status not in _REASONS:
            raise ValueError(f"status={self.status!r} must be one of {sorted(_REASONS)}")
        if self.content not in CONTENTS:
            raise ValueError(f"content={self.content!r} must be one of {CONTENTS}")
        if self.fails not in FAILURES:
            raise ValueError(f"fails={self.fails!r} must be one of {FAILURES}")
        if self.lazy_start and self.content not in ("generator", "closing"):
            raise ValueError("lazy_start needs generator or closing content")
        if self.written and (self.lazy_start or not 0 <= self.written <= len(self.chunks)):
            raise ValueError("written must be at most len(chunks), with start_response eager")
        if self.fails == "during_iteration" and (
            self.content == "list" or self.written >= len(self.chunks)
        ):
            raise ValueError("fails='during_iteration' needs lazy content with a chunk to fail at")
        if self.fails in ("after_start", "error_page") and self.lazy_start:
            raise ValueError(f"fails={self.fails!r} needs start_response eager")

    def __repr__(self) -> str:
        changed = [
            f"{item.name}={getattr(self, item.name)!r}"
            for item in fields(self)
            if getattr(self, item.name) != item.default
        ]
        return f"HandlerBehaviour({', '.join(changed)})"

    @property
    def status_line(self) -> str:
        return f"{self.status} {_REASONS[self.status]}"

    @property
    def body(self) -> bytes:
        """The whole content, write() output included."""
        return b"".join(self.chunks)

    def output(self) -> HandlerOutput:
        """What the app answers when nothing fails (or the error page)."""
        if self.fails == "error_page":
            return HandlerOutput(ERROR_STATUS, (("Content-Type", "text/plain"),), ERROR_BODY)
        return HandlerOutput(self.status_line, self.headers, self.body)

    def as_wsgi_app(self) -> BehaviourApp:
        """A new WSGI app behaving so, with a fresh :class:`HandlerLedger`."""
        return BehaviourApp(self)

    def as_asgi_app(self) -> ASGIBehaviourApp:
        """A new ASGI app behaving so, with a fresh :class:`HandlerLedger`
        (see :class:`ASGIBehaviourApp`)."""
        return ASGIBehaviourApp(self)


def _preconditions(environ: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The ``HTTP_IF_*`` keys of an environ and their values, sorted."""
    return tuple(sorted((k, str(v)) for k, v in environ.items() if k.startswith("HTTP_IF_")))


class _LedgeredApp:
    """What the WSGI and the ASGI app of a :class:`HandlerBehaviour` share:
    the behaviour, the ledger of every call, and its failure."""

    #: The behaviour's method that makes this app (for its repr).
    made_by = ""

    def __init__(self, behaviour: HandlerBehaviour) -> None:
        self.behaviour = behaviour
        self.ledger = HandlerLedger()

    def __repr__(self) -> str:
        return f"{self.behaviour!r}.{self.made_by}()"

    def _fail(self) -> HandlerError:
        error = HandlerError(f"the handler failed ({self.behaviour.fails})")
        self.ledger.raised.append(error)
        return error

    def _error_page_failure(self) -> OptExcInfo:
        """The handler fails, then answers an error page: the failure
        recorded, the error page's start counted; its ``exc_info``."""
        try:
            raise self._fail()
        except HandlerError:
            self.ledger.start_calls += 1
            return sys.exc_info()

    def _called(self, method: object, environ: Mapping[str, Any]) -> None:
        """Record a call: its method and precondition fields."""
        self.ledger.calls += 1
        self.ledger.methods.append(str(method))
        self.ledger.preconditions.append(_preconditions(environ))


class BehaviourApp(_LedgeredApp):
    """The WSGI app of a :class:`HandlerBehaviour`; ``ledger`` records every call."""

    made_by = "as_wsgi_app"

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        behaviour, ledger = self.behaviour, self.ledger
        self._called(environ.get("REQUEST_METHOD"), environ)
        started = [False]

        def start() -> Callable[[bytes], object]:
            ledger.start_calls += 1
            started[0] = True
            return start_response(behaviour.status_line, list(behaviour.headers))

        if behaviour.fails == "before_start":
            raise self._fail()
        if behaviour.lazy_start:
            return self._content(start, started, 0)
        write = start()
        if behaviour.fails == "after_start":
            raise self._fail()
        if behaviour.fails == "error_page":
            failure = self._error_page_failure()
            start_response(ERROR_STATUS, [("Content-Type", "text/plain")], failure)
            return [ERROR_BODY]
        for index in range(behaviour.written):
            ledger.computed.append(index)
            ledger.writes += 1
            write(behaviour.chunks[index])
        if behaviour.content == "list":
            ledger.computed.extend(range(behaviour.written, len(behaviour.chunks)))
            return list(behaviour.chunks[behaviour.written :])
        if behaviour.content == "file_wrapper":
            ledger.closes = ledger.closes or 0
            source = _LazyFile(self, started, behaviour.written)
            wrapper = environ.get("wsgi.file_wrapper")
            return wrapper(source, 8192) if wrapper is not None else _Closing(iter(source), self)
        return self._content(start, started, behaviour.written)

    def _produce(self, index: int, started: list[bool], starting: bool) -> bytes:
        """Chunk ``index``, noted in the ledger as computed (or raising)."""
        behaviour, ledger = self.behaviour, self.ledger
        if behaviour.fails == "during_iteration" and index == len(behaviour.chunks) - 1:
            raise self._fail()
        chunk = behaviour.chunks[index]
        ledger.computed.append(index)
        if started[0] and not starting and chunk:
            ledger.computed_after_start.append(index)
        return chunk

    def _content(
        self, start: Callable[[], object], started: list[bool], first: int
    ) -> Iterable[bytes]:
        def generate() -> Iterator[bytes]:
            for index in range(first, len(self.behaviour.chunks)):
                starting = not started[0]
                if starting:
                    start()
                yield self._produce(index, started, starting)
            if not started[0]:
                start()

        if self.behaviour.content == "closing":
            self.ledger.closes = self.ledger.closes or 0
            return _Closing(generate(), self)
        return generate()


class _Closing:
    """An iterable with ``close()`` that counts its closes."""

    def __init__(self, iterator: Iterator[bytes], app: BehaviourApp) -> None:
        self._iterator = iterator
        self._app = app

    def __iter__(self) -> Iterator[bytes]:
        return self._iterator

    def close(self) -> None:
        closes = self._app.ledger.closes
        self._app.ledger.closes = (closes or 0) + 1
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()


class _LazyFile:
    """A file-like object whose ``read()`` computes one chunk at a time."""

    def __init__(self, app: BehaviourApp, started: list[bool], first: int) -> None:
        self._app = app
        self._started = started
        self._next = first

    def read(self, size: int = -1) -> bytes:
        chunks = self._app.behaviour.chunks
        while self._next < len(chunks):
            index = self._next
            self._next += 1
            chunk = self._app._produce(index, self._started, False)
            if chunk:
                return chunk
        return b""

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: self.read(8192), b"")

    def close(self) -> None:
        closes = self._app.ledger.closes
        self._app.ledger.closes = (closes or 0) + 1


#: How many times a watching app yields to the loop before each chunk (a
#: layer's disconnect may take a few task switches to arrive).
_YIELDS: Final = 5


def _scope_environ(scope: MutableMapping[str, Any]) -> dict[str, str]:
    """The ``HTTP_*`` environ keys a WSGI server would make of a scope's
    headers (repeated lines joined with ", ")."""
    environ: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        key = "HTTP_" + bytes(name).decode("latin-1").upper().replace("-", "_")
        text = bytes(value).decode("latin-1")
        environ[key] = f"{environ[key]}, {text}" if key in environ else text
    return environ


class ASGIBehaviourApp(_LedgeredApp):
    """The ASGI app of a :class:`HandlerBehaviour`; ``ledger`` records every call.

    >>> import asyncio
    >>> behaviour = HandlerBehaviour(headers=(("ETag", '"v1"'),), chunks=(b"a", b"b"),
    ...                              content="generator")
    >>> app = behaviour.as_asgi_app()
    >>> sent = []
    >>> async def send(message):
    ...     sent.append(message)
    >>> async def receive():
    ...     return {"type": "http.request", "body": b""}
    >>> asyncio.run(app({"type": "http", "method": "GET", "headers": []}, receive, send))
    >>> [m.get("body") for m in sent], app.ledger.computed_after_start
    ([None, b'a', b'b', b''], [0, 1])
    """

    made_by = "as_asgi_app"

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        behaviour = self.behaviour
        self._called(scope.get("method"), _scope_environ(scope))
        told = asyncio.Event()
        if behaviour.reads_body:
            while True:
                message = await receive()
                if message.get("type") == "http.disconnect":
                    return  # the client has gone before the app answered
                if not message.get("more_body", False):
                    break
        watcher = (
            asyncio.ensure_future(_watch(receive, told)) if behaviour.watches_disconnect else None
        )
        try:
            await self._respond(send, told)
        finally:
            if watcher is not None:
                watcher.cancel()
                # asyncio.wait, not await: nothing is thrown into the layer's frames
                await asyncio.wait({watcher})

    def _produce(self, index: int, after_start: bool) -> bytes:
        behaviour, ledger = self.behaviour, self.ledger
        if behaviour.fails == "during_iteration" and index == len(behaviour.chunks) - 1:
            raise self._fail()
        chunk = behaviour.chunks[index]
        ledger.computed.append(index)
        if after_start and chunk:
            ledger.computed_after_start.append(index)
        return chunk

    async def _respond(self, send: Send, told: asyncio.Event) -> None:
        behaviour, ledger = self.behaviour, self.ledger
        if behaviour.fails == "before_start":
            raise self._fail()
        if behaviour.fails == "error_page":
            self._error_page_failure()
            headers = [(b"content-type", b"text/plain")]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": ERROR_BODY})
            return
        first = 0
        early = b""
        if behaviour.lazy_start and behaviour.chunks:
            early, first = self._produce(0, after_start=False), 1
        # The ASGI spec: response header names are lowercased.
        headers = [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in behaviour.headers]
        ledger.start_calls += 1
        await send({"type": "http.response.start", "status": behaviour.status, "headers": headers})
        if behaviour.fails == "after_start":
            raise self._fail()
        if behaviour.content == "list":
            body = b"".join(self._produce(i, True) for i in range(len(behaviour.chunks)))
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        if early:
            await send({"type": "http.response.body", "body": early, "more_body": True})
        for index in range(first, len(behaviour.chunks)):
            if behaviour.watches_disconnect:
                for _ in range(_YIELDS):
                    await asyncio.sleep(0)
                if told.is_set():
                    return  # the client has gone: stop streaming
            chunk = self._produce(index, after_start=True)
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _watch(receive: Receive, told: asyncio.Event) -> None:
    """Listen on ``receive`` until ``http.disconnect``, then set ``told``."""
    while True:
        message = await receive()
        if message.get("type") == "http.disconnect":
            told.set()
            return


# ---- the strategy ---------------------------------------------------------------

_ETAGS: Final = (
    (),
    (("ETag", '"v1"'),),
    (("ETag", 'W/"v1"'),),
    (("ETag", "v1"),),  # invalid: not quoted
    (("ETag", '"v1"'), ("ETag", '"v2"')),  # repeated
    (("ETag", '"a,b"'),),
)
_LAST_MODIFIEDS: Final = (
    (),
    (("Last-Modified", _PAST),),
    # Three times in six: most requests' dates are judged against a valid one.
    (("Last-Modified", _PAST),),
    (("Last-Modified", _PAST),),
    (("Last-Modified", "yesterday"),),  # invalid
    (("Last-Modified", _FUTURE),),
)
_OTHER_FIELDS: Final = (
    ("Cache-Control", "max-age=60"),
    ("Vary", "Accept-Encoding"),
    ("Content-Type", "text/plain"),
    ("Set-Cookie", "session=1"),
    ("Content-Location", "/document"),
    ("Expires", "Mon, 01 Jan 2024 01:00:00 GMT"),
    ("Date", _DATE),
)
_CHUNKS: Final = st.lists(st.sampled_from((b"expensive", b"part", b"\x00\xff")), max_size=3)
# Made once, not per behaviour drawn: a strategy built in a draw is looked up
# in Hypothesis's cache and validated again each time, which cost more than
# the draws themselves.
_ETAG_FIELDS: Final = st.sampled_from(_ETAGS)
_LAST_MODIFIED_FIELDS: Final = st.sampled_from(_LAST_MODIFIEDS)
_MORE_FIELDS: Final = st.lists(st.sampled_from(_OTHER_FIELDS), unique=True, max_size=4)
_BOOLEANS: Final = st.booleans()
#: How many chunks go through write(), by the most there may be (_CHUNKS'
#: three, and a leading b"").
_WRITTEN: Final = {last: st.integers(1, last) for last in range(1, 5)}


def _check_options(name: str, value: object, allowed: tuple[object, ...]) -> tuple[Any, ...]:
    if value is None:
        return allowed
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{name}={value!r} must be a collection of {allowed}")
    chosen = tuple(value)
    if not chosen or any(option not in allowed for option in chosen):
        raise InvalidArgument(f"{name}={value!r} must be a non-empty subset of {allowed}")
    return chosen


@st.composite
def _draw_behaviour(
    draw: st.DrawFn,
    statuses: SearchStrategy[int],
    contents: SearchStrategy[Content],
    starts: SearchStrategy[str],
    fails: SearchStrategy[Failure],
    writes: bool,
    always_write: bool = False,
) -> HandlerBehaviour:
    status = draw(statuses)
    content: Content = draw(contents)
    lazy = draw(starts) == "lazy" and content in ("generator", "closing")
    failure: Failure = draw(fails)
    headers = [*draw(_ETAG_FIELDS), *draw(_LAST_MODIFIED_FIELDS)]
    headers += draw(_MORE_FIELDS)
    chunks = [] if status == 204 else draw(_CHUNKS)
    if draw(_BOOLEANS):
        chunks.insert(0, b"")  # the seed's pattern: yield b'' first
    if failure == "during_iteration" and (content == "list" or not chunks):
        failure = "none"
    if failure in ("after_start", "error_page") and lazy:
        failure = "none"
    if status == 206:
        headers.append(("Content-Range", f"bytes 0-{max(len(b''.join(chunks)) - 1, 0)}/100"))
    elif 300 <= status < 400:
        headers.append(("Location", "/elsewhere"))
    if draw(_BOOLEANS) and failure == "none":
        headers.append(("Content-Length", str(len(b"".join(chunks)))))
    written = 0
    if writes and not lazy and chunks and (always_write or draw(_BOOLEANS)):
        last = len(chunks) - (1 if failure == "during_iteration" else 0)
        written = draw(_WRITTEN[last]) if last else 0
    return HandlerBehaviour(
        status=status,
        headers=tuple(headers),
        chunks=tuple(chunks),
        content=content,
        lazy_start=lazy,
        written=written,
        fails=failure,
    )


def handler_behaviours(
    *,
    statuses: Iterable[int] | None = None,
    contents: Iterable[Content] | None = None,
    starts: Iterable[Literal["eager", "lazy"]] | None = None,
    fails: Iterable[Failure] | None = None,
    writes: bool = True,
) -> SearchStrategy[HandlerBehaviour]:
    """Inner WSGI app behaviours (:class:`HandlerBehaviour`), for checking a
    layer that wraps apps: any of the given ``statuses``, ``contents``
    (``"list"``, ``"generator"``, ``"closing"``: an iterable with
    ``close()``, ``"file_wrapper"``), ``starts`` (``"eager"``: start_response
    before returning, ``"lazy"``: on the first iteration) and ``fails``
    (``"none"``, ``"before_start"``, ``"after_start"``,
    ``"during_iteration"``, ``"error_page"``); ``writes`` lets a behaviour
    send its first chunks through ``write()``.

    Headers are an ETag (strong, weak, invalid, repeated or absent), a
    Last-Modified (valid, invalid, in the future or absent), and some of
    Cache-Control, Vary, Content-Type, Set-Cookie, Content-Location,
    Expires, Date, and a right Content-Length. Shrinks towards a 200 with
    no validators, list content of fewer chunks, an eager start_response,
    and no failure.

    >>> from hypothesis import find, settings
    >>> lazy = lambda behaviour: behaviour.lazy_start
    >>> find(handler_behaviours(), lazy, settings=settings(database=None, derandomize=True))
    HandlerBehaviour(content='generator', lazy_start=True)
    >>> handler_behaviours(contents=["socket"]).validate()
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: contents=['socket'] must be a non-empty subset of ...
    """

    return _behaviours(statuses, contents, starts, fails, writes)


def _writing_behaviours(
    *,
    statuses: Iterable[int] | None = None,
    contents: Iterable[Content] | None = None,
    starts: Iterable[Literal["eager", "lazy"]] | None = None,
    fails: Iterable[Failure] | None = None,
) -> SearchStrategy[HandlerBehaviour]:
    """``handler_behaviours(...).filter(lambda b: b.written > 0)``: the same
    behaviours, in the same proportions, drawn with fewer refusals. The
    draw that decides whether to write at all is left out (always yes), which
    halves the weight of every behaviour that writes, and of those alone:
    the ones the filter keeps are as likely as before, relative to each
    other. Those with no chunk to write are still refused."""
    behaviours = _behaviours(statuses, contents, starts, fails, True, always_write=True)
    return _kept(behaviours, lambda behaviour: behaviour.written > 0)


def _behaviours(
    statuses: Iterable[int] | None,
    contents: Iterable[Content] | None,
    starts: Iterable[Literal["eager", "lazy"]] | None,
    fails: Iterable[Failure] | None,
    writes: bool,
    *,
    always_write: bool = False,
) -> SearchStrategy[HandlerBehaviour]:
    """The strategy of :func:`handler_behaviours` (``always_write``: see
    :func:`_writing_behaviours`)."""

    def definition() -> SearchStrategy[HandlerBehaviour]:
        chosen_statuses = _check_options("statuses", statuses, STATUSES)
        chosen_contents = _check_options("contents", contents, CONTENTS)
        chosen_starts = _check_options("starts", starts, ("eager", "lazy"))
        chosen_fails = _check_options("fails", fails, FAILURES)
        if not isinstance(writes, bool):
            raise InvalidArgument(f"writes={writes!r} must be True or False")
        if chosen_starts == ("lazy",):
            chosen_contents = tuple(c for c in chosen_contents if c in ("generator", "closing"))
            if not chosen_contents:
                raise InvalidArgument("starts=['lazy'] needs generator or closing contents")
        return _draw_behaviour(
            st.sampled_from(chosen_statuses),
            st.sampled_from(chosen_contents),
            st.sampled_from(chosen_starts),
            st.sampled_from(chosen_fails),
            writes,
            always_write,
        )

    return st.deferred(definition)


def with_asgi_traits(
    behaviours: SearchStrategy[HandlerBehaviour],
) -> SearchStrategy[HandlerBehaviour]:
    """``behaviours`` drawn again as ASGI apps: no ``write()`` (ASGI has
    none), and whether the app reads the request body and watches for
    ``http.disconnect`` drawn (a behaviour that already watches keeps it)."""

    return _with_asgi_traits(behaviours)


@st.composite
def _with_asgi_traits(
    draw: st.DrawFn, behaviours: SearchStrategy[HandlerBehaviour]
) -> HandlerBehaviour:
    # One composite, not a flatmap: a flatmap builds (and validates) new
    # strategies for every behaviour drawn.
    behaviour = draw(behaviours)
    reads, watches = draw(_BOOLEANS), draw(_BOOLEANS)
    return dataclasses.replace(
        behaviour,
        written=0,
        reads_body=reads,
        watches_disconnect=watches or behaviour.watches_disconnect,
    )


def asgi_handler_behaviours(
    *,
    statuses: Any = None,
    contents: Any = None,
    starts: Any = None,
    fails: Any = None,
) -> SearchStrategy[HandlerBehaviour]:
    """Inner ASGI app behaviours, for checking an ASGI layer: the options of
    :func:`~etagspec.strategies.handler_behaviours` (statuses, headers with
    repeated fields, content in one ``http.response.body`` message or
    streamed in several, a start before or after the first chunk, an
    exception before or after ``http.response.start``), plus apps that
    read the request body and apps that watch for ``http.disconnect``.
    Build one with :meth:`HandlerBehaviour.as_asgi_app`.

    >>> from hypothesis import find, settings
    >>> watching = lambda behaviour: behaviour.watches_disconnect
    >>> find(asgi_handler_behaviours(), watching,
    ...      settings=settings(database=None, derandomize=True))
    HandlerBehaviour(watches_disconnect=True)
    """
    chosen: dict[str, Any] = {"statuses": statuses, "contents": contents}
    chosen |= {"starts": starts, "fails": fails}
    return with_asgi_traits(handler_behaviours(writes=False, **chosen))
