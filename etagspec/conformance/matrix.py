"""The campaign: run every target of ``targets.toml`` and publish the matrix.

``etagspec matrix conformance/targets.toml --out reports`` (:func:`run_matrix`)
runs the checks against each target in turn (apps and servers with the
exchange checks, layers with the layer checks, parsers with the parser
checks) and writes, under the output directory (a layer's under its
``layers/`` directory, a parser's under ``parsers/``):

* ``<target>/report.json``, ``report.html``, ``report.md``, ``junit.xml``
  (the one-target reports of :func:`~etagspec.conformance.report.write_reports`),
* ``matrix.json`` (the matrix, machine-readable), ``README.md`` and
  ``index.html`` (the matrix for people: targets × checks, versions, seed,
  and one line per failing check saying what the target does instead, from
  ``findings.toml``): one matrix of the apps and servers, one of the
  layers, from the same model and the same writers; and one of the parsers,
  the same model (``matrix.json``) with its own page (``README.md``: each
  finding confirmed by a direct call, :mod:`.parsers.matrix`), a parser's
  report being ``<name>.md`` and ``<name>.json``.

A target that cannot run (a missing server binary, an import error) is
shown as "unavailable: <cause>" and the campaign goes on. ``only`` reruns
some targets and merges them into the existing matrix, re-reading the other
targets' ``report.json``. Exit status: 0 when every target run did run and
the reference has no failed or warned check, 1 otherwise.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import importlib.metadata
import json
import os
import platform
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from .campaign import (
    LAYER_FOLDER,
    PARSER_FOLDER,
    Campaign,
    Deviation,
    InvalidCampaign,
    TargetEntry,
    load_campaign_findings,
)
from .matrix_model import (
    ATTENTION,
    NOT_RUN,
    REFERENCE,
    Column,
    Matrix,
    MatrixCheck,
    checks_of_report,
    column_from_report,
)
from .model import CheckInfo, KnownFinding, Report
from .parsers.report import ParserReport
from .targets import Target, TargetError, load_target

__all__ = ["MATRIX_FILES", "TargetRun", "package_versions", "run_matrix", "run_target"]

#: The matrix's own files in the output directory.
MATRIX_FILES = ("matrix.json", "README.md", "index.html")
#: The command that regenerates the parser matrix alone.
PARSER_COMMAND = "etagspec matrix conformance/targets.toml --out reports --kind parser"


@dataclass(frozen=True, slots=True)
class TargetRun:
    """One target's run: its report, or why there is none."""

    entry: TargetEntry
    report: Report | ParserReport | None
    versions: tuple[tuple[str, str], ...]
    unavailable: str | None = None
    seconds: float = 0.0


