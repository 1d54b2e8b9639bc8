"""Where a dataset's bytes come from: a local path, or an object on Object Storage.

A :class:`Source` is opened as a sequential byte stream; the reader hashes, counts and parses
what it reads, so no source is ever loaded whole into memory by this layer.

Errors raised here are :class:`SourceError` (exit status 3): the tool could not read the data,
which is a different thing from the data failing the spec.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from gx_clova.errors import SourceError

_KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket"}


class Source(Protocol):
    """What the reader needs from a dataset location."""

    #: How the user named it (a path or ``s3://bucket/key``); used in reports.
    uri: str
    #: The file name part, whose extension decides CSV or JSONL (F1).
    name: str

    def size(self) -> int:
        """Size in bytes. Raises SourceError."""

    def open(self) -> BinaryIO:
        """A fresh binary stream positioned at the first byte. Raises SourceError."""


@dataclass
class LocalSource:
    path: str

    @property
    def uri(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def size(self) -> int:
        return self._regular().st_size

    def _regular(self) -> os.stat_result:
        """The file's status; SourceError unless it is a regular file (a FIFO would hang the
        reader, which opens the file more than once; a device never ends)."""
        try:
            info = os.stat(self.path)
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"cannot read {self.path}: it is a directory")
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "a special file")
            raise SourceError(f"cannot read {self.path}: not a regular file ({kind})")
        return info

    def open(self) -> BinaryIO:
        self._regular()
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror or exc}") from None

    def local_path(self) -> str:
        return self.path


def open_source(uri: str, **storage_options: object) -> Source:
    """The :class:`Source` for ``uri``: ``s3://bucket/key`` or a local path."""
    if uri.startswith("s3://"):
        from gx_clova.storage import S3Source  # boto3 only when needed

        return S3Source.from_uri(uri, **storage_options)  # type: ignore[arg-type]
    return LocalSource(uri)
