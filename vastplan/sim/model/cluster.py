"""The cluster record (VMS_API.md §4.9), its version history (§2.2) and capacity metrics (§4.10)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from vastplan.sim.errors import FieldErrors, NotFound
from vastplan.sim.state import Record

if TYPE_CHECKING:
    from vastplan.sim.backend import SimBackend

TB = 10**12
# Capacity figures a metric query may ask for as "Capacity,<name>" (VMS_API.md §4.10 lists these five and
# more exist in /metrics/); the simulator derives all of them from the cluster record.
CAPACITY_METRICS = (
    "drr",
    "logical_space",
    "logical_space_in_use",
    "physical_space",
    "physical_space_in_use",
    "free_logical_space",
    "free_physical_space",
    "usable_capacity_bytes",
)
_TIME_FRAME = re.compile(r"^(\d+)\s*([smhDWMY])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "D": 86400, "W": 7 * 86400, "M": 30 * 86400, "Y": 365 * 86400}


def version_tuple(text: str) -> tuple[int, ...]:
    """``"5.3.0"`` / ``"5.0.0-25"`` -> (5, 3, 0) ...; clients parse versions this loosely (VMS_API.md §2.2)."""
    numbers = re.findall(r"\d+", text.replace("-", "."))
    return tuple(int(n) for n in numbers[:4]) or (0,)


class Cluster:
    """The one cluster (id 1), its settings and the version list."""

    def __init__(self, backend: SimBackend) -> None:
        self.backend = backend

    @property
    def record(self) -> Record:
        return self.backend.state.cluster

    def seed(self, *, name: str, version: str) -> None:
        self.backend.state.cluster = {
            "id": 1,
            "guid": str(uuid.uuid4()),
            "name": name,
            "psnt": "SIM00000001",
            # A documentation address (RFC 5737): never contacted.
            "mgmt_vip": "192.0.2.250",
            "created": self.backend.now_iso(),
            # A fresh simulated cluster has trash folder access enabled (brief; VMS_API.md §4.6).
            "enable_trash": True,
            "trash_gid": None,
            "enable_similarity": True,
            # 1 PB logical, 400 TB physical, data reduction 2.0: plausible, round figures.
            "logical_space": 10**15,
            "physical_space": 4 * 10**14,
            "drr": 2.0,
        }
        self.backend.state.versions = []
        self.add_version(version)

    # -- versions (VMS_API.md §2.2) --------------------------------------------------------------------------

    def add_version(self, version: str) -> None:
        """Record an upgrade: the newest version is the cluster's version."""
        with self.backend.lock:
            history = self.backend.state.versions
            history.append(
                {
                    "id": len(history) + 1,
                    "guid": str(uuid.uuid4()),
                    "name": version,
                    "title": version,
                    "created": self.backend.now_iso(),
                    "build": f"release-{version}",
                    "sys_version": version,
                    "os_version": "vast-sim",
                    "carriers_fw_version": "",
                    "status": "success",
                    "enable_dr": False,
                    "force": False,
                    "skip_hw_check": False,
                }
            )

    def list_versions(self) -> list[Record]:
        """Newest first: clients take ``[0].sys_version`` of ``?status=success`` (VMS_API.md §2.2) [INFERRED order]."""
        with self.backend.lock:
            cluster_name = self.record["name"]
            return [{**row, "cluster": cluster_name} for row in reversed(self.backend.state.versions)]

    def version(self) -> str:
        with self.backend.lock:
            return str(self.backend.state.versions[-1]["sys_version"])

    def version_tuple(self) -> tuple[int, ...]:
        return version_tuple(self.version())

    def trash_enabled(self) -> bool:
        with self.backend.lock:
            return bool(self.record.get("enable_trash"))

    def drr(self) -> float:
        return float(self.record.get("drr") or 1.0)

    # -- the cluster record (VMS_API.md §4.9) ----------------------------------------------------------------

    def render(self) -> Record:
        with self.backend.lock:
            row = self.record
            logical, physical, drr = int(row["logical_space"]), int(row["physical_space"]), self.drr()
            used = self.backend.fs.total_used()
            used_physical = int(used / drr)
            version = self.version()
            return {
                "id": row["id"],
                "guid": row["guid"],
                "name": row["name"],
                "title": row["name"],
                "psnt": row["psnt"],
                "mgmt_vip": row["mgmt_vip"],
                "sw_version": version,
                "build": f"release-{version}",
                "state": "ONLINE",
                "enabled": True,
                "enable_trash": bool(row.get("enable_trash")),
                "trash_gid": row.get("trash_gid"),
                "enable_similarity": bool(row.get("enable_similarity")),
                "drr": drr,
                "drr_text": f"{drr:.1f}:1",
                "logical_space": logical,
                "logical_space_in_use": used,
                "logical_space_tb": round(logical / TB, 3),
                "logical_space_in_use_tb": round(used / TB, 3),
                "free_logical_space": float(logical - used),
                "free_logical_space_tb": round((logical - used) / TB, 3),
                "physical_space": physical,
                "physical_space_in_use": used_physical,
                "physical_space_tb": round(physical / TB, 3),
                "physical_space_in_use_tb": round(used_physical / TB, 3),
                "free_physical_space": float(physical - used_physical),
                "free_physical_space_tb": round((physical - used_physical) / TB, 3),
                "usable_capacity_bytes": physical,
                "usable_capacity_tb": round(physical / TB, 3),
            }

    def list_rendered(self) -> list[Record]:
        return [self.render()]

    def read(self, obj_id: int) -> Record:
        if obj_id != self.record["id"]:
            raise NotFound()
        return self.render()

    def update(self, obj_id: int, changes: Mapping[str, Any]) -> Record:
        """PATCH /clusters/{id}/: feature toggles such as ``enable_trash`` (VMS_API.md §4.9)."""
        with self.backend.lock:
            if obj_id != self.record["id"]:
                raise NotFound()
            self.record.update(changes)
            return self.render()

    def configure(self, settings: Mapping[str, Any]) -> None:
        """The control API's cluster settings (see docs/simulator.md: ``POST /_sim/cluster``)."""
        with self.backend.lock:
            if "version" in settings:
                self.add_version(str(settings["version"]))
            for key in ("name", "enable_trash", "logical_space", "physical_space", "drr"):
                if key in settings:
                    self.record[key] = settings[key]

    # -- capacity metrics (VMS_API.md §4.10) -----------------------------------------------------------------

    def ad_hoc_query(self, object_type: str, prop_list: Sequence[str], time_frame: str | None) -> Record:
        """``{object_ids, prop_list: [timestamp, object_id, "Capacity,<m>"...], data: [[...], ...]}``."""
        if object_type != "cluster":
            # [INFERRED] the simulator models the cluster object only; other types are refused by name.
            raise FieldErrors.one(
                "object_type", f'"{object_type}" is not supported by the simulator (use cluster).'
            )
        values = self.render()
        row_values: list[Any] = []
        for prop in prop_list:
            group, _, metric = prop.partition(",")
            if group != "Capacity" or metric not in CAPACITY_METRICS:
                raise FieldErrors.one("prop_list", f'Unknown metric "{prop}".')
            row_values.append(float(values[metric]))
        now = self.backend.clock()
        span = self._time_frame_seconds(time_frame)
        samples = [now - span + span * (i + 1) / 3 for i in range(3)]
        return {
            "object_ids": [self.record["id"]],
            "prop_list": ["timestamp", "object_id", *prop_list],
            # MANILA reads the last row (§4.10): three samples over the time frame, all at today's values.
            "data": [[self._stamp(moment), self.record["id"], *row_values] for moment in samples],
        }

    @staticmethod
    def _time_frame_seconds(time_frame: str | None) -> float:
        if not time_frame:
            return 60.0
        match = _TIME_FRAME.match(time_frame.strip())
        if not match:
            raise FieldErrors.one(
                "time_frame", "Expected an integer followed by s, m, h, D, W, M or Y (e.g. 10m)."
            )
        return float(int(match.group(1)) * _UNIT_SECONDS[match.group(2)])

    @staticmethod
    def _stamp(moment: float) -> str:
        return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
