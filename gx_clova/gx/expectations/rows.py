"""N1–N2: how many data rows. Built on GX's own row-count expectation.

Blank rows and records that do not parse are not data rows: the reader keeps them out of the
batch and reports them under ``file.blank-row`` / ``file.format``.
"""

from __future__ import annotations

from typing import ClassVar, Optional

from great_expectations.expectations.core.expect_table_row_count_to_be_between import ExpectTableRowCountToBeBetween

from gx_clova.codes import CATALOGUE
from gx_clova.gx.expectations.base import WarningStatus, escalated_in, fails_run, parameter
from gx_clova.kernels import row_count_message


class _RowCount(WarningStatus, ExpectTableRowCountToBeBetween):
    code: ClassVar[str] = ""
    #: Conversations and turns, for Data Docs' dataset summary (``details["profile"]``).
    metric_dependencies = ("table.row_count", "clova.profile.conversations")

    def _validate(self, metrics: dict, runtime_configuration: Optional[dict] = None, execution_engine=None) -> dict:
        result = super()._validate(metrics, runtime_configuration, execution_engine)
        rows = metrics["table.row_count"]
        failures = []
        if not result["success"]:
            failures.append({
                "code": self.code,
                "severity": CATALOGUE[self.code].severity,
                "message": self._message(rows),
                "count": 1,
                "lines": [],
                "details": {"rows": rows, "min_value": self.min_value, "max_value": self.max_value},
            })
        result.setdefault("result", {})["details"] = {
            "failures": failures,
            "codes": [self.code],
            "profile": dict(metrics.get("clova.profile.conversations") or {}),
        }
        if failures and not (fails_run(self) or self.code in escalated_in(execution_engine)):
            result["success"] = True  # a warning: reported in details, the run still passes
        return result

    def _message(self, rows: int) -> str:
        return row_count_message(self.code, rows, self.min_value, self.max_value)


class ExpectClovaRowCountToBeAtLeast(_RowCount):
    """At least ``min_value`` (100) data rows (N1). Passes: 100 rows. Fails: 99."""

    code = "rows.too-few"
    min_value: int = parameter(code, "min_value")


class ExpectClovaRowCountToBeRecommended(_RowCount):
    """Between ``min_value`` (1,000) and ``max_value`` (100,000) data rows, as the guide recommends (N2).

    A warning by default (``severity="warning"``): a small dataset can be tuned, it just tunes worse.
    """

    code = "rows.outside-recommended"
    min_value: int = parameter(code, "min_value")
    max_value: int = parameter(code, "max_value")
