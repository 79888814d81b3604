"""The ASGI target: an ASGI 3 application driven in-process through httpx.

httpx's :class:`~httpx.ASGITransport` builds the ``http`` scope and the
``receive``/``send`` channels, as a server would. The app sees the probe's
header lines (names lowercased, as ASGI requires) plus ``host`` (and a
``content-length`` when there is a body): none of the defaults an httpx
client adds. The app's messages are checked against the ASGI HTTP spec as
they arrive, so a broken exchange is reported with what was wrong.

One event loop serves the target for its whole life (closed when the target
is garbage-collected, or by :meth:`ASGITarget.close`). A request that takes
longer than ``timeout`` is cancelled; the loop runs in the target's worker
thread (see :mod:`.worker`), so an app that blocks the loop without awaiting
is abandoned at the same deadline. Either way the target then answers every
later probe at once with an error. Body bytes past the cap are refused, never
buffered, and stop the run (see :mod:`etagspec.conformance.bounds`).

Limits: httpx normalizes the path (``/a/../b`` arrives as ``/b``) and drops
a HEAD answer's body, as ASGI servers do.

httpx comes with the ``asgi`` extra (``pip install 'etagspec[asgi]'``), so it
is imported when a target is made, not with this module: without it, making
an ASGITarget raises a :class:`~.base.TargetError` that names the extra.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from ..._memo import remember
from ..bounds import Bounds
from ..model import ProbeRequest, ProbeResponse
from .base import (
    DEFAULT_TIMEOUT,
    CheckedExchange,
    InProcessTarget,
    TargetError,
    body_over,
    carries_body,
    describe_error,
    python_reproduction,
)
from .wsgi import BodyTooLong

if TYPE_CHECKING:
    import httpx

__all__ = ["ASGITarget"]

#: What a run says, as its one error line, when httpx is not installed.
MISSING_ASGI_EXTRA = "ASGI targets need the 'asgi' extra: pip install 'etagspec[asgi]'"


def _require_httpx() -> None:
    """Import httpx, or raise a TargetError naming the extra that installs it."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise TargetError(MISSING_ASGI_EXTRA) from None


Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


class _ASGIExchange(CheckedExchange):
    """The app's side of one request: its messages, checked as they come."""

    __slots__ = ("cap", "complete", "over_cap", "size", "started")

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.started = False
        self.complete = False
        self.cap = cap
        self.size = 0
        self.over_cap = False

    def check(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, MutableMapping) else None
        if kind == "http.response.start":
            if self.started:
                raise self.fail("the app sent 'http.response.start' twice")
            status = message.get("status")
            if type(status) is not int or not 100 <= status <= 599:
                raise self.fail(f"invalid status {status!r} in 'http.response.start'")
            for item in message.get("headers", ()):
                pair = tuple(item) if isinstance(item, (list, tuple)) else ()
                if len(pair) != 2 or not all(isinstance(part, bytes) for part in pair):
                    raise self.fail(f"invalid response header {item!r} (want [bytes, bytes])")
            self.started = True
        elif kind == "http.response.body":
            if not self.started:
                raise self.fail("the app sent 'http.response.body' before 'http.response.start'")
            if self.complete:
                raise self.fail("the app sent 'http.response.body' after the last one")
            chunk = message.get("body", b"")
            if not isinstance(chunk, bytes):
                raise self.fail(f"the app sent a body of {type(message['body']).__name__}")
            self.size += len(chunk)
            if self.size > self.cap:  # never handed on, so never buffered
                self.over_cap = True
                raise BodyTooLong(f"the response body passed the cap of {self.cap} bytes")
            self.complete = not message.get("more_body", False)
        elif not (isinstance(kind, str) and kind.startswith("http.response.")):
            raise self.fail(f"the app sent {message!r}, not an 'http.response.*' message")

    def finish(self) -> None:
        """The app returned: was the response complete?"""
        if not self.started:
            raise self.fail("the app returned without sending 'http.response.start'")
        if not self.complete:
            raise self.fail("the app returned before its last 'http.response.body'")


