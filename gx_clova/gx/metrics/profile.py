"""Profile metrics: what the dataset looks like, next to the rule metrics. Values are plain data
from :mod:`gx_clova.profile`; expectations put them in their result's ``details["profile"]``
for Data Docs (rows expectation: conversations; length limit: lengths; labels: labels).

Like the finding metrics, each reads ``clova.table``; on Spark each runs its summary's Spark twin
(``spark_summarize``, from :mod:`gx_clova.profile`), which sends only distributions to the driver.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

import pyarrow as pa

from great_expectations.execution_engine import PandasExecutionEngine, SparkDFExecutionEngine
from great_expectations.expectations.metrics.metric_provider import metric_value

from gx_clova import profile, spec
from gx_clova.spark.rules import profile as spark_profile
from gx_clova.gx.metrics.table import ReadsClovaTable


class ClovaProfile(ReadsClovaTable):
    """Base: ``summarize(table, **value_kwargs) -> dict``."""

    summarize: ClassVar[Callable[..., dict[str, Any]]]
    #: The same summary of a Spark DataFrame: ``spark_summarize(frame, **value_kwargs)``.
    spark_summarize: ClassVar[Callable[..., dict[str, Any]]]

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        table, _ = metrics["clova.table"]
        kwargs = cls.value_kwargs(metric_value_kwargs)
        return cls.summarize(table, **kwargs)

    @metric_value(engine=SparkDFExecutionEngine)
    def _spark(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        frame, _ = metrics["clova.table"]
        kwargs = cls.value_kwargs(metric_value_kwargs)
        return cls.spark_summarize(frame, **kwargs)


class ConversationProfile(ClovaProfile):
    metric_name = "clova.profile.conversations"

    @staticmethod
    def summarize(table: pa.Table) -> dict[str, Any]:
        return {"conversations": profile.conversations(table)}

    @staticmethod
    def spark_summarize(frame) -> dict[str, Any]:
        return {"conversations": spark_profile.conversations_spark(frame)}


class LengthProfile(ClovaProfile):
    metric_name = "clova.profile.lengths"
    value_keys = ("max_chars",)

    @staticmethod
    def summarize(table: pa.Table, max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
        return {"lengths": profile.lengths(table, max_chars=max_chars)}

    @staticmethod
    def spark_summarize(frame, max_chars: int = spec.MAX_ROW_CHARS) -> dict[str, Any]:
        return {"lengths": spark_profile.lengths_spark(frame, max_chars=max_chars)}


class LabelProfile(ClovaProfile):
    metric_name = "clova.profile.labels"
    value_keys = ("min_rows_per_label",)

    @staticmethod
    def summarize(table: pa.Table, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
        return {"labels": profile.labels(table, min_rows_per_label=min_rows_per_label)}

    @staticmethod
    def spark_summarize(frame, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL) -> dict[str, Any]:
        return {"labels": spark_profile.labels_spark(frame, min_rows_per_label=min_rows_per_label)}
