"""The published layer matrix: run :func:`check_layer` over every layer of a
campaign file (``conformance/layers.toml``), write each layer's reports
(report.json/html/md, junit.xml) under ``OUT/<name>/`` and ``OUT/README.md``,
a table of layers by checks joined with the confirmed findings
(``findings`` in the campaign: one entry per failing check, with its class).

Run it as ``python -m etagspec.conformance.layers.matrix conformance/layers.toml
--out reports/layers`` (what ``make reports`` does).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..model import Report, Status
from ..report import write_reports
from .checks import layer_checks
from .loading import load_layer
from .runner import check_layer

__all__ = ["InvalidLayerCampaign", "LayerCampaign", "load_layer_campaign", "main", "run_matrix"]

_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
#: How a confirmed finding is classed.
CLASSES = ("bug", "lenient", "unsupported", "server duty")
_SYMBOLS = {
    Status.PASSED: "✓",
    Status.FAILED: "✗",
    Status.WARNED: "!",
    Status.SKIPPED: "–",
}


class InvalidLayerCampaign(ValueError):
    """A layer campaign file that does not say what to run."""


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    wrap: str
    packages: tuple[str, ...]
    #: "wsgi" or "asgi": the protocol between the layer and the app it wraps.
    kind: str = "wsgi"


@dataclass(frozen=True)
class LayerFinding:
    layer: str
    check: str
    kind: str
    does: str
    confirmed: str


@dataclass(frozen=True)
class LayerCampaign:
    layers: tuple[Layer, ...]
    findings: tuple[LayerFinding, ...]
    seed: int
    max_examples: int
    apps: Path


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise InvalidLayerCampaign(f"{where}: {key} must be a non-empty string")
    return value


def load_layer_campaign(path: str | Path) -> LayerCampaign:
    """Read and validate a layer campaign file (and its findings file)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InvalidLayerCampaign(f"{path}: {error}") from error
    settings = data.get("campaign", {})
    layers: list[Layer] = []
    for index, table in enumerate(data.get("layer", [])):
        where = f"{path}: layer {index + 1}"
        name = _text(table, "name", where)
        if not _NAME.fullmatch(name):
            raise InvalidLayerCampaign(f"{where}: name {name!r} must be lowercase, digits and -")
        packages = table.get("packages", [])
        kind = table.get("kind", "wsgi")
        if kind not in ("wsgi", "asgi"):
            raise InvalidLayerCampaign(f"{where}: kind must be 'wsgi' or 'asgi'")
        title, wrap = _text(table, "title", where), _text(table, "wrap", where)
        layers.append(Layer(name, title, wrap, tuple(packages), kind))
    if not layers:
        raise InvalidLayerCampaign(f"{path}: no [[layer]]")
    names = {layer.name for layer in layers}
    findings: list[LayerFinding] = []
    findings_path = path.parent / settings.get("findings", "layers/findings.toml")
    if findings_path.exists():
        known = {check.info.id for check in layer_checks()}
        for index, table in enumerate(
            tomllib.loads(findings_path.read_text("utf-8")).get("finding", [])
        ):
            where = f"{findings_path}: finding {index + 1}"
            finding = LayerFinding(
                _text(table, "layer", where),
                _text(table, "check", where),
                _text(table, "class", where),
                _text(table, "does", where),
                _text(table, "confirmed", where),
            )
            if finding.layer not in names or finding.check not in known:
                raise InvalidLayerCampaign(f"{where}: unknown layer or check")
            if finding.kind not in CLASSES:
                raise InvalidLayerCampaign(f"{where}: class must be one of {CLASSES}")
            findings.append(finding)
    return LayerCampaign(
        tuple(layers),
        tuple(findings),
        int(settings.get("seed", 20221)),
        int(settings.get("max_examples", 40)),
        path.parent / settings.get("apps", "layers"),
    )


def _version(package: str) -> str:
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{package} (not installed)"


