"""Preconditions read from a WSGI environ: the WSGI side of the sans-IO core.

:mod:`etagspec.preconditions` knows nothing of WSGI; this module reads its
fields from an environ (PEP 3333: ``HTTP_IF_MATCH`` and so on, latin-1
``str`` values) and hands them over to :func:`~etagspec.preconditions.evaluate`.

>>> from etagspec.etags import EntityTag
>>> from etagspec.preconditions import Resource
>>> evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, Resource(etag=EntityTag("v1"))).status
304
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from . import preconditions
from ._fast_paths import decision_without_conditions
from .preconditions import Conditions, Decision, Resource

__all__ = [
    "ENVIRON_KEYS",
    "conditions_from_environ",
    "evaluate_environ",
    "has_preconditions",
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


def conditions_from_environ(environ: Mapping[str, object]) -> Conditions:
    """The precondition fields of a WSGI request. A value that is not a
    ``str`` (a broken server's) counts as absent.

    >>> conditions_from_environ({"HTTP_IF_NONE_MATCH": '"a"'}).if_none_match
    '"a"'
    >>> conditions_from_environ({"HTTP_IF_MATCH": b"*"}).if_match is None
    True
    """
    get = environ.get
    texts = [value if isinstance(value := get(key), str) else None for key in ENVIRON_KEYS.values()]
    return Conditions(*texts)


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
    """``evaluate(method, conditions_from_environ(environ), resource)``.

    The commonest requests (no precondition field; If-None-Match deciding
    alone) are answered by :func:`etagspec._fast_paths.decision_without_conditions`
    without building Conditions, with the same Decision.

    >>> from etagspec.etags import EntityTag
    >>> current = Resource(etag=EntityTag("v1"))
    >>> evaluate_environ("GET", {"HTTP_IF_NONE_MATCH": '"v1"'}, current).status
    304
    >>> evaluate_environ("PUT", {"HTTP_IF_MATCH": '"v0"'}, current).status
    412
    """
    decision = decision_without_conditions(method, environ, resource)
    if decision is None:
        decision = preconditions.evaluate(method, conditions_from_environ(environ), resource)
    return decision
