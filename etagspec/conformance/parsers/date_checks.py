"""The parser checks of HTTP-date parsers and formatters, and of parsing time
(docs/SPEC.md §9): PARSE-DATE-1, PARSE-DATE-2, FMT-DATE-1 and PARSE-TIME-1."""

from __future__ import annotations

import re

from hypothesis import strategies as st

from ..._abnf import IMF_FIXDATE_RE
from ...dates import http_date_to_timestamp
from ...errors import InvalidHTTPDate
from ...strategies import (
    dated_http_dates,
    invalid_http_dates,
)
from ..model import Level
from ..readings import DATE_LENIENCIES, lenient_date
from . import corpus
from .adapter import INVALID, ParserAdapter
from .finding import ParserFinding
from .registry import finding_of, register
from .timing import linear_time_finding

__all__ = []


def _reference_date(text: str) -> int | None:
    try:
        return http_date_to_timestamp(text)
    except InvalidHTTPDate:
        return None


# --- HTTP-dates --------------------------------------------------------------------------------


def _form(text: str) -> str:
    stripped = text.strip(" \t")
    if IMF_FIXDATE_RE.fullmatch(stripped):
        return "IMF-fixdate"
    return "rfc850-date" if "-" in stripped[:16] else "asctime-date"


def _judge_valid_date(adapter: ParserAdapter, example: tuple[int, str]) -> ParserFinding | None:
    seconds, text = example
    call = adapter.call("parse_date", text)
    allowed = (seconds, seconds + 1) if ":60" in text else (seconds,)  # AMB-DATE-3
    if call.outcome in allowed and not isinstance(call.outcome, str):
        return None
    form = _form(text)
    if call.outcome == INVALID and ":60" in text:
        signature = "rejects a leap second (23:59:60)"
    elif call.outcome == INVALID:
        signature = f"rejects a valid {form}"
    elif isinstance(call.outcome, str):
        signature = "returns something other than POSIX seconds"
    elif form == "rfc850-date" and abs(call.outcome - seconds) >= 364 * 86400:
        signature = "reads an rfc850-date's two-digit year in the wrong century (DATE-7)"
    else:
        signature = f"reads a valid {form} as another instant"
    return finding_of(
        text,
        call,
        str(seconds),
        "RFC 9110 §5.6.7: a recipient reads all three forms of HTTP-date (DATE-1); a two-digit "
        "year more than 50 years ahead is in the past century (DATE-7)",
        signature,
    )


def _judge_invalid_date(adapter: ParserAdapter, text: str) -> ParserFinding | None:
    if _reference_date(text) is not None:
        return None
    call = adapter.call("parse_date", text)
    if call.outcome == INVALID:
        return None
    expected = "invalid (an exception or None)"
    why = "RFC 9110 §5.6.7 is exact: case, widths, spaces and the GMT zone (PARSE-9, PARSE-10)"
    reading = lenient_date(text)
    stripped = text.strip(" \t")
    if reading is None and stripped.endswith(" -0000"):
        minus_zero = lenient_date(stripped[: -len(" -0000")] + " +0000")
        if minus_zero is not None:
            reading = minus_zero[0], frozenset({"zone"})
    if reading is not None and call.outcome == reading[0]:
        lenient, signature = DATE_LENIENCIES[sorted(reading[1])[0]]
        return finding_of(text, call, expected, why, signature, lenient)
    if isinstance(call.outcome, str):
        return finding_of(text, call, expected, why, "returns something other than POSIX seconds")
    if text.count("GMT") > 1:
        return finding_of(text, call, expected, why, "reads a list of dates as one date")
    if re.search(r" [+-][0-9]{4}$", stripped):
        return finding_of(
            text, call, expected, why, "reads a date with a numeric zone other than +0000"
        )
    if re.search(r" 0000 ", stripped):
        return finding_of(text, call, expected, why, "reads the year 0000 (which does not exist)")
    return finding_of(text, call, expected, why, "reads an invalid HTTP-date as an instant")


def _judge_format_date(adapter: ParserAdapter, seconds: int) -> ParserFinding | None:
    call = adapter.call("format_date", seconds)
    why = "RFC 9110 §5.6.7: a sender writes IMF-fixdate only (DATE-2), of the instant it means"
    from ...dates import format_http_date

    expected = format_http_date(seconds)
    text = call.outcome
    if call.raised or not isinstance(text, str) or text.startswith("<not"):
        return finding_of(
            seconds, call, repr(expected), why, "refuses or fails to format an instant"
        )
    if IMF_FIXDATE_RE.fullmatch(text) is None:
        return finding_of(
            seconds, call, repr(expected), why, "writes a date that is not an IMF-fixdate"
        )
    if _reference_date(text) != seconds:
        return finding_of(seconds, call, repr(expected), why, "writes another instant")
    if adapter.has("parse_date"):
        again = adapter.call("parse_date", text)
        if again.outcome != seconds:
            return finding_of(
                text,
                again,
                str(seconds),
                why + " (its own parser reading its own formatter)",
                "its parser does not read back what its formatter wrote",
            )
    return None


register(
    "PARSE-DATE-1",
    "Every valid HTTP-date is read as its instant",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "IMF-fixdate, rfc850-date and asctime-date are all read, as the instant they name "
    "(DATE-1, DATE-7); a leap second may be :59 or the next second (AMB-DATE-3)",
    needs=("parse_date",),
    corpus=corpus.VALID_DATES,
    examples=dated_http_dates,
    judge=_judge_valid_date,
)
register(
    "PARSE-DATE-2",
    "An invalid HTTP-date is rejected",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "Text that is not an HTTP-date is invalid; reading a case-blind, UTC/+0000/-0000, one-digit "
    "day or seconds-less date as its instant is lenient (AMB-DATE-2), any other reading fails",
    needs=("parse_date",),
    corpus=corpus.INVALID_DATES,
    examples=invalid_http_dates,
    judge=_judge_invalid_date,
)
register(
    "FMT-DATE-1",
    "A formatted date is the IMF-fixdate of its instant",
    "RFC 9110 §5.6.7",
    Level.MUST,
    "format_date(seconds) is an IMF-fixdate that reads back as the same seconds, by the "
    "reference parser and by the library's own",
    needs=("format_date",),
    corpus=corpus.INSTANTS,
    examples=lambda: st.integers(0, 4_102_444_799),
    judge=_judge_format_date,
)
register(
    "PARSE-TIME-1",
    "Parsing time grows linearly with the input",
    "RFC 9110 §5.6.1.2, §17",
    Level.SHOULD,
    "Eight times the input costs at most about eight times the time (a bounded ratio, "
    "measured on long lists and long junk), so a long field cannot stall a server",
    needs=("parse_etags", "parse_date"),
    any_of=True,
    measure=linear_time_finding,
)
