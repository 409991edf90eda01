"""The JSON rendering: the document itself, in a stable order."""

from __future__ import annotations

import json
from typing import Any

from plandocs import creates_only, data_loss

from vastplan.planfile import validate_plan
from vastplan.render import render


def _reversed_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _reversed_keys(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed_keys(item) for item in value]
    return value


def test_json_is_the_document() -> None:
    doc = data_loss()
    assert json.loads(render(doc, "json")) == doc
    validate_plan(json.loads(render(doc, "json")))


def test_documented_key_order() -> None:
    parsed = json.loads(render(creates_only(), "json"))
    assert list(parsed)[:4] == ["format_version", "generator", "created_at", "endpoint"]
    assert list(parsed)[-3:] == ["target", "observed", "diagnostics"]
    assert list(parsed["changes"][0]) == [
        "address",
        "kind",
        "action",
        "risk",
        "reason",
        "before",
        "after",
        "fields",
    ]
    assert list(parsed["steps"][0])[:3] == ["id", "address", "action"]
    assert list(parsed["steps"][0]["body"]) == sorted(parsed["steps"][0]["body"])


def test_order_does_not_depend_on_the_input_order() -> None:
    doc = data_loss()
    assert render(_reversed_keys(doc), "json") == render(doc, "json")


def test_pretty_and_unicode_kept() -> None:
    doc = creates_only()
    doc["diagnostics"] = [{"severity": "info", "message": "é ✓", "address": None}]
    output = render(doc, "json")
    assert output.startswith('{\n  "format_version": "1",')
    assert "é ✓" in output and not output.endswith("\n")
