"""Canonical JSON and digests: the one byte form every digest in vastplan is taken of.

Spec digests, observed-state digests and plan digests (DESIGN §5) must agree between the process that made
a plan and the one that applies it, so there is exactly one definition: sorted keys, no whitespace, UTF-8,
and no NaN or Infinity (no two JSON readers agree on them, so no digest may cover them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def plain(value: Any) -> Any:
    """JSON types only: mappings become dicts, tuples lists, sets sorted lists."""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(item) for item in value)
    return value


def canonical_json(obj: object) -> bytes:
    """``obj`` as canonical JSON bytes."""
    try:
        text = json.dumps(plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    except ValueError as exc:
        raise ValueError(f"cannot make canonical JSON: {exc}") from exc
    return text.encode("utf-8")


def digest_of(obj: object) -> str:
    """``"sha256:<hex>"`` of the canonical JSON of ``obj``."""
    return "sha256:" + hashlib.sha256(canonical_json(obj)).hexdigest()


__all__ = ["canonical_json", "digest_of", "plain"]
