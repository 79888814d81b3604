"""The WSGI layer: decorators, middleware, laziness and closing."""

from __future__ import annotations

import datetime
import wsgiref.validate
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etagspec import to_wsgi
from etagspec.caching import (
    cache_control,
    conditional,
    etag_middleware,
    no_cache,
    with_etag,
    with_last_modified,
)
from etagspec.environ import ENVIRON_KEYS
from etagspec.errors import InvalidCacheControl, InvalidHeaderValue, UndigestibleValue
from etagspec.etags import EntityTag, parse_entity_tag
from etagspec.request import Request
from etagspec.response import Response
from etagspec.testing import TestApp

LM = 1699000000  # Fri, 03 Nov 2023 08:26:40 GMT
LM_TEXT = "Fri, 03 Nov 2023 08:26:40 GMT"
REPO = Path(__file__).resolve().parent.parent


class TrackedBody:
    """A WSGI iterable that counts how far it was read and how often closed."""

    def __init__(self, chunks: list[bytes], on_next: Any = None, on_close: Any = None) -> None:
        self.chunks = chunks
        self.reads = 0
        self.closes = 0
        self.on_next = on_next
        self.on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            if self.on_next is not None:
                self.on_next(self.reads)
            self.reads += 1
            yield chunk

    def close(self) -> None:
        self.closes += 1
        if self.on_close is not None:
            self.on_close()


# --- a handler that records what ran ---------------------------------------------


class Recorder:
    """A conditional handler whose body generator records how far it ran."""

    def __init__(self) -> None:
        self.handler_calls = 0
        self.body_steps = 0
        self.closed = 0

    def content(self) -> TrackedBody:
        def step(reads: int) -> None:
            if reads == 1:
                self.body_steps += 1

        def closed() -> None:
            self.closed += 1

        return TrackedBody([b"", b"expensive body"], on_next=step, on_close=closed)

    def handle(self, request: Request) -> Response:
        self.handler_calls += 1
        return Response(
            self.content(),
            headers=[
                ("Cache-Control", "max-age=60"),
                ("Content-Location", "/doc.en"),
                ("Date", "Fri, 03 Nov 2023 09:00:00 GMT"),
                ("Expires", "Fri, 03 Nov 2023 09:01:00 GMT"),
                ("Vary", "Accept-Language"),
                ("Content-Language", "en"),
                ("Content-Length", "14"),
            ],
            content_type="text/plain",
        )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def conditional_app(recorder: Recorder) -> Any:
    handler = conditional(etag=lambda r: "v1", last_modified=lambda r: LM)(recorder.handle)
    return to_wsgi(handler)


# --- with_etag / conditional ------------------------------------------------------


def test_200_carries_validators_and_runs_body_once(recorder: Recorder) -> None:
    response = TestApp(conditional_app(recorder)).get("/")
    assert response.status_code == 200
    assert response.header("ETag") == '"v1"'
    assert response.header("Last-Modified") == LM_TEXT
    assert response.body == b"expensive body"
    assert (recorder.handler_calls, recorder.body_steps, recorder.closed) == (1, 1, 1)


def test_304_keeps_required_fields_and_never_runs_body(recorder: Recorder) -> None:
    response = TestApp(conditional_app(recorder)).get("/", HTTP_IF_NONE_MATCH='W/"v1"')
    assert response.status_code == 304
    assert response.body == b""
    for name in ("ETag", "Cache-Control", "Content-Location", "Date", "Expires", "Vary"):
        assert response.header(name) is not None, name  # RFC 9110 §15.4.5
    assert response.header("Content-Type") is None
    assert response.header("Content-Language") is None
    assert response.header("Content-Length") == "14"  # the 200's length (§8.6)
    assert recorder.body_steps == 0
    assert recorder.closed == 1


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST", "PATCH"])
@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_IF_MATCH": '"v0"'},
        {"HTTP_IF_MATCH": 'W/"v1"'},
        {"HTTP_IF_MATCH": "garbage"},
        {"HTTP_IF_UNMODIFIED_SINCE": "Fri, 03 Nov 2023 08:26:39 GMT"},
        {"HTTP_IF_NONE_MATCH": '"v1"'},
        {"HTTP_IF_NONE_MATCH": "*"},
    ],
)
def test_unsafe_method_with_failed_precondition_never_runs_handler(
    recorder: Recorder, method: str, environ: dict[str, str]
) -> None:
    response = TestApp(conditional_app(recorder)).request(method, "/", b"", None, **environ)
    assert response.status_code == 412
    assert recorder.handler_calls == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST"])
