"""Token counts of chat messages: CLOVA Studio's tokenizer API, or an offline estimate.

The API (``POST /v1|v3/api-tools/chat-tokenize/{model}``, the version from the model table)
takes ``messages`` [{role, content}] and answers one count per message. Distinct messages are
sent once, in batches of at most ``batch_size`` messages and ``MAX_BATCH_CHARS`` characters, no
faster than ``requests_per_minute``; every count is kept in a cache keyed by the SHA-256 of
model, role and content (no text is stored), so a re-run sends only what is new.

The offline estimate (no key, or ``--offline``): ``ESTIMATE_OVERHEAD`` tokens per message plus
one token per ``ESTIMATE_BYTES_PER_TOKEN`` UTF-8 bytes of its content, rounded up — a Hangul
syllable (3 bytes) is one token, three ASCII characters are one.

>>> estimate("user", "안녕하세요")
8
>>> estimate("assistant", "hello world")
7
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from gx_clova.submitter.api import StudioClient
from gx_clova.submitter.errors import ApiError

Message = tuple[str, str]
ESTIMATE_OVERHEAD = 3
ESTIMATE_BYTES_PER_TOKEN = 3
DEFAULT_BATCH_SIZE = 100
#: Characters of content in one request at most (a long message goes alone).
MAX_BATCH_CHARS = 200_000
CACHE_FILE = "tokens.sqlite3"


def estimate(role: str, content: str) -> int:
    return ESTIMATE_OVERHEAD + math.ceil(len(content.encode("utf-8")) / ESTIMATE_BYTES_PER_TOKEN)


def message_key(model: str, role: str, content: str) -> str:
    return hashlib.sha256(f"{model}\0{role}\0{content}".encode("utf-8", "surrogatepass")).hexdigest()


class Cache:
    """Counts by message key in SQLite; ``path`` None keeps them in memory only."""

    def __init__(self, path: str | None) -> None:
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._db = sqlite3.connect(path or ":memory:")
        self._db.execute("CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, tokens INTEGER NOT NULL)")
        if path:
            os.chmod(path, 0o600)

    def get_many(self, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT key, tokens FROM counts WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, items: Iterable[tuple[str, int]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO counts (key, tokens) VALUES (?, ?)", list(items))

    def close(self) -> None:
        self._db.close()


class RateLimit:
    """At most ``per_minute`` request starts per minute, spread evenly (one every 60/n s)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if per_minute <= 0:
            raise ValueError("requests per minute must be positive")
        self.interval, self.clock, self.sleep = 60.0 / per_minute, clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


class TokenizerClient(StudioClient):
    """The tokenizer endpoints, with the tuning client's auth, retries and error sentences."""

    def tokenize(self, path: str, messages: list[Message]) -> list[int]:
        body = {"messages": [{"role": role, "content": content} for role, content in messages]}
        result = self._call("POST", path, body, request_id=None, what=f"token counting ({path})", idempotent=True)
        items = result.get("messages") if isinstance(result, dict) else None
        counts = [item.get("count") for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        if len(counts) != len(messages) or not all(isinstance(c, int) and c >= 0 for c in counts):
            raise ApiError(f"CLOVA Studio's tokenizer answered {path} without one count per message")
        return counts


def batches(messages: list[Message], size: int) -> Iterable[list[Message]]:
    batch: list[Message] = []
    chars = 0
    for message in messages:
        if batch and (len(batch) >= size or chars + len(message[1]) > MAX_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(message)
        chars += len(message[1])
    if batch:
        yield batch


class Counter:
    """Counts for distinct messages: cached, else asked in batches within the rate limit."""

    def __init__(self, model: str, *, client: TokenizerClient | None, path: str, cache: Cache,
                 batch_size: int = DEFAULT_BATCH_SIZE, rate: RateLimit | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.model, self.client, self.path, self.cache = model, client, path, cache
        self.batch_size, self.rate, self.progress = batch_size, rate, progress
        self.requests = 0
        self.cached = 0

    @property
    def method(self) -> str:
        return "api" if self.client is not None else "estimate"

    def counts(self, messages: Iterable[Message]) -> dict[Message, int]:
        distinct = list(dict.fromkeys(messages))
        if self.client is None:
            return {m: estimate(*m) for m in distinct}
        keys = {m: message_key(self.model, *m) for m in distinct}
        known = self.cache.get_many(list(keys.values()))
        out = {m: known[k] for m, k in keys.items() if k in known}
        self.cached = len(out)
        missing = [m for m in distinct if m not in out]
        for batch in batches(missing, self.batch_size):
            if self.rate is not None:
                self.rate.wait()
            counts = self.client.tokenize(self.path, batch)
            self.requests += 1
            out.update(zip(batch, counts, strict=True))
            self.cache.put_many((keys[m], n) for m, n in zip(batch, counts, strict=True))
            if self.progress is not None:
                self.progress(len(batch))
        return out


def describe_method(counter: Any) -> str:
    if counter.method == "api":
        return f"counted by CLOVA Studio's tokenizer ({counter.path})"
    return (f"ESTIMATE, not a count: {ESTIMATE_OVERHEAD} tokens per message + UTF-8 bytes / "
            f"{ESTIMATE_BYTES_PER_TOKEN} (no API key, or --offline)")
