"""F1–F5: the file is accepted and every record in it parses."""

from __future__ import annotations

from great_expectations.compatibility import pydantic

from gx_clova import spec
from gx_clova.expectations.base import ClovaExpectation


class ExpectClovaFileToBeAccepted(ClovaExpectation):
    """The file is ``.csv`` or ``.jsonl``, at most 1 TB, and UTF-8 (F1–F3).

    Passes: ``train.csv`` in UTF-8 (a BOM is fine). Fails: ``train.xlsx``; a cp949 export
    (the report names the encoding it really is and the lines with non-UTF-8 bytes).
    """

    max_bytes: int = pydantic.Field(
        default=spec.MAX_FILE_BYTES, description="The largest file CLOVA Studio accepts, in bytes (spec F2: 1 TB).")

    lines_are_rows = False
    findings_metric = "clova.file_findings"
    metric_dependencies = ("clova.file_findings",)
    success_keys = ("max_bytes",)
    codes = ("file.extension", "file.size", "file.encoding")
    template = "The file name ends in $extensions, the file is at most $max_bytes bytes, and it is encoded in UTF-8."
    template_params = ("extensions", "max_bytes")


class ExpectClovaRecordsToParse(ClovaExpectation):
    """Every CSV record has as many cells as the header with balanced quotes; every JSONL line is
    one JSON object; there are no blank rows (F4–F5).

    Passes: a CSV whose cells hold quoted line breaks. Fails: a record with a missing cell, an
    unclosed quote, ``[1, 2]`` on a JSONL line, an empty line between records.
    """

    lines_are_rows = False
    findings_metric = "clova.record_findings"
    metric_dependencies = ("clova.record_findings",)
    codes = ("file.format", "value.type", "file.blank-row")
    template = (
        "Every record parses: each CSV record has as many cells as the header and its quotes balance, "
        "each JSONL line is one JSON object, and there are no blank rows."
    )
