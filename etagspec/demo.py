"""The embedded reference app: a small in-memory document store.

Every path names a document. ``GET``/``HEAD`` read it, ``PUT`` creates
(201) or replaces (204) it, ``DELETE`` removes it (204); other methods get
405. Documents carry a strong ETag (a digest of path, revision and
content, so a tag is never reused for different content), a Last-Modified
date and ``Cache-Control: no-cache`` (reuse only after revalidation). All of
it is built from etagspec's public decorators; the conformance harness runs
against it by default.

Writes are atomic with respect to their precondition check: one lock covers
the evaluation of If-Match / If-Unmodified-Since and the write, so two
conditional PUTs based on the same version can never both succeed.

A PUT's body is read whole before anything else, outside the lock: a body
shorter than its Content-Length (the client went away) is answered 400, one
over 16 MiB (:data:`etagspec.request.MAX_BODY_LENGTH`) 413 Content Too Large,
and neither is ever stored, not even in part.

Each version of a path gets its own whole-second Last-Modified, never in
the future (a second write within one second waits for the next second),
so If-Unmodified-Since protects against lost updates as well as If-Match.

>>> from etagspec.testing import TestApp
>>> client = TestApp(make_app({"/hello": b"hello, world"}))
>>> first = client.get("/hello")
>>> first.status, first.body
('200 OK', b'hello, world')
>>> client.get("/hello", HTTP_IF_NONE_MATCH=first.header("ETag")).status
'304 Not Modified'
>>> client.put("/hello", b"changed", HTTP_IF_MATCH=first.header("ETag")).status
'204 No Content'
>>> client.put("/hello", b"lost update", HTTP_IF_MATCH=first.header("ETag")).status
'412 Precondition Failed'
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TextIO
from urllib.parse import quote

from .caching import cache_control, conditional
from .dates import format_http_date
from .digest import digest
from .errors import InvalidRequestBody, RequestBodyTooLarge
from .etags import EntityTag
from .request import Request
from .response import Response
from .wsgi_adapter import WSGIApp, to_wsgi

__all__ = [
    "DEFAULT_DOCUMENTS",
    "DEMO_SERVER",
    "Document",
    "DocumentStore",
    "SkippedTime",
    "SystemTime",
    "app",
    "demo_server",
    "main",
    "make_app",
]

#: What a fresh demo serves.
DEFAULT_DOCUMENTS: Mapping[str, bytes] = {
    "/": b"etagspec reference document store. PUT a document anywhere.\n",
    "/hello": b"Hello, conditional world!\n",
    "/data.json": b'{"answer": 42, "tags": ["a", "b"]}\n',
}

_ALLOWED = "GET, HEAD, PUT, DELETE"
# What a Location path may keep unescaped (RFC 3986 pchar and "/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# A Content-Type the store will send back: SP, VCHAR and obs-text. A field
# value may also hold HTAB (RFC 9110 §5.5), but WSGI's own checker
# (wsgiref.validate) refuses every control character, HTAB included.
_STORABLE_CONTENT_TYPE = re.compile(r"[\x20-\x7e\x80-\xff]*")


class SystemTime:
    """Real time: :meth:`clock` is :func:`time.time` and :meth:`sleep` waits."""

    def clock(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class SkippedTime(SystemTime):
    """A day behind real time, plus every second slept; sleeping waits for nothing.

    A store on it keeps the one-write-per-second rule (each version of a
    path gets a second of its own, never later than Date) without spending
    the seconds: the test suite runs the demo on it. It runs behind real
    time because ``conditional`` clamps Last-Modified to the real clock
    (VAL-LM-4): ahead of it, two versions would share the clamped second.

    >>> skipped = SkippedTime()
    >>> before = skipped.clock()
    >>> skipped.sleep(30)
    >>> 30 <= skipped.clock() - before < 60 and skipped.clock() < time.time()
    True
    """

    #: How far behind real time it starts: more seconds than a store in a
    #: test ever skips.
    LEAD: ClassVar[float] = 86_400.0

    def __init__(self) -> None:
        self.skipped = 0.0

    def clock(self) -> float:
        return time.time() - self.LEAD + self.skipped

    def sleep(self, seconds: float) -> None:
        self.skipped += max(seconds, 0.0)


#: What a store given neither ``clock`` nor ``sleep`` runs on: a fresh
#: instance per store. The test suite sets :class:`SkippedTime` here
#: (tests/conftest.py), so that demos made from a spec skip the waits too.
default_time: Callable[[], SystemTime] = SystemTime


@dataclass(frozen=True, slots=True)
class Document:
    """One stored version of a document."""

    body: bytes
    content_type: str
    revision: int
    etag: EntityTag
    last_modified: int


class DocumentStore:
    """Documents by path, with a lock that writers (and readers) hold.

    ``clock`` and ``sleep`` default to those of a fresh
    :data:`default_time` (real time); a test or a fuzzer can pass a
    simulated pair so that the one-write-per-second rule costs no real time.
    """

    def __init__(
        self,
        documents: Mapping[str, bytes] | None = None,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        timing = default_time()
        self.clock = timing.clock if clock is None else clock
        self._sleep = timing.sleep if sleep is None else sleep
        self._documents: dict[str, Document] = {}
        self._last_modified: dict[str, int] = {}
        self._revision = 0
        initial = DEFAULT_DOCUMENTS if documents is None else documents
        for path, body in initial.items():
            self.put(path, body, "text/plain; charset=utf-8")

    def get(self, path: str) -> Document | None:
        """The current version at ``path``, or None."""
        return self._documents.get(path)

    def put(self, path: str, body: bytes, content_type: str) -> Document:
        """Store a new version.

        Its Last-Modified is a whole second that no earlier version of this
        path had and that is not in the future: a write that comes within
        the same second as the previous one waits for the next second (so
        at most one write per path per second), which keeps
        If-Unmodified-Since a reliable lost-update guard.
        """
        with self.lock:
            now = self.clock()
            previous = self._last_modified.get(path)
            if previous is not None and int(now) <= previous:
                self._sleep(previous + 1 - now)
                now = max(self.clock(), previous + 1)
            self._revision += 1
            modified = int(now)
            tag = EntityTag(digest((path, self._revision, content_type, body)))
            document = Document(body, content_type, self._revision, tag, modified)
            self._documents[path] = document
            self._last_modified[path] = modified
            return document

    def delete(self, path: str) -> bool:
        """Remove the document at ``path``; whether there was one."""
        with self.lock:
            return self._documents.pop(path, None) is not None


def make_app(
    documents: Mapping[str, bytes] | None = None,
    *,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], object] | None = None,
) -> WSGIApp:
    """A fresh demo application (with its own store; ``clock`` and ``sleep``
    as for :class:`DocumentStore`).

    Whatever the request, the answer is a valid WSGI response: a PUT whose
    Content-Type could not be sent back is refused with 400, and the
    Location of a created document is percent-encoded.

    >>> from etagspec.testing import TestApp
    >>> client = TestApp(make_app({}))
    >>> client.put("/a b", b"x", CONTENT_TYPE="text/plain").header("Location")
    '/a%20b'
    >>> client.put("/c", b"x", CONTENT_TYPE="text/plain\\x00").status
    '400 Bad Request'
    """
    store = DocumentStore(documents, clock=clock, sleep=sleep)

    def current_etag(request: Request) -> EntityTag | None:
        document = store.get(request.path)
        return document.etag if document else None

    def current_last_modified(request: Request) -> int | None:
        document = store.get(request.path)
        return document.last_modified if document else None

    def exists(request: Request) -> bool:
        return store.get(request.path) is not None

    @cache_control(no_cache=True)
    @conditional(
        etag=current_etag,
        last_modified=current_last_modified,
        exists=exists,
        ranges=True,
        strong_last_modified=True,
    )
    def document(request: Request) -> Response:
        method = request.method
        path = request.path
        current = store.get(path)
        if method in ("GET", "HEAD"):
            if current is None:
                return _not_found(path)
            # METH-HEAD-2, METH-GEN-1: HEAD gets GET's answer (and fields),
            # Content-Length included (CL-HEAD; a 304 keeps it too, CL-304).
            return Response(
                [current.body],
                content_type=current.content_type,
                content_length=str(len(current.body)),
            )
        if method == "PUT":
            content_type = request.get_header("Content-Type") or "application/octet-stream"
            if _STORABLE_CONTENT_TYPE.fullmatch(content_type) is None:
                # It would be sent back as a header: refuse it now, not on every GET.
                return _plain_text(400, "400 Bad Request: control characters in Content-Type")
            stored = store.put(path, request.read_body(), content_type)
            headers = [("ETag", str(stored.etag))]
            headers.append(("Last-Modified", format_http_date(stored.last_modified)))
            if current is None:
                return _plain_text(
                    201, f"created {path}", [*headers, ("Location", _location(path))]
                )
            return Response(None, 204, headers)
        if method == "DELETE":
            if not store.delete(path):
                return _not_found(path)
            return Response(None, 204)
        return _plain_text(405, f"405 Method Not Allowed: {method}", [("Allow", _ALLOWED)])

    def locked(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        @functools.wraps(handler)
        def locked_handler(request: Request) -> Response:
            if request.method == "PUT":
                # Read whole before the lock (a slow client holds no one up)
                # and before the preconditions: a body that is not all there,
                # or too large, is refused and never stored.
                try:
                    request.read_body()
                except RequestBodyTooLarge as error:
                    return _dated(_plain_text(413, f"413 Content Too Large: {error}"), store)
                except InvalidRequestBody as error:
                    return _dated(_plain_text(400, f"400 Bad Request: {error}"), store)
            with store.lock:
                response = handler(request)
                if response.get_header("Date") is None:
                    # DATE-ORIGIN-1, from the clock Last-Modified is clamped to (WSGI-4).
                    response = response.add_header("Date", format_http_date(store.clock()))
                return response

        return locked_handler

    application = to_wsgi(locked(document))
    application.store = store  # type: ignore[attr-defined]
    return application


def _dated(response: Response, store: DocumentStore) -> Response:
    """``response`` with the store's Date (DATE-ORIGIN-1)."""
    return response.add_header("Date", format_http_date(store.clock()))


