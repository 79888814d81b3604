"""HTTP-date parsing and formatting (RFC 9110 §5.6.7), sans-IO.

A recipient accepts all three forms of an HTTP-date (DATE-1); a sender only
generates IMF-fixdate (DATE-2)::

    Sun, 06 Nov 1994 08:49:37 GMT    ; IMF-fixdate
    Sunday, 06-Nov-94 08:49:37 GMT   ; obsolete RFC 850 format
    Sun Nov  6 08:49:37 1994         ; ANSI C's asctime() format

Parsing is strict (LEN-1, AMB-DATE-2): the grammar is case-sensitive and
fixed-width, only ``GMT`` is accepted as the zone, digits are ASCII only
(PARSE-9), and the date must be real in the sense of RFC 5322 §3.3 (DATE-6):
the day exists in its month, the time lies in 00:00:00-23:59:60 and the
day-name is the day the date falls on (AMB-DATE-1). A leap second ``:60`` is
read as ``:59`` (AMB-DATE-3); the year 0000 is rejected (AMB-DATE-5). Anything
else raises :class:`~etagspec.errors.InvalidHTTPDate`.

>>> parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")
datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)
>>> format_http_date(784111777)
'Sun, 06 Nov 1994 08:49:37 GMT'
"""

from __future__ import annotations

import datetime
import math
import time
from typing import Final

from etagspec._abnf import (
    ASCTIME_DATE_RE,
    DAY_NAMES,
    IMF_FIXDATE_RE,
    LONG_DAY_NAMES,
    MONTH_NAMES,
    RFC850_DATE_RE,
)
from etagspec._display import shown
from etagspec._memo import remember
from etagspec.errors import InvalidHTTPDate

__all__ = [
    "FIRST_HTTP_DATE",
    "LAST_HTTP_DATE",
    "format_http_date",
    "http_date_to_timestamp",
    "parse_http_date",
    "posix_seconds",
]

_WEEKDAY_OF_NAME = {name: index for index, name in enumerate(DAY_NAMES)}
_WEEKDAY_OF_NAME.update({name: index for index, name in enumerate(LONG_DAY_NAMES)})
_MONTH_OF_NAME = {name: index for index, name in enumerate(MONTH_NAMES, start=1)}

_SECONDS_PER_DAY = 86_400
_DAYS_FROM_0000_03_01_TO_EPOCH = 719_468
_DAYS_PER_400_YEARS = 146_097

# The longest valid HTTP-date is an rfc850-date on a Wednesday (33 characters).
# Anything longer is rejected before any pattern is tried.
_MAX_HTTP_DATE_LENGTH = 33
_EXAMPLE = "'Sun, 06 Nov 1994 08:49:37 GMT'"

# (year, month, day, hour, minute, second) with the second already in 0..59
_Fields = tuple[int, int, int, int, int, int]


def parse_http_date(text: str, *, now: float | None = None) -> datetime.datetime:
    """Parse an HTTP-date in any of its three forms into an aware UTC datetime.

    Leading and trailing SP and HTAB are ignored (FLD-TRIM); nothing else is
    forgiven. ``now`` (POSIX seconds, default: the current time) is only used
    to place the two-digit year of an rfc850-date: it is the latest year with
    those two digits that is not more than 50 years after ``now`` (DATE-7,
    AMB-DATE-7), so in 2060 ``05`` is 2105 and ``20`` is 2020. "50 years
    after" means the same calendar time 50 years later.

    >>> parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")
    datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)
    >>> parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now=1_700_000_000)
    datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)
    >>> parse_http_date("Sun Nov  6 08:49:37 1994")
    datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.timezone.utc)

    Leap seconds are read as ``:59``; dates that are not real are rejected:

    >>> parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT").second
    59
    >>> parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHTTPDate: 'Sun, 06 Nov 1994 08:49:37 UTC' is not an HTTP-date: ...
    >>> parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHTTPDate: 'Mon, 06 Nov 1994 ...' ... 06 Nov 1994 is a Sun, not a Mon; ...
    """
    _, (year, month, day, hour, minute, second), _ = _parse_fields(text, now)
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.UTC)


def http_date_to_timestamp(text: str, *, now: float | None = None) -> int:
    """Parse an HTTP-date like :func:`parse_http_date` and return POSIX seconds.

    This is the fast path for precondition evaluation: no datetime object is
    created.

    >>> http_date_to_timestamp("Sun, 06 Nov 1994 08:49:37 GMT")
    784111777
    >>> http_date_to_timestamp("Sunday, 06-Nov-94 08:49:37 GMT", now=1_700_000_000)
    784111777
    >>> http_date_to_timestamp("Sun Nov  6 08:49:37 1994")
    784111777
    >>> http_date_to_timestamp("Thu, 01 Jan 1970 00:00:00 GMT")
    0
    >>> http_date_to_timestamp("Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHTTPDate: ... is not an HTTP-date: ...
    """
    if now is None and text.__class__ is str:
        cached = _TIMESTAMP_CACHE.get(text)
        if cached is not None:
            return cached
    timestamp, depends_on_now = _timestamp_uncached(text, now)
    if (
        now is None
        and not depends_on_now
        and text.__class__ is str
        and len(text) <= _CACHEABLE_LENGTH
    ):
        remember(_TIMESTAMP_CACHE, text, timestamp)
    return timestamp


