"""The range and content-coding findings of the campaign's apps, reproduced
without the harness: a raw WSGI call of each app (nothing of etagspec is
imported) and an assertion of what it answers. ``python
conformance/apps/confirm_ranges.py`` runs them all (the campaign's packages
installed: ``pip install -e '.[campaign]'``); each line printed is one
confirmed finding. Apache's 416 and its Range + If-None-Match answers are
confirmed with curl against the campaign's server (see NOTES.md).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def call(app: App, path: str, **fields: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` as a server would: (status, headers by lower-case name, body).
    ``if_none_match='"x"'`` becomes ``If-None-Match: "x"``."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    environ.update({"HTTP_" + name.upper(): value for name, value in fields.items()})
    started: list[Any] = []
    result = app(environ, lambda status, headers, *_: started.extend((status, headers)))
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    headers = {name.lower(): value for name, value in started[1]}
    return int(started[0].split()[0]), headers, body


def bottle() -> Iterator[str]:
    from bottle_app import app

    status, headers, _ = call(app, "/hello.txt", range="bytes=99999-")
    assert status == 416 and "content-range" not in headers
    yield "bottle-static-file ST-416-1: 416 to bytes=99999- without Content-Range"
    status, headers, body = call(app, "/hello.txt", range="bytes=0-0,-1")
    assert status == 206 and headers["content-range"] == "bytes 0-0/49" and body == b"H"
    yield "bottle-static-file ST-206-11: bytes=0-0,-1 answered with byte 0 only"
    status, _, _ = call(app, "/hello.txt", if_range='"etagspec-no-such-tag"', range="bytes=0-1")
    assert status == 206
    yield "bottle-static-file COND-IR-9a: 206 to a false If-Range"


def werkzeug_and_flask() -> Iterator[str]:
    from flask_app import app as flask
    from werkzeug_app import app as werkzeug

    for name, app, path in (
        ("werkzeug", werkzeug, "/hello.txt"),
        ("werkzeug-weak", werkzeug, "/weak.txt"),
        ("flask-send-file", flask, "/file"),
    ):
        _, full, _ = call(app, path)
        etag, modified = full["etag"], full["last-modified"]
        assert call(app, path, if_none_match=etag)[0] == 304
        assert call(app, path, if_none_match=etag, range="bytes=0-1")[0] == 206
        assert call(app, path, if_modified_since=modified, range="bytes=0-1")[0] == 206
        yield f"{name} RNG-7: 206 where 304 is due (If-None-Match or If-Modified-Since + Range)"
        weak = etag if etag.startswith("W/") else f"W/{etag}"
        assert call(app, path, if_range=weak, range="bytes=0-1")[0] == 206
        assert call(app, path, if_range=weak, range="bytes=0-0,-1")[0] == 416
        yield f"{name} COND-IR-9a: 206 (and 416 to two ranges) with the weak tag in If-Range"


def webob_and_pyramid() -> Iterator[str]:
    from pyramid_app import app as pyramid
    from webob_app import app as webob

    for name, app, path in (("webob", webob, "/hello.txt"), ("pyramid", pyramid, "/doc")):
        status, headers, body = call(app, path)
        length = len(body)
        status, headers, body = call(app, path, range="bytes=-0")
        assert status == 206 and headers["content-range"] == f"bytes 0-{length - 1}/{length}"
        yield f"{name} RNG-13: 206 with everything to bytes=-0"
        status, headers, _ = call(app, path, range="bytes=1-,0-0")
        assert status == 206 and headers["content-range"] == f"bytes 1-{length - 1}/{length}"
        yield f"{name} ST-206-11: bytes=1-,0-0 answered with the first range only"
        assert call(app, path, if_none_match="*", range="bytes=0-1")[0] == 206
        yield f"{name} RNG-7: 206 to If-None-Match: * with Range"


def falcon() -> Iterator[str]:
    from falcon_app import app

    path = "/static/hello.txt"
    assert call(app, path, if_range='"etagspec-no-such-tag"', range="bytes=0-1")[0] == 206
    yield "falcon-static COND-IR-9a: 206 to a false If-Range"
    modified = call(app, path)[1]["last-modified"]
    day, rest = modified.split(", ", 1)
    long_day = {"Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday"}
    long_day |= {"Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}
    date, month, year, clock, _ = rest.split(" ")
    rfc850 = f"{long_day[day]}, {date}-{month}-{year[2:]} {clock} GMT"
    assert call(app, path, if_modified_since=rfc850, range="bytes=0-1")[0] == 400
    yield "falcon-static RNG-7: 400 to an rfc850 If-Modified-Since with Range"


def whitenoise() -> Iterator[str]:
    from whitenoise_app import app

    status, headers, _ = call(app, "/static/hello.txt", if_range='"nope"', range="bytes=0-1")
    assert status == 206 and headers["content-range"] == "bytes 0-1/49"
    yield "whitenoise COND-IR-9a: 206 to a false If-Range"
    status, headers, _ = call(app, "/static/hello.txt", range="bytes=-0")
    assert status == 206 and headers["content-range"] == "bytes 0-48/49"
    yield "whitenoise RNG-13: 206 with everything to bytes=-0"
    path = "/static/compressible.txt"
    _, plain, _ = call(app, path, accept_encoding="identity")
    _, packed, _ = call(app, path, accept_encoding="gzip")
    _, brotli, _ = call(app, path, accept_encoding="br")
    assert packed["content-encoding"] == "gzip" and "content-encoding" not in plain
    assert brotli["content-encoding"] == "br"
    assert plain["etag"] == packed["etag"] == brotli["etag"]
    assert not plain["etag"].startswith("W/")
    _, plain, _ = call(app, path, accept_encoding="identity", range="bytes=0-9")
    _, packed, _ = call(app, path, accept_encoding="gzip", range="bytes=0-9")
    assert (plain["content-range"], packed["content-range"]) == ("bytes 0-9/1800", "bytes 0-9/161")
    yield "whitenoise VAL-ET-7: identity, gzip and br share one strong ETag"
    tag = call(app, "/static/hello.txt")[1]["etag"]
    assert call(app, "/static/hello.txt", if_none_match=f"{tag},{tag}", range="bytes=0-1")[0] == 206
    yield "whitenoise RNG-7: 206 to a list holding the current tag, with Range"


def starlette() -> Iterator[str]:
    # An ASGI app: driven by httpx's ASGI transport, still no etagspec code.
    import httpx
    from starlette_app import app

    async def run() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            tag = (await client.get("/file")).headers["etag"]
            plain = await client.get("/file", headers={"If-None-Match": tag})
            ranged = await client.get("/file", headers={"If-None-Match": tag, "Range": "bytes=0-1"})
            return plain.status_code, ranged.status_code

    import asyncio

    assert asyncio.run(run()) == (200, 206)
    yield "starlette-fileresponse RNG-7: If-None-Match never evaluated, 206 with Range"


CONFIRMATIONS = (bottle, werkzeug_and_flask, webob_and_pyramid, falcon, whitenoise, starlette)


if __name__ == "__main__":
    for confirmation in CONFIRMATIONS:
        for line in confirmation():
            print("confirmed:", line)
