"""How many checked requests per second the harness drives in-process.

Run: ``.venv/bin/python benchmarks/harness_throughput.py [MAX_EXAMPLES] [RUNS]``

It runs the whole catalogue against the reference app (as ``make check``
does) RUNS times (default 5) and divides the requests sent by the wall time
of each run; the best run is the figure least disturbed by other work on
the machine.

The demo writes a document at most once a second (so that its
Last-Modified changes with every write): a PUT that comes within the same
second as the one before waits for the next second. METH-PUT-3 sends two
PUTs in a row, so with the real clock every run waits up to a second, and
runs that follow one another end just after a whole second: the figure
would be the demo's wait, not the harness's speed. The measured runs give
the demo a clock that jumps forward instead of waiting (the
``clock``/``sleep`` pair :func:`etagspec.demo.make_app` takes; the app
answers exactly as it would after the wait). One more run with the real
clock shows the wait.

Then it shows what bounds the figure:

* the Hypothesis floor: what one example of a test that does nothing costs
  under the harness's own settings, alone and drawing a batch of
  :data:`~etagspec.conformance.probing.REQUESTS_PER_EXAMPLE` byte strings
  as the explorations do (per request);
* the transport: ``WSGITarget.send`` of one conditional GET against a direct
  call of the app.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from hypothesis import given, seed
from hypothesis import strategies as st

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.roundtrip import round_trip
from benchmarks.timing import Case, Settings, measure
from etagspec.conformance import run_checks
from etagspec.conformance.catalogue import registered_checks
from etagspec.conformance.context import exploration_settings
from etagspec.conformance.model import DEFAULT_SEED, ProbeRequest
from etagspec.conformance.probing import REQUEST_TAPE, REQUESTS_PER_EXAMPLE
from etagspec.conformance.targets import WSGIApp, WSGITarget
from etagspec.demo import make_app

PATHS = ["/", "/hello", "/data.json"]
UNSAFE_PATHS = ["/data.json"]
#: The request the transports are timed on: a conditional GET answered 200
#: (its If-None-Match matches nothing).
PROBE = ProbeRequest("GET", "/hello", (("If-None-Match", '"nope"'),))


class SkippedWaits:
    """A clock for the demo that moves on by the time it was asked to wait
    instead of waiting: real time plus every wait so far.

    >>> clock = SkippedWaits()
    >>> before = clock.time()
    >>> clock.sleep(5.0)
    >>> clock.time() - before >= 5.0
    True
    """

    def __init__(self) -> None:
        self.skipped = 0.0

    def time(self) -> float:
        return time.time() + self.skipped

    def sleep(self, seconds: float) -> None:
        self.skipped += max(seconds, 0.0)


def catalogue_rate(max_examples: int, *, real_clock: bool = False) -> tuple[int, float]:
    """(requests sent, wall seconds) for one run of the whole catalogue;
    the demo skips its one-write-per-second waits unless ``real_clock``."""
    # Importing the catalogue (building its strategies) is a one-off cost,
    # not throughput: it happens before the clock starts.
    registered_checks()
    if real_clock:
        app = make_app()
    else:
        clock = SkippedWaits()
        app = make_app(clock=clock.time, sleep=clock.sleep)
    target = WSGITarget(app, name="etagspec.demo")
    started = time.perf_counter()
    report = run_checks(target, PATHS, unsafe_paths=UNSAFE_PATHS, max_examples=max_examples)
    elapsed = time.perf_counter() - started
    assert report.exit_code == 0, report.summary
    return report.run.requests if report.run else 0, elapsed


def hypothesis_floor(max_examples: int = 40, runs: int = 50, batch: int = 1) -> float:
    """Seconds per drawn value of a test that draws and does nothing, under
    the settings the harness explores with (best of five batches): one
    integer per example, or with ``batch`` a list of that many byte strings
    of a request's tape, as CheckContext.explore draws them."""
    drawn = [0]

    def nothing(value: object) -> None:
        drawn[0] += batch

    values: st.SearchStrategy[object] = st.integers(0, 9)
    if batch > 1:
        tape = st.binary(min_size=REQUEST_TAPE, max_size=REQUEST_TAPE)
        values = st.lists(tape, min_size=batch, max_size=batch)
    test = seed(DEFAULT_SEED)(exploration_settings(max_examples)(given(values)(nothing)))
    samples = []
    for _ in range(5):
        drawn[0] = 0
        started = time.perf_counter()
        for _ in range(runs):
            test()
        samples.append((time.perf_counter() - started) / drawn[0])
    return min(samples)


def transport_cases(app: WSGIApp) -> dict[str, Case]:
    """:data:`PROBE` sent to ``app`` by a direct WSGI call and by
    ``WSGITarget.send``, as timing cases."""
    target = WSGITarget(app)
    return {
        "direct": (round_trip(app), target.environ(PROBE)),
        "WSGITarget.send": (target.send, PROBE),
    }


def transport_costs() -> tuple[float, float]:
    """Seconds per conditional GET of the demo: (a direct WSGI call,
    WSGITarget.send), measured in the same rounds."""
    medians = measure(transport_cases(make_app()), Settings())
    return medians["direct"], medians["WSGITarget.send"]


def main() -> None:
    max_examples = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rates = []
    for _ in range(runs):
        requests, elapsed = catalogue_rate(max_examples)
        rates.append(requests / elapsed)
    print(
        f"catalogue: {requests} requests per run; best {max(rates):,.0f} req/s, "
        f"median {statistics.median(rates):,.0f} req/s over {runs} runs "
        "(the demo's one-write-per-second waits skipped)"
    )
    real_requests, real_elapsed = catalogue_rate(max_examples, real_clock=True)
    print(
        f"with the demo's real waits: {real_requests / real_elapsed:,.0f} req/s "
        f"({real_elapsed:.2f} s for one run)"
    )
    floor = hypothesis_floor(max_examples)
    batched = hypothesis_floor(-(-max_examples // REQUESTS_PER_EXAMPLE), batch=REQUESTS_PER_EXAMPLE)
    print(
        f"Hypothesis floor: {floor * 1e6:.0f} us per example of an empty test "
        f"(at most {1 / floor:,.0f} examples/s); {batched * 1e6:.0f} us per request "
        f"drawn {REQUESTS_PER_EXAMPLE} to an example; the catalogue's best run spends "
        f"{1e6 / max(rates):.0f} us per request"
    )
    direct_cost, send_cost = transport_costs()
    print(
        f"direct WSGI call: {direct_cost * 1e6:.1f} us; WSGITarget.send: {send_cost * 1e6:.1f} us"
    )
    print(f"transport overhead: {send_cost / direct_cost:.2f}x the app's own cost")


if __name__ == "__main__":
    main()
