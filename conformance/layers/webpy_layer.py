"""web.py: a page handler that runs the wrapped app and, for GET and HEAD,
calls ``web.modified(date=..., etag=...)`` with the app's Last-Modified and
(strong) ETag before answering with the app's status, headers and content;
``web.modified`` raises ``web.notmodified()`` when the request's
If-None-Match or If-Modified-Since says the client's copy is current, and
sets Last-Modified and ETag itself. Other methods run the app alone (the
documented use of ``web.modified`` is for pages). Served by
``web.application(...).wsgifunc()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import web
from inner import call_inner

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_INNER = "etagspec.inner_app"
_STRONG = re.compile(r'"([\x21\x23-\x7e\x80-\xff]*)"')

web.config.debug = False  # no debugger page, no reloader


def _date(value: str | None) -> Any:
    """A Last-Modified as the naive UTC datetime web.modified takes, or None."""
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return parsed.replace(tzinfo=None) if parsed is not None and parsed.tzinfo else None


class Page:
    def GET(self) -> Iterator[bytes]:  # web.py names handlers after methods
        environ = web.ctx.env
        status, headers, content = call_inner(environ[_INNER], environ)
        web.ctx.status = status
        etag = date = None
        judged = environ["REQUEST_METHOD"] in ("GET", "HEAD") and status.startswith("2")
        for name, value in headers:
            if judged and name.lower() == "etag" and etag is None and _STRONG.fullmatch(value):
                etag = value[1:-1]  # web.modified quotes it again
            elif judged and name.lower() == "last-modified" and date is None and _date(value):
                date = _date(value)
            else:
                web.header(name, value)
        if judged:
            try:
                web.modified(date=date, etag=etag)
            except web.HTTPError:
                content.close()
                raise
        return _closing(content)

    HEAD = POST = PUT = DELETE = GET


def _closing(content: Any) -> Iterator[bytes]:
    try:
        yield from content
    finally:
        content.close()


def modified_layer(app: App) -> App:
    application = web.application(("/", "Page"), {"Page": Page}, autoreload=False)
    wsgi = application.wsgifunc()

    def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[_INNER] = app
        return wsgi(environ, start_response)  # type: ignore[no-any-return]

    return layer
