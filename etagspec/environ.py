"""Preconditions read from a WSGI environ: the WSGI side of the sans-IO core.

:mod:`etagspec.preconditions` knows nothing of WSGI; this module reads its
fields from an environ (PEP 3333: ``HTTP_IF_MATCH`` and so on, latin-1
``str`` values) and hands them over, with shortcuts for the commonest
requests that give exactly the Decision :func:`~etagspec.preconditions.evaluate`
would give.

>>> from etagspec.etags import EntityTag
>>> from etagspec.preconditions import Resource
>>> evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, Resource(etag=EntityTag("v1"))).status
304
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from . import preconditions
from .preconditions import (
    IF_NONE_MATCH_NOT_MODIFIED,
    NON_SELECTING,
    NON_SELECTING_METHODS,
    PROCEED,
    Conditions,
    Decision,
    Resource,
    if_none_match_passes,
)

__all__ = [
    "ENVIRON_KEYS",
    "conditions_from_environ",
    "evaluate_environ",
    "has_preconditions",
    "if_none_match_alone",
]

#: The environ key of each field of :class:`~etagspec.preconditions.Conditions`,
#: by field name, in field order.
ENVIRON_KEYS: Final = {
    "if_match": "HTTP_IF_MATCH",
    "if_none_match": "HTTP_IF_NONE_MATCH",
    "if_modified_since": "HTTP_IF_MODIFIED_SINCE",
    "if_unmodified_since": "HTTP_IF_UNMODIFIED_SINCE",
    "if_range": "HTTP_IF_RANGE",
    "range": "HTTP_RANGE",
}

#: The environ keys of the precondition fields (Range excluded), the
#: commonest first.
_CONDITION_KEYS: Final = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)


def _slot_setter(name: str) -> Callable[[Conditions, str | None], None]:
    # The slot's own setter skips the frozen dataclass's __setattr__.
    setter: Callable[[Conditions, str | None], None] = vars(Conditions)[name].__set__
    return setter


_FIELD_SETTERS: Final = tuple((key, _slot_setter(name)) for name, key in ENVIRON_KEYS.items())
_new: Final = object.__new__


def conditions_from_environ(environ: Mapping[str, object]) -> Conditions:
    """The precondition fields of a WSGI request. A value that is not a
    ``str`` (a broken server's) counts as absent.

    >>> conditions_from_environ({"HTTP_IF_NONE_MATCH": '"a"'}).if_none_match
    '"a"'
    >>> conditions_from_environ({"HTTP_IF_MATCH": b"*"}).if_match is None
    True
    """
    get = environ.get
    conditions: Conditions = _new(Conditions)
    for key, set_field in _FIELD_SETTERS:
        value = get(key)
        set_field(conditions, value if isinstance(value, str) else None)
    return conditions


def has_preconditions(environ: Mapping[str, object]) -> bool:
    """``conditions_from_environ(environ).any_present``, without building
    the Conditions.

    >>> has_preconditions({"HTTP_IF_NONE_MATCH": '"a"'})
    True
    >>> has_preconditions({"HTTP_RANGE": "bytes=0-1", "HTTP_IF_MATCH": None})
    False
    """
    get = environ.get
    for key in _CONDITION_KEYS:  # noqa: SIM110 - any(...), without a generator
        if isinstance(get(key), str):
            return True
    return False


def evaluate_environ(method: str, environ: Mapping[str, object], resource: Resource) -> Decision:
    """``evaluate(method, conditions_from_environ(environ), resource)``, with
    two shortcuts that give the same Decision without building Conditions:

    * no precondition field and no Range: nothing to evaluate (COND-PREC-6,
      or COND-EVAL-4 for CONNECT, OPTIONS and TRACE);
    * a GET or HEAD whose only precondition that can decide is
      If-None-Match (no If-Match, no If-Unmodified-Since, no Range to
      process): step 3 decides alone. If-Modified-Since is then ignored
      (step 4 runs only without If-None-Match) and so is If-Range (step 5
      needs a Range the resource supports).

    Anything else (including environ values that are not exactly ``str``
    or None) goes to :func:`~etagspec.preconditions.evaluate`.

    >>> from etagspec.etags import EntityTag
    >>> current = Resource(etag=EntityTag("v1"))
    >>> evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, current).status
    304
    >>> evaluate_environ("PUT", {"HTTP_IF_MATCH": '"v0"'}, current).status
    412
    """
    get = environ.get
    if (
        get("HTTP_IF_NONE_MATCH") is None
        and get("HTTP_IF_MODIFIED_SINCE") is None
        and get("HTTP_IF_MATCH") is None
        and get("HTTP_IF_UNMODIFIED_SINCE") is None
        and get("HTTP_IF_RANGE") is None
        and get("HTTP_RANGE") is None
    ):
        return NON_SELECTING if method in NON_SELECTING_METHODS else PROCEED
    if_none_match = if_none_match_alone(method, environ, resource.supports_range)
    if if_none_match is not None:
        if if_none_match_passes(if_none_match, resource):
            return PROCEED
        return IF_NONE_MATCH_NOT_MODIFIED
    return preconditions.evaluate(method, conditions_from_environ(environ), resource)


def if_none_match_alone(
    method: str, environ: Mapping[str, object], supports_range: bool = False
) -> str | None:
    """The If-None-Match value of a request where it decides alone, else None.

    That is a GET or HEAD with If-None-Match (a ``str``) and neither
    If-Match nor If-Unmodified-Since, and no Range the resource would
    process: then RFC 9110 §13.2.2 step 3 decides. If-Modified-Since is
    ignored (step 4 runs only without If-None-Match) and so is If-Range
    (step 5 needs a Range the resource supports), so the answer is PROCEED
    when If-None-Match is true and 304 when it is false.

    >>> if_none_match_alone("GET", {"HTTP_IF_NONE_MATCH": '"a"', "HTTP_IF_MODIFIED_SINCE": "x"})
    '"a"'
    >>> if_none_match_alone("GET", {"HTTP_IF_NONE_MATCH": '"a"', "HTTP_IF_MATCH": "*"}) is None
    True
    """
    get = environ.get
    if_none_match = get("HTTP_IF_NONE_MATCH")
    if (
        if_none_match.__class__ is str
        and (method == "GET" or method == "HEAD")
        and get("HTTP_IF_MATCH") is None
        and get("HTTP_IF_UNMODIFIED_SINCE") is None
        and (not supports_range or get("HTTP_RANGE") is None)
    ):
        return if_none_match
    return None
