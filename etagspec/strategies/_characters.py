"""Alphabets from the ABNF (etagc, tchar, OWS) and the characters a near miss is made of."""

from __future__ import annotations

import re
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ._tape import _read_by, _sampled, _text_reader

# ---- characters -----------------------------------------------------------------
#
# Each alphabet is ordered so that Hypothesis, which shrinks a sampled_from()
# towards its first element, shrinks characters towards "a".

_LOWER: Final = "abcdefghijklmnopqrstuvwxyz"
_DIGITS: Final = "0123456789"
_UPPER: Final = _LOWER.upper()
_ALNUM: Final = _LOWER + _DIGITS + _UPPER

# etagc = %x21 / %x23-7E / obs-text     (ABNF-ETAG-5)
# obs-text = %x80-FF                     (ABNF-FV-1)
_ASCII_ETAGC: Final = "".join(chr(c) for c in (0x21, *range(0x23, 0x7F)))
_OBS_TEXT: Final = "".join(chr(c) for c in range(0x80, 0x100))
# What the generation guidance of docs/SPEC.md singles out (",", "\", "/",
# "*", "W", obs-text), plus the edges of the etagc ranges.
_INTERESTING_ETAGC: Final = ",\\/*W!#~\x80\xa0\xe9\xff"
_OTHER_ASCII_ETAGC: Final = "".join(c for c in _ASCII_ETAGC if c not in _ALNUM)
# The "safe" alphabet: what a server might put in a tag it makes (VAL-GEN-SAFE).
_SAFE_OPAQUE_CHARS: Final = _ALNUM + "-._~+/=:"

# One etagc, each of four groups equally likely, so the characters the guidance
# cares about are far more common than their share of the 188 etagc.
_ETAGC_GROUPS: Final = (_ALNUM, _INTERESTING_ETAGC, _OTHER_ASCII_ETAGC, _OBS_TEXT)
_ETAGC_CHARS: Final[SearchStrategy[str]] = _read_by(
    st.one_of(*(st.sampled_from(group) for group in _ETAGC_GROUPS)),
    lambda tape: tape.pick(tape.pick(_ETAGC_GROUPS)),
)

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_"
#       / "`" / "|" / "~" / DIGIT / ALPHA                          (ABNF-TOK-1)
_TCHARS: Final = _ALNUM + "!#$%&'*+-.^_`|~"
# OWS = *( SP / HTAB )                                              (ABNF-WS-1)
_OWS: Final = _read_by(st.text(alphabet=" \t", max_size=2), _text_reader(" \t", 2))
# Some SP / HTAB: never etagc, and not allowed between W/ and DQUOTE.
_WHITESPACE: Final = _sampled((" ", "\t", "  ", " \t"))
# What no server hands an application: a recipient rejects CR, LF and NUL in
# a field value or replaces them with SP (RFC 9110 §5.5), and no request can
# carry a character above U+00FF (WSGI strings are latin-1 decoded bytes).
# The harness never sends them, so every target kind can carry every probe.
_UNSENDABLE: Final = "\x00\r\n"
# Control characters other than HTAB that can reach an app: never OWS, never etagc.
_CTLS: Final = _sampled("\x01\x0b\x0c\x1b\x1f\x7f")
# Non-ASCII text as a WSGI server delivers it: UTF-8 bytes decoded as latin-1
# (here the UTF-8 of U+201C, U+20AC, U+2028, U+FEFF). obs-text, so etagc
# inside quotes, but never OWS, a comma or a DQUOTE outside them.
_UTF8_AS_LATIN_1: Final = _sampled(
    tuple(c.encode("utf-8").decode("latin-1") for c in "\u201c\u20ac\u2028\ufeff")
)
_LEFT_CURLY_QUOTE: Final = "\u201c".encode().decode("latin-1")
_RIGHT_CURLY_QUOTE: Final = "\u201d".encode().decode("latin-1")
_ARBITRARY_TEXT: Final = st.text(
    st.characters(max_codepoint=0xFF, exclude_characters=_UNSENDABLE), max_size=12
)
# The same, read from a tape: latin-1 text, shrinking towards "0" as Hypothesis's does.
_ARBITRARY_ALPHABET: Final = (
    _DIGITS
    + _UPPER
    + _LOWER
    + "".join(chr(c) for c in range(0x100) if chr(c) not in _ALNUM + _UNSENDABLE)
)
_read_arbitrary_text: Final = _text_reader(_ARBITRARY_ALPHABET, 12)

# Every HTTP-date contains time-of-day = 2DIGIT ":" 2DIGIT ":" 2DIGIT.
_TIME_OF_DAY_RE: Final = re.compile("[0-9]{2}:[0-9]{2}:[0-9]{2}")
