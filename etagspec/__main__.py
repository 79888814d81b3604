"""``python -m etagspec`` is the ``etagspec`` command."""

from .cli import entry_point

entry_point()
