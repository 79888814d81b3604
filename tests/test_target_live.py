"""The live target (etagspec.conformance.targets.live): exact bytes on the wire,
answers parsed like a client would, network failures as clear errors, and a
curl line that sends the same request."""

from __future__ import annotations

import html
import io
import json
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from live_servers import (
    RecordingServer,
    refusing_url,
    stalling_server,
    waitress_server,
    wsgi_server,
)

from etagspec.cli import main
from etagspec.conformance import check_app, load_target
from etagspec.conformance.model import ProbeRequest
from etagspec.conformance.targets import TargetError
from etagspec.conformance.targets.live import URLTarget, curl_command
from etagspec.demo import make_app

OK_REPLY = b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: "a"\r\n\r\nhello'

#: The error of a probe whose header values are not latin-1 (the strategies
#: can draw such values; no HTTP message can carry them).
NOT_SENDABLE = "not sent: the request is not latin-1 text"


def test_the_request_bytes_are_exactly_the_probe_fields() -> None:
    probe = ProbeRequest(
        "GET",
        "/doc?x=1",
        (("If-None-Match", 'W/"a", "b"'), ("if-match", "*"), ("X-Odd", "caf\xe9  "), ("X-E", "")),
    )
    with RecordingServer(OK_REPLY) as server:
        response = URLTarget(server.url).send(probe)
    authority = server.url.removeprefix("http://")
    assert server.requests == [
        b"GET /doc?x=1 HTTP/1.1\r\n"
        + f"Host: {authority}\r\n".encode()
        + b'If-None-Match: W/"a", "b"\r\n'
        + b"if-match: *\r\n"
        + b"X-Odd: caf\xe9  \r\n"
        + b"X-E:\r\n"
        + b"Connection: close\r\n\r\n"
    ]
    assert (response.status, response.header("etag"), response.body) == (200, '"a"', b"hello")


def test_a_body_gets_its_content_length_and_the_base_path_prefixes_the_probe_path() -> None:
    with RecordingServer(OK_REPLY) as server:
        URLTarget(server.url + "/base/").send(ProbeRequest("PUT", "/doc", (), b"new\x00text"))
        URLTarget(server.url + "/base").send(ProbeRequest("DELETE", "/doc"))
        URLTarget(server.url).send(ProbeRequest("PUT", "/empty"))
    put, delete, empty_put = server.requests
    assert put.startswith(b"PUT /base/doc HTTP/1.1\r\n")
    assert put.endswith(b"Content-Length: 8\r\nConnection: close\r\n\r\nnew\x00text")
    assert delete.startswith(b"DELETE /base/doc HTTP/1.1\r\n")
    assert b"Content-Length" not in delete
    assert b"Content-Length: 0\r\n" in empty_put


@pytest.mark.parametrize(
    ("method", "reply", "status", "body"),
    [
        ("GET", b'HTTP/1.1 304 Not Modified\r\nETag: "a"\r\n\r\n', 304, b""),
        ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 200, b""),
        ("GET", b"HTTP/1.1 204 No Content\r\n\r\n", 204, b""),
        (
            "GET",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
            200,
            b"abcde",
        ),
        ("GET", b"HTTP/1.0 200 OK\r\n\r\nuntil the server closes", 200, b"until the server closes"),
        (
            "GET",
            b"HTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 412 Precondition Failed\r\nContent-Length: 0\r\n\r\n",
            412,
            b"",
        ),
    ],
)
def test_answers_are_read_as_a_client_reads_them(
    method: str, reply: bytes, status: int, body: bytes
) -> None:
    with RecordingServer(reply) as server:
        response = URLTarget(server.url).send(ProbeRequest(method, "/"))
    assert (response.error, response.status, response.body) == (None, status, body)


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (b"", "the server closed the connection without answering"),
        (b"garbage\r\n\r\n", "malformed response: BadStatusLine"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "malformed response: IncompleteRead",
        ),
    ],
)
def test_a_broken_answer_is_a_clear_error(reply: bytes, error: str) -> None:
    with RecordingServer(reply) as server:
        response = URLTarget(server.url).send(ProbeRequest("GET", "/"))
    assert response.status == 0
    assert response.error is not None and response.error.startswith(error), response.error


