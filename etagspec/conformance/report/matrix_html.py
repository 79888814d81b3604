"""The campaign's matrix as one self-contained HTML page: ``index.html``.

Same look, same safety as ``report.html`` (its stylesheet, no scripts, a
Content-Security-Policy, every value escaped): the targets with their
versions, the matrix of checks × targets whose failed and warned cells link
to the check's section in that target's ``report.html``, and for each such
cell one line saying what the target does instead (from ``findings.toml``).
"""

from __future__ import annotations

from urllib.parse import quote

from etagspec.conformance.matrix_model import ATTENTION, NOT_RUN, Cell, Column, Matrix, MatrixCheck
from etagspec.conformance.model import RootCause, Status

from ._common import plural, summary_line
from .html import ANCHOR_UNSAFE, BADGES, CSS, esc, page

__all__ = [
    "FEATURE_SYMBOLS",
    "LAYERS_INTRO",
    "NOT_ANALYSED",
    "REGENERATE",
    "SYMBOLS",
    "UNSUPPORTED_SYMBOL",
    "cell_link",
    "cell_symbol",
    "classes_text",
    "count_text",
    "matrix_title",
    "outcome_text",
    "render_matrix_html",
]

#: How a cell without a finding is shown.
NOT_ANALYSED = "(not yet analysed)"
#: The command that regenerates the reports.
REGENERATE = "make reports  # = etagspec matrix conformance/targets.toml --out reports"
#: What the layer matrix checks.
LAYERS_INTRO = (
    "Conditional WSGI and ASGI layers (a middleware, decorator or response method that "
    "answers 304 / 412 for the app it wraps) checked with `etagspec check-layer` for "
    "laziness, closing and pass-through: handler behaviours drawn by "
    "`etagspec.strategies.handler_behaviours()` (as ASGI apps for an ASGI layer) run "
    "through each layer in-process. The layer checks are described in docs/SPEC.md "
    "(harness rules, LAYER-*); every finding is reproduced without the harness by "
    "`conformance/layers/confirm.py`."
)
#: One character per verdict in the matrix.
SYMBOLS: dict[Status, str] = {
    Status.PASSED: "✓",
    Status.FAILED: "✗",
    Status.WARNED: "!",
    Status.LENIENT: "~",
    Status.SKIPPED: "–",
}
#: A failed or warned cell whose every cause is a field the target never
#: evaluates (the diagnosis's class ``unsupported``).
UNSUPPORTED_SYMBOL = "∅"

_MATRIX_CSS = """
table.matrix { width: auto; }
table.matrix th.target { writing-mode: vertical-rl; transform: rotate(180deg);
  white-space: nowrap; padding: .5rem .2rem; text-transform: none; letter-spacing: 0; }
table.matrix td.cell { text-align: center; padding: .2rem .35rem; font-weight: 700; }
table.matrix td.cell a { text-decoration: none; color: inherit; display: block; }
td.cell.passed { color: var(--passed); } td.cell.failed { color: #fff; background: var(--failed); }
td.cell.warned { color: #fff; background: var(--warned); }
td.cell.lenient { color: #fff; background: var(--lenient); }
td.cell.unsupported { color: var(--failed); background: var(--panel); }
tr:hover td.cell.lenient { background: var(--lenient); }
ul.causes { margin: .25rem 0 .75rem; padding-left: 1.25rem; }
td.cell.skipped { color: var(--skipped); } td.cell.none { color: var(--muted); }
tr:hover td { background-color: var(--panel); }
tr:hover td.cell.failed { background: var(--failed); }
tr:hover td.cell.warned { background: var(--warned); }
ul.cells { list-style: none; padding: 0; margin: .25rem 0 1rem; }
ul.cells li { margin: .35rem 0; }
.unavailable { color: var(--failed); }
td.links { white-space: nowrap; }
details { margin: .15rem 0 0 1.5rem; color: var(--muted); font-size: .9rem; }
"""


