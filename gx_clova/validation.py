"""Validate a dataset: read it, run the gx-clova suite, build the report.

The suite runs in Great Expectations when a GX artefact is asked for (Data Docs) and otherwise
on the direct path (:mod:`gx_clova.direct`): the same kernels, the same report, without the
3–4 s import of GX.

>>> report = validate("examples/generation.csv")
>>> report.success, report.rows
(True, 1006)

This is the public entry point behind ``gx-clova validate`` and the submitter's gate.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable

from gx_clova import direct, memory, spec
from gx_clova.progress import SILENT, Phases, both_ticks, printable
from gx_clova.reading import read_dataset
from gx_clova.report import Report
from gx_clova.sources import LocalSource, Source, open_source
from gx_clova.verdict import escalation, read_eval_set, validate_dataset

Progress = Callable[[int], None]

#: Re-exported: the report for a read dataset, the escalated codes and the evaluation file's keys
#: (:mod:`gx_clova.verdict`, which the Spark path uses too).
__all__ = ["escalation", "read_eval_set", "validate", "validate_dataset"]


def validate(
    source: str | Source,
    task: str = spec.DEFAULT_TASK,
    docs_dir: str | None = None,
    progress: Progress | None = None,
    eval_file: str | Source | None = None,
    strict: bool = False,
    escalate: Any = (),
    engine: str = "pandas",
    spark: Any = None,
    spark_master: str | None = None,
    phases: Phases = SILENT,
    stream: bool | None = None,
    **storage_options: Any,
) -> Report:
    """Validate a dataset at a local path or ``s3://bucket/key``. Raises SourceError (exit 3).

    ``eval_file``: a held-out evaluation file (same formats) whose rows must not appear in the
    training file (``leakage.eval-overlap``). ``strict`` reports every warning as an error;
    ``escalate`` names the warning codes to report as errors.

    ``phases`` shows progress bars (:class:`gx_clova.progress.Phases`; none by default).

    ``stream``: True reads the file in bounded memory (:mod:`gx_clova.streaming`, the same report);
    None (default) streams when the file would not fit in memory; False never streams.

    ``engine="spark"`` validates with Spark (:func:`gx_clova.spark.validate_source`), in the
    SparkSession ``spark`` if given, else one started on ``spark_master`` (default ``local[2]``).
    """
    if engine == "spark":
        from gx_clova.spark import validate_source

        name = source if isinstance(source, str) else source.name
        with phases.phase(f"streaming {printable(os.path.basename(name))} into Spark", unit="B") as tick:
            return validate_source(source, task=task, docs_dir=docs_dir, progress=both_ticks(progress, tick),
                                   spark=spark, master=spark_master, escalate=escalation(strict, escalate),
                                   eval_file=eval_file, **storage_options)
    if engine != "pandas":
        raise ValueError(f"unknown engine {engine!r}; choose pandas or spark")
    if task not in spec.TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(spec.TASKS)}")
    escalate = escalation(strict, escalate)
    resolved = open_source(source, **storage_options) if isinstance(source, str) else source
    path = direct.chosen_path(bool(docs_dir))
    if isinstance(resolved, LocalSource):  # exit 3 naming memory, not an abort halfway (gate, library)
        mode = memory.mode_for(resolved.local_path(), stream=stream, streaming_possible=not docs_dir)
        stream = mode == memory.STREAM
    if stream:
        if docs_dir:
            raise ValueError("streaming mode writes no Data Docs: drop --docs, or validate in memory")
        from gx_clova.streaming import validate_stream

        eval_set = read_eval_set(eval_file, task, **storage_options) if eval_file is not None else None
        return validate_stream(resolved, task=task, eval_set=eval_set, escalate=escalate, phases=phases,
                               progress=progress)
    started = time.perf_counter()
    warm = None
    if path == "gx":
        # Importing Great Expectations takes 3-4 s of mostly Python work; the read is mostly
        # GIL-free pyarrow and hashing, so the two overlap instead of adding up.
        from gx_clova.gx.validation import import_gx

        warm = threading.Thread(target=import_gx, name="gx-clova-import", daemon=True)
        warm.start()
    total = resolved.size() if isinstance(resolved, LocalSource) else None
    with phases.phase(f"reading {printable(resolved.name)}", total=total, unit="B") as tick:
        dataset = read_dataset(resolved, progress=both_ticks(progress, tick))
    eval_set = read_eval_set(eval_file, task, **storage_options) if eval_file is not None else None
    read_seconds = time.perf_counter() - started
    if warm is not None:
        with phases.phase("importing Great Expectations"):
            warm.join()
    report = validate_dataset(dataset, task=task, docs_dir=docs_dir, eval_set=eval_set, escalate=escalate,
                              path=path, phases=phases)
    report.extra["read_seconds"] = round(read_seconds, 3)
    return report
