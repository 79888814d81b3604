"""Project habits that are easy to break without noticing.

* The version is written once, in ``etagspec/__init__.py``; the package
  metadata reads it from there.
* CI runs exactly the test command the README gives, and that command
  measures branch coverage and enforces a floor.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Final

import etagspec

REPO: Final = Path(__file__).resolve().parent.parent


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "etagspec/__init__.py"
    source = (REPO / "etagspec" / "__init__.py").read_text(encoding="utf-8")
    assert re.findall(r'^__version__ = "([^"]+)"$', source, re.MULTILINE) == [etagspec.__version__]


def test_the_installed_metadata_agrees() -> None:
    assert version("etagspec") == etagspec.__version__


def test_ci_runs_the_readme_s_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"^(make test)\b.*# .*what CI runs", readme, re.MULTILINE)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    steps = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))]
    assert steps == [command]


def test_the_test_command_measures_branch_coverage_with_a_floor() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    for option in ("--cov=etagspec", "--cov-branch", "--cov-fail-under=$(COVERAGE_FLOOR)"):
        assert option in recipe
    (floor,) = re.findall(r"^COVERAGE_FLOOR \?= ([0-9]+)$", makefile, re.MULTILINE)
    assert int(floor) >= 90
