"""Cache-Control linting (RFC 9111 §5.2): SHOULD-level checks on a value a
sender wrote, apart from the parser of :mod:`etagspec.cache_control`, whose
grammar and directive tables it uses.

>>> [problem.code for problem in lint_cache_control('max-age="60", no-store')]
['quoted-delta-seconds', 'contradiction']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from etagspec._abnf import DELTA_SECONDS_RE
from etagspec.cache_control import (
    ARGUMENT_REQUIRED_DIRECTIVES,
    DELTA_SECONDS_DIRECTIVES,
    NO_ARGUMENT_DIRECTIVES,
    REQUEST_ONLY_DIRECTIVES,
    RESPONSE_ONLY_DIRECTIVES,
    CacheControl,
    Directive,
    field_name_list,
    scan_directives,
)
from etagspec.errors import InvalidCacheControl

__all__ = ["LINT_CODES", "Problem", "lint_cache_control"]

#: Every code :func:`lint_cache_control` can report, in a stable order.
LINT_CODES: Final = (
    "syntax",
    "quoted-delta-seconds",
    "bad-argument",
    "unexpected-argument",
    "unquoted-field-names",
    "duplicate",
    "contradiction",
    "wrong-direction",
    "must-understand-without-no-store",
)


@dataclass(frozen=True)
class Problem:
    """One finding of :func:`lint_cache_control`; ``code`` is in LINT_CODES."""

    code: str
    message: str


def lint_cache_control(value: str | CacheControl, *, response: bool = True) -> list[Problem]:
    """SHOULD-level checks on a Cache-Control value a sender produced.

    ``response`` says whether the value is from a response (the default) or
    a request. A CacheControl is checked as :meth:`CacheControl.__str__`
    would send it. The codes are:

    ``syntax``
        not a valid Cache-Control value; no other check is made.
    ``quoted-delta-seconds``
        a delta-seconds argument sent as a quoted-string (CC-REQ-2,
        CC-REQ-4, CC-REQ-6, CC-RES-2, CC-RES-23).
    ``bad-argument``
        a delta-seconds directive without an argument or with one that is
        not ``1*DIGIT`` (AMB-CC-2, AMB-CC-5); a no-cache or private argument
        that is not a list of field names, or an empty one (AMB-CC-4).
    ``unexpected-argument``
        an argument on a directive that takes none, including no-cache in a
        request (CC-4, AMB-CC-1).
    ``unquoted-field-names``
        a no-cache or private field-name list sent as a token
        (CC-RES-10, CC-RES-16).
    ``duplicate``
        a directive that appears more than once (CC-7, AMB-CC-3).
    ``contradiction`` (responses)
        no-store with max-age > 0, s-maxage > 0, public or immutable;
        public with private; no-cache with immutable (CC-8).
    ``wrong-direction``
        a request-only directive (only-if-cached, min-fresh, max-stale) in a
        response, or a response-only one (public, private, s-maxage,
        must-revalidate, proxy-revalidate, must-understand, immutable,
        stale-while-revalidate) in a request (CC-1).
    ``must-understand-without-no-store`` (responses)
        must-understand without no-store (CC-RES-7a).

    >>> lint_cache_control("max-age=3600, public")
    []
    >>> [p.code for p in lint_cache_control("no-cache=Set-Cookie, public=1, max-age")]
    ['unquoted-field-names', 'unexpected-argument', 'bad-argument']
    >>> lint_cache_control("max-age=")
    [Problem(code='syntax', message="'max-age=' is not a valid Cache-Control value: ...")]
    """
    text = str(value) if isinstance(value, CacheControl) else value
    try:
        scanned = scan_directives(text)
    except InvalidCacheControl as error:
        return [Problem("syntax", str(error))]
    cache_control = CacheControl(directive for directive, _ in scanned)
    problems: list[Problem] = []
    for directive, quoted in scanned:
        problems.extend(_argument_problems(directive, quoted, response))
    problems.extend(_direction_problems(cache_control, response))
    problems.extend(_duplicate_problems(cache_control))
    if response:
        problems.extend(_contradiction_problems(cache_control))
        if cache_control.must_understand and not cache_control.no_store:
            problems.append(
                Problem(
                    "must-understand-without-no-store",
                    "must-understand should be sent together with no-store (RFC 9111 §5.2.2.3)",
                )
            )
    return problems


# ---- linting --------------------------------------------------------------------


def _argument_problems(directive: Directive, quoted: bool, response: bool) -> list[Problem]:
    name, argument = directive.name, directive.argument
    if name in DELTA_SECONDS_DIRECTIVES:
        return _delta_seconds_problems(name, argument, quoted)
    if argument is None:
        return []
    if name == "private" or (name == "no-cache" and response):
        return _field_names_problems(name, argument, quoted)
    if name in NO_ARGUMENT_DIRECTIVES or name == "no-cache":
        return [
            Problem(
                "unexpected-argument",
                f"{name} takes no argument here, but {str(directive)!r} has one; "
                "recipients ignore it",
            )
        ]
    return []


def _delta_seconds_problems(name: str, argument: str | None, quoted: bool) -> list[Problem]:
    if argument is None:
        if name in ARGUMENT_REQUIRED_DIRECTIVES:
            return [Problem("bad-argument", f"{name} needs delta-seconds, e.g. {name}=60")]
        return []
    if DELTA_SECONDS_RE.fullmatch(argument) is None:
        return [
            Problem(
                "bad-argument",
                f"{name}={argument!r} is not delta-seconds (1*DIGIT), e.g. {name}=60",
            )
        ]
    if quoted:
        return [
            Problem(
                "quoted-delta-seconds",
                f'{name}="{argument}" must be sent as a token: {name}={argument}',
            )
        ]
    return []


def _field_names_problems(name: str, argument: str, quoted: bool) -> list[Problem]:
    names = field_name_list(argument)
    if names is None:
        return [
            Problem(
                "bad-argument",
                f'{name}={argument!r} is not a list of field names, e.g. {name}="Set-Cookie"',
            )
        ]
    if not names:
        return [
            Problem(
                "bad-argument",
                f"{name} with an empty field-name list has an unclear meaning; send bare {name}",
            )
        ]
    if not quoted:
        return [
            Problem(
                "unquoted-field-names",
                f'{name}={argument} should be sent as a quoted-string: {name}="{argument}"',
            )
        ]
    return []


def _direction_problems(cache_control: CacheControl, response: bool) -> list[Problem]:
    wrong = REQUEST_ONLY_DIRECTIVES if response else RESPONSE_ONLY_DIRECTIVES
    where, belongs = ("a response", "requests") if response else ("a request", "responses")
    reported: list[Problem] = []
    for name in dict.fromkeys(directive.name for directive in cache_control):
        if name in wrong:
            reported.append(
                Problem("wrong-direction", f"{name} is only defined for {belongs}, not {where}")
            )
    return reported


def _duplicate_problems(cache_control: CacheControl) -> list[Problem]:
    counts: dict[str, int] = {}
    for directive in cache_control:
        counts[directive.name] = counts.get(directive.name, 0) + 1
    return [
        Problem("duplicate", f"{name} appears {count} times; recipients may use only the first")
        for name, count in counts.items()
        if count > 1
    ]


_CONTRADICTION_REASONS: Final = {
    ("no-store", "max-age"): "a response that must not be stored has no use for a lifetime",
    ("no-store", "s-maxage"): "a response that must not be stored has no use for a lifetime",
    ("no-store", "public"): "public allows storing what no-store forbids storing",
    ("no-store", "immutable"): "a response that must not be stored cannot stay fresh",
    ("public", "private"): "a response cannot be both for shared caches and not",
    ("no-cache", "immutable"): "immutable skips the revalidation that no-cache demands",
}


def _contradiction_problems(cache_control: CacheControl) -> list[Problem]:
    present = {
        "no-store": cache_control.no_store,
        "max-age": bool(cache_control.max_age),
        "s-maxage": bool(cache_control.s_maxage),
        "public": cache_control.public,
        "private": "private" in cache_control,
        "no-cache": "no-cache" in cache_control,
        "immutable": cache_control.immutable,
    }
    return [
        Problem("contradiction", f"{first} and {second} contradict each other: {reason}")
        for (first, second), reason in _CONTRADICTION_REASONS.items()
        if present[first] and present[second]
    ]
