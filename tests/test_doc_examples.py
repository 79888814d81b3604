"""The Python examples of the READMEs run as written.

``--doctest-glob=README.md`` (pyproject) only reaches the README files
inside the test paths; the top-level README and conformance/README.md are
outside them, so their examples are run here, with the same flags."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

#: Every document with examples (a test below finds any other one).
DOCUMENTS = ("README.md", "conformance/README.md")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_examples_of_a_document_run(document: str) -> None:
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    text = (REPO / document).read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, document, document, 0)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert test.examples, f"{document} has no examples"
    assert runner.failures == 0, "".join(failures)


def test_every_document_with_examples_is_run() -> None:
    tracked = [
        path.relative_to(REPO).as_posix()
        for path in REPO.rglob("*.md")
        if not {".venv", ".git", "reports", "build"} & set(path.relative_to(REPO).parts)
    ]
    with_examples = {
        name
        for name in tracked
        if any(
            line.startswith(">>> ")
            for line in (REPO / name).read_text(encoding="utf-8").splitlines()
        )
    }
    assert with_examples == set(DOCUMENTS)
