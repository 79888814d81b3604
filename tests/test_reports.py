"""The reporters: JSON, Markdown, HTML, JUnit XML, terminal, progress."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from etagspec.conformance.model import (
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
from etagspec.conformance.report import (
    ProgressPrinter,
    render_html,
    render_json,
    render_junit,
    render_markdown,
    render_terminal,
    write_reports,
)

SCRIPT = "<script>alert(1)</script>"
HOSTILE = f'{SCRIPT} "quoted" & ]]> ctl\x01 caf\xe9'
#: HOSTILE as reports show it: the control character made visible.
HOSTILE_SHOWN = HOSTILE.replace("\x01", "\\x01")
#: HOSTILE in a header field, where it stands for bytes: every byte outside
#: printable ASCII escaped (é sent as the byte 0xe9).
HOSTILE_FIELD = HOSTILE_SHOWN.replace("\xe9", "\\xe9")

PASSED = CheckResult(
    CheckInfo(
        "COND-INM-1",
        "If-None-Match with the current ETag gives 304",
        "RFC 9110 §13.1.2",
        Level.MUST,
        "GET with a matching If-None-Match must be answered 304",
    ),
    Status.PASSED,
    requests=40,
)
FAILED_INFO = CheckInfo(
    "COND-INM-4a",
    "If-None-Match: * on an existing resource | any method",
    "RFC 9110 §13.1.2",
    Level.MUST,
    "If-None-Match: * is false when the resource has a current representation",
)
FAILED = CheckResult(
    FAILED_INFO,
    Status.FAILED,
    failures=(
        Failure(
            request=ProbeRequest("GET", "/doc", (("If-None-Match", "*"), ("X-Evil", HOSTILE))),
            response=ProbeResponse(
                200,
                (("ETag", '"v1"'), ("X-Echo", HOSTILE)),
                b"hello",
            ),
            expected="304 Not Modified",
            explanation="got 200: If-None-Match: * was ignored",
            reproduce=(
                "from etagspec.conformance.model import ProbeRequest\n"
                "target = ...  # your WSGITarget(app)\n"
                "print(target.send(ProbeRequest('GET', '/doc', (('If-None-Match', '*'),))))"
            ),
        ),
        Failure(
            request=ProbeRequest("HEAD", f"/doc?q={SCRIPT}", (("If-None-Match", '"a", *'),)),
            response=ProbeResponse(0, error=f"ValueError: bad {SCRIPT} & ]]> \x01"),
            expected="304 Not Modified",
            explanation=f"the app raised; header was {HOSTILE}",
            reproduce="curl -i -X HEAD -H 'If-None-Match: \"a\", *' http://localhost/doc",
        ),
    ),
    requests=17,
)
WARNED = CheckResult(
    CheckInfo(
        "CACHE-ETAG-2",
        "A 304 keeps the ETag",
        "RFC 9110 §15.4.5",
        Level.SHOULD,
        "a 304 should carry the ETag a 200 would",
    ),
    Status.WARNED,
    failures=(
        Failure(
            request=ProbeRequest("GET", "/doc", (("If-None-Match", '"v1"'),)),
            response=ProbeResponse(304, (("Date", "Mon, 01 Jan 2024 00:00:00 GMT"),)),
            expected='ETag: "v1"',
            explanation="the 304 has no ETag",
            reproduce="curl -i http://localhost/doc",
        ),
    ),
    requests=3,
)
SKIPPED = CheckResult(
    CheckInfo(
        "COND-IM-3",
        "If-Match on PUT",
        "RFC 9110 §13.1.1",
        Level.MAY,
        "a stale If-Match on PUT gives 412",
        unsafe=True,
    ),
    Status.SKIPPED,
    note="needs a writable path (--unsafe PATH)",
)
RUN = RunHeader(
    started="2024-05-01T12:00:00+00:00",
    duration_seconds=1.23456,
    requests=60,
    python="3.11.7",
    platform="Linux-6.1",
)


def make_report(*, strict: bool = False, run: RunHeader | None = RUN) -> Report:
    return Report(
        target=TargetInfo("etagspec.demo:make_app", "wsgi", ("/doc", "/"), ("/tmp",)),
        seed=20221,
        max_examples=40,
        strict=strict,
        version="0.1.0",
        results=(PASSED, SKIPPED, WARNED, FAILED),
        run=run,
    )


@pytest.fixture
def report() -> Report:
    return make_report()


# -- JSON ----------------------------------------------------------------------


def test_json_layout(report: Report) -> None:
    data = json.loads(render_json(report))
    assert data == report.to_json()
    assert set(data["target"]) >= {"name", "kind", "paths"}
    assert data["target"]["paths"] == ["/doc", "/"]
    assert data["summary"] == {"passed": 1, "failed": 1, "warned": 1, "lenient": 0, "skipped": 1}
    assert [check["id"] for check in data["checks"]] == [
        "COND-INM-1",
        "COND-IM-3",
        "CACHE-ETAG-2",
        "COND-INM-4a",
    ]
    for check in data["checks"]:
        assert set(check) >= {"id", "title", "rfc", "level", "status", "failures"}
    failed = data["checks"][3]
    assert (failed["level"], failed["status"]) == ("MUST", "failed")
    failure = failed["failures"][0]
    assert set(failure) >= {"request", "response", "expected", "explanation", "reproduce"}
    assert set(failure["request"]) >= {"method", "path", "headers"}
    assert set(failure["response"]) >= {"status", "headers", "body_length"}
    assert failure["response"]["body_length"] == 5
    # Header values survive exactly, latin-1 and control characters included.
    assert failure["request"]["headers"][1] == ["X-Evil", HOSTILE]
    assert failed["failures"][1]["response"]["error"].startswith("ValueError")
    assert list(data)[-1] == "run"
    assert data["run"]["started"] == RUN.started


def test_json_is_ascii_and_ends_with_newline(report: Report) -> None:
    text = render_json(report)
    assert text.isascii()
    assert "\\u00e9" in text and "\\u0001" in text
    assert text.endswith("}\n")


def test_json_is_deterministic_apart_from_run() -> None:
    other_run = RunHeader("2031-12-31T23:59:59+00:00", 99.9, 61, "3.10.0", "Darwin")
    first = render_json(make_report(run=RUN))
    second = render_json(make_report(run=other_run))
    assert first != second
    one, two = json.loads(first), json.loads(second)
    del one["run"], two["run"]
    assert json.dumps(one, indent=2) == json.dumps(two, indent=2)
    # Byte-identical apart from the "run" object, which comes last.
    assert first.split('"run"')[0] == second.split('"run"')[0]
    assert render_json(make_report(run=None)) == render_json(make_report(run=None))


# -- Markdown ------------------------------------------------------------------


def test_markdown_header_and_table(report: Report) -> None:
    text = render_markdown(report)
    assert text.startswith("# etagspec conformance report: etagspec.demo:make\\_app (wsgi)\n")
    assert "etagspec 0.1.0" in text and "seed `20221`" in text
    assert "1 passed, 1 failed, 1 warned, 0 lenient, 1 skipped" in text
    assert "| ID | Level | Status | Title | RFC |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "§" in line]
    assert len(rows) == 4
    # failed → warned → passed → skipped
    assert [row.split(" | ")[0] for row in rows] == [
        "| COND-INM-4a",
        "| CACHE-ETAG-2",
        "| COND-INM-1",
        "| COND-IM-3",
    ]
    assert "❌ failed" in rows[0] and "⚠️ warned" in rows[1]
    assert "✅ passed" in rows[2] and "⏭ skipped" in rows[3]
    # A "|" in a title does not split the cell.
    assert "on an existing resource \\| any method" in rows[0]
    assert all(row.count(" | ") == 4 for row in rows)


def test_markdown_failure_sections(report: Report) -> None:
    text = render_markdown(report)
    assert "### ❌ COND-INM-4a:" in text
    assert "### ⚠️ CACHE-ETAG-2:" in text
    assert "### ✅" not in text
    assert "#### Finding 1 of 2" in text and "#### Finding 2 of 2" in text
    assert "```http\nGET /doc HTTP/1.1\nIf-None-Match: *\nX-Evil: " in text
    assert 'HTTP/1.1 200 OK\nETag: "v1"\n' in text
    assert "**Expected:** 304 Not Modified" in text
    assert "**Rule:** If-None-Match: \\* is false" in text
    assert "```python\nfrom etagspec.conformance.model import ProbeRequest\n" in text
    assert "```sh\ncurl -i -X HEAD" in text
    # Control characters are shown, not emitted; raw HTML in prose is escaped.
    assert "\x01" not in text and "ctl\\x01" in text
    prose = text.split("**Why:** the app raised; header was ", 1)[1].split("\n", 1)[0]
    assert prose.startswith("\\<script\\>")
    assert "needs a writable path" in text.split("## Skipped", 1)[1]


def test_markdown_run_section_is_last(report: Report) -> None:
    text = render_markdown(report)
    run = text.rindex("## Run")
    assert run == text.rindex("## ")
    assert "2024-05-01T12:00:00+00:00" in text[run:]
    assert "1.235 s" in text[run:]
    assert "## Run" not in render_markdown(make_report(run=None))


def test_markdown_fence_cannot_be_closed_from_inside() -> None:
    failure = dataclasses.replace(FAILED.failures[0], reproduce="print('```')\n````")
    result = dataclasses.replace(FAILED, failures=(failure,))
    text = render_markdown(dataclasses.replace(make_report(), results=(result,)))
    assert "`````python\nprint('```')\n````\n`````" in text


# -- HTML ----------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class PageChecker(HTMLParser):
    """Checks that every element is closed in order, and collects what a
    browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.decl: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.decl = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(page: str) -> PageChecker:
    checker = PageChecker()
    checker.feed(page)
    checker.close()
    assert checker.decl is not None and checker.decl.lower() == "doctype html"
    assert checker.errors == []
    assert checker.stack == []
    return checker


