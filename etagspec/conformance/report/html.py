"""The report as one self-contained HTML page: ``report.html``.

No external resources and no JavaScript: the styles are inline, the
"hide passed / hide skipped" filters are plain CSS, and a
Content-Security-Policy forbids scripts altogether, so a hostile value that
somehow escaped escaping still could not run. Everything that comes from
the target goes through :func:`html.escape` (after :func:`visible`).
"""

from __future__ import annotations

import re
from html import escape

from etagspec.conformance.model import CheckInfo, CheckResult, Failure, Report, RunHeader, Status

from ._common import (
    ATTENTION,
    CLASS_LABELS,
    class_counts,
    decisive_probe_text,
    deviation_checks_text,
    failure_text,
    feature_rows,
    http_response,
    plural,
    root_cause_line,
    root_causes,
    sorted_results,
    summary_line,
    verdict,
    visible,
)

__all__ = [
    "ANCHOR_UNSAFE",
    "BADGES",
    "CSS",
    "PEP_URL",
    "RFC_URL",
    "esc",
    "linked_references",
    "page",
    "render_html",
    "spec_entry",
]

#: The label of each status, as a badge.
BADGES: dict[Status, str] = {
    Status.FAILED: "✗ failed",
    Status.WARNED: "! warned",
    Status.LENIENT: "~ lenient",
    Status.PASSED: "✓ passed",
    Status.SKIPPED: "– skipped",
}
_BAR_ORDER = (Status.FAILED, Status.WARNED, Status.LENIENT, Status.PASSED, Status.SKIPPED)

CSS = """
:root { color-scheme: light dark; --fg: #1d2125; --muted: #5f6b76; --bg: #fff;
  --panel: #f5f7f9; --line: #d8dee4; --failed: #c62828; --warned: #b26a00;
  --passed: #2e7d32; --skipped: #78838d; --link: #0b5cad; --lenient: #1565c0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ec; --muted: #9aa5b0;
  --bg: #15191d; --panel: #1f252b; --line: #33404c; --failed: #ef5350;
  --warned: #ffb300; --passed: #66bb6a; --skipped: #90a0ad; --link: #6cb2ff;
  --lenient: #64b5f6; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 78rem; padding: 1.5rem; color: var(--fg);
  background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--link); }
a.spec { font-size: .75rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { margin: 0 0 .5rem; }
h4 { margin: 1rem 0 .5rem; }
h5 { margin: .5rem 0 .25rem; font-size: .8rem; text-transform: uppercase;
  letter-spacing: .05em; color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
.verdict { font-size: 1.15rem; font-weight: 600; margin: 1rem 0 .5rem; }
.verdict.fail { color: var(--failed); }
.verdict.pass { color: var(--passed); }
.bar { display: flex; height: .9rem; border-radius: .45rem; overflow: hidden;
  background: var(--line); }
.bar span { display: block; min-width: 3px; }
.counts { display: flex; flex-wrap: wrap; gap: 1.25rem; list-style: none; padding: 0;
  margin: .5rem 0 0; }
.counts strong { font-size: 1.2rem; }
.failed-fg { color: var(--failed); } .warned-fg { color: var(--warned); }
.passed-fg { color: var(--passed); } .skipped-fg { color: var(--skipped); }
.lenient-fg { color: var(--lenient); } .seg-lenient { background: var(--lenient); }
.badge.lenient { background: var(--lenient); }
tr.lenient td:first-child { box-shadow: inset 3px 0 var(--lenient); }
section.check.lenient { border-left-color: var(--lenient); }
.seg-failed { background: var(--failed); } .seg-warned { background: var(--warned); }
.seg-passed { background: var(--passed); } .seg-skipped { background: var(--skipped); }
.badge { display: inline-block; padding: 0 .5rem; border-radius: .75rem; color: #fff;
  font-size: .8rem; font-weight: 600; white-space: nowrap; }
.badge.failed { background: var(--failed); } .badge.warned { background: var(--warned); }
.badge.passed { background: var(--passed); } .badge.skipped { background: var(--skipped); }
label.filter { margin: 0 1.25rem .5rem .25rem; color: var(--muted); display: inline-block; }
#hide-passed:checked ~ .table-wrap tr.passed,
#hide-skipped:checked ~ .table-wrap tr.skipped { display: none; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
td.id { white-space: nowrap; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem;
  border-bottom: 1px solid var(--line); }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
td.num, th.num { text-align: right; }
tr.failed td:first-child { box-shadow: inset 3px 0 var(--failed); }
tr.warned td:first-child { box-shadow: inset 3px 0 var(--warned); }
.note { color: var(--muted); font-size: .9rem; }
section.check { margin: 1.5rem 0; padding: 1rem 1.25rem; background: var(--panel);
  border-radius: .5rem; border-left: 4px solid var(--line); }
section.check.failed { border-left-color: var(--failed); }
section.check.warned { border-left-color: var(--warned); }
section.check:target { outline: 2px solid var(--link); }
.rule { margin: .25rem 0 .5rem; }
article.failure { border-top: 1px solid var(--line); margin-top: 1rem; }
.exchange { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(22rem, 100%), 1fr));
  gap: 1rem; }
pre { margin: 0; padding: .6rem .8rem; background: var(--bg); border: 1px solid var(--line);
  border-radius: .35rem; overflow-x: auto; white-space: pre; tab-size: 4; }
.error { color: var(--failed); white-space: pre-wrap; font-family: ui-monospace, monospace; }
dl.findings { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.findings dt { font-weight: 600; }
dl.findings dd { margin: 0; white-space: pre-wrap; }
footer { margin-top: 3rem; color: var(--muted); font-size: .9rem; }
@media print { .filter { display: none; } section.check { break-inside: avoid; } }
@media (max-width: 40rem) { body { padding: .75rem; }
  th.rfc, td.rfc, th.num, td.num { display: none; }
  th, td { padding: .3rem .35rem; } td { overflow-wrap: anywhere; }
  .badge { padding: 0 .3rem; } section.check { padding: .75rem; } }
"""

ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def esc(text: str) -> str:
    """Untrusted text as HTML text or attribute value."""
    return escape(visible(text, multiline=True), quote=True)


