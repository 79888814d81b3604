"""The live target: a real HTTP/1.1 server, reached by URL.

Each probe is one TCP connection. The request is written by hand, so the
server receives exactly the header lines the check asked for, byte for
byte (latin-1), in order, with nothing added but ``Host``, a
``Content-Length`` when there is a body, and ``Connection: close``. The
answer is read strictly by :mod:`.wire` (a bare CR, a header section cut
off or a short body is a malformed response, never repaired).

A refused connection, a timeout or a malformed answer becomes a response
with ``error`` set. The request's timeout covers all of it, from connect to
the last body byte; after a timeout the target answers every later probe at
once with an error rather than waiting again. A response past a size cap
stops the run (see :mod:`etagspec.conformance.bounds`). Each failure
carries a curl command line that sends the same bytes.
"""

from __future__ import annotations

import shlex
import socket
import time
from urllib.parse import urlsplit

from ..bounds import Bounds, out_of_time, request_deadline
from ..model import ProbeRequest, ProbeResponse
from .base import TargetError, carries_body, hung_error
from .wire import MalformedResponse, ServerClosed, WireTimeout, read_response

__all__ = ["URLTarget", "curl_command"]


class URLTarget:
    """A server at ``base_url`` (``http://host[:port][/base]``); a probe's
    path is appended to the base path.

    ``connect_timeout`` bounds the TCP connection, ``read_timeout`` the
    whole request, connect to last body byte (seconds); ``bounds``, when
    given, sets both and the size caps.

    >>> target = URLTarget("http://127.0.0.1:8080/app/")
    >>> probe = ProbeRequest("GET", "/doc", (("If-None-Match", '"a"'),))
    >>> for line in target.request_bytes(probe).split(b"\\r\\n"):
    ...     print(line)
    b'GET /app/doc HTTP/1.1'
    b'Host: 127.0.0.1:8080'
    b'If-None-Match: "a"'
    b'Connection: close'
    b''
    b''
    >>> URLTarget("https://example.org/")
    Traceback (most recent call last):
    ...
    etagspec.conformance.targets.TargetError: https:// is not supported: ...
    """

    kind = "url"

    def __init__(
        self,
        base_url: str,
        name: str | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        *,
        bounds: Bounds | None = None,
    ) -> None:
        if bounds is not None and bounds.timeout is not None:
            connect_timeout = read_timeout = bounds.timeout
        parts = urlsplit(base_url)
        scheme = parts.scheme.lower()
        if scheme == "https":
            raise TargetError(
                "https:// is not supported: the live target speaks plain HTTP/1.1; "
                f"point it at an http:// listener instead of {base_url!r}"
            )
        if scheme != "http" or not parts.hostname:
            raise TargetError(f"{base_url!r} is not an http://host[:port][/path] URL")
        if parts.query or parts.fragment:
            raise TargetError(f"the base URL {base_url!r} must not have a query or a fragment")
        try:
            port = parts.port or 80
        except ValueError as error:
            raise TargetError(f"{base_url!r} has an invalid port: {error}") from error
        if not connect_timeout > 0 or not read_timeout > 0:
            raise TargetError("the connect and read timeouts must be positive")
        self.base_url = base_url
        self.name: str = name or base_url
        self.host: str = parts.hostname
        self.port: int = port
        self.authority: str = parts.netloc.rpartition("@")[2]
        self.base_path = parts.path.rstrip("/")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.bounds = Bounds(read_timeout) if bounds is None else bounds
        self.timeout = self.bounds.timeout
        self.hung: str | None = None

    def target_path(self, request: ProbeRequest) -> str:
        """The request-target on the wire: the base path, then the probe's."""
        return self.base_path + request.path

    def request_bytes(self, request: ProbeRequest) -> bytes:
        """The request exactly as it is written to the socket."""
        lines = [f"{request.method} {self.target_path(request)} HTTP/1.1"]
        if request.header("Host") is None:  # else the user's own (-H 'Host: ...')
            lines.append(f"Host: {self.authority}")
        lines.extend(f"{name}: {value}" if value else f"{name}:" for name, value in request.headers)
        if carries_body(request) and not request.header("Content-Length"):
            lines.append(f"Content-Length: {len(request.body)}")
        lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body

    def check_reachable(self) -> None:
        """Open (and close) a connection; :class:`TargetError` if that fails,
        so that an unreachable server is a usage error before any check runs."""
        try:
            socket.create_connection((self.host, self.port), timeout=self.connect_timeout).close()
        except OSError as error:
            raise TargetError(
                f"cannot reach {self.base_url}: {self._connect_error(error)}"
            ) from None

    def _connect_error(self, error: OSError) -> str:
        if isinstance(error, ConnectionRefusedError):
            return f"connection refused to {self.authority}"
        if isinstance(error, TimeoutError):
            return f"no connection to {self.authority} within {self.connect_timeout:g} s"
        if isinstance(error, socket.gaierror):
            return f"cannot resolve {self.host!r}: {error.strerror}"
        return f"cannot connect to {self.authority}: {error.strerror or error}"

    def send(self, request: ProbeRequest) -> ProbeResponse:
        if self.hung is not None:
            return ProbeResponse(0, error=hung_error(self.hung))
        try:
            data = self.request_bytes(request)
        except UnicodeEncodeError as error:
            return ProbeResponse(0, error=f"not sent: the request is not latin-1 text ({error})")
        deadline, run_end = request_deadline(self.timeout)
        connect_within = self.connect_timeout
        if deadline is not None:
            connect_within = min(connect_within, max(0.001, deadline - time.monotonic()))
        try:
            connection = socket.create_connection((self.host, self.port), timeout=connect_within)
        except OSError as error:
            if isinstance(error, TimeoutError):
                if run_end:
                    raise out_of_time() from None
                self.hung = self._connect_error(error)
            return ProbeResponse(0, error=self._connect_error(error))
        what = f"{request.method} {self.target_path(request)}"
        with connection:
            try:
                if deadline is not None:
                    connection.settimeout(max(0.001, deadline - time.monotonic()))
                connection.sendall(data)
                answer = read_response(connection, request.method, deadline, self.bounds, what)
            except (WireTimeout, TimeoutError) as stop:
                if run_end:
                    raise out_of_time() from None
                received = stop.received if isinstance(stop, WireTimeout) else 0
                self.hung = (
                    f"no response within {self.timeout:g} s"
                    if not received
                    else f"no complete response within {self.timeout:g} s "
                    f"({received} bytes received)"
                )
                return ProbeResponse(0, error=self.hung)
            except ServerClosed:
                return ProbeResponse(0, error="the server closed the connection without answering")
            except MalformedResponse as error:
                return ProbeResponse(0, error=f"malformed response: {error}")
            except OSError as error:
                return ProbeResponse(0, error=f"connection error: {error.strerror or error}")
        return ProbeResponse(
            answer.status, answer.headers, answer.body, status_line=answer.status_line
        )

    def reproduce(self, request: ProbeRequest) -> str:
        """A shell command line that sends the same request: curl, or, when
        a field holds a NUL, CR or LF (which curl cannot send), the exact
        bytes through ``nc``."""
        if any(_UNSENDABLE_BY_CURL & set(name + value) for name, value in request.headers):
            return (
                f"{printf_command(self.request_bytes(request))} | nc {self.host} {self.port}"
                "  # curl cannot send a NUL, CR or LF in a field"
            )
        return curl_command(f"http://{self.authority}{self.target_path(request)}", request)


