"""The runner: learn each path, run every check with Hypothesis, shrink
failures, and produce a :class:`~etagspec.conformance.model.Report`."""

from __future__ import annotations

import dataclasses
import datetime
import platform
import time
from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from .bounds import OverBound, run_time_limit
from .catalogue import registered_checks
from .context import CheckContext, SkipCheck
from .diagnosis import diagnose
from .features import probe_features
from .hypothesis_home import scratch_hypothesis_home
from .model import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_SEED,
    CheckInfo,
    CheckResult,
    Failure,
    Feature,
    Level,
    ProbeRequest,
    Report,
    RunHeader,
    Status,
    TargetInfo,
)
from .oracle import Observed
from .registry import Check
from .selection import choose_checks
from .targets import Target
from .transcript import Transcript

__all__ = ["learn", "run_checks", "said_once"]


def learn(target: Target, path: str) -> Observed:
    """GET the path plainly, and probe whether it supports byte ranges."""
    response = target.send(ProbeRequest("GET", path))
    supports_range = False
    if 200 <= response.status < 300 and response.body:
        probe = target.send(ProbeRequest("GET", path, (("Range", "bytes=0-0"),)))
        supports_range = probe.status == 206
    return Observed.from_response(path, response, supports_range)


def _run_one(
    item: Check,
    target: Target,
    paths: Sequence[str],
    observed: dict[str, Observed],
    *,
    max_examples: int,
    seed_value: int,
    transcript: Transcript | None = None,
) -> CheckResult:
    info = item.info
    failures: list[Failure] = []
    notes: list[tuple[str, str]] = []  # (path, note)
    requests = 0
    exercised = 0
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
                    signature=f"no HTTP response to a plain GET ({learned.error})",
                )
            )
            continue
        context = CheckContext(
            info, target, path, observed[path], max_examples=max_examples, seed=seed_value
        )
        context.transcript = transcript
        try:
            item.function(context)
            ran += 1
            if not context.exercised:
                notes.append((path, f"not exercised ({context.situation} never occurred)"))
        except SkipCheck as skip:
            notes.append((path, str(skip)))
        except MemoryError:  # not the check's fault: the run stops and says so (exit 2)
            raise OverBound(
                f"the run ran out of memory in {info.id} on {path} "
                "(lower --max-body-bytes to keep the target's answers smaller)"
            ) from None
        except Exception as error:  # never hide it, never crash the run
            crashed = True
            notes.append((path, f"the check itself raised {type(error).__name__}: {error}"))
        failures.extend(context.failures)
        notes.extend((path, note) for note in context.notes)
        requests += context.requests
        exercised += context.exercised
    failures = [_with_signature(info, failure) for failure in failures]
    if unanswered:
        status = Status.FAILED
    elif crashed or any(not failure.lenient for failure in failures):
        status = Status.FAILED if info.level is Level.MUST else Status.WARNED
    elif failures:
        status = Status.LENIENT
    elif ran and exercised:
        status = Status.PASSED
    else:
        status = Status.SKIPPED  # never ran, or ran without meeting its situation
    note = said_once(notes, paths)
    return CheckResult(info, status, tuple(failures), requests, note, exercised)


def _with_signature(info: CheckInfo, failure: Failure) -> Failure:
    """The failure, with a root-cause signature: the judge's, else one made
    of the check and what it expected."""
    if failure.signature:
        return failure
    return dataclasses.replace(failure, signature=f"{info.id}: expected {failure.expected}")


def said_once(notes: Sequence[tuple[str, str]], paths: Sequence[str]) -> str:
    """The notes of a check, each said once with the paths it applies to
    (none named when it applies to every one of several paths), joined by
    ``"; "``.

    >>> said_once([("/a", "no ETag"), ("/b", "no ETag")], ["/a", "/b"])
    'no ETag'
    >>> said_once([("/a", "no ETag"), ("/b", "no Date"), ("/c", "no ETag")], ["/a", "/b", "/c"])
    '/a, /c: no ETag; /b: no Date'
    >>> said_once([("/a", "no ETag")], ["/a"])
    '/a: no ETag'
    """
    by_note: dict[str, list[str]] = {}
    for path, note in notes:
        where = by_note.setdefault(note, [])
        if path not in where:
            where.append(path)
    return "; ".join(
        note if len(where) > 1 and set(where) == set(paths) else f"{', '.join(where)}: {note}"
        for note, where in by_note.items()
    )