#: Where the RFCs' sections are linked to.
RFC_URL = "https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"
PEP_URL = "https://peps.python.org/pep-{number:04d}/"
_REFERENCE = re.compile(r"RFC (?P<rfc>\d+)|§(?P<section>\d+(?:\.\d+)*)|PEP (?P<pep>\d+)")


def linked_references(text: str) -> str:
    """``text`` (a check's RFC column) as HTML, each section linked to the
    RFC's page on rfc-editor.org (a bare ``§`` belongs to the RFC named
    before it) and each PEP to peps.python.org.

    >>> print(linked_references("RFC 9110 §13.1.1, §13.2.2"))
    RFC 9110 <a href="https://www.rfc-editor.org/rfc/rfc9110#section-13.1.1">§13.1.1</a>, \
<a href="https://www.rfc-editor.org/rfc/rfc9110#section-13.2.2">§13.2.2</a>
    >>> print(linked_references("seed promise; PEP 3333"))
    seed promise; <a href="https://peps.python.org/pep-3333/">PEP 3333</a>
    """
    parts: list[str] = []
    rfc: str | None = None
    end = 0
    for match in _REFERENCE.finditer(text):
        parts.append(esc(text[end : match.start()]))
        end = match.end()
        if match.group("rfc"):
            rfc = match.group("rfc")
            parts.append(esc(match.group()))
        elif match.group("pep"):
            url = PEP_URL.format(number=int(match.group("pep")))
            parts.append(f'<a href="{esc(url)}">{esc(match.group())}</a>')
        elif rfc is not None:
            url = RFC_URL.format(number=rfc, section=match.group("section"))
            parts.append(f'<a href="{esc(url)}">{esc(match.group())}</a>')
        else:
            parts.append(esc(match.group()))
    parts.append(esc(text[end:]))
    return "".join(parts)


