"""The layer harness (etagspec check-layer): the correct layer of
tests/layer_zoo.py and etagspec.caching.etag_middleware pass every layer
check, each mutant is caught by the check it was written for, and every
layer check catches at least one mutant."""

from __future__ import annotations

import io

import pytest
from layer_zoo import MUTANTS, AsksFirst, ConditionalLayer, correct_layer

from etagspec.caching import etag_middleware
from etagspec.conformance.layers import (
    LayerTarget,
    LayerTargetError,
    check_layer,
    layer_checks,
    load_layer,
    serve,
)
from etagspec.conformance.model import Level, Status
from etagspec.strategies import HandlerBehaviour

#: Few examples: the default run stays fast (each mutant is found well within them).
EXAMPLES = 15
#: Examples for one check against one mutant.
MUTANT_EXAMPLES = 60
#: Examples for the unsafe-method styles: each is caught within 10 at the
#: fixed seed (one of them is not within 5).
UNSAFE_STYLE_EXAMPLES = 10


def _not_passed(report: object) -> dict[str, str]:
    return {
        result.check.id: result.status.value
        for result in report.results  # type: ignore[attr-defined]
        if result.status is not Status.PASSED
    }


@pytest.mark.parametrize(
    "wrap",
    [correct_layer, AsksFirst, etag_middleware],
    ids=["zoo", "zoo-asks-first", "etag_middleware"],
)
def test_correct_layers_pass_every_check(wrap: object) -> None:
    report = check_layer(wrap, max_examples=EXAMPLES, strict=True)  # type: ignore[arg-type]
    assert _not_passed(report) == {}
    assert report.exit_code == 0


@pytest.mark.parametrize("mutant", list(MUTANTS), ids=lambda mutant: mutant.__name__)
def test_each_mutant_is_caught_by_its_check(mutant: type[ConditionalLayer]) -> None:
    check_id = MUTANTS[mutant]
    report = check_layer(mutant, max_examples=MUTANT_EXAMPLES, select=[check_id], strict=True)
    (result,) = report.results
    expected = Status.FAILED if result.check.level is Level.MUST else Status.WARNED
    assert result.status is expected, result
    (failure,) = result.failures
    assert check_id in failure.explanation
    assert "HandlerBehaviour(" in failure.reproduce and "serve(wrap(app)" in failure.reproduce
    assert report.exit_code == 1


@pytest.mark.parametrize(
    ("style", "check_id"),
    [("RefusesUnsafeIfNoneMatch", "LAYER-UNSAFE-1"), ("JudgesUnsafeMethods", "LAYER-UNSAFE-2")],
    ids=["pesto-style-LAYER-UNSAFE-1", "cherrypy-style-LAYER-UNSAFE-2"],
)
def test_the_unsafe_method_styles_fail_their_check_and_only_it(style: str, check_id: str) -> None:
    # Right on GET and HEAD, wrong only on unsafe methods: before these
    # checks nothing but luck caught them.
    import layer_zoo

    report = check_layer(getattr(layer_zoo, style), max_examples=UNSAFE_STYLE_EXAMPLES)
    assert _not_passed(report) == {check_id: "failed"}


def test_every_layer_check_has_a_mutant() -> None:
    assert {check.info.id for check in layer_checks("wsgi")} == set(MUTANTS.values())


def test_a_should_finding_fails_only_under_strict() -> None:
    (mutant,) = [m for m, check_id in MUTANTS.items() if check_id == "LAYER-304-2"]
    report = check_layer(mutant, max_examples=EXAMPLES, select=["LAYER-304-2"])
    assert report.results[0].status is Status.WARNED
    assert report.exit_code == 0 and report.failed(strict=True)


def test_a_reproduction_runs_without_the_harness() -> None:
    (mutant,) = [m for m, check_id in MUTANTS.items() if check_id == "LAYER-304-1"]
    report = check_layer(
        LayerTarget(mutant, spec="tests.layer_zoo:DropsETagOn304"),
        max_examples=EXAMPLES,
        select=["LAYER-304-1"],
    )
    (failure,) = report.results[0].failures
    printed = io.StringIO()
    namespace = {"print": lambda *values: printed.write(" ".join(map(str, values)) + "\n")}
    exec(failure.reproduce, namespace)
    assert printed.getvalue().startswith("304 Not Modified")
    assert "ETag" not in printed.getvalue().split("HandlerLedger")[0]


def test_etag_middleware_answers_a_lazy_app_whose_content_is_empty() -> None:
    # The app calls start_response on its first iteration and yields nothing
    # (an empty 200): the middleware must not think it never started.
    behaviour = HandlerBehaviour(content="generator", lazy_start=True)
    served = serve(etag_middleware(behaviour.as_wsgi_app()), "GET", [("If-None-Match", '"x"')])
    assert served.raised is None and served.response.status == 200


