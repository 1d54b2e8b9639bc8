"""Running out of memory is a message (exit 3), never a signal.

Arrow's default allocator (mimalloc) can abort the process when an allocation fails under a
memory cap (``ulimit -v``, a container limit): exit 134 with no message. Importing this module
before pyarrow and numpy (the CLI does) makes Arrow use the system allocator, whose failures come back as
``ArrowMemoryError``; :func:`is_out_of_memory` recognises that, Python's ``MemoryError`` and a
shared library that could not be mapped, and the CLI reports all of them with
:data:`OUT_OF_MEMORY`. :func:`check_headroom` refuses up front a file that cannot fit under the
process's address-space limit.

This module imports nothing from gx_clova or any third-party package.
"""

from __future__ import annotations

import os
import resource

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
# OpenBLAS (loaded by scipy when Great Expectations is imported) reserves a buffer per thread at
# load time; under an address-space cap a failed reservation left the import hanging for ever
# (observed at 900 MiB). gx-clova does no linear algebra worth threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

OUT_OF_MEMORY = ("gx-clova: out of memory: the dataset does not fit in the memory this process may use; "
                 "free memory, raise the limit, or read it in parts with --stream or --engine spark")

#: What the interpreter, pyarrow and Great Expectations take before any data (measured: ~450 MiB
#: of address space; rounded up).
BASE_BYTES = 600 << 20
#: Address space per byte of the file while it is read and checked (table, hashing, pandas view).
BYTES_PER_BYTE = 4

_MARKS = ("out of memory", "failed to map segment", "cannot allocate memory", "std::bad_alloc")


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, (ImportError, OSError, RuntimeError)) and any(mark in text for mark in _MARKS) or (
        type(exc).__module__.startswith("pyarrow") and any(mark in text for mark in _MARKS))


def check_headroom(size: int) -> None:
    """MemoryError when ``size`` bytes cannot be read under ``RLIMIT_AS`` (no limit: no check)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    if BASE_BYTES + BYTES_PER_BYTE * size > soft:
        raise MemoryError(f"{size:,} bytes need about {(BASE_BYTES + BYTES_PER_BYTE * size) >> 20:,} MiB; "
                          f"the limit is {soft >> 20:,} MiB")
