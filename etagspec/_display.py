"""How etagspec shows a caller's text inside an error message.

>>> shown("max-age=60")
"'max-age=60'"
>>> shown("x" * 100)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 characters)"
"""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_SHOWN_LENGTH", "shown"]

#: The most characters of a value an error message quotes.
MAX_SHOWN_LENGTH: Final = 60


def shown(text: str) -> str:
    """``repr`` of ``text``, cut to :data:`MAX_SHOWN_LENGTH` characters (and
    its length said) so that an error message stays readable however long
    the value that caused it."""
    if len(text) <= MAX_SHOWN_LENGTH:
        return repr(text)
    return f"{text[:MAX_SHOWN_LENGTH]!r}... ({len(text)} characters)"
