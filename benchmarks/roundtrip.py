"""The conditional round trip through one WSGI call, 200 and 304 paths.

Every competitor serves a 5-byte document at ``/doc/<revision>`` whose
strong ETag is that revision (``/doc/xyzzy`` has ``"xyzzy"``), worked out
from the path on every call. A call is what a server does once it has built
the environ: call the app, take the status and headers, iterate the body
and close it. The 200 path sends ``If-None-Match: "stale-<revision>"`` (the
precondition passes), the 304 path ``If-None-Match: "<revision>"``.

Each path is measured twice. ``never seen``: every call asks for another
document, with a revision and an If-None-Match value no table has seen
(prepared environs, :class:`benchmarks.timing.Fresh`), as a server meets
them from many clients and documents. ``cached``: the same prepared environ
for ``/doc/xyzzy`` every time, the best case for etagspec's tables. An
environ is reused, not copied (etagspec never changes it; a peer that caches
something in it only gets faster).

The bare app is written as a user would write one: it declares a
Content-Type, works out Content-Length from its body and returns the body
as one chunk, with the ETag that gives ``etag_middleware`` something to
judge. The etagspec handler works out its Content-Length the same way
(WebOb, Werkzeug and Django compute theirs from the body themselves).
``etag_middleware`` never reads or hashes the content: it judges the
validators the app sends, so its cost is the same whatever the body.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import webob
import werkzeug.wrappers

from benchmarks import django_site
from benchmarks.groups import Group
from benchmarks.timing import FRESH_VALUES, Case, Fresh
from etagspec._abnf import ENTITY_TAG_RE
from etagspec.caching import etag_middleware, with_etag
from etagspec.request import Request
from etagspec.response import Response
from etagspec.wsgi_adapter import to_wsgi

__all__ = [
    "BARE",
    "CAPTURE_FLOOR",
    "DJANGO",
    "HANDLER_FLOOR",
    "JUDGING_FLOOR",
    "MIDDLEWARE",
    "WEBOB",
    "WERKZEUG",
    "WITH_ETAG",
    "apps",
    "bare_app",
    "never_seen_environs",
    "revision_of",
    "round_trip",
    "round_trip_groups",
    "status_of",
    "wsgi_environ",
]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

BARE = "bare app"
MIDDLEWARE = "bare app under etag_middleware"
WITH_ETAG = "etagspec handler with with_etag"
HANDLER_FLOOR = "floor: handler with its ETag, nothing evaluated"
CAPTURE_FLOOR = "floor: bare app under a capture-only middleware"
JUDGING_FLOOR = "floor: bare app under the least judging of If-None-Match"
WEBOB = "WebOb conditional_response"
WERKZEUG = "Werkzeug make_conditional"
DJANGO = "Django @condition (WSGIHandler)"


def revision_of(path: str) -> str:
    """The revision of the document at ``path``: its last segment."""
    return path.rpartition("/")[2]


def bare_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A WSGI app that knows nothing about preconditions (it builds a fresh
    header list on every call, as it must: a server may add to it)."""
    body = b"hello"
    etag = '"' + revision_of(environ["PATH_INFO"]) + '"'
    start_response(
        "200 OK",
        [("Content-Type", "text/plain"), ("ETag", etag), ("Content-Length", str(len(body)))],
    )
    return [body]


@with_etag(lambda request: revision_of(request.path))
def _handler(request: Request) -> Response:
    body = b"hello"
    return Response([body], content_type="text/plain", content_length=str(len(body)))


def _floor_handler(request: Request) -> Response:
    """What an etagspec handler costs before any evaluation: the Request,
    the revision from the path, the Response with its ETag (always a 200)."""
    body = b"hello"
    return Response(
        [body],
        content_type="text/plain",
        content_length=str(len(body)),
        etag='"' + revision_of(request.path) + '"',
    )


def capture_only(app: WSGIApp) -> WSGIApp:
    """The least a middleware that judges an app's headers must do: call the
    app with a start_response that records, then pass the app's answer on.
    Nothing is judged, so this is the floor of any such middleware."""

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: list[tuple[str, list[tuple[str, str]], Any]] = []
        written: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.append((status, headers, exc_info))
            return written.append

        iterable = app(environ, capture)
        status, headers, exc_info = captured[-1]
        start_response(status, headers, exc_info)
        return iterable

    return middleware


