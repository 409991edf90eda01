"""Checks across objects, which no schema can express (DESIGN §4).

- an address declared twice (in one file or two): the first declaration wins, the second is the problem;
- quota names used twice (the VMS wants them unique);
- a tenant named by an object must be ``default``, ``defaults.tenant`` or declared under ``tenants``, and not
  declared absent while present objects live in it; the default tenant cannot be declared absent;
- a view's ``policy`` must be a view policy declared in the spec, and not declared absent;
- a present quota or view needs its directory accounted for: a folder at that path, ``create_dir: true`` on a
  quota or view at that path, or a view (for a quota) or quota (for a view) on the same path (the VMS refuses
  a quota or view on a missing directory without create_dir, VMS_API.md §4.1, §4.3);
- nothing present may live under a folder declared absent (it would go to the trash with it);
- a quota's soft limits may not be above its hard limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from vastplan.address import DEFAULT_TENANT
from vastplan.spec.document import pointer_join
from vastplan.spec.errors import Problem
from vastplan.spec.model import SpecObject, path_within
from vastplan.spec.sizes import describe_size
from vastplan.spec.suggest import did_you_mean

#: The line of a pointer in a named document, when known: ``line_of(file, pointer)``.
LineOf = Callable[[str, str], "int | None"]
#: Whether the entry of an object wrote a field itself (``tenant`` may come from defaults instead).
Written = Callable[[SpecObject, str], bool]


class _Checker:
    def __init__(
        self, objects: Sequence[SpecObject], default_tenant: str, line_of: LineOf, written: Written
    ) -> None:
        self.objects = objects
        self.default_tenant = default_tenant
        self.line_of = line_of
        self.written = written
        self.problems: list[Problem] = []

    def report(self, obj: SpecObject, message: str, field: str | None = None) -> None:
        """A problem at the object, or at one of its fields when the entry wrote that field."""
        if field is None or not self.written(obj, field):
            self.problems.append(Problem(obj.source.file, obj.source.line, obj.source.pointer, message))
            return
        pointer = pointer_join(obj.source.pointer, field)
        line = self.line_of(obj.source.file, pointer) or obj.source.line
        self.problems.append(Problem(obj.source.file, line, pointer, message))

    def of_kind(self, kind: str, state: str | None = "present") -> list[SpecObject]:
        return [o for o in self.objects if o.kind == kind and (state is None or o.state == state)]


def unique_addresses(objects: Iterable[SpecObject]) -> tuple[list[SpecObject], list[Problem]]:
    """The objects with each address once (first declaration wins) and a problem for every repeat."""
    first: dict[str, SpecObject] = {}
    problems: list[Problem] = []
    for obj in objects:
        earlier = first.get(obj.address)
        if earlier is None:
            first[obj.address] = obj
            continue
        problems.append(
            Problem(
                obj.source.file,
                obj.source.line,
                obj.source.pointer,
                f"{obj.address} is declared twice: here and at {earlier.source}",
            )
        )
    return list(first.values()), problems


def cross_problems(
    objects: Sequence[SpecObject], default_tenant: str, line_of: LineOf, written: Written
) -> list[Problem]:
    """Every cross-object problem of ``objects`` (already unique by address)."""
    checker = _Checker(objects, default_tenant, line_of, written)
    for check in (_quota_names, _tenants, _policies, _directories, _under_absent_folders, _quota_limits):
        check(checker)
    return checker.problems


def _quota_names(c: _Checker) -> None:
    seen: dict[str, SpecObject] = {}
    for quota in c.of_kind("quota"):
        name = quota.name
        if name is None:
            continue
        if name in seen:
            c.report(
                quota,
                f"quota name {name!r} is also used by {seen[name].address} at {seen[name].source}; "
                "quota names must be unique",
                "name",
            )
        else:
            seen[name] = quota


def _tenants(c: _Checker) -> None:
    declared = {t.name: t for t in c.of_kind("tenant", None) if t.name}
    default = declared.get(DEFAULT_TENANT)
    if default is not None and default.state == "absent":
        c.report(default, "the default tenant cannot be deleted")
    allowed = {DEFAULT_TENANT, c.default_tenant, *declared}
    for obj in c.objects:
        if obj.tenant is None:
            continue
        tenant = declared.get(obj.tenant)
        if obj.tenant not in allowed:
            c.report(
                obj,
                f"{obj.address} is in tenant {obj.tenant!r}, which is not declared: add it under "
                f"tenants, or use 'default' or defaults.tenant{did_you_mean(obj.tenant, allowed)}",
                "tenant",
            )
        elif tenant is not None and tenant.state == "absent" and obj.state == "present":
            c.report(
                obj,
                f"{obj.address} is in tenant {obj.tenant!r}, which is declared absent at {tenant.source}",
                "tenant",
            )


def _policies(c: _Checker) -> None:
    policies = {p.name: p for p in c.of_kind("viewpolicy", None) if p.name}
    for view in c.of_kind("view"):
        name = view.fields.get("policy")
        if not isinstance(name, str):
            continue
        policy = policies.get(name)
        if policy is None:
            c.report(
                view,
                f"{view.address} uses view policy {name!r}, which is not declared under "
                f"viewpolicies{did_you_mean(name, policies)}",
                "policy",
            )
        elif policy.state == "absent":
            c.report(
                view,
                f"{view.address} uses view policy {name!r}, which is declared absent at {policy.source}",
                "policy",
            )


def _directories(c: _Checker) -> None:
    """DESIGN §4: a quota path needs a folder, a view or create_dir. Views are held to the same rule with the
    roles swapped: a view and a quota on one path vouch for each other (an existing export being adopted)."""
    provided = {(o.tenant, o.path) for o in c.of_kind("folder") if o.path}
    provided |= {
        (o.tenant, o.path)
        for kind in ("quota", "view")
        for o in c.of_kind(kind)
        if o.path and o.fields.get("create_dir") is True
    }
    on_path = {kind: {(o.tenant, o.path) for o in c.of_kind(kind)} for kind in ("quota", "view")}
    for obj in [*c.of_kind("quota"), *c.of_kind("view")]:
        partner = "view" if obj.kind == "quota" else "quota"
        key = (obj.tenant, obj.path)
        if obj.path is None or key in provided or key in on_path[partner]:
            continue
        c.report(
            obj,
            f"nothing in the spec provides the directory {obj.path} of {obj.address}: declare it under "
            f"folders (- path: {obj.path}; created when missing), or set create_dir: true on this "
            f"{obj.kind}",
        )


def _under_absent_folders(c: _Checker) -> None:
    gone = [f for f in c.of_kind("folder", "absent") if f.path]
    if not gone:
        return
    for obj in c.objects:
        if obj.state != "present" or obj.path is None or obj.kind == "tenant":
            continue
        for folder in gone:
            assert folder.path is not None
            if obj.tenant == folder.tenant and path_within(obj.path, folder.path):
                c.report(
                    obj,
                    f"{obj.address} lies under {folder.address}, which is declared absent (it would "
                    f"go to the trash) at {folder.source}",
                )
                break


def _quota_limits(c: _Checker) -> None:
    for quota in c.of_kind("quota"):
        for soft_key, hard_key, shown in (
            ("soft_limit", "hard_limit", describe_size),
            ("soft_limit_inodes", "hard_limit_inodes", str),
        ):
            soft, hard = _limit(quota.fields.get(soft_key)), _limit(quota.fields.get(hard_key))
            if soft and hard and soft > hard:
                c.report(quota, f"{soft_key} ({shown(soft)}) is above {hard_key} ({shown(hard)})", soft_key)


def _limit(value: object) -> int:
    """A limit as an int; 0 (no limit) for anything else: 0 and null mean "do not enforce" (VMS_API.md §4.3)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


__all__ = ["LineOf", "Written", "cross_problems", "unique_addresses"]
