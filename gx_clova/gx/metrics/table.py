"""``clova.table``: the batch as ``(pyarrow.Table, context)``, converted once, and the base of every
metric that reads it (the finding metrics in :mod:`gx_clova.gx.metrics`, the profile metrics in
:mod:`gx_clova.gx.metrics.profile`)."""

from __future__ import annotations

from typing import Any

from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine, SparkDFExecutionEngine
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider
from great_expectations.validator.metric_configuration import MetricConfiguration

from gx_clova.batch import arrow_of, context_of


class ClovaTable(TableMetricProvider):
    """The batch as ``(pyarrow.Table, context)``; context holds the file facts and reader findings."""

    metric_name = "clova.table"

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        frame, _, _ = execution_engine.get_compute_domain(metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
        return arrow_of(frame), context_of(frame)

    @metric_value(engine=SparkDFExecutionEngine)
    def _spark(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        from gx_clova.spark.frames import as_batch

        frame, _, _ = execution_engine.get_compute_domain(metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
        return as_batch(frame)


class ReadsClovaTable(TableMetricProvider):
    """Base of every metric that reads the batch through ``clova.table`` (findings, profiles)."""

    @classmethod
    def _get_evaluation_dependencies(cls, metric, configuration=None, execution_engine=None,
                                     runtime_configuration=None):
        dependencies = super()._get_evaluation_dependencies(
            metric=metric,
            configuration=configuration,
            execution_engine=execution_engine,
            runtime_configuration=runtime_configuration,
        )
        dependencies["clova.table"] = MetricConfiguration("clova.table", metric.metric_domain_kwargs, {})
        return dependencies

    @staticmethod
    def value_kwargs(metric_value_kwargs: Any) -> dict[str, Any]:
        """The expectation's parameters, without the ones it left unset (the kernel's default applies)."""
        return {k: v for k, v in dict(metric_value_kwargs).items() if v is not None}
