"""Values: sizes, escaping, truncation, and the size facts read from the kind schemas."""

from __future__ import annotations

import importlib.resources

import pytest

from vastplan.render import sizes
from vastplan.render.values import format_item, format_value, human_size, safe_text, truncate, visible


@pytest.mark.parametrize(
    "size, text",
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1024, "1 KiB (1024)"),
        (10 * 2**30, "10 GiB (10737418240)"),
        (3 * 2**39, "1.5 TiB (1649267441664)"),
        (123456789, "117.74 MiB (123456789)"),
        (2**52, "4 PiB (4503599627370496)"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_format_value() -> None:
    assert format_value(10 * 2**30, size=True) == "10 GiB (10737418240)"
    assert format_value(10 * 2**30) == "10737418240"
    assert format_value(True, size=True) == "true"
    assert format_value('a"b') == '"a\\"b"'
    assert format_value({"b": 1, "a": [None]}) == '{"a": [null], "b": 1}'
    assert format_value({"$ref": "view[/a].id"}) == "(known after apply: view[/a].id)"


def test_format_item() -> None:
    assert format_item("10.0.0.0/24") == "10.0.0.0/24"
    assert format_item("2001:db8::/64") == "2001:db8::/64"
    assert format_item("has space") == '"has space"'
    assert format_item(7) == "7"


def test_visible_and_truncate() -> None:
    assert visible("a\x1b[0m\u202e\u0085") == "a\\u001b[0m\\u202e\\u0085"
    assert truncate("abcdef", 3) == "abc… (6 characters)"
    assert truncate("abc", 3) == "abc"
    assert safe_text("x" * 400).endswith("… (400 characters)")


def test_size_fields_come_from_the_kind_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the autouse fixture fixed the facts; this test reads the real lookup
    sizes.size_fields.cache_clear()
    assert sizes.size_fields("no-such-kind") == frozenset()
    assert sizes.size_fields("../../etc/passwd") == frozenset()
    assert sizes.size_fields("nosuchkind") == frozenset()
    quota = importlib.resources.files("vastplan.schemas").joinpath("kinds").joinpath("quota.json")
    if not quota.is_file():
        pytest.skip("schemas/kinds/quota.json is not there yet")
    assert "hard_limit" in sizes.size_fields("quota")
    assert "name" not in sizes.size_fields("quota")
