"""A corpus of bad spec files: broken, hostile, huge, or merely wrong, each built in memory.

Each entry is a file name and its bytes. None of them is a valid spec, so every command given one must end
with a clear error (exit 1, a message that names the file) and no traceback, without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HEAD = b"version: 1\n"


@dataclass(frozen=True)
class Bad:
    id: str
    make: Callable[[], bytes]
    #: Text the error message must contain besides the file name (lower-cased match), if any.
    says: str = ""
    filename: str = "spec.yaml"


def _views(lines: list[str]) -> bytes:
    return HEAD + b"views:\n" + "".join(lines).encode()


def _alias_bomb() -> bytes:
    """The "billion laughs": nine levels of nine aliases, 9**9 values when expanded."""
    out = ["version: 1\n", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 9)
        out.append(f"a{level}: &a{level} [{refs}]\n")
    out.append("viewpolicies:\n  - name: bomb\n    nfs_read_write: *a9\n")
    return "".join(out).encode()


def _alias_bomb_in_place() -> bytes:
    """Aliases expanded where the schema walks: every view is the same huge mapping."""
    out = [
        "version: 1\n",
        "x0: &x0 {path: /a, policy: p, protocols: [NFS, NFS, NFS, NFS, NFS, NFS, NFS, NFS]}\n",
    ]
    for level in range(1, 8):
        out.append(f"x{level}: &x{level} [{','.join([f'*x{level - 1}'] * 10)}]\n")
    out.append("views: *x7\n")
    return "".join(out).encode()


def _deep(depth: int) -> bytes:
    return HEAD + b"views: " + b"[" * depth + b"]" * depth + b"\n"


def _deep_block(depth: int) -> bytes:
    lines = [b"version: 1\n", b"views:\n"]
    lines += [b"  " * (i + 1) + b"- k:\n" for i in range(depth)]
    lines.append(b"  " * (depth + 1) + b"  v\n")
    return b"".join(lines)


def _huge_over_limit() -> bytes:
    """Just over the 20 MiB file limit, in valid YAML: must be refused before it is parsed."""
    entry = b'  - {name: "p-%07d", nfs_read_write: ["10.0.0.0/8"]}\n'
    body = b"".join(entry % i for i in range(21 * 2**20 // (len(entry) - 3) + 1))
    return HEAD + b"viewpolicies:\n" + body


def _huge_wrong_everywhere() -> bytes:
    """5,000 entries, every one wrong twice: the message must stay readable, not list 10,000 lines."""
    return (
        HEAD
        + b"quotas:\n"
        + b"".join(b"  - {name: q%d, path: relative/%d, hard_limit: lots}\n" % (i, i) for i in range(5000))
    )


def _enormous_hosts_one_bad() -> bytes:
    hosts = ",".join(f'"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"' for i in range(150_000))
    return HEAD + f'viewpolicies:\n  - name: big\n    nfs_read_write: [{hosts}, "10.0.0.300"]\n'.encode()


def _enormous_hosts_all_bad() -> bytes:
    hosts = ",".join(f'"host {i}!"' for i in range(20_000))
    return HEAD + f"viewpolicies:\n  - name: big\n    nfs_read_only: [{hosts}]\n".encode()


def _long_line() -> bytes:
    return HEAD + b"views:\n  - path: /" + b"a" * (8 * 2**20) + b"\n    policy: p\n"


CORPUS: list[Bad] = [
    # --- malformed YAML
    Bad("unclosed-flow", lambda: HEAD + b"views: [\n", "malformed yaml"),
    Bad(
        "bad-indentation", lambda: HEAD + b"views:\n  - path: /a\n     policy: p\n   x: 1\n", "malformed yaml"
    ),
    Bad("tab-indent", lambda: HEAD + b"views:\n\t- path: /a\n", "yaml"),
    Bad("unterminated-string", lambda: HEAD + b'views:\n  - path: "/a\n', "yaml"),
    Bad("two-documents", lambda: HEAD + b"---\nversion: 1\n"),
    Bad("empty-file", lambda: b""),
    Bad("only-comments", lambda: b"# nothing here\n"),
    Bad("top-level-list", lambda: b"- version: 1\n"),
    Bad("top-level-scalar", lambda: b"just a string\n"),
    Bad("version-missing", lambda: b"views: []\n", "version"),
    Bad("version-two", lambda: b"version: 2\n", "version"),
    Bad("duplicate-keys", lambda: HEAD + b"views:\n  - path: /a\n    path: /b\n    policy: p\n", "duplicate"),
    Bad("python-tag", lambda: HEAD + b"views: !!python/object/apply:os.system ['true']\n"),
    Bad("custom-tag", lambda: HEAD + b"views: !vault |\n  abc\n"),
    Bad("undefined-alias", lambda: HEAD + b"views: *nowhere\n", "alias"),
    Bad("nan-size", lambda: HEAD + b"quotas:\n  - {name: q, path: /q, hard_limit: .nan, create_dir: true}\n"),
    Bad(
        "infinite-size",
        lambda: HEAD + b"quotas:\n  - {name: q, path: /q, hard_limit: .inf, create_dir: true}\n",
    ),
    # --- hostile or huge
    Bad("alias-bomb", _alias_bomb),
    Bad("alias-bomb-in-list", _alias_bomb_in_place),
    Bad("deep-flow-nesting", lambda: _deep(50_000)),
    Bad("deep-block-nesting", lambda: _deep_block(3_000)),
    Bad("over-size-limit", _huge_over_limit),
    Bad("huge-all-wrong", _huge_wrong_everywhere),
    Bad("enormous-host-list-one-bad", _enormous_hosts_one_bad, "10.0.0.300"),
    Bad("enormous-host-list-all-bad", _enormous_hosts_all_bad),
    Bad("eight-megabyte-line", _long_line),
    Bad(
        "many-objects",
        lambda: HEAD + b"folders:\n" + b"".join(b"  - path: /f/%d\n" % i for i in range(200_001)),
    ),
    # --- encodings and characters
    Bad("nul-byte-raw", lambda: HEAD + b"views:\n  - path: /a\x00b\n    policy: p\n"),
    Bad(
        "nul-escape-in-path",
        lambda: HEAD + b'views:\n  - path: "/a\\0b"\n    policy: p\n    create_dir: true\n',
    ),
    Bad("invalid-utf8", lambda: HEAD + b"viewpolicies:\n  - name: caf\xe9\n"),
    Bad("utf16-file", lambda: "version: 1\nviews: [[]]\n".encode("utf-16")),
    Bad("binary-garbage", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
    Bad(
        "unicode-size",
        lambda: HEAD + "quotas:\n  - {name: q, path: /q, hard_limit: 10 ГиБ, create_dir: true}\n".encode(),
    ),
    Bad(
        "unicode-name-bad-field",
        lambda: HEAD + "viewpolicies:\n  - name: 策略-🚀\n    nfs_read_wrïte: [10.0.0.1]\n".encode(),
    ),
    Bad(
        "rtl-and-zero-width-path",
        lambda: HEAD + "views:\n  - path: /a\u200b/\u202eb/../c\n    policy: p\n".encode(),
    ),
    Bad(
        "control-chars-in-name",
        lambda: HEAD + b'viewpolicies:\n  - name: "a\\x1bb\\x07c"\n    nfs_read_write: 5\n',
    ),
    Bad(
        "terminal-escape-echoed",
        lambda: _views(['  - {path: /a, policy: "\\e[2J\\e]0;owned\\x07\\e[31mred", create_dir: true}\n']),
    ),
    # --- paths
    Bad("dotdot-path", lambda: _views(["  - path: /projects/../etc\n    policy: p\n"]), ".."),
    Bad("dotdot-leading", lambda: _views(["  - path: ../escape\n    policy: p\n"])),
    Bad("dot-path", lambda: _views(["  - path: /a/./b\n    policy: p\n"])),
    Bad("relative-path", lambda: _views(["  - path: projects/a\n    policy: p\n"])),
    Bad("double-slash", lambda: _views(["  - path: //a//b\n    policy: p\n"])),
    Bad("snapshot-dotdot", lambda: HEAD + b"snapshots:\n  - {name: s, path: /a/../../}\n"),
    Bad("scope-dotdot", lambda: HEAD + b"scope: {paths: [/a/..], prune: true}\n"),
    # --- wrong types everywhere
    Bad("views-is-string", lambda: HEAD + b"views: all of them\n"),
    Bad("views-is-mapping", lambda: HEAD + b"views: {path: /a}\n"),
    Bad("entry-is-list", lambda: HEAD + b"views:\n  - [/a, p]\n"),
    Bad("entry-is-number", lambda: HEAD + b"quotas:\n  - 42\n"),
    Bad("path-is-number", lambda: _views(["  - path: 42\n    policy: p\n"])),
    Bad("path-is-list", lambda: _views(["  - path: [/a]\n    policy: p\n"])),
    Bad(
        "protocols-is-string",
        lambda: _views(["  - {path: /a, policy: p, protocols: NFS, create_dir: true}\n"]),
    ),
    Bad("hosts-is-mapping", lambda: HEAD + b"viewpolicies:\n  - {name: p, nfs_read_write: {a: 1}}\n"),
    Bad(
        "hard-limit-is-list",
        lambda: HEAD + b"quotas:\n  - {name: q, path: /q, hard_limit: [1], create_dir: true}\n",
    ),
    Bad(
        "hard-limit-negative",
        lambda: HEAD + b"quotas:\n  - {name: q, path: /q, hard_limit: -5, create_dir: true}\n",
    ),
    Bad(
        "hard-limit-huge",
        lambda: (
            HEAD
            + b"quotas:\n  - {name: q, path: /q, hard_limit: 99999999999999999999999999999999, create_dir: true}\n"
        ),
    ),
    Bad("state-is-bool", lambda: HEAD + b"folders:\n  - {path: /a, state: yes}\n"),
    Bad("create-dir-is-string", lambda: _views(['  - {path: /a, policy: p, create_dir: "maybe"}\n'])),
    Bad("name-is-null", lambda: HEAD + b"viewpolicies:\n  - name: null\n"),
    Bad("name-is-bool", lambda: HEAD + b"viewpolicies:\n  - name: no\n"),
    Bad("scope-is-string", lambda: HEAD + b"scope: everything\n"),
    Bad("prune-is-string", lambda: HEAD + b"scope: {paths: [/a], prune: sometimes}\n"),
    Bad("defaults-is-list", lambda: HEAD + b"defaults: [tenant]\n"),
    Bad("tenant-is-mapping", lambda: _views(["  - {path: /a, policy: p, tenant: {name: t}}\n"])),
    Bad("unknown-top-level-key", lambda: HEAD + b"vews: []\n", "vews"),
    Bad("unknown-field", lambda: _views(["  - {path: /a, polcy: p}\n"]), "polcy"),
    Bad(
        "every-kind-wrong",
        lambda: HEAD + b"viewpolicies: 1\nviews: 2\nquotas: 3\nsnapshots: 4\nfolders: 5\ntenants: 6\n",
    ),
    Bad(
        "undeclared-policy",
        lambda: _views(["  - {path: /a, policy: nowhere, create_dir: true}\n"]),
        "nowhere",
    ),
    Bad(
        "same-address-twice",
        lambda: (
            _views(["  - {path: /a, policy: p, create_dir: true}\n"] * 2) + b"viewpolicies: [{name: p}]\n"
        ),
    ),
]
