""" "Did you mean ...?" for misspelt keys, fields, units and enum values."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``: an exact match ignoring case first, then difflib's best match."""
    options = list(candidates)
    for option in options:
        if option.lower() == word.lower():
            return option
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"``, or an empty string when nothing is close."""
    match = closest(word, candidates)
    return f"; did you mean {match!r}?" if match is not None else ""


__all__ = ["closest", "did_you_mean"]
