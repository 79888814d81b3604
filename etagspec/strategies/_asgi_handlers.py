"""Handler behaviours as ASGI apps: the same :class:`HandlerBehaviour` an
inner WSGI app is built from, pushing its content through ``send``, with
the same :class:`HandlerLedger`.

How each trait reads in ASGI: ``"list"`` content is one
``http.response.body`` message; any other content is streamed, one message
per non-empty chunk and a final empty one (``more_body`` false); with
``lazy_start`` the first chunk is computed before ``http.response.start``.
``fails`` raises :class:`HandlerError` before the start, after it, or
instead of the last chunk; ``error_page`` catches its own error and answers
a 500 page. ``reads_body`` reads the request body first;
``watches_disconnect`` listens on ``receive`` while it streams, and stops
producing chunks once told ``http.disconnect`` (as Starlette's
``StreamingResponse`` does). ``computed_after_start`` lists the non-empty
chunks computed after the app's ``http.response.start`` was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ._handlers import (
    ERROR_BODY,
    HandlerBehaviour,
    HandlerError,
    HandlerLedger,
    handler_behaviours,
    preconditions_of,
)

__all__ = ["ASGIBehaviourApp", "asgi_handler_behaviours", "with_asgi_traits"]

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
#: How many times a watching app yields to the loop before each chunk (a
#: layer's disconnect may take a few task switches to arrive).
_YIELDS: Final = 5


def scope_environ(scope: MutableMapping[str, Any]) -> dict[str, str]:
    """The ``HTTP_*`` environ keys a WSGI server would make of a scope's
    headers (repeated lines joined with ", ")."""
    environ: dict[str, str] = {}
    for name, value in scope.get("headers", ()):
        key = "HTTP_" + bytes(name).decode("latin-1").upper().replace("-", "_")
        text = bytes(value).decode("latin-1")
        environ[key] = f"{environ[key]}, {text}" if key in environ else text
    return environ


class ASGIBehaviourApp:
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

    def __init__(self, behaviour: HandlerBehaviour) -> None:
        self.behaviour = behaviour
        self.ledger = HandlerLedger()

    def __repr__(self) -> str:
        return f"{self.behaviour!r}.as_asgi_app()"

    def _fail(self) -> HandlerError:
        error = HandlerError(f"the handler failed ({self.behaviour.fails})")
        self.ledger.raised.append(error)
        return error

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        behaviour, ledger = self.behaviour, self.ledger
        ledger.calls += 1
        ledger.methods.append(str(scope.get("method")))
        ledger.preconditions.append(preconditions_of(scope_environ(scope)))
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
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await watcher

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
            try:
                raise self._fail()
            except HandlerError:
                ledger.start_calls += 1
                headers = [(b"content-type", b"text/plain")]
                await send({"type": "http.response.start", "status": 500, "headers": headers})
                await send({"type": "http.response.body", "body": ERROR_BODY})
            return
        first = 0
        early = b""
        if behaviour.lazy_start and behaviour.chunks:
            early, first = self._produce(0, after_start=False), 1
        headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in behaviour.headers]
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


def with_asgi_traits(
    behaviours: SearchStrategy[HandlerBehaviour],
) -> SearchStrategy[HandlerBehaviour]:
    """``behaviours`` drawn again as ASGI apps: no ``write()`` (ASGI has
    none), and whether the app reads the request body and watches for
    ``http.disconnect`` drawn (a behaviour that already watches keeps it)."""

    def traits(behaviour: HandlerBehaviour) -> SearchStrategy[HandlerBehaviour]:
        return st.builds(
            lambda reads, watches: dataclasses.replace(
                behaviour,
                written=0,
                reads_body=reads,
                watches_disconnect=watches or behaviour.watches_disconnect,
            ),
            st.booleans(),
            st.booleans(),
        )

    return behaviours.flatmap(traits)


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
