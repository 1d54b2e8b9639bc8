"""Conversations and exact row identity, vectorised: what the duplicate rules and ``fix`` share.

A conversation is a run of consecutive rows with the same ``C_ID`` text, in file order (so a
``C_ID`` that comes back later starts a new conversation, and a broken sequence still groups).
A row's *prefix* is the row together with every turn before it in its conversation: two rows
are the same training example exactly when their prefixes are equal (a follow-up such as
"고마워요" is only a duplicate when the conversation that led to it is the same too).

Prefix identity is exact (integer codes from Arrow's dictionary encoding, no hashing), computed
level by level (turn 0, turn 1, …) but only for rows whose previous turn is still shared with
another conversation; once a prefix is unique, every later turn of it is unique too.

>>> import pyarrow as pa
>>> t = pa.table({"C_ID": ["0", "1", "1", "2", "2"], "Text": ["a", "a", "b", "a", "c"],
...               "Completion": ["x", "x", "y", "x", "y"]})
>>> prefix_ids(t).tolist()      # rows 0, 1, 3 share turn 0; rows 2 and 4 differ after it
[0, 0, -1, 0, -1]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.rules import column


def _codes(values: pa.ChunkedArray | pa.Array) -> np.ndarray:
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()  # the chunks share one dictionary
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def equality_codes(values: pa.ChunkedArray | None, rows: int, only: np.ndarray | None = None) -> np.ndarray:
    """Codes equal exactly where the values are equal (a null counts as ``""``).

    With ``only`` (a row mask), rows outside it get negative codes unique to each row: the
    caller knows they cannot equal anything, and the expensive encoding skips them.
    """
    if values is None or rows == 0:
        return np.zeros(rows, dtype=np.int64)
    filled = pc.fill_null(values, "")
    if only is None:
        return _codes(filled)
    codes = -np.arange(1, rows + 1, dtype=np.int64)
    if only.any():
        codes[only] = _codes(pc.filter(filled, pa.array(only)))
    return codes


def runs(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(conversation number, turn depth) of every row; conversations are runs of one ``C_ID``."""
    rows = table.num_rows
    ids = column(table, spec.C_ID)
    if ids is None:
        return np.arange(rows, dtype=np.int64), np.zeros(rows, dtype=np.int64)
    codes = equality_codes(ids, rows)
    starts = np.r_[True, codes[1:] != codes[:-1]] if rows else np.zeros(0, dtype=bool)
    run = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    depth = np.arange(rows, dtype=np.int64) - first[run] if rows else np.zeros(0, dtype=np.int64)
    return run.astype(np.int64), depth


def _pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One integer per (a, b) pair, equal exactly where both are equal (inputs may be negative)."""
    a = a - a.min()
    b = b - b.min()
    _, inverse = np.unique(a * (int(b.max()) + 1) + b, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


def input_codes(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """(code of System_Prompt + Text, code of the whole row content) for every row.

    Completions are encoded only for rows whose System_Prompt + Text is shared with another
    row; any other row's content is unique whatever its Completion says.
    """
    rows = table.num_rows
    prompt = equality_codes(column(table, spec.SYSTEM_PROMPT), rows)
    text = equality_codes(column(table, spec.TEXT), rows)
    asked = _pair(prompt, text) if rows else np.zeros(0, dtype=np.int64)
    _, inverse, counts = np.unique(asked, return_inverse=True, return_counts=True)
    shared = counts[inverse.reshape(-1)] > 1
    completion = equality_codes(column(table, spec.COMPLETION), rows, only=shared)
    content = _pair(asked, completion) if rows else np.zeros(0, dtype=np.int64)
    return asked, content


def _level_ids(keys: np.ndarray, rows: np.ndarray, out: np.ndarray, next_id: int) -> int:
    """Give ``rows`` ids by ``keys``; rows whose key no other row shares stay -1."""
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    shared = counts[inverse] > 1
    out[rows[shared]] = next_id + inverse[shared]
    return next_id + len(uniq)


def prefix_ids(table: pa.Table, content: np.ndarray | None = None,
               depth: np.ndarray | None = None) -> np.ndarray:
    """Per row, an id shared exactly by the rows with the same prefix, or -1 if it is unique."""
    rows = table.num_rows
    if content is None:
        content = input_codes(table)[1]
    if depth is None:
        depth = runs(table)[1]
    out = np.full(rows, -1, dtype=np.int64)
    if not rows:
        return out
    order = np.argsort(depth, kind="stable")
    bounds = np.searchsorted(depth[order], np.arange(int(depth.max()) + 2))
    next_id = _level_ids(content[order[bounds[0]:bounds[1]]], order[bounds[0]:bounds[1]], out, 0)
    width = int(content.max()) + 1
    for level in range(1, len(bounds) - 1):
        at = order[bounds[level]:bounds[level + 1]]
        at = at[out[at - 1] >= 0]
        if not len(at):
            break
        next_id = _level_ids(out[at - 1] * width + content[at], at, out, next_id)
    return out


def first_of(ids: np.ndarray) -> np.ndarray:
    """For each row, the index of the first row with the same id (itself for -1)."""
    rows = len(ids)
    first = np.arange(rows, dtype=np.int64)
    shared = np.flatnonzero(ids >= 0)
    if len(shared):
        _, index, inverse = np.unique(ids[shared], return_index=True, return_inverse=True)
        first[shared] = shared[index][inverse.reshape(-1)]
    return first