@scratch_hypothesis_home()
def run_checks(
    target: Target,
    paths: Sequence[str] = ("/",),
    *,
    unsafe_paths: Sequence[str] = (),
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int = DEFAULT_SEED,
    strict: bool = False,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    progress: Any = None,
    max_time: float | None = None,
) -> Report:
    """Run the catalogue against ``target`` and return the report.

    Safe checks run on every path in ``paths``; checks that change state
    (PUT, DELETE) run only on ``unsafe_paths``. ``max_examples`` is how
    many generated requests each exploration of a check sends at most
    while it searches (see DEFAULT_MAX_EXAMPLES). ``select`` limits the run to
    some check IDs or prefixes, ``exclude`` leaves some out (any case, comma
    separated lists allowed; an ID that names no check raises
    :class:`~etagspec.conformance.selection.UnknownCheckError`, a
    ValueError). ``progress``, if given, gets ``start(id)`` and
    ``done(id, status)`` calls. ``max_time`` bounds the whole run in
    seconds: past it, or when the target goes past a size cap, the run
    stops with :class:`~etagspec.conformance.bounds.BoundExceeded`.
    """
    with run_time_limit(max_time):
        return _run_checks(
            target,
            paths,
            unsafe_paths,
            max_examples=max_examples,
            seed=seed,
            strict=strict,
            select=select,
            exclude=exclude,
            progress=progress,
        )


def _run_checks(
    target: Target,
    paths: Sequence[str],
    unsafe_paths: Sequence[str],
    *,
    max_examples: int,
    seed: int,
    strict: bool,
    select: Iterable[str] | None,
    exclude: Iterable[str] | None,
    progress: Any,
) -> Report:
    started = time.monotonic()
    started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    every = registered_checks()
    chosen = set(choose_checks([c.info.id for c in every], select, exclude))
    checks = [c for c in every if c.info.id in chosen]
    observed = {path: learn(target, path) for path in [*paths, *unsafe_paths]}
    transcript = Transcript()
    features: list[Feature] = []
    for path in paths:
        if observed[path].response.error is None:
            features += _probed(target, path, observed[path], transcript)
    results: list[CheckResult] = []
    total_requests = sum(len(feature.probes) for feature in features)
    for item in checks:
        if progress is not None:
            progress.start(item.info.id)
        run_paths = unsafe_paths if item.info.unsafe else paths
        if not run_paths:
            reason = "needs a writable path (--unsafe PATH)" if item.info.unsafe else "no paths"
            result = CheckResult(item.info, Status.SKIPPED, note=reason)
        else:
            result = _run_one(
                item,
                target,
                run_paths,
                observed,
                max_examples=max_examples,
                seed_value=seed,
                transcript=transcript,
            )
        total_requests += result.requests
        results.append(result)
        if progress is not None:
            progress.done(item.info.id, result.status)
    told, diagnosis = diagnose(
        results, transcript.exchanges, features, target=target, target_kind=target.kind
    )
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
        results=told,
        run=header,
        features=tuple(features),
        diagnosis=diagnosis,
    )


def _probed(target: Target, path: str, observed: Observed, transcript: Transcript) -> list[Feature]:
    """The feature probes of ``path``; their exchanges join the transcript."""
    try:
        found = list(probe_features(target, path, observed))
    except MemoryError:  # not a finding: the run stops and says where (exit 2)
        raise OverBound(
            f"the run ran out of memory in the feature probes on {path} "
            "(lower --max-body-bytes to keep the target's answers smaller)"
        ) from None
    for feature in found:
        for probe in feature.probes:
            if probe.request.method == "GET" and probe.request.headers:
                failing = not probe.as_rfc
                transcript.add(
                    probe.request,
                    probe.response,
                    observed,
                    baseline=None,
                    check="features",
                    failing=failing,
                )
    return found