def _prose(text: str) -> str:
    """Finding text as HTML: its `backquoted` parts as ``<code>``.

    >>> _prose("answers 412 to `If-Match: *` <here>")
    'answers 412 to <code>If-Match: *</code> &lt;here&gt;'
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backquote: all plain text
        return esc(text)
    return "".join(
        f"<code>{esc(part)}</code>" if index % 2 else esc(part) for index, part in enumerate(parts)
    )


def cell_link(column: Column, check_id: str) -> str:
    """Where a cell links to: the check's section of the target's report.html.

    >>> cell_link(Column("flask-view", "Flask", "wsgi"), "COND-IM-4a")
    'flask-view/report.html#check-COND-IM-4a'
    """
    return f"{quote(column.name)}/report.html#check-{ANCHOR_UNSAFE.sub('-', check_id)}"


def cell_symbol(column: Column, check_id: str, symbols: dict[Status, str], unsupported: str) -> str:
    """The cell's symbol: the status's, or ``unsupported``'s for a failed or
    warned check whose causes are all unsupported features.

    >>> column = Column("t", "T", "wsgi", statuses={"X-1": Status.FAILED},
    ...                 classes={"X-1": "unsupported"})
    >>> cell_symbol(column, "X-1", SYMBOLS, UNSUPPORTED_SYMBOL)
    '∅'
    """
    status = column.status(check_id)
    assert status is not None
    if status in (Status.FAILED, Status.WARNED) and column.check_class(check_id) == "unsupported":
        return unsupported
    return symbols[status]


def classes_text(column: Column) -> str:
    """``"1 bug, 3 unsupported, 0 server duty"`` from the diagnosis's
    classes ("" for a column without them)."""
    if not any(cause.kind for cause in column.causes):
        return ""
    bugs = len(column.of_class("bug"))
    return (
        f"{plural(bugs, 'bug')}, {len(column.of_class('unsupported'))} unsupported, "
        f"{len(column.of_class('server-duty'))} server duty"
    )


def outcome_text(column: Column) -> str:
    """``"30 passed, 2 failed, 1 warned, 2 skipped"`` or ``"unavailable: <cause>"``.

    >>> outcome_text(Column("nginx", "nginx", "server", unavailable="'nginx' not found"))
    "unavailable: 'nginx' not found"
    """
    if column.unavailable == NOT_RUN:
        return f"{NOT_RUN} (run without --only)"
    if column.unavailable is not None:
        return f"unavailable: {column.unavailable}"
    classes = classes_text(column)
    return summary_line(column.summary) + (f"; deviations: {classes}" if classes else "")


def versions_text(column: Column) -> str:
    """``"Flask 3.1.3, Werkzeug 3.1.9"``."""
    return ", ".join(f"{name} {version}" for name, version in column.versions) or "—"


def matrix_title(matrix: Matrix) -> str:
    """The page's title: the conformance matrix, or the layer matrix."""
    return "etagspec layer matrix" if matrix.layers else "etagspec conformance matrix"


def _header(matrix: Matrix) -> list[str]:
    ran = sum(1 for column in matrix.columns if column.unavailable is None)
    if matrix.layers:
        others = [("Apps and servers", '<a href="../index.html">the conformance matrix</a>')]
        about = (
            f"{_prose(LAYERS_INTRO)} ✓ passed · ✗ a MUST not met · ! a SHOULD not met · "
            "~ lenient (a reading the rule tolerates) · – skipped (does not apply) · "
            "· not a check of the layer's protocol · a failed, warned or lenient cell links "
            "to the finding in the layer's report."
        )
    else:
        others = [
            ("Layers", '<a href="layers/index.html">the conditional-layer matrix</a>'),
            ("Parsers", '<a href="parsers/README.md">the parser and formatter matrix</a>'),
        ]
        about = (
            "Each target is checked by the same harness against RFC 9110 §8.8 "
            "and §13 (and RFC 9111 Cache-Control). ✓ passed · ✗ a MUST not met · ! a SHOULD "
            "not met · ∅ a MUST or SHOULD not met only because the target never evaluates the "
            "field (unsupported, from the feature probes) · "
            "~ lenient (a reading the catalogue permits for invalid input) · "
            "– skipped (does not apply) · a failed, warned or lenient cell links to the "
            "finding in the target's report."
        )
    meta = [
        ("etagspec", esc(matrix.version)),
        ("Seed", f"<code>{matrix.seed}</code>"),
        ("Examples", f"{matrix.max_examples} per property"),
        ("Python", esc(matrix.python)),
        ("Targets", f"{ran} run of {len(matrix.columns)}"),
        ("Regenerate", f"<code>{esc(REGENERATE)}</code>"),
        *others,
    ]
    return [
        "<header>",
        f"<h1>{esc(matrix_title(matrix))}</h1>",
        '<dl class="meta">',
        *(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in meta),
        "</dl>",
        f'<p class="note">{about}</p>',
        "</header>",
    ]


#: One character per support in the matrix's feature table.
FEATURE_SYMBOLS: dict[str, str] = {
    "evaluated": "✓",
    "not evaluated": "∅",
    "partly": "½",
    "cannot tell": "?",
}


