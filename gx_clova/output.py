"""Render a report for people (text), programs (json) and CI systems (junit, sarif, github).

The text view shows every failure code with its exact count and the first few lines; the JSON
and JUnit views carry every failing line.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from gx_clova import spec
from gx_clova.codes import CATALOGUE, ERROR
from gx_clova.escape import for_terminal, for_xml
from gx_clova.report import Report

_RESET, _BOLD, _RED, _YELLOW, _GREEN, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[2m"


def render(report: Report, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "junit":
        return junit(report)
    if fmt in ("sarif", "github"):
        from gx_clova import ci

        return getattr(ci, fmt)([report])
    return text(report, color=color)


def _lines_text(lines: list[int], limit: int = spec.CONSOLE_LINES) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" … (+{len(lines) - limit:,} more)" if len(lines) > limit else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


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
        where = _lines_text(f.lines)
        out.append(f"  {mark} {label} {count}  {where}".rstrip())
        out.append(paint(f"      {for_terminal(f.message)}", _DIM))
    errors = sum(f.count or 0 for f in report.errors)
    warnings = sum(f.count or 0 for f in report.warnings)
    out.append(
        f"  {len(report.errors)} error code(s) ({errors:,} findings), {len(report.warnings)} warning code(s) ({warnings:,})"
    )
    if report.extra.get("streaming"):
        out.append(paint("  read in streaming mode (bounded memory)", _DIM))
    if report.extra.get("data_docs"):
        out.append(f"  Data Docs: {for_terminal(str(report.extra['data_docs']))}")
    return "\n".join(out) + "\n"


def junit(report: Report) -> str:
    """One test case per rule code of the task; an error finding is a <failure>."""
    by_code = {f.code: f for f in report.failures}
    checked = [code for e in report.expectations for code in e.get("codes", [])] or list(by_code)
    cases = []
    failures = 0
    for code in checked:
        entry = CATALOGUE[code]
        name = quoteattr(f"{code} ({entry.ref})")
        f = by_code.get(code)
        if f is None:
            cases.append(f'    <testcase classname="gx_clova.{report.task}" name={name}/>')
            continue
        body = xml_escape(for_xml(f"{f.message}\n{_lines_text(f.lines, limit=len(f.lines))}"))
        if f.severity == ERROR:
            failures += 1
            cases.append(
                f'    <testcase classname="gx_clova.{report.task}" name={name}>\n'
                f"      <failure type={quoteattr(code)} message={quoteattr(for_xml(f.message))}>{body}</failure>\n"
                "    </testcase>"
            )
        else:
            cases.append(
                f'    <testcase classname="gx_clova.{report.task}" name={name}>\n'
                f"      <system-out>warning: {body}</system-out>\n"
                "    </testcase>"
            )
    suite_name = quoteattr(for_xml(f"gx-clova {report.task}: {report.source.get('uri', '')}"))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites tests="{len(cases)}" failures="{failures}">\n'
        f'  <testsuite name={suite_name} tests="{len(cases)}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )
