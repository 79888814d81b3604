"""The layer checks as pytest items, for the plugin's ``--etagspec-layer=SPEC``:
one item per layer check, node ID ``etagspec-layer::<ID>``. A MUST check that
fails fails its item; a SHOULD check that is not met passes (and fails under
``--etagspec-strict``). ``--etagspec-max-examples`` and ``--etagspec-seed``
apply as for ``--etagspec-target``."""

from __future__ import annotations

from typing import Any

import pytest

from ..model import DEFAULT_MAX_EXAMPLES, DEFAULT_SEED, CheckInfo
from ..report import render_terminal
from .checks import layer_checks
from .loading import load_layer
from .runner import check_layer
from .target import LayerTarget, LayerTargetError

__all__ = ["LayerCheckFailed", "LayerCollector", "LayerItem", "layer_collector"]

NODE_PREFIX = "etagspec-layer"
_TARGET_KEY = pytest.StashKey[LayerTarget]()


class LayerCheckFailed(Exception):
    """Raised by a layer item whose check failed; the message is the report."""


def _number(config: pytest.Config, option: str) -> int | None:
    value = config.getoption(option)
    if value is None or str(value).strip() == "":
        return None
    try:
        return int(str(value))
    except ValueError:
        raise pytest.UsageError(
            f"--{option.replace('_', '-')}: {value!r} is not an integer"
        ) from None


class LayerItem(pytest.Item):
    """One layer check, run against the session's layer."""

    def __init__(self, *, info: CheckInfo, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.info = info

    def runtest(self) -> None:
        config = self.config
        report = check_layer(
            config.stash[_TARGET_KEY],
            max_examples=_number(config, "etagspec_max_examples") or DEFAULT_MAX_EXAMPLES,
            seed=_number(config, "etagspec_seed") or DEFAULT_SEED,
            strict=bool(config.getoption("etagspec_strict")),
            select=[self.info.id],
        )
        if report.failed():
            raise LayerCheckFailed(render_terminal(report, color=False))
        if report.checked_nothing:  # not exercised: a skip, never a pass
            pytest.skip("; ".join(result.note for result in report.results))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, LayerCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, self.nodeid


class LayerCollector(pytest.Collector):
    """The ``etagspec-layer`` node: one :class:`LayerItem` per layer check."""

    def collect(self) -> list[pytest.Item]:
        items: list[pytest.Item] = []
        protocol = self.config.stash[_TARGET_KEY].protocol
        for check in layer_checks(protocol):
            item = LayerItem.from_parent(self, name=check.info.id, info=check.info)
            item.add_marker(pytest.mark.etagspec_check(check.info.id))
            items.append(item)
        return items


def layer_collector(session: pytest.Session, spec: str) -> LayerCollector:
    """Load the layer (a bad spec is a usage error) and return the node
    that collects its items."""
    try:
        session.config.stash[_TARGET_KEY] = load_layer(spec)
    except LayerTargetError as error:
        raise pytest.UsageError(f"--etagspec-layer: {error}") from error
    return LayerCollector.from_parent(session, name=NODE_PREFIX, nodeid=NODE_PREFIX)
