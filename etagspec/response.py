"""Response: a status, headers, and content that stays lazy.

The content is any iterable of ``str`` or ``bytes`` (a list, a generator).
It is only iterated when the server sends it, so a handler can put its
expensive work inside a generator and a 304 never runs it (the seed's
``yield ''`` pattern). ``str`` chunks are encoded with the charset of the
Content-Type (UTF-8 by default).

>>> response = Response(["hello"], content_type="text/plain")
>>> response.status, response.get_header("content-type")
('200 OK', 'text/plain')
>>> response.add_header("ETag", '"v1"').headers
[('Content-Type', 'text/plain'), ('ETag', '"v1"')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Any, Final

from ._memo import remember
from .headers import CHECKED_VALUES as _CHECKED_VALUES
from .headers import check_header, header_value

__all__ = ["ClosingIterator", "Response", "StartResponse", "status_line"]

StartResponse = Callable[..., Any]

DEFAULT_CONTENT_TYPE = "text/html; charset=UTF-8"
_DEFAULT_CONTENT_TYPE_LINE: Final = ("Content-Type", DEFAULT_CONTENT_TYPE)

#: Statuses whose responses never have content (RFC 9110 §15.3.5, §15.4.5;
#: ST-304-4, ST-205-1).
NO_CONTENT_STATUSES = frozenset({204, 205, 304})


def status_line(status: int | str) -> str:
    """The WSGI status string for an int or a status string.

    >>> status_line(304), status_line("412 Precondition Failed"), status_line(299)
    ('304 Not Modified', '412 Precondition Failed', '299 Unknown')
    """
    if isinstance(status, str):
        return status
    if status.__class__ is int:
        line = _STATUS_LINES.get(status)
        if line is not None:
            return line
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Unknown"
    return f"{status} {phrase}"


#: The status line of every registered status code, made once (413 by its
#: RFC 9110 name, which older Pythons' HTTPStatus does not have yet).
_STATUS_LINES: dict[int, str] = {int(code): f"{int(code)} {code.phrase}" for code in HTTPStatus}
_STATUS_LINES[413] = "413 Content Too Large"


def _header_kwarg_name(name: str) -> str:
    """The header name a keyword argument stands for (``content_type`` ->
    ``Content-Type``), checked to be a token."""
    header = _KWARG_HEADER_NAMES.get(name)
    if header is None:
        header = "-".join(part.capitalize() for part in name.split("_"))
        check_header(header, "")
        remember(_KWARG_HEADER_NAMES, name, header)
    return header


# Keyword argument names come from code, so there are few of them; status
# lines likewise (see etagspec._memo).
_KWARG_HEADER_NAMES: dict[str, str] = {}
_STATUS_CODES: dict[str, int] = {}


class Response:
    """An HTTP response for a handler to return.

    Keyword arguments become headers (``content_type='image/png'`` sets
    Content-Type). Every header is checked: a value with CR, LF or another
    control character raises :class:`~etagspec.errors.InvalidHeaderValue`.
    Responses are treated as immutable: ``add_header`` and friends return a
    new Response sharing the same content.
    """

    __slots__ = ("content", "headers", "status", "status_code")

    def __init__(
        self,
        content: Iterable[str | bytes] | None = None,
        status: int | str = 200,
        headers: Iterable[tuple[str, str]] | None = None,
        **header_kwargs: str,
    ) -> None:
        self.content: Iterable[str | bytes] = () if content is None else content
        line = _STATUS_LINES.get(status) if status.__class__ is int else None
        if line is not None:
            code: int = status  # type: ignore[assignment]
            self.status = line
        else:
            self.status = status_line(status)
            code = _status_code(self.status)
        #: The status as an int.
        self.status_code = code
        checked = [check_header(name, value) for name, value in headers] if headers else []
        typed = checked and _has_content_type(checked)
        if header_kwargs:
            header_names = _KWARG_HEADER_NAMES
            known_values = _CHECKED_VALUES
            for key, value in header_kwargs.items():
                # Names made from keywords are tokens (checked when made).
                name = header_names.get(key) or _header_kwarg_name(key)
                if value.__class__ is str and value in known_values:
                    checked.append((name, value))
                else:
                    checked.append(check_header(name, value))
                if name == "Content-Type":  # the only spelling a keyword gives
                    typed = True
        if not typed and code not in NO_CONTENT_STATUSES:
            checked.insert(0, _DEFAULT_CONTENT_TYPE_LINE)
        self.headers: list[tuple[str, str]] = checked

    @classmethod
    def _from_checked(
        cls, status: str, headers: list[tuple[str, str]], content: Iterable[str | bytes] = ()
    ) -> Response:
        """A Response made of a status line and header lines that already
        went through :func:`~etagspec.headers.check_header` (taken as they
        are: no check, no default Content-Type)."""
        response = object.__new__(cls)
        response.content = content
        response.status = status
        response.status_code = _STATUS_CODES.get(status) or _status_code(status)
        response.headers = headers
        return response

    def __repr__(self) -> str:
        return f"<Response {self.status!r} {self.headers!r}>"

    def get_header(self, name: str, default: str | None = None) -> str | None:
        """The first value of header ``name`` (case-insensitive)."""
        value = header_value(self.headers, name)
        return default if value is None else value

    def _copy(self, headers: list[tuple[str, str]], status: str | None = None) -> Response:
        return Response._from_checked(status or self.status, headers, self.content)

    def add_header(self, name: str, value: str) -> Response:
        """A copy with one more header line."""
        return self._copy([*self.headers, check_header(name, value)])

    def remove_header(self, name: str) -> Response:
        """A copy without any line of header ``name``."""
        lower = name.lower()
        return self._copy([(k, v) for k, v in self.headers if k.lower() != lower])

    def replace_header(self, name: str, value: str) -> Response:
        """A copy where header ``name`` has exactly this one value."""
        lower = name.lower()
        kept = [(k, v) for k, v in self.headers if k.lower() != lower]
        return self._copy([*kept, check_header(name, value)])

    def with_status(self, status: int | str) -> Response:
        """A copy with another status."""
        return self._copy(list(self.headers), status_line(status))

    def close(self) -> None:
        """Close the content iterator, if it has a ``close`` method."""
        content = self.content
        if content.__class__ is list or content.__class__ is tuple:
            return
        close = getattr(content, "close", None)
        if close is not None:
            close()

    def read_body(self) -> bytes:
        """Consume the content (encoding ``str`` chunks) and close it."""
        try:
            return b"".join(_encode(self.content, self))
        finally:
            self.close()

    def charset(self) -> str:
        """The charset used to encode ``str`` chunks."""
        content_type = self.get_header("Content-Type") or ""
        for parameter in content_type.split(";")[1:]:
            key, _, value = parameter.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"')
        return "utf-8"

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Send this response as a WSGI application would."""
        return self._send(environ, start_response, list(self.headers))

    def _send(
        self, environ: dict[str, Any], start_response: StartResponse, headers: list[tuple[str, str]]
    ) -> Iterable[bytes]:
        """Send this response's status and content with ``headers``: checked
        lines in a new list that the server may change."""
        start_response(self.status, headers)
        # METH-HEAD-1, ST-304-4: no content for HEAD, 204, 205 and 304.
        if environ.get("REQUEST_METHOD") == "HEAD" or self.status_code in NO_CONTENT_STATUSES:
            self.close()
            return []
        content = self.content
        if content.__class__ is list or content.__class__ is tuple:
            for chunk in content:
                if chunk.__class__ is not bytes:
                    break
            else:  # bytes already, and nothing to close: the server can take it as it is
                return content
        return ClosingIterator(_encode(content, self), self.close)


