"""Errors that mean "already done": a DELETE answered 404, and a step's ``tolerate`` entries."""

from __future__ import annotations

import pytest
from executor_fakes import FakeClient, run_steps, step

FOLDER = {"path": "/f"}


def delete_folder(tolerate: list[dict[str, object]]) -> dict[str, object]:
    return step(
        1, "folder[/f]", action="delete", path="/folders/delete_folder/", body=FOLDER, tolerate=tolerate
    )


def test_a_delete_answered_404_is_done(fake: FakeClient) -> None:
    report = run_steps(fake, [step(1, "view[/v]", action="delete", path="/views/42/")])
    result = report.results[0]
    assert result.status == "done" and result.attempts == 1 and result.error is None and not result.recovered


def test_a_patch_answered_404_is_not_done(fake: FakeClient) -> None:
    report = run_steps(fake, [step(1, "view[/v]", action="update", path="/views/42/", body={"x": 1})])
    assert report.results[0].status == "failed"
    assert report.results[0].error == "PATCH /views/42/ failed: 404 Not Found: Not found."


@pytest.mark.parametrize("wanted", ["no such directory", "NO SUCH Directory", None])
def test_a_tolerated_status_and_text_is_done(fake: FakeClient, wanted: str | None) -> None:
    fake.fail_status("DELETE", "/folders/delete_folder/", 400, "No such directory: /f")
    entry: dict[str, object] = {"status": 400}
    if wanted is not None:
        entry["detail_contains"] = wanted
    report = run_steps(fake, [delete_folder([{"status": 404}, entry])])
    assert report.ok and report.results[0].attempts == 1


@pytest.mark.parametrize("entry", [{"status": 400, "detail_contains": "no such directory"}, {"status": 404}])
def test_an_error_outside_the_tolerated_ones_fails(fake: FakeClient, entry: dict[str, object]) -> None:
    fake.fail_status("DELETE", "/folders/delete_folder/", 400, "trash folder disabled")
    report = run_steps(fake, [delete_folder([entry])])
    assert report.results[0].status == "failed"
    assert (
        report.results[0].error
        == "DELETE /folders/delete_folder/ failed: 400 Bad Request: trash folder disabled"
    )
