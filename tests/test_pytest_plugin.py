"""The pytest plugin (``etagspec.conformance.pytest_plugin``), driven
through ``pytester``: each run is an isolated pytest session in a
temporary directory with its own (empty) ini file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from target_sources import IGNORES_PRECONDITIONS, SHOULD_ONLY

from etagspec.conformance import Level, registered_checks

pytest_plugins = ["pytester"]

ALL_IDS = [check.info.id for check in registered_checks()]
UNSAFE_IDS = [check.info.id for check in registered_checks() if check.info.unsafe]
SHOULD_IDS = [check.info.id for check in registered_checks() if check.info.level is Level.SHOULD]
#: Checks that only a live server can meet, or that the demo gives nothing
#: to judge (one content-coding only: VAL-ET-7 is not exercised); skipped.
LIVE_ONLY_IDS = ["DATE-ORIGIN-1", "VAL-ET-7"]
FAST = ("--etagspec-max-examples=5", "-p", "no:cacheprovider")


@pytest.fixture
def broken(pytester: pytest.Pytester) -> str:
    pytester.makepyfile(etagspec_broken_app=textwrap.dedent(IGNORES_PRECONDITIONS))
    return "--etagspec-target=etagspec_broken_app:app"


def test_demo_one_item_per_check_all_pass(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--etagspec-target=demo", "--etagspec-path=/hello", *FAST)
    skipped = len(UNSAFE_IDS) + len(LIVE_ONLY_IDS)
    result.assert_outcomes(passed=len(ALL_IDS) - skipped, skipped=skipped)
    assert result.ret == pytest.ExitCode.OK


def test_collect_only_lists_every_check_id(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--etagspec-target=demo", "--collect-only", "-q", *FAST)
    listed = [line for line in result.outlines if line.startswith("etagspec::")]
    assert listed == [f"etagspec::{check_id}" for check_id in ALL_IDS]
    result.stdout.fnmatch_lines([f"{len(ALL_IDS)} tests collected*"])


def test_k_selects_one_check_by_id(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "--etagspec-target=demo", "--etagspec-path=/hello", "-k", "COND-INM-4a", "-v", *FAST
    )
    result.assert_outcomes(passed=1, deselected=len(ALL_IDS) - 1)
    result.stdout.fnmatch_lines(["etagspec::COND-INM-4a PASSED*"])


def test_deselect_and_markers_work_by_id_and_level(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "--etagspec-target=demo",
        "-m",
        "etagspec_should",
        "--deselect",
        "etagspec::VAL-200-1",
        "--collect-only",
        "-q",
        *FAST,
    )
    listed = [line for line in result.outlines if line.startswith("etagspec::")]
    assert listed == [f"etagspec::{i}" for i in SHOULD_IDS if i != "VAL-200-1"]


def test_marker_carries_the_check_id(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        def pytest_collection_modifyitems(items):
            for item in items:
                marker = item.get_closest_marker("etagspec_check")
                if marker is not None:
                    print("MARKED", item.nodeid, marker.args[0])
        """
    )
    result = pytester.runpytest("--etagspec-target=demo", "--collect-only", "-q", "-s", *FAST)
    result.stdout.fnmatch_lines(["MARKED etagspec::COND-INM-4a COND-INM-4a"])


def test_broken_app_fails_with_the_request_in_the_output(
    pytester: pytest.Pytester, broken: str
) -> None:
    result = pytester.runpytest(broken, "-k", "CMP-USE-2 or COND-INM-4a", *FAST)
    result.assert_outcomes(failed=2, deselected=len(ALL_IDS) - 2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*_ etagspec::COND-INM-4a _*",
            "MUST not met: If-None-Match: * matches any current representation*",
            "*request:",
            "    GET / HTTP/1.1",
            "    If-None-Match: *",
            "*response:",
            "    HTTP/1.1 200 OK",
            "*expected:   304",
            "*root cause: If-None-Match not evaluated",
            "*reproduce (python), flush left:",
            "import etagspec_broken_app",
            "from etagspec.testing import TestApp",
        ]
    )
    result.stdout.fnmatch_lines(["FAILED etagspec::CMP-USE-2*"])


