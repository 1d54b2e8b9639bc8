"""What both readers (whole-file and streaming) do before parsing: a local path for the source and
its byte scan, the format from the name or the first bytes, a compressed file named, and the
encoding ladder when the fast UTF-8 path gave up."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator

from gx_clova import spec
from gx_clova.errors import SourceError
from gx_clova.findings import Finding
from gx_clova.reading import csv_reader
from gx_clova.reading.encoding import UTF8, Detected, compressed, guess, guess_lines
from gx_clova.reading.scan import ByteScan, scan
from gx_clova.registry import message
from gx_clova.sources import LocalSource, Source

Progress = Callable[[int], None]


def sniff_format(name: str, head: bytes) -> str:
    lower = name.lower()
    for ext in spec.EXTENSIONS:
        if lower.endswith(ext):
            return ext.lstrip(".")
    if lower.endswith(".json"):
        return "jsonl"
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


def scan_in_background(source: Source, progress: Progress | None,
                       name: str = "gx-clova-scan") -> Callable[[], ByteScan]:
    """Scan ``source`` (SHA-256, size, line terminators) in a thread; the returned function waits
    for it and gives the scan, or raises in the caller's thread what the scan raised."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            with source.open() as stream:
                result["scan"] = scan(stream, progress)
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()

    def finished() -> ByteScan:
        worker.join()
        if "error" in result:
            raise result["error"]  # type: ignore[misc]
        return result["scan"]  # type: ignore[return-value]

    return finished


@contextlib.contextmanager
def local_file(source: Source, progress: Progress | None) -> Iterator[tuple[str, Callable[[], ByteScan]]]:
    """A local path for ``source`` and a function returning its byte scan.

    Local files are scanned in a thread while the parser reads them (both mostly release the
    GIL). Remote objects are streamed once to a temporary file, scanned on the way.
    """
    if isinstance(source, LocalSource):
        path = source.local_path()
        with source.open():
            pass  # fail early (missing, unreadable) before starting a thread
        finished = scan_in_background(source, progress)
        try:
            yield path, finished
        finally:
            with contextlib.suppress(Exception):  # the caller has the scan's error, or its own
                finished()
        return

    # Closed by the ``with`` below, unlinked in ``finally``: delete=False keeps it for the parser.
    spool = tempfile.NamedTemporaryFile(  # noqa: SIM115
        prefix="gx-clova-", suffix="-" + os.path.basename(source.name), delete=False)
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


def compressed_finding(head: bytes) -> Finding | None:
    """``file.encoding`` for a compressed file (gzip, zip, zstd …): named, never decoded."""
    kind = compressed(head)
    if kind is None:
        return None
    return Finding("file.encoding", message("file.encoding", "compressed", kind=kind), [],
                   details={"detected": f"{kind}-compressed"})


def settle_encoding(path: str, head: bytes, bom: Detected | None) -> tuple[Detected, list[Finding]]:
    """The encoding ladder after the fast path gave up: name what the bytes really are."""
    if bom is not None and not bom.is_utf8:
        return bom, [
            Finding(
                "file.encoding",
                message("file.encoding", "bom", detected=bom.label),
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
    finding = Finding("file.encoding", message("file.encoding", detected=label, lines=len(bad_lines)), bad_lines,
                      details={"detected": label})
    return (found or Detected("utf-8", "unknown")), [finding]
