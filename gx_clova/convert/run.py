"""Convert a chat-format JSONL file into a CLOVA Studio dataset, and account for every record.

Two passes over the source: the first finds the format (``auto``) and whether any conversation
has a system prompt (then the output has a ``System_Prompt`` column); the second writes. The
output and the rejects file are written to temporary names and renamed into place, so a
failure leaves no half file and the source is never written to.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gx_clova import spec
from gx_clova.convert.formats import (
    FORMATS,
    Conversation,
    Rejected,
    detect,
    to_conversation,
)
from gx_clova.errors import DatasetError, SourceError, UsageError
from gx_clova.fix.write import atomic

AUTO = "auto"
#: How many lines of each format an error about mixed formats names.
SHOWN_LINES = 5


class ConvertUsageError(UsageError):
    """Bad arguments: the output would overwrite the source, an unknown extension … (exit 2)."""


class ConvertSourceError(SourceError):
    """The source cannot be read (exit 3)."""


class MixedFormats(DatasetError):
    """``--from auto`` found records of more than one format, or none it knows (exit 1)."""


@dataclass
class Summary:
    source: str
    output: str
    format: str
    records: int = 0
    converted: int = 0
    conversations: int = 0
    rows: int = 0
    blank_lines: int = 0
    rejected: dict[str, list[int]] = field(default_factory=dict)
    rejects_file: str | None = None
    columns: list[str] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return sum(len(lines) for lines in self.rejected.values())

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "output": self.output, "format": self.format, "records": self.records,
                "converted": self.converted, "conversations": self.conversations, "rows": self.rows,
                "blank_lines": self.blank_lines, "rejected": self.rejected_count,
                "rejects": {code: {"count": len(lines), "lines": lines} for code, lines in self.rejected.items()},
                "rejects_file": self.rejects_file, "columns": self.columns}


def _numbered(handle: Any, path: str) -> Iterator[tuple[int, bytes]]:
    """The source's lines, numbered from 1; a read that fails midway is the source's fault (exit 3)."""
    try:
        yield from enumerate(handle, 1)
    except OSError as exc:
        raise ConvertSourceError(f"cannot read {path}: {exc.strerror or exc}") from None


def _records(path: str) -> Iterator[tuple[int, str, Any]]:
    """(line, raw text, parsed object or a Rejected) for each non-blank line."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the with below closes it; only opening is guarded
    except OSError as exc:
        raise ConvertSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, raw in _numbered(handle, path):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                text = raw.decode("utf-8", "backslashreplace")
                yield number, text, Rejected(number, "convert.bad-json", f"not UTF-8 (byte {exc.start + 1})")
                continue
            if not text.strip():
                yield number, text, None
                continue
            if number == 1 and text.lstrip().startswith("["):
                raise ConvertUsageError(f"{path} holds one JSON array, not JSON Lines: write one record per "
                                        "line first (for example: jq -c '.[]' data.json > data.jsonl)")
            try:
                yield number, text, json.loads(text)
            except ValueError as exc:
                yield number, text, Rejected(number, "convert.bad-json", f"not JSON ({exc.msg})")


def detect_format(path: str) -> str:
    """The one format of every recognisable record; MixedFormats naming lines otherwise."""
    seen: dict[str, list[int]] = {}
    for line, _, record in _records(path):
        fmt = detect(record) if record is not None and not isinstance(record, Rejected) else None
        if fmt:
            seen.setdefault(fmt, []).append(line)
    if not seen:
        raise MixedFormats(f"no record in {path} is in a known format ({', '.join(FORMATS)}): "
                           "an OpenAI record has \"messages\", ShareGPT \"conversations\", Alpaca "
                           "\"instruction\" and \"output\"")
    if len(seen) > 1:
        parts = [f"{fmt} on {len(lines):,} line(s) ({_lines(lines)})" for fmt, lines in seen.items()]
        raise MixedFormats(f"{path} mixes formats: {'; '.join(parts)}; convert each format separately "
                           "or choose one with --from (other records are then rejected)")
    return next(iter(seen))


def _lines(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:SHOWN_LINES]))
    return ("line " if len(lines) == 1 else "lines ") + shown + (", …" if len(lines) > SHOWN_LINES else "")


