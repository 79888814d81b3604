"""The campaign (``etagspec matrix``): targets.toml and findings.toml
validation, real servers, the matrix pages, and the published ``reports/``.

(a) The committed ``reports/`` agree with themselves and with
``conformance/findings.toml`` (skipped until ``reports/`` exists).
(b) The regeneration command works end to end on ``reference`` and ``webob``,
in one process and in two (``--jobs 2``).
(c) Unit tests: validation errors, unavailable targets, servers, renderers.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import socket
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest
from target_sources import IGNORES_PRECONDITIONS

from etagspec.cli import main
from etagspec.conformance import registered_checks
from etagspec.conformance.campaign import (
    Deviation,
    InvalidCampaign,
    load_campaign,
    load_campaign_findings,
    load_findings,
)
from etagspec.conformance.layers.checks import layer_checks
from etagspec.conformance.matrix import package_versions, run_matrix
from etagspec.conformance.matrix_model import (
    REFERENCE,
    Column,
    Matrix,
    MatrixCheck,
    column_from_report,
)
from etagspec.conformance.model import (
    CheckInfo,
    CheckResult,
    Level,
    Report,
    Status,
    TargetInfo,
)
from etagspec.conformance.report.matrix_html import NOT_ANALYSED, render_matrix_html
from etagspec.conformance.report.matrix_md import render_matrix_markdown
from etagspec.conformance.servers import (
    ServerUnavailable,
    find_binary,
    running_server,
)

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT / "conformance"
TARGETS_TOML = CONFORMANCE / "targets.toml"
REPORTS = ROOT / "reports"
CHECK_IDS = [item.info.id for item in registered_checks()]
#: The targets of the top matrix (apps and servers; the layers have theirs).
TOP_NAMES = [entry.name for entry in load_campaign(TARGETS_TOML).in_folder("")]

# -- reading the matrix pages back ------------------------------------------------

_HTML_CELL = re.compile(
    r'<td class="cell ([a-z]+)" data-target="([^"]+)" data-check="([^"]+)" '
    r'data-status="([a-z]+)"'
)
_MD_SYMBOLS = {
    "✅": "passed",
    "❌": "failed",
    "⚠️": "warned",
    "🟦": "lenient",
    "⏭": "skipped",
    "—": "none",
    "🚫": "unsupported",  # a failed or warned check, every cause an unsupported field
}
_MD_LINK = re.compile(r"\[(.+?)\]\(([^)]*)\)")


def html_cells(page: str) -> dict[tuple[str, str], str]:
    """(target, check) → status as index.html shows it."""
    return {
        (t, c): "unsupported" if css == "unsupported" else s
        for css, t, c, s in _HTML_CELL.findall(page)
    }


def markdown_cells(text: str) -> dict[tuple[str, str], str]:
    """(target, check) → status as README.md's matrix table shows it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Check | Level |"))
    targets = [cell.strip() for cell in lines[start].strip("|").split("|")][2:]
    cells: dict[tuple[str, str], str] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = [cell.strip() for cell in line.strip("|").split("|")]
        check = row[0].replace("\\", "")
        for target, cell in zip(targets, row[2:], strict=True):
            symbol = _MD_LINK.sub(r"\1", cell)
            cells[(target.replace("\\", ""), check)] = _MD_SYMBOLS[symbol]
    return cells


def report_cells(reports: Path, names: list[str]) -> dict[tuple[str, str], str]:
    """(target, check) → status from each target's report.json."""
    cells: dict[tuple[str, str], str] = {}
    for name in names:
        report_file = reports / name / "report.json"
        if report_file.exists():
            data = json.loads(report_file.read_text(encoding="utf-8"))
            for check in data["checks"]:
                status = check["status"]
                if status in ("failed", "warned") and check.get("class") == "unsupported":
                    status = "unsupported"
                cells[(name, check["id"])] = status
    return cells


def shown_status(column: Column, check: str, status: Status) -> str:
    """How a matrix.json cell is shown: its status, or ``unsupported`` for a
    failed or warned check the diagnosis classes unsupported."""
    if status in (Status.FAILED, Status.WARNED) and column.check_class(check) == "unsupported":
        return "unsupported"
    return status.value


