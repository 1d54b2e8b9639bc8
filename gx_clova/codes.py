"""The failure-code catalogue: every code gx-clova can report, in one place.

Codes are public API (tests, CI gates and the submitter's ``failureReason`` map key on them);
titles and messages are prose and may change. Messages are templates filled from
:mod:`gx_clova.spec`, so a limit and its text cannot drift apart.

>>> CATALOGUE["row.too-long"].severity
'error'
>>> CATALOGUE["row.too-long"].requirement
'len(Text) + len(Completion) is at most 8,000 characters (spaces count)'
"""

from __future__ import annotations

from dataclasses import dataclass

from gx_clova import spec

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class Code:
    """One failure kind: a stable dotted code, its default severity, the rule it checks."""

    code: str
    severity: str
    rule: str
    #: What must hold, as a sentence built from the spec's values (Data Docs, --help).
    requirement: str
    #: The spec rule id (F1 … C3), or "Q" for checks beyond the guide.
    ref: str


def _fmt(n: int) -> str:
    return f"{n:,}"


_LOW, _HIGH = spec.RECOMMENDED_ROWS

_ENTRIES: tuple[Code, ...] = (
    # -- the file ------------------------------------------------------------------------------
    Code("file.extension", ERROR, "F1", f"the file name ends in {' or '.join(spec.EXTENSIONS)}", "F1"),
    Code("file.size", ERROR, "F2", f"the file is at most {_fmt(spec.MAX_FILE_BYTES)} bytes (1 TB)", "F2"),
    Code("file.encoding", ERROR, "F3", "the bytes decode as UTF-8 (a byte-order mark is fine)", "F3"),
    Code("file.format", ERROR, "F4",
         "every CSV record has as many cells as the header with balanced quotes; "
         "every JSONL line is one JSON object", "F4"),
    Code("value.type", ERROR, "F4",
         f"in JSONL, {spec.TEXT}, {spec.COMPLETION} and {spec.SYSTEM_PROMPT} are JSON strings "
         "(not objects, arrays, numbers or booleans)", "F4"),
    Code("file.blank-row", ERROR, "F5", "no blank rows or blank JSONL lines", "F5"),
    Code("file.blank-column", ERROR, "F6", "no blank columns (empty header cell or trailing delimiter)", "F6"),
    # -- the header ----------------------------------------------------------------------------
    Code("header.missing-column", ERROR, "H1",
         f"the columns {', '.join(spec.REQUIRED_COLUMNS)} are present (in JSONL, on every line)", "H1"),
    Code("header.unexpected-column", ERROR, "H2",
         f"no columns other than {', '.join(spec.ALL_COLUMNS)}", "H2"),
    Code("header.duplicate-column", ERROR, "H3",
         "no column appears twice (compared case-insensitively); in JSONL, no key twice in one object", "H3"),
    Code("header.column-order", ERROR, "H4",
         f"the columns are in the order {', '.join(spec.ALL_COLUMNS)}, {spec.SYSTEM_PROMPT} only first", "H4"),
    Code("header.column-case", ERROR, "H5",
         f"column names are spelt exactly ({spec.SYSTEM_PROMPT}'s case is free)", "H5"),
    # -- row counts ----------------------------------------------------------------------------
    Code("rows.too-few", ERROR, "N1", f"at least {_fmt(spec.MIN_ROWS)} data rows", "N1"),
    Code("rows.outside-recommended", WARNING, "N2",
         f"{_fmt(_LOW)} to {_fmt(_HIGH)} data rows are recommended", "N2"),
    # -- identifiers ---------------------------------------------------------------------------
    Code("c_id.sequence", ERROR, "I1",
         f"{spec.C_ID} is an integer starting at 0, each new conversation the previous + 1, "
         "a conversation's rows contiguous", "I1"),
    Code("t_id.sequence", ERROR, "I2",
         f"{spec.T_ID} is an integer, 0 at the first turn of each conversation, +1 for each next turn", "I2"),
    # -- content -------------------------------------------------------------------------------
    Code("text.empty", ERROR, "T1", f"{spec.TEXT} has at least one character", "T1"),
    Code("completion.empty", ERROR, "T2", f"{spec.COMPLETION} has at least one character", "T2"),
    Code("row.too-long", ERROR, "T3",
         f"len({spec.TEXT}) + len({spec.COMPLETION}) is at most {_fmt(spec.MAX_ROW_CHARS)} characters "
         "(spaces count)", "T3"),
    Code("system_prompt.inconsistent", ERROR, "S1",
         f"every row of one {spec.C_ID} has the same {spec.SYSTEM_PROMPT}", "S1"),
    # -- classification ------------------------------------------------------------------------
    Code("class.too-few-rows", ERROR, "C1",
         f"every label ({spec.COMPLETION} value) has at least {_fmt(spec.MIN_ROWS_PER_LABEL)} rows", "C1"),
    Code("class.too-many-labels", ERROR, "C2", f"at most {spec.MAX_LABELS} distinct labels", "C2"),
    Code("class.label-format", ERROR, "C3", f"every label is {spec.LABEL_DESCRIPTION}", "C3"),
    # -- beyond the guide: quality warnings ----------------------------------------------------
    Code("duplicate.row", WARNING, "Q", "no row repeats an earlier row exactly", "Q"),
    Code("label.conflict", WARNING, "Q",
         f"the same {spec.TEXT} never has different {spec.COMPLETION}s", "Q"),
    Code("leakage.eval-overlap", WARNING, "Q",
         "no row of the evaluation file also appears in the training file", "Q"),
    Code("text.not-nfc", WARNING, "Q",
         "text is NFC-normalised (decomposed Hangul inflates character counts)", "Q"),
    Code("text.replacement-char", WARNING, "Q", "no U+FFFD replacement characters (a lossy decode)", "Q"),
    Code("text.control-char", WARNING, "Q", "no control or zero-width characters", "Q"),
    Code("pii.resident-number", WARNING, "Q", "no Korean resident registration numbers", "Q"),
    Code("pii.phone-number", WARNING, "Q", "no phone numbers", "Q"),
    Code("pii.email", WARNING, "Q", "no e-mail addresses", "Q"),
    Code("class.label-variant", WARNING, "Q",
         "no two labels differ only by spacing, case or character width (classification)", "Q"),
    Code("class.imbalance", WARNING, "Q",
         f"the largest label has at most {spec.MAX_LABEL_IMBALANCE}× the rows of the smallest (classification)", "Q"),
)

