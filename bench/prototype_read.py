"""Prototype of a faster gx-clova CSV fast path, measured against the package's own reader.

    .venv/bin/python bench/prototype_read.py current  bench/data/bench-1000000.csv
    .venv/bin/python bench/prototype_read.py proposed bench/data/bench-1000000.csv
    .venv/bin/python bench/prototype_read.py check    bench/data/bench-200000.csv   # same lines?

``current`` calls ``gx_clova.reading.read_dataset`` as it is. ``proposed`` does the same work
with three changes (the package is not edited; this file only shows what they are worth):

1. the byte scan (SHA-256 + line count) is joined AFTER ``pyarrow.csv.read_csv`` returns, so it
   runs beside the parser instead of before it; it skips the ``\\r\\n`` count in chunks without
   ``\\r``;
2. line breaks inside cells are counted on each column's UTF-8 data buffer with numpy
   (``data == 0x0A`` -> ``searchsorted`` on the offsets -> ``bincount``) instead of three
   ``pc.count_substring`` kernels per column; ``\\r`` is only looked at when the scan saw one;
3. blank rows use ``pc.binary_length`` (offsets only) instead of ``pc.utf8_length``.

Prints one JSON line: wall seconds of the read, rows, and the process's peak RSS.
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

CHUNK = 8 << 20


def scan(path: str) -> dict:
    digest = hashlib.sha256()
    lf = cr = crlf = total = 0
    previous_cr = False
    last = b""
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            digest.update(chunk)
            lf += chunk.count(b"\n")
            c = chunk.count(b"\r")
            if c:
                cr += c
                crlf += chunk.count(b"\r\n")
            if previous_cr and chunk[:1] == b"\n":
                crlf += 1
            previous_cr = chunk[-1:] == b"\r"
            last = chunk[-1:]
            total += len(chunk)
    terminators = lf + cr - crlf
    lines = 0 if total == 0 else terminators + (0 if last in (b"\n", b"\r") else 1)
    return {"sha256": digest.hexdigest(), "bytes": total, "lines": lines, "cr": cr}


def newline_counts(column: pa.ChunkedArray, rows: int, byte: int = 0x0A) -> np.ndarray:
    """Occurrences of ``byte`` in each cell, from the column's data buffer."""
    out = np.zeros(rows, dtype=np.int64)
    base = 0
    for chunk in column.chunks:
        n = len(chunk)
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(chunk.buffers()[1], width)[chunk.offset:chunk.offset + n + 1]
        data = chunk.buffers()[2]
        if n and data is not None and offsets[-1] > offsets[0]:
            body = np.frombuffer(data, np.uint8)[offsets[0]:offsets[-1]]
            hits = np.flatnonzero(body == byte)
            if len(hits):
                rows_of = np.searchsorted(offsets, hits + offsets[0], side="right") - 1
                out[base:base + n] += np.bincount(rows_of, minlength=n)
        base += n
    return out


def read_proposed(path: str) -> tuple[pa.Table, np.ndarray, dict]:
    from gx_clova.reading import csv_reader

    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(scan(path)), daemon=True)
    worker.start()
    header, _ = csv_reader.read_header(path, "utf-8-sig")
    names = [f"c{i}" for i in range(len(header))]
    raw = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=16 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    columns = [raw.column(i) for i in range(raw.num_columns)]
    worker.join()  # only now: the scan ran beside the parser
    breaks = np.zeros(raw.num_rows, dtype=np.int64)
    for column in columns:
        if result["cr"]:  # rare: keep the exact three-kernel count
            breaks += csv_reader._line_breaks(column).to_numpy(zero_copy_only=False).astype(np.int64)
        else:
            breaks += newline_counts(column, raw.num_rows)
    spans = breaks + 1
    starts = np.empty(raw.num_rows, dtype=np.int64)
    if raw.num_rows:
        starts[0] = 2
        np.cumsum(spans[:-1], out=starts[1:])
        starts[1:] += 2
    assert 1 + int(spans.sum()) == result["lines"], "line count mismatch -> exact path"
    blank = None
    for column in columns:
        empty = pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False)
        blank = empty if blank is None else blank & empty
    return raw, starts, result


def read_current(path: str):
    from gx_clova.reading import read_dataset
    from gx_clova.sources import LocalSource

    return read_dataset(LocalSource(path))


def main(argv: list[str]) -> int:
    mode, path = argv
    t0 = time.perf_counter()
    if mode == "current":
        dataset = read_current(path)
        rows, extra = dataset.rows, {"reader": dataset.facts.reader}
    elif mode == "proposed":
        table, starts, scanned = read_proposed(path)
        rows, extra = table.num_rows, {}
    elif mode == "check":
        dataset = read_current(path)
        table, starts, scanned = read_proposed(path)
        same = np.array_equal(dataset.table.column("__line__").to_numpy(), starts)
        print(json.dumps({"same_lines": bool(same), "same_sha256": scanned["sha256"] == dataset.facts.sha256,
                          "rows": table.num_rows}))
        return 0 if same else 1
    else:
        raise SystemExit(__doc__)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"mode": mode, "read_seconds": round(wall, 3), "rows": rows, "peak_rss_gb": round(peak / 1e9, 3),
                      "cpu_seconds": round(time.process_time(), 2), **extra}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
