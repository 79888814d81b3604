"""One campaign for every kind of target: layers are targets of
``kind = "layer"`` in the same ``targets.toml``, their findings have the
same schema as the apps', and one ``etagspec matrix`` writes both matrices
with the same model and writers. Each test here failed while the layers had
their own campaign loader, findings keys, class spelling and matrix writer."""

from __future__ import annotations

import io
import json
import re
import textwrap
import tomllib
from pathlib import Path

import pytest

from etagspec.cli import main
from etagspec.conformance import registered_checks
from etagspec.conformance.campaign import (
    FINDING_CLASSES,
    InvalidCampaign,
    load_campaign,
    load_campaign_findings,
)
from etagspec.conformance.layers.checks import layer_checks
from etagspec.conformance.matrix_model import Column, Matrix, MatrixCheck
from etagspec.conformance.model import DEVIATION_CLASSES, Status
from etagspec.conformance.report.matrix_html import render_matrix_html
from etagspec.conformance.report.matrix_md import render_matrix_markdown

ROOT = Path(__file__).resolve().parent.parent
#: The small test campaign: one app, the reference layer (of the same name)
#: and a lenient layer.
SMALL = Path(__file__).resolve().parent / "campaign" / "targets.toml"
CHECK_IDS = [item.info.id for item in registered_checks()]
LAYER_IDS = [check.info.id for check in layer_checks()]
_MD_SYMBOLS = {"✅": "passed", "❌": "failed", "⚠️": "warned", "🟦": "lenient", "⏭": "skipped"}

APP_AND_LAYER = """
[campaign]
findings = ["findings.toml"]

[[target]]
name = "app"
title = "an app"
kind = "wsgi"
app = "mod:app"
paths = ["/"]

[[target]]
name = "app"
title = "a layer may share an app's name: it has its own folder"
kind = "layer"
wrap = "mod:wrap"

[[target]]
name = "layer"
title = "a layer"
kind = "layer"
wrap = "mod:wrap"
protocol = "asgi"
"""


def campaign_with(tmp_path: Path, findings: str) -> Path:
    (tmp_path / "findings.toml").write_text(textwrap.dedent(findings), encoding="utf-8")
    toml = tmp_path / "targets.toml"
    toml.write_text(APP_AND_LAYER, encoding="utf-8")
    return toml


def finding(target: str, check: str, kind: str) -> str:
    return (
        f'[[finding]]\ntarget = "{target}"\ncheck = "{check}"\nclass = "{kind}"\n'
        'does = "something else"\nevidence = "a raw call"\n'
    )


def test_apps_and_layers_are_targets_of_one_campaign_file(tmp_path: Path) -> None:
    campaign = load_campaign(campaign_with(tmp_path, ""))
    assert [(e.name, e.kind, e.folder) for e in campaign.targets] == [
        ("app", "wsgi", ""),
        ("app", "layer", "layers"),
        ("layer", "layer", "layers"),
    ]
    assert [e.protocol for e in campaign.in_folder("layers")] == ["wsgi", "asgi"]
    committed = load_campaign(ROOT / "conformance" / "targets.toml")
    assert (
        len(committed.in_folder("layers")) >= 12 and not (ROOT / "conformance/layers.toml").exists()
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('paths = ["/"]\n', "a 'layer' target takes no 'paths'"),
        ('app = "m:a"\n', "a 'layer' target takes 'wrap', not 'app'"),
        ('protocol = "rsgi"\n', "protocol 'rsgi' is not one of wsgi, asgi"),
    ],
)
def test_a_layer_target_is_validated_as_any_target(
    tmp_path: Path, extra: str, message: str
) -> None:
    toml = tmp_path / "targets.toml"
    toml.write_text(
        '[[target]]\nname = "l"\ntitle = "L"\nkind = "layer"\nwrap = "m:w"\n' + extra, "utf-8"
    )
    with pytest.raises(InvalidCampaign, match=re.escape(message)):
        load_campaign(toml)


def test_a_finding_class_is_spelled_the_same_for_apps_and_layers(tmp_path: Path) -> None:
    # The layer loader spelled it "server duty", the app loader "server-duty".
    assert set(FINDING_CLASSES) >= set(DEVIATION_CLASSES)
    notes = finding("app", "COND-IM-4a", "server-duty") + finding(
        "layer", "LAYER-304-1", "server-duty"
    )
    findings = load_campaign_findings(
        load_campaign(campaign_with(tmp_path, notes)), CHECK_IDS + LAYER_IDS
    )
    assert [(f.target, f.kind) for f in findings] == [
        ("app", "server-duty"),
        ("layer", "server-duty"),
    ]
    spaced = finding("layer", "LAYER-304-1", "server duty")
    with pytest.raises(InvalidCampaign, match="'class' must be one of"):
        load_campaign_findings(load_campaign(campaign_with(tmp_path, spaced)), LAYER_IDS)


