"""Read a YAML spec file into plain JSON-like values, remembering the line of every value.

PyYAML's own loaders lose line numbers, accept duplicate keys silently, and expand aliases without limit (a
"billion laughs" file of a few hundred bytes expands to gigabytes). So this module builds values itself from
PyYAML's event stream, with an explicit stack (no recursion, whatever the nesting):

- the safe resolver decides scalar types (YAML 1.1, as every PyYAML user expects); timestamps stay the text
  written, since the VMS takes times as strings; any tag outside the JSON types is refused;
- a duplicate key, a non-string key, an undefined alias or NaN/infinity is a problem at its line, and reading
  goes on so that every such problem is reported at once;
- an alias reuses the value already built (no copy) but counts its full size against :data:`MAX_VALUES` and
  its height against :data:`MAX_DEPTH`, so later stages that walk the data stay bounded too;
- merge keys (``<<: *base``) work as in PyYAML: explicit keys win, then earlier merged mappings.

Malformed YAML, a file over the limits and a second document are fatal: reading stops with that problem.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from vastplan.spec.document import SourceDocument, pointer_join
from vastplan.spec.errors import Problem
from vastplan.spec.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from vastplan.spec.sizes import describe_size

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_MAP, _SEQ, _MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"
_IN_KEY = "\0key"


class _Fatal(Exception):
    """Stops reading: the rest of the file cannot be trusted (or must not be read)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Built:
    """A finished value with its cost: how many values it stands for and how deep it nests."""

    value: Any
    size: int
    height: int


@dataclass
class _Frame:
    """A list or mapping being built."""

    pointer: str
    line: int
    anchor: str | None
    container: Any
    size: int = 1
    height: int = 1
    # mappings only:
    key: str | None = None
    key_ok: bool = False
    key_line: int = 0
    awaiting_key: bool = True
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[Any, int]] = field(default_factory=list)
    merge_pending: bool = False


def _line(event: events.Event) -> int:
    return int(event.start_mark.line) + 1 if event.start_mark is not None else 0