def least_judging(app: WSGIApp) -> WSGIApp:
    """A middleware that does the least any judge of a lone If-None-Match
    must: capture, find the ETag line, check that it is one valid tag, send
    304 when the field is exactly that tag. It is not a correct middleware
    (it ignores the method, If-Match, other spellings of the header names,
    lists, ``*``, lazy apps and closing the app's iterable): it is the floor
    that ``etag_middleware``'s 304 path is measured against."""

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        captured: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured.append((status, headers))
            return None

        iterable = app(environ, capture)
        status, headers = captured[-1]
        if if_none_match is not None and status[0] == "2":
            etag = None
            kept = []
            for line in headers:
                name = line[0]
                if name == "ETag":
                    etag = line[1]
                    kept.append(line)
                elif name != "Content-Type" and name != "Content-Length":
                    kept.append(line)
            if etag is not None and etag == if_none_match and ENTITY_TAG_RE.fullmatch(etag):
                start_response("304 Not Modified", kept)
                return []
        start_response(status, headers)
        return iterable

    return middleware


def webob_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """WebOb: a Response with ``conditional_response=True``."""
    response = webob.Response(body=b"hello", content_type="text/plain", conditional_response=True)
    response.etag = revision_of(environ["PATH_INFO"])
    result: Iterable[bytes] = response(environ, start_response)
    return result


def werkzeug_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Werkzeug: ``Response.make_conditional(request)``."""
    request = werkzeug.wrappers.Request(environ)
    response = werkzeug.wrappers.Response(b"hello", mimetype="text/plain")
    response.set_etag(revision_of(request.path))
    response.make_conditional(request)
    return response(environ, start_response)


def wsgi_environ(path: str, headers: dict[str, str], method: str = "GET") -> dict[str, Any]:
    """A complete WSGI environ for a request without content."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
    return None


def round_trip(
    app: WSGIApp, start_response: Callable[..., object] = _ignore_start
) -> Callable[[dict[str, Any]], object]:
    """One call of ``app`` as a server makes it (call, iterate the body,
    close it); returns nothing useful."""

    def call(environ: dict[str, Any]) -> object:
        body = app(environ, start_response)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return body

    return call


def status_of(app: WSGIApp, environ: dict[str, Any]) -> int:
    """The status code ``app`` answers (to check that each competitor does
    what its row says)."""
    seen: list[str] = []

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen.append(status)

    round_trip(app, start)(environ)
    return int(seen[-1].split()[0])


def apps() -> dict[str, WSGIApp]:
    """Every competitor (Django only when this process could configure it)."""
    competitors: dict[str, WSGIApp] = {
        BARE: bare_app,
        CAPTURE_FLOOR: capture_only(bare_app),
        JUDGING_FLOOR: least_judging(bare_app),
        MIDDLEWARE: etag_middleware(bare_app),
        HANDLER_FLOOR: to_wsgi(_floor_handler),
        WITH_ETAG: to_wsgi(_handler),
        WEBOB: webob_app,
        WERKZEUG: werkzeug_app,
    }
    django_app = django_site.wsgi_app()
    if django_app is not None:
        competitors[DJANGO] = django_app
    return competitors


def never_seen_environs(path: int, case: int) -> Fresh:
    """Never-seen environs of one case: another document and another
    If-None-Match value on every call, answered 200 or 304 as ``path`` says."""
    environs = []
    for n in range(case * FRESH_VALUES, (case + 1) * FRESH_VALUES):
        revision = f"r{n:x}-5f3c2a1b"
        tag = f'"stale-{revision}"' if path == 200 else f'"{revision}"'
        environs.append(wsgi_environ(f"/doc/{revision}", {"If-None-Match": tag}))
    return Fresh(environs)


def round_trip_groups(quick: bool) -> list[Group]:
    """The 200 and 304 paths, never seen then cached, each app checked to
    answer as expected."""
    competitors = apps()
    groups = []
    for expected, tag in ((200, '"stale"'), (304, '"xyzzy"')):
        never_seen: dict[str, Case] = {}
        cached: dict[str, Case] = {}
        for index, (name, app) in enumerate(competitors.items()):
            wanted = 200 if name in (BARE, CAPTURE_FLOOR, HANDLER_FLOOR) else expected
            environs = never_seen_environs(expected, index)
            environ = wsgi_environ("/doc/xyzzy", {"If-None-Match": tag})
            for probe in (environs.values[0], environ):
                answer = status_of(app, probe)
                if answer != wanted:
                    raise AssertionError(f"{name} answered {answer}, not {wanted}")
            never_seen[name] = (round_trip(app), environs)
            cached[name] = (round_trip(app), environ)
        title = f"conditional GET round trip, {expected} path"
        groups.append(
            Group(
                f"round-trip-{expected}",
                f"{title}, never seen (a new document and If-None-Match on every call)",
                BARE,
                never_seen,
                (MIDDLEWARE, WITH_ETAG),
                tuple(name for name in (WEBOB, WERKZEUG, DJANGO) if name in never_seen),
            )
        )
        groups.append(
            Group(
                f"round-trip-{expected}-cached",
                f"{title}, cached (If-None-Match: {tag} on /doc/xyzzy every time)",
                BARE,
                cached,
            )
        )
    return groups
