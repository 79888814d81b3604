"""The seed's caching module: ETags, Last-Modified and Cache-Control for
handlers and WSGI apps, correct under RFC 9110 and RFC 9111.

Decorators for handlers (``handler(request) -> Response``), in
:mod:`etagspec.caching.decorators`:

* :func:`with_etag` / :func:`with_last_modified` (or :func:`conditional`
  for both at once) compute the current validators *before* the handler
  runs and evaluate the request's preconditions in RFC 9110 §13.2.2 order:
  a failed If-Match on a PUT is a 412 and the handler never runs.
* :func:`no_cache` and :func:`cache_control` set Cache-Control.

Middleware for any WSGI app, in :mod:`etagspec.caching.middleware`:
:func:`etag_middleware` answers 304 or 412 to GET and HEAD from the app's
own ETag and Last-Modified, without iterating its content further than it
takes to see the headers.

The seed's parsing helpers are here too: :func:`quoted_string`,
:func:`parse_entity_tags`, :func:`make_etag`, :func:`etags_match`
(from :mod:`etagspec.etags`), and :func:`not_modified_headers` builds a
304's lines from a 200's.
"""

from __future__ import annotations

from ..etags import etags_match, make_etag, parse_entity_tags, quoted_string
from .answers import not_modified_headers
from .decorators import cache_control, conditional, no_cache, with_etag, with_last_modified
from .middleware import etag_middleware

__all__ = [
    "cache_control",
    "conditional",
    "etag_middleware",
    "etags_match",
    "make_etag",
    "no_cache",
    "not_modified_headers",
    "parse_entity_tags",
    "quoted_string",
    "with_etag",
    "with_last_modified",
]