def test_html_is_well_formed(report: Report) -> None:
    page = render_html(report)
    assert page.startswith("<!doctype html>\n")
    checker = check_page(page)
    for tag in ("html", "head", "body", "table", "pre", "section", "article", "style"):
        assert tag in checker.tags
    assert len(checker.ids) == len(set(checker.ids))
    # Every in-page link has a target.
    fragments = [href[1:] for href in checker.hrefs if href.startswith("#")]
    assert fragments and set(fragments) <= set(checker.ids)
    assert "check-COND-INM-4a" in fragments and "check-CACHE-ETAG-2" in fragments


def test_html_escapes_everything_from_the_target(report: Report) -> None:
    page = render_html(report)
    checker = check_page(page)
    assert "script" not in checker.tags
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;quoted&quot; &amp; ]]&gt;" in page
    assert "\x01" not in page
    text = "".join(checker.text)
    # What a reader sees: the exact value, control character made visible.
    assert f"X-Evil: {HOSTILE_FIELD}" in text
    assert HOSTILE_FIELD.endswith("ctl\\x01 caf\\xe9")
    assert f"X-Echo: {SCRIPT}" in text
    assert f"GET /doc HTTP/1.1\nIf-None-Match: *\nX-Evil: {SCRIPT}" in text
    assert f"HEAD /doc?q={SCRIPT} HTTP/1.1" in text
    assert f"Error: ValueError: bad {SCRIPT} & ]]> \\x01" in text
    for _name, value in checker.attributes:
        assert value is None or "<" not in value


