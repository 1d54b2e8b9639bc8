"""The answer cache: one JSON line per answer, appended, flushed and fsynced before the next.

A key is the SHA-256 of the target and the exact request body, so a changed prompt, parameter
or target is asked again, and an unchanged one never is: a run killed with ``kill -9`` and
started again sends only the requests that have no answer yet. A torn last line (the process
died mid-write) is cut off when the cache is opened. Only answers are stored — never a header,
a key or a request — and only successful ones: a failed request is asked again next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Any


def cache_key(target: str, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{target}\n{canonical}".encode()).hexdigest()


class AnswerCache:
    def __init__(self, path: str) -> None:
        self.path = path
        self._answers: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        #: Bytes cut from the end when the cache was opened (a torn last line).
        self.repaired = 0
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self._load()
        self._handle = open(path, "ab")  # noqa: SIM115 - kept open for the run, closed in close()

    def _load(self) -> None:
        if not os.path.exists(self.path):
            return
        with open(self.path, "rb") as handle:
            data = handle.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a torn last line: never completed, so never counted
            self.repaired = len(data) - end
            with open(self.path, "r+b") as handle:
                handle.truncate(end)
        for raw in data[:end].splitlines():
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("key"), str) and "content" in record:
                self._answers[record["key"]] = record

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: str, record: dict[str, Any]) -> None:
        entry = {"key": key, **record}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._answers[key] = entry

    def close(self) -> None:
        with self._lock:
            self._handle.close()

    def __enter__(self) -> AnswerCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
