"""What a server-side ``failureReason`` means in gx-clova's own failure codes.

CLOVA Studio reports dataset problems only after the task was created, sometimes hours later.
Each reason maps to the local codes (:mod:`gx_clova.codes`) that check the same thing before
upload, so a FAILED task points at the rule that should have caught it.

>>> explain_failure({"failureReason": "file.format", "message": "Invalid dataset: C_ID"}).local_codes
('c_id.sequence',)
>>> explain_failure({"failureReason": "resource.timeout"}).retryable
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gx_clova.codes import CATALOGUE

#: failureReason → local codes, for reasons whose message adds nothing.
DIRECT: dict[str, tuple[str, ...]] = {
    "file.extension": ("file.extension",),
    "file.size": ("file.size",),
    "file.encoding": ("file.encoding",),
}
#: ``file.format`` messages (lower-cased fragments) → local codes, checked in this order.
FORMAT_MESSAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("invalid json format", ("file.format",)),
    ("unexpected column", ("header.unexpected-column",)),
    ("duplicate column", ("header.duplicate-column",)),
    ("column order", ("header.column-order",)),
)
#: The column named in "required field empty. {column}" or "Invalid dataset: {column}".
COLUMN_CODES: dict[str, tuple[str, ...]] = {
    "text": ("text.empty",),
    "completion": ("completion.empty",),
    "c_id": ("c_id.sequence",),
    "t_id": ("t_id.sequence",),
    "system_prompt": ("system_prompt.inconsistent",),
}
RETRYABLE = frozenset({"resource.timeout"})
NOT_DATASET = {
    "file.noexist": "CLOVA Studio could not read the object with the bucket, path and key pair it was "
                    "given: check that the access key may read the bucket and that the object was not "
                    "moved or deleted after gx-clova verified it",
    "resource.timeout": "CLOVA Studio ran out of time or resources; this is retryable: submit again "
                        "with --force",
    "train.unknown": "training failed for a reason CLOVA Studio does not name; no local rule covers "
                     "it: contact NAVER Cloud support with the task id",
}


@dataclass(frozen=True)
class FailureExplanation:
    reason: str
    message: str
    local_codes: tuple[str, ...]
    retryable: bool
    advice: str


def local_codes_for(reason: str, message: str = "") -> tuple[str, ...]:
    if reason in DIRECT:
        return DIRECT[reason]
    if reason != "file.format":
        return ()
    text = message.lower()
    for fragment, codes in FORMAT_MESSAGES:
        if fragment in text:
            return codes
    column = re.search(r"required field empty\.?\s*([a-z_]+)", text) or re.search(r"invalid dataset:\s*([a-z_]+)", text)
    if column and column.group(1) in COLUMN_CODES:
        return COLUMN_CODES[column.group(1)]
    if "required field empty" in text:
        return ("header.missing-column", "text.empty", "completion.empty")
    return ("file.format",)


def explain_failure(status_info: Mapping[str, Any] | None) -> FailureExplanation:
    info = status_info or {}
    reason = str(info.get("failureReason") or "unknown")
    message = str(info.get("message") or "")
    codes = local_codes_for(reason, message)
    if codes:
        rules = "; ".join(f"{code} ({CATALOGUE[code].ref}: {CATALOGUE[code].requirement})" for code in codes)
        advice = (f"gx-clova checks this before upload as {rules}. Run `gx-clova validate` on the exact "
                  "file: if it passes, please report it as a gx-clova bug")
    else:
        advice = NOT_DATASET.get(reason, "an unknown failure reason; no local rule covers it")
    return FailureExplanation(reason, message, codes, reason in RETRYABLE, advice)
