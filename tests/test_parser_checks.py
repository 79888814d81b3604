"""The parser checks' judges on single calls worked out by hand from RFC
9110 (docs/SPEC.md §9), without Hypothesis: each flawed adapter of
tests/parser_zoo.py on the one input it gets wrong, and the reference and
the lenient adapter on the same input."""

from __future__ import annotations

import pytest
from parser_zoo import adapter

from etagspec.conformance.model import Status
from etagspec.conformance.parsers import (
    PARSER_CHECKS,
    AdapterError,
    check_parser,
    load_adapter,
    render_markdown,
    render_text,
)
from etagspec.conformance.parsers.checks import reference_list
from etagspec.conformance.parsers.timing import MAX_RATIO, time_ratio

# (check, adapter, input, the root cause expected, or "" for no finding, and
# whether the finding is lenient)
CASES = [
    ("PARSE-LIST-1", "SPLITS_AT_COMMAS", '"a,b"', "splits inside quotes", False),
    ("PARSE-LIST-1", "CORRECT", '"a,b"', "", False),
    ("PARSE-LIST-1", "LENIENT", '",", ","', "", False),
    ("PARSE-LIST-2", "READS_2616_FIRST", '"a\\", "b"', "backslash", False),
    ("PARSE-LIST-2", "CORRECT", '"a\\", "b"', "", False),
    ("PARSE-LIST-2", "LENIENT", 'W/"W/"', "", False),
    ("PARSE-LIST-3", "STAR_IS_A_TAG", "*", 'reads the wildcard * as the tag "*"', False),
    ("PARSE-LIST-3", "CORRECT", '"*"', "", False),
    ("PARSE-LIST-3", "LENIENT", '"a", *', "", False),
    ("PARSE-LIST-5", "FINDS_TAGS_ANYWHERE", '"a", "b" "c"', "accepts an invalid list", False),
    ("PARSE-LIST-4", "NO_EMPTY_ELEMENTS", '"a" ,, W/"b",', "rejects a valid list", False),
    ("PARSE-LIST-4", "CORRECT", ", ,", "", False),
    ("PARSE-LIST-5", "FINDS_TAGS_ANYWHERE", '"a" "b"', "accepts an invalid list as tags", False),
    ("PARSE-LIST-5", "LENIENT", 'w/"a"', "lowercase w/", True),
    ("PARSE-LIST-5", "CORRECT", 'w/"a"', "", False),
    ("PARSE-ETAG-1", "UNESCAPES_ONE", '"a\\"', "backslash", False),
    ("PARSE-ETAG-1", "CORRECT", '"a\\"', "", False),
    ("PARSE-ETAG-1", "LENIENT", 'w/"a"', "lowercase w/", True),
    ("PARSE-ETAG-1", "CORRECT", "abc", "", False),
    ("FMT-ETAG-1", "QUOTES_BLINDLY", ('a"b', False), "writes a DQUOTE inside a tag", False),
    ("FMT-ETAG-1", "QUOTES_BLINDLY", ("a\r\nX: y", False), "CR, LF or NUL", False),
    ("FMT-ETAG-1", "CORRECT", ('a"b', False), "", False),
    ("FMT-ETAG-2", "QUOTES_AS_2616", ("a\\", True), "reads back as another tag", False),
    ("FMT-ETAG-2", "CORRECT", ("a,b", True), "", False),
    ("PARSE-CMP-1", "STRONG_IGNORES_W", ((True, "1"), (True, "1")), "weak tags strong", False),
    ("PARSE-CMP-1", "CORRECT", ((True, "1"), (True, "1")), "", False),
    ("PARSE-CMP-2", "WEAK_NEEDS_SAME_W", ((True, "1"), (False, "1")), "carry W/", False),
    ("PARSE-CMP-2", "CORRECT", ((True, "1"), (False, "1")), "", False),
    ("PARSE-DATE-1", "IMF_ONLY", (784111777, "Sun Nov  6 08:49:37 1994"), "asctime", False),
    ("PARSE-DATE-1", "CORRECT", (1483228799, "Sat, 31 Dec 2016 23:59:60 GMT"), "", False),
    ("PARSE-DATE-2", "ANY_ZONE_IS_GMT", "Sun, 06 Nov 1994 08:49:37 +0100", "numeric zone", False),
    ("PARSE-DATE-2", "LENIENT", "Sun, 06 Nov 1994 08:49:37 -0000", "-0000 zone read as UTC", True),
    ("PARSE-DATE-2", "LENIENT", "sun, 06 nov 1994 08:49:37 gmt", "case-insensitively", True),
    ("PARSE-DATE-2", "CORRECT", "Sun, 06 Nov 1994 08:49:37 +0000", "", False),
    ("FMT-DATE-1", "NUMERIC_ZONE", 784111777, "not an IMF-fixdate", False),
    ("FMT-DATE-1", "CORRECT", 2147483648, "", False),
]