def test_html_is_self_contained(report: Report) -> None:
    page = render_html(report)
    lowered = page.lower()
    assert 'src="http' not in lowered and "src='http" not in lowered
    assert "<link" not in lowered
    assert "@import" not in lowered and "url(" not in lowered
    assert "<script" not in lowered
    assert "<style>" in page


def test_html_order_and_content(report: Report) -> None:
    page = render_html(report)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    order = [
        body.index(f"<code>{ident}</code>")
        for ident in (
            "COND-INM-4a",
            "CACHE-ETAG-2",
            "COND-INM-1",
            "COND-IM-3",
        )
    ]
    assert order == sorted(order)
    text = "".join(check_page(page).text)
    for fact in ("etagspec.demo:make_app", "wsgi", "0.1.0", "20221", "1 failed", "Finding 2 of 2"):
        assert fact in text
    assert "[body: 5 bytes]" in text
    assert "If-None-Match: * is false when the resource has a current representation" in text
    assert "Expected304 Not Modified" in text
    assert "curl -i -X HEAD" in text
    assert "needs a writable path" in text
    assert "2024-05-01T12:00:00+00:00" in text


def test_html_level_order_within_status() -> None:
    should = dataclasses.replace(
        PASSED, check=dataclasses.replace(PASSED.check, id="B-SHOULD", level=Level.SHOULD)
    )
    may = dataclasses.replace(
        PASSED, check=dataclasses.replace(PASSED.check, id="A-MAY", level=Level.MAY)
    )
    page = render_html(dataclasses.replace(make_report(), results=(may, should, PASSED)))
    positions = [
        page.index(f"<code>{ident}</code>") for ident in ("COND-INM-1", "B-SHOULD", "A-MAY")
    ]
    assert positions == sorted(positions)