def package_versions(packages: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``(distribution, version)`` for each installed distribution.

    >>> package_versions(["etagspec", "no-such-distribution-here"])[1]
    ('no-such-distribution-here', 'not installed')
    """
    found = []
    for package in packages:
        try:
            found.append((package, importlib.metadata.version(package)))
        except importlib.metadata.PackageNotFoundError:
            found.append((package, "not installed"))
    return tuple(found)


@contextlib.contextmanager
def _importable(directory: Path) -> Iterator[None]:
    """``directory`` first on ``sys.path`` for the duration of the block."""
    entry = str(directory.resolve())
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)


def _load_app(entry: TargetEntry, campaign: Campaign) -> Target:
    assert entry.app is not None
    with _importable(campaign.apps):
        return load_target(entry.app, name=entry.name, kind=entry.kind)


def _run(target: Target, entry: TargetEntry, *, max_examples: int, seed: int) -> Report:
    from .runner import run_checks

    return run_checks(
        target, entry.paths, unsafe_paths=entry.unsafe, max_examples=max_examples, seed=seed
    )


def _run_layer(entry: TargetEntry, campaign: Campaign, *, max_examples: int, seed: int) -> Report:
    """The layer checks through a layer target, its adapters' directory
    importable for the whole run."""
    from .layers.loading import load_layer
    from .layers.runner import check_layer

    assert entry.wrap is not None
    with _importable(campaign.layers):
        target = load_layer(entry.wrap, name=entry.name, asgi=entry.protocol == "asgi")
        target.spec = entry.wrap
        return check_layer(target, max_examples=max_examples, seed=seed)


def _run_parser(entry: TargetEntry, *, max_examples: int, seed: int) -> ParserReport:
    """The parser checks on a parser target's adapter."""
    from .parsers.adapter import load_adapter
    from .parsers.runner import check_parser

    assert entry.adapter is not None
    return check_parser(load_adapter(entry.adapter), seed=seed, max_examples=max_examples)


def shown_kind(entry: TargetEntry) -> str:
    """The kind a matrix names: a layer's with its protocol.

    >>> shown_kind(TargetEntry("l", "L", "layer", (), wrap="m:w", protocol="asgi"))
    'asgi layer'
    """
    return f"{entry.protocol} layer" if entry.kind == "layer" else entry.kind


def run_target(
    entry: TargetEntry, campaign: Campaign, *, max_examples: int, seed: int
) -> TargetRun:
    """Run the checks against one target; never raises for a target that
    cannot run (that is recorded as ``unavailable``)."""
    from .servers import running_server

    started = time.monotonic()
    versions = package_versions(entry.packages)
    report: Report | ParserReport
    try:
        if entry.kind == "server":
            assert entry.server is not None
            with running_server(
                entry.server,
                docroot=campaign.static,
                templates=campaign.servers,
                binary=entry.binary,
            ) as server:
                versions += ((server.product, server.version),)
                target = load_target(server.base_url, name=entry.name, kind="url")
                report = _run(target, entry, max_examples=max_examples, seed=seed)
        elif entry.kind == "layer":
            report = _run_layer(entry, campaign, max_examples=max_examples, seed=seed)
        elif entry.kind == "parser":
            report = _run_parser(entry, max_examples=max_examples, seed=seed)
        else:
            target = _load_app(entry, campaign)
            report = _run(target, entry, max_examples=max_examples, seed=seed)
    except TargetError as error:
        return TargetRun(entry, None, versions, str(error), time.monotonic() - started)
    except Exception as error:  # an app that cannot even be imported, ...
        cause = f"{type(error).__name__}: {error}"
        return TargetRun(entry, None, versions, cause, time.monotonic() - started)
    return TargetRun(entry, report, versions, None, time.monotonic() - started)


def _report_files(entry: TargetEntry, out: Path) -> list[Path]:
    """Where a target's reports are, under its matrix's folder ``out``:
    ``<name>/report.json`` and the rest, for a parser ``<name>.json`` and
    ``<name>.md``; the JSON document first."""
    if entry.kind == "parser":
        return [out / f"{entry.name}.json", out / f"{entry.name}.md"]
    from .report import REPORT_FILES

    names = sorted(
        (name for name, _render in REPORT_FILES.values()), key=lambda n: n != "report.json"
    )
    return [out / entry.name / name for name in names]


def _write_reports(entry: TargetEntry, report: Report | ParserReport, out: Path) -> None:
    """Write a target's reports into its matrix's folder ``out``."""
    if isinstance(report, ParserReport):
        from .parsers.report import render_markdown
        from .report import write_atomically

        json_file, markdown_file = _report_files(entry, out)
        out.mkdir(parents=True, exist_ok=True)
        write_atomically(json_file, report.to_json_text())
        write_atomically(markdown_file, render_markdown(report))
        return
    from .report import write_reports

    write_reports(report, out / entry.name)


def _remove_reports(entry: TargetEntry, out: Path) -> None:
    """Delete a target's stale report files (it could not run this time)."""
    for path in _report_files(entry, out):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    if entry.kind != "parser":
        with contextlib.suppress(OSError):
            (out / entry.name).rmdir()


def _previous_column(
    entry: TargetEntry, out: Path, earlier: dict[str, Column]
) -> tuple[Column, dict[str, Any] | None]:
    """A target not rerun: its committed report.json, with the versions the
    earlier matrix.json names; or why there is none. Also the report.json
    document the column was read from (None when it was not)."""
    before = earlier.get(entry.name)
    report_file = _report_files(entry, out)[0]
    if not report_file.exists():
        if before is not None and before.unavailable is not None:
            return before, None
        return Column(entry.name, entry.title, shown_kind(entry), unavailable=NOT_RUN), None
    try:
        data = json.loads(report_file.read_text(encoding="utf-8"))
        versions = before.versions if before else ()
        column = _column(entry, data, versions)
    except (ValueError, KeyError, TypeError) as error:
        cause = f"{report_file} cannot be read: {type(error).__name__}: {error}"
        return Column(entry.name, entry.title, shown_kind(entry), unavailable=cause), None
    return column, data


def _column(
    entry: TargetEntry, data: Mapping[str, Any], versions: Sequence[tuple[str, str]]
) -> Column:
    """A target's column from its report's JSON document."""
    if entry.kind == "parser":
        from .parsers.matrix import column_from_parser_report

        return column_from_parser_report(
            data, name=entry.name, title=entry.title, versions=versions
        )
    return column_from_report(data, title=entry.title, kind=shown_kind(entry), versions=versions)


def _earlier_columns(out: Path) -> dict[str, Column]:
    try:
        data = json.loads((out / "matrix.json").read_text(encoding="utf-8"))
        return {column.name: column for column in Matrix.from_json(data).columns}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _catalogue(folder: str) -> list[CheckInfo]:
    """The checks of the targets whose matrix is in ``folder``: the layer
    checks for the layers, the parser checks for the parsers, the exchange
    checks for the rest."""
    if folder == LAYER_FOLDER:
        from .layers.checks import layer_checks

        return [check.info for check in layer_checks()]
    if folder == PARSER_FOLDER:
        from .parsers.checks import parser_checks

        return [check.info for check in parser_checks()]
    from .catalogue import registered_checks

    return [item.info for item in registered_checks()]


def _rows(folder: str, reports: Sequence[dict[str, Any]]) -> tuple[MatrixCheck, ...]:
    """The catalogue's checks in its order, then any other check one of the
    ``report.json`` documents names."""
    rows = {
        info.id: MatrixCheck(info.id, info.title, info.level.value, info.rfc)
        for info in _catalogue(folder)
    }
    for data in reports:
        for check in checks_of_report(data):
            rows.setdefault(check.id, check)
    return tuple(rows.values())


def write_matrix(matrix: Matrix, out: Path) -> list[Path]:
    """Write ``matrix.json``, ``README.md`` and ``index.html`` into ``out``."""
    from .report import write_atomically
    from .report.matrix_html import render_matrix_html
    from .report.matrix_md import render_matrix_markdown

    out.mkdir(parents=True, exist_ok=True)
    texts = {
        "matrix.json": json.dumps(matrix.to_json(), indent=2, ensure_ascii=True) + "\n",
        "README.md": render_matrix_markdown(matrix),
        "index.html": render_matrix_html(matrix),
    }
    written = []
    for name in MATRIX_FILES:
        write_atomically(out / name, texts[name])
        written.append(out / name)
    return written


def _say(err: TextIO, text: str) -> None:
    from .._display import visible  # a target's text, one line, nothing raw

    err.write(f"matrix: {visible(text)}\n")
    err.flush()


def _outcome(run: TargetRun) -> str:
    from .report._common import summary_line

    if run.report is None:
        return f"unavailable: {run.unavailable}"
    return f"{summary_line(run.report.summary)} in {run.seconds:.1f} s"


def run_matrix(
    campaign: Campaign,
    out: str | os.PathLike[str],
    *,
    only: Sequence[str] = (),
    kinds: Sequence[str] = (),
    max_examples: int | None = None,
    seed: int | None = None,
    err: TextIO | None = None,
    jobs: int = 1,
) -> int:
    """Run the campaign's targets (or those in ``only``, or those of the
    ``kinds`` given), write their reports and the matrices of their folders
    into ``out``, and return the exit status (0: every target ran, the
    reference has no failed or warned check and a direct call confirms
    every parser finding; 1: not). With ``jobs`` above 1, that many
    processes run targets at once; the reports and the matrix are the same
    as from one process."""
    err = err or sys.stderr
    folder = Path(out)
    unknown = sorted(set(only) - set(campaign.names))
    if unknown:
        raise InvalidCampaign(
            f"--only: no target named {', '.join(map(repr, unknown))} in {campaign.source}",
            unknown,
        )
    check_ids = {info.id for sub in ("", LAYER_FOLDER) for info in _catalogue(sub)}
    findings = load_campaign_findings(campaign, check_ids)
    check_ids |= {info.id for info in _catalogue(PARSER_FOLDER)}
    chosen = [
        entry
        for entry in campaign.targets
        if (not only or entry.name in only) and (not kinds or entry.kind in kinds)
    ]
    merge = bool(only or kinds)  # the other targets are kept from ``out``
    max_examples = campaign.max_examples if max_examples is None else max_examples
    seed = campaign.seed if seed is None else seed
    runs: list[TargetRun] = []
    started = _start_in_processes(chosen, campaign, jobs, max_examples=max_examples, seed=seed)
    for index, entry in enumerate(chosen, 1):
        what = entry.app or entry.wrap or entry.adapter or f"{entry.server} server"
        _say(err, f"[{index}/{len(chosen)}] {entry.name} ({shown_kind(entry)}: {what}) ...")
        if started is None:
            run = run_target(entry, campaign, max_examples=max_examples, seed=seed)
        else:
            run = started[index - 1].result()
        if isinstance(run.report, Report):
            run = dataclasses.replace(run, report=_with_findings(run.report, findings))
        if run.report is not None:
            _write_reports(entry, run.report, folder / entry.folder)
        else:
            _remove_reports(entry, folder / entry.folder)
        runs.append(run)
        _say(err, f"[{index}/{len(chosen)}] {entry.name}: {_outcome(run)}")
    matrices = []
    status = 0
    ran_in = {entry.folder for entry in chosen}
    for sub in campaign.folders:
        if merge and sub not in ran_in:
            continue  # nothing of this folder ran: its matrix stays as it is
        matrix, documents = _matrix(
            campaign.in_folder(sub),
            folder / sub,
            {run.entry.name: run for run in runs if run.entry.folder == sub},
            findings,
            merge=merge,
            seed=seed,
            max_examples=max_examples,
            layers=sub == LAYER_FOLDER,
        )
        if sub == PARSER_FOLDER:
            written, missing = _write_parser_matrix(matrix, documents, campaign, folder / sub)
            if missing:
                _say(err, f"error: {missing} parser finding(s) no direct call confirms")
                status = 1
        else:
            written = write_matrix(matrix, folder / sub)
        _say(err, "wrote " + ", ".join(str(path) for path in written))
        matrices.append(matrix)
    return max(status, _exit_status(matrices, runs, campaign, err))


def _write_parser_matrix(
    matrix: Matrix,
    documents: Mapping[str, Mapping[str, Any]],
    campaign: Campaign,
    out: Path,
) -> tuple[list[Path], int]:
    """Write the parser matrix (``matrix.json``, and ``README.md``, whose
    findings are each joined with the campaign's direct call), and say how
    many findings none confirms."""
    from .parsers.matrix import confirm, matrix_markdown, unconfirmed
    from .report import write_atomically

    confirmed = confirm(campaign.confirm) if campaign.confirm is not None else {}
    notes = [f"* {note}" for note in campaign.parser_notes]
    page = matrix_markdown(matrix, documents, confirmed, notes=notes, command=PARSER_COMMAND)
    out.mkdir(parents=True, exist_ok=True)
    texts = {
        "matrix.json": json.dumps(matrix.to_json(), indent=2, ensure_ascii=True) + "\n",
        "README.md": page.replace("\n\n\n", "\n\n"),
    }
    for name, text in texts.items():
        write_atomically(out / name, text)
    return [out / name for name in texts], unconfirmed(page)


def _matrix(
    entries: Sequence[TargetEntry],
    folder: Path,
    runs: Mapping[str, TargetRun],
    findings: Sequence[Deviation],
    *,
    merge: bool,
    seed: int,
    max_examples: int,
    layers: bool,
) -> tuple[Matrix, dict[str, dict[str, Any]]]:
    """The matrix of ``entries``, whose reports are in ``folder``: a target
    run now from its run (``runs``, by name), the others (with ``merge``) from their earlier
    report.json; and the report JSON document of each column that has one,
    by target name."""
    earlier = _earlier_columns(folder) if merge else {}
    columns: list[Column] = []
    documents: dict[str, dict[str, Any]] = {}
    for entry in entries:
        run_now = runs.get(entry.name)
        data: dict[str, Any] | None = None
        if run_now is None:
            column, data = _previous_column(entry, folder, earlier)
        elif run_now.report is None:
            column = Column(
                entry.name,
                entry.title,
                shown_kind(entry),
                versions=run_now.versions,
                unavailable=run_now.unavailable,
            )
        else:
            report = run_now.report
            data = (
                report.to_json()
                if isinstance(report, ParserReport)
                else report.to_json(include_run=False)
            )
            column = _column(entry, data, run_now.versions)
        columns.append(column)
        if data is not None:
            documents[entry.name] = data
    sub = entries[0].folder if entries else ""
    rows = _rows(sub, list(documents.values()))
    names, ids = {entry.name for entry in entries}, {row.id for row in rows}
    return Matrix(
        version=__version__,
        seed=seed,
        max_examples=max_examples,
        python=platform.python_version(),
        checks=rows,
        columns=tuple(columns),
        findings=tuple(f for f in findings if f.target in names and f.check in ids),
        layers=layers,
        parsers=sub == PARSER_FOLDER,
    ), documents


def _start_in_processes(
    chosen: Sequence[TargetEntry], campaign: Campaign, jobs: int, *, max_examples: int, seed: int
) -> list[concurrent.futures.Future[TargetRun]] | None:
    """``run_target`` of every entry submitted to ``jobs`` processes (their
    results in the entries' order), or None when one process does it all.
    The pool shuts down once every run is done."""
    if jobs <= 1 or len(chosen) <= 1:
        return None
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(chosen)))
    futures = [
        pool.submit(run_target, entry, campaign, max_examples=max_examples, seed=seed)
        for entry in chosen
    ]
    pool.shutdown(wait=False)  # the submitted runs still finish
    return futures


