"""Golden files of every rendering of the documents in plandocs.py.

To regenerate them after a deliberate change to a rendering, run::

    UPDATE_GOLDEN=1 pytest tests/render

and review the diff of ``tests/render/golden/`` like any other change.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
from plandocs import DOCUMENTS

from vastplan.render import render

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
EXTENSIONS = {"text": "txt", "markdown": "md", "json": "json"}
COLOUR_GOLDENS = ("mixed", "data_loss", "replace")


@functools.cache
def _document(name: str) -> dict[str, Any]:
    return DOCUMENTS[name]()


def _check(file_name: str, output: str) -> None:
    path = GOLDEN / file_name
    if UPDATE:
        path.write_text(output + "\n", encoding="utf-8")
        return
    assert path.exists(), f"{path.name} is missing: run UPDATE_GOLDEN=1 pytest tests/render"
    expected = path.read_text(encoding="utf-8")
    assert output + "\n" == expected, (
        f"{path.name} differs: if the change is meant, run UPDATE_GOLDEN=1 pytest tests/render"
    )


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_golden(name: str, fmt: str) -> None:
    _check(f"{name}.{EXTENSIONS[fmt]}", render(_document(name), fmt))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", COLOUR_GOLDENS)
def test_golden_colour(name: str) -> None:
    _check(f"{name}.color.txt", render(_document(name), "text", color=True))


def test_no_stray_golden_files() -> None:
    expected = {f"{name}.{ext}" for name in DOCUMENTS for ext in EXTENSIONS.values()}
    expected |= {f"{name}.color.txt" for name in COLOUR_GOLDENS}
    assert {path.name for path in GOLDEN.iterdir()} == expected
