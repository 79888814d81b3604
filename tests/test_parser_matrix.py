"""The parser matrix (reports/parsers/): parser targets of the one campaign
file, run by the one ``etagspec matrix``, each finding joined with a direct
call that confirms it, and the published page holding at least six
third-party parsers or formatters, every finding confirmed."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import textwrap
from pathlib import Path

import pytest

from etagspec.cli import main as etagspec_main
from etagspec.conformance.campaign import KINDS, load_campaign
from etagspec.conformance.matrix_model import Matrix
from etagspec.conformance.model import Status


def main(argv: list[str]) -> int:
    """``etagspec matrix TOML --out DIR``, quietly."""
    toml, _, out = argv
    return etagspec_main(["matrix", toml, "--out", out], out=io.StringIO(), err=io.StringIO())


REPO = Path(__file__).resolve().parent.parent
STAR_IS_A_TAG = """
    from etagspec.conformance.parsers.reference import parse_etags as strict

    NAME = "star reader"

    def parse_etags(text):
        return [(False, "*")] if text.strip() == "*" else strict(text)
"""
CONFIRM = """
    from dataclasses import dataclass
    from typing import Callable


    @dataclass
    class Confirmation:
        parser: str
        check: str
        input: object
        says: str
        run: Callable[[], None]


    CONFIRMATIONS = [Confirmation("star", "PARSE-LIST-3", "*", "reads * as a tag", lambda: None)]
"""


def campaign(tmp_path: Path, confirmations: str) -> Path:
    (tmp_path / "star_adapter.py").write_text(textwrap.dedent(STAR_IS_A_TAG))
    (tmp_path / "confirm.py").write_text(textwrap.dedent(confirmations))
    config = tmp_path / "targets.toml"
    config.write_text(
        textwrap.dedent("""
        [campaign]
        max_examples = 5
        confirm = "confirm.py"

        [[target]]
        name = "star"
        title = "reads * as a tag"
        kind = "parser"
        adapter = "star_adapter.py"

        [[target]]
        name = "etagspec"
        title = "ours"
        kind = "parser"
        adapter = "etagspec.conformance.parsers.reference"
        packages = ["etagspec"]
        """)
    )
    return config


@pytest.fixture(scope="module")
def confirmed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one ``etagspec matrix`` run of the campaign whose one
    finding is confirmed, shared by the tests that only read what it wrote."""
    tmp_path = tmp_path_factory.mktemp("confirmed")
    config = campaign(tmp_path, CONFIRM)
    assert main([str(config), "--out", str(tmp_path / "out")]) == 0
    return tmp_path


def test_a_parser_target_writes_its_matrix_through_etagspec_matrix(confirmed_run: Path) -> None:
    tmp_path = confirmed_run
    folder = tmp_path / "out" / "parsers"
    data = json.loads((folder / "matrix.json").read_text(encoding="utf-8"))
    matrix = Matrix.from_json(data)
    assert matrix.parsers and not matrix.layers
    assert [column.name for column in matrix.columns] == ["star", "etagspec"]
    assert matrix.column("star").status("PARSE-LIST-3") is Status.FAILED
    assert matrix.column("etagspec").kind == "parser"
    assert {"star.md", "star.json", "etagspec.md", "README.md"} <= {
        path.name for path in folder.iterdir()
    }
    assert not (tmp_path / "out" / "README.md").exists()  # no app target, no top matrix


def test_a_parser_that_cannot_load_is_shown_unavailable(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM)
    with config.open("a", encoding="utf-8") as file:
        file.write('[[target]]\nname = "gone"\ntitle = "G"\nkind = "parser"\n')
        file.write('adapter = "no_such_adapter_module_here"\n')
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "parsers" / "README.md").read_text(encoding="utf-8")
    assert "* **gone**: G: **unavailable**: " in page
    assert "| [star](star.md) | ✓ | ✓ | ✗ |" in page


