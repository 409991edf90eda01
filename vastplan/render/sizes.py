"""Which fields hold byte sizes, read from the ``x-size`` annotations of ``schemas/kinds/<kind>.json``.

The kind schemas are the one place field facts are written (docs/internals.md, "Kind schemas"), so the
renderers ask them rather than keep a list of their own. A kind without a schema has no size fields: its
values are shown as plain numbers, which is still exact.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re

_KIND = re.compile(r"^[a-z]+$")


@functools.cache
def size_fields(kind: str) -> frozenset[str]:
    """Names of the fields of ``kind`` annotated ``"x-size": true``."""
    if not _KIND.match(kind):  # never let a plan's text pick a file name
        return frozenset()
    resource = importlib.resources.files("vastplan.schemas").joinpath("kinds").joinpath(f"{kind}.json")
    try:
        schema = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return frozenset()
    return frozenset(
        name for name, sub in properties.items() if isinstance(sub, dict) and sub.get("x-size") is True
    )
