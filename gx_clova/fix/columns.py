"""The columns of the fixed file: spec names, spec order, nothing blank, nothing dropped unasked.

- A column whose name is a misspelling of a spec column (``c_id``, `` Text ``) is renamed.
- Copies of one spec column (``Text`` and ``text``; in JSONL, a key spelt differently on some
  lines) are merged when, on every row, at most one of them holds a non-empty value that
  differs; otherwise all copies are kept (and reported: which one is right is not ours to say).
- A column with a blank name is removed when every cell in it is empty, kept otherwise.
- A column outside the spec is removed only with ``drop_extra_columns``.
- ``T_ID`` is added when it is missing (it is renumbered anyway); a missing ``C_ID``, ``Text``
  or ``Completion`` cannot be invented.
- The spec columns come first, in the spec's order; kept extra columns follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.fix.changes import Change
from gx_clova.reading.dataset import LINE, raw_name


@dataclass
class Columns:
    #: ``__line__`` plus the output columns, named as the fixed file will name them.
    table: pa.Table
    #: Output column names that stand for spec columns.
    spec_columns: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    #: The source's name of every output column (to tell whether the order changed).
    sources: list[str] = field(default_factory=list)


def _empty(values: pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(pc.equal(pc.binary_length(values), 0), True).to_numpy(zero_copy_only=False)


def _present(values: pa.ChunkedArray) -> np.ndarray:
    return ~values.is_null().to_numpy(zero_copy_only=False)


def _key_changes(table: pa.Table, name: str, before: str, after: str, fmt: str, lead: str | None) -> list[Change]:
    """Renaming column ``name`` (or merging it into ``lead``): one file-level change for CSV or a
    JSONL key spelt so on every line, else one per JSONL line that spelt it so. A copy on a line
    (or header) that also has the lead is a duplicate column; alone, it is only misspelt."""
    present = _present(table.column(name))
    duplicate = _present(table.column(lead)) if lead else np.zeros(len(present), dtype=bool)
    note = "merged into one column: the copies agree or are empty on every row" if lead else "renamed to the spec's spelling"
    if fmt != "jsonl" or present.all():
        code = "header.duplicate-column" if lead and (fmt != "jsonl" or duplicate.all()) else "header.column-case"
        return [Change(None, code, after, before, after, note)]
    lines = table.column(LINE).to_numpy()
    return [
        Change(int(lines[row]), "header.duplicate-column" if duplicate[row] else "header.column-case", after,
               before, after, note)
        for row in np.flatnonzero(present).tolist()
    ]


def _merge(table: pa.Table, copies: list[str]) -> pa.ChunkedArray | None:
    """The copies as one column, or None when some row holds two different non-empty values."""
    merged = table.column(copies[0])
    for name in copies[1:]:
        other = table.column(name)
        both = ~_empty(merged) & ~_empty(other)
        if both.any() and not pc.all(pc.equal(pc.filter(merged, pa.array(both)),
                                              pc.filter(other, pa.array(both)))).as_py():
            return None
        merged = pc.if_else(pa.array(_empty(merged)), pc.if_else(other.is_null(), merged, other), merged)
    return merged


def fix_columns(table: pa.Table, fmt: str, header: list[str], drop_extra_columns: bool = False) -> Columns:
    names = [n for n in table.column_names if n != LINE]
    groups: dict[str, list[str]] = {}
    extras: list[str] = []
    blanks: list[str] = []
    for name in names:
        raw = raw_name(table, name)
        if not raw.strip():
            blanks.append(name)
        elif spec.loose_column(raw):
            groups.setdefault(spec.loose_column(raw), []).append(name)
        else:
            extras.append(name)
    out = Columns(table.select([LINE]))
    tail: list[tuple[str, pa.ChunkedArray]] = []

    def add(name: str, values: pa.ChunkedArray, is_spec: bool, source: str | None = None) -> None:
        out.table = out.table.append_column(name, values)
        out.sources.append(source if source is not None else name)
        if is_spec:
            out.spec_columns.append(name)

    for wanted in spec.ALL_COLUMNS:
        copies = groups.get(wanted, [])
        if not copies:
            if wanted == spec.T_ID and groups.get(spec.C_ID):
                add(spec.T_ID, pa.chunked_array([pa.nulls(table.num_rows, pa.string())]), True)
                out.changes.append(Change(None, "header.missing-column", spec.T_ID, None, spec.T_ID,
                                          "column added; numbered within each conversation"))
            continue
        # The copy spelt exactly right leads; System_Prompt keeps its own (free) case.
        copies.sort(key=lambda n: spec.canonical_column(raw_name(table, n)) != wanted)
        lead_raw = raw_name(table, copies[0])
        target = lead_raw if wanted == spec.SYSTEM_PROMPT and spec.canonical_column(lead_raw) else wanted
        merged = _merge(table, copies) if len(copies) > 1 else table.column(copies[0])
        if merged is None:  # conflicting copies: keep them all, the lead under the spec name
            add(target, table.column(copies[0]), True, lead_raw)
            tail += [(raw_name(table, n), table.column(n)) for n in copies[1:]]
            copies = copies[:1]
        else:
            add(target, merged, True, lead_raw)
        if lead_raw != target:
            out.changes += _key_changes(table, copies[0], lead_raw, target, fmt, None)
        for name in copies[1:]:
            out.changes += _key_changes(table, name, raw_name(table, name), target, fmt, copies[0])
    for name in blanks:
        values = table.column(name)
        position = names.index(name) + 1
        if _empty(values).all():
            out.changes.append(Change(None, "file.blank-column", f"column {position}", "", None,
                                      "blank name and empty on every row: removed"))
        else:
            tail.append((raw_name(table, name), values))
    for name in extras:
        values = table.column(name)
        if drop_extra_columns:
            filled = int((~_empty(values)).sum())
            out.changes.append(Change(None, "header.unexpected-column", raw_name(table, name),
                                      f"{filled:,} non-empty cell(s)", None, "removed (drop_extra_columns)"))
        else:
            tail.append((raw_name(table, name), values))
    for name, values in tail:
        add(name, values, False)
    _order_change(out, header, fmt)
    return out


def _order_change(out: Columns, header: list[str], fmt: str) -> None:
    """One change when the kept columns are in another order than the source's (CSV only:
    JSONL keys have no order)."""
    if fmt == "jsonl":
        return
    position = {name: i for i, name in reversed(list(enumerate(header)))}
    kept = [name for name in out.sources if name in position]
    if kept != sorted(kept, key=position.__getitem__):
        out.changes.append(Change(None, "header.column-order", None, ",".join(header),
                                  ",".join(n for n in out.table.column_names if n != LINE),
                                  "columns reordered to the spec"))