def default_rejects_path(output: str) -> str:
    stem = output.rsplit(".", 1)[0] if "." in os.path.basename(output) else output
    return stem + ".rejects.jsonl"


def _same_file(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_paths(source: str, output: str, rejects: str) -> str:
    """The output's format (``csv``/``jsonl``); ConvertUsageError if a write could touch the source."""
    ext = os.path.splitext(output)[1].lower()
    if ext not in spec.EXTENSIONS:
        raise ConvertUsageError(f"--output must end in {' or '.join(spec.EXTENSIONS)} (got {output!r})")
    if not os.path.isfile(source):
        raise ConvertSourceError(f"cannot read {source}: no such file")
    for name, path in (("--output", output), ("--rejects", rejects)):
        if _same_file(source, path):
            raise ConvertUsageError(f"{name} {path} is the source file: gx-clova never writes over its input")
    if _same_file(output, rejects):
        raise ConvertUsageError("--rejects must differ from --output")
    return ext.lstrip(".")


def convert(source: str, output: str, *, fmt: str = AUTO, rejects: str | None = None) -> Summary:
    """Write ``output`` (and ``rejects`` if any record cannot be represented); the summary of both."""
    rejects = rejects or default_rejects_path(output)
    kind = check_paths(source, output, rejects)
    if fmt != AUTO and fmt not in FORMATS:
        raise ConvertUsageError(f"--from must be one of {AUTO}, {', '.join(FORMATS)} (got {fmt!r})")
    fmt = detect_format(source) if fmt == AUTO else fmt
    with_system = any(isinstance(c, Conversation) and c.system for c, _ in _converted(source, fmt))
    columns = ([spec.SYSTEM_PROMPT] if with_system else []) + list(spec.REQUIRED_COLUMNS)
    summary = Summary(source, output, fmt, columns=columns)
    rejected: list[tuple[Rejected, str]] = []
    with atomic(output) as handle:
        out = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(out, lineterminator="\n") if kind == "csv" else None
        if writer:
            writer.writerow(columns)
        for item, raw in _converted(source, fmt):
            if item is None:
                summary.blank_lines += 1
                continue
            summary.records += 1
            if isinstance(item, Rejected):
                rejected.append((item, raw))
                summary.rejected.setdefault(item.code, []).append(item.line)
                continue
            for t_id, (text, completion) in enumerate(item.turns):
                row = [item.system] if with_system else []
                row += [summary.conversations, t_id, text, completion]
                if writer:
                    writer.writerow(row)
                else:
                    out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
                summary.rows += 1
            summary.converted += 1
            summary.conversations += 1
        out.flush()
        out.detach()
    if rejected:
        _write_rejects(rejects, rejected)
        summary.rejects_file = rejects
    return summary


def _converted(source: str, fmt: str) -> Iterator[tuple[Conversation | Rejected | None, str]]:
    for line, raw, record in _records(source):
        if record is None or isinstance(record, Rejected):
            yield record, raw
        else:
            yield to_conversation(record, fmt, line), raw


def _write_rejects(path: str, rejected: list[tuple[Rejected, str]]) -> None:
    with atomic(path) as handle:
        for item, raw in rejected:
            entry = {"line": item.line, "code": item.code, "message": item.message, "record": raw.rstrip("\r\n")}
            handle.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))


def describe(summary: Summary) -> str:
    """The summary for people: every source record is either converted or rejected with its lines."""
    lines = [f"converted {summary.source} ({summary.format}) -> {summary.output}",
             f"  {summary.records:,} record(s): {summary.converted:,} converted into {summary.conversations:,} "
             f"conversation(s) / {summary.rows:,} row(s), {summary.rejected_count:,} rejected"
             + (f"; {summary.blank_lines:,} blank line(s) skipped" if summary.blank_lines else "")]
    for code, where in sorted(summary.rejected.items()):
        lines.append(f"  {code}: {len(where):,} record(s) ({_lines(where)})")
    if summary.rejects_file:
        lines.append(f"  rejected records, with their lines and reasons: {summary.rejects_file}")
    return "\n".join(lines) + "\n"
