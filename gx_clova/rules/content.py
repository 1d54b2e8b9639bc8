"""T1–T3: Text and Completion are not empty, and together fit the row limit.

Fails: an empty ``Text`` (T1) or ``Completion`` (T2); ``len(Text) + len(Completion)`` over
8,000 characters, spaces included (T3). Passes: ``Text="안녕"``, ``Completion="반가워요"``.
Lengths are counted in Unicode code points, as Python's ``len`` counts them (so does Spark's
``length``, used by the Spark twins in :mod:`gx_clova.spark.rules.content`).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, lines_of

_EMPTY = ((spec.TEXT, "text.empty"), (spec.COMPLETION, "completion.empty"))


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
    for name, code in _EMPTY:
        values = column(table, name)
        if values is None:
            continue
        empty = pc.fill_null(pc.equal(pc.binary_length(values), 0), False).to_numpy(zero_copy_only=False)
        if empty.any():
            findings.append(_empty(name, code, lines[empty].tolist()))
    return findings


def _empty(name: str, code: str, lines: list[int]) -> Finding:
    return Finding(code, message(code, rows=len(lines)), lines)


def check_length(table: pa.Table, max_chars: int = spec.MAX_ROW_CHARS) -> list[Finding]:
    """T3, in Unicode code points."""
    lines = lines_of(table)
    text_len, _ = lengths(column(table, spec.TEXT), table.num_rows)
    completion_len, _ = lengths(column(table, spec.COMPLETION), table.num_rows)
    total = text_len + completion_len
    long = total > max_chars
    if not long.any():
        return []
    return [_too_long(lines[long].tolist(), total[long].tolist(), max_chars)]


def _too_long(lines: list[int], totals: list[int], max_chars: int) -> Finding:
    """Every row over the limit, in line order, with its length."""
    longest = max(totals)
    shown = [f"line {l}: {n:,} characters" for l, n in zip(lines[:DETAIL_LIMIT], totals[:DETAIL_LIMIT])]
    return Finding(
        "row.too-long",
        message("row.too-long", rows=len(lines), max_chars=max_chars, longest=longest),
        lines,
        details={"max_chars": max_chars, "longest": longest, "problems": shown},
    )
