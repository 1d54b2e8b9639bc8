"""CSV: a fast pyarrow path for well-formed files, an exact line-by-line path for the rest.

The fast path derives each record's physical line from the line breaks inside its cells; the
caller checks the total against the file's own line count. Any anomaly (a record with the wrong
number of cells, a parse error, bytes that are not UTF-8, a count that does not add up) sends the
file to the exact path, which is slower but names every fault with its line.
"""

from __future__ import annotations

import csv
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from gx_clova.findings import Finding
from gx_clova.reading.dataset import build_table, problems_finding
from gx_clova.reading.scan import ByteScan
from gx_clova.registry import message

BLOCK_SIZE = 16 << 20
FLUSH_ROWS = 65_536

csv.field_size_limit(1 << 30)


class Fallback(Exception):
    """The fast path cannot vouch for this file; the reason is for logs, not users."""


def line_breaks(column: pa.ChunkedArray, with_cr: bool) -> np.ndarray:
    """Line breaks inside each cell: ``\\n``, ``\\r\\n`` and lone ``\\r`` each count once.

    Without any ``\\r`` in the file (the scan says), a line break is a ``\\n`` byte: found in
    each chunk's data buffer with numpy and mapped to rows through the offsets, instead of
    three substring kernels per column.
    """
    if with_cr:
        lf = pc.count_substring(column, "\n")
        cr = pc.count_substring(column, "\r")
        crlf = pc.count_substring(column, "\r\n")
        return pc.subtract(pc.add(lf, cr), crlf).to_numpy().astype(np.int64, copy=False)
    out = np.zeros(len(column), dtype=np.int64)
    base = 0
    for chunk in column.chunks:
        n = len(chunk)
        validity, offsets_buffer, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offsets_buffer, width)[chunk.offset: chunk.offset + n + 1]
        if n and data is not None and offsets[-1] > offsets[0]:
            body = np.frombuffer(data, np.uint8)[offsets[0]: offsets[-1]]
            hits = np.flatnonzero(body == 0x0A)
            if len(hits):
                rows = np.searchsorted(offsets, hits + offsets[0], side="right") - 1
                out[base: base + n] += np.bincount(rows, minlength=n)
        base += n
    return out


def blank_mask(columns: list[pa.ChunkedArray]) -> np.ndarray:
    """Rows whose every cell is empty (a blank line, or only delimiters)."""
    mask = None
    for column in columns:
        empty = pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
        mask = empty if mask is None else (mask & empty)
    return mask if mask is not None else np.zeros(0, dtype=bool)


def blank_findings(lines: np.ndarray, mask: np.ndarray) -> list[Finding]:
    if not mask.any():
        return []
    bad = lines[mask].tolist()
    return [Finding("file.blank-row", message("file.blank-row", rows=len(bad)), bad)]


def read_header(path: str, codec: str) -> tuple[list[str], int]:
    """The first record and how many physical lines it spans."""
    with open(path, encoding=codec, errors="strict", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            return [], 0
        except csv.Error as exc:
            raise Fallback(f"header: {exc}") from None
        return header, reader.line_num


def read_fast(path: str, header: list[str], finished: Callable[[], ByteScan]) -> tuple[pa.Table, list[Finding]]:
    """pyarrow's multi-threaded reader; raises Fallback whenever it cannot be exact.

    ``finished`` returns the byte scan running beside the parser; it is awaited only once the
    parse is done, for the cross-check.
    """
    if len(header) < 2:
        raise Fallback("a one-column file makes blank lines indistinguishable from values")
    names = [f"c{i}" for i in range(len(header))]
    # No invalid_row_handler: pyarrow cannot build its argument from a row that is not UTF-8 and
    # prints an "Exception ignored" traceback. A record with the wrong cell count raises instead,
    # which sends the file to the exact path.
    try:
        raw = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=BLOCK_SIZE),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise Fallback(str(exc)) from None
    columns = [raw.column(i) for i in range(raw.num_columns)]
    scanned = finished()
    physical_lines = scanned.lines
    breaks = np.zeros(raw.num_rows, dtype=np.int64)
    for column in columns:
        breaks += line_breaks(column, scanned.has_cr)
    spans = breaks + 1
    starts = np.empty(raw.num_rows, dtype=np.int64)
    if raw.num_rows:
        starts[0] = 2
        np.cumsum(spans[:-1], out=starts[1:])
        starts[1:] += 2
    if 1 + int(spans.sum()) != physical_lines:
        raise Fallback(f"line count {1 + int(spans.sum())} != {physical_lines}")

    mask = blank_mask(columns)
    findings = blank_findings(starts, mask)
    if mask.any():
        keep = pa.array(~mask)
        columns = [c.filter(keep) for c in columns]
        starts = starts[~mask]
    return build_table(header, columns, pa.array(starts)), findings


