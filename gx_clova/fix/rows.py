"""Row fixes: NFC, conversations renumbered, and - only when asked - rows taken out.

Renumbering: a conversation is a run of consecutive rows with the same original ``C_ID`` (in
file order), so a conversation that comes back later becomes a new one; runs are numbered 0, 1,
… and ``T_ID`` 0, 1, … within each. A row without a ``C_ID`` belongs to no conversation we could
name: it is kept as it is and reported.

``drop_duplicates`` drops a conversation only when every one of its turns repeats an earlier
row exactly (prefix-equal, see :mod:`gx_clova.rules.conversations`), so no kept turn ever loses
the turns before it. ``reject`` moves every conversation holding a row that cannot be fixed
(empty Text/Completion, too long, System_Prompt changing mid-conversation, a malformed label,
no C_ID, bytes in no encoding) to the rejects file, whole, so no conversation is left with a hole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.fix.changes import Change
from gx_clova.reading.dataset import LINE
from gx_clova.rules import content, conversations, labels, system_prompt, take
from gx_clova.rules.unicode import candidates_pattern

TEXT_COLUMNS = (spec.SYSTEM_PROMPT, spec.TEXT, spec.COMPLETION)


@dataclass
class Runs:
    #: Conversation of every row, -1 for a row without a C_ID.
    run: np.ndarray
    #: Turn within the conversation.
    depth: np.ndarray


@dataclass
class Removed:
    #: Row index → (code, note) for rows dropped as duplicates or moved to the rejects file.
    dropped: dict[int, tuple[str, str]] = field(default_factory=dict)
    rejected: dict[int, tuple[str, str]] = field(default_factory=dict)


def _column_name(table: pa.Table, wanted: str) -> str | None:
    """The table's name for a spec column (System_Prompt may keep its own case)."""
    for name in table.column_names:
        if name != LINE and spec.canonical_column(name) == wanted:
            return name
    return None


def normalise_text(table: pa.Table) -> tuple[pa.Table, list[Change]]:
    """NFC on System_Prompt, Text and Completion; one change per cell that changed."""
    changes: list[Change] = []
    lines = table.column(LINE).to_numpy()
    pattern = candidates_pattern(spec.NORMAL_FORM)
    for wanted in TEXT_COLUMNS:
        name = _column_name(table, wanted)
        if name is None:
            continue
        values = table.column(name).combine_chunks()
        mask = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        if not pc.any(mask).as_py():
            continue
        before = pc.filter(values, mask)
        after = pc.utf8_normalize(before, spec.NORMAL_FORM)
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        for row, old, new in zip(rows.tolist(), before.to_pylist(), after.to_pylist()):
            if old != new:
                changes.append(Change(int(lines[row]), "text.not-nfc", name, old, new,
                                      f"{spec.NORMAL_FORM}: {len(old):,} → {len(new):,} characters"))
        fixed = pc.replace_with_mask(values, mask, after)
        table = table.set_column(table.column_names.index(name), name, fixed)
    return table, changes


def runs(table: pa.Table) -> Runs:
    rows = table.num_rows
    run = np.full(rows, -1, dtype=np.int64)
    depth = np.zeros(rows, dtype=np.int64)
    ids = table.column(spec.C_ID) if spec.C_ID in table.column_names else None
    if ids is None or not rows:
        return Runs(run, depth)
    filled = pc.fill_null(ids, "")
    has = pc.greater(pc.binary_length(pc.utf8_trim_whitespace(filled)), 0).to_numpy(zero_copy_only=False)
    at = np.flatnonzero(has)
    if len(at):
        codes = conversations.equality_codes(filled, rows)[at]
        starts = np.r_[True, codes[1:] != codes[:-1]]
        numbers = np.cumsum(starts) - 1
        run[at] = numbers
        depth[at] = np.arange(len(at)) - np.flatnonzero(starts)[numbers]
    return Runs(run, depth)


def _with_runs(table: pa.Table, runs_: Runs, rows: np.ndarray) -> pa.Table:
    """The rows, with C_ID replaced by their conversation number (so rules group by our runs)."""
    picked = take(table, rows)
    ids = pa.array([str(v) if v >= 0 else "" for v in runs_.run[rows].tolist()], pa.string())
    if spec.C_ID in picked.column_names:
        return picked.set_column(picked.column_names.index(spec.C_ID), spec.C_ID, ids)
    return picked.append_column(spec.C_ID, ids)


