"""Loading a target from a spec: ``package.module:attr`` (a WSGI app, an
ASGI app, or a zero-argument factory of either), an ``http://`` URL, or an
object. This is the one module that knows every target kind.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any

from ..bounds import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES, Bounds
from .asgi import ASGITarget
from .base import DEFAULT_TIMEOUT, KINDS, Target, TargetError, describe_error
from .live import URLTarget
from .wsgi import WSGITarget

__all__ = ["is_asgi_app", "load_target", "required_parameters", "resolve_object"]


def resolve_object(spec: str) -> Any:
    """Import ``package.module:attribute`` (attribute may be dotted)."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise TargetError(f"{spec!r} is not of the form package.module:attribute")
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise TargetError(f"cannot import {module_name!r}: {error}") from error
    except Exception as error:  # the module itself failed while loading
        raise TargetError(f"importing {module_name!r} raised {describe_error(error)}") from error
    obj: Any = module
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as error:
            raise TargetError(f"{module_name!r} has no attribute {attribute!r}") from error
    return obj


def required_parameters(obj: Any, *, follow_wrapped: bool = True) -> list[str] | None:
    """The parameters a call to ``obj`` must fill, or None when that cannot
    be told (no signature, or ``*args``). ``follow_wrapped`` reads the
    signature of the function a decorator wrapped (``__wrapped__``).

    >>> required_parameters(lambda environ, start_response, debug=False: [])
    ['environ', 'start_response']
    >>> required_parameters(print) is None
    True
    """
    try:
        signature = inspect.signature(obj, follow_wrapped=follow_wrapped)
    except (TypeError, ValueError):
        return None
    parameters = signature.parameters.values()
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return None
    return [p.name for p in parameters if p.default is p.empty and p.kind is not p.VAR_KEYWORD]


def _is_factory(obj: Any) -> bool:
    """A zero-argument callable that is not itself a WSGI app."""
    return callable(obj) and required_parameters(obj) == []


def _check_wsgi_callable(obj: Any, label: str) -> None:
    """A WSGI app is called with (environ, start_response); anything that
    needs another number of arguments is a usage error, said here rather
    than as a TypeError from inside the first probe. A decorator's own
    signature counts too: Werkzeug's ``Request.application`` wraps
    ``app(request)`` in a ``(*args)`` WSGI callable."""
    if any(
        required is None or len(required) == 2
        for required in (
            required_parameters(obj, follow_wrapped=False),
            required_parameters(obj),
        )
    ):
        return
    required = required_parameters(obj) or []
    raise TargetError(
        f"{label!r} needs arguments ({', '.join(required)}): a factory must take no "
        "arguments, and a WSGI app takes exactly (environ, start_response)"
    )


def is_asgi_app(obj: Any) -> bool:
    """An ASGI 3 application: a coroutine function, or an instance whose
    ``__call__`` is one (a Starlette, FastAPI or Django ASGI app).

    >>> async def app(scope, receive, send): ...
    >>> is_asgi_app(app), is_asgi_app(lambda environ, start_response: [])
    (True, False)
    """
    if inspect.isclass(obj):
        return False
    if inspect.iscoroutinefunction(obj):
        return True
    if inspect.isroutine(obj) or not callable(obj):
        return False
    return inspect.iscoroutinefunction(type(obj).__call__)  # how Python calls an instance


def _is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def load_target(
    spec: str | Any,
    name: str | None = None,
    kind: str | None = None,
    *,
    timeout: float | None = None,
    max_header_bytes: int = DEFAULT_MAX_HEADER_BYTES,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Target:
    """A target from a spec or an object.

    ``spec`` is ``http://host:port/base`` (a live server), or
    ``package.module:attr`` naming a WSGI app, an ASGI app, or a
    zero-argument factory returning either; or such an object itself, or a
    :class:`Target` (returned as is). ``kind`` (``"wsgi"``, ``"asgi"``,
    ``"url"``) forces the kind instead of detecting it. ``timeout`` is the
    seconds one request may take, from connect to the last body byte,
    default :data:`DEFAULT_TIMEOUT`; ``max_header_bytes`` and
    ``max_body_bytes`` cap a response (see :mod:`etagspec.conformance.bounds`).

    >>> load_target("etagspec.demo:make_app").kind
    'wsgi'
    >>> load_target("etagspec.demo:make_app", kind="ftp")
    Traceback (most recent call last):
    ...
    etagspec.conformance.targets.TargetError: unknown target kind 'ftp' (one of wsgi, asgi, url)
    >>> load_target(lambda config: None, name="create_app")
    Traceback (most recent call last):
    ...
    etagspec.conformance.targets.TargetError: 'create_app' needs arguments (config): a factory ...
    """
    if kind is not None and kind not in KINDS:
        raise TargetError(f"unknown target kind {kind!r} (one of {', '.join(KINDS)})")
    if timeout is not None and not timeout > 0:
        raise TargetError(f"the timeout must be a positive number of seconds, not {timeout!r}")
    try:
        bounds = Bounds(
            DEFAULT_TIMEOUT if timeout is None else timeout, max_header_bytes, max_body_bytes
        )
    except ValueError as error:
        raise TargetError(str(error)) from None
    if isinstance(spec, str) and (kind == "url" or (kind is None and _is_url(spec))):
        url_target = URLTarget(spec, name=name, bounds=bounds)
        url_target.check_reachable()
        return url_target
    if kind == "url":
        raise TargetError(f"a URL target needs an http:// URL, not {spec!r}")
    if isinstance(spec, str):
        obj = resolve_object(spec)
        label = name or spec
        text_spec: str | None = spec
    else:
        obj = spec
        label = name or str(getattr(spec, "__name__", type(spec).__name__))
        text_spec = None
    if isinstance(obj, Target):
        return obj
    factory = not is_asgi_app(obj) and _is_factory(obj)
    if factory:
        try:
            obj = obj()
        except Exception as error:
            raise TargetError(f"the factory {label!r} raised {describe_error(error)}") from error
        if isinstance(obj, Target):
            return obj
    if not callable(obj):
        raise TargetError(f"{label!r} is not a WSGI or ASGI application (not callable)")
    target: WSGITarget | ASGITarget
    if kind == "asgi" or (kind is None and is_asgi_app(obj)):
        target = ASGITarget(obj, name=label, spec=text_spec, bounds=bounds)
    else:
        if kind is None:
            _check_wsgi_callable(obj, label)
        target = WSGITarget(obj, name=label, spec=text_spec, bounds=bounds)
    target.factory = factory
    return target
