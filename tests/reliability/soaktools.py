"""Shared machinery of the reliability tests: seeds, soak length, random specs and faults, and the
checks every round makes (nothing outside the scope touched, no duplicates).

Randomness is always seeded, and the seed is printed and put into every assertion message, so that a
failure found by a long soak can be replayed exactly: ``VASTPLAN_SEED=<seed> pytest tests/reliability``.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Any

from vastplan.client import ConnectionConfig, VmsClient
from vastplan.client.config import RetryPolicy as ReadRetry
from vastplan.engine.executor import RetryPolicy
from vastplan.sim import Simulator

#: ``VASTPLAN_SOAK=1``: the long soak (many more rounds, a fresh random seed unless one is given).
SOAK = os.environ.get("VASTPLAN_SOAK", "") not in ("", "0")
#: The CI run's seed is fixed so that CI is reproducible; the soak draws a new one each time.
CI_SEED = 20261126

MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})
READ_ONLY_POSTS = frozenset({"/token/", "/token/refresh/", "/folders/stat_path/"})

#: Retries kept short so that CI spends its time on operations, not on back-off sleeps; the logic is the
#: same as with the default policies, only the waits are scaled down.
FAST_STEPS = RetryPolicy(attempts=5, base_delay=0.002, max_delay=0.02, max_elapsed=30)
FAST_READS = ReadRetry(max_attempts=5, initial_delay=0.001, max_delay=0.01, max_elapsed=30)


def seed_for(name: str) -> int:
    """The seed of one test: ``VASTPLAN_SEED`` if set; else fixed in CI and random in a soak."""
    given = os.environ.get("VASTPLAN_SEED")
    if given:
        return int(given)
    if SOAK:
        return random.SystemRandom().randrange(2**31)
    return CI_SEED + sum(map(ord, name))


def scaled(ci: int, soak: int) -> int:
    """How many rounds: ``ci`` in the test suite, ``soak`` with ``VASTPLAN_SOAK=1`` (or
    ``VASTPLAN_SOAK_ROUNDS`` to choose)."""
    if SOAK and os.environ.get("VASTPLAN_SOAK_ROUNDS"):
        return int(os.environ["VASTPLAN_SOAK_ROUNDS"])
    return soak if SOAK else ci


def client_for(sim: Simulator, **options: Any) -> VmsClient:
    """A real client on the simulator's in-process transport, logging in as the demo admin."""
    config = ConnectionConfig(
        endpoint="https://vms.reliability.invalid",
        username="admin",
        password="123456",
        retry=FAST_READS,
        **options,
    )
    return VmsClient(config, adapter=sim.adapter())


def control(client: VmsClient, method: str, path: str, body: Any = None) -> Any:
    """The simulator's control API through a client's transport (control calls are never logged)."""
    return client.request(method, f"/_sim/{path}", json=body)


# --------------------------------------------------------------------------------------- state checks


def in_scope(row: dict[str, Any], paths: tuple[str, ...], names: tuple[str, ...], tenant_id: int = 1) -> bool:
    """Whether a spec of the default tenant with this scope could touch ``row``."""
    if row.get("tenant_id", tenant_id) != tenant_id:
        return False
    path, name = row.get("path"), row.get("name")
    by_path = isinstance(path, str) and any(path == p or path.startswith(p.rstrip("/") + "/") for p in paths)
    by_name = isinstance(name, str) and name.startswith(names)
    return by_path or by_name


def outside(state: dict[str, Any], paths: tuple[str, ...], names: tuple[str, ...]) -> dict[str, Any]:
    """Everything of a state dump that no spec with this scope may change: rows of every table, and the
    directory tree and usage, outside the scope's paths and names."""
    tables = {
        table: {key: row for key, row in rows.items() if not in_scope(row, paths, names)}
        for table, rows in state["tables"].items()
    }
    tree = {
        tenant: {
            p: entry for p, entry in entries.items() if tenant != "1" or not in_scope({"path": p}, paths, ())
        }
        for tenant, entries in state["filesystem"].items()
    }
    # Directory times (atime/mtime) of a parent change when a child is made inside the scope: a parent of
    # the scope is outside it, yet its listing legitimately changes. Compare what a directory *is*.
    for entries in tree.values():
        for p, entry in entries.items():
            entries[p] = {k: v for k, v in entry.items() if k not in ("atime", "mtime", "ctime")}
    return {"tables": tables, "filesystem": tree, "cluster": state["cluster"]}


def duplicates(state: dict[str, Any]) -> list[str]:
    """Identities held by more than one object: never allowed (DESIGN §6, "No duplicates, ever")."""
    found = []
    for table, rows in state["tables"].items():
        keys = [
            (r.get("tenant_id"), r.get("path")) if table in ("views", "quotas") else r.get("name")
            for r in rows.values()
        ]
        found += [f"{table}:{k}" for k in sorted(set(keys), key=str) if keys.count(k) > 1]
    return found


# ------------------------------------------------------------------------------------------------ faults


@dataclass(frozen=True)
class FaultMenu:
    """Which routes random faults may hit."""

    mutations: tuple[tuple[str, str], ...]
    reads: tuple[str, ...]


ENGINE_ROUTES = FaultMenu(
    mutations=(
        ("POST", "/viewpolicies/"),
        ("POST", "/views/"),
        ("POST", "/quotas/"),
        ("POST", "/snapshots/"),
        ("POST", "/folders/create_folder/"),
        ("PATCH", "/viewpolicies/*/"),
        ("PATCH", "/views/*/"),
        ("PATCH", "/quotas/*/"),
        ("DELETE", "/viewpolicies/*/"),
        ("DELETE", "/views/*/"),
        ("DELETE", "/quotas/*/"),
        ("DELETE", "/snapshots/*/"),
        ("DELETE", "/folders/delete_folder/"),
    ),
    reads=("/viewpolicies/", "/views/", "/quotas/", "/snapshots/", "/tenants/", "/folders/stat_path/"),
)


def random_faults(rng: random.Random, menu: FaultMenu, *, hard: bool) -> list[dict[str, Any]]:
    """One to four faults of every kind the control API offers. ``hard`` allows more 503s in a row than
    the applier retries, so that some applies fail and must be healed by the next one."""
    faults: list[dict[str, Any]] = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("503", "503", "drop", "drop", "latency", "read503", "expire"))
        method, path = rng.choice(menu.mutations)
        if kind == "503":
            times = rng.randint(5, 7) if hard and rng.random() < 0.5 else rng.randint(1, 3)
            faults.append({"method": method, "path": path, "status": 503, "times": times})
        elif kind == "drop":
            faults.append(
                {"method": method, "path": path, "drop_after_commit": True, "times": rng.randint(1, 2)}
            )
        elif kind == "latency":
            faults.append({"latency_ms": rng.randint(1, 4), "times": rng.randint(5, 30)})
        elif kind == "read503":
            path = rng.choice(menu.reads)
            # stat_path is the VMS's one read that is a POST (VMS_API.md: no folder listing).
            read = "POST" if path == "/folders/stat_path/" else "GET"
            faults.append({"method": read, "path": path, "status": 503, "times": rng.randint(1, 2)})
        else:
            faults.append({"expire_tokens": True})
    return faults


def fault_kinds(faults: list[dict[str, Any]]) -> set[str]:
    kinds = set()
    for f in faults:
        if f.get("status") == 503:
            reads = f.get("method") == "GET" or f.get("path") == "/folders/stat_path/"
            kinds.add("read 503" if reads else "503")
        kinds |= {k for k in ("drop_after_commit", "latency_ms", "expire_tokens") if k in f}
    return kinds
