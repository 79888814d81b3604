"""The feature probes and the whole-run diagnosis, held to apps whose true
diagnosis was written down before the harness ran on them
(tests/diagnosis_apps.py, and the zoo's one-bug mutants)."""

from __future__ import annotations

import json
from typing import Any

import diagnosis_apps
import lenient_apps
import pytest
import zoo

from etagspec.conformance import check_app
from etagspec.conformance.campaign import Deviation as Note
from etagspec.conformance.diagnosis import Candidate, explain_answers
from etagspec.conformance.matrix_model import Matrix, MatrixCheck, column_from_report
from etagspec.conformance.model import (
    SEVERITY,
    ProbeRequest,
    ProbeResponse,
    Report,
    Status,
    Support,
)
from etagspec.conformance.oracle import Observed
from etagspec.conformance.readings import Case
from etagspec.conformance.report.html import render_html
from etagspec.conformance.report.markdown import render_markdown
from etagspec.conformance.report.matrix_html import render_matrix_html
from etagspec.conformance.report.matrix_md import render_matrix_markdown
from etagspec.conformance.report.terminal import render_terminal
from etagspec.conformance.transcript import Exchange

_RUNS: dict[str, Report] = {}


def run(name: str) -> Report:
    """The report of one of diagnosis_apps' apps (each run once)."""
    if name not in _RUNS:
        _RUNS[name] = check_app(getattr(diagnosis_apps, name), name=name)
    return _RUNS[name]


def diagnosed(report: Report) -> dict[str, str]:
    assert report.diagnosis is not None
    return {d.name: d.kind for d in report.diagnosis.deviations}


@pytest.mark.parametrize("name", sorted(diagnosis_apps.TRUE_DIAGNOSES))
def test_each_app_gets_its_true_diagnosis(name: str) -> None:
    report = run(name)
    assert diagnosed(report) == diagnosis_apps.TRUE_DIAGNOSES[name]
    assert report.diagnosis is not None and report.diagnosis.unexplained == 0


@pytest.mark.parametrize("name", sorted(diagnosis_apps.TRUE_IDS))
def test_each_app_gets_its_true_deviation_ids_and_its_checks_their_classes(name: str) -> None:
    # One deviation per ID, its class from the catalogue's verdict (a group
    # of lenient readings is never a bug), and a check's class the most
    # severe of the deviations its failures carry.
    report = run(name)
    assert report.diagnosis is not None
    truth = diagnosis_apps.TRUE_IDS[name]
    assert {d.id: d.kind for d in report.diagnosis.deviations} == truth
    for result in report.results:
        carried = {i for failure in result.failures for i in failure.deviations}
        if result.status in (Status.FAILED, Status.WARNED, Status.LENIENT):
            assert carried and carried <= set(truth), result.check.id
            expected = next(k for k in SEVERITY if k in {truth[i] for i in carried})
            assert report.check_class(result) == expected, result.check.id
    if set(truth.values()) == {"lenient"}:
        assert report.exit_code == 0


def test_failures_carry_their_deviation_ids_in_json() -> None:
    report = run("both_retrieval_fields_app")
    data = report.to_json()
    failed = [check for check in data["checks"] if check["status"] == "failed"]
    assert failed
    for check in failed:
        assert check["class"] == "bug"
        for failure in check["failures"]:
            assert failure["deviations"] == ["RETRIEVAL-FIELDS-BOTH-EVALUATED@If-None-Match"]
    (deviation,) = data["diagnosis"]["deviations"]
    assert deviation["id"] == "RETRIEVAL-FIELDS-BOTH-EVALUATED@If-None-Match"
    assert deviation["class"] == "bug" and deviation["name"]


@pytest.mark.parametrize("name", sorted(diagnosis_apps.TRUE_DIAGNOSES))
def test_every_deviation_is_confirmed_by_a_decisive_probe(name: str) -> None:
    report = run(name)
    assert report.diagnosis is not None
    for deviation in report.diagnosis.deviations:
        probe = deviation.probe
        assert probe is not None, deviation.name
        assert probe.confirmed, deviation.name
        assert str(probe.response.status) in probe.deviant.split(" or ")
        assert not set(probe.rfc.split(" or ")) & set(probe.deviant.split(" or "))


