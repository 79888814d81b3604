"""The known-tricky inputs every parser check tries before Hypothesis draws
its own: the values parsers are known to get wrong (docs/SPEC.md §1.9,
§6.3, §6.5). Each tuple is the input of one check's judge. Field values
are trimmed, as a server hands them to an application."""

from __future__ import annotations

from typing import Final

__all__ = [
    "BACKSLASH_LISTS",
    "COMMA_LISTS",
    "COMPARED_PAIRS",
    "HOSTILE_OPAQUES",
    "INSTANTS",
    "INVALID_DATES",
    "INVALID_LISTS",
    "SINGLE_TAGS",
    "VALID_DATES",
    "VALID_LISTS",
    "VALID_OPAQUES",
    "WILDCARD_LISTS",
]

#: Valid lists whose tags hold commas (PARSE-2), the last more of them than
#: limits.MAX_EMPTY_LIST_ELEMENTS (commas inside a tag are no list elements).
COMMA_LISTS: Final = (
    '"a,b"',
    '"a,b", "c"',
    'W/"a,b"',
    '","',
    '",", ","',
    '"a,", W/",b"',
    '"a", "b,c,d"',
    '"' + "," * 1001 + '"',
)
#: Valid lists with backslashes or W/ inside quotes (PARSE-3, LEN-2).
BACKSLASH_LISTS: Final = (
    '"a\\"',
    '"a\\", "b"',
    '"\\\\"',
    '"\\"',
    '"W/"',
    'W/"W/"',
    '"W/a", W/"b"',
    '"a\\b\\c"',
    '"a\\", W/"\\"',
)
#: The wildcard alone, quoted, and inside lists (PARSE-6).
WILDCARD_LISTS: Final = (
    "*",
    '"*"',
    'W/"*"',
    '"*", "a"',
    '"a", *',
    "*, *",
    '*, "a"',
)
#: Valid lists with OWS, empty elements and no members (PARSE-7, PARSE-8).
VALID_LISTS: Final = (
    "",
    ",",
    " , ,",
    '""',
    'W/""',
    '"a" ,, W/"b",',
    '"a"\t,\tW/"b"',
    ',"a"',
    '"a", "a"',
    '"\x80\xff"',
    '"a", W/"a"',
)
#: Invalid lists: the RFC 2616 forms (lenient) and what nobody may accept.
INVALID_LISTS: Final = (
    'w/"a"',
    'W/ "a"',
    "a",
    "a, b",
    '"a b"',
    '"a\\"b"',
    '"a" "b"',
    '"a',
    '"a"b',
    "W/",
    '"a", *',
    "*, *",
    '"a",\x00"b"',
    '"a"; "b"',
)
#: Single ETag values, valid and not (PARSE-1 to PARSE-5).
SINGLE_TAGS: Final = (
    '"a,b"',
    '"a\\"',
    'W/"W/"',
    '""',
    '"*"',
    "abc",
    'w/"a"',
    'W/ "a"',
    '"a b"',
    '"a\\"b"',
    "*",
    '"a", "b"',
    '"a',
)
#: (opaque, weak) arguments no formatter may write as given.
HOSTILE_OPAQUES: Final = (
    ('a"b', False),
    ('"', True),
    ("a\r\nSet-Cookie: x=1", False),
    ("\x00", False),
    ("a b", False),
    ("\t", True),
    ("\u0100", False),
    ("\x7f", False),
    ('"a", "b"', False),
)
#: Valid (opaque, weak) arguments (FMT-ETAG-2).
VALID_OPAQUES: Final = (
    ("", False),
    ("abc", True),
    ("a,b", False),
    ("W/", True),
    ("*", False),
    ("\\", False),
    ("a\\", True),
    ("\x80\xff", False),
    ("!#$%&'()*+-./:;<=>?@[]^_`{|}~", False),
)
#: Tag pairs, as (weak, opaque), for the comparison functions (CMP-T1 to CMP-T4).
COMPARED_PAIRS: Final = (
    ((True, "1"), (True, "1")),
    ((True, "1"), (True, "2")),
    ((True, "1"), (False, "1")),
    ((False, "1"), (False, "1")),
    ((False, "a"), (False, "A")),
    ((False, ""), (False, "")),
)
#: (seconds, text): valid dates in the three forms, and a leap second.
VALID_DATES: Final = (
    (784111777, "Sun, 06 Nov 1994 08:49:37 GMT"),
    (784111777, "Sunday, 06-Nov-94 08:49:37 GMT"),
    (784111777, "Sun Nov  6 08:49:37 1994"),
    (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
    (951782400, "Tue, 29 Feb 2000 00:00:00 GMT"),
    (2147483648, "Tue, 19 Jan 2038 03:14:08 GMT"),
    (1699000000, "Friday, 03-Nov-23 08:26:40 GMT"),
    (1699000000, "Fri Nov  3 08:26:40 2023"),
    (1483228799, "Sat, 31 Dec 2016 23:59:60 GMT"),
)
#: Not HTTP-dates: the lenient forms of AMB-DATE-2 and what nobody may read.
INVALID_DATES: Final = (
    "sun, 06 nov 1994 08:49:37 gmt",
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 06 Nov 1994 08:49:37 +0000",
    "Sun, 06 Nov 1994 08:49:37 -0000",
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49 GMT",
    "Mon, 06 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 +0100",
    "Sun, 06 Nov 1994 08:49:37 EST",
    "Wed, 30 Feb 2000 00:00:00 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
    "1994-11-06T08:49:37Z",
    "784111777",
    "",
    "Sun, 06 Nov 0000 08:49:37 GMT",
)
#: POSIX seconds to format (FMT-DATE-1).
INSTANTS: Final = (0, 784111777, 951782400, 1699000000, 2147483647, 2147483648, 4102444799)
