"""Reading one HTTP/1.1 response off a socket: strictly, and within bounds.

A client library repairs what a server gets wrong (a bare CR taken for a
line break, a header section cut off taken as complete); a conformance
harness must see it. So the framing is RFC 9112's, and anything else is a
:class:`MalformedResponse` that says what it was:

* a bare CR anywhere in the header section (RFC 9112 §2.2);
* a connection closed inside the header section, or inside a body framed
  by Content-Length or chunked coding (RFC 9112 §6.3, §8);
* a status line or a field line that is not one, an invalid or
  contradictory Content-Length.

Kept from what clients accept: lines ended by a lone LF (RFC 9112 §2.2
allows a recipient to), obs-fold replaced by one SP (§5.2), interim 1xx
answers skipped.

Bounds: every wait ends by the request's deadline (:class:`WireTimeout`);
a header section past its cap or a body past its cap (announced or read)
raises :class:`~etagspec.conformance.bounds.OverBound`. Nothing past a
cap is kept.

>>> import socket
>>> ours, theirs = socket.socketpair()
>>> _ = theirs.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nhi")
>>> answer = read_response(ours, "GET", None, Bounds(), "GET /")
>>> answer.status, answer.headers, answer.body
(200, (('Content-Length', '2'),), b'hi')
>>> _ = theirs.sendall(b"HTTP/1.1 200 OK\\r\\nA: 1\\rB: 2\\r\\n\\r\\n")
>>> read_response(ours, "GET", None, Bounds(), "GET /")
Traceback (most recent call last):
...
etagspec.conformance.targets.wire.MalformedResponse: a bare CR in the header section ...
>>> ours.close(); theirs.close()
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass

from ..bounds import Bounds

__all__ = ["MalformedResponse", "ServerClosed", "WireResponse", "WireTimeout", "read_response"]

_RECV_SIZE = 65536
#: Longest chunk-size line accepted (size, extensions and CRLF).
_MAX_CHUNK_LINE = 4096
# RFC 9112 §4: HTTP-version SP status-code SP [ reason-phrase ]; RFC 9110 §15:
# a status code is 100-599 (the space before an empty reason may be missing).
_STATUS_LINE = re.compile(rb"HTTP/([0-9])\.([0-9]) ([1-5][0-9]{2})(?: ([\t\x20-\x7e\x80-\xff]*))?")
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BARE_CR = re.compile(rb"\r(?!\n)")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[\t ]*(?:;[^\r\n]*)?")


class MalformedResponse(Exception):
    """The server's answer is not an HTTP/1.1 response: the message says
    what it was."""


class ServerClosed(Exception):
    """The server closed the connection without sending a byte."""


class WireTimeout(Exception):
    """The deadline passed; ``received`` bytes of the answer had come."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


@dataclass(frozen=True, slots=True)
class WireResponse:
    """One final response as it came."""

    version: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def status_line(self) -> str:
        return f"{self.version} {self.status} {self.reason}".rstrip()


class _Reader:
    """Buffered reads from a socket, each ending by the deadline."""

    def __init__(self, connection: socket.socket, deadline: float | None) -> None:
        self.connection = connection
        self.deadline = deadline
        self.buffer = bytearray()
        self.received = 0

    def fill(self) -> bool:
        """Read more into the buffer; False at the end of the stream."""
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise WireTimeout(self.received)
            self.connection.settimeout(left)
        try:
            data = self.connection.recv(_RECV_SIZE)
        except TimeoutError:
            raise WireTimeout(self.received) from None
        self.received += len(data)
        self.buffer += data
        return bool(data)

    def take(self, size: int) -> bytes:
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data


def _section_end(buffer: bytearray, start: int = 0) -> tuple[int, int] | None:
    """(end of the last field line, start of what follows the blank line),
    searching from ``start`` (what was searched before need not be again)."""
    ends = [
        (at, at + len(mark))
        for mark in (b"\r\n\r\n", b"\n\r\n", b"\n\n")
        if (at := buffer.find(mark, start)) >= 0
    ]
    if not ends:
        return None
    return min(ends)


def _head(reader: _Reader, bounds: Bounds, what: str) -> bytes:
    """The next header section (without its blank line), bounded."""
    searched = 0
    while (found := _section_end(reader.buffer, searched)) is None:
        searched = max(0, len(reader.buffer) - 3)  # a mark may straddle two reads
        if len(reader.buffer) > bounds.max_header_bytes:
            raise bounds.headers_over(what)
        if not reader.fill():
            if not reader.buffer:
                raise ServerClosed
            raise MalformedResponse(
                f"the connection closed inside the header section (after {len(reader.buffer)} "
                "bytes, before the blank line that ends it)"
            )
    end, after = found
    if end > bounds.max_header_bytes:
        raise bounds.headers_over(what)
    head = reader.take(after)[:end]
    return head