@pytest.mark.parametrize("name", sorted({*diagnosis_apps.TRUE_DIAGNOSES, *diagnosis_apps.TRUE_IDS}))
def test_a_checks_failures_show_every_deviation_the_diagnosis_charges_it_with(name: str) -> None:
    # A check's search passes over what a known deviation explains, so its
    # recorded failures alone depend on what its searches met; the
    # diagnosis adds the simplest of the check's answers that shows each
    # other deviation it charges the check with, and the check's class is
    # the most severe of them all.
    report = run(name)
    assert report.diagnosis is not None
    by_id = {result.check.id: result for result in report.results}
    for deviation in report.diagnosis.deviations:
        for check in deviation.checks:
            result = by_id[check]
            shown = [f for f in result.failures if deviation.id in f.deviations]
            assert shown, (check, deviation.id)
            assert all(f.reproduce for f in shown)
        if deviation.kind == "bug":
            assert all(report.check_class(by_id[check]) == "bug" for check in deviation.checks)


def test_the_app_answering_304_to_any_if_none_match_has_four_deviations_and_no_leniency() -> None:
    report = run("any_if_none_match_app")
    assert report.diagnosis is not None
    assert len(report.diagnosis.deviations) == 4
    assert report.summary["lenient"] == 0
    assert not any(f.lenient for r in report.results for f in r.failures)
    assert [c for c in report.root_causes() if c.lenient] == []
    # A request with an If-None-Match that matches nothing gets 304 whatever
    # If-Match says: the precedence check meets the bug, not only the
    # fields never read.
    (precedence,) = [r for r in report.results if r.check.id == "COND-PREC-0"]
    assert report.check_class(precedence) == "bug"
    assert "4 distinct deviations: 1 bug, 3 unsupported, 0 server duty; 0 lenient readings" in (
        render_terminal(report)
    )


def test_one_raw_string_comparison_is_one_deviation_whatever_the_checks_it_fails() -> None:
    report = run("raw_string_app")
    assert report.diagnosis is not None
    raw = [d for d in report.diagnosis.deviations if d.kind == "bug"]
    assert [d.name for d in raw] == ["If-None-Match compared as raw text"]
    assert {"CMP-USE-2", "COND-INM-4a"} <= set(raw[0].checks)


def features_of(report: Report) -> dict[str, Support]:
    return {feature.name: feature.support for feature in report.features}


def test_the_feature_table_says_which_fields_each_app_evaluates() -> None:
    any_inm = features_of(run("any_if_none_match_app"))
    assert any_inm["If-None-Match"] is Support.PARTLY
    for name in ("If-Match", "If-Modified-Since", "If-Unmodified-Since", "Range"):
        assert any_inm[name] is Support.NOT_EVALUATED, name
    bottle = features_of(run("bottle_like_app"))
    assert bottle["If-None-Match"] is bottle["If-Modified-Since"] is Support.EVALUATED
    assert bottle["If-Match"] is bottle["If-Unmodified-Since"] is Support.NOT_EVALUATED
    files = features_of(run("file_response_like_app"))
    assert files["If-None-Match"] is files["If-Modified-Since"] is Support.NOT_EVALUATED
    for name in ("If-Match", "If-Match strong comparison", "If-Match *", "If-Range", "Range"):
        assert files[name] is Support.EVALUATED, name
    raw = features_of(run("raw_string_app"))
    assert raw["If-None-Match weak comparison"] is raw["If-None-Match *"] is Support.NOT_EVALUATED


def test_each_feature_keeps_the_probes_that_decided_it() -> None:
    report = run("bottle_like_app")
    if_match = next(f for f in report.features if f.name == "If-Match")
    decisive = [probe for probe in if_match.probes if probe.decisive]
    assert decisive and all(probe.response.status == 200 for probe in decisive)
    assert decisive[0].rfc == (412,) and decisive[0].alternative == (200,)


def test_a_correct_app_evaluates_everything_and_has_no_deviation() -> None:
    report = check_app(zoo.make_app(), name="zoo")
    assert report.diagnosis is not None and report.diagnosis.deviations == ()
    table = features_of(report)
    for name in ("If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since"):
        assert table[name] is Support.EVALUATED, name
    for name in ("If-Range", "Range", "HEAD", "If-Match *", "If-None-Match weak comparison"):
        assert table[name] is Support.EVALUATED, name


def test_a_lenient_reading_alone_is_one_lenient_deviation_and_no_bug() -> None:
    # True diagnosis (tests/lenient_apps.py's docstring): dates read
    # case-blind (AMB-DATE-2) and day-name-blind (AMB-DATE-1), and with the
    # flag unquoted tags accepted in If-None-Match (LEN-3); nothing else.
    # One date parser and one tag parser: two lenient deviations.
    report = check_app(lenient_apps.make_app(unquoted_if_none_match=True), name="lenient")
    assert report.diagnosis is not None
    deviations = report.diagnosis.deviations
    assert sorted((d.id, d.kind) for d in deviations) == [
        ("LENIENT@HTTP-date", "lenient"),
        ("LENIENT@If-None-Match", "lenient"),
    ]
    readings = {part.strip() for d in deviations for part in d.reading.split(",")}
    assert readings == {"AMB-DATE-1", "AMB-DATE-2", "LEN-3"}
    assert {report.check_class(r) for r in report.results if r.failures} == {"lenient"}
    assert report.exit_code == 0


