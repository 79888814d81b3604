"""The Django side of the round-trip benchmark: one view under ``@condition``.

:func:`wsgi_app` configures Django on first use (only if nothing else has),
so importing this module has no side effect.
"""

from __future__ import annotations

from typing import Any

__all__ = ["urlpatterns", "wsgi_app"]

urlpatterns: list[Any] = []


def wsgi_app() -> Any:
    """Django's WSGI handler serving ``/doc/<revision>`` through ``@condition``, or None
    when Django was already configured by someone else in this process."""
    import django
    from django.conf import settings

    if settings.configured:
        return None
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
        SECRET_KEY="etagspec-benchmarks",
        LOGGING_CONFIG=None,
    )
    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpRequest, HttpResponse
    from django.urls import path
    from django.views.decorators.http import condition

    @condition(etag_func=lambda request, revision: revision)
    def document(request: HttpRequest, revision: str) -> HttpResponse:
        return HttpResponse(b"hello", content_type="text/plain")

    urlpatterns.append(path("doc/<str:revision>", document))
    return WSGIHandler()
