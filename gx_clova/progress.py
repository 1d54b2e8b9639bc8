"""A progress meter on stderr for large files: bytes read, percent, rate. Silent when piped."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

#: Files smaller than this finish before a meter would be worth reading.
LARGE_FILE_BYTES = 64 << 20


class ProgressMeter:
    def __init__(self, total: int, stream: TextIO | None, label: str) -> None:
        self.total, self.stream, self.label = total, stream, label
        self.done = 0
        self._last = 0.0
        self._started = time.monotonic()
        self._shown = False

    @classmethod
    def for_source(cls, source: str, mode: str, stream: TextIO = sys.stderr) -> "ProgressMeter":
        total = 0
        if not source.startswith("s3://"):
            try:
                total = os.path.getsize(source)
            except OSError:
                total = 0
        show = mode == "always" or (mode == "auto" and stream.isatty() and (total >= LARGE_FILE_BYTES or source.startswith("s3://")))
        return cls(total, stream if show else None, os.path.basename(source) or source)

    def update(self, nbytes: int) -> None:
        self.done += nbytes
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self._last < 0.5:
            return
        self._last = now
        mb = self.done / 1e6
        rate = mb / max(now - self._started, 1e-6)
        if self.total:
            text = f"reading {self.label}: {100 * self.done / self.total:5.1f}% ({mb:,.0f} of {self.total / 1e6:,.0f} MB, {rate:,.0f} MB/s)"
        else:
            text = f"reading {self.label}: {mb:,.0f} MB ({rate:,.0f} MB/s)"
        self.stream.write("\r" + text)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.stream is not None and self._shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.write(f"read {self.label}: {self.done / 1e6:,.0f} MB; checking rules…\n")
            self.stream.flush()
