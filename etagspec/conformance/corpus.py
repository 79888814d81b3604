"""A fixed corpus of known-tricky field values, keyed by field.

Hypothesis draws values at random; some values are worth sending every time
because they are where parsers differ: a comma or a backslash inside a
quoted tag, ``w/`` and ``W/ "x"``, ``*`` inside a list, empty and repeated
fields, dates in lower or upper case, with the wrong day-name, in ``UTC`` or
``+0000``, before 1970, after 2038, and on the leap second ``23:59:60``.
Every exploring check sends these first, as explicit requests judged like
the generated ones (:func:`etagspec.conformance.probing.explore_requests`).

Values are built around what the harness learned about the path (the
current entity-tag and Last-Modified), so that a value that a lenient parser
reads differently also changes the answer. Each value is classed *valid* or
*invalid* under the strict RFC 9110 grammar: a check of valid values gets
the valid ones, a check of invalid values the invalid ones. A value is one
field line, or a tuple of lines for a field sent repeatedly (which a server
joins with a comma, RFC 9110 §5.3).

>>> from etagspec.etags import EntityTag
>>> values = corpus_values("If-None-Match", etag=EntityTag("v1"), last_modified=None)
>>> '"a,b", "v1"' in values.valid, 'w/"v1"' in values.invalid
(True, True)
>>> dates = corpus_values("If-Modified-Since", etag=None, last_modified=1699000000)
>>> "fri, 03 nov 2023 08:26:40 gmt" in dates.invalid, "Sat, 31 Dec 2016 23:59:60 GMT" in dates.valid
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from ..dates import format_http_date, http_date_to_timestamp
from ..errors import InvalidHTTPDate
from ..etags import EntityTag

__all__ = [
    "CorpusValue",
    "FieldCorpus",
    "Selection",
    "corpus_values",
    "is_repeated",
]

#: One field line, or several lines of the same field.
CorpusValue: TypeAlias = "str | tuple[str, ...]"
#: Which of a field's corpus values a check sends.
Selection: TypeAlias = Literal["valid", "invalid", "all", "none"]

LIST_FIELDS: Final = ("if-match", "if-none-match")
DATE_FIELDS: Final = ("if-modified-since", "if-unmodified-since")
#: A tag that matches nothing a server sends.
NO_SUCH_TAG: Final = '"etagspec-no-such-tag"'
#: Instants of note: before the POSIX epoch, the 32-bit rollover and after
#: it, and the last day of 9999 (the last an HTTP-date can write).
BEFORE_1970: Final = -315_619_200  # Fri, 01 Jan 1960 00:00:00 GMT
ROLLOVER_2038: Final = 2_147_483_648  # Tue, 19 Jan 2038 03:14:08 GMT
YEAR_2100: Final = 4_102_444_800  # Fri, 01 Jan 2100 00:00:00 GMT
#: A real leap second (the last one so far), read as 23:59:59 (AMB-DATE-3).
LEAP_SECOND: Final = "Sat, 31 Dec 2016 23:59:60 GMT"


@dataclass(frozen=True, slots=True)
class FieldCorpus:
    """A field's corpus values: those the strict grammar accepts, and the rest."""

    valid: tuple[CorpusValue, ...] = ()
    invalid: tuple[CorpusValue, ...] = ()

    def select(self, which: Selection) -> tuple[CorpusValue, ...]:
        """The values a check of ``which`` values sends.

        >>> FieldCorpus(("a",), ("b",)).select("all")
        ('a', 'b')
        """
        if which == "valid":
            return self.valid
        if which == "invalid":
            return self.invalid
        if which == "all":
            return self.valid + self.invalid
        return ()


def is_repeated(value: CorpusValue) -> bool:
    """Whether ``value`` is several lines of one field.

    >>> is_repeated(("a", "b")), is_repeated("a")
    (True, False)
    """
    return isinstance(value, tuple)


def corpus_values(name: str, *, etag: EntityTag | None, last_modified: int | None) -> FieldCorpus:
    """The tricky values of field ``name`` around the current validators
    (``etag``, ``last_modified`` in POSIX seconds; either may be None).
    Fields without a corpus get an empty one."""
    key = name.lower()
    if key in LIST_FIELDS:
        return _tag_lists(etag)
    if key in DATE_FIELDS:
        return _dates(last_modified)
    if key == "if-range":
        return _if_range(etag, last_modified)
    if key == "range":
        return _ranges()
    return FieldCorpus()


def _tag_lists(etag: EntityTag | None) -> FieldCorpus:
    """If-Match / If-None-Match. ``current`` is the tag as the server wrote
    it; the lenient readings (RFC 2616 quoted-string, ``w/``, a salvaged
    list) of the invalid ones would match it, the strict reading does not."""
    current = str(etag) if etag is not None else '"etagspec-current"'
    opaque = etag.opaque if etag is not None else "etagspec-current"
    weak = f'W/"{opaque}"'
    valid: tuple[CorpusValue, ...] = (
        current,
        weak,
        '"a,b"',  # a comma inside the quotes: one tag, not two
        f'"a,b", {current}',
        f'"a\\", {current}',  # a backslash is an etagc: "a\" is a whole tag
        f'"\\{opaque}"',  # not the current tag (no unescaping, LEN-2)
        '""',  # the empty entity-tag
        "",  # an empty field: an empty list (AMB-LIST-1: or absent)
        f",{current},",  # empty list elements
        f" ,\t{current} ,",
        f"\t{current}\t",
        (NO_SUCH_TAG, current),  # repeated field lines
        (current, NO_SUCH_TAG),
        (NO_SUCH_TAG, NO_SUCH_TAG),
        f'{NO_SUCH_TAG}, "{opaque}-gzip", W/"{opaque}-1"',
    )
    invalid: tuple[CorpusValue, ...] = (
        f'w/"{opaque}"',  # lower-case weak prefix (LEN-6)
        f'W/ "{opaque}"',  # space after W/ (LEN-7)
        f"*, {current}",  # * inside a list
        f"{current}, *",
        opaque,  # unquoted
        f'"{opaque}',  # unterminated
        f'"a"b", {current}',  # a quote inside a tag; a quoted-string reader escapes it
        f'"a \\" b", {current}',  # a backslash-escaped quote (a 2616 quoted-string)
        f"{current} {NO_SUCH_TAG}",  # no comma between members
        f"{current};",
        f"'{opaque}'",
        ("*", current),  # * on one line, a tag on another
    )
    return FieldCorpus(valid, invalid)


