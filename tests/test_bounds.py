"""Every hostile target ends within its bounds: the exit status, the time
taken and the peak memory of ``etagspec check`` / ``check-layer`` run in a
process of its own (its own ``getrusage`` peak RSS), for servers on 127.0.0.1
that trickle, flood, stall, reset or break the framing, and for in-process
apps and layers that never end, sleep, swallow the deadline or wait in C.

The bounds are small (``--timeout 1``, a 2 MB body cap) so each run takes a
few seconds; where the run waits its deadline out because the target never
answers, the deadline is shorter still (``WAIT``).

Each run is a child forked from one Python process that imported the CLI and
the harness once (``RunServer``): it runs ``main(argv)`` on output files of
its own and ends as a process does, through the interpreter's exit (threads
it left behind included). Importing the harness took most of a fresh
interpreter's 0.3 s of CPU per run; one run per command still starts a fresh
``python`` (``run_cli``).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hostile_targets
import pytest

from etagspec.conformance.bounds import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_TIMEOUT,
)

TESTS = Path(__file__).resolve().parent
#: Peak RSS any hostile run may reach (bytes).
MAX_RSS = 300 * 1024 * 1024
#: What starting Python and importing the harness may add to a run's time.
STARTUP = 6.0
BODY_CAP = 2_000_000
#: The deadline of the runs that wait it out because the target never answers
#: (in time): short, since each such run waits that long at least once. A
#: target that must answer some requests in time keeps 1 s.
WAIT = 0.3
NO_RESPONSE = f"no response within {WAIT:g} s"
NO_COMPLETE_RESPONSE = f"no complete response within {WAIT:g} s"


def bounds(timeout: float = 1) -> list[str]:
    """The bounds of a hostile run, with a deadline of ``timeout`` seconds."""
    caps = ["--max-body-bytes", str(BODY_CAP), "--max-header-bytes", "65536"]
    return ["--timeout", f"{timeout:g}", *caps]


def bounds_for(says: str) -> list[str]:
    """The short deadline where the run is expected to wait it out."""
    return bounds(WAIT if f"within {WAIT:g} s" in says else 1)


_DRIVER = """
import resource, sys
from etagspec.cli import main
code = main(sys.argv[1:])
sys.stderr.write("peak-rss-kib %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.stderr.flush()
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    code: int
    seconds: float
    peak_rss: int
    out: str
    err: str


def _env() -> dict[str, str]:
    """The environment of a run: ``hostile_targets`` importable."""
    return dict(os.environ, PYTHONPATH=f"{TESTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")


def _finished(code: int, seconds: float, out: str, err: str) -> Run:
    lines = err.splitlines()
    assert lines and lines[-1].startswith("peak-rss-kib "), err[-2000:]
    peak = int(lines[-1].split()[1]) * 1024
    return Run(code, seconds, peak, out, "\n".join(lines[:-1]))


def run_cli(*args: str, limit: float = 60) -> Run:
    """``etagspec ARGS`` in a fresh interpreter: exit code, wall time, peak RSS."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=limit,
        check=False,
    )
    return _finished(done.returncode, time.monotonic() - started, done.stdout, done.stderr)


#: The run server: it imports what every run imports, then reads one request
#: a line (JSON: argv and the two output files), forks a child for it and
#: answers with the child's exit status. The child leaves the loop by
#: returning the request, so its exit is the interpreter's own.
_SERVER = """
import json, os, sys
import etagspec.cli, etagspec.conformance, etagspec.conformance.checks


def serve():
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            return request
        _, status = os.wait()
        print(json.dumps(os.waitstatus_to_exitcode(status)), flush=True)
    sys.exit(0)


request = serve()
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
for fd, path in ((1, request["out"]), (2, request["err"])):
    os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
sys.argv[1:] = request["argv"]
exec(request["driver"])
"""


class RunServer:
    """``etagspec ARGS`` in a child of a process that has the harness
    imported: exit code, wall time, peak RSS, as :func:`run_cli` measures
    them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.process: subprocess.Popen[str] | None = None

    def _started(self) -> subprocess.Popen[str]:
        if self.process is None:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _SERVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=_env(),
                start_new_session=True,  # a stuck run is killed with its server
            )
        return self.process

    def close(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()
            process.stdout.close()

    def run(self, *args: str, limit: float = 60) -> Run:
        process = self._started()
        assert process.stdin is not None and process.stdout is not None
        self.count += 1
        out, err = self.folder / f"{self.count}.out", self.folder / f"{self.count}.err"
        request = {"argv": list(args), "out": str(out), "err": str(err), "driver": _DRIVER}
        started = time.monotonic()
        process.stdin.write(json.dumps(request) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], limit)
        if not ready:
            self.close()
            raise AssertionError(f"etagspec {' '.join(args)} still ran after {limit} s")
        code = json.loads(process.stdout.readline())
        return _finished(code, time.monotonic() - started, out.read_text(), err.read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunServer]:
    server = RunServer(tmp_path_factory.mktemp("runs"))
    yield server
    server.close()


