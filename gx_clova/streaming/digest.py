"""128-bit digests of cells and of conversation prefixes, vectorised where the arithmetic allows.

A cell's digest is the first 16 bytes of its SHA-256 (a null cell digests as ``""``, as the
in-memory rules fill nulls), kept as two unsigned 64-bit lanes. Digests of several columns
combine lane by lane as ``x * K1 + y * K2 + …`` (mod 2**64, odd constants): equal rows give equal
digests, and two different rows collide only by a chance of about 2**-64 per lane.

A conversation prefix (a row and every turn before it) is the polynomial
``p_r = sum(h_j * K**(r - j))`` over the row digests of its run, computed for a whole batch with
one cumulative sum (``K`` is odd, so it has an inverse mod 2**64) and carried across batch edges.

>>> import pyarrow as pa
>>> d = cell_digests(pa.array(["a", None, "", "a"]))
>>> bool((d[0] == d[3]).all()), bool((d[1] == d[2]).all()), bool((d[0] == d[1]).all())
(True, True, False)
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha256

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Odd multipliers, one per lane: the prefix polynomial's base, then the column weights.
CHAIN = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)
WEIGHTS = (
    np.array([0xD6E8FEB86659FD93, 0xA0761D6478BD642F], dtype=np.uint64),
    np.array([0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3], dtype=np.uint64),
    np.array([0x589965CC75374CC3, 0x1D8E4E27C47D124F], dtype=np.uint64),
)
_MOD = 1 << 64
_INVERSE = np.array([pow(int(k), -1, _MOD) for k in CHAIN], dtype=np.uint64)


def _filled(values: pa.Array | pa.ChunkedArray) -> list[bytes]:
    filled = pc.fill_null(values, "")
    return pc.cast(filled, pa.large_binary()).to_pylist()


def _hash_all(items: list[bytes]) -> np.ndarray:
    if not items:
        return np.zeros((0, 2), dtype=np.uint64)
    joined = b"".join([sha256(item).digest()[:16] for item in items])
    return np.frombuffer(joined, dtype=np.uint64).reshape(-1, 2).copy()


def cell_digests(values: pa.Array | pa.ChunkedArray | None, rows: int = 0) -> np.ndarray:
    """(rows, 2) uint64: every cell's digest; a missing column digests as a column of ``""``."""
    if values is None:
        return np.broadcast_to(_hash_all([b""]), (rows, 2)).copy()
    return _hash_all(_filled(values))


def distinct_digests(values: pa.Array | pa.ChunkedArray | None, rows: int = 0) -> np.ndarray:
    """:func:`cell_digests` hashing each distinct value once (columns that repeat: prompts, IDs)."""
    if values is None or len(values) == 0:
        return cell_digests(values, rows)
    encoded = pc.dictionary_encode(pc.fill_null(values, ""))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    table = _hash_all(_filled(encoded.dictionary))
    return table[encoded.indices.to_numpy(zero_copy_only=False)]


def combine(*digests: np.ndarray) -> np.ndarray:
    """One digest for several columns' digests, lane by lane (position matters: ``(a, b) != (b, a)``)."""
    out = np.zeros_like(digests[0])
    for weight, digest in zip(WEIGHTS, digests, strict=False):  # up to three columns
        out += digest * weight
    return out


@lru_cache(maxsize=8)
def _powers(rows: int) -> tuple[np.ndarray, np.ndarray]:
    """(K**0 … K**rows, K**-0 … K**-(rows-1)), lane by lane."""
    forward = np.empty((rows + 1, 2), dtype=np.uint64)
    forward[0] = 1
    forward[1:] = CHAIN
    backward = np.empty((max(rows, 1), 2), dtype=np.uint64)
    backward[0] = 1
    backward[1:] = _INVERSE
    return np.cumprod(forward, axis=0, dtype=np.uint64), np.cumprod(backward, axis=0, dtype=np.uint64)[:rows]


def prefixes(row: np.ndarray, starts: np.ndarray, carried: np.ndarray | None) -> np.ndarray:
    """Prefix digests of a batch: ``row`` (rows, 2) row digests, ``starts`` marks each row that
    begins a conversation, ``carried`` the prefix of the previous batch's last row when the
    batch's first row continues its conversation (``starts[0]`` false), else None."""
    rows = len(row)
    if not rows:
        return np.zeros((0, 2), dtype=np.uint64)
    forward, backward = _powers(rows)
    sums = np.cumsum(row * backward, axis=0, dtype=np.uint64)
    index = np.arange(rows)
    run_start = np.maximum.accumulate(np.where(starts, index, 0))
    before = np.where((run_start > 0)[:, None], sums[np.maximum(run_start - 1, 0)], np.uint64(0))
    out = forward[:rows] * (sums - before)
    if carried is not None and not starts[0]:
        first_run = run_start == 0
        out[first_run] += carried * forward[1:rows + 1][first_run]
    return out
