"""Read a dataset in bounded memory into Parquet parts: the Spark engine's reader.

The same two paths as :func:`gx_clova.reading.read_dataset`, in a stream: a fast path on
pyarrow's streaming readers (``open_csv`` / ``open_json``) and, whenever it cannot vouch for
the file, the exact line-by-line readers. Each chunk of records is written as it is read, with
its ``__line__``, to ``DIR/part-NNNNN.parquet``; memory stays at a few blocks however large the
file. The structural findings (F3–F6, JSONL key faults) and the line numbers are those of
``read_dataset``, because the per-record logic is the same code.

Parquet columns are named ``c0, c1, …`` (any header text is safe that way); ``Staged.names``
maps them to the table's column names. A JSONL file whose lines bring new keys later writes
parts with more columns; a reader merges the schemas (a missing key is a null cell).

Why Parquet: Spark cannot split a CSV whose cells hold line breaks (its reader makes the whole
file one partition) and its JSON reader has neither line numbers nor the file's key order.
The parts split, carry the physical line of every record, and are read in parallel.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from gx_clova.findings import Finding
from gx_clova.reading import csv_reader, jsonl_reader
from gx_clova.reading.dataset import LINE, FileFacts, table_names
from gx_clova.reading.encoding import UTF8, Detected, from_bom
from gx_clova.reading.keys import classify_keys
from gx_clova.reading.prepare import compressed_finding, local_file, settle_encoding, sniff_format
from gx_clova.sources import Source

#: Streaming block: small, so memory stays flat (4 MiB blocks kept a 1M-row file at 0.4 GB RSS).
BLOCK_SIZE = 4 << 20
#: A row group is written once this much Arrow data is buffered.
ROW_GROUP_BYTES = 32 << 20
#: A new part file starts after this much data: the unit of parallelism for Spark.
PART_BYTES = 128 << 20

Progress = Callable[[int], None]


@dataclass
class Staged:
    """A dataset read into Parquet parts: facts, structural findings, where the parts are."""

    facts: FileFacts
    directory: str
    #: Table column names, in order; Parquet column ``c{i}`` holds ``names[i]``.
    names: list[str] = field(default_factory=list)
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


class PartWriter:
    """Chunks of records in, Parquet parts of about PART_BYTES out, in file order."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.names: list[str] = []
        self.rows = 0
        self.parts: list[str] = []
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._buffer: list[pa.Table] = []
        self._buffered = self._written = 0

    def write(self, names: list[str], columns: list[pa.Array | pa.ChunkedArray], lines: pa.Array) -> None:
        if len(names) > len(self.names):
            self.names = list(names)
        fields = [pa.field(LINE, pa.int64())] + [pa.field(f"c{i}", pa.string()) for i in range(len(columns))]
        table = pa.Table.from_arrays([lines.cast(pa.int64()), *(c.cast(pa.string()) for c in columns)],
                                     schema=pa.schema(fields))
        if not table.num_rows:
            return
        if self._schema is not None and not table.schema.equals(self._schema):
            self._close_part()
        self._schema = table.schema
        self._buffer.append(table)
        self._buffered += table.nbytes
        self.rows += table.num_rows
        if self._buffered >= ROW_GROUP_BYTES:
            self._write_row_group()

    def _write_row_group(self) -> None:
        if self._writer is None:
            path = os.path.join(self.directory, f"part-{len(self.parts):05d}.parquet")
            self._writer = pq.ParquetWriter(path, self._schema, compression="snappy")
            self.parts.append(path)
        table = pa.concat_tables(self._buffer)
        self._writer.write_table(table, row_group_size=table.num_rows)
        self._written += self._buffered
        self._buffer, self._buffered = [], 0
        if self._written >= PART_BYTES:
            self._close_part()

    def _close_part(self) -> None:
        if self._buffer:
            self._write_row_group()
        if self._writer is not None:
            self._writer.close()
        self._writer, self._written = None, 0

    def close(self) -> None:
        self._close_part()

    def discard(self) -> None:
        """Forget everything written (the fast path gave up; the exact path starts over)."""
        self._buffer, self._buffered = [], 0
        self._close_part()
        for path in self.parts:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self.names, self.rows, self.parts, self._schema = [], 0, [], None


