"""The strict wire reader: RFC 9112 framing, deadlines and caps, one
response at a time over a socket pair (and a MemoryError that stops the run
instead of blaming a check)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from etagspec.conformance import BoundExceeded, ProbeRequest, ProbeResponse, run_checks
from etagspec.conformance.bounds import Bounds, OverBound
from etagspec.conformance.targets.wire import (
    MalformedResponse,
    ServerClosed,
    WireTimeout,
    read_response,
)

SMALL = Bounds(timeout=1, max_header_bytes=256, max_body_bytes=64)


def _read(reply: bytes, method: str = "GET", bounds: Bounds = SMALL, close: bool = True) -> object:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(reply)
        if close:
            theirs.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + (bounds.timeout or 1)
        return read_response(ours, method, deadline, bounds, f"{method} /")


@pytest.mark.parametrize(
    ("reply", "method", "status", "headers", "body"),
    [
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
            "GET",
            200,
            [("Content-Length", "2")],
            b"hi",
        ),
        (b"HTTP/1.1 200 OK\nA: 1\n\nrest", "GET", 200, [("A", "1")], b"rest"),  # lone LF lines
        (b"HTTP/1.1 200 OK\r\nA: 1\r\n  two\r\n\r\n", "GET", 200, [("A", "1 two")], b""),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"2;x=y\r\nhi\r\n1\r\n!\r\n0\r\nT: 1\r\n\r\n",
            "GET",
            200,
            [("Transfer-Encoding", "chunked")],
            b"hi!",
        ),
        (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", "GET", 204, [], b""),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
            "HEAD",
            200,
            [("Content-Length", "5")],
            b"",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nhi",
            "GET",
            200,
            [("Content-Length", "2, 2")],
            b"hi",
        ),
    ],
    ids=[
        "content-length",
        "lf-lines",
        "obs-fold",
        "chunked",
        "interim-1xx",
        "head",
        "repeated-length",
    ],
)
def test_well_framed_answers_are_read(
    reply: bytes, method: str, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    answer = _read(reply, method)
    assert (answer.status, list(answer.headers), answer.body) == (status, headers, body)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (b"HTTP/1.1 200 OK\r\nA: 1\rB: 2\r\n\r\n", "a bare CR in the header section (line 2"),
        (b"HTTP/1.1 200 OK\r\nA: 1\r\n", "the connection closed inside the header section"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort",
            "IncompleteRead: the body ended after 5 of the 9",
        ),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "IncompleteRead"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk-size line"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nx", "invalid Content-Length"),
        (b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not a field line"),
        (b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "not a field line"),
        (b"ICY 200 OK\r\n\r\n", "BadStatusLine"),
        (b"HTTP/1.1 600 Nope\r\n\r\n", "BadStatusLine"),
        (b"HTTP/1.1 20 OK\r\n\r\n", "BadStatusLine"),
    ],
    ids=[
        "bare-cr",
        "cut-off",
        "short-body",
        "short-chunk",
        "bad-chunk",
        "two-lengths",
        "negative-length",
        "no-colon",
        "space-in-name",
        "not-http",
        "status-600",
        "two-digits",
    ],
)
def test_broken_framing_is_reported_not_repaired(reply: bytes, error: str) -> None:
    with pytest.raises(MalformedResponse, match=error.replace("(", r"\(")):
        _read(reply)


@pytest.mark.parametrize(
    ("reply", "cap"),
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n", "body"),
        (b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 65, "body"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" + b"x" * 65, "body"),
        (b"HTTP/1.1 200 OK\r\nA: " + b"a" * 300 + b"\r\n\r\n", "header section"),
        (b"HTTP/1.1 200 OK\r\nA: " + b"a" * 300, "header section"),
    ],
    ids=["announced", "to-close", "chunked", "long-field", "endless-field"],
)
def test_a_response_past_a_cap_stops_the_run(reply: bytes, cap: str) -> None:
    with pytest.raises(OverBound, match=f"GET /: the response {cap} is longer than"):
        _read(reply)


def test_the_deadline_covers_the_whole_response() -> None:
    ours, theirs = socket.socketpair()

    def trickle() -> None:
        theirs.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n")
        for _ in range(50):
            time.sleep(0.05)
            try:
                theirs.sendall(b"x")
            except OSError:
                return

    sender = threading.Thread(target=trickle)
    sender.start()
    started = time.monotonic()
    with ours, pytest.raises(WireTimeout) as stop:
        read_response(ours, "GET", started + 0.5, SMALL, "GET /")
    assert time.monotonic() - started < 0.8  # not 50 reads of 0.5 s each
    assert stop.value.received > 40
    theirs.close()
    sender.join()


def test_nothing_at_all_is_a_closed_connection() -> None:
    with pytest.raises(ServerClosed):
        _read(b"")


class _OutOfMemory:
    """Answers a plain GET (or, with ``at_once``, nothing): any other
    request raises MemoryError."""

    name = kind = "out-of-memory"

    def __init__(self, *, at_once: bool = False) -> None:
        self.at_once = at_once

    def send(self, request: ProbeRequest) -> ProbeResponse:
        if self.at_once or any(name != "Range" for name, _ in request.headers):
            raise MemoryError
        return ProbeResponse(200, (("ETag", '"a"'), ("Content-Length", "1")), b"x")

    def reproduce(self, request: ProbeRequest) -> str:
        return ""


def test_a_memory_error_stops_the_run_instead_of_blaming_the_check() -> None:
    # The feature probes send the first conditional requests: they say so.
    with pytest.raises(BoundExceeded, match="the run ran out of memory in the feature probes on /"):
        run_checks(_OutOfMemory(), select=["CMP-USE-1"], max_examples=2)
    with pytest.raises(BoundExceeded, match="the run ran out of memory"):
        run_checks(_OutOfMemory(at_once=True), select=["CMP-USE-1"], max_examples=2)
