"""Rate limits per model, as data, and a limiter that paces requests under them.

The table is the CLOVA Studio guide's test-app limits (2025-07). A tuned task counts
against its base model, so the tuned task and a baseline of the same model share one limiter.
``--rpm`` / ``--tpm`` override the table (service apps have their own limits).

The limiter spreads requests evenly (one every 60/rpm seconds) instead of bursting a minute's
worth at once, and reserves tokens the same way: each request reserves an estimate before it
is sent (its prompt characters plus a small allowance for the answer) and settles the
difference when the answer reports its real ``usage.totalTokens``.

>>> RATE_LIMITS["HCX-003"]
Limit(requests_per_minute=200, tokens_per_minute=30000)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    requests_per_minute: int
    tokens_per_minute: int


#: Test-app limits per model (CLOVA Studio guide, 2025-07).
RATE_LIMITS: dict[str, Limit] = {
    "HCX-005": Limit(60, 60_000),
    "HCX-DASH-002": Limit(90, 80_000),
    "HCX-003": Limit(200, 30_000),
    "HCX-DASH-001": Limit(200, 30_000),
}
#: A model the table does not know gets the strictest limits in it.
UNKNOWN_MODEL = Limit(60, 30_000)
#: Tokens reserved for the answer before its real size is known.
ANSWER_ALLOWANCE = 16


def limit_for(model: str, rpm: int | None = None, tpm: int | None = None) -> Limit:
    base = RATE_LIMITS.get(model.upper(), UNKNOWN_MODEL)
    return Limit(rpm or base.requests_per_minute, tpm or base.tokens_per_minute)


def estimate_tokens(messages: list[dict[str, str]]) -> int:
    """An estimate before sending: a Korean character is about one token, at most."""
    return sum(len(m.get("content", "")) for m in messages) + ANSWER_ALLOWANCE


class RateLimiter:
    """Paces callers under ``limit``: :meth:`acquire` blocks until a request may start."""

    def __init__(self, limit: Limit, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._request_gap = 60.0 / limit.requests_per_minute
        self._token_rate = limit.tokens_per_minute / 60.0
        self._next_request = 0.0
        #: When the tokens reserved so far are paid back at the token rate.
        self._tokens_clear = 0.0
        #: A request may start while at most a second's worth of tokens is still outstanding.
        self._token_burst = 1.0

    def acquire(self, tokens: int) -> float:
        """Reserve one request and ``tokens``; sleep until it may start. Returns seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next_request, self._tokens_clear - self._token_burst)
            self._next_request = start + self._request_gap
            self._tokens_clear = max(self._tokens_clear, start) + tokens / self._token_rate
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)

    def settle(self, estimated: int, actual: int) -> None:
        """Correct a reservation once the answer told the real token count."""
        with self._lock:
            self._tokens_clear += (actual - estimated) / self._token_rate
