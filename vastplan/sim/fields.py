"""Field specifications: which fields a request may carry, their types, and which a response returns.

The tables of the six collections live in :mod:`vastplan.sim.field_tables`; the small request bodies of the
action endpoints (folders, tokens, API tokens) are declared here in the same format.
"""

from __future__ import annotations

from dataclasses import dataclass

from vastplan.sim import field_tables

SCALAR_TYPES = ("str", "int", "num", "bool", "obj", "time")
ARRAY_TYPES = ("str[]", "int[]", "obj[]", "str[][]")


@dataclass(frozen=True)
class FieldSpec:
    """One field of one endpoint. ``type`` is a token of :mod:`field_tables`; ``enum`` lists allowed strings."""

    name: str
    type: str
    create: bool
    required: bool
    patch: bool
    read: bool
    enum: tuple[str, ...] = ()

    @property
    def is_array(self) -> bool:
        return self.type.endswith("[]")


Catalogue = dict[str, FieldSpec]


def _parse_type(token: str) -> tuple[str, tuple[str, ...]]:
    if token.startswith("enum[]:"):
        return "str[]", tuple(token[len("enum[]:") :].split("|"))
    if token.startswith("enum:"):
        return "str", tuple(token[len("enum:") :].split("|"))
    if token not in SCALAR_TYPES + ARRAY_TYPES:
        raise ValueError(f"unknown field type {token!r}")
    return token, ()


def parse_table(table: str) -> Catalogue:
    """Parse rows of ``name  C|C*|.  P|.  R|.  type`` into a catalogue keyed by field name."""
    catalogue: Catalogue = {}
    for line in table.strip().splitlines():
        name, create, patch, read, token = line.split()
        field_type, enum = _parse_type(token)
        catalogue[name] = FieldSpec(
            name=name,
            type=field_type,
            create=create.startswith("C"),
            required=create == "C*",
            patch=patch == "P",
            read=read == "R",
            enum=enum,
        )
    return catalogue


CATALOGUES: dict[str, Catalogue] = {
    "views": parse_table(field_tables.VIEWS),
    "viewpolicies": parse_table(field_tables.VIEWPOLICIES),
    "quotas": parse_table(field_tables.QUOTAS),
    "snapshots": parse_table(field_tables.SNAPSHOTS),
    "vippools": parse_table(field_tables.VIPPOOLS),
    "tenants": parse_table(field_tables.TENANTS),
    "globalsnapstreams": parse_table(field_tables.GLOBALSNAPSTREAMS),
    "vtasks": parse_table(field_tables.VTASKS),
}

# Request bodies of action endpoints (VMS_API.md §4.6 folders, §2.3 token and API tokens).
FOLDER_CREATE = parse_table(
    """
    path            C* . . str
    tenant_id       C  . . int
    user            C  . . str
    group           C  . . str
    owner_is_group  C  . . bool
    create_dir_mode C  . . int
    inherit_acl     C  . . bool
    """
)
FOLDER_DELETE = parse_table(
    """
    path       C* . . str
    tenant_id  C  . . int
    """
)
# stat_path requires tenant_id in the spec (VMS_API.md §4.6: `{path*, tenant_id*}`).
STAT_PATH = parse_table(
    """
    path       C* . . str
    tenant_id  C* . . int
    """
)
TOKEN = parse_table(
    """
    username  C* . . str
    password  C* . . str
    """
)
TOKEN_REFRESH = parse_table(
    """
    refresh  C* . . str
    """
)
API_TOKEN_CREATE = parse_table(
    """
    name         C . . str
    expiry_date  C . . str
    owner        C . . str
    """
)
# The cluster fields this simulator lets a PATCH change (VMS_API.md §4.9: feature toggles are PATCH-only).
# The real endpoint takes many more; the simulator refuses the rest by name rather than ignore them.
CLUSTER_PATCH = parse_table(
    """
    enable_trash       . P . bool
    trash_gid          . P . int
    enable_similarity  . P . bool
    """
)
# POST /snapshots/{id}/clone/ (VMS_API.md §4.5: `{name, loanee_root_path, loanee_tenant_id, enabled}`). The spec
# marks nothing required; the simulator requires the stream's name and destination [INFERRED: CSI always sends
# all four, and a clone without a destination means nothing].
SNAPSHOT_CLONE = parse_table(
    """
    name              C* . . str
    loanee_root_path  C* . . str
    loanee_tenant_id  C  . . int
    enabled           C  . . bool
    """
)
# DELETE /globalsnapstreams/{id}/ takes a JSON body `{remove_dir: bool}` (VMS_API.md §4.5).
STREAM_DELETE = parse_table(
    """
    remove_dir  C . . bool
    """
)
# PATCH /globalsnapstreams/{id}/pause and /resume take `enabled` (the spec's defaults: false to pause, true to
# resume); /stop takes no body (VMS_API.md §4.5, GVC-SPEC).
STREAM_PAUSE = parse_table(
    """
    enabled  C . . bool
    """
)
STREAM_STOP = parse_table("")
# PUT /views/{id}/ accepts only these (VMS_API.md §4.1).
VIEW_PUT = parse_table(
    """
    path   C* . . str
    alias  C  . . str
    """
)