# Valid dates already read, by their exact text (a client sends back the
# Last-Modified it got; see etagspec._memo). Only dates whose reading does
# not depend on the current time are kept: an rfc850-date's two-digit year
# does. Only short texts (a date with a little OWS) are kept.
_CACHEABLE_LENGTH = 64
_TIMESTAMP_CACHE: dict[str, int] = {}


def _timestamp_uncached(text: str, now: float | None) -> tuple[int, bool]:
    """POSIX seconds, and whether reading them depended on ``now``."""
    days, (_, _, _, hour, minute, second), depends_on_now = _parse_fields(text, now)
    return days * _SECONDS_PER_DAY + hour * 3600 + minute * 60 + second, depends_on_now


def format_http_date(when: datetime.datetime | int | float) -> str:
    """Format an instant as an IMF-fixdate, the only form a sender may send.

    ``when`` is a :class:`~datetime.datetime` or POSIX seconds. A naive
    datetime is taken to be in UTC; an aware one is converted to UTC.
    Fractional seconds are truncated toward the past (floor). Instants outside
    the years 1..9999 and non-finite numbers raise InvalidHTTPDate; booleans
    and other types raise TypeError.

    >>> import datetime
    >>> format_http_date(datetime.datetime(1994, 11, 6, 8, 49, 37))
    'Sun, 06 Nov 1994 08:49:37 GMT'
    >>> paris = datetime.timezone(datetime.timedelta(hours=1))
    >>> format_http_date(datetime.datetime(1994, 11, 6, 9, 49, 37, 999999, tzinfo=paris))
    'Sun, 06 Nov 1994 08:49:37 GMT'
    >>> format_http_date(-0.5)
    'Wed, 31 Dec 1969 23:59:59 GMT'
    >>> format_http_date(float("nan"))
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidHTTPDate: nan is not a finite number of seconds; ...
    """
    # FMT-DATE-1: IMF-fixdate only, of the instant given.
    seconds = posix_seconds(when)
    if not FIRST_HTTP_DATE <= seconds <= LAST_HTTP_DATE:
        raise InvalidHTTPDate(
            f"{when!r} is outside the years 1..9999 that an HTTP-date can express", when
        )
    days, second_of_day = divmod(seconds, _SECONDS_PER_DAY)
    year, month, day = _civil_from_days(days)
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    return (
        f"{DAY_NAMES[_weekday(days)]}, {day:02d} {MONTH_NAMES[month - 1]} {year:04d} "
        f"{hour:02d}:{minute:02d}:{second:02d} GMT"
    )


# ---- parsing ----------------------------------------------------------------


def _parse_fields(text: str, now: float | None) -> tuple[int, _Fields, bool]:
    """Match ``text`` against the three forms and check that the date is real.

    Returns the day number (days since 1970-01-01), the calendar fields,
    with a leap second already read as ``:59``, and whether the reading
    depended on ``now`` (an rfc850-date's year does).
    """
    if not isinstance(text, str):
        raise TypeError(f"an HTTP-date must be a str, not {type(text).__name__}")
    stripped = text.strip(" \t")
    if len(stripped) > _MAX_HTTP_DATE_LENGTH:
        raise _not_an_http_date(text)
    match = IMF_FIXDATE_RE.fullmatch(stripped)
    depends_on_now = False
    if match is not None:
        day_name, day, month, year, hour, minute, second = match.groups()
        full_year = int(year)
    else:
        match = RFC850_DATE_RE.fullmatch(stripped)
        if match is not None:
            day_name, day, month, year, hour, minute, second = match.groups()
            depends_on_now = True
            full_year = _rfc850_full_year(
                int(year), _MONTH_OF_NAME[month], int(day), int(hour), int(minute), int(second), now
            )
        else:
            match = ASCTIME_DATE_RE.fullmatch(stripped)
            if match is None:
                raise _not_an_http_date(text)
            day_name, month, day, hour, minute, second, year = match.groups()
            full_year = int(year)
    fields = (full_year, _MONTH_OF_NAME[month], int(day), int(hour), int(minute), int(second))
    days = _check_real_date(text, fields, _WEEKDAY_OF_NAME[day_name])
    if fields[5] == 60:
        return days, (*fields[:5], 59), depends_on_now
    return days, fields, depends_on_now


def _check_real_date(text: str, fields: _Fields, weekday: int) -> int:
    """RFC 5322 §3.3 semantic validity (DATE-6); returns the day number."""
    year, month, day, hour, minute, second = fields
    if not 1 <= year <= 9999:
        raise _not_a_real_date(text, f"the year {year:04d} does not exist")
    if not 1 <= day <= _days_in_month(year, month):
        raise _not_a_real_date(text, f"{MONTH_NAMES[month - 1]} {year} has no day {day:02d}")
    if hour > 23 or minute > 59 or second > 60:
        raise _not_a_real_date(
            text, f"{hour:02d}:{minute:02d}:{second:02d} is not in 00:00:00-23:59:60"
        )
    days = _days_from_civil(year, month, day)
    actual = _weekday(days)
    if actual != weekday:
        raise _not_a_real_date(
            text,
            f"{day:02d} {MONTH_NAMES[month - 1]} {year:04d} is a {DAY_NAMES[actual]}, "
            f"not a {DAY_NAMES[weekday]}",
        )
    return days


