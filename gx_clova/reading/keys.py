"""What is wrong with a header's column names, or one JSONL line's keys (H1, H2, H3, H5): shared by
the readers (every JSONL line) and the header rule (:mod:`gx_clova.rules.header`)."""

from __future__ import annotations

from gx_clova import spec
from gx_clova.registry import message


def blank(name: str) -> bool:
    return not name.strip()


def classify_keys(names: list[str]) -> list[tuple[str, str]]:
    """(code, message) for every H1/H2/H3/H5 fault of one header or one JSONL line's keys."""
    out: list[tuple[str, str]] = []
    present = [n for n in names if not blank(n)]
    folded: dict[str, int] = {}
    for name in present:
        folded[name.casefold()] = folded.get(name.casefold(), 0) + 1
    duplicates = sorted({n for n in present if folded[n.casefold()] > 1})
    if duplicates:
        out.append(("header.duplicate-column", message("header.duplicate-column", names=", ".join(duplicates))))
    miscased = [n for n in present if spec.canonical_column(n) is None and spec.loose_column(n) is not None]
    if miscased:
        fixes = ", ".join(f"{n!r} → {spec.loose_column(n)!r}" for n in miscased)
        out.append(("header.column-case", message("header.column-case", fixes=fixes)))
    unexpected = [n for n in present if spec.loose_column(n) is None]
    if unexpected:
        out.append(("header.unexpected-column",
                    message("header.unexpected-column", names=", ".join(map(repr, unexpected)))))
    known = {spec.loose_column(n) for n in present}
    missing = [c for c in spec.REQUIRED_COLUMNS if c not in known]
    if missing:
        out.append(("header.missing-column", message("header.missing-column", names=", ".join(missing))))
    return out
