"""Argument checks shared by the strategies: misuse raises InvalidArgument."""

from __future__ import annotations

from hypothesis.errors import InvalidArgument

# ---- argument checks ------------------------------------------------------------


def _check_bool(name: str, value: object) -> None:
    """InvalidArgument unless ``value`` is a bool."""
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False")


def _check_int(
    name: str, value: object, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """``value`` if it is an int (not a bool) within the bounds, else InvalidArgument."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an int")
    if min_value is not None and value < min_value:
        raise InvalidArgument(f"{name}={value!r} must be at least {min_value}")
    if max_value is not None and value > max_value:
        raise InvalidArgument(f"{name}={value!r} must be at most {max_value}")
    return value
