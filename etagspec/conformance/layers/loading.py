"""Load a layer: :func:`load_layer` makes a :class:`~.target.LayerTarget`
(WSGI) or an :class:`~.asgi_target.ASGILayerTarget` of ``module:attr`` or
of a middleware factory."""

from __future__ import annotations

from typing import Any

from ..bounds import Bounds
from ..targets import TargetError, resolve_object
from ..targets.base import describe_error
from ..targets.load import is_asgi_app, required_parameters
from .asgi_target import ASGILayerTarget, wraps_asgi
from .target import LayerTarget, LayerTargetError, Wrap

__all__ = ["load_layer", "not_a_layer"]


def load_layer(
    spec: str | Wrap,
    name: str | None = None,
    *,
    bounds: Bounds | None = None,
    asgi: bool | None = None,
) -> LayerTarget:
    """A :class:`LayerTarget` from ``package.module:attr`` naming
    ``wrap(app) -> app``, or from such a callable; an
    :class:`~.asgi_target.ASGILayerTarget` when ``asgi`` is true, or when
    ``asgi`` is None and ``wrap`` makes an ASGI app of an ASGI app (see
    :func:`~.asgi_target.wraps_asgi`).

    >>> load_layer("etagspec.caching:etag_middleware").name
    'etagspec.caching:etag_middleware'
    >>> load_layer("etagspec.asgi:etag_middleware").protocol
    'asgi'
    >>> load_layer("etagspec.caching")
    Traceback (most recent call last):
    ...
    etagspec.conformance.layers.target.LayerTargetError: 'etagspec.caching' is not of the form ...
    """
    if isinstance(spec, str):
        try:
            wrap = resolve_object(spec)
        except TargetError as error:
            raise LayerTargetError(str(error)) from error
        name, given = name or spec, spec
    else:
        wrap, given = spec, None
    if asgi is None:
        asgi = wraps_asgi(wrap)
    kind = ASGILayerTarget if asgi else LayerTarget
    return kind(wrap, name=name, spec=given, bounds=bounds)


def not_a_layer(target: LayerTarget) -> str | None:
    """Why ``target`` is not a WSGI or ASGI middleware factory ``wrap(app) -> app``,
    else None (one that is not callable is refused by ``load_layer``): it
    is an ASGI app, it takes other
    arguments than one app (a WSGI app takes two), or ``wrap(app)`` raises or
    returns something that is not callable. Said once, before any check
    runs, rather than as every check's "the check itself raised".

    >>> not_a_layer(load_layer("etagspec.caching:etag_middleware")) is None
    True
    >>> print(not_a_layer(load_layer("etagspec.demo:app")))
    etagspec.demo:app takes (environ, start_response): it looks like a WSGI app, not a \
middleware factory wrap(app) -> app
    """
    wrap: Any = target.wrap
    name = target.name
    if is_asgi_app(wrap):
        return f"{name} is an ASGI app, not a middleware factory wrap(app) -> app"
    required = required_parameters(wrap)
    if required is not None and len(required) != 1:
        looks = "it looks like a WSGI app, not" if len(required) == 2 else "it is not"
        taken = ", ".join(required)
        return f"{name} takes ({taken}): {looks} a middleware factory wrap(app) -> app"
    try:
        target.wrapped()
    except LayerTargetError as error:
        return str(error)
    except Exception as error:
        return f"{name}(app) raised {describe_error(error)}"
    return None