def shown_cells(cells: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    return {key: status for key, status in cells.items() if status != "none"}


# -- (a) the published reports ----------------------------------------------------

published = pytest.mark.skipif(
    not REPORTS.is_dir(), reason="reports/ not generated yet (make reports)"
)


@pytest.fixture(scope="module")
def committed() -> tuple[Matrix, list[str]]:
    campaign = load_campaign(TARGETS_TOML)
    layer_ids = [check.info.id for check in layer_checks()]
    findings = load_campaign_findings(campaign, CHECK_IDS + layer_ids)
    data = json.loads((REPORTS / "matrix.json").read_text(encoding="utf-8"))
    shown = [f for f in findings if f.target in TOP_NAMES and f.check in CHECK_IDS]
    return Matrix.from_json(data, shown), TOP_NAMES


@published
def test_every_committed_report_parses_and_names_its_target() -> None:
    names = TOP_NAMES
    folders = [path.parent for path in REPORTS.glob("*/report.json")]
    assert folders, "reports/ holds no report.json"
    for folder in folders:
        data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        assert folder.name in names, f"{folder} is not a target of targets.toml"
        assert data["target"]["name"] == folder.name
        assert {check["id"] for check in data["checks"]} == set(CHECK_IDS)
        for other in ("report.html", "report.md", "junit.xml"):
            assert (folder / other).is_file(), f"{folder / other} is missing"


@published
def test_the_matrix_pages_show_what_the_reports_say(committed: tuple[Matrix, list[str]]) -> None:
    matrix, names = committed
    from_reports = report_cells(REPORTS, names)
    # matrix.json's own statuses and classes, read the way the pages read
    # them: a failed or warned check whose deviations are all classed
    # unsupported shows as unsupported.
    from_json = {
        (column.name, check): shown_status(column, check, status)
        for column in matrix.columns
        for check, status in column.statuses.items()
    }
    from_html = shown_cells(html_cells((REPORTS / "index.html").read_text(encoding="utf-8")))
    from_md = shown_cells(markdown_cells((REPORTS / "README.md").read_text(encoding="utf-8")))
    assert [column.name for column in matrix.columns] == names
    assert from_json == from_reports
    assert from_html == from_reports
    assert from_md == from_reports


@published
def test_the_campaign_covers_at_least_twelve_targets(committed: tuple[Matrix, list[str]]) -> None:
    matrix, _ = committed
    ran = [column.name for column in matrix.columns if column.unavailable is None]
    unavailable = {c.name: c.unavailable for c in matrix.columns if c.unavailable is not None}
    assert len(ran) >= 12, f"only {ran} ran; unavailable: {unavailable}"


@published
def test_the_reference_has_no_failure(committed: tuple[Matrix, list[str]]) -> None:
    matrix, _ = committed
    reference = matrix.column(REFERENCE)
    assert reference.unavailable is None
    bad = {c: s.value for c, s in reference.statuses.items() if s in (Status.FAILED, Status.WARNED)}
    assert not bad


@published
def test_every_framework_failure_has_a_finding(committed: tuple[Matrix, list[str]]) -> None:
    matrix, _ = committed
    missing = matrix.unanalysed((Status.FAILED,))
    listed = "\n".join(f"  {target} {check}" for target, check in missing)
    assert not missing, f"{len(missing)} failures need a [[finding]] in findings.toml:\n{listed}"


@published
def test_every_finding_explains_a_failed_or_warned_check(
    committed: tuple[Matrix, list[str]],
) -> None:
    matrix, _ = committed
    stale = [
        (f.target, f.check)
        for f in matrix.findings
        if matrix.column(f.target).status(f.check)
        not in (Status.FAILED, Status.WARNED, Status.LENIENT)
    ]
    assert not stale, f"findings for checks that do not fail: {stale}"


@published
def test_no_finding_disagrees_with_the_class_the_harness_derived(
    committed: tuple[Matrix, list[str]],
) -> None:
    # findings.toml keeps human commentary; the class comes from the
    # diagnosis (bug, unsupported, lenient, server-duty) wherever a
    # report.json carries one.
    matrix, _ = committed
    assert not matrix.class_disagreements()


@published
def test_no_finding_names_a_deviation_the_reports_no_longer_have(
    committed: tuple[Matrix, list[str]],
) -> None:
    # findings.toml is keyed by (target, deviation ID) where it records a
    # class: a note whose deviation the report no longer has is stale.
    matrix, _ = committed
    assert not matrix.stale_findings()


@published
def test_every_classed_finding_names_a_deviation_of_its_check(
    committed: tuple[Matrix, list[str]],
) -> None:
    # The class a note records belongs to one deviation, which its check
    # must have met (a target whose report has no diagnosis is not judged).
    matrix, _ = committed
    wrong = []
    for note in matrix.findings:
        column = matrix.column(note.target)
        ids = {cause.id: cause.checks for cause in column.causes if cause.id}
        if ids and note.check not in ids.get(note.deviation, ()):
            wrong.append((note.target, note.check, note.deviation))
    assert not wrong, wrong


@published
def test_a_finding_is_classed_as_its_cell_reads(committed: tuple[Matrix, list[str]]) -> None:
    # A lenient cell is explained as lenient, never charged as a bug.
    matrix, _ = committed
    wrong = [
        (f.target, f.check, f.kind)
        for f in matrix.findings
        if (matrix.column(f.target).status(f.check) is Status.LENIENT) != (f.kind == "lenient")
    ]
    assert not wrong, wrong


@published
def test_every_failure_link_points_at_a_section_of_the_report(
    committed: tuple[Matrix, list[str]],
) -> None:
    matrix, _ = committed
    page = (REPORTS / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([a-z0-9-]+)/report\.html#([^"]+)"', page)
    assert len(links) >= sum(1 for _ in matrix.cells())
    for target, anchor in set(links):
        report_page = (REPORTS / target / "report.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in report_page, f"{target}/report.html has no #{anchor}"


# -- (b) the regeneration command, end to end ---------------------------------------


def run_cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, err.getvalue()


#: Two in-process targets of the committed campaign: the reference (passes
#: everything) and WebOb (with findings, even at one example per check and
#: path, the campaign's cheapest budget). ``--kind wsgi``: not the parser
#: target named webob.
REGENERATED = ("--only", "reference", "--only", "webob", "--kind", "wsgi", "--max-examples", "1")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """The two targets regenerated by one process (one run for the tests of
    this module that read it): the output folder, exit status and stderr."""
    out = tmp_path_factory.mktemp("regenerated") / "reports"
    code, err = run_cli("matrix", str(TARGETS_TOML), "--out", str(out), *REGENERATED)
    return out, code, err


def test_regenerating_reference_and_webob_writes_reports_and_matrix(
    regenerated: tuple[Path, int, str],
) -> None:
    out, code, err = regenerated
    assert code == 0, err
    assert "[1/2] reference" in err and "[2/2] webob" in err
    for name in ("reference", "webob"):
        data = json.loads((out / name / "report.json").read_text(encoding="utf-8"))
        assert data["target"]["name"] == name
        assert data["max_examples"] == 1
        assert (out / name / "report.html").is_file() and (out / name / "junit.xml").is_file()
    matrix = Matrix.from_json(json.loads((out / "matrix.json").read_text(encoding="utf-8")))
    names = TOP_NAMES
    assert [column.name for column in matrix.columns] == names
    assert matrix.column("reference").summary["failed"] == 0
    assert dict(matrix.column("webob").versions)["WebOb"] == package_versions(["WebOb"])[0][1]
    assert matrix.column("nginx").unavailable == "not run yet"
    from_reports = report_cells(out, names)
    assert len(from_reports) == 2 * len(CHECK_IDS)
    assert shown_cells(html_cells((out / "index.html").read_text(encoding="utf-8"))) == (
        from_reports
    )
    assert shown_cells(markdown_cells((out / "README.md").read_text(encoding="utf-8"))) == (
        from_reports
    )


def verdicts(report: dict[str, Any]) -> dict[str, str]:
    """Each check's status in a report.json."""
    return {check["id"]: check["status"] for check in report["checks"]}


def test_parallel_targets_write_what_one_process_writes(
    regenerated: tuple[Path, int, str], tmp_path: Path
) -> None:
    # ``--jobs 2``: the two targets run in parallel processes.
    alone, code, _ = regenerated
    assert code == 0
    spread = tmp_path / "spread"
    code, said = run_cli(
        "matrix", str(TARGETS_TOML), "--out", str(spread), *REGENERATED, "--jobs", "2"
    )
    assert code == 0, said
    assert said.index("[1/2] reference") < said.index("[2/2] webob")  # the campaign's order
    # Every check's verdict (a failure's Date header differs, as in any rerun).
    for name in ("reference", "webob"):
        one = json.loads((alone / name / "report.json").read_text(encoding="utf-8"))
        other = json.loads((spread / name / "report.json").read_text(encoding="utf-8"))
        assert verdicts(other) == verdicts(one), name
        assert "failed" in verdicts(one).values() or name == "reference"  # a failure is compared
    matrix = (alone / "matrix.json").read_text(encoding="utf-8")
    assert (spread / "matrix.json").read_text(encoding="utf-8") == matrix


# -- (c) targets.toml and findings.toml ---------------------------------------------

GOOD_TARGET = """
[[target]]
name = "one"
title = "One"
kind = "wsgi"
app = "mod:app"
paths = ["/"]
"""


def write(tmp_path: Path, text: str, name: str = "targets.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_committed_campaign_loads() -> None:
    campaign = load_campaign(TARGETS_TOML)
    assert len(campaign.targets) >= 12
    assert campaign.names[0] == REFERENCE
    assert campaign.apps == CONFORMANCE / "apps"
    kinds = {"wsgi", "asgi", "server", "layer", "parser"}
    assert {entry.kind for entry in campaign.targets} == kinds
    for entry in campaign.targets:
        assert (entry.app is None) == (entry.kind in ("server", "layer", "parser"))
        assert (entry.wrap is None) == (entry.kind != "layer")
        assert (entry.adapter is None) == (entry.kind != "parser")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[campaign]\nseed = 1\n", "no [[target]] entries"),
        (GOOD_TARGET + "colour = 'red'\n", "#1 ('one'): unknown key(s) 'colour'"),
        (
            GOOD_TARGET.replace('"wsgi"', '"cgi"'),
            "kind 'cgi' is not one of wsgi, asgi, server, layer",
        ),
        (GOOD_TARGET.replace('"one"', '"../one"'), "name '../one' must be lowercase"),
        (GOOD_TARGET.replace('["/"]', "[]"), "'paths' must name at least one path"),
        (GOOD_TARGET.replace('["/"]', '["doc"]'), "'paths' has 'doc'"),
        (GOOD_TARGET.replace('app = "mod:app"\n', ""), "#1 ('one'): 'app' is missing"),
        (GOOD_TARGET + "server = 'nginx'\n", "a 'wsgi' target takes 'app', not 'server'"),
        (GOOD_TARGET + GOOD_TARGET, "two targets are named 'one'"),
        ("[campaign]\nmax_examples = 0\n" + GOOD_TARGET, "'max_examples' must be an integer >= 1"),
        ("[campain]\n" + GOOD_TARGET, "unknown table(s) 'campain'"),
        (GOOD_TARGET + "paths = ['/again']\n", "is not valid TOML"),
        (
            GOOD_TARGET.replace('kind = "wsgi"\napp = "mod:app"', 'kind = "server"'),
            "'server' is missing",
        ),
    ],
)
def test_an_invalid_targets_toml_names_the_bad_entry(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InvalidCampaign) as caught:
        load_campaign(write(tmp_path, text))
    assert message in str(caught.value)


def test_a_missing_targets_toml_is_an_invalid_campaign(tmp_path: Path) -> None:
    with pytest.raises(InvalidCampaign, match="cannot read"):
        load_campaign(tmp_path / "nothing.toml")


FINDING = """
[[finding]]
target = "one"
check = "COND-IM-4a"
does = "answers 412 to `If-Match: *`"
evidence = "somewhere"
"""


def test_findings_load() -> None:
    path = CONFORMANCE / "findings.toml"
    if not path.exists():
        pytest.skip("conformance/findings.toml not written yet")
    campaign = load_campaign(TARGETS_TOML)
    findings = load_findings(path, campaign.names, CHECK_IDS)
    assert all(finding.does.strip() for finding in findings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (FINDING.replace('"one"', '"two"'), "no target named 'two'"),
        (FINDING.replace("COND-IM-4a", "COND-XX-9"), "no check with ID 'COND-XX-9'"),
        (FINDING + FINDING, "#2 (one COND-IM-4a): a second finding"),
        (FINDING.replace('"somewhere"', '""'), "'evidence' must be a non-empty string"),
        (FINDING.replace('does = "answers', 'does = """\nanswers').replace('*`"', '*`\nnow"""'),
         "'does' must be one line"),
        (FINDING + "seen = true\n", "unknown key(s) 'seen'"),
        (FINDING + 'class = "feature"\n', "'class' must be one of bug, lenient, unsupported"),
    ],
)  # fmt: skip
def test_an_invalid_finding_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidCampaign) as caught:
        load_findings(write(tmp_path, text, "findings.toml"), ["one"], CHECK_IDS)
    assert message in str(caught.value)


