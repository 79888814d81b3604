"""HTTP-dates in all three formats around an instant, invalid dates, and If-Range values."""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from .._abnf import DAY_NAMES, LONG_DAY_NAMES, MONTH_NAMES
from ..dates import FIRST_HTTP_DATE, LAST_HTTP_DATE, format_http_date
from ..etags import EntityTag
from ._arguments import _check_int
from ._characters import _ARBITRARY_TEXT, _TIME_OF_DAY_RE, _read_arbitrary_text
from ._etags import _check_optional_tag, _draw_malformed_tag, _draw_tag_near
from ._tape import (
    _DATE_TAPE,
    _IF_RANGE_TAPE,
    _INVALID_DATE_TAPE,
    _boolean,
    _draw_index,
    _drawn_by,
    _integer,
    _kept,
    _one_in,
    _pick,
    _read_by,
    _readable,
    _sampled,
    _strategy,
    _Tape,
)


def _check_timestamp(name: str, value: object, *, margin: int = 0) -> None:
    """POSIX seconds that an HTTP-date can express, ``margin`` either side."""
    value = _check_int(name, value)
    if not FIRST_HTTP_DATE <= value - margin <= value + margin <= LAST_HTTP_DATE:
        extra = f" (with {margin} seconds either side)" if margin else ""
        raise InvalidArgument(
            f"{name}={value!r} must be POSIX seconds within the years 1-9999{extra}"
        )


# ---- HTTP-dates -----------------------------------------------------------------

_FORMATS: Final = ("imf", "rfc850", "asctime")
_UTC: Final = datetime.UTC
_EPOCH: Final = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
# An rfc850-date's two-digit year is read relative to the recipient's clock
# (DATE-7): within 50 years of it. Keeping within 49 (365-day) years leaves a
# margin of more than a year for AMB-DATE-7 and for the clock moving on
# between drawing a date and parsing it.
_RFC850_WINDOW: Final = 49 * 365 * 86_400


def _year_start(year: int) -> int:
    """POSIX seconds of ``year``-01-01T00:00:00Z."""
    return int((datetime.datetime(year, 1, 1, tzinfo=_UTC) - _EPOCH).total_seconds())


def _year_end(year: int) -> int:
    """POSIX seconds of ``year``-12-31T23:59:59Z."""
    last = datetime.datetime(year, 12, 31, 23, 59, 59, tzinfo=_UTC)
    return int((last - _EPOCH).total_seconds())


@dataclass(frozen=True)
class _Parts:
    """The calendar fields of an instant, as an HTTP-date writes them."""

    weekday: int  # Monday is 0
    day: int
    month: int  # 1-12
    year: int
    hour: int
    minute: int
    second: int

    @classmethod
    def of(cls, timestamp: int) -> _Parts:
        """The fields of ``timestamp`` (POSIX seconds), in UTC."""
        moment = _EPOCH + datetime.timedelta(seconds=timestamp)
        return cls(
            moment.weekday(),
            moment.day,
            moment.month,
            moment.year,
            moment.hour,
            moment.minute,
            moment.second,
        )

    @property
    def time(self) -> str:
        """``hh:mm:ss``."""
        return f"{self.hour:02d}:{self.minute:02d}:{self.second:02d}"


def _format(timestamp: int, form: str) -> str:
    """One instant as an IMF-fixdate, rfc850-date or asctime-date."""
    if form == "imf":
        return format_http_date(timestamp)
    p = _Parts.of(timestamp)
    month = MONTH_NAMES[p.month - 1]
    if form == "rfc850":
        # rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP GMT
        day_name = LONG_DAY_NAMES[p.weekday]
        return f"{day_name}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
    # asctime-date = day-name SP month SP ( 2DIGIT / ( SP 1DIGIT )) SP time-of-day SP year
    return f"{DAY_NAMES[p.weekday]} {month} {p.day:2d} {p.time} {p.year:04d}"


