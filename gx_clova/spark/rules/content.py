"""The Spark twins of :mod:`gx_clova.rules.content`: the same findings from a Spark DataFrame."""

from __future__ import annotations

import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.content import _EMPTY, _empty, _too_long


def check_empty_spark(frame) -> list[Finding]:
    """T1–T2 on a Spark DataFrame with ``__line__``, in one pass over both columns."""
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing

    present = [(name, code) for name, code in _EMPTY if name in frame.columns]
    if not present:
        return []
    flags = [f"empty{i}" for i in range(len(present))]
    any_empty = F.lit(False)
    for name, _ in present:
        any_empty = any_empty | F.coalesce(F.col(name) == "", F.lit(False))
    rows = failing(frame.where(any_empty).select(LINE, *((F.col(name) == "").alias(flag) for (name, _), flag
                                                          in zip(present, flags, strict=False))), *flags)
    findings = []
    for (name, code), flag in zip(present, flags, strict=False):
        mask = pc.fill_null(rows.column(flag), False)
        lines = pc.filter(rows.column(LINE), mask).to_pylist()
        if lines:
            findings.append(_empty(name, code, lines))
    return findings


def check_length_spark(frame, max_chars: int = spec.MAX_ROW_CHARS) -> list[Finding]:
    """T3 on a Spark DataFrame: ``length`` counts code points, a missing column or null counts 0."""
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing

    total = F.lit(0)
    for name in (spec.TEXT, spec.COMPLETION):
        if name in frame.columns:
            total = total + F.coalesce(F.length(F.col(name)), F.lit(0))
    rows = failing(frame.select(LINE, total.alias("total")).where(F.col("total") > max_chars), "total")
    if not rows.num_rows:
        return []
    return [_too_long(rows.column(LINE).to_pylist(), rows.column("total").to_pylist(), max_chars)]