def test_ini_xfail_turns_a_failure_into_xfail(pytester: pytest.Pytester, broken: str) -> None:
    pytester.makeini("[pytest]\netagspec_xfail = COND-INM-4a CMP-USE-2\n")
    result = pytester.runpytest(broken, "-k", "CMP-USE-2 or COND-INM-4a", *FAST)
    result.assert_outcomes(xfailed=2, deselected=len(ALL_IDS) - 2)
    assert result.ret == pytest.ExitCode.OK


def test_conftest_can_add_xfail_by_id(pytester: pytest.Pytester, broken: str) -> None:
    pytester.makeconftest(
        """
        import pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                marker = item.get_closest_marker("etagspec_check")
                if marker is not None and marker.args[0] == "COND-INM-4a":
                    item.add_marker(pytest.mark.xfail(reason="known", strict=True))
        """
    )
    result = pytester.runpytest(broken, "-k", "CMP-USE-2 or COND-INM-4a", *FAST)
    result.assert_outcomes(failed=1, xfailed=1, deselected=len(ALL_IDS) - 2)


def test_ini_options_configure_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        etagspec_target = demo
        etagspec_path = /hello /data.json
        etagspec_unsafe = /data.json
        etagspec_max_examples = 3
        etagspec_seed = 7
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(ALL_IDS) - len(LIVE_ONLY_IDS), skipped=len(LIVE_ONLY_IDS))
    result.stdout.fnmatch_lines(
        ["etagspec: target etagspec.demo:make_app, paths /hello /data.json*"]
    )