def _status_code(status: str) -> int:
    """The code of a status line (``"304 Not Modified"`` -> 304)."""
    if status.__class__ is str:
        code = _STATUS_CODES.get(status)
        if code is not None:
            return code
    code = int(status.split(" ", 1)[0])
    if status.__class__ is str:
        remember(_STATUS_CODES, status, code)
    return code


def _has_content_type(headers: list[tuple[str, str]]) -> bool:
    for name, _ in headers:  # noqa: SIM110 - any(...), without a generator
        if name == "Content-Type" or name.lower() == "content-type":
            return True
    return False


def _encode(content: Iterable[str | bytes], response: Response) -> Iterator[bytes]:
    """The chunks as bytes, ``str`` ones encoded with the response's charset
    (worked out at the first ``str`` chunk)."""
    charset = None
    for chunk in content:
        if isinstance(chunk, str):
            if charset is None:
                charset = response.charset()
            yield chunk.encode(charset)
        else:
            yield chunk


class ClosingIterator:
    """Iterate ``iterator`` and call ``close`` exactly once when the server
    closes the response (PEP 3333), whether or not iteration finished.

    >>> closed = []
    >>> body = ClosingIterator(iter([b"a"]), lambda: closed.append(True))
    >>> list(body), closed
    ([b'a'], [])
    >>> body.close(); body.close(); closed
    [True]
    """

    __slots__ = ("_close", "_iterator")

    def __init__(self, iterator: Iterator[bytes], close: Callable[[], object]) -> None:
        self._iterator = iterator
        self._close: Callable[[], object] | None = close

    def __iter__(self) -> Iterator[bytes]:
        return self._iterator

    def close(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            close()
