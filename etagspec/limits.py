"""Limits that keep parsing cheap on hostile input.

A request field longer than :data:`MAX_FIELD_LENGTH` characters is treated as
syntactically invalid by precondition evaluation instead of being parsed (so
an invalid ``If-Match`` is false, an invalid ``If-None-Match`` is true, an
over-long date is ignored). The parsers themselves accept any length and run
in time linear in it (PARSE-TIME-1); the cap bounds the work a single request can cause.
It is the reference's own limit, not RFC 9110's: the conformance harness
judges other servers with :data:`NO_FIELD_LIMIT`.

RFC 9110 §5.6.1.2 asks recipients to skip empty list elements "up to a
reasonable number"; beyond :data:`MAX_EMPTY_LIST_ELEMENTS` a list is invalid.
"""

from __future__ import annotations

import sys

__all__ = ["MAX_EMPTY_LIST_ELEMENTS", "MAX_FIELD_LENGTH", "NO_FIELD_LIMIT"]

#: Longest request field value (in characters, i.e. octets under WSGI's
#: latin-1 decoding) that precondition evaluation will parse.
MAX_FIELD_LENGTH = 16 * 1024

#: The ``limit`` that lifts :data:`MAX_FIELD_LENGTH`: RFC 9110 sets no length
#: limit on a field, so the conformance oracle judges others without ours.
NO_FIELD_LIMIT = sys.maxsize

#: Most empty elements (``,,``) tolerated in one list-valued field.
MAX_EMPTY_LIST_ELEMENTS = 1000
