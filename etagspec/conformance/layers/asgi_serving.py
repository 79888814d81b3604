"""A checking ASGI server in a few lines: :func:`serve_asgi` calls an app
the way an ASGI server does for one HTTP request, and records what a server
would object to (a body before the start, a second start, a message after
the final body) instead of raising it, in the same :class:`Served` the WSGI
server returns, with every message the app sent.

``receive`` gives the request body once; later calls wait until the
response is complete (the final body message sent, or the app returned)
and then answer ``http.disconnect``, as servers do when a response is over.
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from ..bounds import Bounds
from ..model import ProbeRequest, ProbeResponse
from .serving import Sent, Served

__all__ = ["call_asgi", "scope_for", "serve_asgi"]

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]


def scope_for(request: ProbeRequest) -> dict[str, Any]:
    """The ASGI ``http`` scope of ``request``, on http://localhost/.

    >>> scope = scope_for(ProbeRequest("GET", "/", (("If-None-Match", '"a"'),)))
    >>> scope["method"], scope["headers"][-1]
    ('GET', (b'if-none-match', b'"a"'))
    """
    headers = [(b"host", b"localhost")]
    if request.body:
        headers.append((b"content-length", str(len(request.body)).encode("ascii")))
    headers += [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in request.headers]
    path, _, query = request.path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
        "state": {},
    }


def _status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


async def call_asgi(
    app: ASGIApp, request: ProbeRequest, *, max_body_bytes: int | None = None
) -> Served:
    """:func:`serve_asgi` on the running loop; the body is never kept past
    ``max_body_bytes`` (past it, :class:`~etagspec.conformance.bounds.OverBound`
    stops the run)."""
    cap = Bounds(max_body_bytes=max_body_bytes) if max_body_bytes is not None else None
    complete = asyncio.Event()
    delivered = [False]
    finished = [False]
    sent: list[Sent] = []
    errors: list[str] = []
    start: list[tuple[int, tuple[tuple[str, str], ...]]] = []
    body: list[bytes] = []
    size = [0]

    async def receive() -> Message:
        if not delivered[0]:
            delivered[0] = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        kind = str(message.get("type"))
        if finished[0]:
            errors.append(f"{kind!r} sent after the final body message")
        if kind == "http.response.start":
            status = message.get("status")
            code = status if isinstance(status, int) else 0
            sent.append(Sent("start", code))
            if start:
                errors.append("'http.response.start' sent twice")
                return
            pairs = [
                (bytes(n).decode("latin-1"), bytes(v).decode("latin-1"))
                for n, v in message.get("headers", ())
            ]
            start.append((code, tuple(pairs)))
        elif kind == "http.response.body":
            data = bytes(message.get("body", b""))
            more = bool(message.get("more_body", False))
            sent.append(Sent("body", len(data), more))
            if not start:
                errors.append("'http.response.body' sent before 'http.response.start'")
            if finished[0]:
                return
            size[0] += len(data)
            if cap is not None and size[0] > cap.max_body_bytes:
                raise cap.body_over(size[0], f"{request.method} {request.path}")
            body.append(data)
            if not more:
                finished[0] = True
                complete.set()
        else:
            sent.append(Sent(kind))
            errors.append(f"unknown message type {kind!r}")

    raised: BaseException | None = None
    try:
        await app(scope_for(request), receive, send)
    except Exception as error:  # what an app raises is a finding, never the harness's crash
        raised = error
    finally:
        complete.set()
    if start and not finished[0] and raised is None:
        errors.append("the app returned without a final body message (more_body false)")
    start_calls = tuple((_status_line(s.size), False) for s in sent if s.kind == "start")
    if not start:
        why = f"raised {type(raised).__name__}" if raised else "no 'http.response.start' sent"
        return Served(ProbeResponse(0, error=why), raised, start_calls, tuple(errors), tuple(sent))
    code, headers = start[0]
    response = ProbeResponse(
        code, headers, b"".join(body), None if 100 <= code <= 599 else f"bad status {code!r}"
    )
    return Served(response, raised, start_calls, tuple(errors), tuple(sent))


def serve_asgi(
    app: ASGIApp, method: str = "GET", headers: Sequence[tuple[str, str]] = ()
) -> Served:
    """Call ``app`` for one request as an ASGI server would (on a new event
    loop), and say what came back.

    >>> async def app(scope, receive, send):
    ...     await send({"type": "http.response.start", "status": 200,
    ...                 "headers": [(b"etag", b'"a"')]})
    ...     await send({"type": "http.response.body", "body": b"hi"})
    >>> print(serve_asgi(app, "GET", [("If-None-Match", '"b"')]))
    200 OK
    etag: "a"
    <BLANKLINE>
    hi
    """
    return asyncio.run(call_asgi(app, ProbeRequest(method, "/", tuple(headers))))
