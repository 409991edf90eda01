"""Spec loading: YAML files (or documents built in memory) in, a validated :class:`Spec` out.

    from vastplan.spec import load_spec, SpecError
    try:
        spec = load_spec(["cluster.yaml", "projects/alpha.yaml"])
    except SpecError as error:
        print(error)             # every problem, one per line: file:line (pointer): message

The format is described in docs/spec.md and ``schemas/spec.schema.json``; the field facts of each kind in
``schemas/kinds/<kind>.json``, read through :mod:`vastplan.spec.schemas`.
"""

from vastplan.spec.errors import Problem, SpecError
from vastplan.spec.loader import load_documents, load_spec
from vastplan.spec.model import (
    NAME_SCOPED_KINDS,
    PATH_SCOPED_KINDS,
    Scope,
    SourceRef,
    Spec,
    SpecObject,
    State,
    path_within,
)

__all__ = [
    "NAME_SCOPED_KINDS",
    "PATH_SCOPED_KINDS",
    "Problem",
    "Scope",
    "SourceRef",
    "Spec",
    "SpecError",
    "SpecObject",
    "State",
    "load_documents",
    "load_spec",
    "path_within",
]
