"""The ABNF pieces of RFC 9110 that etagspec parses, in one place.

Each rule is written above the pattern text that matches it. The names
ending in ``_RE`` are compiled; the others are pattern fragments (character
class contents or whole sub-patterns) for modules to compose. Patterns are
written so that every run of input can be consumed in only one way, which
keeps a failing match linear in the length of the value. Nothing here
reads or writes HTTP messages: it is grammar only.

>>> TOKEN_RE.fullmatch("max-age") is not None, TOKEN_RE.fullmatch("a b") is None
(True, True)
>>> ENTITY_TAG_RE.fullmatch('W/"xyzzy"').groups()
('W/', 'xyzzy')
>>> FIELD_VALUE_RE.fullmatch("a\\r\\nb") is None
True
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "ASCTIME_DATE_RE",
    "DAY_NAMES",
    "DELTA_SECONDS_RE",
    "ENTITY_TAG",
    "ENTITY_TAG_LIST_RE",
    "ENTITY_TAG_RE",
    "ETAGC",
    "FIELD_VALUE_RE",
    "FIELD_VCHAR",
    "IMF_FIXDATE_RE",
    "LONG_DAY_NAMES",
    "MONTH_NAMES",
    "OWS",
    "OWS_CHARS",
    "OWS_RE",
    "PLAIN_QUOTED_STRING",
    "QUOTED_PAIR_CHAR",
    "RFC850_DATE_RE",
    "TCHAR",
    "TOKEN",
    "TOKEN_RE",
]

# --- RFC 9110 §5.6: common rules -------------------------------------------------

# OWS = *( SP / HTAB )
OWS: Final = "[ \t]*"
OWS_RE: Final = re.compile(OWS)
#: The characters OWS is made of, for ``str.strip``.
OWS_CHARS: Final = " \t"

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_"
#       / "`" / "|" / "~" / DIGIT / ALPHA
TCHAR: Final = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
# token = 1*tchar
TOKEN: Final = f"{TCHAR}+"
TOKEN_RE: Final = re.compile(TOKEN)

# field-vchar   = VCHAR / obs-text                 ; obs-text = %x80-FF
# field-content = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
# field-value   = *field-content
# As a character class, with SP and HTAB (trimming is the parser's business).
FIELD_VCHAR: Final = r"\x21-\x7e\x80-\xff"
FIELD_VALUE_RE: Final = re.compile(f"[\\t\\x20{FIELD_VCHAR}]*")

# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
# qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
# PLAIN_QUOTED_STRING is the common case, DQUOTE *qdtext DQUOTE, with the
# content as group 1 (a quoted-pair makes the caller delimit the string
# itself: a repeated alternation keeps backtracking state per character).
PLAIN_QUOTED_STRING: Final = r'"([\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]*)"'
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): the characters after "\"
QUOTED_PAIR_CHAR: Final = f"[\\t\\x20{FIELD_VCHAR}]"

# delta-seconds = 1*DIGIT   (RFC 9111 §1.2.2)
DELTA_SECONDS_RE: Final = re.compile("[0-9]+")

# --- RFC 9110 §8.8.3: entity tags ---------------------------------------------------

# etagc = %x21 / %x23-7E / obs-text    ; VCHAR except DQUOTE, plus obs-text
ETAGC: Final = r"\x21\x23-\x7e\x80-\xff"
# entity-tag = [ weak ] opaque-tag
# weak       = %s"W/"
# opaque-tag = DQUOTE *etagc DQUOTE
# Groups: the weak marker (or None) and the opaque value.
ENTITY_TAG: Final = f'(W/)?"([{ETAGC}]*)"'
ENTITY_TAG_RE: Final = re.compile(ENTITY_TAG)
# If-Match / If-None-Match, recipient form (RFC 9110 §5.6.1.2 applied to
# #entity-tag), with the field value's surrounding OWS:
#   OWS [ entity-tag ] *( OWS "," OWS [ entity-tag ] ) OWS
# read as: any run of OWS and commas, then tags, each followed by OWS and
# either the end or a comma and any run of OWS and commas (two tags always
# have a comma between them). Ungrouped, so that one fullmatch validates a
# whole list; an atomic group per tag and possessive quantifiers, since no
# part of a list can be read two ways (which also spares the engine its
# backtracking bookkeeping).
# PARSE-LIST-1, PARSE-LIST-2: a tag runs from DQUOTE to DQUOTE, commas and
# backslashes inside it included; PARSE-LIST-4: OWS and empty elements are
# skipped; PARSE-LIST-5: anything else makes the whole value invalid.
ENTITY_TAG_LIST_RE: Final = re.compile(
    rf'[ \t,]*+(?>(?:W/)?+"[{ETAGC}]*+"[ \t]*+(?:,[ \t,]*+|\Z))*+'
)

# --- RFC 9110 §5.6.7: HTTP-date ----------------------------------------------------

DAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_DAY_NAMES: Final = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTH_NAMES: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

# day-name    = %s"Mon" / %s"Tue" / %s"Wed" / %s"Thu" / %s"Fri" / %s"Sat" / %s"Sun"
_DAY_NAME: Final = f"({'|'.join(DAY_NAMES)})"
# day-name-l  = %s"Monday" / %s"Tuesday" / %s"Wednesday" / %s"Thursday"
#             / %s"Friday" / %s"Saturday" / %s"Sunday"
_DAY_NAME_L: Final = f"({'|'.join(LONG_DAY_NAMES)})"
# month       = %s"Jan" / %s"Feb" / %s"Mar" / %s"Apr" / %s"May" / %s"Jun"
#             / %s"Jul" / %s"Aug" / %s"Sep" / %s"Oct" / %s"Nov" / %s"Dec"
_MONTH: Final = f"({'|'.join(MONTH_NAMES)})"
# time-of-day = hour ":" minute ":" second     ; each 2DIGIT
_TIME_OF_DAY: Final = "([0-9]{2}):([0-9]{2}):([0-9]{2})"

# PARSE-DATE-1: the three forms below are all read; PARSE-DATE-2: nothing else is.
# IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
# date1       = day SP month SP year           ; day = 2DIGIT, year = 4DIGIT
# Groups: day-name, day, month, year, hour, minute, second.
IMF_FIXDATE_RE: Final = re.compile(
    f"{_DAY_NAME}, ([0-9]{{2}}) {_MONTH} ([0-9]{{4}}) {_TIME_OF_DAY} GMT"
)
# rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT
# date2       = day "-" month "-" 2DIGIT
# Groups: day-name-l, day, month, two-digit year, hour, minute, second.
RFC850_DATE_RE: Final = re.compile(
    f"{_DAY_NAME_L}, ([0-9]{{2}})-{_MONTH}-([0-9]{{2}}) {_TIME_OF_DAY} GMT"
)
# asctime-date = day-name SP date3 SP time-of-day SP year
# date3        = month SP ( 2DIGIT / ( SP 1DIGIT ))
# Groups: day-name, month, day, hour, minute, second, year.
ASCTIME_DATE_RE: Final = re.compile(
    f"{_DAY_NAME} {_MONTH} ([0-9]{{2}}| [0-9]) {_TIME_OF_DAY} ([0-9]{{4}})"
)