def _whole_runs(runs_: Runs, marked: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Rows of every conversation that has a marked row (rows without a run: only themselves)."""
    hit = np.unique(runs_.run[marked & (runs_.run >= 0)])
    return eligible & ((np.isin(runs_.run, hit) & (runs_.run >= 0)) | (marked & (runs_.run < 0)))


def drop_duplicates(table: pa.Table, runs_: Runs, active: np.ndarray, removed: Removed) -> None:
    """Drop conversations whose every turn repeats an earlier row (and holds no unfixable row)."""
    lines = table.column(LINE).to_numpy()
    rows = np.flatnonzero(active & (runs_.run >= 0))
    if not len(rows):
        return
    sub = _with_runs(table, runs_, rows)
    first = conversations.first_of(conversations.prefix_ids(sub))
    repeated = first != np.arange(len(rows))
    sub_runs = runs_.run[rows]
    size = np.bincount(runs_.run[runs_.run >= 0])
    repeated_per_run = np.bincount(sub_runs, weights=repeated, minlength=len(size))
    whole = repeated_per_run == size  # counts every row of the run, so a run with an inactive row never qualifies
    for position in np.flatnonzero(whole[sub_runs]).tolist():
        twin = int(lines[rows[first[position]]])
        removed.dropped[int(rows[position])] = ("duplicate.row", f"repeats line {twin}; conversation dropped")


def reject(table: pa.Table, runs_: Runs, active: np.ndarray, unfixable_rows: dict[int, str], task: str,
           removed: Removed) -> None:
    """Move every conversation holding a row that cannot be fixed to the rejects file."""
    rows = np.flatnonzero(active)
    lines = table.column(LINE).to_numpy()
    row_of = {int(line): int(row) for row, line in enumerate(lines.tolist())}
    codes: dict[int, str] = dict(unfixable_rows)
    with_id = rows[runs_.run[rows] >= 0]
    for row in rows[runs_.run[rows] < 0].tolist():
        codes.setdefault(row, "c_id.sequence")
    if len(with_id):
        sub = _with_runs(table, runs_, with_id)
        found = content.check_empty(sub) + content.check_length(sub) + system_prompt.check(sub)
        if task == "classification":
            found += [f for f in labels.check(sub, min_rows_per_label=0, max_labels=10**9)
                      if f.code == "class.label-format"]
        for finding in found:
            for line in finding.lines:
                codes.setdefault(row_of[line], finding.code)
    marked = np.zeros(table.num_rows, dtype=bool)
    marked[list(codes)] = True
    moving = _whole_runs(runs_, marked, active)
    fault_line = {}
    for row, code in codes.items():
        if runs_.run[row] >= 0:
            fault_line.setdefault(int(runs_.run[row]), (int(lines[row]), code))
    for row in np.flatnonzero(moving).tolist():
        if row in codes:
            removed.rejected[row] = (codes[row], "cannot be fixed; moved with its conversation")
        else:
            line, code = fault_line[int(runs_.run[row])]
            removed.rejected[row] = (code, f"moved with its conversation (line {line}: {code})")


def renumber(table: pa.Table, runs_: Runs, keep: np.ndarray) -> tuple[pa.Table, np.ndarray, np.ndarray, list[Change]]:
    """New C_ID/T_ID for the kept rows that have a conversation; others keep their values."""
    rows = table.num_rows
    new_c = np.full(rows, -1, dtype=np.int64)
    new_t = np.full(rows, -1, dtype=np.int64)
    numbered = keep & (runs_.run >= 0)
    at = np.flatnonzero(numbered)
    if len(at):
        kept_runs = runs_.run[at]
        starts = np.r_[True, kept_runs[1:] != kept_runs[:-1]]
        new_c[at] = np.cumsum(starts) - 1
        new_t[at] = np.arange(len(at)) - np.flatnonzero(starts)[new_c[at]]
    if spec.C_ID not in table.column_names:
        return table, new_c, new_t, []
    lines = table.column(LINE).to_numpy()
    changes: list[Change] = []
    for name, new in ((spec.C_ID, new_c), (spec.T_ID, new_t)):
        old = table.column(name).to_pylist() if name in table.column_names else [None] * rows
        text = [str(n) if n >= 0 else o for n, o in zip(new.tolist(), old)]
        code = "c_id.sequence" if name == spec.C_ID else "t_id.sequence"
        for row in at.tolist():
            if old[row] != text[row]:
                changes.append(Change(int(lines[row]), code, name, old[row], int(new[row]), "renumbered"))
        array = pa.array(text, pa.string())
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, array)
        else:
            table = table.append_column(name, array)
    return table, new_c, new_t, changes