def stage_dataset(source: Source, directory: str, progress: Progress | None = None, exact: bool = False,
                  writer: PartWriter | None = None) -> Staged:
    """Read ``source`` into Parquet parts under ``directory`` (which must exist and be empty).

    ``writer``: where the chunks go instead (anything with :class:`PartWriter`'s ``write``,
    ``discard``, ``close``, ``names``, ``rows`` and ``parts``; the streaming validator checks
    each chunk as it is read). Raises :class:`~gx_clova.sources.SourceError` only when the bytes
    cannot be had at all.
    """
    facts = FileFacts(uri=source.uri, name=source.name, bytes=source.size())
    writer = writer if writer is not None else PartWriter(directory)
    findings: list[Finding] = []
    with local_file(source, progress) as (path, finished):
        with open(path, "rb") as handle:
            head = handle.read(65536)
        facts.format = sniff_format(source.name, head)
        packed = compressed_finding(head)
        if packed is not None:  # named, never decoded (as read_dataset)
            scanned = finished()
            facts.sha256, facts.bytes, facts.encoding, facts.reader = (
                scanned.sha256, scanned.bytes, packed.details["detected"], "none")
            writer.close()
            return Staged(facts=facts, directory=directory, findings=[packed])
        bom = from_bom(head)
        detected: Detected | None = None
        done = False
        if not exact and (bom is None or bom.is_utf8):
            try:
                fast_findings, lines_seen = _stream_fast(path, facts, writer)
                detected, done, facts.reader = bom or UTF8, True, "fast"
            except (csv_reader.Fallback, UnicodeDecodeError):
                writer.discard()
        scanned = finished()
        facts.sha256, facts.lines, facts.bytes = scanned.sha256, scanned.lines, scanned.bytes
        if done and lines_seen == facts.lines:  # the fast path's lines must add up, or it did not happen
            findings += fast_findings
        else:
            writer.discard()
            detected, encoding_findings = settle_encoding(path, head, bom)
            findings += encoding_findings
            header, header_line, exact_findings = _stream_exact(path, facts.format, detected.codec, progress, writer)
            facts.header, facts.header_line = header, header_line if header else 1
            findings += exact_findings
            facts.reader = "exact"
        facts.encoding = detected.label if detected else "unknown"
    writer.close()
    names = writer.names if len(writer.names) >= len(facts.header) else list(facts.header)
    return Staged(facts=facts, directory=directory, names=table_names(names), rows=writer.rows,
                  findings=findings, parts=list(writer.parts))


def _stream_exact(path: str, fmt: str, codec: str, progress: Progress | None, writer: PartWriter):
    reader = jsonl_reader.read_exact if fmt == "jsonl" else csv_reader.read_exact
    try:
        header, header_line, _, found = reader(path, codec, progress, sink=writer.write)
    except (UnicodeError, LookupError):
        writer.discard()  # as read_dataset: the codec cannot even start, read as UTF-8
        header, header_line, _, found = reader(path, "utf-8", progress, sink=writer.write)
    return header, header_line, found


def _stream_fast(path: str, facts: FileFacts, writer: PartWriter) -> tuple[list[Finding], int]:
    """Findings and the physical lines the records account for (checked against the scan)."""
    if facts.format == "jsonl":
        return _jsonl_fast(path, facts, writer)
    header, header_lines = csv_reader.read_header(path, "utf-8-sig")
    if header_lines != 1:
        raise csv_reader.Fallback("the header spans more than one line")
    facts.header, facts.header_line = header, 1
    return _csv_fast(path, header, writer)


def _has_cr(column: pa.ChunkedArray) -> bool:
    """Whether any cell may hold ``\r``: a byte search of the data buffers (memchr speed; a hit in
    a buffer's slack only sends the column to the slower, equally exact, count)."""
    for chunk in column.chunks:
        data = chunk.buffers()[2] if len(chunk) else None
        if data is not None and memoryview(data).tobytes().find(b"\r") >= 0:
            return True
    return False


def _csv_fast(path: str, header: list[str], writer: PartWriter) -> tuple[list[Finding], int]:
    """As ``csv_reader.read_fast``, one block at a time; the line total is checked by the caller."""
    if len(header) < 2:
        raise csv_reader.Fallback("a one-column file makes blank lines indistinguishable from values")
    names = [f"c{i}" for i in range(len(header))]
    writer.names = list(header)
    blank: list[np.ndarray] = []
    next_line = 2
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        with contextlib.closing(reader):
            for batch in reader:
                columns = [pa.chunked_array([batch.column(i)]) for i in range(batch.num_columns)]
                breaks = np.zeros(batch.num_rows, dtype=np.int64)
                for column in columns:
                    breaks += csv_reader.line_breaks(column, _has_cr(column))
                spans = breaks + 1
                starts = next_line + np.r_[0, np.cumsum(spans[:-1])].astype(np.int64)
                next_line += int(spans.sum())
                mask = csv_reader.blank_mask(columns)
                if mask.any():
                    blank.append(starts[mask])
                    keep = pa.array(~mask)
                    columns = [c.filter(keep) for c in columns]
                    starts = starts[~mask]
                writer.write(header, columns, pa.array(starts))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise csv_reader.Fallback(str(exc)) from None
    lines = np.concatenate(blank) if blank else np.zeros(0, dtype=np.int64)
    return csv_reader.blank_findings(lines, np.ones(len(lines), dtype=bool)), next_line - 1


def _jsonl_fast(path: str, facts: FileFacts, writer: PartWriter) -> tuple[list[Finding], int]:
    """As ``jsonl_reader.read_fast``, one block at a time; the row total is checked by the caller."""
    header: list[str] | None = None
    try:
        reader = pajson.open_json(
            path,
            read_options=pajson.ReadOptions(block_size=BLOCK_SIZE),
            parse_options=pajson.ParseOptions(newlines_in_values=False, unexpected_field_behavior="error"),
        )
        with contextlib.closing(reader):
            for batch in reader:
                if header is None:
                    header = list(batch.schema.names)
                jsonl_reader.vouch(batch.schema.names, batch.columns)
                first = writer.rows + 1
                lines = pa.array(np.arange(first, first + batch.num_rows, dtype=np.int64))
                writer.write(header, list(batch.columns), lines)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise csv_reader.Fallback(str(exc)) from None
    if not header or not writer.rows:
        raise csv_reader.Fallback("no records")
    facts.header, facts.header_line = header, 1
    every = list(range(1, writer.rows + 1))
    return [Finding(code, said, every) for code, said in classify_keys(header)], writer.rows
