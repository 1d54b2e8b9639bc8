"""Will an in-memory validation fit? Decided before pyarrow starts, from the file's size.

The pandas engine holds the file as an Arrow table: peak address space about
:data:`BASE_BYTES` (interpreter, pyarrow, numpy, pandas, thread pools) plus
:data:`ADDRESS_FACTOR` times the file, peak resident memory about :data:`RESIDENT_FACTOR` times
the file (bench/README.md). When the address-space limit (``ulimit -v``, ``prlimit --as``) or
the memory the system has available cannot hold that, :func:`check` raises
:class:`NotEnoughMemory` (exit 3, the message names memory and the way out) instead of letting
pyarrow abort the process halfway (exit 134, a signal). Only the standard library is imported
here, so the CLI can decide before anything large is loaded.
"""

from __future__ import annotations

import os
import resource

from gx_clova.progress import printable
from gx_clova.sources import SourceError

#: Address space the process needs before the table: measured 0.37 GB of VmSize after the
#: imports, plus pyarrow's thread pools and allocator arenas.
BASE_BYTES = 900 << 20
ADDRESS_FACTOR = 2.0
#: Resident memory: the interpreter and libraries, then the table and the rules' columns.
BASE_RESIDENT = 300 << 20
RESIDENT_FACTOR = 1.8
GB = 1 << 30


class NotEnoughMemory(SourceError):
    """The file cannot be validated in this process's memory (exit 3)."""


def address_limit() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def available_memory() -> int | None:
    """``MemAvailable`` from /proc/meminfo, in bytes (None where there is no such file)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check(path: str, limit: int | None = None, available: int | None = None) -> None:
    """Raise :class:`NotEnoughMemory` if validating the local file ``path`` in memory cannot fit.

    Remote sources and paths that are not files are left to the reader. ``limit`` and
    ``available`` default to this process's address-space limit and the system's available memory.
    """
    if path.startswith("s3://") or not os.path.isfile(path):
        return
    size = os.path.getsize(path)
    limit = address_limit() if limit is None else limit
    available = available_memory() if available is None else available
    needs = [(BASE_BYTES + ADDRESS_FACTOR * size, limit, "the address-space limit (ulimit -v) allows"),
             (BASE_RESIDENT + RESIDENT_FACTOR * size, available, "the system has available")]
    for need, have, what in needs:
        if have is not None and need > have:
            raise NotEnoughMemory(
                f"not enough memory to validate {printable(os.path.basename(path))} in memory: it needs about "
                f"{need / GB:,.1f} GB and {what} {have / GB:,.1f} GB; use --engine spark, which reads the "
                "file in bounded memory, or run where more memory is available"
            )
