"""Write the fixed file (CSV or JSONL, UTF-8 without a byte-order mark) and the rejects file.

Rows and kept raw records go out in source order; every item's first line in the new file is
returned, so reports on the fixed file can be traced back to the source's lines. Files are
written to a temporary name and renamed into place, so a failure never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.fix.decode import restore
from gx_clova.fix.records import RawRecord
from gx_clova.outputs import atomic
from gx_clova.reading.dataset import LINE

BATCH = 65_536


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _row_breaks(table: pa.Table) -> np.ndarray:
    """Line breaks inside each row's cells (a CSV row spans one line more than that)."""
    total = np.zeros(table.num_rows, dtype=np.int64)
    for name in table.column_names:
        if name == LINE:
            continue
        values = pc.fill_null(table.column(name), "")
        counts = [pc.count_substring(values, s).to_numpy(zero_copy_only=False) for s in ("\n", "\r", "\r\n")]
        total += counts[0] + counts[1] - counts[2]
    return total


def _rows(table: pa.Table) -> Iterator[tuple[int, list[Any]]]:
    names = [n for n in table.column_names if n != LINE]
    for batch in table.to_batches(BATCH):
        columns = [batch.column(batch.schema.get_field_index(n)).to_pylist() for n in names]
        for i, line in enumerate(batch.column(batch.schema.get_field_index(LINE)).to_pylist()):
            yield line, [c[i] for c in columns]


def _items(table: pa.Table, raw: list[RawRecord]) -> Iterator[tuple[int, list[Any] | RawRecord]]:
    """Rows and raw records merged by source line."""
    pending = sorted(raw, key=lambda r: r.line)
    at = 0
    for line, cells in _rows(table):
        while at < len(pending) and pending[at].line < line:
            yield pending[at].line, pending[at]
            at += 1
        yield line, cells
    for record in pending[at:]:
        yield record.line, record


def _raw_bytes(record: RawRecord, newline: str) -> bytes:
    data = b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in record.pieces)
    return data if data.endswith((b"\n", b"\r")) else data + newline.encode("ascii")


def _id_value(name: str, value: str | None) -> Any:
    if name in spec.ID_COLUMNS and value is not None and value.isascii() and value.isdigit():
        return int(value)
    return value


class _Out:
    """Text out in batches; a row that carries undecodable bytes is restored to them on the way."""

    def __init__(self, handle, newline: str) -> None:
        self.handle, self.buffer = handle, io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator=newline)

    def flush(self) -> None:
        if self.buffer.tell():
            self.handle.write(self.buffer.getvalue().encode("utf-8"))
            self.buffer.seek(0)
            self.buffer.truncate()

    def text(self, text: str, carried: bool = False) -> None:
        if carried:
            self.flush()
            self.handle.write(restore(text))
        else:
            self.buffer.write(text)
            if self.buffer.tell() > (4 << 20):
                self.flush()

    def csv_row(self, cells: list[str], carried: bool = False) -> None:
        if carried:
            single = io.StringIO()
            csv.writer(single, lineterminator=self.writer.dialect.lineterminator).writerow(cells)
            self.text(single.getvalue(), carried=True)
        else:
            self.writer.writerow(cells)
            if self.buffer.tell() > (4 << 20):
                self.flush()

    def raw(self, data: bytes) -> None:
        self.flush()
        self.handle.write(data)


def write_fixed(path: str, fmt: str, table: pa.Table, raw: list[RawRecord], newline: str = "\n",
                carried: frozenset[int] = frozenset()) -> dict[int, int]:
    """Write ``table`` (``__line__`` + output columns) and ``raw`` records; source line → new line.

    Rows whose source line is in ``carried`` hold bytes no encoding decodes (see
    :func:`gx_clova.fix.decode.carry`); they are written back as those bytes.
    """
    names = [n for n in table.column_names if n != LINE]
    new_line: dict[int, int] = {}
    spans = dict(zip(table.column(LINE).to_pylist(), (_row_breaks(table) + 1).tolist())) if fmt == "csv" else {}
    with atomic(path) as handle:
        out = _Out(handle, newline)
        current = 1
        if fmt == "csv" and names:
            out.csv_row(names)
            current += 1 + sum(_breaks(n) for n in names)
        for line, item in _items(table, raw):
            new_line[line] = current
            if isinstance(item, RawRecord):
                data = _raw_bytes(item, newline)
                out.raw(data)
                current += _breaks(data.decode("utf-8", "replace"))
            elif fmt == "jsonl":
                record = {n: _id_value(n, v) for n, v in zip(names, item) if v is not None}
                out.text(json.dumps(record, ensure_ascii=False) + "\n", carried=line in carried)
                current += 1
            else:
                cells = ["" if v is None else v for v in item]
                out.csv_row(cells, carried=line in carried)
                current += spans[line]
        out.flush()
    return new_line


def write_rejects(path: str, entries: list[dict[str, Any]]) -> int:
    """JSON Lines: the source line, why, and the record (cells, or its raw text)."""
    with atomic(path) as handle:
        for entry in sorted(entries, key=lambda e: e["line"]):
            handle.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
    return len(entries)
