"""View policies — ``/viewpolicies/`` (VMS_API.md §4.2).

Identity: the name, unique across all tenants (KB-VP), so the address carries no tenant; a policy that
exists in another tenant than the spec's is replaced (``tenant`` forces replacement: ANSIBLE treats
``tenant_id`` as immutable, VMS_API.md §4.2).

Normalisation: host lists are sets of host rules (:func:`vastplan.engine.normalize.host_entry`);
``atime_frequency`` is a duration (``"3600"`` ≙ ``3600`` ≙ ``"1h"``, default 3600 s).

Risk: adding hosts is safe; removing hosts from any host list, and changing any other field (flavor,
security, squash, auth source...), is disruptive: clients may lose access or see other permissions.
Deleting a policy is disruptive (the VMS refuses it while views use it; VMS_API.md §4.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from vastplan.engine import normalize as norm
from vastplan.engine.state import Risk
from vastplan.kinds.base import Kind


class ViewPolicyKind(Kind):
    name = "viewpolicy"
    rank = 1
    delete_risk: ClassVar[Risk] = "disruptive"
    update_risk: ClassVar[Risk] = "disruptive"
    set_removal_risk: ClassVar[Risk] = "disruptive"
    # Defaults the VMS documents (VMS_API.md §4.2: atime_frequency 3600, nfs_minimal_protection_level NONE).
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {
            "atime_frequency": 3600,
            "nfs_minimal_protection_level": "NONE",
        }
    )

    def normalizer(self, name: str) -> norm.Normalizer:
        if name == "atime_frequency":
            return norm.duration
        return super().normalizer(name)


KIND = ViewPolicyKind()