def assert_bounded(run: Run, code: int, seconds: float, says: str) -> None:
    assert run.code == code, (run.code, run.err[-1500:], run.out[-1500:])
    assert run.seconds < seconds + STARTUP, run.seconds
    assert run.peak_rss < MAX_RSS, run.peak_rss
    assert says in run.out + run.err, (run.err[-1500:], run.out[-1500:])
    assert "the check itself raised" not in run.out
    assert "MemoryError" not in run.out + run.err


# --- servers on 127.0.0.1 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "code", "seconds", "says"),
    [
        # A request's deadline covers its whole body. A first GET that gets
        # no answer makes the target unusable (exit 2) and says why.
        ("trickled-body", 2, 2, NO_COMPLETE_RESPONSE),
        ("trickled-header-line", 2, 2, NO_COMPLETE_RESPONSE),
        ("stall", 2, 2, NO_RESPONSE),
        ("endless-body", 2, 2, "the response body is longer than"),
        ("endless-header-section", 2, 2, "the response header section is longer than 64 KiB"),
        ("one-terabyte-content-length", 2, 1, "at least 1099511627776 bytes"),
        ("megabyte-etag", 2, 1, "the response header section is longer than 64 KiB"),
        ("reset", 2, 1, "connection error"),
        ("garbage-status-line", 2, 1, "malformed response: BadStatusLine"),
        ("bare-cr", 2, 1, "a bare CR in the header section"),
        ("cut-off-header-section", 2, 1, "the connection closed inside the header section"),
        ("short-body", 2, 1, "IncompleteRead: the body ended after 5 of the 10 bytes"),
        # Mid-run: an honest verdict after one timeout, or the run stopped by the
        # cap. (The plain GETs must be answered in time: the deadline stays 1 s.)
        ("stalls-when-conditional", 1, 2, "no response within 1 s"),
        ("endless-when-conditional", 2, 1, "the response body is longer than"),
    ],
)
def test_a_hostile_server_ends_within_its_bounds(
    runs: RunServer, server: str, code: int, seconds: float, says: str
) -> None:
    with hostile_targets.raw_server(hostile_targets.SERVERS[server]) as url:
        run = runs.run("check", url, *bounds_for(says))
    assert_bounded(run, code, seconds, says)


# --- in-process apps ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "code", "seconds", "says"),
    [
        ("hostile_targets:endless_body", 2, 1, "the response body is longer than"),
        ("hostile_targets:writes_forever", 2, 1, "the response body is longer than"),
        ("hostile_targets:sleeps", 2, 2, f"{NO_RESPONSE} at "),
        ("hostile_targets:swallows_the_deadline", 2, 2, f"{NO_RESPONSE} at "),
        ("hostile_targets:waits_in_c", 2, 2, f"{NO_RESPONSE} at "),
        ("hostile_targets:asgi_endless_body", 2, 1, "the response body is longer than"),
        ("hostile_targets:asgi_blocks_the_loop", 2, 2, f"{NO_RESPONSE} at "),
    ],
)
def test_a_hostile_app_ends_within_its_bounds(
    runs: RunServer, spec: str, code: int, seconds: float, says: str
) -> None:
    assert_bounded(runs.run("check", spec, *bounds_for(says)), code, seconds, says)


