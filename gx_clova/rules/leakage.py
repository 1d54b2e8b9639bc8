"""``leakage.eval-overlap``: training rows that also appear in the held-out evaluation file.

A test set must not overlap the training set, or the accuracy measured on it says nothing (the
cookbook: "이 데이터가 튜닝할 때 사용한 데이터셋과 달라야 한다"). A training row leaks when its
``Text`` - and, for generation, its ``Completion`` too - equals an evaluation row's, exactly or
after normalisation: NFKC (full-width → half-width, compatibility jamo …), lower case, and every
run of white space as one space, trimmed. For classification the question alone is compared,
since a test question seen in training with any label is already leaked.

Fails: training ``"MYBOX 용량이 얼마예요?"`` against evaluation ``"mybox  용량이 얼마예요? "``
(reported on the training line, naming the evaluation line). Passes: any training row whose
normalised key is not among the evaluation file's.

The evaluation file is read by the same reader and reduced, outside Great Expectations, to an
:class:`EvalSet` (its distinct keys as Arrow arrays and their lines); the set travels to the GX
metric in the batch's ``DataFrame.attrs`` rather than as an expectation argument, so the
evaluation rows never land in a suite, a validation result or Data Docs. Matching is one
vectorised ``is_in`` per key; NFKC runs only on cells that hold a character it could change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.errors import EvalFileError
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, lines_of, take
from gx_clova.rules.unicode import candidates_pattern

_SEPARATOR = "\x1f"
_SPACES = r"[\s\p{Z}]+"
#: Cells the space rule would change: a space character other than " ", or two in a row.
_ODD_SPACES = r"[\t\n\f\r\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]|[\s\p{Z}]{2}"


def _where(values: pa.ChunkedArray, pattern: str, transform) -> pa.ChunkedArray:
    """``transform`` applied only to the cells matching ``pattern`` (a RE2 scan is cheap, the
    transforms are not)."""
    out = []
    for chunk in values.chunks:
        mask = pc.match_substring_regex(chunk, pattern)
        if pc.any(mask).as_py():
            chunk = pc.replace_with_mask(chunk, mask, transform(pc.filter(chunk, mask)))
        out.append(chunk)
    return pa.chunked_array(out, pa.string())


def normalise(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """NFKC, lower case, white space collapsed and trimmed; nulls become ``""``."""
    values = pc.fill_null(values, "")
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values], pa.string())
    values = _where(values, candidates_pattern("NFKC"), lambda v: pc.utf8_normalize(v, "NFKC"))
    values = _where(pc.utf8_lower(values), _ODD_SPACES, lambda v: pc.replace_substring_regex(v, _SPACES, " "))
    return pc.utf8_trim_whitespace(values)


def _text(table: pa.Table, name: str) -> pa.ChunkedArray:
    values = column(table, name)
    if values is None:
        return pa.chunked_array([pa.array([""] * table.num_rows, pa.string())])
    return pc.fill_null(values, "")


def _join(parts: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    """One key per row; the first part's byte length leads, so no separator inside a cell can
    make two different rows collide."""
    if len(parts) == 1:
        return parts[0]
    length = pc.cast(pc.binary_length(parts[0]), pa.string())
    return pc.binary_join_element_wise(length, *parts, _SEPARATOR)


@dataclass(frozen=True, eq=False)
class EvalSet:
    """What the leakage rule needs of an evaluation file: keys and lines, no GX, no copies."""

    uri: str
    #: ``("Text",)`` or ``("Text", "Completion")``.
    columns: tuple[str, ...]
    rows: int
    exact: pa.Array
    normalised: pa.Array
    #: Distinct normalised Texts alone (the first, cheap comparison).
    texts: pa.Array
    #: Evaluation lines of every distinct normalised key, in the order of ``normalised``.
    lines: tuple[tuple[int, ...], ...] = field(repr=False)

    def __deepcopy__(self, memo: dict) -> "EvalSet":
        return self  # immutable; pandas deep-copies DataFrame.attrs

    @classmethod
    def from_table(cls, table: pa.Table, uri: str, task: str = spec.DEFAULT_TASK) -> "EvalSet":
        if column(table, spec.TEXT) is None:
            raise EvalFileError(f"the evaluation file {uri} has no {spec.TEXT} column to compare")
        columns: tuple[str, ...] = (spec.TEXT,)
        if task != "classification" and column(table, spec.COMPLETION) is not None:
            columns = (spec.TEXT, spec.COMPLETION)
        keep = pc.greater(pc.binary_length(_text(table, spec.TEXT)), 0)
        table = table.filter(keep)
        exact = _join([_text(table, c) for c in columns])
        normalised_parts = [normalise(_text(table, c)) for c in columns]
        normalised = _join(normalised_parts)
        encoded = pc.dictionary_encode(normalised).combine_chunks() if table.num_rows else None
        grouped: list[list[int]] = []
        if encoded is not None:
            grouped = [[] for _ in range(len(encoded.dictionary))]
            for code, line in zip(encoded.indices.to_numpy().tolist(), lines_of(table).tolist()):
                grouped[code].append(line)
        return cls(
            uri=uri,
            columns=columns,
            rows=table.num_rows,
            exact=pc.unique(exact.combine_chunks()) if table.num_rows else pa.array([], pa.string()),
            normalised=encoded.dictionary if encoded is not None else pa.array([], pa.string()),
            texts=pc.unique(normalised_parts[0].combine_chunks()) if table.num_rows else pa.array([], pa.string()),
            lines=tuple(tuple(g) for g in grouped),
        )

    def describe(self) -> dict[str, Any]:
        return {"eval_file": self.uri, "eval_rows": self.rows, "compared": list(self.columns)}


def _candidates(table: pa.Table, texts: pa.Array) -> np.ndarray:
    """Rows whose non-empty normalised Text is one of the evaluation file's: the cheap first test,
    before any Completion is normalised."""
    normalised = normalise(_text(table, spec.TEXT))
    found = pc.fill_null(pc.is_in(normalised, value_set=texts), False).to_numpy(zero_copy_only=False)
    return found & pc.greater(pc.binary_length(_text(table, spec.TEXT)), 0).to_numpy(zero_copy_only=False)


def _as_string(table: pa.Table) -> pa.Table:
    """Spark may hand text over as ``large_string``; the kernels work on ``string``."""
    return table.cast(pa.schema([pa.field(f.name, pa.string() if pa.types.is_large_string(f.type) else f.type)
                                 for f in table.schema]))


def check(table: pa.Table, eval_set: EvalSet | None) -> list[Finding]:
    if eval_set is None or table.num_rows == 0 or column(table, spec.TEXT) is None:
        return []
    lines = lines_of(table)
    rows = np.flatnonzero(_candidates(table, eval_set.texts))
    if not len(rows):
        return []
    picked = take(table, rows)
    keys = _join([normalise(_text(picked, c)) for c in eval_set.columns])
    index = pc.index_in(keys, value_set=eval_set.normalised)
    matched = ~index.is_null().to_numpy(zero_copy_only=False)
    position = pc.fill_null(index, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    exact = pc.is_in(_join([_text(picked, c) for c in eval_set.columns]), value_set=eval_set.exact)
    exact = pc.fill_null(exact, False).to_numpy(zero_copy_only=False)
    if not matched.any():
        return []
    where = lines[rows[matched]]
    positions = position[matched]
    kinds = np.where(exact[matched], "exactly", "after normalisation")
    problems = []
    for line, at, kind in zip(where[:DETAIL_LIMIT].tolist(), positions[:DETAIL_LIMIT].tolist(),
                              kinds[:DETAIL_LIMIT].tolist()):
        eval_lines = eval_set.lines[at]
        shown = ", ".join(str(n) for n in eval_lines[:5]) + (" …" if len(eval_lines) > 5 else "")
        problems.append(f"line {line} equals evaluation line {shown} {kind}")
    what = " and ".join(eval_set.columns)
    exact_count = int(exact[matched].sum())
    return [Finding(
        "leakage.eval-overlap",
        message("leakage.eval-overlap", rows=len(where), uri=eval_set.uri, compared=what, exact=exact_count,
                normalised=len(where) - exact_count, first=problems[0]),
        where.tolist(),
        details={"problems": problems, "exact": exact_count, **eval_set.describe()},
    )]