def test_a_valid_finding_loads(tmp_path: Path) -> None:
    path = write(tmp_path, FINDING, "findings.toml")
    assert load_findings(path, ["one"], CHECK_IDS) == (
        Deviation("one", "COND-IM-4a", "answers 412 to `If-Match: *`", "somewhere"),
    )
    keyed = write(tmp_path, FINDING + 'deviation = "STAR-AS-TAG@If-Match"\n', "keyed.toml")
    (note,) = load_findings(keyed, ["one"], CHECK_IDS)
    assert note.deviation == "STAR-AS-TAG@If-Match"


# -- (c) targets that cannot run, and the exit status -------------------------------


#: A campaign target: nginx, whose binary is not there.
ABSENT_NGINX: Final = """
        [[target]]
        name = "nginx"
        title = "nginx, not there"
        kind = "server"
        server = "nginx"
        binary = "/nonexistent/bin/nginx"
        paths = ["/hello.txt"]
        """


@pytest.fixture
def campaign_dir(tmp_path: Path) -> Callable[[str], Path]:
    """A campaign directory with an apps/ folder holding ``broken_app`` (the
    app ignores every precondition); returns a writer of its targets.toml."""
    apps = tmp_path / "apps"
    apps.mkdir()
    (apps / "broken_app_for_matrix.py").write_text(
        textwrap.dedent(IGNORES_PRECONDITIONS), encoding="utf-8"
    )

    def write_toml(text: str) -> Path:
        return write(tmp_path, "[campaign]\nmax_examples = 1\n" + textwrap.dedent(text))

    return write_toml


