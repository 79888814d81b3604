"""Methods, resource states, request preconditions and whole precondition scenarios."""

from __future__ import annotations

import time
from typing import Final

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from ..etags import EntityTag
from ..preconditions import Conditions, Resource
from ._arguments import _check_bool
from ._dates import (
    _check_timestamp,
    _default_date_plan,
    _draw_dated,
    _draw_if_range,
    _draw_invalid_date,
)
from ._etags import _DEFAULT_OPAQUES
from ._lists import _draw_etag_list, _draw_malformed_list
from ._tape import _drawn_by, _one_in

# ---- methods, resources, whole scenarios ---------------------------------------

_METHODS: Final = st.sampled_from(("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"))
_SAFE_METHODS: Final = st.sampled_from(("GET", "HEAD", "OPTIONS"))


def methods(*, safe_only: bool = False) -> SearchStrategy[str]:
    """Request methods: GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS, or
    with ``safe_only`` just GET, HEAD and OPTIONS.

    Shrinks towards ``"GET"``.
    """

    def definition() -> SearchStrategy[str]:
        _check_bool("safe_only", safe_only)
        return _SAFE_METHODS if safe_only else _METHODS

    return st.deferred(definition)


# Last-Modified values: 1970 to Nov 2023, so never in the future (VAL-LM-4).
_RESOURCES: Final = st.builds(
    Resource,
    exists=st.sampled_from((True, False)),
    etag=st.one_of(
        st.none(),
        st.builds(EntityTag, _DEFAULT_OPAQUES, st.just(False)),
        st.builds(EntityTag, _DEFAULT_OPAQUES, st.just(True)),
    ),
    last_modified=st.one_of(st.none(), st.integers(0, 1_700_000_000)),
    last_modified_is_strong=st.booleans(),
    supports_range=st.booleans(),
)


def resources() -> SearchStrategy[Resource]:
    """What an origin knows about the selected representation
    (:class:`~etagspec.preconditions.Resource`): it exists or is missing; its
    ETag is strong, weak or absent; Last-Modified (whole POSIX seconds,
    1970 to 2023, never in the future) is present or absent, and strong or
    not; byte ranges are supported or not.

    Shrinks towards ``Resource()``: an existing resource with no validators
    and no range support.
    """
    return _RESOURCES


def _draw_conditions(
    draw: st.DrawFn, etag: EntityTag | None, last_modified: int | None, now: int
) -> Conditions:
    """Each field absent half the time; present ones mostly valid, aimed at
    ``etag`` and ``last_modified`` (see conditions)."""
    plan = _default_date_plan(last_modified, now)

    def tag_list() -> str | None:
        if not draw(st.booleans()):
            return None
        if draw(_one_in(5)):
            return _draw_malformed_list(draw, etag)
        return _draw_etag_list(draw, etag)

    def date() -> str | None:
        if not draw(st.booleans()):
            return None
        if draw(_one_in(5)):
            return _draw_invalid_date(draw, plan)
        return _draw_dated(draw, plan)[1]

    return Conditions(
        if_match=tag_list(),
        if_none_match=tag_list(),
        if_modified_since=date(),
        if_unmodified_since=date(),
        if_range=_draw_if_range(draw, etag, plan) if draw(st.booleans()) else None,
        range="bytes=0-0" if draw(_one_in(3)) else None,
    )


def conditions(*, resource: Resource | None = None) -> SearchStrategy[Conditions]:
    """Precondition fields (:class:`~etagspec.preconditions.Conditions`): any
    subset of If-Match, If-None-Match, If-Modified-Since,
    If-Unmodified-Since and If-Range (each present half the time), plus
    ``Range: bytes=0-0`` one time in three.

    Each field present is, four times in five, valid and close to
    ``resource`` (its ETag, its Last-Modified; see :func:`etag_list_values`,
    :func:`http_dates`, :func:`if_range_values`) and otherwise malformed
    (:func:`malformed_etag_list_values`, :func:`invalid_http_dates`).
    Without ``resource``, values are not aimed at anything in particular.

    Shrinks towards ``Conditions()``: no fields at all.
    """

    def definition() -> SearchStrategy[Conditions]:
        if resource is not None and not isinstance(resource, Resource):
            raise InvalidArgument(f"resource={resource!r} must be a Resource or None")
        etag = None if resource is None else resource.etag
        last_modified = None if resource is None else resource.last_modified
        if last_modified is not None:
            _check_timestamp("resource.last_modified", last_modified, margin=3)
        now = int(time.time())
        return _drawn_by(lambda draw: _draw_conditions(draw, etag, last_modified, now))

    return st.deferred(definition)


def _draw_scenario(draw: st.DrawFn, now: int) -> tuple[str, Conditions, Resource]:
    """A method, a resource and conditions aimed at it."""
    method = draw(_METHODS)
    resource = draw(_RESOURCES)
    return method, _draw_conditions(draw, resource.etag, resource.last_modified, now), resource


def precondition_scenarios() -> SearchStrategy[tuple[str, Conditions, Resource]]:
    """Whole precondition scenarios: ``(method, conditions, resource)``, the
    conditions aimed at that resource (:func:`methods`, :func:`resources`,
    :func:`conditions`), ready for :func:`~etagspec.preconditions.evaluate`.

    Shrinks towards ``("GET", Conditions(), Resource())``.
    """

    def definition() -> SearchStrategy[tuple[str, Conditions, Resource]]:
        now = int(time.time())
        return _drawn_by(lambda draw: _draw_scenario(draw, now))

    return st.deferred(definition)
