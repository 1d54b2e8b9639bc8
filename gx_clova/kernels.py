"""The finding kernels behind gx-clova's GX metrics, by metric name. No Great Expectations here.

Each kernel is ``kernel(table, context, **value_kwargs) -> list[Finding]``: ``table`` is the
reader's Arrow table, ``context`` the batch context (``facts``, reader ``findings``, and ``eval``
for leakage). The rule registry (:mod:`gx_clova.registry`) names each one by its metric; the GX
metrics in :mod:`gx_clova.gx.metrics` call exactly these functions, and the direct path
(:mod:`gx_clova.direct`) calls them without GX, so both give the same findings. A new rule's
kernel may live in its own module (``gx_clova/rules/<family>.py``) with this signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import content, file, header, ids, label_quality, labels, leakage, quality, system_prompt

Kernel = Callable[..., list[Finding]]

HEADER_CODES = ("header.missing-column", "header.unexpected-column", "header.duplicate-column",
                "header.column-order", "header.column-case", "file.blank-column")


def reader_findings(context: dict[str, Any], codes: tuple[str, ...]) -> list[Finding]:
    return [Finding.from_dict(f) for f in context.get("findings", []) if f["code"] in codes]


#: What the file rules return for a DataFrame: there is no file to check (extension, size,
#: encoding, quoting, blank rows), which the expectation reports as "not checked", never as passed.
NOT_ON_A_DATAFRAME = {"not_checked": "not checked on a DataFrame: this rule reads the file itself "
                                     "(validate the file with gx-clova validate or gx-clova checkpoint)"}


def file_findings(table: pa.Table, context: dict, max_bytes: int = spec.MAX_FILE_BYTES) -> list[Finding]:
    """F1–F3: name, size, encoding."""
    facts = context["facts"]
    if facts.get("format") == "dataframe":
        return [NOT_ON_A_DATAFRAME]
    return file.check(facts, max_bytes=max_bytes) + reader_findings(context, ("file.encoding",))


def record_findings(table: pa.Table, context: dict) -> list[Finding]:
    """F4–F5: every record parses; no blank rows."""
    if context["facts"].get("format") == "dataframe":
        return [NOT_ON_A_DATAFRAME]
    return reader_findings(context, ("file.format", "value.type", "file.blank-row"))


def header_findings(table: pa.Table, context: dict) -> list[Finding]:
    """F6, H1–H5: the header (CSV) or every line's keys (JSONL)."""
    facts = context["facts"]
    fmt = facts.get("format", "csv")
    found = header.check_header(list(facts.get("header", [])), int(facts.get("header_line", 1)),
                                "csv" if fmt == "dataframe" else fmt)
    return found + reader_findings(context, HEADER_CODES)


def id_findings(table: pa.Table, context: dict) -> list[Finding]:
    """I1–I2: C_ID and T_ID sequences."""
    return ids.check_c_id(table) + ids.check_t_id(table)


def empty_findings(table: pa.Table, context: dict) -> list[Finding]:
    """T1–T2: non-empty Text and Completion."""
    return content.check_empty(table)


def length_findings(table: pa.Table, context: dict, max_chars: int = spec.MAX_ROW_CHARS) -> list[Finding]:
    """T3: the row length limit."""
    return content.check_length(table, max_chars=max_chars)


def system_prompt_findings(table: pa.Table, context: dict) -> list[Finding]:
    """S1: one System_Prompt per conversation."""
    return system_prompt.check(table)


def label_findings(table: pa.Table, context: dict, min_rows_per_label: int = spec.MIN_ROWS_PER_LABEL,
                   max_labels: int = spec.MAX_LABELS) -> list[Finding]:
    """C1–C3: classification labels."""
    return labels.check(table, min_rows_per_label=min_rows_per_label, max_labels=max_labels)


def duplicate_findings(table: pa.Table, context: dict) -> list[Finding]:
    """duplicate.row and label.conflict: exact row identity, conversation-aware."""
    return quality.check_duplicates(table)


def text_quality_findings(table: pa.Table, context: dict) -> list[Finding]:
    """text.not-nfc, text.replacement-char, text.control-char, pii.*: one scan of every text cell."""
    return quality.check_text(table)


def leakage_findings(table: pa.Table, context: dict) -> list[Finding]:
    """leakage.eval-overlap: the evaluation file's keys come in the batch context (``eval``)."""
    return leakage.check(table, context.get("eval"))


def label_quality_findings(table: pa.Table, context: dict, max_ratio: int = spec.MAX_LABEL_IMBALANCE) -> list[Finding]:
    """class.label-variant and class.imbalance (classification)."""
    return label_quality.check(table, max_ratio=max_ratio)


def row_count_message(code: str, rows: int, min_value: int | None, max_value: int | None) -> str:
    """N1–N2's message (the GX expectation and the direct path say the same)."""
    if code == "rows.too-few":
        return message(code, rows=rows, min_value=min_value)
    return message(code, rows=rows, min_value=min_value, max_value=max_value)
