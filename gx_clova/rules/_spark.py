"""What the rules' Spark twins share: the previous row by line, and failing rows to the driver.

Imports pyspark, so only the Spark twins (``check_*_spark`` in each rule module) import this,
inside the function. Nothing here imports Great Expectations.

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
    (null on the first row). Lines must be unique."""
    bucketed = frame.withColumn("__bucket__", F.shiftright(F.col(LINE), BUCKET_BITS))
    in_bucket = Window.partitionBy("__bucket__").orderBy(LINE)
    for name in columns:
        bucketed = bucketed.withColumn(f"prev_{name}", F.lag(name).over(in_bucket))
    bucketed = bucketed.withColumn("__first__", F.row_number().over(in_bucket) == 1)
    last_rows = bucketed.groupBy("__bucket__").agg(
        F.max_by(F.struct(*columns), F.col(LINE)).alias("__last__")
    )
    # One row per bucket: a global window here moves only those rows to one partition.
    carried = last_rows.select("__bucket__", F.lag("__last__").over(Window.orderBy("__bucket__")).alias("__carry__"))
    joined = bucketed.join(F.broadcast(carried), "__bucket__", "left")
    for name in columns:
        joined = joined.withColumn(
            f"prev_{name}",
            F.when(F.col("__first__"), F.col(f"__carry__.{name}")).otherwise(F.col(f"prev_{name}")),
        )
    return joined.drop("__bucket__", "__first__", "__carry__")


def failing(frame: DataFrame, *columns: str) -> pa.Table:
    """The rows of ``frame`` (only ``__line__`` and ``columns``) on the driver, sorted by line.

    Only failing rows should reach this: it is the one place data leaves Spark.
    """
    table = frame.select(LINE, *columns).toArrow()
    if table.num_rows:
        table = table.take(pa.array(np.argsort(table.column(LINE).to_numpy(), kind="stable")))
    return table


def lines_of(table: pa.Table) -> list[int]:
    return table.column(LINE).to_pylist()
