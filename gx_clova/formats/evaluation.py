"""The evaluation report (``gx-clova evaluate``) as text, JSON or JUnit: its scores, the
comparisons and the gate's expectations. Answers and file names are shown with terminal control
characters as ``\\xNN``."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "junit":
        return junit(report)
    return text(report)


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def text(report: dict[str, Any]) -> str:

    lines = [f"evaluation of {report['test_file']['path']} ({report['test_file']['rows']:,} rows, {report['task']})"]
    for name, scores in report["targets"].items():
        line = (
            f"  {name}: accuracy {_pct(scores.get('accuracy'))} "
            f"({scores.get('correct', 0):,} of {scores['answered']:,} answered; {scores['rows']:,} rows)"
        )
        if report["task"] == "classification":
            line += f", {scores.get('outside_label_set', 0):,} outside the label set"
        elif scores.get("chrf") is not None:
            line += f", chrF {scores['chrf']:.1f}"
        lines.append(line)
        if scores["errors"]:
            lines.append(
                f"    {len(scores['errors']):,} row(s) without an answer, e.g. line "
                f"{scores['errors'][0]['line']}: {scores['errors'][0]['error']}"
            )
    for c in report["comparisons"]:
        lines.append(
            f"  {c['tuned']} vs {c['baseline']}: {100 * (c['delta'] or 0):+.1f} points on {c['rows']:,} rows "
            f"({c['only_tuned_right']:,} only tuned right, {c['only_baseline_right']:,} only baseline right; "
            f"McNemar exact p = {c['mcnemar_p']:.4g})"
        )
    for e in report["expectations"]:
        mark = "✓" if e["success"] else "✗"
        lines.append(f"  {mark} {e['type']} {_kwargs(e['kwargs'])}: {e['observed']}")
    verdict = "INCOMPLETE" if not report["complete"] else ("PASSED" if report["success"] else "FAILED")
    run = report.get("run") or {}
    if run:
        lines.append(
            f"  {run['requests']:,} requests ({run['cached']:,} answers from the cache, {run['retries']:,} "
            f"retries) in {run['seconds']:.1f} s"
        )
    lines.append(verdict)
    return _printable("\n".join(lines)) + "\n"


def _kwargs(kwargs: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{k}={v}" for k, v in kwargs.items()) + ")"


def _printable(value: str) -> str:
    """No terminal control sequences from answers or file names reach the console."""
    return "".join(ch if ch in "\n" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value)


def junit(report: dict[str, Any]) -> str:
    cases = []
    for e in report["expectations"]:
        name = quoteattr(_printable(f"{e['type']} {_kwargs(e['kwargs'])}"))
        observed = _printable(str(e["observed"]))
        body = "" if e["success"] else f"<failure message={quoteattr(observed)}>{escape(observed)}</failure>"
        cases.append(f'    <testcase classname="gx-clova.evaluation" name={name}>{body}</testcase>')
    for target, scores in report["targets"].items():
        if scores["errors"]:
            message = f"{len(scores['errors'])} row(s) without an answer"
            name = quoteattr(_printable(f"complete answers of {target}"))
            cases.append(
                f'    <testcase classname="gx-clova.evaluation" name={name}>'
                f"<error message={quoteattr(message)}>{escape(message)}</error></testcase>"
            )
    failures = sum(1 for e in report["expectations"] if not e["success"])
    errors = sum(1 for s in report["targets"].values() if s["errors"])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites><testsuite name="gx-clova evaluation" tests="{len(cases)}" '
        f'failures="{failures}" errors="{errors}">\n'
        + "\n".join(cases)
        + "\n</testsuite></testsuites>\n"
    )
