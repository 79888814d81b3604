"""Bounded tables of values already worked out from header text.

The same few field values come back request after request (a client
returns the validator it was given; an app sends the same status lines
and validators), and what etagspec makes of them is immutable, so a
result can be kept under its exact text and handed out again. Each module
owns its tables (plain dicts, read with ``dict.get`` on its hot path) and
decides what may go in; :func:`remember` is how an entry goes in. A full
table is emptied rather than trimmed: that bounds its memory without any
bookkeeping on a hit, and the values that keep coming back are soon back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

#: Entries a table holds before it is emptied.
TABLE_SIZE: Final = 256

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


def remember(table: dict[_Key, _Value], key: _Key, value: _Value, size: int = TABLE_SIZE) -> _Value:
    """Store ``value`` under ``key`` (emptying ``table`` first if it holds
    ``size`` entries) and return it.

    >>> table: dict[int, str] = {}
    >>> remember(table, 0, "0")
    '0'
    >>> for n in range(1, TABLE_SIZE + 1):  # the last one finds the table full
    ...     _ = remember(table, n, str(n))
    >>> table
    {256: '256'}
    """
    if len(table) >= size:
        table.clear()
    table[key] = value
    return value


def kept(
    table: dict[_Key, _Value], key: _Key, make: Callable[[], _Value], size: int = TABLE_SIZE
) -> _Value:
    """``table[key]``, made by ``make()`` and stored on a miss (emptying
    ``table`` first if it holds ``size`` entries). A key that cannot be
    hashed (a value built with lists where tuples belong) is never stored:
    ``make()`` is called every time.

    >>> table: dict[tuple[int, ...], int] = {}
    >>> kept(table, (1, 2), lambda: 3), kept(table, (1, 2), lambda: 4)
    (3, 3)
    >>> kept(table, ([1], 2), lambda: 5)
    5
    """
    try:
        found = table.get(key)
    except TypeError:
        return make()
    if found is None:
        return remember(table, key, make(), size)
    return found
