"""The ASGI reference layer (etagspec.asgi): the seed's middleware and
decorator promise for ASGI apps, in-process, under Starlette and FastAPI,
and over loopback under uvicorn."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etagspec import asgi
from etagspec.caching import etag_middleware as wsgi_etag_middleware
from etagspec.testing import TestApp

Message = dict[str, Any]


def run(app: Any, method: str = "GET", headers: dict[str, str] | None = None) -> list[Message]:
    """Every message ``app`` sends for one request, the request's own body
    empty and the client never leaving."""
    sent: list[Message] = []

    async def receive() -> Message:
        await asyncio.sleep(3600)  # a client that stays (cancelled with the app)
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(dict(message))

    scope = {
        "type": "http",
        "method": method,
        "path": "/",
        "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in (headers or {}).items()],
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 5))
    return sent


def plain_app(status: int = 200, etag: str | None = '"v1"', body: bytes = b"hello") -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"text/plain"), (b"date", b"Sun, 06 Nov 1994 08:49:37 GMT")]
        if etag is not None:
            headers.append((b"etag", etag.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


@pytest.mark.parametrize("rule", ["COND-INM-4a"])
def test_middleware_answers_304_to_the_current_tag(rule: str) -> None:
    sent = run(asgi.etag_middleware(plain_app()), headers={"If-None-Match": 'W/"v1"'})
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 304
    # ST-304-3: no Content-Type on the 304; ST-304-2: Date and ETag kept.
    assert dict(sent[0]["headers"]) == {
        b"date": b"Sun, 06 Nov 1994 08:49:37 GMT",
        b"etag": b'"v1"',
    }
    assert sent[1] == {"type": "http.response.body", "body": b"", "more_body": False}


@pytest.mark.parametrize("rule", ["COND-IM-4a"])
def test_middleware_answers_412_to_a_stale_if_match_on_get(rule: str) -> None:
    sent = run(asgi.etag_middleware(plain_app()), headers={"If-Match": '"v0"'})
    assert sent[0]["status"] == 412
    assert sent[-1]["more_body"] is False
    assert b"412 Precondition Failed" in sent[-1]["body"]
    head = run(asgi.etag_middleware(plain_app()), "HEAD", {"If-Match": '"v0"'})
    assert head[0]["status"] == 412 and head[-1]["body"] == b""


@pytest.mark.parametrize(
    ("method", "status", "headers"),
    [
        ("GET", 200, {}),  # no precondition
        ("GET", 200, {"If-None-Match": '"v0"'}),  # a true precondition
        ("GET", 404, {"If-None-Match": "*"}),  # not 2xx (RFC 9110 §13.2.1)
        ("GET", 301, {"If-None-Match": '"v1"'}),
        ("PUT", 200, {"If-None-Match": "*"}),  # unsafe: the app decides
        ("DELETE", 200, {"If-Match": '"v0"'}),
    ],
)
def test_middleware_leaves_other_answers_untouched(
    method: str, status: int, headers: dict[str, str]
) -> None:
    bare = run(plain_app(status), method, headers)
    assert run(asgi.etag_middleware(plain_app(status)), method, headers) == bare


def test_middleware_passes_non_http_scopes_through() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    asyncio.run(asgi.etag_middleware(app)({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == ["lifespan"]


def streaming_app(produced: list[int]) -> Any:
    """An app that streams 50 chunks and stops when told the client left,
    as Starlette's StreamingResponse does."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"etag", b'"v1"')]})
        for index in range(50):
            message = await asyncio.wait_for(receive(), 0.01) if produced else None
            if message is not None and message["type"] == "http.disconnect":
                return
            produced.append(index)
            await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


@pytest.mark.parametrize("rule", ["LAYER-LAZY-1"])
def test_a_304_tells_a_streaming_app_the_client_is_gone(rule: str) -> None:
    produced: list[int] = []
    sent = run(asgi.etag_middleware(streaming_app(produced)), headers={"If-None-Match": '"v1"'})
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 304
    assert produced == [0]  # the one chunk computed before the first receive


def test_without_the_layer_the_streaming_app_computes_every_chunk() -> None:
    produced: list[int] = []

    async def patient(scope: Any, receive: Any, send: Any) -> None:
        async def never() -> Message:
            await asyncio.sleep(3600)
            return {}

        await streaming_app(produced)(scope, never, send)

    with pytest.raises(TimeoutError):
        run(patient, headers={"If-None-Match": '"v1"'})
    assert len(produced) == 1  # the control: only the layer's disconnect stops it early


