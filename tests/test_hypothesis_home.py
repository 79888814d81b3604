"""A run leaves no ``.hypothesis/`` in the user's working directory (the
Python API, the layer harness, the pytest plugin), unless the user says
where Hypothesis's files go with ``HYPOTHESIS_STORAGE_DIRECTORY``.

Each run is a fresh process in a fresh working directory: Hypothesis fixes
its home once per process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

#: A local module (in the working directory), whose constants Hypothesis
#: caches in its home.
LOCAL_APP = """
from etagspec.demo import make_app
from etagspec.caching import etag_middleware

app = make_app({"/doc": b"local document"})
SOME_CONSTANT = "a string Hypothesis may reuse"
"""

CHECK_APP = """
from etagspec.conformance import check_app
report = check_app("local_app:app", ["/doc"], max_examples=3, select=["CMP", "cond-im-4"])
assert report.exit_code == 0
"""
CHECK_LAYER = """
from etagspec.conformance import check_layer
report = check_layer("local_app:etag_middleware", max_examples=3, select=["layer-304"])
assert report.exit_code == 0
"""


def run_in(folder: Path, script: str, storage: Path | None = None) -> None:
    (folder / "local_app.py").write_text(textwrap.dedent(LOCAL_APP), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    env["PYTHONPATH"] = str(folder)
    if storage is not None:
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(storage)
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("script", [CHECK_APP, CHECK_LAYER], ids=["check_app", "check_layer"])
def test_a_run_leaves_no_hypothesis_folder(tmp_path: Path, script: str) -> None:
    run_in(tmp_path, script)
    assert not (tmp_path / ".hypothesis").exists()
    left = {path.name for path in tmp_path.iterdir()} - {"__pycache__"}
    assert left == {"local_app.py"}


def test_the_storage_variable_is_obeyed(tmp_path: Path) -> None:
    work, chosen = tmp_path / "work", tmp_path / "chosen"
    work.mkdir()
    run_in(work, CHECK_APP, storage=chosen)
    assert not (work / ".hypothesis").exists()
    assert any(chosen.rglob("*")), "Hypothesis wrote nothing where it was told to"


def test_the_pytest_plugin_leaves_no_hypothesis_folder(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HYPOTHESIS_STORAGE_DIRECTORY", raising=False)
    pytester.makepyfile(local_app=textwrap.dedent(LOCAL_APP))
    result = pytester.runpytest_subprocess(
        "--etagspec-target=local_app:app",
        "--etagspec-path=/doc",
        "--etagspec-max-examples=3",
        "-k",
        "CMP-USE",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=2, deselected=result.parseoutcomes()["deselected"])
    assert not (pytester.path / ".hypothesis").exists()
