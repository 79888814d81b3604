"""The command line's options and output on a first run: choosing checks
(``--select``/``--exclude``), ``-H``, ``-q``, the defaults in ``--help``,
and nothing from a target reaching the terminal raw."""

from __future__ import annotations

import contextlib
import io
import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from live_servers import RecordingServer

from etagspec.cli import main
from etagspec.conformance import UnknownCheckError, check_app, check_layer
from etagspec.conformance.model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED
from etagspec.demo import make_app


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def checked_ids(report_dir: Path) -> list[str]:
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return [check["id"] for check in data["checks"]]


def test_select_takes_a_comma_separated_case_insensitive_list(tmp_path: Path) -> None:
    argv = ["check", "--select", "cond-im-4a,CMP-USE-2", "--max-examples", "3"]
    code, out, err = run(*argv, "--report-dir", str(tmp_path))
    assert code == 0, out + err
    assert checked_ids(tmp_path) == ["CMP-USE-2", "COND-IM-4a"]


def test_a_prefix_selects_a_family_and_exclude_leaves_some_out(tmp_path: Path) -> None:
    argv = ["check", "--select", "COND-IMS", "--exclude", "cond-ims-7b", "--max-examples", "3"]
    code, out, err = run(*argv, "--report-dir", str(tmp_path))
    assert code == 0, out + err
    ids = checked_ids(tmp_path)
    assert ids and all(check_id.startswith("COND-IMS-") for check_id in ids)
    assert "COND-IMS-7b" not in ids
    assert "COND-IM-4a" not in ids  # COND-IM is not a prefix of COND-IMS


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--select", "COND-IMX"], "unknown check ID or prefix: COND-IMX"),
        (["--exclude", "NOPE"], "unknown check ID or prefix: NOPE"),
        (["--select", "COND-IM-4a", "--exclude", "cond-im"], "leaves no check to run"),
        (["-H", "no colon"], "-H wants 'Name: value'"),
        (["-H", "If-None-Match: *"], "-H cannot set If-None-Match"),
    ],
)
def test_choices_that_run_nothing_are_usage_errors(argv: list[str], message: str) -> None:
    code, out, err = run("check", *argv)
    assert code == 2
    assert message in err
    assert out == ""


def test_check_app_and_check_layer_validate_their_selection() -> None:
    with pytest.raises(UnknownCheckError, match="unknown check ID or prefix: NOPE-1") as caught:
        check_app(make_app(), select=["NOPE-1"])
    assert isinstance(caught.value, ValueError)
    assert caught.value.value == "NOPE-1"
    with pytest.raises(ValueError, match="unknown layer check ID or prefix: COND-IM-1"):
        check_layer("etagspec.caching:etag_middleware", select=["COND-IM-1"])
    report = check_app(make_app(), ["/hello"], max_examples=3, select="cmp-use-1, CMP-USE-2")
    assert sorted(result.check.id for result in report.results) == ["CMP-USE-1", "CMP-USE-2"]


def test_check_layer_takes_the_same_selection_on_the_command_line(tmp_path: Path) -> None:
    argv = ["check-layer", "etagspec.caching:etag_middleware", "--select", "layer-304"]
    code, out, err = run(*argv, "--exclude", "LAYER-304-1", "--max-examples", "3")
    assert code == 0, out + err
    assert "LAYER-304-1 " not in out
    assert "LAYER-304-2 " in out


def test_header_option_goes_on_every_request_and_replaces_host() -> None:
    reply = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    with RecordingServer(reply) as server:
        code, _, err = run(
            "check", server.url, "-H", "Authorization: Bearer t0k", "--header", "Host: app.test"
        )
    assert code == 2  # the GET is 404: nothing to check
    assert "answered 404" in err
    sent = server.requests[0].split(b"\r\n")
    assert b"Authorization: Bearer t0k" in sent
    assert [line for line in sent if line.lower().startswith(b"host:")] == [b"Host: app.test"]


def test_quiet_prints_the_failures_and_the_verdict_only(
    app_spec: Callable[[str], str],
) -> None:
    from target_sources import IGNORES_PRECONDITIONS

    spec = app_spec(IGNORES_PRECONDITIONS)
    code, out, _ = run("check", spec, "--max-examples", "1", "-q")
    assert code == 1
    lines = out.splitlines()
    assert lines[-1].startswith("FAIL: ")
    assert not any(line.startswith(("PASS ", "SKIP ")) for line in lines)
    assert lines[0].startswith("FAIL  ")
    code, out, err = run("check", "--quiet", "--max-examples", "3", "--select", "CMP")
    assert (code, out, err) == (0, "PASS\n", "")  # no progress lines either