#: Characters that cannot reach curl's command line, or that curl would
#: treat as the end of a header line.
_UNSENDABLE_BY_CURL = frozenset("\x00\r\n")


def curl_command(url: str, request: ProbeRequest) -> str:
    """A curl command line (for a POSIX shell; header bytes outside
    printable ASCII use ``$'...'`` quoting, as in bash) that sends
    ``request`` to ``url`` with the same header lines: curl's own
    User-Agent and Accept are switched off, an empty field is sent with
    curl's ``Name;`` form, ``--path-as-is`` keeps dot segments, and a body
    comes from ``printf`` on standard input.

    >>> print(curl_command("http://h/doc", ProbeRequest("HEAD", "/doc", (("If-Match", '"a b"'),))))
    curl -sS -i --path-as-is -H User-Agent: -H Accept: -I -H 'If-Match: "a b"' http://h/doc
    >>> print(curl_command("http://h/d", ProbeRequest("PUT", "/d", (("If-Match", ""),), b"x\\n")))
    printf 'x\\012' | curl -sS -i --path-as-is -H User-Agent: -H Accept: -X PUT -H 'If-Match;' \
-H Content-Type: --data-binary @- http://h/d
    """
    words = ["curl", "-sS", "-i", "--path-as-is", "-H", "User-Agent:", "-H", "Accept:"]
    if request.method == "HEAD":
        words.append("-I")
    elif request.method != "GET":
        words += ["-X", request.method]
    for name, value in request.headers:
        words += ["-H", f"{name}: {value}" if value else f"{name};"]
    feed = ""
    if carries_body(request):
        if request.header("Content-Type") is None:
            words += ["-H", "Content-Type:"]  # curl would add a form type
        words += ["--data-binary", "@-"]
        feed = printf_command(request.body) + " | "
    words.append(url)
    return feed + " ".join(_shell_word(word) for word in words)


def printf_command(data: bytes) -> str:
    """A POSIX ``printf`` command that writes ``data`` exactly.

    >>> print(printf_command(b"50% \\x00'"))
    printf '50%% \\000'"'"''
    """
    escaped = "".join(
        "%%"
        if byte == 0x25
        else "\\\\"
        if byte == 0x5C
        else chr(byte)
        if 0x20 <= byte <= 0x7E
        else f"\\{byte:03o}"
        for byte in data
    )
    return "printf " + shlex.quote(escaped)


def _shell_word(text: str) -> str:
    """One shell word carrying ``text``'s latin-1 bytes exactly."""
    if all(" " <= char <= "~" for char in text):
        return shlex.quote(text)
    escaped = "".join(
        "\\" + char if char in "\\'" else char if " " <= char <= "~" else f"\\x{ord(char):02x}"
        for char in text
    )
    return f"$'{escaped}'"
