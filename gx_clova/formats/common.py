"""What several formats share: where a dataset is named, what each failing line says."""

from __future__ import annotations

import os

from gx_clova import spec
from gx_clova.codes import CATALOGUE
from gx_clova.excerpts import problems_by_line
from gx_clova.findings import Finding

#: A dataset that could not be read: ``(path, reason)``.
Unreadable = tuple[str, str]
MORE = "the JSON report (gx-clova validate --format json) lists every line"


def artifact_path(uri: str, base: str | None = None) -> str:
    """A repository-relative path for a file under ``base`` (default: the working directory);
    anything else (``s3://…``, a path elsewhere) as given."""
    if "://" in uri or not os.path.isabs(uri):
        return uri.replace(os.sep, "/")
    base = os.path.abspath(base or os.getcwd())
    relative = os.path.relpath(uri, base)
    return uri if relative.startswith("..") else relative.replace(os.sep, "/")


def line_messages(finding: Finding) -> dict[int, str]:
    """What to say at each failing line: why it failed when the rule said, else what must hold."""
    why = problems_by_line(finding.details)
    rule = CATALOGUE[finding.code].requirement
    return {line: f"{why[line]} (must hold: {rule})" if line in why else f"must hold: {rule}" for line in finding.lines}


def lines_text(lines: list[int], limit: int = spec.CONSOLE_LINES) -> str:
    """``lines 2, 5, 9 … (+3 more)``: the first ``limit`` line numbers and how many more."""
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" … (+{len(lines) - limit:,} more)" if len(lines) > limit else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"
