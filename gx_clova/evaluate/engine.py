"""The run: every test row through every target, in bounded concurrency, under the rate limits.

Requests that share a cache key (same target, same body) are sent once. Each answer is in the
cache before the next request of that thread starts, so a killed run loses at most the answers
in flight. A row that fails after retries is recorded with its reason and the run goes on; an
error no other row could escape (credentials, unknown task or model) stops it.
"""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TextIO

from gx_clova.evaluate.cache import AnswerCache, cache_key
from gx_clova.evaluate.client import ChatClient, RowFailed, Target
from gx_clova.evaluate.limits import RateLimiter, estimate_tokens
from gx_clova.evaluate.messages import TestRow, request_body
from gx_clova.submitter.errors import ApiError


@dataclass
class Answer:
    content: str | None = None
    error: str | None = None
    cached: bool = False
    usage: dict[str, int] = field(default_factory=dict)


@dataclass
class RunStats:
    requests: int = 0
    cached: int = 0
    failed: int = 0
    retries: int = 0
    seconds: float = 0.0
    tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return {
            "requests": self.requests,
            "cached": self.cached,
            "failed": self.failed,
            "retries": self.retries,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(rate, 3),
            "tokens": self.tokens,
        }


class Progress:
    """``rows done, rate, ETA`` on a terminal (stderr), at most twice a second."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.stream = total, stream
        self.done = 0
        self._started = time.monotonic()
        self._last = 0.0
        self._lock = threading.Lock()

    def step(self) -> None:
        with self._lock:
            self.done += 1
            if self.stream is None:
                return
            now = time.monotonic()
            if now - self._last < 0.5 and self.done < self.total:
                return
            self._last = now
            rate = self.done / max(now - self._started, 1e-6)
            eta = (self.total - self.done) / rate if rate else 0.0
            self.stream.write(f"\revaluate: {self.done:,}/{self.total:,} answers, {rate:,.1f}/s, ETA {eta:,.0f} s ")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.done:
            self.stream.write("\n")
            self.stream.flush()


def run(
    rows: list[TestRow],
    targets: list[Target],
    params: dict[str, Any],
    client: ChatClient,
    cache: AnswerCache,
    limiters: dict[str, RateLimiter],
    concurrency: int = 4,
    progress_stream: TextIO | None = None,
) -> tuple[dict[str, list[Answer]], RunStats]:
    """Answers per target name, one per row in row order. Raises ApiError on a fatal refusal."""
    answers = {t.name: [Answer() for _ in rows] for t in targets}
    jobs: dict[str, tuple[Target, dict[str, Any], list[int]]] = {}
    stats = RunStats()
    for target in targets:
        for row in rows:
            body = request_body(row, params)
            key = cache_key(target.name, body)
            hit = cache.get(key)
            if hit is not None:
                answers[target.name][row.index] = Answer(
                    hit["content"], cached=True, usage=dict(hit.get("usage") or {})
                )
                stats.cached += 1
                continue
            jobs.setdefault(key, (target, body, []))[2].append(row.index)
    progress = Progress(len(jobs), progress_stream)
    stop = threading.Event()
    fatal: list[ApiError] = []
    lock = threading.Lock()

    def count_retry(_message: str) -> None:
        with lock:
            stats.retries += 1

    client.notify = count_retry

    def ask(key: str, target: Target, body: dict[str, Any], indexes: list[int]) -> None:
        if stop.is_set():
            return
        limiter = limiters[target.model]
        estimate = estimate_tokens(body["messages"])
        limiter.acquire(estimate)
        if stop.is_set():
            return
        try:
            result = client.chat(target, body)
        except RowFailed as exc:
            limiter.settle(estimate, 0)
            with lock:
                stats.failed += 1
                for i in indexes:
                    answers[target.name][i] = Answer(error=str(exc))
            progress.step()
            return
        except ApiError as exc:
            stop.set()
            with lock:
                fatal.append(exc)
            return
        usage = {k: int(v) for k, v in (result.get("usage") or {}).items() if isinstance(v, (int, float))}
        limiter.settle(estimate, usage.get("totalTokens", estimate))
        content = result["message"]["content"]
        cache.put(
            key, {"target": target.name, "content": content, "finishReason": result.get("finishReason"), "usage": usage}
        )
        with lock:
            stats.requests += 1
            stats.tokens += usage.get("totalTokens", 0)
            for i in indexes:
                answers[target.name][i] = Answer(content, usage=usage)
        progress.step()

    started = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="gx-clova-eval")
    try:
        futures = [pool.submit(ask, key, *job) for key, job in jobs.items()]
        for future in futures:
            future.result()
    except BaseException:
        # Ctrl-C (or a bug): nothing new is sent; the requests in flight finish into the cache.
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        stats.seconds = time.monotonic() - started
        progress.close()
    if fatal:
        raise fatal[0]
    return answers, stats


def progress_stream(mode: str, stream: TextIO | None = None) -> TextIO | None:
    stream = stream or sys.stderr
    return stream if mode == "always" or (mode == "auto" and stream.isatty()) else None
