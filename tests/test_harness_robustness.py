"""Harness robustness: whatever the target does (raise, hang, break PEP 3333,
refuse or stall a connection), the harness reports it with its cause within
the timeout, and never crashes with a traceback."""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import zoo
from live_servers import refusing_url, stalling_server

from etagspec.cli import main
from etagspec.conformance import ProbeRequest, Status, WSGITarget, check_app
from etagspec.conformance.deadline import DeadlineExceeded, arm, disarm
from etagspec.conformance.targets.worker import _busy


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# --- invalid WSGI exchanges ---------------------------------------------------------


def start(status: Any, headers: Any) -> Callable[..., Any]:
    """An app that calls start_response with these arguments."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response(status, headers)
        return [b"body"]

    return app


def yields_str(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[Any]:
    start_response("200 OK", [])
    return ["text"]


def never_starts(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    return []


def returns_none(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    start_response("200 OK", [])
    return None


def starts_twice(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [])
    start_response("304 Not Modified", [])
    return []


def body_first(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
    yield b"early"
    start_response("200 OK", [])


def writes_str(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [])("text")
    return []


def hides_its_violation(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    try:
        start_response("200 OK", [("ETag", 1)])
    except Exception:
        start_response("500 Internal Server Error", [], sys.exc_info())
    return [b"sorry"]


class CloseRaises:
    def __iter__(self) -> Iterator[bytes]:
        yield b"x"

    def close(self) -> None:
        raise OSError("disk gone")


def close_raises(environ: dict[str, Any], start_response: Callable[..., Any]) -> CloseRaises:
    start_response("200 OK", [])
    return CloseRaises()


@pytest.mark.parametrize(
    ("app", "error"),
    [
        (start(200, []), "invalid status 200 (want a str like '200 OK')"),
        (start("OK", []), "invalid status 'OK'"),
        (start("2000 OK", []), "invalid status '2000 OK'"),
        (start("099 Low", []), "invalid status '099 Low'"),
        (start("200 OK\r\nX-Injected: 1", []), "invalid status '200 OK\\r\\nX-Injected: 1'"),
        (start("200 OK", (("ETag", '"a"'),)), "response headers must be a list, not tuple"),
        (start("200 OK", [["ETag", '"a"']]), "invalid response header ['ETag', '\"a\"']"),
        (start("200 OK", [("ETag", 1)]), "invalid response header ('ETag', 1)"),
        (start("200 OK", [("E Tag", "x")]), "invalid response header name 'E Tag'"),
        (start("200 OK", [("E\nTag", "x")]), "invalid response header name 'E\\nTag'"),
        (start("200 OK", [("ETag", "x\n")]), "invalid ETag value 'x\\n'"),
        (start("200 OK", [("ETag", '"a"\r\nX: y')]), "invalid ETag value '\"a\"\\r\\nX: y'"),
        (start("200 OK", [("X", "\u0100")]), "invalid X value '\u0100' (control or non-latin-1)"),
        (yields_str, "the app yielded str, not bytes"),
        (never_starts, "the app never called start_response"),
        (returns_none, "the app returned NoneType, not an iterable of bytes"),
        (starts_twice, "start_response was called twice without exc_info"),
        (body_first, "the app produced body bytes before calling start_response"),
        (writes_str, "the app wrote str, not bytes"),
        (hides_its_violation, "invalid response header ('ETag', 1)"),
        (close_raises, "close() raised OSError: disk gone at "),
    ],
)
def test_an_invalid_wsgi_exchange_is_a_clear_error(app: Any, error: str) -> None:
    response = WSGITarget(app).send(ProbeRequest("GET", "/"))
    assert response.status == 0
    assert response.error is not None and response.error.startswith(error), response.error


def test_a_valid_error_exchange_is_an_answer() -> None:
    """start_response again *with* exc_info, before any body: a plain 500."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [])
        try:
            raise ValueError("late")
        except ValueError:
            start_response(
                "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
            )
        return [b"oops"]

    response = WSGITarget(app).send(ProbeRequest("GET", "/"))
    assert (response.error, response.status, response.body) == (None, 500, b"oops")


