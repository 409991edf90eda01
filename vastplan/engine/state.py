"""The immutable values that flow between the engine's stages (DESIGN §2).

::

    Spec ──(kinds)──▶ DesiredState ─┐
                                    ├─▶ compare ─▶ Change... ─▶ order ─▶ Node graph ─▶ lower ─▶ steps
    VMS ──(refresh)─▶ LiveState ────┘

Every value here is a frozen dataclass whose mappings are read-only and whose sequences are tuples, so a
stage can never change what another stage sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Risk = Literal["safe", "disruptive", "data-loss"]
Action = Literal["create", "update", "replace", "delete", "noop"]
StepAction = Literal["create", "update", "delete"]

#: Risks from least to most severe; ``max_risk`` of a plan without changes is "none".
RISK_ORDER: tuple[Risk, ...] = ("safe", "disruptive", "data-loss")

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def max_risk(*risks: Risk) -> Risk:
    """The most severe of ``risks`` ("safe" when none is given)."""
    return max(risks, key=RISK_ORDER.index, default="safe")


@dataclass(frozen=True)
class Read:
    """One read of the refresh: a list call (``GET path?params``), or for kinds without a listing the
    kind's own probe (folders: ``POST /folders/stat_path/`` with ``params`` as the body).

    Recorded in the plan (``observed.reads``) so that apply can repeat exactly these reads for the stale
    check.
    """

    kind: str
    path: str
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "params": dict(self.params)}


@dataclass(frozen=True)
class LiveObject:
    """One object as the VMS has it, normalised.

    ``fields`` holds the normalised values of the fields the spec may set (server-computed fields are
    dropped, references are resolved to names: a view's ``policy``); ``raw`` is the record as read (a
    read-only view of a private copy; its nested values are never changed).
    """

    kind: str
    address: str
    fields: Mapping[str, Any]
    id: int | None = None
    tenant: str | None = None
    tenant_id: int | None = None
    raw: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    @property
    def name(self) -> str | None:
        value = self.fields.get("name")
        return value if isinstance(value, str) else None

    @property
    def path(self) -> str | None:
        value = self.fields.get("path")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class DesiredObject:
    """One declared object, seen through its kind.

    ``compare`` holds the normalised values of the managed fields (those the spec writes, write-only ones
    excepted); ``send`` the spec's values as written, for request bodies; ``tenant`` is a tenant name
    (None for tenants themselves).
    """

    kind: str
    address: str
    compare: Mapping[str, Any]
    send: Mapping[str, Any]
    tenant: str | None = None
    state: Literal["present", "absent"] = "present"
    source: str = ""

    @property
    def name(self) -> str | None:
        value = self.compare.get("name", self.send.get("name"))
        return value if isinstance(value, str) else None

    @property
    def path(self) -> str | None:
        value = self.compare.get("path", self.send.get("path"))
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ClusterInfo:
    name: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class LiveState:
    """What refresh found: the relevant live objects by address, the tenants' ids by name, the reads made."""

    objects: Mapping[str, LiveObject]
    tenant_ids: Mapping[str, int]
    reads: tuple[Read, ...] = ()
    cluster: ClusterInfo = field(default_factory=ClusterInfo)

    def get(self, address: str) -> LiveObject | None:
        return self.objects.get(address)


@dataclass(frozen=True)
class FieldChange:
    """One field that differs. ``added``/``removed`` are set for set-compared fields only."""

    name: str
    before: Any
    after: Any
    forces_replacement: bool = False
    risk: Risk = "safe"
    added: tuple[Any, ...] | None = None
    removed: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Change:
    """What the plan does to one address, and why; ``desired``/``live`` are kept for ordering and lowering."""

    address: str
    kind: str
    action: Action
    risk: Risk
    reason: str
    fields: tuple[FieldChange, ...] = ()
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    desired: DesiredObject | None = None
    live: LiveObject | None = None


@dataclass(frozen=True)
class Diagnostic:
    severity: Literal["info", "warning", "error"]
    message: str
    address: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "address": self.address}


__all__ = [
    "RISK_ORDER",
    "Action",
    "Change",
    "ClusterInfo",
    "DesiredObject",
    "Diagnostic",
    "FieldChange",
    "LiveObject",
    "LiveState",
    "Read",
    "Risk",
    "StepAction",
    "max_risk",
]
