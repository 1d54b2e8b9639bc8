"""The Spark twins of :mod:`gx_clova.rules.leakage`: the same findings from a Spark DataFrame."""

from __future__ import annotations

import pyarrow as pa

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.reading.dataset import LINE
from gx_clova.rules.leakage import EvalSet, _as_string, _candidates, check


def check_spark(frame, eval_set: EvalSet | None) -> list[Finding]:
    """:func:`check` on a Spark DataFrame: each executor runs the Text test (:func:`_candidates`)
    on its Arrow batches and keeps only the candidate rows; the driver gets those rows (usually
    none) and the evaluation keys it already holds, and decides as :func:`check` does. The
    executors' Python needs gx_clova installed (it is, in a local master's workers)."""
    if eval_set is None or spec.TEXT not in frame.columns:
        return []
    from gx_clova.spark.rules._common import failing

    names = [LINE, spec.TEXT] + [c for c in eval_set.columns if c != spec.TEXT and c in frame.columns]
    texts = eval_set.texts
    selected = frame.select(*names)

    def keep_candidates(batches):
        for batch in batches:
            yield batch.filter(pa.array(_candidates(_as_string(pa.Table.from_batches([batch])), texts)))

    rows = failing(selected.mapInArrow(keep_candidates, selected.schema), *names[1:])
    return check(_as_string(rows), eval_set)
