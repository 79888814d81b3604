"""``etagspec check-layer``: exit codes, --list-checks and usage errors."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from target_sources import DROPS_ETAG_ON_304

from etagspec.cli import main
from etagspec.conformance.layers import layer_checks

pytest_plugins = ["pytester"]


def test_the_cli_checks_a_layer() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check-layer", "etagspec.caching:etag_middleware", "--max-examples", "5"], out, err
    )
    assert code == 0, err.getvalue()
    assert "LAYER-COND-1" in out.getvalue()


def test_the_cli_fails_on_a_mutant_and_lists_checks() -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["check-layer", "tests.layer_zoo:DropsETagOn304", "--select", "LAYER-304-1"]
    code = main([*argv, "--max-examples", "25"], out, err)
    assert code == 1, err.getvalue()
    listing = io.StringIO()
    assert main(["check-layer", "--list-checks"], listing, err) == 0
    assert all(check.info.id in listing.getvalue() for check in layer_checks())


@pytest.mark.parametrize(
    "argv",
    [
        ["check-layer", "etagspec.caching"],
        ["check-layer", "no_such_module_here:wrap"],
        ["check-layer", "etagspec.caching:etag_middleware", "--select", "COND-IM-1"],
        ["check-layer", "etagspec.caching:etag_middleware", "--max-examples", "0"],
    ],
)
def test_the_cli_says_what_is_wrong_with_its_arguments(argv: list[str]) -> None:
    err = io.StringIO()
    assert main(argv, io.StringIO(), err) == 2
    assert err.getvalue().startswith("etagspec: error:")


def test_an_unwritable_report_dir_exits_2_before_the_run(tmp_path: Path) -> None:
    # The same run options and checks as etagspec check (etagspec/_cli_runs.py).
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    argv = ["check-layer", "etagspec.caching:etag_middleware", "--report-dir"]
    assert main([*argv, str(blocker / "reports")], out, err) == 2
    assert out.getvalue() == ""  # nothing ran
    assert err.getvalue().startswith("etagspec: error: cannot write reports into ")


def test_the_verdict_and_the_reports_are_those_of_check(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["check-layer", "etagspec.caching:etag_middleware", "--select", "LAYER-304-1"]
    code = main([*argv, "--max-examples", "3", "--report-dir", str(tmp_path)], out, err)
    assert code == 0, err.getvalue()
    assert "PASS" in out.getvalue()
    assert "reports: " in out.getvalue()
    assert (tmp_path / "report.json").exists() and (tmp_path / "junit.xml").exists()


def test_check_layer_is_exported_by_the_harness() -> None:
    from etagspec.conformance import check_layer

    report = check_layer("etagspec.caching:etag_middleware", max_examples=3, select=["LAYER-304-1"])
    assert report.exit_code == 0


def test_the_pytest_plugin_runs_the_layer_checks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(mutant=DROPS_ETAG_ON_304)
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", "--etagspec-layer=mutant:wrap", "--etagspec-max-examples=10"
    )
    result.assert_outcomes(passed=len(layer_checks("wsgi")) - 1, failed=1)
    result.stdout.fnmatch_lines(["*etagspec-layer::LAYER-304-1*"])


NOT_LAYERS = """
import etagspec.demo

app = etagspec.demo.app  # a WSGI app, not a factory

async def asgi_app(scope, receive, send):
    pass

def returns_a_string(app):
    return "not an app"

def raises(app):
    raise RuntimeError("no config")

number = 42
"""


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ("app", "takes (environ, start_response): it looks like a WSGI app"),
        ("asgi_app", "is an ASGI app"),
        ("returns_a_string", "returned 'not an app', not a WSGI app"),
        ("raises", "(app) raised RuntimeError: no config"),
        ("number", "42 is not callable"),
    ],
)
def test_check_layer_refuses_what_is_not_a_factory_in_one_line(
    app_module: Callable[[str], str], attribute: str, message: str
) -> None:
    module = app_module(NOT_LAYERS)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check-layer", f"{module}:{attribute}"], out, err) == 2
    assert message in err.getvalue()
    assert err.getvalue().count("\n") == 1
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ("app", "takes (environ, start_response): it looks like a WSGI app"),
        ("asgi_app", "is an ASGI app"),
        ("raises", "(app) raised RuntimeError: no config"),
    ],
)
def test_the_pytest_plugin_refuses_what_is_not_a_factory_as_check_layer_does(
    pytester: pytest.Pytester, attribute: str, message: str
) -> None:
    pytester.makepyfile(not_layers=NOT_LAYERS)
    result = pytester.runpytest_inprocess(
        "-p", "no:cacheprovider", f"--etagspec-layer=not_layers:{attribute}"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --etagspec-layer: not_layers:{attribute}*"])
    assert message in result.stderr.str()
