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
from gx_clova.codes import CATALOGUE, WARNING
from gx_clova.progress import SILENT, Phases, printable
from gx_clova.reading import Dataset, read_dataset
from gx_clova.report import Report
from gx_clova.rules.leakage import EvalSet
from gx_clova.sources import LocalSource, Source, open_source

Progress = Callable[[int], None]

def escalation(strict: bool = False, codes: Any = ()) -> frozenset[str]:
    """The warning codes to report as errors: every one with ``strict``, else those named.

    Raises ValueError for a code that is not in the catalogue.
    """
    named = set(codes or ())
    unknown = sorted(named - set(CATALOGUE))
    if unknown:
        raise ValueError(f"unknown failure code(s): {', '.join(unknown)}")
    if strict:
        named |= {code for code, entry in CATALOGUE.items() if entry.severity == WARNING}
    return frozenset(named)


def read_eval_set(eval_file: str | Source, task: str, **storage_options: Any) -> EvalSet:
    """The evaluation file, read by the same reader, reduced to the keys leakage compares."""
    source = open_source(eval_file, **storage_options) if isinstance(eval_file, str) else eval_file
    dataset = read_dataset(source)
    return EvalSet.from_table(dataset.table, dataset.facts.uri, task)


def _both(first: Progress | None, second: Progress) -> Progress:
    if first is None:
        return second

    def both(nbytes: int) -> None:
        first(nbytes)
        second(nbytes)

    return both


def validate_dataset(dataset: Dataset, task: str = spec.DEFAULT_TASK, docs_dir: str | None = None,
                     eval_set: EvalSet | None = None, escalate: frozenset[str] = frozenset(),
                     path: str | None = None, phases: Phases = SILENT) -> Report:
    """The report for a read dataset. ``path``: ``gx`` runs the suite in Great Expectations,
    ``direct`` runs the same kernels without it (:mod:`gx_clova.direct`); by default GX runs only
    when Data Docs are asked for, on Spark, or when ``GX_CLOVA_ENGINE_PATH=gx``."""
    started = time.perf_counter()
    spark_batch = getattr(dataset, "engine", "pandas") == "spark"
    path = path or direct.chosen_path(bool(docs_dir) or spark_batch)
    if path == "direct":
        if docs_dir or spark_batch:
            raise ValueError("the direct path writes no Data Docs and runs on pandas batches only")
        context = {"facts": dataset.facts.to_dict(), "findings": [f.to_dict() for f in dataset.findings]}
        if eval_set is not None:
            context["eval"] = eval_set
        with phases.phase("checking rules", total=len(direct.plan(task)), unit="rules") as tick:
            findings, summary = direct.run(dataset.table, context, task, escalate=escalate, tick=tick)
        suite_name = direct.suite_name(task)
    else:
        from gx_clova.gx import validation as gx_validation

        label = "checking rules, writing Data Docs" if docs_dir else "checking rules (Great Expectations)"
        with phases.phase(label):
            suite_result = gx_validation.run_suite(dataset, task, docs_dir=docs_dir, eval_set=eval_set,
                                                   escalate=escalate)
        findings, summary = gx_validation.findings_of(suite_result)
        suite_name = suite_result.suite_name
    facts = dataset.facts
    extra: dict[str, Any] = {
        "format": facts.format,
        "reader": facts.reader,
        "suite": suite_name,
        "validation_seconds": round(time.perf_counter() - started, 3),
    }
    if docs_dir:
        extra["data_docs"] = os.path.join(os.path.abspath(docs_dir), "index.html")
    if eval_set is not None:
        extra["eval"] = eval_set.describe()
    if escalate:
        extra["escalated"] = sorted(escalate)
    source = {"uri": facts.uri, "bytes": facts.bytes, "sha256": facts.sha256, "encoding": facts.encoding}
    return Report.build(task, source, dataset.rows, findings, summary, **extra)


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
            return validate_source(source, task=task, docs_dir=docs_dir, progress=_both(progress, tick), spark=spark,
                                   master=spark_master, escalate=escalation(strict, escalate), eval_file=eval_file,
                                   **storage_options)
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
        dataset = read_dataset(resolved, progress=_both(progress, tick))
    eval_set = read_eval_set(eval_file, task, **storage_options) if eval_file is not None else None
    read_seconds = time.perf_counter() - started
    if warm is not None:
        with phases.phase("importing Great Expectations"):
            warm.join()
    report = validate_dataset(dataset, task=task, docs_dir=docs_dir, eval_set=eval_set, escalate=escalate,
                              path=path, phases=phases)
    report.extra["read_seconds"] = round(read_seconds, 3)
    return report
