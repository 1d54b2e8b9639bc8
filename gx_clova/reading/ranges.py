"""Read a dataset as byte ranges in parallel, with the exact physical line of every record.

A CSV whose cells hold line breaks cannot be cut at an arbitrary newline, and a record's line
number depends on every line before it. Both are recovered without a sequential pass:

1. **Summaries** (one task per byte range, in parallel): each range counts its line terminators
   and its quote characters and, for each of the two states it may start in (outside or inside a
   quoted cell), where the first record starts in it and how many terminators come before that.
   An escaped quote (``""``) is two quote characters, so quote parity is the quoted state.
2. **Plan** (on the driver, O(ranges)): prefix sums give every range's entry state and first
   line; the record starts they select cut the file into *chunks* of whole records, each with
   the physical line of its first record.
3. **Chunks** (one task per chunk, in parallel): each chunk is parsed with pyarrow, exactly as
   the single-stream fast reader parses the whole file, and each record's line is the chunk's
   first line plus the line breaks inside the records before it.

A chunk vouches for itself or gives up: every quote must stand where the CSV grammar allows it
(opening a cell, closing one, or doubled inside one), the bytes must be UTF-8, every record must
have the header's width, and the line breaks its records hold must add up to the terminators
its bytes contain. When any range or chunk cannot vouch (another encoding, a stray or
unterminated quote, a ragged record, a JSONL line that is not a plain object …) the caller reads
the file with the single-stream reader instead, which names every fault; this module never
produces a finding the single-stream reader would not.

Line terminators are ``\\n``, ``\\r\\n`` and a lone ``\\r``, each counted once, as everywhere in
gx-clova. A range reads one byte past its end so that a ``\\r\\n`` split between two ranges
counts once; multi-byte UTF-8 characters never contain ASCII bytes, so a character split at a
range edge cannot be mistaken for a quote or a line break, and it is checked whole, inside the
chunk of the record that holds it.

The functions here are pure (bytes in, summaries out) so that Spark can ship them to executors
and the tests can run them without Spark (:func:`stage_ranges` with the built-in ``map``).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from gx_clova.findings import Finding
from gx_clova.reading import csv_reader, jsonl_reader
from gx_clova.reading.dataset import LINE, FileFacts, table_names
from gx_clova.reading.encoding import compressed, from_bom
from gx_clova.reading.keys import classify_keys

#: Default range: large enough that a task's fixed cost is small, small enough for a worker's memory.
RANGE_BYTES = 64 << 20
#: pyarrow's parse block inside a chunk (4 MiB parsed about 1.8× faster per byte than one 64 MiB block).
PARSE_BLOCK = 4 << 20
#: Parquet row group size in the parts (as :mod:`gx_clova.reading.stream` writes them).
ROW_GROUP_BYTES = 32 << 20
_NL, _CR, _QUOTE, _COMMA = 10, 13, 34, 44


class CannotVouch(Exception):
    """The parallel reader cannot be exact for this file; the message names why (it is reported)."""


class ByteRanges(Protocol):
    """Random access to the bytes of a dataset; picklable, so executors can read their own ranges."""

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)`` (fewer at the end of the file)."""


@dataclass(frozen=True)
class LocalRanges:
    path: str

    def read(self, start: int, end: int) -> bytes:
        with open(self.path, "rb") as handle:
            handle.seek(start)
            return handle.read(max(0, end - start))


@dataclass
class Summary:
    """What a range says about itself (pass 1)."""

    start: int
    end: int
    terminators: int
    quotes: int
    #: For entry state 0 (outside quotes) and 1 (inside): (offset of the first record start after
    #: a terminator in this range, terminators in the range up to and including that one), or None.
    first: tuple[tuple[int, int] | None, tuple[int, int] | None]
    #: The range's last byte is a line terminator (only the last range's value matters).
    ends_with_terminator: bool
    #: CPU seconds the task spent (for benchmarks: a rate per core that load on the machine cannot skew).
    cpu_s: float = 0.0


@dataclass(frozen=True)
class Chunk:
    """Whole records ``[start, end)`` of the file, the first on physical line ``line``."""

    index: int
    start: int
    end: int
    line: int
    last: bool


@dataclass
class Plan:
    header: list[str]
    header_end: int
    bom: int
    lines: int
    chunks: list[Chunk] = field(default_factory=list)


@dataclass
class ChunkResult:
    index: int
    rows: int = 0
    names: list[str] = field(default_factory=list)
    blank: list[int] = field(default_factory=list)
    part: str | None = None
    #: Set when the chunk cannot vouch for itself; the whole file then goes to the single-stream reader.
    fallback: str | None = None
    cpu_s: float = 0.0