@pytest.mark.parametrize(
    ("check_id", "name", "example", "cause", "lenient"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]}-{index}") for index, case in enumerate(CASES)],
)
def test_judge(check_id: str, name: str, example: object, cause: str, lenient: bool) -> None:
    judge = PARSER_CHECKS[check_id].judge
    assert judge is not None
    finding = judge(adapter(name), example)
    if not cause:
        assert finding is None
        return
    assert finding is not None
    assert cause in finding.signature
    assert bool(finding.lenient) is lenient
    assert "parser_zoo import" in finding.reproduce


@pytest.mark.parametrize("rule", ["PARSE-TIME-1"])
def test_a_quadratic_parser_shows_a_ratio_far_above_the_bound(rule: str) -> None:
    from parser_zoo import _quadratic

    def many_tags(n: int) -> str:
        return ", ".join(f'"t{i}"' for i in range(400 * n))

    # Wall-clock ratios, measured once more when on the wrong side of the
    # bound, as the check itself does: a busy moment on a shared machine that
    # lands on all the rounds at the small size makes a quadratic parser look
    # linear (and one at the large size, a linear parser quadratic).
    quadratic = time_ratio(_quadratic, many_tags)
    if quadratic <= MAX_RATIO:
        quadratic = max(quadratic, time_ratio(_quadratic, many_tags))
    assert quadratic > MAX_RATIO
    correct = adapter("CORRECT").functions["parse_etags"]
    linear = time_ratio(correct, many_tags)
    if linear >= MAX_RATIO:
        linear = min(linear, time_ratio(correct, many_tags))
    assert linear < MAX_RATIO


def test_the_reference_reads_lists_as_the_rfc_does() -> None:
    assert reference_list('"a,b", W/"c"') == ((False, "a,b"), (True, "c"))
    assert reference_list(" * ") == "*"
    assert reference_list('"a", *') == "invalid"


def test_a_reproduction_runs_the_adapter_function(tmp_path: object) -> None:
    import subprocess
    import sys

    from etagspec.conformance.parsers import reference

    loaded = load_adapter(reference)
    line = loaded.reproduction("parse_etags", '"a,b"')
    ran = subprocess.run(
        ["sh", "-c", line.replace("python", sys.executable, 1)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == "[(False, 'a,b')]"


def test_an_adapter_without_functions_is_refused() -> None:
    with pytest.raises(AdapterError, match="defines none of"):
        load_adapter("etagspec.limits")


def test_the_report_renders_and_counts() -> None:
    report = check_parser(adapter("STAR_IS_A_TAG"), max_examples=5, select=["PARSE-LIST-3"])
    (result,) = report.results
    assert result.status is Status.FAILED and report.exit_code == 1
    assert 'reads the wildcard * as the tag "*"' in render_text(report)
    assert "`PARSE-LIST-3`" in render_markdown(report)
    assert report.to_json()["checks"][0]["finding"]["input"] == "'*'"


def test_a_documented_difference_does_not_fail_the_run() -> None:
    flawed = adapter("STAR_IS_A_TAG")
    documented = type(flawed)(
        flawed.name, flawed.functions, flawed.importer, {"PARSE-LIST-3": "so documented"}
    )
    report = check_parser(documented, max_examples=5, select=["PARSE-LIST-3"])
    assert report.results[0].status is Status.FAILED and report.exit_code == 0
    assert "failed (documented)" in render_text(report)
