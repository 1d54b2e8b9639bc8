"""The rows behind a finding's first lines, for a reviewer: line, C_ID, T_ID, short excerpts. No GX.

A finding lists every failing line; Data Docs show the first :data:`SAMPLE_ROWS` of each code as
rows of the dataset. :func:`attach` stores them in the finding's ``details["rows"]``::

    {"line": 39, "c_id": "18", "t_id": "0", "text": "가가가…", "completion": "…", "problem": "8,027 characters"}

Lines the reader could not map to a record (a row that does not parse, a blank row) have only
``line`` and ``problem``. Excerpts are plain text: escaping is the renderer's job.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
import pyarrow as pa

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.rules import column, lines_of, take
from gx_clova.rules.quality import mask_personal_data

#: Rows shown per failure code in Data Docs (the JSON report keeps every line).
SAMPLE_ROWS = 20
#: Characters of Text / Completion shown per row.
EXCERPT_CHARS = 60

_PROBLEM = re.compile(r"^line (\d+): (.*)$", re.DOTALL)


#: Characters beyond the excerpt that are masked with it: a phone number or e-mail address that
#: starts inside the excerpt and ends past it is still recognised (and masked) whole.
MASK_MARGIN = 256


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most ``limit`` characters; line breaks shown as ⏎; personal data masked.

    A bounded window (the excerpt and :data:`MASK_MARGIN` more) is cut first and masked whole,
    then cut to ``limit``: the cost does not depend on the cell's length (a 50 MB cell costs what
    a short one does), and a number cut in half by the excerpt cannot slip past the masking.
    """
    if value is None:
        return ""
    value = str(value)
    window = value[: limit + MASK_MARGIN]
    text = mask_personal_data(window).replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    if len(text) <= limit and len(window) == len(value):
        return text
    return text[: limit - 1] + "…"


def problems_by_line(details: dict[str, Any]) -> dict[int, str]:
    """``details["problems"]`` entries written as ``"line N: why"``, by line."""
    found: dict[int, str] = {}
    for problem in details.get("problems") or []:
        match = _PROBLEM.match(str(problem))
        if match:
            found.setdefault(int(match.group(1)), match.group(2))
    return found


def rows_at(table: pa.Table, lines: list[int]) -> dict[int, dict[str, Any]]:
    """The table rows that start on ``lines`` (file order makes ``__line__`` sorted)."""
    if not lines or table.num_rows == 0:
        return {}
    all_lines = lines_of(table)
    wanted = np.asarray(lines, dtype=np.int64)
    position = np.searchsorted(all_lines, wanted)
    position = np.minimum(position, len(all_lines) - 1)
    hit = all_lines[position] == wanted
    if not hit.any():
        return {}
    indices = position[hit]
    picked: dict[str, list] = {}
    for key, name in (("c_id", spec.C_ID), ("t_id", spec.T_ID), ("text", spec.TEXT), ("completion", spec.COMPLETION)):
        values = column(table, name)
        picked[key] = take(values, indices).to_pylist() if values is not None else [None] * int(hit.sum())
    out = {}
    for i, line in enumerate(wanted[hit].tolist()):
        out[line] = {
            "c_id": excerpt(picked["c_id"][i], 20),
            "t_id": excerpt(picked["t_id"][i], 20),
            "text": excerpt(picked["text"][i]),
            "completion": excerpt(picked["completion"][i]),
        }
    return out


def attach(findings: Iterable[Finding], table: pa.Table, limit: int = SAMPLE_ROWS) -> list[Finding]:
    """Each finding with ``details["rows"]`` for its first ``limit`` lines."""
    out = []
    for finding in findings:
        shown = list(finding.lines[:limit])
        if shown:
            found = rows_at(table, shown)
            why = problems_by_line(finding.details)
            finding.details["rows"] = [
                {"line": line, **found.get(line, {}), **({"problem": why[line]} if line in why else {})}
                for line in shown
            ]
        out.append(finding)
    return out
