"""Reading a 206 as a client must (RFC 9110 §14.4, §15.3.7): its parts,
each with the span its Content-Range names and the bytes it carries, from
a single-part answer or a multipart/byteranges one.

Memory is O(number of parts): spans are compared as intervals, never
expanded into sets of positions.

>>> single = ProbeResponse(206, (("Content-Range", "bytes 2-4/20"),), b"234")
>>> read_parts(single)
[Part(first=2, last=4, complete=20, content=b'234')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ..errors import EtagspecError
from .model import ProbeResponse

__all__ = ["BadPartial", "Part", "covers", "multipart_boundary", "read_parts"]

# Content-Range = range-unit SP ( range-resp / unsatisfied-range ), for bytes.
_CONTENT_RANGE: Final = re.compile(r"bytes ([0-9]+)-([0-9]+)/([0-9]+|\*)", re.ASCII)
_BOUNDARY: Final = re.compile(r'(?:^|;)[ \t]*boundary[ \t]*=[ \t]*("[^"]*"|[^; \t]+)', re.I)
_MULTIPART: Final = "multipart/byteranges"


class BadPartial(EtagspecError, ValueError):
    """A 206 a client cannot read: what is wrong, in words."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a 206: the inclusive span Content-Range names, the
    complete length it names (None for ``*``), and the bytes carried."""

    first: int
    last: int
    complete: int | None
    content: bytes


def multipart_boundary(content_type: str | None) -> str | None:
    """The boundary of a multipart/byteranges Content-Type, else None.

    >>> multipart_boundary('multipart/byteranges; boundary="a b"')
    'a b'
    >>> multipart_boundary("text/plain") is None
    True
    """
    if content_type is None:
        return None
    media_type, _, parameters = content_type.partition(";")
    if media_type.strip(" \t").lower() != _MULTIPART:
        return None
    found = _BOUNDARY.search(parameters)
    if found is None:
        return ""
    return found.group(1).strip('"')


def _content_range(value: str | None, content: bytes, where: str) -> Part:
    if value is None:
        raise BadPartial(f"{where} has no Content-Range")
    match = _CONTENT_RANGE.fullmatch(value.strip(" \t"))
    if match is None:
        raise BadPartial(f"{where} has Content-Range: {value}, not bytes first-last/length")
    first, last = int(match[1]), int(match[2])
    complete = None if match[3] == "*" else int(match[3])
    if last < first or (complete is not None and last >= complete):
        raise BadPartial(f"{where} has an invalid Content-Range: {value}")
    return Part(first, last, complete, content)


def _headers(block: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in block.split(b"\r\n"):
        name, colon, value = line.decode("latin-1").partition(":")
        if colon:
            fields[name.strip(" \t").lower()] = value.strip(" \t")
    return fields


def _multipart(body: bytes, boundary: str) -> list[Part]:
    """The parts of a multipart body (RFC 2046 §5.1.1): a delimiter is
    CRLF "--" boundary, the first one may open the body."""
    marker = b"--" + boundary.encode("latin-1")
    if body.startswith(marker):
        rest = body[len(marker) :]
    else:
        at = body.find(b"\r\n" + marker)
        if at < 0:
            raise BadPartial(f"the multipart content has no boundary line --{boundary}")
        rest = body[at + 2 + len(marker) :]
    parts: list[Part] = []
    while not rest.startswith(b"--"):
        line_end = rest.find(b"\r\n")  # after transport padding
        end = rest.find(b"\r\n" + marker, line_end)
        if line_end < 0 or end < 0:
            raise BadPartial("the multipart content ends without its closing boundary")
        segment = rest[line_end + 2 : end]
        rest = rest[end + 2 + len(marker) :]
        if segment.startswith(b"\r\n"):
            head, content = b"", segment[2:]
        else:
            head, separator, content = segment.partition(b"\r\n\r\n")
            if not separator:
                raise BadPartial("a body part has no blank line after its header fields")
        where = f"body part {len(parts) + 1}"
        parts.append(_content_range(_headers(head).get("content-range"), content, where))
    if not parts:
        raise BadPartial("the multipart/byteranges content has no body part")
    return parts


def read_parts(response: ProbeResponse) -> list[Part]:
    """The parts of a 206, in the order sent. Raises :class:`BadPartial`
    when a client could not read them: no or an invalid Content-Range, a
    multipart answer with Content-Range in its header section (ST-206-5)
    or without a boundary.

    >>> body = b"--b\\r\\nContent-Range: bytes 0-0/9\\r\\n\\r\\na\\r\\n--b--\\r\\n"
    >>> response = ProbeResponse(206, (("Content-Type", "multipart/byteranges; boundary=b"),), body)
    >>> [(part.first, part.content) for part in read_parts(response)]
    [(0, b'a')]
    """
    boundary = multipart_boundary(response.header("Content-Type"))
    if boundary is None:
        return [_content_range(response.header("Content-Range"), response.body, "the 206")]
    if not boundary:
        raise BadPartial("the multipart/byteranges Content-Type has no boundary")
    if response.has_header("Content-Range"):
        raise BadPartial("a multipart 206 has Content-Range in its header section")
    return _multipart(response.body, boundary)


def covers(parts: Iterable[Part], wanted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``wanted`` that ``parts`` do not cover (parts may merge
    requested ranges, ST-206-8), compared as intervals.

    >>> parts = [Part(0, 5, 9, b"012345")]
    >>> covers(parts, [(0, 1), (3, 5)]), covers(parts, [(0, 0), (8, 8)])
    ([], [(8, 8)])
    """
    merged: list[list[int]] = []
    for first, last in sorted((part.first, part.last) for part in parts):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [
        (first, last)
        for first, last in wanted
        if not any(start <= first and last <= end for start, end in merged)
    ]
