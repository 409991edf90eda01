"""Bad input through the command line: every file of the corpus (``corpus.py``) given to ``vastplan
validate`` and to ``vastplan plan --endpoint sim://FILE`` ends with a clear error and changes nothing.

A clear error is: exit code 1; ``Error:`` on stderr with the spec file's name; no traceback; no raw
control character from the file echoed to the terminal; and a message a person can read (at most
``MAX_MESSAGE`` bytes, whatever the size of the input). Changing nothing is: the simulator's state file
holds the same objects afterwards, and its call log holds no mutating call.

The commands run in-process through ``vastplan.cli.main`` — the function the console script calls, so
parsing, error handling and output are the same — and a few hostile files also through the installed
``vastplan`` script in a subprocess, to show that the real process behaves the same.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vastplan.cli import main
from vastplan.sim import Simulator

from .corpus import CORPUS, Bad

MAX_MESSAGE = 64 * 1024
MUTATING = {"POST", "PATCH", "PUT", "DELETE"}
READ_ONLY_POSTS = {"/token/", "/token/refresh/", "/folders/stat_path/"}
VASTPLAN = Path(sys.executable).with_name("vastplan")


@pytest.fixture(scope="module")
def state_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated cluster in a file, with something in it to lose."""
    path = tmp_path_factory.mktemp("cluster") / "cluster.json"
    sim = Simulator.open_file(path)
    auth = {"Authorization": "Basic YWRtaW46MTIzNDU2"}  # admin:123456, the simulator's demo user
    sim.handle("POST", "/api/viewpolicies/", auth, b'{"name": "p", "nfs_read_write": ["10.0.0.0/8"]}')
    sim.handle("POST", "/api/views/", auth, b'{"path": "/a", "policy_id": 1, "create_dir": true}')
    sim.handle("DELETE", "/_sim/calls")
    return path


def cluster_objects(path: Path) -> dict[str, Any]:
    return Simulator.open_file(path).state_dict()["tables"]


def mutating_calls(path: Path) -> list[str]:
    return [
        f"{c['method']} {c['route']}"
        for c in Simulator.open_file(path).calls
        if c["method"] in MUTATING and c["route"] not in READ_ONLY_POSTS
    ]


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``vastplan ARGS`` in this process, in ``cwd``, with a plain environment (no colour, no terminal)."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # main() never raises; a usage error might still exit
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def check_clear_error(code: int, out: str, err: str, filename: str, bad: Bad | None, command: str) -> None:
    shown = (err[:2000] + "...") if len(err) > 2000 else err
    where = f"{command} {bad.id if bad else filename}"
    assert code == 1, f"{where}: exit {code}\n{shown}"
    assert "Traceback" not in out + err, f"{where}: traceback\n{shown}"
    assert "Error:" in err, f"{where}: no error message\n{shown}"
    assert filename in err, f"{where}: the message does not name {filename}\n{shown}"
    if bad and bad.says:
        assert bad.says in err.lower(), f"{where}: {bad.says!r} not in\n{shown}"
    # Nothing from the file may drive the terminal: no escape, bell or other C0 control byte echoed.
    controls = sorted({c for c in out + err if ord(c) < 32 and c not in "\n\t"})
    assert not controls, f"{where}: control characters {controls!r} in the output\n{shown!r}"
    assert len(err.encode()) <= MAX_MESSAGE, f"{where}: a {len(err.encode()):,}-byte message\n{err[:500]}"


@pytest.mark.parametrize("bad", [pytest.param(bad, id=bad.id) for bad in CORPUS])
def test_bad_spec_is_a_clear_error_and_changes_nothing(bad: Bad, tmp_path: Path, state_file: Path) -> None:
    spec = tmp_path / bad.filename
    spec.write_bytes(bad.make())
    before = cluster_objects(state_file)
    for command in (["validate", bad.filename], ["plan", bad.filename, "--endpoint", f"sim://{state_file}"]):
        code, out, err = run_cli(["--no-color", *command], tmp_path)
        check_clear_error(code, out, err, bad.filename, bad, command[0])
    assert cluster_objects(state_file) == before
    assert mutating_calls(state_file) == []


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["validate", "missing.yaml"], id="missing-file"),
        pytest.param(["validate", "a-directory"], id="directory"),
        pytest.param(
            ["plan", "spec.yaml", "--endpoint", "sim://a-directory"], id="state-file-is-a-directory"
        ),
        pytest.param(
            ["plan", "spec.yaml", "--endpoint", "sim://not-a-state.json"], id="state-file-not-a-state"
        ),
    ],
)
def test_bad_arguments_are_clear_errors(arguments: list[str], tmp_path: Path) -> None:
    (tmp_path / "a-directory").mkdir()
    (tmp_path / "not-a-state.json").write_text('{"hello": "world"}')
    (tmp_path / "spec.yaml").write_text("version: 1\nviewpolicies: [{name: p}]\n")
    code, out, err = run_cli(["--no-color", *arguments], tmp_path)
    named = next(
        a.split("://")[-1] for a in reversed(arguments) if a not in ("validate", "plan", "--endpoint")
    )
    check_clear_error(code, out, err, named, None, arguments[0])
    assert (tmp_path / "not-a-state.json").read_text() == '{"hello": "world"}'


SUBPROCESS_CASES = (
    "alias-bomb",
    "nul-byte-raw",
    "deep-flow-nesting",
    "terminal-escape-echoed",
    "invalid-utf8",
)


@pytest.mark.skipif(not VASTPLAN.exists(), reason="the vastplan console script is not installed")
@pytest.mark.parametrize("bad", [b for b in CORPUS if b.id in SUBPROCESS_CASES], ids=lambda b: b.id)
def test_the_real_process_behaves_the_same(bad: Bad, tmp_path: Path, state_file: Path) -> None:
    (tmp_path / bad.filename).write_bytes(bad.make())
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAST_")}
    env["NO_COLOR"] = "1"
    before = cluster_objects(state_file)
    for command in (["validate", bad.filename], ["plan", bad.filename, "--endpoint", f"sim://{state_file}"]):
        proc = subprocess.run(
            [str(VASTPLAN), *command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        check_clear_error(proc.returncode, proc.stdout, proc.stderr, bad.filename, bad, command[0])
    assert cluster_objects(state_file) == before
    assert mutating_calls(state_file) == []
