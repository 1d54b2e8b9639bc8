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
