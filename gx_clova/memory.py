"""Memory: decided before pyarrow starts, and running out is a message (exit 3), never a signal.

The pandas engine holds the file as an Arrow table: peak address space about
:data:`BASE_BYTES` (interpreter, pyarrow, numpy, pandas, thread pools) plus
:data:`ADDRESS_FACTOR` times the file, peak resident memory about :data:`RESIDENT_FACTOR` times
the file (bench/README.md). When the address-space limit (``ulimit -v``, ``prlimit --as``) or
the memory the system has available cannot hold that, :func:`check` raises
:class:`NotEnoughMemory` (exit 3, the message names memory and the way out) instead of letting
pyarrow abort the process halfway (exit 134, a signal).

Importing this module before pyarrow and numpy (the CLI does) also chooses Arrow's allocator:
jemalloc, whose peak resident memory at 1M rows is 1.66x the file against mimalloc's 2.12x; but
under an address-space limit the system allocator, because mimalloc aborts the process when an
allocation fails there (exit 134, no message) and jemalloc reserves more address space, while
the system allocator's failures come back as ``ArrowMemoryError``. :func:`is_out_of_memory`
recognises that, Python's ``MemoryError`` and a shared library that could not be mapped, and the
CLI reports all of them with :data:`OUT_OF_MEMORY`. Only the standard library is imported here
(and two small gx-clova modules), so the CLI can decide before anything large is loaded.
"""

from __future__ import annotations

import os
import resource

from gx_clova.errors import SourceError
from gx_clova.progress import printable

#: Address space the process needs before the table: measured 0.37 GB of VmSize after the
#: imports, plus pyarrow's thread pools and allocator arenas.
BASE_BYTES = 900 << 20
ADDRESS_FACTOR = 2.0
#: Resident memory: the interpreter and libraries, then the table and the rules' columns.
BASE_RESIDENT = 300 << 20
RESIDENT_FACTOR = 1.8
GB = 1 << 30

OUT_OF_MEMORY = ("gx-clova: out of memory: the dataset does not fit in the memory this process may use; "
                 "free memory, raise the limit, or validate it with --stream, which reads any size in bounded memory")

_MARKS = ("out of memory", "failed to map segment", "cannot allocate memory", "std::bad_alloc",
          "can't start new thread")


class NotEnoughMemory(SourceError):
    """The file cannot be validated in this process's memory (exit 3)."""


def address_limit() -> int | None:
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc" if address_limit() is None else "system")
# OpenBLAS (loaded by scipy when Great Expectations is imported) reserves a buffer per thread at
# load time; under an address-space cap a failed reservation left the import hanging for ever
# (observed at 900 MiB). gx-clova does no linear algebra worth threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _one_malloc_arena() -> None:
    """Under an address-space limit, one glibc malloc arena: each thread's own arena reserves
    64 MiB of address space (streaming's reader, checker and scanner threads took 1.07 GB of
    VmPeak with them, 0.63 GB without)."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").mallopt(-8, 1)  # M_ARENA_MAX


if address_limit() is not None:
    _one_malloc_arena()


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
                f"{need / GB:,.1f} GB and {what} {have / GB:,.1f} GB; use --stream, which reads the "
                "file in bounded memory, or run where more memory is available"
            )


#: What :func:`mode_for` answers.
IN_MEMORY, STREAM = "memory", "stream"
#: Address space and resident memory streaming needs whatever the file size: the interpreter and
#: libraries, a few 4 MiB chunks, one digest partition (measured: 0.63 GB of VmPeak on 1M rows
#: under a limit; bench/README.md, "Streaming").
STREAM_BYTES = 800 << 20
STREAM_RESIDENT = 700 << 20


def mode_for(path: str, stream: bool | None = None, streaming_possible: bool = True,
             limit: int | None = None, available: int | None = None) -> str:
    """:data:`IN_MEMORY` or :data:`STREAM` for validating the local file ``path``.

    ``stream`` True forces streaming, False forbids it, None (default) streams exactly when the
    file would not fit in memory (:func:`check`). Raises :class:`NotEnoughMemory` when the
    chosen way cannot run either: streaming itself needs about :data:`STREAM_BYTES` of address
    space and :data:`STREAM_RESIDENT` of available memory.
    """
    if stream is False or (stream is None and not streaming_possible):
        check(path, limit=limit, available=available)
        return IN_MEMORY
    if stream is None:
        try:
            check(path, limit=limit, available=available)
            return IN_MEMORY
        except NotEnoughMemory:
            pass
    limit = address_limit() if limit is None else limit
    available = available_memory() if available is None else available
    for need, have, what in ((STREAM_BYTES, limit, "the address-space limit (ulimit -v) allows"),
                             (STREAM_RESIDENT, available, "the system has available")):
        if have is not None and need > have:
            raise NotEnoughMemory(
                f"not enough memory to validate {printable(os.path.basename(path))} even in streaming mode: "
                f"streaming needs about {need / GB:,.1f} GB whatever the file size and {what} "
                f"{have / GB:,.1f} GB; raise the limit or run where more memory is available"
            )
    return STREAM


def check_headroom(size: int) -> None:
    """MemoryError when ``size`` bytes cannot be read under ``RLIMIT_AS`` (no limit: no check);
    for readers used without :func:`check` first (fix, the staging reader)."""
    limit = address_limit()
    if limit is not None and BASE_BYTES + ADDRESS_FACTOR * size > limit:
        raise MemoryError(f"{size:,} bytes need about {int(BASE_BYTES + ADDRESS_FACTOR * size) >> 20:,} MiB; "
                          f"the limit is {limit >> 20:,} MiB")


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, (ImportError, OSError, RuntimeError)) and any(mark in text for mark in _MARKS) or (
        type(exc).__module__.startswith("pyarrow") and any(mark in text for mark in _MARKS))