def split(size: int, range_bytes: int = RANGE_BYTES) -> list[tuple[int, int]]:
    """``[start, end)`` ranges covering ``size`` bytes."""
    step = max(1, int(range_bytes))
    return [(start, min(size, start + step)) for start in range(0, size, step)] or [(0, 0)]


def _terminator_ends(arr: np.ndarray, next_byte: bytes) -> np.ndarray:
    """Offsets (within ``arr``) of the last byte of each line terminator: every ``\\n``, and every
    ``\\r`` not followed by ``\\n`` (the byte after the range decides for the range's last byte)."""
    lf = np.flatnonzero(arr == _NL)
    cr = np.flatnonzero(arr == _CR)
    if not len(cr):
        return lf
    following = np.empty(len(cr), dtype=np.uint8)
    inside = cr + 1 < len(arr)
    following[inside] = arr[cr[inside] + 1]
    following[~inside] = next_byte[0] if next_byte else 0
    lone = cr[following != _NL]
    return np.union1d(lf, lone) if len(lone) else lf


def summarize(data: bytes, start: int, next_byte: bytes, quoted: bool) -> Summary:
    """Pass 1 for the range ``data`` = bytes ``[start, start + len(data))``; ``quoted``: CSV (quotes
    matter) or JSONL (a JSON string cannot hold a raw line break, so every terminator ends a line)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    ends = _terminator_ends(arr, next_byte)
    if quoted:
        quotes_at = np.flatnonzero(arr == _QUOTE)
        parity = np.searchsorted(quotes_at, ends) % 2 if len(quotes_at) else np.zeros(len(ends), dtype=np.int64)
        quotes = len(quotes_at)
    else:
        parity, quotes = np.zeros(len(ends), dtype=np.int64), 0
    first: list[tuple[int, int] | None] = []
    for entry in (0, 1):
        # Outside quotes at a terminator: the quotes before it in the range have the entry's parity.
        hits = np.flatnonzero(parity == entry)
        first.append((start + int(ends[hits[0]]) + 1, int(hits[0]) + 1) if len(hits) else None)
    last = data[-1:]
    ends_with = last == b"\n" or (last == b"\r" and next_byte != b"\n")
    return Summary(start, start + len(data), len(ends), quotes, (first[0], first[1]), ends_with)


def summarize_range(reader: ByteRanges, start: int, end: int, quoted: bool) -> Summary:
    began = time.process_time()
    data = reader.read(start, end + 1)
    summary = summarize(data[: end - start], start, data[end - start:], quoted)
    summary.cpu_s = time.process_time() - began
    return summary


def plan(summaries: list[Summary], head: bytes, size: int, fmt: str) -> Plan:
    """Pass 1's summaries → the header and the chunks of whole records, with their first lines.

    ``head``: the file's first bytes (at least up to the end of the header line when it is short;
    the header is read from the file again if it is longer)."""
    if size == 0:
        raise CannotVouch("the file is empty")
    kind = compressed(head)
    if kind is not None:
        raise CannotVouch(f"the file is {kind}-compressed")
    bom = from_bom(head)
    if bom is not None and not bom.is_utf8:
        raise CannotVouch(f"the file is {bom.label}")
    if sum(s.quotes for s in summaries) % 2:
        raise CannotVouch("a quote is not closed")
    starts: list[tuple[int, int]] = []  # (record start offset, its physical line)
    quotes = lines_before = 0
    for summary in summaries:
        hit = summary.first[quotes % 2]
        if hit is not None:
            offset, through = hit
            if offset < size:
                starts.append((offset, 1 + lines_before + through))
        quotes += summary.quotes
        lines_before += summary.terminators
    terminators = lines_before
    ends_with = summaries[-1].ends_with_terminator
    lines = terminators + (0 if ends_with else 1)
    if not starts:
        raise CannotVouch("the file has no record after its first line")
    header_end, second_line = starts[0]
    if second_line != 2:
        raise CannotVouch("the header spans more than one line" if fmt == "csv" else "the first line is blank")
    chunks = []
    bounds = starts + [(size, lines + 1)]
    for i, ((begin, line), (stop, _)) in enumerate(zip(bounds, bounds[1:], strict=False)):
        chunks.append(Chunk(i, begin, stop, line, last=stop == size))
    return Plan(header=[], header_end=header_end, bom=bom.bom if bom else 0, lines=lines, chunks=chunks)


def read_header(data: bytes, fmt: str) -> list[str]:
    """The CSV header from its line's bytes (BOM included); JSONL has no header line here."""
    if fmt != "csv":
        return []
    try:
        text = codecs.decode(data, "utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        raise CannotVouch("the header is not UTF-8") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise CannotVouch(f"header: {exc}") from None
    if len(rows) != 1:
        raise CannotVouch("the header is not one record")
    if len(rows[0]) < 2:
        raise CannotVouch("a one-column file makes blank lines indistinguishable from values")
    return rows[0]


def _quotes_stand_right(arr: np.ndarray) -> bool:
    """Every quote of a chunk (which starts outside quotes) opens a cell, closes one, or is one half
    of a doubled quote inside a cell; and the last one closes. Then quote parity is the state a CSV
    parser is in, so the chunk's records are the ones the plan counted."""
    at = np.flatnonzero(arr == _QUOTE)
    if not len(at):
        return True
    if len(at) % 2:
        return False
    opens, closes = at[0::2], at[1::2]
    before = arr[np.maximum(opens - 1, 0)]
    ok_open = (opens == 0) | (before == _COMMA) | (before == _NL) | (before == _CR) | (before == _QUOTE)
    after = arr[np.minimum(closes + 1, len(arr) - 1)]
    ok_close = ((closes == len(arr) - 1) | (after == _COMMA) | (after == _NL) | (after == _CR)
                | (after == _QUOTE))
    return bool(ok_open.all() and ok_close.all())


def _terminators(data: bytes) -> int:
    cr = data.count(b"\r")
    return data.count(b"\n") + (cr - data.count(b"\r\n") if cr else 0)


def parse_chunk(data: bytes, chunk: Chunk, fmt: str,
                header: list[str]) -> tuple[list[str], list[pa.ChunkedArray], np.ndarray, list[int]]:
    """Pass 2: a chunk's records as (names, columns, lines, blank lines); raises CannotVouch."""
    expected = _terminators(data) + (0 if data.endswith((b"\n", b"\r")) else 1)
    if fmt == "jsonl":
        return _parse_jsonl(data, chunk, expected)
    arr = np.frombuffer(data, dtype=np.uint8)
    if not _quotes_stand_right(arr):
        raise CannotVouch(f"a quote stands where CSV does not allow one (bytes {chunk.start}–{chunk.end})")
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=PARSE_BLOCK, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise CannotVouch(f"bytes {chunk.start}–{chunk.end}: {str(exc).splitlines()[0][:200]}") from None
    columns = [table.column(i) for i in range(table.num_columns)]
    has_cr = b"\r" in data
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in columns:
        breaks += csv_reader.line_breaks(column, has_cr)
    spans = breaks + 1
    if int(spans.sum()) != expected:
        raise CannotVouch(f"bytes {chunk.start}–{chunk.end}: the records span {int(spans.sum())} lines, "
                          f"the bytes hold {expected}")
    starts = chunk.line + np.r_[0, np.cumsum(spans[:-1])].astype(np.int64) if table.num_rows else spans
    mask = csv_reader.blank_mask(columns)
    blank: list[int] = []
    if mask.any():
        blank = starts[mask].tolist()
        keep = pa.array(~mask)
        columns = [c.filter(keep) for c in columns]
        starts = starts[~mask]
    return list(header), columns, starts, blank


def _parse_jsonl(data: bytes, chunk: Chunk, expected: int):
    try:
        table = pajson.read_json(pa.BufferReader(data),
                                 read_options=pajson.ReadOptions(use_threads=False,
                                                                 block_size=max(1 << 20, len(data) + 1)),
                                 parse_options=pajson.ParseOptions(newlines_in_values=False))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise CannotVouch(f"bytes {chunk.start}–{chunk.end}: {str(exc).splitlines()[0][:200]}") from None
    if table.num_rows != expected:
        raise CannotVouch(f"bytes {chunk.start}–{chunk.end}: {table.num_rows} objects on {expected} lines")
    try:
        jsonl_reader.vouch(table.column_names, table.columns)
    except csv_reader.Fallback as exc:
        raise CannotVouch(f"bytes {chunk.start}–{chunk.end}: {exc}") from None
    lines = np.arange(chunk.line, chunk.line + table.num_rows, dtype=np.int64)
    return list(table.column_names), list(table.columns), lines, []


def write_part(path: str, names: list[str], columns: list[pa.ChunkedArray], lines: np.ndarray) -> None:
    """One Parquet part with the columns :class:`gx_clova.reading.stream.PartWriter` writes."""
    fields = [pa.field(LINE, pa.int64())] + [pa.field(f"c{i}", pa.string()) for i in range(len(columns))]
    table = pa.Table.from_arrays([pa.chunked_array([pa.array(lines, pa.int64())]),
                                  *(c.cast(pa.string()) for c in columns)], schema=pa.schema(fields))
    # Row groups of about ROW_GROUP_BYTES, as the single-stream writer makes: Spark splits on them.
    rows = max(1, table.num_rows * ROW_GROUP_BYTES // max(1, table.nbytes))
    pq.write_table(table, path, compression="snappy", row_group_size=rows)


def chunk_task(reader: ByteRanges, chunk: Chunk, fmt: str, header: list[str], directory: str,
               bom: int = 0) -> ChunkResult:
    """Pass 2 on an executor: parse a chunk and write it as ``part-NNNNN.parquet``."""
    began = time.process_time()
    result = _chunk_task(reader, chunk, fmt, header, directory, bom)
    result.cpu_s = time.process_time() - began
    return result


def _chunk_task(reader: ByteRanges, chunk: Chunk, fmt: str, header: list[str], directory: str,
                bom: int) -> ChunkResult:
    result = ChunkResult(chunk.index)
    try:
        data = reader.read(chunk.start, chunk.end)
        if chunk.start == 0 and bom:
            data = data[bom:]
        names, columns, lines, blank = parse_chunk(data, chunk, fmt, header)
    except CannotVouch as exc:
        result.fallback = str(exc)
        return result
    except Exception as exc:  # an unreadable range is the single-stream reader's to report
        result.fallback = f"bytes {chunk.start}–{chunk.end} could not be read ({type(exc).__name__})"
        return result
    result.names, result.blank, result.rows = names, blank, len(lines)
    if len(lines):
        result.part = os.path.join(directory, f"part-{chunk.index:05d}.parquet")
        ordered = columns
        if fmt == "jsonl" and header and names != header:
            if sorted(names) != sorted(header):
                result.fallback = f"bytes {chunk.start}–{chunk.end}: keys {names} differ from the first line's"
                return result
            ordered = [columns[names.index(n)] for n in header]
            result.names = list(header)
        write_part(result.part, result.names, ordered, lines)
    return result


Mapper = Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]]