def _with_findings(report: Report, findings: Sequence[Deviation]) -> Report:
    """The report with the confirmed lines about its target's failed, warned
    and lenient checks, so that the target's own report shows them."""
    shown = {r.check.id for r in report.results if r.status in ATTENTION}
    known = tuple(
        KnownFinding(f.check, f.kind, f.does)
        for f in findings
        if f.target == report.target.name and f.check in shown
    )
    return dataclasses.replace(report, findings=known)


def _exit_status(
    matrices: Sequence[Matrix], runs: Sequence[TargetRun], campaign: Campaign, err: TextIO
) -> int:
    status = 0
    for run in runs:
        if run.report is None:
            _say(err, f"error: {run.entry.name} could not run: {run.unavailable}")
            status = 1
    ran = {run.entry.name for run in runs}
    if any(run.entry.name == REFERENCE and run.report is not None for run in runs):
        bad = [
            cell.check.id
            for matrix in matrices
            for cell in matrix.cells(ATTENTION)
            if cell.column.name == REFERENCE
        ]
        if bad:
            _say(err, f"error: the reference does not pass: {', '.join(bad)}")
            status = 1
    disagree = [row for matrix in matrices for row in matrix.class_disagreements() if row[0] in ran]
    sources = ", ".join(map(str, campaign.findings))
    if disagree:
        _say(
            err,
            f"note: {len(disagree)} finding(s) in {sources} with another class "
            "than the harness derived: "
            + ", ".join(
                f"{t} {c} ({noted}, derived {derived})" for t, c, noted, derived in disagree[:8]
            )
            + (" ..." if len(disagree) > 8 else ""),
        )
    stale = [row for matrix in matrices for row in matrix.stale_findings() if row[0] in ran]
    if stale:
        _say(
            err,
            f"note: {len(stale)} finding(s) in {sources} name a deviation the "
            "report no longer has: "
            + ", ".join(f"{t} {c} ({deviation})" for t, c, deviation in stale[:8])
            + (" ..." if len(stale) > 8 else ""),
        )
    missing = [  # a parser's findings are confirmed by direct calls instead
        pair
        for matrix in matrices
        if not matrix.parsers
        for pair in matrix.unanalysed()
        if pair[0] in ran
    ]
    if missing:
        _say(
            err,
            f"note: {len(missing)} failed or warned check(s) have no finding in "
            f"{sources}: "
            + ", ".join(f"{target} {check}" for target, check in missing[:8])
            + (" ..." if len(missing) > 8 else ""),
        )
    return status