# -- JUnit ---------------------------------------------------------------------


def test_junit_parses_and_counts(report: Report) -> None:
    text = render_junit(report)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    suite = ET.fromstring(text.encode("utf-8"))
    assert suite.tag == "testsuite"
    assert suite.get("name") == "etagspec: etagspec.demo:make_app"
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    cases = {case.get("name", "").split()[0]: case for case in suite.iter("testcase")}
    assert len(cases) == 4
    assert cases["COND-INM-4a"].get("classname") == "etagspec.MUST"
    assert cases["CACHE-ETAG-2"].get("classname") == "etagspec.SHOULD"
    assert cases["COND-INM-4a"].get("name") == f"COND-INM-4a {FAILED_INFO.title}"
    failure = cases["COND-INM-4a"].find("failure")
    assert failure is not None and failure.get("type") == "MUST"
    body = failure.text or ""
    for fact in (
        "GET /doc HTTP/1.1",
        "HTTP/1.1 200 OK",
        "Expected: 304 Not Modified",
        "Why: got 200",
        "curl -i -X HEAD",
        f"X-Evil: {HOSTILE_FIELD}",
    ):
        assert fact in body
    # warned, not strict: passes, with a note
    assert cases["CACHE-ETAG-2"].find("failure") is None
    out = cases["CACHE-ETAG-2"].find("system-out")
    assert out is not None and "warned" in (out.text or "")
    skipped = cases["COND-IM-3"].find("skipped")
    assert skipped is not None and skipped.get("message") == SKIPPED.note
    assert len(list(cases["COND-INM-1"])) == 0


def test_junit_strict_fails_warnings() -> None:
    suite = ET.fromstring(render_junit(make_report(strict=True)))
    assert suite.get("failures") == "2"
    warned = [c for c in suite.iter("testcase") if c.get("name", "").startswith("CACHE-ETAG-2")]
    failure = warned[0].find("failure")
    assert failure is not None and failure.get("type") == "SHOULD"


def test_junit_survives_characters_xml_forbids() -> None:
    nasty = "a\x00b\x1bc\x0bd\ufffee ]]> <x/> & \"'\ud800"
    failure = dataclasses.replace(
        FAILED.failures[0],
        request=ProbeRequest("GET", "/", ((nasty, nasty),)),
        response=ProbeResponse(0, ((nasty, nasty),), error=nasty),
        explanation=nasty,
    )
    result = dataclasses.replace(FAILED, failures=(failure,), note=nasty)
    report = dataclasses.replace(
        make_report(),
        target=TargetInfo(nasty, nasty, (nasty,)),
        results=(result, dataclasses.replace(SKIPPED, note=nasty)),
    )
    text = render_junit(report)
    text.encode("utf-8")  # no lone surrogates
    suite = ET.fromstring(text)
    message = suite.find("testcase/failure")
    assert message is not None
    assert message.get("message") == "a\\x00b\\x1bc\\x0bd\\ufffee ]]> <x/> & \"'\\ud800"


