"""A small read-only view of a WSGI environ."""

from __future__ import annotations

from typing import Any

from .environ import conditions_from_environ
from .preconditions import Conditions

__all__ = ["Request"]


class Request:
    """The request a handler receives.

    >>> request = Request({"REQUEST_METHOD": "GET", "PATH_INFO": "/doc",
    ...                    "HTTP_IF_NONE_MATCH": '"v1"'})
    >>> request.method, request.path, request.get_header("If-None-Match")
    ('GET', '/doc', '"v1"')
    """

    __slots__ = ("_conditions", "environ")

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self._conditions: Conditions | None = None

    @property
    def method(self) -> str:
        """The request method, as sent (case-sensitive)."""
        method = self.environ.get("REQUEST_METHOD", "GET")
        return method if method.__class__ is str else str(method)

    @property
    def path(self) -> str:
        """``PATH_INFO``, or ``/`` when it is empty."""
        return str(self.environ.get("PATH_INFO", "")) or "/"

    @property
    def script_name(self) -> str:
        """``SCRIPT_NAME``: where the application is mounted."""
        return str(self.environ.get("SCRIPT_NAME", ""))

    @property
    def query_string(self) -> str:
        """The raw query string."""
        return str(self.environ.get("QUERY_STRING", ""))

    @property
    def conditions(self) -> Conditions:
        """The precondition fields of this request."""
        if self._conditions is None:
            self._conditions = conditions_from_environ(self.environ)
        return self._conditions

    def get_header(self, name: str, default: str | None = None) -> str | None:
        """A request header by name (case-insensitive), as WSGI delivers it."""
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = "HTTP_" + key
        value = self.environ.get(key)
        return value if isinstance(value, str) else default

    def read_body(self, limit: int = 16 * 1024 * 1024) -> bytes:
        """Read the request content (at most ``limit`` bytes).

        >>> import io
        >>> Request({"CONTENT_LENGTH": "2", "wsgi.input": io.BytesIO(b"hi")}).read_body()
        b'hi'
        """
        try:
            length = int(self.environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        stream = self.environ.get("wsgi.input")
        if stream is None or length <= 0:
            return b""
        data: bytes = stream.read(min(length, limit))
        return data
