"""Each published layer finding, reproduced without the harness: a raw WSGI
call of the layer around a plain app written here, and an assertion of what
the layer does. ``python conformance/layers/confirm.py`` runs them all (the
layer modules beside this file, and the campaign's packages, installed).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_DATE = "Tue, 14 Nov 2023 22:13:20 GMT"
_LATER = "Wed, 15 Nov 2023 22:13:20 GMT"


def call(layer: App, method: str = "GET", **fields: str) -> tuple[str, dict[str, str], bytes]:
    """One request as a server makes it: (status, headers, body); close() at the end."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **{"HTTP_" + name: value for name, value in fields.items()},
    }
    if method in ("POST", "PUT", "DELETE"):
        environ["CONTENT_LENGTH"] = "0"  # as a client sending no content says
    answer: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        answer[:] = [status, dict(headers)]
        return lambda data: None

    result = layer(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer[0], answer[1], body


def plain(status: str = "200 OK", *headers: tuple[str, str], body: bytes = b"body") -> App:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response(status, list(headers))
        return [body]

    return app


class Expensive:
    """An app whose content is a generator; ``computed`` counts the chunks it made."""

    def __init__(self, *headers: tuple[str, str], lazy: bool = False) -> None:
        self.headers = list(headers)
        self.lazy = lazy
        self.computed = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not self.lazy:
            start_response("200 OK", self.headers)

        def content() -> Iterator[bytes]:
            if self.lazy:
                start_response("200 OK", self.headers)
                yield b""
            self.computed += 1
            yield b"expensive"

        return content()


class Closing:
    """An app whose iterable counts its close() calls (and may fail at once)."""

    def __init__(self, *headers: tuple[str, str], fail: bool = False) -> None:
        self.headers = list(headers)
        self.fail = fail
        self.closes = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", self.headers)
        app = self

        class Content:
            def __iter__(self) -> Iterator[bytes]:
                if app.fail:
                    raise RuntimeError("the app failed")
                yield b"body"

            def close(self) -> None:
                app.closes += 1

        return Content()


def error_page(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [])
    try:
        raise RuntimeError("the app failed")
    except RuntimeError:
        start_response(
            "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
        )
    return [b"the error page"]


# ---- the findings -------------------------------------------------------------------


def if_match_without_etag_is_ignored(wrap: Callable[[App], App]) -> None:
    status, _, _ = call(wrap(plain()), IF_MATCH='"other"')
    assert status.startswith("200"), status  # RFC 9110 §13.1.1: false, so 412


def not_modified_computes_the_body(wrap: Callable[[App], App], *, lazy: bool = False) -> None:
    app = Expensive(("ETag", '"v1"'), lazy=lazy)
    status, _, _ = call(wrap(app), IF_NONE_MATCH='"v1"')
    assert status.startswith("304") and app.computed == 1, (status, app.computed)


def failing_content_is_not_closed(wrap: Callable[[App], App]) -> None:
    app = Closing(fail=True)
    with contextlib.suppress(RuntimeError):
        call(wrap(app))
    assert app.closes == 0, app.closes


def not_modified_leaves_the_content_unclosed(wrap: Callable[[App], App]) -> None:
    app = Closing(("Last-Modified", _DATE))
    status, _, _ = call(wrap(app), IF_MODIFIED_SINCE=_DATE)
    assert status.startswith("304") and app.closes == 0, (status, app.closes)


def error_page_is_lost(wrap: Callable[[App], App]) -> None:
    try:
        status, _, body = call(wrap(error_page))
    except RuntimeError:
        return  # raised again instead of sending the page
    assert body != b"the error page", (status, body)


def redirect_gets_304(wrap: Callable[[App], App]) -> None:
    app = plain("301 Moved Permanently", ("Location", "/elsewhere"), ("Last-Modified", _DATE))
    status, _, _ = call(wrap(app), IF_MODIFIED_SINCE=_DATE)
    assert status.startswith("304"), status


def location_made_absolute(wrap: Callable[[App], App]) -> None:
    _, headers, _ = call(wrap(plain("301 Moved Permanently", ("Location", "/elsewhere"))))
    assert headers["Location"] == "http://localhost/elsewhere", headers


def not_modified_keeps_content_range(wrap: Callable[[App], App]) -> None:
    app = plain("206 Partial Content", ("ETag", '"v1"'), ("Content-Range", "bytes 0-3/100"))
    status, headers, _ = call(wrap(app), IF_NONE_MATCH='"v1"')
    assert status.startswith("304") and "Content-Range" in headers, (status, headers)


def head_is_not_judged(wrap: Callable[[App], App]) -> None:
    status, _, _ = call(wrap(plain("200 OK", ("ETag", '"v1"'))), "HEAD", IF_NONE_MATCH='"v1"')
    assert status.startswith("200"), status


def repeated_etag_collapsed(wrap: Callable[[App], App]) -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("ETag", '"v1"'), ("ETag", '"v2"')])
        return [b"body"]

    answer: list[Any] = []
    environ_call = wrap(app)
    result = environ_call(
        {**_environ(), "REQUEST_METHOD": "GET"},
        lambda status, headers, exc_info=None: answer.append(headers),
    )
    list(result)
    etags = [value for name, value in answer[0] if name.lower() == "etag"]
    assert len(etags) == 1, etags


