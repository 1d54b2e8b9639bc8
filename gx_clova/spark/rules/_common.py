"""What the rules' Spark twins share: the previous row by line, and failing rows to the driver.

Imports pyspark, so only the Spark twins (:mod:`gx_clova.spark.rules`) import this, inside the
function. Nothing here imports Great Expectations.

Spark has no row order: every order is ``__line__``. A window over the whole table ordered by
line would move every row into one partition, so :func:`with_previous` windows each bucket of
2^18 lines on its own and stitches the buckets together through one row per bucket.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from gx_clova.reading.dataset import LINE

#: Lines per window partition in :func:`with_previous`.
BUCKET_BITS = 18


def with_previous(frame: DataFrame, columns: list[str]) -> DataFrame:
    """``frame`` plus ``prev_<c>`` for each of ``columns``: the value on the previous row by line
    (null on the first row). Lines must be unique.

    Rows are windowed per bucket of lines; the first row of a bucket takes the last row of the
    nearest non-empty bucket before it, from a table of one row per bucket.
    """
    bucket = F.shiftright(F.col(LINE), BUCKET_BITS)
    last_rows = frame.groupBy(bucket.alias("__bucket__")).agg(
        F.max_by(F.struct(*columns), F.col(LINE)).alias("__last__")
    )
    # One row per bucket: a global window here moves only those rows to one partition.
    carried = last_rows.select("__bucket__", F.lag("__last__").over(Window.orderBy("__bucket__")).alias("__carry__"))
    in_bucket = Window.partitionBy("__bucket__").orderBy(LINE)
    bucketed = frame.withColumn("__bucket__", bucket)
    lagged = bucketed.select(
        "*", *(F.lag(name).over(in_bucket).alias(f"__lag_{name}") for name in columns),
        (F.row_number().over(in_bucket) == 1).alias("__first__"),
    )
    joined = lagged.join(F.broadcast(carried), "__bucket__", "left")
    previous = [
        F.when(F.col("__first__"), F.col(f"__carry__.{name}")).otherwise(F.col(f"__lag_{name}")).alias(f"prev_{name}")
        for name in columns
    ]
    return joined.select(*frame.columns, *previous)


def with_runs(frame: DataFrame, name: str) -> DataFrame:
    """``frame`` plus ``__run__``: the line of the first row of the run of equal ``name`` values
    (null as ``""``) that the row belongs to, in line order (a conversation, for ``C_ID``).

    A run starts where the value differs from the previous row's (:func:`with_previous`); each
    row takes the latest start at or before it, found inside its bucket of lines or else carried
    from the buckets before it through one row per bucket, as in :func:`with_previous`.
    """
    keyed = frame.withColumn("__key__", F.coalesce(F.col(name), F.lit(""))).withColumn("__has__", F.lit(True))
    previous = with_previous(keyed, ["__key__", "__has__"])
    start = F.col("prev___has__").isNull() | (F.col("__key__") != F.col("prev___key__"))
    marked = previous.select("*", F.when(start, F.col(LINE)).alias("__start__"),
                             F.shiftright(F.col(LINE), BUCKET_BITS).alias("__bucket__"))
    so_far = Window.partitionBy("__bucket__").orderBy(LINE).rowsBetween(Window.unboundedPreceding, Window.currentRow)
    marked = marked.withColumn("__in_bucket__", F.max("__start__").over(so_far))
    before = Window.orderBy("__bucket__").rowsBetween(Window.unboundedPreceding, -1)
    carried = (marked.groupBy("__bucket__").agg(F.max("__start__").alias("__last__"))
               .select("__bucket__", F.max("__last__").over(before).alias("__carry__")))
    joined = marked.join(F.broadcast(carried), "__bucket__", "left")
    return joined.select(*frame.columns, F.coalesce(F.col("__in_bucket__"), F.col("__carry__")).alias("__run__"))


def failing(frame: DataFrame, *columns: str) -> pa.Table:
    """The rows of ``frame`` (only ``__line__`` and ``columns``) on the driver, sorted by line.

    Only failing rows should reach this: it is the one place data leaves Spark.
    """
    table = frame.select(LINE, *columns).toArrow()
    if table.num_rows:
        table = table.take(pa.array(np.argsort(table.column(LINE).to_numpy(), kind="stable")))
    return table


def sample_rows(frame: DataFrame, lines: list[int]) -> pa.Table:
    """The rows of ``frame`` on ``lines`` (the first failing lines of each finding, for Data Docs'
    excerpts: :func:`gx_clova.excerpts.attach`) with the columns excerpts show, sorted by line."""
    from gx_clova import spec

    shown = [name for name in (spec.C_ID, spec.T_ID, spec.TEXT, spec.COMPLETION) if name in frame.columns]
    if not lines:
        return pa.table({LINE: pa.array([], pa.int64()), **{name: pa.array([], pa.string()) for name in shown}})
    wanted = frame.sparkSession.createDataFrame([(line,) for line in sorted(set(lines))], f"{LINE} long")
    return failing(frame.join(F.broadcast(wanted), LINE, "left_semi"), *shown)


def lines_of(table: pa.Table) -> list[int]:
    return table.column(LINE).to_pylist()