def test_a_server_that_cannot_start_is_reported_unavailable(
    tmp_path: Path, campaign_dir: Callable[[str], Path]
) -> None:
    toml = campaign_dir(ABSENT_NGINX)
    out = tmp_path / "out"
    err = io.StringIO()
    assert run_matrix(load_campaign(toml), out, err=err) == 1
    assert "error: nginx could not run: '/nonexistent/bin/nginx' not found" in err.getvalue()
    column = Matrix.from_json(json.loads((out / "matrix.json").read_text("utf-8"))).columns[0]
    assert column.unavailable is not None and "not found" in column.unavailable
    assert "unavailable: &#x27;/nonexistent/bin/nginx&#x27; not found" in (
        (out / "index.html").read_text("utf-8")
    )
    assert "**unavailable: '/nonexistent/bin/nginx' not found" in (
        (out / "README.md").read_text("utf-8")
    )
    assert not (out / "nginx").exists()


def test_an_app_that_cannot_be_imported_is_unavailable_and_the_rest_still_runs(
    tmp_path: Path, campaign_dir: Callable[[str], Path]
) -> None:
    toml = campaign_dir(
        """
        [[target]]
        name = "missing"
        title = "an app module that does not exist"
        kind = "wsgi"
        app = "no_such_module_for_matrix:app"
        paths = ["/"]

        [[target]]
        name = "broken"
        title = "ignores preconditions"
        kind = "wsgi"
        app = "broken_app_for_matrix:app"
        paths = ["/"]
        """
    )
    out = tmp_path / "out"
    err = io.StringIO()
    assert run_matrix(load_campaign(toml), out, err=err) == 1  # a target could not run
    matrix = Matrix.from_json(json.loads((out / "matrix.json").read_text("utf-8")))
    missing, broken = matrix.columns
    assert missing.unavailable is not None and "no_such_module_for_matrix" in missing.unavailable
    assert broken.unavailable is None and broken.summary["failed"] > 0
    assert NOT_ANALYSED in (out / "README.md").read_text("utf-8")
    assert "have no finding" in err.getvalue()


