"""Helpers for spec tests: write YAML into a temporary directory and load it by relative name, so that
problems carry the short file names a user would see."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from vastplan.spec import Problem, Spec, SpecError, load_spec


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def write(workdir: Path) -> Callable[..., str]:
    def write(text: str, name: str = "spec.yaml") -> str:
        (workdir / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return name

    return write


@pytest.fixture
def load(write: Callable[..., str]) -> Callable[..., Spec]:
    def load(*texts: str) -> Spec:
        names = [write(text, f"spec{i}.yaml" if i else "spec.yaml") for i, text in enumerate(texts)]
        return load_spec(names)

    return load


@pytest.fixture
def problems(write: Callable[..., str]) -> Callable[..., list[Problem]]:
    """Load the texts (spec.yaml, spec1.yaml, ...) and return the problems; fails if the spec is valid."""

    def problems(*texts: str) -> list[Problem]:
        names = [write(text, f"spec{i}.yaml" if i else "spec.yaml") for i, text in enumerate(texts)]
        with pytest.raises(SpecError) as caught:
            load_spec(names)
        return list(caught.value.problems)

    return problems
