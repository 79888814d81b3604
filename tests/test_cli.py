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


#: A run of the default target (the demo) with a seed of its own.
SEEDED_RUN = ("check", "--max-examples", "5", "--seed", "1234", "--report-dir")


@pytest.fixture(scope="module")
def seeded_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    """One ``SEEDED_RUN``: its exit code, output, errors and report folder;
    the run whose reports are read and that a second run of the same seed
    repeats."""
    reports = tmp_path_factory.mktemp("seeded") / "reports"
    return (*run(*SEEDED_RUN, str(reports)), reports)


def test_default_target_passes_and_writes_the_four_reports(
    seeded_run: tuple[int, str, str, Path],
) -> None:
    code, out, err, reports = seeded_run
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
    # One example per check and path: a dozen checks catch this app at once.
    code, out, _ = run("check", spec, "--max-examples", "1")
    assert code == 1
    assert "FAIL  COND-INM-4a" in out
    assert "If-None-Match: *" in out  # the failing request is shown


def test_a_should_finding_fails_only_under_strict(app_spec: Callable[[str], str]) -> None:
    spec = app_spec(SHOULD_ONLY)
    code, out, _ = run("check", spec, "--max-examples", "5")
    assert code == 0, out
    assert "WARN  CC-8" in out
    assert "0 failed, 1 warned" in out
    # The run above showed CC-8 the only finding; --strict makes it exit 1 alone.
    code, out, _ = run("check", spec, "--max-examples", "5", "--strict", "--select", "CC-8")
    assert code == 1, out
    assert "FAIL: " in out.splitlines()[-1]


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
        (["--select", "NOPE-1"], "unknown check ID or prefix: NOPE-1"),
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


def test_same_seed_same_report(seeded_run: tuple[int, str, str, Path], tmp_path: Path) -> None:
    code, out, _, first = seeded_run
    assert code == 0, out
    code, out, _ = run(*SEEDED_RUN, str(tmp_path))
    assert code == 0, out
    bodies = []
    for reports in (first, tmp_path):
        data = json.loads((reports / "report.json").read_text(encoding="utf-8"))
        assert data["seed"] == 1234
        assert "run" in data
        del data["run"]
        for feature in data["features"]:
            # The probes' dates are the demo's Last-Modified: its start time.
            assert feature.pop("probes") or feature["support"] == "cannot tell"
        bodies.append(data)
    assert bodies[0] == bodies[1]


def test_python_m_etagspec_check_leaves_no_hypothesis_folder_behind(tmp_path: Path) -> None:
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
    assert not (tmp_path / ".hypothesis").exists()


# -- no false greens, clean errors ---------------------------------------------------


def test_a_path_whose_plain_get_is_not_2xx_is_a_usage_error() -> None:
    code, out, err = run("check", "etagspec.demo:make_app", "--path", "/no-such-path")
    assert code == 2
    assert err.count("\n") == 1 and "GET /no-such-path answered 404, not 2xx" in err
    assert out == ""


def test_a_writable_path_may_answer_404_until_a_put_creates_it() -> None:
    code, out, err = run(
        "check",
        "etagspec.demo:make_app",
        "--path",
        "/hello",
        "--unsafe",
        "/not-yet",
        "--select",
        "COND-IM-5",
        "--select",
        "COND-INM-4a",
        "--max-examples",
        "3",
    )
    assert code == 0, out + err
    assert "/not-yet: GET /not-yet answered 404" in out  # the write check says why it skips


def test_a_run_in_which_every_check_is_skipped_is_not_a_pass() -> None:
    # Without --unsafe, the write checks all skip: nothing is checked.
    code, out, err = run("check", "--select", "COND-IM-5", "--max-examples", "3")
    assert code == 2
    assert "nothing was checked" in err
    assert "NOTHING CHECKED" in out


def test_an_unwritable_report_dir_exits_2_before_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    code, out, err = run("check", "--report-dir", str(blocker / "reports"))
    assert code == 2
    assert out == ""  # nothing ran
    assert err.startswith("etagspec: error: cannot write reports into ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_help_lists_the_exit_codes() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "etagspec", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0
    assert "exit codes:" in completed.stdout
    for code in ("0  no MUST check failed", "1  a MUST check failed", "2  usage error"):
        assert code in completed.stdout


def test_a_lenient_target_exits_0_and_1_under_strict(app_module: Callable[[str], str]) -> None:
    source = Path(__file__).with_name("lenient_apps.py").read_text(encoding="utf-8")
    spec = f"{app_module(source)}:make_app"
    argv = ["check", spec, "--select", "COND-IMS-3", "--max-examples", "10"]
    code, out, _ = run(*argv)
    assert code == 0, out
    assert "LENI  COND-IMS-3" in out and "1 lenient" in out
    assert "lenient reading" in out  # the root causes
    code, out, _ = run(*argv, "--strict")
    assert code == 1, out
