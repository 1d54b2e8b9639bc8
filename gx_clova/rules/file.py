"""F1–F2: the file's name and size, checked from the facts the reader gathered.

Fails: ``train.xlsx`` (F1), a file over 1 TB (F2). Passes: ``train.csv``, ``train.jsonl``.
F3–F6 are found while reading (see :mod:`gx_clova.reading`), because only the reader sees bytes.
"""

from __future__ import annotations

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message


def check(facts: dict, max_bytes: int = spec.MAX_FILE_BYTES) -> list[Finding]:
    findings = []
    name = str(facts.get("uri") or "")
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot > name.rfind("/") else ""
    if extension not in spec.EXTENSIONS:
        findings.append(Finding(
            "file.extension",
            message("file.extension", extension=extension) if extension else message("file.extension", "none"),
            [],
            details={"extension": extension},
        ))
    size = int(facts.get("bytes") or 0)
    if size > max_bytes:
        findings.append(Finding(
            "file.size",
            message("file.size", bytes=size, max_bytes=max_bytes),
            [],
            details={"bytes": size, "max_bytes": max_bytes},
        ))
    return findings
