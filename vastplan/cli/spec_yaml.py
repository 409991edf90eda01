"""Writing a spec document as YAML that people will edit: a schema line for editors, a header that says
where it came from, keys in the order the export gave them."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

import vastplan
from vastplan.cli.failures import CliError


def schema_reference(out: Path | None) -> str:
    """Where an editor finds the spec schema, from the file being written (or the current directory).

    The schema ships inside the package; a path relative to the output file keeps working for whoever
    opens the file on this machine, and an absolute one is the fallback across drives.
    """
    schema = Path(str(resources.files("vastplan.schemas").joinpath("spec.schema.json"))).resolve()
    base = (out.parent if out is not None else Path(".")).resolve()
    try:
        return Path(os.path.relpath(schema, base)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return schema.as_posix()


def header(source: str, out: Path | None, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"# yaml-language-server: $schema={schema_reference(out)}\n"
        f"# Exported by vastplan {vastplan.__version__} from {source} at {stamp}.\n"
        "# Planning this file against that cluster shows no changes: edit it, run vastplan plan,\n"
        "# review, then vastplan apply. Fields not listed here are left as they are on the cluster.\n"
    )


class _SpecDumper(yaml.SafeDumper):
    """Block style as people write specs: sequences indented under their key, short lists of scalars
    inline (``protocols: [NFS, NFS4]``), the way the examples and the docs show them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    inline = len(items) <= _INLINE_ITEMS and all(isinstance(i, (str, int, float, bool)) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


_INLINE_ITEMS = 8
_SpecDumper.add_representer(list, _represent_list)


def dump(document: dict[str, Any], *, source: str, out: Path | None) -> str:
    body = yaml.dump(
        document, Dumper=_SpecDumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=100
    )
    return header(source, out) + body


def write_atomically(path: Path, text: str) -> None:
    """Write next to the target, then rename: an interrupted export never leaves half a spec behind."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