def _rfc850_full_year(
    two_digit_year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int,
    now: float | None,
) -> int:
    """The year of an rfc850-date (DATE-7): the latest year with these two
    digits whose instant is not more than 50 years in the future of ``now``
    (the "most recent past year" when the nearer reading is too far ahead)."""
    now_seconds = _finite_floor(time.time() if now is None else now, "now")
    now_days, now_second_of_day = divmod(now_seconds, _SECONDS_PER_DAY)
    now_year, now_month, now_day = _civil_from_days(now_days)
    candidate = now_year - now_year % 100 + 100 + two_digit_year
    # Compare calendar fields: the same as comparing instants against now + 50 years.
    limit = (now_year + 50, now_month, now_day, now_second_of_day)
    while (candidate, month, day, hour * 3600 + minute * 60 + second) > limit:
        candidate -= 100
    return candidate


def _not_an_http_date(text: str) -> InvalidHTTPDate:
    return InvalidHTTPDate(
        f"{shown(text)} is not an HTTP-date: expected an IMF-fixdate such as {_EXAMPLE} "
        "(or the obsolete rfc850-date or asctime-date forms), "
        "case-sensitive, with single spaces and the zone GMT",
        text,
    )


def _not_a_real_date(text: str, reason: str) -> InvalidHTTPDate:
    return InvalidHTTPDate(
        f"{shown(text)} is not a valid HTTP-date: {reason}; a valid one looks like {_EXAMPLE}",
        text,
    )


# ---- formatting -------------------------------------------------------------


def posix_seconds(when: datetime.datetime | int | float) -> int:
    """Whole POSIX seconds, floored; a naive datetime is taken as UTC.

    The 1-second resolution HTTP-dates and Last-Modified comparisons use.
    Raises TypeError for anything but a datetime or a (non-bool) number.

    >>> posix_seconds(784111777.9), posix_seconds(datetime.datetime(1994, 11, 6, 8, 49, 37))
    (784111777, 784111777)
    """
    if isinstance(when, bool):
        raise TypeError("a time must be a datetime or POSIX seconds, not a bool")
    if isinstance(when, int):
        return when
    if isinstance(when, float):
        return _finite_floor(when, "when")
    if isinstance(when, datetime.datetime):
        return _datetime_to_posix_seconds(when)
    raise TypeError(f"a time must be a datetime or POSIX seconds, not {type(when).__name__}")


def _datetime_to_posix_seconds(when: datetime.datetime) -> int:
    # Plain integer arithmetic: astimezone() could overflow near years 1 and 9999.
    offset = when.utcoffset() or datetime.timedelta(0)
    local_seconds = (
        _days_from_civil(when.year, when.month, when.day) * _SECONDS_PER_DAY
        + when.hour * 3600
        + when.minute * 60
        + when.second
    )
    microseconds = local_seconds * 1_000_000 + when.microsecond
    microseconds -= offset // datetime.timedelta(microseconds=1)
    return microseconds // 1_000_000


def _finite_floor(value: float, what: str) -> int:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{what} must be a number of POSIX seconds, not {type(value).__name__}")
    if not math.isfinite(value):
        raise InvalidHTTPDate(
            f"{value!r} is not a finite number of seconds; {what} must be finite", value
        )
    return math.floor(value)


# ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) -------


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01, counting years from March so Feb 29 comes last."""
    march_year = year - 1 if month <= 2 else year
    era, year_of_era = divmod(march_year, 400)
    month_from_march = (month + 9) % 12
    day_of_year = (153 * month_from_march + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * _DAYS_PER_400_YEARS + day_of_era - _DAYS_FROM_0000_03_01_TO_EPOCH


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """Inverse of :func:`_days_from_civil`."""
    era, day_of_era = divmod(days + _DAYS_FROM_0000_03_01_TO_EPOCH, _DAYS_PER_400_YEARS)
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_from_march = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_from_march + 2) // 5 + 1
    month = month_from_march + 3 if month_from_march < 10 else month_from_march - 9
    year = era * 400 + year_of_era + (1 if month <= 2 else 0)
    return year, month, day


def _weekday(days: int) -> int:
    """Monday is 0; 1970-01-01 was a Thursday."""
    return (days + 3) % 7


#: The first and the last instant an HTTP-date can name, in POSIX seconds:
#: 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (a four-digit year; the
#: year 0000 is rejected, AMB-DATE-5).
FIRST_HTTP_DATE: Final = _days_from_civil(1, 1, 1) * _SECONDS_PER_DAY
LAST_HTTP_DATE: Final = _days_from_civil(9999, 12, 31) * _SECONDS_PER_DAY + _SECONDS_PER_DAY - 1
