"""The evaluation as Great Expectations: a metric over the scored answers, four expectations.

The batch is one row per (target, test row): ``target``, ``row``, ``line``, ``text``,
``expected``, ``answer`` (empty when none), ``answered``. The metric ``clova_eval.scores``
scores it per target with :mod:`gx_clova.evaluate.scoring` (the label set and task travel in
``DataFrame.attrs["gx_clova_eval"]``); the expectations read that:

- :class:`ExpectClovaAccuracyToBeAtLeast` — ``target``'s accuracy ≥ ``min_value``;
- :class:`ExpectClovaClassRecallToBeAtLeast` — every class's recall ≥ ``min_value`` (names those below);
- :class:`ExpectClovaTunedToBeatBaseline` — tuned accuracy − ``baseline`` accuracy ≥ ``min_delta``,
  with McNemar's exact p-value on the same rows;
- :class:`ExpectClovaEvaluationToBeComplete` — every row of ``target`` answered.

The accuracy expectation keeps the whole picture in ``details["evaluation"]`` (confusion matrix,
per-class scores, every misclassified row — every answer for generation), so the Data Docs page can
be rebuilt from the stored result.
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider
from great_expectations.render import LegacyDiagnosticRendererType, LegacyRendererType, RenderedStringTemplateContent
from great_expectations.render.renderer.renderer import renderer

from gx_clova.evaluate import scoring
from gx_clova.gx.docs.blocks import param, text_block

ATTRS_KEY = "gx_clova_eval"
EXCERPT_CHARS = 120


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def score_target(frame: Any, target: str, labels: list[str], task: str) -> dict[str, Any]:
    """Everything the expectations and the page need about one target."""
    part = frame[frame["target"] == target].sort_values("row")
    expected = [str(v) for v in part["expected"]]
    answers = [str(a) if ok else None for a, ok in zip(part["answer"], part["answered"], strict=False)]
    lines, texts = [int(v) for v in part["line"]], [str(v) for v in part["text"]]
    out: dict[str, Any] = {
        "target": target,
        "task": task,
        "rows": len(expected),
        "answered": sum(a is not None for a in answers),
    }
    if task == "classification":
        scores = scoring.score_classification(expected, answers, labels)
        out.update(scores.to_dict())
        hits = scores.hits()
        wrong = [(i, e, p) for i, e, p in scores.rows if e != p]
        out["misclassified"] = [
            {
                "line": lines[i],
                "text": excerpt(texts[i]),
                "expected": e,
                "answer": excerpt(answers[i] or ""),
                "predicted": p,
            }
            for i, e, p in wrong
        ]
        out["misclassified_total"] = len(wrong)
    else:
        hits = {
            i: scoring.normalise(a) == scoring.normalise(e)
            for i, (e, a) in enumerate(zip(expected, answers, strict=False))
            if a is not None
        }
        pairs = [(a, e) for e, a in zip(expected, answers, strict=False) if a is not None]
        correct = sum(hits.values())
        out.update(
            {
                "accuracy": round(correct / len(hits), 4) if hits else None,
                "correct": correct,
                "chrf": scoring.corpus_chrf(pairs),
            }
        )
        out["answers"] = [
            {
                "line": lines[i],
                "text": excerpt(texts[i]),
                "expected": excerpt(e, 400),
                "answer": excerpt(a or "", 400),
                "chrf": scoring.chrf(a, e) if a is not None else None,
            }
            for i, (e, a) in enumerate(zip(expected, answers, strict=False))
        ]
    out["hits"] = {str(i): bool(h) for i, h in hits.items()}
    return out


class ClovaEvalScores(TableMetricProvider):
    """``{target: score_target(...)}`` for every target in the batch."""

    metric_name = "clova_eval.scores"

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        frame, _, _ = execution_engine.get_compute_domain(metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
        extra = frame.attrs.get(ATTRS_KEY) or {}
        labels = list(extra.get("labels") or sorted(set(map(str, frame["expected"]))))
        task = extra.get("task", "classification")
        return {str(t): score_target(frame, str(t), labels, task) for t in dict.fromkeys(frame["target"])}


class _EvalExpectation(BatchExpectation):
    target: str

    metric_dependencies = ("clova_eval.scores",)
    template: ClassVar[str] = ""
    template_params: ClassVar[tuple[str, ...]] = ()
    library_metadata: ClassVar[dict] = {
        "maturity": "production",
        "tags": ["gx-clova", "clova-studio", "evaluation"],
        "contributors": ["@gx-clova"],
    }

    def _scores(self, metrics: dict) -> dict[str, Any]:
        scores = metrics["clova_eval.scores"].get(self.target)
        if scores is None:
            raise ValueError(f"no answers of {self.target} in the batch")
        return scores

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        if configuration is None and result is not None:
            configuration = getattr(result, "expectation_config", None)
        values = dict(getattr(configuration, "kwargs", None) or {})
        return [
            RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={
                    "template": cls.template,
                    "params": {k: param(values.get(k, "")) for k in cls.template_params},
                    "styling": {"default": {"classes": ["badge", "badge-secondary"]}},
                },
            )
        ]

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.OBSERVED_VALUE)
    def _diagnostic_observed_value_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        body = (result.result if hasattr(result, "result") else (result or {}).get("result")) or {}
        return text_block("$observed", observed=body.get("observed_value", ""))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


class ExpectClovaAccuracyToBeAtLeast(_EvalExpectation):
    """``target`` answers at least ``min_value`` of the answered test rows right (normalised exact match)."""

    min_value: float
    success_keys = ("target", "min_value")
    template = "$target answers at least $min_value of the test rows right."
    template_params = ("target", "min_value")

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None) -> dict:
        scores = self._scores(metrics)
        accuracy = scores.get("accuracy")
        observed = f"{_pct(accuracy)} ({scores.get('correct', 0):,} of {scores['answered']:,} answered rows)"
        return {
            "success": accuracy is not None and accuracy >= self.min_value,
            "result": {"observed_value": observed, "details": {"evaluation": scores}},
        }


class ExpectClovaClassRecallToBeAtLeast(_EvalExpectation):
    """Every class in the test set has recall ≥ ``min_value`` for ``target`` (classes absent from
    the test set have no recall and are not judged)."""

    min_value: float
    success_keys = ("target", "min_value")
    template = "Every class's recall for $target is at least $min_value."
    template_params = ("target", "min_value")

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None) -> dict:
        scores = self._scores(metrics)
        below = [
            (c["label"], c["recall"])
            for c in scores.get("classes", [])
            if c["recall"] is not None and c["recall"] < self.min_value
        ]
        observed = (
            "every class at or above"
            if not below
            else f"{len(below)} class(es) below: " + ", ".join(f"{label} ({_pct(r)})" for label, r in below)
        )
        return {
            "success": not below and scores["answered"] > 0,
            "result": {"observed_value": observed, "details": {"below": [label for label, _ in below]}},
        }


class ExpectClovaTunedToBeatBaseline(_EvalExpectation):
    """``target`` (the tuned task) beats ``baseline`` by at least ``min_delta`` accuracy on the same rows."""

    baseline: str
    min_delta: float = 0.0
    success_keys = ("target", "baseline", "min_delta")
    template = "$target beats $baseline by at least $min_delta accuracy on the same rows."
    template_params = ("target", "baseline", "min_delta")

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None) -> dict:
        tuned = {int(k): v for k, v in self._scores(metrics)["hits"].items()}
        other = metrics["clova_eval.scores"].get(self.baseline)
        if other is None:
            raise ValueError(f"no answers of {self.baseline} in the batch")
        comparison = scoring.compare(tuned, {int(k): v for k, v in other["hits"].items()}, self.baseline)
        delta = comparison.delta
        observed = (
            f"{'+' if (delta or 0) >= 0 else ''}{100 * (delta or 0):.1f} points on {comparison.rows:,} rows "
            f"(McNemar exact p = {comparison.p_value:.4g})"
        )
        return {
            "success": delta is not None and delta >= self.min_delta,
            "result": {"observed_value": observed, "details": {"comparison": comparison.to_dict()}},
        }


class ExpectClovaEvaluationToBeComplete(_EvalExpectation):
    """Every test row got an answer from ``target``: an incomplete evaluation never passes silently."""

    success_keys = ("target",)
    template = "Every test row has an answer from $target."
    template_params = ("target",)

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None) -> dict:
        scores = self._scores(metrics)
        return {
            "success": scores["answered"] == scores["rows"],
            "result": {
                "observed_value": f"{scores['answered']:,} of {scores['rows']:,} rows answered",
                "details": {"unanswered": scores["rows"] - scores["answered"]},
            },
        }


__all__ = [
    "ExpectClovaAccuracyToBeAtLeast",
    "ExpectClovaClassRecallToBeAtLeast",
    "ExpectClovaEvaluationToBeComplete",
    "ExpectClovaTunedToBeatBaseline",
]