# --- hangs --------------------------------------------------------------------------


def sleeps(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    time.sleep(30)
    return []


def spins(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    # try/except in this frame rather than contextlib.suppress, so the deadline
    # always lands in this file (the error names where the app was stopped).
    while True:
        try:  # noqa: SIM105
            sum(range(100))
        except Exception:  # cannot swallow the deadline (a BaseException)
            pass


def hangs_in_its_body(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterator[bytes]:
    start_response("200 OK", [])
    yield b"first"
    time.sleep(30)


@pytest.mark.parametrize("app", [sleeps, spins, hangs_in_its_body])
def test_a_hanging_wsgi_app_is_stopped_within_its_timeout(app: Any) -> None:
    target = WSGITarget(app, timeout=0.2)
    started = time.monotonic()
    first = target.send(ProbeRequest("GET", "/"))
    waited = time.monotonic() - started
    second = target.send(ProbeRequest("GET", "/"))
    assert first.error is not None
    assert first.error.startswith("no response within 0.2 s at ") and __file__ in first.error
    assert 0.2 <= waited < 1.5
    assert second.error == f"not sent: the target hung on an earlier request ({first.error})"
    assert time.monotonic() - started - waited < 0.5  # answered at once, not after a timeout
    if app is spins:  # stopped, not left spinning for the rest of the run
        assert _ends(f"etagspec target {app.__name__}", within=2.0)


def _ends(thread_name: str, *, within: float) -> bool:
    """Whether no thread of that name is alive any more, waiting ``within`` s."""
    give_up = time.monotonic() + within
    while any(thread.name == thread_name for thread in threading.enumerate()):
        if time.monotonic() > give_up:
            return False
        time.sleep(0.01)
    return True


def test_a_spinning_thread_is_busy_and_a_waiting_one_is_not() -> None:
    # Under a trace function (coverage) the stop is only sent to a busy
    # thread; a loop that never leaves Python hands the GIL over at the same
    # instruction each time, so its frame alone would look still.
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    spinner = threading.Thread(target=spin, daemon=True)
    waiter = threading.Thread(target=stop.wait, daemon=True)
    spinner.start()
    waiter.start()
    try:
        assert spinner.ident is not None and waiter.ident is not None
        assert _busy(spinner.ident)
        assert not _busy(waiter.ident)
    finally:
        stop.set()


def test_the_deadline_leaves_nothing_running_after_a_normal_call() -> None:
    target = WSGITarget(zoo.make_app(), timeout=0.05)
    assert target.send(ProbeRequest("GET", "/")).status == 200
    time.sleep(0.15)  # an alarm left running would raise here
    assert arm(None) is False
    disarm()  # harmless when not armed


def test_the_deadline_does_not_take_over_someone_elses_timer() -> None:
    import signal

    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        assert arm(5.0) is False  # theirs keeps running
        time.sleep(0.4)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(DeadlineExceeded):
        assert arm(0.05) is True
        try:
            time.sleep(2)
        finally:
            disarm()


# --- the mutant-style proof ------------------------------------------------------------


def hangs_on_weak_if_none_match(app: Callable[..., Any]) -> Callable[..., Any]:
    """``app``, except that it never answers a weak If-None-Match."""

    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "W/" in environ.get("HTTP_IF_NONE_MATCH", ""):
            time.sleep(30)
        return app(environ, start_response)

    return broken


def test_a_hang_fails_the_check_that_met_it_and_the_rest_of_the_run_is_quick() -> None:
    correct = check_app(WSGITarget(zoo.make_app(), timeout=0.3), select=["CMP-USE-2"])
    assert correct.summary["passed"] == 1
    started = time.monotonic()
    report = check_app(
        WSGITarget(hangs_on_weak_if_none_match(zoo.make_app()), timeout=0.3),
        select=["CMP-USE-2", "COND-INM-4a", "ST-304-4"],
        max_examples=20,
    )
    assert time.monotonic() - started < 5
    results = {result.check.id: result for result in report.results}
    assert results["CMP-USE-2"].status is Status.FAILED
    assert "no response within 0.3 s" in (results["CMP-USE-2"].failures[0].response.error or "")
    for later in ("COND-INM-4a", "ST-304-4"):
        error = results[later].failures[0].response.error or ""
        assert error.startswith("not sent: the target hung on an earlier request")


# --- etagspec check: exit codes and messages, never a traceback ------------------------


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


def test_check_an_app_that_raises(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(
        """
        def app(environ, start_response):
            raise RuntimeError("database is down")
        """
    )
    code, out, err = run("check", spec, "--max-examples", "2")
    assert code == 2
    assert "GET / got no answer: RuntimeError: database is down at " in err
    assert_no_traceback(out, err)


def test_check_an_app_that_hangs(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(
        """
        import time

        def app(environ, start_response):
            time.sleep(30)
        """
    )
    started = time.monotonic()
    code, out, err = run("check", spec, "--timeout", "0.3")
    assert time.monotonic() - started < 3
    assert code == 2
    assert "GET / got no answer: no response within 0.3 s at " in err
    assert_no_traceback(out, err)


def test_check_an_app_that_breaks_pep_3333(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(
        """
        def app(environ, start_response):
            start_response("200 OK", [("ETag", b'"v1"')])
            return [b"x"]
        """
    )
    code, out, err = run("check", spec)
    assert code == 2
    assert "invalid response header ('ETag', b'\"v1\"') (want a (str, str) tuple)" in err
    assert_no_traceback(out, err)


def test_check_a_refusing_url() -> None:
    url = refusing_url()
    code, out, err = run("check", url)
    assert code == 2
    assert f"cannot reach {url}: connection refused to {url.removeprefix('http://')}" in err
    assert_no_traceback(out, err)


def test_check_a_stalling_url() -> None:
    with stalling_server() as url:
        started = time.monotonic()
        code, out, err = run("check", url, "--timeout", "0.3")
        waited = time.monotonic() - started
    assert code == 2
    assert "GET / got no answer: no response within 0.3 s" in err
    assert waited < 3
    assert_no_traceback(out, err)


def test_check_a_target_object_that_raises(app_spec: Callable[[str], str]) -> None:
    """A third-party Target that breaks its own contract stops the run with a
    message, not a traceback."""
    spec = app_spec(
        """
        class Broken:
            name = "broken"
            kind = "custom"
            calls = 0

            def send(self, request):
                self.calls += 1
                if self.calls > 1:
                    raise ConnectionError("the transport fell over")
                from etagspec.conformance.model import ProbeResponse
                return ProbeResponse(200, (("ETag", '"a"'),), b"x")

            def reproduce(self, request):
                return ""

        app = Broken()
        """
    )
    code, out, err = run("check", spec)
    assert code == 2
    assert "the run stopped: ConnectionError: the transport fell over" in err
    assert_no_traceback(out, err)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--timeout", "0"], "--timeout must be a positive number of seconds"),
        (["--asgi", "etagspec.demo:make_app", "etagspec.demo:make_app"], "not both"),
        (["https://127.0.0.1:1/"], "https:// is not supported"),
        (["--asgi", "no_such_module_here:app"], "cannot import 'no_such_module_here'"),
    ],
)
def test_check_usage_errors(argv: list[str], message: str) -> None:
    code, out, err = run("check", *argv)
    assert code == 2
    assert message in err
    assert_no_traceback(out, err)


def test_wsgi_target_hands_the_app_field_values_without_surrounding_whitespace() -> None:
    # As a server would (RFC 9110 §5.5): the app never sees the OWS around a value.
    seen: dict[str, str] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update({k: v for k, v in environ.items() if k.startswith("HTTP_IF")})
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    target = WSGITarget(app)
    target.send(
        ProbeRequest("GET", "/", (("If-None-Match", " \t* "), ("If-Match", '"a" ,\t"b"\t')))
    )
    assert seen == {"HTTP_IF_NONE_MATCH": "*", "HTTP_IF_MATCH": '"a" ,\t"b"'}