# -- terminal --------------------------------------------------------------------


def test_terminal_lines_and_summary(report: Report) -> None:
    text = render_terminal(report)
    lines = text.splitlines()
    assert lines[-1] == "1 passed, 1 failed, 1 warned, 0 lenient, 1 skipped"
    assert text.endswith("\n")
    assert "\x1b" not in text
    assert "PASS  COND-INM-1    MUST    If-None-Match with the current ETag gives 304" in lines
    assert any(line.startswith("FAIL  COND-INM-4a   MUST    If-None-Match: *") for line in lines)
    assert any(line.startswith("WARN  CACHE-ETAG-2  SHOULD") for line in lines)
    assert any(line.startswith("SKIP  COND-IM-3") and "writable" in line for line in lines)
    assert "    > GET /doc HTTP/1.1" in lines
    assert "    < HTTP/1.1 200 OK" in lines
    assert "    expected:   304 Not Modified" in lines
    assert any(line.startswith("    why:        got 200") for line in lines)
    # Reproductions are printed flush left, so that they run when pasted.
    assert "curl -i http://localhost/doc" in lines
    assert "print(target.send(ProbeRequest('GET', '/doc', (('If-None-Match', '*'),))))" in lines
    # The target cannot write control characters to the terminal.
    assert "\x01" not in text and "ctl\\x01" in text


def test_terminal_color() -> None:
    text = render_terminal(make_report(), color=True)
    assert "\x1b[32mPASS\x1b[0m" in text
    assert "\x1b[1;31mFAIL\x1b[0m" in text
    plain = text.splitlines()[-1].replace("\x1b[0m", "")
    for code in ("\x1b[32m", "\x1b[1;31m", "\x1b[33m", "\x1b[2m"):
        plain = plain.replace(code, "")
    assert plain == "1 passed, 1 failed, 1 warned, 0 lenient, 1 skipped"


def test_progress_disabled_writes_nothing() -> None:
    stream = io.StringIO()
    progress = ProgressPrinter(stream, 35, enabled=False)
    progress.start("COND-INM-4a")
    progress.done("COND-INM-4a", Status.FAILED)
    progress.finish()
    assert stream.getvalue() == ""


def test_progress_enabled_updates_one_line() -> None:
    stream = io.StringIO()
    progress = ProgressPrinter(stream, 35, enabled=True)
    for _ in range(11):
        progress.start("X")
        progress.done("X", Status.PASSED)
    progress.start("COND-INM-4a")
    assert stream.getvalue().endswith("\r[ 12/35] COND-INM-4a ...")
    progress.done("COND-INM-4a", Status.FAILED)
    assert stream.getvalue().endswith("\r[ 12/35] COND-INM-4a failed")
    progress.finish()
    output = stream.getvalue()
    assert "\n" not in output
    assert output.endswith("\r")
    assert output.rsplit("\r", 2)[-2].strip() == ""


# -- files -----------------------------------------------------------------------


def test_write_reports(tmp_path: Path, report: Report) -> None:
    directory = tmp_path / "nested" / "out"
    paths = write_reports(report, directory)
    assert set(paths) == {"json", "html", "junit", "markdown"}
    assert {path.name for path in paths.values()} == {
        "report.json",
        "report.html",
        "junit.xml",
        "report.md",
    }
    assert sorted(p.name for p in directory.iterdir()) == sorted(p.name for p in paths.values())
    assert json.loads(paths["json"].read_text("utf-8")) == report.to_json()
    assert paths["html"].read_text("utf-8") == render_html(report)
    ET.parse(paths["junit"])
    assert paths["markdown"].read_bytes() == render_markdown(report).encode("utf-8")
    # Writing again replaces the files.
    write_reports(make_report(run=None), str(directory))
    assert "run" not in json.loads(paths["json"].read_text("utf-8"))


