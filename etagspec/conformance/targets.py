"""Targets: where probes go. Checks only ever see :class:`ProbeResponse`.

A target has a ``name``, a ``kind`` and ``send(request) -> ProbeResponse``;
it never raises for anything the application under test does (an exception,
an invalid WSGI exchange): that becomes a response with ``error`` set.
In-process WSGI through WebTest is built in; other transports (ASGI, a live
URL) implement the same small protocol.
"""

from __future__ import annotations

import importlib
import inspect
import io
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from .model import ProbeRequest, ProbeResponse

__all__ = ["Target", "TargetError", "WSGITarget", "load_target", "resolve_object"]


class TargetError(Exception):
    """The target could not be loaded or reached (a usage error, exit 2)."""


@runtime_checkable
class Target(Protocol):
    """What the runner needs from a target."""

    name: str
    kind: str

    def send(self, request: ProbeRequest) -> ProbeResponse: ...

    def reproduce(self, request: ProbeRequest) -> str: ...


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class WSGITarget:
    """A WSGI application driven in-process.

    The environ is built the way a server would build it: each header
    becomes ``HTTP_*`` with its value as given (latin-1 text), so the
    exact bytes of a generated field reach the app. The response is read
    completely and the app's iterable closed.
    """

    kind = "wsgi"

    def __init__(self, app: WSGIApp, name: str | None = None, spec: str | None = None) -> None:
        self.app = app
        self.name: str = name or str(getattr(app, "__name__", type(app).__name__))
        self.spec = spec

    def environ(self, request: ProbeRequest) -> dict[str, Any]:
        path, _, query = request.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "localhost",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(request.body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if request.body or request.method in ("PUT", "POST", "PATCH"):
            environ["CONTENT_LENGTH"] = str(len(request.body))
        for name, value in request.headers:
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
                continue
            key = "HTTP_" + key
            # A server joins repeated field lines with a comma (RFC 9110 §5.2).
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
        return environ

    def send(self, request: ProbeRequest) -> ProbeResponse:
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            if started and exc_info is None:
                raise AssertionError("start_response called twice without exc_info")
            started[:] = [status, headers]
            return written.append

        iterable: Any = None
        try:
            iterable = self.app(self.environ(request), start_response)
            for chunk in iterable:
                if not isinstance(chunk, bytes):
                    raise TypeError(f"the app yielded {type(chunk).__name__}, not bytes")
                written.append(chunk)
        except Exception as error:  # the app's failure is a finding, not a crash
            return ProbeResponse(0, error=_describe(error))
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                try:
                    close()
                except Exception as error:
                    return ProbeResponse(0, error="close() raised " + _describe(error))
        if not started:
            return ProbeResponse(0, error="the app never called start_response")
        status_text, headers = started
        try:
            status = int(str(status_text).split(" ", 1)[0])
        except ValueError:
            return ProbeResponse(0, error=f"invalid status line {status_text!r}")
        body = b"".join(written)
        return ProbeResponse(status, tuple((str(k), str(v)) for k, v in headers), body)

    def reproduce(self, request: ProbeRequest) -> str:
        """A runnable Python snippet that sends the same request."""
        load = (
            f"from etagspec.conformance.targets import load_target\n"
            f"target = load_target({self.spec!r})\n"
            if self.spec
            else "target = ...  # your WSGITarget(app)\n"
        )
        return (
            "from etagspec.conformance.model import ProbeRequest\n"
            + load
            + f"print(target.send(ProbeRequest({request.method!r}, {request.path!r}, "
            + f"{request.headers!r})))"
        )


def _describe(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


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
    obj: Any = module
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError as error:
            raise TargetError(f"{module_name!r} has no attribute {attribute!r}") from error
    return obj


def _is_factory(obj: Any) -> bool:
    """A zero-argument callable that is not itself a WSGI app."""
    if not callable(obj):
        return False
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return False
    required = [
        p
        for p in signature.parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return not required


def load_target(spec: str | Any, name: str | None = None) -> Target:
    """A target from ``package.module:attr`` (a WSGI app, or a zero-argument
    factory returning one), or from an object (an app or a Target).

    >>> load_target("etagspec.demo:make_app").kind
    'wsgi'
    """
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
    if _is_factory(obj):
        try:
            obj = obj()
        except Exception as error:
            raise TargetError(f"the factory {label!r} raised {_describe(error)}") from error
    if isinstance(obj, Target):
        return obj
    if not callable(obj):
        raise TargetError(f"{label!r} is not a WSGI application (not callable)")
    return WSGITarget(obj, name=label, spec=text_spec)
