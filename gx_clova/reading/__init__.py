"""Read a dataset file into a :class:`Dataset`: records with their lines, facts, structural findings.

>>> from gx_clova.sources import LocalSource
>>> ds = read_dataset(LocalSource("examples/generation.csv"))
>>> ds.facts.encoding, ds.rows, ds.table.column("__line__")[0].as_py()
('utf-8', 1006, 2)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from typing import Callable, Iterator

from gx_clova import spec
from gx_clova.errors import SourceError
from gx_clova.findings import Finding
from gx_clova.memory import check_headroom
from gx_clova.reading import csv_reader, jsonl_reader
from gx_clova.reading.dataset import LINE, Dataset, FileFacts, empty_table
from gx_clova.reading.encoding import UTF8, Detected, compressed, from_bom, guess, guess_lines
from gx_clova.reading.scan import ByteScan, scan
from gx_clova.sources import LocalSource, Source

__all__ = ["LINE", "Dataset", "FileFacts", "read_dataset"]

Progress = Callable[[int], None]


def _sniff_format(name: str, head: bytes) -> str:
    lower = name.lower()
    for ext in spec.EXTENSIONS:
        if lower.endswith(ext):
            return ext.lstrip(".")
    if lower.endswith(".json"):
        return "jsonl"
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


@contextlib.contextmanager
def _local_file(source: Source, progress: Progress | None) -> Iterator[tuple[str, Callable[[], ByteScan]]]:
    """A local path for ``source`` and a function returning its byte scan.

    Local files are scanned in a thread while the parser reads them (both mostly release the
    GIL). Remote objects are streamed once to a temporary file, scanned on the way.
    """
    if isinstance(source, LocalSource):
        path = source.local_path()
        result: dict[str, object] = {}

        def run() -> None:
            try:
                with source.open() as stream:
                    result["scan"] = scan(stream, progress)
            except BaseException as exc:  # re-raised in the caller's thread
                result["error"] = exc

        with source.open():
            pass  # fail early (missing, unreadable) before starting a thread
        worker = threading.Thread(target=run, name="gx-clova-scan", daemon=True)
        worker.start()

        def finished() -> ByteScan:
            worker.join()
            if "error" in result:
                raise result["error"]  # type: ignore[misc]
            return result["scan"]  # type: ignore[return-value]

        try:
            yield path, finished
        finally:
            worker.join()
        return

    spool = tempfile.NamedTemporaryFile(prefix="gx-clova-", suffix="-" + os.path.basename(source.name), delete=False)
    try:
        with spool, source.open() as stream:
            scanned = scan(_Tee(stream, spool), progress)
        yield spool.name, lambda: scanned
    finally:
        with contextlib.suppress(OSError):
            os.unlink(spool.name)


class _Tee:
    def __init__(self, stream, sink) -> None:
        self._stream, self._sink = stream, sink

    def read(self, size: int = -1) -> bytes:
        try:
            chunk = self._stream.read(size)
        except SourceError:
            raise
        except Exception as exc:  # a dropped connection mid-read is "could not read"
            raise SourceError(f"reading stopped: {type(exc).__name__}") from None
        self._sink.write(chunk)
        return chunk


def read_dataset(source: Source, progress: Progress | None = None, exact: bool = False) -> Dataset:
    """Read ``source``. Raises :class:`SourceError` only when the bytes cannot be had at all.

    ``exact=True`` skips the fast path (tests use it to prove both paths agree).
    """
    size = source.size()
    check_headroom(size)
    facts = FileFacts(uri=source.uri, name=source.name, bytes=size)
    with _local_file(source, progress) as (path, finished):
        with open(path, "rb") as handle:
            head = handle.read(65536)
        facts.format = _sniff_format(source.name, head)
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
            detected, encoding_findings = _settle_encoding(path, head, bom)
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


def compressed_finding(head: bytes) -> Finding | None:
    """``file.encoding`` for a compressed file (gzip, zip, zstd …): named, never decoded."""
    kind = compressed(head)
    if kind is None:
        return None
    return Finding("file.encoding", f"the file is {kind}-compressed, not UTF-8 text: decompress it first "
                   "(CLOVA Studio reads plain .csv / .jsonl)", [], details={"detected": f"{kind}-compressed"})


def _settle_encoding(path: str, head: bytes, bom: Detected | None) -> tuple[Detected, list[Finding]]:
    """The encoding ladder after the fast path gave up: name what the bytes really are."""
    if bom is not None and not bom.is_utf8:
        return bom, [
            Finding(
                "file.encoding",
                f"the file is {bom.label}, not UTF-8: save it as UTF-8",
                [],
                details={"detected": bom.label},
            )
        ]
    sample: list[bytes] = []
    bad_lines = csv_reader.decode_check_lines(path, sample=sample)
    if not bad_lines:
        return (bom or UTF8), []
    with open(path, "rb") as handle:
        whole = guess(handle.read(4 << 20))
    # UTF-16/32 without a mark is seen in the whole head (its NULs are valid UTF-8 bytes);
    # otherwise the lines that are not UTF-8 say what they are (cp949 pasted into UTF-8).
    found = whole if whole is not None and whole.codec.startswith(("utf-16", "utf-32")) else guess_lines(sample)
    label = found.label if found else "unknown"
    message = (
        f"the file is not UTF-8 (it looks like {label}); {len(bad_lines):,} line(s) have bytes that "
        "are not UTF-8: save it as UTF-8"
    )
    finding = Finding("file.encoding", message, bad_lines, details={"detected": label})
    return (found or Detected("utf-8", "unknown")), [finding]
