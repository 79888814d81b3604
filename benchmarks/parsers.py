"""Parsing benchmarks: etagspec's parsers against Werkzeug, Django, WebOb,
the standard library and a single-regex lower bound, on the same inputs.

etagspec keeps a small cache of parsed field values (clients send the same
validators again and again); the ``etagspec (uncached)`` rows call the
parser behind the cache, which is what a never-seen value costs.
"""

from __future__ import annotations

import contextlib
import email.utils
import re
from collections.abc import Callable
from typing import Any

import django.utils.http
import werkzeug.http
from webob.cachecontrol import CacheControl as WebObCacheControl
from webob.etag import ETagMatcher

from benchmarks.groups import Group
from benchmarks.timing import Case
from etagspec import dates, etags
from etagspec.cache_control import _parse_uncached as _parse_cache_control_uncached
from etagspec.cache_control import parse_cache_control
from etagspec.errors import EtagspecError

__all__ = [
    "LOWER_BOUND",
    "STRICTNESS_PROBES",
    "cache_control_groups",
    "date_groups",
    "etag_groups",
    "quietly",
]

#: One compiled findall over the entity-tag grammar: no validation at all
#: (junk between tags is skipped), no objects built. Nothing can be faster.
LOWER_BOUND = "single regex (lower bound)"
_LOWER_BOUND_FINDALL = re.compile(r'(W/)?"([^"]*)"').findall

#: Invalid If-None-Match values a strict parser must reject.
STRICTNESS_PROBES = ('"a", b', '"a" "b"', 'W/"a", *', '"a\x00"')


def quietly(parse: Callable[[str], object]) -> Callable[[str], object]:
    """``parse`` with etagspec's errors swallowed (for invalid inputs)."""

    def call(text: str) -> object:
        with contextlib.suppress(EtagspecError):
            return parse(text)
        return None

    return call


def tag_list(count: int) -> str:
    """A valid If-None-Match value of ``count`` strong tags like real ones."""
    return ", ".join(f'"{index:x}-5f3c2a1b{index:04d}"' for index in range(count))


#: Hostile but short values: long runs of the shapes that make naive
#: patterns backtrack.
ADVERSARIAL_INPUTS = {
    "adversarial: 200 commas": "," * 200,
    'adversarial: 100 x "W/"': "W/" * 100 + '"',
    "adversarial: unterminated quote": '"' + "a" * 200,
    "adversarial: 20 tags, junk at end": tag_list(20) + ", x",
}


def _etag_cases(text: str, strict_only: bool) -> dict[str, Case]:
    parse: Callable[[str], object] = etags.parse_entity_tag_list
    uncached: Callable[[str], object] = etags._parse_list_uncached
    if strict_only:
        parse, uncached = quietly(parse), quietly(uncached)
    cases: dict[str, Case] = {
        "etagspec": (parse, text),
        "etagspec (uncached)": (uncached, text),
        "werkzeug.http.parse_etags": (werkzeug.http.parse_etags, text),
        "django.utils.http.parse_etags": (django.utils.http.parse_etags, text),
        "webob ETagMatcher.parse": (ETagMatcher.parse, text),
        LOWER_BOUND: (_LOWER_BOUND_FINDALL, text),
    }
    return cases


def etag_groups(quick: bool) -> list[Group]:
    """If-None-Match lists of 1, 3, 20 and 1,000 tags, and hostile values."""
    groups = [
        Group(
            f"etag-list-{count}",
            f"entity-tag list, {count} tag{'s' if count > 1 else ''} ({len(tag_list(count))} B)",
            LOWER_BOUND,
            _etag_cases(tag_list(count), strict_only=False),
        )
        for count in (1, 3, 20, 1000)
    ]
    for label, text in ADVERSARIAL_INPUTS.items():
        groups.append(
            Group(
                f"etag-{label}", f"entity-tag list, {label}", LOWER_BOUND, _etag_cases(text, True)
            )
        )
    return groups[:3] if quick else groups


_DATES = {
    "IMF-fixdate": "Sun, 06 Nov 1994 08:49:37 GMT",
    "rfc850-date": "Sunday, 06-Nov-94 08:49:37 GMT",
    "asctime-date": "Sun Nov  6 08:49:37 1994",
}


def _parsedate_to_datetime(text: str) -> object:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None


def date_groups(quick: bool) -> list[Group]:
    """HTTP-date parsing in its three forms."""
    groups = []
    for form, text in _DATES.items():
        cases: dict[str, Case] = {
            "etagspec http_date_to_timestamp": (dates.http_date_to_timestamp, text),
            "etagspec parse_http_date": (dates.parse_http_date, text),
            "etagspec (uncached)": (_uncached_timestamp, text),
            "werkzeug.http.parse_date": (werkzeug.http.parse_date, text),
            "email.utils.parsedate_to_datetime": (_parsedate_to_datetime, text),
            "django.utils.http.parse_http_date": (django.utils.http.parse_http_date, text),
        }
        groups.append(
            Group(f"date-{form}", f"HTTP-date, {form}", "etagspec http_date_to_timestamp", cases)
        )
    return groups[:1] if quick else groups


def _uncached_timestamp(text: str) -> int:
    return dates._timestamp_uncached(text, None)[0]


_CACHE_CONTROLS = {
    "short": "max-age=3600",
    "typical": "no-cache, no-store, must-revalidate",
    "quoted": 'max-age=0, private="Set-Cookie", stale-while-revalidate=60, community="UCI"',
}


def _webob_cache_control(text: str) -> Any:
    return WebObCacheControl.parse(text, type="response")


def cache_control_groups(quick: bool) -> list[Group]:
    """Cache-Control parsing."""
    groups = []
    for label, text in _CACHE_CONTROLS.items():
        cases: dict[str, Case] = {
            "etagspec": (parse_cache_control, text),
            "etagspec (uncached)": (_parse_cache_control_uncached, text),
            "werkzeug.http.parse_cache_control_header": (
                werkzeug.http.parse_cache_control_header,
                text,
            ),
            "webob CacheControl.parse": (_webob_cache_control, text),
        }
        groups.append(Group(f"cc-{label}", f"Cache-Control, {label}: `{text}`", "etagspec", cases))
    return groups[:1] if quick else groups


def strictness() -> dict[str, tuple[bool, bool]]:
    """For each probe: (etagspec rejects it, the lower bound rejects it)."""
    found = {}
    for probe in STRICTNESS_PROBES:
        try:
            etags.parse_entity_tag_list(probe)
            strict = False
        except EtagspecError:
            strict = True
        found[probe] = (strict, not _LOWER_BOUND_FINDALL(probe))
    return found