def test_a_body_on_head_from_an_in_process_app_is_the_servers_duty() -> None:
    # True diagnosis: one deviation, the body sent in answer to HEAD, left
    # to the server in front of a WSGI app (PEP 3333).
    report = check_app(zoo.make_app(body_on_head=True), name="head", select=["METH-HEAD-1"])
    assert report.diagnosis is not None
    assert [d.kind for d in report.diagnosis.deviations] == ["server-duty"]
    assert report.diagnosis.deviations[0].checks == ("METH-HEAD-1",)


def test_a_head_a_check_sends_only_to_compare_is_not_its_failure() -> None:
    # True diagnosis: two deviations. The body on HEAD is the server's duty
    # (METH-HEAD-1); preconditions not evaluated on HEAD is a bug of the
    # conditional checks (CMP-USE-1). METH-HEAD-1 also sends a conditional
    # HEAD, to compare it with GET, and gets 200 where RFC 9110 gives 304:
    # that answer goes to the diagnosis, but METH-HEAD-1 does not judge its
    # status, so it is never METH-HEAD-1's failure, nor its class.
    report = check_app(
        zoo.make_app(head_ignores_preconditions=True, body_on_head=True),
        name="head",
        select=["METH-HEAD-1", "CMP-USE-1"],
    )
    by_id = {result.check.id: result for result in report.results}
    head = by_id["METH-HEAD-1"]
    assert [f.deviations for f in head.failures] == [("METH-HEAD-1",)]
    assert report.check_class(head) == "server-duty"
    assert report.check_class(by_id["CMP-USE-1"]) == "bug"


def test_unsupported_features_still_fail_the_run_and_are_counted_apart() -> None:
    report = run("bottle_like_app")
    assert report.exit_code == 1
    failed = [r for r in report.results if r.status is Status.FAILED]
    assert failed and {report.check_class(r) for r in failed} == {"unsupported"}
    assert (
        render_terminal(report)
        .rstrip()
        .endswith("; deviations: 0 bugs, 2 unsupported, 0 server duty")
    )


def test_every_report_opens_with_the_feature_table() -> None:
    report = run("any_if_none_match_app")
    terminal = render_terminal(report)
    assert terminal.index("Features (what the target evaluates") < terminal.index("FAIL  ")
    markdown = render_markdown(report)
    assert markdown.index("## Features") < markdown.index("| ID | Level | Status |")
    assert "## Diagnosis: 4 distinct deviations" in markdown
    page = render_html(report)
    assert page.index('<section id="features">') < page.index('<section id="checks">')
    data = json.loads(json.dumps(report.to_json()))
    assert [f["name"] for f in data["features"]][:2] == [
        "If-None-Match",
        "If-None-Match weak comparison",
    ]
    assert data["diagnosis"]["counts"] == {
        "bug": 1,
        "unsupported": 3,
        "should": 0,
        "lenient": 0,
        "server-duty": 0,
    }
    classes = {check["id"]: check["class"] for check in data["checks"]}
    assert classes["COND-IUS-6"] == "unsupported" and classes["CMP-USE-2"] == "bug"


def test_the_matrix_marks_unsupported_cells_and_judges_the_findings_classes() -> None:
    report = run("bottle_like_app")
    data: dict[str, Any] = json.loads(json.dumps(report.to_json(include_run=False)))
    column = column_from_report(data, title="Bottle-like")
    assert column.check_class("COND-IUS-6") == "unsupported"
    assert [c.signature for c in column.of_class("unsupported")] == [
        "If-Match not evaluated",
        "If-Unmodified-Since not evaluated",
    ]
    notes = (
        Note("bottle_like_app", "COND-IUS-6", "never reads If-Unmodified-Since", "", "bug"),
        Note("bottle_like_app", "COND-IM-4c", "never reads If-Match", "", "unsupported"),
    )
    matrix = Matrix("0", 1, 5, "3.11", (), (column,), notes)
    assert matrix.class_disagreements() == [("bottle_like_app", "COND-IUS-6", "bug", "unsupported")]
    rows = tuple(MatrixCheck(c["id"], c["title"], c["level"], c["rfc"]) for c in data["checks"])
    text = render_matrix_markdown(Matrix("0", 1, 5, "3.11", rows, (column,), notes))
    assert "| COND-IUS-6 | MUST | [🚫](bottle_like_app/report.html#check-COND-IUS-6) |" in text
    # The matrix opens with the feature table too.
    assert text.index("## Features: what each target evaluates") < text.index(
        "## Distinct deviations per target"
    )
    assert "| If-Match | ∅ |" in text and "| If-None-Match | ✓ |" in text
    page = render_matrix_html(Matrix("0", 1, 5, "3.11", rows, (column,), notes))
    assert page.index('<section id="features">') < page.index('<section id="deviations">')
    assert 'class="cell unsupported"' in page


