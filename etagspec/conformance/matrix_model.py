"""The campaign's matrix as frozen records: targets (columns) × checks (rows).

A :class:`Column` is one target's outcome: its status per check ID, the
versions it was run with, or why it could not run. It is built from the
target's ``report.json`` (:func:`column_from_report`), the same way for a
target just run and for one whose committed report is re-read, so the
matrix never disagrees with the reports it links to. ``matrix.json`` holds
the whole matrix (:meth:`Matrix.to_json` / :meth:`Matrix.from_json`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from .campaign import Deviation
from .model import RootCause, Status, status_counts

__all__ = [
    "ATTENTION",
    "MUST_EXPLAIN",
    "NOT_RUN",
    "REFERENCE",
    "Cell",
    "Column",
    "Matrix",
    "MatrixCheck",
    "checks_of_report",
    "column_from_report",
    "features_of_report",
]

#: The target that must pass everything: the reference implementation.
REFERENCE = "reference"
#: Why a target has no column yet (``--only`` never ran it).
NOT_RUN = "not run yet"
#: The statuses a finding explains (a failed MUST, a SHOULD not met, a
#: lenient reading).
ATTENTION = (Status.FAILED, Status.WARNED, Status.LENIENT)
#: The statuses that must have a finding (a lenient reading names itself).
MUST_EXPLAIN = (Status.FAILED, Status.WARNED)


@dataclass(frozen=True, slots=True)
class MatrixCheck:
    """A row: one check of the catalogue."""

    id: str
    title: str
    level: str
    rfc: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "level": self.level, "rfc": self.rfc}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatrixCheck:
        """A row from a check of ``matrix.json`` or ``report.json`` (both
        have these four keys)."""
        return cls(str(data["id"]), str(data["title"]), str(data["level"]), str(data["rfc"]))


#: The class a matrix gives a failure no reading of the diagnosis explains
#: (listed, not counted among the distinct deviations).
UNEXPLAINED: Final = "unexplained"


@dataclass(frozen=True, slots=True)
class Column:
    """A target's outcome; ``unavailable`` says why there is none."""

    name: str
    title: str
    kind: str
    versions: tuple[tuple[str, str], ...] = ()
    statuses: Mapping[str, Status] = field(default_factory=dict)
    unavailable: str | None = None
    seed: int | None = None
    max_examples: int | None = None
    causes: tuple[RootCause, ...] = ()
    #: The diagnosis's class of each failed, warned or lenient check.
    classes: Mapping[str, str] = field(default_factory=dict)
    #: What the feature probes found: feature name -> support (over paths).
    features: Mapping[str, str] = field(default_factory=dict)

    @property
    def deviations(self) -> tuple[RootCause, ...]:
        """The distinct deviations (failed or warned findings' root causes),
        without the failures the diagnosis could not explain."""
        return tuple(
            cause for cause in self.causes if not cause.lenient and cause.kind != UNEXPLAINED
        )

    def of_class(self, kind: str) -> tuple[RootCause, ...]:
        """The deviations of one class (``bug``, ``unsupported``, ...)."""
        return tuple(cause for cause in self.deviations if cause.kind == kind)

    def check_class(self, check_id: str) -> str:
        """The class of a failed, warned or lenient check ("" if unknown)."""
        return self.classes.get(check_id, "")

    @property
    def lenient_readings(self) -> tuple[RootCause, ...]:
        """The distinct lenient readings the target took."""
        return tuple(cause for cause in self.causes if cause.lenient)

    def status(self, check_id: str) -> Status | None:
        """The verdict on ``check_id``, or None (not run, or unavailable)."""
        return self.statuses.get(check_id)

    @property
    def summary(self) -> dict[str, int]:
        return status_counts(self.statuses.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "kind": self.kind,
            "versions": [[name, version] for name, version in self.versions],
            "unavailable": self.unavailable,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "summary": self.summary,
            "root_causes": [cause.to_json() for cause in self.causes],
            "checks": {check: status.value for check, status in self.statuses.items()},
            "classes": dict(self.classes),
            "features": dict(self.features),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Column:
        return cls(
            name=str(data["name"]),
            title=str(data["title"]),
            kind=str(data["kind"]),
            versions=tuple((str(n), str(v)) for n, v in data.get("versions", [])),
            statuses={str(k): Status(v) for k, v in data.get("checks", {}).items()},
            unavailable=data.get("unavailable"),
            seed=data.get("seed"),
            max_examples=data.get("max_examples"),
            causes=tuple(RootCause.from_json(cause) for cause in data.get("root_causes", [])),
            classes={str(k): str(v) for k, v in data.get("classes", {}).items()},
            features={str(k): str(v) for k, v in data.get("features", {}).items()},
        )


@dataclass(frozen=True, slots=True)
class Cell:
    """A failed or warned check of a target, with its finding if analysed."""

    column: Column
    check: MatrixCheck
    status: Status
    finding: Deviation | None


def column_from_report(
    data: Mapping[str, Any],
    *,
    title: str,
    kind: str | None = None,
    versions: Sequence[tuple[str, str]] = (),
) -> Column:
    """A column from a ``report.json`` document (:meth:`Report.to_json`);
    ``kind`` replaces the report's (a server's report says ``url``).

    >>> data = {"target": {"name": "t", "kind": "wsgi"}, "seed": 1, "max_examples": 5,
    ...         "checks": [{"id": "COND-IM-4a", "status": "failed"}]}
    >>> column_from_report(data, title="T").status("COND-IM-4a")
    <Status.FAILED: 'failed'>
    """
    target = data["target"]
    return Column(
        name=str(target["name"]),
        title=title,
        kind=kind or str(target["kind"]),
        versions=tuple(versions),
        statuses={str(check["id"]): Status(check["status"]) for check in data["checks"]},
        seed=int(data["seed"]),
        max_examples=int(data["max_examples"]),
        causes=_causes_of_report(data),
        classes={
            str(check["id"]): str(check["class"]) for check in data["checks"] if check.get("class")
        },
        features=features_of_report(data),
    )


def features_of_report(data: Mapping[str, Any]) -> dict[str, str]:
    """Feature name -> support from a ``report.json`` document's feature
    table: the support every path shares, else ``partly`` (evaluated on
    one path, not on another).

    >>> features_of_report({"features": [
    ...     {"name": "If-Match", "support": "evaluated"},
    ...     {"name": "If-Match", "support": "not evaluated"}]})
    {'If-Match': 'partly'}
    """
    found: dict[str, set[str]] = {}
    for feature in data.get("features", []):
        found.setdefault(str(feature["name"]), set()).add(str(feature["support"]))
    return {
        name: supports.pop() if len(supports) == 1 else "partly" for name, supports in found.items()
    }


def _causes_of_report(data: Mapping[str, Any]) -> tuple[RootCause, ...]:
    """The root causes of a ``report.json`` document's findings: deviations
    first, then lenient readings, each with the checks that met it (with a
    diagnosis, its deviations, each with its class)."""
    diagnosis = data.get("diagnosis")
    if diagnosis is not None:
        return tuple(
            RootCause(
                str(d["name"]),
                str(d.get("reading") or "lenient") if d["class"] == "lenient" else "",
                tuple(map(str, d["checks"])),
                str(d["class"]) if d.get("explained", True) else UNEXPLAINED,
                str(d.get("id") or ""),
            )
            for d in diagnosis["deviations"]
        )
    found: dict[tuple[bool, str], tuple[str, list[str]]] = {}
    for check in data["checks"]:
        if check.get("status") in (Status.PASSED.value, Status.SKIPPED.value):
            continue
        for failure in check.get("failures", []):
            signature = str(failure.get("signature") or f"{check['id']}: {failure['expected']}")
            lenient = str(failure.get("lenient") or "")
            _, checks = found.setdefault((bool(lenient), signature), (lenient, []))
            if check["id"] not in checks:
                checks.append(str(check["id"]))
    ordered = sorted(found.items(), key=lambda item: item[0][0])  # stable: deviations first
    return tuple(RootCause(sig, lenient, tuple(ids)) for (_, sig), (lenient, ids) in ordered)


def checks_of_report(data: Mapping[str, Any]) -> list[MatrixCheck]:
    """The rows a ``report.json`` document describes."""
    return [MatrixCheck.from_json(check) for check in data["checks"]]


@dataclass(frozen=True, slots=True)
class Matrix:
    """The whole campaign, or its layers, or its parsers: rows (checks),
    columns (targets), findings. ``layers`` and ``parsers`` say which: the
    layer targets, checked with the layer checks, and the parser targets,
    checked with the parser checks, have a matrix of their own."""

    version: str
    seed: int
    max_examples: int
    python: str
    checks: tuple[MatrixCheck, ...]
    columns: tuple[Column, ...]
    findings: tuple[Deviation, ...] = ()
    layers: bool = False
    parsers: bool = False

    def finding(self, target: str, check: str) -> Deviation | None:
        for deviation in self.findings:
            if deviation.target == target and deviation.check == check:
                return deviation
        return None

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def cells(self, statuses: Sequence[Status] = ATTENTION) -> Iterator[Cell]:
        """Every (target, check) with one of ``statuses``, target by target,
        in row order."""
        for column in self.columns:
            for check in self.checks:
                status = column.status(check.id)
                if status is not None and status in statuses:
                    yield Cell(column, check, status, self.finding(column.name, check.id))

    def by_target(self, statuses: Sequence[Status] = ATTENTION) -> list[tuple[Column, list[Cell]]]:
        """:meth:`cells` grouped by target, targets without any left out."""
        grouped: dict[str, tuple[Column, list[Cell]]] = {}
        for cell in self.cells(statuses):
            grouped.setdefault(cell.column.name, (cell.column, []))[1].append(cell)
        return list(grouped.values())

    def unanalysed(self, statuses: Sequence[Status] = MUST_EXPLAIN) -> list[tuple[str, str]]:
        """(target, check) pairs with one of ``statuses`` but no finding,
        apart from the reference's (those are bugs to fix, not to explain)."""
        return [
            (cell.column.name, cell.check.id)
            for cell in self.cells(statuses)
            if cell.finding is None and cell.column.name != REFERENCE
        ]

    @property
    def feature_names(self) -> list[str]:
        """Every feature a column's probes named, in first-seen order."""
        names: dict[str, None] = {}
        for column in self.columns:
            names.update(dict.fromkeys(column.features))
        return list(names)

    def class_disagreements(self) -> list[tuple[str, str, str, str]]:
        """``(target, check, class in findings.toml, class the harness
        derived)`` for every finding whose class the target's diagnosis
        contradicts: the class of the finding's deviation (by its ID) when
        it names one, else the check's class (a finding of a target run
        without a diagnosis is not judged; a stale one is
        :meth:`stale_findings`'s).

        >>> column = Column("t", "T", "wsgi", statuses={"X-1": Status.FAILED},
        ...                 classes={"X-1": "unsupported"})
        >>> note = Deviation("t", "X-1", "never reads If-Match", "", "bug")
        >>> Matrix("0", 1, 5, "3.11", (), (column,), (note,)).class_disagreements()
        [('t', 'X-1', 'bug', 'unsupported')]
        """
        found = []
        for note in self.findings:
            try:
                column = self.column(note.target)
            except KeyError:
                continue
            derived = column.check_class(note.check)
            if note.deviation:
                kinds = {cause.id: cause.kind for cause in column.causes if cause.id}
                kind = kinds.get(note.deviation, "")
                # A failure no reading explains has no class of its own.
                derived = derived if kind == UNEXPLAINED else kind
            if derived and derived != note.kind:
                found.append((note.target, note.check, note.kind, derived))
        return found

    def stale_findings(self) -> list[tuple[str, str, str]]:
        """``(target, check, deviation ID)`` for every finding that names a
        deviation the target's report no longer has (a target without a
        report or a diagnosis is not judged).

        >>> cause = RootCause("If-Match ignored", "", ("X-1",), "bug", "IGNORED@If-Match")
        >>> column = Column("t", "T", "wsgi", statuses={"X-1": Status.FAILED}, causes=(cause,))
        >>> notes = (Deviation("t", "X-1", "", "", "bug", "IGNORED@If-Match"),
        ...          Deviation("t", "X-1", "", "", "bug", "LEN-9@If-Match"))
        >>> Matrix("0", 1, 5, "3.11", (), (column,), notes).stale_findings()
        [('t', 'X-1', 'LEN-9@If-Match')]
        """
        found = []
        for note in self.findings:
            if not note.deviation:
                continue
            try:
                column = self.column(note.target)
            except KeyError:
                continue
            ids = {cause.id for cause in column.causes if cause.id}
            if ids and note.deviation not in ids:
                found.append((note.target, note.check, note.deviation))
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "etagspec_version": self.version,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "python": self.python,
            "layers": self.layers,
            "parsers": self.parsers,
            "checks": [check.to_json() for check in self.checks],
            "targets": [column.to_json() for column in self.columns],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], findings: Sequence[Deviation] = ()) -> Matrix:
        return cls(
            version=str(data["etagspec_version"]),
            seed=int(data["seed"]),
            max_examples=int(data["max_examples"]),
            python=str(data["python"]),
            checks=tuple(MatrixCheck.from_json(check) for check in data["checks"]),
            columns=tuple(Column.from_json(column) for column in data["targets"]),
            findings=tuple(findings),
            layers=bool(data.get("layers", False)),
            parsers=bool(data.get("parsers", False)),
        )
