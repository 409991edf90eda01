"""The command line's own pieces, each alone: redaction, errors, prompts, plan files, the apply account."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
import yaml

from vastplan.cli import confirm, logs, redact
from vastplan.cli.account import account_lines
from vastplan.cli.connection import ConnectionOptions, build_config
from vastplan.cli.failures import EXIT_ERROR, EXIT_INTERRUPTED, CliError, report
from vastplan.cli.plandoc import data_loss_changes, has_changes, is_plan_file
from vastplan.cli.spec_yaml import dump, schema_reference
from vastplan.client.errors import VmsConfigError
from vastplan.engine.execution.report import ApplyReport, StepResult

SECRET = "s3cret-value-42"


# --- secrets never printed -------------------------------------------------------------------------


def test_redact_masks_remembered_secrets_longest_first() -> None:
    redact.remember([SECRET, SECRET[:8], None, "ab"])
    assert redact.redact(f"x {SECRET} y {SECRET[:8]} ab") == "x *** y *** ab"


def test_environment_secrets_are_remembered() -> None:
    redact.remember_environment({"VAST_PASSWORD": SECRET, "VAST_USER": "admin"})
    assert redact.redact(f"admin {SECRET}") == "admin ***"


def test_log_lines_are_redacted() -> None:
    redact.remember([SECRET])
    formatter = logs.RedactingFormatter("%(message)s")
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "header Authorization: %s", (SECRET,), None)
    assert formatter.format(record) == "header Authorization: ***"


@pytest.mark.parametrize(("verbose", "level"), [(0, logging.WARNING), (1, logging.INFO), (2, logging.DEBUG)])
def test_verbosity_levels(verbose: int, level: int) -> None:
    assert logs.level_for(verbose) == level


# --- errors → messages and exit codes --------------------------------------------------------------


def test_user_error_is_one_message_without_traceback() -> None:
    out = io.StringIO()
    assert report(CliError("spec.yaml: something is wrong"), debug=False, stream=out) == EXIT_ERROR
    assert out.getvalue() == "Error: spec.yaml: something is wrong\n"


def test_internal_error_is_short_and_points_to_debug() -> None:
    out = io.StringIO()
    assert report(ZeroDivisionError("boom"), debug=False, stream=out) == EXIT_ERROR
    assert "internal error" in out.getvalue() and "--debug" in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_debug_shows_the_traceback_redacted() -> None:
    redact.remember([SECRET])
    try:
        raise RuntimeError(f"with {SECRET}")
    except RuntimeError as exc:
        out = io.StringIO()
        report(exc, debug=True, stream=out)
    assert "Traceback" in out.getvalue() and SECRET not in out.getvalue()


def test_interrupt_has_its_own_exit_code() -> None:
    assert report(KeyboardInterrupt(), debug=False, stream=io.StringIO()) == EXIT_INTERRUPTED


# --- connection: flags, environment, prompts -------------------------------------------------------


def _never(prompt: str) -> str:
    raise AssertionError(f"unexpected prompt {prompt!r}")


def test_flags_override_the_environment() -> None:
    env = {"VAST_ENDPOINT": "https://a.example", "VAST_API_TOKEN": SECRET, "VAST_TENANT": "t1"}
    config = build_config(
        ConnectionOptions(endpoint="https://b.example", tenant="t2"),
        env,
        terminal=False,
        ask_user=_never,
        ask_secret=_never,
    )
    assert (config.endpoint, config.tenant, config.api_token) == ("https://b.example", "t2", SECRET)
    assert SECRET not in repr(config)


def test_insecure_flag_turns_verification_off() -> None:
    config = build_config(
        ConnectionOptions(insecure=True),
        {"VAST_ENDPOINT": "https://a.example", "VAST_API_TOKEN": SECRET},
        terminal=False,
    )
    assert config.verify_tls is False


def test_password_is_asked_on_a_terminal_and_remembered_for_redaction() -> None:
    asked: list[str] = []

    def secret(prompt: str) -> str:
        asked.append(prompt)
        return SECRET

    config = build_config(
        ConnectionOptions(endpoint="https://a.example", user="ops"),
        {},
        terminal=True,
        ask_user=_never,
        ask_secret=secret,
    )
    assert (config.username, config.password) == ("ops", SECRET)
    assert asked == ["Password for ops: "]
    assert redact.redact(SECRET) == "***"


def test_user_is_asked_too_when_none_is_given() -> None:
    config = build_config(
        ConnectionOptions(endpoint="https://a.example"),
        {},
        terminal=True,
        ask_user=lambda _: "ops\n",
        ask_secret=lambda _: SECRET,
    )
    assert config.username == "ops"


@pytest.mark.parametrize("env", [{"VAST_PASSWORD": SECRET, "VAST_USER": "u"}, {"VAST_API_TOKEN": SECRET}])
def test_no_prompt_when_the_environment_has_a_secret(env: dict[str, str]) -> None:
    build_config(
        ConnectionOptions(endpoint="https://a.example"),
        env,
        terminal=True,
        ask_user=_never,
        ask_secret=_never,
    )


def test_no_prompt_for_the_embedded_simulator() -> None:
    config = build_config(
        ConnectionOptions(endpoint="sim://x.json"), {}, terminal=True, ask_user=_never, ask_secret=_never
    )
    assert config.endpoint == "sim://x.json"


def test_without_terminal_missing_credentials_are_an_error_naming_the_variables() -> None:
    with pytest.raises(VmsConfigError, match="VAST_API_TOKEN"):
        build_config(ConnectionOptions(endpoint="https://a.example"), {}, terminal=False)


# --- confirmation -----------------------------------------------------------------------------------


def test_only_yes_confirms(capsys: pytest.CaptureFixture[str]) -> None:
    confirm.ask("Apply?", read=lambda: "yes\n")
    for answer in ("y\n", "YES please\n", "\n", ""):
        with pytest.raises(confirm.Cancelled):
            confirm.ask("Apply?", read=lambda a=answer: a)
    assert "Type yes" in capsys.readouterr().err


# --- plan files and documents ----------------------------------------------------------------------


def test_plan_file_is_told_from_spec_files(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format_version": "1"}))
    spec_json = tmp_path / "spec.json"
    spec_json.write_text(json.dumps({"version": 1}))
    spec_yaml = tmp_path / "spec.yaml"
    spec_yaml.write_text("version: 1\n")
    assert is_plan_file([plan])
    assert is_plan_file([tmp_path / "missing.json"])  # reported by the plan reader
    assert not is_plan_file([spec_json])
    assert not is_plan_file([spec_yaml])
    assert not is_plan_file([plan, spec_yaml])


def test_changes_and_data_loss_of_a_document() -> None:
    doc = {
        "changes": [
            {"address": "a", "action": "noop", "risk": "safe"},
            {"address": "b", "action": "delete", "risk": "data-loss"},
            {"address": "c", "action": "update", "risk": "safe"},
        ]
    }
    assert has_changes(doc)
    assert [c["address"] for c in data_loss_changes(doc)] == ["b"]
    assert not has_changes({"changes": [{"action": "noop"}]})


# --- the account of an apply ------------------------------------------------------------------------


def test_account_names_every_step_and_the_vms_text() -> None:
    report_ = ApplyReport(
        (
            StepResult(1, "viewpolicy[p]", "create", "POST", "/viewpolicies/", "done", attempts=1),
            StepResult(
                2,
                "view[/a]",
                "create",
                "POST",
                "/views/",
                "failed",
                error="POST /views/ failed: 400 Bad Request: path: This field must be unique.",
            ),
            StepResult(3, "snapshot[s]", "create", "POST", "/snapshots/", "not_started"),
        )
    )
    text = "\n".join(account_lines(report_))
    assert text.startswith("\nApply stopped: 1 done, 1 failed, 1 not started.")
    assert "done         step 1: create viewpolicy[p]" in text
    assert "failed       step 2: create view[/a]" in text
    assert "This field must be unique." in text
    assert "not started  step 3: create snapshot[s]" in text
    assert "\x1b[" not in text


def test_account_in_colour_on_request() -> None:
    report_ = ApplyReport((StepResult(1, "view[/a]", "create", "POST", "/views/", "done"),))
    lines = account_lines(report_, color=True)
    assert lines[1] == "Apply complete: 1 done, 0 failed, 0 not started."
    assert "\x1b[" in lines[2]


# --- exported specs ---------------------------------------------------------------------------------


def test_export_yaml_has_schema_line_and_header(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "cluster.yaml"
    out.parent.mkdir()
    text = dump({"version": 1, "views": [{"path": "/a", "protocols": ["NFS"]}]}, source="sim://x", out=out)
    first, second = text.splitlines()[:2]
    assert first.startswith("# yaml-language-server: $schema=")
    assert first.endswith("spec.schema.json")
    assert (out.parent / first.split("=", 1)[1]).resolve().name == "spec.schema.json"
    assert "sim://x" in second
    assert yaml.safe_load(text) == {"version": 1, "views": [{"path": "/a", "protocols": ["NFS"]}]}


def test_schema_reference_is_relative_to_the_output(tmp_path: Path) -> None:
    assert not Path(schema_reference(tmp_path / "x.yaml")).is_absolute()
