"""Parsing benchmarks: etagspec's parsers against Werkzeug, Django, WebOb,
the ``etag`` library, the standard library and a single-regex lower bound,
on the same inputs.

Each group is measured twice. First on values never seen before (a fresh
value per call, :class:`benchmarks.timing.Fresh`): what a server meets from
new clients, where no cache can help. Then on one value parsed again and
again (``cached`` groups): etagspec keeps small tables of parsed field
values, because clients send back the validators they were given, so that
is its best case, not its usual one.
"""

from __future__ import annotations

import contextlib
import email.utils
import re
import time
from collections.abc import Callable
from typing import Any

import django.utils.http
import etag as etag_library
import werkzeug.http
from webob.cachecontrol import CacheControl as WebObCacheControl
from webob.etag import ETagMatcher

from benchmarks.groups import Group
from benchmarks.timing import FRESH_VALUES, Case, Fresh
from etagspec import dates, etags
from etagspec.cache_control import parse_cache_control
from etagspec.errors import EtagspecError

__all__ = [
    "ETAGSPEC",
    "ETAG_LIBRARY",
    "LOWER_BOUND",
    "SEED_API",
    "STRICTNESS_PROBES",
    "WERKZEUG_PARSER",
    "cache_control_groups",
    "date_groups",
    "etag_groups",
    "etag_list_key",
    "quietly",
    "tag_list",
]

#: One compiled findall over the entity-tag grammar: no validation at all
#: (junk between tags is skipped), no objects built. Nothing can be faster.
LOWER_BOUND = "single regex (lower bound)"
_LOWER_BOUND_FINDALL = re.compile(r'(W/)?"([^"]*)"').findall

#: The rows of etagspec's entity-tag list parsers.
ETAGSPEC = "etagspec parse_entity_tag_list"
SEED_API = "etagspec parse_entity_tags (seed API)"
#: The peers' rows.
WERKZEUG_PARSER = "werkzeug.http.parse_etags"
ETAG_LIBRARY = "etag.parse (etag 1.0.0, strict RFC 9110)"

#: Invalid If-None-Match values a strict parser must reject.
STRICTNESS_PROBES = ('"a", b', '"a" "b"', 'W/"a", *', '"a\x00"')


def quietly(parse: Callable[[str], object]) -> Callable[[str], object]:
    """``parse`` with its errors on invalid input swallowed (etagspec's, and
    the ValueError of the ``etag`` library)."""

    def call(text: str) -> object:
        with contextlib.suppress(EtagspecError, ValueError):
            return parse(text)
        return None

    return call


def tag_list(count: int, salt: int = 0x5F3C2A1B, half_weak: bool = False) -> str:
    """A valid If-None-Match value of ``count`` tags like real ones, strong,
    or with ``half_weak`` every other one weak from the first (``salt``
    makes a value never seen before).

    >>> tag_list(3, 1, half_weak=True)
    'W/"0-000000010000", "1-000000010001", W/"2-000000010002"'
    """
    return ", ".join(
        ("W/" if half_weak and index % 2 == 0 else "") + f'"{index:x}-{salt:08x}{index:04d}"'
        for index in range(count)
    )


def etag_list_key(count: int, half_weak: bool = False) -> str:
    """The key of the never-seen group of ``count``-tag lists."""
    return f"etag-list-{count}" + ("-half-weak" if half_weak else "")


def fresh(make: Callable[[int], Any], case: int) -> Fresh:
    """FRESH_VALUES values ``make(n)``, a range of ``n`` of the case's own."""
    start = case * FRESH_VALUES
    return Fresh(make(n) for n in range(start, start + FRESH_VALUES))


#: Hostile but short values: long runs of the shapes that make naive
#: patterns backtrack (invalid, so no table keeps them).
ADVERSARIAL_INPUTS = {
    "adversarial: 200 commas": "," * 200,
    'adversarial: 100 x "W/"': "W/" * 100 + '"',
    "adversarial: unterminated quote": '"' + "a" * 200,
    "adversarial: 20 tags, junk at end": tag_list(20) + ", x",
}


def _etag_parsers(strict_only: bool) -> dict[str, Callable[[str], object]]:
    parse: Callable[[str], object] = etags.parse_entity_tag_list
    seed: Callable[[str], object] = etags.parse_entity_tags
    if strict_only:
        parse, seed = quietly(parse), quietly(seed)
    return {
        ETAGSPEC: parse,
        SEED_API: seed,
        WERKZEUG_PARSER: werkzeug.http.parse_etags,
        "django.utils.http.parse_etags": django.utils.http.parse_etags,
        "webob ETagMatcher.parse": ETagMatcher.parse,
        ETAG_LIBRARY: quietly(etag_library.parse) if strict_only else etag_library.parse,
        LOWER_BOUND: _LOWER_BOUND_FINDALL,
    }


#: The peers of etagspec's list parser (not the seed's API, not the lower bound).
_ETAG_PEERS = (
    WERKZEUG_PARSER,
    "django.utils.http.parse_etags",
    "webob ETagMatcher.parse",
    ETAG_LIBRARY,
)
#: Lists measured: (tags, half of them weak).
_LISTS = ((1, False), (3, False), (3, True), (20, False), (20, True), (1000, False))
_QUICK_LISTS = _LISTS[:-1]  # every list a goal is judged on


