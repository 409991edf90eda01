"""Defects found in release QA, each pinned by the test that would have caught it."""

from __future__ import annotations

import pytest

from vastplan.render.values import human_size


@pytest.mark.parametrize(
    "size, text",
    [
        # A spec saying 1TB used to be shown as "931.32 GiB (1000000000000)": true, but not what the
        # reviewer wrote, and rounded.
        (10**12, "1 TB (1000000000000)"),
        (500 * 10**9, "500 GB (500000000000)"),
        (25 * 10**8, "2.5 GB (2500000000)"),
        # Binary stays first whenever it is exact, and is the fallback when neither is.
        (10 * 2**30, "10 GiB (10737418240)"),
        (1536, "1.5 KiB (1536)"),
        (10**12 + 1, "931.32 GiB (1000000000001)"),
    ],
)
def test_sizes_are_shown_in_the_unit_that_states_them_exactly(size: int, text: str) -> None:
    assert human_size(size) == text


def test_one_data_loss_change_is_it_not_them() -> None:
    from vastplan.engine.errors import DataLossRefused

    assert str(DataLossRefused(["snapshot[s]"])).endswith("(--allow-data-loss) to apply it")
    assert str(DataLossRefused(["snapshot[s]", "folder[/f]"])).endswith("to apply them")