def test_framework_failures_do_not_fail_the_campaign_but_reference_failures_do(
    tmp_path: Path, campaign_dir: Callable[[str], Path]
) -> None:
    entry = """
        [[target]]
        name = "{name}"
        title = "ignores preconditions"
        kind = "wsgi"
        app = "broken_app_for_matrix:app"
        paths = ["/"]
        """
    framework = load_campaign(campaign_dir(entry.format(name="framework")))
    assert run_matrix(framework, tmp_path / "a", err=io.StringIO()) == 0
    reference = load_campaign(campaign_dir(entry.format(name=REFERENCE)))
    err = io.StringIO()
    assert run_matrix(reference, tmp_path / "b", err=err) == 1
    assert "error: the reference does not pass" in err.getvalue()


def test_only_merges_into_the_existing_matrix(
    tmp_path: Path, campaign_dir: Callable[[str], Path]
) -> None:
    toml = campaign_dir(
        """
        [[target]]
        name = "broken"
        title = "ignores preconditions"
        kind = "wsgi"
        app = "broken_app_for_matrix:app"
        paths = ["/"]
        packages = ["WebOb"]

        """
        + ABSENT_NGINX
    )
    out = tmp_path / "out"
    campaign = load_campaign(toml)
    run_matrix(campaign, out, only=["broken"], err=io.StringIO())
    first = json.loads((out / "matrix.json").read_text("utf-8"))
    assert first["targets"][1]["unavailable"] == "not run yet"
    run_matrix(campaign, out, only=["nginx"], err=io.StringIO())
    second = json.loads((out / "matrix.json").read_text("utf-8"))
    assert second["targets"][0] == first["targets"][0]  # re-read from broken/report.json
    assert "not found" in second["targets"][1]["unavailable"]
    with pytest.raises(InvalidCampaign, match="--only: no target named 'nope'"):
        run_matrix(campaign, out, only=["nope"], err=io.StringIO())


