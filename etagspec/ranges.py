"""Byte ranges (RFC 9110 §14): parse a Range field, resolve it against a
representation length, and format Content-Range.

Sans-IO. Only the ``bytes`` unit is understood; any other unit is reported
as such so that the caller ignores the field (RFC 9110 §14.2).

>>> resolve_ranges(parse_range("bytes=0-9, -5"), 100)
[(0, 9), (95, 99)]
>>> content_range(0, 9, 100)
'bytes 0-9/100'
"""

from __future__ import annotations

import re
from typing import Final

from ._abnf import OWS, TOKEN
from .errors import InvalidRange

__all__ = [
    "HUGE_POSITION",
    "InvalidRange",
    "RangeSpec",
    "content_range",
    "parse_range",
    "resolve_ranges",
    "unsatisfied_content_range",
]

#: Most range-specs accepted in one field (more is treated as invalid).
MAX_RANGES: Final = 100


#: (first, last) for ``first-last`` / ``first-`` (last None), or
#: (None, suffix) for ``-suffix``.
RangeSpec = tuple[int | None, int | None]

# ranges-specifier = range-unit "=" range-set   (OWS after "=" tolerated, erratum 7306)
_SPECIFIER_RE: Final = re.compile(f"({TOKEN})={OWS}(.*)", re.DOTALL)
# int-range = first-pos "-" [ last-pos ] ; suffix-range = "-" suffix-length
_SPEC_RE: Final = re.compile(r"([0-9]+)-([0-9]*)|-([0-9]+)")


def parse_range(value: str) -> list[RangeSpec]:
    """Parse a ``bytes`` Range field value into range-specs.

    Raises :class:`InvalidRange` for anything else, including another unit
    (check ``value.lower().startswith("bytes=")`` if the difference matters).

    >>> parse_range("bytes=500-")
    [(500, None)]
    >>> parse_range("bytes=9-1")
    Traceback (most recent call last):
    ...
    etagspec.errors.InvalidRange: 'bytes=9-1' is not a valid bytes Range: ...
    """
    match = _SPECIFIER_RE.fullmatch(value.strip(" \t"))
    if match is None or match.group(1).lower() != "bytes":
        raise InvalidRange(f"{value!r} is not a bytes Range (expected bytes=first-last)", value)
    specs: list[RangeSpec] = []
    for element in match.group(2).split(","):
        element = element.strip(" \t")
        if not element:
            continue  # empty list elements are allowed (RFC 9110 §5.6.1.2)
        spec = _SPEC_RE.fullmatch(element)
        if spec is None:
            raise InvalidRange(f"{value!r} is not a valid bytes Range: bad {element!r}", value)
        first, last, suffix = spec.groups()
        if suffix is not None:
            specs.append((None, _position(suffix)))
            continue
        if last and _numeric_key(last) < _numeric_key(first):
            raise InvalidRange(f"{value!r} is not a valid bytes Range: last < first", value)
        specs.append((_position(first), _position(last) if last else None))
        if len(specs) > MAX_RANGES:
            raise InvalidRange(f"{value[:40]!r}... has more than {MAX_RANGES} ranges", value)
    if not specs:
        raise InvalidRange(f"{value!r} is not a valid bytes Range: no range", value)
    return specs


#: Positions longer than this many significant digits are read as HUGE_POSITION:
#: past the end of any representation, and never converted digit by digit
#: (int() of thousands of digits is slow, and refused past 4,300).
_MAX_POSITION_DIGITS: Final = 18
HUGE_POSITION: Final = 10**_MAX_POSITION_DIGITS


def _numeric_key(digits: str) -> tuple[int, str]:
    """A key that orders digit strings by their value, however long."""
    significant = digits.lstrip("0")
    return len(significant), significant


def _position(digits: str) -> int:
    significant = digits.lstrip("0")
    if len(significant) > _MAX_POSITION_DIGITS:
        return HUGE_POSITION
    return int(significant or "0")


def resolve_ranges(specs: list[RangeSpec], length: int) -> list[tuple[int, int]]:
    """The satisfiable ranges as inclusive ``(first, last)`` offsets, in the
    order requested (RFC 9110 §14.1.2). Empty when none is satisfiable.

    >>> resolve_ranges([(0, 1000)], 10), resolve_ranges([(10, None)], 10)
    ([(0, 9)], [])
    """
    resolved: list[tuple[int, int]] = []
    for first, last in specs:
        if first is None:
            # A zero-length suffix selects nothing (RNG-13).
            if last and length:
                resolved.append((max(length - last, 0), length - 1))
        elif first < length:
            resolved.append((first, length - 1 if last is None else min(last, length - 1)))
    return resolved


def content_range(first: int, last: int, length: int) -> str:
    """``Content-Range`` of a 206 part.

    >>> content_range(95, 99, 100)
    'bytes 95-99/100'
    """
    return f"bytes {first}-{last}/{length}"


def unsatisfied_content_range(length: int) -> str:
    """``Content-Range`` of a 416 (RFC 9110 §15.5.17).

    >>> unsatisfied_content_range(100)
    'bytes */100'
    """
    return f"bytes */{length}"
