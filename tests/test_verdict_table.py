"""The verdict column of docs/SPEC.md §6.3 and §6.5 is what the verdict
engine says.

Every AMB-/LEN- row states its verdict (``pass``, ``lenient``, ``should``,
``fail``, or ``—`` where no status is judged). This test reads that column
out of the catalogue and, for each row with a verdict, drives one concrete
request against a small origin server that takes the row's reading (the
reference evaluation of RFC 9110 §13.2.2, after the reading rewrote the
request, or the status the reading answers with), then asks the engine
(:func:`etagspec.conformance.judging.status_verdict`) for its verdict on
the answer. The table and the engine must agree row by row.

The true diagnosis of each app is the row's reading itself, written next
to it below before the engine saw its answer; the expected verdict is the
catalogue's.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
import zoo
from hypothesis import given, settings
from hypothesis import strategies as st

from etagspec.conformance import check_app
from etagspec.conformance.judging import status_verdict
from etagspec.conformance.model import Level, ProbeRequest, Status
from etagspec.conformance.readings import lenient_date
from etagspec.conformance.runner import learn
from etagspec.conformance.targets import WSGITarget
from etagspec.dates import format_http_date
from etagspec.etags import EntityTag
from etagspec.preconditions import Conditions, Outcome, Resource, evaluate
from etagspec.ranges import InvalidRange, parse_range, resolve_ranges

CATALOGUE: Final = Path(__file__).resolve().parent.parent / "docs" / "SPEC.md"
ROW: Final = re.compile(r"^\| `((?:AMB|LEN)-[^`]+)` \|.*\| ([^|]+) \|$", re.MULTILINE)
CELL: Final = re.compile(r"`(pass|lenient|should|fail)`(?: ⚠️)?|—")


def verdict_table() -> dict[str, str]:
    """Row ID → verdict (``—`` for none), from the catalogue."""
    table: dict[str, str] = {}
    for row_id, cell in ROW.findall(CATALOGUE.read_text(encoding="utf-8")):
        match = CELL.fullmatch(cell.strip())
        assert match is not None, f"{row_id}: unreadable verdict {cell!r}"
        table[row_id] = match.group(1) or "—"
    return table


# --- a small origin server that takes one reading --------------------------------------

BODY: Final = b"0123456789"
#: Sat, 04 Nov 2023 00:00:00 GMT, and the server's clock half a day later.
LAST_MODIFIED: Final = "Sat, 04 Nov 2023 00:00:00 GMT"
LAST_MODIFIED_AT: Final = 1_699_056_000
NOW: Final = "Sat, 04 Nov 2023 12:00:00 GMT"
RESOURCE: Final = Resource(
    etag=EntityTag("v1"), last_modified=LAST_MODIFIED_AT, supports_range=True
)
Headers = dict[str, str]
#: A reading: the request as the app reads it (method, fields), or the
#: status it answers with.
ReadingFunction = Callable[[str, Headers], "tuple[str, Headers] | int"]


def reference_status(method: str, fields: Headers) -> int:
    """RFC 9110 §13.2.2 on the one document at ``/``."""
    decision = evaluate(method, Conditions.from_headers(fields), RESOURCE)
    if decision.outcome is Outcome.PRECONDITION_FAILED:
        return 412
    if decision.outcome is Outcome.NOT_MODIFIED:
        return 304
    if decision.process_range and "range" in fields:
        try:
            return 206 if resolve_ranges(parse_range(fields["range"]), len(BODY)) else 416
        except InvalidRange:
            return 416
    return 200


class ReadingApp:
    """The document at ``/`` (ETag "v1", Last-Modified LAST_MODIFIED, a
    clock at NOW); every other path is 404. ``reading`` rewrites each
    request before the reference evaluates it, or answers it itself."""

    def __init__(self, reading: ReadingFunction) -> None:
        self.reading = reading

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        fields = {
            key[5:].lower().replace("_", "-"): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("PATH_INFO") != "/":
            start_response("404 Not Found", [("Content-Length", "0"), ("Date", NOW)])
            return [b""]
        read = self.reading(method, fields)
        status = read if isinstance(read, int) else reference_status(*read)
        headers = [("ETag", '"v1"'), ("Last-Modified", LAST_MODIFIED), ("Date", NOW)]
        body = BODY if status == 200 else BODY[:1] if status == 206 else b""
        if status == 206:
            headers.append(("Content-Range", f"bytes 0-0/{len(BODY)}"))
        start_response(f"{status} Status", [*headers, ("Content-Length", str(len(body)))])
        return [b"" if method == "HEAD" else body]


def rewrite(field: str, change: Callable[[str], str | None]) -> ReadingFunction:
    """A reading that changes one field's value (None: drops it)."""

    def reading(method: str, fields: Headers) -> tuple[str, Headers]:
        changed = dict(fields)
        if field in changed:
            value = change(changed.pop(field))
            if value is not None:
                changed[field] = value
        return method, changed

    return reading


