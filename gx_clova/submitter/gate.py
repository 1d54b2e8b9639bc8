"""The gate: a task is launched only for the exact bytes that passed validation.

The validation report (the JSON report, docs/report.schema.json) must say ``success: true``, hold no
error, have been made for the task type being launched, and carry ``source.sha256``; that hash must
then equal the SHA-256 of the bytes uploaded and of the object stored.

>>> report = {"success": True, "task": "generation", "source": {"sha256": "ab" * 32}, "failures": []}
>>> passing_sha256(report, task="generation") == "ab" * 32
True
>>> passing_sha256({**report, "success": False}, task="generation")
Traceback (most recent call last):
...
gx_clova.submitter.errors.DatasetFailed: the dataset failed validation; nothing was uploaded and no task was created
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gx_clova.submitter.errors import DatasetFailed, GateRefused

_SHA256 = re.compile(r"[0-9a-f]{64}")
#: Failures listed in the refusal message before "… and N more".
SHOWN_FAILURES = 5


def error_summary(report: Mapping[str, Any]) -> str:
    """``c_id.sequence (2 lines), text.empty (1 line)`` for the report's errors."""
    errors = [f for f in report.get("failures") or [] if f.get("severity") == "error"]
    parts = []
    for failure in errors[:SHOWN_FAILURES]:
        count = failure.get("count")
        lines = f" ({count} line{'s' if count != 1 else ''})" if count else ""
        parts.append(f"{failure.get('code')}{lines}")
    if len(errors) > SHOWN_FAILURES:
        parts.append(f"… and {len(errors) - SHOWN_FAILURES} more")
    return ", ".join(parts)


def passing_sha256(report: Any, *, task: str) -> str:
    """The SHA-256 of the dataset ``report`` passed, or GateRefused saying why it cannot launch."""
    if not isinstance(report, Mapping):
        raise GateRefused("no validation report: a task is launched only for a dataset that passed validation")
    errors = error_summary(report)
    if report.get("success") is not True:
        detail = f": {errors}" if errors else ""
        raise DatasetFailed(f"the dataset failed validation{detail}; nothing was uploaded and no task was created")
    if errors:
        raise GateRefused(f"the report says success but lists errors ({errors}); refusing to launch")
    if report.get("task", task) != task:
        raise GateRefused(f"the dataset was validated as {report.get('task')}, not {task}: "
                          f"validate it with --task {task}")
    source = report.get("source")
    sha = source.get("sha256") if isinstance(source, Mapping) else None
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha.lower()):
        raise GateRefused("the validation report has no source.sha256; cannot prove which bytes passed")
    return sha.lower()


def require_same_bytes(passed: str, actual: str, what: str) -> None:
    """GateRefused unless ``actual`` (the SHA-256 of ``what``) is the hash that passed."""
    if actual.lower() != passed:
        raise GateRefused(
            f"{what} is not the dataset that passed validation (sha256 {actual[:12]}… ≠ {passed[:12]}…): "
            "it changed after it was validated; validate it again"
        )
