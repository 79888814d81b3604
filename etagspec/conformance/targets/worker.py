"""Calls into an application under test that cannot hold the harness past
their deadline.

An in-process app runs in a :class:`Worker`: one daemon thread per target
that runs its calls one at a time, while the caller waits at most until the
deadline. When the deadline passes the caller gets control back whatever
the app does (it ignores the deadline, catches the exception raised at it
and goes on, sleeps or waits in C, never ends): the thread is abandoned
(the run goes on without it; being a daemon, it never keeps the process
alive) and :class:`~etagspec.conformance.deadline.DeadlineExceeded` is
raised in it once, asynchronously, to stop Python code that lets it.

Why a thread and not a subprocess: the app, the pytest fixtures and the
state a check inspects stay in this process (an app passed as an object
needs no import path or pickling), and a hand-off costs tens of
microseconds where a process round trip costs far more. The limit of a
thread: C code that holds the GIL for its whole duration (one huge regex
match, say) keeps every thread waiting until it returns.

>>> worker = Worker("demo")
>>> worker.call(lambda: 6 * 7, deadline=None)
(True, 42)
>>> import time
>>> finished, _ = worker.call(lambda: time.sleep(5), deadline=time.monotonic() + 0.05)
>>> finished
False
"""

from __future__ import annotations

import ctypes
import os
import queue
import sys
import sysconfig
import threading
import time
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

from ..deadline import DeadlineExceeded

__all__ = ["Worker"]

T = TypeVar("T")


class _Call:
    """One call's state, shared by the caller and the worker: ``done`` is
    set (under ``lock``) when the function has returned."""

    __slots__ = ("done", "function", "lock", "results")

    def __init__(self, function: Callable[[], Any], results: queue.SimpleQueue[Any]) -> None:
        self.function = function
        self.results = results
        self.lock = threading.Lock()
        self.done = False


class Worker:
    """A daemon thread that runs one target's calls, abandoned on a timeout
    (and, with ``interrupt``, sent :class:`DeadlineExceeded`; an event
    loop's thread is not: an exception landing in the loop's own machinery
    could leave it unclosable)."""

    def __init__(self, name: str, *, interrupt: bool = True) -> None:
        self.name = name
        self.interrupt = interrupt
        self._jobs: queue.SimpleQueue[_Call | None] | None = None
        self._current: _Call | None = None
        self._results: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._ender: weakref.finalize[Any, Any] | None = None
        #: Where the last abandoned call was (`` at file:line``), or "".
        self.stuck_at = ""

    def call(self, function: Callable[[], T], deadline: float | None) -> tuple[bool, T | None]:
        """Run ``function()`` in the worker; ``(True, its result)``, or
        ``(False, None)`` when ``deadline`` (``time.monotonic()``) passed
        first. What ``function`` raises is raised here."""
        jobs = self._jobs
        if jobs is None or self._thread is None:
            jobs = self._start()
        self._current = job = _Call(function, self._results)
        jobs.put(job)
        try:
            if deadline is None:
                ok, value = self._results.get()
            else:
                ok, value = self._results.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            self._abandon()
            return False, None
        self._current = None
        if not ok:
            raise value
        return True, value

    def _start(self) -> queue.SimpleQueue[_Call | None]:
        jobs: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        thread = threading.Thread(target=_serve, args=(jobs,), name=self.name, daemon=True)
        thread.start()
        self._jobs, self._thread = jobs, thread
        # The thread ends when its worker (and so its target) is collected.
        self._ender = weakref.finalize(self, jobs.put, None)
        return jobs

    def _abandon(self) -> None:
        """Leave the thread to itself: a fresh one (and a fresh result
        queue, so a late answer is never taken for a later call's) serves
        any later call."""
        thread, jobs, job = self._thread, self._jobs, self._current
        self._thread = self._jobs = self._current = None
        if self._ender is not None:
            self._ender.detach()
        self._results = queue.SimpleQueue()
        self.stuck_at = ""
        if thread is not None and thread.ident is not None and job is not None:
            with job.lock:  # the thread cannot finish the call (nor end) meanwhile
                if not job.done:
                    self.stuck_at = _where(sys._current_frames().get(thread.ident))
                if not job.done and self.interrupt and _runs_python(thread.ident):
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(thread.ident), ctypes.py_object(DeadlineExceeded)
                    )
        if jobs is not None:
            jobs.put(None)  # ends the thread when it comes back


def _runs_python(ident: int) -> bool:
    """Whether a stop sent to thread ``ident`` can land now.

    Without a trace function, always: a thread waiting in C takes it when
    the wait ends. Under one (coverage, a debugger), CPython 3.11 keeps a
    pending asynchronous exception from letting the other threads run their
    Python code until the target thread takes it, so one sent to a thread
    waiting in C (``time.sleep``, a lock, a socket) would hold the harness
    until the app's wait ends: it is sent only to a thread that is busy
    (:func:`_busy`), and a thread waiting in C is left to itself,
    unstopped, as an event loop's thread is.
    """
    return sys.gettrace() is None or _busy(ident)


def _busy(ident: int) -> bool:
    """Whether thread ``ident`` is working rather than waiting: it used CPU
    time within 50 ms (where the platform has per-thread CPU clocks), or
    its frame moved within 5 ms.

    The frame alone does not tell: a loop that never leaves Python (``while
    True: ...``) hands the GIL over at the same instruction each time, so
    two looks find it where it was, and it was once left spinning for the
    rest of the run. A thread's CPU clock tells; the frame is the fallback.

    >>> import threading
    >>> waiting = threading.Event()
    >>> sleeper = threading.Thread(target=waiting.wait, daemon=True)
    >>> sleeper.start()
    >>> _busy(sleeper.ident)
    False
    >>> waiting.set()
    """
    clock = _cpu_clock(ident)
    if clock is None:  # pragma: no cover - no per-thread clocks here
        before = sys._current_frames().get(ident)
        first = None if before is None else (before, before.f_lasti)
        time.sleep(0.005)
        after = sys._current_frames().get(ident)
        return after is not None and first != (after, after.f_lasti)
    # A busy thread uses its CPU as soon as it is scheduled; on a loaded
    # machine that may take a few time slices, so look for up to 50 ms.
    used = time.clock_gettime(clock)
    for _ in range(10):
        time.sleep(0.005)
        if time.clock_gettime(clock) - used > 0.0002:
            return True
    return False


def _cpu_clock(ident: int) -> int | None:
    """The CPU-time clock of thread ``ident``, or None where there is none."""
    try:
        return time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):  # pragma: no cover - no per-thread clocks here
        return None


#: Where a stuck call is never said to be: the harness and the standard library.
_NOT_THE_APP = (
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,
    sysconfig.get_paths()["stdlib"] + os.sep,
)


def _where(frame: FrameType | None) -> str:
    """`` at file:line`` of the innermost frame of the app (not of the
    harness or the standard library), or "" when it is not in the app."""
    while frame is not None:
        if not frame.f_code.co_filename.startswith(_NOT_THE_APP):
            return f" at {frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return ""


def _serve(jobs: queue.SimpleQueue[_Call | None]) -> None:
    while True:
        try:
            job = jobs.get()
            if job is None:
                return
            try:
                outcome: tuple[bool, Any] = (True, job.function())
            except BaseException as error:  # handed to the caller, raised there
                outcome = (False, error)
            with job.lock:
                job.done = True
            job.results.put(outcome)
            del job, outcome  # nothing of the call (nor its target) kept alive here
        except DeadlineExceeded:  # the late asynchronous stop of an abandoned call
            return