def spec_entry(spec_href: str | None, check_id: str) -> str:
    """A link to where docs/SPEC.md lists ``check_id`` (its table of
    conformance checks, or of harness rules for a layer check), or "" when
    the report does not know where docs/SPEC.md is.

    >>> spec_entry("../docs/SPEC.md", "COND-INM-4a")
    ' <a class="spec" href="../docs/SPEC.md#7-the-conformance-checks" \
title="COND-INM-4a in docs/SPEC.md">catalogue</a>'
    """
    if spec_href is None:
        return ""
    section = "8-harness-rules" if check_id.startswith("LAYER-") else "7-the-conformance-checks"
    return (
        f' <a class="spec" href="{esc(spec_href)}#{section}" '
        f'title="{esc(check_id)} in docs/SPEC.md">catalogue</a>'
    )


def _anchors(results: list[CheckResult]) -> dict[str, str]:
    """A unique, always-valid fragment id for each check ID."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for result in results:
        base = "check-" + ANCHOR_UNSAFE.sub("-", result.check.id)
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors[result.check.id] = anchor
    return anchors


def _has_details(result: CheckResult) -> bool:
    return bool(result.failures) or result.status in ATTENTION


def _header(report: Report) -> list[str]:
    target = report.target
    counts = report.summary
    total = len(report.results) or 1
    paths = " ".join(f"<code>{esc(path)}</code>" for path in target.paths) or "none"
    meta = [
        ("Target", f"<strong>{esc(target.name)}</strong> ({esc(target.kind)})"),
        ("Paths", paths),
    ]
    if target.unsafe_paths:
        unsafe = " ".join(f"<code>{esc(path)}</code>" for path in target.unsafe_paths)
        meta.append(("Writable paths", unsafe))
    meta += [
        ("etagspec", esc(report.version)),
        ("Seed", f"<code>{report.seed}</code>"),
        ("Examples", f"{report.max_examples} per property"),
        ("Strict", "yes (SHOULD failures fail the run)" if report.strict else "no"),
    ]
    outcome = "fail" if report.exit_code else "pass"
    lines = [
        "<header>",
        "<h1>etagspec conformance report</h1>",
        '<dl class="meta">',
        *(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in meta),
        "</dl>",
        f'<p class="verdict {outcome}">{esc(verdict(report))}</p>',
        f'<div class="bar" role="img" aria-label="{esc(summary_line(counts))}">',
    ]
    for status in _BAR_ORDER:
        count = counts[status.value]
        if count:
            width = f"{100 * count / total:.3f}%"
            lines.append(
                f'<span class="seg-{status.value}" style="width: {width}" '
                f'title="{count} {status.value}"></span>'
            )
    lines += ["</div>", '<ul class="counts">']
    lines += [
        f'<li class="{status.value}-fg"><strong>{counts[status.value]}</strong> {status.value}</li>'
        for status in _BAR_ORDER
    ]
    lines.append("</ul>")
    classes = class_counts(report)
    if classes:
        lines.append(f'<p class="classes">Deviations: {esc(classes)}</p>')
    lines.append("</header>")
    return lines


def _table(results: list[CheckResult], anchors: dict[str, str], spec_href: str | None) -> list[str]:
    lines = [
        '<section id="checks">',
        f"<h2>Checks ({len(results)})</h2>",
        '<input type="checkbox" class="filter" id="hide-passed">'
        '<label class="filter" for="hide-passed">hide passed</label>',
        '<input type="checkbox" class="filter" id="hide-skipped">'
        '<label class="filter" for="hide-skipped">hide skipped</label>',
        '<div class="table-wrap">',
        "<table>",
        "<thead><tr><th>Status</th><th>ID</th><th>Level</th><th>Title</th>"
        '<th class="rfc">RFC</th>'
        '<th class="num">Requests</th></tr></thead>',
        "<tbody>",
    ]
    for result in results:
        check = result.check
        status = result.status.value
        ident = f"<code>{esc(check.id)}</code>"
        if _has_details(result):
            ident = f'<a href="#{anchors[check.id]}">{ident}</a>'
        ident += spec_entry(spec_href, check.id)
        title = esc(check.title)
        if result.failures:
            title += f' <span class="note">({plural(len(result.failures), "finding")})</span>'
        if result.note:
            title += f'<div class="note">{esc(result.note)}</div>'
        lines.append(
            f'<tr class="{status}"><td><span class="badge {status}">'
            f'{BADGES[result.status]}</span></td><td class="id">{ident}</td>'
            f"<td>{check.level.value}</td><td>{title}</td>"
            f'<td class="rfc">{linked_references(check.rfc)}</td>'
            f'<td class="num">{result.requests}</td></tr>'
        )
    lines += ["</tbody>", "</table>", "</div>", "</section>"]
    return lines


def _pre(text: str, css_class: str) -> str:
    # No newline after <pre>: the content is copied exactly as shown.
    return f'<pre class="{css_class}"><code>{esc(text)}</code></pre>'


def _failure(index: int, total: int, failure: Failure, check: CheckInfo, wire: bool) -> list[str]:
    response = failure.response
    text = failure_text(failure, check, over_the_wire=wire)
    lines = [
        '<article class="failure">',
        f"<h4>Finding {index} of {total}</h4>",
        '<div class="exchange">',
        "<div><h5>Request</h5>",
        _pre(text.request, "http"),
        "</div>",
        "<div><h5>Response</h5>",
        _pre(http_response(response, with_error=False), "http"),
    ]
    if response.error is not None:
        lines.append(f'<p class="error">Error: {esc(response.error)}</p>')
    lines += [
        "</div>",
        "</div>",
        '<dl class="findings">',
        f"<dt>Expected</dt><dd>{esc(text.expected)}</dd>",
        f"<dt>Why</dt><dd>{esc(text.why)}</dd>",
        f"<dt>Root cause</dt><dd>{esc(text.cause)}</dd>",
        *([f"<dt>Server?</dt><dd>{esc(text.server)}</dd>"] if text.server else []),
        "</dl>",
        f"<h5>Reproduce ({text.language})</h5>",
        _pre(text.reproduce, f"reproduce language-{text.language}"),
        "</article>",
    ]
    return lines


def _features(report: Report) -> list[str]:
    """The feature table every report opens with."""
    if not report.features:
        return []
    lines = [
        '<section id="features">',
        "<h2>Features: what the target evaluates</h2>",
        '<div class="table-wrap">',
        "<table>",
        "<thead><tr><th>Path</th><th>Feature</th><th>Evaluated</th>"
        "<th>Probes (request → answer, RFC 9110)</th></tr></thead>",
        "<tbody>",
    ]
    for row in feature_rows(report.features):
        probes = "<br>".join(f"<code>{esc(probe)}</code>" for probe in row.probes)
        note = f' <span class="note">({esc(row.note)})</span>' if row.note else ""
        lines.append(
            f"<tr><td><code>{esc(row.path)}</code></td><td>{esc(row.name)}</td>"
            f"<td>{esc(row.support)}{note}</td><td>{probes}</td></tr>"
        )
    lines += ["</tbody>", "</table>", "</div>", "</section>"]
    return lines


def _diagnosis(report: Report) -> list[str]:
    """Each deviation of the diagnosis: class, checks, decisive probe."""
    diagnosis = report.diagnosis
    if diagnosis is None or not diagnosis.deviations:
        return []
    lines = [
        '<section id="causes">',
        f"<h2>Diagnosis: {esc(root_cause_line(report))}</h2>",
        f"<p>The smallest set of readings found that reproduces the "
        f"{diagnosis.answers} judged answers of the run"
        + (f" ({diagnosis.unexplained} left unexplained)" if diagnosis.unexplained else "")
        + ".</p>",
        "<ul>",
    ]
    for deviation in diagnosis.deviations:
        status = {"lenient": Status.LENIENT, "should": Status.WARNED}.get(
            deviation.kind, Status.FAILED
        )
        label = esc(CLASS_LABELS.get(deviation.kind, deviation.kind))
        if deviation.reading:
            label += f" ({esc(deviation.reading)})"
        checks = esc(deviation_checks_text(deviation))
        lines.append(
            f'<li><span class="badge {status.value}">{label}</span> '
            f"{esc(deviation.name)} · <code>{esc(deviation.id)}</code> · {checks}"
            f'<div class="note">probe: <code>{esc(decisive_probe_text(deviation))}</code></div>'
            "</li>"
        )
    lines += ["</ul>", "</section>"]
    return lines


def _causes(report: Report) -> list[str]:
    causes = root_causes(report)
    lines: list[str] = _diagnosis(report)
    if causes and report.diagnosis is None:
        lines += [
            '<section id="causes">',
            f"<h2>Root causes: {esc(root_cause_line(report))}</h2>",
            "<ul>",
        ]
        for cause in causes:
            status = Status.LENIENT if cause.lenient else Status.FAILED
            label = f"lenient ({esc(cause.lenient)})" if cause.lenient else "deviation"
            checks = ", ".join(f"<code>{esc(check)}</code>" for check in cause.checks)
            lines.append(
                f'<li><span class="badge {status.value}">{label}</span> '
                f"{esc(cause.signature)} · {checks}</li>"
            )
        lines += ["</ul>", "</section>"]
    if report.findings:
        lines += ['<section id="findings">', "<h2>Confirmed findings</h2>", "<ul>"]
        lines += [
            f"<li><code>{esc(f.check)}</code> ({esc(f.kind)}): {esc(f.does)}</li>"
            for f in report.findings
        ]
        lines += ["</ul>", "</section>"]
    return lines


def _details(
    results: list[CheckResult], anchors: dict[str, str], spec_href: str | None, wire: bool
) -> list[str]:
    shown = [result for result in results if _has_details(result)]
    if not shown:
        return []
    lines = ['<section id="details">', "<h2>Failures, warnings and lenient readings</h2>"]
    for result in shown:
        check = result.check
        status = result.status
        lines += [
            f'<section class="check {status.value}" id="{anchors[check.id]}">',
            f'<h3><span class="badge {status.value}">{BADGES[status]}</span> '
            f"<code>{esc(check.id)}</code> {esc(check.title)}</h3>",
            f'<p class="rule"><strong>{check.level.value}</strong> · '
            f"{linked_references(check.rfc)} · {esc(check.rule)}"
            f"{spec_entry(spec_href, check.id)}</p>",
            f'<p class="note">{plural(result.requests, "request")} sent'
            + (f" · {esc(result.note)}" if result.note else "")
            + "</p>",
        ]
        for index, failure in enumerate(result.failures, 1):
            lines += _failure(index, len(result.failures), failure, check, wire)
        lines += ['<p><a href="#checks">↑ back to the checks</a></p>', "</section>"]
    lines.append("</section>")
    return lines


def _footer(report: Report, run: RunHeader | None) -> list[str]:
    lines = ["<footer>"]
    if run is not None:
        facts = [
            ("Started", esc(run.started)),
            ("Duration", f"{run.duration_seconds:.3f} s"),
            ("Requests", str(run.requests)),
            ("Python", esc(run.python)),
            ("Platform", esc(run.platform)),
        ]
        lines += [
            "<h2>Run</h2>",
            '<dl class="meta">',
            *(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts),
            "</dl>",
        ]
    lines += [f"<p>Generated by etagspec {esc(report.version)}.</p>", "</footer>"]
    return lines


def render_html(report: Report, *, spec_href: str | None = None) -> str:
    """The report as one self-contained HTML5 page.

    A header (target, version, seed, verdict, a colored summary bar and the
    counts by status, and the deviations by class), the feature table, the
    diagnosis (or the root causes), a table of all checks (failed → warned → passed →
    skipped, then MUST → SHOULD → MAY) whose rows link to ``#check-<id>``
    sections showing every failure: request and response as HTTP messages,
    body length, error, expected vs. why, the rule, and the reproduction in
    a ``<pre>``. The run's facts come last. RFC sections link to
    rfc-editor.org; with ``spec_href`` (the URL of docs/SPEC.md as seen
    from the page), each check ID links to its entry in the catalogue too.
    """
    results = sorted_results(report)
    anchors = _anchors(results)
    title = f"etagspec: {report.target.name} — {'FAIL' if report.exit_code else 'PASS'}"
    return page(
        title,
        report.version,
        CSS,
        [
            *_header(report),
            "<main>",
            *_features(report),
            *_causes(report),
            *_table(results, anchors, spec_href),
            *_details(results, anchors, spec_href, report.target.kind == "url"),
            "</main>",
            *_footer(report, report.run),
        ],
    )


def page(title: str, version: str, css: str, body: list[str]) -> str:
    """A whole self-contained HTML page: no script, no outside resource
    (its Content-Security-Policy allows inline style only)."""
    lines = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<meta name="generator" content="etagspec {esc(version)}">',
        f"<title>{esc(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
