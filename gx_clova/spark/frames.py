"""Spark DataFrames as gx-clova batches: line numbers, and where a batch's file facts live.

A pandas batch carries the file's facts and the reader's findings in ``DataFrame.attrs``; a
Spark DataFrame has no such place. gx-clova keeps them in a registry in the driver process,
keyed by a random token, and puts the token in the metadata of the ``__line__`` column
(``StructField.metadata["gx_clova"]``). Column metadata travels with the column through
``select``, ``where`` and GX's own domain handling, so the ``clova.table`` metric finds the
facts of the very DataFrame it is given, and a registration ends with its validation
(:func:`registered`). A DataFrame without the token (one a user built) gets neutral facts, as a
pandas DataFrame without ``attrs`` does: its columns are the header.

Line numbers: Spark has no row order, so every rule orders by ``__line__``. A DataFrame without
that column gets one from :func:`with_lines`: a column the user names, positions after an
ordering the user names, or else the DataFrame's own partition order — in each case record
number + 2, as if the header were line 1 and each record one line.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE, FileFacts
from gx_clova.reading.stream import Staged

META_KEY = "gx_clova"
_REGISTRY: dict[str, dict[str, Any]] = {}


@dataclass
class SparkBatch:
    """What :func:`gx_clova.gx.validation.run_suite` validates on the Spark engine."""

    facts: FileFacts
    frame: DataFrame
    rows: int
    findings: list[Finding] = field(default_factory=list)
    engine: str = "spark"


@contextlib.contextmanager
def registered(frame: DataFrame, context: dict[str, Any]) -> Iterator[DataFrame]:
    """``frame`` tagged with ``context`` (facts and reader findings) for as long as the block runs."""
    token = uuid.uuid4().hex
    _REGISTRY[token] = context
    try:
        yield frame.withMetadata(LINE, {META_KEY: token})
    finally:
        _REGISTRY.pop(token, None)


def context_of(frame: DataFrame) -> dict[str, Any]:
    token = frame.schema[LINE].metadata.get(META_KEY) if LINE in frame.columns else None
    if token in _REGISTRY:
        return _REGISTRY[token]
    header = [c for c in frame.columns if c != LINE]
    return {
        "facts": {"uri": "", "bytes": 0, "encoding": "", "format": "dataframe", "header": header, "lines": 0},
        "findings": [],
    }


def as_batch(frame: DataFrame) -> tuple[DataFrame, dict[str, Any]]:
    """The ``clova.table`` value on Spark: the frame with ``__line__``, and its context."""
    if LINE not in frame.columns:
        frame = with_lines(frame)
    return frame, context_of(frame)


def staged_frame(spark: SparkSession, staged: Staged) -> DataFrame:
    """The Parquet parts of :func:`gx_clova.reading.stream.stage_dataset` as a DataFrame with the
    table's column names (a JSONL key that only later lines have is null where it is missing)."""
    if not staged.parts:
        schema = ", ".join([f"`{LINE}` long", *(f"`{_quoted(n)}` string" for n in staged.names)])
        return spark.createDataFrame([], schema)
    raw = spark.read.option("mergeSchema", "true").parquet(staged.directory)
    columns = [F.col(LINE)]
    for i, name in enumerate(staged.names):
        physical = f"c{i}"
        columns.append((F.col(physical) if physical in raw.columns else F.lit(None).cast("string")).alias(name))
    return raw.select(*columns)


def _quoted(name: str) -> str:
    return name.replace("`", "``")


def with_lines(frame: DataFrame, line_column: str | None = None, order_by: Sequence[str] | None = None,
               base: int = 2) -> DataFrame:
    """``frame`` with ``__line__`` first.

    - ``line_column``: that column's values are the lines (it is renamed, not kept as data);
    - ``order_by``: record number + ``base`` after sorting by these columns (name columns that
      order the rows uniquely, or tied rows get arbitrary positions);
    - neither: record number + ``base`` in the DataFrame's partition order, which is file order for
      a DataFrame read straight from files. ``base`` 2 is the file line of a CSV record under its
      header; a DataFrame that is not a file gets record numbers (``base`` 1).
    """
    if LINE in frame.columns and line_column in (None, LINE):
        return frame
    if line_column is not None:
        if line_column not in frame.columns:
            raise ValueError(f"line_column {line_column!r} is not a column of the DataFrame")
        rest = [F.col(f"`{_quoted(c)}`") for c in frame.columns if c not in (line_column, LINE)]
        return frame.select(F.col(f"`{_quoted(line_column)}`").cast("long").alias(LINE), *rest)
    if order_by:
        frame = frame.orderBy(*order_by)
    return _positions(frame, base)


def _positions(frame: DataFrame, base: int = 2) -> DataFrame:
    """Record number + ``base`` in partition order, without moving the rows to one partition: each row's
    index inside its partition plus the rows of the partitions before it."""
    spark = frame.sparkSession
    tagged = frame.withColumn("__pid__", F.spark_partition_id()).withColumn("__mid__", F.monotonically_increasing_id())
    counts = sorted((r["__pid__"], r["count"]) for r in tagged.groupBy("__pid__").count().collect())
    offsets, total = [], 0
    for pid, count in counts:
        offsets.append((pid, total))
        total += count
    table = spark.createDataFrame(offsets or [(0, 0)], "__pid__ int, __offset__ long")
    within = F.col("__mid__") - F.shiftleft(F.col("__pid__").cast("long"), 33)
    data = [F.col(f"`{_quoted(c)}`") for c in frame.columns]
    return (tagged.join(F.broadcast(table), "__pid__")
            .select((F.col("__offset__") + within + base).alias(LINE), *data))
