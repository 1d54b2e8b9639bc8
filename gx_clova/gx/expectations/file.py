"""F1–F5: the file is accepted and every record in it parses."""

from __future__ import annotations

from gx_clova.gx.expectations.base import ClovaExpectation, parameter


class ExpectClovaFileToBeAccepted(ClovaExpectation):
    """The file is ``.csv`` or ``.jsonl``, at most 1 TB, and UTF-8 (F1–F3).

    Passes: ``train.csv`` in UTF-8 (a BOM is fine). Fails: ``train.xlsx``; a cp949 export
    (the report names the encoding it really is and the lines with non-UTF-8 bytes).
    """

    max_bytes: int = parameter("file.size", "max_bytes")


class ExpectClovaRecordsToParse(ClovaExpectation):
    """Every CSV record has as many cells as the header with balanced quotes; every JSONL line is
    one JSON object; there are no blank rows (F4–F5).

    Passes: a CSV whose cells hold quoted line breaks. Fails: a record with a missing cell, an
    unclosed quote, ``[1, 2]`` on a JSONL line, an empty line between records.
    """