class ASGITarget(InProcessTarget[ASGIApp]):
    """An ASGI 3 application driven in-process.

    >>> async def app(scope, receive, send):
    ...     headers = [(b"x-seen", b",".join(name for name, _ in scope["headers"]))]
    ...     await send({"type": "http.response.start", "status": 200, "headers": headers})
    ...     await send({"type": "http.response.body", "body": b"hello"})
    >>> target = ASGITarget(app)
    >>> response = target.send(ProbeRequest("GET", "/", (("If-None-Match", '"x"'),)))
    >>> response.status, response.header("X-Seen"), response.body
    (200, 'host,if-none-match', b'hello')
    >>> target.close()
    """

    kind = "asgi"
    interrupts = False  # the loop is cancelled cooperatively, never interrupted
    grace = 0.25  # how long a cancelled request gets to end (else it is abandoned)

    def __init__(
        self,
        app: ASGIApp,
        name: str | None = None,
        spec: str | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        bounds: Bounds | None = None,
    ) -> None:
        _require_httpx()  # first: a missing extra is said before anything starts
        super().__init__(app, name, spec, timeout=timeout, bounds=bounds)
        self._urls: dict[str, httpx.URL] = {}
        self._loop = asyncio.new_event_loop()
        self._closer = weakref.finalize(self, _close_loop, self._loop)
        self._closing = False

    def close(self) -> None:
        """Close the target's event loop (also done when it is collected);
        a loop still running an abandoned request is closed by its thread
        when that request ends."""
        self._closing = True
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(_cancel_all, self._loop)
            return
        self._closer()

    def send(self, request: ProbeRequest) -> ProbeResponse:
        if self.hung is None and self._loop.is_closed():
            return ProbeResponse(0, error="not sent: the target was closed")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            return ProbeResponse(
                0, error="not sent: an ASGITarget cannot be driven from inside a running event loop"
            )
        return self.bounded(lambda deadline: self._run(request, deadline))

    def _run(self, request: ProbeRequest, deadline: float | None) -> ProbeResponse:
        """One exchange on the target's loop (in its worker thread), the
        task cancelled at ``deadline`` (an app that awaits stops there; one
        that blocks the loop is abandoned by the caller)."""
        task = self._loop.create_task(self._exchange(request))
        # Cancelled at the deadline; the caller waits ``grace`` more, so an
        # app that awaits ends cleanly (and its loop stays usable and closable).
        timer = (
            None
            if deadline is None
            else self._loop.call_later(max(0.0, deadline - time.monotonic()), task.cancel)
        )
        try:
            return self._loop.run_until_complete(task)
        except asyncio.CancelledError:  # at the deadline: the app hung
            self.hung = f"no response within {self.timeout:g} s"
            return ProbeResponse(0, error=self.hung)
        finally:
            if timer is not None:
                timer.cancel()
            if self._closing:  # closed while this request ran (and was abandoned)
                self._closer()

    async def _exchange(self, request: ProbeRequest) -> ProbeResponse:
        exchange = _ASGIExchange(self.bounds.max_body_bytes)

        async def checked_app(scope: Any, receive: Receive, send: Send) -> None:
            async def checked_send(message: Message) -> None:
                exchange.check(message)
                await send(message)

            await self.app(scope, receive, checked_send)
            exchange.finish()

        import httpx  # loaded by __init__ (see _require_httpx)

        transport = httpx.ASGITransport(app=checked_app)
        try:
            outgoing = httpx.Request(
                request.method,
                self._url(request.path),
                headers=[
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in request.headers
                ],
                content=request.body if carries_body(request) else None,
            )
        except UnicodeEncodeError as error:
            return ProbeResponse(0, error=f"not sent: the request is not latin-1 text ({error})")
        except httpx.InvalidURL as error:
            return ProbeResponse(0, error=f"not sent: {error}")
        try:
            answer = await transport.handle_async_request(outgoing)
            body = await answer.aread()
        except Exception as error:  # the app's failure is a finding, not a crash
            if exchange.over_cap:
                raise body_over(self.bounds, exchange.size, request) from None
            return ProbeResponse(0, error=exchange.problem or describe_error(error))
        if exchange.over_cap:
            raise body_over(self.bounds, exchange.size, request)
        if exchange.problem is not None:  # a violation the app caught and hid
            return ProbeResponse(0, error=exchange.problem)
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in answer.headers.raw
        )
        return ProbeResponse(answer.status_code, headers, body)

    def _url(self, path: str) -> httpx.URL:
        """The URL of a path (parsed once: a run sends many probes per path)."""
        url = self._urls.get(path)
        if url is None:
            import httpx

            url = remember(self._urls, path, httpx.URL("http://localhost" + path))
        return url

    def reproduce(self, request: ProbeRequest) -> str:
        """A runnable Python snippet that sends the same request."""
        return python_reproduction(
            self.spec, self.kind, "ASGITarget(app)", request, factory=self.factory
        )


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    for task in asyncio.all_tasks(loop):
        task.cancel()


def _close_loop(loop: asyncio.AbstractEventLoop) -> None:
    if loop.is_closed() or loop.is_running():
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop is running here: finalize async generators first
        loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