def _environ() -> dict[str, Any]:
    captured: list[dict[str, Any]] = []

    def grab(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured.append(environ)
        start_response("200 OK", [])
        return []

    call(grab)
    return captured[0]


def judges_nothing_without_validators(wrap: Callable[[App], App]) -> None:
    # Empty content: Django's middleware makes no ETag of its own for it.
    status, _, _ = call(wrap(plain(body=b"")), IF_NONE_MATCH="*")
    assert status.startswith("200"), status  # RFC 9110 §13.1.2: false for a 2xx, so 304
    status, _, _ = call(wrap(plain(body=b"")), IF_MATCH='"other"')
    assert status.startswith("200"), status  # RFC 9110 §13.1.1: false, so 412
    head_is_not_judged(wrap)


def failing_app_gets_412(wrap: Callable[[App], App]) -> None:
    status, _, body = call(wrap(error_page), IF_UNMODIFIED_SINCE=_DATE)
    assert status.startswith("412") and body != b"the error page", status


def unmodified_since_without_last_modified_fails(
    wrap: Callable[[App], App], method: str = "GET"
) -> None:
    status, _, _ = call(wrap(plain("204 No Content")), method, IF_UNMODIFIED_SINCE=_DATE)
    assert status.startswith("412"), status  # no Last-Modified: the field is ignored


def not_modified_drops_cache_control(wrap: Callable[[App], App]) -> None:
    app = plain("200 OK", ("ETag", '"v1"'), ("Cache-Control", "max-age=60"))
    status, headers, _ = call(wrap(app), IF_NONE_MATCH='"v1"')
    assert status.startswith("304") and "Cache-Control" not in headers, (status, headers)


def weak_if_none_match_not_matched(wrap: Callable[[App], App]) -> None:
    status, _, _ = call(wrap(plain("200 OK", ("ETag", '"v1"'))), IF_NONE_MATCH='W/"v1"')
    assert status.startswith("200"), status  # RFC 9110 §13.1.2: weak comparison, so 304
    status, _, _ = call(wrap(plain("200 OK", ("ETag", '"v1"'))), IF_MATCH="")
    assert status.startswith("200"), status  # an empty If-Match matches nothing: 412


class Counting:
    """An app that counts how often it ran (each run a write, for an unsafe method)."""

    def __init__(self, *headers: tuple[str, str]) -> None:
        self.headers = list(headers)
        self.runs = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.runs += 1
        start_response("200 OK", self.headers)
        return [b"stored"]


def unsafe_refused_after_the_write(wrap: Callable[[App], App], **fields: str) -> None:
    app = Counting(("ETag", '"v1"'), ("Last-Modified", _DATE))
    status, _, _ = call(wrap(app), "PUT", **fields)
    assert status.startswith("412") and app.runs == 1, (status, app.runs)


def stale_if_match_refused_after_the_write(wrap: Callable[[App], App]) -> None:
    unsafe_refused_after_the_write(wrap, IF_MATCH='"v0"')


def current_if_modified_since_refused_after_the_write(wrap: Callable[[App], App]) -> None:
    unsafe_refused_after_the_write(wrap, IF_MODIFIED_SINCE=_DATE)
    # If-Unmodified-Since is compared as a string: a later date fails too.
    app = Counting(("Last-Modified", _DATE))
    status, _, _ = call(wrap(app), "PUT", IF_UNMODIFIED_SINCE=_LATER)
    assert status.startswith("412") and app.runs == 1, (status, app.runs)


_FULL = (
    ("ETag", '"v1"'),
    ("Last-Modified", _DATE),
    ("Content-Location", "/document"),
    ("Expires", "Mon, 01 Jan 2024 01:00:00 GMT"),
    ("Cache-Control", "max-age=60"),
)


def not_modified_drops_content_location(wrap: Callable[[App], App], **fields: str) -> None:
    status, headers, _ = call(
        wrap(plain("200 OK", *_FULL)), **(fields or {"IF_NONE_MATCH": '"v1"'})
    )
    dropped = {"Content-Location", "Expires"} - set(headers)
    assert status.startswith("304") and dropped, (status, headers)


def if_modified_since_decides_with_if_none_match(wrap: Callable[[App], App]) -> None:
    app = plain("200 OK", ("ETag", '"v1"'), ("Last-Modified", _DATE))
    status, _, _ = call(wrap(app), IF_NONE_MATCH='"other"', IF_MODIFIED_SINCE=_DATE)
    assert status.startswith("304"), status  # RFC 9110 §13.2.2: step 4 is skipped, so 200
    status, _, _ = call(wrap(app), IF_UNMODIFIED_SINCE=_LATER)
    assert status.startswith("412"), status  # not modified since a later date: 200
    status, _, _ = call(wrap(app), IF_NONE_MATCH='"v1"')
    assert status.startswith("200"), status  # If-None-Match is not looked at: 304


def if_match_ignored_and_lists_split_inside_tags(wrap: Callable[[App], App]) -> None:
    if_match_without_etag_is_ignored(wrap)
    # If-None-Match is split at every comma, those inside a tag too.
    status, _, _ = call(wrap(plain("200 OK", ("ETag", '"a,b"'))), IF_NONE_MATCH='"a,b"')
    assert status.startswith("200"), status  # the tag itself sent back: 304


def last_modified_rewritten_with_minus_zero(wrap: Callable[[App], App]) -> None:
    _, headers, _ = call(wrap(plain("200 OK", ("Last-Modified", _DATE))))
    assert headers["Last-Modified"] == _DATE.replace("GMT", "-0000"), headers


def if_match_ignored_and_a_tag_matched_inside_another(wrap: Callable[[App], App]) -> None:
    if_match_without_etag_is_ignored(wrap)
    status, _, _ = call(wrap(plain("200 OK", ("ETag", '"v1"'))), IF_NONE_MATCH='"x,v1"')
    assert status.startswith("304"), status  # "x,v1" is one tag, not "v1": 200


def not_modified_keeps_content_type(wrap: Callable[[App], App]) -> None:
    app = plain("200 OK", ("ETag", '"v1"'), ("Content-Type", "text/plain"))
    status, headers, _ = call(wrap(app), IF_NONE_MATCH='"v1"')
    assert status.startswith("304") and "Content-Type" in headers, (status, headers)


def _layers() -> dict[str, Callable[[App], App]]:
    import asgi_layers
    import cherrypy_layer
    import django_layer
    import flask_layer
    import paste_layer
    import pyramid_layer
    import webob_layer
    import webpy_layer
    import werkzeug_layer

    return {
        "werkzeug-make-conditional": werkzeug_layer.make_conditional_layer,
        "flask-make-conditional": flask_layer.flask_view_layer,
        "webob-conditional-response": webob_layer.conditional_response_layer,
        "django-conditional-get": django_layer.conditional_get_http_response,
        "django-conditional-get-streaming": django_layer.conditional_get_streaming_response,
        "django-condition": django_layer.condition_decorator,
        "pyramid-conditional-response": pyramid_layer.conditional_response_layer,
        "cherrypy-etags": cherrypy_layer.etags_tool,
        "cherrypy-validate-since": cherrypy_layer.validate_since_tool,
        "paste-data-app": paste_layer.data_app_layer,
        "webpy-modified": webpy_layer.modified_layer,
        "asgi-etags": asgi_layers.asgi_etags_layer,
        "pypi-etag-middleware": asgi_layers.etag_middleware_layer,
        "starlette-static-files": asgi_layers.starlette_static_files_layer,
    }


#: (layer, check) -> the confirmation (as findings.toml's `confirmed` names it).
CONFIRMATIONS: dict[tuple[str, str], Callable[[Callable[[App], App]], None]] = {
    ("werkzeug-make-conditional", "LAYER-COND-1"): if_match_without_etag_is_ignored,
    ("werkzeug-make-conditional", "LAYER-LAZY-1"): not_modified_computes_the_body,
    ("werkzeug-make-conditional", "LAYER-CLOSE-1"): failing_content_is_not_closed,
    ("werkzeug-make-conditional", "LAYER-EXC-1"): error_page_is_lost,
    ("werkzeug-make-conditional", "LAYER-PASS-1"): redirect_gets_304,
    ("flask-make-conditional", "LAYER-COND-1"): if_match_without_etag_is_ignored,
    ("flask-make-conditional", "LAYER-LAZY-1"): not_modified_computes_the_body,
    ("flask-make-conditional", "LAYER-CLOSE-1"): failing_content_is_not_closed,
    ("flask-make-conditional", "LAYER-EXC-1"): error_page_is_lost,
    ("flask-make-conditional", "LAYER-PASS-1"): redirect_gets_304,
    ("webob-conditional-response", "LAYER-COND-1"): if_match_without_etag_is_ignored,
    ("webob-conditional-response", "LAYER-LAZY-1"): lambda wrap: not_modified_computes_the_body(
        wrap, lazy=True
    ),
    ("webob-conditional-response", "LAYER-EXC-1"): error_page_is_lost,
    ("webob-conditional-response", "LAYER-PASS-1"): redirect_gets_304,
    ("webob-conditional-response", "LAYER-PASS-2"): location_made_absolute,
    ("webob-conditional-response", "LAYER-304-2"): not_modified_keeps_content_range,
    ("django-conditional-get", "LAYER-COND-1"): judges_nothing_without_validators,
    ("django-conditional-get", "LAYER-LAZY-1"): not_modified_computes_the_body,
    ("django-conditional-get", "LAYER-PASS-2"): repeated_etag_collapsed,
    ("django-conditional-get-streaming", "LAYER-COND-1"): judges_nothing_without_validators,
    ("django-conditional-get-streaming", "LAYER-CLOSE-1"): not_modified_leaves_the_content_unclosed,
    ("django-conditional-get-streaming", "LAYER-PASS-2"): repeated_etag_collapsed,
    ("django-condition", "LAYER-COND-1"): unmodified_since_without_last_modified_fails,
    ("django-condition", "LAYER-EXC-1"): failing_app_gets_412,
    ("django-condition", "LAYER-PASS-1"): unmodified_since_without_last_modified_fails,
    ("django-condition", "LAYER-PASS-2"): repeated_etag_collapsed,
    ("django-condition", "LAYER-304-1"): not_modified_drops_cache_control,
    ("django-condition", "LAYER-UNSAFE-1"): lambda wrap: (
        unmodified_since_without_last_modified_fails(wrap, "POST")
    ),
    ("pyramid-conditional-response", "LAYER-COND-1"): if_match_without_etag_is_ignored,
    ("pyramid-conditional-response", "LAYER-PASS-1"): redirect_gets_304,
    ("pyramid-conditional-response", "LAYER-PASS-2"): location_made_absolute,
    ("pyramid-conditional-response", "LAYER-304-2"): not_modified_keeps_content_range,
    ("cherrypy-etags", "LAYER-COND-1"): weak_if_none_match_not_matched,
    ("cherrypy-etags", "LAYER-UNSAFE-2"): stale_if_match_refused_after_the_write,
    ("cherrypy-etags", "LAYER-PASS-2"): repeated_etag_collapsed,
    ("cherrypy-etags", "LAYER-304-1"): not_modified_drops_content_location,
    ("cherrypy-validate-since", "LAYER-COND-1"): if_modified_since_decides_with_if_none_match,
    (
        "cherrypy-validate-since",
        "LAYER-UNSAFE-2",
    ): current_if_modified_since_refused_after_the_write,
    ("cherrypy-validate-since", "LAYER-PASS-2"): repeated_etag_collapsed,
    ("cherrypy-validate-since", "LAYER-304-1"): lambda wrap: not_modified_drops_content_location(
        wrap, IF_MODIFIED_SINCE=_DATE
    ),
    ("paste-data-app", "LAYER-COND-1"): if_match_ignored_and_lists_split_inside_tags,
    ("paste-data-app", "LAYER-LAZY-1"): not_modified_computes_the_body,
    ("paste-data-app", "LAYER-PASS-2"): last_modified_rewritten_with_minus_zero,
    ("paste-data-app", "LAYER-304-1"): not_modified_drops_content_location,
    ("webpy-modified", "LAYER-COND-1"): if_match_ignored_and_a_tag_matched_inside_another,
    ("webpy-modified", "LAYER-304-2"): not_modified_keeps_content_type,
}


# ---- ASGI layers: a direct ASGI call, a plain app written here --------------------

ASGIApp = Callable[..., Any]


def asgi_call(layer: ASGIApp, method: str = "GET", **fields: str) -> list[dict[str, Any]]:
    """One request as an ASGI server makes it; the messages the layer sent.
    ``receive`` gives the (empty) request body, then ``http.disconnect``
    once the layer has sent its final body message."""
    sent: list[dict[str, Any]] = []
    done = asyncio.Event()
    delivered = [False]

    async def receive() -> dict[str, Any]:
        if not delivered[0]:
            delivered[0] = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    headers = [
        (name.lower().replace("_", "-").encode(), value.encode()) for name, value in fields.items()
    ]
    scope = {"type": "http", "method": method, "path": "/", "query_string": b"", "headers": headers}

    async def run() -> None:
        try:
            await layer(scope, receive, send)
        finally:
            done.set()

    asyncio.run(run())
    return sent


def asgi_plain(status: int = 200, *headers: tuple[str, str], body: bytes = b"") -> ASGIApp:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raw = [(n.lower().encode(), v.encode()) for n, v in headers]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})

    return app


