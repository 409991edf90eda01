"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

from vastplan.client.errors import VmsBadRequest, VmsConnectionError
from vastplan.engine.execution.retry import describe_error


def test_a_connection_error_is_described_without_naming_the_call_twice() -> None:
    # The client's connection errors already start with "POST /views/ failed: ..."; the applier's events
    # used to say "POST /views/ failed: POST /views/ failed: the connection ... broke".
    error = VmsConnectionError(
        "POST /views/ failed: the connection to http://127.0.0.1:9 broke: Remote end closed connection",
        outcome_unknown=True,
    )
    text = describe_error("POST", "/views/", error)
    assert text.count("POST /views/ failed") == 1
    assert text.startswith("POST /views/ failed: the connection")


def test_errors_that_do_not_name_the_call_get_it() -> None:
    error = VmsConnectionError("no answer", outcome_unknown=True)
    assert describe_error("PATCH", "/quotas/3/", error) == "PATCH /quotas/3/ failed: no answer"
    api = VmsBadRequest("POST", "/views/", 400, "path: This field must be unique.")
    assert describe_error("POST", "/views/", api) == (
        "POST /views/ failed: 400 Bad Request: path: This field must be unique."
    )
