"""The verdict on a read dataset: the suite run (on the direct path, or in Great Expectations) and
the report, plus the escalated codes and the evaluation file's keys it takes.

:mod:`gx_clova.validation` (reading a source, then this) and :mod:`gx_clova.spark` (staging a
source or a DataFrame into Spark, then this) both end here; neither imports the other for it.
"""

from __future__ import annotations

import os
import time
from typing import Any

from gx_clova import direct, spec
from gx_clova.codes import CATALOGUE, WARNING
from gx_clova.progress import SILENT, Phases
from gx_clova.reading import Dataset, read_dataset
from gx_clova.report import Report
from gx_clova.rules.leakage import EvalSet
from gx_clova.sources import Source, open_source


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