def test_kind_parser_reruns_the_parsers_alone(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM)
    with config.open("a", encoding="utf-8") as file:
        file.write('[[target]]\nname = "broken"\ntitle = "B"\nkind = "wsgi"\n')
        file.write('app = "no_such_module_here:app"\npaths = ["/"]\n')
    out, err = tmp_path / "out", io.StringIO()
    argv = ["matrix", str(config), "--out", str(out), "--kind", "parser"]
    assert etagspec_main(argv, out=io.StringIO(), err=err) == 0, err.getvalue()
    assert (out / "parsers" / "matrix.json").is_file()
    assert not (out / "matrix.json").exists() and "broken" not in err.getvalue()


def test_the_matrix_command_knows_every_kind_of_target() -> None:
    from etagspec.cli import MATRIX_KINDS

    assert MATRIX_KINDS == KINDS


def test_the_separate_parser_matrix_entry_point_is_gone() -> None:
    import etagspec.conformance.parsers.matrix as page

    assert not hasattr(page, "main")
    assert not (REPO / "conformance" / "parsers.toml").exists()
    assert "parsers.matrix" not in (REPO / "Makefile").read_text(encoding="utf-8")
    assert importlib.util.find_spec("etagspec.conformance.parsers.matrix") is not None


def test_the_campaign_holds_the_published_parsers() -> None:
    published = load_campaign(REPO / "conformance" / "targets.toml")
    parsers = [entry.name for entry in published.targets if entry.kind == "parser"]
    page = (REPO / "reports" / "parsers" / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| \[([a-z-]+)\]\([a-z-]+\.md\) \|", page, re.MULTILINE)
    assert parsers == listed and len(parsers) >= 7
    data = json.loads((REPO / "reports" / "parsers" / "matrix.json").read_text(encoding="utf-8"))
    assert [column.name for column in Matrix.from_json(data).columns] == parsers


def test_a_confirmed_finding_is_shown_with_its_direct_call(confirmed_run: Path) -> None:
    tmp_path = confirmed_run
    page = (tmp_path / "out" / "parsers" / "README.md").read_text(encoding="utf-8")
    assert "| [star](star.md) | ✓ | ✓ | ✗ |" in page
    assert "confirmed: reads * as a tag" in page
    assert (tmp_path / "out" / "parsers" / "etagspec.json").is_file()


def test_an_unconfirmed_finding_fails_the_matrix(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace('"PARSE-LIST-3"', '"PARSE-LIST-1"'))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "parsers" / "README.md").read_text(encoding="utf-8")
    assert "**not confirmed**" in page


def test_a_confirmation_of_another_input_confirms_nothing(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace('"*", "reads', '" * ", "reads'))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "parsers" / "README.md").read_text(encoding="utf-8")
    assert "**not confirmed** (confirm.py calls it on ' * ')" in page


def test_a_failing_confirmation_is_shown(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace("lambda: None", "lambda: 1 / 0"))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "parsers" / "README.md").read_text(encoding="utf-8")
    assert "**confirmation failed**" in page and "ZeroDivisionError" in page


def test_the_published_matrix_confirms_six_third_party_parsers() -> None:
    page = (REPO / "reports" / "parsers" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[([a-z-]+)\]\([a-z-]+\.md\) \|(.*)\|$", page, re.MULTILINE)
    third_party = [name for name, cells in rows if not name.startswith(("etagspec", "seed"))]
    assert len(third_party) >= 5 and all("✗" in cells or "~" in cells for _, cells in rows[:5])
    functions = re.findall(r"^\* \*\*([a-z-]+)\*\*: .*functions checked: (.*)$", page, re.MULTILINE)
    checked = sum(len(listed.split(", ")) for name, listed in functions if name in third_party)
    assert checked >= 6
    assert "**not confirmed**" not in page and "**confirmation failed**" not in page
    assert page.count("confirmed: ") >= 20
