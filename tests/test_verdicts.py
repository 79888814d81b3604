"""The verdict model: every row of the catalogue's ambiguity table and
lenient guidance that the harness can meet gets its documented verdict
(passed, lenient, warned or failed), and every deviation a root cause.

End to end, the targets are :mod:`lenient_apps`, a correct server written
independently of etagspec, with one optional reading switched on at a time;
rows that no check's requests reach are tested on the oracle directly.
"""

from __future__ import annotations

from typing import Any

import lenient_apps
import pytest

from etagspec.conformance import ProbeRequest, Status, check_app
from etagspec.conformance.judging import status_verdict
from etagspec.conformance.model import DEFAULT_SEED, CheckResult, ProbeResponse, Report
from etagspec.conformance.oracle import Observed, expect, explain

MAX_EXAMPLES = 30


def _run(app: Any, *checks: str) -> dict[str, CheckResult]:
    report = check_app(
        app, paths=["/"], max_examples=MAX_EXAMPLES, seed=DEFAULT_SEED, select=checks
    )
    return {result.check.id: result for result in report.results}


def _ids(result: CheckResult) -> set[str]:
    return {failure.lenient for failure in result.failures}


def _not_failed(report: Report) -> dict[str, str]:
    return {
        r.check.id: "; ".join(f.signature for f in r.failures) or r.note
        for r in report.results
        if r.status in (Status.FAILED, Status.WARNED)
    }


# --- an independently written correct app with lenient dates ------------------------------


def test_a_correct_app_reading_dates_case_and_day_name_blind_gets_no_failure() -> None:
    report = check_app(
        lenient_apps.make_app(), paths=["/"], max_examples=MAX_EXAMPLES, seed=DEFAULT_SEED
    )
    assert _not_failed(report) == {}
    results = {result.check.id: result for result in report.results}
    for check_id in ("COND-IMS-3", "COND-IUS-3"):
        assert results[check_id].status is Status.LENIENT, check_id
        assert {"AMB-DATE-1", "AMB-DATE-2"} <= _ids(results[check_id]), check_id
    assert report.exit_code == 0
    assert report.summary["lenient"] == sum(r.status is Status.LENIENT for r in report.results)


def test_lenient_is_a_failure_only_under_strict() -> None:
    report = check_app(
        lenient_apps.make_app(), paths=["/"], max_examples=10, select=("COND-IMS-3",), strict=True
    )
    assert report.results[0].status is Status.LENIENT
    assert report.exit_code == 1
    assert report.to_json()["checks"][0]["status"] == "lenient"


def test_each_lenient_reading_is_named_once_per_check() -> None:
    (result,) = _run(lenient_apps.make_app(), "COND-IMS-3").values()
    signatures = [failure.signature for failure in result.failures]
    assert len(signatures) == len(set(signatures))
    assert "HTTP-date read case-insensitively" in signatures


# --- end to end: one reading at a time -------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "check_id", "status", "catalogue_id"),
    [
        ("unquoted_if_none_match", "COND-INM-4c", Status.LENIENT, "LEN-3"),
        ("head_range", "RNG-3", Status.LENIENT, "AMB-RANGE-3"),
        ("empty_as_absent", "COND-PREC-0", Status.LENIENT, "AMB-LIST-1"),
        ("invalid_if_range_as_absent", "COND-IR-8", Status.LENIENT, "AMB-IR-1"),
        ("unquoted_if_match", "COND-IM-4c", Status.FAILED, ""),
    ],
)
def test_a_target_taking_the_reading_gets_the_documented_verdict(
    reading: str, check_id: str, status: Status, catalogue_id: str
) -> None:
    result = _run(lenient_apps.make_app(**{reading: True}), check_id)[check_id]
    assert result.status is status, [f.explanation for f in result.failures]
    if catalogue_id:
        assert catalogue_id in _ids(result)


def test_an_unquoted_if_match_tag_is_a_failure_named_by_len_9() -> None:
    # LEN-9: a leniency never turns "unknown" into "matches" for If-Match.
    result = _run(lenient_apps.make_app(unquoted_if_match=True), "COND-IM-4c")["COND-IM-4c"]
    # First found; the search for further deviations may name the same
    # leniency's other faces too ("*, ..." read with * as a tag).
    assert result.signatures[0] == "unquoted entity-tag accepted in If-Match"
    assert not any(failure.lenient for failure in result.failures)


def test_the_same_target_without_the_reading_passes() -> None:
    results = _run(lenient_apps.make_app(), "COND-INM-4c", "RNG-3", "COND-IM-4c", "COND-IR-8")
    assert {r.status for r in results.values()} == {Status.PASSED}


