"""Identity paths."""

from __future__ import annotations

import pytest

from vastplan.spec.paths import MAX_PATH_LENGTH, path_problems, snapshot_path


@pytest.mark.parametrize("path", ["/", "/a", "/projects/alpha/data", "/a b/ü", "/a/.hidden", "/a/..b"])
def test_valid_paths(path: str) -> None:
    assert path_problems(path) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("a/b", "'a/b' is not an absolute path; it must start with '/'"),
        ("", "is not an absolute path"),
        ("/a/", "path '/a/' ends with '/'; write '/a'"),
        ("/a/../b", "has a '..' component"),
        ("/..", "has a '..' component"),
        ("/a/./b", "has a '.' component"),
        ("/a//b", "has an empty component ('//')"),
        ("/a\0b", "contains a NUL byte"),
        ("/a\nb", "contains a control character (U+000A)"),
        ("/" + "a" * MAX_PATH_LENGTH, f"at most {MAX_PATH_LENGTH}"),
    ],
)
def test_invalid_paths(path: str, message: str) -> None:
    assert any(message in problem for problem in path_problems(path)), path_problems(path)


def test_trailing_slash_allowed_where_asked() -> None:
    assert path_problems("/a/b/", trailing_slash=True) == []
    assert path_problems("/a//", trailing_slash=True) != []


def test_snapshot_path_gains_a_slash() -> None:
    assert snapshot_path("/a/b") == "/a/b/"
    assert snapshot_path("/a/b/") == "/a/b/"
    assert snapshot_path("/") == "/"