def test_a_layer_finding_has_the_keys_of_an_app_finding(tmp_path: Path) -> None:
    # The layer findings said `layer` and `confirmed` where the app findings
    # say `target` and `evidence`.
    old = (
        '[[finding]]\nlayer = "layer"\ncheck = "LAYER-304-1"\nclass = "bug"\n'
        'does = "drops ETag"\nconfirmed = "a raw call"\n'
    )
    with pytest.raises(InvalidCampaign, match="unknown key"):
        load_campaign_findings(load_campaign(campaign_with(tmp_path, old)), LAYER_IDS)
    keys = []
    for name in ("findings.toml", "layers/findings.toml"):
        with open(ROOT / "conformance" / name, "rb") as file:
            keys.append({key for entry in tomllib.load(file)["finding"] for key in entry})
    # ``deviation`` (the diagnosis's deviation ID) is optional: layer runs
    # have no diagnosis to name one.
    common = {"target", "check", "class", "does", "evidence"}
    assert keys[0] - {"deviation"} == keys[1] - {"deviation"} == common


def test_the_layer_matrix_shows_a_lenient_cell() -> None:
    # The layer matrix had no symbol for lenient: it would have printed "?".
    column = Column("lenient", "L", "wsgi layer", statuses={"LAYER-COND-1": Status.LENIENT})
    row = MatrixCheck("LAYER-COND-1", "conditions", "MUST", "RFC 9110 §13.2.2")
    matrix = Matrix("0", 1, 5, "3.11", (row,), (column,), layers=True)
    text = render_matrix_markdown(matrix)
    assert "| LAYER-COND-1 | MUST | [🟦](lenient/report.html#check-LAYER-COND-1) |" in text
    assert text.startswith("# etagspec layer matrix") and "?" not in text.split("## Checks")[1]
    page = render_matrix_html(matrix)
    assert 'class="cell lenient" data-target="lenient" data-check="LAYER-COND-1"' in page


def test_one_matrix_run_writes_apps_and_layers(tmp_path: Path) -> None:
    out, err = tmp_path / "reports", io.StringIO()
    assert main(["matrix", str(SMALL), "--out", str(out)], io.StringIO(), err) == 0, err.getvalue()
    apps = Matrix.from_json(json.loads((out / "matrix.json").read_text(encoding="utf-8")))
    layers = Matrix.from_json(json.loads((out / "layers/matrix.json").read_text(encoding="utf-8")))
    assert [column.name for column in apps.columns] == ["reference"] and not apps.layers
    assert [column.name for column in layers.columns] == ["reference", "lenient-layer"]
    assert layers.layers and [check.id for check in layers.checks] == LAYER_IDS
    # The app and the layer called "reference" each keep their own column.
    assert set(apps.column("reference").statuses) == set(CHECK_IDS)
    assert set(layers.column("reference").statuses) <= set(LAYER_IDS)
    assert (out / "reference/report.json").is_file()
    readme = (out / "layers/README.md").read_text(encoding="utf-8")
    for column in layers.columns:  # every cell as the layer's own report.json says
        report = json.loads((out / "layers" / column.name / "report.json").read_text("utf-8"))
        assert report["target"]["name"] == column.name
        for check in report["checks"]:
            row = next(
                line for line in readme.splitlines() if line.startswith(f"| {check['id']} |")
            )
            cell = row.strip("|").split("|")[2 + layers.columns.index(column)].strip()
            assert _MD_SYMBOLS[re.sub(r"\[(.+?)\]\(.*\)", r"\1", cell)] == check["status"]
    lenient = layers.column("lenient-layer")
    if lenient.status("LAYER-COND-1") is Status.LENIENT:  # the finding joins its cell
        assert "reads an empty `If-None-Match:` as absent \\[lenient\\]" in readme
        assert "reads an empty" in (out / "layers/lenient-layer/report.md").read_text("utf-8")


@pytest.mark.skipif(
    not (ROOT / "reports/layers/matrix.json").exists(), reason="no published layer matrix"
)
def test_the_published_layer_matrix_agrees_with_its_reports_and_findings() -> None:
    campaign = load_campaign(ROOT / "conformance" / "targets.toml")
    data = json.loads((ROOT / "reports/layers/matrix.json").read_text(encoding="utf-8"))
    findings = load_campaign_findings(campaign, CHECK_IDS + LAYER_IDS)
    layers = Matrix.from_json(data, [f for f in findings if f.check in LAYER_IDS])
    assert layers.layers
    assert [c.name for c in layers.columns] == [e.name for e in campaign.in_folder("layers")]
    for column in layers.columns:
        report = json.loads(
            (ROOT / "reports/layers" / column.name / "report.json").read_text(encoding="utf-8")
        )
        assert {c["id"]: Status(c["status"]) for c in report["checks"]} == column.statuses
    assert not layers.unanalysed(), "layer failures without a finding"