# --- rows no check reaches: the oracle itself ----------------------------------------------

ETAG = (("ETag", '"v1"'),)
LAST_MODIFIED = "Sat, 04 Nov 2023 00:00:00 GMT"


def _observed(*fields: tuple[str, str], date: str | None = None) -> Observed:
    headers = (*ETAG, ("Last-Modified", LAST_MODIFIED), *fields)
    if date is not None:
        headers += (("Date", date),)
    return Observed.from_response("/", ProbeResponse(200, headers, b"0123456789"), True)


def _verdict(status: int, *fields: tuple[str, str], method: str = "GET", **options: Any) -> str:
    """ "passed", or "lenient <ID>", or "failed: <signature>" for one exchange."""
    request = ProbeRequest(method, "/", fields)
    judged = status_verdict(request, _observed(**options), status)
    reading = judged.reading
    if judged.verdict == "pass":
        return "passed"
    if reading is None:
        return "failed"
    if judged.verdict == "lenient":
        return f"lenient {reading.id}"
    word = "failed" if judged.verdict == "fail" else judged.verdict
    return f"{word}: {reading.signature}"


@pytest.mark.parametrize(
    ("status", "fields", "verdict"),
    [
        # AMB-LIST-1: an empty field is present (412); absent lets If-Match
        # through (LEN-9), and only lets If-Modified-Since decide in If-None-Match.
        (412, (("If-Match", ""),), "passed"),
        (200, (("If-Match", ""),), "failed: an empty or invalid If-Match read as absent"),
        (304, (("If-None-Match", ""), ("If-Modified-Since", LAST_MODIFIED)), "lenient AMB-LIST-1"),
        # AMB-ETAG-1: salvage is lenient for If-None-Match, a failure for If-Match (LEN-9).
        (304, (("If-None-Match", '"v1", junk"'),), "lenient AMB-ETAG-1"),
        (
            200,
            (("If-Match", '"v1", junk"'),),
            "failed: the valid members of an invalid If-Match list used",
        ),
        # AMB-ETAG-2: never unescape.
        (
            304,
            (("If-None-Match", '"v\\1"'),),
            "failed: backslash escapes undone inside If-None-Match entity-tags",
        ),
        # LEN-6, LEN-7: the RFC 2616 forms in If-None-Match.
        (304, (("If-None-Match", 'w/"v1"'),), "lenient LEN-6"),
        (304, (("If-None-Match", 'W/ "v1"'),), "lenient LEN-7"),
        (304, (("If-None-Match", '"a b", "v1"'),), "lenient LEN-3"),
        (
            200,
            (("If-Match", '"a b", "v1"'),),
            "failed: RFC 2616 quoted-string entity-tag accepted in If-Match",
        ),
        # AMB-DATE-1, AMB-DATE-2: dates an origin must ignore; accepting them
        # is lenient. AMB-DATE-3: the leap second as the next second is a may
        # reading. LEN-8: a -0000 zone is UTC.
        (304, (("If-Modified-Since", "Fri, 04 Nov 2023 00:00:00 GMT"),), "lenient AMB-DATE-1"),
        (304, (("If-Modified-Since", "Sat, 4 Nov 2023 00:00:00 GMT"),), "lenient AMB-DATE-2"),
        (304, (("If-Modified-Since", "Sat, 04 Nov 2023 00:00:00 UTC"),), "lenient AMB-DATE-2"),
        (304, (("If-Modified-Since", "Sat, 04 Nov 2023 00:00 GMT"),), "lenient AMB-DATE-2"),
        (412, (("If-Unmodified-Since", "fri, 03 nov 2023 23:00:00 gmt"),), "lenient AMB-DATE-2"),
        (200, (("If-Modified-Since", "Fri, 03 Nov 2023 23:59:60 GMT"),), "passed"),
        (304, (("If-Modified-Since", "Fri, 03 Nov 2023 23:59:60 GMT"),), "passed"),
        (304, (("If-Modified-Since", "Sat, 04 Nov 2023 00:00:00 -0000"),), "lenient LEN-8"),
        (412, (("If-Unmodified-Since", "Fri, 03 Nov 2023 00:00:00 -0000"),), "lenient LEN-8"),
        # AMB-IR-1: an invalid If-Range is false (200); absent (206) is lenient.
        (200, (("Range", "bytes=0-0"), ("If-Range", "v1")), "passed"),
        (206, (("Range", "bytes=0-0"), ("If-Range", "v1")), "lenient AMB-IR-1"),
        # AMB-IR-2 and AMB-IR-3: text comparison, or a Last-Modified never strong: 200 is right.
        (206, (("Range", "bytes=0-0"), ("If-Range", LAST_MODIFIED)), "passed"),
        (200, (("Range", "bytes=0-0"), ("If-Range", LAST_MODIFIED)), "passed"),
        (
            200,
            (("Range", "bytes=0-0"), ("If-Range", "Saturday, 04-Nov-23 00:00:00 GMT")),
            "passed",
        ),
        # AMB-RANGE-1: If-Range true, Range unsatisfiable: 416, or 200 (may).
        (416, (("Range", "bytes=50-60"), ("If-Range", '"v1"')), "passed"),
        (200, (("Range", "bytes=50-60"), ("If-Range", '"v1"')), "passed"),
        # AMB-RANGE-4: an invalid Range may be rejected.
        (400, (("Range", "bytes=x-"),), "passed"),
    ],
)
def test_each_ambiguity_row_gets_its_documented_verdict(
    status: int, fields: tuple[tuple[str, str], ...], verdict: str
) -> None:
    assert _verdict(status, *fields) == verdict