def answers(status: int) -> ReadingFunction:
    """A reading that answers ``status`` to any request with a precondition or Range."""
    named = {"if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "range"}
    return lambda method, fields: status if named & set(fields) else (method, fields)


def strict(method: str, fields: Headers) -> tuple[str, Headers]:
    return method, fields


def trim_controls(value: str) -> str:
    return ", ".join(m.strip(" \t" + "".join(map(chr, range(32)))) for m in value.split(","))


def unquote(value: str) -> str:
    return ", ".join(m if '"' in m else f'"{m.strip()}"' for m in value.split(","))


@dataclass(frozen=True)
class Row:
    """One row's reading, the request that shows it, and where: ``path``,
    the reading's catalogue ID when the engine names it (``names``)."""

    diagnosis: str
    reading: ReadingFunction
    method: str
    fields: tuple[tuple[str, str], ...]
    path: str = "/"
    names: str = ""


INM, IM, IMS, IUS = "If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since"
RANGE, IF_RANGE = ("Range", "bytes=0-0"), "If-Range"

#: For each row with a verdict: the reading the app takes (its true
#: diagnosis), and the request that shows it.
ROWS: Final[dict[str, Row]] = {
    "AMB-LIST-1": Row(
        "an empty If-None-Match read as absent, so If-Modified-Since decides",
        rewrite("if-none-match", lambda v: None if not v.strip(" \t,") else v),
        "GET",
        ((INM, ""), (IMS, LAST_MODIFIED)),
        names="AMB-LIST-1",
    ),
    "AMB-LIST-2": Row("empty list elements skipped", strict, "GET", ((INM, ',,, "v1",,'),)),
    "AMB-ETAG-1": Row(
        "the valid members of an invalid If-None-Match used",
        rewrite("if-none-match", lambda v: '"v1"'),
        "GET",
        ((INM, '"v1", junk"'),),
        names="AMB-ETAG-1",
    ),
    "AMB-ETAG-2": Row(
        "backslash escapes undone inside If-None-Match tags",
        rewrite("if-none-match", lambda v: v.replace("\\", "")),
        "GET",
        ((INM, '"v\\1"'),),
    ),
    "AMB-ETAG-3": Row(
        "a tag with octets above 0x7F taken for invalid, so the whole list is",
        rewrite("if-none-match", lambda v: '"\x01"' if any(ord(c) > 127 for c in v) else v),
        "GET",
        ((INM, '"\xe9", "v1"'),),
    ),
    "AMB-412-1": Row("a false If-Match on PUT answered 409", answers(409), "PUT", ((IM, '"v0"'),)),
    "AMB-EVAL-1": Row(
        "If-Match on a missing resource: 404 before preconditions",
        strict,
        "GET",
        ((IM, '"v0"'),),
        path="/missing",
    ),
    "AMB-EVAL-2": Row(
        "preconditions ignored on PATCH (a method the app does not know)",
        rewrite("if-match", lambda v: None),
        "PATCH",
        ((IM, '"v0"'),),
    ),
    "AMB-DATE-1": Row(
        "a wrong day-name ignored",
        rewrite("if-modified-since", lambda v: v.replace("Fri,", "Sat,")),
        "GET",
        ((IMS, "Fri, 04 Nov 2023 00:00:00 GMT"),),
        names="AMB-DATE-1",
    ),
    "AMB-DATE-2": Row(
        "dates read case-blind",
        rewrite("if-modified-since", lambda v: LAST_MODIFIED if v.lower() == v else v),
        "GET",
        ((IMS, LAST_MODIFIED.lower()),),
        names="AMB-DATE-2",
    ),
    "AMB-DATE-3": Row(
        "the leap second read as the next second",
        rewrite("if-modified-since", lambda v: LAST_MODIFIED),
        "GET",
        ((IMS, "Fri, 03 Nov 2023 23:59:60 GMT"),),
    ),
    "AMB-DATE-4": Row(
        "a sub-second modification time compared raw: If-Unmodified-Since at Last-Modified fails",
        answers(412),
        "GET",
        ((IUS, LAST_MODIFIED),),
    ),
    "AMB-DATE-5": Row(
        "the year 0000 read as 2000",
        rewrite("if-unmodified-since", lambda v: v.replace(" 0000 ", " 2000 ")),
        "GET",
        ((IUS, "Sat, 04 Nov 0000 00:00:00 GMT"),),
    ),
    "AMB-DATE-6": Row(
        "an If-Modified-Since later than the clock ignored (RFC 2616)",
        rewrite("if-modified-since", lambda v: None),
        "GET",
        ((IMS, "Sun, 05 Nov 2023 00:00:00 GMT"),),
        names="AMB-DATE-6",
    ),
    "AMB-IR-1": Row(
        "an invalid If-Range read as absent",
        rewrite("if-range", lambda v: None),
        "GET",
        (RANGE, (IF_RANGE, "v1")),
        names="AMB-IR-1",
    ),
    "AMB-IR-2": Row(
        "If-Range dates compared as text (rfc850 never equals the IMF-fixdate sent)",
        answers(200),
        "GET",
        (RANGE, (IF_RANGE, "Saturday, 04-Nov-23 00:00:00 GMT")),
    ),
    "AMB-IR-3": Row(
        "Last-Modified never trusted as strong: an If-Range date never matches",
        answers(200),
        "GET",
        (RANGE, (IF_RANGE, LAST_MODIFIED)),
    ),
    "AMB-RANGE-1": Row(
        "an unsatisfiable Range ignored under a true If-Range",
        rewrite("range", lambda v: None),
        "GET",
        (("Range", "bytes=50-60"), (IF_RANGE, '"v1"')),
    ),
    "AMB-RANGE-3": Row(
        "Range honoured on HEAD",
        lambda method, fields: ("GET", fields),
        "HEAD",
        (RANGE,),
        names="AMB-RANGE-3",
    ),
    "AMB-RANGE-4": Row("an invalid Range rejected", answers(400), "GET", (("Range", "bytes=x-"),)),
    "LEN-1": Row(
        "a date in upper case accepted",
        rewrite("if-modified-since", lambda v: LAST_MODIFIED),
        "GET",
        ((IMS, LAST_MODIFIED.upper()),),
        names="AMB-DATE-2",
    ),
    "LEN-2": Row(
        "backslashes removed from an If-None-Match tag",
        rewrite("if-none-match", lambda v: v.replace("\\", "")),
        "GET",
        ((INM, '"\\v1"'),),
    ),
    "LEN-3": Row(
        "an unquoted If-None-Match tag read as quoted",
        rewrite("if-none-match", unquote),
        "GET",
        ((INM, "v1"),),
        names="LEN-3",
    ),
    "LEN-4": Row(
        "tags case-folded before comparing",
        rewrite("if-none-match", str.lower),
        "GET",
        ((INM, '"V1"'),),
    ),
    "LEN-5": Row(
        "a control character before an If-None-Match tag trimmed",
        rewrite("if-none-match", trim_controls),
        "GET",
        ((INM, '\x0b"v1"'),),
        names="LEN-5",
    ),
    "LEN-6": Row(
        "w/ read as W/ in If-None-Match",
        rewrite("if-none-match", lambda v: v.replace("w/", "W/")),
        "GET",
        ((INM, 'w/"v1"'),),
        names="LEN-6",
    ),
    "LEN-7": Row(
        "a space after W/ accepted in If-None-Match",
        rewrite("if-none-match", lambda v: v.replace("W/ ", "W/")),
        "GET",
        ((INM, 'W/ "v1"'),),
        names="LEN-7",
    ),
    "LEN-8": Row(
        "a -0000 zone read as GMT",
        rewrite("if-modified-since", lambda v: v.replace(" -0000", " GMT")),
        "GET",
        ((IMS, "Sat, 04 Nov 2023 00:00:00 -0000"),),
        names="LEN-8",
    ),
    "LEN-9": Row(
        "an unquoted If-Match tag read as quoted: the write goes ahead",
        rewrite("if-match", unquote),
        "GET",
        ((IM, "v1"),),
        names="LEN-9",
    ),
}


def engine_verdict(row: Row) -> tuple[str, str]:
    """(verdict, reading ID) the engine gives the app's answer to the row's request."""
    target = WSGITarget(ReadingApp(row.reading))
    request = ProbeRequest(row.method, row.path, row.fields)
    observed = learn(target, row.path)
    response = target.send(request)
    assert response.error is None, response.error
    judged = status_verdict(request, observed, response.status)
    return judged.verdict, judged.reading.id if judged.reading is not None else ""


def test_every_amb_and_len_row_states_a_verdict() -> None:
    table = verdict_table()
    assert len(table) >= 40
    assert {row for row, verdict in table.items() if verdict != "—"} == set(ROWS)


@pytest.mark.parametrize("row_id", sorted(ROWS))
def test_the_engine_gives_each_row_its_table_verdict(row_id: str) -> None:
    row = ROWS[row_id]
    verdict, reading_id = engine_verdict(row)
    assert verdict == verdict_table()[row_id], row.diagnosis
    if row.names:
        assert reading_id == row.names, row.diagnosis


def test_the_strict_app_passes_every_request_of_the_table() -> None:
    # The same requests, read strictly: the engine finds nothing to say.
    for row_id, row in ROWS.items():
        verdict, _ = engine_verdict(dataclasses.replace(row, reading=strict))
        assert verdict == "pass", row_id


# --- one reading, one verdict, wherever it stands ----------------------------------------


@pytest.mark.parametrize(
    ("field", "values", "verdict"),
    [
        # A control character trimmed before a tag, or before one inside a list.
        (INM, ('\x0b"v1"', '"v0", \x0b"v1"', '\x1f"v1", "v0"', '"v1"\x0b'), "lenient"),
        (IM, ('\x0b"v1"', '"v0", \x0b"v1"', '\x1f"v1", "v0"', '"v1"\x0b'), "fail"),
    ],
)
def test_a_control_character_gets_one_verdict_wherever_it_stands(
    field: str, values: tuple[str, ...], verdict: str
) -> None:
    for value in values:
        trimming = rewrite(field.lower(), trim_controls)
        row = Row("controls trimmed", trimming, "GET", ((field, value),))
        assert engine_verdict(row)[0] == verdict, value


def test_an_empty_and_an_unquoted_if_match_read_as_absent_get_one_verdict() -> None:
    # Both take the same path: the app cannot parse the field and drops it,
    # so the request goes ahead where If-Match is false (LEN-9).
    drop = rewrite("if-match", lambda value: None)
    verdicts = {
        value: engine_verdict(Row("If-Match dropped", drop, "GET", ((IM, value),)))
        for value in ("", "v0", "v1", " , ")
    }
    assert set(verdicts.values()) == {("fail", "LEN-9")}, verdicts


# --- a -0000 zone never fails a MUST check -------------------------------------------------


class MinusZeroAsGMT:
    """The reference app (tests/zoo.py, no bug switched on) behind a reader
    that rewrites a trailing ``-0000`` zone of If-Modified-Since and
    If-Unmodified-Since into ``GMT``. True diagnosis: one lenient reading
    (LEN-8), nothing else."""

    def __init__(self) -> None:
        self.app = zoo.make_app()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        for key in ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"):
            value = environ.get(key)
            if value is not None and value.endswith(" -0000"):
                environ[key] = value[: -len("-0000")] + "GMT"
        return self.app(environ, start_response)


def test_a_target_reading_minus_zero_as_gmt_fails_no_must_check() -> None:
    report = check_app(MinusZeroAsGMT(), paths=["/"], max_examples=20)
    failed = {
        r.check.id: r.signatures
        for r in report.results
        if r.status is Status.FAILED and r.check.level is Level.MUST
    }
    assert failed == {}
    lenient = {f.lenient for r in report.results for f in r.failures}
    assert "LEN-8" in lenient  # the -0000 request was sent, and judged lenient


_CONTROLS: Final = [chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r"] + ["\x7f"]


@settings(database=None)
@given(
    members=st.lists(st.sampled_from(['"v1"', '"v0"', 'W/"v1"', '"x"']), min_size=1, max_size=4),
    at=st.integers(0, 3),
    control=st.sampled_from(_CONTROLS),
    after=st.booleans(),
)
def test_a_trimmed_control_character_is_lenient_in_if_none_match_and_fails_if_match(
    members: list[str], at: int, control: str, after: bool
) -> None:
    # Wherever the control character stands around a member, a recipient
    # that trims it is lenient in If-None-Match and fails If-Match (LEN-9)
    # exactly when trimming lets the request through.
    at %= len(members)
    members[at] = members[at] + control if after else control + members[at]
    value = ", ".join(members)
    for field, allowed in ((INM, {"pass", "lenient"}), (IM, {"pass", "fail"})):
        trimming = rewrite(field.lower(), trim_controls)
        row = Row("controls trimmed", trimming, "GET", ((field, value),))
        assert engine_verdict(row)[0] in allowed, (field, value)


@settings(database=None)
@given(
    instant=st.integers(-2_000_000_000, 4_000_000_000),
    zone=st.sampled_from(["-0000", "+0000", "UTC", "UT", "Z"]),
)
def test_a_zero_zone_is_the_same_instant_as_gmt(instant: int, zone: str) -> None:
    # RFC 5322 §3.3, §4.3: -0000, +0000, UT and Z are Universal Time, as UTC is; a lenient
    # reader takes each for the instant the GMT form names, nothing else.
    text = format_http_date(instant).replace(" GMT", f" {zone}")
    found = lenient_date(text)
    assert found is not None and found[0] == instant
    assert found[1] == ({"minus-zero"} if zone == "-0000" else {"zone"})
