"""Keep secrets out of everything the command line prints.

The library promises that no credential reaches a message (DESIGN §5); the command line still passes
every log line, error message and traceback through :func:`redact`, because a traceback can show a
local variable's value and a third-party library's debug log is not under our control.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

#: Environment variables whose values are secrets (DESIGN §10: secrets come only from here or a prompt).
SECRET_VARIABLES: tuple[str, ...] = ("VAST_PASSWORD", "VAST_API_TOKEN")

# Values this short would blank out ordinary words and digits; no real secret is this short.
_MIN_LENGTH = 4
_MASK = "***"

_secrets: set[str] = set()


def remember(values: Iterable[str | None]) -> None:
    """Add secret values (read from the environment or typed at a prompt) to what is redacted."""
    _secrets.update(v for v in values if v and len(v) >= _MIN_LENGTH)


def remember_environment(environ: Mapping[str, str] | None = None) -> None:
    env = os.environ if environ is None else environ
    remember(env.get(name) for name in SECRET_VARIABLES)


def redact(text: str) -> str:
    """``text`` with every known secret replaced by ``***``; longest first, so no fragment survives."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return text


def forget_all() -> None:
    """For tests: start from no known secrets."""
    _secrets.clear()
