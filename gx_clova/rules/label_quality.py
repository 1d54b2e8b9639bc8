"""Classification label quality beyond the guide: label variants and class imbalance (warnings).

``class.label-variant`` fails: labels that are the same word apart from spacing, case or
character width (``"MYBOX결제"``, ``"mybox결제"``, ``"ＭＹＢＯＸ결제"``): the model learns them as
different classes. The rows of every variant but the most frequent one are reported.
Passes: ``"밴드계정"`` and ``"밴드보안"``.

``class.imbalance`` fails: the largest label has more than ``max_ratio`` (10) times the rows of
the smallest; the under-represented labels are named (a property of the label distribution, so
no lines). Passes: 200 to 2,000 rows per label.

Both run on the distinct labels, not on every row.
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa

from gx_clova import spec
from gx_clova.findings import Finding
from gx_clova.registry import message
from gx_clova.rules.labels import _lines_with, label_counts

_SPACE = re.compile(r"[\s\u200b\u3164\ufeff]+")


def label_key(label: str) -> str:
    """What a label is once width (NFKC), case and spacing no longer count."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", label)).casefold()


def variant_groups(counts: dict[str, int]) -> list[list[str]]:
    """Groups of labels sharing a :func:`label_key`, most frequent first (ties: label order)."""
    groups: dict[str, list[str]] = {}
    for label in counts:  # already sorted by count, descending
        groups.setdefault(label_key(label), []).append(label)
    return [group for group in groups.values() if len(group) > 1]


def check(table: pa.Table, max_ratio: int = spec.MAX_LABEL_IMBALANCE) -> list[Finding]:
    return _findings(label_counts(table), lambda labels: _lines_with(table, labels), max_ratio)


def _findings(counts: dict[str, int], lines_with, max_ratio: int) -> list[Finding]:
    """Both warnings from the label counts; ``lines_with(labels)`` gives those labels' lines."""
    findings = []
    groups = variant_groups(counts)
    if groups:
        minority = [label for group in groups for label in group[1:]]
        problems = [
            " / ".join(f"{label!r} ({counts[label]:,})" for label in group) for group in groups
        ]
        findings.append(Finding(
            "class.label-variant",
            message("class.label-variant", groups=len(groups), shown="; ".join(problems[:10])),
            lines_with(minority),
            details={"problems": problems, "variants": {g[0]: g[1:] for g in groups}},
        ))
    if len(counts) >= 2:
        largest = max(counts.values())
        under = {label: n for label, n in counts.items() if n * max_ratio < largest}
        if under:
            top = next(iter(counts))
            shown = ", ".join(f"{label!r} ({n:,})" for label, n in list(under.items())[:20])
            findings.append(Finding(
                "class.imbalance",
                message("class.imbalance", labels=len(under), max_ratio=max_ratio, top=top, largest=largest,
                        shown=shown),
                [],
                count=len(under),
                details={"labels": under, "largest": {top: largest}, "max_ratio": max_ratio},
            ))
    return findings
