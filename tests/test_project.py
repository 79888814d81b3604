"""Project habits that are easy to break without noticing.

* The version is written once, in ``etagspec/__init__.py``; the package
  metadata reads it from there.
* CI runs exactly the test command the README gives, and that command
  measures branch coverage and enforces a floor.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path
from typing import Final

import pytest

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


def test_every_install_of_the_makefile_goes_through_its_installer() -> None:
    """The set-up and the long jobs' extras install with one installer:
    uv at the version the Makefile pins (pip installs only uv itself), or
    pip alone under ``INSTALLER=pip``."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    pins = re.findall(r"^UV_VERSION := [0-9]+\.[0-9]+\.[0-9]+$", makefile, re.MULTILINE)
    assert len(pins) == 1
    assert "--quiet uv==$(UV_VERSION)\n" in makefile
    recipes = [
        line.strip()
        for line in makefile.splitlines()
        if line.startswith("\t") and not line.strip().lstrip("@").startswith("echo ")
    ]
    installs = [line for line in recipes if re.search(r"pip|install", line, re.IGNORECASE)]
    assert installs, "no install step found"
    by_hand = [
        line
        for line in installs
        if not line.startswith(("$(INSTALL) ", "$(INSTALLER_SETUP)"))
        and "apt-get install" not in line  # nginx and Apache come from Debian
    ]
    assert by_hand == []


def test_the_license_file_is_the_metadata_s_and_ships_in_the_wheel() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


@pytest.mark.slow
def test_the_built_wheel_holds_the_license(tmp_path: Path) -> None:
    """Builds the wheel (pip and hatchling, about 10 s with a warm cache)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("etagspec-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert b"License-Expression: MIT" in metadata


def test_no_comment_states_a_coverage_figure() -> None:
    """A measured percentage goes stale with the next commit: the Makefile
    states the floor, not a figure measured once."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    comments = [line for line in makefile.splitlines() if line.lstrip().startswith("#")]
    measured = re.compile(r"\b(?!100\b)[0-9]+(\.[0-9]+)? ?%")  # 100 % is a goal, not a figure
    assert [line for line in comments if measured.search(line)] == []
