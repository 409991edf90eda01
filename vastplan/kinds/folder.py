"""Folders (directories) — ``/folders/create_folder/``, ``/folders/delete_folder/``, ``/folders/stat_path/``
(VMS_API.md §4.6).

The VMS cannot list folders, so refresh probes each declared folder with one ``POST /folders/stat_path/``
(``{path, tenant_id}``); an answer of 404, or 400 with "no such directory", means absent. Folders are never
pruned: what the VMS cannot list, the engine cannot own by scope.

Folders have no id and no updatable field the engine manages: the fields a spec may give (owner, mode,
ACL inheritance) are write-only, sent on create. Create is ``POST /folders/create_folder/``; delete is
``DELETE /folders/delete_folder/`` with the body ``{path, tenant_id}``, which moves the directory to the
trash. It needs the trash API, VAST 4.7 or later (MANILA and CSI gate it so, VMS_API.md §4.6): the planner
fails the plan with a diagnostic on older clusters (:attr:`FolderKind.feature`). "no such directory" on
delete means it is already gone.

Risk: deleting a folder is data-loss (DESIGN §5): its files go to the trash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from vastplan.client.errors import VmsBadRequest, VmsNotFound
from vastplan.engine import normalize as norm
from vastplan.engine.state import DesiredObject, LiveObject, Read, Risk
from vastplan.kinds.base import Client, Kind, RefreshContext, Request
from vastplan.spec.model import Scope

#: The VMS's text for a path that does not exist (VMS_API.md §4.6: delete_folder, stat_path).
NO_SUCH_DIRECTORY = "no such directory"
STAT_PATH = "/folders/stat_path/"
CREATE_PATH = "/folders/create_folder/"
DELETE_PATH = "/folders/delete_folder/"


class FolderKind(Kind):
    name = "folder"
    rank = 2
    makes_path = True
    listable = False
    prunable = False
    delete_risk: ClassVar[Risk] = "data-loss"
    delete_tolerate = ({"status": 404}, {"status": 400, "detail_contains": NO_SUCH_DIRECTORY})
    #: The client feature a delete needs (vastplan.client.versions.FEATURES).
    delete_feature: ClassVar[str | None] = "trash_api"

    def reads(
        self, desired: Sequence[DesiredObject], scope: Scope, ctx: RefreshContext, referenced_names: Any = ()
    ) -> list[Read]:
        ids = ctx.tenant_ids
        reads = []
        for obj in desired:
            if obj.tenant in ids and obj.path:
                # A folder in a tenant that does not exist yet cannot exist either: no probe.
                params = {"path": obj.path, "tenant_id": ids[obj.tenant]}
                reads.append(Read(self.name, STAT_PATH, norm.freeze(params)))
        return reads

    def run_read(self, client: Client, read: Read) -> list[dict[str, Any]]:
        try:
            answer = client.post(read.path, dict(read.params))
        except VmsNotFound:
            return []
        except VmsBadRequest as error:
            if NO_SUCH_DIRECTORY in error.detail.lower() or "does not exist" in error.detail.lower():
                return []
            raise
        record = dict(answer) if isinstance(answer, Mapping) else {}
        if record.get("is_directory") is False:
            return []  # a file at the path is not a folder; creating one will fail with the VMS's own text
        # stat_path answers with file metadata only; identity comes from the request.
        record.update(read.params)
        return [record]

    def live(self, record: Mapping[str, Any], ctx: RefreshContext) -> LiveObject | None:
        obj = super().live(record, ctx)
        if obj is None:
            return None
        # Nothing a folder's record holds is compared (all spec fields are write-only); keep the path only.
        return LiveObject(
            kind=obj.kind,
            address=obj.address,
            fields=norm.freeze({"path": obj.path}),
            id=None,
            tenant=obj.tenant,
            tenant_id=obj.tenant_id,
            raw=obj.raw,
        )

    def create_request(self, desired: DesiredObject, ids: Mapping[str, Any]) -> Request:
        request = super().create_request(desired, ids)
        return Request("POST", CREATE_PATH, request.body)

    def update_request(
        self, live: LiveObject, desired: DesiredObject, changed: Sequence[str], ids: Mapping[str, Any]
    ) -> Request:
        raise NotImplementedError("folders have no field that is updated in place")

    def delete_request(self, live: LiveObject) -> Request:
        return Request("DELETE", DELETE_PATH, {"path": live.path, "tenant_id": live.tenant_id})

    def tolerate(self, action: str) -> list[dict[str, Any]]:
        if action == "create":
            # The directory is there: what a create whose answer was lost, or a quota's create_dir, left.
            return [{"status": 400, "detail_contains": "already exists"}]
        return super().tolerate(action)

    def lookup(self, *, name: str | None, path: str | None, tenant_id: Any) -> dict[str, Any] | None:
        # No listing to look in; create_folder on an existing directory and delete_folder on a missing one
        # are told apart by their answers instead (tolerate).
        return None

    def export_entry(self, live: LiveObject, ctx: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"path": live.path}
        if live.tenant and live.tenant != ctx.default_tenant:
            entry["tenant"] = live.tenant
        return entry


KIND = FolderKind()
