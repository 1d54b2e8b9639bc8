"""What a dataset looks like, for a reviewer: conversations, turns, lengths, labels. No GX.

Each function takes the reader's Arrow table and returns plain JSON-able data that Data Docs
draws (:mod:`gx_clova.docs.charts`) and validation results store. They are vectorised and
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
    turns = np.diff(np.append(starts, rows))
    counts = np.bincount(np.minimum(turns, TURN_BINS), minlength=TURN_BINS + 1)[1:]
    histogram = [[str(n) if n < TURN_BINS else f"{TURN_BINS}+", int(c)] for n, c in enumerate(counts, start=1)]
    return {
        "rows": rows,
        "conversations": int(len(starts)),
        "turns": {
            "min": int(turns.min()),
            "median": float(np.median(turns)),
            "max": int(turns.max()),
            "histogram": histogram,
        },
    }


def lengths(table: pa.Table, max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
    """``len(Text) + len(Completion)`` per row: percentiles and a histogram against the limit."""
    text, _ = _code_point_lengths(column(table, spec.TEXT), table.num_rows)
    completion, _ = _code_point_lengths(column(table, spec.COMPLETION), table.num_rows)
    total = text + completion
    under = total[total <= max_chars]
    # Bins (a, b] of LENGTH_BIN characters; an empty row counts in the first.
    n_bins = max(1, -(-max_chars // LENGTH_BIN))
    counts = np.bincount(np.maximum(under - 1, 0) // LENGTH_BIN, minlength=n_bins)
    bins = [{"start": i * LENGTH_BIN, "end": min((i + 1) * LENGTH_BIN, max_chars), "count": int(n)}
            for i, n in enumerate(counts[:n_bins])]
    over = int(len(total) - len(under))
    return {
        "max_chars": max_chars,
        "rows": int(len(total)),
        "max": int(total.max()) if len(total) else 0,
        "p50": int(np.percentile(total, 50)) if len(total) else 0,
        "p99": int(np.percentile(total, 99)) if len(total) else 0,
        "over": over,
        "bins": bins,
    }


def labels(table: pa.Table, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
    """Rows per label (``Completion`` value), most frequent first; the tail summed."""
    counts = label_counts(table)
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