@pytest.mark.parametrize(
    "render", [render_json, render_markdown, render_html, render_junit, render_terminal]
)
def test_an_empty_report_renders(render: Callable[[Report], str]) -> None:
    empty = dataclasses.replace(make_report(run=None), results=())
    text = render(empty)
    assert text.endswith("\n")
    if render is render_html:
        check_page(text)
    if render is render_junit:
        assert ET.fromstring(text).get("tests") == "0"
    if render is render_terminal:
        assert text.splitlines()[-1] == "0 passed, 0 failed, 0 warned, 0 lenient, 0 skipped"


# -- first-run readability ------------------------------------------------------


def with_rule_suffix(result: CheckResult) -> CheckResult:
    """``result`` whose findings end their explanation with ``[ID: rule]``,
    as the runner writes them."""
    check = result.check
    return dataclasses.replace(
        result,
        failures=tuple(
            dataclasses.replace(f, explanation=f"{f.explanation} [{check.id}: {check.rule}]")
            for f in result.failures
        ),
    )


def test_each_finding_states_its_rule_once_per_check() -> None:
    report = dataclasses.replace(make_report(), results=(with_rule_suffix(FAILED),))
    rule = FAILED_INFO.rule
    page = render_html(report)
    assert page.count(rule) == 1
    terminal = render_terminal(report)
    assert terminal.count(rule) == 1
    assert "got 200: If-None-Match: * was ignored\n" in terminal  # the why, without it
    assert render_markdown(report).count("is false when the resource has a current") == 1
    assert rule in json.dumps(json.loads(render_json(report)))  # the data keeps it all


def test_rfc_sections_link_to_rfc_editor_and_ids_to_the_catalogue(tmp_path: Path) -> None:
    report = make_report()
    page = render_html(report)
    link = '<a href="https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2">§13.1.2</a>'
    assert link in page
    assert check_page(page).tags.count("a") > page.count("RFC 9110 <a") >= 4
    assert "SPEC.md" not in page  # the page was not told where the catalogue is
    checkout = tmp_path / "checkout"
    (checkout / "docs").mkdir(parents=True)
    (checkout / "docs" / "SPEC.md").write_text("# catalogue\n", encoding="utf-8")
    written = write_reports(report, checkout / "reports" / "demo")
    page = written["html"].read_text(encoding="utf-8")
    assert 'href="../../docs/SPEC.md#7-the-conformance-checks"' in page
    assert 'title="COND-INM-4a in docs/SPEC.md"' in page


def test_non_ascii_bytes_in_fields_are_shown_escaped_in_text() -> None:
    euro = "\u20ac".encode().decode("latin-1")  # UTF-8 bytes as a field holds them
    failure = dataclasses.replace(
        FAILED.failures[0],
        response=ProbeResponse(200, (("ETag", f'"{euro}"'),), b""),
    )
    result = dataclasses.replace(FAILED, failures=(failure,))
    report = dataclasses.replace(make_report(), results=(result,))
    text = render_terminal(report)
    assert 'ETag: "\\xe2\\x82\\xac"' in text
    assert euro not in text


def test_over_the_wire_a_field_the_server_may_normalise_is_pointed_out() -> None:
    failure = dataclasses.replace(
        FAILED.failures[0], request=ProbeRequest("GET", "/doc", (("If-Match", '\x0b"v1"'),))
    )
    result = dataclasses.replace(FAILED, failures=(failure,))
    base = dataclasses.replace(make_report(), results=(result,))
    live = dataclasses.replace(base, target=TargetInfo("http://127.0.0.1:8000/", "url", ("/",)))
    said = "the If-Match field holds \\x0b, which a server in front of the app may strip"
    assert said in render_terminal(live)
    assert "server?" in render_terminal(live)
    assert said in render_html(live)
    assert said not in render_terminal(base)  # in-process: the app saw the field itself
    plain = dataclasses.replace(
        live,
        results=(
            dataclasses.replace(
                result,
                failures=(
                    dataclasses.replace(
                        failure, request=ProbeRequest("GET", "/", (("If-Match", '"v1"'),))
                    ),
                ),
            ),
        ),
    )
    assert "server?" not in render_terminal(plain)
