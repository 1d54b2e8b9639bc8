"""The Spark twins of the finding kernels: ``kernel(frame, context, **params) -> findings``.

The same signature as the Arrow kernels in :mod:`gx_clova.kernels`; the registry
(:mod:`gx_clova.registry`) names each beside its Arrow kernel. Each brings only the failing rows
(and, for label rules, one row per distinct label) to the driver.
"""

from __future__ import annotations

from typing import Any

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.spark.rules import content, ids, label_quality, labels, leakage, quality, system_prompt


def id_findings(frame: Any, context: dict) -> list[Finding]:
    return ids.check_c_id_spark(frame) + ids.check_t_id_spark(frame)


def empty_findings(frame: Any, context: dict) -> list[Finding]:
    return content.check_empty_spark(frame)


def length_findings(frame: Any, context: dict, max_chars: int = spec.MAX_ROW_CHARS) -> list[Finding]:
    return content.check_length_spark(frame, max_chars=max_chars)


def system_prompt_findings(frame: Any, context: dict) -> list[Finding]:
    return system_prompt.check_spark(frame)


def label_findings(frame: Any, context: dict, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL,
                   max_labels: int = spec.MAX_LABELS) -> list[Finding]:
    return labels.check_spark(frame, min_rows_per_label=min_rows_per_label, max_labels=max_labels)


def duplicate_findings(frame: Any, context: dict) -> list[Finding]:
    return quality.check_duplicates_spark(frame)


def text_quality_findings(frame: Any, context: dict) -> list[Finding]:
    return quality.check_text_spark(frame)


def leakage_findings(frame: Any, context: dict) -> list[Finding]:
    return leakage.check_spark(frame, context.get("eval"))


def label_quality_findings(frame: Any, context: dict, max_ratio: int = spec.MAX_LABEL_IMBALANCE) -> list[Finding]:
    return label_quality.check_spark(frame, max_ratio=max_ratio)
