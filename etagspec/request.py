"""A small read-only view of a WSGI environ."""

from __future__ import annotations

from typing import Any

from .environ import conditions_from_environ
from .errors import InvalidRequestBody, RequestBodyTooLarge
from .preconditions import Conditions

__all__ = ["MAX_BODY_LENGTH", "Request"]

#: The longest request body :meth:`Request.read_body` takes by default (16 MiB).
MAX_BODY_LENGTH = 16 * 1024 * 1024
#: Bytes asked of ``wsgi.input`` at a time.
_READ_SIZE = 64 * 1024


class Request:
    """The request a handler receives.

    >>> request = Request({"REQUEST_METHOD": "GET", "PATH_INFO": "/doc",
    ...                    "HTTP_IF_NONE_MATCH": '"v1"'})
    >>> request.method, request.path, request.get_header("If-None-Match")
    ('GET', '/doc', '"v1"')
    """

    __slots__ = ("_body", "_conditions", "environ")

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self._conditions: Conditions | None = None
        self._body: bytes | None = None

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

    def read_body(self, limit: int = MAX_BODY_LENGTH) -> bytes:
        """The request content, whole, or a typed error: never a part of it.

        Raises :class:`~etagspec.errors.RequestBodyTooLarge` (answer 413)
        when Content-Length is over ``limit`` bytes, before reading any of
        it, and :class:`~etagspec.errors.InvalidRequestBody` (answer 400)
        for an invalid Content-Length or a body that ends (or fails) before
        the length it announced: a client that went away. Without a
        Content-Length there is no body (and a Transfer-Encoding the server
        left undecoded is refused: :class:`~etagspec.errors.InvalidRequestBody`).
        Read once; later calls return the same bytes.

        >>> import io
        >>> Request({"CONTENT_LENGTH": "2", "wsgi.input": io.BytesIO(b"hi")}).read_body()
        b'hi'
        >>> Request({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hi")}).read_body()
        Traceback (most recent call last):
        ...
        etagspec.errors.InvalidRequestBody: the body ended after 2 of the 5 bytes its ...
        >>> Request({"CONTENT_LENGTH": "5", "wsgi.input": io.BytesIO(b"hello")}).read_body(4)
        Traceback (most recent call last):
        ...
        etagspec.errors.RequestBodyTooLarge: the body announces 5 bytes, over the limit of 4
        """
        if self._body is not None:
            return self._body
        declared = self.environ.get("CONTENT_LENGTH")
        text = declared.strip(" \t") if isinstance(declared, str) else ""
        if not text:
            if self.environ.get("HTTP_TRANSFER_ENCODING") is not None:
                # A body the server did not frame for the app: taking it as
                # empty would store nothing in place of something.
                raise InvalidRequestBody(
                    "a body sent with Transfer-Encoding and no Content-Length", None
                )
            self._body = b""
            return self._body
        if not text.isdigit() or not text.isascii():
            raise InvalidRequestBody(f"invalid Content-Length {text!r}", text)
        length = int(text)
        if length > limit:
            raise RequestBodyTooLarge(
                f"the body announces {length} bytes, over the limit of {limit}", length
            )
        stream = self.environ.get("wsgi.input")
        chunks: list[bytes] = []
        received = 0
        try:
            while received < length and stream is not None:
                chunk = stream.read(min(length - received, _READ_SIZE))
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        except OSError as error:  # the connection broke under the server's reader
            raise InvalidRequestBody(
                f"the body could not be read after {received} of {length} bytes: {error}",
                received,
            ) from error
        if received != length:
            raise InvalidRequestBody(
                f"the body ended after {received} of the {length} bytes its Content-Length "
                "announced",
                received,
            )
        self._body = b"".join(chunks)
        return self._body
