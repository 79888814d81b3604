"""The runner: the one run of every kind of check, and the exchange kind.

:func:`run_selected` is the run every kind shares: it validates ``select``
and ``exclude`` (:func:`~.selection.choose_checks`) before anything is
sent, starts the :class:`~.run_clock.RunClock`, keeps the run within
``max_time``, tells a :class:`Progress` of each check, and runs each chosen
check that applies through the kind's :class:`KindRun`; :func:`judged_status`
is the one rule that turns what a check found into its status.
:func:`run_checks` is the exchange kind: learn each path, probe its
features, run every check with Hypothesis, shrink failures, diagnose, and
produce a :class:`~etagspec.conformance.model.Report`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypedDict, TypeVar

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
    Status,
    TargetInfo,
)
from .oracle import Observed
from .registry import Check
from .run_clock import RunClock
from .selection import choose_checks
from .targets import Target
from .transcript import Transcript

__all__ = [
    "Budget",
    "KindRun",
    "Progress",
    "RunOptions",
    "judged_status",
    "learn",
    "run_checks",
    "run_selected",
    "said_once",
]

Made = TypeVar("Made", covariant=True)


@dataclass(frozen=True)
class Budget:
    """What every kind of run spends and reports the same way: examples
    per search, the seed, and whether SHOULD findings fail."""

    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int = DEFAULT_SEED
    strict: bool = False


class Progress(Protocol):
    """What a run tells of its progress (a terminal line, a log)."""

    def start(self, check_id: str) -> None: ...

    def done(self, check_id: str, status: Status) -> None: ...


class _HasStatus(Protocol):
    @property
    def status(self) -> Status: ...


R = TypeVar("R", bound=_HasStatus)
E = TypeVar("E")


class KindRun(Protocol[E, R, Made]):
    """What one kind of check brings to :func:`run_selected`."""

    #: The kind's checks in words, for selection errors ("layer check").
    what: str

    def known(self) -> Sequence[str]:
        """The ID of every check of the kind (what ``select`` may name)."""
        ...

    def applicable(self) -> Sequence[tuple[str, E]]:
        """(ID, check) of the kind's checks this target can run, in order."""
        ...

    def prepare(self) -> None:
        """What the run does before the first check (learn the target)."""
        ...

    def run_one(self, entry: E) -> R:
        """The result of one check."""
        ...

    def finish(self, results: list[R], clock: RunClock) -> Made:
        """The report of the run, its header from ``clock``."""
        ...


def run_selected(
    kind: KindRun[E, R, Made],
    *,
    select: Iterable[str] | str | None = None,
    exclude: Iterable[str] | str | None = None,
    progress: Progress | None = None,
    max_time: float | None = None,
) -> Made:
    """The one run of every kind: the checks of ``kind`` that ``select``
    names and ``exclude`` does not (an item that names none raises
    :class:`~.selection.UnknownCheckError` before anything is sent), each
    told to ``progress``, the whole within ``max_time`` seconds (else
    :class:`~.bounds.BoundExceeded`), and its report, whose header the
    run's :class:`~.run_clock.RunClock` gives."""
    chosen = set(choose_checks(kind.known(), select, exclude, what=kind.what))
    clock = RunClock()
    results: list[R] = []
    with run_time_limit(max_time):
        kind.prepare()
        for check_id, entry in kind.applicable():
            if check_id not in chosen:
                continue
            if progress is not None:
                progress.start(check_id)
            result = kind.run_one(entry)
            results.append(result)
            if progress is not None:
                progress.done(check_id, result.status)
        return kind.finish(results, clock)


def judged_status(
    level: Level, *, deviation: bool, lenient: bool = False, exercised: bool = True
) -> Status:
    """The one status rule of every kind: a deviation (or a check that
    raised) fails a MUST check and warns a SHOULD or MAY one; a lenient
    reading alone is LENIENT; a check that met its decisive situation and
    found nothing passed, one that never met it is SKIPPED ("not
    exercised"), never passed.

    >>> [judged_status(level, deviation=True).value for level in (Level.MUST, Level.SHOULD)]
    ['failed', 'warned']
    >>> judged_status(Level.MUST, deviation=False, lenient=True).value
    'lenient'
    >>> judged_status(Level.MUST, deviation=False, exercised=False).value
    'skipped'
    """
    if deviation:
        return Status.FAILED if level is Level.MUST else Status.WARNED
    if lenient:
        return Status.LENIENT
    return Status.PASSED if exercised else Status.SKIPPED


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
    else:  # skipped when it never ran, or ran without meeting its situation
        status = judged_status(
            info.level,
            deviation=crashed or any(not failure.lenient for failure in failures),
            lenient=bool(failures),
            exercised=bool(ran and exercised),
        )
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


class RunOptions(TypedDict, total=False):
    """:func:`run_checks`'s keywords, which :func:`~etagspec.conformance.check_app`
    passes on as they are."""

    unsafe_paths: Sequence[str]
    max_examples: int
    seed: int
    strict: bool
    select: Iterable[str] | None
    exclude: Iterable[str] | None
    progress: Progress | None
    max_time: float | None


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
    progress: Progress | None = None,
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
    run = _ExchangeRun(target, paths, unsafe_paths, Budget(max_examples, seed, strict))
    return run_selected(run, select=select, exclude=exclude, progress=progress, max_time=max_time)


class _ExchangeRun:
    """The exchange kind: checks sent to an app or a server (a :class:`Target`)."""

    what = "check"

    def __init__(
        self,
        target: Target,
        paths: Sequence[str],
        unsafe_paths: Sequence[str],
        budget: Budget,
    ) -> None:
        self.target = target
        self.paths = paths
        self.unsafe_paths = unsafe_paths
        self.budget = budget
        self.observed: dict[str, Observed] = {}
        self.transcript = Transcript()
        self.features: list[Feature] = []

    def known(self) -> list[str]:
        return [item.info.id for item in registered_checks()]

    def applicable(self) -> list[tuple[str, Check]]:
        return [(item.info.id, item) for item in registered_checks()]

    def prepare(self) -> None:
        target = self.target
        self.observed = {path: learn(target, path) for path in [*self.paths, *self.unsafe_paths]}
        for path in self.paths:
            if self.observed[path].response.error is None:
                self.features += _probed(target, path, self.observed[path], self.transcript)

    def run_one(self, item: Check) -> CheckResult:
        run_paths = self.unsafe_paths if item.info.unsafe else self.paths
        if not run_paths:
            reason = "needs a writable path (--unsafe PATH)" if item.info.unsafe else "no paths"
            return CheckResult(item.info, Status.SKIPPED, note=reason)
        return _run_one(
            item,
            self.target,
            run_paths,
            self.observed,
            max_examples=self.budget.max_examples,
            seed_value=self.budget.seed,
            transcript=self.transcript,
        )

    def finish(self, results: list[CheckResult], clock: RunClock) -> Report:
        target = self.target
        told, diagnosis = diagnose(
            results,
            self.transcript.exchanges,
            self.features,
            target=target,
            target_kind=target.kind,
        )
        probes = sum(len(feature.probes) for feature in self.features)
        return Report(
            target=TargetInfo(
                target.name, target.kind, tuple(self.paths), tuple(self.unsafe_paths)
            ),
            seed=self.budget.seed,
            max_examples=self.budget.max_examples,
            strict=self.budget.strict,
            version=__version__,
            results=told,
            run=clock.header(probes + sum(result.requests for result in results)),
            features=tuple(self.features),
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
