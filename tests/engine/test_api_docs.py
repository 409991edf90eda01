"""The examples in vastplan.api's docstrings run as written."""

from __future__ import annotations

import vastplan.api


def test_module_example_runs() -> None:
    doc = vastplan.api.__doc__ or ""
    block = doc.split("::\n\n", 1)[1].split("\n\nErrors", 1)[0]
    code = "\n".join(line[4:] for line in block.splitlines())
    exec(compile(code, "vastplan.api docstring", "exec"), {"print": lambda *args: None})  # noqa: S102


def test_every_public_function_has_an_example() -> None:
    for name in vastplan.api.__all__:
        member = getattr(vastplan.api, name)
        if callable(member) and not isinstance(member, type):
            assert member.__doc__ and "::" in member.__doc__, name
