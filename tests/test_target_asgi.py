"""The ASGI target (etagspec.conformance.targets.asgi): an ASGI app driven through
httpx, detected by load_target, with broken apps reported as clear errors."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from etagspec.conformance import check_app, load_target
from etagspec.conformance.model import ProbeRequest, Status
from etagspec.conformance.targets import TargetError, WSGITarget
from etagspec.conformance.targets.asgi import ASGITarget
from etagspec.demo import make_app

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]


async def read_body(receive: Receive) -> bytes:
    """The request's body, from every ``http.request`` message."""
    body = b""
    while True:
        message = await receive()
        chunk: bytes = message.get("body", b"")
        body += chunk
        if not message.get("more_body"):
            return body


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the request it got: headers as ``seen`` lines, the body."""
    body = await read_body(receive)
    seen = [(b"seen", name + b": " + value) for name, value in scope["headers"]]
    await send({"type": "http.response.start", "status": 200, "headers": seen})
    await send({"type": "http.response.body", "body": scope["method"].encode() + b" " + body})


def asgi_from_wsgi(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    """The demo behind a minimal ASGI adapter (run synchronously in the loop)."""
    environ_of = WSGITarget(wsgi_app).environ

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        body = await read_body(receive)
        path = scope["path"] + (
            "?" + scope["query_string"].decode() if scope["query_string"] else ""
        )
        headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name not in (b"host", b"content-length")
        )
        started: list[Any] = []
        chunks = wsgi_app(
            environ_of(ProbeRequest(scope["method"], path, headers, body)),
            lambda status, response_headers, exc_info=None: started.extend(
                [status, response_headers]
            ),
        )
        content = b"".join(chunks)
        status, response_headers = started
        await send(
            {
                "type": "http.response.start",
                "status": int(status[:3]),
                "headers": [
                    (k.encode("latin-1"), v.encode("latin-1")) for k, v in response_headers
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})

    return app


@pytest.fixture
def asgi_target() -> Iterator[Callable[..., ASGITarget]]:
    made: list[ASGITarget] = []

    def make(app: Any, **options: Any) -> ASGITarget:
        made.append(ASGITarget(app, **options))
        return made[-1]

    yield make
    for target in made:
        target.close()


def test_the_app_sees_the_probe_fields_and_host_only(asgi_target: Any) -> None:
    probe = ProbeRequest(
        "PUT",
        "/doc?x=1",
        (("If-Match", '"a", W/"b"'), ("If-Match", '"c"'), ("X-Odd", "caf\xe9"), ("X-E", "")),
        b"new body",
    )
    response = asgi_target(echo).send(probe)
    assert response.error is None
    assert response.header_values("seen") == [
        "host: localhost",
        'if-match: "a", W/"b"',
        'if-match: "c"',
        "x-odd: caf\xe9",
        "x-e: ",
        "content-length: 8",
    ]
    assert response.body == b"PUT new body"


def test_the_demo_behind_asgi_gets_the_same_verdicts_as_in_process_wsgi(asgi_target: Any) -> None:
    options: dict[str, Any] = {
        "paths": ["/hello"],
        "unsafe_paths": ["/data.json"],
        "max_examples": 5,
        "seed": 3,
    }
    over_asgi = check_app(asgi_target(asgi_from_wsgi(make_app())), **options)
    in_process = check_app(make_app(), **options)
    assert over_asgi.target.kind == "asgi"
    assert {r.check.id: r.status for r in over_asgi.results} == {
        r.check.id: r.status for r in in_process.results
    }
    assert over_asgi.failed() == []


@pytest.mark.parametrize(
    ("app_source", "error"),
    [
        (
            """
            async def app(scope, receive, send):
                raise RuntimeError("database is down")
            """,
            "RuntimeError: database is down at ",
        ),
        (
            """
            async def app(scope, receive, send):
                pass
            """,
            "the app returned without sending 'http.response.start'",
        ),
        (
            """
            async def app(scope, receive, send):
                await send({"type": "http.response.start", "status": 200, "headers": []})
                await send({"type": "http.response.body", "body": b"a", "more_body": True})
            """,
            "the app returned before its last 'http.response.body'",
        ),
        (
            """
            async def app(scope, receive, send):
                await send({"type": "http.response.start", "status": "200 OK"})
            """,
            "invalid status '200 OK' in 'http.response.start'",
        ),
        (
            """
            async def app(scope, receive, send):
                try:  # the violation is reported even if the app hides it
                    await send({"type": "http.response.start", "status": 200,
                                "headers": [("etag", '"a"')]})
                except Exception:
                    await send({"type": "http.response.start", "status": 200})
                await send({"type": "http.response.body", "body": b""})
            """,
            "invalid response header ('etag', '\"a\"') (want [bytes, bytes])",
        ),
        (
            """
            async def app(scope, receive, send):
                await send({"type": "http.response.body", "body": b"x"})
            """,
            "the app sent 'http.response.body' before 'http.response.start'",
        ),
        (
            """
            async def app(scope, receive, send):
                await send({"type": "http.response.start", "status": 200})
                await send({"type": "http.response.body", "body": "text"})
            """,
            "the app sent a body of str",
        ),
        (
            """
            async def app(scope, receive, send):
                await send({"type": "websocket.accept"})
            """,
            "not an 'http.response.*' message",
        ),
    ],
    ids=["raises", "never-sends", "unfinished", "str-status", "str-headers", "body-first",
         "str-body", "wrong-message"],
)  # fmt: skip
def test_a_broken_app_is_a_clear_error(
    app_module: Callable[[str], str], app_source: str, error: str
) -> None:
    module = app_module(app_source)
    target = load_target(f"{module}:app")
    assert target.kind == "asgi"
    response = target.send(ProbeRequest("GET", "/"))
    assert response.status == 0
    assert response.error is not None and error in response.error, response.error
    if "raises" in app_source:
        assert f"{module}.py:" in response.error


async def sends_304_with_a_body(scope: Scope, receive: Receive, send: Send) -> None:
    conditional = any(name == b"if-none-match" for name, _ in scope["headers"])
    status = 304 if conditional else 200
    headers = [(b"etag", b'"v1"'), (b"content-length", b"5")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"hello"})


def test_a_304_with_a_body_fails_the_304_check(asgi_target: Any) -> None:
    report = check_app(asgi_target(sends_304_with_a_body), select=["ST-304-4"], max_examples=5)
    (result,) = report.results
    assert result.status is Status.FAILED
    assert result.failures[0].response.status == 304
    assert result.failures[0].response.body == b"hello"


async def never_answers(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.Event().wait()


async def blocks_the_loop(scope: Scope, receive: Receive, send: Send) -> None:
    time.sleep(30)  # never awaits: only abandoning its thread can stop the wait


@pytest.mark.parametrize(
    ("app", "error", "limit"),
    [
        (never_answers, "no response within 0.2 s", 1.0),
        (blocks_the_loop, "no response within 0.2 s at ", 1.0),
    ],
)
def test_an_app_that_never_answers_is_an_error_within_its_timeout(
    asgi_target: Any, app: Any, error: str, limit: float
) -> None:
    target = asgi_target(app, timeout=0.2)
    started = time.monotonic()
    first = target.send(ProbeRequest("GET", "/"))
    waited = time.monotonic() - started
    second = target.send(ProbeRequest("GET", "/"))
    assert first.error is not None and first.error.startswith(error), first.error
    assert 0.2 <= waited < limit
    assert second.error == f"not sent: the target hung on an earlier request ({first.error})"
    assert time.monotonic() - started - waited < 0.1


def test_load_target_detects_asgi_apps_factories_and_instances(
    app_module: Callable[[str], str],
) -> None:
    module = app_module(
        """
        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 204})
            await send({"type": "http.response.body"})

        def create_app():
            return app

        class App:
            async def __call__(self, scope, receive, send):
                await app(scope, receive, send)

        instance = App()

        def wsgi(environ, start_response):
            start_response("204 No Content", [])
            return []
        """
    )
    for attr in ("app", "create_app", "App", "instance"):
        target = load_target(f"{module}:{attr}")
        assert (target.kind, target.send(ProbeRequest("GET", "/")).status) == ("asgi", 204), attr
    assert load_target(f"{module}:wsgi").kind == "wsgi"
    forced = load_target(f"{module}:wsgi", kind="asgi")
    assert forced.kind == "asgi"
    assert "TypeError" in (forced.send(ProbeRequest("GET", "/")).error or "")
    assert load_target(f"{module}:app", kind="wsgi").kind == "wsgi"
    with pytest.raises(TargetError, match="is not an http://"):
        load_target(f"{module}:app", kind="url")


def test_a_factory_that_needs_arguments_is_a_usage_error(
    app_module: Callable[[str], str],
) -> None:
    module = app_module(
        """
        def create_app(config):
            return None

        def three(environ, start_response, extra):
            return []
        """
    )
    for attr, needs in (("create_app", "config"), ("three", "environ, start_response, extra")):
        with pytest.raises(TargetError, match=f"needs arguments \\({needs}\\): a factory must"):
            load_target(f"{module}:{attr}")
    # A decorator that turns app(request) into a (*args) WSGI callable
    # (Werkzeug's Request.application) is a WSGI app, not a factory.
    decorated = app_module(
        """
        import functools

        def application(handler):
            @functools.wraps(handler)
            def wsgi(*args):
                environ, start_response = args[-2:]
                start_response("204 No Content", [])
                return []
            return wsgi

        @application
        def app(request):
            ...
        """
    )
    assert load_target(f"{decorated}:app").send(ProbeRequest("GET", "/")).status == 204


def test_the_python_reproduction_runs(app_module: Callable[[str], str]) -> None:
    module = app_module(
        """
        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 412})
            await send({"type": "http.response.body"})
        """
    )
    target = load_target(f"{module}:app")
    code = target.reproduce(ProbeRequest("PUT", "/d", (("If-Match", '"x"'),), b"body"))
    assert f"import {module}\n" in code and "httpx.ASGITransport(app=app)" in code
    assert "etagspec.conformance" not in code  # public API only
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, {})
    assert printed.getvalue() == "HTTP/1.1 412 Precondition Failed\n[body: 0 bytes]\n"


def test_the_target_refuses_to_run_inside_a_running_loop(asgi_target: Any) -> None:
    target = asgi_target(echo)

    async def inside() -> str | None:
        error: str | None = target.send(ProbeRequest("GET", "/")).error
        return error

    assert "inside a running event loop" in (asyncio.run(inside()) or "")


def test_a_starlette_app(tmp_path: Path, asgi_target: Any) -> None:
    """A real framework through the same target: Starlette's StaticFiles
    answers conditional requests itself."""
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    (tmp_path / "hello.txt").write_bytes(b"hello, static world\n")
    app = Starlette(routes=[Mount("/static", app=StaticFiles(directory=tmp_path))])
    target = load_target(app)
    assert target.kind == "asgi"
    plain = target.send(ProbeRequest("GET", "/static/hello.txt"))
    assert (plain.status, plain.body) == (200, b"hello, static world\n")
    etag = plain.header("ETag")
    assert etag is not None
    again = target.send(ProbeRequest("GET", "/static/hello.txt", (("If-None-Match", etag),)))
    assert (again.status, again.body) == (304, b"")
    chosen = ["CMP-USE-2", "COND-INM-4a", "ST-304-4", "ST-304-2", "METH-HEAD-1", "COND-IM-4c"]
    report = check_app(target, paths=["/static/hello.txt"], max_examples=5, select=chosen)
    assert {r.status for r in report.results} <= {Status.PASSED, Status.FAILED, Status.WARNED}
    errors = [f.response.error for r in report.results for f in r.failures if f.response.error]
    assert errors == []
