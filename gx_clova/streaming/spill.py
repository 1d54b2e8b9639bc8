"""Digests on disk, split into partitions by key: the whole-file rules' memory in streaming mode.

A rule that compares rows across the whole file (duplicates, conflicting labels, one
System_Prompt per conversation, C_ID runs that resume) appends one fixed-width record per row
(or per conversation run) to one of ``partitions`` files, chosen by the record's key. Equal keys
land in the same file, so each file, read back alone, answers the question exactly for its keys:
nothing is sampled or capped, and memory holds one partition at a time.

>>> import numpy as np, tempfile
>>> with tempfile.TemporaryDirectory() as where:
...     spill = Spill(where, "demo", [("key", "<u8"), ("line", "<i8")], partitions=4)
...     spill.add(np.array([7, 3, 7], dtype=np.uint64), line=np.array([2, 3, 4]), key=np.array([7, 3, 7]))
...     spill.close()
...     sorted(int(n) for part in spill.parts() for n in part["line"])
[2, 3, 4]
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import numpy as np


class Spill:
    """Fixed-width records appended to ``partitions`` files under ``directory``."""

    def __init__(self, directory: str, name: str, fields: list[tuple[str, str]], partitions: int) -> None:
        self.dtype = np.dtype(fields)
        self.partitions = partitions
        self.paths = [os.path.join(directory, f"{name}-{i:04d}.bin") for i in range(partitions)]
        self._handles: list = [None] * partitions
        self.records = 0

    def add(self, partition_key: np.ndarray, **columns: np.ndarray) -> None:
        """Append one record per element; ``partition_key`` (unsigned integers) picks the file."""
        rows = len(partition_key)
        if not rows:
            return
        records = np.empty(rows, dtype=self.dtype)
        for name, values in columns.items():
            records[name] = values
        part = (partition_key.astype(np.uint64, copy=False) % np.uint64(self.partitions)).astype(np.int64)
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(self.partitions + 1))
        for index in np.flatnonzero(np.diff(bounds)).tolist():
            handle = self._handles[index]
            if handle is None:
                handle = self._handles[index] = open(self.paths[index], "ab")  # noqa: SIM115 - closed in close()
            handle.write(records[order[bounds[index]:bounds[index + 1]]].tobytes())
        self.records += rows

    def close(self) -> None:
        for index, handle in enumerate(self._handles):
            if handle is not None:
                handle.close()
                self._handles[index] = None

    def parts(self) -> Iterator[np.ndarray]:
        """Each non-empty partition's records, one partition in memory at a time."""
        self.close()
        for path in self.paths:
            if os.path.exists(path) and os.path.getsize(path):
                yield np.fromfile(path, dtype=self.dtype)

    def remove(self) -> None:
        self.close()
        for path in self.paths:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self.records = 0


def grouped(keys: list[np.ndarray], line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(order, starts): ``order`` sorts the records by ``keys``, and by ``line`` within equal keys;
    ``starts`` marks each sorted record that begins a new group of equal keys (so the first record
    of a group is the group's first line)."""
    order = np.lexsort((line, *keys))
    starts = np.zeros(len(order), dtype=bool)
    if len(order):
        starts[0] = True
        for key in keys:
            ordered = key[order]
            starts[1:] |= ordered[1:] != ordered[:-1]
    return order, starts
