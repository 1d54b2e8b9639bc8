"""JSONL: pyarrow's reader when every line is a regular object, an exact line-by-line path otherwise.

Values become text the way a CSV cell would read: strings as they are, integers in decimal
(``0`` → ``"0"``), anything else as its JSON spelling (``7.0``, ``true``, ``null``), which the ID
rules then reject. A key missing from a line is a null cell (reported as a missing column on
that line); an explicit ``null`` in a text field counts as empty.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.json as pajson

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.csv_reader import FLUSH_ROWS, Fallback, Sink
from gx_clova.reading.dataset import build_table, problems_finding
from gx_clova.reading.keys import classify_keys
from gx_clova.reading.scan import ByteScan
from gx_clova.registry import message

BLOCK_SIZE = 16 << 20
_TEXT_TYPES = (pa.string(), pa.large_string())
_ID_COLUMNS = set(spec.ID_COLUMNS)


def read_fast(path: str, finished: Callable[[], ByteScan]) -> tuple[list[str], pa.Table, list[Finding]]:
    """Every line one object with the same keys and plain types, or Fallback.

    ``finished`` returns the byte scan running beside the parser, awaited after the parse.
    """
    try:
        raw = pajson.read_json(
            path,
            read_options=pajson.ReadOptions(block_size=BLOCK_SIZE),
            parse_options=pajson.ParseOptions(newlines_in_values=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise Fallback(str(exc)) from None
    physical_lines = finished().lines
    if raw.num_rows != physical_lines:
        raise Fallback(f"{raw.num_rows} objects on {physical_lines} lines")
    header = list(raw.column_names)
    vouch(header, raw.columns)
    lines = np.arange(1, raw.num_rows + 1, dtype=np.int64)
    findings = [
        Finding(code, said, lines.tolist()) for code, said in classify_keys(header)
    ] if raw.num_rows else []
    return header, build_table(header, list(raw.columns), pa.array(lines)), findings


def vouch(names: list[str], columns: list) -> None:
    """Fallback unless every column is present on every line with a plain type and its strings
    are valid UTF-8 (pyarrow's JSON reader does not check that: a cp949 byte inside a string
    would pass as UTF-8; the exact path then names the encoding and the lines)."""
    for name, column in zip(names, columns):
        if column.null_count:
            raise Fallback(f"{name} is missing or null on some lines")
        allowed = (pa.int64(), *_TEXT_TYPES) if spec.loose_column(name) in _ID_COLUMNS else _TEXT_TYPES
        if column.type not in allowed:
            raise Fallback(f"{name} has type {column.type}")
        if column.type in _TEXT_TYPES:
            try:
                column.validate(full=True)
            except pa.ArrowInvalid as exc:
                raise Fallback(f"{name}: {exc}") from None


#: Columns whose JSON value must be a string (value.type); IDs may be integers.
_TEXT_COLUMNS = {spec.TEXT, spec.COMPLETION, spec.SYSTEM_PROMPT}
_JSON_KINDS = {dict: "an object", list: "an array", bool: "a boolean", int: "a number", float: "a number"}


def _value_faults(obj: dict[str, Any]) -> list[str]:
    """``Text is an object`` … for every text field whose value is not a string (null is empty)."""
    out = []
    for key, value in obj.items():
        canonical = spec.loose_column(key)
        if canonical in _TEXT_COLUMNS and value is not None and not isinstance(value, str):
            out.append(f"{key} is {_JSON_KINDS.get(type(value), 'not a string')}")
    return out


def _as_text(value: Any, is_id: bool) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if value is None and not is_id:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    pass


def read_exact(
    path: str, codec: str, progress: Callable[[int], None] | None = None, sink: Sink | None = None
) -> tuple[list[str], int, pa.Table, list[Finding]]:
    """Line by line: every bad line named. Returns header, header line, table, findings.

    With ``sink``, each chunk goes to it as it is read (``sink(names, columns, lines)``; the names
    seen so far, in order of first appearance, so a later chunk may have more) and the returned
    table is empty.
    """
    problems: dict[int, str] = {}
    wrong_types: dict[int, str] = {}
    repeated_keys: dict[int, str] = {}
    blank: list[int] = []
    key_faults: dict[str, tuple[str, list[int]]] = {}
    header: list[str] = []
    header_line = 1
    columns: dict[str, list[pa.Array]] = {}
    buffer: list[dict[str, Any]] = []
    lines: list[int] = []
    line_chunks: list[pa.Array] = []
    total = 0

    def flush() -> None:
        nonlocal total
        if not lines:
            return
        for name in list(columns) + [k for row in buffer for k in row if k not in columns]:
            if name not in columns:
                columns[name] = [pa.nulls(total, pa.string())] if total else []
        arrays = []
        for name, chunks in columns.items():
            is_id = spec.loose_column(name) in _ID_COLUMNS
            values = [(_as_text(row[name], is_id) if name in row else None) for row in buffer]
            arrays.append(pa.array(values, pa.string()))
        if sink is not None:
            names = header + [name for name in columns if name not in header]
            sink(names, [arrays[list(columns).index(n)] for n in names], pa.array(lines, pa.int64()))
            for name in columns:
                columns[name] = []
        else:
            for chunks, array in zip(columns.values(), arrays):
                chunks.append(array)
            line_chunks.append(pa.array(lines, pa.int64()))
        total += len(lines)
        buffer.clear()
        lines.clear()

    with open(path, encoding=codec, errors="replace", newline="") as handle:
        for number, text in enumerate(handle, start=1):
            if progress is not None and number % 10_000 == 0:
                progress(0)
            stripped = text.strip()
            if not stripped:
                blank.append(number)
                continue
            try:
                obj = json.loads(stripped, object_pairs_hook=_pairs_without_duplicates)
            except _DuplicateKey as exc:
                # Reported, and kept as the last value for the other rules; never resolved
                # silently: `fix` refuses these lines (details["repeated_keys"]).
                repeated_keys[number] = f"line {number}: the key {exc} appears twice in one object"
                obj = json.loads(stripped)
            except (json.JSONDecodeError, RecursionError) as exc:
                problems[number] = f"line {number}: invalid JSON ({getattr(exc, 'msg', 'too deeply nested')})"
                continue
            if not isinstance(obj, dict):
                problems[number] = f"line {number}: a JSON {type(obj).__name__}, not an object"
                continue
            faults = _value_faults(obj)
            if faults:
                wrong_types[number] = f"line {number}: " + ", ".join(faults)
            keys = list(obj)
            if not header:
                header, header_line = keys, number
            for code, said in classify_keys(keys):
                key_faults.setdefault(code, (said, []))[1].append(number)
            buffer.append(obj)
            lines.append(number)
            if len(lines) >= FLUSH_ROWS:
                flush()
        flush()

    findings: list[Finding] = []
    if problems:
        findings.append(problems_finding("file.format", problems, "jsonl"))
    if wrong_types:
        findings.append(problems_finding("value.type", wrong_types))
    if blank:
        findings.append(Finding("file.blank-row", message("file.blank-row", "jsonl", rows=len(blank)), blank))
    if repeated_keys:
        first = next(iter(repeated_keys.values()))
        # Both H3 faults, a key twice in one object and two spellings of a key, are one finding.
        said, where = key_faults.pop("header.duplicate-column", ("", []))
        repeated = message("header.duplicate-column", "repeated_key", rows=len(repeated_keys), first=first)
        lines_with = sorted(set(where) | set(repeated_keys))
        findings.append(Finding(
            "header.duplicate-column",
            "; ".join(part for part in (said, repeated) if part),
            lines_with,
            details={"problems": [repeated_keys[k] for k in sorted(repeated_keys)][:100],
                     "repeated_keys": sorted(repeated_keys)},
        ))
    for code, (said, where) in key_faults.items():
        findings.append(Finding(code, said, where))

    names = header + [name for name in columns if name not in header]
    arrays = [pa.chunked_array(columns.get(name, []), pa.string()) for name in names]
    line_array = pa.concat_arrays(line_chunks) if line_chunks else pa.array([], pa.int64())
    return header, header_line, build_table(names, arrays, line_array), findings
