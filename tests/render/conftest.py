"""Fixtures of the rendering tests: fixed size facts, and the hand-built plan documents."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vastplan.render import sizes

# The golden files must not change when someone edits a kind schema, so the size facts the renderers
# read from schemas/kinds are fixed here (tests/render/test_render_values.py checks the real lookup).
FIXED_SIZE_FIELDS = {"quota": frozenset({"hard_limit", "soft_limit"})}


@pytest.fixture(autouse=True)
def fixed_size_fields(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sizes, "size_fields", lambda kind: FIXED_SIZE_FIELDS.get(kind, frozenset()))
    yield
