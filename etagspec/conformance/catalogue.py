"""The whole catalogue: importing this module registers every check.

The registry (:mod:`.registry`) only records checks; the catalogue modules
register themselves into it when imported. Callers that need the full list
ask here, so that no module below the catalogue has to import it.
"""

from __future__ import annotations

from . import checks as _checks  # registers the catalogue
from .registry import CHECKS, Check

__all__ = ["registered_checks"]

assert _checks  # the import is for its registrations


def registered_checks() -> list[Check]:
    """Every registered check, in registration order."""
    return list(CHECKS.values())