@pytest.mark.parametrize("rule", ["COND-EVAL-1"])
def test_the_decorator_never_runs_the_endpoint_for_a_304_or_a_412(rule: str) -> None:
    calls: list[str] = []

    @asgi.conditional(etag=lambda scope: "rev-2", last_modified=lambda scope: 784111777)
    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        calls.append(scope["method"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    assert run(endpoint, "GET", {"If-None-Match": '"rev-2"'})[0]["status"] == 304
    assert run(endpoint, "PUT", {"If-Match": '"rev-1"'})[0]["status"] == 412
    assert run(endpoint, "PUT", {"If-None-Match": "*"})[0]["status"] == 412
    assert calls == []
    ok = run(endpoint, "PUT", {"If-Match": '"rev-2"'})
    assert calls == ["PUT"]
    assert dict(ok[0]["headers"]) == {
        b"etag": b'"rev-2"',
        b"last-modified": b"Sun, 06 Nov 1994 08:49:37 GMT",
    }


def test_the_decorator_takes_async_validators_and_keeps_the_endpoints_own_etag() -> None:
    async def revision(scope: Any) -> str:
        return "from-validator"

    @asgi.with_etag(revision)
    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"etag", b'"own"')]})
        await send({"type": "http.response.body", "body": b""})

    sent = run(endpoint)
    assert [v for n, v in sent[0]["headers"] if n == b"etag"] == [b'"own"']
    with pytest.raises(TypeError, match="last-modified function"):
        run(asgi.with_last_modified(lambda scope: "yesterday")(endpoint))


# --- the same decision as the WSGI layer ---------------------------------------

tags = st.sampled_from(['"v1"', 'W/"v1"', '"v2"', "*", '"v1", "v2"', "", "v1", '"v1" x'])
dates = st.sampled_from(
    ["Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:36 GMT", "not a date", ""]
)
field_sets = st.fixed_dictionaries(
    {},
    optional={
        "If-Match": tags,
        "If-None-Match": tags,
        "If-Modified-Since": dates,
        "If-Unmodified-Since": dates,
    },
)


@given(
    fields=field_sets,
    method=st.sampled_from(["GET", "HEAD"]),
    etag=st.sampled_from([None, '"v1"', 'W/"v1"', "invalid"]),
    status=st.sampled_from([200, 204, 404]),
)
def test_the_asgi_layer_decides_as_the_wsgi_layer(
    fields: dict[str, str], method: str, etag: str | None, status: int
) -> None:
    """Same sans-IO core, same decision: the status of every answer agrees
    with etag_middleware's for the same app and request."""
    headers = [("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")]
    if etag is not None:
        headers.append(("ETag", etag))

    def wsgi_app(environ: Any, start_response: Any) -> list[bytes]:
        start_response(f"{status} Whatever", headers)
        return [b"body"]

    async def asgi_app(scope: Any, receive: Any, send: Any) -> None:
        lines = [(n.lower().encode(), v.encode()) for n, v in headers]
        await send({"type": "http.response.start", "status": status, "headers": lines})
        await send({"type": "http.response.body", "body": b"body"})

    expected = TestApp(wsgi_etag_middleware(wsgi_app)).request(method, headers=fields)
    sent = run(asgi.etag_middleware(asgi_app), method, fields)
    assert sent[0]["status"] == expected.status_code


# --- under frameworks and a real server ------------------------------------------


def starlette_app(produced: list[int]) -> Any:
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(200):
            produced.append(index)
            await asyncio.sleep(0.001)
            yield b"chunk "

    async def page(request: Any) -> StreamingResponse:
        return StreamingResponse(chunks(), headers={"ETag": '"s1"'}, media_type="text/plain")

    return Starlette(routes=[Route("/", page)])


def test_under_starlette_a_304_stops_the_stream() -> None:
    produced: list[int] = []
    app = asgi.etag_middleware(starlette_app(produced))

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/", headers={"If-None-Match": '"s1"'})

    response = asyncio.run(go())
    assert response.status_code == 304 and response.content == b""
    assert len(produced) < 200  # the stream stopped at the disconnect


def test_under_fastapi_the_decorator_and_the_middleware_answer() -> None:
    from fastapi import FastAPI
    from fastapi.responses import PlainTextResponse

    api = FastAPI()

    @api.get("/item")
    def item() -> PlainTextResponse:
        return PlainTextResponse("item", headers={"ETag": '"i1"'})

    calls: list[str] = []

    @asgi.with_etag(lambda scope: "e1")
    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        calls.append("ran")
        await PlainTextResponse("endpoint")(scope, receive, send)

    api.mount("/guarded", endpoint)
    app = asgi.etag_middleware(api)

    async def go() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            first = await client.get("/item", headers={"If-None-Match": '"i1"'})
            second = await client.put("/guarded/", headers={"If-Match": '"e0"'})
            third = await client.get("/guarded/")
            return [first.status_code, second.status_code, third.status_code]

    assert asyncio.run(go()) == [304, 412, 200]
    assert calls == ["ran"]


@pytest.fixture
def uvicorn_url() -> Iterator[tuple[str, list[int]]]:
    import uvicorn

    produced: list[int] = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        asgi.etag_middleware(starlette_app(produced)),
        host="127.0.0.1",
        port=port,
        log_level="error",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/", produced
    finally:
        server.should_exit = True
        thread.join(10)


def test_over_loopback_under_uvicorn(uvicorn_url: tuple[str, list[int]]) -> None:
    url, produced = uvicorn_url
    with httpx.Client(timeout=10) as client:
        full = client.get(url)
        assert full.status_code == 200 and full.headers["etag"] == '"s1"'
        produced.clear()
        not_modified = client.get(url, headers={"If-None-Match": '"s1"'})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert "content-type" not in not_modified.headers
        failed = client.get(url, headers={"If-Match": '"other"'})
        assert failed.status_code == 412
    assert len(produced) < 400  # neither decided request streamed its 200 chunks