def _answers_for(*exchanges: tuple[str, int]) -> list[Any]:
    """Distinct answers of the diagnosis for If-None-Match values and statuses."""
    from etagspec.conformance.diagnosis import _answers

    observed = Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'),), b"x"))
    return _answers(
        Exchange(
            ProbeRequest("GET", "/", (("If-None-Match", value),)),
            ProbeResponse(status),
            observed,
            None,
            "t",
        )
        for value, status in exchanges
    )


def _reading(name: str, rewrite: str) -> Candidate:
    def function(case: Case) -> tuple[Case, str, str] | None:
        if case.conditions.if_none_match is None:
            return None
        return case.with_fields(if_none_match=rewrite), "", name

    return Candidate(name, "", "bug", function, 0 if name == "a" else 1)


def test_a_reading_that_one_answer_contradicts_is_not_the_cause() -> None:
    # "a" (If-None-Match read as *) would explain the two 304s to other
    # tags, but the 200 to a third contradicts it; "b" (read as the current
    # tag) explains the same two and nothing contradicts it... except the
    # same 200: so neither is chosen, and the 304s stay unexplained.
    answers = _answers_for(('"x"', 304), ('"y"', 304), ('"z"', 200))
    assert explain_answers(answers, [_reading("a", "*"), _reading("b", '"v1"')]) == []
    # Without the contradicting answer, the first reading is enough.
    answers = _answers_for(('"x"', 304), ('"y"', 304))
    chosen = explain_answers(answers, [_reading("a", "*"), _reading("b", '"v1"')])
    assert [c.name for c in chosen] == ["a"]


def test_a_write_that_ignores_if_match_is_one_bug_not_an_unsupported_field() -> None:
    # True diagnosis of the zoo's write_ignores_if_match mutant (written
    # before the run): If-Match is evaluated on GET (the feature probes say
    # so), only a PUT ignores it, so one deviation, a bug, failing COND-IM-5.
    report = check_app(
        zoo.make_app(write_ignores_if_match=True), unsafe_paths=["/doc"], name="write"
    )
    assert report.diagnosis is not None
    assert features_of(report)["If-Match"] is Support.EVALUATED
    found = [(d.kind, d.checks) for d in report.diagnosis.deviations]
    assert found == [("bug", ("COND-IM-5",))]


def test_an_app_that_evaluates_nothing_on_head_is_one_deviation() -> None:
    # True diagnosis of the zoo's head_ignores_preconditions mutant (written
    # before the run): GET is right; HEAD answers as if no precondition
    # field were sent, so one bug, "preconditions not evaluated on HEAD",
    # whatever the number of checks whose HEAD requests it fails.
    report = check_app(zoo.make_app(head_ignores_preconditions=True), name="head")
    assert report.diagnosis is not None
    assert [(d.kind, d.name) for d in report.diagnosis.deviations] == [
        ("bug", "preconditions not evaluated on HEAD")
    ]
    assert "METH-HEAD-2" in report.diagnosis.deviations[0].checks


_LAST_MODIFIED = "Fri, 03 Nov 2023 08:26:40 GMT"
_LATER = "Fri, 03 Nov 2023 08:26:50 GMT"
_EARLIER = "Fri, 03 Nov 2023 08:26:30 GMT"


def _transcript(
    *exchanges: tuple[str, tuple[tuple[str, str], ...], int],
    ranges: bool = False,
    etag: str = '"v1"',
) -> list[Any]:
    """Answers of a path with ETag ``etag`` and the Last-Modified above
    (that serves ranges if ``ranges``)."""
    from etagspec.conformance.diagnosis import _answers

    fields = (("ETag", etag), ("Last-Modified", _LAST_MODIFIED))
    plain = ProbeResponse(200, fields, b"xy")
    observed = Observed.from_response("/", plain, supports_range=ranges)
    return _answers(
        Exchange(ProbeRequest(method, "/", headers), ProbeResponse(status), observed, None, "t")
        for method, headers, status in exchanges
    )


