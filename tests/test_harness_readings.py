"""Cases where an earlier harness was wrong, each kept as a test.

Found while confirming the published reports' failures against the
frameworks' code: a check must not fail a target for something
RFC 9110 allows, nor blame the wrong check.
"""

from __future__ import annotations

from typing import Any

import zoo
from test_mutants import (
    IN_PROCESS_DATE_SKIP,
    MAX_EXAMPLES,
    SAFE_PATHS,
    UNSAFE_PATHS,
    by_id,
    run_mutant,
    unexpected,
)

from etagspec.conformance import ProbeRequest, Status, check_app
from etagspec.conformance.model import DEFAULT_SEED, ProbeResponse
from etagspec.conformance.oracle import Observed, expect, explain

WRITE_CHECKS = ("COND-IM-5", "COND-IUS-7", "COND-INM-5b")


def test_ignoring_if_unmodified_since_is_not_blamed_on_the_date_formats() -> None:
    # DATE-1 compares the obsolete forms with IMF-fixdate: a target that
    # ignores If-Unmodified-Since in every form fails COND-IUS-6 only.
    report = run_mutant("ignore_if_unmodified_since", select=("DATE-1", "COND-IUS-6"))
    results = by_id(report)
    assert results["DATE-1"].status is Status.PASSED, unexpected(report)
    assert results["COND-IUS-6"].status is Status.FAILED


def test_understanding_only_imf_fixdate_fails_date_1_by_comparison() -> None:
    report = run_mutant("imf_fixdate_only", select=("DATE-1",))
    (failure,) = by_id(report)["DATE-1"].failures
    assert "the same instant in IMF-fixdate" in failure.explanation


def _without_delete(app: Any) -> Any:
    """The zoo's correct app, but it supports no DELETE (405, as RFC 9110 asks)."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        if environ["REQUEST_METHOD"] == "DELETE":
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD, PUT")])
            return [b""]
        return app(environ, start_response)

    return wrapped


def test_a_method_the_target_does_not_support_may_get_405() -> None:
    # §13.2.1: preconditions are ignored when the answer without them would
    # not be 2xx/412, so 405 to DELETE is right when the resource is unchanged.
    report = check_app(
        _without_delete(zoo.make_app()),
        paths=SAFE_PATHS,
        unsafe_paths=UNSAFE_PATHS,
        max_examples=MAX_EXAMPLES,
        seed=DEFAULT_SEED,
        select=WRITE_CHECKS,
    )
    assert unexpected(report) == {}


def test_a_write_mutant_is_reported_by_the_request_that_changed_the_resource() -> None:
    # The judge compares with the state right before each request: once a
    # write got through, later (correct) 412s are not reported as lost updates.
    for flag in ("write_ignores_if_match", "write_ignores_if_none_match"):
        report = run_mutant(flag)
        for result in report.results:
            for failure in result.failures:
                assert failure.response.status != 412, (flag, failure.explanation)


def _observed(**headers: str) -> Observed:
    fields = tuple(headers.items())
    return Observed.from_response("/", ProbeResponse(200, (("ETag", '"v1"'), *fields), b"x"))


def test_a_list_of_only_empty_elements_read_as_absent_fails_in_if_match_only() -> None:
    # ",," is an If-Match list with no members (RFC 9110 §5.6.1): strictly
    # false (412). Read as absent, as for an empty field line, it lets the
    # request through: LEN-9, a failure. In If-None-Match the same reading
    # only lets If-Modified-Since decide: lenient (AMB-LIST-1).
    observed = _observed(**{"Last-Modified": "Sat, 04 Nov 2023 00:00:00 GMT"})
    for value in (",,", " , ", ""):
        request = ProbeRequest("GET", "/", (("If-Match", value),))
        assert expect(request, observed).allowed == {412}, value
        reading = explain(request, observed, 200)
        assert reading is not None and (reading.id, reading.verdict) == ("LEN-9", "fail")
        since = ("If-Modified-Since", "Sat, 04 Nov 2023 00:00:00 GMT")
        request = ProbeRequest("GET", "/", (("If-None-Match", value), since))
        assert expect(request, observed).allowed == {200}, value
        reading = explain(request, observed, 304)
        assert reading is not None and (reading.id, reading.lenient) == ("AMB-LIST-1", True)
    request = ProbeRequest("GET", "/", (("If-Match", '"v0",,'),))
    assert expect(request, observed).allowed == {412}
    assert explain(request, observed, 200) != explain(ProbeRequest("GET", "/"), observed, 200)


def test_a_path_without_any_answer_fails_every_check_instead_of_skipping() -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> Any:
        raise RuntimeError("boom")

    report = check_app(broken, paths=["/"], max_examples=2, select=("COND-INM-4a", "VAL-200-1"))
    assert {r.status for r in report.results} == {Status.FAILED}
    for result in report.results:
        assert "got no HTTP response" in result.failures[0].explanation
        assert "RuntimeError: boom" in result.failures[0].explanation
    assert report.exit_code == 1


_CONTROLS = {chr(c) for c in (*range(0x20), 0x7F)} - {"\t"}


def _rejecting(app: Any, *, only_controls: bool = True) -> Any:
    """The zoo's app behind a front end that answers 400 to a request whose
    If-* fields hold a control character (as Apache httpd does), or, with
    ``only_controls=False``, to any request with If-Range (a bug)."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        fields = [v for k, v in environ.items() if k.startswith("HTTP_IF")]
        bad = (
            any(_CONTROLS & set(v) for v in fields) if only_controls else "HTTP_IF_RANGE" in environ
        )
        if bad:
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"bad request"]
        return app(environ, start_response)

    return wrapped


