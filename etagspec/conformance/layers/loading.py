"""Load a layer: :func:`load_layer` makes a :class:`~.target.LayerTarget`
(WSGI) or an :class:`~.asgi_target.ASGILayerTarget` of ``module:attr`` or
of a middleware factory."""

from __future__ import annotations

from ..bounds import Bounds
from ..targets import TargetError, resolve_object
from .asgi_target import ASGILayerTarget, wraps_asgi
from .target import LayerTarget, LayerTargetError, Wrap

__all__ = ["load_layer"]


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