@pytest.mark.parametrize(
    ("reading", "exchanges"),
    [
        (
            "If-Modified-Since compared for equality with Last-Modified",
            [
                ("GET", (("If-Modified-Since", _LAST_MODIFIED),), 304),
                ("GET", (("If-Modified-Since", _LATER),), 200),
                ("GET", (("If-Modified-Since", _EARLIER),), 200),
            ],
        ),
        (
            "If-None-Match and If-Modified-Since ignored when If-Match is present",
            [
                ("GET", (("If-Match", '"v1"'), ("If-None-Match", '"v1"')), 200),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-Match", '"x"'),), 412),
            ],
        ),
        (
            "If-Match split on every comma, invalid members dropped",
            [
                ("GET", (("If-Match", '"a,b"'),), 200),
                ("GET", (("If-Match", '"x"'),), 412),
                ("GET", (("If-Match", '"v1"'),), 200),
            ],
        ),
        (
            "If-Unmodified-Since evaluated as well as If-Match",
            [
                ("GET", (("If-Match", '"v1"'), ("If-Unmodified-Since", _EARLIER)), 412),
                ("GET", (("If-Match", '"x"'), ("If-Unmodified-Since", _LATER)), 412),
                ("GET", (("If-Match", '"v1"'), ("If-Unmodified-Since", _LATER)), 200),
                ("GET", (("If-Unmodified-Since", _EARLIER),), 412),
            ],
        ),
        (
            # nginx: only spaces are trimmed before a field value.
            "a leading HTAB kept in an If-None-Match or If-Match value"
            " (its first member never matches)",
            [
                ("GET", (("If-None-Match", '\t"v1"'),), 200),
                ("GET", (("If-None-Match", "\t*"),), 200),
                ("GET", (("If-Match", '\t"v1"'),), 412),
                ("GET", (("If-None-Match", '"x",\t"v1"'),), 304),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-Match", '"v1"'),), 200),
            ],
        ),
        (
            # Apache httpd: RFC 2616's quoted-string, a backslash escapes.
            "backslash escapes read inside If-None-Match tags (RFC 2616 quoted-string)",
            [
                ("GET", (("If-None-Match", '"a\\","v1"'),), 200),
                ("GET", (("If-None-Match", '"a\\", "v1"'),), 200),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-None-Match", '"x", "v1"'),), 304),
            ],
        ),
        (
            # Apache httpd: both evaluated, an unparsable date is "modified".
            "If-None-Match and If-Modified-Since both evaluated (a 304 only when both hold)"
            ", an invalid date read as modified",
            [
                ("GET", (("If-None-Match", '"v1"'), ("If-Modified-Since", "junk")), 200),
                ("GET", (("If-None-Match", '"v1"'), ("If-Modified-Since", _EARLIER)), 200),
                ("GET", (("If-None-Match", '"v1"'), ("If-Modified-Since", _LATER)), 304),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-Modified-Since", _LATER),), 304),
            ],
        ),
        (
            # Apache httpd: a passing If-Unmodified-Since clears not_modified.
            "a true If-Unmodified-Since cancels the 304 of If-None-Match or If-Modified-Since",
            [
                ("GET", (("If-None-Match", '"v1"'), ("If-Unmodified-Since", _LATER)), 200),
                ("GET", (("If-Modified-Since", _LATER), ("If-Unmodified-Since", _LATER)), 200),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-Modified-Since", _LATER),), 304),
                ("GET", (("If-Unmodified-Since", _EARLIER),), 412),
            ],
        ),
        (
            # WebOb: a regex finds tags at the start or after whitespace.
            "If-None-Match tags searched for after whitespace (a tag right after a comma missed)",
            [
                ("GET", (("If-None-Match", '"x","v1"'),), 200),
                ("GET", (("If-None-Match", '"x", "v1"'),), 304),
                ("GET", (("If-None-Match", '"v1"x'),), 304),
                ("GET", (("If-None-Match", '"v1"'),), 304),
                ("GET", (("If-None-Match", '"x"'),), 200),
            ],
        ),
        (
            "preconditions not evaluated on HEAD",
            [
                ("HEAD", (("If-None-Match", '"v1"'),), 200),
                ("HEAD", (("If-Match", '"x"'),), 200),
                ("GET", (("If-None-Match", '"v1"'),), 304),
            ],
        ),
    ],
)
def test_each_reading_of_the_diagnosis_is_found_where_it_alone_explains_the_answers(
    reading: str, exchanges: list[tuple[str, tuple[tuple[str, str], ...], int]]
) -> None:
    from etagspec.conformance.diagnosis import _candidates

    answers = _transcript(*exchanges)
    chosen = explain_answers(answers, _candidates(answers, ()))
    assert [candidate.name for candidate in chosen] == [reading]