def _location(path: str) -> str:
    """``path`` (WSGI's latin-1 text) percent-encoded for a Location field."""
    return quote(path, safe=_PATH_SAFE, encoding="latin-1", errors="replace")


def _not_found(path: str) -> Response:
    return _plain_text(404, f"404 Not Found: {path}")


def _plain_text(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> Response:
    """A short text/plain answer with its Content-Length, encoded as it says (UTF-8)."""
    body = f"{text}\n".encode("utf-8", "replace")
    return Response(
        [body],
        status,
        headers,
        content_type="text/plain; charset=utf-8",
        content_length=str(len(body)),
    )


#: The default instance, ``etagspec.demo:app``.
app = make_app()


#: The server the demo runs on, said in ``etagspec demo --help`` and the README.
DEMO_SERVER = "waitress"
#: Its worker threads: a slow client holds at most one of them.
DEMO_THREADS = 4
#: How long a stopped demo (Ctrl-C, SIGTERM) waits for the requests its
#: workers are serving, in seconds; waitress's own default is 5 s. A worker
#: can be busy for long: a write within the second of the previous one waits
#: for the next second, holding the store's lock, so writes queued on one
#: path take a second each; a client that stops reading a large answer
#: holds its worker until it reads again. The store is in memory and goes
#: with the process, so nothing is gained by waiting for them longer.
STOP_GRACE = 0.25
# waitress logs a warning for every 304 that keeps the 200's Content-Length
# (RFC 9110 §8.6 allows it; CL-304) as if the body had been cut short.
_SHORT_BODY_WARNING = "application returned too few bytes"


class _QuietAboutKeptLengths(logging.Filter):
    """Drops waitress's "too few bytes" warning (see above); keeps the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_SHORT_BODY_WARNING)


def demo_server(application: WSGIApp, port: int, *, host: str = "127.0.0.1") -> Any:
    """``application`` on a waitress server bound to ``host:port`` (port 0:
    a free one, see its ``effective_port``), not yet running: call ``run()``.

    Waitress, because it passes header fields to the app as the client sent
    them (a field it cannot accept gets 400, never a silently repaired value,
    so the conformance harness judges the app over the wire as in-process),
    and because its I/O thread buffers each request whole before a worker
    sees it: a client that sends half a request and idles holds no worker,
    so it cannot block anyone else's GET.

    When it stops, it gives the requests being served :data:`STOP_GRACE`
    seconds to finish, not waitress's 5.

    >>> server = demo_server(make_app(), 0)
    >>> int(server.effective_port) > 0
    True
    >>> server.task_dispatcher.shutdown.keywords
    {'timeout': 0.25}
    >>> server.close()
    """
    import waitress

    logging.getLogger("waitress").addFilter(_QuietAboutKeptLengths())
    server = waitress.create_server(
        application, host=host, port=port, threads=DEMO_THREADS, ident="etagspec-demo"
    )
    # run() ends on KeyboardInterrupt by calling shutdown() with its default
    # timeout: the grace, bound here.
    workers = server.task_dispatcher
    workers.shutdown = functools.partial(workers.shutdown, timeout=STOP_GRACE)
    return server


#: The signals that stop ``etagspec demo``: Ctrl-C, and ``kill``'s default.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _interrupted_by(signals: Iterable[signal.Signals]) -> Iterator[None]:
    """Within the block, each of ``signals`` raises :class:`KeyboardInterrupt`
    in the main thread (where waitress's loop ends on it), even in a process
    that was started with the signal ignored: a shell script's background
    job (``etagspec demo 8000 &``) starts with SIGINT ignored, and Python
    then leaves it so. The previous handlers come back after the block.
    Elsewhere than in the main thread, which alone may set handlers, it
    changes nothing."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, interrupt) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(  # pragma: no cover - tests/test_demo.py runs it in its own process
    argv: Iterable[str] | None = None, out: TextIO | None = None
) -> None:
    """Serve the demo on 127.0.0.1 (``python -m etagspec.demo [PORT]``; PORT
    0 picks a free port) until SIGINT (Ctrl-C) or SIGTERM, which end it
    quietly whenever they come, within :data:`STOP_GRACE` seconds and a
    little more."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    port = int(args[0]) if args else 8000
    stream = out or sys.stdout
    # The handlers go in first, so that a signal at any moment, the banner
    # included, is a quiet stop rather than a traceback.
    with contextlib.suppress(KeyboardInterrupt), _interrupted_by(_STOP_SIGNALS):
        server = demo_server(make_app(), port)
        try:
            stream.write(
                f"etagspec demo on http://127.0.0.1:{server.effective_port}/ "
                f"({DEMO_SERVER}, {DEMO_THREADS} threads; Ctrl-C to stop)\n"
            )
            stream.flush()
            server.run()
        finally:
            server.close()


if __name__ == "__main__":  # pragma: no cover
    main()
