"""Shared bits of the spec tests."""

from __future__ import annotations

from vastplan.spec import Problem

#: A policy and a folder that most valid specs in these tests need.
BASE = """\
version: 1
viewpolicies:
  - name: pol
folders:
  - path: /p
"""


def only(found: list[Problem], pointer: str | None = None) -> Problem:
    """The single problem (at ``pointer`` when given)."""
    matching = [p for p in found if pointer is None or p.pointer == pointer]
    assert len(matching) == 1, "\n".join(str(p) for p in found)
    return matching[0]
