"""The ``etagspec`` command: ``main(argv, out, err)`` returns the exit code
(0 conformant, 1 a MUST check failed — or a SHOULD check under --strict —,
2 usage error)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from target_sources import IGNORES_PRECONDITIONS, SHOULD_ONLY

from etagspec.cli import main
from etagspec.conformance import registered_checks

ALL_IDS = [check.info.id for check in registered_checks()]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_default_target_passes_and_writes_the_four_reports(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    code, out, err = run("check", "--max-examples", "5", "--report-dir", str(reports))
    assert code == 0, out + err
    assert "0 failed" in out
    for name in ("report.json", "report.html", "junit.xml", "report.md"):
        assert (reports / name).is_file(), name
    data = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert {"target", "summary", "checks"} <= data.keys()
    assert data["target"]["name"] == "etagspec.demo:make_app"
    assert data["target"]["paths"] == ["/", "/hello", "/data.json"]
    assert data["summary"]["failed"] == 0
    assert [check["id"] for check in data["checks"]] == ALL_IDS


def test_a_failed_must_check_exits_1(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(IGNORES_PRECONDITIONS)
    code, out, _ = run("check", spec, "--max-examples", "5")
    assert code == 1
    assert "FAIL  COND-INM-4a" in out
    assert "If-None-Match: *" in out  # the failing request is shown


def test_a_should_finding_fails_only_under_strict(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(SHOULD_ONLY)
    code, out, _ = run("check", spec, "--max-examples", "5")
    assert code == 0, out
    assert "WARN  CC-8" in out
    assert "0 failed, 1 warned" in out
    code, out, _ = run("check", spec, "--max-examples", "5", "--strict")
    assert code == 1, out


def test_select_runs_only_the_chosen_checks(tmp_path: Path) -> None:
    code, out, _ = run(
        "check",
        "--max-examples",
        "5",
        "--select",
        "COND-INM-4a",
        "--select",
        "CMP-USE-2",
        "--report-dir",
        str(tmp_path),
    )
    assert code == 0, out
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [check["id"] for check in data["checks"]] == ["CMP-USE-2", "COND-INM-4a"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["etagspec_no_such_module_xyz:app"], "cannot import 'etagspec_no_such_module_xyz'"),
        (["etagspec.demo"], "is not of the form package.module:attribute"),
        (["etagspec.demo:no_such_attribute"], "has no attribute 'no_such_attribute'"),
        (["--path", "hello"], "path 'hello' must start with '/'"),
        (["--unsafe", "data.json"], "path 'data.json' must start with '/'"),
        (["--max-examples", "0"], "--max-examples must be at least 1"),
        (["--select", "NOPE-1"], "unknown check ID(s): NOPE-1"),
    ],
)
def test_usage_errors_exit_2_with_a_message(argv: list[str], message: str) -> None:
    code, out, err = run("check", *argv)
    assert code == 2
    assert err.startswith("etagspec: error: ")
    assert message in err
    assert out == ""


def test_list_checks_prints_every_id() -> None:
    code, out, _ = run("check", "--list-checks")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == ALL_IDS
    assert "(--unsafe)" in out


def test_same_seed_same_report(tmp_path: Path) -> None:
    bodies = []
    for name in ("first", "second"):
        argv = ["check", "--max-examples", "5", "--seed", "1234", "--report-dir"]
        code, out, _ = run(*argv, str(tmp_path / name))
        assert code == 0, out
        data = json.loads((tmp_path / name / "report.json").read_text(encoding="utf-8"))
        assert data["seed"] == 1234
        assert "run" in data
        del data["run"]
        bodies.append(data)
    assert bodies[0] == bodies[1]


def test_python_m_etagspec_check(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "etagspec", "check", "--max-examples", "3", "--path", "/hello"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 failed" in completed.stdout
