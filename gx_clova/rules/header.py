"""H1–H5 and F6: the header (CSV first record; JSONL keys of every line).

Fails: ``C_ID,T_ID,Text`` (H1 missing Completion), ``C_ID,T_ID,Text,Completion,Note`` (H2),
``C_ID,T_ID,Text,text,Completion`` (H3), ``T_ID,C_ID,Text,Completion`` (H4),
``c_id,T_ID,Text,Completion`` (H5), ``C_ID,T_ID,Text,Completion,`` (F6).
Passes: ``C_ID,T_ID,Text,Completion`` and ``system_prompt,C_ID,T_ID,Text,Completion``.

JSONL keys are checked on every line for presence, spelling and duplicates; their order is not
checked, because a JSON object's keys are unordered (RFC 8259). The readers classify each line's
keys with :func:`gx_clova.reading.keys.classify_keys`, which this rule shares.
"""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.keys import blank, classify_keys
from gx_clova.registry import message


def column_order_problem(names: list[str]) -> str | None:
    """H4: the spec's order, ``System_Prompt`` only first. A message, or None."""
    known = [spec.loose_column(n) for n in names if not blank(n)]
    seen: list[str] = []
    for column in known:
        if column is not None and column not in seen:
            seen.append(column)
    expected = [c for c in spec.ALL_COLUMNS if c in seen]
    non_blank = [n for n in names if not blank(n)]
    if seen != expected:
        return message("header.column-order", found=", ".join(seen), expected=", ".join(expected))
    if spec.SYSTEM_PROMPT in seen and spec.loose_column(non_blank[0]) != spec.SYSTEM_PROMPT:
        return message("header.column-order", "first")
    return None


def check_header(names: list[str], line: int, fmt: str) -> list[Finding]:
    """Every header fault as findings on ``line``. JSONL per-line key faults come from the reader."""
    findings: list[Finding] = []
    if fmt != "csv":
        return findings
    blanks = [i + 1 for i, n in enumerate(names) if blank(n)]
    if blanks:
        where = ", ".join(str(p) for p in blanks)
        findings.append(
            Finding(
                "file.blank-column",
                message("file.blank-column", positions=where),
                [line],
                details={"positions": blanks},
            )
        )
    for code, said in classify_keys(names):
        findings.append(Finding(code, said, [line]))
    problem = column_order_problem(names)
    if problem:
        findings.append(Finding("header.column-order", problem, [line]))
    return findings
