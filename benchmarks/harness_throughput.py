"""How many checked requests per second the harness drives in-process.

Run: ``.venv/bin/python benchmarks/harness_throughput.py [MAX_EXAMPLES]``

It runs the whole catalogue against the reference app (as ``make check``
does) and divides the requests sent by the wall time; then it times the
bare transport (``WSGITarget.send`` of one conditional GET) against a direct
call of the app, to show what the harness machinery (Hypothesis, oracle,
judging) costs on top of the app itself.
"""

from __future__ import annotations

import statistics
import sys
import time

from etagspec.conformance import run_checks
from etagspec.conformance.model import ProbeRequest
from etagspec.conformance.targets import WSGITarget
from etagspec.demo import make_app


def catalogue_rate(max_examples: int) -> tuple[int, float]:
    target = WSGITarget(make_app(), name="etagspec.demo")
    started = time.perf_counter()
    report = run_checks(
        target,
        ["/", "/hello", "/data.json"],
        unsafe_paths=["/data.json"],
        max_examples=max_examples,
    )
    elapsed = time.perf_counter() - started
    assert report.exit_code == 0, report.summary
    return report.run.requests if report.run else 0, elapsed


def per_call(function: object, rounds: int = 2000) -> float:
    call = function  # type: ignore[assignment]
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            call()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) / rounds)
    return statistics.median(samples)


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    requests, elapsed = catalogue_rate(max_examples)
    print(f"catalogue: {requests} requests in {elapsed:.2f} s = {requests / elapsed:,.0f} req/s")

    app = make_app()
    target = WSGITarget(app)
    request = ProbeRequest("GET", "/hello", (("If-None-Match", '"nope"'),))
    environ = target.environ(request)

    def direct() -> None:
        environ["wsgi.input"].seek(0)
        body = app(dict(environ), lambda status, headers, exc_info=None: None)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    direct_cost = per_call(direct)
    send_cost = per_call(lambda: target.send(request))
    print(
        f"direct WSGI call: {direct_cost * 1e6:.1f} us; WSGITarget.send: {send_cost * 1e6:.1f} us"
    )
    print(f"transport overhead: {send_cost / direct_cost:.2f}x the app's own cost")


if __name__ == "__main__":
    main()
