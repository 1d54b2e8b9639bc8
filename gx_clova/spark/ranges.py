"""The Spark engine's reader: byte ranges read and parsed by the executors, in parallel.

Two Spark jobs (:mod:`gx_clova.reading.ranges` has the logic and why it is exact): one task per
byte range summarises it (line terminators, quote parity, where records start), the driver
combines the summaries in O(ranges), and one task per chunk of whole records parses it with each
record's physical line and writes it as a Parquet part with the columns the rest of the engine
reads (``__line__``, ``c0``, ``c1`` …). Local files are read by path, ``s3://`` objects by ranged
GetObject requests (pinned to the object's ETag) from the executors themselves.

Beside the two jobs, the driver streams the bytes once more through SHA-256 (the report's identity
of the file; a hash cannot be split), and checks that its line count is the ranges' total.

When the range reader cannot vouch for a file (not UTF-8, compressed, a quote that is not closed
or stands where CSV does not allow one, a ragged record, an irregular JSONL line …) the
single-stream reader (:func:`gx_clova.reading.stream.stage_dataset`) reads it and names every
fault; the report's ``reader`` field says which ran and why: ``parallel ranges (N ranges)`` or
``single stream, exact (a quote is not closed)``.

``GX_CLOVA_SPARK_RANGE_BYTES`` sets the range size (default 64 MiB; tests use a few bytes);
``GX_CLOVA_SPARK_READER=single`` forces the single-stream reader (to compare the two).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gx_clova.reading import ranges
from gx_clova.reading.prepare import scan_in_background, sniff_format
from gx_clova.reading.scan import ByteScan
from gx_clova.reading.stream import Staged, stage_dataset
from gx_clova.sources import LocalSource, Source, SourceError

RANGE_ENV = "GX_CLOVA_SPARK_RANGE_BYTES"
READER_ENV = "GX_CLOVA_SPARK_READER"


@dataclass
class S3Ranges:
    """Ranged GetObject on an ``s3://`` object, from any process: the executors build their own
    client from these settings (the credentials travel with the task, as Spark ships any closure)."""

    bucket: str
    key: str
    endpoint: str
    size: int
    etag: str | None
    credentials: Any = field(repr=False)
    config: dict[str, Any] = field(default_factory=dict)

    def read(self, start: int, end: int) -> bytes:
        end = min(end, self.size)
        if end <= start:
            return b""
        from gx_clova.storage import storage_error

        request: dict[str, str] = {"Bucket": self.bucket, "Key": self.key, "Range": f"bytes={start}-{end - 1}"}
        if self.etag:
            request["IfMatch"] = self.etag
        try:
            answer = _client(self).get_object(**request)
            return answer["Body"].read()
        except Exception as exc:
            raise storage_error(exc, endpoint=self.endpoint, bucket=self.bucket, key=self.key) from None


_CLIENTS: dict[tuple[str, str], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def _client(ranges_: S3Ranges) -> Any:
    """One client per executor process and endpoint (creating one loads the S3 model, ~0.3 s)."""
    from gx_clova.storage import make_client

    key = (ranges_.endpoint, getattr(ranges_.credentials, "access_key", ""))
    with _CLIENTS_LOCK:
        if key not in _CLIENTS:
            _CLIENTS[key] = make_client(ranges_.endpoint, ranges_.credentials, **ranges_.config)
        return _CLIENTS[key]


def byte_ranges(source: Source) -> ranges.ByteRanges:
    if isinstance(source, LocalSource):
        return ranges.LocalRanges(os.path.abspath(source.local_path()))
    from gx_clova.storage import S3Source, resolve_credentials

    if isinstance(source, S3Source):
        info = source.head()
        credentials = source._credentials or resolve_credentials(source._profile)  # same package
        return S3Ranges(source.bucket, source.key, source.endpoint, info.size, source.etag, credentials,
                        dict(source._config))
    raise ranges.CannotVouch(f"no byte ranges for {type(source).__name__}")


def spark_mapper(spark: Any) -> ranges.Mapper:
    """``mapper(function, items)``: one Spark task per item, results back in order."""

    def run(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        if not items:
            return []
        return spark.sparkContext.parallelize(items, len(items)).map(function).collect()

    return run


def range_bytes() -> int:
    value = os.environ.get(RANGE_ENV, "")
    try:
        return max(1, int(value)) if value else ranges.RANGE_BYTES
    except ValueError:
        return ranges.RANGE_BYTES


def stage(source: Source, directory: str, spark: Any, progress: Callable[[int], None] | None = None,
          size_of_range: int | None = None, mapper: ranges.Mapper | None = None) -> Staged:
    """Read ``source`` into Parquet parts under ``directory`` with Spark tasks, or with the single
    stream when the ranges cannot vouch. Raises SourceError when the bytes cannot be had at all."""
    if os.environ.get(READER_ENV, "").strip().lower() == "single":
        return _single(source, directory, progress, "GX_CLOVA_SPARK_READER=single")
    try:
        reader = byte_ranges(source)
        size = source.size()
        fmt = sniff_format(source.name, reader.read(0, 65536))
    except ranges.CannotVouch as exc:
        return _single(source, directory, progress, str(exc))
    hashed = scan_in_background(source, progress, name="gx-clova-sha256")
    try:
        got = ranges.stage_ranges(reader, size, source.name, source.uri, directory, fmt,
                                  range_bytes=size_of_range or range_bytes(), mapper=mapper or spark_mapper(spark))
    except ranges.CannotVouch as exc:
        reason = str(exc)
    except SourceError as exc:  # the driver's own reads (the head, the header)
        reason = f"a byte range could not be read: {exc}"
    except Exception as exc:  # a Spark job that failed (a worker lost, out of memory …)
        reason = f"the range tasks failed ({type(exc).__name__})"
    else:
        reason = ""
    scanned: ByteScan = hashed()
    if not reason and (scanned.bytes != size or scanned.lines != got.facts.lines):
        reason = "the file changed while it was read"
    if reason:
        return _single(source, directory, progress, reason)
    got.facts.sha256, got.facts.bytes = scanned.sha256, scanned.bytes
    got.facts.reader = f"parallel ranges ({got.ranges} ranges, {got.chunks} chunks)"
    return Staged(facts=got.facts, directory=directory, names=got.names, rows=got.rows, findings=got.findings,
                  parts=got.parts)


def _single(source: Source, directory: str, progress: Callable[[int], None] | None, reason: str) -> Staged:
    for name in os.listdir(directory):  # whatever the range tasks wrote before one gave up
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(directory, name))
    staged = stage_dataset(source, directory, progress=progress)
    staged.facts.reader = f"single stream, {staged.facts.reader} ({reason})"
    return staged
