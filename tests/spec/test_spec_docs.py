"""docs/spec.md stays in step with the schemas: every field of every kind is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from vastplan.address import SPEC_KEYS
from vastplan.spec.schemas import KINDS, kind_info, kind_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "spec.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_is_documented(doc: str, kind: str) -> None:
    section = doc.split(f"\n### {kind}\n", 1)[1].split("\n### ", 1)[0]
    for field in kind_info(kind).fields:
        description = kind_schema(kind)["properties"][field]["description"]
        assert f"| `{field}`" in section, f"{kind}.{field} is missing from docs/spec.md"
        assert description in section, f"the description of {kind}.{field} differs from its schema"


def test_every_top_level_key_is_documented(doc: str) -> None:
    for key in ("version", "defaults.tenant", "scope.paths", "scope.names", "scope.prune", *SPEC_KEYS):
        assert f"| `{key}` |" in doc


def test_editor_line_is_documented(doc: str) -> None:
    assert "# yaml-language-server: $schema=../schemas/spec.schema.json" in doc