def test_a_layer_spec_must_name_an_attribute() -> None:
    with pytest.raises(LayerTargetError, match="is not of the form"):
        load_layer("etagspec.caching")
    with pytest.raises(LayerTargetError, match="not callable"):
        LayerTarget(42)  # type: ignore[arg-type]


def test_the_layer_campaign_and_its_findings_agree() -> None:
    import ast
    import re
    from pathlib import Path

    from etagspec.conformance.campaign import load_campaign, load_findings

    root = Path(__file__).parent.parent
    campaign = load_campaign(root / "conformance/targets.toml")
    layers = campaign.in_folder("layers")
    assert len(layers) >= 12 and {entry.kind for entry in layers} == {"layer"}
    confirm = ast.parse((root / "conformance/layers/confirm.py").read_text(encoding="utf-8"))
    functions = {node.name for node in ast.walk(confirm) if isinstance(node, ast.FunctionDef)}
    findings = load_findings(
        root / "conformance/layers/findings.toml",
        [entry.name for entry in layers],
        [check.info.id for check in layer_checks()],
    )
    assert len(findings) >= 50
    for finding in findings:
        named = re.search(r"confirm\.py `(\w+)`", finding.evidence)
        assert named and named.group(1) in functions, finding
    published = (root / "reports/layers/README.md").read_text(encoding="utf-8")
    assert all(f"[{entry.name}]" in published for entry in layers)


@pytest.mark.slow
def test_every_published_layer_finding_is_reproduced_without_the_harness() -> None:
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("flask")
    script = Path(__file__).parent.parent / "conformance/layers/confirm.py"
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_lenient_reading_is_lenient_not_failed() -> None:
    from layer_zoo import ReadsEmptyFieldsAsAbsent

    # The check that finds the lenient reading gets a mutant's budget; the
    # others, which must all pass, the correct layers' budget.
    report = check_layer(
        ReadsEmptyFieldsAsAbsent, max_examples=MUTANT_EXAMPLES, select=["LAYER-COND-1"]
    )
    others = [check.info.id for check in layer_checks("wsgi") if check.info.id != "LAYER-COND-1"]
    rest = check_layer(ReadsEmptyFieldsAsAbsent, max_examples=EXAMPLES, select=others)
    assert _not_passed(report) == {"LAYER-COND-1": "lenient"}
    assert len(rest.results) == len(others) and _not_passed(rest) == {}
    (failure,) = report.results[0].failures
    assert failure.lenient == "AMB-LIST-1"
    assert report.exit_code == 0 and report.failed(strict=True)


def test_the_layer_matrix_writes_reports_and_its_readme(tmp_path: object) -> None:
    from pathlib import Path

    from etagspec.cli import main

    folder = Path(str(tmp_path))
    (folder / "layers").mkdir()
    (folder / "layers" / "one_layer.py").write_text(
        "from tests.layer_zoo import DropsETagOn304, correct_layer\n", encoding="utf-8"
    )
    (folder / "findings.toml").write_text(
        '[[finding]]\ntarget = "drops-etag"\ncheck = "LAYER-304-1"\nclass = "bug"\n'
        'does = "drops ETag on a 304"\nevidence = "a raw call"\n',
        encoding="utf-8",
    )
    campaign = folder / "targets.toml"
    campaign.write_text(
        "[campaign]\nmax_examples = 4\n"
        '[[target]]\nname = "zoo"\ntitle = "the correct layer"\nkind = "layer"\n'
        'wrap = "one_layer:correct_layer"\npackages = ["etagspec", "no-such-dist"]\n'
        '[[target]]\nname = "drops-etag"\ntitle = "a mutant"\nkind = "layer"\n'
        'wrap = "one_layer:DropsETagOn304"\n',
        encoding="utf-8",
    )
    out, err = folder / "out", io.StringIO()
    assert main(["matrix", str(campaign), "--out", str(out)], io.StringIO(), err) == 0, (
        err.getvalue()
    )
    readme = (out / "layers" / "README.md").read_text(encoding="utf-8")
    assert "| [`zoo`](zoo/report.md) |" in readme and "drops ETag on a 304" in readme
    assert "| LAYER-304-1 | MUST | ✅ | [❌](drops-etag/report.html#check-LAYER-304-1) |" in readme
    assert "not yet analysed" not in readme and "no-such-dist not installed" in readme
    assert (out / "layers" / "drops-etag" / "report.json").exists()
    assert not (out / "matrix.json").exists()  # no app or server in this campaign
    campaign.write_text(
        '[[target]]\nname = "Bad Name"\ntitle = "t"\nkind = "layer"\nwrap = "m:w"\n', "utf-8"
    )
    assert main(["matrix", str(campaign), "--out", str(out)], io.StringIO(), err) == 2
    assert "must be lowercase" in err.getvalue()
