"""``gx-clova fix``: a corrected copy of a dataset. The source is never touched.

Fixed automatically, each change in the change log (source line, code, column, before, after):

- encoding → UTF-8 (cp949/euc-kr, UTF-16/32, a UTF-8 file with some cp949 lines; the source
  encoding is reported), and a UTF-8 byte-order mark removed;
- blank rows removed; blank columns removed when every cell is empty;
- columns renamed (``c_id`` → ``C_ID``), merged when copies agree, reordered to the spec;
  a missing ``T_ID`` added; columns outside the spec removed only with ``drop_extra_columns``;
- ``C_ID``/``T_ID`` renumbered: conversations are runs of one original ``C_ID`` in file order,
  numbered 0, 1, …, turns 0, 1, … within each (old → new in the mapping file);
- System_Prompt, Text and Completion NFC-normalised;
- with ``drop_duplicates``: conversations whose every turn repeats an earlier row, dropped.

Not fixed (a person must decide), kept in place and listed, or moved - with their whole
conversation - to a rejects file when ``rejects`` is given: empty Text or Completion, rows over
8,000 characters, a System_Prompt that changes mid-conversation, a row without ``C_ID``, a
record that does not parse, bytes no encoding decodes, malformed classification labels. Also
not fixed: too few rows, too few rows per label, too many labels, missing ``C_ID``/``Text``/
``Completion`` columns, copies of a column that disagree, and the warnings (duplicates are only
dropped when asked; conflicting labels, evaluation overlap, personal data, U+FFFD, control
characters and label variants need a person).

The fixed file is then validated (Great Expectations, same suite as ``validate``); whatever
still fails is reported with the source's line numbers. Nothing is dropped unless asked: the
mapping file accounts for every record of the source.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from gx_clova import spec
from gx_clova.codes import CATALOGUE, ERROR
from gx_clova.fix import changes as log
from gx_clova.fix import columns, decode, records, rows, write
from gx_clova.fix.decode import CannotFix
from gx_clova.reading import read_dataset
from gx_clova.reading.dataset import LINE
from gx_clova.sources import LocalSource, Source, open_source

__all__ = ["CannotFix", "FixResult", "FixUsageError", "default_paths", "fix"]


class FixUsageError(ValueError):
    """The request itself is wrong (an output that is the source, an unknown extension): exit 2."""


@dataclass
class FixResult:
    source: str
    output: str
    changes_path: str
    mapping_path: str
    rejects_path: str | None
    #: The source's encoding, as detected (``utf-8``, ``cp949``, ``utf-8 + cp949`` …).
    source_encoding: str
    changes: list[log.Change] = field(default_factory=list)
    #: The validation report of the fixed file (None when validation was skipped).
    report: Any = None
    #: Errors left in the fixed file: code, message, source lines, fixed-file lines.
    remaining: list[dict[str, Any]] = field(default_factory=list)
    #: Warnings about the fixed file, the same way.
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: Source line → its fate (the mapping file's records).
    mapped: dict[int, log.Mapped] = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool | None:
        return None if self.report is None else bool(self.report.success)

    @property
    def records(self) -> dict[str, int]:
        """How many source records met each fate (they add up to ``source``)."""
        fates = Counter(m.fate for m in self.mapped.values())
        return {"source": len(self.mapped), "written": sum(1 for m in self.mapped.values() if m.new_line),
                **{fate: fates.get(fate, 0) for fate in log.FATES}}

    def change_counts(self) -> dict[str, int]:
        return dict(Counter(c.code for c in self.changes).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "source": self.source,
            "source_encoding": self.source_encoding,
            "output": self.output,
            "changes_file": self.changes_path,
            "mapping_file": self.mapping_path,
            "rejects_file": self.rejects_path,
            "records": dict(self.records),
            "changes": self.change_counts(),
            "remaining": list(self.remaining),
            "warnings": list(self.warnings),
        }


def output_format(path: str) -> str:
    lower = path.lower()
    for ext in spec.EXTENSIONS:
        if lower.endswith(ext):
            return ext.lstrip(".")
    raise FixUsageError(f"the fixed file must end in {' or '.join(spec.EXTENSIONS)}: {path}")


def default_paths(output: str) -> tuple[str, str]:
    """``fixed.csv`` → (``fixed.changes.jsonl``, ``fixed.mapping.csv``)."""
    stem = output[: output.rfind(".")] if "." in os.path.basename(output) else output
    return f"{stem}.changes.jsonl", f"{stem}.mapping.csv"


def _same(a: str, b: str) -> bool:
    if os.path.exists(a) and os.path.exists(b):
        return os.path.samefile(a, b)
    return os.path.realpath(a) == os.path.realpath(b)


def _check_paths(source: str, paths: dict[str, str | None]) -> None:
    named = {k: v for k, v in paths.items() if v}
    for what, path in named.items():
        if not source.startswith("s3://") and _same(source, path):
            raise FixUsageError(f"the {what} file {path} is the source: fix never overwrites the source")
        if os.path.isdir(path):
            raise FixUsageError(f"the {what} file {path} is a directory")
    items = list(named.items())
    for i, (what, path) in enumerate(items):
        for other, other_path in items[i + 1:]:
            if _same(path, other_path):
                raise FixUsageError(f"the {what} and {other} files are the same file: {path}")


def _local(source: Source, workdir: str) -> str:
    if isinstance(source, LocalSource):
        source.size()  # SourceError now, for a missing file
        with source.open():
            pass
        return source.local_path()
    target = os.path.join(workdir, os.path.basename(source.name) or "dataset")
    with source.open() as stream, open(target, "wb") as out:
        shutil.copyfileobj(stream, out, 8 << 20)
    return target


def fix(
    source: str | Source,
    output: str,
    *,
    task: str = spec.DEFAULT_TASK,
    changes: str | None = None,
    mapping: str | None = None,
    rejects: str | None = None,
    drop_duplicates: bool = False,
    drop_extra_columns: bool = False,
    validate_result: bool = True,
    **storage_options: Any,
) -> FixResult:
    """Write a corrected copy of ``source`` to ``output`` (see the module docstring).

    Raises FixUsageError for a bad request and SourceError when the source cannot be read.
    """
    if task not in spec.TASKS:
        raise FixUsageError(f"unknown task {task!r}; choose one of {', '.join(spec.TASKS)}")
    out_format = output_format(output)
    default_changes, default_mapping = default_paths(output)
    changes, mapping = changes or default_changes, mapping or default_mapping
    uri = source if isinstance(source, str) else source.uri
    _check_paths(uri, {"fixed": output, "change log": changes, "mapping": mapping, "rejects": rejects})
    resolved = open_source(source, **storage_options) if isinstance(source, str) else source
    with tempfile.TemporaryDirectory(prefix="gx-clova-fix-") as workdir:
        result = _fix(resolved, _local(resolved, workdir), workdir, output, out_format, task, changes,
                      mapping, rejects, drop_duplicates, drop_extra_columns)
    if validate_result:
        _validate(result, task)
    _write_logs(result)
    return result


@dataclass
class _State:
    """Everything the steps decide, before the files are written."""

    mapped: dict[int, log.Mapped] = field(default_factory=dict)
    changes: list[log.Change] = field(default_factory=list)
    new_lines: dict[int, int] = field(default_factory=dict)


def _fix(src: Source, local: str, workdir: str, output: str, out_format: str, task: str, changes_path: str,
         mapping_path: str, rejects_path: str | None, drop_duplicates: bool, drop_extra_columns: bool) -> FixResult:
    dataset = read_dataset(LocalSource(local))
    decoded = decode.prepare(local, dataset.facts.encoding, workdir)
    if decoded.path != local:
        dataset = read_dataset(LocalSource(decoded.path))
    facts, table = dataset.facts, dataset.table
    state = _State(changes=list(decoded.changes))
    blank = sorted({l for f in dataset.findings if f.code == "file.blank-row" for l in f.lines})
    unparsed = sorted({l for f in dataset.findings if f.code == "file.format" for l in f.lines})
    lines = table.column(LINE).to_numpy()
    first_line = facts.header_line + 1 if facts.format == "csv" else 1
    ends = records.spans(lines.tolist() + blank + unparsed, first_line, facts.lines)
    row_ends = np.array([ends.get(int(l), int(l)) for l in lines.tolist()], dtype=np.int64)
    # Rows holding bytes no encoding decodes: carried through as those bytes, reported unfixable.
    undecodable = records.touching(lines, row_ends, list(decoded.bad_lines))
    raw = records.read_raw(decoded.path, {l: ends[l] for l in unparsed}, decoded.bad_lines, {})
    for line in blank:
        state.mapped[line] = log.Mapped(line, None, None, log.BLANK_REMOVED)
        state.changes.append(log.Change(line, "file.blank-row", None, "", None, "blank row removed"))

    fixed = columns.fix_columns(table, facts.format, facts.header, drop_extra_columns)
    state.changes += fixed.changes
    work, nfc_changes = rows.normalise_text(fixed.table)
    state.changes += nfc_changes
    runs = rows.runs(work)
    removed = rows.Removed()
    if drop_duplicates:
        rows.drop_duplicates(work, runs, ~undecodable, removed)
    if rejects_path:
        not_dropped = np.ones(work.num_rows, dtype=bool)
        not_dropped[list(removed.dropped)] = False
        rows.reject(work, runs, not_dropped, {int(r): "file.encoding" for r in np.flatnonzero(undecodable)},
                    task, removed)
    keep = np.ones(work.num_rows, dtype=bool)
    keep[list(removed.dropped) + list(removed.rejected)] = False
    old_c = _column_values(table, spec.C_ID)
    old_t = _column_values(table, spec.T_ID)
    work, new_c, new_t, id_changes = rows.renumber(work, runs, keep)
    state.changes += id_changes

    texts = _column_values(work, spec.TEXT)
    rejected_entries: list[dict[str, Any]] = []
    for row, line in enumerate(lines.tolist()):
        entry = log.Mapped(int(line), old_c[row], old_t[row], log.KEPT)
        if keep[row]:
            entry.new_c_id = int(new_c[row]) if new_c[row] >= 0 else None
            entry.new_t_id = int(new_t[row]) if new_t[row] >= 0 else None
        elif row in removed.dropped:
            entry.fate = log.DUPLICATE_DROPPED
            code, note = removed.dropped[row]
            state.changes.append(log.Change(int(line), code, None, _shown(texts[row]), None, note))
        elif row in removed.rejected:
            entry.fate = log.REJECTED
            code, note = removed.rejected[row]
            state.changes.append(log.Change(int(line), code, None, _shown(texts[row]), None,
                                            f"{note}; see {rejects_path}"))
            cells = work.slice(row, 1).drop_columns([LINE]).to_pylist()[0]
            rejected_entries.append({"line": int(line), "code": code, "note": note,
                                     "record": {k: decode.visible(v) if isinstance(v, str) else v
                                                for k, v in cells.items()}})
        state.mapped[int(line)] = entry
    raw_out = []
    for line in unparsed:
        if rejects_path:
            state.mapped[line] = log.Mapped(line, None, None, log.REJECTED)
            state.changes.append(log.Change(line, "file.format", None, raw[line].text(), None,
                                            f"does not parse; moved to {rejects_path}"))
            rejected_entries.append({"line": line, "code": "file.format", "note": "does not parse",
                                     "raw": raw[line].text()})
        else:
            state.mapped[line] = log.Mapped(line, None, None, log.KEPT)
            raw_out.append(raw[line])
    state.new_lines = write.write_fixed(output, out_format, work.filter(pa.array(keep)), raw_out,
                                        decoded.newline if out_format == "csv" and facts.format == "csv" else "\n",
                                        carried=frozenset(int(l) for l in lines[undecodable].tolist()))
    for line, new in state.new_lines.items():
        state.mapped[line].new_line = new
    if rejects_path:
        write.write_rejects(rejects_path, rejected_entries)
    if len(state.mapped) != len(lines) + len(blank) + len(unparsed):  # pragma: no cover - a bug, loudly
        raise RuntimeError("fix lost track of a record; nothing should be trusted: please report this")
    result = FixResult(
        source=src.uri, output=output, changes_path=changes_path, mapping_path=mapping_path,
        rejects_path=rejects_path, source_encoding=decoded.encoding, changes=_ordered(state.changes),
        mapped=state.mapped,
    )
    return result


def _shown(value: Any) -> Any:
    return decode.visible(value) if isinstance(value, str) else value


def _column_values(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows


def _ordered(changes: list[log.Change]) -> list[log.Change]:
    return sorted(changes, key=lambda c: (c.line is not None, c.line or 0))


def _validate(result: FixResult, task: str) -> None:
    from gx_clova.validation import validate

    report = validate(result.output, task=task)
    result.report = report
    back = {m.new_line: m.line for m in result.mapped.values() if m.new_line}
    for finding in report.failures:
        source_lines = sorted({back[l] for l in finding.lines if l in back})
        if finding.severity == ERROR:
            for line in source_lines:
                if result.mapped[line].fate == log.KEPT:
                    result.mapped[line].fate = log.KEPT_UNFIXABLE
        (result.remaining if finding.severity == ERROR else result.warnings).append({
            "code": finding.code,
            "rule": CATALOGUE[finding.code].ref,
            "message": finding.message,
            "count": finding.count,
            "lines": source_lines,
            "fixed_lines": list(finding.lines),
        })


def _write_logs(result: FixResult) -> None:
    log.write_mapping(result.mapping_path, result.mapped.values())
    log.write_changes(result.changes_path, result.changes)
