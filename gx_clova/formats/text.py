"""The text report, for people: every failure code with its exact count and the first few lines;
for a gate, every dataset's report, the datasets that could not be read and a one-line tally."""

from __future__ import annotations

from collections.abc import Sequence

from gx_clova.codes import ERROR
from gx_clova.escape import for_terminal
from gx_clova.formats.common import Unreadable, lines_text
from gx_clova.report import Report

_RESET, _BOLD, _RED, _YELLOW, _GREEN, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[2m"


def write(reports: Sequence[Report], unreadable: Sequence[Unreadable] | None = None, color: bool = False) -> str:
    out = "".join(text(r, color=color) for r in reports)
    if unreadable is None:
        return out
    out += "".join(f"UNREADABLE  {for_terminal(s)}\n  {for_terminal(why)}\n" for s, why in unreadable)
    failed = sum(not r.success for r in reports)
    return out + f"gate: {len(reports) - failed} passed, {failed} failed, {len(unreadable)} unreadable\n"


def text(report: Report, color: bool = False) -> str:
    def paint(s: str, *codes: str) -> str:
        return "".join(codes) + s + _RESET if color else s

    src = report.source
    verdict = paint("PASSED", _BOLD, _GREEN) if report.success else paint("FAILED", _BOLD, _RED)
    out = [
        f"{verdict}  {for_terminal(str(src.get('uri', '')))}",
        paint(
            f"  task {report.task} · {report.rows:,} data rows · {src.get('bytes', 0):,} bytes · "
            f"{src.get('encoding') or '?'} · sha256 {str(src.get('sha256', ''))[:16]}…",
            _DIM,
        ),
    ]
    if not report.failures:
        out.append("  every rule of the CLOVA Studio spec holds")
    width = max((len(f.code) for f in report.failures), default=0)
    for f in report.failures:
        is_error = f.severity == ERROR
        mark = paint("✗", _RED) if is_error else paint("!", _YELLOW)
        label = paint(f.code.ljust(width), _BOLD)
        count = f"{f.count:>7,}"
        where = lines_text(f.lines)
        out.append(f"  {mark} {label} {count}  {where}".rstrip())
        out.append(paint(f"      {for_terminal(f.message)}", _DIM))
    errors = sum(f.count or 0 for f in report.errors)
    warnings = sum(f.count or 0 for f in report.warnings)
    out.append(
        f"  {len(report.errors)} error code(s) ({errors:,} findings), "
        f"{len(report.warnings)} warning code(s) ({warnings:,})"
    )
    if report.extra.get("streaming"):
        out.append(paint("  read in streaming mode (bounded memory)", _DIM))
    if report.extra.get("data_docs"):
        out.append(f"  Data Docs: {for_terminal(str(report.extra['data_docs']))}")
    return "\n".join(out) + "\n"