def _serial(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [function(item) for item in items]


@dataclass
class RangeRead:
    """What :func:`stage_ranges` produced: the facts, the header names, the parts, the findings."""

    facts: FileFacts
    names: list[str]
    rows: int
    parts: list[str]
    findings: list[Finding]
    ranges: int
    chunks: int


def stage_ranges(reader: ByteRanges, size: int, name: str, uri: str, directory: str, fmt: str,
                 range_bytes: int = RANGE_BYTES, mapper: Mapper = _serial) -> RangeRead:
    """Read a dataset into Parquet parts by byte ranges. ``mapper(function, items)`` runs the tasks
    (``map`` here, Spark on the engine). Raises CannotVouch; then nothing it wrote is used.

    The returned facts have no ``sha256`` (that is one sequential pass; the caller runs it beside)."""
    quoted = fmt == "csv"
    spans = split(size, range_bytes)
    summaries = list(mapper(lambda span: summarize_range(reader, span[0], span[1], quoted), spans))
    head_end = min(size, 65536)
    head = reader.read(0, head_end)
    layout = plan(summaries, head, size, fmt)
    header_bytes = head[: layout.header_end] if layout.header_end <= len(head) else reader.read(0, layout.header_end)
    header = read_header(header_bytes, fmt)
    data_chunks = layout.chunks
    if fmt == "jsonl":  # the first line is a record too: its keys are the header
        data_chunks = [Chunk(0, 0, layout.header_end, 1, last=layout.header_end == size)] + [
            Chunk(c.index + 1, c.start, c.end, c.line, c.last) for c in layout.chunks]
        first = chunk_task(reader, data_chunks[0], fmt, [], directory, bom=layout.bom)
        if first.fallback:
            raise CannotVouch(first.fallback)
        header = first.names
        results = [first] + list(mapper(lambda c: chunk_task(reader, c, fmt, header, directory),
                                        data_chunks[1:]))
    else:
        results = list(mapper(lambda c: chunk_task(reader, c, fmt, header, directory), data_chunks))
    for result in results:
        if result.fallback:
            raise CannotVouch(result.fallback)
    rows = sum(r.rows for r in results)
    findings: list[Finding] = []
    blank = [line for r in results for line in r.blank]
    if blank:
        findings += csv_reader.blank_findings(np.array(blank, dtype=np.int64), np.ones(len(blank), dtype=bool))
    if fmt == "jsonl":
        if not rows:
            raise CannotVouch("no records")
        every = list(range(1, rows + 1))
        findings += [Finding(code, said, every) for code, said in classify_keys(header)]
    facts = FileFacts(uri=uri, name=name, bytes=size, encoding="utf-8 (BOM)" if layout.bom else "utf-8",
                      format=fmt, header=list(header), header_line=1, lines=layout.lines, reader="parallel ranges")
    parts = sorted(r.part for r in results if r.part)
    return RangeRead(facts, table_names(header), rows, parts, findings, len(spans), len(data_chunks))
