"""GitHub annotations: ``::error file=…,line=…,title=…::message`` workflow commands, at most
:data:`ANNOTATIONS_PER_CODE` per code and file (GitHub shows only the first few per step
anyway), then one for the rest. Values are escaped so a dataset value cannot end the command or
start another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gx_clova import spec
from gx_clova.codes import CATALOGUE, ERROR
from gx_clova.escape import for_terminal, github_data, github_property
from gx_clova.formats.common import MORE, Unreadable, artifact_path, line_messages
from gx_clova.report import Report

ANNOTATIONS_PER_CODE = spec.CONSOLE_LINES


def write(reports: Sequence[Report], unreadable: Sequence[Unreadable] | None = None, color: bool = False) -> str:
    return github(reports, unreadable or ())


def _command(level: str, path: str, title: str, message: str, line: int | None = None) -> str:
    """One workflow command; every value escaped by GitHub's rules, other control characters
    (ANSI escapes) as ``\\xNN`` so the log shows them instead of obeying them."""
    where = f"file={github_property(_visible(path))}" + (f",line={line}" if line else "")
    return f"::{level} {where},title={github_property(_visible(title))}::{github_data(_visible(message))}"


def _visible(text: str) -> str:
    """Line breaks (CR, LF) stay for GitHub's own escaping (``%0D``, ``%0A``); other control
    characters become ``\\xNN``."""
    return "\r".join(for_terminal(part, keep_newlines=True) for part in text.split("\r"))


def github(reports: Iterable[Report], unreadable: Iterable[Unreadable] = (), base: str | None = None) -> str:
    out = []
    for report in reports:
        path = artifact_path(str(report.source.get("uri", "")), base)
        for finding in report.failures:
            level = "error" if finding.severity == ERROR else "warning"
            title = f"{finding.code} ({CATALOGUE[finding.code].ref})"
            if not finding.lines:
                out.append(_command(level, path, title, finding.message))
                continue
            why = line_messages(finding)
            for line in finding.lines[:ANNOTATIONS_PER_CODE]:
                out.append(_command(level, path, title, why[line], line))
            rest = len(finding.lines) - ANNOTATIONS_PER_CODE
            if rest > 0:
                out.append(_command(level, path, title, f"{rest:,} more line(s) with {finding.code}; {MORE}"))
        verdict = "passed" if report.success else "FAILED"
        out.append(f"gx-clova: {for_terminal(path)} {verdict} "
                   f"({len(report.errors)} error code(s), {len(report.warnings)} warning code(s))")
    for path, reason in unreadable:
        out.append(_command("error", artifact_path(path, base), "gx-clova: unreadable", reason))
    return "\n".join(out) + "\n"
