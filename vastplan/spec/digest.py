"""Canonical JSON and the spec digest.

The digest fingerprints what the spec asks for, not how it is written: the loaded objects and the scope
(the plan document's ``target``, docs/internals.md), so reordering entries, reformatting YAML, renaming files
or writing ``10GiB`` for ``10737418240`` leaves it unchanged.
"""

from __future__ import annotations

from typing import Any

from vastplan.canonical import canonical_json, digest_of, plain
from vastplan.spec.model import Spec


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
                "fields": plain(obj.fields),
            }
            for obj in spec.objects
        ],
    }


def spec_digest(spec: Spec) -> str:
    """``Spec.digest``: the sha256 of the canonical JSON of :func:`target_document`."""
    return digest_of(target_document(spec))


__all__ = ["canonical_json", "digest_of", "spec_digest", "target_document"]
