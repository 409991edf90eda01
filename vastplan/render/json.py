"""The JSON rendering: the plan document itself, pretty-printed, in a stable key order.

Known objects keep the order of docs/internals.md (``format_version`` first, a change's ``address``
first, ...), so that a person reading the file meets the keys in the order they are documented; every other
object (kind-specific values, request bodies) has its keys sorted. The plan file on disk is this text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Union

# key -> layout of its value (or of each item of a list value); None: keys sorted all the way down.
Layout = Mapping[str, Union["Layout", None]]

_FIELD: Layout = dict.fromkeys(("name", "before", "after", "forces_replacement", "risk", "added", "removed"))
_CHANGE: Layout = {
    **dict.fromkeys(("address", "kind", "action", "risk", "reason", "before", "after")),
    "fields": _FIELD,
}
_STEP: Layout = {
    **dict.fromkeys(
        ("id", "address", "action", "method", "path", "params", "body", "depends_on", "risk", "description")
    ),
    "lookup": dict.fromkeys(("path", "params")),
    "tolerate": dict.fromkeys(("status", "detail_contains")),
}
_TARGET: Layout = {
    "default_tenant": None,
    "scope": dict.fromkeys(("paths", "names", "prune", "tenants")),
    "objects": dict.fromkeys(("kind", "address", "tenant", "state", "fields")),
}
_PLAN: Layout = {
    **dict.fromkeys(("format_version", "generator", "created_at", "endpoint")),
    "cluster": dict.fromkeys(("name", "version")),
    **dict.fromkeys(("spec_files", "spec_digest", "observed_digest", "plan_digest")),
    "summary": dict.fromkeys(("create", "update", "replace", "delete", "noop")),
    "max_risk": None,
    "changes": _CHANGE,
    "steps": _STEP,
    "target": _TARGET,
    "observed": {"reads": dict.fromkeys(("kind", "path", "params")), "count": None},
    "diagnostics": dict.fromkeys(("severity", "message", "address")),
}


def render_json(doc: Mapping[str, Any]) -> str:
    """``doc`` as indented JSON (no trailing newline); non-ASCII text kept as is."""
    return json.dumps(arrange(doc, _PLAN), indent=2, ensure_ascii=False, allow_nan=False)


def arrange(value: Any, layout: Layout | None) -> Any:
    """A copy of ``value`` with object keys in ``layout`` order, then the others sorted."""
    if isinstance(value, list):
        return [arrange(item, layout) for item in value]
    if not isinstance(value, Mapping):
        return value
    known = [key for key in layout if key in value] if layout else []
    rest = sorted(key for key in value if key not in known)
    return {key: arrange(value[key], layout.get(key) if layout else None) for key in known + rest}
