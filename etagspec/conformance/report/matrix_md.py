"""The campaign's matrix as GitHub-flavoured Markdown: ``README.md`` of the
reports directory (the same content as ``index.html``)."""

from __future__ import annotations

from etagspec.conformance.matrix_model import ATTENTION, Column, Matrix

from ._common import visible
from .markdown import SYMBOLS, md
from .matrix_html import (
    FEATURE_SYMBOLS,
    LAYERS_INTRO,
    NOT_ANALYSED,
    REGENERATE,
    cell_link,
    cell_symbol,
    classes_text,
    count_text,
    matrix_title,
    outcome_text,
    versions_text,
)

__all__ = ["render_matrix_markdown"]

_NONE = "—"
#: A failed or warned cell whose causes are all unsupported features.
UNSUPPORTED = "🚫"


def _prose(text: str) -> str:
    """Finding text as one line of Markdown: its `backquoted` parts as code
    spans, the rest escaped.

    >>> _prose("answers 412 to `If-Match: *` <here>")
    'answers 412 to `If-Match: *` \\\\<here\\\\>'
    """
    parts = " ".join(visible(text).split()).split("`")
    if len(parts) % 2 == 0:  # an unpaired backquote: all plain text
        return md(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f"`{part}`")
        else:  # md() trims; keep the spaces around the code spans
            lead = " " if part.startswith(" ") else ""
            trail = " " if part.endswith(" ") and part.strip() else ""
            out.append(lead + md(part) + trail)
    return "".join(out)


def _targets(matrix: Matrix) -> list[str]:
    lines = [
        f"## Targets ({len(matrix.columns)})",
        "",
        "| Target | What | Kind | Versions | Result |",
        "|---|---|---|---|---|",
    ]
    for column in matrix.columns:
        name = f"`{md(column.name)}`"
        if column.unavailable is None:
            name = f"[{name}]({column.name}/report.md)"
            result = md(outcome_text(column))
            if column.seed != matrix.seed or column.max_examples != matrix.max_examples:
                result += f" (seed {column.seed}, {column.max_examples} examples)"
        else:
            result = f"**{md(outcome_text(column))}**"
        lines.append(
            f"| {name} | {md(column.title)} | {md(column.kind)} | "
            f"{md(versions_text(column))} | {result} |"
        )
    return [*lines, ""]


def _cell(column: Column, check_id: str) -> str:
    status = column.status(check_id)
    if status is None:
        return _NONE
    symbol = cell_symbol(column, check_id, SYMBOLS, UNSUPPORTED)
    if status in ATTENTION:
        return f"[{symbol}]({cell_link(column, check_id)})"
    return symbol


def _matrix(matrix: Matrix) -> list[str]:
    names = " | ".join(md(column.name) for column in matrix.columns)
    lines = [
        f"## Checks × targets ({len(matrix.checks)} × {len(matrix.columns)})",
        "",
        f"| Check | Level | {names} |",
        "|---|---|" + "---|" * len(matrix.columns),
    ]
    for check in matrix.checks:
        cells = " | ".join(_cell(column, check.id) for column in matrix.columns)
        lines.append(f"| {md(check.id)} | {md(check.level)} | {cells} |")
    return [*lines, ""]


def _findings(matrix: Matrix) -> list[str]:
    lines = ["## What the targets do instead", ""]
    groups = matrix.by_target()
    if not groups:
        return [*lines, "Every check that applies passes on every target.", ""]
    for column, cells in groups:
        lines += [f"### `{md(column.name)}`: {md(column.title)}", ""]
        for cell in cells:
            does = _prose(cell.finding.does) if cell.finding else f"*{NOT_ANALYSED}*"
            kind = f" \\[{md(cell.finding.kind)}\\]" if cell.finding else ""
            lines.append(
                f"- {SYMBOLS[cell.status]} [{md(cell.check.id)}]"
                f"({cell_link(cell.column, cell.check.id)}) "
                f"({md(cell.check.level)}, {md(cell.check.rfc)}): {does}{kind}"
            )
        lines.append("")
    return lines


def _features(matrix: Matrix) -> list[str]:
    """The feature probes' table, features × targets."""
    names = matrix.feature_names
    if not names:
        return []
    ran = [column for column in matrix.columns if column.unavailable is None]
    lines = [
        "## Features: what each target evaluates",
        "",
        "From the feature probes each run opens with: ✓ evaluated · ∅ not evaluated · "
        "½ partly · ? cannot tell (no ETag, no Last-Modified or no Range to probe with).",
        "",
        "| Feature | " + " | ".join(md(column.name) for column in ran) + " |",
        "|---|" + "---|" * len(ran),
    ]
    for name in names:
        cells = " | ".join(
            FEATURE_SYMBOLS.get(column.features.get(name, ""), _NONE) for column in ran
        )
        lines.append(f"| {md(name)} | {cells} |")
    return [*lines, ""]