def test_a_kept_report_adds_the_checks_the_catalogue_lacks_as_rows(
    tmp_path: Path, campaign_dir: Callable[[str], Path]
) -> None:
    toml = campaign_dir(
        """
        [[target]]
        name = "older"
        title = "a report from an older catalogue"
        kind = "wsgi"
        app = "broken_app_for_matrix:app"
        paths = ["/"]

        """
        + ABSENT_NGINX
    )
    out = tmp_path / "out"
    retired = {"id": "OLD-1", "title": "retired", "level": "MUST", "rfc": "§0", "status": "passed"}
    (out / "older").mkdir(parents=True)
    (out / "older" / "report.json").write_text(
        json.dumps(
            {
                "target": {"name": "older", "kind": "wsgi"},
                "seed": 1,
                "max_examples": 1,
                "checks": [retired],
            }
        ),
        encoding="utf-8",
    )
    run_matrix(load_campaign(toml), out, only=["nginx"], err=io.StringIO())
    matrix = Matrix.from_json(json.loads((out / "matrix.json").read_text("utf-8")))
    assert [check.id for check in matrix.checks] == [*CHECK_IDS, "OLD-1"]
    assert matrix.checks[-1] == MatrixCheck("OLD-1", "retired", "MUST", "§0")
    assert matrix.column("older").status("OLD-1") is Status.PASSED


