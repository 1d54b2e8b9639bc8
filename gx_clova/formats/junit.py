"""JUnit XML, for any CI: one ``<testsuite>`` per dataset with one test case per rule code of its
task (an error finding is a ``<failure>`` listing every failing line, a warning is
``<system-out>``), and for a gate one more suite with an ``<error>`` per dataset that could not
be read."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from gx_clova.codes import CATALOGUE, ERROR
from gx_clova.escape import for_xml
from gx_clova.formats.common import Unreadable, lines_text
from gx_clova.report import Report

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def write(reports: Sequence[Report], unreadable: Sequence[Unreadable] | None = None, color: bool = False) -> str:
    """``unreadable`` is None for one dataset (``validate``): then the root carries no ``errors``."""
    suites = [_suite(report) for report in reports]
    if unreadable:
        suites.append(_unreadable_suite(unreadable))
    tests = sum(n for _, n, _, _ in suites)
    failures = sum(n for _, _, n, _ in suites)
    errors = "" if unreadable is None else f' errors="{sum(n for _, _, _, n in suites)}"'
    return (HEADER + f'<testsuites tests="{tests}" failures="{failures}"{errors}>\n'
            + "".join(text for text, _, _, _ in suites) + "</testsuites>\n")


def junit(reports: Sequence[Report], unreadable: Sequence[Unreadable] = ()) -> str:
    """Several datasets (``gx-clova gate --junit``)."""
    return write(reports, list(unreadable))


def _suite(report: Report) -> tuple[str, int, int, int]:
    """One dataset's ``<testsuite>``: its text, tests, failures and errors."""
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
        body = xml_escape(for_xml(f"{f.message}\n{lines_text(f.lines, limit=len(f.lines))}"))
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
    text = (f'  <testsuite name={suite_name} tests="{len(cases)}" failures="{failures}" errors="0">\n'
            + "\n".join(cases) + "\n  </testsuite>\n")
    return text, len(cases), failures, 0


def _unreadable_suite(unreadable: Sequence[Unreadable]) -> tuple[str, int, int, int]:
    cases = "".join(
        f'    <testcase classname="gx_clova.source" name={quoteattr(for_xml(path))}>\n'
        f'      <error type="unreadable" message={quoteattr(for_xml(reason))}>{xml_escape(for_xml(reason))}</error>\n'
        "    </testcase>\n"
        for path, reason in unreadable
    )
    n = len(unreadable)
    text = (f'  <testsuite name="gx-clova: unreadable datasets" tests="{n}" failures="0" errors="{n}">\n'
            f"{cases}  </testsuite>\n")
    return text, n, 0, n
