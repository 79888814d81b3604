"""If-None-Match evaluation: is the precondition true for the current ETag?

Each competitor answers the question its own way, from the field value and
the current entity-tag in the form its API takes: etagspec's
``if_none_match_holds`` (the field and the current opaque value), the
``etag`` library's ``if_none_match`` (the field and the current ETag's
text), Werkzeug's ``parse_etags(...).contains_weak`` and WebOb's
``ETagMatcher.parse(..., strong=False)`` with ``in`` (the field, then the
opaque value). Django's equivalent is private (``django.utils.cache``), so
it is left out. Every call gets a field value and a current tag never seen
before; every competitor's answer is checked before timing.
"""

from __future__ import annotations

from collections.abc import Callable

import etag as etag_library
import werkzeug.http
from webob.etag import ETagMatcher

from benchmarks.groups import Group
from benchmarks.parsers import fresh, tag_list
from benchmarks.timing import Case
from etagspec.preconditions import if_none_match_holds

__all__ = ["ETAGSPEC_EVALUATION", "ETAG_LIBRARY_EVALUATION", "EvaluationCase", "evaluation_groups"]

#: (If-None-Match value, current opaque value, current ETag as sent).
EvaluationCase = tuple[str, str, str]

ETAGSPEC_EVALUATION = "etagspec if_none_match_holds"
ETAG_LIBRARY_EVALUATION = "etag.if_none_match (etag 1.0.0)"
_WERKZEUG = "werkzeug parse_etags + ETags.contains_weak"
_WEBOB = "webob ETagMatcher.parse(strong=False) + in"


def _etagspec(case: EvaluationCase) -> bool:
    return if_none_match_holds(case[0], case[1])


def _etag_library(case: EvaluationCase) -> bool:
    return etag_library.if_none_match(case[0], case[2])


def _werkzeug(case: EvaluationCase) -> bool:
    return not werkzeug.http.parse_etags(case[0]).contains_weak(case[1])


def _webob(case: EvaluationCase) -> bool:
    return case[1] not in ETagMatcher.parse(case[0], strong=False)


_EVALUATORS: dict[str, Callable[[EvaluationCase], bool]] = {
    ETAGSPEC_EVALUATION: _etagspec,
    ETAG_LIBRARY_EVALUATION: _etag_library,
    _WERKZEUG: _werkzeug,
    _WEBOB: _webob,
}


def _case(count: int, salt: int, current: int | None) -> EvaluationCase:
    """A half-weak list of ``count`` tags and a current tag: the one at
    index ``current``, or (None) one that is not in the list."""
    value = tag_list(count, salt, half_weak=True)
    opaque = f"{current:x}-{salt:08x}{current:04d}" if current is not None else f"new-{salt:08x}"
    return value, opaque, f'"{opaque}"'


#: (title, tags, index of the current tag or None, what the precondition is).
_SHAPES = (
    ("1 tag, the current one (304)", 1, 0, False),
    ("3 tags, half weak, the current one last (304)", 3, 2, False),
    ("3 tags, half weak, none current (200)", 3, None, True),
    ("20 tags, half weak, the current one last (304)", 20, 19, False),
)


def evaluation_groups(quick: bool) -> list[Group]:
    """If-None-Match evaluated against a current tag, never seen, for lists
    that match and one that does not."""
    groups = []
    for title, count, current, holds in _SHAPES[1:3] if quick else _SHAPES:
        cases: dict[str, Case] = {}
        for index, (name, evaluate) in enumerate(_EVALUATORS.items()):
            values = fresh(lambda n, c=count, i=current: _case(c, n, i), index)
            answer = evaluate(values.values[0])
            if answer is not holds:
                raise AssertionError(f"{name} says {answer} for {values.values[0]!r}")
            cases[name] = (evaluate, values)
        peers = tuple(name for name in _EVALUATORS if name != ETAGSPEC_EVALUATION)
        key = f"if-none-match-{count}-{'match' if current is not None else 'no-match'}"
        groups.append(
            Group(
                key,
                f"If-None-Match evaluation, {title}, never seen",
                ETAGSPEC_EVALUATION,
                cases,
                (ETAGSPEC_EVALUATION,),
                peers,
            )
        )
    return groups
