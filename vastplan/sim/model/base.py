"""What every simulated collection shares: ids, uniqueness, server defaults, rendering, create/update/delete.

A collection module subclasses :class:`Collection` and fills in the hooks (``prepare``, ``after_create``,
``check_delete``, ``computed`` ...). Every public method takes the backend lock, so each call is atomic.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from vastplan.sim.errors import FieldErrors, NotFound
from vastplan.sim.fields import CATALOGUES, Catalogue, FieldSpec
from vastplan.sim.state import Record

if TYPE_CHECKING:
    from vastplan.sim.backend import SimBackend

# The exact message a duplicate snapshot name gets (VMS_API.md §3.1, §4.4: CSI parses this text); the
# simulator uses it for every unique name [INFERRED for the other collections].
UNIQUE = "This field must be unique."


def invalid_pk(value: Any) -> str:
    """DRF's message for a reference to an object that does not exist [INFERRED: VMS is DRF-based, §3.1]."""
    return f'Invalid pk "{value}" - object does not exist.'


class RecordTest(Protocol):
    """A list filter: which rendered field it reads, and whether a record passes."""

    field: str

    def __call__(self, record: Mapping[str, Any]) -> bool: ...


class _StoredView(Mapping[str, Any]):
    """A stored row read as its rendering would show its stored fields (defaults and blanks included)."""

    def __init__(self, collection: Collection, row: Record) -> None:
        self._collection, self._row = collection, row

    def __getitem__(self, name: str) -> Any:
        if name in self._row:
            return self._row[name]
        spec = self._collection.catalogue.get(name)
        if spec is None or not spec.read:
            raise KeyError(name)
        return self._collection._blank(spec)

    def __iter__(self) -> Iterator[str]:
        return iter(self._row)

    def __len__(self) -> int:
        return len(self._row)


