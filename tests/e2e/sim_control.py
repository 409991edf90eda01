"""The simulator's control API (DESIGN §8) over HTTPS, and the cluster objects of one share in its state.

The driver's layout (DESIGN §9): directory ``/<root>/manila-<share instance id>``; view, view policy and
quota each named with the share instance id; snapshots named as manila names them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

_MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: POSTs that change nothing on the cluster: logins and path lookups.
_READ_ONLY_POSTS = frozenset({"/token/", "/token/refresh/", "/folders/stat_path/"})
GIB = 1024**3


class SimControl:
    def __init__(self, url: str, ca: Path, root_export: str) -> None:
        self.url = url.rstrip("/")
        self.root = "/" + root_export.strip("/")
        self.session = requests.Session()
        # Not from the environment: REQUESTS_CA_BUNDLE would override a session's CA bundle.
        self.session.trust_env = False
        self.session.verify = str(ca)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.session.request(method, f"{self.url}/_sim/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    # -------------------------------------------------------------------------------- control
    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "state"))

    def calls(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "calls"))

    def clear_calls(self) -> None:
        self._call("DELETE", "calls")

    def mutations(self) -> list[str]:
        """The mutating VMS calls since the last clear, as ``"METHOD /route -> status"``."""
        return [
            f"{c['method']} {c['route']} -> {c['status']}"
            for c in self.calls()
            if c["method"] in _MUTATING and c["route"] not in _READ_ONLY_POSTS
        ]

    def add_fault(self, **fault: Any) -> None:
        self._call("POST", "faults", fault)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def set_usage(self, path: str, used_bytes: int) -> None:
        self._call("POST", "usage", {"path": path, "used_bytes": used_bytes})

    # ------------------------------------------------------------------- one share's objects
    def path(self, instance_id: str) -> str:
        return f"{self.root}/manila-{instance_id}"

    def objects(self, instance_id: str, state: dict[str, Any] | None = None) -> dict[str, Any]:
        """The share's view, policy and quota (None where missing) and whether its directory exists."""
        state = state or self.state()
        tables = state["tables"]
        path = self.path(instance_id)

        def find(table: str, **match: Any) -> dict[str, Any] | None:
            found = [r for r in tables[table].values() if all(r.get(k) == v for k, v in match.items())]
            assert len(found) <= 1, f"{len(found)} {table} match {match}: {found}"
            return found[0] if found else None

        directories = {p for tenant in state["filesystem"].values() for p in tenant}
        return {
            "view": find("views", path=path),
            "policy": find("viewpolicies", name=instance_id),
            "quota": find("quotas", path=path),
            "directory": path in directories,
        }

    def snapshot(self, name: str) -> dict[str, Any] | None:
        found = [s for s in self.state()["tables"]["snapshots"].values() if s.get("name") == name]
        return found[0] if found else None

    def vips(self) -> list[str]:
        """The addresses of every VIP pool's ranges (the fresh cluster has one pool)."""
        import ipaddress

        addresses: list[str] = []
        for pool in self.state()["tables"]["vippools"].values():
            for first, last in pool.get("ip_ranges") or []:
                start, end = ipaddress.ip_address(first), ipaddress.ip_address(last)
                addresses.extend(str(ipaddress.ip_address(n)) for n in range(int(start), int(end) + 1))
        return addresses