def _features(matrix: Matrix) -> list[str]:
    """What leads the page: the feature probes' table, features × targets."""
    names = matrix.feature_names
    if not names:
        return []
    ran = [column for column in matrix.columns if column.unavailable is None]
    heads = "".join(f'<th class="target">{esc(column.name)}</th>' for column in ran)
    lines = [
        '<section id="features">',
        "<h2>Features: what each target evaluates</h2>",
        '<p class="note">From the feature probes each run opens with: ✓ evaluated · '
        "∅ not evaluated · ½ partly · ? cannot tell (no ETag, no Last-Modified or no "
        "Range to probe with).</p>",
        '<div class="table-wrap"><table class="matrix">',
        f"<thead><tr><th>Feature</th>{heads}</tr></thead>",
        "<tbody>",
    ]
    for name in names:
        cells = "".join(
            f'<td class="cell" title="{esc(column.name)}: '
            f'{esc(column.features.get(name, "not probed"))}">'
            f"{FEATURE_SYMBOLS.get(column.features.get(name, ''), '·')}</td>"
            for column in ran
        )
        lines.append(f"<tr><td>{esc(name)}</td>{cells}</tr>")
    lines += ["</tbody>", "</table></div>", "</section>"]
    return lines


def _deviations(matrix: Matrix) -> list[str]:
    """What leads the page: per target, its distinct deviations and lenient
    readings (root causes), each with the checks that met it."""
    lines = [
        '<section id="deviations">',
        "<h2>Distinct deviations per target</h2>",
        '<div class="table-wrap"><table>',
        "<thead><tr><th>Target</th><th>Deviations</th><th>Lenient readings</th>"
        "<th>Root causes</th></tr></thead>",
        "<tbody>",
    ]
    for column in matrix.columns:
        if column.unavailable is not None:
            continue
        items = [
            f"<li>{_cause_symbol(cause)} {esc(cause.signature)}"
            + (f" ({esc(cause.lenient)})" if cause.lenient else "")
            + (f" [{esc(cause.kind)}]" if cause.kind and not cause.lenient else "")
            + f' <span class="note">{esc(", ".join(cause.checks))}</span></li>'
            for cause in column.causes
        ]
        causes = f'<ul class="causes">{"".join(items)}</ul>' if items else "—"
        lines.append(
            f'<tr><td class="id"><a href="#target-{esc(column.name)}"><code>'
            f"{esc(column.name)}</code></a></td>"
            f'<td class="num">{esc(count_text(column.deviations))}'
            f'<div class="note">{esc(classes_text(column))}</div></td>'
            f'<td class="num">{esc(count_text(column.lenient_readings))}</td>'
            f"<td>{causes}</td></tr>"
        )
    lines += ["</tbody>", "</table></div>", "</section>"]
    return lines


def _cause_symbol(cause: RootCause) -> str:
    if cause.lenient:
        return "~"
    return UNSUPPORTED_SYMBOL if cause.kind == "unsupported" else "✗"


def count_text(causes: tuple[RootCause, ...]) -> str:
    """``"3 (7 checks)"``: how many root causes, and how many checks they fail.

    >>> count_text((RootCause("a", "", ("X-1", "X-2")), RootCause("b", "", ("X-2",))))
    '2 (2 checks)'
    """
    checks = {check for cause in causes for check in cause.checks}
    return f"{len(causes)} ({plural(len(checks), 'check')})"


def _targets(matrix: Matrix) -> list[str]:
    lines = [
        '<section id="targets">',
        f"<h2>Targets ({len(matrix.columns)})</h2>",
        '<div class="table-wrap"><table>',
        "<thead><tr><th>Target</th><th>What</th><th>Kind</th><th>Versions</th>"
        "<th>Result</th><th>Reports</th></tr></thead>",
        "<tbody>",
    ]
    for column in matrix.columns:
        name = f"<code>{esc(column.name)}</code>"
        if column.unavailable is None:
            base = quote(column.name)
            reports = " · ".join(
                f'<a href="{base}/{file}">{label}</a>'
                for file, label in (
                    ("report.html", "html"),
                    ("report.md", "md"),
                    ("report.json", "json"),
                    ("junit.xml", "junit"),
                )
            )
            name = f'<a href="{base}/report.html">{name}</a>'
            result = esc(outcome_text(column))
            if column.seed != matrix.seed or column.max_examples != matrix.max_examples:
                result += (
                    f'<div class="note">seed {column.seed}, {column.max_examples} examples</div>'
                )
        else:
            reports = "—"
            result = f'<span class="unavailable">{esc(outcome_text(column))}</span>'
        lines.append(
            f'<tr id="target-{esc(column.name)}"><td class="id">{name}</td>'
            f"<td>{esc(column.title)}</td><td>{esc(column.kind)}</td>"
            f"<td>{esc(versions_text(column))}</td><td>{result}</td>"
            f'<td class="links">{reports}</td></tr>'
        )
    lines += ["</tbody>", "</table></div>", "</section>"]
    return lines


