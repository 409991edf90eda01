"""The review rendering: structure, the 65,000-character limit, and escaping."""

from __future__ import annotations

import re
from typing import Any

import pytest
from plandocs import change, creates_only, data_loss, huge, mixed, no_changes, plan, step

from vastplan.render import render
from vastplan.render.markdown import LIMIT, md_text


def test_title_table_and_digest() -> None:
    doc = data_loss()
    output = render(doc, "markdown")
    assert output.startswith(
        "## vastplan plan: 0 to create, 1 to update, 0 to replace, 3 to delete. 2 unchanged.\n"
    )
    assert "| 0 | 1 | 0 | 3 | 2 | **data-loss** |" in output
    tail = output[output.rindex("---") :]
    assert doc["plan_digest"] in tail and f"--expect-digest {doc['plan_digest']}" in tail


def test_risky_changes_are_listed_before_the_details() -> None:
    output = render(data_loss(), "markdown")
    care = output.index("### Changes that need care")
    assert care < output.index("### All changes")
    assert "--allow-data-loss" in output[care : output.index("### All changes")]
    summaries = re.findall(r"<summary>(.*?)</summary>", output)
    assert [s.split("</code> <code>")[1].split("</code>")[0] for s in summaries] == [
        "folder[/projects/alpha/scratch]",
        "quota[/projects/alpha/data]",
        "snapshot[alpha-old]",
        "view[/projects/alpha/old]",
    ]


def test_no_care_section_for_safe_plans() -> None:
    assert "need care" not in render(creates_only(), "markdown")


def test_details_hold_a_diff_block() -> None:
    output = render(mixed(), "markdown")
    assert "```diff\n- hard_limit: 10 GiB (10737418240)\n+ hard_limit: 20 GiB (21474836480)\n```" in output
    assert "```diff\n  nfs_read_only:  # disruptive\n+   10.0.0.0/24\n-   10.1.0.0/16\n```" in output
    assert output.count("<details>") == output.count("</details>") == 4


def test_no_changes() -> None:
    output = render(no_changes(), "markdown")
    assert output.startswith("## vastplan plan: no changes\n")
    assert "No changes. The cluster matches the spec." in output
    assert "<details>" not in output


def test_a_huge_plan_stays_under_the_limit() -> None:
    doc = huge(2000)
    output = render(doc, "markdown")
    assert len(output) <= LIMIT
    assert "are not detailed here" in output and "`vastplan show plan.json`" in output
    note = re.search(r"(\d+) of (\d+) changes are not detailed here", output)
    assert note and int(note[2]) == 2014
    shown = output.count("<details>")
    assert shown + int(note[1]) == 2014
    # the riskiest stay: every data-loss and disruptive change keeps its details
    assert all(f"snapshot[alpha-old-{index}]</code> delete" in output for index in range(8))
    assert all(f"viewpolicy[alpha-p{index}]</code> update" in output for index in range(6))
    # and the safe ones that stay are the first in plan order
    assert "view[/projects/alpha/vol0000]</code> create" in output
    assert "view[/projects/alpha/vol1999]</code> create" not in output
    assert doc["plan_digest"] in output[-1000:]


def test_the_limit_holds_even_when_risky_changes_alone_are_too_many() -> None:
    changes = [
        change(
            f"snapshot[s{index:05d}]",
            "delete",
            risk="data-loss",
            reason="prune " * 20,
            before={"name": f"s{index:05d}"},
        )
        for index in range(1500)
    ]
    steps = [
        step(index + 1, c["address"], "delete", f"/snapshots/{index}/", risk="data-loss")
        for index, c in enumerate(changes)
    ]
    output = render(plan(changes, steps), "markdown")
    assert len(output) <= LIMIT
    assert "more lines left out" in output
    assert "<details>" not in output


def test_a_plan_just_under_the_limit_is_not_cut() -> None:
    output = render(huge(40), "markdown")
    assert len(output) < LIMIT and "not detailed" not in output


def _hostile_plan() -> dict[str, Any]:
    address = "view[/x</summary></details><script>alert(1)</script>]"
    reason = (
        "**bold** [link](https://evil.example) `code` <img src=x onerror=alert(1)> | table | ~~gone~~ $x$"
    )
    after = {"path": "/x", "comment": "```\n</details>\n# heading", "alias": "````"}
    return plan(
        [change(address, "create", reason=reason, after=after)],
        [step(1, address, "create", "/views/", body={})],
    )


def _outside_code_blocks(output: str) -> str:
    return re.sub(r"^(`{3,})diff\n.*?^\1$", "", output, flags=re.MULTILINE | re.DOTALL)


def test_user_text_cannot_inject_html() -> None:
    output = render(_hostile_plan(), "markdown")
    assert "<script>" not in output and "<img" not in output
    markup = _outside_code_blocks(output)
    assert markup.count("</summary>") == markup.count("<summary>") == 1
    assert markup.count("</details>") == markup.count("<details>") == 1
    assert "&lt;script&gt;" in output


def test_user_text_cannot_format_markdown() -> None:
    output = render(_hostile_plan(), "markdown")
    assert r"\*\*bold\*\* \[link\](https://evil.example) \`code\`" in output
    assert r"\| table \| \~\~gone\~\~ \$x\$" in output


def test_code_fences_outgrow_backticks_in_values() -> None:
    output = render(_hostile_plan(), "markdown")
    fence = re.search(r"^(`{3,})diff$", output, re.MULTILINE)
    assert fence and len(fence[1]) > 4
    # a newline inside a value stays inside its line, inside the fence
    assert '\n+ comment: "```\\n</details>\\n# heading"\n' in output


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("a_b", r"a\_b"),
        ("<b>", "&lt;b&gt;"),
        ('"q"', "&quot;q&quot;"),
        ("x\ny", r"x\\u000ay"),
        ("[a](b)", r"\[a\](b)"),
    ],
)
def test_md_text(text: str, escaped: str) -> None:
    assert md_text(text) == escaped
