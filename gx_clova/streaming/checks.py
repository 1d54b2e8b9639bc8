"""Every rule of the suite over a stream of batches: per-batch work, carried state, digests on disk.

:class:`Checks` is fed the dataset batch by batch, in file order (:meth:`Checks.feed`), and at
the end gives, for every metric of the plan, the list of findings the in-memory kernel gives on
the whole table (:meth:`Checks.findings`), built with the rule modules' own finding builders:

- row-local rules (empty cells, row length, text quality, evaluation leakage, IDs that are not
  integers) keep only the failing lines and the first problems;
- sequences (``C_ID`` runs, ``T_ID`` turns, conversations for duplicates) carry the last row's
  state across batch edges;
- rules over the whole file spill per-row digests to disk partitions (:mod:`.spill`):
  duplicate rows and conflicting labels by prefix / input digest, one System_Prompt per
  conversation by the ``C_ID`` digest, conversations that resume by the ``C_ID`` value;
- label counts are a dictionary (one entry per distinct label).

A JSONL key first met after the first batches (the reader's chunks carry the keys seen so far) is
a column of nulls on the earlier lines in memory, and so it is here: a batch without the column
is checked as if its cells were null, and the few rules whose answer depends on whether the key
ever comes (System_Prompt per conversation, duplicates: see :meth:`Checks._digests`) decide at
the end. No extra pass over the file.

Excerpts, label lines and the few values a message names come from a side file
(:class:`RowStore`): line, ``C_ID``, ``T_ID``, ``Text``, ``Completion`` (about the file's size on
disk, never in memory).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, content, ids, label_quality, labels, leakage, quality, system_prompt
from gx_clova.rules.leakage import EvalSet
from gx_clova.streaming.digest import cell_digests, combine, distinct_digests, prefixes
from gx_clova.streaming.spill import Spill, grouped

_STORE_COLUMNS = (spec.C_ID, spec.T_ID, spec.TEXT, spec.COMPLETION)
_U8 = "<u8"
_I8 = "<i8"


class RowStore:
    """The rows' line, C_ID, T_ID, Text and Completion in an uncompressed Arrow file (written at
    disk speed, read back batch by batch where the wanted lines are)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.schema = pa.schema([pa.field(LINE, pa.int64())] + [pa.field(n, pa.string()) for n in _STORE_COLUMNS])
        self._sink: Any = None
        self._writer: pa.ipc.RecordBatchFileWriter | None = None
        #: (first line, last line) of every record batch, in order.
        self.groups: list[tuple[int, int]] = []

    def add(self, table: pa.Table) -> None:
        rows = table.num_rows
        arrays = [table.column(LINE).combine_chunks()]
        for name in _STORE_COLUMNS:
            values = column(table, name)
            arrays.append(pa.nulls(rows, pa.string()) if values is None else values.combine_chunks())
        if self._writer is None:
            self._sink = pa.OSFile(self.path, "wb")
            self._writer = pa.ipc.new_file(self._sink, self.schema)
        self._writer.write_batch(pa.record_batch(arrays, schema=self.schema))
        self.groups.append((int(arrays[0][0].as_py()), int(arrays[0][-1].as_py())))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            self._writer = self._sink = None

    def remove(self) -> None:
        self.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        self.groups = []

    def _batches(self, indices: list[int] | range) -> Iterator[pa.RecordBatch]:
        self.close()
        if not self.groups:
            return
        with pa.OSFile(self.path) as source:  # not memory-mapped: the address space stays small
            reader = pa.ipc.open_file(source)
            for index in indices:
                yield reader.get_batch(index)

    def rows_at(self, lines: list[int] | np.ndarray) -> pa.Table:
        """The stored rows starting on ``lines``, in line order (batches without any are skipped)."""
        wanted = np.unique(np.asarray(lines, dtype=np.int64))
        firsts = np.array([first for first, _ in self.groups], dtype=np.int64)
        lasts = np.array([last for _, last in self.groups], dtype=np.int64)
        hit = [i for i in range(len(self.groups))
               if np.searchsorted(wanted, lasts[i], side="right") > np.searchsorted(wanted, firsts[i])]
        pieces = [self.schema.empty_table()]
        for batch in self._batches(hit):
            keep = pc.is_in(batch.column(0), value_set=pa.array(wanted))
            pieces.append(pa.Table.from_batches([batch.filter(keep)]).combine_chunks())
        return pa.concat_tables(pieces)

    def lines_with(self, labels_: list[str]) -> list[int]:
        """Lines of the rows whose Completion is one of ``labels_``, in line order."""
        values = pa.array(labels_, pa.string())
        out = [np.zeros(0, dtype=np.int64)]
        for batch in self._batches(range(len(self.groups))):
            mask = pc.fill_null(pc.is_in(batch.column(4), value_set=values), False)
            out.append(pc.filter(batch.column(0), mask).to_numpy())
        return np.concatenate(out).tolist()


