"""The harness's records: what was sent, what came back, what it means.

Everything here is a frozen value. The runner produces these records and
reporters only read them (they never drive the runner).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..headers import header_value, header_values

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "DEFAULT_SEED",
    "DEVIATION_CLASSES",
    "SEVERITY",
    "CheckInfo",
    "CheckResult",
    "DecisiveProbe",
    "Deviation",
    "Diagnosis",
    "Failure",
    "Feature",
    "FeatureProbe",
    "KnownFinding",
    "Level",
    "ProbeRequest",
    "ProbeResponse",
    "Report",
    "RootCause",
    "RunHeader",
    "Status",
    "Support",
    "TargetInfo",
    "exit_status",
    "fails_the_run",
    "status_counts",
]


#: Generated requests per exploration of a check on a path, unless told
#: otherwise (``max_examples``): at most that many are sent while searching,
#: besides the corpus's known-tricky requests; a failure then costs more to
#: shrink. Hypothesis draws them one per example, or several per example
#: when a check explores a large space (CheckContext.explore's ``batch``).
DEFAULT_MAX_EXAMPLES = 40
#: The seed of a run, unless told otherwise (same seed, same report).
DEFAULT_SEED = 20221


class Level(enum.Enum):
    """How binding a check's requirement is (BCP 14)."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Status(enum.Enum):
    """The verdict on one check, from best to worst: ``passed``, ``lenient``
    (the target took a reading of invalid input that the catalogue lists as
    a ``may`` or ``lenient`` one), ``warned`` (a SHOULD not met), ``failed``
    (a MUST not met); ``skipped`` (the check does not apply) stands apart.

    >>> Status.worst([Status.PASSED, Status.LENIENT, Status.WARNED]).value
    'warned'
    """

    PASSED = "passed"
    LENIENT = "lenient"
    WARNED = "warned"
    FAILED = "failed"
    SKIPPED = "skipped"

    @property
    def rank(self) -> int:
        """0 passed, 1 lenient, 2 warned, 3 failed; -1 skipped."""
        return _RANKS[self]

    @staticmethod
    def worst(statuses: Iterable[Status]) -> Status:
        """The worst of ``statuses`` (skipped only if there is nothing else)."""
        return max(statuses, key=lambda status: status.rank, default=Status.SKIPPED)


