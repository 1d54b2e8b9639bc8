"""F1–F2: the file's name and size, checked from the facts the reader gathered.

Fails: ``train.xlsx`` (F1), a file over 1 TB (F2). Passes: ``train.csv``, ``train.jsonl``.
F3–F6 are found while reading (see :mod:`gx_clova.reading`), because only the reader sees bytes.
"""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding


def check(facts: dict, max_bytes: int = spec.MAX_FILE_BYTES) -> list[Finding]:
    findings = []
    name = str(facts.get("uri") or "")
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot > name.rfind("/") else ""
    if extension not in spec.EXTENSIONS:
        findings.append(Finding(
            "file.extension",
            f"the file name ends in {extension or '(no extension)'!s}; CLOVA Studio accepts "
            + " or ".join(spec.EXTENSIONS),
            [],
            details={"extension": extension},
        ))
    size = int(facts.get("bytes") or 0)
    if size > max_bytes:
        findings.append(Finding(
            "file.size",
            f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes",
            [],
            details={"bytes": size, "max_bytes": max_bytes},
        ))
    return findings
