"""A finding: one failure code with every line it was found on.

Findings are plain data. The reader produces the structural ones, the rules kernel the rest;
Great Expectations results carry them in ``result.details.failures`` and the report aggregates
them. Nothing here imports Great Expectations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from gx_clova.codes import CATALOGUE, order_key


@dataclass
class Finding:
    code: str
    message: str
    lines: list[int] = field(default_factory=list)
    #: For failures that are not about lines (too few rows, too many labels): how many things
    #: failed. Defaults to the number of lines, or 1.
    count: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    severity: str | None = None

    def __post_init__(self) -> None:
        if not CATALOGUE.knows(self.code):
            raise ValueError(f"unknown failure code {self.code!r}")
        if self.severity is None:
            self.severity = CATALOGUE[self.code].severity
        if self.count is None:
            self.count = len(self.lines) or 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "count": self.count,
            "lines": list(self.lines),
        }
        if self.details:
            out["details"] = self.details
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        return cls(
            code=data["code"],
            message=data["message"],
            lines=[int(x) for x in data.get("lines", [])],
            count=data.get("count"),
            details=dict(data.get("details") or {}),
            severity=data.get("severity"),
        )


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per code, lines merged and sorted, in catalogue order."""
    by_code: dict[str, Finding] = {}
    for f in findings:
        if f.code not in by_code:
            by_code[f.code] = Finding(f.code, f.message, list(f.lines), f.count, dict(f.details), f.severity)
            continue
        kept = by_code[f.code]
        line_based = bool(kept.lines or f.lines)
        kept.lines.extend(f.lines)
        kept.count = None if line_based else (kept.count or 0) + (f.count or 0)
        for key, value in f.details.items():
            kept.details.setdefault(key, value)
    out = []
    for code in sorted(by_code, key=order_key):
        f = by_code[code]
        f.lines = sorted(set(f.lines))
        if f.count is None:
            f.count = len(f.lines) or 1
        out.append(f)
    return out
