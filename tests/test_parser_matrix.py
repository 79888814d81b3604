"""The parser matrix (reports/parsers/): each finding joined with a direct
call that confirms it, and the published page holding at least six
third-party parsers or formatters, every finding confirmed."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from etagspec.conformance.parsers.matrix import main

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
    config = tmp_path / "parsers.toml"
    config.write_text(
        textwrap.dedent("""
        [campaign]
        max_examples = 5
        confirm = "confirm.py"

        [[parser]]
        name = "star"
        title = "reads * as a tag"
        adapter = "star_adapter.py"

        [[parser]]
        name = "etagspec"
        title = "ours"
        adapter = "etagspec.conformance.parsers.reference"
        packages = ["etagspec"]
        """)
    )
    return config


def test_a_confirmed_finding_is_shown_with_its_direct_call(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM)
    assert main([str(config), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "| [star](star.md) | ✓ | ✓ | ✗ |" in page
    assert "confirmed: reads * as a tag" in page
    assert (tmp_path / "out" / "etagspec.json").is_file()


def test_an_unconfirmed_finding_fails_the_matrix(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace('"PARSE-LIST-3"', '"PARSE-LIST-1"'))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    assert "**not confirmed**" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_a_confirmation_of_another_input_confirms_nothing(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace('"*", "reads', '" * ", "reads'))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "**not confirmed** (confirm.py calls it on ' * ')" in page


def test_a_failing_confirmation_is_shown(tmp_path: Path) -> None:
    config = campaign(tmp_path, CONFIRM.replace("lambda: None", "lambda: 1 / 0"))
    assert main([str(config), "--out", str(tmp_path / "out")]) == 1
    page = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
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