def test_unsafe_method_with_passing_precondition_runs_handler(
    recorder: Recorder, method: str
) -> None:
    response = TestApp(conditional_app(recorder)).request(method, "/", HTTP_IF_MATCH='"v1"')
    assert response.status_code == 200
    assert recorder.handler_calls == 1


def test_if_none_match_overrides_if_modified_since(recorder: Recorder) -> None:
    app = TestApp(conditional_app(recorder))
    # IMS alone says "not modified"; a non-matching If-None-Match wins (COND-IMS-2).
    assert app.get("/", HTTP_IF_MODIFIED_SINCE=LM_TEXT).status_code == 304
    both = app.get("/", HTTP_IF_MODIFIED_SINCE=LM_TEXT, HTTP_IF_NONE_MATCH='"zz"')
    assert both.status_code == 200


def test_stacked_decorators_merge_into_one_evaluation() -> None:
    @with_etag(lambda request: "v1")
    @with_last_modified(lambda request: LM)
    def handler(request: Request) -> Response:
        return Response(["x"])

    app = TestApp(to_wsgi(handler))
    response = app.get("/")
    assert response.header("ETag") == '"v1"'
    assert response.header("Last-Modified") == LM_TEXT
    assert (
        app.get("/", HTTP_IF_MODIFIED_SINCE=LM_TEXT, HTTP_IF_NONE_MATCH='"zz"').status_code == 200
    )
    assert app.get("/", HTTP_IF_MODIFIED_SINCE=LM_TEXT).status_code == 304


def test_with_etag_works_on_methods_like_the_seed_hit_counter() -> None:
    class Counter:
        count = 0

        def etag(self, request: Request) -> int:
            return self.count // 7

        @with_etag(etag, weak=True)
        def view(self, request: Request) -> Response:
            self.count += 1
            return Response(["hit"])

    counter = Counter()
    app = TestApp(to_wsgi(counter.view))
    assert app.get("/").header("ETag") == 'W/"0"'
    assert app.get("/", HTTP_IF_NONE_MATCH='W/"0"').status_code == 304


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, '"7"'),
        ("r1089", '"r1089"'),
        (EntityTag("x", weak=True), 'W/"x"'),
        (None, None),
    ],
)
def test_etag_values(value: object, expected: str | None) -> None:
    app = TestApp(to_wsgi(with_etag(lambda request: value)(lambda request: Response(["x"]))))
    assert app.get("/").header("ETag") == expected


@pytest.mark.parametrize(
    "value",
    ["whoa nelly!", 'quote"inside', "line\r\nbreak", "x" * 200, ("tuple", 1), {"a": {1, 2}}],
)
def test_unsafe_etag_values_are_digested_into_valid_tags(value: object) -> None:
    app = TestApp(to_wsgi(with_etag(lambda request: value)(lambda request: Response(["x"]))))
    etag = app.get("/").header("ETag")
    assert etag is not None
    tag = parse_entity_tag(etag)  # valid RFC 9110 entity-tag
    assert tag.opaque.isascii() and " " not in tag.opaque


def test_undigestible_etag_value_is_a_clear_type_error() -> None:
    handler = with_etag(lambda request: object())(lambda request: Response(["x"]))
    with pytest.raises(UndigestibleValue, match="object"):
        TestApp(to_wsgi(handler)).get("/")


def test_last_modified_in_the_future_is_clamped_to_now() -> None:
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    handler = with_last_modified(lambda request: future)(lambda request: Response(["x"]))
    sent = TestApp(to_wsgi(handler)).get("/").header("Last-Modified")
    assert sent is not None
    from etagspec.dates import parse_http_date

    assert parse_http_date(sent) <= datetime.datetime.now(datetime.UTC)