#: A failing expectation that is not gx-clova's (one of GX's built-in expectations a user added
#: to a suite) is reported under ``gx.<its type>``, e.g. ``gx.expect_column_values_to_not_be_null``.
GX_PREFIX = "gx."


class _Catalogue(dict):
    """gx-clova's codes by name; ``gx.<expectation type>`` is looked up as a GX expectation's code
    (an error: GX's ``success`` is false when it fails), though it is not listed."""

    def __missing__(self, code: str) -> Code:
        if isinstance(code, str) and code.startswith(GX_PREFIX) and len(code) > len(GX_PREFIX):
            kind = code[len(GX_PREFIX):]
            return Code(code, ERROR, "GX", f"the Great Expectations expectation {kind} holds", "GX")
        raise KeyError(code)

    def knows(self, code: str) -> bool:
        try:
            self[code]
        except KeyError:
            return False
        return True


#: Every code, by name.
CATALOGUE: _Catalogue = _Catalogue((entry.code, entry) for entry in _ENTRIES)
_ORDER = {code: i for i, code in enumerate(CATALOGUE)}


def order_key(code: str) -> tuple[int, str]:
    """Catalogue order; GX expectations' codes after gx-clova's, by name."""
    return (_ORDER.get(code, len(_ORDER)), code)

assert len(CATALOGUE) == len(_ENTRIES), "duplicate code in the catalogue"