def _dates(last_modified: int | None) -> FieldCorpus:
    """If-Modified-Since / If-Unmodified-Since around Last-Modified."""
    valid: list[CorpusValue] = [
        format_http_date(BEFORE_1970),
        format_http_date(ROLLOVER_2038),
        format_http_date(YEAR_2100),
        LEAP_SECOND,
    ]
    invalid: list[CorpusValue] = ["", "0", "-1", "Thu, 01 Jan 1970 00:00:00"]
    if last_modified is None:
        return FieldCorpus(tuple(valid), tuple(invalid))
    for instant in (last_modified, last_modified - 1):
        if not _representable(instant):
            continue
        text = format_http_date(instant)
        day_name, day, month, year, clock, _ = text.replace(",", "").split(" ")
        valid += [text, *_same_instant(instant, _rfc850(text)), _asctime(text)]
        invalid += [
            text.lower(),
            text.upper(),
            text.replace(" GMT", " UTC"),
            text.replace(" GMT", " +0000"),
            text.replace(" GMT", " -0000"),  # UTC too (RFC 5322 §3.3): LEN-8
            text.replace(day_name, _other_day_name(day_name), 1),
            f"{day_name}, {int(day)} {month} {year} {clock} GMT",  # one-digit day
            f"{day_name}, {day} {month} {year} {clock[:5]} GMT",  # no seconds
            f"{text}, {text}",  # a list of dates
            (text, text),  # repeated lines
            f" {text}x",
        ]
    leap = _leap_second_before(last_modified)
    if leap is not None:
        valid.append(leap)
    return FieldCorpus(tuple(valid), tuple(invalid))


def _if_range(etag: EntityTag | None, last_modified: int | None) -> FieldCorpus:
    valid: list[CorpusValue] = [NO_SUCH_TAG]
    invalid: list[CorpusValue] = ["", "*", "garbage"]
    if etag is not None:
        valid += [str(etag), f'W/"{etag.opaque}"']
        invalid += [f'w/"{etag.opaque}"', etag.opaque, f"{etag}, {NO_SUCH_TAG}"]
    if last_modified is not None and _representable(last_modified):
        text = format_http_date(last_modified)
        valid += [text, *_same_instant(last_modified, _rfc850(text))]
        invalid += [text.lower(), text.replace(" GMT", " UTC")]
    return FieldCorpus(tuple(valid), tuple(invalid))


def _ranges() -> FieldCorpus:
    """Satisfiable byte ranges (for any non-empty representation) and
    invalid ones."""
    valid = (
        "bytes=0-0",
        "bytes=-1",
        "bytes=0-",
        "BYTES=0-0",  # range units are case-insensitive
        "bytes=0-0,-1",
        "bytes=0-99999999999999999999999",
    )
    invalid = ("bytes=1-0", "bytes=", "bytes=x-y", "bytes 0-0")
    return FieldCorpus(valid, invalid)


def _representable(instant: int) -> bool:
    try:
        http_date_to_timestamp(format_http_date(instant))
    except (InvalidHTTPDate, ValueError, OverflowError):
        return False
    return True


def _same_instant(instant: int, text: str) -> tuple[str, ...]:
    """``text`` if it names ``instant`` (an rfc850 date's two-digit year
    names the year within 50 years of now, which may be another century)."""
    try:
        return (text,) if http_date_to_timestamp(text) == instant else ()
    except InvalidHTTPDate:
        return ()


def _other_day_name(day_name: str) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return names[(names.index(day_name) + 1) % 7]


def _rfc850(text: str) -> str:
    """The IMF-fixdate ``text`` in the obsolete RFC 850 form."""
    day_name, day, month, year, clock, _ = text.replace(",", "").split(" ")
    long_names = {
        "Mon": "Monday",
        "Tue": "Tuesday",
        "Wed": "Wednesday",
        "Thu": "Thursday",
        "Fri": "Friday",
        "Sat": "Saturday",
        "Sun": "Sunday",
    }
    return f"{long_names[day_name]}, {day}-{month}-{year[2:]} {clock} GMT"


def _asctime(text: str) -> str:
    """The IMF-fixdate ``text`` in ANSI C's asctime() form."""
    day_name, day, month, year, clock, _ = text.replace(",", "").split(" ")
    return f"{day_name} {month} {int(day):2d} {clock} {year}"


def _leap_second_before(last_modified: int) -> str | None:
    """``23:59:60`` on the day before Last-Modified: read as 23:59:59
    (AMB-DATE-3), a valid date whatever the day (RFC 9110 §5.6.7 allows
    :60 on any day)."""
    day_start = last_modified - last_modified % 86_400
    instant = day_start - 1  # 23:59:59 of the day before
    if not _representable(instant):
        return None
    return format_http_date(instant).replace(":59 GMT", ":60 GMT")
