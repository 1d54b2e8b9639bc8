"""What ``fix`` did, as data: the change log and the old → new identifier mapping.

The change log has one record per change: the source ``line`` (``null`` for a change to the
whole file, such as its encoding or header), the failure ``code`` the change resolves, the
``column``, the value ``before`` and ``after`` (``null`` when a row or column was removed) and a
``note``. It is written as JSON Lines, or CSV when its name ends in ``.csv``.

The mapping has one record per record of the source file - data rows, blank rows and records
that could not be parsed - with its fate, so it also proves that nothing went missing.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, dataclass
from typing import Any, Iterable

CHANGE_FIELDS = ("line", "code", "column", "before", "after", "note")
MAPPING_FIELDS = ("line", "new_line", "old_C_ID", "old_T_ID", "new_C_ID", "new_T_ID", "fate")

#: Fates in the mapping file.
KEPT = "kept"                      # in the fixed file, every fault of it fixed
KEPT_UNFIXABLE = "kept-unfixable"  # in the fixed file as it was: a fault remains (see the report)
BLANK_REMOVED = "removed-blank"    # a blank row, removed
DUPLICATE_DROPPED = "dropped-duplicate"  # --drop-duplicates
REJECTED = "rejected"              # moved to the --rejects file
FATES = (KEPT, KEPT_UNFIXABLE, BLANK_REMOVED, DUPLICATE_DROPPED, REJECTED)


@dataclass(frozen=True)
class Change:
    line: int | None
    code: str
    column: str | None
    before: Any
    after: Any
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Mapped:
    line: int
    old_c_id: str | None
    old_t_id: str | None
    fate: str
    new_c_id: int | None = None
    new_t_id: int | None = None
    new_line: int | None = None

    def row(self) -> list[Any]:
        return [self.line, self.new_line, self.old_c_id, self.old_t_id, self.new_c_id, self.new_t_id, self.fate]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _open(path: str):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    return open(path, "w", encoding="utf-8", newline="")


def write_changes(path: str, changes: Iterable[Change]) -> int:
    count = 0
    with _open(path) as handle:
        if path.lower().endswith(".csv"):
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CHANGE_FIELDS)
            for change in changes:
                writer.writerow([_cell(v) for v in change.to_dict().values()])
                count += 1
        else:
            for change in changes:
                handle.write(json.dumps(change.to_dict(), ensure_ascii=False) + "\n")
                count += 1
    return count


def write_mapping(path: str, mapped: Iterable[Mapped]) -> int:
    count = 0
    with _open(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MAPPING_FIELDS)
        for entry in sorted(mapped, key=lambda m: m.line):
            writer.writerow([_cell(v) for v in entry.row()])
            count += 1
    return count


def read_changes(path: str) -> list[dict[str, Any]]:
    """The change log back as dicts (CSV cells are text; empty means null)."""
    with open(path, encoding="utf-8", newline="") as handle:
        if path.lower().endswith(".csv"):
            rows = list(csv.DictReader(handle))
            for row in rows:
                for key, value in row.items():
                    row[key] = None if value == "" else value
                if row["line"] is not None:
                    row["line"] = int(row["line"])
            return rows
        return [json.loads(line) for line in handle if line.strip()]


def read_mapping(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
