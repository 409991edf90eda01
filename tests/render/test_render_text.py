"""The terminal rendering: symbols, field diffs, colour, escaping, summaries."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from plandocs import GiB, change, creates_only, data_loss, field, huge, mixed, no_changes, plan, replace, step

from vastplan.render import render

ESC = "\x1b"


def test_no_escape_codes_without_colour() -> None:
    for builder in (creates_only, mixed, replace, data_loss, no_changes):
        assert ESC not in render(builder(), "text")


def test_colours_by_action() -> None:
    output = render(mixed(), "text", color=True)
    assert f"{ESC}[32;1m+{ESC}[0m" in output  # green create
    assert f"{ESC}[33;1m~{ESC}[0m" in output  # yellow update
    assert f"{ESC}[35;1m-/+{ESC}[0m" in render(replace(), "text", color=True)  # magenta replace
    assert f"{ESC}[31;1m-{ESC}[0m" in render(data_loss(), "text", color=True)  # red delete


def test_colour_changes_nothing_but_escape_codes() -> None:
    doc = data_loss()
    plain = re.sub(r"\x1b\[[0-9;]*m", "", render(doc, "text", color=True))
    assert plain == render(doc, "text")


def test_summary_line_counts_noops_without_listing_them() -> None:
    output = render(mixed(), "text")
    assert "Plan: 1 to create, 3 to update, 0 to replace, 0 to delete. 4 unchanged." in output
    assert "tenant[default]" not in output


def test_no_changes() -> None:
    output = render(no_changes(), "text")
    assert "No changes. The cluster matches the spec." in output
    assert "Plan:" not in output


def test_riskiest_changes_come_first_then_plan_order() -> None:
    output = render(data_loss(), "text")
    order = [line.split()[1] for line in output.splitlines() if line.startswith("  # ")]
    assert order == [
        "folder[/projects/alpha/scratch]",
        "quota[/projects/alpha/data]",
        "snapshot[alpha-old]",
        "view[/projects/alpha/old]",
    ]


def test_data_loss_warning_lists_the_changes_and_the_flag() -> None:
    output = render(data_loss(), "text")
    warning = output[output.index("Warning: 3 changes can lose data:") :]
    assert "  - folder[/projects/alpha/scratch]: state: absent" in warning
    assert "  ~ quota[/projects/alpha/data]: hard_limit lowered" in warning
    assert "view[/projects/alpha/old]" not in warning  # disruptive, not data-loss
    assert "--allow-data-loss" in warning
    assert "--allow-data-loss" not in render(mixed(), "text")


def test_sizes_are_human_and_exact() -> None:
    assert "~ hard_limit: 10 GiB (10737418240) → 20 GiB (21474836480)" in render(mixed(), "text")


def test_set_fields_show_members_added_and_removed() -> None:
    output = render(mixed(), "text")
    assert "      ~ nfs_read_only:  ! disruptive\n          + 10.0.0.0/24\n          - 10.1.0.0/16" in output


def test_forces_replacement_marker() -> None:
    assert "~ is_physical_quota: false → true  (forces replacement)  ! disruptive" in render(
        replace(), "text"
    )


def test_risk_marker_only_when_not_safe() -> None:
    output = render(mixed(), "text")
    assert "  ~ viewpolicy[alpha-ro]  ! disruptive" in output
    assert "  ~ quota[/projects/alpha/data]\n" in output


def test_header_names_endpoint_and_cluster() -> None:
    doc = creates_only()
    assert render(doc, "text").startswith(
        'vastplan plan for https://vms.example.com (cluster "prod-1", VAST 5.3.0)'
    )
    doc["cluster"]["name"] = None
    assert render(doc, "text").startswith("vastplan plan for https://vms.example.com (VAST 5.3.0)")


def test_plan_digest_is_shown() -> None:
    doc = mixed()
    assert render(doc, "text").endswith(f"Plan digest: {doc['plan_digest']}")


def _one_create(address: str, after: dict[str, Any], reason: str = "new") -> dict[str, Any]:
    return plan(
        [change(address, "create", reason=reason, after=after)],
        [step(1, address, "create", "/views/", body={})],
    )


def test_hostile_text_cannot_reach_the_terminal() -> None:
    address = "view[/evil\x1b[2J\x1b]0;pwned\x07]"
    doc = _one_create(address, {"path": "/evil\x1b[31m", "alias": "a\u202eb"}, reason="line\nbreak")
    output = render(doc, "text")
    assert ESC not in output and "\x07" not in output and "\u202e" not in output
    assert "\\u001b[2J" in output and "\\u202e" in output and "line\\u000abreak" in output
    assert ESC not in render(doc, "text", color=True).replace(f"{ESC}[", "")


def test_long_values_are_cut_with_their_size() -> None:
    output = render(_one_create("view[/long]", {"path": "/long", "comment": "x" * 1000}), "text")
    line = next(line for line in output.splitlines() if "comment" in line)
    assert line.endswith("… (1002 characters)") and len(line) < 200


def test_long_lists_are_shown_one_member_per_line_and_capped() -> None:
    hosts = [f"10.0.{index}.0/24" for index in range(40)]
    output = render(_one_create("viewpolicy[many]", {"name": "many", "nfs_read_only": hosts}), "text")
    assert "      + nfs_read_only:\n          + 10.0.0.0/24\n          + 10.0.1.0/24\n" in output
    assert "10.0.24.0/24" in output and "10.0.25.0/24" not in output
    assert "… and 15 more" in output


def test_large_sets_are_capped() -> None:
    removed = [f"h{index}" for index in range(30)]
    hosts = field("nfs_root_squash", removed, [], added=[], removed=removed)
    doc = plan(
        [change("viewpolicy[p]", "update", reason="r", before={}, after={}, fields=[hosts])],
        [step(1, "viewpolicy[p]", "update", "/viewpolicies/1/", body={})],
    )
    assert "… and 5 more" in render(doc, "text")


def test_references_and_nulls() -> None:
    doc = _one_create("view[/r]", {"path": "/r", "policy_id": {"$ref": "viewpolicy[p].id"}, "bucket": None})
    output = render(doc, "text")
    assert "+ policy_id: (known after apply: viewpolicy[p].id)" in output
    assert "+ bucket: null" in output


def test_sizes_below_one_kib_and_odd_sizes() -> None:
    fields = [field("hard_limit", 512, 1536 * GiB + 1), field("soft_limit", None, 0)]
    doc = plan(
        [change("quota[/q]", "update", reason="r", before={}, after={}, fields=fields)],
        [step(1, "quota[/q]", "update", "/quotas/1/", body={})],
    )
    output = render(doc, "text")
    assert "~ hard_limit: 512 bytes → 1.5 TiB (1649267441665)" in output
    assert "~ soft_limit: null → 0 bytes" in output


def test_rendering_does_not_change_the_document() -> None:
    doc = data_loss()
    before = copy.deepcopy(doc)
    render(doc, "text", color=True)
    assert doc == before


@pytest.mark.parametrize("fmt", ["yaml", "TEXT", ""])
def test_unknown_format(fmt: str) -> None:
    with pytest.raises(ValueError, match="unknown plan format"):
        render(mixed(), fmt)  # type: ignore[arg-type]


def test_a_big_plan_renders_fast_enough() -> None:
    assert render(huge(600), "text").count("\n  # ") == 614
