"""Which checks a run runs: ``select`` and ``exclude`` as the command line
and the Python API take them.

Each item is a check ID or a prefix of IDs, in any case; an item may hold
several, separated by commas (``"cond-im-4a,CMP-USE-2"``). A prefix ends at
a part boundary of the ID: ``COND-IM`` names COND-IM-1 and COND-IM-4a but not
COND-IMS-3; ``cond-inm-4`` names COND-INM-4a and COND-INM-4c. An item that
names no check, or a choice that leaves nothing to run, is a
:class:`UnknownCheckError` (a ValueError), never a silently empty run.

>>> known = ["COND-IM-1", "COND-IM-4a", "COND-IMS-3", "CMP-USE-2"]
>>> choose_checks(known, select=["cond-im-4a,CMP-USE-2"])
['COND-IM-4a', 'CMP-USE-2']
>>> choose_checks(known, select=["COND-IM"])
['COND-IM-1', 'COND-IM-4a']
>>> choose_checks(known, exclude=["cond-ims", "CMP"])
['COND-IM-1', 'COND-IM-4a']
>>> choose_checks(known, select=["COND-IMX"])
Traceback (most recent call last):
...
etagspec.conformance.selection.UnknownCheckError: unknown check ID or prefix: COND-IMX
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["UnknownCheckError", "choose_checks", "split_ids"]


class UnknownCheckError(ValueError):
    """A ``select``/``exclude`` item that names no check (``.value``), or a
    choice that leaves no check to run (``.value`` is empty)."""

    def __init__(self, message: str, value: str = "") -> None:
        super().__init__(message)
        self.value = value


def split_ids(items: Iterable[str] | str | None) -> list[str]:
    """The IDs and prefixes of ``items`` (each may hold several, comma
    separated), upper-cased, blanks dropped.

    >>> split_ids(["cond-im-4a, CMP-USE-2", "", "st-304-2"])
    ['COND-IM-4A', 'CMP-USE-2', 'ST-304-2']
    """
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    return [part.strip().upper() for item in items for part in item.split(",") if part.strip()]


def _names(pattern: str, check_id: str) -> bool:
    """Whether ``pattern`` (upper-cased) is ``check_id`` or a prefix of it
    that ends at a part boundary (before a dash, or between a number and
    its letter)."""
    upper = check_id.upper()
    if upper == pattern:
        return True
    if not upper.startswith(pattern) or not pattern:
        return False
    following = upper[len(pattern)]
    return following == "-" or (pattern[-1].isdigit() and following.isalpha())


def _matching(patterns: list[str], known: Sequence[str], what: str) -> set[str]:
    chosen: set[str] = set()
    for pattern in patterns:
        named = {check_id for check_id in known if _names(pattern, check_id)}
        if not named:
            raise UnknownCheckError(f"unknown {what} ID or prefix: {pattern}", pattern)
        chosen |= named
    return chosen


def choose_checks(
    known: Sequence[str],
    select: Iterable[str] | str | None = None,
    exclude: Iterable[str] | str | None = None,
    *,
    what: str = "check",
) -> list[str]:
    """The IDs of ``known`` (in its order) that ``select`` names (all when
    None) and ``exclude`` does not; ``what`` names the kind of check in
    errors.

    Raises :class:`UnknownCheckError` for an item that names no check and
    for a choice that leaves none.
    """
    selected = None if select is None else _matching(split_ids(select), known, what)
    if selected is not None and not selected:
        raise UnknownCheckError(f"no {what} ID given to select")
    excluded = _matching(split_ids(exclude), known, what)
    chosen = [
        check_id
        for check_id in known
        if (selected is None or check_id in selected) and check_id not in excluded
    ]
    if not chosen:
        raise UnknownCheckError(f"the selection leaves no {what} to run")
    return chosen
