"""Source text of small WSGI apps that the CLI and pytest-plugin tests
write into a temporary directory and load as harness targets."""

from __future__ import annotations

# Ignores every precondition: always 200 with the same strong ETag.
IGNORES_PRECONDITIONS = """
    def app(environ, start_response):
        body = b"always the same\\n"
        start_response(
            "200 OK",
            [("Content-Type", "text/plain"), ("ETag", '"v1"'), ("Content-Length", str(len(body)))],
        )
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
"""

# The reference app, except that Cache-Control repeats a directive: only
# CC-8 (a SHOULD) is not met.
SHOULD_ONLY = """
    from etagspec.demo import make_app

    _inner = make_app()

    def app(environ, start_response):
        def patched(status, headers, exc_info=None):
            headers = [
                (k, "no-cache, no-cache" if k.lower() == "cache-control" else v)
                for k, v in headers
            ]
            return start_response(status, headers, exc_info)

        return _inner(environ, patched)
"""


#: etag_middleware with one flaw (its 304s lose the ETag): a layer that
#: fails LAYER-304-1 and passes the rest.
DROPS_ETAG_ON_304 = """
from etagspec.caching import etag_middleware

def wrap(app):
    inner = etag_middleware(app)

    def layer(environ, start_response):
        def drop(status, headers, exc_info=None):
            if status.startswith("304"):
                headers = [(n, v) for n, v in headers if n.lower() != "etag"]
            return start_response(status, headers, exc_info)

        return inner(environ, drop)

    return layer
"""