_RANKS = {
    Status.SKIPPED: -1,
    Status.PASSED: 0,
    Status.LENIENT: 1,
    Status.WARNED: 2,
    Status.FAILED: 3,
}


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    """One request the harness sends. Header values are sent byte for byte
    (latin-1), exactly as given."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers],
            "body_length": len(self.body),
        }


@dataclass(frozen=True, slots=True)
class ProbeResponse:
    """What came back, in a form no check needs to know the transport of.

    ``error`` is set (and ``status`` is 0) when the target did not produce a
    valid HTTP response at all: it raised, hung, or broke the protocol.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    error: str | None = None
    #: The server's own status line (``HTTP/1.1 200 OK``) when the target
    #: saw one on the wire; empty for in-process targets.
    status_line: str = ""

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    def header_values(self, name: str) -> list[str]:
        return header_values(self.headers, name)

    def has_header(self, name: str) -> bool:
        return self.header(name) is not None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "headers": [[k, v] for k, v in self.headers],
            "body_length": len(self.body),
        }
        if self.error is not None:
            data["error"] = self.error
        if self.status_line:
            data["status_line"] = self.status_line
        return data


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """A check's identity: a stable docs/SPEC.md ID, the RFC section, the level,
    a title, and a one-line statement of the rule it enforces."""

    id: str
    title: str
    rfc: str
    level: Level
    rule: str
    unsafe: bool = False

    def to_json(self) -> dict[str, Any]:
        """The identity as every report's check entry opens with it."""
        return {
            "id": self.id,
            "title": self.title,
            "rfc": self.rfc,
            "level": self.level.value,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Failure:
    """One deviation, with the minimal request Hypothesis shrank to.

    ``signature`` names what the target did differently, in words that do
    not depend on the request ("If-Match: * treated as a non-matching
    tag"), so that one cause met by several checks is told once.
    ``lenient`` is the catalogue ID (AMB-..., LEN-...) of the permitted
    lenient reading the target took, or "" when the finding is a deviation.
    ``deviations`` holds the stable IDs of the diagnosis's deviations that
    explain it (:attr:`Deviation.id`; empty without a diagnosis).
    """

    request: ProbeRequest
    response: ProbeResponse
    expected: str
    explanation: str
    reproduce: str
    signature: str = ""
    lenient: str = ""
    deviations: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request.to_json(),
            "response": self.response.to_json(),
            "expected": self.expected,
            "explanation": self.explanation,
            "reproduce": self.reproduce,
            "signature": self.signature,
            "lenient": self.lenient or None,
            "deviations": list(self.deviations),
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on one check over all paths it ran on.

    ``exercised`` counts the exchanges that met the check's decisive
    situation (a 304 for the checks of a 304's fields, ...): a check that
    ran but never met it is skipped as "not exercised", never passed.
    """

    check: CheckInfo
    status: Status
    failures: tuple[Failure, ...] = ()
    requests: int = 0
    note: str = ""
    exercised: int = 0

    @property
    def signatures(self) -> tuple[str, ...]:
        """The distinct root causes of this result's findings, in order."""
        return tuple(dict.fromkeys(failure.signature for failure in self.failures))

    def to_json(self) -> dict[str, Any]:
        return {
            **self.check.to_json(),
            "status": self.status.value,
            "requests": self.requests,
            "exercised": self.exercised,
            "note": self.note,
            "failures": [failure.to_json() for failure in self.failures],
        }


@dataclass(frozen=True, slots=True)
class TargetInfo:
    """What was checked."""

    name: str
    kind: str
    paths: tuple[str, ...]
    unsafe_paths: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "paths": list(self.paths),
            "unsafe_paths": list(self.unsafe_paths),
        }


@dataclass(frozen=True, slots=True)
class RunHeader:
    """Facts about one run that differ between runs (kept apart so that the
    report body is the same for the same seed)."""

    started: str
    duration_seconds: float
    requests: int
    python: str
    platform: str


@dataclass(frozen=True, slots=True)
class RootCause:
    """One thing a target does differently, and the checks that met it.
    ``lenient`` is the catalogue ID of a permitted reading ("" for a
    deviation)."""

    signature: str
    lenient: str
    checks: tuple[str, ...]
    #: The diagnosis's class of the cause (DEVIATION_CLASSES), "" if none.
    kind: str = ""
    #: The diagnosis's stable ID of the cause (Deviation.id), "" if none.
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "signature": self.signature,
            "lenient": self.lenient or None,
            "checks": list(self.checks),
        }
        if self.kind:
            data["class"] = self.kind
        if self.id:
            data["id"] = self.id
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RootCause:
        return cls(
            str(data["signature"]),
            str(data.get("lenient") or ""),
            tuple(map(str, data["checks"])),
            str(data.get("class") or ""),
            str(data.get("id") or ""),
        )


@dataclass(frozen=True, slots=True)
class KnownFinding:
    """A confirmed line about one (target, check) of a campaign: what the
    target does instead (``does``), and its class: ``bug``, ``lenient``,
    ``unsupported`` (the framework offers no such handling) or
    ``server-duty`` (left to the server in front of the app)."""

    check: str
    kind: str
    does: str

    def to_json(self) -> dict[str, str]:
        return {"check": self.check, "class": self.kind, "does": self.does}


class Support(enum.Enum):
    """How much of a feature a target evaluates."""

    EVALUATED = "evaluated"
    NOT_EVALUATED = "not evaluated"
    PARTLY = "partly"
    CANNOT_TELL = "cannot tell"


def _answer_json(response: ProbeResponse) -> dict[str, Any]:
    """A probe's answer as a report keeps it: the status (and the error),
    not the fields, which hold the run's clock (Date) and would make two
    runs with the same seed differ."""
    data: dict[str, Any] = {"status": response.status}
    if response.error is not None:
        data["error"] = response.error
    return data