def etag_groups(quick: bool) -> list[Group]:
    """If-None-Match lists of 1, 3, 20 and 1,000 strong tags and of 3 and 20
    tags half weak (never seen, then cached), and hostile values."""
    groups = []
    for count, half_weak in _QUICK_LISTS if quick else _LISTS:
        size = f"{len(tag_list(count, half_weak=half_weak))} B"
        title = (
            f"entity-tag list, {count} tag{'s' if count > 1 else ''}"
            f"{', half weak' if half_weak else ''} ({size})"
        )
        parsers = _etag_parsers(strict_only=False)
        never_seen: dict[str, Case] = {
            name: (parse, fresh(lambda n, c=count, w=half_weak: tag_list(c, n, w), index))
            for index, (name, parse) in enumerate(parsers.items())
        }
        key = etag_list_key(count, half_weak)
        groups.append(
            Group(key, f"{title}, never seen", LOWER_BOUND, never_seen, (ETAGSPEC,), _ETAG_PEERS)
        )
        value = tag_list(count, half_weak=half_weak)
        cached = {name: (parse, value) for name, parse in parsers.items()}
        groups.append(Group(f"{key}-cached", f"{title}, cached", LOWER_BOUND, cached))
    if not quick:
        for label, text in ADVERSARIAL_INPUTS.items():
            cases = {name: (parse, text) for name, parse in _etag_parsers(True).items()}
            groups.append(Group(f"etag-{label}", f"entity-tag list, {label}", LOWER_BOUND, cases))
    return groups


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


#: strftime formats of the three forms, for never-seen dates.
_DATE_FORMATS = {
    "IMF-fixdate": "%a, %d %b %Y %H:%M:%S GMT",
    "rfc850-date": "%A, %d-%b-%y %H:%M:%S GMT",
    "asctime-date": "%a %b %e %H:%M:%S %Y",
}


def _date_text(form: str, n: int) -> str:
    """The ``n``-th never-seen date of a form (one a day and a second apart)."""
    return time.strftime(_DATE_FORMATS[form], time.gmtime(784111777 + n * 86401))


def date_groups(quick: bool) -> list[Group]:
    """HTTP-date parsing in its three forms, never seen then cached."""
    groups = []
    for form, text in _DATES.items():
        parsers: dict[str, Callable[[str], object]] = {
            "etagspec http_date_to_timestamp": dates.http_date_to_timestamp,
            "etagspec parse_http_date": dates.parse_http_date,
            "werkzeug.http.parse_date": werkzeug.http.parse_date,
            "email.utils.parsedate_to_datetime": _parsedate_to_datetime,
            "django.utils.http.parse_http_date": django.utils.http.parse_http_date,
        }
        reference = "etagspec http_date_to_timestamp"
        never_seen: dict[str, Case] = {
            name: (parse, fresh(lambda n, f=form: _date_text(f, n), index))
            for index, (name, parse) in enumerate(parsers.items())
        }
        peers = tuple(name for name in parsers if not name.startswith("etagspec"))
        groups.append(
            Group(
                f"date-{form}",
                f"HTTP-date, {form}, never seen",
                reference,
                never_seen,
                (reference,),
                peers,
            )
        )
        cached = {name: (parse, text) for name, parse in parsers.items()}
        groups.append(Group(f"date-{form}-cached", f"HTTP-date, {form}, cached", reference, cached))
    return groups[:2] if quick else groups


#: Cache-Control values, each with a delta-seconds that a never-seen value varies.
_CACHE_CONTROLS = {
    "short": "max-age={}",
    "typical": "no-cache, no-store, must-revalidate, max-age={}",
    "quoted": 'max-age={}, private="Set-Cookie", stale-while-revalidate=60, community="UCI"',
}


def _webob_cache_control(text: str) -> Any:
    return WebObCacheControl.parse(text, type="response")


def cache_control_groups(quick: bool) -> list[Group]:
    """Cache-Control parsing, never seen then cached."""
    groups = []
    for label, pattern in _CACHE_CONTROLS.items():
        parsers: dict[str, Callable[[str], object]] = {
            "etagspec": parse_cache_control,
            "werkzeug.http.parse_cache_control_header": werkzeug.http.parse_cache_control_header,
            "webob CacheControl.parse": _webob_cache_control,
        }
        text = pattern.format(3600)
        never_seen: dict[str, Case] = {
            name: (parse, fresh(lambda n, p=pattern: p.format(n), index))
            for index, (name, parse) in enumerate(parsers.items())
        }
        title = f"Cache-Control, {label}: `{text}`"
        peers = tuple(name for name in parsers if name != "etagspec")
        groups.append(
            Group(
                f"cc-{label}", f"{title}, never seen", "etagspec", never_seen, ("etagspec",), peers
            )
        )
        cached = {name: (parse, text) for name, parse in parsers.items()}
        groups.append(Group(f"cc-{label}-cached", f"{title}, cached", "etagspec", cached))
    return groups[:2] if quick else groups


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
