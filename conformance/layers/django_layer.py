"""Django: ``ConditionalGetMiddleware`` over a view answering with an
``HttpResponse`` (the wrapped app's content read into it) or a
``StreamingHttpResponse`` (its content streamed), and the ``@condition``
decorator, whose ETag and Last-Modified functions ask the wrapped app (a GET
without preconditions) before the view runs, as the topic guide
"Conditional View Processing" has them look the validators up first.

Each layer is one Django WSGI handler built with its own ``MIDDLEWARE``; the
app it wraps travels in the environ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["localhost", "127.0.0.1"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        USE_TZ=True,
        SECRET_KEY="etagspec-layer-campaign",
        DEFAULT_CHARSET="utf-8",
        # An exception of the wrapped app is logged by Django as it becomes a
        # 500; the harness reports it, so the log would only be noise.
        LOGGING={
            "version": 1,
            "disable_existing_loggers": False,
            "loggers": {"django.request": {"level": "CRITICAL", "propagate": False}},
        },
    )
    django.setup()

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test.utils import override_settings
from django.urls import URLPattern, path
from django.views.decorators.http import condition
from inner import call_inner

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_INNER = "etagspec.inner_app"
_PRECONDITIONS = ("IF_MATCH", "IF_NONE_MATCH", "IF_MODIFIED_SINCE", "IF_UNMODIFIED_SINCE")


def _answer(response: HttpResponse | StreamingHttpResponse, status: str, headers: Any) -> Any:
    code, _, reason = status.partition(" ")
    response.status_code = int(code)
    response.reason_phrase = reason or None
    for name, value in headers:
        response.headers[name] = value
    return response


def buffered_view(request: HttpRequest) -> HttpResponse:
    status, headers, content = call_inner(request.environ[_INNER], request.environ)
    try:
        body = b"".join(content)
    finally:
        content.close()
    return _answer(HttpResponse(body), status, headers)  # type: ignore[no-any-return]


def streaming_view(request: HttpRequest) -> StreamingHttpResponse:
    status, headers, content = call_inner(request.environ[_INNER], request.environ)
    return _answer(StreamingHttpResponse(content), status, headers)  # type: ignore[no-any-return]


def _validators(request: HttpRequest) -> dict[str, str]:
    """The wrapped app's headers for a plain GET (its content closed unread)."""
    environ = {k: v for k, v in request.environ.items() if k[5:] not in _PRECONDITIONS}
    environ["REQUEST_METHOD"] = "GET"
    status, headers, content = call_inner(request.environ[_INNER], environ)
    content.close()
    if not status.startswith("2"):
        return {}
    return {name.lower(): value for name, value in reversed(headers)}


def _etag(request: HttpRequest) -> str | None:
    return _validators(request).get("etag")


def _last_modified(request: HttpRequest) -> datetime | None:
    text = _validators(request).get("last-modified")
    try:
        return parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None


condition_view = condition(etag_func=_etag, last_modified_func=_last_modified)(streaming_view)

_VIEWS = {"buffered": buffered_view, "streaming": streaming_view, "condition": condition_view}
_VIEW = "etagspec.view"


def dispatch(request: HttpRequest) -> Any:
    return _VIEWS[request.environ[_VIEW]](request)


urlpatterns: list[URLPattern] = [path("", dispatch)]


class UrlconfMiddleware:
    """Routes through this module's URLconf whatever ROOT_URLCONF says."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        request.urlconf = __name__
        return self.get_response(request)


def _handler(view: str, middleware: list[str]) -> Callable[[App], App]:
    with override_settings(MIDDLEWARE=[f"{__name__}.UrlconfMiddleware", *middleware]):
        handler = WSGIHandler()

    def wrap(app: App) -> App:
        def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            environ[_INNER] = app
            environ[_VIEW] = view
            return handler(environ, start_response)

        return layer

    return wrap


_GET = ["django.middleware.http.ConditionalGetMiddleware"]
conditional_get_http_response = _handler("buffered", _GET)
conditional_get_streaming_response = _handler("streaming", _GET)
condition_decorator = _handler("condition", [])
