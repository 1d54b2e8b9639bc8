"""The rules kernel: each spec rule as a vectorised function over an Arrow table, no GX.

One module per rule family; each exposes ``check(table, **limits) -> list[Finding]`` and its
docstring says what fails and what passes. The Great Expectations metrics call these kernels
(pandas engine) or their Spark twins; the kernels never see Great Expectations.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gx_clova.reading.dataset import LINE

#: How many per-line problem descriptions a finding keeps in its details.
DETAIL_LIMIT = 100


def lines_of(table: pa.Table) -> np.ndarray:
    """Physical line of every row: the ``__line__`` column, else header + row number."""
    if LINE in table.column_names:
        return table.column(LINE).to_numpy().astype(np.int64, copy=False)
    return np.arange(2, table.num_rows + 2, dtype=np.int64)


def column(table: pa.Table, name: str) -> pa.ChunkedArray | None:
    return table.column(name) if name in table.column_names else None