def _deviations(matrix: Matrix) -> list[str]:
    lines = [
        "## Distinct deviations per target",
        "",
        "| Target | Deviations | Lenient readings | Root causes |",
        "|---|---|---|---|",
    ]
    for column in matrix.columns:
        if column.unavailable is not None:
            continue
        causes = "<br>".join(
            (
                "🟦 "
                if cause.lenient
                else UNSUPPORTED + " "
                if cause.kind == "unsupported"
                else "❌ "
            )
            + md(cause.signature)
            + (f" ({md(cause.lenient)})" if cause.lenient else "")
            + (f" \\[{md(cause.kind)}\\]" if cause.kind and not cause.lenient else "")
            + f" · {md(', '.join(cause.checks))}"
            for cause in column.causes
        )
        lines.append(
            f"| [{md(column.name)}]({column.name}/report.md) | "
            f"{count_text(column.deviations)}"
            + (f": {md(classes_text(column))}" if classes_text(column) else "")
            + f" | {count_text(column.lenient_readings)} | "
            f"{causes or _NONE} |"
        )
    return [*lines, ""]


def render_matrix_markdown(matrix: Matrix) -> str:
    """The matrix as Markdown: versions and seed, the targets, the matrix
    of checks × targets (failed and warned cells link to the failure in the
    target's report.html), and one line per failing check saying what the
    target does instead.

    >>> from etagspec.conformance.matrix_model import Column, Matrix, MatrixCheck
    >>> from etagspec.conformance.model import Status
    >>> column = Column("t", "T", "wsgi", statuses={"X-1": Status.WARNED})
    >>> text = render_matrix_markdown(Matrix("0", 1, 5, "3.11",
    ...                               (MatrixCheck("X-1", "x", "SHOULD", "§1"),), (column,)))
    >>> "| X-1 | SHOULD | [⚠️](t/report.html#check-X-1) |" in text
    True
    """
    ran = sum(1 for column in matrix.columns if column.unavailable is None)
    lines = [
        f"# {matrix_title(matrix)}",
        "",
        f"etagspec {md(matrix.version)} · seed `{matrix.seed}` · "
        f"{matrix.max_examples} examples per property · Python {md(matrix.python)} · "
        f"{ran} of {len(matrix.columns)} targets run. HTML version: [index.html](index.html).",
        "",
        *_about(matrix),
        *_features(matrix),
        *_deviations(matrix),
        *_targets(matrix),
        *_matrix(matrix),
        *_findings(matrix),
    ]
    return "\n".join(lines)


def _about(matrix: Matrix) -> list[str]:
    """What the matrix checks, its symbols, and the other matrices."""
    if matrix.layers:
        return [
            _prose(LAYERS_INTRO),
            "",
            "✅ passed · ❌ a MUST not met · ⚠️ a SHOULD not met · 🟦 lenient (a reading the "
            "rule tolerates) · ⏭ skipped (does not apply) · — not run, or not a check of the "
            "layer's protocol (WSGI iterables and write(); ASGI messages). A failed, warned or "
            "lenient cell links to the finding in the layer's report. Regenerate with:",
            "",
            "```sh",
            REGENERATE,
            "```",
            "",
            "The apps and servers have their own matrix: [../README.md](../README.md).",
            "",
        ]
    return [
        "Each target is checked by the same harness against RFC 9110 §8.8 and §13 "
        "(and RFC 9111 Cache-Control): ✅ passed · ❌ a MUST not met · ⚠️ a SHOULD not "
        "met · 🚫 a MUST or SHOULD not met only because the target never evaluates the field "
        "(unsupported, from the feature probes) · "
        "🟦 lenient (a reading the catalogue permits for invalid input) · ⏭ skipped "
        "(does not apply) · — not run. A failed, warned or lenient cell links to the "
        "finding in the target's report. Regenerate with:",
        "",
        "```sh",
        REGENERATE,
        "```",
        "",
        "Conditional *layers* (middleware, decorators and response methods that answer "
        "304 / 412 for the app they wrap, checked with `etagspec check-layer` for "
        "laziness, closing and pass-through) have their own matrix: "
        "[layers/README.md](layers/README.md).",
        "",
        "Libraries' entity-tag and HTTP-date *parsers and formatters* (checked with "
        "`etagspec check-parser`) have theirs too: [parsers/README.md](parsers/README.md).",
        "",
    ]