@pytest.mark.parametrize(
    ("spec", "code", "seconds", "says"),
    [
        ("hostile_targets:endless_layer", 2, 1, "the response body is longer than"),
        # One exchange hangs; every later one, in every check, fails at once.
        ("hostile_targets:sleeping_layer", 1, 2, f"{NO_RESPONSE} at "),
    ],
)
def test_a_hostile_layer_ends_within_its_bounds(
    runs: RunServer, spec: str, code: int, seconds: float, says: str
) -> None:
    run = runs.run("check-layer", spec, *bounds_for(says), "--max-examples", "2", limit=120)
    assert_bounded(run, code, seconds, says)


def test_max_time_stops_a_slow_run_with_no_verdict(runs: RunServer) -> None:
    run = runs.run("check", "hostile_targets:slow_but_correct", *bounds(), "--max-time", "0.5")
    assert_bounded(run, 2, 1, "the run took longer than --max-time 0.5 s; no verdict")


def test_max_time_stops_check_layer_too() -> None:
    # A fresh interpreter, as every run was before RunServer: the whole
    # process, its start included, within the bounds.
    run = run_cli(
        "check-layer", "hostile_targets:sleeping_layer", "--timeout", "5", "--max-time", "0.5"
    )
    assert_bounded(run, 2, 1, "the run took longer than --max-time 0.5 s; no verdict")


def test_the_bounds_and_their_defaults_are_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    from etagspec.cli import main

    for command in ("check", "check-layer"):
        # argparse prints the help on sys.stdout (what the console script's is).
        assert main([command, "--help"]) == 0
        text = " ".join(capsys.readouterr().out.split())
        assert "--max-time SECONDS" in text
        assert f"(default: {DEFAULT_MAX_BODY_BYTES}, 128 MiB)" in text
        assert f"(default: {DEFAULT_MAX_HEADER_BYTES}, 1 MiB)" in text
        assert f"{DEFAULT_TIMEOUT:g}" in text


def test_targets_leave_no_threads_behind() -> None:
    import gc
    import threading

    from etagspec.conformance import ProbeRequest, WSGITarget
    from etagspec.conformance.targets.asgi import ASGITarget
    from etagspec.demo import make_app

    async def app(scope: object, receive: object, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body"})

    gc.collect()
    before = threading.active_count()
    for _ in range(50):
        assert WSGITarget(make_app()).send(ProbeRequest("GET", "/hello")).status == 200
        asgi = ASGITarget(app)
        assert asgi.send(ProbeRequest("GET", "/")).status == 204
        asgi.close()
    del asgi
    gc.collect()
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() <= before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--max-time", "0"], "--max-time must be a positive number of seconds"),
        (["check", "--max-body-bytes", "0"], "--max-body-bytes must be at least 1"),
        (["check", "--max-header-bytes", "-5"], "--max-header-bytes must be at least 1"),
        (["check-layer", "etagspec.caching:etag_middleware", "--timeout", "0"], "--timeout must"),
        (["check-layer", "etagspec.caching:etag_middleware", "--max-time", "-1"], "--max-time"),
    ],
)
def test_bounds_that_make_no_sense_are_usage_errors(argv: list[str], message: str) -> None:
    import io

    from etagspec.cli import main

    out, err = io.StringIO(), io.StringIO()
    assert main(argv, out, err) == 2
    assert message in err.getvalue()


def test_a_memory_error_in_a_layer_run_is_the_layer_s_or_stops_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from etagspec.conformance import BoundExceeded, Status, check_layer
    from etagspec.conformance.layers.target import LayerTarget

    def greedy(app: Any) -> Any:
        def wrapped(environ: Any, start_response: Any) -> Any:
            if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MATCH" in environ:
                raise MemoryError
            return app(environ, start_response)  # a plain GET goes through

        return wrapped

    # Raised by the layer: the layer's failure, told as such.
    (result,) = check_layer(greedy, max_examples=2, select=["LAYER-COND-1"]).results
    assert result.status is Status.FAILED
    assert "the layer raised MemoryError" in result.failures[0].explanation
    assert "the check itself raised" not in result.note

    # Raised in the harness: the run stops (exit 2) and says so.
    def out_of_memory(*args: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(LayerTarget, "exchange", out_of_memory)
    with pytest.raises(BoundExceeded, match="the run ran out of memory"):
        check_layer(greedy, max_examples=2, select=["LAYER-COND-1"])
