"""Canonical JSON and the spec digest.

The digest fingerprints what the spec asks for, not how it is written: the loaded objects and the scope
(the plan document's ``target``, docs/internals.md), so reordering entries, reformatting YAML, renaming files
or writing ``10GiB`` for ``10737418240`` leaves it unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from vastplan.spec.model import Spec


def _plain(value: Any) -> Any:
    """JSON types only: mappings become dicts, tuples lists, frozensets sorted lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(item) for item in value)
    return value


def canonical_json(obj: Any) -> bytes:
    """``obj`` as canonical JSON: sorted keys, no whitespace, UTF-8, no NaN."""
    text = json.dumps(_plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def sha256_digest(obj: Any) -> str:
    """``"sha256:<hex>"`` of the canonical JSON of ``obj``."""
    return "sha256:" + hashlib.sha256(canonical_json(obj)).hexdigest()


def target_document(spec: Spec) -> dict[str, Any]:
    """The spec as the plan document's ``target``: default tenant, scope and objects (no sources)."""
    scope = spec.scope
    return {
        "default_tenant": spec.default_tenant,
        "scope": {
            "paths": list(scope.paths),
            "names": list(scope.names),
            "prune": scope.prune,
            "tenants": sorted(scope.tenants),
        },
        "objects": [
            {
                "kind": obj.kind,
                "address": obj.address,
                "tenant": obj.tenant,
                "state": obj.state,
                "fields": _plain(obj.fields),
            }
            for obj in spec.objects
        ],
    }


def spec_digest(spec: Spec) -> str:
    """``Spec.digest``: the sha256 of the canonical JSON of :func:`target_document`."""
    return sha256_digest(target_document(spec))


__all__ = ["canonical_json", "sha256_digest", "spec_digest", "target_document"]
