"""S1: every row of one conversation (C_ID) has the same System_Prompt.

Fails: conversation 3 with prompts ``"A"`` then ``"B"`` (the ``"B"`` row is reported).
Passes: a file without System_Prompt, or one prompt per conversation. Rows are grouped by the
C_ID text as written, so the rule holds even where the C_ID sequence itself is broken.
``check`` runs on Arrow (pandas engine), its twin in :mod:`gx_clova.spark.rules.system_prompt` on a Spark DataFrame.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, lines_of


def _codes(values: pa.ChunkedArray) -> np.ndarray:
    encoded = pc.dictionary_encode(pc.fill_null(values, "")).combine_chunks()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def check(table: pa.Table) -> list[Finding]:
    prompts, conversations = column(table, spec.SYSTEM_PROMPT), column(table, spec.C_ID)
    if prompts is None or conversations is None or table.num_rows == 0:
        return []
    conv, prompt = _codes(conversations), _codes(prompts)
    _, first_index, inverse = np.unique(conv, return_index=True, return_inverse=True)
    expected = prompt[first_index][inverse]
    bad = prompt != expected
    if not bad.any():
        return []
    lines = lines_of(table)
    conv_text = pc.filter(conversations, pa.array(bad)).to_pylist()
    first_lines = lines[first_index][inverse]
    return [_inconsistent(lines[bad].tolist(), conv_text, first_lines[bad].tolist())]


def _inconsistent(lines: list[int], conversations: list[str | None], first_lines: list[int]) -> Finding:
    """Every row whose prompt differs from its conversation's first row, in line order, with its
    C_ID as written and the line of that first row."""
    problems = [
        f"line {l}: conversation {c} has a different {spec.SYSTEM_PROMPT} than at line {f}"
        for l, c, f in zip(lines[:DETAIL_LIMIT], conversations[:DETAIL_LIMIT], first_lines[:DETAIL_LIMIT])
    ]
    conversations_hit = len({c if c is not None else "" for c in conversations})
    return Finding(
        "system_prompt.inconsistent",
        message("system_prompt.inconsistent", rows=len(lines), conversations=conversations_hit, first=problems[0]),
        lines,
        details={"problems": problems, "conversations": conversations_hit},
    )