@dataclass(frozen=True, slots=True)
class FeatureProbe:
    """One probe: the request, the answer, what RFC 9110 gives, and what a
    target without the feature gives (``alternative``)."""

    request: ProbeRequest
    response: ProbeResponse
    rfc: tuple[int, ...]
    alternative: tuple[int, ...]

    @property
    def decisive(self) -> bool:
        """Whether RFC 9110 and the alternative have no answer in common."""
        return not set(self.rfc) & set(self.alternative)

    @property
    def as_rfc(self) -> bool:
        return self.response.status in self.rfc

    @property
    def as_alternative(self) -> bool:
        return self.response.status in self.alternative

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request.to_json(),
            "answer": _answer_json(self.response),
            "rfc": list(self.rfc),
            "alternative": list(self.alternative),
            "decisive": self.decisive,
        }


@dataclass(frozen=True, slots=True)
class Feature:
    """What the probes found out about one feature on one path."""

    name: str
    path: str
    support: Support
    probes: tuple[FeatureProbe, ...] = ()
    note: str = ""

    @property
    def subject(self) -> str:
        """The request field (or method) the feature belongs to."""
        return self.name.split(" ", 1)[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": self.path,
            "support": self.support.value,
            "note": self.note,
            "probes": [probe.to_json() for probe in self.probes],
        }


@dataclass(frozen=True, slots=True)
class DecisiveProbe:
    """The request that confirms a deviation: a conforming target answers
    one of ``rfc`` (what RFC 9110 gives), the target with that deviation one
    of ``deviant``; ``response`` is what the target answered when the
    harness sent it again, and ``confirmed`` whether that answer is the
    deviant one (both answers told as text: ``"412"``, ``"304 or 200"``)."""

    request: ProbeRequest
    response: ProbeResponse
    rfc: str
    deviant: str
    confirmed: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request.to_json(),
            "answer": _answer_json(self.response),
            "rfc": self.rfc,
            "deviant": self.deviant,
            "confirmed": self.confirmed,
        }


#: The classes of a deviation: ``bug`` (the target evaluates a field
#: wrongly), ``unsupported`` (the feature probes show it never evaluates the
#: field), ``lenient`` (a reading the catalogue permits), ``server-duty``
#: (left to the server in front of an in-process app), ``should`` (a
#: SHOULD the catalogue's verdict says is not met: warned, never a bug).
DEVIATION_CLASSES = ("bug", "unsupported", "should", "lenient", "server-duty")
#: The classes from the most severe down: a check takes the most severe
#: class among the deviations that explain its failures.
SEVERITY = ("bug", "unsupported", "should", "server-duty", "lenient")


