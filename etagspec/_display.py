"""How etagspec shows a caller's text inside an error message, and
untrusted text (from a target, a file, a caller) in any line it prints.

>>> shown("max-age=60")
"'max-age=60'"
>>> shown("x" * 100)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)"
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_SHOWN_LENGTH", "shown", "visible"]

#: The most characters of a value an error message quotes.
MAX_SHOWN_LENGTH: Final = 60


def shown(text: str) -> str:
    """``repr`` of ``text``, cut to :data:`MAX_SHOWN_LENGTH` characters (and
    its length said) so that an error message stays readable however long
    the value that caused it."""
    if len(text) <= MAX_SHOWN_LENGTH:
        return repr(text)
    return f"{text[:MAX_SHOWN_LENGTH]!r}... ({len(text)} characters)"


_NONCHARACTERS = "".join(
    chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF)
)
# Tab is always kept; newline only in multi-line text.
_HIDDEN = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 (but tab and newline), DEL, C1
    "\ud800-\udfff"  # lone surrogates (cannot be encoded)
    "\ufdd0-\ufdef\ufffe\uffff" + _NONCHARACTERS + "\u202a-\u202e\u2066-\u2069"  # bidi controls
)
_HIDDEN_MULTILINE = re.compile(f"[{_HIDDEN}]")
_HIDDEN_ONE_LINE = re.compile(f"[{_HIDDEN}\n]")
# Bytes on the wire: everything but tab and printable ASCII.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\t\x20-\x7e]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, multiline: bool = False, wire: bool = False) -> str:
    """``text`` with every control or otherwise hidden character escaped.

    Tabs are kept; newlines are kept only when ``multiline`` (CRLF becomes
    LF), so a header value can never look like two header lines. With
    ``wire`` (text that holds bytes as latin-1 characters: header fields),
    every byte outside printable ASCII is escaped, so UTF-8 sent by a target
    reads ``\\xe2\\x82\\xac``, not as three unrelated letters.

    >>> visible("caf\\xe9 \\x01<b>\\r\\nX-Injected: 1")
    'café \\\\x01<b>\\\\x0d\\\\x0aX-Injected: 1'
    >>> visible("line 1\\r\\nline 2", multiline=True)
    'line 1\\nline 2'
    >>> visible("\\u20ac".encode().decode("latin-1"), wire=True)
    '\\\\xe2\\\\x82\\\\xac'
    """
    if wire:
        return _NOT_PRINTABLE_ASCII.sub(_escape_char, text)
    if multiline:
        return _HIDDEN_MULTILINE.sub(_escape_char, text.replace("\r\n", "\n"))
    return _HIDDEN_ONE_LINE.sub(_escape_char, text)