def test_pyproject_toml_configures_the_run(pytester: pytest.Pytester, broken: str) -> None:
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        etagspec_target = "etagspec_broken_app:app"
        etagspec_path = ["/", "/other"]
        etagspec_max_examples = 3
        etagspec_seed = 11
        etagspec_xfail = ["COND-INM-4a"]
        """
    )
    result = pytester.runpytest("-k", "CMP-USE-2 or COND-INM-4a", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, xfailed=1, deselected=len(ALL_IDS) - 2)
    result.stdout.fnmatch_lines(["*target: etagspec_broken_app:app, seed 11, 3 examples"])


def test_should_findings_pass_with_a_note_unless_strict(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(etagspec_should_only_app=textwrap.dedent(SHOULD_ONLY))
    target = "--etagspec-target=etagspec_should_only_app:app"
    result = pytester.runpytest(target, "-k", "CC-8 or COND-INM-4a", "-rP", *FAST)
    result.assert_outcomes(passed=2, deselected=len(ALL_IDS) - 2)
    result.stdout.fnmatch_lines(
        [
            "*etagspec: 1 check(s) warned (SHOULD not met) or lenient*",
            "etagspec::CC-8: SHOULD not met: Cache-Control has no contradictory*",
        ]
    )
    result.stdout.fnmatch_lines(["*Cache-Control: no-cache, no-cache*"])  # captured, via -rP

    strict = pytester.runpytest(target, "-k", "CC-8 or COND-INM-4a", "--etagspec-strict", *FAST)
    strict.assert_outcomes(passed=1, failed=1, deselected=len(ALL_IDS) - 2)
    strict.stdout.fnmatch_lines(
        [
            "*_ etagspec::CC-8 _*",
            "SHOULD not met (fails under --etagspec-strict): Cache-Control has no*",
            "*short test summary info*",
            "FAILED etagspec::CC-8*",
        ]
    )


def test_a_lenient_check_passes_with_a_note_unless_strict(pytester: pytest.Pytester) -> None:
    source = Path(__file__).with_name("lenient_apps.py").read_text(encoding="utf-8")
    pytester.makepyfile(etagspec_lenient_app=source)
    target = "--etagspec-target=etagspec_lenient_app:make_app"
    result = pytester.runpytest(target, "-k", "COND-IMS-3", "-rP", *FAST)
    result.assert_outcomes(passed=1, deselected=len(ALL_IDS) - 1)
    result.stdout.fnmatch_lines(["*lenient: a reading the catalogue permits, not a failure*"])
    strict = pytester.runpytest(target, "-k", "COND-IMS-3", "--etagspec-strict", *FAST)
    strict.assert_outcomes(failed=1, deselected=len(ALL_IDS) - 1)


def test_unsafe_checks_skip_without_a_writable_path(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--etagspec-target=demo", "-m", "etagspec_unsafe", "-rs", *FAST)
    result.assert_outcomes(skipped=len(UNSAFE_IDS), deselected=len(ALL_IDS) - len(UNSAFE_IDS))
    result.stdout.fnmatch_lines(["SKIPPED*needs a writable path*"])
    result = pytester.runpytest(
        "--etagspec-target=demo", "--etagspec-unsafe=/data.json", "-m", "etagspec_unsafe", *FAST
    )
    result.assert_outcomes(passed=len(UNSAFE_IDS), deselected=len(ALL_IDS) - len(UNSAFE_IDS))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--etagspec-target=etagspec_no_such_module:app"], "*cannot import*"),
        (["--etagspec-target=etagspec.demo"], "*not of the form package.module:attribute*"),
        (["--etagspec-target=etagspec.demo:nothing"], "*has no attribute*"),
        (["--etagspec-target=demo", "--etagspec-path=hello"], "*must start with '/'*"),
        (["--etagspec-target=demo", "--etagspec-max-examples=0"], "*must be at least 1*"),
        (["--etagspec-target=demo", "--etagspec-seed=x"], "*is not an integer*"),
    ],
)
def test_bad_configuration_is_a_usage_error(
    pytester: pytest.Pytester, args: list[str], message: str
) -> None:
    result = pytester.runpytest(*args, "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_unknown_xfail_id_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\netagspec_xfail = COND-INM-4a NOPE-1\n")
    result = pytester.runpytest("--etagspec-target=demo", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: etagspec_xfail: unknown check ID(s): NOPE-1"])


def test_inert_without_a_target(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--etagspec-max-examples=0")
    result.assert_outcomes(passed=1)
    assert "etagspec::" not in result.stdout.str()
    assert "etagspec: target" not in result.stdout.str()
    collected = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider")
    assert not [line for line in collected.outlines if "etagspec::" in line]


def test_options_are_in_their_own_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(
        ["etagspec conformance harness*", "*--etagspec-target=SPEC*", "*etagspec_xfail*"]
    )


def test_entry_point_loads_the_plugin_in_a_fresh_process(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess(
        "--etagspec-target=demo", "-k", "COND-INM-4a", "-v", *FAST
    )
    result.stdout.fnmatch_lines(["plugins:*etagspec-*", "etagspec::COND-INM-4a PASSED*"])
    result.assert_outcomes(passed=1, deselected=len(ALL_IDS) - 1)


_BLOCKER = '''
import sys

CAMPAIGN_ONLY = {"flask", "webob", "pyramid", "falcon", "bottle", "whitenoise"}


class Blocker:
    """Import hook: the campaign's frameworks are not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in CAMPAIGN_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Blocker())
'''


def test_pytest_conformance_needs_only_the_test_extra(tmp_path: Path) -> None:
    # conformance/README.md documents `pytest conformance --etagspec-target=demo`.
    (tmp_path / "etagspec_block_campaign.py").write_text(_BLOCKER, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    environment = {**os.environ, "PYTHONPATH": str(tmp_path)}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "etagspec_block_campaign",
            "conformance",
            "--etagspec-target=demo",
            "--etagspec-max-examples=2",
            *FAST[1:],
            "-q",
        ],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "error" not in completed.stdout.lower().split("short test summary")[-1]
