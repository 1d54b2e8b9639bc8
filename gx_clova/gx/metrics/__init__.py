"""Custom Great Expectations metrics: each returns the findings of one rule family.

Every metric is a table metric whose value is a list of finding dicts (``code``, ``lines``,
``message``, ``count``, ``details``). The finding metrics are generated from the rule registry
(:mod:`gx_clova.registry`): one :class:`ClovaFindings` subclass per registry metric, registered
with GX under the metric's name, calling the registry's kernels (``kernel(table, context,
**params)`` on pandas, ``spark_kernel(frame, context, **params)`` on Spark). The direct path
(:mod:`gx_clova.direct`) runs the very same kernels when no GX artefact is asked for.

``clova.table`` converts the batch to Arrow once; the finding metrics depend on it, so a suite
of nine expectations converts the batch once, not nine times.

Spark (``SparkDFExecutionEngine``): ``clova.table`` is the batch DataFrame with its ``__line__``
column and the context (:mod:`gx_clova.spark.frames` says where a Spark batch's facts live), and
each finding metric runs its rule's Spark twin, which brings only the failing rows (and, for
label rules, one row per distinct label) to the driver.
"""

from __future__ import annotations

import re
import types
from typing import Any, ClassVar

import pyarrow as pa

from great_expectations.execution_engine import PandasExecutionEngine, SparkDFExecutionEngine
from great_expectations.expectations.metrics.metric_provider import metric_value

from gx_clova import registry
from gx_clova.excerpts import attach as attach_rows
from gx_clova.gx.metrics import profile as profile  # registers the profile metrics
from gx_clova.gx.metrics.table import ClovaTable as ClovaTable  # registers clova.table
from gx_clova.gx.metrics.table import ReadsClovaTable
from gx_clova.kernels import Kernel
from gx_clova.reading.dataset import LINE
from gx_clova.rules import RECORDS


class ClovaFindings(ReadsClovaTable):
    """Base of the finding metrics: ``kernel(table, context, **value_kwargs) -> findings``."""

    kernel: ClassVar[Kernel]
    #: The same rule on a Spark DataFrame: ``spark_kernel(frame, context, **value_kwargs)``.
    spark_kernel: ClassVar[Kernel]

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        table, context = metrics["clova.table"]
        kwargs = cls.value_kwargs(metric_value_kwargs)
        # The first failing rows go with each finding (line, C_ID, T_ID, excerpts) for Data Docs.
        found = cls.kernel(table, context, **kwargs)
        marks = [f for f in found if isinstance(f, dict)]  # NOT_ON_A_DATAFRAME
        out = [f.to_dict() for f in attach_rows([f for f in found if not isinstance(f, dict)], table)]
        return (out if LINE in table.column_names else [as_records(f) for f in out]) + marks

    @metric_value(engine=SparkDFExecutionEngine)
    def _spark(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        frame, context = metrics["clova.table"]
        kwargs = cls.value_kwargs(metric_value_kwargs)
        spark_kernel = getattr(cls, "spark_kernel", None)
        if spark_kernel is None:  # a metric added without a Spark twin: the Arrow kernel, on the driver
            rows = on_driver(frame)
            raw = cls.kernel(rows, context, **kwargs)
        else:
            raw, rows = spark_kernel(frame, context, **kwargs), None
        marks = [f for f in raw if isinstance(f, dict)]  # NOT_ON_A_DATAFRAME
        found = [f for f in raw if not isinstance(f, dict)]
        if rows is None:
            from gx_clova.excerpts import SAMPLE_ROWS
            from gx_clova.spark.rules._common import sample_rows

            # The same excerpts as on pandas, from the few rows they show.
            rows = sample_rows(frame, [line for f in found for line in f.lines[:SAMPLE_ROWS]])
        out = [f.to_dict() for f in attach_rows(found, rows)]
        if context.get("positions"):  # no file lines: record numbers, called records
            out = [as_records(f) for f in out]
        return out + marks


_LINE_WORD = re.compile(r"\b([Ll])ine(s?)\b")


def as_records(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding on a table without a line column: its positions are records, and it says so."""

    def word(text: Any) -> Any:
        return _LINE_WORD.sub(lambda m: ("R" if m.group(1) == "L" else "r") + "ecord" + m.group(2), text) \
            if isinstance(text, str) else text

    finding["message"] = word(finding.get("message", ""))
    details = finding.setdefault("details", {})
    if isinstance(details.get("problems"), list):
        details["problems"] = [word(p) for p in details["problems"]]
    details["positions"] = RECORDS
    return finding


def on_driver(frame: Any) -> pa.Table:
    """A Spark batch as Arrow on the driver, in file order, for a metric without a Spark twin.

    This holds the whole table in the driver's memory. Every metric in this package and in
    :mod:`gx_clova.gx.metrics.profile` has a twin (tests/test_spark.py checks), so a gx-clova suite
    never calls this; it keeps a metric added later correct, if not scalable, until it has one.
    """
    from gx_clova.reading.dataset import LINE

    return frame.orderBy(LINE).toArrow()


def findings_metric(declared: registry.Metric) -> type[ClovaFindings]:
    """The GX metric of a registry metric (defining the class registers it with GX)."""
    name = "".join(part.title() for part in declared.name.split(".", 1)[1].split("_"))
    kernel = declared.load()
    spark_kernel = declared.load_spark()
    body: dict[str, Any] = {"__doc__": declared.doc, "__module__": __name__, "metric_name": declared.name,
                            "value_keys": declared.params, "kernel": staticmethod(kernel)}
    if spark_kernel is not None:
        body["spark_kernel"] = staticmethod(spark_kernel)
    return types.new_class(name, (ClovaFindings,), exec_body=lambda namespace: namespace.update(body))


#: The finding metrics, generated from the registry: ``FileFindings`` … ``LabelQualityFindings``.
FINDINGS: dict[str, type[ClovaFindings]] = {m.name: findings_metric(m) for m in registry.METRICS}
globals().update({cls.__name__: cls for cls in FINDINGS.values()})