def test_range_on_head_is_lenient() -> None:
    assert _verdict(206, ("Range", "bytes=0-0"), method="HEAD") == "lenient AMB-RANGE-3"


def test_if_modified_since_in_the_future_answered_200_is_a_should_deviation() -> None:
    # AMB-DATE-6: a future date is a valid date; 304 primary, 200 (RFC 2616's
    # reading) ignores a SHOULD.
    request = ProbeRequest("GET", "/", (("If-Modified-Since", "Sun, 05 Nov 2023 00:00:00 GMT"),))
    observed = _observed(date="Sat, 04 Nov 2023 12:00:00 GMT")
    assert expect(request, observed).allowed == {304}
    reading = explain(request, observed, 200)
    assert reading is not None and (reading.id, reading.verdict) == ("AMB-DATE-6", "should")
    assert status_verdict(request, observed, 200).verdict == "should"


@pytest.mark.parametrize(
    ("status", "fields", "signature"),
    [
        (412, (("If-Match", "*"),), "If-Match: * treated as a non-matching tag"),
        (200, (("If-None-Match", "*"),), "If-None-Match: * treated as a non-matching tag"),
        (
            200,
            (("If-None-Match", 'W/"v1"'),),
            "If-None-Match compared strongly (no weak comparison)",
        ),
        (
            304,
            (("If-None-Match", '"v0"'), ("If-Modified-Since", LAST_MODIFIED)),
            "If-Modified-Since evaluated although If-None-Match was present",
        ),
        (
            304,
            (("If-Match", '"v0"'), ("If-None-Match", '"v1"')),
            "If-None-Match evaluated before If-Match / If-Unmodified-Since",
        ),
        (
            200,
            (("If-Unmodified-Since", "Fri, 03 Nov 2023 08:26:40 GMT"),),
            "If-Unmodified-Since ignored",
        ),
        (304, (("If-None-Match", "*,"),), "* inside an If-None-Match list read as *"),
        (412, (("If-Match", 'W/"v1", "v1"'),), "a weak member fails the whole If-Match list"),
        (304, (("If-None-Match", '"v1"x'),), "text after an If-None-Match tag ignored"),
        (
            304,
            (("If-Modified-Since", "Sat, 04 Nov 2023 00:00:00 +0100"),),
            "HTTP-date with a zone offset other than zero read as GMT",
        ),
        (
            304,
            (("If-Modified-Since", "Sat, 04 Nov 2023 00:00:00 EST"),),
            "HTTP-date with a zone offset other than zero read as GMT",
        ),
        (
            412,
            (("If-Unmodified-Since", "yesterday"),),
            "an invalid If-Unmodified-Since date answered 412",
        ),
        (416, (("Range", "bytes=0-0"),), "a satisfiable Range answered 416"),
        # Every empty field dropped: If-Match too (LEN-9), so If-Modified-Since decides.
        (
            304,
            (("If-Match", ",,"), ("If-None-Match", ""), ("If-Modified-Since", LAST_MODIFIED)),
            "an empty or invalid If-Match read as absent",
        ),
        (
            400,
            (("If-Modified-Since", LAST_MODIFIED),),
            "a request with If-Modified-Since rejected with 400",
        ),
    ],
)
def test_a_deviation_is_named_by_the_reading_that_explains_it(
    status: int, fields: tuple[tuple[str, str], ...], signature: str
) -> None:
    assert _verdict(status, *fields) == f"failed: {signature}"


def test_a_status_no_reading_explains_falls_back_to_the_check() -> None:
    assert _verdict(418, ("If-Match", '"v1"')) == "failed"
