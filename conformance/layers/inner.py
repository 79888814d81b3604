"""Calling a wrapped WSGI app from inside a framework view: the status, the
headers and the content, read only until the app has called
``start_response`` (``write()`` output kept in front). Frameworks without a
helper of their own for this (Django) use it; Werkzeug and WebOb have theirs
(``Response.from_app``, ``Request.get_response``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Content:
    """The rest of the app's content, after what was read already; closes
    the app's iterable when closed."""

    def __init__(self, read: list[bytes], rest: Iterator[bytes] | None, iterable: Any) -> None:
        self._read = read
        self._rest = rest
        self._iterable = iterable

    def __iter__(self) -> Iterator[bytes]:
        yield from self._read
        if self._rest is not None:
            yield from self._rest
        else:
            yield from self._iterable

    def close(self) -> None:
        close = getattr(self._iterable, "close", None)
        if close is not None:
            close()


def call_inner(app: App, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], Content]:
    """Run ``app`` for ``environ``: (status line, headers, content)."""
    captured: list[tuple[str, list[tuple[str, str]]]] = []
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured.append((status, headers))
        return written.append

    iterable = app(environ, start_response)
    rest: Iterator[bytes] | None = None
    if not captured:
        rest = iter(iterable)
        try:
            for chunk in rest:
                written.append(chunk)
                if captured:
                    break
        except BaseException:
            Content([], rest, iterable).close()
            raise
        if not captured:
            Content([], rest, iterable).close()
            raise RuntimeError("the app never called start_response")
    status, headers = captured[-1]
    return status, headers, Content(written, rest, iterable)
