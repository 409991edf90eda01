"""Fixtures: a valid plan document, fresh for each test."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from planfile_docs import raw_plan

from vastplan.planfile import compute_plan_digest, finalize

Doc = dict[str, Any]


@pytest.fixture
def plan_doc() -> Doc:
    """A finalized, valid plan document (a fresh copy per test)."""
    return finalize(raw_plan())


@pytest.fixture
def refinalize() -> Callable[[Doc], Doc]:
    """Recompute plan_digest without validating, so that a test can reach the checks after the digest."""

    def fix(doc: Doc) -> Doc:
        doc = copy.deepcopy(doc)
        doc["plan_digest"] = compute_plan_digest(doc)
        return doc

    return fix
