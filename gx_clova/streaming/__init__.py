"""Streaming mode: any file size in bounded memory on one machine, the same report as in memory.

The file is read in chunks by the Spark engine's stager (:func:`gx_clova.reading.stream.stage_dataset`:
the same per-record logic as the in-memory reader, so the same lines and structural findings),
and each chunk goes straight to :class:`~gx_clova.streaming.checks.Checks` instead of Parquet
parts: row-local rules keep their failing lines, sequences carry state across batch edges, and
the rules over the whole file spill per-row digests to disk partitions (:mod:`.spill`) that are
read back one at a time. Nothing is sampled or capped; peak memory is a few chunks, one
partition and the failing lines.

The findings go through the direct path's collection (:func:`gx_clova.direct._collect`), so the
JSON report equals the in-memory one finding for finding (``tests/test_streaming.py`` proves it
on every rule case with batches of a few rows). The report says ``"streaming": true``.

The work directory (digests, a few per cent of the file, and a side file of the rows for
excerpts, about the file's size) is a temporary directory under ``$TMPDIR``, removed at the end,
on an error and on Ctrl-C / SIGTERM.
``GX_CLOVA_STREAM_BATCH_ROWS`` cuts every chunk into batches of that many rows (tests use a few).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyarrow as pa

from gx_clova import direct, spec
from gx_clova.excerpts import SAMPLE_ROWS, attach
from gx_clova.progress import SILENT, Phases, both_ticks, printable
from gx_clova.reading.dataset import build_table
from gx_clova.report import Report
from gx_clova.rules.leakage import EvalSet
from gx_clova.sources import Source
from gx_clova.streaming.checks import Checks

#: Environment variable: rows per batch (default: the reader's chunks, about 4 MiB each).
BATCH_ROWS_VARIABLE = "GX_CLOVA_STREAM_BATCH_ROWS"
#: Bytes of file per digest partition; the number of partitions is kept between these bounds.
PARTITION_BYTES = 64 << 20
MIN_PARTITIONS, MAX_PARTITIONS = 4, 128
#: Batches read ahead of the checks.
AHEAD = 2


def partitions_for(size: int) -> int:
    return max(MIN_PARTITIONS, min(MAX_PARTITIONS, size // PARTITION_BYTES))


def batch_rows_from_environment() -> int | None:
    value = os.environ.get(BATCH_ROWS_VARIABLE, "").strip()
    if not value:
        return None
    rows = int(value)
    if rows < 1:
        raise ValueError(f"{BATCH_ROWS_VARIABLE}={value!r}: give a positive number of rows")
    return rows


class _Sink:
    """The stager's part writer, checking chunks instead of writing them (same interface).

    The checks run on one worker thread, in order, while the reader parses the next chunk (both
    spend most of their time in pyarrow and hashlib without the GIL); at most :data:`AHEAD`
    batches wait, so memory stays bounded.
    """

    def __init__(self, make: Callable[[], Checks], batch_rows: int | None) -> None:
        self._make = make
        self.batch_rows = batch_rows
        self.checks = make()
        self.names: list[str] = []
        self.rows = 0
        self.parts: list[str] = []
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="gx-clova-stream")
        self._pending: deque[Future] = deque()

    def write(self, names: list[str], columns: list[Any], lines: pa.Array) -> None:
        if len(names) > len(self.names):
            self.names = list(names)
        rows = len(lines)
        columns = list(columns) + [pa.nulls(rows, pa.string()) for _ in range(len(self.names) - len(columns))]
        table = build_table(self.names, columns, lines)
        if not rows:
            return
        self.rows += rows
        step = self.batch_rows or rows
        for start in range(0, rows, step):
            while len(self._pending) >= AHEAD:
                self._pending.popleft().result()
            self._pending.append(self._pool.submit(self.checks.feed, table.slice(start, step)))

    def _drain(self) -> None:
        while self._pending:
            self._pending.popleft().result()

    def discard(self) -> None:
        """The fast reader gave up: start again from nothing for the exact one."""
        self._drain()
        self.checks.remove()
        self.checks = self._make()
        self.names, self.rows = [], 0

    def close(self) -> None:
        self._drain()
        self.checks.close()

    def stop(self) -> None:
        """No more work (also after an error or an interrupt): cancel what waits, join the worker."""
        for future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True)


def validate_stream(source: Source, task: str = spec.DEFAULT_TASK, eval_set: EvalSet | None = None,
                    escalate: frozenset[str] = frozenset(), phases: Phases = SILENT,
                    progress: Callable[[int], None] | None = None, batch_rows: int | None = None,
                    work_dir: str | None = None) -> Report:
    """The report for ``source``, read once in bounded memory (see the module docstring)."""
    from gx_clova.reading.stream import stage_dataset

    started = time.perf_counter()
    steps = direct.plan(task)
    size = source.size()
    batch_rows = batch_rows or batch_rows_from_environment()
    with tempfile.TemporaryDirectory(prefix="gx-clova-stream-", dir=work_dir) as where:
        sink = _Sink(lambda: Checks(steps, where, partitions_for(size), eval_set), batch_rows)
        try:
            with phases.phase(f"streaming {printable(source.name)}", total=size, unit="B") as tick:
                staged = stage_dataset(source, where, progress=both_ticks(progress, tick), writer=sink)
        finally:
            sink.stop()
        read_seconds = time.perf_counter() - started
        checks = sink.checks
        checks.close()
        context: dict[str, Any] = {"facts": staged.facts.to_dict(), "findings": [f.to_dict() for f in staged.findings]}
        if eval_set is not None:
            context["eval"] = eval_set
        computed: dict[str, list] = {}
        with phases.phase("checking whole-file rules", total=len(steps), unit="rules") as tick:
            for step in steps:
                key = direct._key(step)  # one computation per metric configuration, as the direct path
                if step["metric"] != direct.ROW_COUNT and key not in computed:
                    computed[key] = checks.findings(step["metric"], step["kwargs"], context)
            shown = [line for found in computed.values() for f in found for line in f.lines[:SAMPLE_ROWS]]
            rows = checks.store.rows_at(shown)
            pending: dict[str, Future] = {}
            for key, found in computed.items():
                pending[key] = Future()
                pending[key].set_result([f.to_dict() for f in attach(found, rows)])
            findings, summary = direct._collect(steps, pending, checks.rows, escalate, tick)
    facts = staged.facts
    extra: dict[str, Any] = {
        "format": facts.format,
        "reader": facts.reader,
        "suite": direct.suite_name(task),
        "validation_seconds": round(time.perf_counter() - started - read_seconds, 3),
        "streaming": True,
    }
    if eval_set is not None:
        extra["eval"] = eval_set.describe()
    if escalate:
        extra["escalated"] = sorted(escalate)
    extra["read_seconds"] = round(read_seconds, 3)
    source_facts = {"uri": facts.uri, "bytes": facts.bytes, "sha256": facts.sha256, "encoding": facts.encoding}
    return Report.build(task, source_facts, checks.rows, findings, summary, **extra)
