"""``rules.take``: rows picked from a chunked table without joining its chunks (one copy per pick,
not per column), in the order asked, equal to Arrow's own ``take``."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from gx_clova.rules import take


def _chunked(sizes: list[int]) -> pa.ChunkedArray:
    start = 0
    chunks = []
    for size in sizes:
        chunks.append(pa.array([f"row {i}" for i in range(start, start + size)], pa.string()))
        start += size
    return pa.chunked_array(chunks, pa.string())


@pytest.mark.parametrize("sizes", [[5], [3, 0, 4, 1], [1] * 9, [2, 7]])
@pytest.mark.parametrize("positions", [[], [0], [8, 0, 3, 3, 5], [1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1, 0]])
def test_take_equals_arrow_take(sizes: list[int], positions: list[int]) -> None:
    data = _chunked(sizes)
    positions = [p for p in positions if p < len(data)]
    expected = data.take(pa.array(positions, pa.int64())).to_pylist()
    assert take(data, positions).to_pylist() == expected
    assert take(data, np.asarray(positions, dtype=np.int64)).to_pylist() == expected


def test_take_on_a_table_keeps_schema_and_differently_chunked_columns() -> None:
    table = pa.Table.from_arrays([_chunked([2, 2, 2]), pa.chunked_array([pa.array(range(6))])], names=["t", "n"])
    picked = take(table, [5, 0, 2])
    assert picked.schema == table.schema
    assert picked.to_pydict() == {"t": ["row 5", "row 0", "row 2"], "n": [5, 0, 2]}


def test_take_refuses_a_position_past_the_end() -> None:
    with pytest.raises(IndexError):
        take(_chunked([2, 2]), [4])


def test_take_does_not_copy_the_whole_column() -> None:
    """Arrow's take joins a chunked column's chunks first; ours allocates only the picked rows."""
    data = pa.chunked_array([pa.array(["x" * 1000] * 1000) for _ in range(20)])  # ~20 MB of text
    before = pa.total_allocated_bytes()
    picked = take(data, [5, 19_999, 10_000])
    grew = pa.total_allocated_bytes() - before
    assert picked.to_pylist() == ["x" * 1000] * 3
    assert grew < 1 << 20, f"take allocated {grew:,} bytes for three rows"
