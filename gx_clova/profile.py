"""What a dataset looks like, for a reviewer: conversations, turns, lengths, labels. No GX.

Each function takes the reader's Arrow table and returns plain JSON-able data that Data Docs
draws (:mod:`gx_clova.gx.docs.charts`) and validation results store. They are vectorised and
cheap next to the rules (one pass over a column each).

>>> import pyarrow as pa
>>> t = pa.table({"C_ID": ["0", "0", "1"], "T_ID": ["0", "1", "0"], "Text": ["안녕", "a", "b"], "Completion": ["네", "b", "c"]})
>>> conversations(t)["conversations"], conversations(t)["turns"]["max"]
(2, 2)
>>> lengths(t)["max"], lengths(t)["over"]
(3, 0)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.rules import column
from gx_clova.rules.content import lengths as _code_point_lengths
from gx_clova.rules.labels import label_counts

#: Length histogram: bins of this many characters from 0 to the limit, plus one bin above it.
LENGTH_BIN = 500
#: Turns-per-conversation histogram: 1, 2, …, this many or more.
TURN_BINS = 10
#: Label chart: the most frequent labels shown one by one; the rest are summed.
TOP_LABELS = 20


def conversations(table: pa.Table) -> dict[str, Any]:
    """Conversations are runs of one ``C_ID`` in file order; turns are their rows."""
    values = column(table, spec.C_ID)
    rows = table.num_rows
    if values is None or rows == 0:
        return {"rows": rows, "conversations": 0, "turns": {}}
    values = pc.fill_null(values.combine_chunks(), "")
    changed = pc.not_equal(values.slice(1), values.slice(0, rows - 1)).to_numpy(zero_copy_only=False)
    starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
    return conversations_of(_distribution(np.diff(np.append(starts, rows))))


def conversations_of(turns: dict[int, int]) -> dict[str, Any]:
    """:func:`conversations` from ``{turns in a conversation: conversations with that many}``, which
    is all a Spark job needs to send to the driver."""
    values, counts = _sorted(turns)
    binned = np.bincount(np.minimum(values, TURN_BINS), weights=counts, minlength=TURN_BINS + 1)[1:]
    histogram = [[str(n) if n < TURN_BINS else f"{TURN_BINS}+", int(c)] for n, c in enumerate(binned, start=1)]
    return {
        "rows": int((values * counts).sum()),
        "conversations": int(counts.sum()),
        "turns": {
            "min": int(values[0]),
            "median": float(percentile(values, counts, 50)),
            "max": int(values[-1]),
            "histogram": histogram,
        },
    }


def lengths(table: pa.Table, max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
    """``len(Text) + len(Completion)`` per row: percentiles and a histogram against the limit."""
    text, _ = _code_point_lengths(column(table, spec.TEXT), table.num_rows)
    completion, _ = _code_point_lengths(column(table, spec.COMPLETION), table.num_rows)
    return lengths_of(_distribution(text + completion), max_chars=max_chars)


def lengths_of(totals: dict[int, int], max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
    """:func:`lengths` from ``{row length: rows with that length}`` (one entry per distinct length)."""
    values, counts = _sorted(totals)
    under = values <= max_chars
    # Bins (a, b] of LENGTH_BIN characters; an empty row counts in the first.
    n_bins = max(1, -(-max_chars // LENGTH_BIN))
    binned = np.bincount(np.maximum(values[under] - 1, 0) // LENGTH_BIN, weights=counts[under], minlength=n_bins)
    bins = [{"start": i * LENGTH_BIN, "end": min((i + 1) * LENGTH_BIN, max_chars), "count": int(n)}
            for i, n in enumerate(binned[:n_bins])]
    rows = int(counts.sum())
    return {
        "max_chars": max_chars,
        "rows": rows,
        "max": int(values[-1]) if rows else 0,
        "p50": int(percentile(values, counts, 50)) if rows else 0,
        "p99": int(percentile(values, counts, 99)) if rows else 0,
        "over": int(counts[~under].sum()),
        "bins": bins,
    }


def _distribution(values: np.ndarray) -> dict[int, int]:
    distinct, counts = np.unique(values, return_counts=True)
    return dict(zip(distinct.tolist(), counts.tolist(), strict=False))


def _sorted(distribution: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    values = np.array(sorted(distribution), dtype=np.int64)
    return values, np.array([distribution[v] for v in values.tolist()], dtype=np.int64)


def percentile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """``numpy.percentile(q)`` (linear) of the data where each of the sorted ``values`` appears
    ``counts`` times, without expanding it.

    >>> bool(percentile(np.array([1, 5]), np.array([3, 1]), 99) == np.percentile([1, 1, 1, 5], 99))
    True
    """
    position = (int(counts.sum()) - 1) * (q / 100)
    below = int(np.floor(position))
    ends = np.cumsum(counts)  # the rank just past each value's last copy
    a, b = (int(values[np.searchsorted(ends, rank, side="right")]) for rank in (below, min(below + 1, ends[-1] - 1)))
    t = position - below
    # numpy's own interpolation (numpy.lib._function_base_impl._lerp), for equal floats
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


def labels(table: pa.Table, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
    """Rows per label (``Completion`` value), most frequent first; the tail summed."""
    return labels_of(label_counts(table), min_rows_per_label=min_rows_per_label)


def labels_of(counts: dict[str, int], min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
    """:func:`labels` from the label counts (:func:`gx_clova.rules.labels.label_counts`)."""
    shown = list(counts.items())[:TOP_LABELS]
    rest = list(counts.values())[TOP_LABELS:]
    return {
        "distinct": len(counts),
        "min_rows_per_label": min_rows_per_label,
        "max_labels": spec.MAX_LABELS,
        "labels": [[label, n] for label, n in shown],
        "other_labels": len(rest),
        "other_rows": int(sum(rest)),
    }
