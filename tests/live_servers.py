"""Servers on 127.0.0.1 for the live-target tests: a real WSGI server, one
that records the exact request bytes and answers a canned reply, one that
accepts and never answers, and a port nobody listens on.

Every server runs in a daemon thread and is stopped when its ``with``
block ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from etagspec.conformance.servers import free_port

__all__ = ["RecordingServer", "refusing_url", "stalling_server", "waitress_server", "wsgi_server"]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _UndatedServerHandler(ServerHandler):
    """wsgiref's response writer without its own Date (and Server) fields:
    the status line and exactly the headers the app gave."""

    def send_preamble(self) -> None:
        status = self.status  # type: ignore[attr-defined]  # set by start_response
        self._write(f"HTTP/{self.http_version} {status}\r\n".encode("latin-1"))


class _UndatedHandler(_QuietHandler):
    def handle(self) -> None:  # WSGIRequestHandler.handle, with the writer above
        self.raw_requestline = self.rfile.readline(65537)
        if not self.parse_request():
            return
        handler = _UndatedServerHandler(
            self.rfile,
            self.wfile,  # type: ignore[arg-type]  # typeshed: BufferedIOBase, not IO[bytes]
            self.get_stderr(),
            self.get_environ(),
            multithread=False,
        )
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())  # type: ignore[attr-defined]


@contextlib.contextmanager
def wsgi_server(app: Callable[..., Any], *, adds_date: bool = True) -> Iterator[str]:
    """Serve ``app`` with wsgiref on a free port; yields its base URL.

    wsgiref adds Date to every response the app sends without one; with
    ``adds_date=False`` the answers carry only the app's own fields."""
    handler = _QuietHandler if adds_date else _UndatedHandler
    server: WSGIServer = make_server("127.0.0.1", 0, app, handler_class=handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def waitress_server(app: Callable[..., Any]) -> Iterator[str]:
    """Serve ``app`` with waitress (one thread) on a free port; yields its base URL."""
    import waitress

    server: Any = waitress.create_server(app, host="127.0.0.1", port=0, threads=1)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Closed from its own loop thread (closing its sockets from here races
        # with the select() that thread is in).
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


def _read_request(connection: socket.socket) -> bytes:
    """The request's head and (by Content-Length) its body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class RecordingServer:
    """Records each request's bytes and answers ``reply`` (raw bytes,
    written as is, then the connection is closed)."""

    def __init__(self, reply: bytes) -> None:
        self.reply = reply
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                try:
                    request = _read_request(connection)
                    if not request:  # a connection opened only to see that we listen
                        continue
                    self.requests.append(request)
                    connection.sendall(self.reply)
                    connection.shutdown(socket.SHUT_WR)
                except OSError:  # the client went away: its test will say so
                    continue

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()


@contextlib.contextmanager
def stalling_server() -> Iterator[str]:
    """Accepts connections (the kernel does, from its backlog) and never
    reads or answers; yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def refusing_url() -> str:
    """The URL of a port nothing listens on (connections are refused)."""
    return f"http://127.0.0.1:{free_port()}"