def test_a_refused_connection_is_a_usage_error_at_load_and_an_error_later() -> None:
    url = refusing_url()
    port = url.rsplit(":", 1)[1]
    with pytest.raises(TargetError, match=f"connection refused to 127.0.0.1:{port}"):
        load_target(url)
    started = time.monotonic()
    response = URLTarget(url, connect_timeout=2).send(ProbeRequest("GET", "/"))
    assert response.error == f"connection refused to 127.0.0.1:{port}"
    assert time.monotonic() - started < 2


def test_a_stalling_server_is_an_error_within_the_read_timeout_and_then_not_waited_for() -> None:
    with stalling_server() as url:
        target = load_target(url, timeout=0.3)
        started = time.monotonic()
        first = target.send(ProbeRequest("GET", "/"))
        waited = time.monotonic() - started
        second = target.send(ProbeRequest("GET", "/"))
        again = time.monotonic() - started - waited
    assert first.error == "no response within 0.3 s"
    assert 0.3 <= waited < 2
    assert (
        second.error == "not sent: the target hung on an earlier request (no response within 0.3 s)"
    )
    assert again < 0.1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1:1/", "https:// is not supported"),
        ("http:///nohost", "is not an http://host"),
        ("http://127.0.0.1:1/?q=1", "must not have a query"),
        ("http://127.0.0.1:99999/", "invalid port"),
    ],
)
def test_urls_it_cannot_use_are_usage_errors(url: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        load_target(url)


def test_text_outside_latin_1_is_not_sent() -> None:
    with RecordingServer(OK_REPLY) as server:
        response = URLTarget(server.url).send(ProbeRequest("GET", "/", (("If-Match", '"\u0100"'),)))
    assert response.error is not None and response.error.startswith(NOT_SENDABLE)
    assert server.requests == []


def test_the_curl_line_quotes_every_word_and_switches_off_curl_defaults() -> None:
    probe = ProbeRequest("PUT", "/a b", (("If-Match", "\"x\" 'y'"), ("X-Empty", "")), b"it's")
    feed, pipe, *words = shlex.split(curl_command("http://h:1/a b", probe))
    assert (feed, pipe) == ("printf", "it's")
    assert words == [
        "|", "curl", "-sS", "-i", "--path-as-is", "-H", "User-Agent:", "-H", "Accept:",
        "-X", "PUT", "-H", "If-Match: \"x\" 'y'", "-H", "X-Empty;",
        "-H", "Content-Type:", "--data-binary", "@-", "http://h:1/a b",
    ]  # fmt: skip
    assert " -I " in curl_command("http://h/", ProbeRequest("HEAD", "/"))
    assert " -X " not in curl_command("http://h/", ProbeRequest("GET", "/"))


def test_a_field_curl_cannot_send_is_reproduced_with_its_exact_bytes() -> None:
    target = URLTarget("http://127.0.0.1:8080")
    probe = ProbeRequest("GET", "/", (("If-Match", '\x00"v1"'),))
    line = target.reproduce(probe)
    assert line.startswith("printf ") and " | nc 127.0.0.1 8080" in line
    printed = subprocess.run(
        ["sh", "-c", line.split(" | nc ")[0]], capture_output=True, timeout=10, check=True
    )
    assert printed.stdout == target.request_bytes(probe)


@pytest.mark.skipif(shutil.which("curl") is None or shutil.which("bash") is None, reason="no curl")
@pytest.mark.parametrize(
    "probe",
    [
        ProbeRequest("GET", "/x/../y", (("If-None-Match", 'W/"a", "b"'), ("Range", "bytes=0-0"))),
        ProbeRequest("HEAD", "/", (("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"),)),
        ProbeRequest("PUT", "/doc", (("If-Match", '"\xe9\x7f"'), ("X-Empty", "")), b"a\x00b'c"),
    ],
    ids=["get", "head", "put"],
)
def test_the_curl_line_sends_the_same_request(probe: ProbeRequest) -> None:
    """Run the reproduction with the real curl: the server sees the same
    header lines and body (curl does not say Connection: close)."""
    with RecordingServer(OK_REPLY) as server:
        target = URLTarget(server.url)
        target.send(probe)
        subprocess.run(
            ["bash", "-c", target.reproduce(probe)], capture_output=True, timeout=20, check=True
        )
    ours, curls = (request.replace(b"Connection: close\r\n", b"") for request in server.requests)
    assert curls == ours


def test_the_demo_passes_the_catalogue_over_the_wire() -> None:
    """Every check passes: every generated probe can cross the wire."""
    with wsgi_server(make_app()) as url:
        report = check_app(
            url, paths=["/hello"], unsafe_paths=["/data.json"], max_examples=3, seed=11
        )
    assert report.target.kind == "url"
    assert report.failed() == [], [(r.check.id, r.failures) for r in report.failed()]
    assert report.summary["passed"] >= 30


def test_etagspec_check_takes_a_url_and_reports_curl_lines_in_every_format(
    tmp_path: Path,
) -> None:
    """A server that ignores If-None-Match fails CMP-USE-2; each report
    format carries the curl line that shows it."""
    reply = b'HTTP/1.1 200 OK\r\nETag: "v1"\r\nContent-Length: 2\r\n\r\nhi'
    with RecordingServer(reply) as server:
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["check", server.url, "--select", "CMP-USE-2", "--max-examples", "5",
             "--report-dir", str(tmp_path), "--color", "never"],
            out, err,
        )  # fmt: skip
    assert code == 1, out.getvalue() + err.getvalue()
    assert f"{server.url} (url)" in out.getvalue()
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    failure = data["checks"][0]["failures"][0]
    sent = failure["request"]
    request = ProbeRequest(sent["method"], sent["path"], tuple(map(tuple, sent["headers"])))
    curl = curl_command(server.url + request.path, request)
    assert curl.startswith("curl -sS -i --path-as-is -H User-Agent: -H Accept: -H ")
    assert failure["reproduce"] == curl
    assert curl in out.getvalue()
    assert f"```sh\n{curl}\n```" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert html.escape(curl) in (tmp_path / "report.html").read_text(encoding="utf-8")
    junit = ElementTree.parse(tmp_path / "junit.xml").getroot()
    assert any(curl in (element.text or "") for element in junit.iter("failure"))


