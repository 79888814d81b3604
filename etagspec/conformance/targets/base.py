"""What every target shares: the :class:`Target` protocol, the errors, and
the in-process base class.

A target has a ``name``, a ``kind`` and ``send(request) -> ProbeResponse``;
it never raises for anything the application under test does (an exception,
a hang, a broken WSGI/ASGI exchange, a server that refuses or stalls): that
becomes a response with ``error`` set. It raises only
:class:`~etagspec.conformance.bounds.OverBound`, which stops the run: a
response past a size cap, or a run past its ``--max-time``. The kinds live beside this module
(:mod:`.wsgi`, :mod:`.asgi`, :mod:`.live`) and import only it;
:mod:`.load` picks one from a spec and imports them all.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar, runtime_checkable

from ...errors import EtagspecError
from ..bounds import DEFAULT_TIMEOUT, Bounds, OverBound, out_of_time, request_deadline
from ..deadline import arm
from ..model import ProbeRequest, ProbeResponse
from .worker import Worker

__all__ = [
    "DEFAULT_TIMEOUT",
    "KINDS",
    "Bounds",
    "CheckedExchange",
    "InProcessTarget",
    "InvalidExchange",
    "Target",
    "TargetError",
    "body_over",
    "carries_body",
    "describe_error",
    "hung_error",
    "python_reproduction",
    "raised_at",
]

#: The target kinds :func:`etagspec.conformance.targets.load_target` knows.
KINDS = ("wsgi", "asgi", "url")


#: The file of the alarm's handler, which is never where the app was.
_DEADLINE_FILE = arm.__code__.co_filename


class TargetError(EtagspecError):
    """The target could not be loaded or reached (a usage error, exit 2)."""


# Shown (in tracebacks and doctests) under the name users import it by.
TargetError.__module__ = "etagspec.conformance.targets"


class InvalidExchange(EtagspecError):
    """The application broke its server interface (PEP 3333 or ASGI):
    reported as the response's ``error``."""


@runtime_checkable
class Target(Protocol):
    """What the runner needs from a target."""

    name: str
    kind: str

    def send(self, request: ProbeRequest) -> ProbeResponse: ...

    def reproduce(self, request: ProbeRequest) -> str: ...


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


AppT = TypeVar("AppT")


class InProcessTarget(Generic[AppT]):
    """What the in-process targets (WSGI, ASGI) keep: the app, its name and
    spec, the bounds of one call, the worker thread the app runs in, and
    the hang that stops later probes.

    ``timeout`` is the time limit of one call (None: none); ``bounds``, when
    given, sets it and the size caps (see :mod:`etagspec.conformance.bounds`).
    """

    #: Whether an abandoned call is sent DeadlineExceeded (see :class:`.worker.Worker`).
    interrupts = True
    #: Seconds past the deadline the caller waits for a call that was told to stop.
    grace = 0.0

    def __init__(
        self,
        app: AppT,
        name: str | None = None,
        spec: str | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        bounds: Bounds | None = None,
    ) -> None:
        self.app = app
        self.name: str = name or str(getattr(app, "__name__", type(app).__name__))
        self.spec = spec
        self.bounds = Bounds(timeout) if bounds is None else bounds
        self.timeout = self.bounds.timeout
        self.hung: str | None = None
        self._worker = Worker(f"etagspec target {self.name}", interrupt=self.interrupts)
        #: Whether ``spec`` names a factory that made ``app`` (set by load_target).
        self.factory = False

    def bounded(self, call: Callable[[float | None], ProbeResponse]) -> ProbeResponse:
        """``call(deadline)`` in the worker thread, within the request's
        deadline: its response, or the hang (and, past the run's
        ``--max-time``, :class:`~etagspec.conformance.bounds.OverBound`)."""
        if self.hung is not None:
            return ProbeResponse(0, error=hung_error(self.hung))
        deadline, run_end = request_deadline(self.timeout)
        if deadline is None:
            return call(None)
        finished, response = self._worker.call(lambda: call(deadline), deadline + self.grace)
        if finished and response is not None:
            return response
        if run_end:
            raise out_of_time()
        self.hung = f"no response within {self.timeout:g} s{self._worker.stuck_at}"
        return ProbeResponse(0, error=self.hung)


