"""The Spark twins of :mod:`gx_clova.rules.ids`: the same findings from a Spark DataFrame."""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.ids import _INTEGER_JAVA, DETAIL_LIMIT, _c_id_breaks, _not_integer, _t_id_breaks


def _spark_ids(frame, name: str, code: str, findings: list[Finding]):
    """Rows with an integer ``name`` as (line, long); a not-integer finding added to ``findings``."""
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing

    text = F.col(name)
    is_integer = text.rlike(_INTEGER_JAVA)
    bad = failing(frame.where(text.isNotNull() & ~is_integer), name)
    if bad.num_rows:
        findings.append(_not_integer(name, code, bad.column(LINE).to_pylist(),
                                     bad.column(name).slice(0, DETAIL_LIMIT).to_pylist()))
    return is_integer, text.cast("long")


def check_c_id_spark(frame) -> list[Finding]:
    """I1 on a Spark DataFrame with ``__line__``: the same findings as :func:`check_c_id`."""
    if spec.C_ID not in frame.columns:
        return []
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing, with_previous

    findings: list[Finding] = []
    is_integer, as_long = _spark_ids(frame, spec.C_ID, "c_id.sequence", findings)
    rows = with_previous(frame.where(is_integer).select(LINE, as_long.alias("v")), ["v"])
    starts = rows.where(F.col("prev_v").isNull() | (F.col("v") != F.col("prev_v"))).select(
        LINE, "v", F.coalesce(F.col("prev_v"), F.lit(-1)).alias("previous"),
        F.min(LINE).over(Window.partitionBy("v")).alias("first_line"))
    bad = failing(
        starts.where((F.col("v") != F.col("previous") + 1) | (F.col("first_line") != F.col(LINE))),
        "v", "previous", "first_line",
    )
    if bad.num_rows:
        head = bad.slice(0, DETAIL_LIMIT)
        shown = list(zip(*(head.column(c).to_pylist() for c in (LINE, "v", "previous", "first_line")), strict=False))
        findings.append(_c_id_breaks(bad.column(LINE).to_pylist(), shown))
    return findings


def check_t_id_spark(frame) -> list[Finding]:
    """I2 on a Spark DataFrame with ``__line__``: the same findings as :func:`check_t_id`."""
    if spec.T_ID not in frame.columns:
        return []
    from pyspark.sql import functions as F

    from gx_clova.spark.rules._common import failing, with_previous

    findings: list[Finding] = []
    t_integer, t_long = _spark_ids(frame, spec.T_ID, "t_id.sequence", findings)
    if spec.C_ID not in frame.columns:
        return findings
    c_text = F.col(spec.C_ID)
    both = frame.where(t_integer & c_text.rlike(_INTEGER_JAVA)).select(
        LINE, c_text.cast("long").alias("c"), t_long.alias("t"))
    rows = with_previous(both, ["c", "t"])
    new_conversation = F.col("prev_c").isNull() | (F.col("c") != F.col("prev_c"))
    expected = F.when(new_conversation, F.lit(0)).otherwise(F.col("prev_t") + 1)
    bad = failing(rows.withColumn("expected", expected).where(F.col("t") != F.col("expected")), "t", "c", "expected")
    if bad.num_rows:
        head = bad.slice(0, DETAIL_LIMIT)
        shown = list(zip(*(head.column(c).to_pylist() for c in (LINE, "t", "c", "expected")), strict=False))
        findings.append(_t_id_breaks(bad.column(LINE).to_pylist(), shown))
    return findings
