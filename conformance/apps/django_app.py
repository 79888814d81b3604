"""Django: the ``@condition`` decorator, and ``ConditionalGetMiddleware``.

Both idioms are from Django's "Conditional View Processing" topic guide
(docs/topics/conditional-view-processing): ``condition_app`` serves an
in-memory document at ``/doc`` through a view under
``@condition(etag_func=..., last_modified_func=...)``; the guide's section
"Using the decorators with other HTTP methods" shows the same decorator
guarding PUT with If-Match / If-Unmodified-Since, so the view accepts PUT
(a PUT replaces the document; its ETag and Last-Modified change).
``middleware_app`` serves a plain view that sets ETag and Last-Modified
itself, with ``django.middleware.http.ConditionalGetMiddleware`` in
``MIDDLEWARE`` ("Comparison with middleware conditional processing").

One settings module, two WSGI handlers: a handler reads ``MIDDLEWARE``
once, when it is built, so ``middleware_app`` is built under
``override_settings(MIDDLEWARE=[...])``; it finds its own URLconf through
``request.urlconf``, which Django lets a middleware set ("How Django
processes a request").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

import django
from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["localhost", "127.0.0.1"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        USE_TZ=True,
        SECRET_KEY="etagspec-conformance-campaign",
        DEFAULT_CHARSET="utf-8",
    )
    django.setup()

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test.utils import override_settings
from django.urls import URLPattern, path
from django.utils.http import http_date
from django.views.decorators.http import condition, require_http_methods


@dataclass
class Document:
    """The one document: its text and when it last changed."""

    text: bytes
    modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.text).hexdigest()[:16] + '"'


DOCUMENT = Document(b"A document served by a Django view.\n", datetime(2024, 1, 1, tzinfo=UTC))


def document_etag(request: HttpRequest) -> str:
    return DOCUMENT.etag


def document_last_modified(request: HttpRequest) -> datetime:
    return DOCUMENT.modified


@require_http_methods(["GET", "HEAD", "PUT"])
@condition(etag_func=document_etag, last_modified_func=document_last_modified)
def document(request: HttpRequest) -> HttpResponse:
    if request.method == "PUT":
        DOCUMENT.text = request.body
        DOCUMENT.modified = datetime.now(UTC).replace(microsecond=0)
        return HttpResponse(status=204)
    return HttpResponse(DOCUMENT.text, content_type="text/plain; charset=utf-8")


PLAIN_TEXT = b"A document whose view sets its own validators.\n"
PLAIN_ETAG = '"plain-v1"'
PLAIN_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


def plain_document(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(PLAIN_TEXT, content_type="text/plain; charset=utf-8")
    response["ETag"] = PLAIN_ETAG
    response["Last-Modified"] = http_date(PLAIN_MODIFIED.timestamp())
    return response


WEAK_DOCUMENT = Document(
    b"A read-only document with a weak ETag.\n", datetime(2024, 1, 1, tzinfo=UTC)
)


def weak_etag(request: HttpRequest) -> str:
    return "W/" + WEAK_DOCUMENT.etag


def weak_last_modified(request: HttpRequest) -> datetime:
    return WEAK_DOCUMENT.modified


@require_http_methods(["GET", "HEAD"])
@condition(etag_func=weak_etag, last_modified_func=weak_last_modified)
def weak_document(request: HttpRequest) -> HttpResponse:
    """A read-only document whose ETag is weak (``W/"..."`` from ``etag_func``)."""
    return HttpResponse(WEAK_DOCUMENT.text, content_type="text/plain; charset=utf-8")


urlpatterns = [path("doc", document), path("doc-weak", weak_document)]


class PlainURLs:
    """The URLconf of ``middleware_app``: the plain view at ``/doc``."""

    urlpatterns: ClassVar[list[URLPattern]] = [path("doc", plain_document)]


def use_plain_urls(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: route this handler's requests with :class:`PlainURLs`."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.urlconf = PlainURLs
        return get_response(request)

    return middleware


condition_app = WSGIHandler()

with override_settings(
    MIDDLEWARE=[
        "django.middleware.http.ConditionalGetMiddleware",
        f"{__name__}.use_plain_urls",
    ]
):
    middleware_app = WSGIHandler()