class _Builder:
    """Turns one YAML document's events into values, lines and problems."""

    def __init__(self, name: str, loader: yaml.SafeLoader) -> None:
        self.name = name
        self.loader = loader
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.anchors: dict[str, _Built] = {}
        self.stack: list[_Frame] = []
        self.total = 0
        self.result: _Built | None = None

    # -- problems and budget

    def problem(self, line: int | None, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.name, line, self.where(pointer), message))

    @staticmethod
    def where(pointer: str | None) -> str:
        """The pointer to report: inside a key there is none."""
        return "" if pointer is None or pointer.startswith(_IN_KEY) else pointer

    def record(self, pointer: str | None, line: int) -> None:
        if pointer is not None and not pointer.startswith(_IN_KEY):
            self.lines.setdefault(pointer, line)

    def spend(self, size: int, height: int, line: int) -> None:
        self.total += size
        if self.total > MAX_VALUES:
            raise _Fatal(
                line,
                f"too many values (more than {MAX_VALUES:,}, counting every use of a YAML "
                "alias); refusing to read further",
            )
        if len(self.stack) + height > MAX_DEPTH:
            raise _Fatal(line, f"nested more than {MAX_DEPTH} levels deep; a spec never needs that")

    # -- where the next value goes

    def next_pointer(self) -> str | None:
        """The pointer of the value about to start, or None when it is a mapping key."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.container, list):
            return pointer_join(top.pointer, len(top.container))
        if top.awaiting_key:
            return None
        return pointer_join(top.pointer, top.key) if top.key_ok and top.key is not None else top.pointer

    # -- events

    def feed(self, event: events.Event) -> None:
        if isinstance(event, events.ScalarEvent):
            self.scalar(event)
        elif isinstance(event, events.AliasEvent):
            self.alias(event)
        elif isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
            self.start(event)
        elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
            self.end()

    def start(self, event: events.CollectionStartEvent) -> None:
        line = _line(event)
        is_map = isinstance(event, events.MappingStartEvent)
        default_tag = _MAP if is_map else _SEQ
        if event.tag not in (None, "!", default_tag):
            self.problem(line, self.where(self.next_pointer()), f"unsupported YAML tag {_short(event.tag)}")
        pointer = self.next_pointer()
        self.spend(1, 1, line)
        # A list or mapping used as a key gets an impossible pointer: nothing inside it is recorded.
        frame = _Frame(pointer if pointer is not None else _IN_KEY, line, event.anchor, {} if is_map else [])
        self.record(pointer, line)
        self.stack.append(frame)

    def end(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            self.apply_merges(frame)
        built = _Built(frame.container, frame.size, frame.height)
        if frame.anchor:
            self.anchors[frame.anchor] = built
        self.place(built, frame.line)

    def scalar(self, event: events.ScalarEvent) -> None:
        line = _line(event)
        pointer = self.next_pointer()
        self.spend(1, 1, line)
        value = self.scalar_value(event, line, pointer)
        built = _Built(value, 1, 1)
        if event.anchor:
            self.anchors[event.anchor] = built
        self.record(pointer, line)
        self.place(built, line, raw=event.value)

    def alias(self, event: events.AliasEvent) -> None:
        line = _line(event)
        pointer = self.next_pointer()
        built = self.anchors.get(event.anchor or "")
        if built is None:
            self.problem(
                line,
                self.where(pointer),
                f"alias *{event.anchor} refers to no anchor before it "
                "(or to a value that contains the alias)",
            )
            built = _Built(None, 1, 1)
        self.spend(built.size, built.height, line)
        self.record(pointer, line)
        self.place(built, line)

    # -- scalars

    def scalar_value(self, event: events.ScalarEvent, line: int, pointer: str | None) -> Any:
        tag = _TAG + "str" if event.tag == "!" else event.tag
        if tag is None:
            resolve: Callable[..., str] = self.loader.resolve
            tag = resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE:
            return _MergeKey()
        convert = _SCALARS.get(tag)
        if convert is None:
            self.problem(
                line,
                self.where(pointer),
                f"unsupported YAML tag {_short(tag)}; a spec holds strings, numbers, "
                "booleans, lists and mappings only",
            )
            return event.value
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        try:
            value = convert(self.loader, node)
        except (ValueError, KeyError, TypeError, yaml.YAMLError):
            # Only an explicit tag can get here (!!int abc): the resolver never picks a type that fails.
            self.problem(line, self.where(pointer), f"{event.value!r} cannot be read as {_short(tag)}")
            return event.value
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(line, self.where(pointer), f"{event.value!r} is not a finite number")
        return value

    # -- placing finished values

    def place(self, built: _Built, line: int, raw: str | None = None) -> None:
        if not self.stack:
            self.result = built
            return
        top = self.stack[-1]
        top.size += built.size
        top.height = max(top.height, built.height + 1)
        if isinstance(top.container, list):
            top.container.append(built.value)
        elif top.awaiting_key:
            self.take_key(top, built.value, line, raw)
        else:
            self.take_value(top, built.value, line)

    def take_key(self, top: _Frame, key: Any, line: int, raw: str | None) -> None:
        top.awaiting_key = False
        top.key_line = line
        top.merge_pending = isinstance(key, _MergeKey)
        top.key, top.key_ok = (key, True) if isinstance(key, str) else (None, False)
        if top.merge_pending:
            return
        if not top.key_ok:
            shown = raw if raw is not None else repr(key)
            self.problem(
                line, top.pointer, f"key {shown!r} is not a string (it reads as {_type_name(key)}); quote it"
            )
            return
        assert top.key is not None
        first = top.key_lines.get(top.key)
        if first is not None:
            self.problem(
                line,
                pointer_join(top.pointer, top.key),
                f"duplicate key {top.key!r} (first at line {first}); the first one is used",
            )
            top.key_ok = False
        else:
            top.key_lines[top.key] = line
            self.record(pointer_join(top.pointer, top.key), line)

    def take_value(self, top: _Frame, value: Any, line: int) -> None:
        top.awaiting_key = True
        if top.merge_pending:
            top.merges.append((value, top.key_line))
        elif top.key_ok and top.key is not None:
            top.container[top.key] = value

    def apply_merges(self, frame: _Frame) -> None:
        for value, line in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, dict):
                    self.problem(
                        line, frame.pointer, "a merge key (<<) needs a mapping or a list of mappings"
                    )
                    continue
                for key, member in source.items():
                    if key not in frame.container:
                        frame.container[key] = member
                        self.record(pointer_join(frame.pointer, key), line)


class _MergeKey:
    """Marks a ``<<`` key while its mapping is being built."""


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def _as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return node.value


_SCALARS: dict[str, Callable[[yaml.SafeLoader, yaml.ScalarNode], Any]] = {
    _TAG + "null": yaml.SafeLoader.construct_yaml_null,
    _TAG + "bool": yaml.SafeLoader.construct_yaml_bool,
    _TAG + "int": yaml.SafeLoader.construct_yaml_int,
    _TAG + "float": yaml.SafeLoader.construct_yaml_float,
    _TAG + "str": _as_text,
    # Times stay the text written: the VMS takes them as strings (snapshot expiration_time).
    _TAG + "timestamp": _as_text,
    _TAG + "value": _as_text,
}


def parse_yaml(text: str, name: str) -> tuple[SourceDocument | None, list[Problem]]:
    """Parse one YAML document. Returns the document (None when reading had to stop) and the problems."""
    loader = _Loader(text)
    builder = _Builder(name, loader)
    next_event: Callable[[], events.Event] = loader.get_event
    documents = 0
    try:
        while True:
            event = next_event()
            if isinstance(event, events.StreamEndEvent):
                break
            if isinstance(event, events.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Fatal(
                        _line(event),
                        "a spec file holds one YAML document; another one starts here "
                        "(split it into two files)",
                    )
            builder.feed(event)
    except _Fatal as fatal:
        return None, [*builder.problems, Problem(name, fatal.line, "", fatal.message)]
    except yaml.YAMLError as exc:
        return None, [*builder.problems, _yaml_problem(name, exc)]
    finally:
        loader.dispose()
    value = builder.result.value if builder.result is not None else None
    return SourceDocument(name, value, builder.lines), builder.problems


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    line = int(mark.line) + 1 if mark is not None else None
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"malformed YAML: {what}" + (f" ({context})" if context else "")
    return Problem(name, line, "", message)


def read_yaml_file(path: str | os.PathLike[str]) -> tuple[SourceDocument | None, list[Problem]]:
    """Read and parse one spec file; the document is None when it could not be read or parsed."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None, [Problem(name, None, "", "no such file")]
    except IsADirectoryError:
        return None, [Problem(name, None, "", "is a directory, not a spec file")]
    except PermissionError:
        return None, [Problem(name, None, "", "permission denied: cannot read it")]
    except OSError as exc:
        return None, [Problem(name, None, "", f"cannot read it: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                name,
                None,
                "",
                f"larger than {describe_size(MAX_FILE_BYTES)}; refusing to read it "
                "(split the spec into several files)",
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(name, line, "", f"not UTF-8 text (byte 0x{raw[exc.start]:02x})")]
    return parse_yaml(text, name)


__all__ = ["parse_yaml", "read_yaml_file"]
