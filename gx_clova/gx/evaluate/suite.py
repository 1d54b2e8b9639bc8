"""The ``evaluation`` suite, run through a GX checkpoint in an ephemeral context.

Like :func:`gx_clova.gx.validation.run_suite`: a pandas data source, one validation definition,
one checkpoint, and with ``docs_dir`` gx-clova's safe ``ClovaSiteBuilder`` — here with the
evaluation page renderer (:mod:`gx_clova.gx.evaluate.docs`).
"""

from __future__ import annotations

from typing import Any

from gx_clova.evaluate.engine import Answer
from gx_clova.evaluate.messages import TestRow

SUITE_NAME = "evaluation"
CHECKPOINT_NAME = "gx_clova_evaluation"


def answers_frame(rows: list[TestRow], answers: dict[str, list[Answer]], labels: list[str], task: str) -> Any:
    import pandas as pd

    from gx_clova.gx.evaluate.expectations import ATTRS_KEY

    records = []
    for target, given in answers.items():
        for row, answer in zip(rows, given, strict=False):
            records.append(
                {
                    "target": target,
                    "row": row.index,
                    "line": row.line,
                    "text": row.text,
                    "expected": row.expected,
                    "answer": answer.content or "",
                    "answered": answer.content is not None,
                }
            )
    frame = pd.DataFrame.from_records(
        records, columns=["target", "row", "line", "text", "expected", "answer", "answered"]
    )
    frame.attrs[ATTRS_KEY] = {"labels": list(labels), "task": task}
    return frame


def build_suite(
    tuned: str | None,
    baselines: list[str],
    *,
    min_accuracy: float,
    min_recall: float | None,
    min_delta: float | None,
    task: str,
) -> Any:
    from great_expectations.core.expectation_suite import ExpectationSuite

    from gx_clova.gx.evaluate import expectations as ex

    gated = tuned or baselines[0]
    found: list[Any] = []
    for target in ([tuned] if tuned else []) + baselines:
        found.append(ex.ExpectClovaEvaluationToBeComplete(target=target))
        # Baselines are measured, not gated: their accuracy is "at least 0" (always passes).
        found.append(
            ex.ExpectClovaAccuracyToBeAtLeast(target=target, min_value=min_accuracy if target == gated else 0.0)
        )
        if target == gated and min_recall is not None and task == "classification":
            found.append(ex.ExpectClovaClassRecallToBeAtLeast(target=target, min_value=min_recall))
    if tuned and min_delta is not None:
        for baseline in baselines:
            found.append(ex.ExpectClovaTunedToBeatBaseline(target=tuned, baseline=baseline, min_delta=min_delta))
    return ExpectationSuite(name=SUITE_NAME, expectations=found, meta={"gx_clova": {"task": task}})


def run_evaluation_suite(frame: Any, suite: Any, *, docs_dir: str | None, run_name: str) -> Any:
    """Validate ``frame`` against ``suite`` in a checkpoint; the suite result."""
    import great_expectations as gx
    from great_expectations.core.result_format import ResultFormat
    from great_expectations.core.run_identifier import RunIdentifier

    from gx_clova.gx.validation import _quiet, add_docs_site

    context = gx.get_context(mode="ephemeral")
    _quiet(context)
    suite = context.suites.add(suite)
    asset = context.data_sources.add_pandas("gx_clova_evaluation").add_dataframe_asset("answers")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(
            name=f"{SUITE_NAME}:{run_name}", data=asset.add_batch_definition_whole_dataframe("whole"), suite=suite
        )
    )
    renderer = {"module_name": "gx_clova.gx.evaluate.docs", "class_name": "EvaluationPageRenderer"}
    sections = {"site_section_builders": {"validations": {"renderer": renderer}}}
    actions = [add_docs_site(context, docs_dir, **sections)] if docs_dir else []
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=CHECKPOINT_NAME, validation_definitions=[definition], actions=actions, result_format=ResultFormat.BASIC
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name))
    return next(iter(result.run_results.values()))
