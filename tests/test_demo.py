"""The embedded reference app."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import wsgiref.validate
from collections.abc import Iterator

import pytest

from etagspec import demo
from etagspec.cli import main
from etagspec.dates import http_date_to_timestamp
from etagspec.demo import demo_server, make_app
from etagspec.testing import TestApp


def client() -> TestApp:
    return TestApp(wsgiref.validate.validator(make_app({"/doc": b"v1 body"})))


def test_get_sends_validators_length_and_date() -> None:
    response = client().get("/doc")
    assert response.status_code == 200
    assert response.body == b"v1 body"
    assert response.header("Content-Length") == "7"
    assert response.header("Cache-Control") == "no-cache"
    etag, modified, date = (response.header(n) for n in ("ETag", "Last-Modified", "Date"))
    assert etag is not None and etag.startswith('"')
    assert modified is not None and date is not None
    assert http_date_to_timestamp(modified) <= http_date_to_timestamp(date)


def test_head_has_no_body_and_the_get_length() -> None:
    response = client().head("/doc")
    assert response.status_code == 200
    assert response.body == b""
    assert response.header("Content-Length") == "7"


def test_304_keeps_length_and_drops_content_type() -> None:
    app = client()
    etag = app.get("/doc").header("ETag")
    response = app.get("/doc", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.header("Content-Length") == "7"
    assert response.header("Content-Type") is None
    assert response.header("Date") is not None
    assert response.header("ETag") == etag


def test_put_creates_then_replaces_then_delete_removes() -> None:
    app = client()
    created = app.put("/new", b"hello", CONTENT_TYPE="text/plain", HTTP_IF_NONE_MATCH="*")
    assert created.status_code == 201
    assert created.header("Location") == "/new"
    assert app.get("/new").body == b"hello"
    # create-only again: the document now exists
    assert app.put("/new", b"again", HTTP_IF_NONE_MATCH="*").status_code == 412
    etag = app.get("/new").header("ETag")
    replaced = app.put("/new", b"bye", CONTENT_TYPE="text/plain", HTTP_IF_MATCH=etag)
    assert replaced.status_code == 204
    assert replaced.header("ETag") != etag  # the new representation's tag
    assert app.get("/new").body == b"bye"
    assert app.delete("/new", HTTP_IF_MATCH=etag).status_code == 412
    assert app.delete("/new").status_code == 204
    assert app.get("/new").status_code == 404
    assert app.delete("/new", HTTP_IF_MATCH="*").status_code == 404  # COND-EVAL-2


def test_if_match_star_on_missing_document_is_412() -> None:
    assert client().put("/nothing", b"x", HTTP_IF_MATCH="*").status_code == 412


def test_other_methods_get_405_with_allow() -> None:
    response = client().post("/doc", b"x")
    assert response.status_code == 405
    assert response.header("Allow") == "GET, HEAD, PUT, DELETE"


def test_each_version_gets_its_own_last_modified() -> None:
    app = client()
    first = app.get("/doc").header("Last-Modified")
    assert app.put("/doc", b"v2").status_code == 204
    second = app.get("/doc").header("Last-Modified")
    assert first is not None and second is not None
    assert http_date_to_timestamp(second) > http_date_to_timestamp(first)
    # so If-Unmodified-Since with the old date now fails: no lost update
    assert app.put("/doc", b"v3", HTTP_IF_UNMODIFIED_SINCE=first).status_code == 412


def test_a_store_waits_in_real_time_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The suite runs every demo on SkippedTime (tests/conftest.py); outside
    # it, a store runs on SystemTime: a second write within one second
    # sleeps (here, a recorded sleep) until the next second.
    default = subprocess.run(
        [sys.executable, "-c", "import etagspec.demo as d; print(d.default_time.__name__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert default.stdout.strip() == "SystemTime"
    monkeypatch.setattr(demo, "default_time", demo.SystemTime)
    slept: list[float] = []
    monkeypatch.setattr(time, "time", lambda: 1_000_000.25)
    monkeypatch.setattr(time, "sleep", slept.append)
    store = demo.DocumentStore({})
    first = store.put("/d", b"1", "text/plain")
    second = store.put("/d", b"2", "text/plain")
    assert slept == [0.75]
    assert (first.last_modified, second.last_modified) == (1_000_000, 1_000_001)


def test_skipped_time_gives_each_version_its_own_second_at_once() -> None:
    skipped = demo.SkippedTime()
    store = demo.DocumentStore({}, clock=skipped.clock, sleep=skipped.sleep)
    started = time.monotonic()
    versions = [store.put("/d", b"%d" % n, "text/plain") for n in range(5)]
    assert time.monotonic() - started < 1  # five writes, no second waited
    seconds = [version.last_modified for version in versions]
    assert seconds == list(range(seconds[0], seconds[0] + 5))
    assert seconds[-1] <= skipped.clock() < time.time()  # never clamped to real time


def test_concurrent_conditional_puts_from_one_version_apply_once() -> None:
    app = make_app({"/doc": b"start"})
    reader = TestApp(app)
    etag = reader.get("/doc").header("ETag")
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def writer(n: int) -> None:
        barrier.wait()
        response = TestApp(app).put("/doc", b"writer %d" % n, HTTP_IF_MATCH=etag)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204] + [412] * 5
    assert app.store.get("/doc").revision == 2  # type: ignore[attr-defined]


#: How long a test lets `etagspec demo` run after SIGINT or SIGTERM before
#: it fails: the demo ends within ``demo.STOP_GRACE`` and its exit; the rest
#: is room for a loaded machine.
STOP_LIMIT = 5.0


def banner_port(line: str) -> int:
    """The port in the line `etagspec demo` starts with."""
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found is not None, line
    assert "waitress" in line
    return int(found.group(1))


def end_of(process: subprocess.Popen[str], pid: int, signum: int) -> int:
    """Send ``signum`` to the demo (``pid``, which ``process`` runs or
    starts) and return ``process``'s exit status; a demo still running
    :data:`STOP_LIMIT` seconds later is killed and fails the test."""
    os.kill(pid, signum)
    try:
        return process.wait(timeout=STOP_LIMIT)
    except subprocess.TimeoutExpired:
        os.kill(pid, signal.SIGKILL)
        process.wait()
        pytest.fail(f"etagspec demo still ran {STOP_LIMIT:g} s after {signal.Signals(signum).name}")


def status_of(port: int, request: bytes) -> int:
    """The status of the answer to ``request`` on 127.0.0.1:``port`` (one
    connection, read until the server closes it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


@contextlib.contextmanager
def demo_process() -> Iterator[str]:
    """``etagspec demo 0`` in its own process; yields its base URL, then
    stops it with SIGINT (Ctrl-C), which must end it with status 0."""
    with subprocess.Popen(
        [sys.executable, "-m", "etagspec", "demo", "0"], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            yield f"http://127.0.0.1:{banner_port(process.stdout.readline())}/"
        finally:
            status = end_of(process, process.pid, signal.SIGINT)
        assert status == 0


def test_the_demo_passes_its_own_check_over_the_wire() -> None:
    """The first-run path of the README: `etagspec demo PORT`, then
    `etagspec check http://127.0.0.1:PORT/ --path /hello`: no failure,
    exit 0 (the server hands fields such as ``If-Match: \\x0b"tag"`` to the
    app unchanged, or refuses them with 400)."""
    out, err = io.StringIO(), io.StringIO()
    with demo_process() as url:
        code = main(["check", url, "--path", "/hello", "--max-examples", "8"], out, err)
    assert code == 0, out.getvalue() + err.getvalue()
    assert ", 0 failed," in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("PASS")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_demo_as_a_background_job_of_a_script_ends_quietly_on_a_stop_signal(
    signum: int,
) -> None:
    """README's `etagspec demo 8000 &`, run by a script: a shell without job
    control starts a background job with SIGINT ignored, and Python keeps
    it so unless told otherwise. The demo must still end on Ctrl-C's
    signal, and on SIGTERM (kill's default), with status 0 and nothing
    on standard error."""
    script = '"$0" -m etagspec demo 0 & echo "$!"; wait "$!"'
    with subprocess.Popen(
        ["sh", "-c", script, sys.executable],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as job:
        assert job.stdout is not None and job.stderr is not None
        lines = [job.stdout.readline(), job.stdout.readline()]  # $! and the banner
        pid = int(next(line for line in lines if line.strip().isdigit()))
        banner_port(next(line for line in lines if not line.strip().isdigit()))
        status = end_of(job, pid, signum)  # the shell's: the demo's own
        assert (status, job.stderr.read()) == (0, "")


def test_a_stop_signal_raises_keyboard_interrupt_in_the_main_thread_only() -> None:
    """What `etagspec demo` serves under (in this process, with SIGTERM
    ignored first, so that a missing handler cannot end the test run)."""
    previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        with pytest.raises(KeyboardInterrupt), demo._interrupted_by([signal.SIGTERM]):
            signal.raise_signal(signal.SIGTERM)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN  # given back
        in_thread: list[object] = []

        def elsewhere() -> None:
            with demo._interrupted_by([signal.SIGTERM]):
                in_thread.append(signal.getsignal(signal.SIGTERM))

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        assert in_thread == [signal.SIG_IGN]  # left alone, and no ValueError
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_demo_does_not_wait_for_writes_queued_on_the_stores_clock() -> None:
    """Writes to one path take a second each (one Last-Modified second per
    version), holding the store's lock: four queued writes keep the four
    workers busy for seconds. Ctrl-C ends the demo within its grace
    instead of waiting for them (waitress's shutdown waits up to 5 s)."""
    with subprocess.Popen(
        [sys.executable, "-m", "etagspec", "demo", "0"], stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        port = banner_port(process.stdout.readline())
        put = b"PUT /queued HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx"
        writers = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(4)]
        try:
            for writer in writers:
                writer.sendall(put)
            # Whichever write came first created /queued; the other three
            # wait in the workers for their seconds.
            first = b""
            while not first:
                ready, _, _ = select.select(writers, [], [], 5)
                assert ready, "no write was answered"
                first = ready[0].recv(65536)
            assert first.startswith(b"HTTP/1.1 201 Created\r\n")
            # An answer from the fourth worker after that means waitress has
            # read the three waiting writes too (each turn of its loop reads
            # every connection with data); waitress refuses this request
            # itself, without the app, so it does not wait for the store's lock.
            refused = b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n"
            assert status_of(port, refused) == 400
            started = time.monotonic()
            assert end_of(process, process.pid, signal.SIGINT) == 0
            # The three waiting writes alone would have taken 2 s or more.
            assert time.monotonic() - started < 1 + demo.STOP_GRACE
        finally:
            for writer in writers:
                writer.close()


def test_an_idle_half_sent_request_does_not_block_another_client() -> None:
    server = demo_server(make_app({"/doc": b"v1 body"}), 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    port = server.effective_port
    try:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(6)]
        for index, connection in enumerate(idle):  # more idle clients than threads
            if index % 2:
                connection.sendall(b"GET /doc HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None")
            else:
                connection.sendall(b"PUT /doc HTTP/1.1\r\nContent-Length: 100\r\n\r\nhalf")
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as other:
            other.sendall(b"GET /doc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := other.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert answer.endswith(b"\r\n\r\nv1 body")
        assert time.monotonic() - started < 5
        for connection in idle:
            connection.close()
    finally:
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()


def test_the_demo_server_keeps_quiet_only_about_kept_lengths() -> None:
    """waitress warns of a "short body" for each 304 that keeps the 200's
    Content-Length (CL-304); the demo drops that warning and no other."""
    server = demo_server(make_app(), 0)
    server.close()
    waitress_log = logging.getLogger("waitress")

    def shown(message: str) -> bool:
        record = logging.LogRecord("waitress", logging.WARNING, __file__, 1, message, (), None)
        return bool(waitress_log.filter(record))

    kept = "application returned too few bytes (%s) for specified Content-Length (%s) via app_iter"
    assert not shown(kept)
    assert shown("Client disconnected")


def test_a_port_the_demo_cannot_use_is_one_line_and_exit_2() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "-m", "etagspec", "demo", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"etagspec: error: cannot listen on 127.0.0.1:{port}: ")
    assert completed.stderr.count("\n") == 1
    err = io.StringIO()
    assert main(["demo", "70000"], io.StringIO(), err) == 2
    assert "the port must be 0 to 65535" in err.getvalue()


def test_behind_a_server_that_rewrites_fields_the_report_names_the_server() -> None:
    """wsgiref strips a leading \\x0b from a field before the app sees it: the
    app is judged on a field it never got, and the finding says so."""
    from live_servers import wsgi_server

    out, err = io.StringIO(), io.StringIO()
    with wsgi_server(make_app()) as url:
        argv = ["check", url, "--path", "/hello", "--select", "COND-IM-4c,COND-INM-4c"]
        code = main(argv, out, err)
    assert code == 1, out.getvalue() + err.getvalue()
    assert "field holds \\x0b, which a server in front of the app may" in out.getvalue()
