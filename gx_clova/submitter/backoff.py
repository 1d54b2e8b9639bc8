"""Bounded retries with exponential back-off and jitter, for storage and API calls alike.

>>> policy = RetryPolicy(attempts=4, base=1.0, cap=3.0)
>>> [policy.ceiling(n) for n in (1, 2, 3)]
[1.0, 2.0, 3.0]
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    #: Total attempts, the first included.
    attempts: int = 5
    #: Seconds before the second attempt; doubles each time, up to ``cap``.
    base: float = 0.5
    cap: float = 20.0

    def ceiling(self, attempt: int) -> float:
        return min(self.cap, self.base * 2 ** (attempt - 1))

    def delay(self, attempt: int, hint: float | None = None) -> float:
        """Seconds to wait after failed attempt ``attempt``; a server's Retry-After is honoured up to ``cap``."""
        wait = self.ceiling(attempt) * random.uniform(0.5, 1.0)
        if hint:
            wait = max(wait, min(hint, self.cap))
        return wait


#: The policy used when a caller passes none. Tests replace it with a fast one.
DEFAULT = RetryPolicy()


def with_retries(
    call: Callable[[], T],
    *,
    retryable: Callable[[BaseException], bool],
    what: str,
    policy: RetryPolicy | None = None,
    notify: Callable[[str], None] | None = None,
    describe: Callable[[BaseException], str] = lambda exc: type(exc).__name__,
) -> T:
    """``call()``, retried while ``retryable(exc)`` and attempts remain; the last error is raised."""
    policy = policy or DEFAULT
    for attempt in range(1, policy.attempts + 1):
        try:
            return call()
        except Exception as exc:
            if attempt >= policy.attempts or not retryable(exc):
                raise
            wait = policy.delay(attempt, getattr(exc, "retry_after", None))
            message = f"{what} failed ({describe(exc)}); retry {attempt} of {policy.attempts - 1} in {wait:.1f} s"
            log.info(message)
            if notify is not None:
                notify(message)
            time.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover
