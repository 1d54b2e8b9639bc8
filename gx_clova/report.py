"""The report: one object carrying the verdict, the source and every failure with every line.

``Report.to_dict()`` is the JSON contract, written down as a JSON Schema in
``docs/report.schema.json`` (``schema_version`` says which version of it a report follows)::

    {"schema_version": "1.0", "success": bool, "task": str,
     "source": {"uri", "bytes", "sha256", "encoding"}, "rows": int,
     "failures": [{"code", "severity", "message", "count", "lines": [...]}], ...}

Errors make ``success`` false; warnings never do::

    >>> found = [Finding("row.too-long", "m", [9, 3]), Finding("pii.email", "m", [5])]
    >>> report = Report.build("generation", {}, 120, found)
    >>> report.success, report.codes(), report.lines("row.too-long")
    (False, ['row.too-long', 'pii.email'], [3, 9])
    >>> Report.build("generation", {}, 120, [Finding("pii.email", "m", [5])]).success
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from gx_clova import __version__
from gx_clova.codes import ERROR
from gx_clova.findings import Finding, merge

#: The version of docs/report.schema.json every JSON report follows: the major number changes when
#: a field is removed or changes meaning; new fields only raise the minor number.
SCHEMA_VERSION = "1.0"


@dataclass
class Report:
    success: bool
    task: str
    source: dict[str, Any]
    rows: int
    failures: list[Finding]
    #: Per expectation: type, success, severity, codes. For Data Docs readers and debugging.
    expectations: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, task: str, source: dict[str, Any], rows: int, findings: list[Finding],
              expectations: list[dict[str, Any]] | None = None, **extra: Any) -> "Report":
        merged = merge(findings)
        success = not any(f.severity == ERROR for f in merged)
        return cls(success, task, source, rows, merged, expectations or [], extra)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.failures if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.failures if f.severity != ERROR]

    def codes(self) -> list[str]:
        return [f.code for f in self.failures]

    def lines(self, code: str) -> list[int]:
        for f in self.failures:
            if f.code == code:
                return list(f.lines)
        return []

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "success": self.success,
            "task": self.task,
            "source": dict(self.source),
            "rows": self.rows,
            "failures": [f.to_dict() for f in self.failures],
            "errors": sum(1 for f in self.failures if f.severity == ERROR),
            "warnings": sum(1 for f in self.failures if f.severity != ERROR),
            "expectations": list(self.expectations),
            "gx_clova_version": __version__,
            **self.extra,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        known = {"schema_version", "success", "task", "source", "rows", "failures", "expectations", "errors",
                 "warnings", "gx_clova_version"}
        return cls(
            success=bool(data["success"]),
            task=data["task"],
            source=dict(data["source"]),
            rows=int(data["rows"]),
            failures=[Finding.from_dict(f) for f in data["failures"]],
            expectations=list(data.get("expectations", [])),
            extra={k: v for k, v in data.items() if k not in known},
        )
