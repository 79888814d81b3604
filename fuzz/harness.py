"""The atheris harness for one campaign target.

Usage: ``python fuzz/harness.py TARGET FINDINGS_DIR [libFuzzer options]``,
where TARGET is one of :data:`hostile.ALL_TARGETS`; ``fuzz/run.py`` runs it
once per target. The rules are those of ``fuzz/hostile.py``. A parser
target reads the whole input as latin-1 text (as WSGI delivers header
values); a WSGI target splits it into a method, a path, a body and the text
of each precondition field, ``Range`` and ``Content-Type`` (each absent,
noise, a well-formed value, or a well-formed value followed by noise).

A finding does not stop the run: each distinct one (by target, exception
type and the line that raised it) is written once to FINDINGS_DIR with the
input that showed it, so a run reports every kind of failure it met. An
input that takes longer than :data:`SLOW_SECONDS` is a finding too
(inputs are at most a few KiB, so only super-linear work can be that slow).
"""

from __future__ import annotations

import hashlib
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["etagspec", "hostile"]):
    import hostile

#: An input slower than this is reported.
SLOW_SECONDS = 1.0
_MAX_TEXT = 96


def _text(provider: atheris.FuzzedDataProvider) -> str:
    return provider.ConsumeBytes(provider.ConsumeIntInRange(0, _MAX_TEXT)).decode("latin-1")


def _field(provider: atheris.FuzzedDataProvider) -> str | None:
    mode = provider.ConsumeIntInRange(0, 3)
    if mode == 0:
        return None
    if mode == 1:
        return _text(provider)
    well_formed = provider.PickValueInList(list(hostile.WELL_FORMED_VALUES))
    return well_formed if mode == 2 else well_formed + _text(provider)


def hostile_request(data: bytes) -> hostile.HostileRequest:
    """The request an input describes."""
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, len(hostile.METHODS))
    method = hostile.METHODS[choice] if choice < len(hostile.METHODS) else _text(provider)
    path = provider.PickValueInList(["/hello", "/data.json", "/new", ""]) + _text(provider)
    body = provider.ConsumeBytes(provider.ConsumeIntInRange(0, 16))
    fields = {}
    for name in hostile.ENVIRON_FIELDS:
        value = _field(provider)
        if value is not None:
            fields[name] = value
    return hostile.HostileRequest(method, path, fields, body)


def _signature(target: str, error: BaseException) -> str:
    cause = error.__cause__ or error
    frames = traceback.extract_tb(cause.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{target} {type(cause).__name__} at {where}"


class Campaign:
    """Runs one target on each input and records what it finds."""

    def __init__(self, target: str, findings: Path) -> None:
        self.target = target
        self.findings = findings
        self.seen: set[str] = set()
        self.run_one = self._make_runner(target)

    @staticmethod
    def _make_runner(target: str) -> Callable[[bytes], object]:
        if target in hostile.PARSERS:
            return lambda data: hostile.check_parser(target, data.decode("latin-1"))
        app: Callable[..., Iterable[bytes]] = hostile.WSGI_TARGETS[target]()
        return lambda data: hostile.check_wsgi(app, hostile_request(data))

    def record(self, signature: str, data: bytes, detail: str) -> None:
        if signature in self.seen:
            return
        self.seen.add(signature)
        name = hashlib.sha256(signature.encode()).hexdigest()[:12]
        report = f"{signature}\ninput: {data!r}\n\n{detail}\n"
        (self.findings / f"{self.target}-{name}.txt").write_text(report, encoding="utf-8")
        print(f"FINDING {signature}", file=sys.stderr, flush=True)

    def __call__(self, data: bytes) -> None:
        started = time.perf_counter()
        try:
            self.run_one(data)
        except Exception as error:
            self.record(_signature(self.target, error), data, traceback.format_exc())
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_SECONDS:
            self.record(f"{self.target} slow input", data, f"{elapsed:.2f} s for {len(data)} bytes")


def main(argv: list[str]) -> None:
    """Fuzz ``argv[1]``, writing findings under ``argv[2]``."""
    target, findings = argv[1], Path(argv[2])
    if target not in hostile.ALL_TARGETS:
        raise SystemExit(f"unknown target {target!r}; one of {', '.join(hostile.ALL_TARGETS)}")
    findings.mkdir(parents=True, exist_ok=True)
    campaign: Any = Campaign(target, findings)
    atheris.Setup([argv[0], *argv[3:]], campaign)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
