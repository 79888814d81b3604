"""Targets: where probes go. Checks only ever see :class:`ProbeResponse`.

A target has a ``name``, a ``kind`` and ``send(request) -> ProbeResponse``;
it never raises for anything the application under test does (an exception,
a hang, a broken WSGI/ASGI exchange, a server that refuses or stalls): that
becomes a response with ``error`` set. Three kinds are built in: a WSGI app
in-process (here), an ASGI app in-process (:mod:`.asgi`) and a live server
by URL (:mod:`.live`); :func:`load_target` picks one from a spec.
"""

from __future__ import annotations

import importlib
import inspect
import io
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from ..headers import is_field_value, is_token
from . import deadline
from .model import ProbeRequest, ProbeResponse

__all__ = [
    "DEFAULT_TIMEOUT",
    "KINDS",
    "InvalidExchange",
    "Target",
    "TargetError",
    "WSGITarget",
    "is_asgi_app",
    "load_target",
    "resolve_object",
]

#: Seconds an application (or a server) gets to answer one request.
DEFAULT_TIMEOUT = 10.0
#: The target kinds :func:`load_target` knows.
KINDS = ("wsgi", "asgi", "url")


class TargetError(Exception):
    """The target could not be loaded or reached (a usage error, exit 2)."""


class InvalidExchange(Exception):
    """The application broke its server interface (PEP 3333 or ASGI):
    reported as the response's ``error``."""


@runtime_checkable
class Target(Protocol):
    """What the runner needs from a target."""

    name: str
    kind: str

    def send(self, request: ProbeRequest) -> ProbeResponse: ...

    def reproduce(self, request: ProbeRequest) -> str: ...


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# PEP 3333: "a string like '200 OK'" (RFC 9110 §15: three digits, 100-599)
_STATUS = re.compile(r"[1-5][0-9][0-9](?: [\t\x20-\x7e\x80-\xff]*)?")

# headers.is_token and headers.is_field_value over all of a response's
# headers at once, one per line (the common case costs two regex calls
# instead of two per header). RFC 9110 §5.1: field-name = token (1*tchar);
# §5.5: a field value holds no control but HTAB, nothing above U+00FF.
_TCHAR = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]"
_TOKEN_LINES = re.compile(rf"{_TCHAR}+(?:\n{_TCHAR}+)*")
_INVALID_VALUE_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|[^\x00-\xff]")


def _valid_headers(headers: list[Any]) -> bool:
    """Whether every item is a (str, str) tuple with a token name and a
    value free of control and non-latin-1 characters."""
    if not headers:
        return True
    if not all([type(item) is tuple and len(item) == 2 for item in headers]):
        return False
    try:
        names = "\n".join([name for name, _ in headers])
        values = "\n".join([value for _, value in headers])
    except TypeError:  # not str
        return False
    return (
        _TOKEN_LINES.fullmatch(names) is not None
        and _INVALID_VALUE_LINES.search(values) is None
        and names.count("\n") == values.count("\n") == len(headers) - 1
    )


#: Methods whose request always has a body, framed by Content-Length (0 when empty).
_BODY_METHODS = ("PUT", "POST", "PATCH")


def carries_body(request: ProbeRequest) -> bool:
    """Whether ``request`` is sent with a body and its ``Content-Length``:
    when it has body bytes, or its method is PUT, POST or PATCH.

    >>> carries_body(ProbeRequest("PUT", "/doc")), carries_body(ProbeRequest("GET", "/doc"))
    (True, False)
    """
    return bool(request.body) or request.method in _BODY_METHODS


def hung_error(first: str) -> str:
    """The error of every probe after the one a target hung on."""
    return f"not sent: the target hung on an earlier request ({first})"


class CheckedExchange:
    """One exchange with an application, checked against its server
    interface (PEP 3333 or ASGI): ``problem`` is the first violation, kept
    even when the application catches the :class:`InvalidExchange` raised
    at it."""

    __slots__ = ("problem",)

    def __init__(self) -> None:
        self.problem: str | None = None

    def fail(self, problem: str) -> InvalidExchange:
        """Record ``problem`` (unless one came first); the exception to raise."""
        if self.problem is None:
            self.problem = problem
        return InvalidExchange(problem)