def test_the_command_reports_usage_errors_with_status_2(tmp_path: Path) -> None:
    bad = write(tmp_path, GOOD_TARGET.replace('"wsgi"', '"cgi"'))
    code, err = run_cli("matrix", str(bad), "--out", str(tmp_path / "out"))
    assert code == 2 and "kind 'cgi'" in err
    code, err = run_cli("matrix", str(TARGETS_TOML), "--out", str(tmp_path), "--only", "nope")
    assert code == 2 and "no target named 'nope'" in err
    code, err = run_cli("matrix", str(TARGETS_TOML), "--out", str(tmp_path), "--max-examples", "0")
    assert code == 2


# -- (c) real servers ---------------------------------------------------------------


def _installed(binary: str) -> bool:
    try:
        find_binary(binary)
    except ServerUnavailable:
        return False
    return True


@pytest.mark.parametrize(
    ("server", "binary"),
    [
        pytest.param(
            "nginx",
            "nginx",
            marks=pytest.mark.skipif(not _installed("nginx"), reason="nginx not installed"),
        ),
        pytest.param(
            "apache",
            "apache2",
            marks=pytest.mark.skipif(not _installed("apache2"), reason="apache2 not installed"),
        ),
    ],
)
def test_a_real_server_serves_the_static_files_and_is_stopped(server: str, binary: str) -> None:
    with running_server(
        server, docroot=CONFORMANCE / "static", templates=CONFORMANCE / "servers"
    ) as running:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        connection.request("GET", "/hello.txt")
        response = connection.getresponse()
        body = response.read()
        etag = response.getheader("ETag")
        connection.request("GET", "/hello.txt", headers={"If-None-Match": str(etag)})
        revalidated = connection.getresponse()
        revalidated.read()
        connection.close()
        prefix = running.prefix
    assert response.status == 200 and etag is not None
    assert body == (CONFORMANCE / "static" / "hello.txt").read_bytes()
    assert revalidated.status == 304
    assert re.match(r"\d+\.\d+", running.version)
    assert not prefix.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", running.port), 1):
        pass


@pytest.mark.skipif(not _installed("nginx"), reason="nginx not installed")
def test_a_server_whose_config_is_broken_is_unavailable_with_its_error(tmp_path: Path) -> None:
    (tmp_path / "nginx.conf").write_text("events {}\nhttp { listen nowhere; }\n", "utf-8")
    with (
        pytest.raises(ServerUnavailable, match=r"nginx exited with status 1: .*listen"),
        running_server("nginx", docroot=CONFORMANCE / "static", templates=tmp_path),
    ):
        pass  # pragma: no cover - never reached


def test_an_unknown_server_is_unavailable() -> None:
    with (
        pytest.raises(ServerUnavailable, match="no server named 'lighttpd'"),
        running_server("lighttpd", docroot=CONFORMANCE / "static", templates="."),
    ):
        pass  # pragma: no cover - never reached


# -- (c) the matrix renderers --------------------------------------------------------

ROWS = (
    MatrixCheck("COND-IM-4a", "If-Match *", "MUST", "RFC 9110 §13.1.1"),
    MatrixCheck("CC-8", "Cache-Control once", "SHOULD", "RFC 9111 §4.2.1"),
    MatrixCheck("VAL-200-1", "a validator on 200", "SHOULD", "RFC 9110 §8.8"),
)


