"""``TestApp``: drive a WSGI app in-process (through WebTest) and print
responses the way the seed's manual page shows them.

Environ keys are keyword arguments, as in the seed::

    TestApp(app).get('/', HTTP_IF_NONE_MATCH='"foo"')

Responses of any status are returned (no exception for 4xx/5xx), and
WebTest's WSGI lint checks every exchange.

>>> def app(environ, start_response):
...     start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", '"a"')])
...     return [b"hello"]
>>> response = TestApp(app).get('/')
>>> response.status_code, response.header("etag"), response.body
(200, '"a"', b'hello')
>>> print(response)
200 OK
Content-Type: text/plain
ETag: "a"
<BLANKLINE>
hello
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

try:
    import webtest
except ImportError:  # `pip install --no-deps etagspec`: the reference alone
    raise ModuleNotFoundError(
        "etagspec.testing needs WebTest (a dependency of etagspec that --no-deps left out): "
        "pip install WebTest",
        name="webtest",
    ) from None

from .headers import header_value, header_values

__all__ = ["TestApp", "TestResponse"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TestResponse:
    """A response as the client saw it."""

    __test__ = False  # not a pytest test class

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def status_code(self) -> int:
        """The status as an int."""
        return int(self.status.split(" ", 1)[0])

    def header(self, name: str, default: str | None = None) -> str | None:
        """The first value of header ``name`` (case-insensitive)."""
        value = header_value(self.headers, name)
        return default if value is None else value

    def header_values(self, name: str) -> list[str]:
        """Every value of header ``name``, in order."""
        return header_values(self.headers, name)

    def text(self) -> str:
        """Status line, headers sorted by name, then a blank line and the
        content (decoded as UTF-8) when there is any."""
        lines = [self.status]
        lines.extend(f"{k}: {v}" for k, v in sorted(self.headers, key=lambda kv: kv[0].lower()))
        head = "\n".join(lines)
        if not self.body:
            return head
        return head + "\n\n" + self.body.decode("utf-8", errors="replace")

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"<TestResponse {self.status!r}>"


class TestApp:
    """A test client for a WSGI application, built on WebTest."""

    __test__ = False  # not a pytest test class

    def __init__(self, app: WSGIApp, *, lint: bool = True) -> None:
        self.app = app
        self._sent: tuple[str, list[tuple[str, str]]] | None = None
        self._webtest = webtest.TestApp(self._recording, lint=lint)

    def _recording(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        # WebOb fills in headers (Content-Length) the app never sent; keep
        # exactly what the app passed to start_response.
        def record(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            self._sent = (status, list(headers))
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        return self.app(environ, record)

    def request(
        self,
        method: str,
        path: str = "/",
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        **environ: Any,
    ) -> TestResponse:
        """Send one request. ``environ`` keys go into the WSGI environ."""
        request = webtest.TestRequest.blank(path, environ=dict(environ))
        request.method = method
        for name, value in (headers or {}).items():
            request.headers[name] = value
        if body or method in ("PUT", "POST", "PATCH"):
            request.body = body
        self._sent = None
        response = self._webtest.do_request(request, status="*", expect_errors=True)
        status, sent_headers = self._sent or (response.status, list(response.headerlist))
        return TestResponse(status, sent_headers, response.body)

    def get(self, path: str = "/", **environ: Any) -> TestResponse:
        """GET ``path``."""
        return self.request("GET", path, **environ)

    def head(self, path: str = "/", **environ: Any) -> TestResponse:
        """HEAD ``path``."""
        return self.request("HEAD", path, **environ)

    def delete(self, path: str = "/", **environ: Any) -> TestResponse:
        """DELETE ``path``."""
        return self.request("DELETE", path, **environ)

    def put(self, path: str = "/", body: bytes = b"", **environ: Any) -> TestResponse:
        """PUT ``body`` to ``path``."""
        return self.request("PUT", path, body, **environ)

    def post(self, path: str = "/", body: bytes = b"", **environ: Any) -> TestResponse:
        """POST ``body`` to ``path``."""
        return self.request("POST", path, body, **environ)
