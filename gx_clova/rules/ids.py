"""I1 and I2: C_ID and T_ID sequences. Every break is reported, not just the first.

C_ID fails: a first conversation other than 0; a jump (``0,1,3``); a conversation that comes back
after another one started (``0,1,0``: rows must be contiguous); a value that is not an integer.
T_ID fails: a conversation whose first turn is not 0; a turn that is not the previous + 1; a
value that is not an integer. Passes: ``C_ID 0,0,1,2,2,2`` with ``T_ID 0,1,0,0,1,2``.

After a break the check resynchronises on the value it found, so one typo is one finding, not a
cascade. ``check_*`` run on Arrow (pandas engine), their twins in :mod:`gx_clova.spark.rules.ids` on a
Spark DataFrame ordered by ``__line__``; both build their findings with the same functions.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules import DETAIL_LIMIT, column, lines_of

_INTEGER = r"^[0-9]{1,18}$"
#: The same test in Java's regex dialect (Spark): ``$`` there also matches before a final line
#: break, which RE2's does not, so the anchors are ``\A`` and ``\z``.
_INTEGER_JAVA = r"\A[0-9]{1,18}\z"


def parse_ids(values: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(integers, is_integer, is_null) for a text column of IDs."""
    null = values.is_null().to_numpy(zero_copy_only=False)
    valid = pc.fill_null(pc.match_substring_regex(values, _INTEGER), False).to_numpy(zero_copy_only=False)
    ints = np.zeros(len(values), dtype=np.int64)
    if valid.any():
        ints[valid] = pc.cast(pc.filter(values, pa.array(valid)), pa.int64()).to_numpy()
    return ints, valid, null


# -- findings, whichever engine found the rows -----------------------------------------------

def _not_integer(name: str, code: str, lines: list[int], shown: list) -> Finding:
    """``lines``: every row whose ID is not an integer; ``shown``: the first values, in line order."""
    problems = [f"line {l}: {name} {v!r} is not an integer" for l, v in zip(lines[:DETAIL_LIMIT], shown)]
    return Finding(code, message(code, "not_integer", rows=len(lines)), lines,
                   details={"problems": problems})


def _c_id_problem(line: int, value: int, previous: int, first_line: int) -> str:
    if previous == -1:
        return f"line {line}: the first conversation is {value}, not 0"
    if first_line != line:
        return (f"line {line}: conversation {value} resumes after {previous} "
                f"(it started at line {first_line}; its rows must be contiguous)")
    return f"line {line}: conversation {value} follows {previous}, expected {previous + 1}"


def _c_id_breaks(lines: list[int], shown: list[tuple[int, int, int, int]]) -> Finding:
    """``lines``: the first line of every conversation run that breaks the sequence;
    ``shown``: (line, value, previous value or -1, first line of the value) for the first few."""
    problems = [_c_id_problem(*row) for row in shown[:DETAIL_LIMIT]]
    return Finding(
        "c_id.sequence",
        message("c_id.sequence", breaks=len(lines), first=problems[0]),
        lines,
        details={"problems": problems},
    )


def _t_id_breaks(lines: list[int], shown: list[tuple[int, int, int, int]]) -> Finding:
    """``shown``: (line, T_ID, C_ID, expected T_ID) for the first few breaks."""
    problems = [f"line {line}: {spec.T_ID} {actual} in conversation {conv}, expected {want}"
                for line, actual, conv, want in shown[:DETAIL_LIMIT]]
    return Finding(
        "t_id.sequence",
        message("t_id.sequence", breaks=len(lines), first=problems[0]),
        lines,
        details={"problems": problems},
    )


# -- pandas engine: Arrow ----------------------------------------------------------------------

def _not_integer_arrow(name: str, code: str, values: pa.ChunkedArray, lines: np.ndarray, bad: np.ndarray) -> Finding:
    shown = pc.filter(values, pa.array(bad)).slice(0, DETAIL_LIMIT).to_pylist()
    return _not_integer(name, code, lines[bad].tolist(), shown)


def check_c_id(table: pa.Table) -> list[Finding]:
    values = column(table, spec.C_ID)
    if values is None:
        return []
    lines = lines_of(table)
    ints, valid, null = parse_ids(values)
    findings = []
    if (~valid & ~null).any():
        findings.append(_not_integer_arrow(spec.C_ID, "c_id.sequence", values, lines, ~valid & ~null))
    v, l = ints[valid], lines[valid]
    if len(v):
        starts = np.r_[True, v[1:] != v[:-1]]
        run_values, run_lines = v[starts], l[starts]
        previous = np.r_[-1, run_values[:-1]]
        _, first_run, inverse = np.unique(run_values, return_index=True, return_inverse=True)
        resumed = first_run[inverse] != np.arange(len(run_values))
        bad = (run_values != previous + 1) | resumed
        if bad.any():
            first_lines = run_lines[first_run][inverse]
            index = np.flatnonzero(bad)[:DETAIL_LIMIT]
            shown = list(zip(run_lines[index].tolist(), run_values[index].tolist(),
                             previous[index].tolist(), first_lines[index].tolist()))
            findings.append(_c_id_breaks(run_lines[bad].tolist(), shown))
    return findings


def check_t_id(table: pa.Table) -> list[Finding]:
    c_values, t_values = column(table, spec.C_ID), column(table, spec.T_ID)
    if t_values is None:
        return []
    lines = lines_of(table)
    t_ints, t_valid, t_null = parse_ids(t_values)
    findings = []
    if (~t_valid & ~t_null).any():
        findings.append(_not_integer_arrow(spec.T_ID, "t_id.sequence", t_values, lines, ~t_valid & ~t_null))
    if c_values is None:
        return findings
    c_ints, c_valid, _ = parse_ids(c_values)
    both = c_valid & t_valid
    c, t, l = c_ints[both], t_ints[both], lines[both]
    if not len(t):
        return findings
    new_conversation = np.r_[True, c[1:] != c[:-1]]
    expected = np.where(new_conversation, 0, np.r_[0, t[:-1]] + 1)
    bad = t != expected
    if bad.any():
        shown = list(zip(l[bad][:DETAIL_LIMIT].tolist(), t[bad][:DETAIL_LIMIT].tolist(),
                         c[bad][:DETAIL_LIMIT].tolist(), expected[bad][:DETAIL_LIMIT].tolist()))
        findings.append(_t_id_breaks(l[bad].tolist(), shown))
    return findings