class Collection:
    """One collection (``/views/``...): stored rows keyed by id, rendered with every returned field."""

    name: ClassVar[str]
    label: ClassVar[str]
    # "required": every object belongs to a tenant (default tenant when none is given);
    # "optional": tenant_id may be null (VIP pools: null = all tenants, VMS_API.md §4.7); "none": no tenant.
    tenant_mode: ClassVar[Literal["required", "optional", "none"]] = "required"
    unique_fields: ClassVar[tuple[str, ...]] = ()
    unique_together: ClassVar[tuple[tuple[str, ...], ...]] = ()
    # Server defaults of settable fields, stored at create time.
    defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, backend: SimBackend) -> None:
        self.backend = backend
        # Bumped by create/update/delete, so that other collections can cache what they derive from
        # this one (a policy's count_views) instead of scanning it for every object they render.
        self.revision = 0

    @property
    def catalogue(self) -> Catalogue:
        return CATALOGUES[self.name]

    @property
    def rows(self) -> dict[int, Record]:
        return self.backend.state.tables[self.name]

    # -- reading ---------------------------------------------------------------------------------------------

    def row(self, obj_id: int) -> Record:
        """The stored row (internal use); an unknown id is a 404 (VMS_API.md §3.1)."""
        with self.backend.lock:
            found = self.rows.get(obj_id)
            if found is None:
                raise NotFound()
            return found

    def read(self, obj_id: int) -> Record:
        with self.backend.lock:
            return self.render(self.row(obj_id))

    def list_rendered(self) -> list[Record]:
        """Every object, rendered, in id order."""
        with self.backend.lock:
            return [self.render(self.rows[obj_id]) for obj_id in sorted(self.rows)]

    def select(self, tests: Sequence[RecordTest], visible: Callable[[Record], bool]) -> list[Record]:
        """Stored rows, in id order, that ``visible`` admits and whose rendering passes every test.

        Rendering is the costly part of a listing (usage totals, names of related objects), and a client
        walking N pages must not pay for rendering the collection N times: tests on stored fields read
        the row itself, rows are rendered here only for tests on server-computed fields, and callers
        render just the page they return.
        """
        with self.backend.lock:
            rows = [row for _, row in sorted(self.rows.items()) if visible(row)]
            if not rows or not tests:
                return rows
            computed = set(self.computed(rows[0]))
            early = [test for test in tests if test.field not in computed]
            late = [test for test in tests if test.field in computed]
            rows = [row for row in rows if all(test(_StoredView(self, row)) for test in early)]
            if late:
                rows = [row for row in rows if all(test(self.render(row)) for test in late)]
            return rows

    def find(self, **criteria: Any) -> list[Record]:
        """Stored rows whose fields equal ``criteria``."""
        with self.backend.lock:
            return [
                row
                for _, row in sorted(self.rows.items())
                if all(row.get(key) == value for key, value in criteria.items())
            ]

    def render(self, row: Record) -> Record:
        """Every returned (R) field: stored value, else computed, else the server default, else a typed blank."""
        computed = self.computed(row)
        rendered: Record = {}
        for spec in self.catalogue.values():
            if not spec.read:
                continue
            if spec.name in computed:
                rendered[spec.name] = computed[spec.name]
            elif spec.name in row:
                rendered[spec.name] = copy.deepcopy(row[spec.name])
            else:
                rendered[spec.name] = self._blank(spec)
        return rendered

    def _blank(self, spec: FieldSpec) -> Any:
        if spec.name in self.defaults:
            return copy.deepcopy(self.defaults[spec.name])
        # [INFERRED] unset booleans read false and unset lists empty; other unset fields read null, as the
        # KB quota example shows for limits (VMS_API.md §4.3).
        if spec.type == "bool":
            return False
        if spec.is_array:
            return []
        return None

    def computed(self, row: Record) -> Record:
        """Server-computed fields (VMS_API.md §3.3): identity, titles, names of related objects."""
        cluster = self.backend.state.cluster
        values: Record = {
            "id": row["id"],
            "guid": row["guid"],
            "created": row["created"],
            "title": row.get("name"),
            "internal": False,
            "sync": "SYNCED",
            "sync_time": row["created"],
            "cluster": cluster["name"],
            "cluster_id": cluster["id"],
        }
        if self.tenant_mode != "none":
            tenant = self.backend.state.tables["tenants"].get(row.get("tenant_id") or 0)
            values["tenant_name"] = tenant["name"] if tenant else None
        return values

    # -- writing ---------------------------------------------------------------------------------------------

    def create(self, data: Mapping[str, Any], *, tenant_id: int | None = None) -> Record:
        """Validate, store and return the rendered new object. ``tenant_id`` is the caller's default tenant."""
        with self.backend.lock:
            row: Record = copy.deepcopy(dict(data))
            missing = [
                spec.name for spec in self.catalogue.values() if spec.required and row.get(spec.name) is None
            ]
            if missing:
                raise FieldErrors({name: ["This field is required."] for name in missing})
            self._resolve_tenant(row, tenant_id)
            for key, value in self.defaults.items():
                spec = self.catalogue.get(key)
                if spec is not None and spec.create and key not in row:
                    row[key] = copy.deepcopy(value)
            self.prepare(row, None, data)
            self.check_unique(row, None)
            row["id"] = self.backend.new_id(self.name)
            row["guid"] = str(uuid.uuid4())
            row["created"] = self.backend.now_iso()
            self.rows[row["id"]] = row
            self.revision += 1
            self.after_create(row)
            return self.render(row)

    def update(self, obj_id: int, changes: Mapping[str, Any]) -> Record:
        """Apply a PATCH and return the rendered object (VMS_API.md §3.1: PATCH answers the full object)."""
        with self.backend.lock:
            old = self.row(obj_id)
            new = copy.deepcopy(old)
            new.update(copy.deepcopy(dict(changes)))
            if "tenant_id" in changes:
                self._resolve_tenant(new, None)
            self.prepare(new, old, changes)
            self.check_unique(new, obj_id)
            self.rows[obj_id] = new
            self.revision += 1
            self.after_update(old, new, changes)
            return self.render(new)

    def delete(self, obj_id: int, params: Mapping[str, str] | None = None) -> None:
        with self.backend.lock:
            row = self.row(obj_id)
            self.check_delete(row, params or {})
            del self.rows[obj_id]
            self.revision += 1
            self.after_delete(row)

    def _resolve_tenant(self, row: Record, default: int | None) -> None:
        if self.tenant_mode == "none":
            return
        if row.get("tenant_id") is None and self.tenant_mode == "required":
            row["tenant_id"] = default if default is not None else self.backend.default_tenant_id()
        if row.get("tenant_id") is not None and row["tenant_id"] not in self.backend.state.tables["tenants"]:
            raise FieldErrors.one("tenant_id", invalid_pk(row["tenant_id"]))

    def check_unique(self, row: Record, own_id: int | None) -> None:
        """Unique names and unique sets, checked against every other row."""
        others = [other for other_id, other in self.rows.items() if other_id != own_id]
        for key in self.unique_fields:
            if row.get(key) is not None and any(other.get(key) == row[key] for other in others):
                raise FieldErrors.one(key, UNIQUE)
        for group in self.unique_together:
            values = [row.get(key) for key in group]
            if None in values:
                continue
            if any([other.get(key) for key in group] == values for other in others):
                # DRF's UniqueTogetherValidator wording; VMS_API.md §3.1 notes "unique set" in VMS errors.
                raise FieldErrors.one(
                    "non_field_errors", f"The fields {', '.join(group)} must make a unique set."
                )

    # -- hooks -----------------------------------------------------------------------------------------------

    def prepare(self, row: Record, old: Record | None, requested: Mapping[str, Any]) -> None:
        """Normalise and check a row about to be stored (``old`` is None on create; ``requested`` holds the
        fields of this request only, for action flags such as ``create_dir``). Raise to refuse."""

    def after_create(self, row: Record) -> None:
        """Side effects of a create (e.g. ``create_dir``), run once every check passed."""

    def after_update(self, old: Record, new: Record, requested: Mapping[str, Any]) -> None:
        """Side effects of a PATCH."""

    def check_delete(self, row: Record, params: Mapping[str, str]) -> None:
        """Raise to refuse a delete."""

    def after_delete(self, row: Record) -> None:
        """Side effects of a delete."""
