"""SimBackend: the whole simulated cluster, its rules and its state. No HTTP in here (moto's ``models.py``).

Each resource family lives in :mod:`vastplan.sim.model` and is reached as an attribute (``backend.views``,
``backend.fs``, ``backend.auth`` ...). One re-entrant lock guards the state: every public method of every
family takes it, and the HTTP layer holds it around a whole request, so each request is atomic and
concurrent requests see each other's effects in some serial order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from vastplan.sim.model.auth import Auth
from vastplan.sim.model.base import Collection
from vastplan.sim.model.cluster import Cluster
from vastplan.sim.model.filesystem import FileSystem
from vastplan.sim.model.quotas import Quotas
from vastplan.sim.model.snapshots import Snapshots
from vastplan.sim.model.streams import Streams
from vastplan.sim.model.tasks import Tasks
from vastplan.sim.model.tenants import Tenants
from vastplan.sim.model.viewpolicies import ViewPolicies
from vastplan.sim.model.views import Views
from vastplan.sim.model.vippools import VipPools
from vastplan.sim.state import ClusterState, Record

# What a fresh simulated cluster holds (DESIGN §8).
DEFAULT_TENANT = "default"
DEFAULT_VERSION = "5.3.0"
DEFAULT_CLUSTER_NAME = "vast-sim"
# A documentation range (RFC 5737): never contacted.
DEFAULT_VIPPOOL = {"name": "vippool-1", "ip_ranges": [["192.0.2.1", "192.0.2.4"]], "subnet_cidr": 24}


class SimBackend:
    """All state and rules of one simulated VMS."""

    def __init__(self, state: ClusterState | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.state = ClusterState()
        self.tenants = Tenants(self)
        self.vippools = VipPools(self)
        self.viewpolicies = ViewPolicies(self)
        self.views = Views(self)
        self.quotas = Quotas(self)
        self.snapshots = Snapshots(self)
        self.streams = Streams(self)
        self.tasks = Tasks(self)
        self.fs = FileSystem(self)
        self.cluster = Cluster(self)
        self.auth = Auth(self)
        if state is None:
            self.reset()
        else:
            self.state = state

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(rows)}" for name, rows in self.state.tables.items())
        return f"SimBackend({counts})"

    def collection(self, name: str) -> Collection:
        """The collection served at ``/<name>/``; KeyError for anything else."""
        collections: dict[str, Collection] = {
            "tenants": self.tenants,
            "vippools": self.vippools,
            "viewpolicies": self.viewpolicies,
            "views": self.views,
            "quotas": self.quotas,
            "snapshots": self.snapshots,
            "globalsnapstreams": self.streams,
        }
        return collections[name]

    # -- state -----------------------------------------------------------------------------------------------

    def reset(self) -> None:
        """A fresh cluster: tenant ``default`` (id 1), user admin, ``vippool-1``, version 5.3.0, trash on."""
        with self.lock:
            self.state = ClusterState()
            self.auth.seed()
            self.cluster.seed(name=DEFAULT_CLUSTER_NAME, version=DEFAULT_VERSION)
            self.tenants.create({"name": DEFAULT_TENANT})
            self.vippools.create(DEFAULT_VIPPOOL)

    def state_dict(self) -> Record:
        with self.lock:
            return self.state.to_json()

    def load_state_dict(self, data: Any) -> None:
        """Replace the whole state; a malformed document raises FieldErrors and leaves the state alone."""
        state = ClusterState.from_json(data)
        with self.lock:
            self.state = state

    # -- helpers the families share --------------------------------------------------------------------------

    def new_id(self, collection: str) -> int:
        with self.lock:
            next_ids = self.state.next_ids
            obj_id = max(next_ids.get(collection, 1), max(self.state.tables[collection], default=0) + 1)
            next_ids[collection] = obj_id + 1
            return obj_id

    def now_iso(self) -> str:
        """The current time as the VMS writes it: ISO 8601, UTC, with a ``Z``."""
        moment = datetime.fromtimestamp(self.clock(), timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def default_tenant_id(self) -> int:
        """The tenant of objects created without one: ``default`` (id 1, VMS_API.md §4.8)."""
        with self.lock:
            found = self.tenants.find(name=DEFAULT_TENANT)
            return int(found[0]["id"]) if found else 1