class _WSGIExchange(CheckedExchange):
    """One WSGI call's server side: ``start_response``, ``write`` and what
    they received, checked against PEP 3333 as it arrives."""

    __slots__ = ("body", "headers", "status")

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.body: list[bytes] = []

    def start_response(
        self, status: Any, headers: Any, exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None:
            if self.body:  # PEP 3333: too late to change the status; re-raise
                raise exc_info[1].with_traceback(exc_info[2])
        elif self.status is not None:
            raise self.fail("start_response was called twice without exc_info")
        if not isinstance(status, str) or _STATUS.fullmatch(status) is None:
            raise self.fail(f"invalid status {status!r} (want a str like '200 OK')")
        if not isinstance(headers, list):
            raise self.fail(f"response headers must be a list, not {type(headers).__name__}")
        if not _valid_headers(headers):
            self._find_invalid_header(headers)
        self.status = status
        self.headers = headers
        return self.write

    def _find_invalid_header(self, headers: list[Any]) -> None:
        """Raise for the first header that is not valid, and say why."""
        for item in headers:
            if not (
                isinstance(item, tuple)
                and len(item) == 2
                and isinstance(item[0], str)
                and isinstance(item[1], str)
            ):
                raise self.fail(f"invalid response header {item!r} (want a (str, str) tuple)")
            if not is_token(item[0]):
                raise self.fail(f"invalid response header name {item[0]!r}")
            if not is_field_value(item[1]):
                raise self.fail(f"invalid {item[0]} value {item[1]!r} (control or non-latin-1)")

    def write(self, chunk: Any) -> None:
        if not isinstance(chunk, bytes):
            raise self.fail(f"the app wrote {type(chunk).__name__}, not bytes")
        if chunk:
            if self.status is None:
                raise self.fail("the app produced body bytes before calling start_response")
            self.body.append(chunk)


AppT = TypeVar("AppT")


class InProcessTarget(Generic[AppT]):
    """What the in-process targets (WSGI, ASGI) keep: the app, its name and
    spec, the time limit of one call, and the hang that stops later probes."""

    def __init__(
        self,
        app: AppT,
        name: str | None = None,
        spec: str | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.app = app
        self.name: str = name or str(getattr(app, "__name__", type(app).__name__))
        self.spec = spec
        self.timeout = timeout
        self.hung: str | None = None


class WSGITarget(InProcessTarget[WSGIApp]):
    """A WSGI application driven in-process.

    The environ is built the way a server would build it: each header
    becomes ``HTTP_*`` with its value as given (latin-1 text), so the
    exact bytes of a generated field reach the app. The response is read
    completely and the app's iterable closed. The exchange is checked
    against PEP 3333 (status, headers, bytes, ``start_response`` once).

    A call that takes longer than ``timeout`` seconds is interrupted (in
    the main thread, see :mod:`.deadline`) and reported; the target then
    answers every later probe at once with an error instead of trying again.

    >>> from etagspec.demo import make_app
    >>> target = WSGITarget(make_app())
    >>> target.send(ProbeRequest("GET", "/hello")).status
    200
    >>> def broken(environ, start_response):
    ...     start_response(200, [])
    ...     return [b"x"]
    >>> WSGITarget(broken).send(ProbeRequest("GET", "/")).error
    "invalid status 200 (want a str like '200 OK')"
    """

    kind = "wsgi"

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
        if carries_body(request):
            environ["CONTENT_LENGTH"] = str(len(request.body))
        for name, raw_value in request.headers:
            key = name.upper().replace("-", "_")
            # A server hands the app the field value without the whitespace
            # around it (RFC 9110 §5.5), as it would arrive over the wire.
            value = raw_value.strip(" \t")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
                continue
            key = "HTTP_" + key
            # A server joins repeated field lines with a comma (RFC 9110 §5.2).
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
        return environ

    def send(self, request: ProbeRequest) -> ProbeResponse:
        if self.hung is not None:
            return ProbeResponse(0, error=hung_error(self.hung))
        armed = deadline.arm(self.timeout)
        try:
            try:
                return self._exchange(request)
            finally:
                if armed:
                    deadline.disarm()
        except deadline.DeadlineExceeded as stop:
            deadline.disarm()  # in case the alarm came before the finally did
            self.hung = f"no response within {self.timeout:g} s{_where(stop)}"
            return ProbeResponse(0, error=self.hung)

    def _exchange(self, request: ProbeRequest) -> ProbeResponse:
        exchange = _WSGIExchange()
        iterable: Any = None
        failure: str | None = None
        try:
            iterable = self.app(self.environ(request), exchange.start_response)
            try:
                chunks = iter(iterable)
            except TypeError:
                raise exchange.fail(
                    f"the app returned {type(iterable).__name__}, not an iterable of bytes"
                ) from None
            for chunk in chunks:
                if not isinstance(chunk, bytes):
                    raise exchange.fail(f"the app yielded {type(chunk).__name__}, not bytes")
                exchange.write(chunk)
        except Exception as error:  # the app's failure is a finding, not a crash
            failure = exchange.problem or _describe(error)
        close = getattr(iterable, "close", None)
        if close is not None:
            try:
                close()
            except Exception as error:
                failure = failure or "close() raised " + _describe(error)
        if failure is None:
            failure = exchange.problem  # a violation the app caught and hid
        if failure is not None:
            return ProbeResponse(0, error=failure)
        if exchange.status is None:
            return ProbeResponse(0, error="the app never called start_response")
        status = int(exchange.status[:3])
        return ProbeResponse(status, tuple(exchange.headers), b"".join(exchange.body))

    def reproduce(self, request: ProbeRequest) -> str:
        """A runnable Python snippet that sends the same request."""
        return python_reproduction(self.spec, self.kind, "WSGITarget(app)", request)


def python_reproduction(
    spec: str | None, kind: str, constructor: str, request: ProbeRequest
) -> str:
    """Python that loads the target again and sends ``request`` (for the
    in-process targets; ``constructor`` stands in when there is no spec).

    >>> print(python_reproduction("m:app", "asgi", "", ProbeRequest("GET", "/")))
    from etagspec.conformance.model import ProbeRequest
    from etagspec.conformance.targets import load_target
    target = load_target('m:app', kind='asgi')
    print(target.send(ProbeRequest('GET', '/', ())))
    """
    forced = "" if kind == "wsgi" else f", kind={kind!r}"  # WSGI is what a spec defaults to
    load = (
        "from etagspec.conformance.targets import load_target\n"
        f"target = load_target({spec!r}{forced})\n"
        if spec
        else f"target = ...  # your {constructor}\n"
    )
    body = f", {request.body!r}" if request.body else ""
    return (
        "from etagspec.conformance.model import ProbeRequest\n"
        + load
        + f"print(target.send(ProbeRequest({request.method!r}, {request.path!r}, "
        + f"{request.headers!r}{body})))"
    )


def _describe(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}{': ' if message else ''}{message}{_where(error)}"


def _where(error: BaseException) -> str:
    """Where an exception was raised: `` at file:line`` (the innermost frame)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != deadline.__file__  # the alarm's handler is not the app
    ]
    return f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""


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
        raise TargetError(f"importing {module_name!r} raised {_describe(error)}") from error
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
) -> Target:
    """A target from a spec or an object.

    ``spec`` is ``http://host:port/base`` (a live server), or
    ``package.module:attr`` naming a WSGI app, an ASGI app, or a
    zero-argument factory returning either; or such an object itself, or a
    :class:`Target` (returned as is). ``kind`` (``"wsgi"``, ``"asgi"``,
    ``"url"``) forces the kind instead of detecting it. ``timeout`` is the
    seconds one request may take (for a URL: to connect, and to read),
    default :data:`DEFAULT_TIMEOUT`.

    >>> load_target("etagspec.demo:make_app").kind
    'wsgi'
    >>> load_target("etagspec.demo:make_app", kind="ftp")
    Traceback (most recent call last):
    ...
    etagspec.conformance.targets.TargetError: unknown target kind 'ftp' (one of wsgi, asgi, url)
    """
    if kind is not None and kind not in KINDS:
        raise TargetError(f"unknown target kind {kind!r} (one of {', '.join(KINDS)})")
    if timeout is not None and not timeout > 0:
        raise TargetError(f"the timeout must be a positive number of seconds, not {timeout!r}")
    seconds = DEFAULT_TIMEOUT if timeout is None else timeout
    if isinstance(spec, str) and (kind == "url" or (kind is None and _is_url(spec))):
        from .live import URLTarget

        url_target = (
            URLTarget(spec, name=name)
            if timeout is None
            else URLTarget(spec, name=name, connect_timeout=timeout, read_timeout=timeout)
        )
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
    if not is_asgi_app(obj) and _is_factory(obj):
        try:
            obj = obj()
        except Exception as error:
            raise TargetError(f"the factory {label!r} raised {_describe(error)}") from error
        if isinstance(obj, Target):
            return obj
    if not callable(obj):
        raise TargetError(f"{label!r} is not a WSGI or ASGI application (not callable)")
    if kind == "asgi" or (kind is None and is_asgi_app(obj)):
        from .asgi import ASGITarget

        return ASGITarget(obj, name=label, spec=text_spec, timeout=seconds)
    return WSGITarget(obj, name=label, spec=text_spec, timeout=seconds)