def test_missing_resource_get_and_delete_go_to_the_handler_put_is_evaluated() -> None:
    calls: list[str] = []

    @conditional(etag=lambda request: None, exists=lambda request: False)
    def handler(request: Request) -> Response:
        calls.append(request.method)
        if request.method == "PUT":
            return Response(["made"], 201)
        return Response(["nope"], 404, content_type="text/plain")

    app = TestApp(to_wsgi(handler))
    assert app.get("/", HTTP_IF_MATCH='"x"').status_code == 404  # COND-EVAL-2
    assert app.delete("/", HTTP_IF_MATCH='"x"').status_code == 404
    assert app.put("/", b"x", HTTP_IF_MATCH="*").status_code == 412  # T46
    assert app.put("/", b"x", HTTP_IF_NONE_MATCH="*").status_code == 201  # T08
    assert calls == ["GET", "DELETE", "PUT"]


def test_handler_errors_are_not_judged() -> None:
    handler = with_etag(lambda request: "v1")(
        lambda request: Response(["gone"], 410, content_type="text/plain")
    )
    response = TestApp(to_wsgi(handler)).get("/", HTTP_IF_NONE_MATCH='"v1"')
    assert response.status_code == 410


# --- no_cache and cache_control -------------------------------------------------------


def test_no_cache_headers() -> None:
    response = TestApp(to_wsgi(no_cache(lambda request: Response(["x"])))).get("/")
    assert response.header("Cache-Control") == "no-cache, no-store, must-revalidate"
    assert response.header("Pragma") == "no-cache"
    assert response.header("Expires") == "Mon, 26 Jul 1997 05:00:00 GMT"


def test_cache_control_decorator_checks_directives_when_applied() -> None:
    with pytest.raises(InvalidCacheControl):
        cache_control(max_age=-1)
    with pytest.raises(InvalidCacheControl):
        cache_control(private=["Set-Cookie\r\nX-Evil: 1"])


def test_cache_control_header_reaches_304() -> None:
    handler = cache_control(max_age=10)(with_etag(lambda r: "a")(lambda r: Response(["x"])))
    response = TestApp(to_wsgi(handler)).get("/", HTTP_IF_NONE_MATCH='"a"')
    assert response.status_code == 304
    assert response.header("Cache-Control") == "max-age=10"


def test_response_refuses_header_injection() -> None:
    with pytest.raises(InvalidHeaderValue):
        Response(["x"], headers=[("X-Test", "a\r\nSet-Cookie: evil=1")])
    with pytest.raises(InvalidHeaderValue):
        Response(["x"]).add_header("Bad Name", "v")


# --- the middleware ---------------------------------------------------------------------


def plain_app(
    headers: list[tuple[str, str]], body: TrackedBody, status: str = "200 OK", lazy: bool = False
) -> Any:
    """A WSGI app; with ``lazy`` it calls start_response on first iteration."""

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        if not lazy:
            start_response(status, headers)
            return body

        def started(reads: int) -> None:
            if reads == 0:
                start_response(status, headers)

        body.on_next = started
        return body

    return app


HEADERS = [
    ("Content-Type", "text/plain"),
    ("ETag", '"v1"'),
    ("Last-Modified", LM_TEXT),
    ("Content-Length", "6"),
]


@pytest.mark.parametrize("lazy", [False, True])
@pytest.mark.parametrize(
    ("environ", "status"),
    [
        ({"HTTP_IF_NONE_MATCH": '"v1"'}, 304),
        ({"HTTP_IF_MODIFIED_SINCE": LM_TEXT}, 304),
        ({"HTTP_IF_MATCH": '"v0"'}, 412),
        ({"HTTP_IF_UNMODIFIED_SINCE": "Fri, 03 Nov 2023 08:26:39 GMT"}, 412),
        ({"HTTP_IF_NONE_MATCH": '"v0"'}, 200),
        ({}, 200),
    ],
)
def test_middleware_reads_at_most_one_chunk_and_closes_once(
    lazy: bool, environ: dict[str, str], status: int
) -> None:
    body = TrackedBody([b"", b"abc", b"def"])
    app = etag_middleware(plain_app(HEADERS, body, lazy=lazy))
    response = TestApp(app).get("/", **environ)
    assert response.status_code == status
    assert body.closes == 1
    if status == 200:
        assert response.body == b"abcdef"
    else:
        assert body.reads <= (1 if lazy else 0)
        assert (response.body == b"") is (status == 304)