@dataclass(frozen=True)
class _DatePlan:
    """Where instants come from, and which formats may write them."""

    around: int | None
    within: int
    formats: tuple[str, ...]
    low: int  # bounds of the instants drawn away from ``around``
    high: int
    now: int  # the clock an rfc850-date's year is judged by

    def rfc850_reads_back(self, timestamp: int) -> bool:
        """Whether a recipient whose clock says about ``now`` reads the
        two-digit year back as the right one: within the window, and not in
        a later century than ``now`` (which a century-of-now reading misses)."""
        if abs(timestamp - self.now) > _RFC850_WINDOW:
            return False
        return _Parts.of(timestamp).year // 100 <= _Parts.of(self.now).year // 100

    def forms_for(self, timestamp: int) -> tuple[str, ...]:
        """The formats that may write ``timestamp``, in the order given."""
        return tuple(f for f in self.formats if f != "rfc850" or self.rfc850_reads_back(timestamp))


def _date_plan(
    *,
    around: int | None,
    within: int,
    formats: Sequence[str],
    min_year: int,
    max_year: int,
    now: int,
) -> _DatePlan:
    """Check the arguments of :func:`dated_http_dates` and friends."""
    _check_int("within", within, min_value=0)
    if around is not None:
        _check_timestamp("around", around, margin=within)
    if isinstance(formats, str) or not isinstance(formats, Sequence):
        raise InvalidArgument(
            f"formats={formats!r} must be a sequence of format names, such as ('imf', 'rfc850')"
        )
    if not formats:
        raise InvalidArgument(f"formats={formats!r} must name at least one format")
    if any(form not in _FORMATS for form in formats):
        raise InvalidArgument(
            f"formats={formats!r} may only contain " + ", ".join(repr(f) for f in _FORMATS)
        )
    first_year = _check_int("min_year", min_year, min_value=1, max_value=9999)
    _check_int("max_year", max_year, min_value=first_year, max_value=9999)
    plan = _DatePlan(
        around,
        within,
        tuple(dict.fromkeys(formats)),
        _year_start(min_year),
        _year_end(max_year),
        now,
    )
    if plan.formats != ("rfc850",):
        return plan
    # Only rfc850: every instant drawn must read back correctly.
    end_of_century = _year_end(_Parts.of(now).year // 100 * 100 + 99)
    low = max(plan.low, now - _RFC850_WINDOW)
    high = min(plan.high, now + _RFC850_WINDOW, end_of_century)
    if low > high:
        raise InvalidArgument(
            f"formats=('rfc850',) with min_year={min_year!r}, max_year={max_year!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    if around is not None and not (
        plan.rfc850_reads_back(around - within) and plan.rfc850_reads_back(around + within)
    ):
        raise InvalidArgument(
            f"formats=('rfc850',) with around={around!r}, within={within!r}: an "
            "rfc850-date's two-digit year reads back only within 49 years of now"
        )
    return _DatePlan(around, within, plan.formats, low, high, now)


def _todays_date_plan(
    around: int | None, within: int, formats: Sequence[str], min_year: int, max_year: int
) -> _DatePlan:
    """The plan for the options of :func:`http_dates`, on today's clock."""
    return _date_plan(
        around=around,
        within=within,
        formats=formats,
        min_year=min_year,
        max_year=max_year,
        now=int(time.time()),
    )


def _default_date_plan(around: int | None, now: int) -> _DatePlan:
    """Dates within 3 s of ``around`` (or in 1970-2100), in every format."""
    return _date_plan(
        around=around, within=3, formats=_FORMATS, min_year=1970, max_year=2100, now=now
    )


def _draw_dated(draw: st.DrawFn, plan: _DatePlan) -> tuple[int, str]:
    """An instant and a valid HTTP-date for it, drawn according to ``plan``."""
    far = draw(_one_in(10))  # drawn even without ``around``: see _draw_if_range
    if plan.around is not None and not far:
        timestamp = plan.around + _integer(draw, -plan.within, plan.within)
    else:
        timestamp = plan.low + _integer(draw, 0, plan.high - plan.low)
    forms = plan.forms_for(timestamp)
    return timestamp, _format(timestamp, forms[_draw_index(draw, len(forms))])


def dated_http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
) -> SearchStrategy[tuple[int, str]]:
    """``(timestamp, text)`` pairs: a VALID HTTP-date and the POSIX second it
    denotes, so a test knows the instant. The options are those of
    :func:`http_dates`.

    Shrinks towards ``(around, IMF-fixdate of around)``, or without
    ``around`` towards the first second of ``min_year``.
    """

    def definition() -> SearchStrategy[tuple[int, str]]:
        plan = _todays_date_plan(around, within, formats, min_year, max_year)
        return _drawn_by(lambda draw: _draw_dated(draw, plan))

    return st.deferred(definition)


