"""A checking WSGI server in a few lines: :func:`serve` calls an app the way
PEP 3333 says a server does (iterate, then ``close()`` on every path), and
records what a server would object to instead of raising it."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ...headers import header_value
from ..bounds import Bounds
from ..model import ProbeRequest, ProbeResponse
from ..targets.wsgi import WSGIApp, server_environ

__all__ = ["FileWrapper", "Sent", "Served", "environ_for", "serve"]


class FileWrapper:
    """``wsgi.file_wrapper``: iterates a file-like object in blocks and
    closes it when closed (PEP 3333, optional platform-specific file handling)."""

    def __init__(self, filelike: Any, block_size: int = 8192) -> None:
        self.filelike = filelike
        self.block_size = block_size

    def __iter__(self) -> Iterator[bytes]:
        return iter(lambda: bytes(self.filelike.read(self.block_size)), b"")

    def close(self) -> None:
        close = getattr(self.filelike, "close", None)
        if close is not None:
            close()


def environ_for(request: ProbeRequest) -> dict[str, Any]:
    """A PEP 3333 environ for ``request``, on http://localhost/.

    >>> environ = environ_for(ProbeRequest("GET", "/", (("If-None-Match", '"a"'),)))
    >>> environ["REQUEST_METHOD"], environ["HTTP_IF_NONE_MATCH"]
    ('GET', '"a"')
    """
    environ = server_environ(request)
    environ["CONTENT_LENGTH"] = str(len(request.body)) if request.body else ""
    environ["wsgi.file_wrapper"] = FileWrapper
    for name, value in request.headers:
        key = "HTTP_" + name.upper().replace("-", "_")
        environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


@dataclass(frozen=True)
class Sent:
    """One ASGI message a layer sent: its kind (``"start"``, ``"body"`` or
    the message type), the status of a start or the size of a body, and a
    body's ``more_body``."""

    kind: str
    size: int = 0
    more_body: bool = False


@dataclass(frozen=True)
class Served:
    """What a server saw of one call: the response (``error`` set when there
    was none), the exception that came out of the app, every
    ``start_response`` call (status, whether it carried ``exc_info``) and
    the PEP 3333 rules the app broke (for an ASGI app: its start messages,
    the ASGI rules it broke, and every message it ``sent``)."""

    response: ProbeResponse
    raised: BaseException | None
    start_calls: tuple[tuple[str, bool], ...]
    protocol_errors: tuple[str, ...]
    sent: tuple[Sent, ...] = ()

    def __str__(self) -> str:
        lines: list[str] = []
        if self.response.status:
            lines.append(self.start_calls[-1][0])
            lines += [f"{name}: {value}" for name, value in self.response.headers]
            lines += ["", self.response.body.decode("latin-1")]
        if self.raised is not None:
            lines.append(f"raised {type(self.raised).__name__}: {self.raised}")
        rules = "ASGI" if self.sent else "PEP 3333"
        lines += [f"{rules}: {error}" for error in self.protocol_errors]
        return "\n".join(lines)


def serve(app: WSGIApp, method: str = "GET", headers: Sequence[tuple[str, str]] = ()) -> Served:
    """Call ``app`` for one request as a WSGI server would, and say what came back.

    >>> def app(environ, start_response):
    ...     start_response("200 OK", [("ETag", '"a"')])
    ...     return [b"hi"]
    >>> print(serve(app, "GET", [("If-None-Match", '"b"')]))
    200 OK
    ETag: "a"
    <BLANKLINE>
    hi
    """
    return serve_request(app, ProbeRequest(method, "/", tuple(headers)))


def serve_request(
    app: WSGIApp,
    request: ProbeRequest,
    *,
    max_body_bytes: int | None = None,
    deadline: float | None = None,
) -> Served:
    """:func:`serve` for a :class:`ProbeRequest`; the body is read chunk by
    chunk, never kept past ``max_body_bytes`` (past it,
    :class:`~etagspec.conformance.bounds.OverBound` stops the run) and not
    read on past ``deadline`` (``time.monotonic()``)."""
    size = [0]
    cap = Bounds(max_body_bytes=max_body_bytes) if max_body_bytes is not None else None

    def keep(data: bytes) -> None:
        size[0] += len(data)
        if cap is not None and size[0] > cap.max_body_bytes:
            raise cap.body_over(size[0], f"{request.method} {request.path}")
        body.append(bytes(data))

    calls: list[tuple[str, list[tuple[str, str]], bool]] = []
    errors: list[str] = []
    body: list[bytes] = []
    sent = [False]

    def write(data: bytes) -> None:
        if not calls:
            errors.append("write() called before start_response")
        if data:
            sent[0] = True
            keep(data)

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and sent[0]:
            raise exc_info[1].with_traceback(exc_info[2])
        if calls and exc_info is None:
            errors.append("start_response called again without exc_info")
        calls.append((status, list(headers), exc_info is not None))
        return write

    raised: BaseException | None = None
    try:
        result = app(environ_for(request), start_response)
        try:
            for chunk in result:
                if chunk:
                    if not calls:
                        errors.append("content produced before start_response")
                    sent[0] = True
                    keep(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    break  # nobody waits for the rest
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except Exception:  # what an app raises is a finding, never the harness's crash
        raised = sys.exc_info()[1]
    start_calls = tuple((status, carried) for status, _, carried in calls)
    if not calls:
        error = f"raised {type(raised).__name__}" if raised else "start_response never called"
        return Served(ProbeResponse(0, error=error), raised, start_calls, tuple(errors))
    status, headers, _ = calls[-1]
    code = int(status[:3]) if status[:3].isdigit() else 0
    response = ProbeResponse(
        code, tuple(headers), b"".join(body), None if code else f"bad status {status!r}"
    )
    return Served(response, raised, start_calls, tuple(errors))


def content_length(response: ProbeResponse) -> int | None:
    """The response's Content-Length as an int, or None."""
    value = header_value(response.headers, "Content-Length")
    return int(value) if value is not None and value.strip().isdigit() else None