@pytest.mark.parametrize("command", ["check", "check-layer"])
def test_help_shows_the_defaults(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    defaults = [f"(default: {DEFAULT_MAX_EXAMPLES})", f"(default: {DEFAULT_SEED})"]
    for default in [*defaults, "(default: all)", "default: none"]:
        assert default in text, default
    assert "-q, --quiet" in text


#: Bytes a hostile target sends: ESC sequences, BEL, NUL, CR, LF.
HOSTILE = "\x1b[2J\x1b]0;owned\x07\x00\rFAKE: line\nINJECTED"


def assert_nothing_raw(text: str) -> None:
    for raw in ("\x1b", "\x07", "\x00", "\r"):
        assert raw not in text, repr(raw)
    assert not any(line.startswith(("FAKE", "INJECTED")) for line in text.splitlines())


def test_an_exit_2_line_escapes_what_the_target_said(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(
        f"""
        def app(environ, start_response):
            raise RuntimeError({HOSTILE!r})
        """
    )
    code, out, err = run("check", spec, "--color", "always")
    assert code == 2
    assert_nothing_raw(out + err)
    assert err.count("\n") == 1
    assert "\\x1b[2J\\x1b]0;owned\\x07\\x00\\x0dFAKE: line\\x0aINJECTED" in err


def test_findings_escape_what_a_server_sent() -> None:
    hostile = HOSTILE.replace("\n", "").replace("\r", "").encode("latin-1")
    reply = (
        b'HTTP/1.1 200 OK\r\nETag: "a"\r\nX-Evil: ' + hostile + b"\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\nhi"
    )
    with RecordingServer(reply) as server:
        code, out, err = run("check", server.url, "--max-examples", "2", "--select", "COND-INM")
    assert code == 1  # it never answers 304
    assert "X-Evil: \\x1b[2J\\x1b]0;owned\\x07\\x00FAKE: lineINJECTED" in out
    assert_nothing_raw(out + err)


def test_a_closed_pipe_ends_the_output_quietly_with_the_runs_status() -> None:
    """The reader gone before the first byte (deterministic), for a listing
    and for a passing run: no traceback, the status the run decided."""
    command = [sys.executable, "-m", "etagspec", "check"]
    for argv, status in (
        (["--list-checks"], 0),
        (["--select", "CMP-USE-2", "--max-examples", "2"], 0),
        (["--select", "NOPE"], 2),
    ):
        with subprocess.Popen(
            [*command, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            errors = process.stderr.read().decode()
            assert process.wait(timeout=60) == status, errors
        assert "Traceback" not in errors
        assert "BrokenPipeError" not in errors


#: How often the pipe into ``head`` is tried: the race (head exiting while
#: the list is still being written) goes either way on each run. The list
#: (about 5 KB) leaves in one write, so the race has two outcomes: head gone
#: before that write (what the closed-pipe test above makes certain) or after
#: it (a plain listing); a few runs try the real interleaving.
HEAD_RUNS = 3


def test_list_checks_into_head_repeatedly_prints_no_traceback() -> None:
    script = (
        f"for i in $(seq {HEAD_RUNS}); do "
        f"{shlex.quote(sys.executable)} -m etagspec check --list-checks | head -1; done"
    )
    completed = subprocess.run(
        ["sh", "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.stderr == ""
    assert completed.stdout.splitlines() == [completed.stdout.splitlines()[0]] * HEAD_RUNS


def test_a_log_gets_plain_progress_lines_while_a_slow_run_goes_on(
    app_module: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """stderr not a terminal (a CI log): a line at each check's end, and one
    every LOG_INTERVAL seconds while a check runs; no carriage return."""
    import importlib

    from etagspec.conformance.report import progress_log

    monkeypatch.setattr(progress_log, "LOG_INTERVAL", 0.05)
    # The checks' requests (the conditional ones) take 20 ms each until the
    # log has said once that a check is still running: slow for as long as
    # the line takes to come, not for the whole run.
    name = app_module(
        """
        import threading
        from etagspec.demo import make_app

        inner = make_app()
        still_running_logged = threading.Event()

        def app(environ, start_response):
            if any(key.startswith("HTTP_IF_") for key in environ):
                still_running_logged.wait(0.02)
            return inner(environ, start_response)
        """
    )
    slow = importlib.import_module(name)

    class Log(io.StringIO):
        def write(self, text: str) -> int:
            if " still running " in text:
                slow.still_running_logged.set()
            return super().write(text)

    argv = ["check", f"{name}:app", "--path", "/hello", "--select", "CMP-USE"]
    out, log = io.StringIO(), Log()
    code = main([*argv, "--max-examples", "3"], out, log)
    err = log.getvalue()
    assert code == 0, out.getvalue() + err
    lines = err.splitlines()
    assert "\r" not in err
    assert all(line.startswith("etagspec: [") for line in lines), lines
    assert any(line.endswith("elapsed)") and " still running " in line for line in lines)
    ended = [line.split()[2] for line in lines if " passed (" in line]
    assert sorted(ended) == ["CMP-USE-1", "CMP-USE-2"]


def test_a_skip_reason_is_said_once_not_per_path() -> None:
    code, out, err = run("check", "--select", "DATE-ORIGIN-1,COND-IM-5", "--max-examples", "2")
    assert code == 2, out + err  # every check skipped: nothing checked
    (line,) = [line for line in out.splitlines() if line.startswith("SKIP  DATE-ORIGIN-1")]
    assert line.count("relies on the server") == 1
    assert "/hello" not in line  # it applies to every path: none named
    assert len(line) < 250


def test_an_in_process_reproduction_prints_the_response_as_http_text(
    app_spec: Callable[[str], str],
) -> None:
    """A failure's reproduction uses only documented API (etagspec.testing),
    builds the app as the run did (a factory is called), and prints the
    status line and header fields the finding shows."""
    spec = app_spec(
        """
        from etagspec.demo import make_app

        def create():  # a factory
            inner = make_app()

            def app(environ, start_response):
                environ.pop("HTTP_IF_NONE_MATCH", None)  # ignores If-None-Match
                return inner(environ, start_response)

            return app
        """
    ).replace(":app", ":create")
    report = check_app(spec, ["/hello"], max_examples=3, select=["COND-INM-4a"])
    (failure, *_) = report.results[0].failures
    assert "etagspec.conformance" not in failure.reproduce
    assert "from etagspec.testing import TestApp" in failure.reproduce
    assert ".create()\n" in failure.reproduce
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(failure.reproduce, "<reproduce>", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[0] == "HTTP/1.1 200 OK"
    volatile = ("Date", "Last-Modified", "ETag")  # a fresh app: a new clock and tag
    shown = [f"{name}: {value}" for name, value in failure.response.headers]
    assert [line.split(":")[0] for line in lines[1:-1]] == [line.split(":")[0] for line in shown]
    assert [x for x in lines[1:-1] if not x.startswith(volatile)] == [
        x for x in shown if not x.startswith(volatile)
    ]
    assert lines[-1] == f"[body: {len(failure.response.body)} bytes]"


def test_a_url_with_a_base_path_names_the_request_target_it_sent() -> None:
    reply = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    with RecordingServer(reply) as server:
        code, _, err = run("check", server.url + "/hello")
    assert code == 2
    assert server.requests[0].startswith(b"GET /hello/ HTTP/1.1\r\n")
    assert "GET /hello/ answered 404, not 2xx" in err  # not "GET /", which was never sent


@pytest.mark.parametrize("command", ["check", "check-layer", "check-parser"])
def test_the_prefix_select_help_shows_selects_checks_of_that_command(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, help_text, _ = run(command, "--help")
    shown = " ".join((help_text + capsys.readouterr().out).split())
    example = shown.split("IDs or prefixes such as ", 1)[1].split(",", 1)[0]
    code, listing, _ = run(command, "--list-checks")
    assert code == 0
    assert any(line.startswith(example + "-") for line in listing.splitlines()), example


def test_demo_names_the_reference_app_as_in_the_pytest_plugin(tmp_path: Path) -> None:
    argv = ["check", "demo", "--select", "COND-INM-4a", "--max-examples", "2"]
    code, out, err = run(*argv, "--report-dir", str(tmp_path))
    assert code == 0, out + err
    target = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["target"]
    assert target["name"] == "etagspec.demo:make_app"
    assert target["paths"] == ["/", "/hello", "/data.json"]  # as `etagspec check` alone
