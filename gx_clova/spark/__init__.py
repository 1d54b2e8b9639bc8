"""Validate with Spark: a file or ``s3://`` object, or a DataFrame already in the user's session.

>>> from gx_clova.spark import validate_dataframe                          # doctest: +SKIP
>>> report = validate_dataframe(spark.table("tuning.train"), order_by=["C_ID", "T_ID"])  # doctest: +SKIP
>>> report.success, report.lines("c_id.sequence")                          # doctest: +SKIP
(True, [])

The same suite and the same findings as the pandas engine; each rule's Spark twin lives next to
its Arrow kernel in :mod:`gx_clova.rules`. A file is read by the executors in parallel, as byte
ranges, into Parquet parts that carry every record's physical line (:mod:`gx_clova.spark.ranges`;
a file the ranges cannot vouch for is streamed by the driver instead, :mod:`gx_clova.reading.stream`);
Spark then validates the parts in parallel. Needs the ``spark`` extra (pyspark 4.1) and Java 17.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from typing import Any, Callable, Sequence

from gx_clova import spec
from gx_clova.spark.session import DEFAULT_MASTER, SparkUnavailable, get_session, require_pyspark

__all__ = ["DEFAULT_MASTER", "SparkUnavailable", "get_session", "validate_dataframe", "validate_source",
           "validate_staged"]

#: Where the Parquet parts go (default: the system temporary directory). With a cluster master
#: it must be a directory every executor can read under the same path (a shared mount).
STAGING_ENV = "GX_CLOVA_SPARK_STAGING"


def validate_source(
    source: Any,
    task: str = spec.DEFAULT_TASK,
    docs_dir: str | None = None,
    progress: Callable[[int], None] | None = None,
    spark: Any = None,
    master: str | None = None,
    staging_dir: str | None = None,
    escalate: frozenset[str] = frozenset(),
    eval_file: Any = None,
    **storage_options: Any,
):
    """Validate a local path, ``s3://bucket/key`` or :class:`~gx_clova.sources.Source` with Spark.

    ``spark``: the user's SparkSession, used as it is; otherwise one is started on ``master``
    (default ``local[2]``). Raises SourceError (exit 3) when the bytes cannot be read.

    ``eval_file``: the held-out evaluation file, read on the driver and reduced to its distinct
    keys (:class:`~gx_clova.rules.leakage.EvalSet`) before Spark starts; the training rows are
    compared on the executors (``leakage.eval-overlap``).
    """
    require_pyspark()
    from gx_clova.gx.validation import import_gx as _import_gx
    from gx_clova.sources import open_source
    from gx_clova.spark.ranges import stage
    from gx_clova.verdict import read_eval_set

    if task not in spec.TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(spec.TASKS)}")
    resolved = open_source(source, **storage_options) if isinstance(source, str) else source
    warm = threading.Thread(target=_import_gx, name="gx-clova-import", daemon=True)
    warm.start()
    parent = staging_dir or os.environ.get(STAGING_ENV) or None
    resolved.size()  # a missing or unreadable source is exit 3 before a JVM starts
    eval_set = read_eval_set(eval_file, task, **storage_options) if eval_file is not None else None
    session = spark or get_session(master)  # and a JVM that cannot start fails before the long read
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gx-clova-spark-", dir=parent) as directory:
        staged = stage(resolved, directory, session, progress=progress)
        read_seconds = time.perf_counter() - started
        warm.join()
        report = validate_staged(staged, session, task=task, docs_dir=docs_dir, escalate=escalate,
                                 eval_set=eval_set)
    report.extra["read_seconds"] = round(read_seconds, 3)
    return report


def validate_staged(staged: Any, spark: Any, task: str = spec.DEFAULT_TASK, docs_dir: str | None = None,
                    escalate: frozenset[str] = frozenset(), eval_set: Any = None):
    """Validate a dataset already read into Parquet parts (:func:`gx_clova.reading.stream.stage_dataset`);
    ``eval_set`` (:class:`~gx_clova.rules.leakage.EvalSet`) reaches the leakage metric in the
    batch's registered context."""
    from gx_clova.spark.frames import SparkBatch, registered, staged_frame
    from gx_clova.verdict import validate_dataset

    context = {"facts": staged.facts.to_dict(), "findings": [f.to_dict() for f in staged.findings]}
    if eval_set is not None:
        context["eval"] = eval_set
    with registered(staged_frame(spark, staged), context) as frame:
        report = validate_dataset(SparkBatch(staged.facts, frame, staged.rows, staged.findings), task=task,
                                  docs_dir=docs_dir, escalate=escalate, eval_set=eval_set)
    report.extra.update({"engine": "spark", "spark_master": spark.sparkContext.master})
    return report


def validate_dataframe(
    frame: Any,
    task: str = spec.DEFAULT_TASK,
    docs_dir: str | None = None,
    line_column: str | None = None,
    order_by: Sequence[str] | None = None,
    name: str = "dataframe",
):
    """Validate a Spark DataFrame in the caller's own session.

    Its columns are the header; every cell is compared as text. Line numbers (physical lines, the
    header is line 1) come from ``line_column`` if given (e.g. a line number kept when the data was
    loaded). Without one, positions are record numbers (1 is the first record) after sorting by
    ``order_by``, else in the DataFrame's partition order (file order for a DataFrame read straight
    from a file), and reports call them records, never lines, as on a pandas DataFrame. File rules
    (name, size, encoding, parse) are reported as not checked on a DataFrame.
    """
    require_pyspark()
    from pyspark.sql import functions as F

    from gx_clova.reading.dataset import LINE, FileFacts
    from gx_clova.rules import RECORD_BASE, RECORDS
    from gx_clova.spark.frames import SparkBatch, _quoted, registered, with_lines
    from gx_clova.verdict import validate_dataset

    if task not in spec.TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(spec.TASKS)}")
    records = line_column is None and LINE not in frame.columns  # no file lines: record numbers
    framed = with_lines(frame, line_column=line_column, order_by=order_by, base=RECORD_BASE if records else 2)
    data = [c for c in framed.columns if c != LINE]
    framed = framed.select(F.col(LINE).cast("long").alias(LINE),
                           *(F.col(f"`{_quoted(c)}`").cast("string").alias(c) for c in data))
    facts = FileFacts(uri=name, name=name, bytes=0, format="dataframe", header=data)
    context = {"facts": facts.to_dict(), "findings": [], **({"positions": RECORDS} if records else {})}
    with registered(framed, context) as tagged:
        report = validate_dataset(SparkBatch(facts, tagged, tagged.count()), task=task, docs_dir=docs_dir)
    report.extra.update({"engine": "spark", "spark_master": frame.sparkSession.sparkContext.master})
    return report
