"""T1–T3: Text and Completion are not empty, and together fit the row limit.

Fails: an empty ``Text`` (T1) or ``Completion`` (T2); ``len(Text) + len(Completion)`` over
8,000 characters, spaces included (T3). Passes: ``Text="안녕"``, ``Completion="반가워요"``.
Lengths are counted in Unicode code points, as Python's ``len`` counts them.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.rules import DETAIL_LIMIT, column, lines_of


def lengths(values: pa.ChunkedArray | None, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(code-point lengths with nulls as 0, is_null)."""
    if values is None:
        return np.zeros(rows, dtype=np.int64), np.ones(rows, dtype=bool)
    length = pc.utf8_length(values)
    null = length.is_null().to_numpy(zero_copy_only=False)
    return pc.fill_null(length, 0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False), null


def check_empty(table: pa.Table) -> list[Finding]:
    """T1–T2. Byte lengths suffice: a string is empty exactly when it has no bytes."""
    lines = lines_of(table)
    findings = []
    for name, code in ((spec.TEXT, "text.empty"), (spec.COMPLETION, "completion.empty")):
        values = column(table, name)
        if values is None:
            continue
        empty = pc.fill_null(pc.equal(pc.binary_length(values), 0), False).to_numpy(zero_copy_only=False)
        if empty.any():
            findings.append(Finding(code, f"{int(empty.sum()):,} row(s) with an empty {name}", lines[empty].tolist()))
    return findings


def check_length(table: pa.Table, max_chars: int = spec.MAX_ROW_CHARS) -> list[Finding]:
    """T3, in Unicode code points."""
    lines = lines_of(table)
    text_len, _ = lengths(column(table, spec.TEXT), table.num_rows)
    completion_len, _ = lengths(column(table, spec.COMPLETION), table.num_rows)
    total = text_len + completion_len
    long = total > max_chars
    if not long.any():
        return []
    shown = [f"line {l}: {n:,} characters" for l, n in zip(lines[long][:DETAIL_LIMIT].tolist(),
                                                           total[long][:DETAIL_LIMIT].tolist())]
    return [Finding(
        "row.too-long",
        f"{int(long.sum()):,} row(s) where len({spec.TEXT}) + len({spec.COMPLETION}) exceeds "
        f"{max_chars:,} characters (longest: {int(total.max()):,})",
        lines[long].tolist(),
        details={"max_chars": max_chars, "longest": int(total.max()), "problems": shown},
    )]


def length_summary(table: pa.Table) -> dict[str, int]:
    """Observed row lengths, for reports and Data Docs."""
    text_len, _ = lengths(column(table, spec.TEXT), table.num_rows)
    completion_len, _ = lengths(column(table, spec.COMPLETION), table.num_rows)
    total = text_len + completion_len
    if not len(total):
        return {"max": 0, "p50": 0, "p99": 0}
    return {
        "max": int(total.max()),
        "p50": int(np.percentile(total, 50)),
        "p99": int(np.percentile(total, 99)),
    }