def test_a_weak_etag_compared_as_strong_is_one_reading() -> None:
    # Like Werkzeug with a weak ETag W/"v1": it unquotes the ETag and drops
    # the W/, so If-Match: "v1" passes and an If-Range W/"v1" matches.
    from etagspec.conformance.diagnosis import _candidates

    answers = _transcript(
        ("GET", (("If-Match", '"v1"'),), 200),
        ("GET", (("If-Match", 'W/"v1"'),), 412),
        ("GET", (("If-Match", '"x"'),), 412),
        ("GET", (("Range", "bytes=0-0"), ("If-Range", 'W/"v1"')), 206),
        ("GET", (("Range", "bytes=0-0"), ("If-Range", '"x"')), 200),
        ("GET", (("Range", "bytes=0-0"),), 206),
        ("GET", (("If-None-Match", 'W/"v1"'),), 304),
        ranges=True,
        etag='W/"v1"',
    )
    chosen = explain_answers(answers, _candidates(answers, ()))
    assert [candidate.name for candidate in chosen] == [
        "a weak current ETag compared as strong in If-Match and If-Range"
    ]


def test_one_forgiving_if_match_parser_is_one_deviation_whatever_it_forgives() -> None:
    # True diagnosis of tolerant_if_match_app (its docstring, written before
    # the run): a Werkzeug-style If-Match parser is one LEN-9 reading, a bug,
    # listing the forms it forgave; If-Unmodified-Since never read is the
    # only other deviation; no lenient reading.
    report = run("tolerant_if_match_app")
    assert report.diagnosis is not None
    found = report.diagnosis.deviations
    assert sorted((d.kind, d.reading) for d in found) == [("bug", "LEN-9"), ("unsupported", "")]
    lenient_parse, unread = sorted(found, key=lambda d: d.kind)
    assert lenient_parse.name.startswith("If-Match parsed too leniently (LEN-9): ")
    assert len(lenient_parse.manifestations) >= 2
    assert all(form in lenient_parse.name for form in lenient_parse.manifestations)
    assert lenient_parse.probe is not None and lenient_parse.probe.confirmed
    assert unread.name == "If-Unmodified-Since not evaluated"
    assert report.diagnosis.counts["bug"] == 1
    assert all(d.explained for d in found)


def test_a_should_reading_is_a_should_deviation_never_a_bug() -> None:
    # True diagnosis of future_if_modified_since_ignored_app (its docstring,
    # written before the run): one deviation, AMB-DATE-6, whose catalogue
    # verdict is ``should``: classed "should", warned, counted apart from bugs.
    report = run("future_if_modified_since_ignored_app")
    assert report.diagnosis is not None
    assert [(d.name, d.kind, d.reading) for d in report.diagnosis.deviations] == [
        ("If-Modified-Since in the future ignored (RFC 2616)", "should", "AMB-DATE-6")
    ]
    assert report.diagnosis.counts["bug"] == 0
    assert report.diagnosis.counts["should"] == 1
    assert "1 SHOULD" in render_terminal(report)


def test_every_deviation_takes_the_class_of_its_readings_catalogue_verdict() -> None:
    from etagspec.conformance.diagnosis import _KIND_OF_VERDICT
    from etagspec.conformance.readings import reading_functions

    assert _KIND_OF_VERDICT == {
        "pass": "pass",
        "lenient": "lenient",
        "should": "should",
        "fail": "bug",
    }
    assert {verdict for _, verdict in reading_functions()} <= set(_KIND_OF_VERDICT)
    for name in ("tolerant_if_match_app", "future_if_modified_since_ignored_app"):
        report = run(name)
        assert report.diagnosis is not None
        for deviation in report.diagnosis.deviations:
            if deviation.reading:
                assert deviation.kind == _expected_class(deviation.reading), deviation.name


def _expected_class(reading_id: str) -> str:
    """The class docs/SPEC.md's verdict column gives a catalogue reading."""
    from test_verdict_table import verdict_table

    verdict = verdict_table()[reading_id]
    return {"lenient": "lenient", "should": "should", "fail": "bug"}[verdict]


def _if_match_reading(name: str, rewrite: dict[str, str | None]) -> Candidate:
    def function(case: Case) -> tuple[Case, str, str] | None:
        if case.conditions.if_match is None:
            return None
        return case.with_fields(**rewrite), "", name

    return Candidate(name, "", "bug", function, {"a": 0, "b": 1, "c": 2}[name])


