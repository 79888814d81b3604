"""``etagspec matrix --jobs N``: targets run in parallel processes write the
reports and the matrix that one process writes."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from etagspec.cli import main

TARGETS_TOML = Path(__file__).resolve().parent.parent / "conformance" / "targets.toml"
#: Two in-process targets of the committed campaign: the reference (passes
#: everything) and Werkzeug (with findings, a dozen even at one example per
#: check and path, the campaign's cheapest budget).
ONLY = ("reference", "werkzeug")


def campaign(out: Path, *jobs: str) -> str:
    """Run the two targets into ``out``; return what went to stderr."""
    err = io.StringIO()
    arguments = ["matrix", str(TARGETS_TOML), "--out", str(out), "--max-examples", "1"]
    arguments += ["--kind", "wsgi"]  # not the parser named werkzeug
    for name in ONLY:
        arguments += ["--only", name]
    assert main([*arguments, *jobs], out=io.StringIO(), err=err) == 0, err.getvalue()
    return err.getvalue()


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    """Each check's status in a report.json."""
    return {check["id"]: check["status"] for check in report["checks"]}


def test_parallel_targets_write_what_one_process_writes(tmp_path: Path) -> None:
    alone, spread = tmp_path / "alone", tmp_path / "spread"
    campaign(alone)
    said = campaign(spread, "--jobs", "2")
    assert said.index("[1/2] reference") < said.index("[2/2] werkzeug")  # the campaign's order
    for name in ONLY:  # every check's verdict (a failure's Date header differs, as in any rerun)
        one = json.loads((alone / name / "report.json").read_text(encoding="utf-8"))
        other = json.loads((spread / name / "report.json").read_text(encoding="utf-8"))
        assert verdicts(other) == verdicts(one), name
        assert "failed" in verdicts(one).values() or name == "reference"  # a failure is compared
    matrix = (alone / "matrix.json").read_text(encoding="utf-8")
    assert (spread / "matrix.json").read_text(encoding="utf-8") == matrix