@dataclass(frozen=True, slots=True)
class Deviation:
    """One thing the target does differently, as the diagnosis found it:
    its name, class (:data:`DEVIATION_CLASSES`), the catalogue ID of the
    reading (AMB-/LEN-, "" for none), the checks it fails (``must``: those
    of level MUST), how many answers of the run it is needed to explain,
    and the probe that confirms it. ``manifestations`` lists the forms one
    catalogue reading of one field took (unquoted tags, ``w/``, ...: one
    parser, one deviation); ``explained`` is false for a failure no reading
    of the set, alone or combined, reproduces. ``id`` is the deviation's
    stable ID (``LEN-9@If-Match``, ``NOT-EVALUATED@If-Unmodified-Since``):
    made of the catalogue reading or the reading's own code and the field
    it reads, never of its prose, so that findings can be keyed by it."""

    name: str
    kind: str
    reading: str
    checks: tuple[str, ...]
    must: tuple[str, ...] = ()
    answers: int = 0
    probe: DecisiveProbe | None = None
    manifestations: tuple[str, ...] = ()
    explained: bool = True
    id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "class": self.kind,
            "reading": self.reading or None,
            "checks": list(self.checks),
            "must": list(self.must),
            "answers": self.answers,
            "probe": None if self.probe is None else self.probe.to_json(),
            "manifestations": list(self.manifestations),
            "explained": self.explained,
        }


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The smallest set of readings found that reproduces every answer the
    target gave (``deviations``, lenient readings among them), over
    ``answers`` distinct judged answers, of which ``unexplained`` no known
    reading reproduces. A failure that no reading of the set, alone or two
    together, reproduces is listed among ``deviations`` marked not
    ``explained`` and is not counted: the count is the size of the set of
    readings, and how many causes such failures hide is not known
    (:attr:`unexplained_failures` lists them; their checks still fail)."""

    deviations: tuple[Deviation, ...]
    answers: int = 0
    unexplained: int = 0

    def of_kind(self, kind: str) -> tuple[Deviation, ...]:
        """The explained deviations of one class."""
        return tuple(d for d in self.deviations if d.kind == kind and d.explained)

    @property
    def unexplained_failures(self) -> tuple[Deviation, ...]:
        """The failures no reading of the set explains, each on its own."""
        return tuple(d for d in self.deviations if not d.explained)

    @property
    def counts(self) -> dict[str, int]:
        """How many deviations of each class.

        >>> Diagnosis((Deviation("a", "bug", "", ()),)).counts["bug"]
        1
        """
        return {kind: len(self.of_kind(kind)) for kind in DEVIATION_CLASSES}

    def to_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "unexplained": self.unexplained,
            "counts": self.counts,
            "deviations": [deviation.to_json() for deviation in self.deviations],
        }


def fails_the_run(status: Status, *, strict: bool) -> bool:
    """Whether a check's ``status`` fails the run, for every kind of run:
    FAILED always (only a MUST check fails; a SHOULD one not met is
    WARNED), and WARNED and LENIENT too under ``strict``.

    >>> fails_the_run(Status.WARNED, strict=False), fails_the_run(Status.WARNED, strict=True)
    (False, True)
    """
    return status is Status.FAILED or (strict and status in (Status.WARNED, Status.LENIENT))


def status_counts(statuses: Iterable[Status]) -> dict[str, int]:
    """How many of ``statuses`` there are of each status, every status
    named: a report's ``summary``, whatever the kind.

    >>> status_counts([Status.PASSED, Status.FAILED, Status.PASSED])["passed"]
    2
    """
    counts = {status.value: 0 for status in Status}
    for status in statuses:
        counts[status.value] += 1
    return counts


def exit_status(*, failed: bool, checked_nothing: bool) -> int:
    """The exit status of every kind of run: 2 when nothing was checked
    (every check skipped: not a pass), 1 when a check failed it, else 0.

    >>> [exit_status(failed=True, checked_nothing=nothing) for nothing in (True, False)]
    [2, 1]
    """
    if checked_nothing:
        return 2
    return 1 if failed else 0


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of one harness run. ``findings`` holds the campaign's
    confirmed lines about this target (empty outside a campaign)."""

    target: TargetInfo
    seed: int
    max_examples: int
    strict: bool
    version: str
    results: tuple[CheckResult, ...]
    run: RunHeader | None = field(default=None, compare=False)
    findings: tuple[KnownFinding, ...] = ()
    #: What the feature probes found, path by path (see conformance.features).
    features: tuple[Feature, ...] = ()
    #: The whole-run diagnosis (see conformance.diagnosis); None if not made.
    diagnosis: Diagnosis | None = None

    @property
    def summary(self) -> dict[str, int]:
        return status_counts(result.status for result in self.results)

    def failed(self, *, strict: bool | None = None) -> list[CheckResult]:
        """Results that make the run fail: every FAILED check (only MUST
        checks fail; a SHOULD check that is not met is WARNED), and with
        ``strict`` the WARNED and LENIENT ones too."""
        strict = self.strict if strict is None else strict
        return [result for result in self.results if fails_the_run(result.status, strict=strict)]

    @property
    def checked_nothing(self) -> bool:
        """True when no check ran at all (every one skipped, or none chosen):
        such a run proves nothing and is not a pass."""
        return all(result.status is Status.SKIPPED for result in self.results)

    @property
    def exit_code(self) -> int:
        """0 when no MUST check failed (no SHOULD, and no lenient reading,
        either under --strict), 1 when one did, 2 when nothing was checked."""
        return exit_status(failed=bool(self.failed()), checked_nothing=self.checked_nothing)

    def deviations(self, *, lenient: bool = False) -> dict[str, list[CheckResult]]:
        """Root cause → the checks that met it: the signatures of the
        deviations (failed or warned findings), or with ``lenient`` those of
        the lenient readings the target took.

        >>> info = CheckInfo("X-1", "t", "RFC", Level.MUST, "r")
        >>> failure = Failure(ProbeRequest("GET", "/"), ProbeResponse(200), "412", "", "",
        ...                   signature="If-Match ignored")
        >>> report = Report(TargetInfo("t", "wsgi", ("/",)), 1, 1, False, "0",
        ...                 (CheckResult(info, Status.FAILED, (failure,)),))
        >>> {cause: [r.check.id for r in results] for cause, results in report.deviations().items()}
        {'If-Match ignored': ['X-1']}
        >>> report.deviations(lenient=True)
        {}
        """
        groups: dict[str, list[CheckResult]] = {}
        for result in self.results:
            if result.status in (Status.PASSED, Status.SKIPPED):
                continue
            for failure in result.failures:
                if bool(failure.lenient) != lenient:
                    continue
                members = groups.setdefault(failure.signature, [])
                if result not in members:
                    members.append(result)
        return groups

    def root_causes(self) -> list[RootCause]:
        """The deviations first, then the lenient readings, each once (with
        a diagnosis, its deviations, each with its class)."""
        if self.diagnosis is not None:
            return [
                RootCause(
                    d.name,
                    d.reading or "lenient" if d.kind == "lenient" else "",
                    d.checks,
                    d.kind,
                    d.id,
                )
                for d in self.diagnosis.deviations
            ]
        causes: list[RootCause] = []
        for lenient in (False, True):
            for signature, results in self.deviations(lenient=lenient).items():
                reading = ""
                if lenient:
                    reading = next(
                        f.lenient for r in results for f in r.failures if f.signature == signature
                    )
                causes.append(RootCause(signature, reading, tuple(r.check.id for r in results)))
        return causes

    def check_class(self, result: CheckResult) -> str:
        """The class of a failed, warned or lenient check, from the
        diagnosis: the most severe (:data:`SEVERITY`) class of the
        deviations its failures carry (a failure that carries none counts
        as a bug); "" for any other check, or without a diagnosis.

        >>> info = CheckInfo("X-1", "t", "RFC", Level.MUST, "r")
        >>> failure = Failure(ProbeRequest("GET", "/"), ProbeResponse(304), "200", "", "",
        ...                   deviations=("LENIENT@If-None-Match",))
        >>> result = CheckResult(info, Status.LENIENT, (failure,))
        >>> lenient = Deviation("If-None-Match parsed leniently", "lenient", "LEN-3", ("X-1",),
        ...                     id="LENIENT@If-None-Match")
        >>> report = Report(TargetInfo("t", "wsgi", ("/",)), 1, 1, False, "0", (result,),
        ...                 diagnosis=Diagnosis((lenient,)))
        >>> report.check_class(result)
        'lenient'
        """
        if self.diagnosis is None or result.status not in (
            Status.FAILED,
            Status.WARNED,
            Status.LENIENT,
        ):
            return ""
        kinds = {d.id: d.kind for d in self.diagnosis.deviations}
        found = {
            kinds.get(identifier, "bug")
            for failure in result.failures
            for identifier in failure.deviations or ("",)
        }
        return next((kind for kind in SEVERITY if kind in found), "bug")

    def to_json(self, *, include_run: bool = True) -> dict[str, Any]:
        checks = [result.to_json() for result in self.results]
        if self.diagnosis is not None:
            for check, result in zip(checks, self.results, strict=True):
                check["class"] = self.check_class(result)
        data: dict[str, Any] = {
            "etagspec_version": self.version,
            "target": self.target.to_json(),
            "seed": self.seed,
            "max_examples": self.max_examples,
            "strict": self.strict,
            "summary": self.summary,
            "checks": checks,
        }
        if self.features:
            data["features"] = [feature.to_json() for feature in self.features]
        if self.diagnosis is not None:
            data["diagnosis"] = self.diagnosis.to_json()
        if self.findings:
            data["findings"] = [finding.to_json() for finding in self.findings]
        if include_run and self.run is not None:
            data["run"] = {
                "started": self.run.started,
                "duration_seconds": round(self.run.duration_seconds, 3),
                "requests": self.run.requests,
                "python": self.run.python,
                "platform": self.run.platform,
            }
        return data
