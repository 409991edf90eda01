"""Views (exports) — ``/views/`` (VMS_API.md §4.1).

Identity: (tenant, path); ``tenant`` (create-only, not accepted by PATCH) forces replacement, and so does a
change of the referenced policy's own replacement (the VMS refuses to delete a policy a view uses). The spec
names the policy (``policy: alpha-ro``); requests carry ``policy_id``, resolved from the live policies or
``{"$ref": "viewpolicy[alpha-ro].id"}`` when the policy is created by the same plan.

Normalisation: ``protocols`` is a set; the path has no trailing slash.

Create: the spec says where the directory comes from (a folder, a quota, or ``create_dir: true`` on the
view; the loader insists on one), so no ``create_dir`` is added here.

Risk: deleting or replacing a view is disruptive (clients lose the mount); so are removing a protocol and
switching the policy (clients' access changes); anything else is safe.
"""

from __future__ import annotations

from typing import ClassVar

from vastplan.engine.state import FieldChange, Risk
from vastplan.kinds.base import Kind

#: The spec key naming the view's policy (schema x-reference → policy_id).
POLICY = "policy"


class ViewKind(Kind):
    name = "view"
    rank = 4
    makes_path = True
    delete_risk: ClassVar[Risk] = "disruptive"
    set_removal_risk: ClassVar[Risk] = "disruptive"

    def field_risk(self, change: FieldChange) -> Risk:
        if change.name == POLICY:
            return "disruptive"
        return super().field_risk(change)


KIND = ViewKind()
