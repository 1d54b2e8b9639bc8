"""The fix pipeline: read, decide every record's fate, write, validate, log (see the package docstring)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from gx_clova import spec
from gx_clova.codes import CATALOGUE, ERROR
from gx_clova.fix import changes as log
from gx_clova.fix import columns, decode, records, rows, write
from gx_clova.fix.result import FixResult, FixUsageError, default_paths, output_format
from gx_clova.outputs import OutputSet
from gx_clova.reading import read_dataset
from gx_clova.reading.dataset import LINE
from gx_clova.sources import LocalSource, Source, open_source


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
    # The fixed file, the change log, the mapping (and rejects) appear together or not at all:
    # each is written beside its target under a temporary name, renamed into place at the end.
    with OutputSet() as outputs, tempfile.TemporaryDirectory(prefix="gx-clova-fix-") as workdir:
        staged = {"output": outputs.path(output), "changes": outputs.path(changes),
                  "mapping": outputs.path(mapping), "rejects": outputs.path(rejects) if rejects else None}
        result = _fix(resolved, _local(resolved, workdir), workdir, staged["output"], out_format, task,
                      changes, mapping, rejects, drop_duplicates, drop_extra_columns, staged["rejects"])
        if validate_result:
            _validate(result, task)
        _write_logs(result, staged["mapping"], staged["changes"])
        result.output = output
        if result.report is not None:
            result.report.source["uri"] = output
        outputs.commit()
    return result


@dataclass
class _Source:
    """The source as read: the table, and the records that are not rows."""

    decoded: decode.Decoded
    facts: Any
    table: pa.Table
    blank: list[int]
    unparsed: list[int]
    #: Rows holding bytes no encoding decodes (carried through as those bytes, reported unfixable).
    undecodable: np.ndarray
    raw: dict[int, records.RawRecord]


def _read(local: str, workdir: str) -> _Source:
    dataset = read_dataset(LocalSource(local))
    decoded = decode.prepare(local, dataset.facts.encoding, workdir)
    if decoded.path != local:
        dataset = read_dataset(LocalSource(decoded.path))
    facts, table = dataset.facts, dataset.table
    blank = sorted({l for f in dataset.findings if f.code == "file.blank-row" for l in f.lines})
    codes = {l: "file.format" for f in dataset.findings if f.code == "file.format" for l in f.lines}
    codes.update(_refused(dataset.findings))
    unparsed = sorted(codes)
    all_lines = table.column(LINE).to_numpy()
    first_line = facts.header_line + 1 if facts.format == "csv" else 1
    ends = records.spans(all_lines.tolist() + blank + unparsed, first_line, facts.lines)
    if any(code != "file.format" for code in codes.values()):
        table = table.filter(pa.array(~np.isin(all_lines, unparsed)))
    lines = table.column(LINE).to_numpy()
    row_ends = np.array([ends.get(int(l), int(l)) for l in lines.tolist()], dtype=np.int64)
    return _Source(
        decoded=decoded, facts=facts, table=table, blank=blank, unparsed=unparsed,
        undecodable=records.touching(lines, row_ends, list(decoded.bad_lines)),
        raw=records.read_raw(decoded.path, {l: ends[l] for l in unparsed}, decoded.bad_lines, codes),
    )


#: Why fix keeps a parsed JSONL line as it was (or rejects it) instead of guessing: the code, the note.
REFUSED = {"file.format": "does not parse",
           "value.type": "a text field is not a JSON string; fix does not guess its text",
           "header.duplicate-column": "a key appears twice; fix does not choose between the values"}


def _refused(findings) -> dict[int, str]:
    """JSONL lines fix must not rewrite: a text value that is not a string (value.type), a key
    given twice in one object (the reader kept the last value; which one is meant is the
    author's call). They are kept verbatim, so the fixed file still fails on them, or rejected."""
    out: dict[int, str] = {}
    for finding in findings:
        if finding.code == "value.type":
            out.update((line, "value.type") for line in finding.lines)
        elif finding.code == "header.duplicate-column":
            out.update((line, "header.duplicate-column") for line in finding.details.get("repeated_keys", []))
    return out


def _fix(src: Source, local: str, workdir: str, output: str, out_format: str, task: str, changes_path: str,
         mapping_path: str, rejects_path: str | None, drop_duplicates: bool, drop_extra_columns: bool,
         rejects_file: str | None = None) -> FixResult:
    """``rejects_path`` is what messages name; the rejects are written to ``rejects_file``."""
    source = _read(local, workdir)
    changes = list(source.decoded.changes)
    changes += [log.Change(line, "file.blank-row", None, "", None, "blank row removed") for line in source.blank]

    fixed = columns.fix_columns(source.table, source.facts.format, source.facts.header, drop_extra_columns)
    work, nfc_changes = rows.normalise_text(fixed.table)
    changes += fixed.changes + nfc_changes
    runs = rows.runs(work)
    removed = rows.Removed()
    if drop_duplicates:
        rows.drop_duplicates(work, runs, ~source.undecodable, removed)
    if rejects_path:
        not_dropped = np.ones(work.num_rows, dtype=bool)
        not_dropped[list(removed.dropped)] = False
        carried = {int(r): "file.encoding" for r in np.flatnonzero(source.undecodable)}
        rows.reject(work, runs, not_dropped, carried, task, removed)
    keep = np.ones(work.num_rows, dtype=bool)
    keep[list(removed.dropped) + list(removed.rejected)] = False
    work, new_c, new_t, id_changes = rows.renumber(work, runs, keep)
    changes += id_changes

    mapped, rejected, more_changes = _fates(source, work, keep, new_c, new_t, removed, rejects_path)
    changes += more_changes
    raw_out = [source.raw[line] for line in source.unparsed if not rejects_path]
    lines = source.table.column(LINE).to_numpy()
    newline = source.decoded.newline if out_format == "csv" and source.facts.format == "csv" else "\n"
    new_lines = write.write_fixed(output, out_format, work.filter(pa.array(keep)), raw_out, newline,
                                  carried=frozenset(int(l) for l in lines[source.undecodable].tolist()))
    for line, new in new_lines.items():
        mapped[line].new_line = new
    if rejects_path:
        write.write_rejects(rejects_file or rejects_path, rejected)
    if len(mapped) != len(lines) + len(source.blank) + len(source.unparsed):  # pragma: no cover - a bug, loudly
        raise RuntimeError("fix lost track of a record; nothing should be trusted: please report this")
    return FixResult(
        source=src.uri, output=output, changes_path=changes_path, mapping_path=mapping_path,
        rejects_path=rejects_path, source_encoding=source.decoded.encoding, changes=_ordered(changes),
        mapped=mapped,
    )


def _fates(source: _Source, work: pa.Table, keep: np.ndarray, new_c: np.ndarray, new_t: np.ndarray,
           removed: rows.Removed, rejects_path: str | None):
    """Every source record's fate (the mapping), the rejects file's entries, and the changes
    that removing rows makes."""
    mapped: dict[int, log.Mapped] = {line: log.Mapped(line, None, None, log.BLANK_REMOVED) for line in source.blank}
    rejected: list[dict[str, Any]] = []
    changes: list[log.Change] = []
    old_c = _column_values(source.table, spec.C_ID)
    old_t = _column_values(source.table, spec.T_ID)
    texts = _column_values(work, spec.TEXT)
    for row, line in enumerate(source.table.column(LINE).to_pylist()):
        entry = mapped[line] = log.Mapped(line, old_c[row], old_t[row], log.KEPT)
        if keep[row]:
            entry.new_c_id = int(new_c[row]) if new_c[row] >= 0 else None
            entry.new_t_id = int(new_t[row]) if new_t[row] >= 0 else None
        elif row in removed.dropped:
            entry.fate = log.DUPLICATE_DROPPED
            code, note = removed.dropped[row]
            changes.append(log.Change(line, code, None, _shown(texts[row]), None, note))
        else:
            entry.fate = log.REJECTED
            code, note = removed.rejected[row]
            changes.append(log.Change(line, code, None, _shown(texts[row]), None, f"{note}; see {rejects_path}"))
            cells = work.slice(row, 1).drop_columns([LINE]).to_pylist()[0]
            rejected.append({"line": line, "code": code, "note": note,
                             "record": {k: _shown(v) for k, v in cells.items()}})
    for line in source.unparsed:
        text = source.raw[line].text()
        code = source.raw[line].code
        note = REFUSED.get(code, REFUSED["file.format"])
        if rejects_path:
            mapped[line] = log.Mapped(line, None, None, log.REJECTED)
            changes.append(log.Change(line, code, None, text, None, f"{note}; moved to {rejects_path}"))
            rejected.append({"line": line, "code": code, "note": note, "raw": text})
        else:
            mapped[line] = log.Mapped(line, None, None, log.KEPT)
    return mapped, rejected, changes


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


def _write_logs(result: FixResult, mapping: str, changes: str) -> None:
    log.write_mapping(mapping, result.mapped.values())
    log.write_changes(changes, result.changes)
