"""The Spark twins of :mod:`gx_clova.rules.system_prompt`: the same findings from a Spark DataFrame."""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.system_prompt import _inconsistent


def check_spark(frame) -> list[Finding]:
    """S1 on a Spark DataFrame: a window per conversation (it scales with the conversations)."""
    if spec.SYSTEM_PROMPT not in frame.columns or spec.C_ID not in frame.columns:
        return []
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing

    conversation = F.coalesce(F.col(spec.C_ID), F.lit(""))
    prompt = F.coalesce(F.col(spec.SYSTEM_PROMPT), F.lit(""))
    keyed = frame.select(LINE, F.col(spec.C_ID), conversation.alias("conv"), prompt.alias("prompt"))
    ordered = Window.partitionBy("conv").orderBy(LINE)
    first = keyed.select(
        LINE, spec.C_ID, "prompt",
        F.first("prompt").over(ordered).alias("expected"),
        F.first(LINE).over(ordered).alias("first_line"),
    )
    rows = failing(first.where(F.col("prompt") != F.col("expected")), spec.C_ID, "first_line")
    if not rows.num_rows:
        return []
    return [_inconsistent(rows.column(LINE).to_pylist(), rows.column(spec.C_ID).to_pylist(),
                          rows.column("first_line").to_pylist())]
