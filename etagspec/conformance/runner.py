"""The runner: learn each path, run every check with Hypothesis, shrink
failures, and produce a :class:`~etagspec.conformance.model.Report`."""

from __future__ import annotations

import datetime
import functools
import platform
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky

from .. import __version__
from .model import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    CheckInfo,
    CheckResult,
    Failure,
    Level,
    ProbeRequest,
    ProbeResponse,
    Report,
    RunHeader,
    Status,
    TargetInfo,
)
from .oracle import Observed
from .registry import Check, registered_checks
from .targets import Target

__all__ = ["CheckContext", "Finding", "SkipCheck", "exploration_settings", "learn", "run_checks"]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a judge says about one exchange that breaks the rule."""

    expected: str
    explanation: str


Judge = Callable[[ProbeRequest, ProbeResponse], "Finding | None"]


class SkipCheck(Exception):
    """Raised by a check that does not apply to this path."""


class _Found(Exception):
    pass


def learn(target: Target, path: str) -> Observed:
    """GET the path plainly, and probe whether it supports byte ranges."""
    response = target.send(ProbeRequest("GET", path))
    supports_range = False
    if 200 <= response.status < 300 and response.body:
        probe = target.send(ProbeRequest("GET", path, (("Range", "bytes=0-0"),)))
        supports_range = probe.status == 206
    return Observed.from_response(path, response, supports_range)


class CheckContext:
    """What a check function gets: the target, the path, what the harness
    learned about it, and ways to send requests and explore with Hypothesis."""

    def __init__(
        self,
        check: CheckInfo,
        target: Target,
        path: str,
        observed: Observed,
        *,
        max_examples: int,
        seed: int,
    ) -> None:
        self.check = check
        self.target = target
        self.path = path
        self.observed = observed
        self.max_examples = max_examples
        self.seed = seed
        self.failures: list[Failure] = []
        self.requests = 0
        self.notes: list[str] = []

    # -- sending ---------------------------------------------------------------

    def send(self, request: ProbeRequest) -> ProbeResponse:
        self.requests += 1
        return self.target.send(request)

    def request(self, method: str, *headers: tuple[str, str], body: bytes = b"") -> ProbeRequest:
        """A probe for this path."""
        return ProbeRequest(method, self.path, tuple(headers), body)

    def relearn(self) -> Observed:
        """GET the path again (after an unsafe request)."""
        self.requests += 1
        self.observed = Observed.from_response(
            self.path, self.target.send(ProbeRequest("GET", self.path))
        )
        return self.observed

    def skip(self, reason: str) -> None:
        raise SkipCheck(reason)

    # -- judging ----------------------------------------------------------------

    def record(self, request: ProbeRequest, response: ProbeResponse, finding: Finding) -> None:
        self.failures.append(
            Failure(
                request=request,
                response=response,
                expected=finding.expected,
                explanation=f"{finding.explanation} [{self.check.id}: {self.check.rule}]",
                reproduce=self.target.reproduce(request),
            )
        )

    def verify(self, request: ProbeRequest, judge: Judge) -> ProbeResponse:
        """Send one request and judge it."""
        response = self.send(request)
        finding = judge(request, response)
        if finding is not None:
            self.record(request, response, finding)
        return response

    def explore(
        self,
        requests: st.SearchStrategy[ProbeRequest],
        judge: Judge,
        *,
        shrink_with: st.SearchStrategy[ProbeRequest] | None = None,
    ) -> None:
        """Generate requests, judge each response, and record the minimal
        failing request Hypothesis shrinks to (at most one per call).

        ``shrink_with`` is the same requests drawn decision by decision, for
        ``requests`` made compact (etagspec.strategies.compact: fast to draw,
        but shrunk as one byte string, which cannot always drop a list
        member). When ``requests`` finds a failure, the search runs again
        with ``shrink_with``, and what it shrinks to, if it finds a failure
        too, is recorded instead.
        """
        found = self._search(requests, judge)
        if found is not None and shrink_with is not None:
            found = self._search(shrink_with, judge) or found
        if found is not None:
            self.record(*found)

    def _search(
        self, requests: st.SearchStrategy[ProbeRequest], judge: Judge
    ) -> tuple[ProbeRequest, ProbeResponse, Finding] | None:
        """The minimal failing exchange Hypothesis finds, or None."""
        last: list[tuple[ProbeRequest, ProbeResponse, Finding]] = []

        def exchange(request: ProbeRequest) -> None:
            response = self.send(request)
            finding = judge(request, response)
            if finding is not None:
                last[:] = [(request, response, finding)]
                raise _Found

        test = exploration_settings(self.max_examples)(given(requests)(exchange))
        try:
            seed(self.seed)(test)()
        except _Found:
            return last[0]
        except Flaky:
            self.notes.append("the target answered the same request differently (flaky)")
            return last[0] if last else None
        return None


@functools.cache
def exploration_settings(max_examples: int) -> settings:
    """Hypothesis settings for explore(): no database, deadline, health
    checks or explain phase, which cost time and say nothing about the target.

    >>> exploration_settings(40).max_examples, exploration_settings(40).database
    (40, None)
    """
    return settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
    )


def _run_one(
    item: Check,
    target: Target,
    paths: Sequence[str],
    observed: dict[str, Observed],
    *,
    max_examples: int,
    seed_value: int,
) -> CheckResult:
    info = item.info
    failures: list[Failure] = []
    notes: list[str] = []
    requests = 0
    ran = 0
    crashed = False
    unanswered = False
    for path in paths:
        learned = observed[path].response
        if learned.error is not None:
            # No HTTP answer to a plain GET: nothing can be checked, and that
            # is a failure of the target, not a reason to skip.
            unanswered = True
            plain = ProbeRequest("GET", path)
            failures.append(
                Failure(
                    request=plain,
                    response=learned,
                    expected="an HTTP response to a plain GET",
                    explanation=f"GET {path} got no HTTP response ({learned.error}), "
                    f"so {info.id} could not be checked there",
                    reproduce=target.reproduce(plain),
                )
            )
            continue
        context = CheckContext(
            info, target, path, observed[path], max_examples=max_examples, seed=seed_value
        )
        try:
            item.function(context)
            ran += 1
        except SkipCheck as skip:
            notes.append(f"{path}: {skip}")
        except Exception as error:  # never hide it, never crash the run
            crashed = True
            notes.append(f"{path}: the check itself raised {type(error).__name__}: {error}")
        failures.extend(context.failures)
        notes.extend(f"{path}: {note}" for note in context.notes)
        requests += context.requests
    if unanswered:
        status = Status.FAILED
    elif failures or crashed:
        status = Status.FAILED if info.level is Level.MUST else Status.WARNED
    elif ran:
        status = Status.PASSED
    else:
        status = Status.SKIPPED
    return CheckResult(info, status, tuple(failures), requests, "; ".join(notes))


def run_checks(
    target: Target,
    paths: Sequence[str] = ("/",),
    *,
    unsafe_paths: Sequence[str] = (),
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    strict: bool = False,
    select: Iterable[str] | None = None,
    progress: Any = None,
) -> Report:
    """Run the catalogue against ``target`` and return the report.

    Safe checks run on every path in ``paths``; checks that change state
    (PUT, DELETE) run only on ``unsafe_paths``. ``select`` limits the run to
    some check IDs. ``progress``, if given, gets ``start(id)`` and
    ``done(id, status)`` calls.
    """
    started = time.monotonic()
    started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    chosen = set(select) if select is not None else None
    checks = [c for c in registered_checks() if chosen is None or c.info.id in chosen]
    observed = {path: learn(target, path) for path in [*paths, *unsafe_paths]}
    results: list[CheckResult] = []
    total_requests = 0
    for item in checks:
        if progress is not None:
            progress.start(item.info.id)
        run_paths = unsafe_paths if item.info.unsafe else paths
        if not run_paths:
            reason = "needs a writable path (--unsafe PATH)" if item.info.unsafe else "no paths"
            result = CheckResult(item.info, Status.SKIPPED, note=reason)
        else:
            result = _run_one(
                item, target, run_paths, observed, max_examples=max_examples, seed_value=seed
            )
        total_requests += result.requests
        results.append(result)
        if progress is not None:
            progress.done(item.info.id, result.status)
    header = RunHeader(
        started=started_at,
        duration_seconds=time.monotonic() - started,
        requests=total_requests,
        python=platform.python_version(),
        platform=platform.platform(terse=True),
    )
    return Report(
        target=TargetInfo(target.name, target.kind, tuple(paths), tuple(unsafe_paths)),
        seed=seed,
        max_examples=max_examples,
        strict=strict,
        version=__version__,
        results=tuple(results),
        run=header,
    )
