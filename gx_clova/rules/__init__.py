"""The rules kernel: each spec rule as a vectorised function over an Arrow table, no GX.

One module per rule family; each exposes ``check(table, **limits) -> list[Finding]`` and its
docstring says what fails and what passes. The Great Expectations metrics call these kernels
(pandas engine); their Spark twins are in :mod:`gx_clova.spark.rules`. The kernels never see Great
Expectations or pyspark.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gx_clova.reading.dataset import LINE

#: How many per-line problem descriptions a finding keeps in its details.
DETAIL_LIMIT = 100


#: Where a row is when the table has no line column (a DataFrame a user built): its record
#: number, 1 for the first row. Reports say "record" there, never "line" (see :data:`RECORDS`).
RECORD_BASE = 1
RECORDS = (f"records: {RECORD_BASE} is the DataFrame's first row "
           "(no line column; name one with gx_clova.batch.with_line_column)")


def lines_of(table: pa.Table) -> np.ndarray:
    """Where every row is: the ``__line__`` column (the file's physical line), else its record
    number counted from :data:`RECORD_BASE`."""
    if LINE in table.column_names:
        return table.column(LINE).to_numpy().astype(np.int64, copy=False)
    return np.arange(RECORD_BASE, table.num_rows + RECORD_BASE, dtype=np.int64)


def column(table: pa.Table, name: str) -> pa.ChunkedArray | None:
    return table.column(name) if name in table.column_names else None


def take(data: pa.Table | pa.ChunkedArray, positions: np.ndarray | list[int]) -> pa.Table | pa.ChunkedArray:
    """``data.take(positions)`` without joining its chunks first.

    Arrow's ``take`` on a chunked column concatenates every chunk before it picks (a 1 GB copy of
    a 1 GB ``Text`` column to show 20 excerpts). Here each chunk gives its own rows and only
    the picked rows are put together, in the order of ``positions``.
    """
    if isinstance(data, pa.Table):
        return pa.Table.from_arrays([take(col, positions) for col in data.columns], schema=data.schema)
    wanted = np.asarray(positions, dtype=np.int64)
    if len(wanted) == 0 or data.num_chunks <= 1:
        return data.take(pa.array(wanted, pa.int64()))
    starts = np.cumsum([0] + [len(chunk) for chunk in data.chunks])
    if wanted.min() < 0 or wanted.max() >= starts[-1]:
        raise IndexError(f"take: a position is outside 0..{int(starts[-1]) - 1}")
    which = np.searchsorted(starts, wanted, side="right") - 1
    order = np.argsort(which, kind="stable")  # positions grouped by chunk, then put back in order
    by_chunk, chunk_of = wanted[order], which[order]
    grouped = pa.concat_arrays([
        data.chunk(int(number)).take(pa.array(by_chunk[chunk_of == number] - starts[number], pa.int64()))
        for number in np.unique(chunk_of)
    ])
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return pa.chunked_array([grouped.take(pa.array(inverse, pa.int64()))], data.type)