def test_middleware_head_gets_304_too() -> None:
    body = TrackedBody([b"abcdef"])
    app = etag_middleware(plain_app(HEADERS, body))
    assert TestApp(app).head("/", HTTP_IF_NONE_MATCH='"v1"').status_code == 304


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_middleware_leaves_other_methods_alone(method: str) -> None:
    body = TrackedBody([b"abcdef"])
    app = etag_middleware(plain_app(HEADERS, body))
    response = TestApp(app).request(method, "/", HTTP_IF_MATCH='"v0"')
    assert response.status_code == 200


def test_middleware_ignores_preconditions_on_non_2xx() -> None:
    body = TrackedBody([b"nope"])
    app = etag_middleware(plain_app(HEADERS[:3], body, status="404 Not Found"))
    assert TestApp(app).get("/", HTTP_IF_MATCH='"zz"').status_code == 404
    assert body.closes == 1


def test_middleware_supports_write_callable() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        write = start_response("200 OK", HEADERS[:3])
        write(b"abc")
        return [b"def"]

    wrapped = etag_middleware(app)
    assert TestApp(wrapped).get("/", HTTP_IF_NONE_MATCH='"v0"').body == b"abcdef"
    assert TestApp(wrapped).get("/", HTTP_IF_NONE_MATCH='"v1"').status_code == 304


def test_middleware_propagates_exceptions_and_closes() -> None:
    class Boom(Exception):
        pass

    def explode(reads: int) -> None:
        raise Boom

    body = TrackedBody([b"x"], on_next=explode)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        return body  # start_response would come during iteration

    with pytest.raises(Boom):
        etag_middleware(app)({"REQUEST_METHOD": "GET", "HTTP_IF_NONE_MATCH": "*"}, print)
    assert body.closes == 1


def test_middleware_over_seed_handler_with_yield_first(recorder: Recorder) -> None:
    app = etag_middleware(to_wsgi(recorder.handle))
    response = TestApp(app).get("/", HTTP_IF_NONE_MATCH="*")
    assert response.status_code == 304
    assert recorder.body_steps == 0 and recorder.closed == 1


# --- wsgiref.validate and hostile input ---------------------------------------------------------

precondition_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from(["GET", "HEAD", "PUT", "DELETE", "POST"]),
    fields=st.dictionaries(
        st.sampled_from(list(ENVIRON_KEYS.values())),
        st.one_of(precondition_text, st.sampled_from(['"v1"', 'W/"v1"', "*", LM_TEXT])),
    ),
)
def test_any_precondition_text_gives_a_valid_wsgi_response(
    method: str, fields: dict[str, str]
) -> None:
    recorder = Recorder()
    inner = conditional_app(recorder)
    app = wsgiref.validate.validator(etag_middleware(wsgiref.validate.validator(inner)))
    response = TestApp(app).request(method, "/", b"", None, **fields)
    assert response.status_code in (200, 304, 412)
    assert recorder.closed == recorder.handler_calls  # every body closed
    if response.status_code != 200:
        assert recorder.body_steps == 0


def test_middleware_takes_a_handler_like_the_seed() -> None:
    handler = with_etag(lambda request: "v1")(lambda request: Response(["x"]))
    app = etag_middleware(handler)
    assert TestApp(app).get("/", HTTP_IF_NONE_MATCH='"v1"').status_code == 304


def test_middleware_takes_wsgi_callables_of_any_shape() -> None:
    class App:
        def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
            start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"v1"')])
            return [b"x"]

    def with_defaults(environ: dict[str, Any], start_response: Any, extra: int = 0) -> Any:
        return App()(environ, start_response)

    for app in (App(), with_defaults, to_wsgi(lambda request: Response(["x"], etag='"v1"'))):
        wrapped = etag_middleware(app)
        assert TestApp(wrapped).get("/", HTTP_IF_NONE_MATCH='"v1"').status_code == 304
