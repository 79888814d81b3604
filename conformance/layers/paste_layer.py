"""Paste 3: ``paste.fileapp.DataApp`` serving the wrapped app's content.

The layer runs the app; a 2xx answer to GET or HEAD is served by a
``DataApp`` built from the app's content and headers, with the app's
Last-Modified given to ``set_content(last_modified=...)`` and the app's ETag
given back by ``calculate_etag`` (DataApp's own tag is its Last-Modified and
length; answering with the app's keeps the request's tags meaningful).
DataApp judges If-None-Match and If-Modified-Since itself. Other answers
and other methods (DataApp allows only GET and HEAD) are the app's own.
"""

from __future__ import annotations

import email.utils
from collections.abc import Callable, Iterable
from typing import Any

from inner import call_inner
from paste.fileapp import DataApp

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_OWN = ("etag", "last-modified", "content-length")


class _AppData(DataApp):  # type: ignore[misc]
    def __init__(self, content: bytes, headers: list[tuple[str, str]], etag: str | None) -> None:
        super().__init__(None, [(n, v) for n, v in headers if n.lower() not in _OWN])
        self.app_etag = etag
        last_modified = _header(headers, "last-modified")
        parsed = email.utils.parsedate_tz(last_modified) if last_modified else None
        seconds = email.utils.mktime_tz(parsed) if parsed else None
        self.set_content(content, last_modified=seconds)

    def calculate_etag(self) -> str:
        return self.app_etag or super().calculate_etag()  # type: ignore[no-any-return]


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def data_app_layer(app: App) -> App:
    def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status, headers, content = call_inner(app, environ)
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or not status.startswith("2"):
            start_response(status, headers)
            return content
        try:
            body = b"".join(content)
        finally:
            content.close()
        served = _AppData(body, headers, _header(headers, "etag"))
        return served(environ, start_response)  # type: ignore[no-any-return]

    return layer
