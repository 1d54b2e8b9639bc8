"""The Spark twins of :mod:`gx_clova.profile`: the same summaries from a Spark DataFrame."""

from __future__ import annotations

from typing import Any

from gx_clova import spec
from gx_clova.profile import conversations_of, labels_of, lengths_of
from gx_clova.reading.dataset import LINE


# -- Spark twins: a Spark job per summary; only distributions (one row per distinct value) reach
# the driver, and the summaries are computed from them as on Arrow (gx_clova.profile).
def conversations_spark(frame) -> dict[str, Any]:
    """:func:`conversations` on a Spark DataFrame (``__line__`` orders the rows)."""
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import with_runs

    if spec.C_ID not in frame.columns:
        return {"rows": frame.count(), "conversations": 0, "turns": {}}
    runs = with_runs(frame.select(LINE, spec.C_ID), spec.C_ID).groupBy("__run__").agg(F.count(F.lit(1)).alias("turns"))
    turns = {row["turns"]: row["count"] for row in runs.groupBy("turns").count().collect()}
    if not turns:
        return {"rows": 0, "conversations": 0, "turns": {}}
    return conversations_of(turns)


def lengths_spark(frame, max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
    """:func:`lengths` on a Spark DataFrame: ``length`` counts code points, as on Arrow."""
    from pyspark.sql import functions as F

    total = F.lit(0)
    for name in (spec.TEXT, spec.COMPLETION):
        if name in frame.columns:
            total = total + F.coalesce(F.length(F.col(name)), F.lit(0))
    counted = frame.select(total.alias("total")).groupBy("total").count().collect()
    return lengths_of({row["total"]: row["count"] for row in counted}, max_chars=max_chars)


def labels_spark(frame, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
    """:func:`labels` on a Spark DataFrame: one row per distinct label reaches the driver."""
    from gx_clova.spark.rules.labels import label_counts_spark

    return labels_of(label_counts_spark(frame), min_rows_per_label=min_rows_per_label)