def _fields(head: bytes) -> tuple[str, int, str, tuple[tuple[str, str], ...]]:
    bare = _BARE_CR.search(head)
    if bare is not None:
        number = head[: bare.start()].count(b"\n") + 1
        raise MalformedResponse(
            f"a bare CR in the header section (line {number}; RFC 9112 §2.2 forbids it): "
            f"{head[max(0, bare.start() - 40) : bare.start() + 40]!r}"
        )
    lines = [line.removesuffix(b"\r") for line in head.split(b"\n")]
    status = _STATUS_LINE.fullmatch(lines[0])
    if status is None:
        raise MalformedResponse(f"BadStatusLine: {lines[0][:200]!r}")
    version = f"HTTP/{status[1].decode()}.{status[2].decode()}"
    fields: list[list[str]] = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t"):
            if not fields:
                raise MalformedResponse(f"a continuation line before any field: {line[:200]!r}")
            fields[-1][1] += " " + line.strip(b" \t").decode("latin-1")  # obs-fold: one SP
            continue
        name, colon, value = line.partition(b":")
        if not colon or _TOKEN.fullmatch(name) is None:
            raise MalformedResponse(f"not a field line: {line[:200]!r}")
        fields.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
    reason = (status[4] or b"").decode("latin-1")
    return version, int(status[3]), reason, tuple((name, value) for name, value in fields)


def _values(headers: tuple[tuple[str, str], ...], name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name]


def _content_length(headers: tuple[tuple[str, str], ...]) -> int | None:
    values = _values(headers, "content-length")
    if not values:
        return None
    members = {member.strip(" \t") for value in values for member in value.split(",")}
    if len(members) != 1 or not next(iter(members)).isdigit():
        raise MalformedResponse(f"invalid Content-Length {', '.join(values)[:200]!r}")
    return int(members.pop())


def _read_exactly(reader: _Reader, size: int, announced: str) -> bytes:
    while len(reader.buffer) < size:
        if not reader.fill():
            raise MalformedResponse(
                f"IncompleteRead: the body ended after {len(reader.buffer)} of the "
                f"{size} bytes {announced}"
            )
    return reader.take(size)


def _line(reader: _Reader, limit: int, inside: str) -> bytes:
    while (end := reader.buffer.find(b"\n")) < 0:
        if len(reader.buffer) > limit:
            raise MalformedResponse(f"a line longer than {limit} bytes {inside}")
        if not reader.fill():
            raise MalformedResponse(f"IncompleteRead: the connection closed {inside}")
    return reader.take(end + 1).removesuffix(b"\n").removesuffix(b"\r")


def _chunked(reader: _Reader, bounds: Bounds, what: str) -> bytes:
    body = bytearray()
    inside = "inside the chunked body (before its last chunk)"
    while True:
        line = _line(reader, _MAX_CHUNK_LINE, inside)
        size = _CHUNK_SIZE.fullmatch(line)
        if size is None:
            raise MalformedResponse(f"invalid chunk-size line {line[:200]!r}")
        length = int(size[1], 16)
        if length == 0:
            break
        if len(body) + length > bounds.max_body_bytes:
            raise bounds.body_over(len(body) + length, what)
        body += _read_exactly(reader, length, "its chunk-size announced")
        if _line(reader, 2, inside):
            raise MalformedResponse("a chunk longer than its chunk-size")
    trailers = 0
    while line := _line(reader, bounds.max_header_bytes, "inside the trailer section"):
        trailers += len(line)
        if trailers > bounds.max_header_bytes:
            raise bounds.headers_over(what)
    return bytes(body)


def _to_close(reader: _Reader, bounds: Bounds, what: str) -> bytes:
    while reader.fill():
        if len(reader.buffer) > bounds.max_body_bytes:
            raise bounds.body_over(len(reader.buffer), what)
    if len(reader.buffer) > bounds.max_body_bytes:
        raise bounds.body_over(len(reader.buffer), what)
    return reader.take(len(reader.buffer))


def read_response(
    connection: socket.socket, method: str, deadline: float | None, bounds: Bounds, what: str
) -> WireResponse:
    """The final response to a ``method`` request on ``connection``
    (``what`` names the request in a cap's message)."""
    reader = _Reader(connection, deadline)
    while True:
        version, status, reason, headers = _fields(_head(reader, bounds, what))
        if not (100 <= status < 200 and status != 101):
            break
    if method == "HEAD" or 100 <= status < 200 or status in (204, 304):
        return WireResponse(version, status, reason, headers, b"")
    codings = [
        coding.strip(" \t").lower()
        for value in _values(headers, "transfer-encoding")
        for coding in value.split(",")
    ]
    if codings and codings[-1] == "chunked":
        body = _chunked(reader, bounds, what)
    elif codings:
        body = _to_close(reader, bounds, what)
    else:
        length = _content_length(headers)
        if length is None:
            body = _to_close(reader, bounds, what)
        else:
            if length > bounds.max_body_bytes:
                raise bounds.body_over(length, what)
            body = _read_exactly(reader, length, "its Content-Length announced")
    return WireResponse(version, status, reason, headers, body)