def test_a_failure_two_readings_of_the_set_explain_together_is_theirs() -> None:
    from etagspec.conformance.diagnosis import _combination

    # "a" reads every If-Match as the current tag (a forgiving parse), "b"
    # drops If-None-Match when If-Match is present (a precedence change), "c"
    # reads If-Match as a tag that never matches. The whole set composed at
    # once gives 412 for If-Match "x" + If-None-Match "v1"; the target's 200
    # is what "a" and "b" together give, neither alone (a alone: 304).
    a = _if_match_reading("a", {"if_match": '"v1"'})
    b = _if_match_reading("b", {"if_none_match": None})
    c = _if_match_reading("c", {"if_match": '"never"'})
    (answer,) = _transcript(("GET", (("If-Match", "x"), ("If-None-Match", '"v1"')), 200))
    assert _combination([a, b, c], answer) == [a, b]
    assert _combination([a, c], answer) == []  # then it stays unexplained
    # An answer RFC 9110 gives needs no reading.
    (conforming,) = _transcript(("GET", (("If-Match", '"v1"'),), 200))
    assert _combination([a, b, c], conforming) == []


def test_a_failure_no_reading_explains_is_listed_apart_and_not_counted() -> None:
    # The count is the size of the set of readings: a failure no reading of
    # the set (alone or two together) reproduces is shown, marked
    # unexplained, and counted apart (its check still fails).
    from etagspec.conformance.diagnosis import _grouped
    from etagspec.conformance.model import Deviation, Diagnosis, TargetInfo
    from etagspec.conformance.report._common import root_cause_line

    found = _grouped(
        [
            Deviation(
                "unquoted entity-tag accepted in If-Match",
                "bug",
                "LEN-9",
                ("A",),
                id="LEN-9@If-Match",
            ),
            Deviation(
                "lowercase w/ read as a weak prefix in If-Match",
                "bug",
                "LEN-9",
                ("B",),
                id="LEN-9@If-Match",
            ),
            Deviation(
                "COND-X: expected 412 vs got 200",
                "bug",
                "",
                ("C",),
                explained=False,
                id="UNEXPLAINED@C",
            ),
        ]
    )
    assert [d.name for d in found] == [
        "If-Match parsed too leniently (LEN-9): unquoted entity-tag accepted in If-Match; "
        "lowercase w/ read as a weak prefix in If-Match",
        "COND-X: expected 412 vs got 200",
    ]
    assert found[0].checks == ("A", "B") and len(found[0].manifestations) == 2
    diagnosis = Diagnosis(tuple(found))
    assert diagnosis.counts["bug"] == 1
    assert [d.name for d in diagnosis.unexplained_failures] == ["COND-X: expected 412 vs got 200"]
    report = Report(TargetInfo("t", "wsgi", ("/",)), 1, 1, False, "0", (), diagnosis=diagnosis)
    assert root_cause_line(report).startswith("1 distinct deviation: 1 bug")
    assert root_cause_line(report).endswith("; 1 failure no reading explains")


def test_a_range_served_before_if_none_match_is_one_reading() -> None:
    # Like Werkzeug's make_conditional: a Range is served before
    # If-None-Match and If-Modified-Since are looked at; without a Range
    # both are evaluated. One reading explains both 206s.
    from etagspec.conformance.diagnosis import _candidates

    answers = _transcript(
        ("GET", (("Range", "bytes=0-0"), ("If-None-Match", '"v1"')), 206),
        ("GET", (("Range", "bytes=0-0"), ("If-Modified-Since", _LATER)), 206),
        ("GET", (("If-None-Match", '"v1"'),), 304),
        ("GET", (("If-Modified-Since", _LATER),), 304),
        ("GET", (("Range", "bytes=0-0"),), 206),
        ranges=True,
    )
    chosen = explain_answers(answers, _candidates(answers, ()))
    assert [candidate.name for candidate in chosen] == [
        "If-None-Match and If-Modified-Since not evaluated when a Range is served"
    ]


def test_a_list_split_on_every_comma_is_lenient_unless_it_cuts_a_valid_tag() -> None:
    # Django's parse_etags splits If-None-Match on every comma and drops the
    # members that are not quoted: on an invalid list that is a salvage
    # (AMB-ETAG-1) and a list left empty is read as absent (AMB-LIST-1),
    # both lenient; cutting a tag of a valid list ("v1,x") is a bug.
    from etagspec.conformance.diagnosis import _split_into_tags, _split_salvage
    from etagspec.etags import EntityTag
    from etagspec.preconditions import Conditions, Resource

    lenient = _split_salvage("if_none_match", "If-None-Match")
    deviant = _split_into_tags("if_none_match", "If-None-Match")

    def case(value: str) -> Case:
        return Case("GET", Conditions(if_none_match=value), Resource(etag=EntityTag("v1")), 200)

    for invalid in ('*, "v1"', '"a"b", "v1"', '"a \\" b", "v1"', "v1", '"v1", junk'):
        found = lenient(case(invalid))
        assert found is not None and found[1] == "AMB-ETAG-1, AMB-LIST-1", invalid
        assert deviant(case(invalid)) is None, invalid
    assert lenient(case(", ,")) is None  # an empty list: AMB-LIST-1's own reading
    found = deviant(case('"v1,x"'))
    assert found is not None and found[1] == "" and lenient(case('"v1,x"')) is None
    outcome = found[0]
    assert isinstance(outcome, Case) and outcome.conditions.if_none_match is None


