"""The command line's surface, in process: commands, flags, exit codes of usage errors (DESIGN §10)."""

from __future__ import annotations

import re

import pytest

from vastplan import __version__
from vastplan.cli import main

# Rich help draws boxes and may wrap; compare words, not layout.
_BOX = re.compile(r"[│╭╮╰╯─]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, _BOX.sub(" ", captured.out), _BOX.sub(" ", captured.err)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"vastplan {__version__}")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("validate", "plan", "show", "apply", "export", "sim"):
        assert re.search(rf"\b{command}\b", out), command


CONNECTION = ["--endpoint", "--tenant", "--ca-bundle", "--insecure", "--user"]
GENERAL = ["--verbose", "--debug", "--no-color"]


@pytest.mark.parametrize(
    ("command", "flags"),
    [
        (["validate"], GENERAL),
        (["plan"], ["--out", "--format", "--detailed-exitcode", *CONNECTION, *GENERAL]),
        (["show"], ["--format", *GENERAL]),
        (["apply"], ["--auto-approve", "--allow-data-loss", "--parallelism", "--expect-digest", *CONNECTION]),
        (["export"], ["--kind", "--path-prefix", "--name-prefix", "--out", *CONNECTION]),
        (["sim", "serve"], ["--host", "--port", "--state", "--cert", "--key"]),
    ],
)
def test_every_flag_of_the_contract_exists(
    capsys: pytest.CaptureFixture[str], command: list[str], flags: list[str]
) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    for flag in flags:
        assert flag in out, f"{' '.join(command)} has no {flag}"


@pytest.mark.parametrize("command", [["plan"], ["apply"], ["export"]])
def test_no_flag_takes_a_secret(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    # A secret on the command line is visible to every user of the machine in ps (DESIGN §10).
    _, out, _ = run(capsys, *command, "--help")
    assert not re.search(r"--(password|token|api-token|secret)\b", out)


def test_bad_format_is_a_usage_error_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "plan.json", "--format", "xml")
    assert code == 1
    assert "--format" in err and "xml" in err
    assert "Traceback" not in err


def test_unknown_command_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "destroy")
    assert code == 1
    assert "destroy" in err


def test_export_rejects_an_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--kind", "bucket", "--endpoint", "sim://x.json")
    assert code == 1
    assert "bucket" in err and "viewpolicy" in err


def test_parallelism_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "apply", "x.yaml", "--parallelism", "0", "--auto-approve")
    assert code == 1
    assert "--parallelism" in err


def test_apply_without_terminal_needs_auto_approve(capsys: pytest.CaptureFixture[str]) -> None:
    # pytest's stdin is not a terminal; the refusal comes before any file or cluster is read.
    code, out, err = run(capsys, "apply", "does-not-matter.yaml", "--endpoint", "http://127.0.0.1:9")
    assert code == 1
    assert "--auto-approve" in err and "terminal" in err
    assert out == ""


def test_sim_serve_needs_cert_and_key_together(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    code, _, err = run(capsys, "sim", "serve", "--cert", str(cert))
    assert code == 1
    assert "--cert and --key" in err


def test_general_flags_work_before_and_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["-v", "--no-color", "show", "--help"], ["show", "-v", "--no-color", "--help"]):
        code, _, err = run(capsys, *argv)
        assert code == 0, err
