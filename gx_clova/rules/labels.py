"""C1–C3, classification only: enough rows per label, few enough labels, one-word labels.

Fails: a label with fewer than 200 rows (C1, its rows reported); more than 15 labels (C2);
``"MYBOX 결제"`` or ``"오류_해결"`` (C3: spaces and ``_`` are special characters).
Passes: 15 labels like ``마이박스결제`` with 200+ rows each. Label format is checked once per
distinct label, not once per row. ``check`` runs on Arrow (pandas engine), its twin in
:mod:`gx_clova.spark.rules.labels` on a Spark DataFrame.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import column, lines_of


def label_counts(table: pa.Table) -> dict[str, int]:
    values = column(table, spec.COMPLETION)
    if values is None:
        return {}
    counts = pc.value_counts(pc.drop_null(values))
    return _ranked(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()))


def _ranked(pairs) -> dict[str, int]:
    """Labels by descending count, then by label; an empty Completion is T2's business."""
    out = {v: int(n) for v, n in pairs if v != ""}
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def _lines_with(table: pa.Table, labels: list[str]) -> list[int]:
    values = column(table, spec.COMPLETION)
    mask = pc.fill_null(pc.is_in(values, pa.array(labels, pa.string())), False).to_numpy(zero_copy_only=False)
    return lines_of(table)[np.asarray(mask, dtype=bool)].tolist()


def check(
    table: pa.Table,
    min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL,
    max_labels: int = spec.MAX_LABELS,
) -> list[Finding]:
    return _findings(label_counts(table), lambda labels: _lines_with(table, labels), min_rows_per_label, max_labels)


def _findings(counts: dict[str, int], lines_with, min_rows_per_label: int, max_labels: int) -> list[Finding]:
    """C1–C3 from the label counts; ``lines_with(labels)`` gives the lines of those labels' rows."""
    findings = []
    small = {label: n for label, n in counts.items() if n < min_rows_per_label}
    malformed = [label for label in counts if not spec.is_label_word(label)]
    if small:
        shown = ", ".join(f"{label!r} ({n})" for label, n in list(small.items())[:20])
        findings.append(Finding(
            "class.too-few-rows",
            message("class.too-few-rows", labels=len(small), min_rows_per_label=min_rows_per_label, shown=shown),
            lines_with(list(small)),
            details={"labels": small, "min_rows_per_label": min_rows_per_label},
        ))
    if len(counts) > max_labels:
        findings.append(Finding(
            "class.too-many-labels",
            message("class.too-many-labels", labels=len(counts), max_labels=max_labels),
            [],
            count=len(counts) - max_labels,
            details={"labels": len(counts), "max_labels": max_labels},
        ))
    if malformed:
        findings.append(Finding(
            "class.label-format",
            message("class.label-format", labels=len(malformed),
                    shown=", ".join(repr(label) for label in malformed[:20])),
            lines_with(malformed),
            details={"labels": malformed[:100]},
        ))
    return findings