def test_a_reading_that_does_not_apply_never_tells_a_failure() -> None:
    # A check that compares two answers (DATE-1: a leap second against the
    # same instant in IMF-fixdate) records a request with If-Modified-Since
    # alone: "If-Match not evaluated" cannot be its cause, even when the
    # passing readings of the set reproduce its status.
    from etagspec.conformance.diagnosis import _combination

    ignored = _if_match_reading("a", {"if_match": None})

    def date_dropped(case: Case) -> tuple[Case, str, str] | None:
        if case.conditions.if_modified_since is None:
            return None
        return case.with_fields(if_modified_since=None), "AMB-DATE-3", "p"

    permitted = Candidate("p", "AMB-DATE-3", "pass", date_dropped, 5)
    (answer,) = _transcript(("GET", (("If-Modified-Since", _LATER),), 200))
    assert _combination([ignored, permitted], answer) == []
    drops_the_date = _if_match_reading("b", {"if_modified_since": None})
    assert _combination([drops_the_date], answer) == []  # If-Match absent: "b" never applies


def test_a_cause_only_should_checks_tell_is_a_should_deviation_not_a_bug() -> None:
    # A 416 without Content-Range breaks RFC 9110 §15.5.17's SHOULD: told
    # by its check alone, it is a SHOULD deviation; the same cause met by a
    # MUST check is a bug.
    from etagspec.conformance.diagnosis import _unexplained
    from etagspec.conformance.model import CheckInfo, CheckResult, Failure, Level

    failure = Failure(
        ProbeRequest("GET", "/", (("Range", "bytes=1000-"),)),
        ProbeResponse(416),
        "Content-Range: bytes */20",
        "",
        "",
        signature="a 416 without Content-Range",
    )
    should = CheckInfo("ST-416-1", "t", "RFC 9110 §15.5.17", Level.SHOULD, "r")
    must = CheckInfo("X-1", "t", "RFC", Level.MUST, "r")
    met = [CheckResult(should, Status.WARNED, (failure,))]
    found = _unexplained("a 416 without Content-Range", met, "url", explained=True)
    assert (found.kind, found.id) == ("should", "ST-416-1")
    met.append(CheckResult(must, Status.FAILED, (failure,)))
    assert _unexplained("a 416 without Content-Range", met, "url", explained=True).kind == "bug"


def test_a_lenient_finding_is_told_by_the_simplest_answer_of_its_check_that_shows_it() -> None:
    # A lenient finding is recorded the first time a check meets it, never
    # shrunk: which request that is depends on the order the search sent
    # them in. The diagnosis tells it by the simplest answer of the same
    # check that the same readings explain, whatever came first.
    from etagspec.conformance.diagnosis import diagnose
    from etagspec.conformance.model import CheckInfo, CheckResult, Failure, Level

    observed = Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'),), b"x"))
    info = CheckInfo("test", "a test check", "RFC 9110", Level.MUST, "a rule")
    first = ProbeRequest("GET", "/", (("If-None-Match", 'v1, "aaaaaaaaaaaaaaaaaaaa"'),))
    simplest = ProbeRequest("GET", "/", (("If-None-Match", "v1"),))
    signature = "unquoted entity-tag accepted in If-None-Match"
    failure = Failure(
        first,
        ProbeResponse(304),
        "200",
        f"GET / ...: RFC 9110 gives 200; got 304 (lenient: LEN-3, {signature}) [test: a rule]",
        "",
        signature=signature,
        lenient="LEN-3",
    )
    # Another tag gets 200: the value is compared, only leniently parsed.
    other = ProbeRequest("GET", "/", (("If-None-Match", '"other"'),))
    exchanges = [
        Exchange(request, ProbeResponse(status), observed, None, "test")
        for request, status in ((first, 304), (other, 200), (simplest, 304))
    ]
    (told,), diagnosis = diagnose([CheckResult(info, Status.LENIENT, (failure,))], exchanges, [])
    assert [d.kind for d in diagnosis.deviations] == ["lenient"]
    (shown,) = told.failures
    assert shown.request == simplest and shown.lenient == "LEN-3"
    assert shown.deviations == ("LENIENT@If-None-Match",) and told.status is Status.LENIENT
    assert "If-None-Match: v1 (current ETag" in shown.explanation
    assert "(lenient: LEN-3," in shown.explanation and shown.explanation.endswith("[test: a rule]")
