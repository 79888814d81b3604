"""Where Hypothesis keeps its working files during a run: nowhere the user
has to clean up.

A run keeps no example database (``database=None``: a run is replayed by
its seed, not by a database), but Hypothesis also caches what it learns
about the modules it sees in ``.hypothesis/`` under the working directory.
:func:`scratch_hypothesis_home` points Hypothesis's home at a temporary
directory for the run and removes it afterwards, unless the user has said
where those files belong with Hypothesis's own variable,
``HYPOTHESIS_STORAGE_DIRECTORY`` (then they go there, as Hypothesis does).
``run_checks`` and ``check_layer`` (hence ``check_app``, the command line
and the pytest plugin) run inside it.

>>> import os, pathlib, tempfile
>>> os.environ.pop("HYPOTHESIS_STORAGE_DIRECTORY", None)
>>> with scratch_hypothesis_home() as home:
...     pathlib.Path(home).is_dir()
True
>>> pathlib.Path(home).exists()
False
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import configuration

__all__ = ["STORAGE_VARIABLE", "scratch_hypothesis_home"]

#: Hypothesis's own variable for where its files go; when set, it is obeyed.
STORAGE_VARIABLE = "HYPOTHESIS_STORAGE_DIRECTORY"
# The home Hypothesis currently uses, if someone set one (a module global
# of hypothesis.configuration; None means "the default").
_CURRENT_HOME = "__hypothesis_home_directory"


@contextlib.contextmanager
def scratch_hypothesis_home() -> Iterator[str | None]:
    """Hypothesis's home in a fresh temporary directory while the block
    runs (yielded; removed afterwards, and the previous home restored), or
    left alone (None yielded) when ``HYPOTHESIS_STORAGE_DIRECTORY`` is set.
    Usable as a decorator."""
    if os.environ.get(STORAGE_VARIABLE):
        yield None
        return
    previous: Path | None = vars(configuration).get(_CURRENT_HOME)
    home = tempfile.mkdtemp(prefix="etagspec-hypothesis-")
    configuration.set_hypothesis_home_dir(home)
    try:
        yield home
    finally:
        configuration.set_hypothesis_home_dir(previous)
        shutil.rmtree(home, ignore_errors=True)
