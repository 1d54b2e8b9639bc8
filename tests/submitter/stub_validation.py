"""A stand-in for ``gx_clova.validation`` in the submitter tests.

It honours the contract the submitter relies on — ``validate(source, task=...)`` returns an
object with ``success`` and ``to_dict()`` in the JSON report's shape (docs/report.schema.json),
``source.sha256`` being the SHA-256 of the bytes it read — without importing Great Expectations. It reads through
``gx_clova.sources.open_source``, so ``s3://`` sources go through ``S3Source``.

A dataset fails when a line contains ``BROKEN`` (``c_id.sequence``) or has fewer than 100
data rows (``rows.too-few``). ``after_validation`` hooks run after the bytes were read: the
tests use them to change a file between validation and submission.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from gx_clova.sources import open_source

after_validation: list[Callable[[str], None]] = []
calls: list[tuple[str, str]] = []


class Report:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self.success = data["success"]

    def to_dict(self) -> dict[str, Any]:
        return {**self._data, "source": dict(self._data["source"]), "failures": list(self._data["failures"])}


def validate(source: str, task: str = "generation", **storage_options: Any) -> Report:
    """Same signature as gx_clova.validation.validate."""
    calls.append((source, task))
    opened = open_source(source, **storage_options)
    digest, size, rows, broken = hashlib.sha256(), 0, -1, []
    with opened.open() as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            for line in lines:
                rows += 1
                if b"BROKEN" in line:
                    broken.append(rows + 1)
        if tail:
            rows += 1
    failures = []
    if broken:
        failures.append({"code": "c_id.sequence", "severity": "error", "message": "C_ID breaks its sequence",
                         "count": len(broken), "lines": broken})
    if rows < 100:
        failures.append({"code": "rows.too-few", "severity": "error", "message": "fewer than 100 rows",
                         "count": 1, "lines": []})
    for hook in after_validation:
        hook(source)
    return Report({
        "success": not failures, "task": task, "rows": rows, "failures": failures,
        "source": {"uri": source, "bytes": size, "sha256": digest.hexdigest(), "encoding": "utf-8"},
    })