def body_over(bounds: Bounds, size: int, request: ProbeRequest) -> OverBound:
    """The stop of ``request`` whose response body passed the cap."""
    return bounds.body_over(size, f"{request.method} {request.path}")


def python_reproduction(
    spec: str | None,
    kind: str,
    constructor: str,
    request: ProbeRequest,
    *,
    factory: bool = False,
) -> str:
    """Python that sends ``request`` to the in-process target again, without
    the harness, and prints the answer as HTTP text (status line, header
    fields, body length): through :class:`etagspec.testing.TestApp` for a
    WSGI app, through httpx's ASGI transport for an ASGI app. ``spec``
    (``package.module:attr``; ``factory`` when it names a factory) says
    where the app comes from; without it ``constructor`` stands in.

    >>> print(python_reproduction("m:app", "wsgi", "", ProbeRequest("GET", "/", (("A", "1"),))))
    import m
    from etagspec.testing import TestApp
    <BLANKLINE>
    app = m.app
    response = TestApp(app, lint=False).request('GET', '/', headers={'A': '1'})
    print('HTTP/1.1', response.status)
    for name, value in response.headers:
        print(f'{name}: {value}')
    print(f'[body: {len(response.body)} bytes]')
    """
    if spec and ":" in spec:
        module, _, attribute = spec.partition(":")
        imports = [f"import {module}"]
        source = f"{module}.{attribute}" + ("()" if factory else "")
    else:
        imports = []
        source = f"...  # your {constructor}"
    if kind == "asgi":
        return _asgi_reproduction(imports, source, request)
    fields: dict[str, str] = {}
    for name, value in request.headers:  # repeated fields arrive combined, as from a server
        fields[name] = f"{fields[name]}, {value}" if name in fields else value
    body = f", {request.body!r}" if request.body else ""
    return "\n".join(
        [
            *imports,
            "from etagspec.testing import TestApp",
            "",
            f"app = {source}",
            f"response = TestApp(app, lint=False).request({request.method!r}, {request.path!r}"
            f"{body}, headers={fields!r})",
            "print('HTTP/1.1', response.status)",
            "for name, value in response.headers:",
            "    print(f'{name}: {value}')",
            "print(f'[body: {len(response.body)} bytes]')",
        ]
    )


def _asgi_reproduction(imports: list[str], source: str, request: ProbeRequest) -> str:
    content = f", content={request.body!r}" if request.body else ""
    return "\n".join(
        [
            "import asyncio",
            "",
            "import httpx",
            *imports,
            "",
            f"app = {source}",
            "",
            "",
            "async def main():",
            "    request = httpx.Request(",
            f"        {request.method!r}, {'http://localhost' + request.path!r}, "
            f"headers={list(request.headers)!r}{content}",
            "    )",
            "    response = await httpx.ASGITransport(app=app).handle_async_request(request)",
            "    body = await response.aread()",
            "    print('HTTP/1.1', response.status_code, response.reason_phrase)",
            "    for name, value in response.headers.raw:",
            "        print(f\"{name.decode('latin-1')}: {value.decode('latin-1')}\")",
            "    print(f'[body: {len(body)} bytes]')",
            "",
            "",
            "asyncio.run(main())",
        ]
    )


def describe_error(error: BaseException) -> str:
    """An exception in one line: its type, its message and where it was raised."""
    message = str(error)
    return f"{type(error).__name__}{': ' if message else ''}{message}{raised_at(error)}"


def raised_at(error: BaseException) -> str:
    """Where an exception was raised: `` at file:line`` (the innermost frame)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != _DEADLINE_FILE  # the alarm's handler is not the app
    ]
    return f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
