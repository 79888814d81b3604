"""One engine for every kind of check: what the app, layer and parser runs
once did each their own way, pinned so that they cannot drift apart again.

Each test failed on the harness of separate runners: the layer items turned
``--etagspec-seed=0`` into the default seed and ignored the ini values,
``check_parser`` refused a mis-cased ID that the other two accept, and the
app runner built its run header inline instead of through ``RunClock``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from target_sources import DROPS_ETAG_ON_304

from etagspec.conformance import UnknownCheckError, check_app, check_layer, check_parser
from etagspec.conformance.model import RunHeader
from etagspec.conformance.run_clock import RunClock

pytest_plugins = ["pytester"]

#: The LAYER-304-1 item of DROPS_ETAG_ON_304 fails and prints the seed and
#: budget it ran with.
LAYER_ITEM = ("-p", "no:cacheprovider", "--etagspec-layer=mutant:wrap", "-k", "LAYER-304-1")


def test_a_zero_seed_stays_zero_for_layer_items(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(mutant=DROPS_ETAG_ON_304)
    result = pytester.runpytest_inprocess(
        *LAYER_ITEM, "--etagspec-seed=0", "--etagspec-max-examples=7"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*seed 0, 7 examples*"])


def test_layer_items_take_the_ini_values(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(mutant=DROPS_ETAG_ON_304)
    pytester.makeini("[pytest]\netagspec_seed = 0\netagspec_max_examples = 7\n")
    result = pytester.runpytest_inprocess(*LAYER_ITEM)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*seed 0, 7 examples*"])


@pytest.mark.parametrize(
    "spec",
    ["--etagspec-layer=etagspec.caching:etag_middleware", "--etagspec-target=demo"],
)
@pytest.mark.parametrize("how", ["option", "ini"])
def test_every_item_kind_refuses_zero_examples(
    pytester: pytest.Pytester, spec: str, how: str
) -> None:
    args = [spec, "-p", "no:cacheprovider"]
    if how == "ini":
        pytester.makeini("[pytest]\netagspec_max_examples = 0\n")
    else:
        args.append("--etagspec-max-examples=0")
    result = pytester.runpytest_inprocess(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*must be at least 1, not 0*"])


def _run_app(select: list[str]) -> list[str]:
    report = check_app("etagspec.demo:app", ["/hello"], max_examples=2, select=select)
    return [result.check.id for result in report.results]


def _run_layer(select: list[str]) -> list[str]:
    report = check_layer("etagspec.caching:etag_middleware", max_examples=2, select=select)
    return [result.check.id for result in report.results]


def _run_parser(select: list[str]) -> list[str]:
    report = check_parser("etagspec.conformance.parsers.reference", max_examples=2, select=select)
    return [result.check.id for result in report.results]


KINDS: list[tuple[Callable[[list[str]], list[str]], str]] = [
    (_run_app, "COND-IM-4a"),
    (_run_layer, "LAYER-304-1"),
    (_run_parser, "PARSE-LIST-1"),
]


@pytest.mark.parametrize(("run", "check_id"), KINDS, ids=["app", "layer", "parser"])
def test_a_selection_in_any_case_names_the_same_check(
    run: Callable[[list[str]], list[str]], check_id: str
) -> None:
    assert run([check_id.upper()]) == [check_id]
    assert run([check_id.lower()]) == [check_id]


@pytest.mark.parametrize(("run", "check_id"), KINDS, ids=["app", "layer", "parser"])
def test_an_unknown_selection_is_a_value_error_naming_it(
    run: Callable[[list[str]], list[str]], check_id: str
) -> None:
    with pytest.raises(UnknownCheckError, match="NOPE-1") as raised:
        run([check_id, "nope-1"])
    assert isinstance(raised.value, ValueError) and raised.value.value == "NOPE-1"


@pytest.mark.parametrize("run", [_run_app, _run_layer], ids=["app", "layer"])
def test_the_run_header_comes_from_the_run_clock(
    run: Callable[[list[str]], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = RunHeader("1999-12-31T23:59:59+00:00", 1.5, 0, "3.x", "the clock's own")

    def header(self: RunClock, requests: int) -> RunHeader:
        return RunHeader(marked.started, 1.5, requests, "3.x", "the clock's own")

    monkeypatch.setattr(RunClock, "header", header)
    if run is _run_app:
        report = check_app("etagspec.demo:app", ["/hello"], max_examples=2, select=["CMP-USE"])
    else:
        report = check_layer(
            "etagspec.caching:etag_middleware", max_examples=2, select=["LAYER-304-1"]
        )
    assert report.run is not None
    assert (report.run.started, report.run.platform) == (marked.started, marked.platform)
    assert report.run.requests > 0


def test_an_id_names_one_check_whatever_its_kind() -> None:
    from types import SimpleNamespace

    from etagspec.conformance import catalogue
    from etagspec.conformance.layers.checks import LAYER_REGISTRY
    from etagspec.conformance.model import CheckInfo, Level
    from etagspec.conformance.registry import CheckKind, kind_of

    assert catalogue.registered_checks()  # the exchange checks are registered
    assert kind_of("cmp-use-1") is CheckKind.EXCHANGE
    assert kind_of("layer-304-1") is CheckKind.LAYER
    clash = SimpleNamespace(info=CheckInfo("cmp-use-1", "t", "RFC 9110", Level.MUST, "r"))
    with pytest.raises(ValueError, match="registered twice"):
        LAYER_REGISTRY.add(clash)  # type: ignore[arg-type]  # only its info is read
    assert "cmp-use-1" not in LAYER_REGISTRY.entries


@pytest.mark.parametrize("command", ["check", "check-layer", "check-parser"])
def test_every_checking_command_takes_the_same_run_options(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from etagspec.cli import main
    from etagspec.conformance.model import DEFAULT_SEED

    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    options = ("--max-examples N", "--seed N", "--strict", "--select IDS", "--exclude IDS")
    for option in (*options, "--report-dir DIR", "-q, --quiet"):
        assert option in text, option
    assert f"same seed, same report (default: {DEFAULT_SEED})" in text
    assert main([command, "--max-examples", "0", "x:y"]) == 2
    assert "--max-examples must be at least 1" in capsys.readouterr().err


def test_check_parser_is_quiet_and_writes_a_report_dir_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from etagspec.cli import main

    argv = ["check-parser", "etagspec.conformance.parsers.reference", "--max-examples", "2"]
    assert main([*argv, "-q", "--select", "fmt-date", "--report-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "PASS\n"
    assert "FMT-DATE-1" in (tmp_path / "report.json").read_text()
    assert "`FMT-DATE-1`" in (tmp_path / "report.md").read_text()


def test_a_checks_module_imported_again_registers_afresh() -> None:
    # pytester's in-process runs drop the modules they imported, so the
    # parser checks' modules can be imported a second time in one process;
    # that import must replace the kind's registry, not fail the run.
    import importlib
    import sys

    from etagspec.conformance import registry

    original = registry.registry_of(registry.CheckKind.PARSER)
    prefix = "etagspec.conformance.parsers"
    saved = {n: sys.modules.pop(n) for n in list(sys.modules) if n.startswith(prefix)}
    try:
        importlib.import_module(f"{prefix}.checks")
        again = registry.registry_of(registry.CheckKind.PARSER)
        assert again is not original and again.ids() == original.ids()
    finally:
        for name in [n for n in sys.modules if n.startswith(prefix)]:
            del sys.modules[name]
        sys.modules.update(saved)
        registry._KINDS[registry.CheckKind.PARSER] = original
