"""The machine-readable report: ``report.json``."""

from __future__ import annotations

import json

from etagspec.conformance.model import Report

__all__ = ["render_json"]


def render_json(report: Report) -> str:
    """The report as JSON text (ending with a newline).

    The layout is :meth:`Report.to_json`: keys in a fixed order, indented by
    two, ASCII only (``\\uXXXX`` escapes keep every header character exactly,
    including latin-1 and control characters). Wall-clock facts (start
    time, duration, platform) appear only under the last key, ``"run"``,
    so the same seed and the same results give byte-identical output apart
    from that object.
    """
    return json.dumps(report.to_json(), indent=2, ensure_ascii=True, sort_keys=False) + "\n"
