"""The Markdown report of one run, and its place in ``benchmarks/README.md``.

>>> replace_between_markers("a\\n<!-- bench:begin -->\\nold\\n<!-- bench:end -->\\nz\\n", "new")
'a\\n<!-- bench:begin -->\\nnew\\n<!-- bench:end -->\\nz\\n'
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from benchmarks.groups import GroupResult
from benchmarks.harness import HarnessFigures
from benchmarks.harness_growth import STEEPER, Growth, growth_rows
from benchmarks.parsers import strictness
from benchmarks.scaling import MAX_SLOPE, Series
from benchmarks.targets import Target

__all__ = ["BEGIN", "END", "machine", "render", "replace_between_markers"]

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
#: Below this slope a series is reported as bounded (the work does not grow).
_BOUNDED_SLOPE = 0.5


def machine() -> str:
    """CPU, core count, load, Python and platform, on one line."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = (
        ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    )
    return (
        f"{cpu}, {os.cpu_count()} cores (load average {load} at the start), "
        f"Python {platform.python_version()} ({sys.implementation.name}), {platform.system()}"
    )


def _microseconds(seconds: float) -> str:
    return f"{seconds * 1e6:,.2f} µs" if seconds < 1e-3 else f"{seconds * 1e3:,.2f} ms"


def _signed(seconds: float) -> str:
    return ("+" if seconds >= 0 else "-") + _microseconds(abs(seconds))


def _target_rows(targets: Iterable[Target]) -> list[str]:
    rows = [
        "| target | goal | measured | | the same with the floor in etagspec's place | |",
        "|---|---|---|---|---|---|",
    ]
    for target in targets:
        unit = f" {target.unit}" if target.unit else ""
        measured = "not measured" if target.measured is None else f"{target.measured:,.2f}{unit}"
        if target.floor is None:
            floor = "" if not target.floor_name else f"not measured ({target.floor_name})"
            floor_verdict = ""
        else:
            floor = f"{target.floor:,.2f}{unit} ({target.floor_name})"
            floor_verdict = "met" if target.floor_met else "**missed: the goal is below the floor**"
        rows.append(
            f"| {target.name} | {target.direction} {target.goal:,g}{unit} | {measured} | "
            f"{'met' if target.met else '**missed**'} | {floor} | {floor_verdict} |"
        )
    return rows


def _fastest_peer_rows(results: Mapping[str, GroupResult]) -> list[str]:
    """etagspec's rows against the fastest peer of each never-seen group."""
    rows = [
        "| group | etagspec | fastest peer | fastest peer / etagspec | |",
        "|---|---|---|---:|---|",
    ]
    for result in results.values():
        peer = result.fastest_peer()
        if peer is None:
            continue
        for own in result.group.own:
            if own not in result.seconds:
                continue
            ratio = result.ratio(peer, own)
            verdict = "faster" if ratio > 1 else "**not faster**"
            rows.append(f"| {result.group.title} | {own} | {peer} | {ratio:.2f} × | {verdict} |")
    return rows if len(rows) > 2 else []


def _group_rows(result: GroupResult) -> list[str]:
    reference = result.group.reference
    rows = [
        f"**{result.group.title}**",
        "",
        f"| | per call | × {reference} |",
        "|---|---:|---:|",
    ]
    for name, seconds in sorted(result.seconds.items(), key=lambda item: item[1]):
        rows.append(f"| {name} | {_microseconds(seconds)} | {result.ratio(name):.2f} |")
    rows.append("")
    return rows


def _strictness_rows() -> list[str]:
    rows = [
        "| invalid If-None-Match | etagspec rejects it | lower bound rejects it |",
        "|---|---|---|",
    ]
    for probe, (strict, bound) in strictness().items():
        rows.append(f"| `{probe!r}` | {'yes' if strict else 'NO'} | {'yes' if bound else 'no'} |")
    return rows


