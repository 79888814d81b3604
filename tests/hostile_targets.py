"""Hostile and broken targets for the bounds tests: WSGI and ASGI apps and
layers that never end, sleep, swallow the deadline or wait in C, and
raw-socket servers on 127.0.0.1 that trickle, flood or break the framing.

The apps are module attributes so that ``etagspec check`` can load them by
spec in a subprocess (``hostile_targets:endless_body``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["SERVERS", "raw_server"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_OK = [("Content-Type", "text/plain"), ("ETag", '"v1"')]


# --- in-process WSGI apps ------------------------------------------------------------


def endless_body(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
    """A 200 whose body never ends (1 MiB chunks, no Content-Length)."""
    start_response("200 OK", list(_OK))
    chunk = b"x" * (1024 * 1024)
    while True:
        yield chunk


def sleeps(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Never answers: sleeps for an hour (in C, releasing the GIL)."""
    time.sleep(3600)
    return []


def swallows_the_deadline(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> list[bytes]:
    """Catches everything raised at it, the deadline's exception too, and goes on."""
    while True:
        with contextlib.suppress(BaseException):  # the hostility under test
            time.sleep(0.01)


def waits_in_c(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Blocks in C on a lock nobody releases."""
    lock = threading.Lock()
    lock.acquire()
    lock.acquire()
    return []


def writes_forever(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Pushes an endless body through ``write()`` (never returning)."""
    write = start_response("200 OK", list(_OK))
    chunk = b"y" * (1024 * 1024)
    while True:
        write(chunk)


def slow_but_correct(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """A correct static 200 (no validators) that takes 50 ms per request."""
    time.sleep(0.05)
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


# --- in-process ASGI apps ------------------------------------------------------------


async def asgi_endless_body(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI 200 whose body never ends."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"etag", b'"v1"')]})
    chunk = b"z" * (1024 * 1024)
    while True:
        await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def asgi_blocks_the_loop(scope: Any, receive: Any, send: Any) -> None:
    """Blocks its event loop (never awaits)."""
    time.sleep(3600)


# --- layers (wrap(app) -> app) ----------------------------------------------------


def endless_layer(app: WSGIApp) -> WSGIApp:
    """A middleware whose response iterable never ends."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        for _ in app(environ, start_response):
            pass
        while True:
            yield b"w" * (1024 * 1024)

    return wrapped


def sleeping_layer(app: WSGIApp) -> WSGIApp:
    """A middleware that sleeps for an hour before answering."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        time.sleep(3600)
        return app(environ, start_response)

    return wrapped


# --- raw-socket servers ---------------------------------------------------------------

Script = Callable[[socket.socket, bytes], None]


def _read_head(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    return data


def _reply(payload: bytes) -> Script:
    def script(connection: socket.socket, head: bytes) -> None:
        connection.sendall(payload)

    return script


def _trickle(head: bytes, unit: bytes, pause: float) -> Script:
    """Send ``head``, then ``unit`` every ``pause`` seconds, forever."""

    def script(connection: socket.socket, request: bytes) -> None:
        connection.sendall(head)
        while True:
            connection.sendall(unit)
            time.sleep(pause)

    return script


def _flood(head: bytes, unit: bytes) -> Script:
    """Send ``head``, then ``unit`` as fast as the client reads, forever."""

    def script(connection: socket.socket, request: bytes) -> None:
        connection.sendall(head)
        block = unit * max(1, 65536 // len(unit))
        while True:
            connection.sendall(block)

    return script


def _stall(connection: socket.socket, head: bytes) -> None:
    time.sleep(3600)


def _reset(connection: socket.socket, head: bytes) -> None:
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


_PLAIN_200 = (
    b'HTTP/1.1 200 OK\r\nETag: "v1"\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n'
    b"Cache-Control: no-cache\r\nContent-Length: 2\r\n\r\nok"
)


def _plain_then(script: Script) -> Script:
    """Answer a request without precondition fields with a plain 200 (so
    the run gets going), and run ``script`` on every conditional one."""

    def conditional(connection: socket.socket, head: bytes) -> None:
        if b"\nif-" in head.lower():
            script(connection, head)
        else:
            connection.sendall(_PLAIN_200)

    return conditional


#: name -> what the server does after reading a request's head.
SERVERS: dict[str, Script] = {
    "trickled-body": _trickle(
        b'HTTP/1.1 200 OK\r\nContent-Length: 600\r\nETag: "v1"\r\n\r\n', b"x", 0.1
    ),
    "trickled-header-line": _trickle(b"HTTP/1.1 200 OK\r\nX-Slow: ", b"a", 0.05),
    "endless-body": _flood(b'HTTP/1.1 200 OK\r\nETag: "v1"\r\n\r\n', b"x"),
    "endless-header-section": _flood(b"HTTP/1.1 200 OK\r\n", b"X-More: yes\r\n"),
    "one-terabyte-content-length": _reply(
        b"HTTP/1.1 200 OK\r\nContent-Length: 1099511627776\r\n\r\nhello"
    ),
    "megabyte-etag": _reply(
        b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nETag: "' + b"e" * (1024 * 1024) + b'"\r\n\r\nok'
    ),
    "stall": _stall,
    "reset": _reset,
    "garbage-status-line": _reply(b"\x1b[31mNOT HTTP\x07\r\n\r\n"),
    "bare-cr": _reply(
        b'HTTP/1.1 200 OK\r\nETag: "v1"\rDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n'
        b"Content-Length: 2\r\n\r\nok"
    ),
    "cut-off-header-section": _reply(b'HTTP/1.1 200 OK\r\nETag: "v1"\r\n'),
    "short-body": _reply(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
    # Mid-run: the plain GETs are answered, the conditional requests are not.
    "stalls-when-conditional": _plain_then(_stall),
    "endless-when-conditional": _plain_then(_flood(b"HTTP/1.1 200 OK\r\n\r\n", b"x")),
}


@contextlib.contextmanager
def raw_server(script: Script) -> Iterator[str]:
    """A server on 127.0.0.1 that runs ``script`` on each connection (one
    thread each) after reading the request's head; yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.settimeout(0.05)
    stop = threading.Event()

    def handle(connection: socket.socket) -> None:
        with connection:
            try:
                connection.settimeout(30)
                script(connection, _read_head(connection))
            except OSError:  # the client gave up on us: that is the point
                pass

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()
