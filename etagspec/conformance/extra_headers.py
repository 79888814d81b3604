"""Header fields the user adds to every request of a run (``-H 'Name:
value'``): credentials, a ``Host`` a virtual server expects, a cookie.

They go on every probe, ahead of the fields a check sets; the fields the
checks themselves depend on (preconditions, Range, framing) cannot be set
this way, since a fixed value would change what every check tests.

>>> parse_header_option("Authorization:  Bearer abc ")
('Authorization', 'Bearer abc')
>>> parse_header_option("If-Match: *")
Traceback (most recent call last):
...
etagspec.conformance.extra_headers.HeaderOptionError: -H cannot set If-Match: the checks set it
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from ..errors import EtagspecError
from .model import ProbeRequest, ProbeResponse
from .targets import Target

__all__ = ["RESERVED_FIELDS", "HeaderOptionError", "WithHeaders", "parse_header_option"]

#: Fields the checks set or the transport frames with (lower case).
RESERVED_FIELDS = frozenset(
    {
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
        "if-range",
        "range",
        "content-length",
        "transfer-encoding",
        "connection",
        "accept-encoding",
    }
)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# A field value: VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5), no controls.
_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


class HeaderOptionError(EtagspecError, ValueError):
    """A ``-H`` value that is not ``Name: value`` with a usable name and value
    (``.value`` is the option as given)."""


def parse_header_option(text: str) -> tuple[str, str]:
    """``"Name: value"`` as ``(name, value)`` (the value without surrounding
    spaces); :class:`HeaderOptionError` when it is not a valid field line or
    names a field the checks set."""
    name, colon, value = text.partition(":")
    if not colon or _TOKEN.fullmatch(name) is None:
        raise HeaderOptionError(f"-H wants 'Name: value', not {text!r}", text)
    value = value.strip(" \t")
    if _VALUE.fullmatch(value) is None:
        raise HeaderOptionError(f"-H {name}: the value holds a control character", text)
    if name.lower() in RESERVED_FIELDS:
        raise HeaderOptionError(f"-H cannot set {name}: the checks set it", text)
    return name, value


class WithHeaders:
    """``target`` with ``headers`` added ahead of each request's own fields
    (in what it sends and in its reproductions); everything else is the
    target's.

    >>> from etagspec.conformance.targets import load_target
    >>> target = WithHeaders(load_target("etagspec.demo:make_app"), [("X-Token", "t")])
    >>> target.send(ProbeRequest("GET", "/hello")).status, target.kind
    (200, 'wsgi')
    """

    def __init__(self, target: Target, headers: Sequence[tuple[str, str]]) -> None:
        self.target = target
        self.headers = tuple(headers)
        self.name = target.name
        self.kind = target.kind

    def _with_headers(self, request: ProbeRequest) -> ProbeRequest:
        return dataclasses.replace(request, headers=self.headers + tuple(request.headers))

    def send(self, request: ProbeRequest) -> ProbeResponse:
        return self.target.send(self._with_headers(request))

    def reproduce(self, request: ProbeRequest) -> str:
        return self.target.reproduce(self._with_headers(request))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.target, name)