#: Receives each flushed chunk instead of the table collecting it: ``sink(header, columns, lines)``.
Sink = Callable[[list[str], list[pa.Array], pa.Array], None]


def read_exact(
    path: str, codec: str, progress: Callable[[int], None] | None = None, sink: Sink | None = None
) -> tuple[list[str], int, pa.Table, list[Finding]]:
    """Line by line with Python's csv module: every record's line, every fault named.

    Returns the header, the line it ends on, the table and the findings. With ``sink``, every
    chunk of records goes to it as it is read and the returned table is empty (bounded memory).
    """
    findings: list[Finding] = []
    bad_cells: dict[int, str] = {}
    blank: list[int] = []
    chunks: list[list[pa.Array]] = []
    line_chunks: list[pa.Array] = []
    with open(path, encoding=codec, errors="replace", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header: list[str] = []
        header_end = 0
        width = 0
        buffer: list[list[str]] = []
        lines: list[int] = []
        position = 0

        def flush() -> None:
            if not lines:
                return
            arrays = [pa.array([row[i] for row in buffer], pa.string()) for i in range(width)]
            if sink is not None:
                sink(header, arrays, pa.array(lines, pa.int64()))
            else:
                chunks.append(arrays)
                line_chunks.append(pa.array(lines, pa.int64()))
            buffer.clear()
            lines.clear()

        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                bad_cells[start] = f"line {start}: {exc}"
                continue
            if progress is not None and reader.line_num - position >= 10_000:
                progress(0)
                position = reader.line_num
            if not header_end:
                header, header_end, width = row, reader.line_num, len(row)
                continue
            if not row or all(cell == "" for cell in row):
                blank.append(start)
                continue
            if len(row) != width:
                bad_cells[start] = f"line {start}: {len(row)} cell(s), the header has {width}"
                continue
            buffer.append(row)
            lines.append(start)
            if len(lines) >= FLUSH_ROWS:
                flush()
        flush()

    if bad_cells:
        findings.append(problems_finding("file.format", bad_cells))
    if blank:
        findings.append(Finding("file.blank-row", message("file.blank-row", rows=len(blank)), blank))
    if chunks:
        columns = [pa.chunked_array([chunk[i] for chunk in chunks], pa.string()) for i in range(width)]
        line_array = pa.concat_arrays(line_chunks)
    else:
        columns = [pa.chunked_array([], pa.string()) for _ in range(width)]
        line_array = pa.array([], pa.int64())
    return header, header_end, build_table(header, columns, line_array), findings


def decode_check_lines(path: str, limit: int | None = None, sample: list[bytes] | None = None,
                       sample_bytes: int = 4 << 20) -> list[int]:
    """Physical lines (split on ``\\n``) whose bytes are not valid UTF-8; the first
    ``sample_bytes`` of them are appended to ``sample`` when given (to name their encoding)."""
    bad: list[int] = []
    kept = 0
    with open(path, "rb", buffering=1 << 20) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(number)
                if sample is not None and kept < sample_bytes:
                    sample.append(raw)
                    kept += len(raw)
                if limit is not None and len(bad) >= limit:
                    break
    return bad
