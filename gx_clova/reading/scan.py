"""One sequential pass over the raw bytes: SHA-256 and the physical line count.

The SHA-256 is the dataset's identity (the submitter refuses a file whose bytes changed since it
passed). The line count cross-checks the fast reader's line numbers: if they disagree, the exact
reader runs instead, so a line number in a report is never a guess.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO, Callable

CHUNK = 8 << 20


@dataclass
class ByteScan:
    sha256: str
    bytes: int
    #: Line terminators: ``\n``, ``\r\n`` and lone ``\r`` each count once.
    terminators: int
    #: Does the last byte end a line?
    ends_with_terminator: bool
    head: bytes
    #: Was there any ``\r`` (CRLF or old-Mac line ends, or a CR inside a cell)?
    has_cr: bool = False

    @property
    def lines(self) -> int:
        """Physical lines, as an editor numbers them."""
        if self.bytes == 0:
            return 0
        return self.terminators + (0 if self.ends_with_terminator else 1)


def scan(stream: BinaryIO, progress: Callable[[int], None] | None = None, chunk_size: int = CHUNK) -> ByteScan:
    digest = hashlib.sha256()
    total = lf = cr = crlf = 0
    previous_cr = False
    last = b""
    head = b""
    while True:
        chunk = stream.read(chunk_size)
        if not chunk:
            break
        if not head:
            head = chunk[:65536]
        digest.update(chunk)
        lf += chunk.count(b"\n")
        in_chunk = chunk.count(b"\r")
        if in_chunk:
            cr += in_chunk
            crlf += chunk.count(b"\r\n")
        if previous_cr and chunk[:1] == b"\n":
            crlf += 1
        previous_cr = chunk[-1:] == b"\r"
        last = chunk[-1:]
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return ByteScan(
        sha256=digest.hexdigest(),
        bytes=total,
        terminators=lf + cr - crlf,
        ends_with_terminator=last in (b"\n", b"\r"),
        head=head,
        has_cr=cr > 0,
    )