def http_dates(
    *,
    around: int | None = None,
    within: int = 3,
    formats: Sequence[str] = _FORMATS,
    min_year: int = 1970,
    max_year: int = 2100,
    compact: bool = False,
) -> SearchStrategy[str]:
    """VALID HTTP-dates (RFC 9110 §5.6.7), each one
    :func:`~etagspec.dates.http_date_to_timestamp` accepts.

    With ``around`` (POSIX seconds), nine draws in ten are the instant
    ``around + k`` for ``k`` in ``[-within, within]`` (the LM-1 / LM / LM+1
    boundaries the generation guidance asks for); the rest, and every draw without ``around``,
    fall anywhere in the years ``min_year`` to ``max_year``. Each is written
    in a format drawn from ``formats`` (``"imf"``, ``"rfc850"``,
    ``"asctime"``). An rfc850-date is only used where its two-digit year
    reads back as the right year on today's clock (within 49 years of now);
    elsewhere another of ``formats`` is used, and if ``"rfc850"`` is the only
    format, instants are kept inside that window (InvalidArgument if they
    cannot be). Leap seconds (``23:59:60``) are not generated.

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards ``around`` itself written in ``formats[0]`` (an
    IMF-fixdate by default), or without ``around`` towards the first second
    of ``min_year``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _todays_date_plan(around, within, formats, min_year, max_year)
        return _strategy(lambda draw: _draw_dated(draw, plan)[1], compact, _DATE_TAPE)

    return _readable(definition)


_INVALID_DATE_KINDS: Final = _sampled(
    (
        "lower-case",
        "upper-case",
        "other-zone",
        "single-digit-day",
        "double-space",
        "htab",
        "wrong-weekday",
        "missing-seconds",
        "two-digit-year",
        "four-digit-year-rfc850",
        "list-of-dates",
        "number",
        "empty",
        "iso-8601",
        "impossible-field",
        "missing-comma",
        "wrong-day-name-length",
        "unpadded-asctime-day",
        "junk-around",
        "junk",
    )
)
_ZONES: Final = _sampled(("UTC", "+0000", "-0000", "Z", "GMT+0", "gmt", "UT", "EST"))
_IMPOSSIBLE_DAYS: Final = (0, 32, 99)
# (field, first impossible value); :60 is a valid leap second.
_IMPOSSIBLE_RANGES: Final = (("hour", 24), ("minute", 60), ("second", 61))


def _read_impossible_field(tape: _Tape) -> tuple[str, int]:
    kind = tape.below(5)
    if kind == 0:
        return "day", tape.pick(_IMPOSSIBLE_DAYS)
    if kind == 4:
        return "year", 0
    field, low = _IMPOSSIBLE_RANGES[kind - 1]
    return field, tape.integer(low, 99)


_IMPOSSIBLE_FIELDS: Final = _read_by(
    st.one_of(
        st.tuples(st.just("day"), st.sampled_from(_IMPOSSIBLE_DAYS)),
        *(st.tuples(st.just(field), st.integers(low, 99)) for field, low in _IMPOSSIBLE_RANGES),
        st.tuples(st.just("year"), st.just(0)),
    ),
    _read_impossible_field,
)
_DATE_JUNK: Final = _sampled(("x", ";", ",", '"', "\x7f", "\x0b", "\xa0", "GMT"))


def _read_not_a_date(tape: _Tape) -> str:
    text = _read_arbitrary_text(tape)
    return text.replace(":", "") if _TIME_OF_DAY_RE.search(text) else text


_NOT_DATES: Final = _read_by(
    _kept(_ARBITRARY_TEXT, lambda t: _TIME_OF_DAY_RE.search(t) is None), _read_not_a_date
)


def _draw_invalid_date(draw: st.DrawFn, plan: _DatePlan) -> str:
    """A text one mistake away from a valid HTTP-date (see invalid_http_dates)."""
    kind = draw(_INVALID_DATE_KINDS)
    timestamp, text = _draw_dated(draw, plan)
    p = _Parts.of(timestamp)
    day_name, long_day_name = DAY_NAMES[p.weekday], LONG_DAY_NAMES[p.weekday]
    month = MONTH_NAMES[p.month - 1]
    if kind == "lower-case":
        return text.lower()
    if kind == "upper-case":
        return text.upper()
    if kind == "other-zone":
        zone = draw(_ZONES)
        return text[: -len("GMT")] + zone if text.endswith(" GMT") else f"{text} {zone}"
    if kind == "single-digit-day":
        return f"{day_name}, {p.day % 10} {month} {p.year:04d} {p.time} GMT"
    if kind in ("double-space", "htab"):
        spaces = [i for i, c in enumerate(text) if c == " "]
        at = spaces[_draw_index(draw, len(spaces))]
        if kind == "htab":
            return text[:at] + "\t" + text[at + 1 :]
        return text[:at] + " " + text[at:]
    if kind == "wrong-weekday":
        wrong = (p.weekday + _integer(draw, 1, 6)) % 7
        if text.startswith(long_day_name):
            return LONG_DAY_NAMES[wrong] + text[len(long_day_name) :]
        return DAY_NAMES[wrong] + text[len(day_name) :]
    if kind == "missing-seconds":
        return text.replace(p.time, p.time[:5])
    if kind == "two-digit-year":
        return f"{day_name}, {p.day:02d} {month} {p.year % 100:02d} {p.time} GMT"
    if kind == "four-digit-year-rfc850":
        return f"{long_day_name}, {p.day:02d}-{month}-{p.year:04d} {p.time} GMT"
    if kind == "list-of-dates":
        _, other = _draw_dated(draw, plan)
        return text + _pick(draw, (", ", ",", " , ")) + other
    if kind == "number":
        return _pick(draw, ("0", "-1", str(timestamp), "1e9", "0x10"))
    if kind == "empty":
        return _pick(draw, ("", " ", "\t"))
    if kind == "iso-8601":
        iso = f"{p.year:04d}-{p.month:02d}-{p.day:02d}T{p.time}"
        return iso + _pick(draw, ("Z", "+00:00", ""))
    if kind == "impossible-field":
        field, value = draw(_IMPOSSIBLE_FIELDS)
        fields = {
            "day": p.day,
            "year": p.year,
            "hour": p.hour,
            "minute": p.minute,
            "second": p.second,
        }
        fields[field] = value
        return (
            f"{day_name}, {fields['day']:02d} {month} {fields['year']:04d} "
            f"{fields['hour']:02d}:{fields['minute']:02d}:{fields['second']:02d} GMT"
        )
    if kind == "missing-comma":
        return f"{day_name} {p.day:02d} {month} {p.year:04d} {p.time} GMT"
    if kind == "wrong-day-name-length":
        if _boolean(draw):
            return f"{day_name}, {p.day:02d}-{month}-{p.year % 100:02d} {p.time} GMT"
        return f"{long_day_name}, {p.day:02d} {month} {p.year:04d} {p.time} GMT"
    if kind == "unpadded-asctime-day":
        return f"{day_name} {month} {p.day % 10} {p.time} {p.year:04d}"
    if kind == "junk-around":
        junk = draw(_DATE_JUNK)
        return junk + text if _boolean(draw) else text + junk
    assert kind == "junk"
    return draw(_NOT_DATES)


def invalid_http_dates(*, around: int | None = None, compact: bool = False) -> SearchStrategy[str]:
    """Texts that are NOT valid HTTP-dates but look close to one, each one
    :func:`~etagspec.dates.http_date_to_timestamp` rejects (PARSE-9,
    PARSE-10, AMB-DATE-1, AMB-DATE-2).

    Mostly a valid date near ``around`` (POSIX seconds; anywhere in
    1970-2100 without it) with one mistake: lower or upper case, ``UTC`` /
    ``+0000`` / ``Z`` for ``GMT``, a single-digit day, a doubled SP or an
    HTAB, the wrong weekday, no seconds, a two-digit year in an IMF-fixdate
    (or four digits in an rfc850-date), no comma, the long day-name in the
    wrong format, an unpadded asctime day, an impossible day, hour, minute,
    second (``:61`` and up; the valid leap second ``:60`` is never used) or
    year 0000, junk before or after; or else a comma-joined list of two
    valid dates, ISO 8601, ``0``, ``-1``, empty or blank text, or arbitrary
    latin-1 text with no ``hh:mm:ss`` in it.

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards the lower-cased IMF-fixdate of ``around``.
    """

    def definition() -> SearchStrategy[str]:
        plan = _default_date_plan(around, int(time.time()))
        return _strategy(lambda draw: _draw_invalid_date(draw, plan), compact, _INVALID_DATE_TAPE)

    return _readable(definition)


_IF_RANGE_KINDS: Final = _sampled(("tag", "date", "malformed", "tag", "date"))


def _draw_if_range(draw: st.DrawFn, current: EntityTag | None, plan: _DatePlan) -> str:
    """One If-Range value (see if_range_values)."""
    # A tag and a date take about as many choices to draw, so this shrinks
    # towards the first kind, a tag.
    kind = draw(_IF_RANGE_KINDS)
    if kind == "tag":
        return str(_draw_tag_near(draw, current))
    if kind == "date":
        return _draw_dated(draw, plan)[1]
    if _boolean(draw):
        return _draw_invalid_date(draw, plan)
    return _draw_malformed_tag(draw, current)


def if_range_values(
    *, current: EntityTag | None = None, last_modified: int | None = None, compact: bool = False
) -> SearchStrategy[str]:
    """If-Range field values (ABNF-IR-1) for a resource whose ETag is
    ``current`` and whose Last-Modified is ``last_modified`` (POSIX seconds).

    Two in five are entity tags: ``current`` as is, with ``W/`` added or
    removed, one character off, or arbitrary. Two in five are valid
    HTTP-dates, nine in ten of them within 3 seconds of ``last_modified``,
    in all three formats (anywhere in 1970-2100 without it). The rest are
    malformed: near misses of ``current``
    (:func:`malformed_entity_tag_texts`) or invalid dates
    (:func:`invalid_http_dates`), which If-Range treats as false (AMB-IR-1).

    With ``compact=True`` each value is one Hypothesis choice (see :func:`compact`).

    Shrinks towards ``current`` as it is (the strong tag ``""`` without it).
    """

    def definition() -> SearchStrategy[str]:
        _check_optional_tag("current", current)
        if last_modified is not None:
            _check_timestamp("last_modified", last_modified, margin=3)
        plan = _default_date_plan(last_modified, int(time.time()))
        return _strategy(lambda draw: _draw_if_range(draw, current, plan), compact, _IF_RANGE_TAPE)

    return _readable(definition)
