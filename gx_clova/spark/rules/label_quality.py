"""The Spark twins of :mod:`gx_clova.rules.label_quality`: the same findings from a Spark DataFrame."""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.rules.label_quality import _findings


def check_spark(frame, max_ratio: int = spec.MAX_LABEL_IMBALANCE) -> list[Finding]:
    """:func:`check` on a Spark DataFrame: the label counts are a Spark aggregation (one row per
    distinct label reaches the driver) and the variants' lines come back through a join."""
    from gx_clova.spark.rules.labels import label_counts_spark, lines_with_spark

    return _findings(label_counts_spark(frame), lambda labels: lines_with_spark(frame, labels), max_ratio)