def asgi_streamed(
    *chunks: bytes, headers: tuple[tuple[str, str], ...] = ()
) -> tuple[ASGIApp, list[bytes]]:
    """A streaming app that watches for http.disconnect (as Starlette's
    StreamingResponse does); the list records the chunks it produced."""
    produced: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        gone = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()

        watcher = asyncio.ensure_future(watch())
        raw = [(n.lower().encode(), v.encode()) for n, v in headers]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        for chunk in chunks:
            for _ in range(5):
                await asyncio.sleep(0)
            if gone.is_set():
                break
            produced.append(chunk)
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        watcher.cancel()
        await asyncio.wait({watcher})

    return app, produced


def _starts(sent: list[dict[str, Any]]) -> list[int]:
    return [m["status"] for m in sent if m["type"] == "http.response.start"]


def _md5(body: bytes) -> str:
    return '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'


_EMPTY = _md5(b"")


def weak_if_match_passes(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    sent = asgi_call(wrap(asgi_plain()), IF_NONE_MATCH=_EMPTY, IF_MATCH="W/" + _EMPTY)
    assert _starts(sent)[:1] == [304], sent  # If-Match's strong comparison fails: 412


def error_page_judged(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app = asgi_plain(500, ("ETag", '"v1"'), body=b"the handler failed")
    assert _starts(asgi_call(wrap(app), IF_MATCH='"v1"'))[:1] == [412]


def redirect_judged(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app = asgi_plain(301, ("Location", "/elsewhere"))
    assert _starts(asgi_call(wrap(app), IF_NONE_MATCH=_EMPTY))[:1] == [304]


def post_judged_after_running(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    assert _starts(asgi_call(wrap(asgi_plain()), "POST", IF_NONE_MATCH=_EMPTY))[:1] == [304]


def second_etag_added(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    sent = asgi_call(wrap(asgi_plain(200, ("ETag", '"v1"'), body=b"x")))
    tags = [v for n, v in sent[0]["headers"] if n.lower() == b"etag"]
    assert tags == [b'"v1"', _md5(b"x").encode()], sent


def not_modified_keeps_content_type_asgi(
    wrap: Callable[[ASGIApp], ASGIApp], tag: str = _md5(b"x")
) -> None:
    app = asgi_plain(200, ("ETag", '"v1"'), ("Content-Type", "text/plain"), body=b"x")
    sent = asgi_call(wrap(app), IF_NONE_MATCH=tag)
    assert _starts(sent)[:1] == [304] and b"content-type" in dict(sent[0]["headers"]), sent


def second_start_after_304(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app, _ = asgi_streamed(b"expensive")
    sent = asgi_call(wrap(app), IF_NONE_MATCH=_md5(b"expensive"))
    assert _starts(sent) == [304, 200], sent


def start_sent_per_body_message(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app, _ = asgi_streamed(b"expensive", b"part", headers=(("ETag", '"v1"'),))
    assert len(_starts(asgi_call(wrap(app)))) > 1


def content_computed_for_304(wrap: Callable[[ASGIApp], ASGIApp], tag: str) -> list[bytes]:
    """The chunks a streaming app computed after its start for a 304."""
    app, produced = asgi_streamed(b"expensive", b"part", headers=(("ETag", '"v1"'),))
    sent = asgi_call(wrap(app), IF_NONE_MATCH=tag)
    assert _starts(sent)[:1] == [304] and produced, (sent, produced)
    return produced


def head_is_not_judged_asgi(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app, _ = asgi_streamed(b"expensive", headers=(("ETag", '"v1"'),))
    assert _starts(asgi_call(wrap(app), "HEAD", IF_NONE_MATCH='"v1"')) == [200]


def not_modified_without_a_body_message(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app, _ = asgi_streamed(b"expensive", headers=(("ETag", '"v1"'),))
    sent = asgi_call(wrap(app), IF_NONE_MATCH='"v1"')
    assert [m["type"] for m in sent] == ["http.response.start"] and _starts(sent) == [304], sent


def if_match_ignored_asgi(wrap: Callable[[ASGIApp], ASGIApp]) -> None:
    app, _ = asgi_streamed(b"expensive", headers=(("ETag", '"v1"'),))
    assert _starts(asgi_call(wrap(app), IF_MATCH='"other"')) == [200]


ASGI_CONFIRMATIONS: dict[tuple[str, str], Callable[[Any], None]] = {
    ("asgi-etags", "LAYER-COND-1"): weak_if_match_passes,
    ("asgi-etags", "LAYER-EXC-1"): error_page_judged,
    ("asgi-etags", "LAYER-PASS-1"): redirect_judged,
    ("asgi-etags", "LAYER-UNSAFE-2"): post_judged_after_running,
    ("asgi-etags", "LAYER-PASS-2"): second_etag_added,
    ("asgi-etags", "LAYER-304-2"): not_modified_keeps_content_type_asgi,
    ("asgi-etags", "LAYER-ASGI-1"): second_start_after_304,
    ("asgi-etags", "LAYER-ASGI-3"): start_sent_per_body_message,
    ("asgi-etags", "LAYER-ASGI-4"): lambda wrap: content_computed_for_304(wrap, _md5(b"expensive")),
    ("pypi-etag-middleware", "LAYER-COND-1"): head_is_not_judged_asgi,
    ("pypi-etag-middleware", "LAYER-304-2"): lambda wrap: not_modified_keeps_content_type_asgi(
        wrap, '"v1"'
    ),
    ("pypi-etag-middleware", "LAYER-ASGI-1"): not_modified_without_a_body_message,
    ("pypi-etag-middleware", "LAYER-ASGI-3"): not_modified_without_a_body_message,
    ("pypi-etag-middleware", "LAYER-ASGI-4"): lambda wrap: content_computed_for_304(wrap, '"v1"'),
    ("starlette-static-files", "LAYER-COND-1"): if_match_ignored_asgi,
}


def main() -> int:
    layers = _layers()
    failed = 0
    confirmations = {**CONFIRMATIONS, **ASGI_CONFIRMATIONS}
    for (layer, check), confirm in confirmations.items():
        try:
            confirm(layers[layer])
            print(f"confirmed  {layer} {check}")
        except AssertionError as error:
            failed += 1
            print(f"NOT SEEN   {layer} {check}: {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
