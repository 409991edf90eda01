"""Helpers for tests that run the engine through the real client against the simulator."""

from __future__ import annotations

from typing import Any

from vastplan import api
from vastplan.client import VmsClient
from vastplan.spec.model import Spec, path_within

MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def calls(client: VmsClient) -> list[dict[str, Any]]:
    """The VMS calls logged since the last clear, control calls and logins left out."""
    return [c for c in client.get("/_sim/calls") if not c["route"].startswith(("/_sim", "/token"))]


def clear_calls(client: VmsClient) -> None:
    client.delete("/_sim/calls")


def mutations(client: VmsClient) -> list[dict[str, Any]]:
    return [c for c in calls(client) if c["method"] in MUTATING and c["route"] != "/folders/stat_path/"]


def inject(client: VmsClient, **fault: Any) -> None:
    client.post("/_sim/faults", fault)


def clear_faults(client: VmsClient) -> None:
    client.delete("/_sim/faults")


def tables(client: VmsClient) -> dict[str, list[dict[str, Any]]]:
    """Every object of the simulated cluster by collection, as the state dump holds them."""
    state = client.get("/_sim/state")
    return {name: sorted(rows.values(), key=lambda r: r["id"]) for name, rows in state["tables"].items()}


def outside(
    client: VmsClient, paths: tuple[str, ...], names: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """The objects no scope of ``paths``/``names`` could touch: what a plan must never change."""

    def inside(row: dict[str, Any]) -> bool:
        path, name = row.get("path"), row.get("name")
        return (isinstance(path, str) and any(path_within(path, p) for p in paths)) or (
            isinstance(name, str) and any(name.startswith(n) for n in names)
        )

    return {k: [r for r in rows if not inside(r)] for k, rows in tables(client).items()}


def duplicates(client: VmsClient) -> list[str]:
    """Identities held by more than one object (never allowed: DESIGN §6, "No duplicates, ever")."""
    found: list[str] = []
    for name, rows in tables(client).items():
        keys = [
            (r.get("tenant_id"), r.get("path")) if name in ("views", "quotas") else r.get("name")
            for r in rows
        ]
        found += [f"{name}:{k}" for k in set(keys) if keys.count(k) > 1]
    return found


def load(doc: dict[str, Any], name: str = "test.yaml") -> Spec:
    """A spec document through the real loader (validation included), ``version: 1`` added."""
    return api.load_documents([(name, {"version": 1, **doc})])
