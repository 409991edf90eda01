"""Reading YAML: lines, duplicate keys, tags, aliases, limits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vastplan.spec import Problem, SpecError, limits, load_spec
from vastplan.spec.yamldoc import parse_yaml, read_yaml_file

from .helpers import only


def test_lines_of_keys_and_items() -> None:
    doc, found = parse_yaml(
        "version: 1\nviews:\n  - path: /a\n    protocols:\n      - NFS\n      - SMB\n", "s"
    )
    assert found == [] and doc is not None
    assert doc.line_of("/views/0") == 3
    assert doc.line_of("/views/0/protocols") == 4
    assert doc.line_of("/views/0/protocols/1") == 6
    assert doc.line_of("/views/0/nonexistent/deeper") == 3  # nearest known ancestor


def test_keys_with_slashes_and_tildes_are_escaped_in_pointers() -> None:
    doc, _ = parse_yaml("a/b: 1\nc~d: 2\n", "s")
    assert doc is not None and doc.line_of("/a~1b") == 1 and doc.line_of("/c~0d") == 2


def test_malformed_yaml_names_the_line(problems: Callable[..., list[Problem]]) -> None:
    problem = only(problems("version: 1\nviews:\n  - path: /a\n   policy: [p\n"))
    assert problem.file == "spec.yaml" and problem.line is not None and problem.line >= 4
    assert problem.message.startswith("malformed YAML: ")


def test_duplicate_keys_are_errors_with_both_lines(problems: Callable[..., list[Problem]]) -> None:
    found = problems("version: 1\nfolders:\n  - path: /a\n    path: /b\n")
    problem = only(found, "/folders/0/path")
    assert (problem.line, problem.message) == (
        4,
        "duplicate key 'path' (first at line 3); the first one is used",
    )


def test_duplicate_top_level_key(problems: Callable[..., list[Problem]]) -> None:
    problem = only(problems("version: 1\nfolders: []\nfolders: []\n"))
    assert (problem.line, problem.pointer) == (3, "/folders")


def test_non_string_keys(problems: Callable[..., list[Problem]]) -> None:
    problem = only(problems("version: 1\nfolders:\n  - path: /a\n    1: x\n"))
    assert (
        problem.line == 4 and "key '1' is not a string (it reads as an integer); quote it" in problem.message
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!python/object/apply:os.system [ls]\n", "unsupported YAML tag !!python/object/apply:os.system"),
        ("x: !!binary aGVsbG8=\n", "unsupported YAML tag !!binary"),
        ("x: !custom 1\n", "unsupported YAML tag !custom"),
        ("x: !!set {a, b}\n", "unsupported YAML tag !!set"),
        ("x: !!int abc\n", "'abc' cannot be read as !!int"),
        ("x: .nan\n", "'.nan' is not a finite number"),
        ("x: -.inf\n", "'-.inf' is not a finite number"),
        ("x: *nothing\n", "alias *nothing refers to no anchor"),
    ],
)
def test_refused_values(text: str, message: str) -> None:
    _, found = parse_yaml(text, "s.yaml")
    assert any(message in p.message and p.line == 1 for p in found), found


def test_timestamps_stay_text() -> None:
    doc, found = parse_yaml("t: 2030-01-31T00:00:00Z\nd: 2030-01-31\n", "s")
    assert found == [] and doc is not None and doc.data == {"t": "2030-01-31T00:00:00Z", "d": "2030-01-31"}


def test_aliases_and_merge_keys() -> None:
    text = (
        "hosts: &hosts [10.0.0.1, 10.0.0.2]\n"
        "base: &base {flavor: NFS, nfs_read_only: *hosts}\n"
        "policy:\n  <<: *base\n  flavor: SMB\n  name: p\n"
    )
    doc, found = parse_yaml(text, "s")
    assert found == [] and doc is not None
    assert doc.data["policy"] == {"flavor": "SMB", "name": "p", "nfs_read_only": ["10.0.0.1", "10.0.0.2"]}
    assert doc.line_of("/policy/nfs_read_only") == 4  # the line of the merge key


def test_merge_of_a_non_mapping() -> None:
    _, found = parse_yaml("a:\n  <<: 5\n", "s")
    assert [p.message for p in found] == ["a merge key (<<) needs a mapping or a list of mappings"]


def test_alias_bomb_is_refused_without_expanding(problems: Callable[..., list[Problem]]) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    problem = only(problems("version: 1\n" + "\n".join(levels) + "\n"))
    assert "too many values" in problem.message and "alias" in problem.message


def test_deep_nesting_is_refused(problems: Callable[..., list[Problem]]) -> None:
    problem = only(problems("version: 1\nx: " + "[" * 200 + "]" * 200 + "\n"))
    assert problem.message.startswith(f"nested more than {limits.MAX_DEPTH} levels deep")


def test_deep_nesting_through_aliases_is_refused() -> None:
    deep = "[" * 40 + "]" * 40
    _, found = parse_yaml(
        f"a: &a {deep}\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", "s"
    )
    assert any("nested more than" in p.message for p in found)


def test_second_document_is_refused(problems: Callable[..., list[Problem]]) -> None:
    problem = only(problems("version: 1\n---\nversion: 1\n"))
    assert problem.line == 2 and "holds one YAML document" in problem.message


def test_missing_file(workdir: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(["nope.yaml"])
    assert [str(p) for p in caught.value.problems] == ["nope.yaml: no such file"]


def test_directory_is_not_a_spec(workdir: Path) -> None:
    (workdir / "dir").mkdir()
    _, found = read_yaml_file("dir")
    assert [p.message for p in found] == ["is a directory, not a spec file"]


def test_unreadable_file(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    (workdir / "secret.yaml").write_text("version: 1\n")
    monkeypatch.setattr("vastplan.spec.yamldoc.open", refuse, raising=False)
    _, found = read_yaml_file("secret.yaml")
    assert [p.message for p in found] == ["permission denied: cannot read it"]


def test_other_read_errors(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("vastplan.spec.yamldoc.open", broken, raising=False)
    _, found = read_yaml_file("any.yaml")
    assert [p.message for p in found] == ["cannot read it: Input/output error"]


def test_not_utf8(workdir: Path) -> None:
    (workdir / "latin1.yaml").write_bytes(b"version: 1\n# caf\xe9\n")
    _, found = read_yaml_file("latin1.yaml")
    assert [(p.line, p.message) for p in found] == [(2, "not UTF-8 text (byte 0xe9)")]


def test_oversized_file_is_refused_before_parsing(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vastplan.spec.yamldoc.MAX_FILE_BYTES", 1024)
    (workdir / "big.yaml").write_text("version: 1\n" + "# padding\n" * 200)
    _, found = read_yaml_file("big.yaml")
    assert [p.message for p in found] == [
        "larger than 1KiB; refusing to read it (split the spec into several files)"
    ]


def test_default_file_limit_is_twenty_mib() -> None:
    assert limits.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_too_many_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vastplan.spec.yamldoc.MAX_VALUES", 50)
    _, found = parse_yaml("x: [" + ", ".join(["1"] * 60) + "]\n", "s")
    assert "too many values" in found[-1].message


def test_bom_is_accepted(workdir: Path) -> None:
    (workdir / "bom.yaml").write_bytes("\ufeffversion: 1\n".encode())
    doc, found = read_yaml_file("bom.yaml")
    assert found == [] and doc is not None and doc.data == {"version": 1}


def test_problems_from_several_files_come_in_file_order(problems: Callable[..., list[Problem]]) -> None:
    found = problems("version: 2\n", "version: 1\nfolders: [{path: a}]\n")
    assert [p.file for p in found] == ["spec.yaml", "spec1.yaml"]