def _harness_rows(harness: HarnessFigures) -> list[str]:
    return [
        f"- catalogue against the demo app (its one-write-per-second waits skipped): "
        f"{harness.requests:,} checked requests in "
        f"{harness.elapsed:.2f} s = **{harness.rate:,.0f} requests/s**",
        f"- one conditional GET of the demo: direct WSGI call {_microseconds(harness.direct)}, "
        f"`WSGITarget.send` {_microseconds(harness.wsgi_target)} "
        f"({_signed(harness.wsgi_target - harness.direct)}), "
        f"WebTest {_microseconds(harness.webtest)} "
        f"({_signed(harness.webtest - harness.direct)} per request, "
        f"{harness.webtest / harness.direct:.1f}× the direct call)",
    ]


def _scaling_rows(series: list[Series]) -> list[str]:
    if not series:
        return []
    sizes = series[0].sizes
    heading = " | ".join(f"{size // 1024} KiB" for size in sizes)
    rows = [
        f"| subject | input shape | {heading} | slope | |",
        "|---|---|" + "---:|" * len(sizes) + "---:|---|",
    ]
    for found in series:
        times = " | ".join(_microseconds(seconds) for seconds in found.seconds)
        if found.slope < _BOUNDED_SLOPE:
            verdict = "bounded"
        elif found.linear:
            verdict = "linear"
        else:
            verdict = "**steeper than linear**"
        rows.append(
            f"| {found.subject} | {found.shape} | {times} | {found.slope:.2f} | {verdict} |"
        )
    return rows


def render(
    command: str,
    targets: list[Target],
    results: Mapping[str, GroupResult],
    harness: HarnessFigures | None,
    series: list[Series],
    notes: Iterable[str] = (),
    growth: Iterable[Growth] = (),
) -> str:
    """The whole report, in Markdown."""
    growth = list(growth)
    lines = [
        f"Measured {datetime.date.today().isoformat()} with `{command}` on {machine()}.",
        "Each figure is the fastest of its interleaved rounds (on a shared machine noise "
        "only ever adds time); ratios are between figures of the same run.",
        "",
        *notes,
        "### Goals, on values never seen before",
        "",
        "Every figure here comes from a `never seen` group below: a fresh value per "
        "call, so no table of parsed values can help. The `cached` groups beside them "
        "repeat one value, etagspec's best case.",
        "",
        *_target_rows(targets),
        "",
    ]
    peer_rows = _fastest_peer_rows(results)
    if peer_rows:
        lines += [
            "### etagspec against the fastest peer, every never-seen group",
            "",
            "Peers are the other libraries' rows (not the floors, the single-regex lower "
            "bound or etagspec's seed API); above 1 × etagspec is faster.",
            "",
            *peer_rows,
            "",
        ]
    if results:
        lines += ["### Parsing and round trips", ""]
        for result in results.values():
            lines += _group_rows(result)
        if any(key.startswith("etag-") for key in results):
            lines += ["Strictness of the entity-tag list parsers:", "", *_strictness_rows(), ""]
    if harness is not None:
        lines += ["### Harness", "", *_harness_rows(harness), ""]
    if growth:
        lines += [
            "### Harness wall time against paths and examples",
            "",
            "The whole catalogue against the demo, one document per path. Linear means "
            f"each doubling costs about twice the time; a step above {STEEPER / 2:g} × "
            "the doubling is called steeper.",
            "",
            *growth_rows(growth),
            "",
        ]
    if series:
        lines += [
            "### Scaling (time against input size)",
            "",
            f"Slope of log(time) against log(size): 1 is linear; at most {MAX_SLOPE} passes; "
            f"below {_BOUNDED_SLOPE} the work does not grow with the input (a rejected "
            "prefix, or the 16 KiB field cap of evaluation).",
            "",
            *_scaling_rows(series),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def replace_between_markers(document: str, content: str) -> str:
    """``document`` with the text between BEGIN and END replaced by ``content``."""
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END)
    return document[:start] + "\n" + content.strip("\n") + "\n" + document[end:]
