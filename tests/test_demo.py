"""The embedded reference app."""

from __future__ import annotations

import threading
import wsgiref.validate

from etagspec.dates import http_date_to_timestamp
from etagspec.demo import make_app
from etagspec.testing import TestApp


def client() -> TestApp:
    return TestApp(wsgiref.validate.validator(make_app({"/doc": b"v1 body"})))


def test_get_sends_validators_length_and_date() -> None:
    response = client().get("/doc")
    assert response.status_code == 200
    assert response.body == b"v1 body"
    assert response.header("Content-Length") == "7"
    assert response.header("Cache-Control") == "no-cache"
    etag, modified, date = (response.header(n) for n in ("ETag", "Last-Modified", "Date"))
    assert etag is not None and etag.startswith('"')
    assert modified is not None and date is not None
    assert http_date_to_timestamp(modified) <= http_date_to_timestamp(date)


def test_head_has_no_body_and_the_get_length() -> None:
    response = client().head("/doc")
    assert response.status_code == 200
    assert response.body == b""
    assert response.header("Content-Length") == "7"


def test_304_keeps_length_and_drops_content_type() -> None:
    app = client()
    etag = app.get("/doc").header("ETag")
    response = app.get("/doc", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.header("Content-Length") == "7"
    assert response.header("Content-Type") is None
    assert response.header("Date") is not None
    assert response.header("ETag") == etag


def test_put_creates_then_replaces_then_delete_removes() -> None:
    app = client()
    created = app.put("/new", b"hello", CONTENT_TYPE="text/plain", HTTP_IF_NONE_MATCH="*")
    assert created.status_code == 201
    assert created.header("Location") == "/new"
    assert app.get("/new").body == b"hello"
    # create-only again: the document now exists
    assert app.put("/new", b"again", HTTP_IF_NONE_MATCH="*").status_code == 412
    etag = app.get("/new").header("ETag")
    replaced = app.put("/new", b"bye", CONTENT_TYPE="text/plain", HTTP_IF_MATCH=etag)
    assert replaced.status_code == 204
    assert replaced.header("ETag") != etag  # the new representation's tag
    assert app.get("/new").body == b"bye"
    assert app.delete("/new", HTTP_IF_MATCH=etag).status_code == 412
    assert app.delete("/new").status_code == 204
    assert app.get("/new").status_code == 404
    assert app.delete("/new", HTTP_IF_MATCH="*").status_code == 404  # COND-EVAL-2


def test_if_match_star_on_missing_document_is_412() -> None:
    assert client().put("/nothing", b"x", HTTP_IF_MATCH="*").status_code == 412


def test_other_methods_get_405_with_allow() -> None:
    response = client().post("/doc", b"x")
    assert response.status_code == 405
    assert response.header("Allow") == "GET, HEAD, PUT, DELETE"


def test_each_version_gets_its_own_last_modified() -> None:
    app = client()
    first = app.get("/doc").header("Last-Modified")
    assert app.put("/doc", b"v2").status_code == 204
    second = app.get("/doc").header("Last-Modified")
    assert first is not None and second is not None
    assert http_date_to_timestamp(second) > http_date_to_timestamp(first)
    # so If-Unmodified-Since with the old date now fails: no lost update
    assert app.put("/doc", b"v3", HTTP_IF_UNMODIFIED_SINCE=first).status_code == 412


def test_concurrent_conditional_puts_from_one_version_apply_once() -> None:
    app = make_app({"/doc": b"start"})
    reader = TestApp(app)
    etag = reader.get("/doc").header("ETag")
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def writer(n: int) -> None:
        barrier.wait()
        response = TestApp(app).put("/doc", b"writer %d" % n, HTTP_IF_MATCH=etag)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204] + [412] * 5
    assert app.store.get("/doc").revision == 2  # type: ignore[attr-defined]