def _readme(campaign: LayerCampaign, reports: dict[str, Report]) -> str:
    checks = [check.info for check in layer_checks()]
    lines = [
        "# Layer matrix",
        "",
        "Conditional WSGI and ASGI layers (a middleware, decorator or response method that answers "
        "304 / 412 for the app it wraps) checked with `etagspec check-layer`: handler "
        "behaviours drawn by `etagspec.strategies.handler_behaviours()` (as ASGI apps for an "
        "ASGI layer) run through each layer in-process. Regenerate with `make reports` (`python -m "
        "etagspec.conformance.layers.matrix conformance/layers.toml --out reports/layers`); "
        f"seed {campaign.seed}, {campaign.max_examples} examples per check.",
        "",
        "✓ passed, ✗ failed (MUST), ! warned (SHOULD), – skipped, n/a not a check of the "
        "layer's kind (WSGI iterables and write(); ASGI messages). Each layer's own report "
        "(with the minimal failing behaviour and request, and a reproduction) is in its "
        "directory. The layer checks are described in docs/SPEC.md (harness rules, LAYER-*).",
        "",
        "| layer | " + " | ".join(f"`{info.id}`" for info in checks) + " |",
        "|---|" + "---|" * len(checks),
    ]
    for layer in campaign.layers:
        by_id = {result.check.id: result.status for result in reports[layer.name].results}
        cells = [_SYMBOLS.get(by_id[i.id], "?") if i.id in by_id else "n/a" for i in checks]
        kind = " (ASGI)" if layer.kind == "asgi" else ""
        lines.append(
            f"| [{layer.name}]({layer.name}/report.md){kind} | " + " | ".join(cells) + " |"
        )
    lines += ["", "## Layers", ""]
    for layer in campaign.layers:
        versions = ", ".join(_version(p) for p in layer.packages)
        lines.append(f"* **{layer.name}**: {layer.title} (`{layer.wrap}`; {versions})")
    lines += [
        "",
        "## Findings",
        "",
        "Every failed or warned check, confirmed by a direct reproduction without the harness "
        "(a raw WSGI or ASGI call; `conformance/layers/confirm.py` runs them all), and classed: "
        "**bug** (the layer breaks the rule), **lenient** (a reading the rule tolerates), "
        "**unsupported** (the layer's design cannot express it), **server duty** (left to "
        "the server).",
        "",
        "| layer | check | class | what it does | confirmed by |",
        "|---|---|---|---|---|",
    ]
    for finding in campaign.findings:
        lines.append(
            f"| {finding.layer} | `{finding.check}` | {finding.kind} | {finding.does} | "
            f"`{finding.confirmed}` |"
        )
    unexplained = [
        f"{layer.name} {result.check.id}"
        for layer in campaign.layers
        for result in reports[layer.name].results
        if result.status in (Status.FAILED, Status.WARNED)
        and not any(f.layer == layer.name and f.check == result.check.id for f in campaign.findings)
    ]
    if unexplained:
        lines += ["", "Not yet confirmed: " + ", ".join(unexplained) + "."]
    return "\n".join(lines) + "\n"


def run_matrix(
    campaign: LayerCampaign, out: str | Path, *, err: TextIO | None = None
) -> dict[str, Report]:
    """Check every layer; write its reports and the matrix README."""
    err = err or sys.stderr
    if str(campaign.apps) not in sys.path:
        sys.path.insert(0, str(campaign.apps))
    out = Path(out)
    reports: dict[str, Report] = {}
    for layer in campaign.layers:
        err.write(f"checking {layer.name} ({layer.wrap})\n")
        target = load_layer(layer.wrap, name=layer.name, asgi=layer.kind == "asgi")
        target.spec = layer.wrap
        report = check_layer(target, max_examples=campaign.max_examples, seed=campaign.seed)
        reports[layer.name] = report
        write_reports(report, out / layer.name)
    (out / "README.md").write_text(_readme(campaign, reports), encoding="utf-8")
    return reports


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m etagspec.conformance.layers.matrix",
        description="Check every layer of a layer campaign and write the layer matrix.",
    )
    parser.add_argument("toml", help="the layer campaign (conformance/layers.toml)")
    parser.add_argument("--out", required=True, help="the output directory (reports/layers)")
    args = parser.parse_args(argv)
    try:
        campaign = load_layer_campaign(args.toml)
    except InvalidLayerCampaign as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    run_matrix(campaign, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
