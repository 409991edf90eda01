"""Running the installed ``vastplan`` command as a user would: subprocesses, a simulator server, a pty.

The end-to-end tests drive the console script next to ``sys.executable`` (the one ``pip install`` made),
not the Python functions behind it, so that they also catch a broken entry point, a stray print or a
traceback that only the real process shows.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from vastplan.cli.redact import SECRET_VARIABLES

VASTPLAN = Path(sys.executable).with_name("vastplan")
REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

# Distinctive values: if any of them shows up in any output, a secret leaked.
SECRET_PASSWORD = "pw-Zq8sEcReT-417-do-not-print"
SECRET_TOKEN = "tok-Xy9sEcReT-88-do-not-print"
SIM_USER, SIM_PASSWORD = "admin", "123456"

MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})
# POSTs that change nothing: a login, and the VMS's way of asking whether a directory exists.
READ_ONLY_POSTS = ("/token/", "/folders/stat_path/")


def base_env(**extra: str) -> dict[str, str]:
    """The test process's environment without anything that would change the command's behaviour."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("VAST_") and k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")
    }
    env.update(extra)
    return env


@dataclass
class Result:
    code: int
    out: str
    err: str
    #: Secret values of the environment the command ran in: none of them may appear in its output.
    secrets: tuple[str, ...] = (SECRET_PASSWORD, SECRET_TOKEN)

    @property
    def output(self) -> str:
        return self.out + self.err

    def assert_clean(self) -> None:
        """No traceback and no secret, whatever happened."""
        assert "Traceback" not in self.output, self.output
        for secret in self.secrets:
            assert secret not in self.output, f"secret leaked:\n{self.output}"

    def assert_error(self, *needles: str) -> None:
        """Exit 1, a message on stderr that names every needle, and nothing leaked."""
        assert self.code == 1, f"exit {self.code}\n{self.output}"
        self.assert_clean()
        assert "Error:" in self.err, self.err
        for needle in needles:
            assert needle in self.err, f"{needle!r} not in:\n{self.err}"


def run(
    *args: str | Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str = "",
    timeout: float = 120,
) -> Result:
    """Run ``vastplan ARGS`` with stdin from a string (so: never a terminal)."""
    env = env if env is not None else base_env()
    proc = subprocess.run(
        [str(VASTPLAN), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    secrets = {SECRET_PASSWORD, SECRET_TOKEN} | {env[k] for k in SECRET_VARIABLES if env.get(k)}
    # The simulator's well-known demo password is no secret, and short enough to occur in a digest.
    result = Result(proc.returncode, proc.stdout, proc.stderr, tuple(secrets - {SIM_PASSWORD}))
    result.assert_clean()
    return result


class SimServer:
    """``vastplan sim serve --port 0`` in a subprocess, with its control API at hand."""

    def __init__(self, state_file: Path, *extra: str, ca_bundle: str | None = None) -> None:
        self.verify: str | bool = ca_bundle or True
        self.proc = subprocess.Popen(
            [str(VASTPLAN), "sim", "serve", "--port", "0", "--state", str(state_file), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=base_env(),
        )
        self.url = self._read_url()

    def _read_url(self) -> str:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else ""
        if "listening on" not in line:
            self.stop()
            raise RuntimeError(f"simulator did not start: {line!r}")
        return line.rsplit(" ", 1)[-1].strip()

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(
            method, f"{self.url}/_sim/{path}", json=body, timeout=30, verify=self.verify
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def calls(self) -> list[dict[str, Any]]:
        data = self.control("GET", "calls")
        calls = data["calls"] if isinstance(data, dict) else data
        assert isinstance(calls, list)
        return calls

    def mutations(self) -> list[dict[str, Any]]:
        """Calls that could change the cluster."""
        return [
            c for c in self.calls() if c["method"] in MUTATING and not c["path"].endswith(READ_ONLY_POSTS)
        ]

    def fresh(self) -> None:
        self.control("POST", "reset")
        self.control("DELETE", "calls")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def vms_list(endpoint: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """What the cluster holds, read with the project's own client (state-file format stays the sim's)."""
    from vastplan.client import ConnectionConfig, connect

    config = ConnectionConfig(endpoint, username=SIM_USER, password=SIM_PASSWORD)
    with connect(config) as client:
        return client.list(path, params or None)


def mint_api_token(endpoint: str) -> str:
    """A real API token of the simulated cluster: random, hence as distinctive as a secret should be."""
    from vastplan.client import ConnectionConfig, connect

    with connect(ConnectionConfig(endpoint, username=SIM_USER, password=SIM_PASSWORD)) as client:
        minted = client.post("/apitokens/", {"owner": SIM_USER})
    token = minted["token"]
    assert isinstance(token, str)
    return token


@dataclass
class TerminalRun:
    code: int
    transcript: str


def run_in_terminal(
    *args: str | Path,
    env: dict[str, str],
    answers: dict[str, str] | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> TerminalRun:
    """Run ``vastplan ARGS`` on a pseudo-terminal (stdin, stdout and stderr all a tty, as for a person).

    ``answers`` maps a prompt text to what is typed once that text has appeared.
    """
    pending = dict(answers or {})
    argv = [str(VASTPLAN), *map(str, args)]
    pid, master = pty.fork()
    if pid == 0:  # the child: becomes vastplan, with the pty as its controlling terminal
        if cwd is not None:
            os.chdir(cwd)
        os.execve(argv[0], argv, {**env, "COLUMNS": "120", "TERM": "xterm-256color"})
    transcript = _converse(master, pending, time.monotonic() + timeout)
    status = _reap(pid, time.monotonic() + 10)
    os.close(master)
    return TerminalRun(os.waitstatus_to_exitcode(status), transcript)


def _reap(pid: int, deadline: float) -> int:
    """The child's wait status; a child still running at the deadline is killed (a hang fails the test)."""
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _converse(master: int, pending: dict[str, str], deadline: float) -> str:
    chunks: list[bytes] = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        text = b"".join(chunks).decode("utf-8", "replace")
        for prompt in [p for p in pending if p in text]:
            os.write(master, (pending.pop(prompt) + "\n").encode())
    return b"".join(chunks).decode("utf-8", "replace")


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
