"""Read a dataset file into a :class:`Dataset`: records with their lines, facts, structural findings.

>>> from gx_clova.sources import LocalSource
>>> ds = read_dataset(LocalSource("examples/generation.csv"))
>>> ds.facts.encoding, ds.rows, ds.table.column("__line__")[0].as_py()
('utf-8', 1006, 2)
"""

from __future__ import annotations

from collections.abc import Callable

from gx_clova.findings import Finding
from gx_clova.memory import check_headroom
from gx_clova.reading import csv_reader, jsonl_reader
from gx_clova.reading.dataset import LINE, Dataset, FileFacts, empty_table
from gx_clova.reading.encoding import UTF8, Detected, from_bom
from gx_clova.reading.prepare import Progress, compressed_finding, local_file, settle_encoding, sniff_format
from gx_clova.reading.scan import ByteScan
from gx_clova.sources import Source

__all__ = ["LINE", "Dataset", "FileFacts", "read_dataset"]



def read_dataset(source: Source, progress: Progress | None = None, exact: bool = False) -> Dataset:
    """Read ``source``. Raises :class:`SourceError` only when the bytes cannot be had at all.

    ``exact=True`` skips the fast path (tests use it to prove both paths agree).
    """
    size = source.size()
    check_headroom(size)
    facts = FileFacts(uri=source.uri, name=source.name, bytes=size)
    with local_file(source, progress) as (path, finished):
        with open(path, "rb") as handle:
            head = handle.read(65536)
        facts.format = sniff_format(source.name, head)
        packed = compressed_finding(head)
        if packed is not None:
            scanned = finished()
            facts.sha256, facts.lines, facts.bytes = scanned.sha256, 0, scanned.bytes
            facts.encoding, facts.reader = packed.details["detected"], "none"
            return Dataset(facts=facts, table=empty_table([]), findings=[packed])
        findings: list[Finding] = []
        bom = from_bom(head)
        detected: Detected | None = None
        table = None
        if not exact and (bom is None or bom.is_utf8):
            detected = bom or UTF8
            try:
                table, fast_findings = _read_fast(path, facts, finished)
                findings += fast_findings
                facts.reader = "fast"
            except (csv_reader.Fallback, UnicodeDecodeError):
                table = None
        scanned = finished()
        facts.sha256, facts.lines = scanned.sha256, scanned.lines
        facts.bytes = scanned.bytes
        if table is None:
            detected, encoding_findings = settle_encoding(path, head, bom)
            findings += encoding_findings
            header, header_line, table, exact_findings = _read_exact(path, facts.format, detected.codec, progress)
            facts.header, facts.header_line = header, header_line if header else 1
            findings += exact_findings
            facts.reader = "exact"
        facts.encoding = detected.label if detected else "unknown"
    if table is None:  # pragma: no cover - both readers return a table
        table = empty_table(facts.header)
    return Dataset(facts=facts, table=table, findings=findings)


def _read_fast(path: str, facts: FileFacts, finished: Callable[[], ByteScan]):
    if facts.format == "jsonl":
        header, table, findings = jsonl_reader.read_fast(path, finished)
        facts.header, facts.header_line = header, 1
        return table, findings
    header, header_lines = csv_reader.read_header(path, "utf-8-sig")
    if header_lines != 1:
        raise csv_reader.Fallback("the header spans more than one line")
    facts.header, facts.header_line = header, 1
    return csv_reader.read_fast(path, header, finished)


def _read_exact(path: str, fmt: str, codec: str, progress: Progress | None):
    reader = jsonl_reader.read_exact if fmt == "jsonl" else csv_reader.read_exact
    try:
        return reader(path, codec, progress)
    except (UnicodeError, LookupError):
        # The guessed codec cannot even start (a UTF-16 stream without its mark, say): read the
        # bytes as UTF-8 with replacement; file.encoding has already been reported.
        return reader(path, "utf-8", progress)
