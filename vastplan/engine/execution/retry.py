"""How long to keep trying a step, and what a failure says about what happened on the cluster.

DESIGN §6: transient failures are retried with exponential backoff and jitter, bounded in count and time;
a POST whose outcome is unknown is never repeated blindly. The policy here is pure; the runner applies it.
"""

from __future__ import annotations

import http
from dataclasses import dataclass

from vastplan.client.errors import VmsApiError, VmsConnectionError, VmsError, VmsTransientError

__all__ = ["RetryPolicy", "describe_error", "is_transient", "may_have_committed"]

# 502 and 504 are what a proxy in front of the VMS answers when the VMS failed or timed out while handling
# the request: it may have committed it. 429 and 503 refuse the request before it is handled.
_MAYBE_COMMITTED_STATUSES = frozenset({502, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of one step: at most ``attempts`` sends, waits with full jitter, ``max_elapsed`` seconds.

    Before retry *n* (1 for the first) the executor waits a random time between 0 and
    ``min(max_delay, base_delay * 2 ** (n - 1))`` ("full jitter": parallel steps that failed together do not
    come back together). It gives up when the sends are used up or when the next wait would end more than
    ``max_elapsed`` seconds after the step started. ``RetryPolicy(attempts=1)`` never retries.
    """

    attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_elapsed: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")
        if min(self.base_delay, self.max_delay, self.max_elapsed) < 0:
            raise ValueError("delays and max_elapsed must not be negative")

    def delay(self, retry: int, fraction: float) -> float:
        """The wait before retry number ``retry`` (1-based), ``fraction`` being a random draw in [0, 1)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** min(retry - 1, 64))
        return ceiling * fraction


def is_transient(error: VmsError) -> bool:
    """Whether sending again later may succeed: connection trouble, 429, 502, 503, 504."""
    return isinstance(error, (VmsTransientError, VmsConnectionError))


def may_have_committed(error: VmsError) -> bool:
    """Whether the VMS may have carried out the request although it reported a failure."""
    if isinstance(error, VmsConnectionError):
        return error.outcome_unknown
    return isinstance(error, VmsTransientError) and error.status in _MAYBE_COMMITTED_STATUSES


def describe_error(method: str, path: str, error: VmsError) -> str:
    """``POST /views/ failed: 400 Bad Request: path: This field must be unique.``

    Built from the error's fields rather than its text so that every failure names the call, the status
    and the VMS's own words in one shape. Neither holds a header, so no credential can leak in.
    """
    if isinstance(error, VmsApiError):
        text = f"{error.method or method} {error.path or path} failed: {_status_text(error.status)}"
        return f"{text}: {error.detail}" if error.detail else text
    text = str(error)
    # The client's connection errors already name the call ("POST /views/ failed: cannot connect ...").
    call = f"{method} {path} failed"
    return text if text.startswith(call) else f"{call}: {text}"


def _status_text(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
