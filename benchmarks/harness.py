"""Harness throughput, through ``benchmarks/harness_throughput.py``.

That script is the harness's own benchmark (another part of the project
tunes it); this module only calls it, and adds what WebTest (the engine of
``etagspec.testing.TestApp``) costs per request over a direct WSGI call.
The catalogue's rate is measured with the demo's one-write-per-second
waits skipped (see ``harness_throughput.catalogue_rate``): time the demo
spends waiting is not the harness's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import webtest

from benchmarks import harness_throughput
from benchmarks.timing import Case, Settings, measure
from etagspec.demo import make_app

__all__ = ["CATALOGUE_RUNS", "HarnessFigures", "harness_figures"]

#: Whole-catalogue runs per measurement; the fastest is reported.
CATALOGUE_RUNS = 3


@dataclass(frozen=True)
class HarnessFigures:
    """Checked requests per second, and per-request costs in seconds."""

    requests: int
    elapsed: float
    direct: float
    wsgi_target: float
    webtest: float

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed


def harness_figures(max_examples: int, settings: Settings) -> HarnessFigures:
    """Run the catalogue against the demo (best of :data:`CATALOGUE_RUNS`
    runs, the one least disturbed by other work on the machine), then time
    one conditional GET three ways: a direct call, ``WSGITarget.send`` and
    WebTest."""
    requests, elapsed = min(
        (harness_throughput.catalogue_rate(max_examples) for _ in range(CATALOGUE_RUNS)),
        key=lambda run: run[1] / run[0],
    )
    app = make_app()
    client = webtest.TestApp(app)
    probe = harness_throughput.PROBE
    headers = dict(probe.headers)

    def through_webtest(path: str) -> Any:
        return client.get(path, headers=headers, expect_errors=True)

    cases: dict[str, Case] = {
        **harness_throughput.transport_cases(app),
        "WebTest": (through_webtest, probe.path),
    }
    medians = measure(cases, settings)
    return HarnessFigures(
        requests, elapsed, medians["direct"], medians["WSGITarget.send"], medians["WebTest"]
    )
