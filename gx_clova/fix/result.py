"""What ``fix`` returns, and how it names its files."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gx_clova import spec
from gx_clova.errors import UsageError
from gx_clova.fix import changes as log


class FixUsageError(UsageError, ValueError):
    """The request itself is wrong (an output that is the source, an unknown extension): exit 2."""


@dataclass
class FixResult:
    source: str
    output: str
    changes_path: str
    mapping_path: str
    rejects_path: str | None
    #: The source's encoding, as detected (``utf-8``, ``cp949``, ``utf-8 + cp949`` …).
    source_encoding: str
    changes: list[log.Change] = field(default_factory=list)
    #: The validation report of the fixed file (None when validation was skipped).
    report: Any = None
    #: Errors left in the fixed file: code, message, source lines, fixed-file lines.
    remaining: list[dict[str, Any]] = field(default_factory=list)
    #: Warnings about the fixed file, the same way.
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: Source line → its fate (the mapping file's records).
    mapped: dict[int, log.Mapped] = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool | None:
        return None if self.report is None else bool(self.report.success)

    @property
    def records(self) -> dict[str, int]:
        """How many source records met each fate (they add up to ``source``)."""
        fates = Counter(m.fate for m in self.mapped.values())
        return {"source": len(self.mapped), "written": sum(1 for m in self.mapped.values() if m.new_line),
                **{fate: fates.get(fate, 0) for fate in log.FATES}}

    def change_counts(self) -> dict[str, int]:
        return dict(Counter(c.code for c in self.changes).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "source": self.source,
            "source_encoding": self.source_encoding,
            "output": self.output,
            "changes_file": self.changes_path,
            "mapping_file": self.mapping_path,
            "rejects_file": self.rejects_path,
            "records": dict(self.records),
            "changes": self.change_counts(),
            "remaining": list(self.remaining),
            "warnings": list(self.warnings),
        }


def output_format(path: str) -> str:
    lower = path.lower()
    for ext in spec.EXTENSIONS:
        if lower.endswith(ext):
            return ext.lstrip(".")
    raise FixUsageError(f"the fixed file must end in {' or '.join(spec.EXTENSIONS)}: {path}")


def default_paths(output: str) -> tuple[str, str]:
    """``fixed.csv`` → (``fixed.changes.jsonl``, ``fixed.mapping.csv``)."""
    stem = output[: output.rfind(".")] if "." in os.path.basename(output) else output
    return f"{stem}.changes.jsonl", f"{stem}.mapping.csv"
