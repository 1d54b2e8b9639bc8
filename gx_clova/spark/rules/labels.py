"""The Spark twins of :mod:`gx_clova.rules.labels`: the same findings from a Spark DataFrame."""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.labels import _findings, _ranked


def check_spark(
    frame,
    min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL,
    max_labels: int = spec.MAX_LABELS,
) -> list[Finding]:
    """C1–C3 on a Spark DataFrame: counts are a Spark aggregation, the one-word test runs on the
    driver over the distinct labels (Python's ``isalnum``, as on the pandas engine), and the
    lines of the labels it names come back through a join."""
    if spec.COMPLETION not in frame.columns:
        return []
    return _findings(label_counts_spark(frame), lambda labels: lines_with_spark(frame, labels),
                     min_rows_per_label, max_labels)


def label_counts_spark(frame) -> dict[str, int]:
    """:func:`label_counts` on a Spark DataFrame: one row per distinct label reaches the driver."""
    if spec.COMPLETION not in frame.columns:
        return {}
    from pyspark.sql import functions as F

    label = F.col(spec.COMPLETION)
    counted = frame.where(label.isNotNull()).groupBy(label.alias("label")).count().collect()
    return _ranked((row["label"], row["count"]) for row in counted)


def lines_with_spark(frame, labels: list[str]) -> list[int]:
    """The lines of the rows whose label is one of ``labels``, in line order."""
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing

    wanted = frame.sparkSession.createDataFrame([(v,) for v in labels], f"{spec.COMPLETION} string")
    return failing(frame.join(F.broadcast(wanted), spec.COMPLETION, "left_semi")).column(LINE).to_pylist()