def test_etagspec_check_on_a_demo_url_passes_a_few_checks() -> None:
    with wsgi_server(make_app()) as url:
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["check", url + "/", "--path", "/hello", "--select", "CMP-USE-2",
             "--select", "METH-HEAD-1", "--select", "ST-304-2", "--max-examples", "10"],
            out, err,
        )  # fmt: skip
    assert code == 0, out.getvalue() + err.getvalue()
    assert "3 passed" in out.getvalue()


def test_the_server_s_own_status_line_is_kept() -> None:
    reply = b"HTTP/1.0 412 Precondition Not Met\r\nContent-Length: 0\r\n\r\n"
    with RecordingServer(reply) as server:
        response = URLTarget(server.url).send(ProbeRequest("GET", "/"))
    assert (response.status, response.status_line) == (412, "HTTP/1.0 412 Precondition Not Met")
    assert response.to_json()["status_line"] == "HTTP/1.0 412 Precondition Not Met"


@pytest.mark.parametrize("server", ["wsgiref", "waitress"])
def test_what_the_servers_add_and_strip(server: str) -> None:
    # The measurement behind SERVER_ADDS_DATE and APP_STRIPS_HEAD_BODY
    # (gunicorn, not a dependency, drops the HEAD body too and adds Date).
    def app(environ: dict[str, object], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "20")])
        return [b"0123456789abcdefghij"]

    with wsgi_server(app) if server == "wsgiref" else waitress_server(app) as url:
        authority = url.removeprefix("http://")
        host, port = authority.split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(
                f"HEAD / HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n".encode()
            )
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"\r\nDate: " in head
    assert body == b"0123456789abcdefghij"  # sent as the app gave it
