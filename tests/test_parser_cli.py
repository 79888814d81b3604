"""``etagspec check-parser`` and ``pytest --etagspec-parser``: our own
functions pass; a list parser that splits at every comma, one that reads
``*`` as a tag, a formatter that writes a DQUOTE inside a tag and a strong
comparison that matches two weak tags each fail, under the check that names
their rule (docs/SPEC.md §9)."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from etagspec.cli import main

pytest_plugins = ["pytester"]

REFERENCE = "etagspec.conformance.parsers.reference"
FAST = ("--max-examples", "10")

FLAWED = {
    "PARSE-LIST-1": """
        def parse_etags(text):
            if text.strip() == "*":
                return "*"
            tags = []
            for piece in text.split(","):
                piece = piece.strip()
                if piece:
                    weak = piece.startswith("W/")
                    tags.append((weak, piece[2 + weak:-1] if weak else piece[1:-1]))
            return tags
    """,
    "PARSE-LIST-3": """
        from etagspec.conformance.parsers.reference import parse_etags as strict

        def parse_etags(text):
            return [(False, "*")] if text.strip() == "*" else strict(text)
    """,
    "FMT-ETAG-1": """
        def format_etag(opaque, weak):
            return ("W/" if weak else "") + '"' + opaque + '"'
    """,
    "PARSE-CMP-1": """
        def strong_match(a, b):
            return a[1] == b[1]
    """,
}
RULE_SIGNATURES = {
    "PARSE-LIST-1": "splits",
    "PARSE-LIST-3": 'reads the wildcard * as the tag "*"',
    "FMT-ETAG-1": "writes a DQUOTE inside a tag",
    "PARSE-CMP-1": "calls a match of weak tags strong",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["check-parser", *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_our_own_functions_pass(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out, _ = run(REFERENCE, *FAST, "--json", str(report))
    assert code == 0 and out.rstrip().endswith("PASS")
    statuses = {check["id"]: check["status"] for check in json.loads(report.read_text())["checks"]}
    assert len(statuses) == 14
    assert {status for check, status in statuses.items() if check != "PARSE-TIME-1"} == {"passed"}


@pytest.mark.parametrize("check_id", sorted(FLAWED))
def test_a_flawed_library_fails_the_check_that_names_its_rule(
    check_id: str, tmp_path: Path
) -> None:
    module = tmp_path / "flawed_adapter.py"
    module.write_text(textwrap.dedent(FLAWED[check_id]))
    # Every check but the timing one (most of a run's CPU time), which
    # none of these flaws is about; test_our_own_functions_pass runs it.
    code, out, _ = run(str(module), *FAST, "--exclude", "PARSE-TIME-1")
    assert code == 1
    failed = [line.split()[1] for line in out.splitlines() if line.startswith("failed")]
    assert check_id in failed
    assert RULE_SIGNATURES[check_id] in out
    assert "run_path" in out  # the reproduction calls the adapter's own function


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run()[0] == 2
    assert run("no.such.module")[0] == 2
    assert run(REFERENCE, "--select", "NOPE-1")[0] == 2
    code, out, _ = run("--list-checks")
    assert code == 0 and "PARSE-LIST-3" in out


def test_the_pytest_plugin_runs_one_item_per_parser_check(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(flawed_adapter=textwrap.dedent(FLAWED["PARSE-LIST-3"]))
    result = pytester.runpytest(
        "-p",
        "etagspec",
        "--etagspec-parser=flawed_adapter.py",
        "--etagspec-max-examples=5",
        "-k",
        "PARSE-LIST",
    )
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(["*etagspec-parser::PARSE-LIST-3*"])


def test_bad_options_and_unwritable_reports_exit_2(tmp_path: Path) -> None:
    assert run(REFERENCE, "--max-examples", "0")[0] == 2
    code, _, err = run(REFERENCE, *FAST, "--select", "FMT-DATE-1", "--json", str(tmp_path))
    assert code == 2 and "cannot write the report" in err
    markdown = tmp_path / "report.md"
    assert run(REFERENCE, *FAST, "--select", "FMT-DATE-1", "--markdown", str(markdown))[0] == 0
    assert "`FMT-DATE-1`" in markdown.read_text()


def test_the_pytest_plugin_skips_and_notes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        dates_only="""
        from etagspec.dates import http_date_to_timestamp
        import re

        def parse_date(text):
            return http_date_to_timestamp(re.sub(" UTC$", " GMT", text))
        """
    )
    result = pytester.runpytest(
        "-p",
        "etagspec",
        "--etagspec-parser=dates_only.py",
        "--etagspec-max-examples=5",
        "-k",
        "PARSE-DATE or PARSE-LIST-1",
        "-rs",
        "-s",
    )
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*lenient (AMB-DATE-2)*", "*the adapter defines no parse_etags*"])


def test_the_pytest_plugin_refuses_a_bad_adapter(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-p", "etagspec", "--etagspec-parser=no_such_adapter.py")
    result.stderr.fnmatch_lines(["*--etagspec-parser: no such adapter file*"])