class _RowLocal:
    """One row-local finding code over batches: every line, the first problems, the first message."""

    def __init__(self) -> None:
        self.lines: list[np.ndarray] = []
        self.first: Finding | None = None
        self.problems: list[str] = []
        self.total = 0

    def add(self, finding: Finding) -> None:
        self.lines.append(np.asarray(finding.lines, dtype=np.int64))
        self.total += len(finding.lines)
        if self.first is None:
            self.first = finding
        room = DETAIL_LIMIT - len(self.problems)
        if room > 0:
            self.problems += list(finding.details.get("problems", []))[:room]

    def all_lines(self) -> list[int]:
        return np.concatenate(self.lines).tolist() if self.lines else []


class Checks:
    """The suite's rules over a stream of batches (see the module docstring)."""

    def __init__(self, plan: list[dict[str, Any]], directory: str, partitions: int,
                 eval_set: EvalSet | None = None) -> None:
        metrics = {step["metric"] for step in plan}
        self.eval_set = eval_set if "clova.leakage_findings" in metrics else None
        self.count_labels = bool(metrics & {"clova.label_findings", "clova.label_quality_findings"})
        self.max_chars = next((s["kwargs"].get("max_chars", spec.MAX_ROW_CHARS) for s in plan
                               if s["metric"] == "clova.length_findings"), spec.MAX_ROW_CHARS)
        self.directory = directory
        self.partitions = partitions
        self.store = RowStore(os.path.join(directory, "rows.arrow"))
        self.prefix_spill, self.input_spill = self._conversation_spills("")
        # The same, as if the file had no C_ID column at all (every row its own conversation),
        # kept only until a batch brings the C_ID column (see _digests).
        self.solo_spills: tuple[Spill, Spill] | None = self._conversation_spills("solo-")
        self.prompt_spill = Spill(directory, "prompt", [("c0", _U8), ("c1", _U8), ("s0", _U8), ("s1", _U8),
                                                        ("line", _I8)], partitions)
        self.run_spill = Spill(directory, "runs", [("value", _I8), ("line", _I8), ("previous", _I8)], partitions)
        self.rows = 0
        self.seen: set[str] = set()
        # not-integer IDs: lines and the first values shown
        self.not_integer: dict[str, tuple[list[np.ndarray], list]] = {spec.C_ID: ([], []), spec.T_ID: ([], [])}
        self.last_run_value: int | None = None
        self.t_carry: tuple[int, int] | None = None  # (C_ID, T_ID) of the last row with both integers
        self.t_breaks: list[np.ndarray] = []
        self.t_shown: list[tuple[int, int, int, int]] = []
        self.empty: dict[str, list[np.ndarray]] = {spec.TEXT: [], spec.COMPLETION: []}
        self.long_lines: list[np.ndarray] = []
        self.long_totals: list[np.ndarray] = []
        self.text: dict[str, _RowLocal] = {}
        self.leak = _RowLocal()
        self.leak_exact = 0
        self.label_counts: Counter[str] = Counter()
        # conversations for the duplicate rules: the last row's C_ID digest, prefix and depth
        self.conv_carry: tuple[np.ndarray, np.ndarray, int] | None = None

    # -- per batch ---------------------------------------------------------------------------------
    def feed(self, table: pa.Table) -> None:
        rows = table.num_rows
        if not rows:
            return
        self.rows += rows
        self.seen.update(table.column_names)
        lines = table.column(LINE).to_numpy().astype(np.int64, copy=False)
        self.store.add(table)
        self._ids(table, lines)
        self._content(table, lines)
        for finding in quality.check_text(table):
            self.text.setdefault(finding.code, _RowLocal()).add(finding)
        if self.eval_set is not None:
            for finding in leakage.check(table, self.eval_set):
                self.leak.add(finding)
                self.leak_exact += int(finding.details["exact"])
        if self.count_labels and column(table, spec.COMPLETION) is not None:
            counts = pc.value_counts(pc.drop_null(table.column(spec.COMPLETION)))
            self.label_counts.update(dict(zip(counts.field("values").to_pylist(),
                                              counts.field("counts").to_pylist(), strict=True)))
        self._digests(table, lines)

    def _ids(self, table: pa.Table, lines: np.ndarray) -> None:
        parsed = {}
        for name in (spec.C_ID, spec.T_ID):
            values = column(table, name)
            if values is None:
                continue
            ints, valid, null = ids.parse_ids(values)
            parsed[name] = (ints, valid)
            bad = ~valid & ~null
            if bad.any():
                kept_lines, shown = self.not_integer[name]
                kept_lines.append(lines[bad])
                if len(shown) < DETAIL_LIMIT:
                    shown += pc.filter(values, pa.array(bad)).slice(0, DETAIL_LIMIT - len(shown)).to_pylist()
        if spec.C_ID in parsed:
            ints, valid = parsed[spec.C_ID]
            v, at = ints[valid], lines[valid]
            if len(v):
                previous_value = -1 if self.last_run_value is None else self.last_run_value
                starts = np.r_[self.last_run_value is None or v[0] != self.last_run_value, v[1:] != v[:-1]]
                run_values, run_lines = v[starts], at[starts]
                previous = np.r_[previous_value, v[:-1]][starts]
                self.run_spill.add(run_values.astype(np.uint64), value=run_values, line=run_lines, previous=previous)
                self.last_run_value = int(v[-1])
        if spec.T_ID in parsed and spec.C_ID in parsed:
            c_ints, c_valid = parsed[spec.C_ID]
            t_ints, t_valid = parsed[spec.T_ID]
            both = c_valid & t_valid
            c, t, at = c_ints[both], t_ints[both], lines[both]
            if len(t):
                last_c, last_t = self.t_carry if self.t_carry is not None else (None, -1)
                previous_c = np.r_[c[:1] + 1 if last_c is None else last_c, c[:-1]]
                new_conversation = c != previous_c
                expected = np.where(new_conversation, 0, np.r_[last_t, t[:-1]] + 1)
                bad = t != expected
                if bad.any():
                    self.t_breaks.append(at[bad])
                    room = DETAIL_LIMIT - len(self.t_shown)
                    if room > 0:
                        self.t_shown += list(zip(at[bad][:room].tolist(), t[bad][:room].tolist(),
                                                 c[bad][:room].tolist(), expected[bad][:room].tolist(), strict=True))
                self.t_carry = (int(c[-1]), int(t[-1]))

    def _content(self, table: pa.Table, lines: np.ndarray) -> None:
        for name in (spec.TEXT, spec.COMPLETION):
            values = column(table, name)
            if values is not None:
                empty = pc.fill_null(pc.equal(pc.binary_length(values), 0), False).to_numpy(zero_copy_only=False)
                if empty.any():
                    self.empty[name].append(lines[empty])
        text_len, _ = content.lengths(column(table, spec.TEXT), table.num_rows)
        completion_len, _ = content.lengths(column(table, spec.COMPLETION), table.num_rows)
        total = text_len + completion_len
        long = total > self.max_chars
        if long.any():
            self.long_lines.append(lines[long])
            self.long_totals.append(total[long])

    def _conversation_spills(self, prefix: str) -> tuple[Spill, Spill]:
        """(prefix digests, input digests): the duplicate rules' records."""
        return (Spill(self.directory, prefix + "prefix", [("p0", _U8), ("p1", _U8), ("line", _I8), ("depth", _I8)],
                      self.partitions),
                Spill(self.directory, prefix + "input", [("b0", _U8), ("b1", _U8), ("a0", _U8), ("a1", _U8),
                                                         ("h0", _U8), ("h1", _U8), ("line", _I8)], self.partitions))

    def _digests(self, table: pa.Table, lines: np.ndarray) -> None:
        """The whole-file rules' records of one batch.

        A column the batch lacks is one the reader has not met yet (a JSONL key that first appears
        on a later line; once met, every later batch has it): in the in-memory table it is a column
        of nulls there if any later line has the key, and no column at all if none has. A null
        digests as ``""``, so the records are written as for nulls; the rules that differ when the
        column never comes check :attr:`seen` at the end (no System_Prompt or no C_ID: no
        System_Prompt rule; no Text: no duplicate rules). Conversations are the one exception
        that needs both answers: runs of null C_IDs, or every row alone without a C_ID column. So
        until the C_ID column arrives, the key-less rows are also written, each row alone, to
        :attr:`solo_spills`, which are dropped when it arrives and used at the end if it never did.
        """
        rows = table.num_rows
        c_id, prompt = column(table, spec.C_ID), column(table, spec.SYSTEM_PROMPT)
        conv = distinct_digests(c_id, rows)
        asked_prompt = distinct_digests(prompt, rows)
        # Without a System_Prompt column yet every prompt is "": only each conversation's first row
        # can matter (it is the row the later prompts are compared with), and it starts a run.
        keep = slice(None) if prompt is not None else np.r_[True, (conv[1:] != conv[:-1]).any(axis=1)]
        self.prompt_spill.add(conv[keep, 0], c0=conv[keep, 0], c1=conv[keep, 1], s0=asked_prompt[keep, 0],
                              s1=asked_prompt[keep, 1], line=lines[keep])
        asked = combine(asked_prompt, cell_digests(column(table, spec.TEXT), rows))
        row = combine(asked, cell_digests(column(table, spec.COMPLETION), rows))
        self.conv_carry = self._conversations(row, asked, conv, lines, (self.prefix_spill, self.input_spill),
                                              self.conv_carry)
        if self.solo_spills is not None:
            if c_id is None:
                self._conversations(row, asked, None, lines, self.solo_spills, None)
            else:
                for spill in self.solo_spills:
                    spill.remove()
                self.solo_spills = None

    @staticmethod
    def _conversations(row: np.ndarray, asked: np.ndarray, conv: np.ndarray | None, lines: np.ndarray,
                       spills: tuple[Spill, Spill], carry: tuple[np.ndarray, np.ndarray, int] | None,
                       ) -> tuple[np.ndarray, np.ndarray, int] | None:
        """Prefix and input records of a batch's rows; ``conv`` the C_ID digests (None: every row
        alone), ``carry`` the last row's (C_ID digest, prefix, depth) before the batch. Returns the
        batch's last row's."""
        rows = len(row)
        prefix_spill, input_spill = spills
        carried = None
        if conv is None:
            starts = np.ones(rows, dtype=bool)
        else:
            starts = np.r_[True, (conv[1:] != conv[:-1]).any(axis=1)]
            if carry is not None and (conv[0] == carry[0]).all():
                starts[0] = False
                carried = carry[1]
        prefix = prefixes(row, starts, carried)
        index = np.arange(rows)
        run_start = np.maximum.accumulate(np.where(starts, index, 0))
        depth = index - run_start
        if carried is not None:
            depth[run_start == 0] += carry[2] + 1
        before = np.zeros_like(prefix)
        before[1:] = prefix[:-1]
        if carried is not None:
            before[0] = carried
        before[depth == 0] = 0
        prefix_spill.add(prefix[:, 0], p0=prefix[:, 0], p1=prefix[:, 1], line=lines, depth=depth)
        key = combine(before, asked)
        input_spill.add(key[:, 0], b0=before[:, 0], b1=before[:, 1], a0=asked[:, 0], a1=asked[:, 1],
                        h0=row[:, 0], h1=row[:, 1], line=lines)
        return None if conv is None else (conv[-1].copy(), prefix[-1].copy(), int(depth[-1]))

    # -- at the end ----------------------------------------------------------------------------------
    def _spills(self) -> tuple[Spill, ...]:
        return (self.prefix_spill, self.input_spill, self.prompt_spill, self.run_spill, *(self.solo_spills or ()))

    def close(self) -> None:
        self.store.close()
        for spill in self._spills():
            spill.close()

    def remove(self) -> None:
        self.store.remove()
        for spill in self._spills():
            spill.remove()

    def findings(self, metric: str, kwargs: dict[str, Any], context: dict[str, Any]) -> list[Finding]:
        """What the in-memory kernel ``metric`` gives on the whole file."""
        from gx_clova.registry import kernel

        if metric in ("clova.file_findings", "clova.record_findings", "clova.header_findings"):
            return kernel(metric)(pa.table({LINE: pa.array([], pa.int64())}), context, **kwargs)
        if metric == "clova.length_findings" and kwargs.get("max_chars", spec.MAX_ROW_CHARS) != self.max_chars:
            raise ValueError("one row-length limit per streaming run")
        build = {
            "clova.id_findings": self._id_findings,
            "clova.empty_findings": self._empty_findings,
            "clova.length_findings": self._length_findings,
            "clova.system_prompt_findings": self._system_prompt_findings,
            "clova.duplicate_findings": self._duplicate_findings,
            "clova.text_quality_findings": self._text_findings,
            "clova.leakage_findings": self._leakage_findings,
        }
        if metric in build:
            return build[metric]()
        if metric == "clova.label_findings":
            limits = {"min_rows_per_label": spec.MIN_ROWS_PER_LABEL, "max_labels": spec.MAX_LABELS, **kwargs}
            return labels._findings(self._ranked_labels(), self.store.lines_with, **limits)
        if metric == "clova.label_quality_findings":
            return label_quality._findings(self._ranked_labels(), self.store.lines_with,
                                           kwargs.get("max_ratio", spec.MAX_LABEL_IMBALANCE))
        raise ValueError(f"{metric}: no streaming version")

    def _ranked_labels(self) -> dict[str, int]:
        return labels._ranked(self.label_counts.items()) if spec.COMPLETION in self.seen else {}

    def _not_integer(self, name: str, code: str) -> list[Finding]:
        kept_lines, shown = self.not_integer[name]
        if not kept_lines:
            return []
        return [ids._not_integer(name, code, np.concatenate(kept_lines).tolist(), shown)]

    def _id_findings(self) -> list[Finding]:
        found = self._not_integer(spec.C_ID, "c_id.sequence")
        bad: list[np.ndarray] = []
        for part in self.run_spill.parts():
            order, starts = grouped([part["value"]], part["line"])
            ordered = part[order]
            first_lines = ordered["line"][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
            wrong = (ordered["value"] != ordered["previous"] + 1) | (ordered["line"] != first_lines)
            if wrong.any():
                bad.append(np.stack([ordered["line"][wrong], ordered["value"][wrong], ordered["previous"][wrong],
                                     first_lines[wrong]], axis=1))
        if bad:
            table = np.concatenate(bad)
            table = table[np.argsort(table[:, 0], kind="stable")]
            shown = [tuple(int(x) for x in row) for row in table[:DETAIL_LIMIT]]
            found.append(ids._c_id_breaks(table[:, 0].tolist(), shown))
        found += self._not_integer(spec.T_ID, "t_id.sequence")
        if self.t_breaks:
            found.append(ids._t_id_breaks(np.concatenate(self.t_breaks).tolist(), self.t_shown))
        return found

    def _empty_findings(self) -> list[Finding]:
        return [content._empty(name, code, np.concatenate(self.empty[name]).tolist())
                for name, code in content._EMPTY if self.empty[name]]

    def _length_findings(self) -> list[Finding]:
        if not self.long_lines:
            return []
        return [content._too_long(np.concatenate(self.long_lines).tolist(), np.concatenate(self.long_totals).tolist(),
                                  self.max_chars)]

    def _system_prompt_findings(self) -> list[Finding]:
        if spec.SYSTEM_PROMPT not in self.seen or spec.C_ID not in self.seen:
            return []  # as in memory: the rule needs both columns
        bad: list[np.ndarray] = []
        for part in self.prompt_spill.parts():
            order, starts = grouped([part["c0"], part["c1"]], part["line"])
            ordered = part[order]
            first = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
            wrong = (ordered["s0"] != ordered["s0"][first]) | (ordered["s1"] != ordered["s1"][first])
            if wrong.any():
                bad.append(np.stack([ordered["line"][wrong], ordered["line"][first][wrong]], axis=1))
        if not bad:
            return []
        table = np.concatenate(bad)
        table = table[np.argsort(table[:, 0], kind="stable")]
        where = table[:, 0].tolist()
        stored = self.store.rows_at(where)
        by_line = dict(zip(stored.column(LINE).to_pylist(), stored.column(spec.C_ID).to_pylist(), strict=True))
        return [system_prompt._inconsistent(where, [by_line[line] for line in where], table[:, 1].tolist())]

    def _duplicate_findings(self) -> list[Finding]:
        if spec.TEXT not in self.seen or not self.rows:
            return []
        # without a C_ID column anywhere, every row is a conversation of its own (see _digests)
        prefix_spill, input_spill = self.solo_spills or (self.prefix_spill, self.input_spill)
        repeated: list[np.ndarray] = []
        for part in prefix_spill.parts():
            order, starts = grouped([part["p0"], part["p1"]], part["line"])
            ordered = part[order]
            first = ordered["line"][np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
            again = ~starts
            if again.any():
                repeated.append(np.stack([ordered["line"][again], first[again], ordered["depth"][again]], axis=1))
        groups: list[tuple[list[int], int]] = []
        for part in input_spill.parts():
            order, starts = grouped([part["b0"], part["b1"], part["a0"], part["a1"]], part["line"])
            ordered = part[order]
            bounds = np.r_[np.flatnonzero(starts), len(order)]
            sizes = np.diff(bounds)
            for start, end in zip(bounds[:-1][sizes > 1].tolist(), bounds[1:][sizes > 1].tolist(), strict=True):
                answers = len(np.unique(ordered[["h0", "h1"]][start:end]))
                if answers > 1:
                    groups.append((ordered["line"][start:end].tolist(), answers))
        rows = np.concatenate(repeated) if repeated else np.zeros((0, 3), dtype=np.int64)
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        groups.sort(key=lambda group: group[0][0])
        return quality._duplicate_findings([tuple(int(x) for x in row) for row in rows], groups)

    def _text_findings(self) -> list[Finding]:
        out = []
        for code in quality.TEXT_CODES:  # the kernel's order
            kept = self.text.get(code)
            if kept is None or kept.first is None:
                continue
            # As the kernel says it, with the whole file's count; the first problem is the first batch's.
            out.append(Finding(code, message(code, rows=kept.total, first=kept.problems[0]),
                               kept.all_lines(), details={"problems": kept.problems}))
        return out

    def _leakage_findings(self) -> list[Finding]:
        kept, eval_set = self.leak, self.eval_set
        if kept.first is None or eval_set is None:
            return []
        what = " and ".join(eval_set.columns)
        total = kept.total
        return [Finding(
            "leakage.eval-overlap",
            message("leakage.eval-overlap", rows=total, uri=eval_set.uri, compared=what, exact=self.leak_exact,
                    normalised=total - self.leak_exact, first=kept.problems[0]),
            kept.all_lines(),
            details={"problems": kept.problems, "exact": self.leak_exact, **eval_set.describe()},
        )]
