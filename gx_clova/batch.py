"""The seam between the reader and Great Expectations: a Dataset as a GX batch, and back.

The pandas batch is the reader's Arrow table wrapped without copying (``pd.ArrowDtype``
columns), with the file's facts and structural findings in ``DataFrame.attrs["gx_clova"]`` so
the metrics that need them (header, file, records) find them next to the data. A DataFrame the
user built themselves works too: its columns are the header, and its rows are reported as
records (1 = the first row), unless :func:`with_line_column` names a column of file line numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa

from gx_clova.reading.dataset import LINE, Dataset

ATTRS_KEY = "gx_clova"


def to_pandas(dataset: Dataset) -> pd.DataFrame:
    frame = dataset.table.to_pandas(types_mapper=pd.ArrowDtype, split_blocks=True, self_destruct=False)
    frame.attrs[ATTRS_KEY] = {
        "facts": dataset.facts.to_dict(),
        "findings": [f.to_dict() for f in dataset.findings],
    }
    return frame


def with_line_column(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """``frame`` with ``column`` (file line numbers kept when the data was loaded) as the lines
    every report and Data Docs page shows; the column itself is not data. Raises ValueError for a
    missing column or a value that is not a positive whole number.

    >>> frame = pd.DataFrame({"line_no": [2, 5], "C_ID": ["0", "1"]})
    >>> list(with_line_column(frame, "line_no").columns)
    ['__line__', 'C_ID']
    """
    if column not in frame.columns:
        raise ValueError(f"no column {column!r} in the DataFrame; its columns: {', '.join(map(str, frame.columns))}")
    lines = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.index[lines.isna() | (lines < 1) | (lines % 1 != 0)]
    if len(bad):
        raise ValueError(f"column {column!r} must hold file line numbers (whole numbers from 1); "
                         f"row {bad[0]!r} holds {frame[column][bad[0]]!r}")
    out = frame.drop(columns=[column])
    out.insert(0, LINE, lines.astype("int64").to_numpy())
    out.attrs = dict(frame.attrs)
    return out


def arrow_of(frame: pd.DataFrame) -> pa.Table:
    """The frame as Arrow; zero-copy for the reader's own frames."""
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.ArrowDtype):
            columns[str(name)] = pa.chunked_array(series.array._pa_array)  # zero copy
        elif name == LINE:
            columns[str(name)] = pa.array(series.to_numpy(), pa.int64())
        else:
            columns[str(name)] = pa.array(
                [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in series.tolist()],
                pa.string(),
            )
    return pa.table(columns)


def context_of(frame: pd.DataFrame) -> dict[str, Any]:
    """Facts and reader findings of a frame; a plain user DataFrame gets neutral facts."""
    stored = frame.attrs.get(ATTRS_KEY)
    if stored:
        return stored
    header = [str(c) for c in frame.columns if c != LINE]
    return {
        "facts": {"uri": "", "bytes": 0, "encoding": "", "format": "dataframe", "header": header, "lines": 0},
        "findings": [],
    }
