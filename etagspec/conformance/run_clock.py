"""The facts of a run that differ from run to run, measured in one place:
a :class:`RunClock` started with the run gives its
:class:`~etagspec.conformance.model.RunHeader` at the end.

>>> clock = RunClock()
>>> header = clock.header(requests=3)
>>> header.requests, header.duration_seconds >= 0, header.started == clock.started
(3, True, True)
"""

from __future__ import annotations

import datetime
import platform
import time

from .model import RunHeader

__all__ = ["RunClock"]


class RunClock:
    """When a run started (UTC, to the second) and how long it has taken."""

    def __init__(self) -> None:
        self.started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        self._start = time.monotonic()

    def header(self, requests: int) -> RunHeader:
        """The run's header now: its start, duration, ``requests`` sent and
        the Python and platform it ran on."""
        return RunHeader(
            started=self.started,
            duration_seconds=time.monotonic() - self._start,
            requests=requests,
            python=platform.python_version(),
            platform=platform.platform(terse=True),
        )