def test_a_400_to_a_control_character_in_a_field_is_allowed() -> None:
    # RFC 9110 §5.5: such a value is invalid, and the message may be rejected.
    report = check_app(
        _rejecting(zoo.make_app()),
        paths=SAFE_PATHS,
        unsafe_paths=UNSAFE_PATHS,
        max_examples=MAX_EXAMPLES,
        seed=DEFAULT_SEED,
    )
    assert unexpected(report) == {"DATE-ORIGIN-1": IN_PROCESS_DATE_SKIP}


def test_a_400_to_a_valid_field_still_fails() -> None:
    report = check_app(
        _rejecting(zoo.make_app(), only_controls=False),
        paths=SAFE_PATHS,
        max_examples=MAX_EXAMPLES,
        seed=DEFAULT_SEED,
        select=("COND-IR-3b",),
    )
    assert by_id(report)["COND-IR-3b"].status is Status.FAILED


def _case_blind_dates(app: Any) -> Any:
    """The zoo's app behind a front end that reads If-(Un)Modified-Since
    case-insensitively (as Django and Werkzeug do): the reading AMB-DATE-2
    calls lenient."""
    import re

    from etagspec.dates import http_date_to_timestamp
    from etagspec.errors import InvalidHTTPDate

    def recased(value: str) -> str:
        words = re.sub(r"[A-Za-z]+", lambda m: m.group().title(), value)
        return words.replace("Gmt", "GMT")

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        for key in ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"):
            value = environ.get(key)
            if value and recased(value) != value:
                try:
                    http_date_to_timestamp(recased(value))
                except InvalidHTTPDate:
                    continue
                environ[key] = recased(value)
        return app(environ, start_response)

    return wrapped


def test_case_blind_date_parsing_is_caught_in_both_date_fields() -> None:
    # Both checks also send Last-Modified itself in lower and upper case (the
    # revealing case): before, COND-IMS-3 missed Django's parser at the default seed.
    report = check_app(
        _case_blind_dates(zoo.make_app()),
        paths=SAFE_PATHS,
        max_examples=MAX_EXAMPLES,
        seed=DEFAULT_SEED,
        select=("COND-IMS-3", "COND-IUS-3"),
    )
    results = by_id(report)
    for check_id in ("COND-IMS-3", "COND-IUS-3"):
        assert results[check_id].status is Status.LENIENT, unexpected(report)
        assert results[check_id].signatures == ("HTTP-date read case-insensitively",)
