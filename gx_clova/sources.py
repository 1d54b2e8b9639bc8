"""Where a dataset's bytes come from: a local path, or an object on Object Storage.

A :class:`Source` is opened as a sequential byte stream; the reader hashes, counts and parses
what it reads, so no source is ever loaded whole into memory by this layer.

Errors raised here are :class:`SourceError` (exit status 3): the tool could not read the data,
which is a different thing from the data failing the spec.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO, Protocol


class SourceError(Exception):
    """The source could not be read: missing, access denied, unreachable. Exit status 3.

    The message is shown to the user as is: it must never contain a secret.
    """


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
        try:
            return os.stat(self.path).st_size
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror or exc}") from None

    def open(self) -> BinaryIO:
        if os.path.isdir(self.path):
            raise SourceError(f"cannot read {self.path}: it is a directory")
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