def _cell(matrix: Matrix, column: Column, check: MatrixCheck) -> str:
    status = column.status(check.id)
    data = f'data-target="{esc(column.name)}" data-check="{esc(check.id)}"'
    if status is None:
        why = column.unavailable or "not run"
        return f'<td class="cell none" {data} data-status="none" title="{esc(why)}">·</td>'
    symbol = cell_symbol(column, check.id, SYMBOLS, UNSUPPORTED_SYMBOL)
    css = "unsupported" if symbol == UNSUPPORTED_SYMBOL else status.value
    label = f"{column.name} {check.id}: {status.value}"
    if css == "unsupported":
        label += " (unsupported)"
    if status in ATTENTION:
        finding = matrix.finding(column.name, check.id)
        label += f" — {finding.does if finding else NOT_ANALYSED}"
        symbol = f'<a href="{esc(cell_link(column, check.id))}">{symbol}</a>'
    return (
        f'<td class="cell {css}" {data} data-status="{status.value}" '
        f'title="{esc(label)}">{symbol}</td>'
    )


def _matrix(matrix: Matrix) -> list[str]:
    heads = "".join(
        f'<th class="target" title="{esc(column.title)}">{esc(column.name)}</th>'
        for column in matrix.columns
    )
    lines = [
        '<section id="matrix">',
        f"<h2>Checks × targets ({len(matrix.checks)} × {len(matrix.columns)})</h2>",
        '<div class="table-wrap"><table class="matrix">',
        f"<thead><tr><th>Check</th><th>Level</th>{heads}</tr></thead>",
        "<tbody>",
    ]
    for check in matrix.checks:
        cells = "".join(_cell(matrix, column, check) for column in matrix.columns)
        lines.append(
            f'<tr><td class="id"><code title="{esc(check.title)} ({esc(check.rfc)})">'
            f"{esc(check.id)}</code></td><td>{esc(check.level)}</td>{cells}</tr>"
        )
    lines += ["</tbody>", "</table></div>", "</section>"]
    return lines


def _finding_item(cell: Cell) -> list[str]:
    link = esc(cell_link(cell.column, cell.check.id))
    does = _prose(cell.finding.does) if cell.finding else f'<em class="note">{NOT_ANALYSED}</em>'
    if cell.finding:
        does += f' <span class="note">[{esc(cell.finding.kind)}]</span>'
    lines = [
        f'<li><span class="badge {cell.status.value}">{BADGES[cell.status]}</span> '
        f'<a href="{link}"><code>{esc(cell.check.id)}</code></a> '
        f"({esc(cell.check.level)}, {esc(cell.check.rfc)}): {does}"
    ]
    if cell.finding:
        lines.append(
            f"<details><summary>evidence</summary>{_prose(cell.finding.evidence)}</details>"
        )
    lines.append("</li>")
    return lines


def _findings(matrix: Matrix) -> list[str]:
    groups = matrix.by_target()
    lines = ['<section id="findings">', "<h2>What the targets do instead</h2>"]
    if not groups:
        return [*lines, "<p>Every check that applies passes on every target.</p>", "</section>"]
    for column, cells in groups:
        lines += [
            f'<h3 id="findings-{esc(column.name)}"><code>{esc(column.name)}</code> '
            f"{esc(column.title)}</h3>",
            '<ul class="cells">',
        ]
        for cell in cells:
            lines += _finding_item(cell)
        lines.append("</ul>")
    lines.append("</section>")
    return lines


def render_matrix_html(matrix: Matrix) -> str:
    """The matrix as one self-contained HTML5 page.

    >>> from etagspec.conformance.matrix_model import Column, Matrix, MatrixCheck
    >>> column = Column("t", "T", "wsgi", statuses={"X-1": Status.FAILED})
    >>> row = MatrixCheck("X-1", "x", "MUST", "§1")
    >>> page = render_matrix_html(Matrix("0", 1, 5, "3.11", (row,), (column,)))
    >>> 'href="t/report.html#check-X-1"' in page, NOT_ANALYSED in page
    (True, True)
    """
    return page(
        matrix_title(matrix),
        matrix.version,
        CSS + _MATRIX_CSS,
        [
            *_header(matrix),
            "<main>",
            *_features(matrix),
            *_deviations(matrix),
            *_targets(matrix),
            *_matrix(matrix),
            *_findings(matrix),
            "</main>",
            f"<footer><p>Generated by etagspec {esc(matrix.version)}.</p></footer>",
        ],
    )