def hand_made_matrix() -> Matrix:
    flask = Column(
        "flask-view",
        "Flask <view> & make_conditional",
        "wsgi",
        versions=(("Flask", "3.1.3"),),
        statuses={"COND-IM-4a": Status.FAILED, "CC-8": Status.WARNED, "VAL-200-1": Status.PASSED},
        seed=1,
        max_examples=5,
    )
    nginx = Column("nginx", "nginx", "server", unavailable="'nginx' not found")
    finding = Deviation(
        "flask-view", "COND-IM-4a", "answers 412 to `If-Match: *` | <b>", "werkzeug/http.py"
    )
    return Matrix("0.1.0", 1, 5, "3.11.7", ROWS, (flask, nginx), (finding,))


def test_the_html_matrix_links_failures_and_states_findings() -> None:
    page = render_matrix_html(hand_made_matrix())
    assert html_cells(page) == {
        ("flask-view", "COND-IM-4a"): "failed",
        ("flask-view", "CC-8"): "warned",
        ("flask-view", "VAL-200-1"): "passed",
        ("nginx", "COND-IM-4a"): "none",
        ("nginx", "CC-8"): "none",
        ("nginx", "VAL-200-1"): "none",
    }
    assert 'href="flask-view/report.html#check-COND-IM-4a"' in page
    assert "answers 412 to <code>If-Match: *</code> | &lt;b&gt;" in page
    assert "<b>" not in page and "<view>" not in page
    not_analysed = (
        '<a href="flask-view/report.html#check-CC-8"><code>CC-8</code></a> '
        f'(SHOULD, RFC 9111 §4.2.1): <em class="note">{NOT_ANALYSED}'
    )
    assert not_analysed in page
    assert "unavailable: &#x27;nginx&#x27; not found" in page
    assert "Flask 3.1.3" in page and "<code>1</code>" in page
    assert "script" not in page.replace("default-src", "")


def test_the_markdown_matrix_matches_the_html_one() -> None:
    matrix = hand_made_matrix()
    text = render_matrix_markdown(matrix)
    assert markdown_cells(text) == html_cells(render_matrix_html(matrix))
    assert (
        "- ❌ [COND-IM-4a](flask-view/report.html#check-COND-IM-4a) (MUST, RFC 9110 §13.1.1): "
        "answers 412 to `If-Match: *` \\| \\<b\\>" in text
    )
    assert f"(SHOULD, RFC 9111 §4.2.1): *{NOT_ANALYSED}*" in text
    assert "| `nginx` | nginx | server | — | **unavailable: 'nginx' not found** |" in text
    assert matrix.unanalysed() == [("flask-view", "CC-8")]
    assert matrix.unanalysed((Status.FAILED,)) == []


def test_a_column_holds_what_the_report_says() -> None:
    infos = [
        CheckInfo("COND-IM-4a", "t", "§13.1.1", Level.MUST, "r"),
        CheckInfo("CC-8", "t", "§4.2.1", Level.SHOULD, "r"),
        CheckInfo("COND-IM-5", "t", "§13.1.1", Level.MUST, "r", unsafe=True),
    ]
    statuses = [Status.FAILED, Status.PASSED, Status.SKIPPED]
    report = Report(
        target=TargetInfo("webob", "wsgi", ("/hello.txt",)),
        seed=7,
        max_examples=3,
        strict=False,
        version="0.1.0",
        results=tuple(CheckResult(i, s) for i, s in zip(infos, statuses, strict=True)),
    )
    column = column_from_report(report.to_json(), title="WebOb", versions=[("WebOb", "1.8")])
    assert column.statuses == {i.id: s for i, s in zip(infos, statuses, strict=True)}
    assert column.summary == report.summary
    assert (column.name, column.kind, column.seed, column.max_examples) == ("webob", "wsgi", 7, 3)
    assert Column.from_json(json.loads(json.dumps(column.to_json()))) == column


@pytest.mark.skipif(not _installed("nginx"), reason="nginx not installed")
def test_a_server_is_stopped_on_ctrl_c() -> None:
    with (
        pytest.raises(KeyboardInterrupt),
        running_server(
            "nginx", docroot=CONFORMANCE / "static", templates=CONFORMANCE / "servers"
        ) as running,
    ):
        socket.create_connection(("127.0.0.1", running.port), 1).close()
        raise KeyboardInterrupt
    assert not running.prefix.exists()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", running.port), 1):
        pass
