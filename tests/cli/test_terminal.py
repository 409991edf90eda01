"""What only happens on a terminal: colour, the confirmation, the password prompt, the progress bar.

Each test runs the installed command on a pseudo-terminal, as a person at a shell would.
"""

from __future__ import annotations

import pytest

from .harness import EXAMPLES, SECRET_PASSWORD, SIM_USER, SimServer, base_env, run, run_in_terminal, vms_list

pytestmark = pytest.mark.e2e

QUICKSTART = EXAMPLES / "quickstart.yaml"
ESC = "\x1b["


def test_colour_on_a_terminal_only(sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    assert ESC in run_in_terminal("plan", QUICKSTART, env=env).transcript
    assert ESC not in run("plan", QUICKSTART, env=env).out


@pytest.mark.parametrize(("extra_env", "flags"), [({"NO_COLOR": "1"}, []), ({}, ["--no-color"])])
def test_no_colour_when_asked(sim_file: str, extra_env: dict[str, str], flags: list[str]) -> None:
    env = base_env(VAST_ENDPOINT=sim_file, **extra_env)
    transcript = run_in_terminal("plan", QUICKSTART, *flags, env=env).transcript
    assert "+ view[/quickstart/data]" in transcript
    assert ESC not in transcript


def test_apply_asks_and_yes_applies(sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    session = run_in_terminal("apply", QUICKSTART, env=env, answers={"Type yes to apply:": "yes"})
    assert session.code == 0, session.transcript
    assert f"Apply 3 changes to {sim_file}?" in session.transcript
    assert "Apply complete: 3 done" in session.transcript
    assert len(vms_list(sim_file, "/views/")) == 1


@pytest.mark.parametrize("answer", ["no", "y", ""])
def test_anything_but_yes_cancels(sim_file: str, answer: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    session = run_in_terminal("apply", QUICKSTART, env=env, answers={"Type yes to apply:": answer})
    assert session.code == 1
    assert "apply cancelled: nothing was changed" in session.transcript
    assert "Traceback" not in session.transcript
    assert vms_list(sim_file, "/views/") == []


def test_data_loss_is_refused_before_the_question(sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    run("apply", EXAMPLES / "data-loss" / "before.yaml", "--auto-approve", env=env)
    session = run_in_terminal(
        "apply", EXAMPLES / "data-loss" / "after.yaml", env=env, answers={"Type yes to apply:": "yes"}
    )
    assert session.code == 1
    assert "Type yes" not in session.transcript and "--allow-data-loss" in session.transcript


def test_password_prompt_is_hidden_and_never_printed(sim_server: SimServer) -> None:
    sim_server.fresh()
    env = base_env(VAST_ENDPOINT=sim_server.url, VAST_USER=SIM_USER)
    session = run_in_terminal("plan", QUICKSTART, env=env, answers={"Password for admin:": SECRET_PASSWORD})
    assert "Password for admin:" in session.transcript
    assert SECRET_PASSWORD not in session.transcript  # not echoed, not in the 401 message
    assert session.code == 1 and "401" in session.transcript and "Traceback" not in session.transcript


def test_password_prompt_logs_in(sim_server: SimServer) -> None:
    sim_server.fresh()
    env = base_env(VAST_ENDPOINT=sim_server.url, VAST_USER=SIM_USER)
    session = run_in_terminal(
        "plan", QUICKSTART, "--detailed-exitcode", env=env, answers={"Password for admin:": "123456"}
    )
    assert session.code == 2, session.transcript


def test_progress_bar_for_applies_of_more_than_a_few_steps(sim_file: str) -> None:
    env = base_env(VAST_ENDPOINT=sim_file)
    specs = sorted((EXAMPLES / "multi-tenant").glob("*.yaml"))
    session = run_in_terminal("apply", *specs, "--auto-approve", env=env)
    assert session.code == 0, session.transcript
    bar = session.transcript[
        session.transcript.index("Applying") : session.transcript.index("Apply complete")
    ]
    assert "8/8" in bar
    assert "[team-" in bar  # the step's address, not eaten as a rich markup tag
    assert "Apply complete: 8 done, 0 failed, 0 not started." in session.transcript
