"""Simulator states of any size, built as data and loaded with ``PUT /_sim/state``.

Creating 50,000 objects through the API would measure the simulator's POST handler, not what we want to
measure, and take minutes. Instead one *template* of each record is made through the real API (or the
real driver), so that it carries exactly the fields the simulator stores, and is then copied ``n`` times
into the state document with new ids, names and paths. A copied record is indistinguishable from one the
API made.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

State = dict[str, Any]
Record = dict[str, Any]

#: Tables in the order records refer to each other (a view names its policy's id).
TABLES = ("viewpolicies", "quotas", "views", "snapshots")


def template(state: State, table: str, **match: Any) -> Record:
    """The one record of ``table`` whose fields equal ``match`` (the template to copy)."""
    found = [r for r in state["tables"][table].values() if all(r.get(k) == v for k, v in match.items())]
    if len(found) != 1:
        raise LookupError(f"{len(found)} records of {table} match {match}")
    return found[0]


def add_copy(state: State, table: str, original: Record, **changes: Any) -> Record:
    """A copy of ``original`` added to ``table`` with a new id and guid and ``changes`` applied."""
    record = copy.deepcopy(original)
    record.update(changes)
    record["id"] = state["next_ids"][table]
    record["guid"] = str(uuid.uuid4())
    state["next_ids"][table] += 1
    state["tables"][table][str(record["id"])] = record
    return record


def add_directory(state: State, path: str, tenant_id: int = 1) -> None:
    """``path`` and its parents in the tenant's directory tree, shaped like the root's entry."""
    tree = state["filesystem"][str(tenant_id)]
    parts = path.strip("/").split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/" + "/".join(parts[:depth])
        if prefix not in tree:
            tree[prefix] = copy.deepcopy(tree["/"])


def share_unit_copies(
    state: State,
    templates: Mapping[str, Record],
    count: int,
    *,
    directory_of: Callable[[int], str],
    name_of: Callable[[int], str],
) -> None:
    """``count`` copies of a Manila share's policy, quota and view (all named by the share instance id,
    on ``/<root>/manila-<id>``): copy i is named ``name_of(i)`` and sits on ``directory_of(i)``."""
    for i in range(count):
        directory, name = directory_of(i), name_of(i)
        add_directory(state, directory)
        policy = add_copy(state, "viewpolicies", templates["viewpolicies"], name=name)
        add_copy(state, "quotas", templates["quotas"], name=name, path=directory)
        add_copy(state, "views", templates["views"], name=name, path=directory, policy_id=policy["id"])


def count_records(state: State) -> dict[str, int]:
    return {table: len(state["tables"][table]) for table in TABLES}
